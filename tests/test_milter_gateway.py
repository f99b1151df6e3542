"""The gateway around one decision: fail closed (budget, audit, size, the service), the answer's
edits, notices — with the real scanner, the real audit log and the real HTTP service."""

from __future__ import annotations

import json
import random
from pathlib import Path

import anyio
import pytest
from kilter.protocol.messages import Accept, AddHeader, ChangeHeader, Quarantine, ReplaceBody, ReplyCode

from dlp.evaluation.fakes import national_id
from dlp.gateways.mail.answers import plan_answer
from dlp.gateways.mail.gateway import GatewayConfig, MailGateway
from dlp.gateways.mail.notices import NoticeTextsError, build_notice, load_notice_texts, should_notify
from dlp.gateways.mail.scanning import LocalDecider, ScanOutcome
from dlp.gateways.mail.service_client import ServiceDecider
from dlp.gateways.mail.shared import AuditLog
from dlp.gateways.mail.transaction import MailTransaction
from service.testing import free_port, running_server, write_test_packs

pytestmark = pytest.mark.anyio

#: the audit trail refuses unsalted hashes: a gateway always has the service's salt
SALT = "milter-test-salt-0123456789abcdef"
ID = national_id(random.Random(7))
KEY = "milter-test-key-0123456789"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def txn(body: str, recipients: list[str], headers: list[tuple[str, str]] | None = None, sender: str = "clerk@hl.gov.tw",
        max_bytes: int = 1 << 20) -> MailTransaction:
    t = MailTransaction(sender=sender, recipients=recipients, max_bytes=max_bytes, macros={"i": "ABC123"})
    for name, value in headers or [("Subject", "test"), ("Content-Type", "text/plain; charset=utf-8"),
                                   ("Content-Transfer-Encoding", "8bit")]:
        t.add_header(name, value.encode())
    t.add_body(body.replace("\n", "\r\n").encode())
    return t


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


class SlowDecider:
    """The real decider, after a delay longer than any budget here."""

    mode = "local"

    def __init__(self, inner: LocalDecider):
        self.inner = inner

    async def decide(self, raw: bytes, sender: str, recipients: list[str], queue_id: str | None = None) -> ScanOutcome:
        await anyio.sleep(5)
        return await self.inner.decide(raw, sender, recipients)


async def test_a_decision_over_budget_is_451_and_audited(scanner, tmp_path):
    audit = tmp_path / "audit.jsonl"
    gateway = MailGateway(SlowDecider(LocalDecider(scanner)), AuditLog(audit), GatewayConfig(budget_seconds=0.2, audit_salt=SALT))
    reply = await gateway(txn("請準時出席。", ["a@example.com"]))
    assert isinstance(reply.final, ReplyCode) and bytes(reply.final.content).startswith(b"451 4.7.1 ")
    (rec,) = records(audit)
    assert rec["event"] == "milter_tempfail" and rec["cause"] == "timeout" and rec["queue_id"] == "ABC123"
    assert rec["request_id"] in bytes(reply.final.content).decode()
    assert rec["sender"]["masked"] == "c***@hl.gov.tw"


async def test_an_audit_log_that_cannot_be_written_is_451(scanner, tmp_path):
    (tmp_path / "not-a-dir").write_text("")
    gateway = MailGateway(LocalDecider(scanner), AuditLog(tmp_path / "not-a-dir" / "audit.jsonl"), GatewayConfig(audit_salt=SALT))
    reply = await gateway(txn("請準時出席。", ["a@example.com"]))
    assert isinstance(reply.final, ReplyCode) and bytes(reply.final.content).startswith(b"451 4.7.1 ")
    assert not reply.edits


async def test_a_mail_over_the_size_limit_is_refused_not_accepted_unread(scanner, tmp_path):
    audit = tmp_path / "audit.jsonl"
    gateway = MailGateway(LocalDecider(scanner), AuditLog(audit), GatewayConfig(audit_salt=SALT))
    big = txn("x" * 5000, ["a@example.com"], max_bytes=1000)
    assert big.overflow
    reply = await gateway(big)
    assert bytes(reply.final.content).startswith(b"552 5.3.4 ")
    assert records(audit)[0]["cause"] == "too_big"


async def test_in_process_decisions_are_audited_with_incident_and_queue_id(scanner, tmp_path):
    audit = tmp_path / "audit.jsonl"
    gateway = MailGateway(LocalDecider(scanner), AuditLog(audit), GatewayConfig(audit_salt=SALT))
    reply = await gateway(txn(f"申請人身分證字號 {ID}", ["officer@gmail.com"]))
    assert isinstance(reply.final, Accept) and isinstance(reply.edits[-1], Quarantine)
    (rec,) = records(audit)
    assert rec["endpoint"] == "milter" and rec["action"] == "quarantine" and rec["queue_id"] == "ABC123"
    assert rec["incident_id"] in reply.edits[-1].reason
    assert rec["gateway"]["notice"] == "disabled" and ID not in json.dumps(rec)


def test_the_answer_removes_forged_headers_last_first_and_rebuilds_the_body_on_redact(scanner):
    t = txn(f"申請人身分證字號 {ID}，請協助。", ["b@tp.gov.tw"], headers=[
        ("X-DLP-Action", "allow"), ("Subject", "s"), ("x-dlp-action", "allow"), ("Content-Type", "text/plain; charset=utf-8"),
        ("X-DLP-Incident", "fake")])
    report = scanner.scan(scanner_message(t))
    report.action, report.redacted_text = "redact", scanner.redact(t.body.decode())
    answer = plan_answer(ScanOutcome(scanner_message(t), report, "v"), t, "DLP-20250101-ABCDEFGHJK")
    changes = [(e.index, e.name) for e in answer.reply.edits if isinstance(e, ChangeHeader)]
    assert changes[:3] == [(1, "X-DLP-Incident"), (2, "x-dlp-action"), (1, "X-DLP-Action")]
    assert (1, "Content-Type") in changes
    body = b"".join(bytes(e.content) for e in answer.reply.edits if isinstance(e, ReplaceBody))
    import base64

    assert ID not in base64.b64decode(body).decode() and "申請人身分證字號" in base64.b64decode(body).decode()
    added = {e.name: bytes(e.value) for e in answer.reply.edits if isinstance(e, AddHeader)}
    assert added["X-DLP-Action"] == b"redact" and added["Content-Transfer-Encoding"] == b"base64"
    assert added["MIME-Version"] == b"1.0"


def scanner_message(t: MailTransaction):
    from dlp.gateways.mail.scanning import read_message

    return read_message(t.raw(), t.sender, t.recipients)[0]


def test_redact_with_personal_data_in_the_subject_becomes_a_hold(scanner):
    t = txn("請協助辦理。", ["b@tp.gov.tw"], headers=[("Subject", f"申請人 {ID}")])
    message = scanner_message(t)
    report = scanner.scan(message)
    report.action, report.redacted_text = "redact", message.text
    answer = plan_answer(ScanOutcome(message, report, "v"), t, "DLP-20250101-ABCDEFGHJK")
    assert answer.action == "quarantine" and any(isinstance(e, Quarantine) for e in answer.reply.edits)
    assert "主旨" in answer.notes[0]


def test_notices_hide_a_subject_with_a_finding_and_never_go_to_the_null_sender():
    from datetime import UTC, datetime

    texts = load_notice_texts()
    notice = build_notice(texts, action="block", incident="DLP-20250101-ABCDEFGHJK", sender="clerk@hl.gov.tw",
                          notice_from="dlp@hl.gov.tw", reasons=["本訊息標示「密」，依規定不得寄至個人電子信箱"],
                          recipients=["a@tp.gov.tw", "b@gmail.com"], behind=["b@gmail.com"], subject=f"名冊 {ID}",
                          subject_has_finding=True, when=datetime.now(UTC))
    text = notice.get_content()
    assert ID not in text and "主旨含敏感資料" in text and "造成此處置的收件者：b@gmail.com" in text
    assert notice["Auto-Submitted"] == "auto-generated" and "DLP-20250101-ABCDEFGHJK" in notice["Subject"]
    assert not should_notify("block", "") and not should_notify("allow", "a@b.tw") and should_notify("warn", "a@b.tw")


def test_a_bad_notice_texts_file_is_refused_with_the_key(tmp_path):
    bad = tmp_path / "texts.yaml"
    bad.write_text("subject: {warn: x}\nintro: {}\nlabels: {}\n", encoding="utf-8")
    with pytest.raises(NoticeTextsError, match="subject: 缺少 redact"):
        load_notice_texts(bad)


# -- the HTTP mode -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("milter_service")
    packs = write_test_packs(tmp / "packs")
    env = {"DLP_PATTERNS_DIR": str(packs), "DLP_API_KEYS": f"mail-gw:scan:{KEY}", "DLP_KEYS_FILE": str(tmp / "keys.json"),
           "DLP_AUDIT_LOG": str(tmp / "service-audit.jsonl")}
    with running_server(2, env, key=KEY, log_path=tmp / "server.log", timeout=120) as srv:
        yield srv, tmp / "service-audit.jsonl"


async def test_the_service_decides_and_the_milter_audits_with_its_request_id(service, tmp_path):
    srv, service_audit = service
    audit = tmp_path / "audit.jsonl"
    decider = ServiceDecider(srv.url, KEY, timeout=30, key_id="mail-gw")
    try:
        gateway = MailGateway(decider, AuditLog(audit), GatewayConfig(audit_salt=SALT))
        reply = await gateway(txn("身分證字號 D104553971", ["friend@gmail.com"]))
    finally:
        await decider.aclose()
    assert isinstance(reply.final, Accept) and isinstance(reply.edits[-1], Quarantine)
    (rec,) = records(audit)
    assert rec["gateway"]["mode"] == "service" and rec["key_id"] == "mail-gw"
    service_ids = {r["request_id"] for r in records(service_audit) if r["event"] == "decision"}
    assert rec["gateway"]["service_request_id"] in service_ids
    assert rec["finding_types"] == {"TW_NATIONAL_ID": 1} and "D104553971" not in json.dumps(rec)


@pytest.mark.parametrize("case", ["down", "bad_key"])
async def test_no_answer_from_the_service_is_451(service, tmp_path, case):
    srv, _ = service
    url, key = (f"http://127.0.0.1:{free_port()}", KEY) if case == "down" else (srv.url, "wrong-key-0123456789")
    audit = tmp_path / "audit.jsonl"
    decider = ServiceDecider(url, key, timeout=10)
    try:
        reply = await MailGateway(decider, AuditLog(audit), GatewayConfig(audit_salt=SALT))(txn("請準時出席。", ["a@example.com"]))
    finally:
        await decider.aclose()
    assert bytes(reply.final.content).startswith(b"451 4.7.1 ")
    assert records(audit)[0]["cause"] == ("service_unavailable" if case == "down" else "service_error")


async def test_through_the_sdk_a_retry_is_decided_once_and_a_stopped_service_is_451_not_550(tmp_path):
    """``--service`` goes through ``dlp.client.AsyncDLPClient``: one Idempotency-Key per mail (the
    same mail again is the service's same decision, audited once), the queue id on the service's
    incident; then the real service is stopped, and the SDK's fail-closed ``block`` is a 451."""
    from dlp.store import IncidentStore

    env = {"DLP_PATTERNS_DIR": str(write_test_packs(tmp_path / "packs")), "DLP_API_KEYS": f"mail-gw:scan:{KEY}",
           "DLP_KEYS_FILE": str(tmp_path / "keys.json"), "DLP_AUDIT_LOG": str(tmp_path / "service-audit.jsonl")}
    audit = tmp_path / "audit.jsonl"
    mail = txn("身分證字號 D104553971", ["officer@bank.example.com"])
    with running_server(2, env, key=KEY, log_path=tmp_path / "server.log", timeout=120) as srv:
        decider = ServiceDecider(srv.url, KEY, timeout=5)
        gateway = MailGateway(decider, AuditLog(audit), GatewayConfig(audit_salt=SALT))
        first = await gateway(mail)
        again = await gateway(mail)
        served = [r for r in records(tmp_path / "service-audit.jsonl") if r["event"] == "decision"]
    try:
        stopped = await gateway(txn("身分證字號 D104553971", ["officer@bank.example.com"]))
    finally:
        await decider.aclose()
    assert isinstance(first.final, Accept) and isinstance(again.final, Accept)
    ours = records(audit)
    assert ours[0]["action"] == "warn" and ours[0]["incident_id"] == ours[1]["incident_id"]
    assert ours[0]["gateway"]["service_request_id"] == ours[1]["gateway"]["service_request_id"]
    assert len(served) == 1 and served[0]["incident_id"] == ours[0]["incident_id"]  # decided and audited once
    store = IncidentStore.open(f"sqlite:///{tmp_path / 'incidents.sqlite3'}")
    try:
        assert store.get(ours[0]["incident_id"])["queue_id"] == "ABC123"
    finally:
        store.close()
    assert isinstance(stopped.final, ReplyCode) and bytes(stopped.final.content).startswith(b"451 4.7.1 ")
    assert len(ours) == 3 and ours[2]["event"] == "milter_tempfail" and ours[2]["cause"] == "service_unavailable"


async def test_sighup_reload_refuses_a_bad_pack_and_keeps_deciding(tmp_path):
    from dlp.scanner import Scanner
    from service.testing import BROKEN_PACK

    packs = write_test_packs(tmp_path / "packs")
    audit = tmp_path / "audit.jsonl"
    gateway = MailGateway(LocalDecider(Scanner(patterns_dir=packs)), AuditLog(audit), GatewayConfig(audit_salt=SALT))
    assert await gateway.reload() is True
    (packs / "broken.yaml").write_text(BROKEN_PACK, encoding="utf-8")
    assert await gateway.reload() is False
    reply = await gateway(txn("身分證字號 D104553971", ["friend@gmail.com"]))
    assert isinstance(reply.edits[-1], Quarantine)  # the old set still decides
    assert [r.get("result") for r in records(audit) if r["event"] == "reload"] == ["ok", "refused"]


def test_crlf_mail_text_shows_its_marking(scanner):
    from dlp.model import Attachment, Message

    text = "機密\r\n\r\n主旨：某案偵查進度\r\n說明：內容\r\n"
    assert scanner.scan(Message(text=text, recipients=["x@example.com"])).action == "block"
    assert scanner.scan(Message(text="見附件", recipients=["x@example.com"], attachments=[Attachment("a.txt", text.encode())])).action == "block"
