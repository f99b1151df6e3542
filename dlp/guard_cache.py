"""Packs that passed their load-time guards once are not re-checked in every process.

Every pack load runs two guards against a bad pack: the regex-safety probe
(:func:`dlp.regex_safety.check_detectors`: adversarial inputs against every expression) and
every rule's examples through the whole analysis. Both are deterministic functions of the packs'
bytes and of the code that reads them, and together they were ~0.4 s of a 2.3 s cold start.
A pack set that passed both leaves a marker in :mod:`dlp.cache_dir` keyed by a SHA-256 of:

* every pack file's name and SHA-256 (what ``load_packs`` read),
* every file of the ``dlp`` package (the detectors, the guards, the bundled data),
* the versions of Python and of the libraries the analysis runs on (regex, hyperscan, jieba,
  rjieba, presidio-analyzer, OpenCC's table, PyYAML), and jieba's dictionary file (size, mtime).

Any change to any of them is another key: the guards run again. Only a pass is remembered; a
failing pack set is refused every time, with its reasons. The marker is used only from a private
directory (``cache_dir``: ours, not writable by others), since a planted one would let a pack
skip its guards; a marker whose content is not its own key is ignored and rewritten.
"""

from __future__ import annotations

import hashlib
import json
import logging
import platform
import sys
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from dlp.cache_dir import cache_dir, write_atomically

log = logging.getLogger(__name__)

_FORMAT = 1
_PREFIX = "guards-"
_CACHE_ENTRIES = 32
#: Import names of the libraries the analysis runs on (their installed files are stamped).
_LIBRARIES = ("regex", "hyperscan", "jieba", "rjieba", "marisa_trie", "presidio_analyzer", "opencc", "yaml")
_PACKAGE_ROOT = Path(__file__).resolve().parent


def _tree_stamp(root: Path, digest: hashlib._Hash, recursive: bool = True) -> None:
    """Name, size and modification time of every file under ``root`` (bytecode aside): an edit,
    an upgrade or a reinstall of any of them changes the stamp."""
    for path in sorted(root.rglob("*") if recursive else root.iterdir()):
        if "__pycache__" in path.parts or path.suffix == ".pyc":
            continue
        try:
            st = path.stat()
        except OSError:
            continue
        if path.is_file():
            digest.update(f"{path.relative_to(root).as_posix()}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())


@lru_cache(maxsize=1)
def _environment() -> str:
    """The code and libraries the guards' verdict depends on: the ``dlp`` package, Python, and
    each library's installed files."""
    import importlib

    digest = hashlib.sha256(f"{sys.version}|{platform.machine()}\n".encode())
    _tree_stamp(_PACKAGE_ROOT, digest)
    for name in _LIBRARIES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            digest.update(f"{name}: absent\n".encode())
            continue
        digest.update(f"{name}: {getattr(module, '__version__', '')}\n".encode())
        location = Path(getattr(module, "__file__", "") or ".").resolve().parent
        if location.name == name:  # a package: the files at its top (an upgrade rewrites them)
            _tree_stamp(location, digest, recursive=False)
        else:
            _tree_stamp_file(Path(module.__file__), digest)
    return digest.hexdigest()


def _tree_stamp_file(path: Path, digest: hashlib._Hash) -> None:
    try:
        st = path.stat()
        digest.update(f"{path.name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    except OSError:
        digest.update(f"{path.name}: absent\n".encode())


def guards_key(pack_digests: Iterable[tuple[str, str]]) -> str:
    """The key of one pack set: (file name, SHA-256) of each pack, the code and the libraries."""
    digest = hashlib.sha256(f"{_FORMAT}\n{_environment()}\n".encode())
    for name, sha in sorted(pack_digests):
        digest.update(f"{name}\0{sha}\n".encode())
    return digest.hexdigest()[:40]


def _path(key: str) -> Path | None:
    directory = cache_dir()
    return None if directory is None else directory / f"{_PREFIX}{key}.json"


def passed_before(key: str) -> bool:
    """True when this exact pack set passed the guards before (a marker from a private directory)."""
    path = _path(key)
    if path is None:
        return False
    try:
        meta = json.loads(path.read_bytes())
    except Exception:  # absent, damaged: run the guards
        return False
    return isinstance(meta, dict) and meta.get("format") == _FORMAT and meta.get("key") == key \
        and meta.get("passed") == ["regex_safety", "examples"]


def remember_passed(key: str) -> None:
    """Record that the pack set ``key`` passed the regex-safety probe and every example."""
    path = _path(key)
    if path is None:
        return
    try:
        write_atomically(path, json.dumps({"format": _FORMAT, "key": key, "passed": ["regex_safety", "examples"]}).encode())
        entries = sorted(path.parent.glob(f"{_PREFIX}*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in entries[_CACHE_ENTRIES:]:
            stale.unlink(missing_ok=True)
    except OSError as exc:  # a full disk or a read-only home: the guards run every time
        log.info("pack guards not remembered (%s)", exc)
