"""The ``secrecy`` engine: tell a document *marked* secret from one that only *mentions* secrets.

A level word (機密, 密, 限閱 ...) counts only where a marking sits: the 公文 field
「密等及解密條件或保密期限」, a stamp alone on a short line at the top or bottom, a header or
footer, an e-mail subject prefix, a sentence that classifies the text itself, a 複製物 label
or a handling note. Each rule of ``patterns/secrecy.yaml`` describes one such position; the
guards (``secrecy_guards``) then throw out what is still prose: a level glued to a longer word
(公務機密, 機密文書), an unticked box, a quoted example, a chat joke, a list of levels.

Every candidate considered is recorded with the rule, the position and the verdict, so that
``dlp explain`` can show why a 機密 counted or not.
"""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Callable, Iterable

import regex

from dlp.recognizers.base import Candidate, Rule, ScanContext
from dlp.recognizers.secrecy_guards import (
    carried_zones,
    edge_zones,
    example_guard,
    joke_guard,
    line_length_guard,
    listed_lines_guard,
    merge_zones,
    quoted_guard,
    unticked_guard,
    verb_guard,
    word_guard,
)
from dlp.recognizers.secrecy_rules import SecrecyRule, compile_secrecy_rule
from dlp.recognizers.secrecy_vocab import CLASSIFIED_LEVELS, Vocabulary
from dlp.regex_cache import compiled_patterns

_POSITION_WORDS = {
    "field": "公文 secrecy field (密等)",
    "stamp": "stamp line",
    "subject": "subject prefix/suffix",
    "header": "page header",
    "footer": "page footer",
    "sentence": "self-classifying sentence",
    "copy_label": "複製物 copy label",
    "restricted_note": "restricted handling note",
}


class SecrecyDetector:
    """Built from every ``engine: secrecy`` rule; see the module docstring."""

    engine = "secrecy"

    def __init__(self, rules: list[Rule], compiled: list[SecrecyRule]):
        self.rules = rules
        self.compiled = compiled
        vocabs: dict[int, Vocabulary] = {id(c.vocab): c.vocab for c in compiled}
        self._vocabs = list(vocabs.values())
        #: A pre-check every marking passes (one alternation of every vocabulary's anchors, so a
        #: clean text costs one search whatever the number of vocabularies): no hit, no scan.
        anchors = list({id(v.anchor_pattern): v.anchor_pattern for v in self._vocabs}.values())
        self._anchor = regex.compile("|".join(f"(?:{a.pattern})" for a in anchors)) if anchors else None
        #: The anchor as a prefilter expression (its key named by its text: detectors with the
        #: same anchor share it): a text where the scan reports no hit of it holds no match of it
        #: (prefilter mode matches a superset), so ``detect`` needs no search of its own there.
        self.anchor_key = (f"secrecy#anchor-{hashlib.sha256(self._anchor.pattern.encode()).hexdigest()[:12]}"
                           if self._anchor is not None else None)

    def prefilter_regexes(self) -> dict[str, str]:
        return {self.anchor_key: self._anchor.pattern} if self.anchor_key is not None else {}

    # --- scanning ---------------------------------------------------------------------

    def detect(self, ctx: ScanContext) -> list[Candidate]:
        text = ctx.text
        if not text or self._anchor is None or not self._may_hold_anchor(ctx) or self._anchor.search(text) is None:
            return []
        judged: list[tuple[Candidate, SecrecyRule]] = []
        zones: dict[tuple[int, str], list[tuple[int, int]]] = {}
        for rule in self.compiled:
            if rule.roles is not None and ctx.role not in rule.roles:
                continue
            seen: set[tuple[int, int]] = set()
            per_level: dict[str | None, int] = {}
            for lo, hi in self._zones(rule, ctx, zones):
                for m in rule.pattern.finditer(text, lo, hi):
                    start, end = m.span("level")
                    if start < 0 or end <= start or (start, end) in seen:
                        continue
                    seen.add((start, end))
                    level = rule.vocab.level_of(text[start:end])
                    if per_level.get(level, 0) >= rule.vocab.max_per_level:
                        continue  # enough of this level already: more cannot change the verdict
                    cand = self._judge(rule, ctx, m, start, end)
                    if cand.accepted:
                        per_level[level] = per_level.get(level, 0) + 1
                    judged.append((cand, rule))
        self._list_guard(judged)
        considered = [c for c, _ in judged]
        accepted = self._dedupe(considered)
        for cand in considered:
            ctx.record(cand)
        if ctx.trace is not None:
            self._explain_rest(ctx, considered)
        return accepted

    def _may_hold_anchor(self, ctx: ScanContext) -> bool:
        """False when the prefilter's complete scan of the text found no hit of the anchor (then
        ``self._anchor.search`` finds nothing either: 0.6 ms of regex per 200 KB saved); True
        when it found one, did not know the expression, or stopped before the end."""
        if ctx.regions(self.anchor_key):  # hits, or the whole text for a key it does not know
            return True
        return any(stop.stage == "prefilter" for stop in ctx.stops)

    def _zones(
        self, rule: SecrecyRule, ctx: ScanContext, cache: dict[tuple[int, str], list[tuple[int, int]]]
    ) -> list[tuple[int, int]]:
        vocab = rule.vocab
        zone = "all" if rule.zone == "all" or ctx.role in vocab.whole_text_roles else rule.zone
        key = (id(vocab), zone)
        if key not in cache:
            if zone == "all":
                cache[key] = [(0, len(ctx.text))]
            else:
                edges = edge_zones(ctx.text, vocab.edge_lines, top_only=zone == "top")
                cache[key] = merge_zones(edges + carried_zones(vocab, ctx.text, vocab.edge_lines))
        return cache[key]

    def _position(self, rule: SecrecyRule, role: str) -> str:
        if rule.position in ("stamp", "header", "footer"):
            if role in ("header", "footer", "subject"):
                return role
            return "stamp"
        return rule.position

    def _judge(self, rule: SecrecyRule, ctx: ScanContext, m: regex.Match[str], start: int, end: int) -> Candidate:
        text = ctx.text
        vocab = rule.vocab
        word = text[start:end]
        level = vocab.level_of(word)
        position = self._position(rule, ctx.role)
        cand = Candidate(
            type=rule.rule.type, kind=rule.rule.kind, start=start, end=end, score=rule.score,
            rule=rule.id, level=level, shadow=rule.rule.shadow, value_key=level or "",
            detail={"position": position},
        )
        where = f"{_POSITION_WORDS[position]} (rule {rule.id})"
        if level is None:
            return _reject(cand, f"「{word}」 is not a word of the vocabulary; {where}")
        # The whole marking (a rule may match the level inside a look-behind).
        m_start, m_end = min(m.start(), start), max(m.end(), end)
        checks: list[Callable[[], str | None]] = [
            lambda: unticked_guard(vocab, text, start),
            lambda: word_guard(vocab, text, start, end, glued_only=position == "field"),
            lambda: quoted_guard(vocab, text, m_start, m_end),
            lambda: example_guard(vocab, text, m_start),
            lambda: verb_guard(vocab, text, m_start),
            lambda: _listed(cand, listed_lines_guard(vocab, text, start, end, level)),
            lambda: joke_guard(vocab, text, start, end),
            lambda: line_length_guard(text, m_start, m_end, rule.line_max_chars),
        ]
        for check in checks:
            reason = check()
            if reason is not None:
                return _reject(cand, f"mention, not a marking: 「{word}」 {reason}; matched as {where}")
        cand.why = f"marking: 「{word}」 = {level} in {where}"
        return cand

    def _list_guard(self, judged: list[tuple[Candidate, SecrecyRule]]) -> None:
        """Several different levels in marking positions: a list of levels (training), not a marking."""
        for vocab in self._vocabs:
            listed = [
                c for c, rule in judged
                if rule.vocab is vocab and c.accepted and c.detail["position"] in vocab.list_positions
            ]
            # levels already discarded as lines of a list still count towards the whole list
            in_lines = [c for c, rule in judged if rule.vocab is vocab and c.detail.get("listed")]
            levels = {c.level for c in listed + in_lines if c.level in CLASSIFIED_LEVELS}
            if len(levels) < vocab.list_min_levels:
                continue
            for c in listed:
                _reject(c, f"one of {len(levels)} different levels listed together (training material or a "
                           f"list of levels), not a marking; {c.why}")

    @staticmethod
    def _dedupe(cands: list[Candidate]) -> list[Candidate]:
        """One finding per level word: the highest-scoring rule keeps it."""
        best: dict[tuple[int, int], Candidate] = {}
        for c in cands:
            if not c.accepted:
                continue
            other = best.get((c.start, c.end))
            if other is None or c.score > other.score:
                best[(c.start, c.end)] = c
        out = []
        for c in cands:
            if c.accepted and best[(c.start, c.end)] is not c:
                c.accepted = False
                c.why += f"; same marking already taken by rule {best[(c.start, c.end)].rule}"
            elif c.accepted:
                out.append(c)
        return out

    def _explain_rest(self, ctx: ScanContext, considered: list[Candidate]) -> None:
        """Explain only: every other level word in the text, with why it is a mention."""
        text = ctx.text
        taken = _Spans((c.start, c.end) for c in considered)
        for rule in self.compiled:
            if rule.discard is None or (rule.roles is not None and ctx.role not in rule.roles):
                continue
            for m in rule.discard.finditer(text):
                s, e = m.span("value")
                if taken.overlaps(s, max(e, s + 1)):
                    continue
                value = text[s:e].strip() or "(empty)"
                ctx.record(_reject(
                    Candidate(type=rule.rule.type, kind=rule.rule.kind, start=s, end=max(e, s), score=0.0,
                              rule=rule.id, detail={"position": rule.position}),
                    f"field value 「{value}」 is not a secrecy level (普通/一般/無/empty are not markings)",
                ))
        for vocab in self._vocabs:
            budget = vocab.explain_max_mentions
            for m in vocab.mark.finditer(text):
                if budget <= 0:
                    break
                s, e = m.span()
                if taken.overlaps(s, e):
                    continue
                budget -= 1
                reason = word_guard(vocab, text, s, e) or "running text, not in a marking position"
                level = vocab.level_of(m.group())
                ctx.record(_reject(
                    Candidate(type="SECRECY_MARKING", kind="secrecy", start=s, end=e, score=0.0,
                              rule="secrecy-mention", level=level, detail={"position": "prose"}),
                    f"mention, not a marking: 「{m.group()}」 {reason}",
                ))


class _Spans:
    """Sorted candidate spans; overlap tests by bisection (explain mode may hold thousands)."""

    def __init__(self, spans: Iterable[tuple[int, int]]):
        merged: list[list[int]] = []
        for a, b in sorted(spans):
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        self._starts = [a for a, _ in merged]
        self._ends = [b for _, b in merged]

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self._starts, end) - 1
        return i >= 0 and self._ends[i] > start


def _listed(cand: Candidate, reason: str | None) -> str | None:
    """Remember that a candidate was discarded as one line of a list of levels."""
    if reason is not None:
        cand.detail["listed"] = True
    return reason


def _reject(cand: Candidate, why: str) -> Candidate:
    cand.accepted = False
    cand.score = 0.0
    cand.why = why
    return cand


def build_secrecy_detector(rules: list[Rule]) -> SecrecyDetector:
    """Validate and compile every secrecy rule; a bad one raises ``PackError`` (file, rule, reason)."""
    compiled = [compile_secrecy_rule(rule) for rule in rules]
    compiled_patterns.save()  # the next process loads these instead of parsing them again
    return SecrecyDetector(rules, compiled)
