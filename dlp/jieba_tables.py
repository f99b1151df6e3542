"""jieba's tokenizer and part-of-speech tagger over :mod:`dlp.word_table` (the dictionary in a
marisa trie), built once per process and shared by every scanner and reload.

jieba keeps two tables of ``dict.txt`` on the Python heap: the tokenizer's frequencies (``FREQ``,
an entry for every prefix of every word) and jieba.posseg's tags (``word_tag_tab``, read from
``dict.txt`` when jieba.posseg is imported): ~100 MB per process between them. Here the
tokenizer's ``FREQ`` and the tagger's ``word_tag_tab`` are read-only mappings over one word table
(~5 MB), and ``get_DAG`` walks the trie's prefixes (the same DAG: jieba's prefix entries only tell
its walk when to stop). jieba's own ``cut``, ``calc``, HMM and posseg code run unchanged on them.

jieba.posseg builds its module-level tagger (``jieba.posseg.dt``) at import, tag table included.
:func:`import_posseg` imports it with an empty dictionary stream in place of ``dict.txt`` for that
one step and then gives that tagger the word table's tags (with room for the words a user adds),
so ``jieba.posseg.cut`` still tags as jieba would. When jieba.posseg is already imported, or the
process's jieba has another dictionary, it is left as it is. (jieba itself is imported without
pkg_resources: :func:`_import_jieba`.)
"""

from __future__ import annotations

import importlib
import io
import sys
from collections import ChainMap
from types import ModuleType
from typing import IO, TYPE_CHECKING

from dlp.word_table import Frequencies, Tags, WordTable, load

if TYPE_CHECKING:
    import jieba.posseg


def _import_jieba() -> ModuleType:
    """jieba, which reads its package files through pkg_resources when it can import it (~5 MB of
    a process and ~75 ms of a cold start, for a module nothing else here uses). Without it jieba
    opens the same files from its package directory itself (its own fallback), so pkg_resources
    is kept out of that one import (a thread importing pkg_resources at that very moment would
    get an ImportError: jieba is imported with dlp.tokenize, at ``import dlp``)."""
    module = sys.modules.get("jieba")
    if module is not None:
        return module
    blocked = "pkg_resources" not in sys.modules
    if blocked:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # "import pkg_resources" fails
    try:
        return importlib.import_module("jieba")
    finally:
        if blocked and "pkg_resources" in sys.modules and sys.modules["pkg_resources"] is None:
            del sys.modules["pkg_resources"]


jieba = _import_jieba()


def default_dictionary() -> IO[bytes]:
    """jieba's default dictionary (``dict.txt`` in its package), whatever ``jieba.dt`` was set to."""
    return jieba.Tokenizer().get_dict_file()


def default_table() -> WordTable:
    """The word table of jieba's default dictionary (from the cache when its entry is whole)."""
    return load(default_dictionary)


class WordsTokenizer(jieba.Tokenizer):
    """jieba's tokenizer over a :class:`WordTable`: ``FREQ`` is a read-only view of it."""

    def __init__(self, table: WordTable) -> None:
        super().__init__()
        self.table = table
        self.FREQ: Frequencies = Frequencies(table)  # type: ignore[assignment]
        self.total = table.total
        self.initialized = True

    def get_DAG(self, sentence: str) -> dict[int, list[int]]:  # noqa: N802 - jieba's name
        return self.table.dag(sentence)


def import_posseg(table: WordTable) -> ModuleType:
    """jieba.posseg, without the copy of the tag table it would read at import (see the module docstring)."""
    module = sys.modules.get("jieba.posseg")
    if module is not None:
        return module
    if jieba.dt.dictionary != jieba.DEFAULT_DICT:  # another dictionary: jieba's own loading
        return importlib.import_module("jieba.posseg")
    jieba.dt.get_dict_file = lambda: io.BytesIO()  # type: ignore[method-assign]
    try:
        module = importlib.import_module("jieba.posseg")
    finally:
        del jieba.dt.get_dict_file
    module.dt.word_tag_tab = ChainMap({}, Tags(table))  # words a user adds go in front
    return module


def tagger_over(tokenizer: WordsTokenizer) -> jieba.posseg.POSTokenizer:
    """jieba.posseg's tagger over ``tokenizer`` and its table's tags."""
    posseg = import_posseg(tokenizer.table)
    tagger = posseg.POSTokenizer.__new__(posseg.POSTokenizer)
    tagger.tokenizer = tokenizer
    tagger.word_tag_tab = Tags(tokenizer.table)
    return tagger
