"""Shared by the chat tests: a loopback LINE platform that records, and the processes under test.

Nothing here is a mock of what is tested: the platform is a real HTTP server on 127.0.0.1
(what the proxy forwards to must arrive over a socket), the service is a real ``dlp serve``,
the proxy a real ``dlp chat-proxy`` process.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from service.testing import REPO, ServerProcess, free_port, write_policy_without_examples

SCAN_KEY = "chat-scan-key-0123456789"
CHANNEL_SECRET = "test-channel-secret-0123"
BOT_TOKEN = "line-channel-access-token-abcdef"

#: The registry the chat tests run with (ids chosen for the tests; shapes as in the bundled file).
TEST_REGISTRY = """\
registry:
  version: 1
  description: 測試用群組登記清單
conversations:
  - platform: line
    id: Cbad00000000000000000000000000001
    name: 反年金改革群組
    registered: false
    purpose: 非公務群組（列管）
    allowed_level: 無
    members: 180
    external_members: 150
  - platform: line
    id: Cgood0000000000000000000000000002
    name: 社福科承辦群組
    registered: true
    purpose: 補助案件承辦聯繫
    allowed_level: 限閱
    members: 8
    external_members: 0
  - platform: line
    id: Cteam0000000000000000000000000003
    name: 擄人勒贖案偵查小組
    registered: true
    allowed_level: 密
    members: 6
    external_members: 0
  - platform: mattermost
    id: mm-duty-channel-0000000000
    name: 資訊室值班頻道
    registered: true
    allowed_level: 限閱
    members: 12
    external_members: 0
examples:
  - name: 列管群組聲稱已登記仍為未登記
    conversation: {platform: line, id: Cbad00000000000000000000000000001, registered: true}
    expect: {registered: false, column: other_chat}
"""

#: The bulletin's case 1: a 密-marked 偵辦進度報告 (as the end-to-end tests write it).
CASE_REPORT = ("密等及解密條件或保密期限：密（本件於公布時解密）\n"
               "主旨：擄人勒贖案偵辦進度報告\n說明：一、監視器調閱進度如附件。二、被害人家屬聯絡窗口另案通知。")
ONE_ID = "申請人陳美玲，身分證字號F235071300，請協助補件。"


def chat_patterns(directory: Path) -> Path:
    """The bundled packs and policy, with the test registry."""
    directory.mkdir(parents=True, exist_ok=True)
    for pack in (REPO / "patterns").glob("*.yaml"):
        if pack.name not in ("conversations.yaml", "policy.yaml"):
            shutil.copy(pack, directory / pack.name)
    write_policy_without_examples(directory / "policy.yaml")  # its examples name the bundled groups
    (directory / "conversations.yaml").write_text(TEST_REGISTRY, encoding="utf-8")
    return directory


def service_env(tmp: Path, patterns: Path) -> dict[str, str]:
    return {"DLP_PATTERNS_DIR": str(patterns), "DLP_API_KEYS": f"gw:scan:{SCAN_KEY}",
            "DLP_KEYS_FILE": str(tmp / "keys.json"), "DLP_AUDIT_LOG": str(tmp / "audit.jsonl"),
            "DLP_RUN_DIR": str(tmp / "run")}


def audit_records(tmp: Path) -> list[dict[str, Any]]:
    path = tmp / "audit.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def wait_port(port: int, timeout: float = 30.0, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on {port}")


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class FakeLinePlatform:
    """The LINE platform and a bot's webhook endpoint on one loopback server, recording.

    Send endpoints answer as LINE does, including ``X-Line-Retry-Key``: a repeat of an accepted
    key gets 409 with ``x-line-accepted-request-id``. ``/media/NAME`` serves ``media[NAME]``.
    """

    received: list[Received] = field(default_factory=list)
    media: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    accepted_keys: dict[str, str] = field(default_factory=dict)
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def sends(self) -> list[Received]:
        return [r for r in self.received if r.path.startswith("/v2/bot/message/")]

    def clear(self) -> None:
        self.received.clear()

    @contextlib.contextmanager
    def running(self) -> Iterator[FakeLinePlatform]:
        platform = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _answer(self, status: int, doc: Any, headers: dict[str, str] | None = None, raw: bytes | None = None,
                        ctype: str = "application/json") -> None:
                body = raw if raw is not None else json.dumps(doc).encode()
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                if self.path.startswith("/media/"):
                    item = platform.media.get(self.path[len("/media/"):])
                    if item is None:
                        self._answer(404, {"message": "Not found"})
                    else:
                        self._answer(200, None, raw=item[0], ctype=item[1])
                    return
                platform.received.append(Received(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                if self.path.startswith("/v2/bot/message/"):
                    key = self.headers.get("X-Line-Retry-Key")
                    if key and key in platform.accepted_keys:
                        self._answer(409, {"message": "The retry key is already accepted"},
                                     {"x-line-accepted-request-id": platform.accepted_keys[key]})
                        return
                    request_id = f"req-{len(platform.received)}"
                    if key:
                        platform.accepted_keys[key] = request_id
                    self._answer(200, {"sentMessages": [{"id": "461230966842064897", "quoteToken": "q"}]}
                                 if self.path.endswith(("/push", "/reply")) else {}, {"x-line-request-id": request_id})
                elif self.path.startswith("/bot/"):
                    self._answer(200, {"relayed": True})
                elif self.path == "/v2/bot/info":
                    self._answer(200, {"userId": "Ubot", "basicId": "@bot", "displayName": "機關機器人",
                                       "chatMode": "bot", "markAsReadMode": "manual"}, {"x-line-request-id": "info-1"})
                else:
                    self._answer(404, {"message": "Not found"})

            do_GET = do_POST = do_PUT = do_DELETE = _handle

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = server.server_address[1]
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            server.shutdown()
            server.server_close()


class ProxyProcess:
    """``dlp chat-proxy`` in a child process on a free loopback port."""

    def __init__(self, upstream: str, service: str, env: dict[str, str] | None = None, args: list[str] | None = None,
                 log_path: Path | None = None):
        import os

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        cmd = [sys.executable, "-m", "dlp.cli", "chat-proxy", "--upstream", upstream, "--service", service,
               "--listen", f"127.0.0.1:{self.port}", "--log-level", "warning", *(args or [])]
        self._log = open(log_path, "wb") if log_path else subprocess.DEVNULL  # noqa: SIM115
        self.proc = subprocess.Popen(cmd, cwd=REPO, env={**os.environ, "DLP_API_KEY": SCAN_KEY, **(env or {})},
                                     stdout=self._log, stderr=subprocess.STDOUT)
        wait_port(self.port, proc=self.proc)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self._log is not subprocess.DEVNULL:
            self._log.close()


def wait_ready(server: ServerProcess, timeout: float = 120) -> None:
    """Until ``/readyz`` says ready (any number of workers, one included)."""
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise RuntimeError(f"dlp serve exited with {server.proc.returncode}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(server.url + "/readyz", timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise TimeoutError("dlp serve not ready in time")


@contextlib.contextmanager
def running_service(tmp: Path, patterns: Path, workers: int = 1, timeout: float = 120) -> Iterator[ServerProcess]:
    server = ServerProcess(workers, service_env(tmp, patterns), log_path=tmp / "server.log")
    try:
        wait_ready(server, timeout)
        yield server
    finally:
        server.stop()
