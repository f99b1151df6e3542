"""The incident store against SQLite and a real PostgreSQL: migrations, recording, queries,
triage, statistics, overrides, accounts; and that nothing raw ever reaches the database."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update
from store_support import database_text, postgres_database

from dlp import Message, Scanner
from dlp.audit import decision_record as decision_fields
from dlp.store import IncidentRecorder, IncidentStore, StoreError, is_incident_id
from dlp.store.accounts import AccountError, Accounts
from dlp.store.filters import FilterError, IncidentFilter
from dlp.store.stats import rule_stats
from dlp.store.store import utcnow

REPO = Path(__file__).resolve().parents[1]
ROSTER = (REPO / "samples" / "03-roster.txt").read_text(encoding="utf-8")
RAW_VALUES = ["F235071300", "D104553971", "陳美玲", "林志明", "0933-123-456", "府前路17號", "clerk@hl.gov.tw",
              "partner@example.com", "王小明"]
SALT = "test-salt-0123456789"


@pytest.fixture(scope="module")
def scanner_with_shadow(tmp_path_factory):
    """The bundled packs plus one shadow rule (0800 numbers), to see would-have decisions."""
    import shutil

    d = tmp_path_factory.mktemp("packs")
    for p in (REPO / "patterns").glob("*.yaml"):
        shutil.copy(p, d)
    (d / "trial.yaml").write_text(
        "pack: {name: trial, version: 1}\nrules:\n"
        "  - id: trial-case-number\n    type: TW_DOCUMENT_NUMBER\n    mode: shadow\n"
        "    regex: '案號(?P<value>[0-9]{6})'\n"
        "    examples: {match: ['案號123456'], no_match: ['案號12']}\n", encoding="utf-8")
    return Scanner(patterns_dir=d)


def _decide(store_obj, scanner, message: Message, request_id: str = "req-1", **kw):
    report = scanner.scan(message)
    fields = decision_fields(request_id=request_id, key_id="gw", endpoint="/v1/scan", message=message, report=report,
                             patterns_version=scanner.packset.version, salt=SALT)
    written: list[dict] = []

    def write(f):
        rec = {**f, "seq": len(written), "hash": "ab" * 32}
        written.append(rec)
        return rec

    extra = IncidentRecorder(store_obj, node="node-a").audit_and_record(fields, message, report, write, **kw)
    return report, extra, written[-1]


def roster(sender="clerk@hl.gov.tw", to="partner@example.com", text=ROSTER) -> Message:
    return Message(text=text, channel="mail", sender=sender, recipients=[to], subject="名冊")


def test_migrations_make_the_schema_once_and_again_is_a_no_op(store_url):
    a = IncidentStore.open(store_url)
    b = IncidentStore.open(store_url)  # a second node starting later
    from dlp.store.db import MIGRATIONS

    head = max(p.name.split("_")[0] for p in (MIGRATIONS / "versions").glob("0*.py"))  # the latest migration
    assert a.revision == b.revision == head
    assert {"incidents", "incident_findings", "incident_events", "overrides", "shadow_hits", "users", "sessions",
            "alembic_version"} <= set(a.meta.tables)
    a.close()
    b.close()


def test_the_head_revision_constant_is_alembics_head() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from dlp.store.db import HEAD_REVISION, MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD_REVISION  # a new migration: update it


def test_a_store_at_the_head_opens_without_alembic_and_an_older_one_is_migrated(store_url) -> None:
    import subprocess
    import sys

    from sqlalchemy import text

    from dlp.store.db import HEAD_REVISION, make_engine

    IncidentStore.open(store_url).close()  # made and migrated
    probe = ("import sys; from dlp.store import IncidentStore; s = IncidentStore.open(sys.argv[1]); "
             "print(s.revision, any(m == 'alembic' or m.startswith('alembic.') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe, store_url], capture_output=True, text=True, check=True).stdout.split()
    assert out == [HEAD_REVISION, "False"]
    from alembic import command
    from alembic.config import Config

    from dlp.store.db import MIGRATIONS

    engine = make_engine(store_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:  # as if the database predated the newest migration
        config.attributes["connection"] = conn
        command.downgrade(config, "0001")
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0001"
    engine.dispose()
    out = subprocess.run([sys.executable, "-c", probe, store_url], capture_output=True, text=True, check=True).stdout.split()
    assert out == [HEAD_REVISION, "True"]  # Alembic was needed, and ran
    again = IncidentStore.open(store_url)
    assert again.revision == HEAD_REVISION and "history_local_parts" in again.meta.tables
    again.close()


def test_nodes_starting_together_migrate_without_racing(store_url):
    errors: list[BaseException] = []
    opened: list[IncidentStore] = []

    def start():
        try:
            opened.append(IncidentStore.open(store_url))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(opened) == 4
    for s in opened:
        s.close()


def test_unreachable_or_unknown_database_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="只支援 sqlite 與 postgresql"):
        IncidentStore.open("mysql://x@localhost/db")
    with pytest.raises(StoreError, match="無法連上事件資料庫") as info:
        IncidentStore.open("postgresql://nobody:secret-pw@127.0.0.1:1/none")
    assert "secret-pw" not in str(info.value)


def test_a_quarantined_roster_becomes_an_incident_with_masked_parts_only(store, scanner):
    report, extra, record = _decide(store, scanner, roster())
    assert report.action == "quarantine"
    iid = extra["incident_id"]
    assert is_incident_id(iid) and record["incident_id"] == iid
    inc = store.get(iid)
    assert inc["action"] == "quarantine" and inc["secrecy_level"] == "restricted"
    assert inc["channel"] == "mail" and inc["destination"] == "external_mail" and inc["destination_label"]
    assert inc["sender_masked"] == "c***@hl.gov.tw" and len(inc["sender_sha256"]) == 64
    assert inc["recipients"][0]["masked"] == "p***@example.com"
    assert inc["quarantine_state"] == "held" and inc["status"] == "open"
    assert inc["audit_seq"] == 0 and inc["audit_hash"] == "ab" * 32 and inc["request_id"] == "req-1"
    assert inc["types"]["TW_NATIONAL_ID"] == 2 and inc["rules"]
    assert inc["reasons"] == report.reasons
    findings = store.findings(iid)
    assert [f["type"] for f in findings] == [f.type for f in report.findings]
    assert all("*" in f["excerpt"] for f in findings if f["type"] == "TW_NATIONAL_ID")
    text = database_text(store)
    for raw in RAW_VALUES:
        assert raw not in text, raw


def test_sqlite_file_itself_holds_no_raw_value(tmp_path, scanner):
    s = IncidentStore.open(f"sqlite:///{tmp_path / 'i.sqlite3'}")
    _decide(s, scanner, roster())
    s.close()
    blob = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("i.sqlite3"))
    assert blob  # the database and its WAL
    for raw in RAW_VALUES:
        assert raw.encode("utf-8") not in blob, raw


def test_allow_decisions_make_no_incident(store, scanner):
    _, extra, record = _decide(store, scanner, Message(text="明天開會", recipients=["a@hl.gov.tw"]))
    assert "incident_id" not in extra and "incident_id" not in record
    assert store.count(IncidentFilter()) == 0


def test_queue_filters_and_counts(store, scanner):
    _decide(store, scanner, roster(), "r1")
    _decide(store, scanner, Message(text="密\n本案請於本週完成", recipients=["x@example.com"], sender="clerk@hl.gov.tw"), "r2")
    _decide(store, scanner, Message(text="身分證字號 D104553971", channel="chat", sender="officer01"), "r3")
    assert store.count(IncidentFilter()) == 3
    assert store.count(IncidentFilter(action="block")) == 1
    assert store.count(IncidentFilter(level="official_secret")) == 1
    assert store.count(IncidentFilter(channel="chat")) == 1
    assert store.count(IncidentFilter(type="TW_NATIONAL_ID")) == 2
    assert store.count(IncidentFilter(rule="no-such-rule")) == 0
    assert store.count(IncidentFilter(since=utcnow() + timedelta(days=1))) == 0
    assert store.count(IncidentFilter(until=utcnow() + timedelta(days=1))) == 3
    facets = store.facets(IncidentFilter())
    assert facets["action"]["quarantine"] == 1 and facets["action"]["block"] == 1 and facets["status"]["open"] == 3
    newest_first = store.query(IncidentFilter(), limit=2)
    assert len(newest_first) == 2 and newest_first[0]["created_at"] >= newest_first[1]["created_at"]


def test_filter_params_are_validated():
    f = IncidentFilter.from_params({"action": "block", "since": "2025-03-01", "until": "2025-03-02", "rule": ""})
    assert f.action == "block" and f.rule is None and f.to_params() == {"since": "2025-03-01", "until": "2025-03-02", "action": "block"}
    with pytest.raises(FilterError, match="action"):
        IncidentFilter.from_params({"action": "explode"})
    with pytest.raises(FilterError, match="YYYY-MM-DD"):
        IncidentFilter.from_params({"since": "yesterday"})


def test_triage_and_rule_statistics(store, scanner):
    _, extra, _ = _decide(store, scanner, roster())
    iid = extra["incident_id"]
    ids = [f["id"] for f in store.findings(iid) if f["type"] == "TW_NATIONAL_ID"]
    store.triage(iid, "false_positive", "測試資料", "amy", ids[:1])
    inc = store.get(iid)
    assert inc["status"] == "false_positive" and inc["triaged_by"] == "amy" and inc["triage_reason"] == "測試資料"
    events = store.events(iid)
    assert events[-1]["event"] == "triage" and events[-1]["detail"]["verdict"] == "false_positive"
    stats = {s.rule: s for s in rule_stats(store)}
    rule = next(f["rule"] for f in store.findings(iid) if f["type"] == "TW_NATIONAL_ID")
    assert stats[rule].hits == 2 and stats[rule].incidents == 1 and stats[rule].false_positive == 1
    assert stats[rule].false_positive_rate == 1.0  # one of one triaged hit
    with pytest.raises(ValueError):
        store.triage(iid, "maybe", "x", "amy")


def test_shadow_rules_would_have_decisions_are_recorded_even_for_allow(store, scanner_with_shadow):
    report, extra, record = _decide(store, scanner_with_shadow, Message(text="請查案號123456", recipients=["a@gmail.com"]))
    assert report.action == "allow" and "incident_id" not in extra
    assert any(f.shadow and f.rule == "trial-case-number" for f in report.findings)
    assert report.shadow_decisions and all(d["shadow"] for d in report.shadow_decisions)
    assert record["shadow_decisions"] == report.shadow_decisions  # in the audit record
    stats = {s.rule: s for s in rule_stats(store)}["trial-case-number"]
    assert stats.shadow_hits == 1 and stats.would_actions == {"warn": 1} and stats.stricter == 1


def test_queue_ids_and_quarantine_states(store, scanner):
    _, extra, _ = _decide(store, scanner, roster(), queue_id="4F2A1B3C9D")
    iid = extra["incident_id"]
    assert store.get(iid)["queue_id"] == "4F2A1B3C9D"
    assert store.set_quarantine(iid, "release_pending", "bob", "release_requested", {}, expect=["held"], release_requested_by="bob")
    assert not store.set_quarantine(iid, "release_pending", "eve", "release_requested", {}, expect=["held"])
    assert store.get(iid)["release_requested_by"] == "bob"


# -- overrides -------------------------------------------------------------------------------


def _warned(store_obj, scanner):
    msg = Message(text="身分證字號 D104553971", recipients=["partner@example.com"], sender="clerk@hl.gov.tw")
    report, extra, _ = _decide(store_obj, scanner, msg)
    assert report.action == "warn"
    return msg, extra["incident_id"]


def test_an_override_with_justification_is_accepted_and_recorded(store, scanner):
    msg, iid = _warned(store, scanner)
    review = scanner.policy.config.review
    report, extra, record = _decide(store, scanner, msg, "r2", override={"incident_id": iid.lower(),
                                    "justification": "合作廠商需要核對承辦人 D104553971 的資料"}, review=review, redact=scanner.redact)
    assert extra["override"]["accepted"] and extra["action"] == "allow" and report.action == "allow"
    assert "incident_id" not in extra  # the allowed resend is no new incident
    assert record["override"]["incident_id"] == iid and "D104553971" not in record["override"]["justification"]
    rows = store.overrides(iid)
    assert rows[0]["accepted"] and rows[0]["original_action"] == "warn" and "D104553971" not in rows[0]["justification"]
    assert store.get(iid)["overridden"]


@pytest.mark.parametrize("change, refusal", [
    ({"text": "身分證字號 F235071300"}, "內容與原事件不同"),
    ({"sender": "other@hl.gov.tw"}, "寄件者與原事件不同"),
    ({"justification": "短"}, "至少"),
    ({"incident_id": "DLP-20250101-0000000000"}, "找不到"),
])
def test_overrides_that_do_not_fit_are_refused(store, scanner, change, refusal):
    msg, iid = _warned(store, scanner)
    again = Message(text=change.get("text", msg.text), recipients=msg.recipients, sender=change.get("sender", msg.sender))
    override = {"incident_id": change.get("incident_id", iid), "justification": change.get("justification", "合作廠商需要核對資料")}
    report, extra, record = _decide(store, scanner, again, "r2", override=override, review=scanner.policy.config.review)
    assert not extra["override"]["accepted"] and refusal in extra["override"]["refusal"]
    assert report.action == "warn" and "incident_id" in extra  # the decision stands: a new incident
    assert record["override"]["accepted"] is False


def test_block_can_never_be_overridden(store, scanner):
    msg = Message(text="密\n本案請於本週完成", recipients=["x@example.com"], sender="clerk@hl.gov.tw")
    _, extra, _ = _decide(store, scanner, msg)
    report, extra2, _ = _decide(store, scanner, msg, "r2", override={"incident_id": extra["incident_id"],
                                "justification": "主管已同意寄出這份文件"}, review=scanner.policy.config.review)
    assert report.action == "block" and "不允許覆寫" in extra2["override"]["refusal"]


def test_an_old_incident_can_no_longer_be_overridden(store, scanner):
    msg, iid = _warned(store, scanner)
    with store.engine.begin() as conn:
        conn.execute(update(store.incidents).where(store.incidents.c.id == iid).values(created_at=utcnow() - timedelta(days=2)))
    _, extra, _ = _decide(store, scanner, msg, "r2", override={"incident_id": iid, "justification": "合作廠商需要核對資料"},
                          review=scanner.policy.config.review)
    assert "已超過" in extra["override"]["refusal"]


# -- accounts --------------------------------------------------------------------------------


def test_users_passwords_roles(store):
    accounts = Accounts(store)
    accounts.add_user("amy", "correct horse battery", "triager")
    with pytest.raises(AccountError, match="已經存在"):
        accounts.add_user("amy", "another long password", "viewer")
    with pytest.raises(AccountError, match="至少"):
        accounts.add_user("bob", "short", "viewer")
    with pytest.raises(AccountError, match="角色"):
        accounts.add_user("bob", "long enough password", "root")
    assert accounts.authenticate("amy", "wrong password here") is None
    assert accounts.authenticate("nobody", "correct horse battery") is None
    amy = accounts.authenticate("amy", "correct horse battery")
    assert amy and amy.may("viewer") and amy.may("triager") and not amy.may("approver")
    assert "correct horse" not in database_text(store)
    accounts.set_disabled("amy", True)
    assert accounts.authenticate("amy", "correct horse battery") is None


def test_sessions_expire_when_idle_or_old_and_end_with_password_change(store):
    accounts = Accounts(store, session_hours=8, idle_minutes=30)
    user = accounts.add_user("amy", "correct horse battery", "viewer")
    token, session = accounts.start_session(user)
    assert accounts.session(token).user.username == "amy" and len(session.csrf_token) >= 32
    assert token not in database_text(store)  # only its hash is kept
    s = accounts.sessions_t
    with store.engine.begin() as conn:
        conn.execute(update(s).values(last_seen_at=utcnow() - timedelta(minutes=31)))
    assert accounts.session(token) is None  # idle
    token, _ = accounts.start_session(user)
    with store.engine.begin() as conn:
        conn.execute(update(s).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert accounts.session(token) is None  # too old
    token, _ = accounts.start_session(user)
    accounts.set_password("amy", "a brand new long password")
    assert accounts.session(token) is None
    assert accounts.session("made-up") is None and accounts.session(None) is None


def test_postgres_support_fails_loudly_when_the_server_is_missing(monkeypatch):
    monkeypatch.setenv("DLP_TEST_POSTGRES_URL", "postgresql://dlp_test:dlp_test@127.0.0.1:1/postgres")
    with pytest.raises(pytest.fail.Exception, match="ci-system-deps.sh"):
        with postgres_database():
            pass
