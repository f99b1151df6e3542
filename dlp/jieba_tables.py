"""jieba's dictionary tables, built once per process and shared by every scanner and reload.

jieba keeps two tables of its dictionary (``dict.txt``, ~349,000 words): the tokenizer's
frequencies with every word's prefixes (``FREQ``, ~498,000 entries) and jieba.posseg's
part-of-speech tags (``word_tag_tab``), each with its own copy of every word: ~110 MB between
them, and jieba's own cache of ``FREQ`` (marshal, in the world-writable temporary directory)
takes ~0.4 s to load. Importing jieba.posseg reads the tag table from ``dict.txt`` anyway, so:

``FREQ`` is rebuilt over the tag table's own key objects, from a small cache entry (the
frequencies in the tag table's order and the prefix-only entries) in :mod:`dlp.cache_dir`, keyed
by the SHA-256 of ``dict.txt`` and jieba's version. The entry carries a SHA-256 of its payload;
a damaged or foreign entry is ignored and rebuilt from ``dict.txt``. The rebuilt ``FREQ`` is
checked equal to jieba's own (``gen_pfdict``) when the entry is written, so lookups,
``get_DAG`` and ``calc`` see exactly what jieba would. (Interning the tag table's values, one
string per word for 55 distinct tags, would save ~8 MB more but costs 0.05-0.1 s at every
start: not done.) A dictionary other than jieba's default, or a tag table someone changed (a
user dictionary loaded into ``jieba.posseg.dt``), gets jieba's own loading, uncached.
"""

from __future__ import annotations

import hashlib
import json
import logging
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dlp.cache_dir import cache_dir, write_atomically

log = logging.getLogger(__name__)

_FORMAT = 1
_PREFIX = "jieba-"
#: Cache entries kept (one per jieba dictionary seen recently: ~4 MB each).
_CACHE_ENTRIES = 4


@dataclass(frozen=True)
class Tables:
    freq: dict[str, int]
    total: int
    tags: dict[str, str]


def _dict_key() -> str:
    """The key of jieba's default dictionary: its bytes (read in chunks) and jieba's version."""
    import jieba

    digest = hashlib.sha256(f"{_FORMAT}|{getattr(jieba, '__version__', '')}|".encode())
    with jieba.dt.get_dict_file() as fh:  # the default dictionary inside jieba's package
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()[:32]


def _keys_digest(tags: dict[str, str]) -> str:
    return hashlib.sha256("\n".join(tags).encode("utf-8")).hexdigest()


def _path(key: str) -> Path | None:
    directory = cache_dir()
    return None if directory is None else directory / f"{_PREFIX}{key}.tables"


def _freq_over(tags: dict[str, str], freqs: Any, prefixes: list[str]) -> dict[str, int]:
    freq = dict(zip(tags, freqs))
    freq.update(dict.fromkeys(prefixes, 0))
    return freq


def _load(path: Path, tags: dict[str, str]) -> tuple[dict[str, int], int] | None:
    try:
        raw = path.read_bytes()
        newline = raw.index(b"\n")
        meta = json.loads(raw[:newline])
        payload = memoryview(raw)[newline + 1:]  # no copy of the ~4 MB payload
        if not isinstance(meta, dict) or meta.get("format") != _FORMAT \
                or meta.get("payload_sha256") != hashlib.sha256(payload).hexdigest() \
                or meta.get("words") != len(tags) or meta.get("keys_sha256") != _keys_digest(tags):
            return None
        cut = int(meta["freq_bytes"])
        freqs = array("q")
        freqs.frombytes(payload[:cut])
        prefixes = str(payload[cut:], "utf-8").split("\n") if len(payload) > cut else []
        total = meta["total"]
        if len(freqs) != len(tags) or not isinstance(total, int):
            return None
    except Exception:  # absent, truncated, damaged, another format: rebuild from dict.txt
        return None
    return _freq_over(tags, freqs, prefixes), total


def _build(tags: dict[str, str]) -> tuple[dict[str, int], int, array, list[str]]:
    import jieba

    reference, total = jieba.Tokenizer.gen_pfdict(jieba.dt.get_dict_file())
    freqs = array("q", (reference[word] for word in tags))
    prefixes = [word for word in reference if word not in tags]
    freq = _freq_over(tags, freqs, prefixes)
    if freq != reference:
        raise ValueError("the tag table and the dictionary disagree")
    return freq, total, freqs, prefixes


def _store(path: Path, tags: dict[str, str], total: int, freqs: array, prefixes: list[str]) -> None:
    payload = freqs.tobytes() + "\n".join(prefixes).encode("utf-8")
    meta = {
        "format": _FORMAT, "words": len(tags), "total": total, "freq_bytes": len(freqs) * freqs.itemsize,
        "keys_sha256": _keys_digest(tags), "payload_sha256": hashlib.sha256(payload).hexdigest(),
    }
    try:
        write_atomically(path, json.dumps(meta).encode() + b"\n" + payload)
        entries = sorted(path.parent.glob(f"{_PREFIX}*.tables"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in entries[_CACHE_ENTRIES:]:
            stale.unlink(missing_ok=True)
    except OSError as exc:  # a full disk or a read-only home: start-up is slower, nothing else
        log.info("jieba tables not cached (%s)", exc)


def default_tables() -> Tables | None:
    """The shared tables of jieba's default dictionary, or None when they cannot be shared
    (jieba.posseg's default tagger has another dictionary or words added)."""
    import jieba
    import jieba.posseg  # reads the tag table from dict.txt on import

    default = jieba.posseg.dt
    if default.tokenizer.dictionary != jieba.DEFAULT_DICT or default.tokenizer.user_word_tag_tab:
        return None
    tags = default.word_tag_tab
    path = _path(_dict_key())
    loaded = _load(path, tags) if path is not None else None
    if loaded is not None:
        return Tables(loaded[0], loaded[1], tags)
    try:
        freq, total, freqs, prefixes = _build(tags)
    except ValueError:  # a tag table that is not dict.txt's: jieba's own tables
        return None
    if path is not None:
        _store(path, tags, total, freqs, prefixes)
    return Tables(freq, total, tags)
