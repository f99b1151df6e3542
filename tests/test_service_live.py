"""The service as gateways see it: ``python -m service serve --workers 2`` on a loopback port, driven by httpx."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from service.audit import verify
from service.testing import BROKEN_PACK, ServerProcess, running_server, write_test_packs

SCAN_KEY = "live-scan-key-0123456789"
ADMIN_KEY = "live-admin-key-0123456789"
SCAN = {"Authorization": f"Bearer {SCAN_KEY}"}
ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}
PII = "承辦人身分證字號 D104553971，手機 0912-345-678"
MAIL = ("From: clerk@hl.gov.tw\r\nTo: someone@gmail.com\r\nSubject: list\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n" + PII + "\r\n").encode()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServerProcess, Path]]:
    tmp = tmp_path_factory.mktemp("live")
    packs = write_test_packs(tmp / "packs")
    env = {
        "DLP_PATTERNS_DIR": str(packs),
        "DLP_API_KEYS": f"gw:scan:{SCAN_KEY},ops:admin:{ADMIN_KEY}",
        "DLP_KEYS_FILE": str(tmp / "keys.json"),
        "DLP_AUDIT_LOG": str(tmp / "audit.jsonl"),
        "DLP_RUN_DIR": str(tmp / "run"),
        "DLP_RELOAD_POLL_SECONDS": "0.2",
    }
    with running_server(2, env, key=SCAN_KEY, log_path=tmp / "server.log", timeout=120) as srv:
        yield srv, tmp
    assert verify(tmp / "audit.jsonl").ok


def _client() -> httpx.Client:
    # No keep-alive: each request may land on either worker, and none rides a dead worker's socket.
    return httpx.Client(timeout=30, limits=httpx.Limits(max_keepalive_connections=0))


def test_scan_and_mime(server: tuple[ServerProcess, Path]) -> None:
    srv, _ = server
    with _client() as c:
        r = c.post(srv.url + "/v1/scan", headers=SCAN, json={"text": PII, "recipients": ["someone@gmail.com"]})
        assert r.status_code == 200, r.text
        assert {f["type"] for f in r.json()["findings"]} == {"TW_NATIONAL_ID", "TW_PHONE"}
        r = c.post(srv.url + "/v1/scan/mime", headers={**SCAN, "Content-Type": "message/rfc822"}, content=MAIL)
        assert r.status_code == 200, r.text
        assert r.json()["destination"]["column"] == "personal_webmail" and r.json()["findings"]
        assert c.post(srv.url + "/v1/scan", json={"text": "x"}).status_code == 401


class _Load:
    """Scan requests from a few threads until stopped (bounded), recording every failure."""

    def __init__(self, url: str, threads: int = 3, max_requests: int = 600):
        self.url, self.max = url, max_requests
        self.ok = 0
        self.failures: list[str] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._run, daemon=True) for _ in range(threads)]

    def __enter__(self) -> _Load:
        for t in self._threads:
            t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(30)

    def _run(self) -> None:
        with _client() as c:
            while not self._stop.is_set() and self.ok + len(self.failures) < self.max:
                try:
                    r = c.post(self.url + "/v1/scan", headers=SCAN, json={"text": PII, "recipients": ["a@gmail.com"]})
                    good = r.status_code == 200 and len(r.json()["findings"]) == 2
                    msg = f"{r.status_code} {r.text[:200]}"
                except httpx.HTTPError as exc:
                    good, msg = False, repr(exc)
                with self._lock:
                    if good:
                        self.ok += 1
                    else:
                        self.failures.append(msg)
                time.sleep(0.01)


def _versions(srv: ServerProcess) -> dict[str, str]:
    """pid -> pattern version in force, from /metrics."""
    text = httpx.get(srv.url + "/metrics", headers=SCAN, timeout=10).text
    out = {}
    for line in text.splitlines():
        if line.startswith("dlp_patterns_version_info{") and line.endswith(" 1.0"):
            pid = line.split('pid="', 1)[1].split('"', 1)[0]
            out[pid] = line.split('version="', 1)[1].split('"', 1)[0]
    alive = {str(p) for p in srv.worker_pids()}
    return {pid: v for pid, v in out.items() if pid in alive}


def test_reload_while_requests_run(server: tuple[ServerProcess, Path]) -> None:
    srv, tmp = server
    packs = tmp / "packs"
    with _client() as c:
        before = c.get(srv.url + "/v1/patterns", headers=SCAN).json()["version"]
    with _Load(srv.url) as load:
        time.sleep(0.5)
        (packs / "broken.yaml").write_text(BROKEN_PACK, encoding="utf-8")
        with _client() as c:
            r = c.post(srv.url + "/v1/patterns/reload", headers=ADMIN)
            assert r.status_code == 422, r.text
            assert r.json()["error"]["details"][0]["file"] == "broken.yaml"
            (packs / "broken.yaml").unlink()
            pack = packs / "service_test.yaml"
            pack.write_text(pack.read_text(encoding="utf-8").replace("version: 1", "version: 3"), encoding="utf-8")
            r = c.post(srv.url + "/v1/patterns/reload", headers=ADMIN)
            assert r.status_code == 200, r.text
            after = r.json()["version"]
        assert after != before
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and set(_versions(srv).values()) != {after}:
            time.sleep(0.2)
        time.sleep(0.3)
    assert set(_versions(srv).values()) == {after}, "every worker follows the reload"
    assert load.failures == [] and load.ok > 10


def test_a_killed_worker_is_replaced_and_service_goes_on(server: tuple[ServerProcess, Path]) -> None:
    srv, _ = server
    pids = srv.worker_pids()
    assert len(pids) == 2
    with _Load(srv.url, threads=2) as load:
        time.sleep(0.3)
        os.kill(pids[0], signal.SIGKILL)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            now = srv.worker_pids()
            if len(now) == 2 and pids[0] not in now and srv.ready_workers(SCAN_KEY) == 2:
                break
            time.sleep(0.3)
    now = srv.worker_pids()
    assert pids[0] not in now and len(now) == 2 and srv.ready_workers(SCAN_KEY) == 2
    # A request that was on the killed worker at that instant may fail; nothing after it.
    assert len(load.failures) <= 2, load.failures
    assert load.ok > 10
