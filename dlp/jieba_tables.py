"""jieba's dictionary tables, built once per process and shared by every scanner and reload.

jieba keeps two tables of its dictionary (``dict.txt``, ~349,000 words): the tokenizer's
frequencies with an entry for every prefix of every word (``FREQ``, ~498,000 entries) and
jieba.posseg's part-of-speech tags (``word_tag_tab``), each with its own copy of every word:
~110 MB between them, and jieba's own cache of ``FREQ`` (marshal, in the world-writable
temporary directory) takes ~0.4 s to load. Importing jieba.posseg reads the tag table from
``dict.txt`` anyway, so ``FREQ`` is rebuilt over the tag table's own key objects, words only,
from a small cache entry (the frequencies in the tag table's order) in :mod:`dlp.cache_dir`,
keyed by the SHA-256 of ``dict.txt`` and jieba's version. The entry carries a SHA-256 of its
payload; a damaged or foreign entry is ignored and rebuilt from ``dict.txt``.

The prefix entries (frequency 0) only tell jieba's ``get_DAG`` when to stop extending a word;
:class:`WordsTokenizer` tries every length up to the longest word instead, which gives the same
DAG (a fragment that is no prefix has no word after it), and every other reader of ``FREQ``
(``calc``, posseg, our lookups) treats a missing word like a 0. When the entry is written, the
words-only table is checked equal to jieba's own (``gen_pfdict``) less its prefix-only entries.
(Interning the tag table's values, one string per word for 55 distinct tags, would save ~8 MB
more but costs 0.05-0.1 s at every start: not done.) A dictionary other than jieba's default, or
a tag table someone changed (a user dictionary loaded into ``jieba.posseg.dt``), gets jieba's own
loading, uncached.
"""

from __future__ import annotations

import hashlib
import json
import logging
from array import array
from dataclasses import dataclass
from pathlib import Path

import jieba

from dlp.cache_dir import cache_dir, write_atomically

log = logging.getLogger(__name__)

_FORMAT = 2
_PREFIX = "jieba-"
#: Cache entries kept (one per jieba dictionary seen recently: ~3 MB each).
_CACHE_ENTRIES = 4


@dataclass(frozen=True)
class Tables:
    freq: dict[str, int]  # words only, over the tag table's key objects
    total: int
    tags: dict[str, str]  # jieba.posseg.dt.word_tag_tab itself
    max_word_length: int


class WordsTokenizer(jieba.Tokenizer):
    """jieba's tokenizer over a frequency table without prefix entries (see the module docstring)."""

    max_word_length = 0

    def get_DAG(self, sentence: str) -> dict[int, list[int]]:  # noqa: N802 - jieba's name
        self.check_initialized()
        freq, reach, n = self.FREQ, self.max_word_length, len(sentence)
        dag: dict[int, list[int]] = {}
        for k in range(n):
            ends = [i for i in range(k, min(n, k + reach)) if freq.get(sentence[k:i + 1])]
            dag[k] = ends or [k]
        return dag


def _dict_key() -> str:
    """The key of jieba's default dictionary: its bytes (read in chunks) and jieba's version."""
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


def _load(path: Path, tags: dict[str, str]) -> Tables | None:
    try:
        raw = path.read_bytes()
        newline = raw.index(b"\n")
        meta = json.loads(raw[:newline])
        payload = memoryview(raw)[newline + 1:]  # no copy of the ~3 MB payload
        if not isinstance(meta, dict) or meta.get("format") != _FORMAT \
                or meta.get("payload_sha256") != hashlib.sha256(payload).hexdigest() \
                or meta.get("words") != len(tags) or meta.get("keys_sha256") != _keys_digest(tags):
            return None
        freqs = array("q")
        freqs.frombytes(payload)
        total, longest = meta["total"], meta["max_word_length"]
        if len(freqs) != len(tags) or not isinstance(total, int) or not isinstance(longest, int):
            return None
    except Exception:  # absent, truncated, damaged, another format: rebuild from dict.txt
        return None
    return Tables(dict(zip(tags, freqs)), total, tags, longest)


def _build(tags: dict[str, str]) -> tuple[Tables, array]:
    reference, total = jieba.Tokenizer.gen_pfdict(jieba.dt.get_dict_file())
    freqs = array("q", (reference[word] for word in tags))
    freq = dict(zip(tags, freqs))
    if freq != {w: f for w, f in reference.items() if w in tags} or any(reference[w] for w in reference.keys() - freq.keys()):
        raise ValueError("the tag table and the dictionary disagree")
    return Tables(freq, total, tags, max(map(len, tags), default=0)), freqs


def _store(path: Path, tables: Tables, freqs: array) -> None:
    payload = freqs.tobytes()
    meta = {
        "format": _FORMAT, "words": len(tables.tags), "total": tables.total, "max_word_length": tables.max_word_length,
        "keys_sha256": _keys_digest(tables.tags), "payload_sha256": hashlib.sha256(payload).hexdigest(),
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
    import jieba.posseg  # reads the tag table from dict.txt on import

    default = jieba.posseg.dt
    if default.tokenizer.dictionary != jieba.DEFAULT_DICT or default.tokenizer.user_word_tag_tab:
        return None
    tags = default.word_tag_tab
    path = _path(_dict_key())
    loaded = _load(path, tags) if path is not None else None
    if loaded is not None:
        return loaded
    try:
        tables, freqs = _build(tags)
    except ValueError:  # a tag table that is not dict.txt's: jieba's own tables
        return None
    if path is not None:
        _store(path, tables, freqs)
    return tables
