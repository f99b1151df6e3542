"""Run the installed ``dlp`` console script as a user would, and check it never shows a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

#: The entry point pip installed beside this interpreter (``pip install -e '.[test]'``).
DLP = Path(sys.executable).parent / "dlp"


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def run_dlp(*args: str | bytes | os.PathLike[str], stdin: bytes = b"", cwd: Path | None = None,
            env: dict[str, str] | None = None, timeout: float = 180) -> subprocess.CompletedProcess[bytes]:
    """``dlp ARGS`` in a subprocess (bytes arguments go to argv as they are)."""
    assert DLP.exists(), f"the `dlp` entry point is not installed at {DLP}: run pip install -e '.[test]'"
    proc = subprocess.run(
        [str(DLP), *[a if isinstance(a, bytes) else os.fspath(a) for a in args]],
        input=stdin, capture_output=True, cwd=cwd, timeout=timeout,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
    )
    assert b"Traceback" not in proc.stderr, proc.stderr.decode("utf-8", "replace")[-3000:]
    assert b"Traceback" not in proc.stdout, proc.stdout.decode("utf-8", "replace")[-3000:]
    return proc


def assert_usage_error(proc: subprocess.CompletedProcess[bytes], needle: str) -> str:
    """Exit 2, one line in Chinese on stderr that contains ``needle``, nothing on stdout."""
    err = proc.stderr.decode("utf-8")
    lines = [line for line in err.splitlines() if line.strip()]
    assert proc.returncode == 2, (proc.returncode, err)
    assert len(lines) == 1, err
    assert has_chinese(lines[0]) and needle in lines[0], lines[0]
    assert proc.stdout == b"", proc.stdout
    return lines[0]
