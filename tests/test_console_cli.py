"""``dlp users`` and ``dlp console`` as a person runs them: clear Chinese errors, exit 2, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient

REPO = Path(__file__).resolve().parents[1]


def dlp(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dlp.cli", *args], input=stdin, capture_output=True, text=True,
                          cwd=REPO, timeout=120, check=False)


def test_users_commands(tmp_path):
    db = ["--database-url", f"sqlite:///{tmp_path / 'i.sqlite3'}"]
    first = dlp("users", *db, "first-login")
    assert first.returncode == 0 and "admin" in first.stdout and "密碼" in first.stdout
    again = dlp("users", *db, "first-login")
    assert again.returncode == 0 and "已有帳號" in again.stderr and "密碼：" not in again.stdout
    add = dlp("users", *db, "add", "amy", "--role", "triager", "--password-stdin", stdin="correct horse battery\n")
    assert add.returncode == 0 and add.stdout == ""
    dup = dlp("users", *db, "add", "amy", "--role", "viewer")
    assert dup.returncode == 2 and "已經存在" in dup.stderr and "Traceback" not in dup.stderr
    short = dlp("users", *db, "passwd", "amy", "--password-stdin", stdin="short\n")
    assert short.returncode == 2 and "至少" in short.stderr
    assert dlp("users", *db, "disable", "amy").returncode == 0
    listing = dlp("users", *db, "list")
    assert "amy\ttriager\t停用" in listing.stdout and "admin\tapprover\t啟用" in listing.stdout
    bad = dlp("users", "--database-url", "postgresql://x:y@127.0.0.1:1/none", "list")
    assert bad.returncode == 2 and "無法連上事件資料庫" in bad.stderr and "Traceback" not in bad.stderr


def test_standalone_console_serves_its_login_page(tmp_path):
    import argparse
    import shutil

    from service.console.cli import build_standalone

    patterns = tmp_path / "patterns"
    shutil.copytree(REPO / "patterns", patterns)
    args = argparse.Namespace(database_url=f"sqlite:///{tmp_path / 'i.sqlite3'}", audit_log=str(tmp_path / "audit.jsonl"),
                              patterns=str(patterns), postfix_config=None, secure_cookies=True)
    reviewed = (patterns / "suppressions.yaml").read_bytes()
    with TestClient(build_standalone(args)) as client:
        r = client.get("/", follow_redirects=True)
        assert r.status_code == 200 and "登入資安主控台" in r.text
        assert "Secure" in r.headers["set-cookie"]
    # the salt lives beside the reviewed file (0600), which the start leaves byte for byte
    salt_file = patterns / "suppressions.salt"
    assert len(salt_file.read_text(encoding="utf-8").strip()) == 64
    assert salt_file.stat().st_mode & 0o777 == 0o600
    assert (patterns / "suppressions.yaml").read_bytes() == reviewed
