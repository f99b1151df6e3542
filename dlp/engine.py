"""The presidio glue: our detectors run inside presidio-analyzer's ``AnalyzerEngine``.

* ``TaiwanNlpEngine`` is a light presidio ``NlpEngine``: no spaCy model and no download. Its
  "NLP" is what our detectors need from a whole text, done once: the multi-pattern prefilter.
  jieba is *not* run over the whole text; detectors ask for tokens of small windows.
* Each detector is wrapped in one ``DetectorRecognizer`` in an explicit ``RecognizerRegistry``.
* presidio's token-based context enhancer is replaced by a no-op: keyword context is a
  character window, decided inside the detectors (jieba cuts 身分證字號 into 身分/證字號, and
  token context costs findings x tokens on long texts).

``Analyzer.analyze`` takes the segments of one message and returns findings with offsets into
each segment's *original* text, after the message-level checks (``requires_any_of``, overlaps).
"""

from __future__ import annotations

import logging
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from dlp.excerpts import default_excerpt_mask, default_masks, excerpts_in_order, excerpts_with_masks, shown_values
from dlp.heap import paused_collector, scan_pause
from dlp.model import Finding, Segment
from dlp.normalize import NormalizedText, normalize
from dlp.overlaps import by_start_longest_first, drop_contained, missing_requirement
from dlp.prefilter import Prefilter
from dlp.recognizers.base import Candidate, Detector, ScanContext
from dlp.regex_cache import seed_regex_module, startup_patterns
from dlp.scan_limits import AnalysisStopped, Budget, Clock, Stop, limit_finding, select_listed

with paused_collector():  # presidio imports spaCy (~1,000 modules): no collection midway (dlp.heap)
    seed_regex_module(startup_patterns)  # the patterns presidio validates, as parsed by an earlier start
    from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry, RecognizerResult
    from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
    from presidio_analyzer.nlp_engine import NlpArtifacts, NlpEngine

log = logging.getLogger(__name__)


class _DropPerCallNoise(logging.Filter):
    """presidio logs "Fetching all recognizers for language zh" at INFO on *every* analyze call
    (one per segment: ~200 lines per pack load, for the examples), and at DEBUG a few more per
    call and result; the lines say nothing."""

    PER_CALL = ("Fetching all recognizers", "Returning a total of", "Recognizer identifier")

    def filter(self, record: logging.LogRecord) -> bool:
        return not (isinstance(record.msg, str) and record.msg.startswith(self.PER_CALL))


_PRESIDIO_LOG = logging.getLogger("presidio-analyzer")
if not any(isinstance(f, _DropPerCallNoise) for f in _PRESIDIO_LOG.filters):
    _PRESIDIO_LOG.addFilter(_DropPerCallNoise())

LANGUAGE = "zh"
_BY_SPAN = operator.attrgetter("start", "end")
_BY_START = operator.attrgetter("start")
_START, _END, _SCORE = (operator.attrgetter(name) for name in ("start", "end", "score"))
#: Detectors run in this order on each segment; later ones see earlier ones' candidates.
ENGINE_ORDER = ("pattern", "person", "secrecy")


def _default_tokenizer() -> Callable[[str], list[tuple[str, int, int]]] | None:
    try:
        from dlp.tokenize import tokenize
    except ImportError:  # pragma: no cover - tokenizer module is part of the package
        return None
    return tokenize


class TaiwanNlpEngine(NlpEngine):
    """presidio NlpEngine for Traditional Chinese that needs no model and no network."""

    def __init__(self, prefilter: Prefilter, tokenizer: Callable[[str], list[tuple[str, int, int]]] | None):
        self.prefilter = prefilter
        self.tokenizer = tokenizer

    def load(self) -> None:  # nothing to download, ever
        return None

    def is_loaded(self) -> bool:
        return True

    def process_segment(self, norm: NormalizedText, role: str, location: str, explain: bool,
                        clock: Clock | None = None) -> NlpArtifacts:
        artifacts = NlpArtifacts(
            entities=[], tokens=[], tokens_indices=[], lemmas=[], nlp_engine=self, language=LANGUAGE
        )
        # The prefilter's scan may use a quarter of the detectors' time: turning its hits into
        # windows takes about twice as long again, and the detectors need the rest.
        hits = self.prefilter.scan(norm.text, deadline=clock.fraction(0.25) if clock else None, every_rule=explain)
        ctx = ScanContext(
            norm, role=role, location=location, regions=hits.regions, tokenizer=self.tokenizer, explain=explain,
            clock=clock, literal_matches=hits.literal_matches,
        )
        if hits.complete_until < len(norm.text):
            ctx.stop("prefilter", hits.complete_until)
        artifacts.scan_context = ctx
        return artifacts

    def process_text(self, text: str, language: str) -> NlpArtifacts:
        return self.process_segment(normalize(text), "body", "body", False)

    def process_batch(self, texts, language: str, batch_size: int = 1, n_process: int = 1, **kwargs):
        for text in texts:
            yield text, self.process_text(text, language)

    def is_stopword(self, word: str, language: str) -> bool:
        return False

    def is_punct(self, word: str, language: str) -> bool:
        return False

    def get_supported_entities(self) -> list[str]:
        return []

    def get_supported_languages(self) -> list[str]:
        return [LANGUAGE]


class NoContextEnhancer(ContextAwareEnhancer):
    """Context is decided by the detectors on character windows; see the module docstring."""

    def __init__(self) -> None:
        super().__init__(0.0, 0.0, 0, 0)

    def enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers, context=None):
        return raw_results


class DetectorResult(RecognizerResult):
    """presidio's result for one of our candidates (``candidate``: its index in
    ``ScanContext.accepted``), built for thousands per text: the attributes set directly (no
    per-result metadata dict: one per recognizer, which nothing changes — the context enhancers
    are no-ops), and a hash of a tuple of the very fields presidio's ``__eq__`` compares
    (presidio hashes an f-string of them: 0.8 µs, in ``remove_duplicates``'s ``set``). Equal
    results still hash alike, so ``set`` keeps the first of two equal ones, as before."""

    __slots__ = ("candidate",)

    def __init__(self, entity_type: str, start: int, end: int, score: float, metadata: dict[str, Any], candidate: int):
        self.entity_type = entity_type
        self.start = start
        self.end = end
        self.score = score
        self.analysis_explanation = None
        self.recognition_metadata = metadata
        self.candidate = candidate

    def __hash__(self) -> int:
        return hash((self.start, self.end, self.score, self.entity_type))


class DetectorRecognizer(EntityRecognizer):
    """One of our detectors, as a presidio recognizer."""

    def __init__(self, detector: Detector):
        self.detector = detector
        entities = sorted({r.type for r in detector.rules})
        super().__init__(
            supported_entities=entities, name=f"dlp-{detector.engine}", supported_language=LANGUAGE
        )
        self.result_metadata = {RecognizerResult.RECOGNIZER_NAME_KEY: self.name, RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id}

    def load(self) -> None:
        return None

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts) -> list[RecognizerResult]:
        ctx: ScanContext = nlp_artifacts.scan_context
        if ctx.out_of_time():
            ctx.stop(self.detector.engine, 0)
            return []
        if ctx.clock is not None and ctx.clock.room() <= 0:
            ctx.stop(self.detector.engine, 0, limit="max_findings_analyzed")
            return []
        try:
            candidates = self.detector.detect(ctx)
        except AnalysisStopped:  # already recorded on ctx; this detector's candidates are lost
            return []
        except TimeoutError:  # a regex call of a detector that does not handle its own
            ctx.stop(self.detector.engine, 0, limit="regex_timeout_seconds")
            return []
        if ctx.clock is not None and self.detector.engine != "pattern":  # the pattern detector counts as it goes
            room = ctx.clock.room()
            if candidates and len(candidates) > room:
                ctx.stop(self.detector.engine, candidates[max(0, room)].start, limit="max_findings_analyzed")
                candidates = candidates[:max(0, room)]
            ctx.clock.count(len(candidates))
        first = len(ctx.accepted)
        ctx.accepted.extend(candidates)
        metadata = self.result_metadata
        return [
            DetectorResult(c.type, c.start, c.end, c.score if c.score > 1e-6 else 1e-6, metadata, index)
            for index, c in enumerate(candidates, first)
        ]


class DetectorsEngine(AnalyzerEngine):
    """presidio's ``AnalyzerEngine`` for our recognizers. Its context step regroups the results
    per recognizer (two list passes per recognizer over all results) and hands each group to
    the recognizer's and then the engine's enhancer; with our recognizers (presidio's own
    no-op ``enhance_using_context``) and ``NoContextEnhancer``, that gives back the results as
    they came, in the same order — grouped by recognizer already — so the step is skipped
    then (2.3 ms per dense 200 KB roster). Any other recognizer or enhancer gets presidio's."""

    def _enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers, context=None):
        if context is None and self._stock_steps_are_no_ops(recognizers):
            return raw_results
        return super()._enhance_using_context(text, raw_results, nlp_artifacts, recognizers, context)

    def _stock_steps_are_no_ops(self, recognizers) -> bool:
        return type(self.context_aware_enhancer) is NoContextEnhancer and all(
            type(r) is DetectorRecognizer for r in recognizers
        )

    def analyze(self, text: str, language: str, entities=None, correlation_id=None, score_threshold=None,
                return_decision_process=False, ad_hoc_recognizers=None, context=None, allow_list=None,
                allow_list_match="exact", regex_flags=re.DOTALL | re.MULTILINE | re.IGNORECASE,
                nlp_artifacts=None):
        """presidio's ``AnalyzerEngine.analyze`` for the call ``Analyzer`` makes (every entity, a
        score threshold, nothing traced or allowed): the same steps — each recognizer's
        ``analyze``, the scores below the threshold dropped, ``remove_duplicates`` — where its
        ``remove_duplicates`` is :func:`remove_duplicate_results` (the same results in the same
        order, 7 instead of ~2 ms for a dense roster's 4,900; ``tests/test_speed_glue.py``), and
        the steps that are no-ops for our results (recognizer ids, which ``DetectorResult``
        carries, the context step, clearing explanations, which are None) skipped. Any other
        call, recognizer or enhancer gets presidio's."""
        if (entities or correlation_id is not None or score_threshold is None or return_decision_process
                or ad_hoc_recognizers or context is not None or allow_list or nlp_artifacts is None
                or self.log_decision_process):
            return self._stock_analyze(text, language, entities, correlation_id, score_threshold, return_decision_process,
                                       ad_hoc_recognizers, context, allow_list, allow_list_match, regex_flags, nlp_artifacts)
        recognizers = self.registry.get_recognizers(language=language, entities=None, all_fields=True)
        if not self._stock_steps_are_no_ops(recognizers):
            return self._stock_analyze(text, language, entities, correlation_id, score_threshold, return_decision_process,
                                       ad_hoc_recognizers, context, allow_list, allow_list_match, regex_flags, nlp_artifacts)
        entities = self.get_supported_entities(language=language)
        results: list[RecognizerResult] = []
        for recognizer in recognizers:
            if not recognizer.is_loaded:
                recognizer.load()
                recognizer.is_loaded = True
            results.extend(recognizer.analyze(text=text, entities=entities, nlp_artifacts=nlp_artifacts) or ())
        return remove_duplicate_results([r for r in results if r.score >= score_threshold])

    def _stock_analyze(self, text, language, entities, correlation_id, score_threshold, return_decision_process,
                       ad_hoc_recognizers, context, allow_list, allow_list_match, regex_flags, nlp_artifacts):
        return super().analyze(
            text=text, language=language, entities=entities, correlation_id=correlation_id,
            score_threshold=score_threshold, return_decision_process=return_decision_process,
            ad_hoc_recognizers=ad_hoc_recognizers, context=context, allow_list=allow_list,
            allow_list_match=allow_list_match, regex_flags=regex_flags, nlp_artifacts=nlp_artifacts,
        )


def _starts_increase(items: list[Any]) -> bool:
    """Whether each item starts after the one before it: then a stable sort by start — and by
    start and any other key after it — leaves the list as it is (C-speed comparisons only)."""
    starts = list(map(_START, items))
    return all(map(operator.lt, starts, starts[1:]))


def remove_duplicate_results(results: list[RecognizerResult]) -> list[RecognizerResult]:
    """presidio's ``EntityRecognizer.remove_duplicates``: the same results, in the same order.

    presidio: equal results (type, span, score) once, the first kept (``set``); then by type,
    start, longest, highest score, a result of zero score or contained in an earlier kept one of
    its type with no lower score goes; the rest by highest score, start, longest, ties in that
    order (a stable sort). Here the same orders come from stable sorts on C-speed keys (one
    list per type, mostly in order already), and no lambda, ``groupby`` or method call runs per
    result. An equal result needs no ``set``: it comes right after the first of its kind (the
    sorts are stable) and is contained in it with the same score, or in what contains it."""
    by_type: dict[str, list[RecognizerResult]] = {}
    for r in results:
        group = by_type.get(r.entity_type)
        if group is None:
            by_type[r.entity_type] = [r]
        else:
            group.append(r)
    kept: list[RecognizerResult] = []
    for entity_type in sorted(by_type, key=str):
        group = by_type[entity_type]
        if not _starts_increase(group):  # (else in that order already)
            group.sort(key=_SCORE, reverse=True)  # (start, longest, highest score), in three stable sorts
            group.sort(key=_END, reverse=True)
            group.sort(key=_START)
        active: list[RecognizerResult] = []  # the kept ones of this type that may contain the next
        for r in group:
            score = r.score
            if score == 0:
                continue
            if active:
                start, end = r.start, r.end
                if len(active) == 1:
                    a = active[0]
                    if a.end < start:
                        active = []
                    elif end <= a.end and score <= a.score:
                        continue
                else:
                    active = [a for a in active if a.end >= start]
                    if any(end <= a.end and score <= a.score for a in active):
                        continue
            active.append(r)
            kept.append(r)
    kept.sort(key=_END, reverse=True)  # (highest score, start, longest: the same start), stable
    kept.sort(key=_START)
    kept.sort(key=_SCORE, reverse=True)
    return kept


@dataclass
class TraceEntry:
    """A candidate as ``dlp explain`` shows it: original offsets and the final verdict."""

    location: str
    candidate: Candidate
    start: int
    end: int
    value: str


@dataclass
class Analysis:
    findings: list[Finding]
    trace: list[TraceEntry] = field(default_factory=list)


def prefilter_inputs(detectors: list[Detector]) -> tuple[dict[str, str], dict[str, list[str]], dict[str, int],
                                                          dict[str, list[str]], dict[str, str]]:
    """What the detectors give the prefilter: regexes, their flags, reaches, literal word lists
    and deferred rules (see :class:`dlp.prefilter.Prefilter`)."""
    regexes: dict[str, str] = {}
    flags: dict[str, list[str]] = {}
    lengths: dict[str, int] = {}
    literals: dict[str, list[str]] = {}
    deferred: dict[str, str] = {}
    for det in detectors:
        regexes.update(det.prefilter_regexes())
        flags.update(getattr(det, "prefilter_flags", dict)())
        lengths.update(getattr(det, "max_lengths", dict)())
        literals.update(getattr(det, "prefilter_literals", dict)())
        deferred.update(getattr(det, "prefilter_deferred", dict)())
    return regexes, flags, lengths, literals, deferred


class Analyzer:
    """Runs every detector of a pack set over the segments of a message."""

    def __init__(self, detectors: list[Detector], masker: Callable[[str, str, str], str] | None = None):
        order = {name: i for i, name in enumerate(ENGINE_ORDER)}
        self.detectors = sorted(detectors, key=lambda d: order.get(d.engine, len(order)))
        self.prefilter = Prefilter(*prefilter_inputs(self.detectors))
        self.nlp_engine = TaiwanNlpEngine(self.prefilter, _default_tokenizer())
        registry = RecognizerRegistry(supported_languages=[LANGUAGE])
        self.recognizers = [DetectorRecognizer(d) for d in self.detectors]
        for rec in self.recognizers:
            registry.add_recognizer(rec)
        self.presidio = DetectorsEngine(
            registry=registry,
            nlp_engine=self.nlp_engine,
            supported_languages=[LANGUAGE],
            context_aware_enhancer=NoContextEnhancer(),
        )
        self.masker = masker or default_excerpt_mask

    def _analyze_segment(self, segment: Segment, explain: bool,
                         clock: Clock | None = None) -> tuple[NormalizedText, list[Candidate], ScanContext]:
        norm = normalize(segment.text)
        artifacts = self.nlp_engine.process_segment(norm, segment.role, segment.location, explain, clock)
        ctx: ScanContext = artifacts.scan_context
        if not norm.text or norm.text.isspace():  # (strip() would copy the whole text)
            return norm, [], ctx
        results = self.presidio.analyze(
            text=norm.text, language=LANGUAGE, nlp_artifacts=artifacts, score_threshold=0.0
        )
        accepted = ctx.accepted
        kept = [accepted[r.candidate] for r in results]
        if len(kept) < len(accepted):
            kept_ids = {id(c) for c in kept}
            for cand in accepted:
                if id(cand) not in kept_ids:
                    cand.accepted = False
                    cand.why = (cand.why + "; " if cand.why else "") + "discarded: inside a better match of the same type"
        kept = drop_contained(kept)
        if not _starts_increase(kept):  # (else by span already)
            kept.sort(key=_BY_SPAN)
        return norm, kept, ctx

    def analyze(self, segments: list[Segment], explain: bool = False, budget: Budget | None = None,
                max_listed: int | None = None) -> Analysis:
        """Findings of every segment. ``budget``: the scan's clock (a segment it leaves unread, or
        reads only in part, gets a LIMIT_EXCEEDED finding). ``max_listed``: excerpts are made
        only for the findings a capped report will list (see :func:`dlp.scan_limits.select_listed`)."""
        with scan_pause():  # no collection midway: a scan's objects die young (dlp.heap)
            return self._analyze(segments, explain, budget, max_listed)

    def _analyze(self, segments: list[Segment], explain: bool, budget: Budget | None,
                 max_listed: int | None) -> Analysis:
        per_segment = []
        limits: list[Finding] = []
        for seg in segments:
            if budget is not None and budget.expired():
                if seg.text.strip():
                    limits.append(limit_finding(seg.location, 0, len(seg.text),
                                                [Stop("segment", "message_seconds", 0)], lambda i: i))
                continue
            clock = budget.clock(seg.role) if budget is not None else None
            norm, kept, ctx = self._analyze_segment(seg, explain, clock)
            per_segment.append((seg, norm, kept, ctx))
        present = {c.type for _, _, kept, _ in per_segment for c in kept if not c.requires_any_of}
        in_subject = {c.type for seg, _, kept, _ in per_segment if seg.role == "subject" for c in kept}
        findings: list[Finding] = []
        trace: list[TraceEntry] = []
        by_segment: list[tuple[Segment, list[Finding]]] = []
        for seg, norm, kept, ctx in per_segment:
            seg_findings = _segment_findings(seg, norm, kept, present, in_subject)
            by_segment.append((seg, seg_findings))
            findings.extend(seg_findings)
            if ctx.stops:
                findings.append(limit_finding(seg.location, 0, len(seg.text), ctx.stops,
                                              lambda i, norm=norm: norm.to_original(i, i)[0]))
            if explain and ctx.trace is not None:
                for cand in ctx.trace:
                    start, end = norm.to_original(cand.start, cand.end)
                    trace.append(TraceEntry(seg.location, cand, start, end, seg.text[start:end]))
        findings.extend(limits)
        listed = None if max_listed is None or len(findings) <= max_listed else {id(f) for f in select_listed(findings, max_listed)}
        for seg, seg_findings in by_segment:
            self._add_excerpts(seg.text, seg_findings, listed)
        return Analysis(findings, trace)

    def _add_excerpts(self, text: str, findings: list[Finding], listed: set[int] | None = None) -> None:
        """Context around each finding with *every* personal-data value in it masked, and the
        masked value alone (what the audit log keeps). ``listed``: only for these findings."""
        personal = [f for f in findings if f.kind == "personal_data"]
        if not _starts_increase(personal):  # (else by start, longest first already)
            personal = by_start_longest_first(personal)
        wanted = [f for f in findings if listed is None or id(f) in listed]
        if not wanted:
            return
        wanted.sort(key=_BY_START)
        spans = [(f.start, f.end) for f in wanted]
        if listed is None:  # every value is shown and keeps its masked value: mask each now
            masker = self.masker
            if masker is default_excerpt_mask:
                masks = default_masks(text, personal)
            else:
                masks = [masker(text[f.start:f.end], f.type, f.rule) for f in personal]
            for f, mask in zip(personal, masks):
                f.masked_value = mask
            for f, line in zip(wanted, excerpts_with_masks(text, spans, personal, masks)):
                if f.kind != "personal_data":
                    f.masked_value = default_excerpt_mask(text[f.start:f.end], f.type, f.rule)
                f.excerpt = line
            return
        masker = self.masker
        masked = {id(f): masker(text[f.start:f.end], f.type, f.rule) for f in shown_values(text, spans, personal)}
        for f, line in zip(wanted, excerpts_in_order(text, spans, personal, masked)):
            f.masked_value = masked[id(f)] if f.kind == "personal_data" else default_excerpt_mask(text[f.start:f.end], f.type, f.rule)
            f.excerpt = line


def _segment_findings(seg: Segment, norm: NormalizedText, kept: list[Candidate], present: set[str],
                      in_subject: set[str]) -> list[Finding]:
    """The findings of one segment's kept candidates (offsets into its original text), less the
    candidates whose ``requires_any_of`` is not met (marked discarded, with why). One loop
    with its names local: a roster has thousands of candidates."""
    to_original = _span_map(norm)
    same_span = to_original is _same_span
    reach = max((c.end - c.start for c in kept), default=0) if any(c.requires_any_of for c in kept) else 0
    location = seg.location
    out = []
    for cand in kept:
        if cand.requires_any_of:
            missing = missing_requirement(cand, kept, present, in_subject, reach)
            if missing:
                cand.accepted = False
                cand.why = (cand.why + "; " if cand.why else "") + "discarded: " + missing
                continue
        start, end = cand.start, cand.end
        if not same_span:
            start, end = to_original(start, end)
        elif end < start:
            end = start
        # positional, in Finding's field order (half the cost of keywords)
        out.append(Finding(cand.kind, cand.type, location, start, end, cand.score, cand.rule, "", cand.level,
                           cand.shadow, dict(cand.detail) if cand.detail else {}, cand.value_key))
    return out


def _span_map(norm: NormalizedText) -> Callable[[int, int], tuple[int, int]]:
    """``norm.to_original``, or for a text that folding left as it was (one piece, the same
    length: most texts) the span itself, without two bisections per finding."""
    return _same_span if norm.is_identity_map else norm.to_original


def _same_span(start: int, end: int) -> tuple[int, int]:
    return (start, end) if end > start else (start, start)


def describe(analysis: Analysis) -> list[dict[str, Any]]:
    """JSON-ready explanation of every candidate (``dlp explain --json``)."""
    rows = []
    for t in analysis.trace:
        c = t.candidate
        rows.append({
            "location": t.location, "start": t.start, "end": t.end, "type": c.type, "rule": c.rule,
            "accepted": c.accepted, "score": round(c.score, 3), "level": c.level, "why": c.why,
        })
    return rows
