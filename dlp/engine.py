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

import bisect
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry, RecognizerResult
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
from presidio_analyzer.nlp_engine import NlpArtifacts, NlpEngine

from dlp.model import Finding, Segment
from dlp.normalize import NormalizedText, normalize
from dlp.prefilter import Prefilter
from dlp.recognizers.base import Candidate, Detector, ScanContext

log = logging.getLogger(__name__)

LANGUAGE = "zh"
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

    def process_segment(self, norm: NormalizedText, role: str, location: str, explain: bool) -> NlpArtifacts:
        artifacts = NlpArtifacts(
            entities=[], tokens=[], tokens_indices=[], lemmas=[], nlp_engine=self, language=LANGUAGE
        )
        hits = self.prefilter.scan(norm.text)
        artifacts.scan_context = ScanContext(
            norm, role=role, location=location, regions=hits.regions, tokenizer=self.tokenizer, explain=explain
        )
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


class DetectorRecognizer(EntityRecognizer):
    """One of our detectors, as a presidio recognizer."""

    def __init__(self, detector: Detector):
        self.detector = detector
        entities = sorted({r.type for r in detector.rules})
        super().__init__(
            supported_entities=entities, name=f"dlp-{detector.engine}", supported_language=LANGUAGE
        )

    def load(self) -> None:
        return None

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts) -> list[RecognizerResult]:
        ctx: ScanContext = nlp_artifacts.scan_context
        candidates = self.detector.detect(ctx)
        results = []
        for cand in candidates:
            index = len(ctx.accepted)
            ctx.accepted.append(cand)
            results.append(
                RecognizerResult(
                    entity_type=cand.type, start=cand.start, end=cand.end, score=max(cand.score, 1e-6),
                    recognition_metadata={
                        RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                        "candidate": index,
                    },
                )
            )
        return results


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


class Analyzer:
    """Runs every detector of a pack set over the segments of a message."""

    def __init__(self, detectors: list[Detector], masker: Callable[[str, str, str], str] | None = None):
        order = {name: i for i, name in enumerate(ENGINE_ORDER)}
        self.detectors = sorted(detectors, key=lambda d: order.get(d.engine, len(order)))
        regexes: dict[str, str] = {}
        flags: dict[str, list[str]] = {}
        lengths: dict[str, int] = {}
        for det in self.detectors:
            regexes.update(det.prefilter_regexes())
            flags.update(getattr(det, "prefilter_flags", dict)())
            lengths.update(getattr(det, "max_lengths", dict)())
        self.prefilter = Prefilter(regexes, flags, lengths)
        self.nlp_engine = TaiwanNlpEngine(self.prefilter, _default_tokenizer())
        registry = RecognizerRegistry(supported_languages=[LANGUAGE])
        self.recognizers = [DetectorRecognizer(d) for d in self.detectors]
        for rec in self.recognizers:
            registry.add_recognizer(rec)
        self.presidio = AnalyzerEngine(
            registry=registry,
            nlp_engine=self.nlp_engine,
            supported_languages=[LANGUAGE],
            context_aware_enhancer=NoContextEnhancer(),
        )
        self.masker = masker or default_excerpt_mask

    def _analyze_segment(self, segment: Segment, explain: bool) -> tuple[NormalizedText, list[Candidate], ScanContext]:
        norm = normalize(segment.text)
        artifacts = self.nlp_engine.process_segment(norm, segment.role, segment.location, explain)
        ctx: ScanContext = artifacts.scan_context
        if not norm.text.strip():
            return norm, [], ctx
        results = self.presidio.analyze(
            text=norm.text, language=LANGUAGE, nlp_artifacts=artifacts, score_threshold=0.0
        )
        kept = [ctx.accepted[r.recognition_metadata["candidate"]] for r in results]
        kept_ids = {id(c) for c in kept}
        for cand in ctx.accepted:
            if id(cand) not in kept_ids:
                cand.accepted = False
                cand.why = (cand.why + "; " if cand.why else "") + "discarded: inside a better match of the same type"
        kept = _drop_contained(kept, ctx)
        kept.sort(key=lambda c: (c.start, c.end))
        return norm, kept, ctx

    def analyze(self, segments: list[Segment], explain: bool = False) -> Analysis:
        per_segment = []
        for seg in segments:
            norm, kept, ctx = self._analyze_segment(seg, explain)
            per_segment.append((seg, norm, kept, ctx))
        present = {c.type for _, _, kept, _ in per_segment for c in kept if not c.requires_any_of}
        in_subject = {c.type for seg, _, kept, _ in per_segment if seg.role == "subject" for c in kept}
        findings: list[Finding] = []
        trace: list[TraceEntry] = []
        for seg, norm, kept, ctx in per_segment:
            seg_findings = []
            for cand in kept:
                missing = _missing_requirement(cand, kept, present, in_subject)
                if missing:
                    cand.accepted = False
                    cand.why = (cand.why + "; " if cand.why else "") + "discarded: " + missing
                    continue
                seg_findings.append(self._finding(seg, norm, cand))
            self._add_excerpts(seg.text, seg_findings)
            findings.extend(seg_findings)
            if explain and ctx.trace is not None:
                for cand in ctx.trace:
                    start, end = norm.to_original(cand.start, cand.end)
                    trace.append(TraceEntry(seg.location, cand, start, end, seg.text[start:end]))
        return Analysis(findings, trace)

    def _finding(self, seg: Segment, norm: NormalizedText, cand: Candidate) -> Finding:
        start, end = norm.to_original(cand.start, cand.end)
        return Finding(
            kind=cand.kind,
            type=cand.type,
            location=seg.location,
            start=start,
            end=end,
            score=cand.score,
            rule=cand.rule,
            level=cand.level,
            shadow=cand.shadow,
            detail=dict(cand.detail),
            value_key=cand.value_key,
        )


    def _add_excerpts(self, text: str, findings: list[Finding]) -> None:
        """Context around each finding with *every* personal-data value in it masked."""
        personal = sorted((f for f in findings if f.kind == "personal_data"), key=lambda f: (f.start, -f.end))
        masked = {id(f): self.masker(text[f.start:f.end], f.type, f.rule) for f in personal}
        for f in findings:
            f.excerpt = excerpt(text, f.start, f.end, personal, masked)


def _missing_requirement(cand: Candidate, kept: list[Candidate], present: set[str], in_subject: set[str]) -> str:
    """Why a candidate's ``requires_any_of`` is not met ("" when it is)."""
    if not cand.requires_any_of:
        return ""
    wanted = set(cand.requires_any_of)
    if not present & wanted:
        return "no " + "/".join(cand.requires_any_of) + " in the same message"
    if cand.requires_window <= 0 or in_subject & wanted:
        return ""
    lo, hi = cand.start - cand.requires_window, cand.end + cand.requires_window
    # ``kept`` is sorted by start; only candidates starting before ``hi`` can be near.
    stop = bisect.bisect_left(kept, hi, key=lambda c: c.start)
    first = bisect.bisect_left(kept, lo - _LONGEST_NEIGHBOUR, 0, stop, key=lambda c: c.start)
    for other in kept[first:stop]:
        if other.type in wanted and not other.requires_any_of and other.end > lo:
            return ""
    return "no " + "/".join(cand.requires_any_of) + f" within {cand.requires_window} characters"


#: How far back a neighbour's start may lie and still reach into a window (longest finding).
_LONGEST_NEIGHBOUR = 400


def _clusters(cands: list[Candidate]) -> list[list[Candidate]]:
    """Groups of candidates whose spans overlap, transitively (sweep by start)."""
    groups: list[list[Candidate]] = []
    reach = -1
    for c in sorted(cands, key=lambda c: (c.start, -c.end)):
        if groups and c.start < reach:
            groups[-1].append(c)
            reach = max(reach, c.end)
        else:
            groups.append([c])
            reach = c.end
    return groups


def _resolve_same_type_overlaps(cands: list[Candidate]) -> list[Candidate]:
    """Two overlapping findings of one type are one thing: keep the higher score, then the longer."""
    kept: list[Candidate] = []
    for group in _clusters(cands):
        if len(group) == 1:
            kept.extend(group)
            continue
        chosen: list[Candidate] = []
        for c in sorted(group, key=lambda c: (-c.score, -(c.end - c.start), c.start)):
            rival = next((k for k in chosen if k.type == c.type and k.start < c.end and c.start < k.end), None)
            if rival is None:
                chosen.append(c)
            else:
                c.accepted = False
                c.why = (c.why + "; " if c.why else "") + f"discarded: overlaps a better {c.type} ({rival.rule})"
        kept.extend(chosen)
    return kept


def _drop_contained(cands: list[Candidate], ctx: ScanContext) -> list[Candidate]:
    """A personal-data candidate inside a longer one of another type with no lower score goes.

    (An ID-shaped run inside a bank account number, a phone inside a longer digit string.)
    """
    out: list[Candidate] = []
    for group in _clusters(_resolve_same_type_overlaps(cands)):
        for c in group:
            container = next(
                (
                    o for o in group
                    if o is not c and o.kind == c.kind == "personal_data" and o.type != c.type
                    and o.start <= c.start and c.end <= o.end and (o.end - o.start) > (c.end - c.start)
                    and o.score >= c.score
                ),
                None,
            )
            if container is None:
                out.append(c)
            else:
                c.accepted = False
                c.why = (c.why + "; " if c.why else "") + f"discarded: inside a {container.type} ({container.rule})"
    return out


def default_excerpt_mask(value: str, type_: str, rule: str) -> str:
    """Mask a value for an excerpt: keep a little of each end, never the whole value."""
    n = len(value)
    if n <= 2:
        return value[:1] + "*" * (n - 1)
    keep = 1 if n <= 6 else 3 if n >= 10 else 2
    return value[:keep] + "*" * (n - 2 * keep) + value[n - keep:]


def excerpt(text: str, start: int, end: int, personal: list[Finding], masked: dict[int, str], width: int = 12) -> str:
    """A line of context around [start, end), personal-data values masked (cut ones fully)."""
    lo = max(0, start - width)
    hi = min(len(text), end + width)
    pieces: list[str] = []
    pos = lo
    # ``personal`` is sorted by start: look only at findings that can reach into [lo, hi).
    first = bisect.bisect_left(personal, lo - _LONGEST_NEIGHBOUR, key=lambda f: f.start)
    stop = bisect.bisect_left(personal, hi, key=lambda f: f.start)
    for f in personal[first:stop]:
        if f.end <= pos or f.start >= hi:
            continue
        if f.start >= pos and f.end <= hi:
            pieces.append(text[pos:f.start])
            pieces.append(masked[id(f)])
            pos = f.end
        else:  # cut by the window edge, or overlapping another: hide what is visible of it
            s, e = max(f.start, pos), min(f.end, hi)
            pieces.append(text[pos:s])
            pieces.append("*" * (e - s))
            pos = e
    pieces.append(text[pos:hi])
    return " ".join("".join(pieces).split())


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
