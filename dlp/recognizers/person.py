"""The PERSON detector (``engine: person``): Chinese names and romanised names.

Built from every ``engine: person`` rule of the packs; each rule names its ``method``:
``chinese`` (surname gazetteer, context triggers, jieba confirmation; see ``person_zh``) or
``romanised`` (Latin-script names next to a resident ID; see ``person_roman``). All knobs are
in ``patterns/person.yaml`` and are checked by ``person_config`` when the pack loads.
"""

from __future__ import annotations

import dataclasses
import logging
import operator
import re
from itertools import filterfalse

from dlp.recognizers.base import Candidate, Rule, ScanContext
from dlp.recognizers.person_config import ChineseNameConfig, read_rule
from dlp.recognizers.person_roman import RomanisedNameFinder
from dlp.recognizers.person_zh import ChineseNameFinder, CoveredCharacters
from dlp.scan_limits import AnalysisStopped

log = logging.getLogger(__name__)
#: a match's start, as a C-speed map
_M_START = operator.methodcaller("start")


class PersonDetector:
    """Runs each rule's finder; Chinese names first, then romanised ones."""

    engine = "person"

    def __init__(self, rules: list[Rule], finders: list[ChineseNameFinder | RomanisedNameFinder]):
        self.rules = rules
        self.finders = finders
        #: rule id -> the shortest name whose other occurrences in the segment count too
        self.repeat_min = {f.rule.id: f.cfg.repeat_min_length for f in finders}

    def detect(self, ctx: ScanContext) -> list[Candidate]:
        out: list[Candidate] = []
        # the characters the earlier detectors' findings cover, read once (when first asked)
        # for the Chinese finders (``_Scan.taken``) and the repeated names, not once each
        covered = CoveredCharacters(ctx)
        for finder in self.finders:
            try:
                found = finder.detect(ctx, out) if isinstance(finder, RomanisedNameFinder) else finder.detect(ctx, covered)
            except AnalysisStopped:
                raise
            except Exception as exc:  # a finder's bug loses neither the rest of the scan nor the segment:
                # the segment is reported as not fully analysed (fail closed), and the trace says why
                log.exception("name finder %s failed", finder.rule.id)
                ctx.stop("person", 0, rule=finder.rule.id, limit="detector_error")
                if ctx.trace is not None:
                    ctx.trace.append(Candidate(
                        type="PERSON", kind="personal_data", start=0, end=0, score=0.0,
                        rule=finder.rule.id, accepted=False, why=f"detector error: {exc!r}",
                    ))
                continue
            out.extend(found)
        return out + self._repeats(ctx, out, covered)

    def _repeats(self, ctx: ScanContext, found: list[Candidate],
                 covered_before: CoveredCharacters | None = None) -> list[Candidate]:
        """A name accepted once is a name wherever it occurs again in the segment (函送黃志宏等3人
        above the roster that lists 黃志宏): the cue that proved it need not be repeated.

        One pass over the text at the first characters of the names (a 200 KB roster holds
        thousands of them: no search per name), and a coverage map for the overlap test.
        ``covered_before``: the characters the accepted findings of ``ctx.accepted`` cover, if
        the caller has them (copied here, not changed)."""
        text = ctx.text
        by_value: dict[str, Candidate] = {}
        for cand in found:
            value = text[cand.start:cand.end]
            min_len = self.repeat_min.get(cand.rule, 0)
            if min_len and len(value) >= min_len:
                by_value.setdefault(value, cand)
        if not by_value:
            return []
        covered = bytearray((covered_before or CoveredCharacters(ctx)).accepted()[0])
        for c in found:
            if c.accepted:
                covered[c.start:c.end] = b"\x01" * (c.end - c.start)
        lengths = sorted({len(v) for v in by_value}, reverse=True)
        firsts = "".join(sorted({v[0] for v in by_value}))
        extra: list[Candidate] = []
        # the positions of the first characters, the covered ones dropped at C speed as they are
        # reached (lazily: a repeat found below covers the positions after it before they come)
        for pos in filterfalse(covered.__getitem__, map(_M_START, re.finditer(f"[{re.escape(firsts)}]", text))):
            for n in lengths:
                cand = by_value.get(text[pos:pos + n])
                if cand is None:
                    continue
                end = pos + n
                value = text[pos:end]
                latin_glued = value[0].isascii() and (
                    pos > 0 and text[pos - 1].isalpha() or end < len(text) and text[end].isalpha())
                if latin_glued or any(covered[pos:end]):
                    continue
                again = dataclasses.replace(
                    cand, start=pos, end=end,
                    why=f"{value!r} occurs again: accepted at {cand.start}-{cand.end} ({cand.why})")
                ctx.record(again)
                extra.append(again)
                covered[pos:end] = b"\x01" * n
                break
        return extra

    def prefilter_regexes(self) -> dict[str, str]:
        """Where the cues of names without a label may be (``person_cues``); the label and
        honorific triggers are literals (``prefilter_literals``)."""
        out: dict[str, str] = {}
        for finder in self.finders:
            if isinstance(finder, ChineseNameFinder):
                out.update(finder.cues.prefilter(finder.rule.id))
        return out

    def prefilter_literals(self) -> dict[str, list[str]]:
        """The label, honorific, title and given-name triggers: words the prefilter reports one
        by one, so that the finders get their matches without an alternation over the text."""
        return {f"{finder.rule.id}#trigger": finder.trigger_words for finder in self.finders
                if isinstance(finder, ChineseNameFinder)}

    def max_lengths(self) -> dict[str, int]:
        """How far around a prefilter hit the finders look (see ``CueFinder.reach``)."""
        out: dict[str, int] = {}
        for finder in self.finders:
            if isinstance(finder, ChineseNameFinder):
                out.update(finder.cues.reach(finder.rule.id))
        return out


def build_person_detector(rules: list[Rule]) -> PersonDetector:
    """Check every ``engine: person`` rule (``PackError`` on the first problem) and build."""
    finders: list[ChineseNameFinder | RomanisedNameFinder] = []
    for rule in rules:
        cfg = read_rule(rule)
        if isinstance(cfg, ChineseNameConfig):
            finders.append(ChineseNameFinder(cfg))
        else:
            finders.append(RomanisedNameFinder(cfg))
    return PersonDetector(rules, finders)
