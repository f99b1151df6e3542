"""presidio interop, both ways, for those who already run presidio.

* ``taiwan_recognizers()`` gives presidio recognizers for one's own ``AnalyzerEngine``: the whole
  dlp analysis (every pack: national IDs with their checksums, phones, addresses, names, secrecy
  markings...) as one ``EntityRecognizer`` per language. It needs nothing from the engine's NLP
  (it normalizes and tokenizes for itself), so it runs next to presidio's English recognizers.
* ``to_recognizer_results(report)`` turns a dlp ``Report`` (or findings) into presidio
  ``RecognizerResult``s, e.g. for presidio-anonymizer; ``findings_from_recognizer_results`` and
  ``report_from_recognizer_results`` go back, the latter deciding with a ``Scanner``'s policy.

A result keeps dlp's facts in ``recognition_metadata`` (``dlp_rule``, ``dlp_kind``,
``dlp_level``, ``dlp_location``, ``dlp_excerpt``), never the raw value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from dlp.excerpts import default_excerpt_mask, excerpt
from dlp.model import FINDING_TYPES, Finding, Message, Report, Segment
from dlp.normalize import compact

if TYPE_CHECKING:  # pragma: no cover
    from dlp.engine import Analyzer
    from dlp.scanner import Scanner

RECOGNIZER_NAME = "TaiwanDlpRecognizer"
DEFAULT_LANGUAGES = ("en", "zh")
_NAME = RecognizerResult.RECOGNIZER_NAME_KEY
_IDENTIFIER = RecognizerResult.RECOGNIZER_IDENTIFIER_KEY


class TaiwanRecognizer(EntityRecognizer):
    """Every dlp detector of a pack set, as one presidio recognizer for ``language``."""

    def __init__(self, analyzer: Analyzer, entities: Sequence[str], language: str, name: str = RECOGNIZER_NAME):
        self.analyzer = analyzer
        super().__init__(supported_entities=list(entities), name=name, supported_language=language)

    def load(self) -> None:  # the packs are loaded already
        return None

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None) -> list[RecognizerResult]:
        wanted = set(self.supported_entities) & set(entities or self.supported_entities)
        analysis = self.analyzer.analyze([Segment(location="body", text=text, role="body")])
        findings = [f for f in analysis.findings if f.type in wanted and not f.shadow]
        return [_result(f, self.name, self.id) for f in findings]


def taiwan_recognizers(
    patterns_dir: str | Path | None = None,
    *,
    languages: str | Sequence[str] = DEFAULT_LANGUAGES,
    entities: Iterable[str] | None = None,
    scanner: Scanner | None = None,
) -> list[EntityRecognizer]:
    """Recognizers to ``registry.add_recognizer`` into one's own presidio ``AnalyzerEngine``.

    ``patterns_dir``: packs to load (default: the bundled ones), or ``scanner``: reuse that
    scanner's loaded packs. ``entities``: only these finding types (default: all the packs
    find). One recognizer per language, since presidio picks recognizers by language.
    """
    from dlp.patterns import load_packs

    packset = scanner.packset if scanner is not None else load_packs(patterns_dir)
    analyzer = packset.analyzer()
    found = sorted({r.type for r in packset.rules})
    chosen = found if entities is None else [t for t in found if t in set(entities)]
    if not chosen:
        raise ValueError(f"none of the requested entities is found by these packs; they find: {', '.join(found)}")
    langs = [languages] if isinstance(languages, str) else list(languages)
    return [TaiwanRecognizer(analyzer, chosen, lang) for lang in langs]


def _result(f: Finding, name: str, identifier: str) -> RecognizerResult:
    metadata: dict[str, Any] = {
        _NAME: name, _IDENTIFIER: identifier,
        "dlp_rule": f.rule, "dlp_kind": f.kind, "dlp_location": f.location, "dlp_excerpt": f.excerpt,
    }
    if f.level is not None:
        metadata["dlp_level"] = f.level
    if f.shadow:
        metadata["dlp_shadow"] = True
    return RecognizerResult(entity_type=f.type, start=f.start, end=f.end, score=f.score, recognition_metadata=metadata)


def to_recognizer_results(source: Report | Iterable[Finding], location: str | None = "body") -> list[RecognizerResult]:
    """Findings of one location (offsets into that text; ``None``: every location) as results."""
    findings = source.findings if isinstance(source, Report) else list(source)
    return [_result(f, "dlp", f.rule) for f in findings
            if (location is None or f.location == location) and f.end > f.start]


def findings_from_recognizer_results(
    results: Iterable[RecognizerResult], text: str, location: str = "body",
    entity_map: Mapping[str, str] | None = None, masker: Callable[[str, str, str], str] | None = None,
) -> list[Finding]:
    """presidio results over ``text`` as dlp findings, with masked excerpts (``masker``: value,
    type, rule -> masked value; default: dlp's default excerpt mask).

    ``entity_map`` renames presidio entity types to dlp ones (e.g. ``{"PHONE_NUMBER":
    "TW_PHONE"}``); a type dlp does not know is kept as it is, kind ``personal_data``, and no
    policy row counts it unless mapped.
    """
    renames = dict(entity_map or {})
    findings = []
    for r in results:
        meta = r.recognition_metadata or {}
        type_ = renames.get(r.entity_type, r.entity_type)
        level = meta.get("dlp_level")
        value = text[r.start:r.end]
        findings.append(Finding(
            kind=meta.get("dlp_kind") or FINDING_TYPES.get(type_, "personal_data"),
            type=type_, location=location, start=r.start, end=r.end, score=float(r.score),
            rule=meta.get("dlp_rule") or f"presidio:{meta.get(_NAME, 'unknown')}",
            level=level, shadow=bool(meta.get("dlp_shadow", False)),
            value_key=level if type_ == "SECRECY_MARKING" and level else compact(value),
        ))
    findings.sort(key=lambda f: (f.start, f.end))
    personal = [f for f in findings if f.kind == "personal_data"]
    mask = masker or default_excerpt_mask
    masked = {id(f): mask(text[f.start:f.end], f.type, f.rule) for f in personal}
    reach = max((f.end - f.start for f in personal), default=0)
    for f in findings:
        f.excerpt = excerpt(text, f.start, f.end, personal, masked, reach)
    return findings


def report_from_recognizer_results(
    results: Iterable[RecognizerResult], text: str, *, scanner: Scanner | None = None,
    message: Message | None = None, entity_map: Mapping[str, str] | None = None,
) -> Report:
    """A dlp ``Report`` from presidio results over a message body; with ``scanner``, decided by
    its policy for ``message``'s destination (default: a mail with no recipient)."""
    from dlp.scanner import secrecy_level

    masker = scanner.state.analyzer.masker if scanner is not None else None  # the packs' masking styles
    findings = findings_from_recognizer_results(results, text, "body", entity_map, masker)
    if scanner is None:
        return Report(findings=findings, secrecy_level=secrecy_level(findings))
    return scanner.report(message or Message(text=text), text, findings)


__all__ = [
    "TaiwanRecognizer",
    "findings_from_recognizer_results",
    "report_from_recognizer_results",
    "taiwan_recognizers",
    "to_recognizer_results",
]
