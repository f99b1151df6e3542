"""The service in-process (TestClient): auth, malformed input, limits, reload, metrics, readiness."""

from __future__ import annotations

import base64
import json
import time
import warnings
from pathlib import Path

import pytest

from service.app import create_app
from service.audit import verify
from service.settings import Settings
from service.testing import BROKEN_PACK, write_test_packs

with warnings.catch_warnings():  # starlette's notice about httpx2
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

SCAN_KEY = "scan-key-0123456789abcdef"
ADMIN_KEY = "admin-key-0123456789abcdef"
ENV_KEYS = f"gw:scan:{SCAN_KEY},ops:admin:{ADMIN_KEY}"
SCAN = {"Authorization": f"Bearer {SCAN_KEY}"}
ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}
PII = "承辦人身分證字號 D104553971，手機 0912-345-678"


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_test_packs(tmp_path_factory.mktemp("packs"))


@pytest.fixture(scope="module")
def scanner(packs: Path):
    from dlp.scanner import Scanner

    return Scanner(patterns_dir=packs)


def make_settings(tmp: Path, packs: Path, **kw) -> Settings:
    return Settings(patterns_dir=str(packs), keys_file=str(tmp / "keys.json"), env_keys=ENV_KEYS,
                    audit_log=str(tmp / "audit.jsonl"), **kw)


@pytest.fixture()
def client(tmp_path: Path, packs: Path, scanner):
    with TestClient(create_app(make_settings(tmp_path, packs), scanner=scanner)) as c:
        yield c


def test_health_is_open_and_scan_needs_a_key(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json()["ready"] is True
    for method, path in [("post", "/v1/scan"), ("post", "/v1/redact"), ("get", "/v1/patterns"), ("get", "/metrics")]:
        r = getattr(client, method)(path)
        assert r.status_code == 401, path
        assert r.json()["error"]["code"] == "unauthorized"
        assert r.headers["www-authenticate"] == "Bearer"
    r = client.post("/v1/scan", json={"text": "x"}, headers={"Authorization": "Bearer wrong-key-0123456789"})
    assert r.status_code == 401 and "無效" in r.json()["error"]["message"]


def test_wrong_scope_is_403(client: TestClient) -> None:
    r = client.post("/v1/patterns/reload", headers=SCAN)
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "forbidden"


def test_keys_file_is_read_and_followed(tmp_path: Path, packs: Path, scanner) -> None:
    from service.auth import add_key

    settings = Settings(patterns_dir=str(packs), keys_file=str(tmp_path / "keys.json"), audit_log=str(tmp_path / "a.jsonl"))
    with TestClient(create_app(settings, scanner=scanner)) as c:
        assert c.post("/v1/scan", json={"text": "x"}).status_code == 401
        key = add_key(tmp_path / "keys.json", "late", ["scan"])  # added while running
        assert c.post("/v1/scan", json={"text": "x"}, headers={"Authorization": f"Bearer {key}"}).status_code == 200
    stored = (tmp_path / "keys.json").read_text()
    assert key not in stored and "sha256" in stored


def test_scan_json_returns_report_and_request_id(client: TestClient) -> None:
    r = client.post("/v1/scan", headers={**SCAN, "X-Request-ID": "gw-123"},
                    json={"text": PII, "channel": "mail", "sender": "clerk@hl.gov.tw", "recipients": ["someone@gmail.com"]})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["request_id"] == "gw-123" and r.headers["x-request-id"] == "gw-123"
    assert {f["type"] for f in body["findings"]} == {"TW_NATIONAL_ID", "TW_PHONE"}
    assert body["action"] == "quarantine"
    assert set(body) >= {"action", "secrecy_level", "reasons", "findings", "redacted_text", "destination", "exceptions", "not_inspected"}


def test_scan_attachment_base64_and_multipart_agree(client: TestClient) -> None:
    content = PII.encode("utf-8")
    r1 = client.post("/v1/scan", headers=SCAN, json={
        "text": "附件", "recipients": ["a@gmail.com"],
        "attachments": [{"filename": "名冊.txt", "content_base64": base64.b64encode(content).decode()}]})
    r2 = client.post("/v1/scan", headers=SCAN, data={"text": "附件", "recipients": "a@gmail.com"},
                     files=[("attachments", ("名冊.txt", content, "text/plain"))])
    assert r1.status_code == r2.status_code == 200, (r1.text, r2.text)
    t1 = sorted((f["type"], f["location"]) for f in r1.json()["findings"])
    assert t1 == sorted((f["type"], f["location"]) for f in r2.json()["findings"])
    assert any(loc.startswith("attachment:") for _, loc in t1)


def test_scan_mime_envelope_overrides_headers_and_bcc_counts(client: TestClient) -> None:
    mail = ("From: clerk@hl.gov.tw\r\nTo: colleague@hl.gov.tw\r\nBcc: me@gmail.com\r\nSubject: =?utf-8?b?" +
            base64.b64encode("名冊".encode()).decode() + "?=\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + PII + "\r\n").encode()
    h = {**SCAN, "Content-Type": "message/rfc822"}
    with_bcc = client.post("/v1/scan/mime", headers=h, content=mail).json()
    assert with_bcc["destination"]["column"] == "personal_webmail"
    internal = client.post("/v1/scan/mime?recipients=colleague@hl.gov.tw&sender=clerk@hl.gov.tw", headers=h, content=mail).json()
    assert internal["destination"]["column"] == "internal_mail"
    assert {f["type"] for f in internal["findings"]} >= {"TW_NATIONAL_ID", "TW_PHONE"}


@pytest.mark.parametrize(
    ("body", "ctype", "status", "code"),
    [
        (b"{not json", "application/json", 400, "bad_json"),
        (b"", "application/json", 400, "empty_body"),
        (b"[1,2]", "application/json", 400, "bad_json"),
        (b'{"text": "x", "channel": "fax"}', "application/json", 422, "invalid_request"),
        (b'{"text": 5}', "application/json", 422, "invalid_request"),
        (b'{"unknown": 1}', "application/json", 422, "invalid_request"),
        (b'{"attachments": [{"filename": "a.docx", "content_base64": "***not base64***"}]}', "application/json", 422, "bad_base64"),
        (b'{"recipients": ["not an address"]}', "application/json", 422, "invalid_address"),
        (b'{"recipients": ["a@b@c"]}', "application/json", 422, "invalid_address"),
        (b'{"sender": "x@-bad-.tw"}', "application/json", 422, "invalid_address"),
        (b"text=hi", "text/plain", 415, "unsupported_media_type"),
        (b"--zz\r\nbroken", "multipart/form-data; boundary=zz", 400, "bad_multipart"),
    ],
)
def test_bad_input_is_4xx_with_a_message(client: TestClient, body: bytes, ctype: str, status: int, code: str) -> None:
    r = client.post("/v1/scan", headers={**SCAN, "Content-Type": ctype}, content=body)
    assert r.status_code == status, r.text
    err = r.json()["error"]
    assert err["code"] == code and err["message"]


def test_chat_destinations_are_free_form(client: TestClient) -> None:
    r = client.post("/v1/scan", headers=SCAN, json={"text": PII, "channel": "chat", "recipients": ["line-group-7"],
                                                    "conversation": {"id": "g7", "members": 80, "external_members": 70}})
    assert r.status_code == 200, r.text


def test_broken_mime_is_400_and_bad_envelope_is_422(client: TestClient) -> None:
    h = {**SCAN, "Content-Type": "message/rfc822"}
    assert client.post("/v1/scan/mime", headers=h, content=b"\x00\x01 not a mail").json()["error"]["code"] == "bad_mime"
    assert client.post("/v1/scan/mime", headers=h, content=b"").status_code == 400
    r = client.post("/v1/scan/mime?recipients=nobody", headers=h, content=b"Subject: x\r\n\r\nhi")
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_address"
    r = client.post("/v1/scan/mime?queue_id=../../etc", headers=h, content=b"Subject: x\r\n\r\nhi")
    assert r.status_code == 422  # a gateway's queue id is letters and digits only
    # A mail whose multipart structure is cut short is still scanned, with a finding that says so.
    cut = b"From: a@hl.gov.tw\r\nTo: b@gmail.com\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\nContent-Type: text/plain\r\n\r\n0912-345-678"
    r = client.post("/v1/scan/mime", headers=h, content=cut)
    assert r.status_code == 200, r.text


def test_body_over_the_limit_is_413(tmp_path: Path, packs: Path, scanner) -> None:
    with TestClient(create_app(make_settings(tmp_path, packs, max_body_bytes=2048), scanner=scanner)) as c:
        big = json.dumps({"text": "x" * 5000}).encode()
        r = c.post("/v1/scan", headers={**SCAN, "Content-Type": "application/json"}, content=big)
        assert r.status_code == 413 and r.json()["error"]["code"] == "body_too_large"

        def chunks():  # no Content-Length: the limit applies while reading
            for _ in range(10):
                yield b"x" * 1000

        r = c.post("/v1/scan/mime", headers={**SCAN, "Content-Type": "message/rfc822"}, content=chunks())
        assert r.status_code == 413
        r = c.post("/v1/scan", headers=SCAN, files=[("attachments", ("a.bin", b"y" * 5000, "application/octet-stream"))])
        assert r.status_code == 413
        assert c.post("/v1/scan", headers=SCAN, json={"text": "small"}).status_code == 200


def test_redact_and_patterns(client: TestClient) -> None:
    r = client.post("/v1/redact", headers=SCAN, json={"text": PII})
    assert r.status_code == 200
    assert "D104553971" not in r.json()["redacted_text"] and "0912-345-678" not in r.json()["redacted_text"]
    p = client.get("/v1/patterns", headers=SCAN).json()
    assert {"svc-national-id", "svc-phone"} <= {rule["id"] for rule in p["rules"]}
    assert all(len(pack["sha256"]) == 64 for pack in p["packs"])
    assert client.post("/v1/redact", headers=SCAN, json={"txt": 1}).status_code == 422


def test_reload_refuses_a_bad_pack_and_keeps_serving(tmp_path: Path) -> None:
    from dlp.scanner import Scanner

    packs = write_test_packs(tmp_path / "packs")
    scanner = Scanner(patterns_dir=packs)
    with TestClient(create_app(make_settings(tmp_path, packs), scanner=scanner)) as c:
        before = c.get("/v1/patterns", headers=SCAN).json()["version"]
        (packs / "broken.yaml").write_text(BROKEN_PACK, encoding="utf-8")
        r = c.post("/v1/patterns/reload", headers=ADMIN)
        assert r.status_code == 422, r.text
        details = r.json()["error"]["details"]
        assert any(d["file"] == "broken.yaml" and d["reason"] for d in details)
        assert c.get("/v1/patterns", headers=SCAN).json()["version"] == before
        assert c.post("/v1/scan", headers=SCAN, json={"text": PII}).json()["findings"]
        (packs / "broken.yaml").unlink()
        (packs / "service_test.yaml").write_text((packs / "service_test.yaml").read_text().replace("version: 1", "version: 2"))
        r = c.post("/v1/patterns/reload", headers=ADMIN)
        assert r.status_code == 200, r.text
        assert r.json()["previous_version"] == before and r.json()["version"] != before
    events = [json.loads(line)["event"] for line in (tmp_path / "audit.jsonl").read_text().splitlines()]
    assert events.count("reload") == 2
    assert verify(tmp_path / "audit.jsonl").ok


def test_metrics_count_requests_decisions_and_findings(client: TestClient) -> None:
    client.post("/v1/scan", headers=SCAN, json={"text": PII, "recipients": ["a@gmail.com"]})
    text = client.get("/metrics", headers=SCAN).text
    for name in ("dlp_requests_total", "dlp_request_duration_seconds_bucket", "dlp_scan_duration_seconds_bucket",
                 "dlp_decisions_total", 'dlp_findings_total{type="TW_NATIONAL_ID"}', "dlp_patterns_version_info"):
        assert name in text, name
    assert 'endpoint="/v1/scan"' in text and 'channel="mail"' in text


def test_audit_records_hold_no_raw_content(client: TestClient, tmp_path: Path) -> None:
    client.post("/v1/scan", headers=SCAN, json={"text": PII, "subject": "王小明的資料", "sender": "clerk@hl.gov.tw",
                                                "recipients": ["someone@gmail.com"],
                                                "attachments": [{"filename": "王小明.txt", "content_base64": base64.b64encode(PII.encode()).decode()}]})
    raw = (tmp_path / "audit.jsonl").read_text(encoding="utf-8")
    for secret in ("D104553971", "0912-345-678", "someone@gmail.com", "clerk@hl.gov.tw", "王小明"):
        assert secret not in raw, secret
    rec = json.loads(raw.splitlines()[-1])
    assert rec["key_id"] == "gw" and rec["channel"] == "mail" and rec["recipients"][0]["masked"] == "s***@gmail.com"
    assert rec["finding_types"]["TW_NATIONAL_ID"] >= 2 and len(rec["content_sha256"]) == 64
    assert rec["action"] and rec["secrecy_level"] and "svc-phone" in rec["rule_ids"]


def test_readyz_waits_for_the_packs(tmp_path: Path, packs: Path) -> None:
    settings = make_settings(tmp_path, tmp_path / "missing-packs-dir", load_in_background=True)
    with TestClient(create_app(settings)) as c:
        deadline = time.monotonic() + 30
        while c.get("/readyz").json().get("detail") == "loading" and time.monotonic() < deadline:
            time.sleep(0.1)
        r = c.get("/readyz")
        assert r.status_code == 503 and r.json()["ready"] is False and r.json()["errors"]
        r = c.post("/v1/scan", headers=SCAN, json={"text": "x"})
        assert r.status_code == 503 and r.json()["error"]["code"] == "not_ready"
        assert c.get("/healthz").status_code == 200


def test_unknown_path_is_json_404(client: TestClient) -> None:
    r = client.get("/nope")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


def test_every_protected_operation_declares_the_bearer_scheme(client: TestClient) -> None:
    # /v1/scan and /v1/redact check the key in the handler (no FastAPI dependency): the OpenAPI
    # document must still say that they need it, like the routes that use the dependency.
    doc = client.get("/openapi.json").json()
    assert doc["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            expected = None if path in ("/healthz", "/readyz") else [{"HTTPBearer": []}]
            assert op.get("security") == expected, (method, path)


@pytest.mark.parametrize("value, status", [
    (f"bearer {SCAN_KEY}", 200), (f"Bearer  {SCAN_KEY} ", 200), (f"Basic {SCAN_KEY}", 401), ("Bearer", 401),
    ("Bearer ", 401), (SCAN_KEY, 401), (f"Bearer {ADMIN_KEY}", 200),
])
def test_bearer_header_forms(client: TestClient, value: str, status: int) -> None:
    for path, body in (("/v1/scan", {"text": "x"}), ("/v1/redact", {"text": "x"})):
        r = client.post(path, json=body, headers={"Authorization": value})
        assert r.status_code == status, (path, value, r.text)


def test_answers_are_json_and_audited_before_they_are_sent(client: TestClient, tmp_path: Path) -> None:
    r = client.post("/v1/scan", headers={**SCAN, "X-Request-ID": "rid-audit-1"}, json={"text": PII})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert r.content == json.dumps(r.json(), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    last = json.loads((tmp_path / "audit.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    assert last["request_id"] == "rid-audit-1" and last["event"] == "decision"
    r = client.post("/v1/redact", headers=SCAN, json={"text": PII})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert "D104553971" not in r.json()["redacted_text"]


def test_a_failed_audit_write_is_503_and_nothing_is_allowed(client: TestClient) -> None:
    def broken(fields):
        raise OSError(28, "No space left on device")

    client.app.state.audit.append = broken
    r = client.post("/v1/scan", headers=SCAN, json={"text": "hello"})
    assert r.status_code == 503 and r.json()["error"]["code"] == "audit_unavailable"
    assert "action" not in r.json()
