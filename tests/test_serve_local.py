"""scripts/serve-local.sh, the README's first command: works from a fresh copy (creates .venv,
installs, makes a key) and does not reinstall when nothing it installs from has changed."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _fresh_copy(target: Path) -> Path:
    """The working tree as a clone would have it (tracked and new files, nothing ignored)."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        src = REPO / name
        if src.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target / name)
    return target


def _serve_local(copy: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    # `--help` goes to `dlp serve`: the whole script runs, the server does not start.
    proc = subprocess.run(["bash", "scripts/serve-local.sh", "--help"], cwd=copy, capture_output=True, text=True,
                          timeout=900, env=env, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "usage: dlp serve" in proc.stdout and "Traceback" not in proc.stderr
    return proc


def test_serve_local_installs_once_and_reinstalls_only_when_the_packaging_changes(tmp_path: Path) -> None:
    copy = _fresh_copy(tmp_path / "checkout")
    first = _serve_local(copy)
    assert "Installing dlp into .venv" in first.stdout
    key = (copy / "var" / "local-scan.key").read_text().strip()
    assert len(key) >= 20 and key in first.stdout and (copy / "var" / "keys.json").exists()

    (copy / "dlp" / "cli.py").write_text((copy / "dlp" / "cli.py").read_text() + "\n# edited\n")  # code: no reinstall
    second = _serve_local(copy)
    assert "up to date (no reinstall)" in second.stdout and "Installing" not in second.stdout
    assert (copy / "var" / "local-scan.key").read_text().strip() == key  # the key is made once

    with (copy / "pyproject.toml").open("a") as fh:
        fh.write("\n# a packaging change\n")
    third = _serve_local(copy)
    assert "Installing dlp into .venv" in third.stdout
