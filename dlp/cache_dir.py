"""Where derived, rebuildable files live (the compiled hyperscan database, jieba's tag table).

Never inside ``patterns/``: a checkout stays clean and a read-only install still works.
``DLP_CACHE_DIR`` wins; else ``$XDG_CACHE_HOME/dlp`` or ``~/.cache/dlp``; else a per-user
directory in the temporary directory. A directory is used only if it is ours and not writable
by others (a file planted there could make the prefilter blind); ``None`` means: do not cache.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


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
