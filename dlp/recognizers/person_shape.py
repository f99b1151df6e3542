"""Name shapes: where a Chinese name can start and end around a trigger position.

A name is a surname (single 陳, compound 歐陽, double 張簡, or 冠夫姓 陳林) followed by one or two
given-name characters. The shaper lists the readings that fit the characters at a position and
picks one with *boundary evidence*: a hard boundary (punctuation, a digit, a function word, a
field word such as 電話, an honorific such as 先生) or, failing that, a jieba word boundary.
It never decides whether the span is a name; the detector does that with the context.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

import regex

from dlp.recognizers.base import longest_first
from dlp.recognizers.person_config import ChineseNameConfig, is_han

Token = tuple[str, int, int]
_UNSET = object()


class Shape(NamedTuple):
    """One reading of a name. A tuple: a roster makes thousands, and a frozen dataclass took
    1.1 µs to build against 0.36 µs."""

    start: int
    end: int
    surname_len: int
    common: bool  # the (first) surname is in the common list
    note: str  # which reading: single, compound, married (冠夫姓)


#: ``Shape(...)`` without the generated ``__new__``'s Python frame (``Shape._make`` does this too)
_new_shape = tuple.__new__
#: the readings' notes (``Shape.note``)
_COMPOUND, _MARRIED, _SINGLE = "compound or double surname", "married name (冠夫姓)", "single surname"
#: ``NameShaper._char_kind``: not a given-name character / one no word starts with / one a word may
_NOT_GIVEN, _PLAIN_GIVEN, _WORD_MAY_START = 1, 2, 3


def _alternation(words: tuple[str, ...] | list[str] | frozenset[str]) -> re.Pattern[str]:
    ordered = longest_first(words)
    return re.compile("|".join(re.escape(w) for w in ordered))


def _edge_chars(words: tuple[str, ...] | list[str], last: bool = False) -> frozenset[str] | None:
    """The characters ``_alternation(words)`` can start (``last``: end) a match with: where none
    is, it cannot match, and a set lookup answers instead of the regex. None when the alternation
    matches the empty string (an empty list or word), i.e. everywhere."""
    if not words or not all(words):
        return None
    return frozenset(w[-1] if last else w[0] for w in words)


def _word_lengths(words: tuple[str, ...] | list[str]) -> dict[str, tuple[int, ...]] | None:
    """A first character -> the lengths of the words starting with it, longest first: some word
    starts at ``i`` exactly when ``text[i:i + n]`` is one for one of these ``n`` (set lookups
    instead of the alternation's match). None when ``_alternation(words)`` matches the empty
    string (an empty list or word: everywhere), as for ``_edge_chars``."""
    if not words or not all(words):
        return None
    lengths: dict[str, set[int]] = {}
    for w in words:
        lengths.setdefault(w[0], set()).add(len(w))
    return {c: tuple(sorted(ns, reverse=True)) for c, ns in lengths.items()}


class WordList:
    """A word list looked up at a position: the longest word starting there, as the list's
    longest-first alternation (``fallback``) matches it, by set lookups at the lengths of the
    words that start with the character there (``_word_lengths``; no regex call). A list with an
    empty word, or none, matches everywhere: its alternation answers then."""

    __slots__ = ("words", "lengths", "fallback")

    def __init__(self, words: tuple[str, ...] | list[str], fallback: re.Pattern[str] | None):
        self.words = frozenset(words)
        self.lengths = _word_lengths(words)
        self.fallback = fallback

    def longest_at(self, text: str, i: int) -> str | None:
        lengths = self.lengths
        if lengths is None:
            m = self.fallback.match(text, i) if self.fallback is not None else None
            return m.group() if m is not None else None
        words = self.words
        for n in lengths.get(text[i:i + 1], ()):  # (none: no word starts with this character)
            word = text[i:i + n]
            if len(word) == n and word in words:
                return word
        return None


def _first_of(patterns: tuple[regex.Pattern[str], ...]) -> regex.Pattern[str] | None:
    """One pattern that matches at a position what the first of ``patterns`` to match there
    matches: their alternation, tried in order (one call instead of one per pattern). None when
    an alternation could read them otherwise: a group (its number would shift), an inline flag
    or any other ``(?`` construct, or flags that differ."""
    if len(patterns) < 2 or any(p.groups or "(?" in p.pattern for p in patterns):
        return None
    if len({p.flags for p in patterns}) > 1:
        return None
    return regex.compile("|".join(f"(?:{p.pattern})" for p in patterns), patterns[0].flags)


class NameShaper:
    """Readings of names at a position, and boundary tests, for one ``chinese`` rule."""

    def __init__(self, cfg: ChineseNameConfig):
        self.cfg = cfg
        self.singles = cfg.single_surnames
        self.common = cfg.common_surnames
        self.two_char = cfg.two_char_surnames
        self.two_char_firsts = frozenset(w[:1] for w in cfg.two_char_surnames)
        #: the characters a surname reading can start with
        self.surname_firsts = frozenset(self.singles) | self.two_char_firsts
        self.excluded = cfg.excluded_given_chars
        boundary = cfg.boundary_words + cfg.honorifics + cfg.titles
        self.boundary_re = _alternation(boundary)
        self.boundary_firsts = _edge_chars(boundary)
        self.boundary = WordList(boundary, self.boundary_re)
        # inside a given name, an honorific that is also a given-name character (君) is fine
        inner = [w for w in boundary if w not in cfg.given_name_too and w not in cfg.boundary_words_in_names]
        self.inner_re = _alternation(inner)
        self.inner_firsts = _edge_chars(inner)
        self.inner = WordList(inner, self.inner_re)
        self.org_re = _alternation(cfg.organisation_suffixes)
        self.label_re = _alternation(cfg.labels)
        # after a label, a title or a unit name the boundary is settled (技佐林聖凱: not jieba's 佐林)
        settled = cfg.labels + cfg.titles_before + cfg.units
        self.settled_re = _alternation(settled)
        self.settled_lasts = _edge_chars(settled, last=True)
        self.settled = WordList(settled, self.settled_re)
        blocked = longest_first(cfg.blocked_words)
        self.blocked_re = re.compile("|".join(re.escape(w) for w in blocked)) if blocked else None
        self.max_blocked = max((len(w) for w in blocked), default=1)
        self.blocked = frozenset(blocked)
        self.blocked_firsts = frozenset(w[:1] for w in blocked)
        #: a first character -> the lengths of the blocked words starting with it, longest first:
        #: the longest word at a position is what ``blocked_re`` (longest first) matches there,
        #: and the other lengths cannot be a word starting with this character
        #: (the pack's blocked words have two characters or more: none is empty)
        self.blocked_lengths_from: dict[str, tuple[int, ...]] = _word_lengths(blocked) or {}
        self.masked = cfg.masked
        self.masked_any = _first_of(cfg.masked)
        self._given_chars: dict[str, bool] = {}
        self._char_kinds: dict[str, int] = {}
        #: the characters a surname reading can start with (a C-speed skip over the rest)
        self.surname_start_re = re.compile(
            "[" + "".join(re.escape(c) for c in sorted(set(self.singles) | {w[0] for w in self.two_char})) + "]"
        ) if self.singles or self.two_char else None

    def reader(self, text: str) -> TextShaper:
        """This shaper over one text, its answers remembered per position."""
        return TextShaper(self, text)

    # -- characters ----------------------------------------------------------------------

    def is_given(self, ch: str) -> bool:
        known = self._given_chars.get(ch)
        if known is None:  # one answer per character, kept (a segment asks about the same few)
            known = self._given_chars[ch] = is_han(ch) and ch not in self.excluded
        return known

    def surname_readings(self, text: str, i: int) -> list[tuple[int, bool, str]]:
        """(surname length, common, note) for every surname reading starting at ``i``."""
        out: list[tuple[int, bool, str]] = []
        if text[i:i + 1] in self.two_char_firsts:
            two = text[i:i + 2]
            if len(two) == 2 and two in self.two_char:
                out.append((2, True, _COMPOUND))
        ch = text[i:i + 1]
        if ch in self.singles:  # (a compound or double surname was looked for above)
            common = ch in self.common
            nxt = text[i + 1:i + 3]
            if common and (nxt[:1] in self.singles or nxt in self.two_char):
                width = 3 if nxt in self.two_char else 2
                # the two surnames must not spell a word of their own (謝謝淑惠督導 is thanks, then a name)
                if text[i:i + width] not in self.cfg.blocked_words:
                    out.append((width, True, _MARRIED))
            out.append((1, common, _SINGLE))
        return out

    # -- boundaries ----------------------------------------------------------------------

    def boundary_word_at(self, text: str, i: int) -> bool:
        return self.boundary.longest_at(text, i) is not None

    def inner_word_at(self, text: str, i: int) -> bool:
        """An honorific or boundary word that may not start inside a given name starts at ``i``."""
        return self.inner.longest_at(text, i) is not None

    def hard_end(self, text: str, e: int) -> bool:
        """Nothing name-like can continue at ``e``."""
        if e >= len(text):
            return True
        ch = text[e]
        given = self._given_chars.get(ch)
        if not (self.is_given(ch) if given is None else given):  # not a Chinese character, or one no given name holds
            return True
        if self.boundary_firsts is not None and ch not in self.boundary_firsts:
            return False  # boundary_word_at(text, e), without the call
        return self.boundary.longest_at(text, e) is not None  # boundary_word_at(text, e)

    def hard_start(self, text: str, s: int) -> bool:
        """Nothing name-like can come right before ``s``."""
        if s <= 0:
            return True
        ch = text[s - 1]
        given = self._given_chars.get(ch)
        if not (self.is_given(ch) if given is None else given):  # not a Chinese character, or one no given name holds
            return True
        if self.settled_lasts is not None and ch not in self.settled_lasts:
            return False  # no settled word ends with this character: none ends at s
        lo = s - 6 if s > 6 else 0
        lengths = self.settled.lengths
        if lengths is None:  # an empty word (or none): the alternation
            for m in self.settled_re.finditer(text, lo, s):
                if m.end() == s:  # (a loop, not any() over a generator: one frame less per call)
                    return True
            return False
        # ``settled_re.finditer(text, lo, s)`` by set lookups: from lo, the longest word that
        # starts at a position and ends by s is the match there (the alternation is longest
        # first), and the next match is looked for after it; else one position on
        words, i = self.settled.words, lo
        while i < s:
            for n in lengths.get(text[i], ()):
                if i + n <= s and text[i:i + n] in words:
                    if i + n == s:
                        return True
                    i += n
                    break
            else:
                i += 1
        return False

    def organisation_after(self, text: str, e: int) -> str | None:
        m = self.org_re.match(text, e)
        return m.group() if m else None

    def blocked_in(self, text: str, s: int, e: int, inner: bool = True,
                   memo: dict[int, str | None] | None = None) -> str | None:
        """A blocked word that covers two or more characters of the span, or its first one.

        Words starting inside the span (陳述, 應陳述) and words ending on its first character
        (簽陳 in 簽陳核定, 期程 in 期程自) both count. A compound surname that is also a word
        (東方, 上官) is no reason to block when it is read as the surname at the start.
        With ``inner`` False, words starting inside the given name (王文章) do not count.
        ``memo``: position -> the longest blocked word there, for one text (``TextShaper``).
        """
        if not self.blocked_firsts:
            return None  # no blocked words
        # the few positions a word covering two characters can start at, each a set lookup
        # (a search for the first of them cost more than the loop over ~5 characters)
        lo = s - self.max_blocked + 1
        firsts = self.blocked_firsts
        for k in range(lo if lo > 0 else 0, e - 1):
            if text[k] not in firsts:
                continue  # no blocked word starts here (blocked_at: None)
            if memo is None:
                word = self.blocked_at(text, k)
            else:
                word = memo.get(k, _UNSET)
                if word is _UNSET:
                    word = memo[k] = self.blocked_at(text, k)
            if word is None or k + len(word) <= s:
                continue
            if k == s and word in self.two_char or k > s and not inner:
                continue
            return word
        return None

    def blocked_at(self, text: str, k: int) -> str | None:
        """The longest blocked word starting at ``k`` (set lookups, not the alternation)."""
        lengths = self.blocked_lengths_from.get(text[k:k + 1])
        if lengths is None:
            return None  # no blocked word starts with this character
        blocked = self.blocked
        for n in lengths:
            word = text[k:k + n]
            if len(word) == n and word in blocked:
                return word
        return None

    def masked_at(self, text: str, s: int, e: int) -> str | None:
        """A masked name (王○明) starting at ``s`` within [s, e): the first pattern that matches
        there (a match at ``s`` is what a search from ``s`` finds first; no search further on)."""
        if self.masked_any is not None:
            m = self.masked_any.match(text, s, e)
            return m.group() if m else None
        for pat in self.masked:
            m = pat.match(text, s, e)
            if m:
                return m.group()
        return None

    # -- readings ------------------------------------------------------------------------

    def _given_run(self, text: str, a: int) -> int:
        """How long a given name starting at ``a`` may be (0, 1 or 2 characters): given-name
        characters that no honorific or boundary word starts at, and no honorific or field word
        at ``a`` itself (黃小姐, 林先生)."""
        n = len(text)
        if a >= n:
            return 0
        kinds = self._char_kinds
        kind = kinds.get(text[a]) or self._char_kind(text[a])
        if kind == _NOT_GIVEN or kind == _WORD_MAY_START and (
                self.inner_word_at(text, a) or self.boundary_word_at(text, a)):
            return 0
        if a + 1 >= n:
            return 1
        kind = kinds.get(text[a + 1]) or self._char_kind(text[a + 1])
        if kind == _NOT_GIVEN or kind == _WORD_MAY_START and self.inner_word_at(text, a + 1):
            return 1
        return 2

    def _char_kind(self, ch: str) -> int:
        """What ``_given_run`` needs to know of a character, once per character: not a given-name
        character; one, and no inner or boundary word starts with it (no regex to ask); or one
        a word may start with."""
        if not self.is_given(ch):
            kind = _NOT_GIVEN
        elif self.inner_firsts is None or self.boundary_firsts is None or ch in self.inner_firsts or ch in self.boundary_firsts:
            kind = _WORD_MAY_START
        else:
            kind = _PLAIN_GIVEN
        self._char_kinds[ch] = kind
        return kind

    def starting_at(self, text: str, p: int) -> list[Shape]:
        """Every reading that starts at ``p``: one or two given-name characters after each
        surname reading, two after a married name."""
        ch = text[p:p + 1]
        if ch not in self.surname_firsts:
            return []  # no surname reading starts here (what surname_readings would find)
        # surname_readings(text, p) inline (a roster asks ~3,700 times; no list of readings):
        # the compound or double surname, the married name, the single surname, in that order;
        # one or two given-name characters after each, two after a married name
        out: list[Shape] = []
        given_run = self._given_run
        if ch in self.two_char_firsts:
            two = text[p:p + 2]
            if len(two) == 2 and two in self.two_char:
                run = given_run(text, p + 2)
                if run:
                    out.append(_new_shape(Shape, (p, p + 3, 2, True, _COMPOUND)))
                    if run == 2:
                        out.append(_new_shape(Shape, (p, p + 4, 2, True, _COMPOUND)))
        if ch in self.singles:
            common = ch in self.common
            if common:
                nxt = text[p + 1:p + 3]
                if nxt[:1] in self.singles or nxt in self.two_char:
                    width = 3 if nxt in self.two_char else 2
                    if text[p:p + width] not in self.cfg.blocked_words and given_run(text, p + width) == 2:
                        out.append(_new_shape(Shape, (p, p + width + 2, width, True, _MARRIED)))
            run = given_run(text, p + 1)
            if run:
                out.append(_new_shape(Shape, (p, p + 2, 1, common, _SINGLE)))
                if run == 2:
                    out.append(_new_shape(Shape, (p, p + 3, 1, common, _SINGLE)))
        return out

    def ending_at(self, text: str, q: int) -> list[Shape]:
        if q <= 0 or q > len(text) or not self.is_given(text[q - 1]):
            return []  # every reading ends on a given-name character: none can end at q
        out: list[Shape] = []
        for total in (2, 3, 4, 5):
            s = q - total
            if s < 0:
                break
            for shape in self.starting_at(text, s):
                if shape.end == q:
                    out.append(shape)
        return out



class TextShaper:
    """A ``NameShaper`` over one text: the same answers, each position computed once (a roster's
    IDs and phones ask about the same characters again and again). One per segment scan."""

    def __init__(self, shaper: NameShaper, text: str):
        self.shaper = shaper
        self.text = text
        self.singles = shaper.singles
        self.common = shaper.common
        self.two_char = shaper.two_char
        self.surname_firsts = shaper.surname_firsts
        self.is_given = shaper.is_given
        self.label_re = shaper.label_re
        self.surname_start_re = shaper.surname_start_re
        #: position -> ``hard_start`` there, as far as asked (read directly by hot loops)
        self.hard_starts: dict[int, bool] = {}
        #: position -> ``hard_end`` there, as far as asked (read directly by hot loops)
        self.hard_ends: dict[int, bool] = {}
        self._blocked_at: dict[int, str | None] = {}
        # the shaper's own functions bound to the text (no method frame in between per call)
        self.starting_at = functools.partial(shaper.starting_at, text)
        self.ending_at = functools.partial(shaper.ending_at, text)
        self.masked_at = functools.partial(shaper.masked_at, text)

    def hard_start(self, s: int) -> bool:
        known = self.hard_starts.get(s)
        if known is None:
            known = self.hard_starts[s] = self.shaper.hard_start(self.text, s)
        return known

    def hard_end(self, e: int) -> bool:
        known = self.hard_ends.get(e)
        if known is None:
            known = self.hard_ends[e] = self.shaper.hard_end(self.text, e)
        return known

    def blocked_at(self, k: int) -> str | None:
        memo = self._blocked_at
        if k in memo:
            return memo[k]
        word = memo[k] = self.shaper.blocked_at(self.text, k)
        return word

    def blocked_in(self, s: int, e: int, inner: bool = True) -> str | None:
        return self.shaper.blocked_in(self.text, s, e, inner, self._blocked_at)

    def organisation_after(self, e: int) -> str | None:
        return self.shaper.organisation_after(self.text, e)


def crossing(tokens: list[Token], pos: int) -> str | None:
    """A multi-character token that straddles ``pos`` (a dictionary word cut in two)."""
    for word, a, b in tokens:
        if a < pos < b and b - a >= 2:
            return word
    return None


def token_starts(tokens: list[Token]) -> set[int]:
    out = set()
    for _, a, b in tokens:
        out.add(a)
        out.add(b)
    return out
