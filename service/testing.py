"""Helpers shared by the service tests and the load benchmark (not used by the service itself)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import yaml

REPO = Path(__file__).resolve().parent.parent

#: A small pack that loads in a fraction of the bundled packs' time: enough to exercise the service.
TEST_PACK = """\
pack:
  name: service_test
  version: 1
  description: 服務測試用的精簡規則
rules:
  - id: svc-national-id
    type: TW_NATIONAL_ID
    regex: '(?<![A-Za-z0-9])(?P<value>[A-Z][12][0-9]{8})(?![0-9])'
    validator: tw_national_id
    score: 0.9
    mask: {style: keep_ends, keep_start: 3, keep_end: 2}
    examples:
      match: [身分證字號 D104553971]
      no_match: [序號 D104553972]
  - id: svc-phone
    type: TW_PHONE
    regex: '(?<![0-9])(?P<value>09[0-9]{2}-?[0-9]{3}-?[0-9]{3})(?![0-9])'
    score: 0.8
    mask: {style: phone}
    examples:
      match: [手機 0912-345-678]
      no_match: [編號 10912345678]
"""

BROKEN_PACK = """\
pack:
  name: broken
  version: 1
rules:
  - id: broken-rule
    type: TW_PHONE
    regex: '(?P<value>[0-9'
    examples:
      match: ['0912']
"""


def write_test_packs(directory: Path, with_policy: bool = True) -> Path:
    """A patterns directory with the small test pack and a copy of the bundled policy.yaml."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "service_test.yaml").write_text(TEST_PACK, encoding="utf-8")
    if with_policy:
        write_policy_without_examples(directory / "policy.yaml")
    return directory


def write_policy_without_examples(path: Path, source: Path | None = None) -> Path:
    """A copy of the bundled policy.yaml without its decision examples: they describe the bundled
    packs and conversations.yaml, not a test's own."""
    policy = yaml.safe_load((source or REPO / "patterns" / "policy.yaml").read_text(encoding="utf-8"))
    policy.pop("examples", None)
    path.write_text(yaml.safe_dump(policy, allow_unicode=True), encoding="utf-8")
    return path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServerProcess:
    """``python -m service serve`` on 127.0.0.1 in a child process, with helpers to wait and inspect."""

    def __init__(self, workers: int, env: dict[str, str], args: list[str] | None = None, log_path: Path | None = None,
                 src: Path | None = None, entry_point: bool = False):
        """``src``: run the service from another checkout (a benchmark's baseline); ``entry_point``:
        start it as the installed ``dlp serve`` rather than ``python -m service serve``."""
        self.port = free_port()
        self.workers = workers
        self.url = f"http://127.0.0.1:{self.port}"
        dlp = Path(sys.executable).with_name("dlp")
        start = [str(dlp), "serve"] if entry_point and dlp.exists() else [sys.executable, "-m", "service", "serve"]
        cmd = [*start, "--host", "127.0.0.1", "--port", str(self.port),
               "--workers", str(workers), "--log-level", "warning", *(args or [])]
        self._log = open(log_path, "wb") if log_path else subprocess.DEVNULL  # noqa: SIM115
        full_env = {**os.environ, **env}
        if src is not None:
            full_env["PYTHONPATH"] = str(src)
        self.proc = subprocess.Popen(cmd, cwd=src or REPO, env=full_env, stdout=self._log, stderr=subprocess.STDOUT)

    def worker_pids(self) -> list[int]:
        import psutil

        try:
            children = psutil.Process(self.proc.pid).children()
        except psutil.NoSuchProcess:
            return []
        pids = []
        for child in children:
            try:
                # multiprocessing's resource tracker is a child too; workers run the service.
                if child.status() != psutil.STATUS_ZOMBIE and "resource_tracker" not in " ".join(child.cmdline()):
                    pids.append(child.pid)
            except psutil.Error:
                continue
        return pids

    def ready_workers(self, key: str) -> int:
        try:
            text = httpx.get(self.url + "/metrics", headers={"Authorization": f"Bearer {key}"}, timeout=5).text
        except httpx.HTTPError:
            return 0
        alive = {str(p) for p in self.worker_pids()}
        n = 0
        for line in text.splitlines():
            if line.startswith("dlp_ready{") and line.endswith(" 1.0"):
                pid = line.split('pid="', 1)[1].split('"', 1)[0]
                n += pid in alive
        return n

    def wait_ready(self, key: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}")
            if self.ready_workers(key) >= self.workers:
                return
            time.sleep(0.3)
        raise TimeoutError("server not ready in time")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self._log is not subprocess.DEVNULL:
            self._log.close()


@contextlib.contextmanager
def running_server(workers: int, env: dict[str, str], args: list[str] | None = None, key: str = "",
                   log_path: Path | None = None, timeout: float = 90, src: Path | None = None,
                   entry_point: bool = False) -> Iterator[ServerProcess]:
    server = ServerProcess(workers, env, args, log_path, src, entry_point)
    try:
        server.wait_ready(key, timeout)
        yield server
    finally:
        server.stop()


#: The scan key of ``documented_example_client``.
EXAMPLE_KEY = "openapi-example-key-0123456789"


@contextlib.contextmanager
def documented_example_client(tmp: Path) -> Iterator[object]:
    """A TestClient of the app with the bundled packs and policy: what the OpenAPI examples show."""
    from fastapi.testclient import TestClient

    from service.app import create_app
    from service.settings import Settings

    settings = Settings(env_keys=f"docs:scan:{EXAMPLE_KEY}", keys_file=str(tmp / "keys.json"),
                        audit_log=str(tmp / "audit.jsonl"))
    with TestClient(create_app(settings)) as client:
        yield client


def send_documented_example(client: object, example: dict[str, object]) -> httpx.Response:
    """Send one entry of service/openapi_examples.json as a gateway would."""
    headers = {"Authorization": f"Bearer {EXAMPLE_KEY}", "X-Request-ID": str(example["request_id"])}
    path, request, ctype = str(example["path"]), example["request"], example["content_type"]
    if ctype == "multipart/form-data":
        names = dict(example.get("files") or {})  # type: ignore[call-overload]
        assert isinstance(request, dict)
        data = {k: v for k, v in request.items() if k not in names}
        files = [(field, (filename, str(content).encode("utf-8"), "text/plain"))
                 for field, filenames in names.items() for filename, content in zip(filenames, request[field], strict=True)]
        return client.post(path, headers=headers, data=data, files=files)  # type: ignore[attr-defined,no-any-return]
    if ctype == "application/json":
        return client.post(path, headers=headers, json=request)  # type: ignore[attr-defined,no-any-return]
    return client.post(path, headers={**headers, "Content-Type": str(ctype)},  # type: ignore[attr-defined,no-any-return]
                       content=str(request).encode("utf-8"))
