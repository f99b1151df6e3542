"""Word segmentation of small windows of Traditional Chinese text (jieba).

jieba ships a Simplified dictionary only, so each window is first converted with OpenCC
``t2s`` when that package is installed: ``t2s`` maps one character to one character, so the
offsets of the converted text are the offsets of the original (checked on every call; the
original text is segmented as it is when the lengths ever differ).

jieba is initialised once per process, lazily, under a lock; its frequency table is cached
(marshal) in the temporary directory so that later processes start in about a third of the
time. Nothing is downloaded: the dictionary ships in jieba's wheel.

Callers must segment only small windows around candidates, never whole documents: jieba runs
at well under 1 MB/s.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jieba

Token = tuple[str, int, int]

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None
_converter: Callable[[str], str] | None = None
#: How many times jieba's dictionary was loaded in this process (tests check it stays at 1).
init_count = 0


def _cache_path() -> str:
    import jieba

    name = f"dlp-jieba-{getattr(jieba, '__version__', 'x')}-{os.getuid() if hasattr(os, 'getuid') else 0}.cache"
    return os.path.join(tempfile.gettempdir(), name)


def _load_converter() -> Callable[[str], str]:
    """OpenCC ``t2s`` if installed, else the identity (jieba then sees Traditional text)."""
    try:
        from opencc import OpenCC
    except ImportError:  # optional: segmentation is a little worse without it
        return lambda s: s
    cc = OpenCC("t2s")
    return cc.convert


def _get() -> tuple[jieba.Tokenizer, Callable[[str], str]]:
    global _tokenizer, _converter, init_count
    tk = _tokenizer
    conv = _converter
    if tk is not None and conv is not None:
        return tk, conv
    with _lock:
        if _tokenizer is None or _converter is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            new = jieba.Tokenizer()
            new.cache_file = _cache_path()
            new.initialize()
            init_count += 1
            _converter = _load_converter()
            _tokenizer = new
        return _tokenizer, _converter  # type: ignore[return-value]


def _simplify(text: str, conv: Callable[[str], str]) -> str:
    converted = conv(text)
    return converted if len(converted) == len(text) else text


def tokenize(text: str, hmm: bool = False) -> list[Token]:
    """Segment ``text`` into (word, start, end); words are slices of ``text`` itself.

    jieba's HMM is off by default: unknown words (most names) then come out as single
    characters and every multi-character token is a dictionary word, which is what the PERSON
    detector relies on (HMM glues a name to a neighbouring character, e.g. 請林).
    """
    if not text:
        return []
    tk, conv = _get()
    simplified = _simplify(text, conv)
    out: list[Token] = []
    pos = 0
    for word in tk.cut(simplified, HMM=hmm):
        end = pos + len(word)
        out.append((text[pos:end], pos, end))
        pos = end
    return out


def word_frequency(word: str) -> int:
    """jieba's dictionary frequency of ``word`` (0 when it is not a dictionary word)."""
    if not word:
        return 0
    tk, conv = _get()
    return int(tk.FREQ.get(_simplify(word, conv), 0))


def warm_up() -> None:
    """Load the dictionary and the converter now (service start-up), not on the first message."""
    tokenize("承辦人王小明，電話")
