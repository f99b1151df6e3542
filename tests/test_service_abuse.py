"""Issue 10, "done when": a real ``dlp serve --workers 2`` on loopback, tried as an attacker would.

The bundled packs, with a policy whose analysis budget is short (2 s for the body) so that the
budget is reached quickly. The few timings asserted are the issue's own bounds, with margins
far above what the service needs (a shared CI machine is slow, not that slow).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from service.testing import REPO, ServerProcess, running_server

SCAN_KEY = "abuse-scan-key-0123456789"
ADMIN_KEY = "abuse-admin-key-0123456789"
SCAN = {"Authorization": f"Bearer {SCAN_KEY}"}
ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}
BODY_SECONDS = 2
DLP = Path(sys.executable).with_name("dlp")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServerProcess, Path, dict[str, str]]]:
    tmp = tmp_path_factory.mktemp("abuse")
    packs = tmp / "packs"
    packs.mkdir()
    for pack in (REPO / "patterns").glob("*.yaml"):
        shutil.copy(pack, packs)
    policy = (packs / "policy.yaml").read_text(encoding="utf-8")
    policy = re.sub(r"body_seconds: \d+", f"body_seconds: {BODY_SECONDS}", policy)
    policy = re.sub(r"message_seconds: \d+", f"message_seconds: {2 * BODY_SECONDS}", policy)
    (packs / "policy.yaml").write_text(policy, encoding="utf-8")
    env = {
        "DLP_PATTERNS_DIR": str(packs),
        "DLP_API_KEYS": f"gw:scan:{SCAN_KEY},ops:admin:{ADMIN_KEY}",
        "DLP_KEYS_FILE": str(tmp / "keys" / "keys.json"),
        "DLP_AUDIT_LOG": str(tmp / "audit.jsonl"),
        "DLP_RUN_DIR": str(tmp / "run"),
        "DLP_RELOAD_POLL_SECONDS": "0.2",
    }
    assert DLP.exists(), f"the dlp entry point is not installed next to {sys.executable}"
    with running_server(2, env, key=SCAN_KEY, log_path=tmp / "server.log", timeout=180, entry_point=True) as srv:
        yield srv, tmp, env


def _http(sock: socket.socket, method: str, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    """One HTTP/1.1 exchange on an open socket (keep-alive), answer read by Content-Length."""
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len(body)}\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    sock.sendall(head.encode("latin-1") + body)
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        assert chunk, "connection closed before the answer"
        buf += chunk
    raw_head, rest = buf.split(b"\r\n\r\n", 1)
    lines = raw_head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    fields = {k.lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
    length = int(fields.get("content-length", "0"))
    while len(rest) < length:
        chunk = sock.recv(65536)
        assert chunk, "connection closed in the middle of the answer"
        rest += chunk
    return status, fields, rest[:length]


DEEP = "[" * 10_000 + "]" * 10_000
BAD_BODIES = [
    ("deep top level", DEEP.encode(), 400),
    ("deep in a field", ('{"text": "x", "recipients": ' + DEEP + "}").encode(), 400),
    ("deep conversation", ('{"channel": "chat", "conversation": ' + '{"a":' * 10_000 + "1" + "}" * 10_000 + "}").encode(), 400),
    ("surrogate, mail", b'{"channel": "mail", "recipients": ["a@\\ud800.com"]}', 422),
    ("surrogate, chat", b'{"channel": "chat", "recipients": ["\\ud800"]}', 422),
    ("surrogate, other", b'{"channel": "other", "recipients": ["https://x.example/\\udfff"]}', 422),
    ("surrogate, conversation name", b'{"channel": "chat", "conversation": {"id": "g", "name": "\\ud83d"}}', 422),
]


def test_malformed_input_is_4xx_and_the_connection_stays_usable(server) -> None:
    srv, _, _ = server
    with socket.create_connection(("127.0.0.1", srv.port), timeout=60) as sock:
        for name, body, status in BAD_BODIES:
            got, fields, answer = _http(sock, "POST", "/v1/scan", body, {**SCAN, "Content-Type": "application/json"})
            assert got == status, (name, answer[:300])
            assert json.loads(answer)["error"]["message"], name
            assert fields.get("connection", "").lower() != "close", name
            # the next, innocent request on the same connection
            got, _, answer = _http(sock, "POST", "/v1/scan", b'{"text": "hello", "channel": "chat"}',
                                   {**SCAN, "Content-Type": "application/json"})
            assert got == 200, (name, answer[:300])
        boundary = "zzBOUNDARYzz"
        form = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nhi\r\n"
                f"--{boundary}\r\nContent-Disposition: form-data; name=\"conversation\"\r\n\r\n{DEEP}\r\n--{boundary}--\r\n").encode()
        got, _, answer = _http(sock, "POST", "/v1/scan", form, {**SCAN, "Content-Type": f"multipart/form-data; boundary={boundary}"})
        assert got == 400 and b"conversation" in answer
        got, _, _ = _http(sock, "POST", "/v1/scan", b'{"text": "hello"}', {**SCAN, "Content-Type": "application/json"})
        assert got == 200


def test_a_huge_header_is_431_before_authentication(server) -> None:
    srv, _, _ = server
    with socket.create_connection(("127.0.0.1", srv.port), timeout=60) as sock:
        sock.sendall(b"GET /v1/patterns HTTP/1.1\r\nHost: x\r\nX-Big: ")
        try:
            for _ in range(64):  # up to 4 MiB of one header; the server stops reading long before
                sock.sendall(b"a" * 65536)
        except (BrokenPipeError, ConnectionResetError):
            pass
        answer = b""
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except ConnectionResetError:
            pass
    assert answer.startswith(b"HTTP/1.1 431"), answer[:200]
    assert b"headers_too_large" in answer
    assert httpx.get(srv.url + "/healthz", timeout=10).status_code == 200


def test_ten_megabytes_of_digits_end_within_the_budget_with_limit_exceeded(server) -> None:
    srv, _, _ = server
    started = time.monotonic()
    r = httpx.post(srv.url + "/v1/scan", headers=SCAN, timeout=120,
                   json={"text": "1234567890" * 1_000_000, "channel": "mail", "recipients": ["someone@gmail.com"]})
    elapsed = time.monotonic() - started
    assert r.status_code == 200, r.text[:300]
    body = r.json()
    limits = [f for f in body["findings"] if f["type"] == "LIMIT_EXCEEDED"]
    assert limits and limits[0]["location"] == "body" and limits[0]["detail"]["limit"] == "body_seconds"
    assert body["action"] != "allow"  # never an allow of unread text
    assert elapsed < BODY_SECONDS + 20, elapsed  # the budget, plus reading and parsing 10 MB on a busy machine


def test_a_chat_message_is_answered_while_eight_large_requests_run(server) -> None:
    srv, _, _ = server
    large = json.dumps({"channel": "mail", "recipients": ["a@hl.gov.tw"],
                        "text": "承辦人王小明，電話 0912-345-678，身分證字號 D104553971。本府辦理年度業務檢討。" * 40_000},
                       ensure_ascii=False).encode()
    assert len(large) > 3_000_000
    stop = threading.Event()
    answered: list[int] = []

    def big() -> None:
        with httpx.Client(timeout=120) as c:
            while not stop.is_set():
                try:
                    answered.append(c.post(srv.url + "/v1/scan", headers={**SCAN, "Content-Type": "application/json"},
                                           content=large).status_code)
                except httpx.HTTPError:
                    answered.append(-1)

    threads = [threading.Thread(target=big, daemon=True) for _ in range(8)]
    for t in threads:
        t.start()
    latencies = []
    try:
        time.sleep(2)  # let them fill the workers
        with httpx.Client(timeout=60, limits=httpx.Limits(max_keepalive_connections=0)) as c:
            for i in range(12):
                t0 = time.monotonic()
                r = c.post(srv.url + "/v1/scan", headers=SCAN, json={
                    "channel": "chat", "text": f"第 {i} 則：明天開會，請準時出席。" * 40,
                    "conversation": {"id": "g1", "members": 12, "registered": True}})
                latencies.append(time.monotonic() - t0)
                assert r.status_code == 200, r.text[:200]
    finally:
        stop.set()
        for t in threads:
            t.join(120)
    assert set(answered) <= {200, 429, 503}, answered  # refused large ones are told to retry, never a 500
    assert statistics.median(latencies) < 1.0, latencies


CATASTROPHIC = """\
pack:
  name: backtracking
  version: 1
rules:
  - id: backtracking-rule
    type: TW_PHONE
    regex: '(?P<value>(?:a|aa)+c)(?!x)'
    examples:
      match: ['aac']
"""


def test_a_reload_with_a_catastrophic_regex_is_refused(server) -> None:
    srv, tmp, _ = server
    bad = tmp / "packs" / "backtracking.yaml"
    bad.write_text(CATASTROPHIC, encoding="utf-8")
    try:
        r = httpx.post(srv.url + "/v1/patterns/reload", headers=ADMIN, timeout=60)
    finally:
        bad.unlink()
    assert r.status_code == 422, r.text
    detail = r.json()["error"]["details"][0]
    assert detail["file"] == "backtracking.yaml" and detail["rule"] == "backtracking-rule"
    assert "回溯" in detail["reason"]
    assert httpx.post(srv.url + "/v1/scan", headers=SCAN, json={"text": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaacx"}).status_code == 200


def test_the_audit_log_holds_no_digits_of_an_id_in_a_destination_url(server) -> None:
    srv, tmp, _ = server
    url = "https://drive.example.com/share/王小明-A123456789/名冊"
    r = httpx.post(srv.url + "/v1/scan", headers={**SCAN, "X-Request-ID": "url-destination"}, timeout=60, json={
        "channel": "other", "recipients": [url], "text": "身分證字號 D104553971，密碼 hunter2，電話 0912-345-678"})
    assert r.status_code == 200 and any(url in reason for reason in r.json()["reasons"])  # the caller sees it
    raw = (tmp / "audit.jsonl").read_text(encoding="utf-8")
    record = next(json.loads(line) for line in raw.splitlines() if '"url-destination"' in line)
    assert record["policy_version"] == r.json()["policy_version"] and record["patterns_version"]
    text = json.dumps(record, ensure_ascii=False)
    digits = "123456789"
    for i in range(len(digits) - 5):
        assert digits[i:i + 6] not in text, digits[i:i + 6]
    for secret in ("王小明", "hunter2", "D104553971", "0912-345-678", "drive.example.com/share"):
        assert secret not in text, secret


def _verify(log: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(DLP), "audit", "verify", str(log)], capture_output=True, text=True, timeout=120)


def test_truncating_the_audit_log_stops_decisions_and_verify_says_so(server) -> None:
    srv, tmp, env = server
    log = tmp / "audit.jsonl"
    assert httpx.post(srv.url + "/v1/scan", headers=SCAN, json={"text": "hello"}).status_code == 200
    assert _verify(log).returncode == 0
    with log.open("r+b") as fh:
        fh.truncate(log.stat().st_size // 2)
    r = httpx.post(srv.url + "/v1/scan", headers=SCAN, json={"text": "hello"})
    assert r.status_code == 503 and r.json()["error"]["code"] == "audit_unavailable"
    assert "action" not in r.json()
    assert httpx.get(srv.url + "/readyz").status_code == 503
    result = _verify(log)
    assert result.returncode == 1 and "removed" in result.stdout, result.stdout
    # An operator looks, then accepts the log as it is: decisions resume, and the log says so.
    done = subprocess.run([str(DLP), "audit", "reanchor", str(log), "--reason", "investigated in the test"],
                          capture_output=True, text=True, timeout=60, env={**os.environ, **env})
    assert done.returncode == 0, done.stderr
    assert httpx.post(srv.url + "/v1/scan", headers=SCAN, json={"text": "hello"}).status_code == 200
    after = _verify(log)
    assert after.returncode == 0 and "restarted" in after.stdout


def test_a_revoked_key_gets_401_within_five_seconds(server) -> None:
    srv, _, env = server
    run_env = {**os.environ, **env}
    added = subprocess.run([str(DLP), "keys", "add", "temp-gateway"], capture_output=True, text=True, timeout=60, env=run_env)
    assert added.returncode == 0, added.stderr
    key = added.stdout.strip()
    headers = {"Authorization": f"Bearer {key}"}
    assert httpx.post(srv.url + "/v1/scan", headers=headers, json={"text": "hi"}).status_code == 200
    listed = subprocess.run([str(DLP), "keys", "list"], capture_output=True, text=True, timeout=60, env=run_env)
    assert "temp-gateway" in listed.stdout and key not in listed.stdout
    revoked = subprocess.run([str(DLP), "keys", "revoke", "temp-gateway"], capture_output=True, text=True, timeout=60, env=run_env)
    assert revoked.returncode == 0, revoked.stderr
    started = time.monotonic()
    statuses = []
    while time.monotonic() - started < 5:
        statuses.append(httpx.post(srv.url + "/v1/scan", headers=headers, json={"text": "hi"}).status_code)
        if len(statuses) >= 4 and statuses[-4:] == [401] * 4:  # both workers, several times
            break
        time.sleep(0.1)
    assert statuses[-4:] == [401] * 4, statuses



def test_a_busy_worker_is_given_thirty_seconds_to_answer_the_supervisors_health_check() -> None:
    """uvicorn kills a worker that does not answer its supervisor's check in time (5 s by
    default); a worker deep in a 10 MB body's scan on a loaded machine answered late and was
    killed, dropping the request ("Server disconnected"): ``dlp serve`` passes 30 s."""
    import inspect

    import uvicorn

    from service.server import WORKER_HEALTHCHECK_SECONDS, _healthcheck_option

    assert "timeout_worker_healthcheck" in inspect.signature(uvicorn.run).parameters, uvicorn.__version__
    assert _healthcheck_option(uvicorn) == {"timeout_worker_healthcheck": WORKER_HEALTHCHECK_SECONDS}
    assert WORKER_HEALTHCHECK_SECONDS >= 30
