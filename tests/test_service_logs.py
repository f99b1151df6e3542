"""The service's logs: quiet pack loads, reloads with their hashes, one access line per request
(never content, never the key), JSON lines under ``dlp serve --log-format json``."""

from __future__ import annotations

import json
import logging
import warnings
from pathlib import Path

import httpx
import pytest

from service.logs import ACCESS_FIELDS, logging_config
from service.settings import Settings
from service.state import ScannerHolder
from service.testing import BROKEN_PACK, running_server, write_test_packs

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from dlp.scanner import Scanner

NATIONAL_ID = "D104553971"
SCAN_KEY = "logs-scan-key-0123456789abcdef"
ADMIN_KEY = "logs-admin-key-0123456789abcdef"
WRONG_KEY = "logs-wrong-key-0123456789abcdef"


def test_loading_and_reloading_the_bundled_packs_prints_no_presidio_per_call_lines(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        scanner = Scanner()
        scanner.reload()
        scanner.reload()
    messages = [r.getMessage() for r in caplog.records]
    assert not [m for m in messages if "Fetching all recognizers" in m]
    presidio = [m for r, m in zip(caplog.records, messages) if r.name.startswith("presidio")]
    assert len(presidio) <= 3 * 10, presidio  # a few "Loaded recognizer" lines per load, not ~200


def test_reloads_are_logged_accepted_and_refused_with_the_pack_hashes(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    packs = write_test_packs(tmp_path / "packs")
    holder = ScannerHolder(Settings(patterns_dir=str(packs)), Scanner(patterns_dir=packs))
    with caplog.at_level(logging.INFO, logger="dlp.service"):
        old, new = holder.reload()
    accepted = [r for r in caplog.records if getattr(r, "event", None) == "reload"]
    assert [r.result for r in accepted] == ["ok"] and accepted[0].levelno == logging.INFO
    assert accepted[0].patterns_version == new and accepted[0].previous_version == old
    pack_sha = holder.scanner.packset.packs[0].sha256
    assert {"file": "service_test.yaml", "sha256": pack_sha} in accepted[0].packs
    assert pack_sha[:16] in accepted[0].getMessage()

    caplog.clear()
    (packs / "broken.yaml").write_text(BROKEN_PACK, encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="dlp.service"), pytest.raises(Exception):  # noqa: B017 - PackErrors
        holder.reload()
    refused = [r for r in caplog.records if getattr(r, "event", None) == "reload"]
    assert [r.result for r in refused] == ["refused"] and refused[0].levelno == logging.WARNING
    assert refused[0].patterns_version == new and holder.version == new  # the old set keeps serving
    assert any(e["file"] and "broken.yaml" in e["file"] for e in refused[0].errors)
    assert "broken.yaml" in refused[0].getMessage() and new in refused[0].getMessage()


def test_an_unknown_log_format_is_refused_with_a_clear_message() -> None:
    with pytest.raises(ValueError, match="text 或 json"):
        logging_config("xml")


def test_dlp_serve_log_format_json_writes_json_lines_without_content_or_keys(tmp_path: Path) -> None:
    packs = write_test_packs(tmp_path / "packs")
    env = {"DLP_PATTERNS_DIR": str(packs), "DLP_API_KEYS": f"gw:scan:{SCAN_KEY},ops:admin:{ADMIN_KEY}",
           "DLP_KEYS_FILE": str(tmp_path / "keys.json"), "DLP_AUDIT_LOG": str(tmp_path / "audit.jsonl"),
           "DLP_RUN_DIR": str(tmp_path / "run"), "DLP_RELOAD_POLL_SECONDS": "0.2"}
    log_path = tmp_path / "serve.log"
    text = f"承辦人身分證字號 {NATIONAL_ID}"
    scan = {"Authorization": f"Bearer {SCAN_KEY}"}
    admin = {"Authorization": f"Bearer {ADMIN_KEY}"}
    sent: dict[str, tuple[str, str, int, str]] = {}  # request id -> method, path, status, key id
    with running_server(2, env, ["--log-format", "json", "--log-level", "info"], key=SCAN_KEY, log_path=log_path,
                        timeout=120, entry_point=True) as srv, httpx.Client(base_url=srv.url, timeout=30) as c:

        def call(rid: str, method: str, path: str, status: int, key_id: str, **kw: object) -> None:
            r = c.request(method, path, headers={"X-Request-ID": rid, **kw.pop("headers", {})}, **kw)  # type: ignore[arg-type]
            assert r.status_code == status, r.text
            sent[rid] = (method, path.split("?")[0] if status != 404 else "-", status, key_id)

        call("log-health", "GET", "/healthz", 200, "-")
        call("log-scan", "POST", f"/v1/scan?sender=clerk@hl.gov.tw&note={NATIONAL_ID}", 200, "gw", headers=scan,
             json={"text": text, "recipients": ["someone@gmail.com"]})
        call("log-multipart", "POST", "/v1/scan", 200, "gw", headers=scan, data={"text": "附件"},
             files={"attachments": ("名冊.txt", text.encode(), "text/plain")})
        call("log-mime", "POST", f"/v1/scan/mime?recipients=someone@gmail.com&sender={NATIONAL_ID}@hl.gov.tw", 200, "gw",
             headers={**scan, "Content-Type": "message/rfc822"},
             content=f"From: a@hl.gov.tw\r\nTo: b@gmail.com\r\nSubject: {NATIONAL_ID}\r\n\r\n{text}\r\n".encode())
        call("log-redact", "POST", "/v1/redact", 200, "gw", headers=scan, json={"text": text})
        call("log-wrong-key", "POST", "/v1/scan", 401, "-", headers={"Authorization": f"Bearer {WRONG_KEY}"}, json={"text": text})
        call("log-not-found", "GET", f"/v1/person/{NATIONAL_ID}", 404, "-", headers=scan)
        call("log-reload", "POST", "/v1/patterns/reload", 200, "ops", headers=admin)
        (packs / "broken.yaml").write_text(BROKEN_PACK, encoding="utf-8")
        call("log-refused", "POST", "/v1/patterns/reload", 422, "ops", headers=admin)

    raw = log_path.read_text(encoding="utf-8")
    for secret in (NATIONAL_ID, SCAN_KEY, ADMIN_KEY, WRONG_KEY, "承辦人"):
        assert secret not in raw, f"{secret} leaked into the log"
    assert "Fetching all recognizers" not in raw
    lines = [json.loads(line) for line in raw.splitlines() if line.strip()]  # every line is one JSON object
    assert all({"time", "level", "logger", "message"} <= set(doc) for doc in lines)
    access = [doc for doc in lines if doc["logger"] == "dlp.access"]
    assert all(set(ACCESS_FIELDS) <= set(doc) for doc in access)
    for rid, (method, path, status, key_id) in sent.items():
        mine = [doc for doc in access if doc["request_id"] == rid]
        assert len(mine) == 1, (rid, mine)
        assert (mine[0]["method"], mine[0]["path"], mine[0]["status"], mine[0]["key_id"]) == (method, path, status, key_id)
        assert isinstance(mine[0]["duration_ms"], float) and mine[0]["duration_ms"] >= 0
    reloads = [doc for doc in lines if doc.get("event") == "reload"]
    assert {"ok", "refused"} <= {doc["result"] for doc in reloads}
    assert all(len(p["sha256"]) == 64 for doc in reloads if doc["result"] == "ok" for p in doc["packs"])
    assert any("uvicorn" in doc["logger"] for doc in lines)  # uvicorn's own lines are JSON too


def test_a_bad_log_format_in_the_environment_stops_dlp_serve_with_one_line(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    dlp = Path(sys.executable).with_name("dlp")
    env = {**os.environ, "DLP_LOG_FORMAT": "xml", "DLP_KEYS_FILE": str(tmp_path / "keys.json"),
           "DLP_AUDIT_LOG": str(tmp_path / "audit.jsonl")}
    done = subprocess.run([str(dlp), "serve", "--port", "1"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "DLP_LOG_FORMAT" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "audit-salt").exists()  # refused before anything was made


def test_console_pages_are_logged_with_the_user_and_without_the_password(tmp_path: Path,
                                                                          caplog: pytest.LogCaptureFixture) -> None:
    from console_support import PASSWORD, login, make_world
    from fastapi.testclient import TestClient

    world = make_world(tmp_path)
    with TestClient(world.app) as client, caplog.at_level(logging.INFO, logger="dlp.access"):
        login(client, "amy")
        assert client.get("/console/", headers={"X-Request-ID": "log-console-queue"}).status_code == 200
    lines = [r for r in caplog.records if r.name == "dlp.access"]
    [queue] = [r for r in lines if r.request_id == "log-console-queue"]
    assert (queue.method, queue.path, queue.status, queue.key_id) == ("GET", "/console/", 200, "console:amy")
    assert all(PASSWORD not in r.getMessage() for r in caplog.records)
