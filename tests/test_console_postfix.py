"""Release and drop of held mail (``dlp.gateways.mail.quarantine``: the one implementation the
console and ``dlp quarantine`` share) against a real, private Postfix instance, through the
console's own action with a real store and a real audit trail.

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

from dlp.gateways.mail.quarantine import PostfixQueue, QuarantineError, act_on_held

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

    def hold_one(self, subject: str, incident: str) -> str:
        """A mail held as the milter holds one: in the hold queue, carrying its X-DLP-Incident."""
        before = set(self.queue())
        self.run("sendmail", "-C", str(self.conf), "-f", "clerk@hl.gov.tw", "partner@example.com",
                 stdin=f"From: clerk@hl.gov.tw\nTo: partner@example.com\nX-DLP-Incident: {incident}\nSubject: {subject}\n\nbody\n")
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
    (root / "conf" / "header_checks").write_text("/^X-DLP-Incident:/ HOLD\n", encoding="utf-8")
    pf = PrivatePostfix(root)
    pf.run("postfix", "-c", str(pf.conf), "check")
    pf.run("postfix", "-c", str(pf.conf), "start")
    try:
        yield pf
    finally:
        subprocess.run(["postfix", "-c", str(pf.conf), "stop"], capture_output=True, timeout=60, check=False)
        shutil.rmtree(base, ignore_errors=True)


def test_release_and_drop_with_real_postsuper(postfix: PrivatePostfix, tmp_path: Path):
    from dlp.audit import AuditLog

    queue = PostfixQueue(str(postfix.conf))
    audit = AuditLog(tmp_path / "audit.jsonl")
    released = postfix.hold_one("release me", "DLP-20261201-0000000001")
    dropped = postfix.hold_one("drop me", "DLP-20261201-0000000002")
    with pytest.raises(QuarantineError, match="不符"):  # the header names another incident: not touched
        act_on_held(queue, audit.append, "release", "DLP-20261201-0000000009", released, "secops", "test", via="cli")
    act_on_held(queue, audit.append, "release", "DLP-20261201-0000000001", released, "secops", "主管核准", via="cli")
    postfix.wait(lambda q: released not in q)  # delivered (discard transport) and removed
    assert "status=sent" in (postfix.root / "maillog").read_text(errors="replace")
    assert postfix.queue()[dropped] == "hold"
    act_on_held(queue, audit.append, "drop", "DLP-20261201-0000000002", dropped, "secops", "誤寄", via="cli")
    assert dropped not in postfix.queue()
    with pytest.raises(QuarantineError, match="不在"):
        act_on_held(queue, audit.append, "drop", "DLP-20261201-0000000002", dropped, "secops", "again", via="cli")
    with pytest.raises(QuarantineError, match="postsuper"):
        queue.drop(dropped)  # gone: postsuper exits 0 but moved nothing, and we say so
    with pytest.raises(QuarantineError, match="格式不正確"):
        queue.release("../../etc")
    events = [json.loads(line)["event"] for line in (tmp_path / "audit.jsonl").read_text(encoding="utf-8").splitlines()]
    assert events == ["quarantine_release", "quarantine_drop"]


def test_the_console_releases_a_held_mail_through_the_same_queue(postfix: PrivatePostfix, tmp_path: Path):
    """The console's release (one approver for a lower level) with the real queue and a real store."""
    from console_support import SCAN, login, make_world
    from fastapi.testclient import TestClient

    world = make_world(tmp_path)
    world.config.quarantine = PostfixQueue(str(postfix.conf))
    with TestClient(world.app) as client:
        # a 密 letter to an outsider (an incident); held here as the milter would hold it
        answer = client.post("/v1/scan", headers=SCAN, json={"channel": "mail", "sender": "clerk@hl.gov.tw",
                                                             "recipients": ["partner@example.com"], "text": "密\n本案偵辦進度如下，請勿外流。\n"})
        iid = answer.json()["incident_id"]
        queue_id = postfix.hold_one("held", iid)
        world.config.store.set_quarantine(iid, "held", "milter", "queued", {}, queue_id=queue_id)
        csrf = login(client, "bob")
        r = client.post(f"/console/incidents/{iid}/release", data={"csrf_token": csrf, "reason": "業務需要"})
        assert r.status_code == 200 and "已放行" in r.text
    postfix.wait(lambda q: queue_id not in q)
    assert world.config.store.get(iid)["quarantine_state"] == "released"
    records = [json.loads(line) for line in world.audit_log.read_text(encoding="utf-8").splitlines()]
    (release,) = [r for r in records if r.get("event") == "quarantine_release"]
    assert release["via"] == "console" and release["by"] == "bob" and release["queue_id"] == queue_id
