"""The `pattern` engine: regex + optional checksum + keyword window, all from the pack.

Rule fields (everything else in a rule is the loader's business):

``regex``            the `regex` module's syntax; a named group ``value`` is the reported span
``flags``            list of IGNORECASE, MULTILINE, DOTALL
``validator``        a name in ``dlp.validators.VALIDATORS``; a failed checksum discards the match
``context``          keywords; one within ``window`` characters raises the score to ``context_score``
``window``           characters on each side searched for context (default: pack default, 300)
``context_side``     ``both`` (default) or ``before``: look for keywords only before the value
``header_context``   also accept a keyword in the header lines of the table the value sits in
``context_same_line`` keywords count only on the value's own line (and in table headers): the
                     label of the field above never vouches for the value below
``context_regex``    a regex instead of (or besides) the ``context`` words, for keywords that
                     need a guard (生日 but not 先生日間)
``context_first``    a keyword before the value counts only for the first match after it
                     (出生日期：101年3月18日）自115年11月10日起: the second date is not the birth date)
``score``            score without a keyword (default 0.5)
``context_score``    score with a keyword (default 0.85)
``requires_context`` discard the match when no keyword is near (types without a checksum)
``negative_context`` keywords that discard the match when near (within ``negative_window``)
``negative_side``    ``both``, ``before`` or ``after`` (default: as ``context_side``)
``requires_any_of``  finding types that must also be in the same message (e.g. HEALTH_DATA)
``requires_window``  ... and within this many characters in the same segment (0: anywhere);
                     a finding in the subject counts for the whole message
``stand_in_words``   words that stand for the person (個案, 被害人, 聲請人, 該員): one of them within
                     ``stand_in_window`` characters before the value lifts ``requires_window``
                     (the person named at the top of a case note is the one meant further down)
``max_length``       longest possible match, for prefilter windows (default 120)
``mask``             the masking style for redaction (see docs/policy.md)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import regex

from dlp.errors import PackError, PackErrors
from dlp.normalize import compact
from dlp.recognizers.base import Candidate, Rule, ScanContext, longest_first
from dlp.regex_shape import first_character_hint, lookahead_reach
from dlp.scan_limits import AnalysisStopped
from dlp.search_cost import faster_of, gap_for, is_slow, per_character
from dlp.validators import VALIDATORS

_FLAGS = {"IGNORECASE": regex.IGNORECASE, "MULTILINE": regex.MULTILINE, "DOTALL": regex.DOTALL}
_KNOWN_FIELDS = {
    "regex", "flags", "validator", "context", "window", "score", "context_score",
    "requires_context", "negative_context", "negative_window", "requires_any_of",
    "max_length", "mask", "context_side", "header_context", "requires_window", "negative_side",
    "context_same_line", "context_regex", "context_first", "stand_in_words", "stand_in_window",
}


def keyword_alternation(words: list[str]) -> str:
    """The alternation of a keyword list, longest first, as matched with IGNORECASE."""
    return "|".join(regex.escape(w) for w in longest_first(words))


def keyword_pattern(words: list[str]) -> regex.Pattern[str] | None:
    """One alternation for a keyword list, longest first, matched ignoring case; None for an
    empty list. Where every character of the words is an ASCII letter or caseless
    (:func:`_caseless`), it is compiled without IGNORECASE, each letter a class of exactly the
    characters IGNORECASE matches it to: the same matches, found at C speed without a case
    lookup per character of the text (a keyword list searched over a whole roster: ~25% fewer
    instructions). Otherwise it is compiled as written, with IGNORECASE."""
    if not words:
        return None
    exact = _exact_alternation(words)
    if exact is not None:
        return regex.compile(exact)
    return regex.compile(keyword_alternation(words), regex.IGNORECASE)


def _exact_alternation(words: list[str]) -> str | None:
    out = []
    for word in longest_first(words):
        piece = _cased_word(word, _exact_letter_class)
        if piece is None:
            return None
        out.append(piece)
    return "|".join(out)


def _cased_word(word: str, letter_class: Callable[[str], str]) -> str | None:
    """``word`` with each ASCII letter as ``letter_class`` writes it and each caseless character
    escaped; None when a character is neither (its cases are not known here)."""
    pieces = []
    for ch in word:
        if ch.isascii() and ch.isalpha():
            pieces.append(letter_class(ch))
        elif _caseless(ch):
            pieces.append(regex.escape(ch))
        else:
            return None
    return "".join(pieces)


def _exact_letter_class(ch: str) -> str:
    """Exactly the characters that ``ch`` matches under IGNORECASE, as a class."""
    return "[" + ch.lower() + ch.upper() + _IGNORECASE_EXTRA.get(ch, "") + "]"


@dataclass(slots=True)
class CompiledPatternRule:
    rule: Rule
    pattern: regex.Pattern[str]
    hs_flags: list[str]
    validator: str | None
    context: regex.Pattern[str] | None
    negative: regex.Pattern[str] | None
    window: int
    negative_window: int
    score: float
    context_score: float
    requires_context: bool
    requires_any_of: tuple[str, ...]
    requires_window: int
    max_length: int
    allow: frozenset[str]
    before_only: bool
    header_context: bool
    negative_side: str
    same_line: bool = False
    first_only: bool = False
    stand_in: regex.Pattern[str] | None = None
    stand_in_window: int = 0
    #: The keywords can be found by the prefilter over the whole text too: plain words, or a
    #: ``context_regex`` without anchors or word boundaries (``$`` matches at the end of the
    #: window it is searched in, not only at the end of the text; lookarounds are fine, the
    #: prefilter relaxes them to a superset).
    literal_context: bool = False
    #: What the prefilter searches for as the keywords of a keyword-gated rule (``_keyword_gated``)
    #: and its flags: ``context`` itself when ``literal_context``; else, when one can be made,
    #: a superset of it that hyperscan reads exactly (:func:`gate_expression`), so that a rule
    #: whose ``context_regex`` ends at the window's end (``\($``) is gated too; None: not gated.
    gate: str | None = None
    gate_flags: tuple[str, ...] = ("IGNORECASE",)
    #: ``context`` matches the same wherever a searched stretch ends (a keyword list, or a
    #: ``context_regex`` without anchors, word boundaries or any ``(?`` group): its windows may
    #: share one search forward (``ScanContext.search_between``)
    context_unbounded: bool = False
    #: The validator's function (None: no checksum), looked up once, not per candidate.
    check: Callable[[str], bool] | None = None
    #: The regex has a ``value`` group (``regex``'s ``groupindex`` is a new dict at each access).
    by_group: bool = False
    #: ``rule.rule.shadow`` (a property), read once.
    shadow: bool = False
    #: What the detector searches with: ``pattern`` behind a lookahead of the characters a match
    #: can start with (:func:`dlp.regex_shape.first_character_hint`), which the regex module
    #: skips ahead to; the same matches. ``pattern`` itself when there is no such hint, or when
    #: the pattern is not slow or the hint does not search faster (measured at load:
    #: :mod:`dlp.search_cost`).
    search: regex.Pattern[str] = field(init=False)
    #: Windows at most this many characters apart are searched as one stretch (``window_spans``;
    #: 0: never): the pattern reads at most ``max_length`` characters past a match
    #: (:func:`dlp.regex_shape.lookahead_reach`), and a gap this long costs less to search than
    #: a call (:func:`dlp.search_cost.gap_for`).
    span_gap: int = field(init=False)

    def __post_init__(self) -> None:
        # derived from the pattern here, so that a copy with another pattern (``replace``) gets its own
        source = self.pattern.pattern
        self.search, per_char = self.pattern, per_character(self.pattern)
        if is_slow(per_char):
            faster = hinted(source, self.pattern.flags)
            if faster is not None:
                self.search, per_char = faster_of(self.pattern, per_char, faster)
        reach = lookahead_reach(source)
        self.span_gap = gap_for(per_char) if reach is not None and reach <= self.max_length else 0


def _number(spec: dict[str, Any], key: str, default: float, rule: Rule, lo: float, hi: float) -> float:
    value = spec.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not lo <= value <= hi:
        raise PackError(rule.file, rule.id, f"欄位 {key} 必須是介於 {lo} 與 {hi} 之間的數字，目前是 {value!r}")
    return float(value)


def _word_list(spec: dict[str, Any], key: str, rule: Rule) -> list[str]:
    words = spec.get(key, [])
    if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
        raise PackError(rule.file, rule.id, f"欄位 {key} 必須是非空字串的清單")
    return words


def compile_rule(rule: Rule, defaults: dict[str, Any], allow_list: dict[str, list[str]]) -> CompiledPatternRule:
    spec = rule.spec
    unknown = set(spec) - _KNOWN_FIELDS
    if unknown:
        raise PackError(rule.file, rule.id, f"不認得的欄位：{', '.join(sorted(unknown))}")
    source = spec.get("regex")
    if not isinstance(source, str) or not source:
        raise PackError(rule.file, rule.id, "缺少 regex 欄位（pattern 規則一定要有正規表示式）")
    flag_names = spec.get("flags", [])
    if not isinstance(flag_names, list) or any(f not in _FLAGS for f in flag_names):
        raise PackError(rule.file, rule.id, f"flags 只能是 {', '.join(_FLAGS)} 的清單，目前是 {flag_names!r}")
    flags = regex.V0
    for name in flag_names:
        flags |= _FLAGS[name]
    try:
        pattern = regex.compile(source, flags)
    except regex.error as exc:
        raise PackError(rule.file, rule.id, f"正規表示式無法編譯：{exc}") from None
    if pattern.groupindex and "value" not in pattern.groupindex:
        raise PackError(rule.file, rule.id, "具名群組只能叫 value（要回報的範圍）")
    validator = spec.get("validator")
    if validator is not None and validator not in VALIDATORS:
        raise PackError(
            rule.file, rule.id, f"沒有名為 {validator!r} 的檢查碼驗證器；可用的有：{', '.join(sorted(VALIDATORS))}"
        )
    requires = spec.get("requires_any_of", [])
    if not isinstance(requires, list) or not all(isinstance(t, str) for t in requires):
        raise PackError(rule.file, rule.id, "requires_any_of 必須是類型名稱的清單")
    context_words = _word_list(spec, "context", rule)
    context = keyword_pattern(context_words)
    context_source = spec.get("context_regex")
    if context_source is not None:
        if not isinstance(context_source, str) or not context_source:
            raise PackError(rule.file, rule.id, "context_regex 必須是正規表示式字串")
        if context is not None:
            context_source = f"{context_source}|{keyword_alternation(context_words)}"
        try:
            context = regex.compile(context_source, regex.IGNORECASE)
        except regex.error as exc:
            raise PackError(rule.file, rule.id, f"context_regex 無法編譯：{exc}") from None
    requires_context = bool(spec.get("requires_context", False))
    if requires_context and context is None:
        raise PackError(rule.file, rule.id, "requires_context 為 true 時必須列出 context 關鍵字")
    literal_context = context_source is None or _WINDOW_ANCHORS.search(context_source) is None
    gate, gate_flags = (None, ())
    if context is not None and literal_context:  # the keywords as IGNORECASE reads them
        gate, gate_flags = (context_source or keyword_alternation(context_words), ("IGNORECASE",))
    if context is not None and not literal_context:
        gate = gate_expression(spec.get("context_regex"), context_words)
    window = int(_number(spec, "window", defaults.get("window", 300), rule, 0, 5000))
    side = spec.get("context_side", "both")
    if side not in ("both", "before"):
        raise PackError(rule.file, rule.id, f"context_side 只能是 both 或 before，目前是 {side!r}")
    negative_side = spec.get("negative_side", side)
    if negative_side not in ("both", "before", "after"):
        raise PackError(rule.file, rule.id, f"negative_side 只能是 both、before 或 after，目前是 {negative_side!r}")
    return CompiledPatternRule(
        rule=rule,
        pattern=pattern,
        hs_flags=flag_names,
        validator=validator,
        context=context,
        negative=keyword_pattern(_word_list(spec, "negative_context", rule)),
        window=window,
        negative_window=int(_number(spec, "negative_window", defaults.get("negative_window", 20), rule, 0, 5000)),
        score=_number(spec, "score", defaults.get("score", 0.5), rule, 0, 1),
        context_score=_number(spec, "context_score", defaults.get("context_score", 0.85), rule, 0, 1),
        requires_context=requires_context,
        requires_any_of=tuple(requires),
        requires_window=int(_number(spec, "requires_window", 0, rule, 0, 100000)),
        max_length=int(_number(spec, "max_length", defaults.get("max_length", 120), rule, 1, 10000)),
        allow=frozenset(compact(v) for v in allow_list.get(rule.type, [])),
        before_only=side == "before",
        header_context=bool(spec.get("header_context", False)),
        negative_side=negative_side,
        same_line=bool(spec.get("context_same_line", False)),
        first_only=bool(spec.get("context_first", False)),
        stand_in=keyword_pattern(_word_list(spec, "stand_in_words", rule)),
        stand_in_window=int(_number(spec, "stand_in_window", 12, rule, 0, 200)),
        literal_context=literal_context,
        gate=gate,
        gate_flags=gate_flags,
        context_unbounded=context_source is None or (_WINDOW_ANCHORS.search(context_source) is None
                                                     and "(?" not in context_source),
        check=VALIDATORS[validator] if validator else None,
        by_group="value" in pattern.groupindex,
        shadow=rule.shadow,
    )


def hinted(source: str, flags: int) -> regex.Pattern[str] | None:
    """``source`` behind a lookahead of its first characters (see ``CompiledPatternRule.search``),
    or None when there is no hint."""
    hint = first_character_hint(source)
    if hint is None:
        return None
    try:
        return regex.compile(f"(?={hint})(?:{source})", flags)
    except regex.error:  # not expected (the pattern compiled alone); searched as written
        return None


class PatternDetector:
    engine = "pattern"

    def __init__(self, rules: list[Rule], defaults: dict[str, dict[str, Any]], allow_lists: dict[str, dict[str, list[str]]]):
        """``defaults`` and ``allow_lists`` are per pack file (rules carry their file)."""
        self.rules = rules
        self.compiled: list[CompiledPatternRule] = []
        errors: list[PackError] = []
        for r in rules:
            try:
                self.compiled.append(compile_rule(r, defaults.get(r.file, {}), allow_lists.get(r.file, {})))
            except PackError as exc:
                errors.append(exc)
        if errors:
            raise PackErrors(errors)

    def prefilter_regexes(self) -> dict[str, str]:
        out = {c.rule.id: c.pattern.pattern for c in self.compiled}
        out.update({_keywords_key(c): c.gate for c in self.compiled if _keyword_gated(c)})
        return out

    def prefilter_flags(self) -> dict[str, list[str]]:
        out = {c.rule.id: c.hs_flags for c in self.compiled}
        out.update({_keywords_key(c): list(c.gate_flags) for c in self.compiled if _keyword_gated(c)})
        return out

    def prefilter_deferred(self) -> dict[str, str]:
        """Keyword-gated rules and their keywords' key: a rule whose keywords the scan did not
        find is not scanned for (``Prefilter``'s ``deferred``; see ``_regions``)."""
        return {c.rule.id: _keywords_key(c) for c in self.compiled if _keyword_gated(c)}

    def max_lengths(self) -> dict[str, int]:
        out = {c.rule.id: c.max_length for c in self.compiled}
        # a keyword's window reaches as far as any match it can vouch for (see _regions)
        out.update({_keywords_key(c): c.window + c.max_length + 1 for c in self.compiled if _keyword_gated(c)})
        return out

    def detect(self, ctx: ScanContext) -> list[Candidate]:
        """Every rule over the prefilter's regions. Out of time, it returns what it found so far
        (the stop is on ``ctx``); a regex call past its timeout skips that rule's region."""
        found: list[Candidate] = []
        for rule in self.compiled:
            regions = _regions(rule, ctx)
            if regions:
                try:
                    self._find(rule, ctx, regions, found)
                except AnalysisStopped:
                    return found
        return found

    def _find(self, rule: CompiledPatternRule, ctx: ScanContext, regions: list[tuple[int, int]],
              found: list[Candidate]) -> None:
        """The rule's matches in each region, judged (one call per rule, not per region: a
        roster has thousands of regions). A stretch of at most ``SPAN_LENGTH`` characters is
        searched by one ``finditer`` (one timed call, not one per match); nearby regions of a
        rule that may share a search (``span_gap``) make one stretch (:func:`window_spans`)."""
        seen: set[tuple[int, int]] = set()
        judge, take = self._judge, ctx.take  # (``_take`` without its call: ~3,300 per roster)
        if rule.span_gap and len(regions) > 1:
            spans = window_spans(regions, rule.span_gap)
        else:
            spans = [(i, i) for i in range(len(regions))]
        for first, last in spans:
            matches = None
            if regions[last][1] - regions[first][0] <= SPAN_LENGTH:
                matches = _span_matches(rule, ctx, regions, first, last)
            if matches is None:  # a long region, or something only each region's own search can say
                for lo, hi in regions[first:last + 1]:
                    self._search_region(rule, ctx, lo, hi, seen, found)
                continue
            for start, end, m_end in matches:
                if (start, end) not in seen:
                    seen.add((start, end))
                    take(judge(rule, ctx, start, end), found, "pattern", m_end)

    def _search_region(self, rule: CompiledPatternRule, ctx: ScanContext, lo: int, hi: int,
                       seen: set[tuple[int, int]], found: list[Candidate]) -> None:
        text = ctx.text
        search = rule.search.search
        by_group = rule.by_group
        timed = ctx.clock is not None  # without a budget: no timeout, nothing to count
        pos = lo
        try:
            # One search per match, not finditer: each call gets its own timeout, so that the
            # backstop bounds one match (the stretch's one ``finditer`` timed out, or is too long).
            while pos <= hi:
                m = search(text, pos, hi, timeout=ctx.regex_timeout()) if timed else search(text, pos, hi)
                if m is None:
                    break
                m_start, m_end = m.span()
                pos = m_end if m_end > m_start else m_start + 1
                start, end = m.span("value") if by_group else (m_start, m_end)
                if end <= start or (start, end) in seen:
                    continue
                seen.add((start, end))
                self._take(rule, ctx, start, end, m_end, found)
        except TimeoutError:  # the regex module's: this call ran past its timeout
            if ctx.out_of_time():
                ctx.stop("pattern", pos, rule.rule.id)
                raise AnalysisStopped("pattern") from None
            ctx.stop("pattern", pos, rule.rule.id, "regex_timeout_seconds")  # this stretch only

    def _take(self, rule: CompiledPatternRule, ctx: ScanContext, start: int, end: int, m_end: int,
              found: list[Candidate]) -> None:
        """Judge one match's value; keep it when accepted."""
        ctx.take(self._judge(rule, ctx, start, end), found, "pattern", m_end)

    def _judge(self, rule: CompiledPatternRule, ctx: ScanContext, start: int, end: int) -> Candidate:
        r = rule.rule
        text = ctx.text
        value = compact(text[start:end])
        requires_window = rule.requires_window
        if requires_window and rule.stand_in is not None and \
                rule.stand_in.search(text, max(0, start - rule.stand_in_window), start):
            requires_window = 0  # 個案…／被害人… stands for the person named elsewhere in the message
        # positional (Candidate's field order): half the cost of keywords, ~3,300 per roster
        cand = Candidate(r.type, r.kind, start, end, rule.score, r.id, True, "", None, rule.shadow,
                         f"{r.type}:{value}", {}, rule.requires_any_of, requires_window)
        if rule.check is not None and not rule.check(value):
            return _reject(cand, f"checksum {rule.validator} failed")
        if value in rule.allow:
            return _reject(cand, "well-known sample value on the pack's allow_list")
        if rule.negative is not None:
            negative = _negative(rule, text, start, end)
            if negative is not None:
                return _reject(cand, f"negative keyword {negative.group()!r} nearby")
        context = rule.context
        if context is None:
            keyword = None
        elif rule.context_unbounded and not rule.same_line:  # _keyword's usual case, without the call
            lo = start - rule.window if start > rule.window else 0
            if rule.before_only:
                hi = start
            else:
                hi = end + rule.window
                if hi > len(text):
                    hi = len(text)
            keyword = ctx.search_between(context, lo, hi)
        else:
            keyword = _keyword(rule, ctx, start, end)
        if keyword is not None and rule.first_only and keyword.end() <= start:
            earlier = rule.pattern.search(text, keyword.end(), start)
            if earlier is not None and earlier.end() <= start:
                keyword = None  # the keyword labels an earlier value
        if keyword is None and rule.header_context and rule.context is not None:
            keyword = _header_keyword(rule, ctx, start)
        if keyword is not None:
            cand.score = rule.context_score
            cand.detail = {"keyword": keyword.group()}
        elif rule.requires_context:
            return _reject(cand, _verdict(rule, keyword) if ctx.trace is not None else "")
        if ctx.trace is not None:  # the reasons in words are for ``dlp explain`` only
            cand.why = _verdict(rule, keyword)
        return cand


def _header_keyword(rule: CompiledPatternRule, ctx: ScanContext, start: int) -> regex.Match[str] | None:
    """The rule's keyword in the header lines of the block above ``start`` (a table's column
    labels). Those lines are the same for every value on one line (``ScanContext.header_lines``
    reads the lines that end before it, and the table row it starts), so the answer is
    remembered per line: a roster's row holds several values of the same rule."""
    text = ctx.text
    key = (rule.rule.id, text.rfind("\n", 0, start) + 1)
    memo = ctx.header_keywords
    if key in memo:
        return memo[key]
    headers = ctx.header_lines(start)
    if rule.same_line:  # only a table's column labels, not the form field above
        headers = [(lo, hi) for lo, hi in headers if ctx.is_row(lo)]
    keyword = memo[key] = next((m for lo, hi in headers if (m := _line_keyword(rule, ctx, lo, hi))), None)
    return keyword


def _line_keyword(rule: CompiledPatternRule, ctx: ScanContext, lo: int, hi: int) -> regex.Match[str] | None:
    """``rule.context.search(text, lo, hi)`` for a header line, remembered per line: the values
    of many lines below share the first lines of their block (a mail without blank lines is one
    block, and each of its lines asked again for the same three)."""
    memo = ctx.header_line_keywords
    key = (rule.rule.id, lo, hi)
    if key in memo:
        return memo[key]
    found = memo[key] = rule.context.search(ctx.text, lo, hi)
    return found


def _verdict(rule: CompiledPatternRule, keyword: regex.Match[str] | None) -> str:
    """Why a candidate that passed its checks was kept or discarded, in words."""
    checked = f"checksum {rule.validator} ok; " if rule.validator else ""
    if keyword is not None:
        return f"{checked}keyword {keyword.group()!r} within {rule.window} characters"
    if rule.requires_context:
        return f"{checked}no keyword within {rule.window} characters (required)"
    return f"{checked}no keyword nearby"


_WINDOW_ANCHORS = regex.compile(r"[$^]|\\[bBAZzGmM<>]")


def _keyword_gated(rule: CompiledPatternRule) -> bool:
    """A rule that reports nothing without a keyword: matched only where a keyword can vouch."""
    return rule.requires_context and rule.context is not None and rule.gate is not None


#: The characters other than ``c.lower()`` and ``c.upper()`` that an ASCII letter ``c`` matches
#: under the regex module's IGNORECASE (İ for i, ı for I, the Kelvin sign for k and K, ſ for s
#: and S). ``tests/test_speed_pattern.py`` checks it against every code point.
_IGNORECASE_EXTRA = {"i": "\u0130", "I": "\u0131", "k": "\u212a", "K": "\u212a", "s": "\u017f", "S": "\u017f"}


def _caseless(ch: str) -> bool:
    """A character that IGNORECASE matches only to itself, and no other character to it: ASCII
    other than letters, and CJK (checked against every code point by the tests)."""
    if ch.isascii():
        return not ch.isalpha()
    code = ord(ch)
    return 0x3000 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x3FFFF


def _letter_class(ch: str) -> str:
    """Every character that ``ch`` matches under IGNORECASE, as a class (a superset)."""
    low, up = ch.lower(), ch.upper()
    return "[" + low + up + _IGNORECASE_EXTRA.get(low, "") + _IGNORECASE_EXTRA.get(up, "") + "]"


def gate_expression(context_regex: str | None, words: list[str]) -> str | None:
    """A regex, searched without flags over the whole text, that matches wherever ``context``
    (``context_regex`` | the words, IGNORECASE) can match inside any window, ending at the same
    place: the words with each ASCII letter a class of its cases, and ``context_regex`` without
    its ``$`` (the end of a window is anywhere). None when that cannot be said for sure: a
    ``context_regex`` with another anchor, a group other than ``(?:``, a letter or an escape of
    one (other than ``\\t \\n \\r``), a ``$`` that a quantifier repeats, or a character whose
    cases are not known here. Removing a zero-width assertion outside any lookaround only
    widens what matches; a keyword-gated rule needs only that every keyword is found."""
    parts = []
    if context_regex is not None:
        relaxed = _without_end_anchors(context_regex)
        if relaxed is None:
            return None
        parts.append(relaxed)
    for word in longest_first(words):
        piece = _cased_word(word, _letter_class)
        if piece is None:
            return None
        parts.append(piece)
    return "|".join(parts) if parts else None


def _without_end_anchors(source: str) -> str | None:
    """``source`` without its ``$`` anchors, or None (see :func:`gate_expression`)."""
    out: list[str] = []
    i, n = 0, len(source)
    in_class = False
    while i < n:
        ch = source[i]
        if ch == "\\":
            if i + 1 >= n:
                return None
            nxt = source[i + 1]
            if not (nxt in "tnr" or (nxt.isascii() and not nxt.isalnum())):
                return None
            out.append(source[i:i + 2])
            i += 2
            continue
        if in_class:
            if ch == "]":
                in_class = False
            elif not _caseless(ch):
                return None
            out.append(ch)
            i += 1
            continue
        if ch == "[":
            in_class = True
            out.append(ch)
            i += 1
            if i < n and source[i] == "^":
                out.append("^")
                i += 1
            if i < n and source[i] == "]":  # a leading ] is a literal
                out.append("]")
                i += 1
            continue
        if ch == "(" and source.startswith("(?", i) and not source.startswith("(?:", i):
            return None
        if ch == "^":
            return None
        if ch == "$":
            if i + 1 < n and source[i + 1] in "*+?{":
                return None
            i += 1
            continue
        if not _caseless(ch):
            return None
        out.append(ch)
        i += 1
    return None if in_class else "".join(out)


def _keywords_key(rule: CompiledPatternRule) -> str:
    return f"{rule.rule.id}#context"


#: A stretch of windows searched in one call stays this short, so that the call's timeout still
#: bounds little text.
SPAN_LENGTH = 4000


def window_spans(regions: list[tuple[int, int]], gap: int) -> list[tuple[int, int]]:
    """(first, last) indices of runs of ``regions`` (sorted, disjoint) searched as one stretch:
    each region at most ``gap`` characters after the previous one, the stretch at most
    ``SPAN_LENGTH`` long (a longer region is a stretch of its own). A roster's 1,450 ID windows
    are ~70 characters apart; one call with a timeout costs ~2 µs more than one without (the
    regex module reads the process clock twice), more than searching 70 characters for an ID."""
    spans: list[tuple[int, int]] = []
    first = 0
    span_lo, prev_hi = regions[0]
    for i in range(1, len(regions)):
        lo, hi = regions[i]
        if lo - prev_hi > gap or hi - span_lo > SPAN_LENGTH:
            spans.append((first, i - 1))
            first, span_lo = i, lo
        prev_hi = hi
    spans.append((first, len(regions) - 1))
    return spans


def _span_matches(rule: CompiledPatternRule, ctx: ScanContext, regions: list[tuple[int, int]],
                  first: int, last: int) -> list[tuple[int, int, int]] | None:
    """The matches of ``regions[first..last]`` searched as one stretch, as (value start, value
    end, match end); None when they may differ from searching each region alone, so the caller
    does that instead: a match not inside one region (it starts between them, or runs past its
    region's end), an empty match (``finditer`` and the per-region loop step past those
    differently), or a regex timeout (the regions' own searches say which one stalls; one
    ``finditer``'s timeout covers all its matches).

    For one region, ``finditer`` finds what the loop of searches finds (for every rule). For
    several, the answer is the same as well: ``rule.span_gap`` is set only when the pattern reads at most
    ``max_length`` characters past a match, and a region ends ``max_length + 1`` past the last
    place the prefilter saw a match could end, so no search inside a region reads its edge
    (see :mod:`dlp.regex_shape`); and matches inside regions come in the same order."""
    text = ctx.text
    lo, hi = regions[first][0], regions[last][1]
    timeout = ctx.regex_timeout()
    by_group = rule.by_group
    out: list[tuple[int, int, int]] = []
    i = first
    region_lo, region_hi = regions[i]
    try:
        for m in rule.search.finditer(text, lo, hi, timeout=timeout):
            m_start, m_end = m.span()
            while m_start >= region_hi and i < last:
                i += 1
                region_lo, region_hi = regions[i]
            if m_start < region_lo or m_end > region_hi or m_end == m_start:
                return None
            start, end = m.span("value") if by_group else (m_start, m_end)
            if end > start:
                out.append((start, end, m_end))
    except TimeoutError:
        return None
    return out


def _regions(rule: CompiledPatternRule, ctx: ScanContext) -> list[tuple[int, int]]:
    """The prefilter's regions of ``rule``, less those no keyword can vouch for.

    A ``requires_context`` rule discards every match without a keyword within ``window``
    characters, so a region that no keyword window (the prefilter's hits of the rule's keywords,
    widened by ``window`` + ``max_length``) touches cannot yield a finding and is not searched.
    Regions are kept or dropped whole, never cut: the matches in a kept region are exactly the
    ones found before. With ``header_context`` the keyword may head a table far above, so only
    a text without any keyword is skipped, unless the rule reads headers only from table rows
    (``context_same_line``) and no keyword sits on a row (:func:`_keyword_on_a_row`): then no
    header can vouch either. ``dlp explain`` (a trace) still searches everywhere, to show the
    candidates a missing keyword discards.
    """
    if not _keyword_gated(rule) or ctx.trace is not None:
        return ctx.regions(rule.rule.id)
    near = ctx.regions(_keywords_key(rule))
    if not near:  # asked first: the rule's own windows are then never made (PrefilterResult.pending)
        return []
    regions = ctx.regions(rule.rule.id)
    if not regions or rule.header_context and not (rule.same_line and not _keyword_on_a_row(rule, ctx, near)):
        return regions
    kept = []
    i = 0
    for lo, hi in regions:  # both lists are sorted and merged
        while i < len(near) and near[i][1] < lo:
            i += 1
        if i < len(near) and near[i][0] <= hi:
            kept.append((lo, hi))
    return kept


def _keyword_on_a_row(rule: CompiledPatternRule, ctx: ScanContext, near: list[tuple[int, int]]) -> bool:
    """Whether a line laid out as a table row, and touching a keyword window, holds a keyword.
    A keyword found in a header line lies on that line, its last character inside the window of
    its own hit: when no such line holds one, no header row does (a mail's 帳號 sits in prose)."""
    text = ctx.text
    for lo, hi in near:
        line = text.rfind("\n", 0, lo) + 1
        while line < hi:
            end = text.find("\n", line)
            if end < 0:
                end = len(text)
            if ctx.is_row(line) and _line_keyword(rule, ctx, line, end) is not None:
                return True
            line = end + 1
    return False


def _keyword(rule: CompiledPatternRule, ctx: ScanContext, start: int, end: int) -> regex.Match[str] | None:
    """A context keyword within the rule's window (before the value only, or on its line only)."""
    if rule.context is None:
        return None
    text = ctx.text
    lo = max(0, start - rule.window)
    hi = start if rule.before_only else min(len(text), end + rule.window)
    if rule.same_line:
        lo = max(lo, text.rfind("\n", 0, start) + 1)
        line_end = text.find("\n", end)
        hi = min(hi, len(text) if line_end < 0 else line_end)
    if rule.context_unbounded:
        return ctx.search_between(rule.context, lo, hi)
    return rule.context.search(text, lo, hi)


def _negative(rule: CompiledPatternRule, text: str, start: int, end: int) -> regex.Match[str] | None:
    if rule.negative is None:
        return None
    lo = max(0, start - rule.negative_window) if rule.negative_side != "after" else end
    hi = min(len(text), end + rule.negative_window) if rule.negative_side != "before" else start
    return rule.negative.search(text, lo, hi)


def _reject(cand: Candidate, why: str) -> Candidate:
    cand.accepted = False
    cand.score = 0.0
    cand.why = why
    return cand
