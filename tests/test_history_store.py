"""The destination history in the incident store, against SQLite and the real PostgreSQL: lookups and
learning around real scans, what is learned (and what never is), retention, forgetting, the audit
import, membership changes; and that the history tables hold no raw address or content."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from dlp import Conversation, Message, Scanner
from dlp.audit import decision_record as decision_fields
from dlp.store import IncidentRecorder, IncidentStore
from dlp.store.history import TABLES, DestinationHistory
from dlp.store.history_import import import_records
from dlp.store.history_keys import SaltError

SALT = "history-test-salt-0123456789"
DAY = date(2025, 3, 3)
ROSTER = "社會救助名冊：陳美玲 身分證字號 F235071300，林志明 D104553971"
RAW = ["clerk@hl.gov.tw", "chen.wei@hl.gov.tw", "lin.mei@hl.gov.tw", "chen.wei@gmail.com", "partner@example.com",
       "C1234567890abcdef", "第三分局全體同仁", "F235071300", "D104553971", "陳美玲", "林志明", "社會救助名冊",
       "clerk", "chen.wei", "lin.mei", "partner"]


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    return Scanner()


@pytest.fixture
def history(store):  # type: ignore[no-untyped-def]
    return DestinationHistory(store, SALT)


def decide(history: DestinationHistory, scanner: Scanner, message: Message, day: date = DAY,
           recorder: IncidentRecorder | None = None):  # type: ignore[no-untyped-def]
    """What a gateway does around one decision: look up, scan with the facts, record (which learns)."""
    lookup = history.lookup(message, scanner.policy, today=day)
    report = scanner.scan(message, history=lookup.facts)
    fields = decision_fields(request_id=f"r{day}", key_id="gw", endpoint="/v1/scan", message=message, report=report,
                             patterns_version=scanner.packset.version, salt=SALT)
    rec = recorder or IncidentRecorder(history.store, node="n1", history=history)
    rec.audit_and_record(fields, message, report, lambda f: {**f, "seq": 1}, history=lookup)
    return report, fields


def mail(text: str, *to: str, sender: str = "clerk@hl.gov.tw") -> Message:
    return Message(text=text, channel="mail", sender=sender, recipients=list(to))


def history_text(store: IncidentStore) -> str:
    parts = []
    with store.engine.connect() as conn:
        for name in TABLES:
            for row in conn.execute(select(store.meta.tables[name])):
                parts.extend(str(v) for v in row)
    return "\n".join(parts)


def test_the_history_needs_the_audit_salt(store) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SaltError):
        DestinationHistory(store, "")
    with pytest.raises(SaltError):
        DestinationHistory(store, "short")


def test_habits_are_learned_and_a_first_time_recipient_is_warned(history, scanner) -> None:  # type: ignore[no-untyped-def]
    for i in range(25):
        decide(history, scanner, mail(ROSTER if i % 3 == 0 else "明天開會", "chen.wei@hl.gov.tw"), DAY + timedelta(days=i))
    report, fields = decide(history, scanner, mail(ROSTER, "chen.wei@hl.gov.tw"), DAY + timedelta(days=30))
    assert report.action == "allow" and report.misdirection["history"] == "used"
    report, fields = decide(history, scanner, mail(ROSTER, "lin.mei@hl.gov.tw"), DAY + timedelta(days=31))
    assert report.action == "warn"
    assert [s["signal"] for s in report.misdirection["signals"]] == ["first_time"]
    # the audit record carries the signals, without the destination
    assert fields["misdirection"]["signals"][0]["evidence"] == ["first_time"]
    assert "lin.mei" not in json.dumps(fields["misdirection"], ensure_ascii=False)
    # learned (warn is delivered): next time it is known
    report, _ = decide(history, scanner, mail(ROSTER, "lin.mei@hl.gov.tw"), DAY + timedelta(days=32))
    assert report.misdirection["signals"] == []


def test_blocked_and_held_messages_are_not_learned(history, scanner) -> None:  # type: ignore[no-untyped-def]
    decide(history, scanner, mail(ROSTER, "chen.wei@gmail.com"))           # personal webmail + IDs: quarantine
    decide(history, scanner, mail("機密\n\n作戰計畫", "chen.wei@hl.gov.tw"))  # 機密: block
    assert history.counts()["history_destinations"] == 0
    decide(history, scanner, mail("明天開會", "chen.wei@hl.gov.tw"))
    assert history.counts()["history_destinations"] == 1


def test_the_history_is_the_sender_s_own(history, scanner) -> None:  # type: ignore[no-untyped-def]
    for i in range(25):
        decide(history, scanner, mail("明天開會", "chen.wei@hl.gov.tw", sender="boss@hl.gov.tw"), DAY + timedelta(days=i))
    lookup = history.lookup(mail(ROSTER, "chen.wei@hl.gov.tw"), scanner.policy, today=DAY + timedelta(days=30))
    assert lookup.facts.sender_messages == 0  # clerk has no history; boss's habits are boss's
    assert lookup.facts.destinations["chen.wei@hl.gov.tw"].by_anyone.messages == 25


def test_retention_ignores_then_deletes_whole_old_months(history, scanner) -> None:  # type: ignore[no-untyped-def]
    retention = scanner.policy.config.misdirection.retention_days
    today = date(2025, 3, 1)
    lookup = history.lookup(mail("明天開會", "chen.wei@hl.gov.tw"), scanner.policy, today=date(2024, 1, 15))
    history.add(lookup.keys, date(2024, 1, 15))   # an old month (add itself never prunes)
    history.add(lookup.keys, date(2025, 2, 10))
    lookup = history.lookup(mail("x", "chen.wei@hl.gov.tw"), scanner.policy, today=today)
    assert lookup.facts.sender_messages == 1  # January 2024 is past retention: ignored already
    deleted = history.prune(retention, today)
    assert deleted["history_senders"] == 1 and deleted["history_destinations"] == 1
    assert history.counts()["history_senders"] == 1
    # learning prunes by itself, once a day
    history.add(lookup.keys, date(2024, 1, 15))
    decide(history, scanner, mail("明天開會", "chen.wei@hl.gov.tw"), today)
    assert history.counts()["history_senders"] == 2  # February and March 2025


def test_forget_deletes_a_person_as_sender_and_as_recipient(history, scanner) -> None:  # type: ignore[no-untyped-def]
    decide(history, scanner, mail("明天開會", "chen.wei@hl.gov.tw"))
    decide(history, scanner, mail("收到", "clerk@hl.gov.tw", sender="chen.wei@hl.gov.tw"))
    decide(history, scanner, mail("收到", "lin.mei@hl.gov.tw", sender="chen.wei@hl.gov.tw"))
    shown = history.show("Chen.Wei@HL.gov.tw")
    assert sum(m["messages"] for m in shown["months"]) == 2 and shown["received_messages"] == 1
    counts = history.forget("chen.wei@hl.gov.tw")
    assert counts == {"sender_months": 1, "sent_to": 2, "received_from": 1, "address": 1}
    assert history.show("chen.wei@hl.gov.tw")["months"] == []
    assert history.lookup(mail("x", "chen.wei@hl.gov.tw"), scanner.policy, today=DAY).facts.destinations[
        "chen.wei@hl.gov.tw"].by_anyone.messages == 0
    # forgetting by hash works too (what an investigator has from the audit trail)
    [h] = history.hashes_of("clerk@hl.gov.tw")
    assert history.forget(h)["sender_months"] == 1


def test_import_from_the_audit_trail_bootstraps_once(history, scanner) -> None:  # type: ignore[no-untyped-def]
    records = []
    for i in range(30):
        message = mail(ROSTER if i % 2 else "明天開會", "chen.wei@hl.gov.tw")
        report = scanner.scan(message)
        rec = decision_fields(request_id=f"r{i}", key_id="gw", endpoint="/v1/scan", message=message, report=report,
                              patterns_version="v", salt=SALT)
        rec.update(seq=i + 1, time=f"2025-02-{1 + i % 27:02d}T09:00:00.000Z")
        records.append(rec)
    records.append({"event": "reload", "seq": 31, "time": "2025-02-28T09:00:00.000Z"})
    first = import_records(history, records, scanner.policy, "node-a", today=DAY)
    assert (first.imported, first.not_decisions, first.last_seq) == (30, 1, 31)
    again = import_records(history, records, scanner.policy, "node-a", today=DAY)
    assert (again.imported, again.already_imported) == (0, 31)
    lookup = history.lookup(mail(ROSTER, "chen.wei@hl.gov.tw"), scanner.policy, today=DAY)
    usage = lookup.facts.destinations["chen.wei@hl.gov.tw"].by_sender
    assert (lookup.facts.sender_messages, usage.messages, usage.identifier_messages) == (30, 30, 15)
    assert lookup.facts.sender_domains == {"hl.gov.tw": 30}
    # decisions the live recorder learned are never counted again by an import
    decide(history, scanner, mail("明天開會", "chen.wei@hl.gov.tw"))
    late = dict(records[0], seq=100, time="2099-01-01T00:00:00.000Z")
    assert import_records(history, [late], scanner.policy, "node-a", today=DAY).learned_live == 1


def test_outsiders_joining_a_group_are_remembered(history, scanner) -> None:  # type: ignore[no-untyped-def]
    group = Conversation(id="C1234567890abcdef", name="第三分局全體同仁", members=10, external_members=0, registered=False)
    decide(history, scanner, Message(text="明天開會", channel="chat", sender="clerk@hl.gov.tw", conversation=group), DAY)
    history.note_membership("C1234567890abcdef", 13, 3, DAY + timedelta(days=2))  # the proxy saw three join
    grown = Conversation(id="C1234567890abcdef", name="第三分局全體同仁", members=13, external_members=3)
    lookup = history.lookup(Message(text="", channel="chat", sender="clerk@hl.gov.tw", conversation=grown), scanner.policy,
                            today=DAY + timedelta(days=5))
    assert lookup.facts.conversation.external_increased_on == DAY + timedelta(days=2)


def test_a_shadow_row_lands_in_the_shadow_hits_table(store, scanner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import yaml

    doc = yaml.safe_load((Path(__file__).resolve().parents[1] / "patterns" / "policy.yaml").read_text(encoding="utf-8"))
    for row in doc["misdirection"]["rules"]:
        row["mode"] = "shadow"
    (tmp_path / "policy.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    shadow = Scanner(policy_path=tmp_path / "policy.yaml")
    history = DestinationHistory(store, SALT)
    report, _ = decide(history, shadow, mail("明天開會資料如附", "chen@hl-gov.tw"))
    assert report.action == "allow"
    with store.engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(select(store.shadow_t))]
    assert [(r["rule"], r["enforced_action"], r["would_action"]) for r in rows] == [("misdirection-lookalike", "allow", "warn")]


def test_the_history_tables_hold_no_raw_address_or_content(store, scanner) -> None:  # type: ignore[no-untyped-def]
    history = DestinationHistory(store, SALT)
    group = Conversation(id="C1234567890abcdef", name="第三分局全體同仁", members=200, registered=True)
    for i in range(22):
        decide(history, scanner, mail("明天開會", "chen.wei@hl.gov.tw", "lin.mei@hl.gov.tw"), DAY + timedelta(days=i))
    decide(history, scanner, mail(ROSTER, "chen.wei@hl.gov.tw", "partner@example.com"), DAY + timedelta(days=23))
    decide(history, scanner, mail(ROSTER, "chen.wei@gmail.com"), DAY + timedelta(days=23))
    decide(history, scanner, Message(text="今天聚餐", channel="chat", sender="clerk@hl.gov.tw", conversation=group),
           DAY + timedelta(days=24))
    decide(history, scanner, Message(text="密\n\n" + ROSTER, channel="chat", sender="clerk@hl.gov.tw", conversation=group),
           DAY + timedelta(days=25))
    assert min(history.counts()[t] for t in ("history_senders", "history_destinations", "history_local_parts",
                                             "history_conversations")) > 0
    text = history_text(store)
    leaked = [raw for raw in RAW if raw.lower() in text.lower()]
    assert leaked == [], f"raw values in the history tables ({store.dialect}): {leaked}"
    # domains are kept (they are not personal), so the look-alike check can use them
    assert "hl.gov.tw" in text and "example.com" in text


def test_lookup_of_many_recipients_is_chunked(history, scanner) -> None:  # type: ignore[no-untyped-def]
    many = [f"user{i}@hl.gov.tw" for i in range(1200)]
    decide(history, scanner, mail("公告", *many))
    lookup = history.lookup(mail("公告", *many), scanner.policy, today=DAY + timedelta(days=1))
    assert len(lookup.facts.destinations) == 1200
    assert all(d.by_sender.messages == 1 for d in lookup.facts.destinations.values())


def test_learn_counts_once_per_lookup(history, scanner) -> None:  # type: ignore[no-untyped-def]
    message = mail("明天開會", "chen.wei@hl.gov.tw")
    lookup = history.lookup(message, scanner.policy, today=DAY)
    report = scanner.scan(message, history=lookup.facts)
    assert lookup.learn(report) is True and lookup.learn(report) is False
    assert lookup.learn(SimpleNamespace(action="allow", misdirection=report.misdirection)) is False
    assert history.show("clerk@hl.gov.tw")["months"][0]["messages"] == 1
