"""``POST /v1/chat/check`` and ``Idempotency-Key`` in-process (a real app under a real HTTP client)."""

from __future__ import annotations

import base64
import io
import json
import warnings
import zipfile
from pathlib import Path

import pytest
from chat_helpers import CASE_REPORT, ONE_ID, SCAN_KEY, audit_records, chat_patterns

from service.app import create_app
from service.audit import verify
from service.settings import Settings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

AUTH = {"Authorization": f"Bearer {SCAN_KEY}"}
BAD = "Cbad00000000000000000000000000001"
GOOD = "Cgood0000000000000000000000000002"


@pytest.fixture(scope="module")
def patterns(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return chat_patterns(tmp_path_factory.mktemp("chat_api_patterns"))


@pytest.fixture(scope="module")
def chat_scanner(patterns: Path):
    from dlp.scanner import Scanner

    return Scanner(patterns_dir=patterns)


@pytest.fixture()
def client(tmp_path: Path, patterns: Path, chat_scanner):
    settings = Settings(patterns_dir=str(patterns), keys_file=str(tmp_path / "keys.json"), env_keys=f"gw:scan:{SCAN_KEY}",
                        audit_log=str(tmp_path / "audit.jsonl"), run_dir=str(tmp_path / "run"))
    (tmp_path / "run").mkdir()
    with TestClient(create_app(settings, scanner=chat_scanner)) as c:
        c.tmp = tmp_path  # type: ignore[attr-defined]
        yield c
    assert verify(tmp_path / "audit.jsonl").ok


def check(text: str, conv: dict, platform: str = "line", attachments: list | None = None) -> dict:
    return {"platform": platform, "conversation": conv, "sender": "officer01",
            "message": {"id": "post-1", "text": text, "attachments": attachments or []}}


def test_the_case_report_to_the_listed_unregistered_group_is_rejected_with_a_tip(client: TestClient) -> None:
    r = client.post("/v1/chat/check", headers=AUTH, json=check(CASE_REPORT, {"id": BAD, "registered": True}))
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["action"] == "block" and doc["incident_id"].startswith("DLP-")  # the incident store's id
    assert doc["policy_tip"].startswith("阻擋：本訊息標示「密」") and doc["incident_id"] in doc["policy_tip"]
    assert any("對話「反年金改革群組」" in reason for reason in doc["reasons"])
    assert doc["conversation"]["source"] == "registry" and doc["conversation"]["registered"] is False
    assert doc["redacted_text"] is None
    [record] = audit_records(client.tmp)  # type: ignore[attr-defined]
    assert record["endpoint"] == "/v1/chat/check" and record["action"] == "block"
    assert record["incident_id"] == doc["incident_id"] and record["request_id"] == doc["request_id"]
    assert record["conversation"]["registered"] is False and record["conversation"]["source"] == "registry"
    assert record["conversation"]["external_members"] == 150  # the facts that decided, not the claim
    assert CASE_REPORT not in json.dumps(record, ensure_ascii=False)


def test_redact_gives_the_text_to_post_instead(client: TestClient) -> None:
    doc = client.post("/v1/chat/check", headers=AUTH, json=check(ONE_ID, {"id": GOOD})).json()
    assert doc["action"] == "redact"
    assert "F235071300" not in doc["redacted_text"] and len(doc["redacted_text"]) == len(ONE_ID)
    assert doc["policy_tip"].startswith("遮蔽後傳送：")


def test_clean_text_is_allowed_without_tip_or_incident(client: TestClient) -> None:
    doc = client.post("/v1/chat/check", headers=AUTH, json=check("明天上午十點開會", {"id": GOOD})).json()
    assert (doc["action"], doc["policy_tip"], doc["incident_id"]) == ("allow", None, None)


def test_personal_data_in_a_file_cannot_be_redacted_so_it_is_blocked(client: TestClient) -> None:
    files = [{"filename": "名冊.txt", "content_base64": base64.b64encode(ONE_ID.encode()).decode()}]
    doc = client.post("/v1/chat/check", headers=AUTH, json=check("請看附件", {"id": GOOD}, attachments=files)).json()
    assert doc["action"] == "block" and doc["redacted_text"] is None
    assert "無法遮蔽後傳送" in doc["reasons"][-1]
    assert audit_records(client.tmp)[-1]["action"] == "block"  # type: ignore[attr-defined]


def test_an_encrypted_attachment_is_never_allowed(client: TestClient) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.txt", "x")
    raw = bytearray(buf.getvalue())
    raw[6] |= 1  # the encryption flag of the local header
    raw[raw.rfind(b"PK\x01\x02") + 8] |= 1  # and of the central directory entry
    files = [{"filename": "a.zip", "content_base64": base64.b64encode(bytes(raw)).decode()}]
    doc = client.post("/v1/chat/check", headers=AUTH, json=check("", {"id": GOOD}, attachments=files)).json()
    assert doc["action"] == "quarantine"


def test_the_registry_decides_on_v1_scan_too(client: TestClient) -> None:
    body = {"channel": "chat", "text": ONE_ID,
            "conversation": {"id": BAD, "name": "公務群組", "members": 3, "external_members": 0, "registered": True}}
    doc = client.post("/v1/scan", headers=AUTH, json=body).json()
    assert doc["destination"]["column"] == "other_chat"
    assert doc["destination"]["conversation"]["ignored_claims"]["registered"] is True


@pytest.mark.parametrize(("body", "status", "code"), [
    (b"", 400, "empty_body"),
    (b"{", 400, "bad_json"),
    (json.dumps({"platform": "line"}).encode(), 422, "invalid_request"),
    (json.dumps(check("x", {"id": ""})).encode(), 422, "invalid_request"),
    (json.dumps({**check("x", {"id": "g"}), "extra": 1}).encode(), 422, "invalid_request"),
    (json.dumps(check("x", {"id": "g"}, platform="line app")).encode(), 422, "invalid_request"),
    (json.dumps(check("x", {"id": "g"}, attachments=[{"filename": "a", "content_base64": "!!"}])).encode(), 422, "bad_base64"),
])
def test_bad_input_is_a_clear_4xx(client: TestClient, body: bytes, status: int, code: str) -> None:
    r = client.post("/v1/chat/check", headers={**AUTH, "Content-Type": "application/json"}, content=body)
    assert r.status_code == status, r.text
    assert r.json()["error"]["code"] == code
    assert audit_records(client.tmp) == []  # type: ignore[attr-defined]


def test_a_key_is_required(client: TestClient) -> None:
    assert client.post("/v1/chat/check", json=check("x", {"id": "g"})).status_code == 401


# -- Idempotency-Key -----------------------------------------------------------------------------------
def test_a_retried_request_is_decided_and_audited_once(client: TestClient) -> None:
    headers = {**AUTH, "Idempotency-Key": "msg-0001"}
    first = client.post("/v1/chat/check", headers=headers, json=check(CASE_REPORT, {"id": BAD}))
    again = client.post("/v1/chat/check", headers=headers, json=check(CASE_REPORT, {"id": BAD}))
    assert first.status_code == again.status_code == 200
    assert again.headers["idempotent-replayed"] == "true" and "idempotent-replayed" not in first.headers
    assert again.json() == first.json()
    assert len(audit_records(client.tmp)) == 1  # type: ignore[attr-defined]
    # the same key on /v1/scan is another request
    client.post("/v1/scan", headers=headers, json={"channel": "chat", "text": "x"})
    assert len(audit_records(client.tmp)) == 2  # type: ignore[attr-defined]


def test_the_same_key_with_another_body_is_refused(client: TestClient) -> None:
    headers = {**AUTH, "Idempotency-Key": "msg-0002"}
    client.post("/v1/chat/check", headers=headers, json=check("第一則", {"id": GOOD}))
    r = client.post("/v1/chat/check", headers=headers, json=check("第二則", {"id": GOOD}))
    assert r.status_code == 422 and r.json()["error"]["code"] == "idempotency_key_reused"
    assert len(audit_records(client.tmp)) == 1  # type: ignore[attr-defined]


def test_only_good_answers_are_kept_and_keys_are_per_caller(client: TestClient, tmp_path: Path) -> None:
    headers = {**AUTH, "Idempotency-Key": "msg-0003"}
    bad = client.post("/v1/chat/check", headers=headers, json={"platform": "line"})
    assert bad.status_code == 422
    good = client.post("/v1/chat/check", headers=headers, json={"platform": "line"})
    assert good.status_code == 422 and "idempotent-replayed" not in good.headers  # ran again, not replayed
    other = client.post("/v1/chat/check", headers={"Authorization": "Bearer wrong", "Idempotency-Key": "msg-0004"},
                        json=check("x", {"id": "g"}))
    assert other.status_code == 401
    assert client.post("/v1/chat/check", headers={**AUTH, "Idempotency-Key": "bad key"},
                       json=check("x", {"id": "g"})).status_code == 400


def test_the_openapi_document_describes_the_route_without_dangling_references(client: TestClient) -> None:
    op = client.get("/openapi.json").json()["paths"]["/v1/chat/check"]["post"]
    schema = op["requestBody"]["content"]["application/json"]["schema"]
    assert set(schema["properties"]) == {"platform", "conversation", "sender", "message"}
    assert "$defs" not in json.dumps(schema)
    assert op["security"] == [{"HTTPBearer": []}]
