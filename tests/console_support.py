"""A real service with the console mounted, on a copy of the bundled packs, for the console tests."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SCAN_KEY = "dlp_console_test_scan_key_0123456789abcdef"
SCAN = {"Authorization": f"Bearer {SCAN_KEY}"}
PASSWORD = "correct horse battery staple"
USERS = {"vic": "viewer", "amy": "triager", "bob": "approver", "carol": "approver"}
ROSTER = (REPO / "samples" / "03-roster.txt").read_text(encoding="utf-8")
ROSTER_IDS = re.findall(r"[A-Z][12][0-9]{8}", ROSTER)
#: Every raw value of the test messages: none may appear in the database or in any page.
RAW_VALUES = [*ROSTER_IDS, "陳美玲", "林志明", "0933-123-456", "clerk@hl.gov.tw", "partner@example.com", "someone@gmail.com"]
SECRET_MAIL = ("From: clerk@hl.gov.tw\r\nTo: someone@gmail.com\r\nSubject: =?utf-8?b?5pys5qGI6YCy5bqm?=\r\n"
               "Content-Type: text/plain; charset=utf-8\r\n\r\n密\n本案偵辦進度如下，請勿外流。\n").encode()


@dataclass
class World:
    app: Any
    patterns: Path
    audit_log: Path
    config: Any  # the console's ConsoleConfig

    @property
    def suppressions(self) -> Path:
        return self.patterns / "suppressions.yaml"


class RecordingQueue:
    """A hold queue that only records what it was asked (the console tests without Postfix; the
    real Postfix queue is in test_console_postfix.py). Every mail counts as held."""

    name = "recording"

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str]] = []
        self._checked: dict[str, str] = {}

    def check(self, incident_id: str, queue_id: str) -> None:
        self._checked[queue_id] = incident_id

    def release(self, queue_id: str) -> None:
        self.calls.append(("release", self._checked.get(queue_id, ""), queue_id))

    def drop(self, queue_id: str) -> None:
        self.calls.append(("drop", self._checked.get(queue_id, ""), queue_id))


def make_world(tmp: Path, database_url: str | None = None, policy_edit: Any = None) -> World:
    from dlp import Scanner
    from dlp.store.accounts import Accounts
    from dlp.suppressions_file import ensure_salt
    from service.app import create_app
    from service.console import console_config
    from service.settings import Settings

    patterns = tmp / "patterns"
    patterns.mkdir()
    for p in (REPO / "patterns").glob("*.yaml"):
        shutil.copy(p, patterns)
    if policy_edit is not None:
        policy = patterns / "policy.yaml"
        policy.write_text(policy_edit(policy.read_text(encoding="utf-8")), encoding="utf-8")
    ensure_salt(patterns)
    settings = Settings(patterns_dir=str(patterns), keys_file=str(tmp / "keys.json"), env_keys=f"gw:scan:{SCAN_KEY}",
                        audit_log=str(tmp / "audit.jsonl"), database_url=database_url, console=True)
    app = create_app(settings, scanner=Scanner(patterns_dir=patterns))
    config = console_config(app)
    config.quarantine = RecordingQueue()
    accounts = Accounts(config.store)
    for name, role in USERS.items():
        accounts.add_user(name, PASSWORD, role)
    return World(app, patterns, tmp / "audit.jsonl", config)


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "no CSRF token in the page"
    return m.group(1)


def login(client: Any, user: str, password: str = PASSWORD) -> str:
    """Log ``user`` in; returns the session's CSRF token."""
    page = client.get("/console/login")
    r = client.post("/console/login", data={"username": user, "password": password, "csrf_token": csrf_of(page.text)},
                    follow_redirects=False)
    assert r.status_code == 303, r.text[:500]
    return csrf_of(client.get("/console/").text)


def audit_events(path: Path) -> list[dict[str, Any]]:
    import json

    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
