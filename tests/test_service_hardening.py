"""Issue 10 in-process: each item on a real FastAPI app under TestClient (real scanner, real files)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import os
import stat
import time
import warnings
from pathlib import Path

import pytest

from dlp.audit import SecretFileError
from dlp.scanner import Scanner
from service.admission import Admission, KeyBusy, Saturated
from service.app import create_app
from service.auth import KeyStore, add_key, list_keys, revoke_key, rotate_key
from service.settings import Settings
from service.testing import write_test_packs

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

SCAN_KEY = "hard-scan-key-0123456789abcdef"
SCAN = {"Authorization": f"Bearer {SCAN_KEY}"}
PII = "承辦人身分證字號 D104553971，手機 0912-345-678"


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_test_packs(tmp_path_factory.mktemp("packs"))


@pytest.fixture(scope="module")
def scanner(packs: Path) -> Scanner:
    return Scanner(patterns_dir=packs)


def settings_for(tmp: Path, packs: Path, **kw) -> Settings:
    return Settings(patterns_dir=str(packs), keys_file=str(tmp / "keys" / "keys.json"), env_keys=f"gw:scan:{SCAN_KEY}",
                    audit_log=str(tmp / "audit.jsonl"), **kw)


@pytest.fixture()
def client(tmp_path: Path, packs: Path, scanner: Scanner):
    with TestClient(create_app(settings_for(tmp_path, packs), scanner=scanner)) as c:
        yield c


def _records(tmp: Path) -> list[dict]:
    return [json.loads(line) for line in (tmp / "audit.jsonl").read_text(encoding="utf-8").splitlines()]


# -- part 1: malformed input ---------------------------------------------------------------------

DEEP = "[" * 10_000 + "]" * 10_000


@pytest.mark.parametrize("path, body", [
    ("/v1/scan", DEEP),
    ("/v1/scan", '{"text": "x", "subject": ' + DEEP + "}"),
    ("/v1/scan", '{"attachments": [' + "{" * 5000 + "}" * 5000 + "]}"),
    ("/v1/scan", "[" * 200_000),  # unbalanced: never handed to the parser
    ("/v1/redact", '{"text": ' + DEEP + "}"),
])
def test_deep_json_is_400_before_parsing(client: TestClient, path: str, body: str) -> None:
    r = client.post(path, headers={**SCAN, "Content-Type": "application/json"}, content=body.encode())
    assert r.status_code == 400, r.text[:300]
    assert r.json()["error"]["code"] == "bad_json" and "32" in r.json()["error"]["message"]


def test_deep_json_in_the_multipart_conversation_field(client: TestClient) -> None:
    r = client.post("/v1/scan", headers=SCAN, data={"text": "x", "channel": "chat", "conversation": DEEP},
                    files=[("attachments", ("a.txt", b"hi", "text/plain"))])
    assert r.status_code == 400 and r.json()["error"]["details"][0]["field"] == "conversation"


@pytest.mark.parametrize("doc", [
    {"channel": "mail", "recipients": ["a@\ud800.com"]},
    {"channel": "chat", "recipients": ["\udc00group"]},
    {"channel": "other", "recipients": ["https://x.example/\ud800"]},
    {"sender": "\ud800@hl.gov.tw"},
    {"text": "ok \udfff"},
    {"subject": "\ud83d"},
    {"channel": "chat", "conversation": {"id": "\ud800"}},
    {"channel": "chat", "conversation": {"id": "g", "name": "\ud800"}},
    {"attachments": [{"filename": "\ud800.txt", "content_base64": "aGk="}]},
    {"attachments": [{"filename": "a.txt", "content_base64": "aGk=", "content_type": "text/\ud800"}]},
])
def test_a_lone_surrogate_in_any_string_field_is_422(client: TestClient, doc: dict) -> None:
    body = json.dumps(doc).encode()  # ensure_ascii: the surrogate travels as a \\u escape, as attackers send it
    r = client.post("/v1/scan", headers={**SCAN, "Content-Type": "application/json"}, content=body)
    assert r.status_code == 422, r.text[:300]
    details = r.json()["error"]["details"]
    assert [d["field"] for d in details] == [_surrogate_path(doc)], details  # the one bad field, named
    problems = json.dumps(details)
    assert "surrogate" in problems or "unicode" in problems, problems  # ours, or pydantic's own check


def _surrogate_path(value: object, path: str = "") -> str | None:
    """Where in ``value`` the lone surrogate is, as the service names fields (``attachments.0.filename``)."""
    if isinstance(value, str):
        return path if any(0xD800 <= ord(ch) <= 0xDFFF for ch in value) else None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else []
    for key, item in items:
        found = _surrogate_path(item, f"{path}.{key}" if path else str(key))
        if found:
            return found
    return None


def test_a_lone_surrogate_in_a_multipart_file_name_is_422(client: TestClient) -> None:
    r = client.post("/v1/scan", headers=SCAN, data={"text": "x"},
                    files=[("attachments", ("a\ud800.txt".encode("utf-8", "surrogatepass").decode("latin-1"), b"hi", "text/plain"))])
    # the name arrives as bytes that are not UTF-8: the multipart parser replaces them; scanned, never a 500
    assert r.status_code == 200, r.text[:300]
    assert r.json()["action"] == "allow" and r.json()["not_inspected"] == []


class _BrokenScanner:
    """A scanner with a bug: what any unexpected exception inside a request looks like."""

    def __init__(self, real: Scanner):
        self._real = real

    def __getattr__(self, name: str):
        return getattr(self._real, name)

    def scan(self, *args, **kwargs):
        raise RuntimeError("a bug")


def test_an_unexpected_error_is_a_json_500_and_not_a_reset(tmp_path: Path, packs: Path, scanner: Scanner) -> None:
    app = create_app(settings_for(tmp_path, packs), scanner=_BrokenScanner(scanner))
    with TestClient(app, raise_server_exceptions=True) as c:  # the middleware must not let it escape
        r = c.post("/v1/scan", headers=SCAN, json={"text": "x"})
        assert r.status_code == 500 and r.json()["error"]["code"] == "internal_error"
        assert r.headers.get("connection", "") != "close"
        assert c.get("/healthz").status_code == 200


# -- part 2: bounded work ----------------------------------------------------------------------

def _policy_copy(tmp: Path, packs: Path, **scan_limits) -> Path:
    directory = write_test_packs(tmp / "limited")
    text = (directory / "policy.yaml").read_text(encoding="utf-8")
    for key, value in scan_limits.items():
        text = text.replace(f"  {key}: ", f"  {key}: {value}  # was ", 1)
    (directory / "policy.yaml").write_text(text, encoding="utf-8")
    return directory


PHONES = "".join(f"09{i % 100:02d}-{i % 1000:03d}-{(i * 7) % 1000:03d}\n" for i in range(900))


def test_findings_are_capped_counted_exactly_and_decided_on_all(tmp_path: Path, packs: Path, scanner: Scanner) -> None:
    capped = _policy_copy(tmp_path, packs, max_findings=5)
    doc = {"text": PHONES + "身分證字號 D104553971", "recipients": ["someone@gmail.com"]}
    with TestClient(create_app(settings_for(tmp_path / "a", packs), scanner=scanner)) as full_c, \
            TestClient(create_app(settings_for(tmp_path / "b", capped), scanner=Scanner(patterns_dir=capped))) as cap_c:
        full = full_c.post("/v1/scan", headers=SCAN, json=doc)
        cap = cap_c.post("/v1/scan", headers=SCAN, json=doc)
    assert full.status_code == cap.status_code == 200
    f, c = full.json(), cap.json()
    assert c["truncated"] is True and len(c["findings"]) == 5 and f["truncated"] is False
    assert c["finding_counts"] == f["finding_counts"]
    assert c["finding_counts"]["TW_PHONE"]["count"] == 900 and c["finding_counts"]["TW_PHONE"]["distinct"] == len(set(PHONES.split()))
    assert c["action"] == f["action"] and c["reasons"] == f["reasons"]
    assert "TW_NATIONAL_ID" in {x["type"] for x in c["findings"]}  # the identifier is listed before the phones
    # the answer stays a small multiple of the question, capped or not
    assert len(cap.content) < len(json.dumps(doc)) and len(full.content) < 3 * 1024 * 1024


def test_a_scan_out_of_time_stops_with_limit_exceeded_and_is_not_allowed(tmp_path: Path, packs: Path) -> None:
    limited = _policy_copy(tmp_path, packs, body_seconds="0.01", message_seconds="0.02")
    with TestClient(create_app(settings_for(tmp_path, limited), scanner=Scanner(patterns_dir=limited))) as c:
        r = c.post("/v1/scan", headers=SCAN, json={"text": PHONES * 30, "channel": "chat",
                                                   "conversation": {"id": "g", "members": 3, "registered": True}})
        assert r.status_code == 200
        body = r.json()
        limit = [x for x in body["findings"] if x["type"] == "LIMIT_EXCEEDED"]
        assert limit and limit[0]["detail"]["limit"] in ("body_seconds", "message_seconds")
        assert body["action"] != "allow"
        r = c.post("/v1/redact", headers=SCAN, json={"text": PHONES * 30})
        assert r.status_code == 422 and r.json()["error"]["code"] == "limit_exceeded"
        assert "redacted_text" not in r.json()


def test_admission_gives_small_requests_their_own_lane_and_refuses_with_retry_after() -> None:
    async def scenario() -> dict:
        import threading

        adm = Admission(small_threads=1, large_threads=1, large_request_bytes=1000, small_queue=1, large_queue=1,
                        queue_timeout=5, key_concurrency=10, key_large_concurrency=1)
        release = threading.Event()
        out: dict = {}

        async def large(key: str) -> str:
            async with adm.admit(key, 10_000) as ticket:
                return await ticket.run(release.wait, 10)

        busy = asyncio.create_task(large("a"))  # holds the only large thread
        await asyncio.sleep(0.05)
        queued = asyncio.create_task(large("b"))  # waits in the large queue (1 place)
        await asyncio.sleep(0.05)
        try:
            async with adm.admit("c", 10_000):
                pass
        except Saturated as exc:
            out["saturated"] = (exc.status, exc.headers)
        t0 = time.monotonic()
        async with adm.admit("a", 50) as ticket:  # a chat message of the same key still gets through
            out["small"] = await ticket.run(lambda: "done")
        out["small_seconds"] = time.monotonic() - t0
        try:  # "a" already has its one large request in flight
            async with adm.admit("a", 10_000):
                pass
        except KeyBusy as exc:
            out["key_busy"] = (exc.status, exc.headers)
        release.set()
        await asyncio.gather(busy, queued)
        adm.shutdown()
        return out

    out = asyncio.run(scenario())
    assert out["saturated"][0] == 503 and int(out["saturated"][1]["Retry-After"]) >= 1
    assert out["key_busy"][0] == 429 and int(out["key_busy"][1]["Retry-After"]) >= 1
    assert out["small"] == "done" and out["small_seconds"] < 5  # not behind the blocked large one


# -- part 4: the audit trail holds nothing raw ------------------------------------------------

def test_audit_reasons_and_excerpts_are_masked(client: TestClient, tmp_path: Path) -> None:
    r = client.post("/v1/scan", headers=SCAN, json={
        "channel": "chat", "text": "請轉給王小明，密碼 hunter2 手機 0912-345-678 身分證 D104553971",
        "conversation": {"id": "line-group-8821", "name": "王小明的家長群組", "members": 80, "external_members": 70}})
    assert r.status_code == 200 and any("王小明的家長群組" in reason for reason in r.json()["reasons"])
    rec = _records(tmp_path)[-1]
    text = json.dumps(rec, ensure_ascii=False)
    for raw in ("王小明", "hunter2", "0912-345-678", "D104553971", "line-group-8821", "請轉給"):
        assert raw not in text, raw
    assert {e["type"] for e in rec["excerpts"]} >= {"TW_PHONE", "TW_NATIONAL_ID"}
    assert all("excerpt" not in e for e in rec["excerpts"]) and all(e["masked"] for e in rec["excerpts"])
    assert rec["conversation"]["name"] == "王***"  # first character only


def test_the_policy_may_opt_in_to_excerpts_with_context(tmp_path: Path, packs: Path) -> None:
    opted = write_test_packs(tmp_path / "opted")
    policy = opted / "policy.yaml"
    policy.write_text(policy.read_text(encoding="utf-8").replace("excerpts: value", "excerpts: context"), encoding="utf-8")
    with TestClient(create_app(settings_for(tmp_path, opted), scanner=Scanner(patterns_dir=opted))) as c:
        c.post("/v1/scan", headers=SCAN, json={"text": "聯絡手機 0912-345-678 謝謝"})
    entry = _records(tmp_path)[-1]["excerpts"][0]
    assert "聯絡手機" in entry["excerpt"] and "0912-345-678" not in entry["excerpt"]


def test_policy_version_is_the_policy_files_hash_in_answers_and_records(client: TestClient, tmp_path: Path, packs: Path) -> None:
    expected = hashlib.sha256((packs / "policy.yaml").read_bytes()).hexdigest()[:16]
    r = client.post("/v1/scan", headers=SCAN, json={"text": PII})
    assert r.json()["policy_version"] == expected and r.json()["patterns_version"]
    assert _records(tmp_path)[-1]["policy_version"] == expected
    assert client.get("/v1/patterns", headers=SCAN).json()["policy_version"] == expected
    assert client.post("/v1/redact", headers=SCAN, json={"text": PII}).json()["policy_version"] == expected


def test_a_salt_is_made_on_first_start_and_an_empty_one_is_refused(tmp_path: Path, packs: Path, scanner: Scanner) -> None:
    settings = settings_for(tmp_path, packs)
    with TestClient(create_app(settings, scanner=scanner)) as c:
        c.post("/v1/scan", headers=SCAN, json={"text": "x", "sender": "clerk@hl.gov.tw"})
    salt_file = tmp_path / "keys" / "audit-salt"
    salt = salt_file.read_text().strip()
    assert len(salt) >= 32 and stat.S_IMODE(salt_file.stat().st_mode) == 0o600
    unsalted = hashlib.sha256(b"clerk@hl.gov.tw").hexdigest()
    assert _records(tmp_path)[-1]["sender"]["sha256"] not in (unsalted, "")
    salt_file.write_text("\n")
    with pytest.raises(SecretFileError):
        create_app(settings, scanner=scanner)
    from dlp.cli import main

    os.environ["DLP_KEYS_FILE"] = settings.keys_file
    try:
        assert main(["serve", "--keys-file", settings.keys_file]) == 2
    finally:
        os.environ.pop("DLP_KEYS_FILE")


def test_a_cut_log_makes_decisions_503_until_reanchored(client: TestClient, tmp_path: Path) -> None:
    assert client.post("/v1/scan", headers=SCAN, json={"text": "one"}).status_code == 200
    (tmp_path / "audit.jsonl").unlink()
    r = client.post("/v1/scan", headers=SCAN, json={"text": "two"})
    assert r.status_code == 503 and r.json()["error"]["code"] == "audit_unavailable"
    assert client.get("/readyz").status_code == 503


# -- part 6: keys ---------------------------------------------------------------------------------

def test_key_life_cycle(tmp_path: Path, packs: Path, scanner: Scanner) -> None:
    from datetime import UTC, datetime, timedelta

    keys_file = tmp_path / "keys" / "keys.json"
    settings = Settings(patterns_dir=str(packs), keys_file=str(keys_file), audit_log=str(tmp_path / "audit.jsonl"))
    with TestClient(create_app(settings, scanner=scanner)) as c:
        def status(key: str) -> int:
            return c.post("/v1/scan", headers={"Authorization": f"Bearer {key}"}, json={"text": "x"}).status_code

        old = add_key(keys_file, "mail-gw", ["scan"], name="郵件閘道")
        expired = add_key(keys_file, "old-gw", ["scan"], expires=datetime.now(UTC) - timedelta(seconds=1))
        assert status(old) == 200 and status(expired) == 401
        new = rotate_key(keys_file, "mail-gw", timedelta(hours=1))
        assert status(new) == 200 and status(old) == 200  # the old secret in its grace period
        newer = rotate_key(keys_file, "mail-gw", timedelta(0))
        assert status(newer) == 200 and status(new) == 401 and status(old) == 200
        revoke_key(keys_file, "mail-gw")
        assert status(newer) == 401 and status(old) == 401
        c.app.state.keys.flush_last_used()
    rows = {r["id"]: r for r in list_keys(keys_file)}
    assert rows["mail-gw"]["status"] == "revoked" and rows["mail-gw"]["name"] == "郵件閘道"
    assert rows["old-gw"]["status"] == "expired" and rows["mail-gw"]["last_used"]
    text = json.dumps(list(rows.values()))
    assert old not in text and "sha256" not in text and newer not in text


def test_a_keys_file_change_is_seen_by_the_next_request(tmp_path: Path) -> None:
    keys_file = tmp_path / "keys.json"
    key = add_key(keys_file, "gw", ["scan"])
    store = KeyStore(keys_file)
    assert store.authenticate(key) is not None
    revoke_key(keys_file, "gw")
    assert store.authenticate(key) is None


def test_base64_attachment_still_works(client: TestClient) -> None:
    r = client.post("/v1/scan", headers=SCAN, json={"text": "附件", "attachments": [
        {"filename": "a.txt", "content_base64": base64.b64encode(PII.encode()).decode()}]})
    assert r.status_code == 200 and r.json()["findings"]


@pytest.mark.parametrize("incident_id", [
    "dlp-02130044-PDiABolabZ",  # I, L, O, U are not in the id alphabet (found by schemathesis: it was a 500)
    "DLP-20250301-7K3QX9TZ4",  # nine characters
    "DLP-2025031-7K3QX9TZ4M",
])
def test_an_override_with_an_incident_id_of_the_wrong_form_is_422_naming_the_field(client: TestClient, incident_id: str) -> None:
    r = client.post("/v1/scan", headers=SCAN, json={"text": "hello", "channel": "other",
                                                    "override": {"incident_id": incident_id, "justification": "on"}})
    assert r.status_code == 422, r.text
    assert "incident_id" in r.text


def test_an_override_of_an_unknown_incident_in_lower_case_is_a_decision_not_an_error(client: TestClient) -> None:
    r = client.post("/v1/scan", headers=SCAN, json={"text": "hello", "channel": "other",
                                                    "override": {"incident_id": "dlp-20250301-7k3qx9tz4m", "justification": "on"}})
    assert r.status_code == 200, r.text
    assert r.json()["action"] == "allow"
