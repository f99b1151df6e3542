"""Compiled ``regex`` patterns kept between processes (the secrecy rules: ~0.15 s each start).

The ``regex`` module parses a pattern in pure Python; what it pickles is the result (the source,
the flags and the engine's code), which ``regex._regex.compile`` turns back into the very same
pattern in C, ~100x faster. One entry per ``regex`` and Python version in :mod:`dlp.cache_dir`, mapping
(source, flags) to that pickled form, with a SHA-256 of its payload; a damaged or foreign entry
is ignored and rewritten. Patterns are unpickled by an unpickler that can build nothing but
``regex._regex.compile(...)``, and only from a private directory. A pattern that fails to
compile is never cached: it fails with the same ``regex.error`` every time.

A second entry (``startup_patterns``) holds what the ``regex`` module compiled while a process
started (presidio validates ~170 patterns when its recognizers are imported; the packs'), and
is handed to the module's own cache before presidio is imported (:func:`seed_regex_module`).
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


def _path(name: str = "") -> Path | None:
    directory = cache_dir()
    if directory is None:
        return None
    tag = hashlib.sha256(f"{_FORMAT}|{regex.__version__}|{regex.DEFAULT_VERSION}|{sys.version}".encode()).hexdigest()[:16]
    return directory / f"regex-{name + '-' if name else ''}{tag}.cache"


class CompiledPatterns:
    """``compile(source, flags)`` as ``regex.compile``, from the cache when it holds the pattern."""

    def __init__(self, name: str = "") -> None:
        self.name = name  # another entry (file) of its own
        self._lock = threading.Lock()
        self._stored: dict[str, bytes] | None = None
        self._used: dict[str, bytes] = {}
        self._new = False

    def _load(self) -> dict[str, bytes]:
        path = _path(self.name)
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
            pattern = _unpickled(blob, source)
            if pattern is not None:
                with self._lock:
                    self._used[key] = blob
                return pattern
        pattern = regex.compile(source, flags)  # raises regex.error as it always did
        with self._lock:
            self._used[key] = pickle.dumps(pattern, protocol=pickle.HIGHEST_PROTOCOL)
            self._new = True
        return pattern

    def stored(self) -> dict[tuple[str, int], regex.Pattern[str]]:
        """Every pattern of the entry, by (source, flags)."""
        with self._lock:
            if self._stored is None:
                self._stored = self._load()
            blobs = {**self._stored, **self._used}
        out = {}
        for key, blob in blobs.items():
            flags, _, source = key.partition("\0")
            pattern = _unpickled(blob, source)
            if pattern is not None and flags.isdigit():
                out[(source, int(flags))] = pattern
        return out

    def keep(self, source: str, flags: int, pattern: regex.Pattern[str]) -> None:
        """Hold ``pattern`` (compiled from ``source`` with ``flags``) for the next process."""
        key = f"{int(flags)}\0{source}"
        with self._lock:
            if self._stored is None:
                self._stored = self._load()
            if key not in self._used and key not in self._stored:
                self._used[key] = pickle.dumps(pattern, protocol=pickle.HIGHEST_PROTOCOL)
                self._new = True

    def release(self) -> None:
        """Drop the pickled patterns held in memory (the entry on disk stays; read again if asked)."""
        with self._lock:
            if not self._new:
                self._stored, self._used = None, {}

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
        path = _path(self.name)
        if path is None:
            return
        payload = marshal.dumps(merged)
        header = json.dumps({"format": _FORMAT, "payload_sha256": hashlib.sha256(payload).hexdigest()}).encode()
        try:
            write_atomically(path, header + b"\n" + payload)
        except OSError as exc:  # a full disk or a read-only home: start-up is slower, nothing else
            log.info("compiled patterns not cached (%s)", exc)


def _unpickled(blob: bytes, source: str) -> regex.Pattern[str] | None:
    try:
        pattern = _PatternUnpickler(io.BytesIO(blob)).load()
    except Exception:  # a damaged pattern: compiled again
        return None
    return pattern if isinstance(pattern, regex.Pattern) and pattern.pattern == source else None


#: The process's cache (patterns shared by every pack load).
compiled_patterns = CompiledPatterns()
#: What the regex module compiles at start-up: presidio's recognizers' ~170 patterns, each
#: validated by a compile when its class is defined at import (~0.1 s of every cold start), and
#: the packs' (~0.05 s). Seeded into the module's cache before presidio is imported (dlp.engine),
#: remembered after a pack set loads (dlp.patterns.load_packs).
startup_patterns = CompiledPatterns("startup")


def _module_cache() -> tuple[dict, dict, dict] | None:
    """The ``regex`` module's own pattern cache and the two tables its lookup reads, when they
    have the shape this module knows (``regex._main``: 2024 to 2026 releases); else None."""
    main = getattr(regex, "_main", None)
    tables = tuple(getattr(main, name, None) for name in ("_cache", "_named_args", "_locale_sensitive"))
    return tables if all(isinstance(t, dict) for t in tables) else None  # type: ignore[return-value]


def seed_regex_module(patterns: CompiledPatterns) -> int:
    """Put the entry's patterns into the ``regex`` module's own cache, where ``regex.compile``
    looks first: a caller compiling one of them (presidio, validating its patterns at import)
    gets it without the pure-Python parse. The entries are keyed as ``regex._main._compile``
    stores a pattern compiled without named lists or LOCALE; one is looked up again to confirm
    the module answers from them, and all are taken back if it does not. Returns how many."""
    tables = _module_cache()
    if tables is None:
        return 0
    cache, named_args, locale_sensitive = tables
    version = regex.DEFAULT_VERSION
    added = []
    for (source, flags), pattern in patterns.stored().items():
        if flags & (regex.LOCALE | regex.DEBUG):
            continue
        key = (source, str, flags, frozenset(), version, None)
        if key in cache:
            continue
        cache[key] = pattern
        named_args.setdefault((source, str, flags), frozenset())
        locale_sensitive.setdefault((str, source), False)
        added.append((key, pattern))
    if added:
        key, pattern = added[0]
        try:
            answered = regex.compile(key[0], key[2]) is pattern
        except Exception:
            answered = False
        if not answered:  # another lookup than this module knows: leave the cache as it was
            for key, _ in added:
                cache.pop(key, None)
            return 0
    return len(added)


def remember_regex_module(patterns: CompiledPatterns) -> None:
    """Keep, for the next process's :func:`seed_regex_module`, what the ``regex`` module's own
    cache holds now (patterns without named lists, for ``str``, in the default version)."""
    tables = _module_cache()
    if tables is None:
        return
    version = regex.DEFAULT_VERSION
    for key, pattern in list(tables[0].items()):
        if not (isinstance(key, tuple) and len(key) == 6):
            return
        source, kind, flags, args, key_version, locale = key
        if kind is str and not args and key_version == version and locale is None and isinstance(pattern, regex.Pattern):
            patterns.keep(source, flags, pattern)
    patterns.save()
    patterns.release()  # ~0.2 MB of pickles a service worker need not keep
