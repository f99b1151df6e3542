"""Chinese names: triggers first, then a name-shaped span, then the decision.

Clean text costs one C-speed scan: a single alternation of every trigger word (labels,
honorifics, titles, common given names) plus the ID/phone findings already accepted on the
segment. Only around those triggers does the finder look at surname characters, and only for a
surviving span does it ask jieba about a window of a few characters.

Triggers and what they propose:
* a label (姓名：, 承辦人, 聯絡人 …) -> a name starting right after it;
* an honorific or title (先生, 女士, 科長 …) -> a name ending right before it;
* a common given name (美玲, 志明 …) -> a name ending with it;
* an accepted ID, phone, e-mail … -> names in a small window around it;
* a chat speaker at the start of a line (王小明：) -> that name;
* a table whose header has a 姓名 column -> the cells of that column;
* a list separator (、 , ;) after a labelled name -> the next name of a roster;
* the cues of ``person_cues`` for names with no label: a title or rank before it, a unit and a
  space before it, a bracket of person details after it, an exported chat's speaker column, a
  hint word, or a common surname at a hard start. Weak cues need jieba.posseg's ``nr`` tag on
  exactly the span (``person_pos``), asked for a few characters only.

Whatever proposed a name, ``add_context`` adds the evidence around it: a label, an honorific or
title after it, a neighbouring ID, a common given name, and the layout — the whole value of a
``label：`` field (``field``) or the opening of a line or list item set apart by a space (``row``).
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re

import regex

from dlp.recognizers.base import Candidate, ScanContext, longest_first
from dlp.recognizers.person_config import ChineseNameConfig, is_han
from dlp.recognizers.person_cues import CueFinder
from dlp.recognizers.person_pos import NameTagger, ordinary_reading
from dlp.recognizers.person_shape import NameShaper, Shape, Token, _edge_chars, crossing, token_starts
from dlp.tokenize import word_frequency  # jieba's dictionary loads on the first call, not here

_LIST_SEPARATORS = "、,;/"
#: a line's cell delimiter, the first the line holds: (the mark to look for, its pattern)
_DELIMITERS = (("\t", re.compile(r"\t")), ("|", re.compile(r"\|")), (",", re.compile(r",")),
               ("  ", re.compile(r"[ ]{2,}")), (" ", re.compile(r"[ ]+")))
#: the marks whose pattern is the mark itself: ``header_cells`` splits by ``str.split`` there
_LITERAL_MARKS = frozenset(("\t", "|", ","))
_TABLE_RULE = re.compile(r"^[\s|:\-+=]*$")
#: a one-character delimiter's pattern -> the character (``cell_bounds`` splits by ``str.split``)
_LITERAL_OF = {pat: mark for mark, pat in _DELIMITERS if mark in _LITERAL_MARKS}
#: How far back the layout cues (a field label, a row's numbering) look for the line start.
_LAYOUT_REACH = 64


def search_decides(pattern: regex.Pattern[str]) -> bool:
    """Whether ``pattern.search(text) is None`` means ``pattern.match(text, e) is None`` for
    every ``e``: a search tries every start on the same string, unless the pattern holds ``\\G``
    (the search's own start) or searches in reverse."""
    return "\\G" not in pattern.pattern and not pattern.flags & regex.REVERSE


#: A leading run of spaces or Tabs: it may match empty, so it never decides whether a pattern
#: matches somewhere in a text (``presence_probe``).
_OPTIONAL_SPACES = "[ \\t]*"


def presence_probe(pattern: regex.Pattern[str]) -> regex.Pattern[str]:
    """A pattern whose search of a text finds a match exactly when ``pattern``'s does: the
    pattern without a leading ``[ \\t]*`` (the ``regex`` module tries that run at every position
    of the text, a search five to fifteen times slower), else the pattern itself.

    If ``[ \\t]*REST`` matches at p, taking k spaces, REST matches at p + k (the same characters;
    a lookaround reads the same text, and no group of the prefix can be referred to); if REST
    matches at q, the whole matches at q with no space taken. A top-level alternation keeps
    this (only its first branch held the prefix). Not when a quantifier follows the run (``*?``,
    ``*+``: REST would not be read alone) or the pattern needs ``\\G`` or searches in reverse
    (``search_decides``), or when REST alone does not compile."""
    source = pattern.pattern
    if not source.startswith(_OPTIONAL_SPACES) or not search_decides(pattern):
        return pattern
    rest = source[len(_OPTIONAL_SPACES):]
    if not rest or rest[0] in "?+*{":
        return pattern
    try:
        probe = regex.compile(rest, pattern.flags)
    except regex.error:
        return pattern
    return probe if probe.flags == pattern.flags else pattern


def cell_bounds(line: str, col: int, split: re.Pattern[str]) -> tuple[int, int] | None:
    """Where cell ``col`` (from 0) of ``line`` starts and ends between the delimiters ``split``
    finds, None when the line has fewer; a one-character delimiter by ``str.split`` (the cells up
    to this one, at C speed), the others by the pattern's matches up to the cell's end."""
    mark = _LITERAL_OF.get(split)
    if mark is not None:
        pieces = line.split(mark, col + 1)
        if len(pieces) <= col:
            return None
        a = len(mark.join(pieces[:col])) + 1 if col else 0
        return a, a + len(pieces[col])
    parts = list(itertools.islice(split.finditer(line), col + 1))  # the delimiters up to the cell's end
    if col > len(parts):
        return None
    a = parts[col - 1].end() if col else 0
    return a, parts[col].start() if col < len(parts) else len(line)


def _in_order(words: list[str]) -> re.Pattern[str] | None:
    """An alternation of ``words`` in the given order (the first that fits wins), None if empty."""
    return re.compile("|".join(re.escape(w) for w in words)) if words else None


class Proposal:
    """A reading proposed as a name, with the evidence for it (a class with slots: a roster
    proposes thousands, and a dataclass with a default factory costs twice as much to build)."""

    __slots__ = ("shape", "reasons", "firm")

    def __init__(self, shape: Shape, reasons: dict[str, str] | None = None, firm: bool = False):
        self.shape = shape
        self.reasons: dict[str, str] = {} if reasons is None else reasons  # score key -> evidence in words
        #: A label with a colon, a table's name column or a chat speaker: the text says it is a name.
        self.firm = firm


class CoveredCharacters:
    """The characters the accepted findings of ``ctx.accepted`` cover (a byte each), read when
    first asked: the Chinese finders' ``_Scan.taken`` and the repeated names' overlap test
    (``PersonDetector._repeats``) share one reading of a roster's thousands of findings."""

    __slots__ = ("ctx", "_known")

    def __init__(self, ctx: ScanContext):
        self.ctx = ctx
        self._known: tuple[bytearray, bool] | None = None

    def accepted(self) -> tuple[bytearray, bool]:
        """The map (shared: read it, do not change it), and whether every finding of
        ``ctx.accepted`` is accepted (the map is then also the one of all of them)."""
        known = self._known
        if known is None:
            covered = bytearray(len(self.ctx.text))
            every_one = True
            for c in self.ctx.accepted:
                if c.accepted:
                    if c.end > c.start:
                        covered[c.start:c.end] = b"\x01" * (c.end - c.start)
                else:
                    every_one = False
            known = self._known = (covered, every_one)
        return known


class ChineseNameFinder:
    """Finds Chinese names for one ``method: chinese`` rule."""

    def __init__(self, cfg: ChineseNameConfig):
        self.cfg = cfg
        self.rule = cfg.rule
        self.shaper = NameShaper(cfg)
        self.scores = cfg.scores
        self.windows = cfg.windows
        self.roles: dict[str, set[str]] = {}
        for word in cfg.labels:
            self.roles.setdefault(word, set()).add("label")
        for word in cfg.honorifics:
            self.roles.setdefault(word, set()).add("suffix")
        for word in cfg.titles:
            self.roles.setdefault(word, set()).add("title")
        for word in cfg.given_names:
            self.roles.setdefault(word, set()).add("given_name")
        words = longest_first(self.roles)
        #: word -> (a label, the score key of an honorific or title after a name or None, a
        #: common given name): the roles read once, not per trigger
        self.actions: dict[str, tuple[bool, str | None, bool]] = {
            w: ("label" in r, "suffix" if "suffix" in r else "title" if "title" in r else None, "given_name" in r)
            for w, r in self.roles.items()
        }
        #: the triggers, longest first: the prefilter reports each (``prefilter_literals``)
        self.trigger_words = words
        self.trigger_re = re.compile("|".join(re.escape(w) for w in words))
        # labels padded with spaces between their characters (原　　告, 承 辦 人) are read back
        # from the name after them (CueFinder.boundaries): no regex over the whole text
        padded_labels = {w for w in words if 2 <= len(w) <= 3 and "label" in self.roles[w] and " " not in w}
        self.cues = CueFinder(cfg, frozenset(padded_labels), self.trigger_re.pattern)
        #: Titles, labels and honorifics: never a name themselves (司長, 主任).
        self.role_words = frozenset(cfg.labels) | frozenset(cfg.titles) | frozenset(cfg.titles_before) | frozenset(cfg.honorifics)
        # an honorific (not also a given name) or a title right after a name: the first word of
        # the pack's list that fits, as the list is written (an alternation tries them in order)
        honorifics_after = [w for w in cfg.honorifics if w not in cfg.given_name_too]
        self.honorific_after_re = _in_order(honorifics_after)
        self.title_after_re = _in_order(list(cfg.titles))
        #: the characters an honorific or title after a name starts with (None: an empty word,
        #: which matches anywhere): where none is, neither alternation is asked
        self.after_firsts = _edge_chars([*honorifics_after, *cfg.titles])
        #: the same for the organisation suffixes (``NameShaper.org_re``)
        self.org_firsts = _edge_chars(list(cfg.organisation_suffixes))
        self.speaker_re = regex.compile(cfg.speaker_prefix.pattern + r"(?P<name>\p{Han}{2,5})[ \t]*:")
        #: ``\G`` (where the search started) lets ``match(text, e)`` find what a search of the
        #: whole text does not, and a reverse pattern searches the other way: then every name's
        #: ``match`` is asked (see ``sample_may_match``)
        self._sample_search_decides = search_decides(cfg.sample_after)
        #: searched instead of ``sample_after`` for whether it matches anywhere (``presence_probe``)
        self._sample_probe = presence_probe(cfg.sample_after)

    def sample_may_match(self, text: str) -> bool:
        """False when the sample marker (``sample_after``) matches at no position of ``text``:
        then its ``match(text, e)`` after a name is None for every ``e`` and need not be asked.

        A search of the whole text tries every start position on the same string as
        ``match(text, e)`` (the same end, the same context for a lookbehind), so no match found
        means none at any ``e``. Asked once per scan: the ``regex`` module's ``match`` looks ahead
        for a literal the pattern needs (here the bracket), so on a roster without one each
        judged name's ``match`` read the rest of the text (a 200 KB roster: +45 ms)."""
        return not self._sample_search_decides or self._sample_probe.search(text) is not None

    # -- entry point -----------------------------------------------------------------------

    def detect(self, ctx: ScanContext, covered: CoveredCharacters | None = None) -> list[Candidate]:
        """``covered``: the characters ``ctx.accepted`` covers, if the caller keeps them."""
        text = ctx.text
        key = self.rule.id
        found = ctx.literal_matches(f"{key}#trigger")
        if found is None:  # no prefilter report to read them from: the alternation, in the regions
            found = [m.span() for lo, hi in ctx.regions(f"{key}#trigger") for m in self.trigger_re.finditer(text, lo, hi)]
        kinds = self.cfg.neighbour_types  # (read once, not per finding)
        neighbours = [c for c in ctx.accepted if c.type in kinds and c.accepted]
        speaker_hits = list(self.speaker_re.finditer(text)) if ":" in text else []
        signature_hits = list(self.cfg.signature_prefix.finditer(text)) if "--" in text else []
        subject = ctx.role == "subject"
        cues = self.cues
        before = list(cues.before(text, ctx.regions(f"{key}#before")))
        before += cues.boundaries(text, self.windows["boundary_max"], ctx.regions(f"{key}#boundary"))
        after = list(cues.after(text, ctx.regions(f"{key}#after")))
        infos = list(cues.info(text))
        exported = list(cues.speakers(text))
        if not (found or neighbours or speaker_hits or signature_hits or subject or before or after
                or infos or exported):
            return []
        scan = _Scan(self, ctx, neighbours, covered)
        for start, end in found:
            word = text[start:end]
            scan.on_trigger(word if word in self.roles else "".join(word.split()), start, end)
        for cue in before:
            if cue.kind == "boundary":
                scan.on_boundary(cue.start)
            elif cue.kind == "padded_label":
                scan.on_trigger(cue.word, cue.start, cue.end)
            else:
                scan.on_before(cue.kind, cue.word, cue.end)
        for cue in after:
            scan.on_context_after(cue.word, cue.start)
        for q in infos:
            scan.on_info(q)
        for a, b in exported:
            scan.on_speaker(a, b)

        surname_firsts = self.shaper.surname_firsts
        for m in speaker_hits:
            start, end = m.span("name")
            if text[start] not in surname_firsts:
                continue  # no reading starts there: on_speaker would pick none and propose nothing
            line_end = text.find("\n", m.end())
            rest = text[m.end():line_end if line_end >= 0 else len(text)]
            scan.on_speaker(start, end, said=bool(rest) and not rest.isspace())  # (bool(rest.strip()), no copy)
        for m in signature_hits:
            scan.on_start(m.end(), "signature", "first line after a signature separator (--)")
        if subject:
            scan.on_start(len(text) - len(text.lstrip()), "subject", "at the start of a mail subject")
        scan.on_neighbours(neighbours)
        return scan.decide()


_UNSET = object()
#: a reading's end (``Shape.end``) and a candidate's start, as C-speed sort keys
_END = operator.itemgetter(1)
_START = operator.attrgetter("start")


class _Scan:
    """State of one segment's scan: proposals so far and a small cache of jieba windows."""

    def __init__(self, finder: ChineseNameFinder, ctx: ScanContext, neighbours: list[Candidate],
                 covered: CoveredCharacters | None = None):
        self.f = finder
        self.cfg = finder.cfg
        self.sh = finder.shaper.reader(ctx.text)
        self.ctx = ctx
        self.text = ctx.text
        self.neighbours = neighbours
        self.proposals: dict[tuple[int, int], Proposal] = {}
        #: Characters covered by findings of earlier detectors (names must not overlap them).
        taken, every_one = covered.accepted() if covered is not None else (None, False)
        if not every_one:  # (a finding not accepted covers its characters here too)
            taken = bytearray(len(ctx.text))
            for c in ctx.accepted:
                if c.end > c.start:
                    taken[c.start:c.end] = b"\x01" * (c.end - c.start)
        self.taken = taken
        self.by_start = sorted(neighbours, key=_START)
        self.starts = list(map(_START, self.by_start))
        self._has_jieba: bool | None = None
        self.discarded: list[Candidate] = []
        self._tokens: dict[tuple[int, int], list[Token]] = {}
        #: position -> its pick, not firm and firm (``pick_from``): two dicts keyed by the
        #: position alone (no key tuple built per step of the neighbours' walk)
        self._picked: dict[int, Shape | None] = {}
        self._picked_firm: dict[int, Shape | None] = {}
        #: line start -> its cells as a table header (the delimiter, each stripped cell's first column)
        self._header_cells: dict[int, tuple[re.Pattern[str] | None, dict[str, int]]] = {}
        self._blocked: dict[Shape, str | None | object] = {}
        self.tracing = ctx.trace is not None
        self.rule_id, self.shadow = finder.rule.id, finder.rule.shadow
        self.org_re = finder.shaper.org_re
        self._label_reach = self.cfg.windows["label_gap"] + 8
        #: ``ChineseNameFinder.sample_may_match`` of the text, once asked
        self._sample_anywhere: bool | None = None
        self._suffix_gap = self.cfg.windows["suffix_gap"]
        self.tagger = NameTagger(ctx.text, self.cfg.name_tags, self.cfg.windows["jieba_margin"])

    # -- helpers ---------------------------------------------------------------------------

    def tokens(self, start: int, end: int) -> list[Token]:
        m = self.cfg.windows["jieba_margin"]
        lo, hi = max(0, start - m), min(len(self.text), end + m)
        key = (lo, hi)
        if key not in self._tokens:
            self._tokens[key] = self.ctx.tokens(lo, hi)
        return self._tokens[key]

    def propose(self, shape: Shape, key: str, evidence: str) -> Proposal:
        prop = self.proposals.get((shape.start, shape.end))
        if prop is None:
            prop = self.proposals[(shape.start, shape.end)] = Proposal(shape)
        prop.reasons.setdefault(key, evidence)
        return prop

    def discard(self, start: int, end: int, why: str) -> None:
        self.discarded.append(self.candidate(start, end, 0.0, False, why))

    def candidate(self, start: int, end: int, score: float, accepted: bool, why: str) -> Candidate:
        # positional (type, kind, start, end, score, rule, accepted, why, level, shadow,
        # value_key): a third of the keyword call's cost, ~1,700 per roster
        return Candidate("PERSON", "personal_data", start, end, round(score, 3), self.rule_id,
                         accepted, why, None, self.shadow, self.text[start:end])

    def no_reading_from(self, p: int) -> bool:
        """Without a trace: no reading can start at ``p`` (no surname character is there), so
        the pick after a masked-name check would find nothing and the check may be skipped (it
        decides nothing then; what it discards, only a trace lists)."""
        return not self.tracing and self.text[p:p + 1] not in self.sh.surname_firsts

    def no_reading_to(self, q: int) -> bool:
        """Without a trace: no reading can end at ``q`` (no given-name character before it)."""
        return not self.tracing and not (0 < q <= len(self.text) and self.sh.is_given(self.text[q - 1]))

    def check_masked(self, start: int, end: int) -> bool:
        found = self.sh.masked_at(start, min(len(self.text), end))
        if found:
            self.discard(start, start + len(found), f"masked name {found!r} (already de-identified)")
        return bool(found)

    # -- choosing a reading ----------------------------------------------------------------

    def plausible(self, shapes: list[Shape], lo: int, hi: int, firm: bool = False) -> list[Shape]:
        """Readings with no blocked word inside and no dictionary word cut at either end.

        ``firm``: the text says a name is here (姓名：…); a blocked word (黎明 in 黎明輝) is then
        overruled when jieba tags the reading a person's name."""
        kept = self.unblocked(shapes, firm)
        return self.uncut(kept, lo, hi) if kept else []

    def unblocked(self, shapes: list[Shape], firm: bool = False) -> list[Shape]:
        """The first half of ``plausible``: the readings with no blocked word inside."""
        kept = []
        for shape in shapes:
            word = self.blocked(shape)
            if word is None or firm and self.tagger.agrees(shape.start, shape.end):
                kept.append(shape)
            elif self.ctx.trace is not None:
                self.discard(shape.start, shape.end, f"{self.text[shape.start:shape.end]!r} contains the ordinary word {word!r}")
        return kept

    def uncut(self, kept: list[Shape], lo: int, hi: int) -> list[Shape]:
        """The second half of ``plausible``: no dictionary word cut at either end."""
        if all(self.both_hard(sh) for sh in kept):
            return kept
        toks = self.tokens(lo, hi)
        if not toks:
            return kept
        out = []
        for shape in kept:
            word = self.cut_word(toks, shape.start, shape.end)
            if word is None:
                out.append(shape)
            elif self.ctx.trace is not None:
                self.discard(shape.start, shape.end, f"jieba: {self.text[shape.start:shape.end]!r} cuts the word {word!r}")
        return out

    def both_hard(self, shape: Shape) -> bool:
        return self.sh.hard_start(shape.start) and self.sh.hard_end(shape.end)

    def cut_word(self, toks: list[Token], s: int, e: int) -> str | None:
        """A dictionary word cut by the span, at an end that is not already a hard boundary.

        A label or punctuation right there settles the boundary whatever jieba says
        (承辦人丁秀玉: jieba reads 人丁).
        """
        if not self.sh.hard_start(s):
            word = crossing(toks, s)
            if word:
                return word
        if not self.sh.hard_end(e):
            return crossing(toks, e)
        return None

    def blocked(self, shape: Shape) -> str | None:
        """The ordinary word inside the span (陳述), unless the given name is a known one (黃金龍).
        Remembered per reading: the pick asks, then the judgement asks again."""
        known = self._blocked.get(shape, _UNSET)
        if known is _UNSET:
            s, e = shape.start, shape.end
            if self.text[s + shape.surname_len:e] in self.cfg.given_names:
                known = None
            else:
                known = self.sh.blocked_in(s, e, not shape.common)
            self._blocked[shape] = known
        return known

    def pick_from(self, p: int, firm: bool = False) -> Shape | None:
        """The reading of a name starting at ``p``: the longest with a hard end, else the longest.

        A pure function of the text, so remembered per position: in a roster every ID and phone
        on a row scans the same window for a name. (Not with a trace: ``dlp explain`` lists
        each discarded reading where it was considered.)"""
        if self.ctx.trace is not None:
            return self._pick_from(p, firm)
        memo = self._picked_firm if firm else self._picked
        picked = memo.get(p, _UNSET)
        if picked is _UNSET:
            picked = memo[p] = self._pick_from(p, firm)
        return picked

    def _pick_from(self, p: int, firm: bool) -> Shape | None:
        sh = self.sh
        shapes = sh.starting_at(p)
        if not shapes:
            return None
        starts = sh.hard_starts
        if not self.tracing and (starts[p] if p in starts else sh.hard_start(p)):
            # every reading starts at p, a hard start: one with a hard end is cut at neither end,
            # so jieba's tokens (``uncut``) cannot drop it, and the answer is the longest of them
            # with no blocked word (the first of equal length, as max() over them gives): asked
            # longest first, the others are not asked. (A trace takes the long way: ``dlp
            # explain`` lists every reading blocked or cut.) The memories are read inline, and a
            # reading's end is tested only when no longer one was the answer.
            ends, known = sh.hard_ends, self._blocked
            if len(shapes) == 2:  # sorted(shapes, key=_END, reverse=True) of two: stable, as sorted() is
                a, b = shapes
                shapes = (b, a) if a[1] < b[1] else shapes
            elif len(shapes) > 2:
                shapes = sorted(shapes, key=_END, reverse=True)  # (stable: the first of equal ends first)
            for shape in shapes:
                e = shape[1]
                if not (ends[e] if e in ends else sh.hard_end(e)):
                    continue
                word = known.get(shape, _UNSET)
                if word is _UNSET:
                    word = self.blocked(shape)
                if word is None or firm and self.tagger.agrees(shape.start, shape.end):
                    return shape
        shapes = self.unblocked(shapes, firm)
        if not shapes:
            return None
        shapes = self.uncut(shapes, p, p + 5)
        if not shapes:
            return None
        hard = [s for s in shapes if self.sh.hard_end(s.end)]
        if hard:
            return max(hard, key=_END)
        if not self.tokens(p, p + 5):  # without jieba, only a hard end will do
            return None
        return max(shapes, key=_END)

    def pick_ending(self, q: int, given_two_only: bool) -> Shape | None:
        """The reading of a name ending at ``q``: a hard start first; common surnames, longest."""
        if not (0 < q <= len(self.text) and self.sh.is_given(self.text[q - 1])):
            return None  # every reading ends on a given-name character (``ending_at``)
        shapes = self.sh.ending_at(q)
        if given_two_only:
            shapes = [s for s in shapes if s.end - s.start - s.surname_len == 2]
        if not shapes:
            return None
        shapes = self.plausible(shapes, q - 5, q)
        if not shapes:
            return None
        pool = [s for s in shapes if self.sh.hard_start(s.start)]
        if not pool:
            if not self.tokens(q - 5, q):
                return None
            pool = shapes
        return max(pool, key=lambda s: (s.common, s.end - s.start))

    # -- triggers --------------------------------------------------------------------------

    def on_trigger(self, word: str, start: int, end: int) -> None:
        label, after_key, given_name = self.f.actions[word]
        if label:
            self.on_label(word, start, end)
        if after_key is not None and (self.tracing or start > 0 and (
                self.text[start - 1] in " \t" or self.sh.is_given(self.text[start - 1]))):
            # (else on_suffix's first test, no_reading_to, ends it at once: no given-name
            # character right before the word — a roster's 室,科長 — and no space to step over)
            self.on_suffix(word, start, after_key)
        if given_name:
            shape = self.pick_ending(end, given_two_only=False)
            if shape is not None and shape.end - shape.start - shape.surname_len == len(word):
                self.propose(shape, "given_name", f"common given name {word!r}")

    def on_label(self, word: str, start: int, end: int) -> None:
        text = self.text
        if len(word) == 1 and start > 0 and is_han(text[start - 1]):
            return  # a one-character label (查) glued after a character is part of a word (調查官)
        tail = self.cfg.label_tail.match(text, end)
        p = tail.end() if tail else end
        if p - end > self.cfg.windows["label_gap"] + 4 and tail and ":" not in tail.group():
            return
        if word in self.cfg.colon_only_labels and not (tail and ":" in tail.group()):
            return
        self.on_table_header(word, start, end)  # any label may head a column; it may still have a value
        if self.no_reading_from(p) or self.check_masked(p, p + 4):
            return
        colon = bool(tail and ":" in tail.group())
        shape = self.pick_from(p, firm=colon)
        if shape is None:
            return
        prop = self.propose(shape, "label", f"label {word!r} before it")
        prop.firm = prop.firm or colon

    def roster_neighbours(self, s: int, e: int) -> list[Shape]:
        """陳大文、林美玲、張簡家豪: the names right before and after an accepted one."""
        text, sh = self.text, self.sh
        size = len(text)
        out: list[Shape] = []
        k = e
        while k < size and text[k] in " \t":
            k += 1
        if k < size and text[k] in _LIST_SEPARATORS:
            k += 1
            while k < size and text[k] in " \t":
                k += 1
        # (no_reading_from(k) without the call: a trace asks for the masked check everywhere)
        if k > e and k < size and (self.tracing or text[k] in sh.surname_firsts) and not self.check_masked(k, k + 4):
            nxt = self.pick_from(k)
            if nxt is not None and sh.hard_end(nxt.end):
                out.append(nxt)
        k = s
        while k > 0 and text[k - 1] in " \t":
            k -= 1
        if k > 0 and text[k - 1] in _LIST_SEPARATORS:
            k -= 1
            while k > 0 and text[k - 1] in " \t":
                k -= 1
        if 0 < k < s and sh.is_given(text[k - 1]):  # (pick_ending's own first test: else None)
            prev = self.pick_ending(k, given_two_only=False)
            if prev is not None and sh.hard_start(prev.start):
                out.append(prev)
        return out

    def on_suffix(self, word: str, start: int, key: str) -> None:
        q = start
        while q > 0 and start - q < self.cfg.windows["suffix_gap"] and self.text[q - 1] in " \t":
            q -= 1
        if self.no_reading_to(q) or q >= 3 and self.check_masked(q - 3, q):
            return
        shape = self.pick_ending(q, given_two_only=word in self.cfg.given_name_too)
        if shape is None:
            return
        self.propose(shape, key, f"{'honorific' if key == 'suffix' else 'title'} {word!r} after it")

    def on_start(self, p: int, key: str, evidence: str) -> None:
        if p < len(self.text) and not self.check_masked(p, p + 4):
            shape = self.pick_from(p)
            if shape is not None:
                self.propose(shape, key, evidence)

    def on_speaker(self, start: int, end: int, said: bool = True) -> None:
        """``said``: the speaker's words follow on the line (not a salutation such as 司長：)."""
        shape = self.pick_from(start)
        if shape is not None and shape.end == end:
            prop = self.propose(shape, "speaker", "chat speaker at the start of a line")
            prop.firm = prop.firm or said

    def _skip_spaces(self, p: int, limit: int = 9) -> int:
        """Spaces and at most one colon (醫師：孫永昌)."""
        q = p
        while q < len(self.text) and q - p < limit and self.text[q] in " \t:":
            q += 1
        return q

    def on_before(self, kind: str, word: str, end: int) -> None:
        """A title, rank, role, unit or hint word right before a name."""
        p = self._skip_spaces(end)
        if self.check_masked(p, p + 4):
            return
        colon = kind == "title_before" and ":" in self.text[end:p]  # a title used as a label (醫師：)
        shape = self.pick_from(p, firm=colon)
        if shape is None:
            return
        if kind == "title_before":
            prop = self.propose(shape, "title_before", f"title or role {word!r} before it")
            prop.firm = prop.firm or colon
        elif kind == "unit" and p > end:
            self.propose(shape, "unit", f"unit {word!r} and a space before it (a signature)")
        else:
            self.propose(shape, "context", f"{word!r} before it")

    def on_context_after(self, word: str, start: int) -> None:
        q = start
        while q > 0 and start - q < 1 and self.text[q - 1] in " \t":
            q -= 1
        if q >= 3 and self.check_masked(q - 3, q):
            return
        shape = self.pick_ending(q, given_two_only=False)
        if shape is not None:
            self.propose(shape, "context", f"{word!r} after it")

    def on_info(self, q: int) -> None:
        """A bracket of person details (sex, age, score, birth date) right after the name."""
        if q >= 3 and self.check_masked(q - 3, q):
            return
        shape = self.pick_ending(q, given_two_only=False)
        if shape is not None:
            self.propose(shape, "info", "a bracket of person details after it")

    def on_boundary(self, p: int) -> None:
        """A common surname at a hard start; proposed only with a hard end or a jieba cut."""
        if self.overlaps_accepted(p, p + 1) or self.check_masked(p, p + 4):
            return
        shape = self.pick_from(p)
        if shape is not None:
            self.propose(shape, "boundary", "a name shape at a hard start (punctuation, line start)")

    def on_neighbours(self, neighbours: list[Candidate]) -> None:
        """Names in a small window on each side of each accepted ID, phone …, in order: from the
        window's start, each surname character at a hard start (or, next to a strong neighbour, a
        common surname where jieba's tokens of the window start a word) starts a reading, and the
        walk goes on after a reading proposed.

        One loop for all neighbours, the shaper's and the picks' memories read here directly:
        a roster has thousands of neighbours, four windows a row."""
        sh = self.sh
        starts = sh.surname_start_re
        if starts is None:
            return
        text, search, taken, proposals = self.text, starts.search, self.taken, self.proposals
        singles, two_char, common = sh.singles, sh.two_char, sh.common
        hard_starts, picked = sh.hard_starts, (self._picked if self.ctx.trace is None else None)
        before, after = self.cfg.windows["neighbour_before"], self.cfg.windows["neighbour_after"]
        weak_types = self.cfg.weak_neighbour_types
        size = len(text)
        evidences: dict[str, str] = {}
        for n in neighbours:
            lo = n.start - before if n.start > before else 0
            cut = text.rfind("\n", lo, n.start)
            if cut != -1:  # at most the previous line
                prev = text.rfind("\n", lo, cut)
                if prev + 1 > lo:
                    lo = prev + 1
            hi = n.end + after if n.end + after < size else size
            cut = text.find("\n", n.end, hi)
            if cut != -1:
                hi = cut
            weak = n.type in weak_types
            evidence = evidences.get(n.type)
            if evidence is None:
                evidence = evidences[n.type] = f"next to {n.type}"
            for window_start, end in ((lo, n.start), (n.end, hi)):
                i = window_start
                toks: list[Token] | None = None
                while i < end:
                    m = search(text, i, end)  # the next character a surname can start with
                    if m is None:
                        break
                    i = m.start()
                    ch = text[i]
                    if ch not in singles and text[i:i + 2] not in two_char or taken[i]:
                        # taken[i]: overlaps_accepted(i, i + 1), for one character
                        i += 1
                        continue
                    hard = hard_starts.get(i)
                    if hard is None:
                        hard = sh.hard_start(i)
                    shape = _UNSET if picked is None else picked.get(i, _UNSET)
                    if not hard:
                        if weak or ch not in common:
                            i += 1
                            continue
                        if picked is not None:
                            # without a trace the pick comes first: where it is None or runs past
                            # the window, jieba's test below decides nothing (the walk steps on
                            # either way), and the window is not cut for it. (A trace tests first:
                            # ``dlp explain`` lists a pick's discards only where it was made.)
                            if shape is _UNSET:
                                shape = picked[i] = self._pick_from(i, False)
                            if shape is None or shape.end > end + 1:
                                i += 1
                                continue
                        if toks is None:
                            toks = self.tokens(window_start, end)
                        if i not in token_starts(toks) or crossing(toks, i):
                            i += 1
                            continue
                    if shape is _UNSET:  # self.pick_from(i): its memory read and written here
                        shape = self._pick_from(i, False)
                        if picked is not None:
                            picked[i] = shape
                    if shape is None or shape.end > end + 1:
                        i += 1
                        continue
                    key = (shape.start, shape.end)  # self.propose(shape, "neighbour", evidence)
                    prop = proposals.get(key)
                    if prop is None:
                        prop = proposals[key] = Proposal(shape)
                    prop.reasons.setdefault("neighbour", evidence)
                    i = shape.end

    def on_table_header(self, word: str, start: int, end: int) -> bool:
        """A header cell 姓名 in a table: the cells below it are names. True if it was one."""
        text = self.text
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end == -1 else line_end
        split, columns = self.header_cells(line_start, line_end)
        col = columns.get(word)
        if split is None or col is None:
            return False
        pos = line_end + 1
        rows = 0
        while pos < len(text) and rows < self.cfg.windows["table_rows"]:
            nl = text.find("\n", pos)
            nl = len(text) if nl == -1 else nl
            line = text[pos:nl]
            if not line.strip():
                break
            rows += 1
            if not _TABLE_RULE.match(line):
                self.table_cell(line, pos, col, split)
            pos = nl + 1
        return True

    def header_cells(self, line_start: int, line_end: int) -> tuple[re.Pattern[str] | None, dict[str, int]]:
        """The line read as a table header: its delimiter and each stripped cell's first column.

        Remembered per line: every label on a line asks (a 400 KB text on one line with a label
        every 50 characters split the whole line once per label: quadratic)."""
        known = self._header_cells.get(line_start)
        if known is None:
            header = self.text[line_start:line_end]
            body = header.strip()
            split = None
            for mark, pat in _DELIMITERS:  # the first delimiter the line holds (a loop: no generator)
                if mark in body:
                    split = pat
                    break
            columns: dict[str, int] = {}
            if split is not None:
                # a Tab, | or comma splits as ``str.split`` does it, without the regex engine;
                # runs of spaces need the pattern
                cells = header.split(mark) if mark in _LITERAL_MARKS else split.split(header)
                # each stripped cell -> its first column, at C speed: built from the last cell
                # back, a cell written twice keeps the smaller column (``setdefault`` in a loop)
                columns = dict(zip(map(str.strip, reversed(cells)), range(len(cells) - 1, -1, -1)))
            known = self._header_cells[line_start] = (split, columns)
        return known

    def table_cell(self, line: str, offset: int, col: int, split: re.Pattern[str]) -> None:
        bounds = cell_bounds(line, col, split)
        if bounds is None:
            return  # fewer cells than the column's number
        a, b = bounds
        cell = line[a:b]
        lead = len(cell) - len(cell.lstrip())
        s, e = offset + a + lead, offset + a + len(cell.rstrip())
        if e <= s or self.no_reading_from(s) or self.check_masked(s, e):
            return
        shape = self.pick_from(s)
        if shape is not None and shape.end == e:
            self.propose(shape, "table", "in the 姓名 column of a table").firm = True

    def overlaps_accepted(self, s: int, e: int) -> bool:
        s = max(s, 0)
        return s < e and self.taken.find(1, s, e) >= 0

    def near_neighbour(self, s: int, e: int) -> Candidate | None:
        """An accepted ID, phone … right after the span or right before it."""
        before, after = self.cfg.windows["neighbour_before"], self.cfg.windows["neighbour_after"]
        i = bisect.bisect_left(self.starts, e)
        if i < len(self.by_start) and self.by_start[i].start - e <= before:
            return self.by_start[i]
        lo = bisect.bisect_left(self.starts, s - after - 200)
        for n in self.by_start[lo:i]:
            if 0 <= s - n.end <= after:
                return n
        return None

    @property
    def has_jieba(self) -> bool:
        if self._has_jieba is None:
            self._has_jieba = bool(self.ctx.tokens(0, min(2, len(self.text))))
        return self._has_jieba

    # -- decision --------------------------------------------------------------------------

    def decide(self) -> list[Candidate]:
        judged = {key: self.judge(prop) for key, prop in self.proposals.items()}
        frontier = [c for c in judged.values() if c.accepted]
        while frontier:  # rosters: grow from accepted names across list separators
            cand = frontier.pop()
            for shape in self.roster_neighbours(cand.start, cand.end):
                key = (shape.start, shape.end)
                prop = self.proposals.get(key)
                if prop is not None and "roster" in prop.reasons:
                    continue
                prop = self.propose(shape, "roster", "listed next to another name")
                judged[key] = self.judge(prop)
                if judged[key].accepted:
                    frontier.append(judged[key])
        kept: list[Candidate] = []
        used = bytearray(len(self.text))  # characters of the names kept so far
        for cand in sorted(judged.values(), key=lambda c: (-c.accepted, -c.score, c.start - c.end)):
            if not cand.accepted:
                continue
            if used.find(1, cand.start, cand.end) >= 0:
                cand.accepted = False
                cand.why += "; overlaps a better-scored name"
                continue
            kept.append(cand)
            used[cand.start:cand.end] = b"\x01" * (cand.end - cand.start)
        ctx = self.ctx
        if ctx.trace is not None or ctx.clock is not None:  # else record() does nothing
            for cand in self.discarded + sorted(judged.values(), key=_START):
                ctx.record(cand)
        return sorted(kept, key=_START)

    def judge(self, prop: Proposal) -> Candidate:
        sh, text, sc, cfg = self.sh, self.text, self.f.scores, self.cfg
        shape = prop.shape
        s, e, surname_len, common, note = shape  # (a tuple's unpacking: no attribute per field)
        name = text[s:e]
        tracing = self.tracing
        # the reasons in words are for ``dlp explain`` (a trace) only: no findings depend on them
        desc = f"{name!r}: {note} {text[s:s + surname_len]!r}" if tracing else ""
        if s < e and self.taken.find(1, s, e) >= 0:  # overlaps_accepted(s, e): a reading starts at 0 or later
            return self.candidate(s, e, 0.0, False, f"{desc}; overlaps another finding")
        if name in self.f.role_words:
            return self.candidate(s, e, 0.0, False, f"{desc}; {name!r} is a title or a label, not a name")
        sample = self._sample_anywhere
        if sample is None:  # asked once per scan, at the first judgement
            sample = self._sample_anywhere = self.f.sample_may_match(text)
        if sample and cfg.sample_after.match(text, e):
            return self.candidate(s, e, 0.0, False, f"{desc}; marked as a sample after it (a form's example, not a person)")
        blocked = self._blocked.get(shape, _UNSET)  # self.blocked(shape), its memory read here
        if blocked is _UNSET:
            blocked = self.blocked(shape)
        if blocked and not (prop.firm and self.tagger.agrees(s, e)):
            return self.candidate(s, e, 0.0, False, f"{desc}; contains the ordinary word {blocked!r}")
        self.add_context(prop)
        reasons = prop.reasons
        org_firsts = self.f.org_firsts
        if "suffix" not in reasons and "title" not in reasons and (
                org_firsts is None or text[e:e + 1] in org_firsts):  # (no suffix starts here: no match)
            m = self.org_re.match(text, e)  # sh.organisation_after(e)
            org = m.group() if m else None
            if org and not self.org_is_longer_word(e, org):
                return self.candidate(s, e, 0.0, False, f"{desc}; followed by {org!r}: a place or organisation")
        # an ordinary word's reading (苗栗縣, 口罩) is rejected whatever jieba says, and the reading
        # never depends on the jieba evidence added below (it leaves it out): without a trace, a
        # rejected reading's reason is not kept, so it is rejected before the window is cut
        ordinary = "" if prop.firm else ordinary_reading(name, surname_len, common, reasons.keys(), cfg)
        if ordinary and not tracing:
            return self.candidate(s, e, 0.0, False, f"; {ordinary}")
        starts, ends = sh.hard_starts, sh.hard_ends
        if (starts[s] if s in starts else sh.hard_start(s)) and (ends[e] if e in ends else sh.hard_end(e)):  # both_hard
            # (is_common_word(name), without the call)
            has_jieba = self._has_jieba  # (self.has_jieba, its memory read here: no property call)
            if has_jieba is None:
                has_jieba = self.has_jieba
            if has_jieba and word_frequency(name) >= cfg.ordinary_word_min_frequency:
                return self.candidate(s, e, 0.0, False, f"{desc}; jieba: {name!r} is a common word")
            reasons["jieba"] = "hard boundaries on both sides"
        else:
            toks = self.tokens(s, e)
            if toks:
                word = self.cut_word(toks, s, e)
                if word:
                    return self.candidate(s, e, 0.0, False, f"{desc}; jieba: part of the longer word {word!r}")
                if self.is_common_word(name):
                    return self.candidate(s, e, 0.0, False, f"{desc}; jieba: {name!r} is a common word")
                reasons["jieba"] = "jieba agrees with the boundaries"
        if ordinary:  # (a trace: jieba's reasons first, as they were)
            return self.candidate(s, e, 0.0, False, f"{desc}; {ordinary}")
        # the same sum() of the same scores in the same order (no comprehension frame)
        score = sc["base"] + sum(map(sc.__getitem__, reasons))
        notes: list[str] = []
        if not common:
            score += sc["rare_surname"]
            notes.append("rare surname")
        if score < sc["min"] <= score + sc["jieba_nr"] and self.tagger.agrees(s, e):
            score += sc["jieba_nr"]
            notes.append("jieba_nr: jieba.posseg tags it a person's name")
        # max(0.0, min(1.0, score)) without the two calls
        score = score if score < 1.0 else 1.0
        score = score if score > 0.0 else 0.0
        accepted = score >= sc["min"]
        if not tracing:  # self.candidate(s, e, score, accepted, ""), without the call
            return Candidate("PERSON", "personal_data", s, e, round(score, 3), self.rule_id,
                             accepted, "", None, self.shadow, name)
        notes[:0] = [f"{k}: {v}" for k, v in reasons.items()]
        verdict = f"score {score:.2f} {'>=' if accepted else '<'} {sc['min']:.2f}"
        return self.candidate(s, e, score, accepted, f"{desc}; {'; '.join(notes)}; {verdict}")

    def add_context(self, prop: Proposal) -> None:
        """Evidence on every side of the span, whichever trigger proposed it."""
        text, cfg, reasons = self.text, self.cfg, prop.reasons
        s, e, surname_len, _, _ = prop.shape
        if "label" not in reasons:
            lo = s - self._label_reach if s > self._label_reach else 0
            label_re = self.sh.label_re
            if label_re.search(text, lo, s):
                # (searched first: most names have no label this close, and a search costs less
                # than an empty finditer)
                for m in label_re.finditer(text, lo, s):
                    tail = cfg.label_tail.match(text, m.end())
                    if tail and tail.end() == s and m.group() not in cfg.colon_only_labels:
                        reasons["label"] = f"label {m.group()!r} before it"
        if "field" not in reasons and "row" not in reasons and cfg.value_end.match(text, e):
            nl = text.rfind("\n", s - _LAYOUT_REACH if s > _LAYOUT_REACH else 0, s)
            ls = nl + 1 if nl >= 0 else 0 if s <= _LAYOUT_REACH else s - _LAYOUT_REACH
            if cfg.field_prefix.search(text, ls if ls > s - 16 else s - 16, s):
                reasons["field"] = "the whole value of a field (a label and a colon before it)"
            elif (nl >= 0 or s <= _LAYOUT_REACH) and cfg.row_prefix.fullmatch(text, ls, s):
                reasons["row"] = "opens a line or a list item, set apart from the rest"
        if "suffix" not in reasons and "title" not in reasons:
            j = e
            size, gap = len(text), self._suffix_gap
            while j < size and j - e < gap and text[j] in " \t":
                j += 1
            f = self.f
            after_firsts = f.after_firsts
            # where no honorific or title starts at j, neither alternation is asked (none matches)
            if after_firsts is None or text[j:j + 1] in after_firsts:
                m = f.honorific_after_re.match(text, j) if f.honorific_after_re else None
                if m is not None:
                    reasons["suffix"] = f"honorific {m.group()!r} after it"
                else:
                    m = f.title_after_re.match(text, j) if f.title_after_re else None
                    if m is not None:
                        reasons["title"] = f"title {m.group()!r} after it"
        if "neighbour" not in reasons:
            n = self.near_neighbour(s, e)
            if n is not None:
                reasons["neighbour"] = f"next to {n.type}"
        if "given_name" not in reasons:
            given = text[s + surname_len:e]
            if given in cfg.given_names:
                reasons["given_name"] = f"common given name {given!r}"

    def org_is_longer_word(self, e: int, org: str) -> bool:
        """A one-character suffix such as 處 that is really the start of a word (處理)."""
        if len(org) > 1:
            return False
        toks = self.tokens(e, e + 2)
        return any(a == e and b - a >= 2 for _, a, b in toks)

    def is_common_word(self, word: str) -> bool:
        """A frequent dictionary word (成績, 黃金), not a name."""
        return word_frequency(word) >= self.cfg.ordinary_word_min_frequency
