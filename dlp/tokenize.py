"""Word segmentation of small windows of Traditional Chinese text (jieba).

jieba ships a Simplified dictionary only, so each window is first folded to Simplified with a
precomputed ``str.translate`` table built from OpenCC's character table (``TSCharacters.txt``,
first reading): one character to one character, so the offsets of the converted text are the
offsets of the original, at C speed. (OpenCC's phrase converter, pure Python in
opencc-python-reimplemented, is not loaded at all: it cost start-up time and nothing used it.)

jieba is initialised once per process, lazily, under a lock, and shared by every scanner and
every ``Scanner.reload()``: its tokenizer and tagger read the dictionary from one compact word
table (a marisa trie, ~5 MB instead of jieba's ~100 MB of dicts; :mod:`dlp.word_table`,
:mod:`dlp.jieba_tables`), cached on disk. Nothing is downloaded: the dictionary ships in jieba's
wheel.

Without HMM (the default), windows are cut by ``rjieba`` (jieba-rs, the same algorithm and
dictionary in Rust) when it is installed: tokens identical to jieba's on every window of the
corpora in tests/data (``tests/test_word_table.py``, ``tests/test_speed_building_blocks.py``),
~9x faster. jieba itself stays for the frequencies, the part-of-speech tagger and HMM cuts.
rjieba keeps its own copy of the dictionary (~30 MB of a worker): dropping it was measured at
+20% CPU on mail and dense text (the name finder's windows), so it stays.

Callers must segment only small windows around candidates, never whole documents: jieba runs
at well under 1 MB/s, and its part-of-speech tagger (``pos_tags``, jieba.posseg: ``nr`` marks a
person's name) at a few KB/s even after ``t2s`` (on Traditional text it is ~100x slower still).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

# jieba's module now (without pkg_resources: see dlp.jieba_tables), its dictionary on first use.
from dlp import jieba_tables

if TYPE_CHECKING:
    import jieba
    import jieba.posseg

Token = tuple[str, int, int]
TaggedToken = tuple[str, str, int, int]

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None
_tagger: jieba.posseg.POSTokenizer | None = None
#: How many times jieba's dictionary was loaded in this process (tests check it stays at 1).
init_count = 0


def _get() -> jieba.Tokenizer:
    global _tokenizer, _tagger, init_count
    tk = _tokenizer
    if tk is not None:
        return tk
    with _lock:
        if _tokenizer is None:
            jieba_tables.jieba.setLogLevel(logging.WARNING)
            new = jieba_tables.WordsTokenizer(jieba_tables.default_table())
            _tagger = jieba_tables.tagger_over(new)
            init_count += 1
            _tokenizer = new
        return _tokenizer


def tokenize(text: str, hmm: bool = False) -> list[Token]:
    """Segment ``text`` into (word, start, end); words are slices of ``text`` itself.

    jieba's HMM is off by default: unknown words (most names) then come out as single
    characters and every multi-character token is a dictionary word, which is what the PERSON
    detector relies on (HMM glues a name to a neighbouring character, e.g. 請林).
    """
    if not text:
        return []
    simplified = _simplify_chars(text)
    words: Iterable[str] | None = None
    if not hmm and _native_cut is not None:
        try:
            words = _native_cut(simplified, False)
        except UnicodeEncodeError:  # a lone surrogate (rjieba takes UTF-8 only): jieba's own cut
            pass
    if words is None:
        words = _get().cut(simplified, HMM=hmm)
    out: list[Token] = []
    pos = 0
    for word in words:
        end = pos + len(word)
        out.append((text[pos:end], pos, end))
        pos = end
    return out


def _load_native_cut() -> Callable[[str, bool], list[str]] | None:
    try:
        import rjieba
    except ImportError:  # optional accelerator: jieba cuts the same tokens, slower
        return None
    return rjieba.cut


#: rjieba's cut (text, hmm) -> words, or None.
_native_cut = _load_native_cut()


def _slices(text: str, words) -> list[TaggedToken]:
    """(word, flag) pairs of the converted text -> (slice of ``text``, flag, start, end)."""
    out: list[TaggedToken] = []
    pos = 0
    for word, flag in words:
        end = pos + len(word)
        out.append((text[pos:end], flag, pos, end))
        pos = end
    return out


_char_table: dict[int, str] | None = None


def _simplify_chars(word: str) -> str:
    """Character-by-character t2s (OpenCC's character table, first reading): for dictionary
    lookups of short words, where the phrase converter would cost more than the lookup."""
    global _char_table
    table = _char_table
    if table is None:
        table = {}
        try:
            import opencc

            path = os.path.join(os.path.dirname(opencc.__file__), "dictionary", "TSCharacters.txt")
            with open(path, encoding="utf-8") as fh:
                for line in fh:
                    trad, _, simp = line.rstrip("\n").partition("\t")
                    if len(trad) == 1 and simp:
                        first = simp.split(" ")[0]
                        if len(first) == 1:
                            table[ord(trad)] = first
        except (ImportError, OSError):  # no converter: look words up as they are
            pass
        _char_table = table
    return word.translate(table)


#: Entries of each lookup cache: both full at 65,536 held ~11 MB of a long-running worker; a
#: dense 200 KB roster asks ~5,000 lookups (3,500 distinct), and a lookup is ~0.7 µs uncached.
_LOOKUP_CACHE = 8192


@lru_cache(maxsize=_LOOKUP_CACHE)
def word_frequency(word: str) -> int:
    """jieba's dictionary frequency of ``word`` (0 when it is not a dictionary word)."""
    if not word:
        return 0
    return int(_get().FREQ.get(_simplify_chars(word), 0))


def _get_tagger() -> jieba.posseg.POSTokenizer:
    _get()
    assert _tagger is not None  # built with the tokenizer
    return _tagger


def pos_tags(text: str) -> list[TaggedToken]:
    """jieba.posseg over ``text`` (after the ``t2s`` character fold): (word, flag, start, end), words being
    slices of ``text``. ``nr``/``nrfg``/``nrt`` flags mark person names; HMM is on so that
    names missing from the dictionary (most of them) are still found. Small windows only."""
    if not text:
        return []
    tagger = _get_tagger()
    return _slices(text, ((p.word, p.flag) for p in tagger.cut(_simplify_chars(text), HMM=True)))


@lru_cache(maxsize=_LOOKUP_CACHE)
def word_tag(word: str) -> str:
    """The part-of-speech tag of a dictionary word ("" when it is not in the dictionary)."""
    if not word:
        return ""
    tagger = _get_tagger()
    return str(tagger.word_tag_tab.get(_simplify_chars(word), ""))


def warm_up() -> None:
    """Load the dictionary, the tagger and the character table now (service start-up), not on the first message."""
    tokenize("承辦人王小明，電話")
    pos_tags("找王小明")
