"""Compiled ``regex`` patterns kept between processes (the secrecy rules: ~0.15 s each start).

The ``regex`` module parses a pattern in pure Python; what it pickles is the result (the source,
the flags and the engine's code), which ``regex._regex.compile`` turns back into the very same
pattern in C, ~100x faster. One entry per ``regex`` and Python version in :mod:`dlp.cache_dir`, mapping
(source, flags) to that pickled form, with a SHA-256 of its payload; a damaged or foreign entry
is ignored and rewritten. Patterns are unpickled by an unpickler that can build nothing but
``regex._regex.compile(...)``, and only from a private directory. A pattern that fails to
compile is never cached: it fails with the same ``regex.error`` every time.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import marshal
import pickle
import sys
import threading
from pathlib import Path

import regex

from dlp.cache_dir import cache_dir, write_atomically

log = logging.getLogger(__name__)

_FORMAT = 1
#: Patterns kept in the entry: those compiled by this process first, then the most recent others.
_MAX_PATTERNS = 400


class _PatternUnpickler(pickle.Unpickler):
    """Builds a compiled pattern and nothing else (no other global can be named)."""

    def find_class(self, module: str, name: str):
        if (module, name) == ("regex._regex", "compile"):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"not a compiled pattern: {module}.{name}")


def _path() -> Path | None:
    directory = cache_dir()
    if directory is None:
        return None
    tag = hashlib.sha256(f"{_FORMAT}|{regex.__version__}|{regex.DEFAULT_VERSION}|{sys.version}".encode()).hexdigest()[:16]
    return directory / f"regex-{tag}.cache"


class CompiledPatterns:
    """``compile(source, flags)`` as ``regex.compile``, from the cache when it holds the pattern."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stored: dict[str, bytes] | None = None
        self._used: dict[str, bytes] = {}
        self._new = False

    def _load(self) -> dict[str, bytes]:
        path = _path()
        stored: dict[str, bytes] = {}
        if path is not None:
            try:
                header, _, payload = path.read_bytes().partition(b"\n")
                meta = json.loads(header)
                if meta.get("format") == _FORMAT and meta.get("payload_sha256") == hashlib.sha256(payload).hexdigest():
                    loaded = marshal.loads(payload)
                    if isinstance(loaded, dict):
                        stored = {k: v for k, v in loaded.items() if isinstance(k, str) and isinstance(v, bytes)}
            except Exception:  # absent or damaged: compile, and rewrite it
                stored = {}
        return stored

    def compile(self, source: str, flags: int = 0) -> regex.Pattern[str]:
        key = f"{flags}\0{source}"
        with self._lock:
            if self._stored is None:
                self._stored = self._load()
            blob = self._used.get(key) or self._stored.get(key)
        if blob is not None:
            try:
                pattern = _PatternUnpickler(io.BytesIO(blob)).load()
                if isinstance(pattern, regex.Pattern) and pattern.pattern == source:
                    with self._lock:
                        self._used[key] = blob
                    return pattern
            except Exception:  # a damaged pattern: compile it again
                pass
        pattern = regex.compile(source, flags)  # raises regex.error as it always did
        with self._lock:
            self._used[key] = pickle.dumps(pattern, protocol=pickle.HIGHEST_PROTOCOL)
            self._new = True
        return pattern

    def save(self) -> None:
        """Write the entry when this process compiled a pattern it did not hold."""
        with self._lock:
            if not self._new:
                return
            merged = dict(self._used)
            for key, blob in (self._stored or {}).items():
                if len(merged) >= _MAX_PATTERNS:
                    break
                merged.setdefault(key, blob)
            self._stored, self._new = merged, False
        path = _path()
        if path is None:
            return
        payload = marshal.dumps(merged)
        header = json.dumps({"format": _FORMAT, "payload_sha256": hashlib.sha256(payload).hexdigest()}).encode()
        try:
            write_atomically(path, header + b"\n" + payload)
        except OSError as exc:  # a full disk or a read-only home: start-up is slower, nothing else
            log.info("compiled patterns not cached (%s)", exc)


#: The process's cache (patterns shared by every pack load).
compiled_patterns = CompiledPatterns()
