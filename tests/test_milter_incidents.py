"""The milter's decisions in the incident store (issues 16 and 18), against SQLite and the real
PostgreSQL: every non-allow decision is an incident with the store's id and the mail's queue id,
every decision feeds the destination history the misdirection guard reads, nothing raw is
stored, and a store that cannot be written is a 451 (the mail stays with the sender's server).

The real scanner (bundled packs and policy), the real audit log, the real store; the Postfix
round trip is in test_milter_postfix.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from kilter.protocol.messages import Accept, Quarantine, ReplyCode
from sqlalchemy import text
from store_support import database_text

from dlp.gateways.mail.gateway import GatewayConfig, MailGateway
from dlp.gateways.mail.scanning import LocalDecider
from dlp.gateways.mail.shared import AuditLog
from dlp.gateways.mail.transaction import MailTransaction
from dlp.store import IncidentRecorder, is_incident_id
from dlp.store.filters import IncidentFilter
from dlp.store.history import DestinationHistory

pytestmark = pytest.mark.anyio

SALT = "milter-incident-salt-0123456789"
ROSTER = "社會救助名冊：陳美玲 身分證字號 F235071300，林志明 D104553971"
RAW = ["F235071300", "D104553971", "陳美玲", "林志明", "clerk@hl.gov.tw", "chen.wei@hl.gov.tw", "lin.mei@hl.gov.tw",
       "friend@gmail.com"]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def txn(body: str, recipients: list[str], queue_id: str, sender: str = "clerk@hl.gov.tw") -> MailTransaction:
    t = MailTransaction(sender=sender, recipients=recipients, macros={"i": queue_id})
    for name, value in [("From", sender), ("To", ", ".join(recipients)), ("Subject", "公文"),
                        ("Content-Type", "text/plain; charset=utf-8"), ("Content-Transfer-Encoding", "8bit")]:
        t.add_header(name, value.encode())
    t.add_body(body.replace("\n", "\r\n").encode())
    return t


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def gateway(store, scanner, tmp_path):  # type: ignore[no-untyped-def]
    history = DestinationHistory(store, SALT)
    recorder = IncidentRecorder(store, node="mx1", history=history)
    return MailGateway(LocalDecider(scanner, history=history), AuditLog(tmp_path / "audit.jsonl"),
                       GatewayConfig(audit_salt=SALT), recorder=recorder)


async def test_a_held_mail_is_an_incident_with_the_store_s_id_and_its_queue_id(gateway, store, tmp_path):
    reply = await gateway(txn(ROSTER, ["friend@gmail.com"], "4XQ7Z1A2B3"))
    assert isinstance(reply.final, Accept) and isinstance(reply.edits[-1], Quarantine)
    (rec,) = records(tmp_path / "audit.jsonl")
    incident = store.get(rec["incident_id"])
    assert is_incident_id(rec["incident_id"]) and rec["incident_id"] in reply.edits[-1].reason
    assert incident["queue_id"] == "4XQ7Z1A2B3" and incident["channel"] == "mail" and incident["endpoint"] == "milter"
    assert incident["action"] == "quarantine" and incident["quarantine_state"] == "held" and incident["node"] == "mx1"
    assert incident["audit_seq"] == rec["seq"] and incident["sender_masked"] == "c***@hl.gov.tw"
    assert {f["type"] for f in store.findings(rec["incident_id"])} >= {"TW_NATIONAL_ID"}
    stored = database_text(store)
    assert not [raw for raw in RAW if raw in stored]


async def test_allowed_mails_feed_the_history_and_a_first_time_recipient_is_warned(gateway, store, tmp_path):
    history = gateway.recorder.history
    for i in range(25):
        reply = await gateway(txn(ROSTER if i % 3 == 0 else "明天開會", ["chen.wei@hl.gov.tw"], f"AB{i:04d}CD"))
        assert isinstance(reply.final, Accept)
    assert history.counts()["history_destinations"] >= 1
    assert store.count(IncidentFilter()) == 0
    reply = await gateway(txn(ROSTER, ["lin.mei@hl.gov.tw"], "FT0001XY"))
    rec = records(tmp_path / "audit.jsonl")[-1]
    assert rec["action"] == "warn" and rec["misdirection"]["signals"][0]["evidence"] == ["first_time"]
    incident = store.get(rec["incident_id"])
    assert incident["action"] == "warn" and incident["queue_id"] == "FT0001XY"
    assert any("首次" in r or "第一次" in r for r in incident["reasons"]), incident["reasons"]
    assert not [raw for raw in RAW if raw in database_text(store)]


async def test_a_store_that_cannot_be_written_is_451_never_an_accept(gateway, store, tmp_path):
    with store.engine.begin() as conn:
        conn.execute(text("DROP TABLE incident_findings"))
    reply = await gateway(txn(ROSTER, ["friend@gmail.com"], "DEAD0001"))
    assert isinstance(reply.final, ReplyCode) and bytes(reply.final.content).startswith(b"451 4.7.1 ")
    assert not reply.edits
    tempfail = records(tmp_path / "audit.jsonl")[-1]
    assert tempfail["event"] == "milter_tempfail" and tempfail["cause"] == "incident_store_unavailable"
