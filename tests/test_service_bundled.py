"""The service with the bundled packs and policy, as the README shows it (issue 19, part 3).

Every other service test runs a 2-rule test pack; these run what an agency gets: the README's two
curl examples and one case per policy row that matters (secrecy, names, special categories, chat),
in-process under TestClient and against a live ``dlp serve`` (the installed entry point) on
loopback, asserting the action, the exact reasons and ``patterns_version``.
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from service.app import create_app
from service.settings import Settings
from service.testing import ServerProcess, running_server

with warnings.catch_warnings():  # starlette's notice about httpx2
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

REPO = Path(__file__).resolve().parents[1]
PATTERNS = REPO / "patterns"
SCAN_KEY = "bundled-scan-key-0123456789"
SCAN = {"Authorization": f"Bearer {SCAN_KEY}"}

#: The README's first curl example.
README_JSON = {"channel": "mail", "sender": "clerk@hl.gov.tw", "recipients": ["someone@gmail.com"],
               "text": "身分證字號 D104553971，手機 0912-345-678"}
#: The README's second curl example (the printf piped into curl).
README_MAIL = ("From: clerk@hl.gov.tw\r\nTo: someone@gmail.com\r\nSubject: test\r\n\r\n"
               "承辦人王小明，手機 0912-345-678\r\n").encode()
README_MAIL_QUERY = "?sender=clerk@hl.gov.tw&recipients=someone@gmail.com"

#: (request, action, reasons, [(type, start, end)]) under the bundled policy.
CASES = [
    (README_JSON, "quarantine",
     ["本訊息含 1 筆身分證統一編號，已暫緩，須經主管或資安人員審核後才能寄至個人電子信箱"],
     [("TW_NATIONAL_ID", 6, 16), ("TW_PHONE", 20, 32)]),
    ({"text": "機密\n主旨：年度預算", "sender": "clerk@hl.gov.tw", "recipients": ["a@gmail.com"]}, "block",
     ["本訊息標示「機密」，依規定不得寄至個人電子信箱"], [("SECRECY_MARKING", 0, 2)]),
    ({"text": "密\n主旨：採購案", "sender": "clerk@hl.gov.tw", "recipients": ["b@hl.gov.tw"]}, "warn",
     ["本訊息標示「密」，寄至機關內部信箱前請再確認是否適當"], [("SECRECY_MARKING", 0, 1)]),
    # a mention of 機密 is not a marking (the awareness-bulletin case)
    ({"text": "請同仁注意：機密文件不得以個人電子信箱傳送，違者依法懲處。", "sender": "clerk@hl.gov.tw",
      "recipients": ["a@gmail.com"]}, "allow", [], []),
    # names and phones only: the contact-only row allows them anywhere
    ({"text": "承辦人王小明，手機 0912-345-678", "sender": "clerk@hl.gov.tw", "recipients": ["a@gmail.com"]}, "allow", [],
     [("PERSON", 3, 6), ("TW_PHONE", 10, 22)]),
    ({"text": "病歷：王小明 罹患糖尿病", "sender": "clerk@hl.gov.tw", "recipients": ["x@example.com"]}, "quarantine",
     ["本訊息含特種個人資料（2 處病歷、醫療或健康檢查資料），已暫緩，須經主管或資安人員審核後才能寄至機關外部信箱"],
     [("HEALTH_DATA", 0, 2), ("PERSON", 3, 6), ("HEALTH_DATA", 9, 12)]),
    ({"text": "身分證字號 D104553971", "channel": "chat",
      "conversation": {"id": "g1", "members": 5, "external_members": 2}}, "redact",
     ["本訊息含 1 筆身分證統一編號，個人資料遮蔽後才能以通訊軟體傳送至「g1」"], [("TW_NATIONAL_ID", 6, 16)]),
]


def bundled_patterns_version() -> str:
    """An oracle for ``patterns_version``: one SHA-256 over every pack's and the registry's SHA-256."""
    packs = sorted(p for p in PATTERNS.glob("*.yaml") if p.name not in ("policy.yaml", "conversations.yaml", "suppressions.yaml"))
    digests = [hashlib.sha256(p.read_bytes()).hexdigest() for p in [*packs, PATTERNS / "conversations.yaml"]]
    return hashlib.sha256("".join(digests).encode()).hexdigest()[:16]


def _check_case(response: httpx.Response, action: str, reasons: list[str], spans: list[tuple[str, int, int]]) -> None:
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["action"] == action
    assert body["reasons"] == reasons
    assert [(f["type"], f["start"], f["end"]) for f in body["findings"]] == spans
    assert body["patterns_version"] == bundled_patterns_version()


def _check_readme_mail(response: httpx.Response) -> None:
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["action"] == "allow" and body["reasons"] == []
    assert body["destination"]["column"] == "personal_webmail"
    assert [(f["type"], f["location"], f["start"], f["end"]) for f in body["findings"]] == [
        ("PERSON", "body", 3, 6), ("TW_PHONE", "body", 10, 22)]
    assert body["patterns_version"] == bundled_patterns_version()


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    tmp = tmp_path_factory.mktemp("bundled")
    settings = Settings(keys_file=str(tmp / "keys.json"), env_keys=f"gw:scan:{SCAN_KEY}", audit_log=str(tmp / "audit.jsonl"))
    assert settings.patterns_dir is None  # the bundled packs and policy
    with TestClient(create_app(settings)) as c:
        yield c


@pytest.mark.parametrize(("request_body", "action", "reasons", "spans"), CASES, ids=[c[1] + str(i) for i, c in enumerate(CASES)])
def test_in_process_with_the_bundled_packs(client: TestClient, request_body, action, reasons, spans) -> None:
    _check_case(client.post("/v1/scan", headers=SCAN, json=request_body), action, reasons, spans)


def test_in_process_the_readme_mime_example(client: TestClient) -> None:
    _check_readme_mail(client.post("/v1/scan/mime" + README_MAIL_QUERY,
                                   headers={**SCAN, "Content-Type": "message/rfc822"}, content=README_MAIL))


def test_in_process_readiness_and_redact_name_the_bundled_version(client: TestClient) -> None:
    ready = client.get("/readyz").json()
    assert ready["ready"] is True and ready["patterns_version"] == bundled_patterns_version()
    r = client.post("/v1/redact", headers=SCAN, json={"text": "手機0912-345-678，身分證字號 D104553971"})
    assert r.status_code == 200, r.text
    assert r.json()["redacted_text"] == "手機0912-***-678，身分證字號 D10****971"
    assert r.json()["patterns_version"] == bundled_patterns_version()


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    tmp = tmp_path_factory.mktemp("bundled_live")
    env = {"DLP_API_KEYS": f"gw:scan:{SCAN_KEY}", "DLP_KEYS_FILE": str(tmp / "keys.json"),
           "DLP_AUDIT_LOG": str(tmp / "audit.jsonl"), "DLP_RUN_DIR": str(tmp / "run")}
    with running_server(2, env, key=SCAN_KEY, log_path=tmp / "server.log", timeout=120, entry_point=True) as srv:
        yield srv


def test_live_dlp_serve_answers_the_readme_examples_like_the_policy_says(live: ServerProcess) -> None:
    with httpx.Client(timeout=60) as c:
        for request_body, action, reasons, spans in CASES:
            _check_case(c.post(live.url + "/v1/scan", headers=SCAN, json=request_body), action, reasons, spans)
        _check_readme_mail(c.post(live.url + "/v1/scan/mime" + README_MAIL_QUERY,
                                  headers={**SCAN, "Content-Type": "message/rfc822"}, content=README_MAIL))
        assert c.post(live.url + "/v1/scan", json=README_JSON).status_code == 401
