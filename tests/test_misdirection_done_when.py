"""Issue 18's done-when, end to end: a small simulated agency through the real store and policy meets
the floors (>= 90% of injected misdirections with sensitive content caught, <= 2% of normal
sensitive messages warned); in it, the bulletin's case is warned or blocked with a reason that
names the group and says it is a first, and an ID to hl-gov.tw from a sender who always writes to
hl.gov.tw is quarantined; the history tables hold no raw address or content. Then the same
through the HTTP service, ``dlp history import`` from its audit log, and ``dlp history forget``."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from dlp import Conversation, Message, Scanner
from dlp.evaluation.agency import AGENCY, build_agency, simulate
from dlp.evaluation.misdirection_eval import run_simulation
from dlp.store import IncidentStore
from dlp.store.history import TABLES, DestinationHistory

SALT = "done-when-salt-0123456789"
REPORT = "密\n\n主旨：擄人勒贖案偵辦進度報告\n說明：嫌疑人已鎖定兩處落腳地點，預定明日拘提，請勿外流。"
ROSTER = "社會救助名冊：陳美玲 身分證字號 F235071300"


@pytest.fixture(scope="module")
def world(tmp_path_factory):  # type: ignore[no-untyped-def]
    agency = build_agency(n_senders=70, days=70, seed=18)
    messages = simulate(agency, seed=18, inject_from_day=50, injections=150)
    store = IncidentStore.open(f"sqlite:///{tmp_path_factory.mktemp('sim') / 'incidents.sqlite3'}")
    history = DestinationHistory(store, SALT)
    scanner = Scanner()
    result = run_simulation(agency, messages, scanner.policy, history, warmup_days=50)
    yield agency, messages, history, scanner, result
    store.close()


def test_the_small_simulation_meets_the_floors(world) -> None:  # type: ignore[no-untyped-def]
    _, _, _, _, result = world
    print("\n" + result.format())  # the figures, in the test log
    assert sum(result.injected.values()) >= 100 and result.normal_sensitive >= 100
    assert set(result.injected) == {"wrong_group", "lookalike", "autocomplete"}
    assert result.catch_rate >= 0.90, result.format()
    assert result.warn_rate <= 0.02, result.format()
    assert result.normal_other_warned == 0  # nothing sensitive, nothing said


def test_the_bulletins_case_in_the_simulation(world) -> None:  # type: ignore[no-untyped-def]
    """A 密 case report this officer sends to one colleague goes to the 200-member agency group."""
    agency, messages, history, scanner, _ = world
    officer = next(s for s in agency.senders
                   if any(h[0] == "official_secret" for d, h in s.sensitive.items() if not d.startswith("chat:")))
    everyone = agency.groups["all"]
    group = Conversation(id="all", name=everyone.name, members=200, registered=True)
    message = Message(text=REPORT, channel="chat", sender=officer.address, conversation=group)
    day = max(m.day for m in messages) + timedelta(days=1)
    lookup = history.lookup(message, scanner.policy, today=day)
    assert lookup.facts.sender_messages >= 20
    report = scanner.scan(message, history=lookup.facts)
    assert report.action == "block"  # warned by the guard, blocked by the group rules
    fired = [s for s in report.misdirection["signals"] if s["mode"] == "enforce"]
    assert [s["signal"] for s in fired] == ["sensitivity_jump"]  # seeded world: one 密 report, a group never sent 密
    reason = next(r for r in report.reasons if "全府同仁" in r and ("第一次" in r or "首次" in r))
    assert "200 人" in reason


def test_an_id_to_hl_gov_tw_lookalike_from_a_sender_who_always_writes_to_hl_gov_tw(world) -> None:  # type: ignore[no-untyped-def]
    agency, messages, history, scanner, _ = world
    day = max(m.day for m in messages) + timedelta(days=1)
    sender = next(s.address for s in agency.senders if all(a.endswith("@" + AGENCY) for a in s.mail))
    message = Message(text=ROSTER, channel="mail", sender=sender, recipients=["chen.wei@hl-gov.tw"])
    lookup = history.lookup(message, scanner.policy, today=day)
    assert set(lookup.facts.sender_domains) == {AGENCY}
    report = scanner.scan(message, history=lookup.facts)
    assert report.action == "quarantine"
    assert any("hl-gov.tw" in r and "hl.gov.tw" in r for r in report.reasons)


def test_the_simulated_history_holds_no_raw_address_or_content(world) -> None:  # type: ignore[no-untyped-def]
    agency, _, history, _, _ = world
    store = history.store
    cells: set[str] = set()
    with store.engine.connect() as conn:
        for name in TABLES:
            for row in conn.execute(select(store.meta.tables[name])):
                cells.update(str(v).lower() for v in row if v is not None)
    text = "\n".join(cells)
    addresses = [s.address for s in agency.senders] + agency.directory
    locals_ = {a.split("@")[0] for a in addresses}
    groups = {g.name for g in agency.groups.values()}
    assert not [a for a in addresses if a.lower() in text]
    assert not [p for p in locals_ if p in cells]               # no cell is a local part
    assert not [g for g in groups if g in text]
    assert not {g for g in agency.groups} & cells               # nor a conversation id


# -- through the service ------------------------------------------------------------------------------
def test_the_service_learns_warns_and_the_cli_imports_and_forgets(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from dlp.cli import main
    from service.app import create_app
    from service.settings import Settings

    key = "dlp_misdirection_test_key_0123456789abcdef"
    audit = tmp_path / "audit.jsonl"
    db = f"sqlite:///{tmp_path / 'incidents.sqlite3'}"
    settings = Settings(keys_file=str(tmp_path / "keys.json"), env_keys=f"gw:scan:{key}", audit_log=str(audit),
                        audit_salt=SALT, database_url=db)
    scanner = Scanner()
    auth = {"Authorization": f"Bearer {key}"}
    with TestClient(create_app(settings, scanner=scanner)) as client:
        for _ in range(21):
            r = client.post("/v1/scan", json={"channel": "mail", "sender": "clerk@hl.gov.tw",
                                              "recipients": ["chen.wei@hl.gov.tw"], "text": ROSTER}, headers=auth)
            assert r.status_code == 200 and r.json()["action"] == "allow"
        r = client.post("/v1/scan", json={"channel": "mail", "sender": "clerk@hl.gov.tw",
                                          "recipients": ["lin.mei@hl.gov.tw"], "text": ROSTER}, headers=auth)
        body = r.json()
        assert body["action"] == "warn" and body["incident_id"]
        [signal] = body["misdirection"]["signals"]
        assert (signal["signal"], signal["destination"]) == ("first_time", "l***@hl.gov.tw")
    records = [json.loads(line) for line in audit.read_text(encoding="utf-8").splitlines()]
    assert records[-1]["misdirection"]["signals"][0]["rule"] == "misdirection-first-time"

    # a new deployment bootstraps from that audit log
    fresh = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    # keys directory of its own: no salt file there, so without DLP_AUDIT_SALT there is no salt
    env = {"DLP_AUDIT_SALT": SALT, "DLP_KEYS_FILE": str(tmp_path / "keys" / "keys.json")}
    with pytest.MonkeyPatch.context() as mp:
        for k, v in env.items():
            mp.setenv(k, v)
        assert main(["history", "import", str(audit), "--database-url", fresh, "--json"]) == 0
        doc = json.loads(capsys.readouterr().out)
        assert doc["imported"] == 22 and doc["read"] == 22
        assert main(["history", "import", str(audit), "--database-url", fresh, "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["already_imported"] == 22
        assert main(["explain", ROSTER, "--from", "clerk@hl.gov.tw", "--to", "wang@hl.gov.tw", "--history",
                     "--database-url", fresh]) == 0
        out = capsys.readouterr().out
        assert "誤寄訊號：first_time → misdirection-first-time warn" in out and "寄件者已有 22 則訊息" in out
        assert main(["history", "show", "clerk@hl.gov.tw", "--database-url", fresh, "--audit-log", str(audit)]) == 0
        assert "22 則" in capsys.readouterr().out
        assert main(["history", "forget", "clerk@hl.gov.tw", "--database-url", fresh, "--audit-log", str(audit),
                     "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["deleted"]["sender_months"] == 1
        assert main(["history", "stats", "--database-url", fresh, "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["history_senders"] == 0
        mp.delenv("DLP_AUDIT_SALT")
        assert main(["history", "stats", "--database-url", fresh]) == 2
        assert "鹽值" in capsys.readouterr().err
    forget = json.loads(audit.read_text(encoding="utf-8").splitlines()[-1])
    assert forget["event"] == "history_forget" and "clerk" not in json.dumps(forget)
