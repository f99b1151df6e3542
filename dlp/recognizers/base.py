"""What every detector shares: candidates, the per-segment scan context, the detector protocol.

A *detector* is built from the rules of one engine (``engine:`` in a pack rule; ``pattern`` by
default) and finds *candidates* in one segment of folded text. Every candidate it considers,
kept or discarded, can be recorded with the reason (``dlp explain``); only accepted ones become
findings. Offsets in a candidate are offsets into the folded text (``ctx.text``); the scanner
maps them back to the caller's original text.

Detectors never touch presidio directly: ``dlp.engine`` wraps each one in a presidio
``EntityRecognizer`` and runs them inside ``AnalyzerEngine``.
"""

from __future__ import annotations

import bisect
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import regex

from dlp.scan_limits import AnalysisStopped, Clock, Stop

if TYPE_CHECKING:
    from dlp.normalize import NormalizedText


@dataclass(slots=True)
class Candidate:
    type: str
    kind: str
    start: int
    end: int
    score: float
    rule: str
    accepted: bool = True
    #: Why it was kept or discarded, in words (English, for ``dlp explain`` and logs).
    why: str = ""
    level: str | None = None
    shadow: bool = False
    #: Normalised value for counting distinct identifiers (never shown).
    value_key: str = ""
    #: JSON-ready detail copied into the finding (e.g. the position of a secrecy marking).
    detail: dict[str, Any] = field(default_factory=dict)
    #: Types that must also be present in the same message for this candidate to stand
    #: (e.g. HEALTH_DATA needs an identifiable person). Checked by the scanner.
    requires_any_of: tuple[str, ...] = ()
    #: ...within this many characters in the same segment (0: anywhere in the message).
    requires_window: int = 0


@dataclass
class Rule:
    """One rule of a pack, as loaded. Engine-specific fields stay in ``spec``."""

    id: str
    type: str
    kind: str
    engine: str
    mode: str  # "enforce" | "shadow"
    file: str
    spec: dict[str, Any]
    examples_match: list[str] = field(default_factory=list)
    examples_no_match: list[str] = field(default_factory=list)

    @property
    def shadow(self) -> bool:
        return self.mode == "shadow"


_NEVER = sys.maxsize  # the start of no match


class ScanContext:
    """Everything a detector may use while scanning one segment.

    Built once per segment by the engine; cheap helpers are computed lazily.
    """

    def __init__(
        self,
        norm: NormalizedText,
        role: str = "body",
        location: str = "body",
        regions: Callable[[str], list[tuple[int, int]]] | None = None,
        tokenizer: Callable[[str], list[tuple[str, int, int]]] | None = None,
        explain: bool = False,
        clock: Clock | None = None,
        literal_matches: Callable[[str], list[tuple[int, int]] | None] | None = None,
    ):
        self.norm = norm
        self.text = norm.text
        self.role = role
        self.location = location
        self._regions = regions
        self._literal_matches = literal_matches
        self._tokenizer = tokenizer
        #: Every candidate considered, kept or not, when explaining; else None.
        self.trace: list[Candidate] | None = [] if explain else None
        #: Candidates accepted so far in this segment, by earlier detectors.
        self.accepted: list[Candidate] = []
        self._block_starts: list[int] | None = None
        self._rows: dict[int, bool] = {}  # line start -> laid out as a table row
        self._table_tops: dict[int, int] = {}  # table row start -> start of the table's first row
        #: (rule id, line start) -> the rule's keyword in the header lines above that line, or None
        self.header_keywords: dict[tuple[str, int], Any] = {}
        #: (rule id, line start, line end) -> the rule's keyword in that header line, or None
        self.header_line_keywords: dict[tuple[str, int, int], Any] = {}
        #: pattern -> (searched from, searched to, start, end, the first match in between;
        #: _NEVER and None: none), and how far its next search forward reaches
        self._next_match: dict[Any, tuple[int, int, int, int, Any]] = {}
        self._horizon: dict[Any, int] = {}
        #: The segment's time budget (None: unbounded, e.g. ``dlp explain`` and pack examples).
        self.clock = clock
        #: Where analysis stopped short (a time limit, a regex timeout); the engine turns these
        #: into a LIMIT_EXCEEDED finding.
        self.stops: list[Stop] = []

    # -- time budget ----------------------------------------------------------------------
    def out_of_time(self) -> bool:
        return self.clock is not None and self.clock.expired()

    def regex_timeout(self) -> float | None:
        """``timeout=`` for one regex call on this segment (None: no limit)."""
        return self.clock.regex_timeout() if self.clock is not None else None

    def stop(self, stage: str, at: int, rule: str | None = None, limit: str | None = None) -> None:
        """Record that ``stage`` (a detector, a rule) did not read this segment from ``at`` on."""
        self.stops.append(Stop(stage, limit or (self.clock.limit if self.clock else "message_seconds"), at, rule))

    def check_time(self, stage: str = "detector", at: int = 0) -> None:
        """Raise :class:`AnalysisStopped` (recorded first, so it cannot be lost) when time is up."""
        if self.clock is not None and self.clock.expired():
            self.stop(stage, at)
            raise AnalysisStopped(stage)

    def count_found(self, stage: str, at: int) -> None:
        """One more finding; raise :class:`AnalysisStopped` once the message has produced its maximum."""
        if self.clock is not None:
            self.clock.count(1)
            if self.clock.room() <= 0:
                self.stop(stage, at, limit="max_findings_analyzed")
                raise AnalysisStopped(stage)

    def take(self, cand: Candidate, found: list[Candidate], stage: str, at: int) -> None:
        """``record(cand)``, then, when it is accepted, keep it in ``found`` and
        ``count_found(stage, at)``: one call per candidate of a roster's thousands."""
        clock = self.clock
        if clock is not None:
            if clock.expired():
                self.check_time(cand.rule or "detector", cand.start)
            if self.trace is not None:
                self.trace.append(cand)
            if cand.accepted:
                found.append(cand)
                if not clock.count_one():
                    self.stop(stage, at, limit="max_findings_analyzed")
                    raise AnalysisStopped(stage)
        else:
            if self.trace is not None:
                self.trace.append(cand)
            if cand.accepted:
                found.append(cand)

    def regions(self, rule_id: str) -> list[tuple[int, int]]:
        """Where the rule's regex may match (from the multi-pattern prefilter).

        An empty list means it cannot match anywhere in this segment; the whole text is
        returned when no prefilter knows the rule.
        """
        if self._regions is None:
            return [(0, len(self.text))]
        return self._regions(rule_id)

    def literal_matches(self, key: str) -> list[tuple[int, int]] | None:
        """The prefilter's matches of a literal word list (``Detector.prefilter_literals``) in its
        regions, as ``re.finditer`` of their longest-first alternation finds them; None: search."""
        return self._literal_matches(key) if self._literal_matches is not None else None

    def tokens(self, start: int, end: int) -> list[tuple[str, int, int]]:
        """jieba tokens of ``text[start:end]`` as (word, start, end) in segment offsets."""
        if self._tokenizer is None or end <= start:
            return []
        self.check_time("tokens", start)
        return [(w, s + start, e + start) for w, s, e in self._tokenizer(self.text[start:end])]

    def near(self, pattern: regex.Pattern[str] | None, start: int, end: int, window: int) -> regex.Match[str] | None:
        """The first match of ``pattern`` within ``window`` characters around [start, end)."""
        if pattern is None:
            return None
        self.check_time("context", start)
        lo = max(0, start - window)
        hi = min(len(self.text), end + window)
        return pattern.search(self.text, lo, hi)

    #: How far the first search forward of a pattern reaches past a window's start (characters).
    #: A search that finds nothing reaches twice as far the next time; one that finds a match
    #: starts again from this: keywords next to every value cost a short search each, a keyword
    #: absent from a long roster a few searches in all.
    SEARCH_HORIZON = 256

    def search_between(self, pattern: regex.Pattern[str], lo: int, hi: int) -> regex.Match[str] | None:
        """``pattern.search(text, lo, hi)`` for a pattern whose matches do not depend on where
        the searched stretch ends (no anchors, word boundaries or lookaheads: a keyword list).

        The first match of a search forward from ``a`` to ``b`` is remembered per pattern, so that
        the windows of many values, left to right, share it (a roster's 1,600 IDs each looking 300
        characters around for 身分證字號 scanned the same characters 600 times). It answers a
        window [lo, hi) with a <= lo <= its start and hi <= b: no match inside [a, b) starts
        before it, so none inside [lo, hi) does, and one that ends by ``hi`` is what the bounded
        search finds at that start (the alternatives tried before it failed within ``b``, hence
        within ``hi``); one that starts before ``hi`` and runs past it is searched again, bounded.
        """
        known = self._next_match.get(pattern)
        if known is None or known[0] > lo or known[2] < lo or known[1] < hi:
            size = len(self.text)
            horizon = self._horizon.get(pattern, self.SEARCH_HORIZON)
            b = lo + horizon if lo + horizon > hi else hi
            if b > size:
                b = size
            m = pattern.search(self.text, lo, b)
            if m is None:
                known = (lo, b, _NEVER, _NEVER, None)
                self._horizon[pattern] = horizon * 2
            else:
                known = (lo, b, *m.span(), m)
                self._horizon[pattern] = self.SEARCH_HORIZON
            self._next_match[pattern] = known
        _, _, m_start, m_end, m = known  # (searched from, to, the match's span, the match): no call per value
        if m_start >= hi:
            return None
        if m_end <= hi:
            return m
        return pattern.search(self.text, lo, hi)

    def header_lines(self, start: int, max_lines: int = 3) -> list[tuple[int, int]]:
        """The first lines of the block (paragraph or table) holding ``start``, above it.

        A table's column labels sit there: in a roster, 出生日期 heads a column of dates far
        from the keyword window of any one value. Blocks are separated by blank lines.
        """
        if self._block_starts is None:
            starts = [0]
            pos = self.text.find("\n\n")
            while pos >= 0:
                starts.append(pos + 2)
                pos = self.text.find("\n\n", pos + 2)
            self._block_starts = starts
        begin = self._block_starts[bisect.bisect_right(self._block_starts, start) - 1]
        lines: list[tuple[int, int]] = []
        pos = begin
        while len(lines) < max_lines:
            nl = self.text.find("\n", pos, start)
            if nl < 0:
                break
            lines.append((pos, nl))
            pos = nl + 1
        header = self._table_header(begin, start)
        if header is not None and header not in lines:
            lines.append(header)
        return lines

    _TABLE_ROWS = 500

    def _table_header(self, begin: int, start: int) -> tuple[int, int] | None:
        """The first line of the run of table rows holding ``start``: a table that starts below
        the block's first lines (二、查址名冊：⏎編號<TAB>姓名<TAB>出生 ...)."""
        text = self.text
        row_start = text.rfind("\n", begin, start) + 1 or begin
        if not self.is_row(row_start):
            return None
        tops = self._table_tops
        visited = [row_start]
        top = tops.get(row_start)
        if top is None:
            top = row_start
            for _ in range(self._TABLE_ROWS):  # walk up; rows already walked know their table's top
                if top <= begin:
                    break
                prev = text.rfind("\n", begin, top - 1) + 1 or begin
                if prev in tops:
                    top = tops[prev]
                    break
                if not self.is_row(prev):
                    break
                top = prev
                visited.append(prev)
            for row in visited:
                tops[row] = top
        end = text.find("\n", top)
        return (top, len(text) if end < 0 else end) if top < row_start else None

    def is_row(self, line_start: int) -> bool:
        """Whether the line starting at ``line_start`` is laid out as a table row (cached)."""
        known = self._rows.get(line_start)
        if known is None:
            end = self.text.find("\n", line_start)
            known = self._rows[line_start] = is_table_row(self.text[line_start:len(self.text) if end < 0 else end])
        return known


    def record(self, cand: Candidate) -> None:
        self.check_time(cand.rule or "detector", cand.start)
        if self.trace is not None:
            self.trace.append(cand)


def longest_first(words: Iterable[str]) -> list[str]:
    """Distinct words, longest first, ties in code-point order: an alternation built from them
    prefers the longest word, and is the same string in every process (set order is not: the
    cached prefilter database is keyed by the expressions' text)."""
    return sorted(set(words), key=lambda w: (-len(w), w))


_CELL_SPLIT = regex.compile(r"[\t|,]|[ ]+")


#: A cell too long for a table row: 25 characters without a separator (C speed, before the split).
_LONG_CELL = regex.compile(r"[^\t|, ]{25}")


def is_table_row(line: str) -> bool:
    """Three or more short cells split by tabs, bars, commas or spaces (a roster row or its
    header), not a sentence or a ``label: value`` field."""
    line = line.strip()
    if ":" in line or _LONG_CELL.search(line):  # a colon or a long cell anywhere: not a row
        return False
    cells = [c for c in _CELL_SPLIT.split(line) if c]
    return len(cells) >= 3 and all(len(c) <= 24 and ":" not in c for c in cells)


class Detector(Protocol):
    """Built from all rules of one engine; finds candidates in a segment."""

    #: The engine name rules use (``engine: pattern``).
    engine: str
    rules: list[Rule]

    def detect(self, ctx: ScanContext) -> list[Candidate]:
        """Return accepted candidates; record every candidate considered with ``ctx.record``."""
        ...

    def prefilter_regexes(self) -> dict[str, str]:
        """rule id -> regex source the multi-pattern prefilter may use (may be empty)."""
        ...

    # Optional, looked up with getattr by ``dlp.engine.Analyzer``: ``prefilter_flags()`` (rule id
    # -> flag names), ``max_lengths()`` (rule id -> how far a match reaches from a hit), and
    # ``prefilter_literals()`` (key -> exact words the scan reports one by one; their matches in
    # the key's regions come back through ``ScanContext.literal_matches``), and
    # ``prefilter_deferred()`` (rule id -> the key without whose hits its regions are not asked
    # for: scanned for only then; see ``Prefilter``).


#: engine name -> factory(rules, definitions, file) -> Detector. Filled by dlp.recognizers.
DetectorFactory = Callable[[list[Rule]], Detector]
