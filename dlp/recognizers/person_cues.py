"""Cues for names that carry no label: where a name may start or end, found in one pass each.

A *cue* is a cheap position next to which a name may sit:

* ``title_before`` — a job title, rank or role word right before it (科員林志豪, 上尉陳建國,
  案父王大明, 醫師：孫永昌);
* ``unit`` — a unit name ending (人事室, 文書科) before it, with a space (a signature line) or
  glued (a weaker cue);
* ``context_before`` / ``context_after`` — a word that only hints at a name (調…為, 找…, …說,
  …那件);
* ``info`` — a bracket of person details right after it: (男，37歲), (91分), (74.02.18);
* ``speaker`` — a speaker column of an exported chat history (10:02<TAB>謝佳穎<TAB>…);
* ``boundary`` — a common surname at a hard start: after punctuation, a space or a line start
  (，許雅筠說), unless an ordinary dictionary word starts there (，方式). Function words that
  take a person (與, 由, 請, 將 …) are hint words of ``context_before`` instead.

Clean text must stay cheap: the cues before a name are read *backwards from surname
characters* (one C-speed scan for the characters, then a few dictionary lookups each), never by
a regex of hundreds of words tried at every position. Every cue is only a proposal: the shaper
reads the name, and the finder scores it with the rest of the evidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from dlp.recognizers.base import longest_first
from dlp.recognizers.person_config import ChineseNameConfig, is_han
from dlp.recognizers.person_shape import WordList
from dlp.tokenize import word_frequency, word_tag  # jieba's dictionary loads on the first call, not here

#: How far back from a surname a cue word may end (spaces and one colon in between).
_GAP = 6
#: Spaces between the characters of a padded label (被　　告).
_PAD = 4


@dataclass(frozen=True)
class Cue:
    kind: str  # boundary | title_before | unit | context_before | context_after
    word: str
    start: int  # of the cue word (a boundary cue: the surname's position)
    end: int


class CueFinder:
    """The cue tables of one ``method: chinese`` rule, built once."""

    def __init__(self, cfg: ChineseNameConfig, padded_labels: frozenset[str] = frozenset(), triggers: str | None = None):
        self.cfg = cfg
        self.padded_labels = padded_labels
        self.triggers = triggers
        self.kinds: dict[str, str] = {}
        for kind, words in (("context_before", cfg.context_before), ("unit", cfg.units),
                            ("title_before", cfg.titles_before)):
            for word in words:
                self.kinds[word] = kind  # a title wins over a unit or a hint of the same spelling
        self.longest = max((len(w) for w in self.kinds), default=0)
        #: a last character -> the lengths of the cue words ending with it, longest first: only
        #: these can end right before a surname with that character before it (``_word_before``)
        ending: dict[str, set[int]] = {}
        for word in self.kinds:
            if word:
                ending.setdefault(word[-1], set()).add(len(word))
        self.lengths_ending_with = {c: tuple(sorted(ns, reverse=True)) for c, ns in ending.items()}
        singles = "".join(sorted(cfg.single_surnames))
        compound = "|".join(re.escape(x) for x in longest_first(cfg.two_char_surnames))
        self.surname_re = re.compile(f"{compound}|[{re.escape(singles)}]" if compound else f"[{re.escape(singles)}]")
        self.common = cfg.common_surnames
        self.excluded = cfg.excluded_given_chars
        blocked = longest_first(cfg.blocked_words)
        self.blocked_re = re.compile("|".join(re.escape(w) for w in blocked)) if blocked else None
        #: the longest blocked word at a position by set lookups (None: the alternation decides)
        self.blocked = WordList(blocked, self.blocked_re)
        self.after_re = re.compile("|".join(re.escape(w) for w in longest_first(cfg.context_after)))

    def prefilter(self, key: str) -> dict[str, str]:
        """Patterns for the multi-pattern prefilter (hyperscan): where a cue may be, so that
        clean text costs one C-speed pass and no Python per character."""
        cfg = self.cfg
        firsts = sorted(set(cfg.single_surnames) | {x[0] for x in cfg.two_char_surnames})
        surname = "[" + "".join(re.escape(c) for c in firsts) + "]"
        common = "[" + "".join(re.escape(c) for c in sorted(cfg.common_surnames)) + "]"
        compound = "|".join(re.escape(x) for x in sorted(cfg.two_char_surnames))
        titles = "|".join(re.escape(w) for w in longest_first(self.kinds) if self.kinds[w] == "title_before")
        hints = "|".join(re.escape(w) for w in longest_first(self.kinds) if self.kinds[w] != "title_before")
        after = "|".join(re.escape(w) for w in longest_first(cfg.context_after))
        return {
            f"{key}#before": f"(?:{titles})[ \t]{{0,6}}:?[ \t]{{0,6}}{surname}|(?:{hints})[ \t]{{0,6}}(?:{common}|{compound})",
            # a small explicit class: a negated Unicode class makes the automaton (and every scan) slow
            f"{key}#boundary": f"(?:^|[\\x00-\\x7f。、「」『』【】〔〕《》〈〉…—])(?:{common}|{compound})",
            f"{key}#after": f"(?:{common}|{compound})[^\\x00-\\x7f。，、；：！？「」『』（）【】]{{1,4}}(?:{after})",
        }

    def reach(self, key: str) -> dict[str, int]:
        """Prefilter windows: the cue words before or after a name are read from the surname or
        the hit itself, so the windows only need to hold the hit (tight windows: less Python)."""
        longest_trigger = max((len(w) for w in (self.triggers or "").split("|")), default=1)
        return {f"{key}#before": 2, f"{key}#boundary": 2, f"{key}#after": 6,
                f"{key}#trigger": longest_trigger + 1}

    def before(self, text: str, windows: list[tuple[int, int]]) -> Iterator[Cue]:
        """A cue word right before a surname character (in the prefilter's windows)."""
        for lo, hi in windows:
            for m in self.surname_re.finditer(text, lo, hi):
                cue = self._word_before(text, m.start())
                if cue is None:
                    continue
                if cue.kind == "title_before":
                    yield cue
                # a hint word alone cannot carry a rare surname (協助安排: 安 is a word here), nor
                # a surname character that starts an ordinary word (與金門縣)
                elif (m.group() in self.common or len(m.group()) == 2) and not self._ordinary_word_at(text, m.start()):
                    yield cue

    def boundaries(self, text: str, limit: int, windows: list[tuple[int, int]]) -> Iterator[Cue]:
        """A common or two-character surname at a hard start (in the prefilter's windows)."""
        n = 0
        for lo, hi in windows:
            for m in self.surname_re.finditer(text, lo, hi):
                p = m.start()
                if len(m.group()) == 1 and m.group() not in self.common:
                    continue
                if p and is_han(text[p - 1]):
                    continue
                label = self._padded_label_before(text, p)
                if label is not None:
                    yield label
                if self._ordinary_word_at(text, p):
                    continue
                yield Cue("boundary", "", p, p)
                n += 1
                if n >= limit:
                    return

    def _padded_label_before(self, text: str, p: int) -> Cue | None:
        """A label padded with spaces between its characters, then spaces, right before ``p``
        (被　　告　柳正宗, 承 辦 人 王小明): read backwards, one character and its spaces at a time."""
        if not self.padded_labels or not p or text[p - 1] not in " \t":
            return None
        j = p
        while j > 0 and p - j < _GAP and text[j - 1] in " \t":
            j -= 1
        chars: list[str] = []
        end, i = j, j
        while i > 0 and len(chars) < 3 and is_han(text[i - 1]):
            chars.append(text[i - 1])
            i -= 1
            gap = i
            while gap > 0 and i - gap < _PAD and text[gap - 1] in " \t":
                gap -= 1
            word = "".join(reversed(chars))
            if len(chars) >= 2 and word in self.padded_labels and i < end - len(chars):
                return Cue("padded_label", word, i, end)
            if gap == i:  # no space: the characters of a padded label are all spaced
                break
            i = gap
        return None

    def _word_before(self, text: str, p: int) -> Cue | None:
        j = p
        while j > 0 and p - j < _GAP and text[j - 1] in " \t":
            j -= 1
        if j > 0 and text[j - 1] == ":":
            j -= 1
            while j > 0 and p - j < _GAP and text[j - 1] in " \t":
                j -= 1
        # the longest cue word ending at j: the lengths from min(longest, j) down to 1, as far as a
        # word of that length ends with the character before j (the others cannot be one)
        if j <= 0:
            return None
        kinds = self.kinds
        for k in self.lengths_ending_with.get(text[j - 1], ()):
            if k <= j:
                word = text[j - k:j]
                kind = kinds.get(word)
                if kind is not None:
                    return Cue(kind, word, j - k, j)
        return None

    def _ordinary_word_at(self, text: str, p: int) -> bool:
        """A blocked word of the pack (高雄, 陳述) or a frequent dictionary word that is not a
        name (方式, 高度, 全部) starts at ``p``."""
        blocked = self.blocked_at(text, p)
        if blocked is not None and blocked not in self.cfg.two_char_surnames:
            return True
        for k in (4, 3, 2):
            word = text[p:p + k]
            # a compound surname that is also a word (歐陽, 上官, 東方) is left to the shaper
            frequency = word_frequency(word) if len(word) == k and word not in self.cfg.two_char_surnames else 0
            if not frequency:
                continue
            # jieba's dictionary tags some frequent words nr (謝謝): frequency settles those
            if frequency >= 1000 or frequency >= 100 and not word_tag(word).startswith("nr"):
                return True
        return False

    def blocked_at(self, text: str, p: int) -> str | None:
        """The longest blocked word at ``p``: what the longest-first alternation matches there."""
        return self.blocked.longest_at(text, p)

    def after(self, text: str, windows: list[tuple[int, int]] | None = None) -> Iterator[Cue]:
        """Hint words after a name, where a surname sits two to five characters before."""
        common = self.common  # a hint word alone cannot carry a rare surname
        spans = windows if windows is not None else [(0, len(text))]
        for m in (m for lo, hi in spans for m in self.after_re.finditer(text, lo, hi)):
            q = m.start()
            if any(text[q - k] in common for k in range(2, 6) if q - k >= 0):
                yield Cue("context_after", m.group(), q, m.end())

    def info(self, text: str) -> Iterator[int]:
        """Starts of person-detail brackets (a name would end right there)."""
        if "(" not in text:
            return
        for m in self.cfg.info_bracket.finditer(text):
            yield m.start()

    def speakers(self, text: str) -> Iterator[tuple[int, int]]:
        if "\t" not in text and "  " not in text:
            return
        for m in self.cfg.export_speaker.finditer(text):
            yield m.start("name"), m.end("name")
