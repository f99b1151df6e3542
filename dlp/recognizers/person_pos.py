"""jieba part-of-speech evidence for a name: does jieba.posseg tag exactly this span ``nr``?

Only a few characters around one candidate are tagged, and only when the verdict depends on it
(weak cues): posseg costs about half a millisecond per unknown name even after ``t2s``.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Set as AbstractSet

from dlp.recognizers.person_config import WEAK_EVIDENCE, ChineseNameConfig, is_han
from dlp.tokenize import word_frequency, word_tag  # jieba's dictionary loads on the first call, not here

TaggedToken = tuple[str, str, int, int]


class NameTagger:
    """Caches posseg windows of one segment; ``agrees(s, e)`` is the ``nr`` test."""

    def __init__(self, text: str, name_tags: frozenset[str], margin: int,
                 tagger: Callable[[str], list[TaggedToken]] | None = None):
        self.text = text
        self.name_tags = name_tags
        self.margin = margin
        self._tagger = tagger
        self._cache: dict[tuple[int, int], list[TaggedToken]] = {}

    def _tags(self, lo: int, hi: int) -> list[TaggedToken]:
        key = (lo, hi)
        if key not in self._cache:
            tagger = self._tagger
            if tagger is None:
                from dlp.tokenize import pos_tags as tagger
            self._cache[key] = [(w, f, a + lo, b + lo) for w, f, a, b in tagger(self.text[lo:hi])]
        return self._cache[key]

    def window(self, s: int, e: int) -> tuple[int, int]:
        """From the last break (punctuation, space, line start) within reach before the span to
        the next one after it: jieba segments a clause better than an arbitrary slice."""
        text, reach = self.text, 2 * self.margin + 2
        lo = s
        while lo > 0 and s - lo < reach and is_han(text[lo - 1]):
            lo -= 1
        if lo > 0 and is_han(text[lo - 1]):  # no break within reach: a few characters only
            lo = max(0, s - self.margin + 1)
        hi = e
        while hi < len(text) and hi - e < reach and is_han(text[hi]):
            hi += 1
        if hi < len(text) and is_han(text[hi]):
            hi = min(len(text), e + self.margin - 1)
        return lo, hi

    def agrees(self, s: int, e: int) -> bool:
        """The span is cut exactly at both ends and every token inside it is tagged a name
        (張家/nrfg + 瑋/nr is 張家瑋; 金/nr + 流/n is not a name)."""
        lo, hi = self.window(s, e)
        inside = [t for t in self._tags(lo, hi) if t[2] < e and t[3] > s]
        if not inside or inside[0][2] != s or inside[-1][3] != e:
            return False
        return all(flag in self.name_tags for _, flag, _, _ in inside)


#: Evidence that names a person by itself: a label, a title or rank, a unit, an honorific.
STRONG_EVIDENCE = frozenset({"label", "title_before", "unit", "suffix", "title", "table", "speaker", "signature"})
#: Strong evidence that a two-character span with a rare surname is a full name, not a greeting
_NAMING_EVIDENCE = STRONG_EVIDENCE - {"suffix", "speaker"}
#: A name does not end with these (苗栗縣, 林口區, 廉政科 are places and units).
_PLACE_ENDINGS = frozenset("縣市區鄉鎮村里路街部局處署院所科室組課股隊會")


def ordinary_reading(name: str, surname_len: int, common: bool, evidence: AbstractSet[str], cfg: ChineseNameConfig) -> str:
    """Why a name-shaped span is really an ordinary word starting with a surname character
    ("" when it may be a name). Not asked when the text says it is a name (姓名：…)."""
    given = name[surname_len:]
    strong = not STRONG_EVIDENCE.isdisjoint(evidence)  # (no set built per name: ``evidence & STRONG_EVIDENCE``)
    if name[-1] in _PLACE_ENDINGS:
        return f"ends with {name[-1]!r}: a place"
    if len(name) == 2 and name in cfg.two_char_surnames:
        return f"{name!r} is a two-character surname with no given name"
    if len(name) == 2 and not strong and name in cfg.given_names:
        return f"{name!r} is a common given name on its own (金龍, 美玲), not a surname and a name"
    if len(name) == 2 and word_frequency(name) >= 2 and not strong:
        return f"{name!r} is a dictionary word (two-character names need a label, title or honorific)"
    if not common:  # rare surnames are ordinary characters too: 應使用, 查明, 向銀行
        # a salutation line or chat speaker (文傑：, 柏宇您好) of two characters greets a given name
        if len(name) == 2 and not evidence & _NAMING_EVIDENCE:
            return "a rare surname and one character, with no label or title (柏宇您好, 文傑： greet a given name)"
        if word_frequency(given) >= 1 and word_tag(given) not in cfg.name_tags:
            return f"a rare surname before the dictionary word {given!r}"
        head = name[:surname_len + 1]
        if len(name) > len(head) and word_frequency(head) >= 1 and word_tag(head) not in cfg.name_tags:
            return f"a rare surname that starts the dictionary word {head!r}"
    if strong or len(given) != 2:
        return ""  # 建成, 聰明, 進發 are given names as well as words: a label or title settles it
    frequency = word_frequency(given)
    tag = word_tag(given)
    if not tag or tag in cfg.name_tags:
        return ""
    weak_only = not (evidence - WEAK_EVIDENCE - {"jieba"})
    if tag == "n":  # a common noun (口罩, 銀行); not a place or other proper noun (建國, 美麗)
        hints = evidence - WEAK_EVIDENCE - {"jieba", "neighbour"}
        ordinary = not hints and frequency >= 2 * cfg.ordinary_given_min_frequency
    elif tag.startswith("n"):
        ordinary = False
    else:
        ordinary = frequency >= (cfg.ordinary_given_min_frequency if weak_only else cfg.ordinary_word_min_frequency * 10)
    return f"{given!r} is an ordinary word ({tag})" if ordinary else ""
