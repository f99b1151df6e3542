"""The store's per-decision write (``dlp.store.prepared_insert``, issue 14) stores exactly the rows
SQLAlchemy Core's ``insert`` stores, on SQLite and on the real PostgreSQL, and fails as it does."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Text, cast, insert, select, text

from dlp import Message
from dlp.audit import decision_record
from dlp.store import IncidentRecorder, IncidentStore, StoreError, new_incident_id
from dlp.store.recorder import finding_rows, incident_row, shadow_rows
from tests.store_support import postgres_database, store, store_url  # noqa: F401 - fixtures

SALT = "test-salt-0123456789"
ROSTER = "名冊：王小明 A123456789 電話 0912-345-678；陳美玲 F235071300，住址 花蓮市府前路17號。"


def _rows(scanner, message: Message, incident_id: str) -> tuple[dict, list[dict], list[dict]]:
    report = scanner.scan(message)
    record = decision_record(request_id="req-1", key_id="gw", endpoint="/v1/scan", message=message, report=report, salt=SALT)
    record.update(incident_id=incident_id, seq=7, hash="ab" * 32)
    incident = incident_row(incident_id, record, message, report, node="node-a", queue_id="Q1234567")
    return incident, finding_rows(report.findings), shadow_rows(record, report, incident_id, message.channel)


def _stored(store_obj: IncidentStore, incident_id: str) -> tuple[list, list]:
    """Every column as the database holds it (as text, so JSON and times are compared as stored)."""
    inc, fin = store_obj.incidents, store_obj.findings_t
    with store_obj.engine.connect() as conn:
        a = conn.execute(select(*[cast(c, Text) for c in inc.c if c.name != "id"]).where(inc.c.id == incident_id)).all()
        b = conn.execute(select(*[cast(c, Text) for c in fin.c if c.name not in ("id", "incident_id")])
                         .where(fin.c.incident_id == incident_id).order_by(fin.c.position)).all()
    return [tuple(r) for r in a], [tuple(r) for r in b]


def _core_insert(store_obj: IncidentStore, incident: dict, findings: list[dict]) -> None:
    with store_obj.engine.begin() as conn:
        conn.execute(insert(store_obj.incidents), [incident])
        if findings:
            conn.execute(insert(store_obj.findings_t), [{**f, "incident_id": incident["id"]} for f in findings])


def test_a_decision_is_stored_as_sqlalchemy_core_stores_it(store, scanner):  # noqa: F811
    message = Message(text=ROSTER, channel="mail", sender="王小明 <clerk@hl.gov.tw>", recipients=["partner@example.com"])
    incident, findings, _ = _rows(scanner, message, new_incident_id())
    assert len(findings) >= 3 and incident["conversation"] is None and incident["pair_key"] is None
    fast_id, core_id = new_incident_id(), new_incident_id()
    store.add_decision({**incident, "id": fast_id}, findings, [])
    _core_insert(store, {**incident, "id": core_id}, findings)
    fast, core = _stored(store, fast_id), _stored(store, core_id)
    assert fast == core and len(fast[0]) == 1 and len(fast[1]) == len(findings)
    assert store.get(fast_id)["recipients"] == incident["recipients"]  # JSON back as it went in


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(reasons=st.lists(st.text(st.characters(exclude_categories=("Cs",)), max_size=30), max_size=4),
       conversation=st.none() | st.dictionaries(st.text(max_size=5).filter(lambda s: "\x00" not in s),
                                                st.integers(-2**40, 2**40) | st.booleans() | st.none(), max_size=3),
       overridden=st.booleans(), score=st.floats(0, 1), when=st.datetimes(datetime(2000, 1, 1), datetime(2100, 1, 1)))
def test_odd_values_are_stored_alike_by_both_paths(store, scanner, reasons, conversation, overridden, score, when):  # noqa: F811
    if store.dialect == "postgresql":  # PostgreSQL's text and JSON take no NUL character
        reasons = [r.replace("\x00", "") for r in reasons]
    message = Message(text="身分證 A123456789", channel="chat", sender="u1")
    incident, findings, _ = _rows(scanner, message, new_incident_id())
    incident.update(reasons=reasons, conversation=conversation, overridden=overridden, created_at=when,
                    release_requested_at=when)
    findings = [{**f, "score": round(score, 3), "excerpt": "".join(reasons)[:50]} for f in findings]
    fast_id, core_id = new_incident_id(), new_incident_id()
    store.add_decision({**incident, "id": fast_id}, findings, [])
    _core_insert(store, {**incident, "id": core_id}, findings)
    assert _stored(store, fast_id) == _stored(store, core_id)


def test_shadow_hits_go_in_with_the_decision_and_rows_of_other_shapes_answer_as_before(store):  # noqa: F811
    now = datetime(2026, 12, 2, 1, 2, 3, 456000)
    base = {"time": now, "request_id": "r1", "incident_id": None, "channel": "chat", "rule": "trial-rule",
            "suppressed_by": None, "enforced_action": "allow", "would_action": "warn"}
    store.add_decision(None, [], [base, {**base, "request_id": "r2"}])
    odd = {k: v for k, v in base.items() if k != "suppressed_by"}  # a row without one column
    assert not store._inserts.supports(store.shadow_t, [base, odd])
    assert not store._inserts.supports(store.shadow_t, [{**base, "bogus": 1}])
    with pytest.raises(StoreError, match="事件資料庫無法寫入"):  # SQLAlchemy's answer, as before
        store.add_decision(None, [], [{**base, "request_id": "r3"}, {**odd, "request_id": "r4"}])
    store.add_decision(None, [], [{**base, "request_id": "r5", "bogus": 1}])  # SQLAlchemy's path: the key is ignored
    with store.engine.connect() as conn:
        got = conn.execute(select(store.shadow_t.c.request_id, store.shadow_t.c.time).order_by(store.shadow_t.c.id)).all()
    assert [r[0] for r in got] == ["r1", "r2", "r5"] and got[0][1] == now


def test_a_failed_write_is_a_store_error_and_leaves_nothing_half_written(store, scanner):  # noqa: F811
    message = Message(text=ROSTER, channel="mail", sender="clerk@hl.gov.tw", recipients=["partner@example.com"])
    incident, findings, _ = _rows(scanner, message, new_incident_id())
    with store.engine.begin() as conn:
        conn.execute(text("ALTER TABLE incident_findings RENAME TO incident_findings_away"))
    with pytest.raises(StoreError, match="事件資料庫無法寫入"):
        store.add_decision(incident, findings, [])
    with store.engine.begin() as conn:
        conn.execute(text("ALTER TABLE incident_findings_away RENAME TO incident_findings"))
    assert store.get(incident["id"]) is None  # the incident went back with its findings
    store.add_decision(incident, findings, [])  # the pooled connections still work
    assert store.get(incident["id"])["finding_count"] == incident["finding_count"]
    assert _stored(store, incident["id"])[1] and len(store.findings(incident["id"])) == len(findings)


def test_a_duplicate_id_is_refused_by_the_database_as_before(store, scanner):  # noqa: F811
    message = Message(text="身分證 A123456789", channel="chat", sender="u1")
    incident, findings, _ = _rows(scanner, message, new_incident_id())
    store.add_decision(incident, findings, [])
    with pytest.raises(StoreError, match="事件資料庫無法寫入"):
        store.add_decision(incident, findings, [])
    assert len(store.findings(incident["id"])) == len(findings)


def test_a_lost_postgresql_connection_is_replaced(scanner):
    with postgres_database() as url:
        _lose_connections_and_write(IncidentStore.open(url), scanner)


def _lose_connections_and_write(s: IncidentStore, scanner) -> None:
    try:
        message = Message(text="身分證 A123456789", channel="chat", sender="u1")
        first, findings, _ = _rows(scanner, message, new_incident_id())
        s.add_decision(first, findings, [])
        with s.engine.connect() as conn:  # a server restart, as the pooled connections see it
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
        second = {**first, "id": new_incident_id()}
        s.add_decision(second, findings, [])
        assert s.get(second["id"]) is not None
    finally:
        s.close()


def test_the_recorder_writes_the_incident_through_the_prepared_path(store, scanner):  # noqa: F811
    message = Message(text=ROSTER, channel="mail", sender="clerk@hl.gov.tw", recipients=["partner@example.com"])
    report = scanner.scan(message)
    fields = decision_record(request_id="req-9", key_id="gw", endpoint="/v1/scan", message=message, report=report, salt=SALT)
    extra = IncidentRecorder(store, node="n").audit_and_record(fields, message, report, lambda f: {**f, "seq": 1, "hash": "cd" * 32})
    assert store._inserts._compiled  # the statements were compiled once and used
    assert store.get(extra["incident_id"])["audit_seq"] == 1


# -- WAL checkpoints off the deciding thread (dlp.store.checkpoint) ----------------------------


def test_sqlite_checkpoints_run_in_the_stores_thread_and_leave_nothing_behind(tmp_path, scanner):
    import time

    from dlp.store.checkpoint import BACKSTOP_PAGES, EVERY_COMMITS

    s = IncidentStore.open(f"sqlite:///{tmp_path / 'incidents.sqlite3'}")
    try:
        with s.engine.connect() as conn:  # a decision's commit no longer checkpoints at SQLite's 1,000 pages
            assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == BACKSTOP_PAGES
        message = Message(text=ROSTER, channel="mail", sender="clerk@hl.gov.tw", recipients=["partner@example.com"])
        incident, findings, _ = _rows(scanner, message, new_incident_id())
        n = EVERY_COMMITS + 6
        for _ in range(n):
            s.add_decision({**incident, "id": new_incident_id()}, findings, [])
        deadline = time.monotonic() + 20
        while s.checkpoints.runs < 2 and time.monotonic() < deadline:  # one at the count, one for the rest
            time.sleep(0.05)
        assert s.checkpoints.runs >= 2
        busy, frames, copied = s.checkpoints.last
        assert busy == 0 and frames == copied  # every frame of the log is in the database file
        thread = s.checkpoints._thread
        assert thread is not None and thread.name == "dlp-store-checkpoint" and thread.is_alive()
    finally:
        s.close()
    assert not thread.is_alive()  # close() stops it
    again = IncidentStore.open(f"sqlite:///{tmp_path / 'incidents.sqlite3'}")
    from dlp.store.filters import IncidentFilter

    assert again.count(IncidentFilter()) == n
    again.close()


def test_only_an_sqlite_file_has_a_checkpointer(store):  # noqa: F811
    assert (store.checkpoints is not None) == (store.dialect == "sqlite")
