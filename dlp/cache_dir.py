"""Where derived, rebuildable files live (the compiled hyperscan database, jieba's tables, the
packs' guard markers, compiled secrecy patterns, the Unicode fold tables).

Never inside ``patterns/``: a checkout stays clean and a read-only install still works.
``DLP_CACHE_DIR`` wins; else ``$XDG_CACHE_HOME/dlp`` or ``~/.cache/dlp``; else a per-user
directory in the temporary directory. A directory is used only if it is ours and not writable
by others (a file planted there could make the prefilter blind); ``None`` means: do not cache.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def _candidates() -> list[Path]:
    explicit = os.environ.get("DLP_CACHE_DIR")
    if explicit:
        return [Path(explicit)]
    out = []
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        out.append(Path(xdg) / "dlp")
    home = os.path.expanduser("~")
    if home and home != "~":
        out.append(Path(home) / ".cache" / "dlp")
    uid = os.getuid() if hasattr(os, "getuid") else 0
    out.append(Path(tempfile.gettempdir()) / f"dlp-cache-{uid}")
    return out


def _safe(directory: Path) -> bool:
    try:
        st = directory.stat()
    except OSError:
        return False
    if not stat.S_ISDIR(st.st_mode) or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return False
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return False
    return os.access(directory, os.W_OK | os.X_OK)


def cache_dir() -> Path | None:
    """A private, writable cache directory (created 0700 when missing), or None."""
    for directory in _candidates():
        try:
            directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError:
            continue
        if _safe(directory):
            return directory
    return None


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename (readers never see half)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def derived(name: str, key: str, build: Callable[[], T]) -> T:
    """``build()``'s result (plain data: what ``marshal`` stores), from ``<name>-<key>.marshal`` in
    the cache directory when an entry is there and whole (a SHA-256 of its payload), else built
    and stored. ``key`` must change with everything the result depends on."""
    directory = cache_dir()
    path = directory / f"{name}-{key}.marshal" if directory is not None else None
    if path is not None:
        try:
            raw = path.read_bytes()
            digest, payload = raw[:32], memoryview(raw)[32:]
            if digest == hashlib.sha256(payload).digest():
                return marshal.loads(payload)  # type: ignore[no-any-return]
        except Exception:  # absent or damaged: build it again
            pass
    value = build()
    if path is not None:
        try:
            payload = marshal.dumps(value)
            write_atomically(path, hashlib.sha256(payload).digest() + payload)
            for stale in sorted(path.parent.glob(f"{name}-*.marshal"), key=lambda p: p.stat().st_mtime)[:-4]:
                stale.unlink(missing_ok=True)
        except (OSError, ValueError):  # a full disk, a read-only home: slower next time, nothing else
            pass
    return value
