"""jieba's dictionary off the Python heap: its words in a marisa trie, each word's frequency and
part-of-speech tag in arrays indexed by the word's key id.

jieba's own tables (``FREQ`` with an entry for every prefix of every word, and jieba.posseg's
``word_tag_tab``) hold a Python string, a dict slot and an int or a tag string per word: ~100 MB
for ``dict.txt``'s ~349,000 words. Here the same dictionary takes ~5 MB (the trie ~1.3 MB, the
frequencies 2.8 MB, the tags 0.35 MB), and a lookup is one C call. :class:`Frequencies` and
:class:`Tags` are read-only mappings over it that jieba's tokenizer and tagger use as ``FREQ`` and
``word_tag_tab``; :meth:`WordTable.dag` gives jieba's ``get_DAG`` from the trie's prefixes.

The table is built from ``dict.txt`` the way jieba reads it (``gen_pfdict``: the last frequency
of a word wins, the total counts every line; ``load_word_tag``: the last tag wins) once, and kept
in :mod:`dlp.cache_dir`, keyed by the SHA-256 of ``dict.txt``, jieba's and marisa-trie's versions.
The entry carries a SHA-256 of its payload: a damaged or foreign entry is ignored and rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO

import marisa_trie

from dlp.cache_dir import cache_dir, write_atomically

log = logging.getLogger(__name__)

_FORMAT = 1
_PREFIX = "jieba-words-"
_SUFFIX = ".table"
#: Cache entries kept (one per dictionary seen recently: ~5 MB each).
_CACHE_ENTRIES = 4
#: Stands in for a character UTF-8 cannot encode (a lone surrogate): no word contains it either.
_NO_WORD_CHAR = "\x00"


class WordTable:
    """The words of one jieba dictionary, with their frequencies and tags (read-only)."""

    __slots__ = ("_find", "_prefixes", "freqs", "max_word_length", "tag_ids", "tag_names", "total", "trie")

    def __init__(self, trie: marisa_trie.Trie, freqs: array, tag_ids: array, tag_names: tuple[str, ...],
                 total: int, max_word_length: int) -> None:
        self.trie, self.freqs, self.tag_ids, self.tag_names = trie, freqs, tag_ids, tag_names
        self.total, self.max_word_length = total, max_word_length
        self._find: Callable[[str], int | None] = trie.get
        self._prefixes = trie.iter_prefixes_with_ids

    def __len__(self) -> int:
        return len(self.trie)

    def key_id(self, word: str) -> int | None:
        """The word's index in the arrays, or None when it is not a dictionary word."""
        try:
            return self._find(word)
        except UnicodeEncodeError:  # a lone surrogate is in no word
            return None

    def dag(self, sentence: str) -> dict[int, list[int]]:
        """jieba's ``get_DAG``: for each position, the ends of the words (frequency > 0) that start
        there, in increasing order, or the position itself when none does."""
        try:
            sentence.encode("utf-8")
        except UnicodeEncodeError:
            sentence = "".join(_NO_WORD_CHAR if 0xD800 <= ord(c) <= 0xDFFF else c for c in sentence)
        prefixes, freqs, reach = self._prefixes, self.freqs, self.max_word_length
        dag: dict[int, list[int]] = {}
        for k in range(len(sentence)):
            ends = [k + len(word) - 1 for word, key in prefixes(sentence[k:k + reach]) if freqs[key]]
            dag[k] = ends or [k]
        return dag


class _View(Mapping[str, object]):
    """A read-only mapping word -> value over a :class:`WordTable` (what jieba reads with ``.get``)."""

    __slots__ = ("_find", "_table")

    def __init__(self, table: WordTable) -> None:
        self._table = table
        self._find = table.trie.get

    def _value(self, key: int) -> object:
        raise NotImplementedError

    def get(self, word: str, default: object = None) -> object:
        try:
            key = self._find(word)
        except UnicodeEncodeError:
            return default
        return default if key is None else self._value(key)

    def __getitem__(self, word: str) -> object:
        key = self._table.key_id(word)
        if key is None:
            raise KeyError(word)
        return self._value(key)

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._table.key_id(word) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self._table.trie.iterkeys())

    def __len__(self) -> int:
        return len(self._table)


class Frequencies(_View):
    """word -> jieba's frequency (jieba's ``FREQ`` less its prefix-only entries)."""

    __slots__ = ("_freqs",)

    def __init__(self, table: WordTable) -> None:
        super().__init__(table)
        self._freqs = table.freqs

    def get(self, word: str, default: object = None) -> object:  # the hot path: no extra call
        try:
            key = self._find(word)
        except UnicodeEncodeError:
            return default
        return default if key is None else self._freqs[key]

    def _value(self, key: int) -> int:
        return int(self._freqs[key])


class Tags(_View):
    """word -> jieba.posseg's part-of-speech tag (its ``word_tag_tab``)."""

    __slots__ = ("_ids", "_names")

    def __init__(self, table: WordTable) -> None:
        super().__init__(table)
        self._ids, self._names = table.tag_ids, table.tag_names

    def get(self, word: str, default: object = None) -> object:
        try:
            key = self._find(word)
        except UnicodeEncodeError:
            return default
        return default if key is None else self._names[self._ids[key]]

    def _value(self, key: int) -> str:
        return self._names[self._ids[key]]


def _entries(lines: Iterable[bytes]) -> Iterator[tuple[str, int, str]]:
    """(word, frequency, tag) of each line of a jieba dictionary, read as jieba does."""
    for lineno, raw in enumerate(lines, 1):
        line = raw.strip().decode("utf-8")
        if not line:
            continue
        try:
            word, freq_text, tag = line.split(" ")
            freq = int(freq_text)
        except ValueError:
            raise ValueError(f"invalid dictionary entry at line {lineno}: {line}") from None
        if _NO_WORD_CHAR in word:
            raise ValueError(f"invalid dictionary entry at line {lineno}: a NUL character")
        yield word, freq, tag


def build(open_dict: Callable[[], IO[bytes]]) -> WordTable:
    """The table of a jieba dictionary file (``word frequency tag`` per line), in two passes over
    the file (the words into the trie, then the values by key id): no Python dict of the
    dictionary, whose ~80 MB would stay in the process as fragments after it is freed."""
    longest = 0

    def words(lines: Iterable[bytes]) -> Iterator[str]:
        nonlocal longest
        for word, _, _ in _entries(lines):
            longest = max(longest, len(word))
            yield word

    with open_dict() as fh:
        trie = marisa_trie.Trie(words(fh))
    freqs, tag_ids = array("q", bytes(8 * len(trie))), array("B", bytes(len(trie)))
    names: dict[str, int] = {}
    total = 0
    with open_dict() as fh:
        for word, freq, tag in _entries(fh):  # a word seen twice: its last line wins, as in jieba
            key = trie[word]
            if tag not in names:
                if len(names) == 256:
                    raise ValueError("more than 256 part-of-speech tags")
                names[tag] = len(names)
            freqs[key], tag_ids[key] = freq, names[tag]
            total += freq
    return WordTable(trie, freqs, tag_ids, tuple(names), total, longest)


def _encode(table: WordTable) -> bytes:
    trie = table.trie.tobytes()
    payload = trie + table.freqs.tobytes() + table.tag_ids.tobytes()
    meta = {
        "format": _FORMAT, "words": len(table), "total": table.total, "max_word_length": table.max_word_length,
        "tags": list(table.tag_names), "trie_bytes": len(trie), "payload_sha256": hashlib.sha256(payload).hexdigest(),
    }
    return json.dumps(meta).encode() + b"\n" + payload


def _decode(raw: bytes) -> WordTable | None:
    """The table in a cache entry, or None when the entry is not whole and ours."""
    try:
        newline = raw.index(b"\n")
        meta = json.loads(raw[:newline])
        payload = memoryview(raw)[newline + 1:]
        if not isinstance(meta, dict) or meta.get("format") != _FORMAT \
                or meta.get("payload_sha256") != hashlib.sha256(payload).hexdigest():
            return None
        words, trie_bytes, names = meta["words"], meta["trie_bytes"], tuple(meta["tags"])
        total, longest = meta["total"], meta["max_word_length"]
        if not all(isinstance(v, int) for v in (words, trie_bytes, total, longest)) \
                or not all(isinstance(n, str) for n in names):
            return None
        trie = marisa_trie.Trie().frombytes(bytes(payload[:trie_bytes]))
        freqs, tag_ids = array("q"), array("B")
        freqs.frombytes(payload[trie_bytes:trie_bytes + 8 * words])
        tag_ids.frombytes(payload[trie_bytes + 8 * words:])
        if not len(trie) == len(freqs) == len(tag_ids) == words or (words and max(tag_ids) >= len(names)):
            return None
    except Exception:  # truncated, damaged, another format: rebuilt from dict.txt
        return None
    return WordTable(trie, freqs, tag_ids, names, total, longest)


def dictionary_key(open_dict: Callable[[], IO[bytes]]) -> str:
    """The cache key of a dictionary: its bytes (read in chunks), the format and the libraries' versions."""
    import jieba

    versions = f"{_FORMAT}|{sys.byteorder}|{getattr(jieba, '__version__', '')}|{_marisa_version()}|"
    digest = hashlib.sha256(versions.encode())
    with open_dict() as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()[:32]


def _marisa_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("marisa-trie")
    except PackageNotFoundError:
        return ""


def _path(key: str) -> Path | None:
    directory = cache_dir()
    return None if directory is None else directory / f"{_PREFIX}{key}{_SUFFIX}"


def load(open_dict: Callable[[], IO[bytes]]) -> WordTable:
    """The table of the dictionary ``open_dict()`` reads: from the cache when its entry is whole,
    else built from the dictionary and stored."""
    path = _path(dictionary_key(open_dict))
    if path is not None:
        try:
            cached = _decode(path.read_bytes())
        except OSError:
            cached = None
        if cached is not None:
            return cached
    table = build(open_dict)
    if path is not None:
        _store(path, table)
    return table


def _store(path: Path, table: WordTable) -> None:
    try:
        write_atomically(path, _encode(table))
        entries = sorted(path.parent.glob(f"{_PREFIX}*{_SUFFIX}"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in entries[_CACHE_ENTRIES:]:
            stale.unlink(missing_ok=True)
    except OSError as exc:  # a full disk or a read-only home: start-up is slower, nothing else
        log.info("jieba word table not cached (%s)", exc)
