"""The console through the real service (FastAPI under a real HTTP client): the done-when flow,
access control, CSRF, releases with a second approver, CSV, statistics, overrides."""

from __future__ import annotations

import base64
import csv
import io
import re

import pytest
import yaml
from console_support import (
    PASSWORD,
    RAW_VALUES,
    ROSTER,
    ROSTER_IDS,
    SCAN,
    SECRET_MAIL,
    audit_events,
    csrf_of,
    login,
    make_world,
)
from fastapi.testclient import TestClient
from store_support import database_text

from dlp.store.filters import IncidentFilter


def scan_roster(client: TestClient, to: str = "partner@example.com") -> dict:
    r = client.post("/v1/scan", headers=SCAN, json={"channel": "mail", "sender": "clerk@hl.gov.tw", "recipients": [to],
                                                     "subject": "補助名冊", "text": "", "attachments": [
                                                         {"filename": "名冊.csv", "content_base64": base64.b64encode(ROSTER.encode()).decode()}]})
    assert r.status_code == 200, r.text
    return r.json()


def scan_secret_mail(client: TestClient) -> dict:
    r = client.post("/v1/scan/mime", headers={**SCAN, "Content-Type": "message/rfc822"}, content=SECRET_MAIL)
    assert r.status_code == 200, r.text
    return r.json()


def assert_no_raw(text: str) -> None:
    for raw in RAW_VALUES:
        assert raw not in text, raw


def test_done_when_blocked_secret_mail_and_quarantined_roster_then_a_false_positive_is_honoured(tmp_path, store_url):
    world = make_world(tmp_path, store_url)
    with TestClient(world.app) as client:
        secret = scan_secret_mail(client)
        roster = scan_roster(client)
        assert secret["action"] == "block" and secret["secrecy_level"] == "official_secret" and secret["incident_id"]
        assert roster["action"] == "quarantine" and roster["incident_id"]
        audit = {r.get("incident_id"): r for r in audit_events(world.audit_log) if r.get("event") == "decision"}
        assert secret["incident_id"] in audit and roster["incident_id"] in audit  # the id is in the audit record

        login(client, "amy")
        queue = client.get("/console/")
        assert secret["incident_id"] in queue.text and roster["incident_id"] in queue.text and "共 2 件" in queue.text
        blocked = client.get("/console/", params={"action": "block"}, headers={"HX-Request": "true"})
        assert secret["incident_id"] in blocked.text and roster["incident_id"] not in blocked.text
        assert "<html" not in blocked.text  # htmx gets the queue fragment only

        page = client.get(f"/console/incidents/{roster['incident_id']}")
        assert page.status_code == 200 and "限閱" in page.text
        assert_no_raw(page.text)
        views = [r for r in audit_events(world.audit_log) if r.get("event") == "console_incident_view"]
        assert views[-1]["incident_id"] == roster["incident_id"] and views[-1]["user"] == "amy"

        finding_id = re.search(r'name="finding" value="(\d+)" id="finding-\d+" aria-label="選取 TW_NATIONAL_ID"', page.text).group(1)
        r = client.post(f"/console/incidents/{roster['incident_id']}/triage", follow_redirects=False, data={
            "csrf_token": csrf_of(page.text), "verdict": "false_positive", "finding": finding_id, "scope": "value",
            "expires": "", "reason": "測試用的假資料名冊"})
        assert r.status_code == 303, r.text[:800]

    doc = yaml.safe_load(world.suppressions.read_text(encoding="utf-8"))
    entry = doc["suppressions"][-1]
    assert entry["scope"] == "value" and entry["type"] == "TW_NATIONAL_ID" and entry["incident"] == roster["incident_id"]
    assert entry["expires"] and entry["reason"] == "測試用的假資料名冊" and entry["created_by"] == "amy"
    assert_no_raw(world.suppressions.read_text(encoding="utf-8"))
    corpus = (world.patterns / "eval" / "false_positives.jsonl").read_text(encoding="utf-8")
    assert roster["incident_id"] in corpus and '"entities": []' in corpus
    assert_no_raw(corpus)
    from dlp.evaluation.metrics import evaluate_file, load_records

    cases = load_records(world.patterns / "eval" / "false_positives.jsonl")  # what `dlp eval` reads
    assert len(cases) == 1 and re.search(r"[A-Z][12][0-9]{8}", cases[0]["text"])  # a synthetic, checksum-valid ID
    assert evaluate_file(world.patterns / "eval" / "false_positives.jsonl", world.config.scanner()).to_dict()

    with TestClient(world.app) as client:
        again = scan_roster(client)  # the next scan honours the suppression
    ids = [f for f in again["findings"] if f["type"] == "TW_NATIONAL_ID"]
    suppressed = [f for f in ids if (f.get("detail") or {}).get("suppressed_by") == entry["id"]]
    assert len(suppressed) == 1 and suppressed[0]["shadow"] and len(ids) == len(ROSTER_IDS)
    store = world.config.store
    assert store.get(roster["incident_id"])["status"] == "false_positive"
    assert_no_raw(database_text(store))


def test_login_csrf_roles_and_logout(tmp_path):
    world = make_world(tmp_path)
    with TestClient(world.app) as client:
        assert client.get("/console/", follow_redirects=False).status_code == 303  # to the login page
        page = client.get("/console/login")
        assert "登入資安主控台" in page.text and "Content-Security-Policy" in page.headers
        bad = client.post("/console/login", data={"username": "amy", "password": "wrong", "csrf_token": csrf_of(page.text)})
        assert bad.status_code == 401 and "帳號或密碼錯誤" in bad.text
        forged = client.post("/console/login", data={"username": "amy", "password": PASSWORD, "csrf_token": "forged"})
        assert forged.status_code == 403
        roster = scan_roster(client)
        csrf = login(client, "vic")
        cookie = client.cookies.get("dlp_console")
        assert cookie and "HttpOnly" in client.get("/console/login").headers.get("set-cookie", "HttpOnly")
        r = client.post(f"/console/incidents/{roster['incident_id']}/triage",
                        data={"csrf_token": csrf, "verdict": "benign", "reason": "x"})
        assert r.status_code == 403 and "分析人員" in r.text  # a viewer may not triage
        client.post("/console/logout", data={"csrf_token": csrf})
        assert client.get("/console/", follow_redirects=False).status_code == 303
        csrf = login(client, "amy")
        no_token = client.post(f"/console/incidents/{roster['incident_id']}/triage", data={"verdict": "benign", "reason": "業務往來"})
        assert no_token.status_code == 403 and "表單已失效" in no_token.text
        missing_reason = client.post(f"/console/incidents/{roster['incident_id']}/triage",
                                     data={"csrf_token": csrf, "verdict": "benign", "reason": "  "})
        assert missing_reason.status_code == 422 and "必須填寫原因" in missing_reason.text
        ok = client.post(f"/console/incidents/{roster['incident_id']}/triage",
                         data={"csrf_token": csrf, "verdict": "benign", "reason": "與合作單位的例行核對"})
        assert ok.status_code == 200 and "已記錄分類" in ok.text
        assert client.get("/console/incidents/DLP-20990101-0000000000").status_code == 404
        assert client.get("/console/", params={"action": "explode"}).status_code == 422
        bad_page = client.get("/console/", params={"page": "abc"})
        assert bad_page.status_code == 422 and "參數格式不正確" in bad_page.text
    events = [r["event"] for r in audit_events(world.audit_log)]
    assert {"console_login", "console_login_failed", "console_logout", "console_triage"} <= set(events)


def _classified_quarantine(text: str) -> str:
    # A policy where a 機密 marking to external mail is held for review instead of blocked.
    return text.replace("actions: {internal_mail: block, external_mail: block, personal_webmail: block, registered_group: block, other_chat: block}\n    reason: 本訊息標示「{marking}」，{verdict}\n\n  - id: marking-official-secret",
                        "actions: {internal_mail: block, external_mail: quarantine, personal_webmail: block, registered_group: block, other_chat: block}\n    reason: 本訊息標示「{marking}」，{verdict}\n\n  - id: marking-official-secret", 1)


def held_classified_mail(world, client: TestClient) -> str:
    r = client.post("/v1/scan", headers=SCAN, json={"channel": "mail", "sender": "clerk@hl.gov.tw", "recipients": ["partner@example.com"],
                                                     "text": "機密（本件至112年12月31日解密）\n會議紀錄"})
    body = r.json()
    assert body["action"] == "quarantine" and body["secrecy_level"] == "confidential", body
    world.config.store.set_quarantine(body["incident_id"], "held", "milter", "queued", {}, queue_id="4F2A1B3C9D")
    return body["incident_id"]


def test_releasing_a_classified_mail_needs_a_second_approver(tmp_path):
    world = make_world(tmp_path, policy_edit=_classified_quarantine)
    with TestClient(world.app) as client:
        iid = held_classified_mail(world, client)
        csrf = login(client, "amy")
        r = client.post(f"/console/incidents/{iid}/release", data={"csrf_token": csrf, "reason": "主管同意"})
        assert r.status_code == 403  # a triager may not release
        csrf = login(client, "bob")
        r = client.post(f"/console/incidents/{iid}/release", data={"csrf_token": csrf, "reason": "收件單位已簽保密切結"})
        assert r.status_code == 200 and "另一位核可者" in r.text
        assert world.config.quarantine.calls == []
        r = client.post(f"/console/incidents/{iid}/release", data={"csrf_token": csrf, "reason": "我自己核准"})
        assert r.status_code == 409 and "不能由申請人自己核准" in r.text
        csrf = login(client, "carol")
        r = client.post(f"/console/incidents/{iid}/release", data={"csrf_token": csrf, "reason": "確認無誤"})
        assert r.status_code == 200 and "已放行" in r.text
        assert world.config.quarantine.calls == [("release", iid, "4F2A1B3C9D")]
        assert world.config.store.get(iid)["quarantine_state"] == "released"
        r = client.post(f"/console/incidents/{iid}/drop", data={"csrf_token": csrf, "reason": "重複"})
        assert r.status_code == 409
    release = [r for r in audit_events(world.audit_log) if r.get("event") == "quarantine_release"]
    assert release and release[-1]["approvers"] == ["bob", "carol"]
    assert release[-1]["via"] == "console" and release[-1]["by"] == "carol" and release[-1]["incident_id"] == iid


def test_a_lower_level_mail_is_released_by_one_approver_and_failures_are_kept(tmp_path):
    from dlp.gateways.mail.quarantine import QuarantineError

    world = make_world(tmp_path)
    with TestClient(world.app) as client:
        roster = scan_roster(client)
        world.config.store.set_quarantine(roster["incident_id"], "held", "milter", "queued", {}, queue_id="5A6B7C8D9E")

        class Refusing:
            name = "postfix"

            def check(self, incident_id, queue_id):
                pass

            def release(self, queue_id):
                raise QuarantineError("postsuper -H 失敗：no such queue file")

            drop = release

        world.config.quarantine = Refusing()
        csrf = login(client, "bob")
        r = client.post(f"/console/incidents/{roster['incident_id']}/release", data={"csrf_token": csrf, "reason": "業務需要"})
        assert r.status_code == 409 and "postsuper" in r.text
        assert world.config.store.get(roster["incident_id"])["quarantine_state"] == "held"
        from console_support import RecordingQueue

        world.config.quarantine = RecordingQueue()
        r = client.post(f"/console/incidents/{roster['incident_id']}/release", data={"csrf_token": csrf, "reason": "業務需要"})
        assert r.status_code == 200 and world.config.quarantine.calls[0][0] == "release"
    failed = [r for r in audit_events(world.audit_log) if r["event"] == "quarantine_action_failed"]
    assert failed and failed[0]["failed"] == "quarantine_release" and "postsuper" in failed[0]["error"]
    assert any(e["event"] == "quarantine_failed" for e in world.config.store.events(roster["incident_id"]))


def test_csv_export_statistics_and_overrides(tmp_path):
    world = make_world(tmp_path)
    with TestClient(world.app) as client:
        roster = scan_roster(client)
        scan_secret_mail(client)
        warned = client.post("/v1/scan", headers=SCAN, json={"sender": "clerk@hl.gov.tw", "recipients": ["partner@example.com"],
                                                            "text": "身分證字號 D104553971"}).json()
        assert warned["action"] == "warn"
        override = client.post("/v1/scan", headers=SCAN, json={
            "sender": "clerk@hl.gov.tw", "recipients": ["partner@example.com"], "text": "身分證字號 D104553971",
            "override": {"incident_id": warned["incident_id"], "justification": "合作單位需核對承辦人 D104553971 資料"}}).json()
        assert override["action"] == "allow" and override["override"]["accepted"] and "incident_id" not in override
        bad = client.post("/v1/scan", headers=SCAN, json={"text": "x", "override": {"incident_id": "nope", "justification": "y"}})
        assert bad.status_code == 422

        login(client, "vic")
        export = client.get("/console/export.csv", params={"channel": "mail"})
        assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(export.text.lstrip("\ufeff"))))
        assert {r["incident_id"] for r in rows} >= {roster["incident_id"], warned["incident_id"]}
        assert_no_raw(export.text)
        stats = client.get("/console/stats")
        assert stats.status_code == 200 and "tw-national-id" in stats.text
        overrides = client.get("/console/overrides")
        assert warned["incident_id"] in overrides.text and "接受" in overrides.text and "D104553971" not in overrides.text
        page = client.get(f"/console/incidents/{warned['incident_id']}")
        assert "寄件者已覆寫" in page.text
    assert world.config.store.count(IncidentFilter()) == 3
    assert any(r.get("event") == "console_export" for r in audit_events(world.audit_log))
    decisions = [r for r in audit_events(world.audit_log) if r.get("override")]
    assert decisions and decisions[-1]["override"]["accepted"]


def test_a_failed_audit_write_refuses_the_view(tmp_path):
    world = make_world(tmp_path)
    with TestClient(world.app) as client:
        roster = scan_roster(client)
        login(client, "amy")

        def broken(fields):
            raise OSError("disk full")

        world.config.audit.log.append = broken
        r = client.get(f"/console/incidents/{roster['incident_id']}")
        assert r.status_code == 503 and "稽核紀錄無法寫入" in r.text and roster["incident_id"] not in r.text.split("</header>")[1]


@pytest.mark.parametrize("bad", ["salt: 1\n", "suppressions:\n  - id: x1\n    scope: rule\n    rule: tw-national-id\n    reason: r\n"])
def test_a_bad_suppressions_file_is_refused_with_file_entry_and_reason(tmp_path, bad):
    from dlp.errors import PackErrors
    from dlp.scanner import Scanner

    world = make_world(tmp_path)
    world.suppressions.write_text(bad, encoding="utf-8")
    with pytest.raises(PackErrors) as info:
        Scanner(patterns_dir=world.patterns)
    err = info.value.errors[0]
    assert err.file == "suppressions.yaml" and err.reason


def test_rule_and_pair_scopes_and_a_bad_expiry(tmp_path):
    world = make_world(tmp_path)
    with TestClient(world.app) as client:
        roster = scan_roster(client)
        csrf = login(client, "amy")
        page = client.get(f"/console/incidents/{roster['incident_id']}").text
        phone = re.search(r'name="finding" value="(\d+)" id="finding-\d+" aria-label="選取 TW_PHONE"', page).group(1)
        url = f"/console/incidents/{roster['incident_id']}/triage"
        form = {"csrf_token": csrf, "verdict": "false_positive", "finding": phone, "reason": "機關總機，不是個人電話"}
        r = client.post(url, data={**form, "scope": "rule", "expires": "2001-01-01"})
        assert r.status_code == 422 and "到期日必須在今天之後" in r.text
        r = client.post(url, data={**form, "scope": "rule", "expires": ""}, follow_redirects=False)
        assert r.status_code == 303
        r = client.post(url, data={**form, "scope": "pair", "finding": phone}, follow_redirects=False)
        assert r.status_code == 303
        entries = yaml.safe_load(world.suppressions.read_text(encoding="utf-8"))["suppressions"]
        assert [e["scope"] for e in entries] == ["rule", "pair"] and entries[1]["sender_sha256"] and entries[1]["destinations_sha256"]
        rule = entries[0]["rule"]
        again = scan_roster(client, to="someone-else@example.com")
        hits = [f for f in again["findings"] if f["rule"] == rule]
        assert hits and all((f.get("detail") or {}).get("suppressed_by") == entries[0]["id"] for f in hits)
        stats = client.get("/console/stats").text
        assert f'id="rule-{rule}"' in stats
