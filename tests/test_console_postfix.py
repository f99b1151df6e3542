"""The console's Postfix release backend against a real, private Postfix instance.

The instance has its own configuration and queue under the test's temporary directory, no
network listener, a header check that holds tagged mail (as the milter's quarantine does) and
a ``discard`` transport, so a released mail is really delivered by Postfix and nothing leaves.
Postfix is Debian's, installed by ``scripts/ci-system-deps.sh``; missing, the test fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from service.console.quarantine import PostfixQuarantine, QuarantineError

MAIN_CF = """\
compatibility_level = 3.6
queue_directory = {d}/queue
data_directory = {d}/data
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = loopback-only
inet_protocols = ipv4
myhostname = dlp-test.localdomain
mydestination =
default_transport = discard:
relay_transport = discard:
local_transport = discard:
header_checks = regexp:{d}/conf/header_checks
maillog_file = {d}/maillog
maillog_file_prefixes = {d}
master_service_disable = inet
"""


class PrivatePostfix:
    def __init__(self, root: Path):
        self.root = root
        self.conf = root / "conf"

    def run(self, *argv: str, stdin: str | None = None) -> str:
        done = subprocess.run(list(argv), input=stdin, capture_output=True, text=True, timeout=60, check=False)
        assert done.returncode == 0, f"{argv}: {done.stderr}"
        return done.stdout

    def queue(self) -> dict[str, str]:
        out = self.run("postqueue", "-c", str(self.conf), "-j")
        return {d["queue_id"]: d["queue_name"] for d in map(json.loads, out.splitlines()) if d}

    def hold_one(self, subject: str) -> str:
        before = set(self.queue())
        self.run("sendmail", "-C", str(self.conf), "-f", "clerk@hl.gov.tw", "partner@example.com",
                 stdin=f"From: clerk@hl.gov.tw\nTo: partner@example.com\nX-DLP-Hold: yes\nSubject: {subject}\n\nbody\n")
        return self.wait(lambda q: next((i for i, n in q.items() if i not in before and n == "hold"), None))

    def wait(self, pick, timeout: float = 30.0):  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = pick(self.queue())
            if found:
                return found
            time.sleep(0.2)
        raise AssertionError(f"Postfix queue never got there: {self.queue()} {(self.root / 'maillog').read_text(errors='replace')[-800:]}")


@pytest.fixture
def postfix() -> Iterator[PrivatePostfix]:
    if not shutil.which("postfix") and not Path("/usr/sbin/postfix").exists():
        pytest.fail("Postfix is not installed: run sudo bash scripts/ci-system-deps.sh", pytrace=False)
    if os.geteuid() != 0:
        pytest.fail("the private Postfix instance needs root (CI runs as root)", pytrace=False)
    # Postfix's daemons run as the postfix user: the instance lives where that user can reach it
    # (pytest's own temporary directories are private to root).
    base = Path(tempfile.mkdtemp(prefix="dlp-postfix-"))
    os.chmod(base, 0o755)
    root = base / "postfix"
    for sub in ("conf", "queue", "data"):
        (root / sub).mkdir(parents=True)
    shutil.chown(root / "data", "postfix")
    (root / "conf" / "main.cf").write_text(MAIN_CF.format(d=root), encoding="utf-8")
    shutil.copy("/etc/postfix/master.cf", root / "conf" / "master.cf")
    (root / "conf" / "header_checks").write_text("/^X-DLP-Hold:/ HOLD\n", encoding="utf-8")
    pf = PrivatePostfix(root)
    pf.run("postfix", "-c", str(pf.conf), "check")
    pf.run("postfix", "-c", str(pf.conf), "start")
    try:
        yield pf
    finally:
        subprocess.run(["postfix", "-c", str(pf.conf), "stop"], capture_output=True, timeout=60, check=False)
        shutil.rmtree(base, ignore_errors=True)


def test_release_and_drop_with_real_postsuper(postfix: PrivatePostfix):
    backend = PostfixQuarantine(str(postfix.conf))
    released, dropped = postfix.hold_one("release me"), postfix.hold_one("drop me")
    backend.release("DLP-20261201-0000000001", released)
    postfix.wait(lambda q: released not in q)  # delivered (discard transport) and removed
    assert "status=sent" in (postfix.root / "maillog").read_text(errors="replace")
    assert postfix.queue()[dropped] == "hold"
    backend.drop("DLP-20261201-0000000002", dropped)
    assert dropped not in postfix.queue()
    with pytest.raises(QuarantineError, match="postsuper"):
        backend.drop("DLP-20261201-0000000002", dropped)  # gone: Postfix says so, the console shows it
    with pytest.raises(QuarantineError, match="格式不正確"):
        backend.release("DLP-20261201-0000000003", "../../etc")
