"""Tiny requests decided on the event loop (``DLP_INLINE_SCAN_BYTES``, issue 14 part 5) answer and
audit exactly what a scan thread does; files, bigger bodies and an fsynced audit log still go to a
thread (real apps, real clients, real audit logs)."""

from __future__ import annotations

import base64
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.settings import Settings

KEY = "inline-scan-key-" + "x" * 24
SALT = "inline-scan-salt-0123456789abcdef"
RANDOM = re.compile(r'"(request_id|incident_id)":\s*"[^"]*"')
INCIDENT = re.compile(r"DLP-\d{8}-[0-9A-Z]{10}")
VOLATILE = ("time", "request_id", "incident_id", "seq", "prev", "hash", "mac", "duration_ms")


def _app(tmp: Path, scanner: Any, **env: str) -> Any:
    settings = Settings.from_env({"DLP_API_KEYS": f"t:scan:{KEY}", "DLP_KEYS_FILE": str(tmp / "keys.json"),
                                  "DLP_AUDIT_LOG": str(tmp / "audit.jsonl"), "DLP_AUDIT_SALT": SALT, **env})
    return create_app(settings, scanner=scanner)


def _docx(text: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override '
                   'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                   'wordprocessingml.document.main+xml"/></Types>')
        z.writestr("word/document.xml", '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.'
                   f'openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p>'
                   '</w:body></w:document>')
    return buf.getvalue()


SCANS: list[tuple[str, dict[str, Any]]] = [
    ("allow", {"channel": "chat", "sender": "officer01", "text": "明天開會",
               "conversation": {"id": "g1", "members": 12, "registered": True}}),
    ("findings", {"channel": "mail", "sender": "clerk@hl.gov.tw", "recipients": ["someone@gmail.com"],
                  "text": "承辦人王小明，身分證字號 D104553971，電話 0912-345-678"}),
    ("marking", {"channel": "chat", "text": "機密\n\n作戰計畫", "conversation": {"id": "g2", "members": 3}}),
    ("invalid field", {"channel": "fax", "text": "x"}),
    ("bad address", {"channel": "mail", "recipients": ["not an address"], "text": "x"}),
    ("a file", {"channel": "mail", "sender": "clerk@hl.gov.tw", "recipients": ["someone@gmail.com"], "text": "附件",
                "attachments": [{"filename": "a.docx",
                                 "content_base64": base64.b64encode(_docx("身分證字號 D104553971")).decode()}]}),
    ("big", {"channel": "mail", "text": "本府辦理年度業務檢討。" * 300 + "身分證字號 D104553971"}),
]
CHATS: list[tuple[str, dict[str, Any]]] = [
    ("chat allow", {"platform": "line", "conversation": {"id": "g1", "members": 5}, "sender": "officer01",
                    "message": {"text": "明天開會"}}),
    ("chat findings", {"platform": "line", "conversation": {"id": "g9", "members": 30}, "sender": "officer01",
                       "message": {"text": "王小明 身分證 D104553971 電話 0912-345-678"}}),
    ("chat file", {"platform": "line", "conversation": {"id": "g9", "members": 30}, "sender": "officer01",
                   "message": {"text": "附件", "attachments": [
                       {"filename": "a.docx", "content_base64": base64.b64encode(_docx("電話 0912-345-678")).decode()}]}}),
]


def _answer(r: Any) -> tuple[int, Any]:
    return r.status_code, json.loads(INCIDENT.sub("DLP-id", RANDOM.sub(r'"\1":"-"', r.text)))


def _records(path: Path) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [{k: v for k, v in row.items() if k not in VOLATILE} for row in rows]


def _run(app: Any) -> tuple[list[Any], int]:
    headers = {"Authorization": f"Bearer {KEY}"}
    with TestClient(app) as client:
        out = [(name, _answer(client.post("/v1/scan", json=body, headers=headers))) for name, body in SCANS]
        out += [(name, _answer(client.post("/v1/chat/check", json=body, headers=headers))) for name, body in CHATS]
        admission = app.state.admission
        return out, admission.inline_served if admission is not None else 0


def test_a_tiny_request_decided_on_the_loop_answers_and_audits_as_a_scan_thread_does(tmp_path: Path, scanner) -> None:  # type: ignore[no-untyped-def]
    inline, served_inline = _run(_app(tmp_path / "inline", scanner))
    threaded, served_threaded = _run(_app(tmp_path / "threads", scanner, DLP_INLINE_SCAN_BYTES="0"))
    for (name, a), (_, b) in zip(inline, threaded):
        assert a == b, name
    assert _records(tmp_path / "inline" / "audit.jsonl") == _records(tmp_path / "threads" / "audit.jsonl")
    answers = dict(inline)
    assert answers["findings"][0] == answers["marking"][0] == 200 and answers["findings"][1]["action"] != "allow"
    assert answers["invalid field"][0] == answers["bad address"][0] == 422
    assert answers["a file"][0] == 200 and "TW_NATIONAL_ID" in {f["type"] for f in answers["a file"][1]["findings"]}
    # allow, findings, marking and the bad address (refused by the decision) were decided on the
    # loop; the invalid field was refused while parsing, before; the file and the 4 KiB+ body went
    # to a thread (the chat checks take no admission ticket: not counted here)
    assert (served_inline, served_threaded) == (4, 0)
    assert answers["chat findings"][1]["action"] != "allow" and answers["chat file"][0] == 200


def test_an_fsynced_audit_log_keeps_every_decision_in_a_thread(tmp_path: Path, scanner) -> None:  # type: ignore[no-untyped-def]
    answers, served = _run(_app(tmp_path, scanner, DLP_AUDIT_FSYNC="1"))
    assert served == 0 and dict(answers)["findings"][0] == 200


def test_a_decision_the_audit_log_refuses_on_the_loop_is_503(tmp_path: Path, scanner) -> None:  # type: ignore[no-untyped-def]
    app = _app(tmp_path, scanner)
    headers = {"Authorization": f"Bearer {KEY}"}
    with TestClient(app) as client:
        assert client.post("/v1/scan", json=SCANS[0][1], headers=headers).status_code == 200
        (tmp_path / "audit.jsonl").unlink()  # the log is not where the writer left it: tampering
        for path, body in (("/v1/scan", SCANS[1][1]), ("/v1/chat/check", CHATS[1][1])):
            r = client.post(path, json=body, headers=headers)
            assert r.status_code == 503 and r.json()["error"]["code"] == "audit_unavailable", path
        assert app.state.admission.inline_served == 2  # the allow before, and the refused decision


@pytest.mark.parametrize(("limit", "fsync", "size", "inline"), [
    (4096, False, 1, True), (4096, False, 4096, True), (4096, False, 4097, False), (4096, False, 0, False),
    (0, False, 10, False), (-5, False, 10, False), (4096, True, 10, False),
])
def test_which_bodies_may_be_decided_on_the_loop(limit: int, fsync: bool, size: int, inline: bool) -> None:
    assert Settings(inline_scan_bytes=limit, audit_fsync=fsync).decides_inline(size) is inline


def test_the_setting_is_read_from_the_environment() -> None:
    assert Settings.from_env({}).inline_scan_bytes == 4096
    assert Settings.from_env({"DLP_INLINE_SCAN_BYTES": "0"}).inline_scan_bytes == 0
    with pytest.raises(ValueError, match="DLP_INLINE_SCAN_BYTES"):
        Settings.from_env({"DLP_INLINE_SCAN_BYTES": "four"})
