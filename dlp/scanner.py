"""Scanner: Message -> segments -> findings -> policy -> Report.

A ``Scanner`` holds one immutable *state* (packs, analyzer, policy). ``reload()`` builds a new
state from disk and swaps it in only when everything validated; a scan that already started
keeps the state it started with.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from dlp.conversations import EMPTY_REGISTRY, ConversationRegistry, example_failures, load_registry
from dlp.engine import Analysis, Analyzer
from dlp.errors import PackErrors
from dlp.heap import freeze_heap, paused_collector
from dlp.model import SECRECY_LEVELS, Finding, Message, Report, Segment, secrecy_rank
from dlp.patterns import PackInfo, PackSet, bundled_patterns_dir, load_packs
from dlp.scan_limits import Budget, ScanLimits, finding_counts, select_listed

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScannerState:
    packset: PackSet
    analyzer: Analyzer
    policy: Any  # dlp.policy.Policy, or None when no policy file is present
    #: conversations.yaml beside the packs: the group facts that decide a chat
    conversations: ConversationRegistry = EMPTY_REGISTRY
    suppressions: Any = None  # dlp.suppressions.Suppressions (patterns/suppressions.yaml)

    @property
    def version(self) -> str:
        return self.packset.version

    @property
    def policy_version(self) -> str:
        """SHA-256 (16 hex digits) of the policy file's bytes; "" without a policy."""
        return getattr(getattr(self.policy, "config", None), "sha256", "") or ""

    @property
    def scan_limits(self) -> ScanLimits:
        return getattr(getattr(self.policy, "config", None), "scan_limits", None) or ScanLimits()


def build_state(patterns_dir: str | Path | None = None, policy_path: str | Path | None = None) -> ScannerState:
    """Load and validate packs and policy, run the policy's decision examples; raises
    PackErrors/PackError and builds nothing on failure."""
    from dlp.policy_examples import check_decision_examples, policy_for_packs

    packset = load_packs(patterns_dir)
    policy, paired = policy_for_packs(packset.directory, policy_path)
    analyzer = packset.analyzer()
    analyzer.masker = _excerpt_masker(packset.rule_masks)  # before any scan uses this state
    registry = load_registry(packset.directory)
    failures = example_failures(registry, analyzer, policy)
    if failures:
        raise PackErrors(failures)
    if registry.file:  # the registry decides too: its hash is part of the patterns version
        info = PackInfo(name="conversations", file=registry.file, version=registry.version, sha256=registry.sha256,
                        rules=len(registry), description=registry.description)
        packset = replace(packset, packs=[*packset.packs, info])
    from dlp.suppressions import load_suppressions

    suppressions = load_suppressions(packset.directory, [r.id for r in packset.rules])
    state = ScannerState(packset, analyzer, policy, registry, suppressions)
    if paired:
        check_decision_examples(state)
    return state


def _excerpt_masker(masks: dict[str, dict[str, Any]]):
    from dlp.excerpts import default_excerpt_mask
    from dlp.redact import value_masker

    by_rule: dict[str, Any] = {}  # rule -> its spec's masker (the spec checked once)

    def mask(value: str, type_: str, rule: str) -> str:
        masker = by_rule.get(rule)  # (only rules with a spec get one: the packs do not change)
        if masker is None:
            spec = masks.get(rule)
            if not spec:
                return default_excerpt_mask(value, type_, rule)
            masker = by_rule[rule] = value_masker(spec)
        masked = masker(value)
        # An excerpt must never carry the raw value, whatever a pack's style says.
        return masked if masked != value else default_excerpt_mask(value, type_, rule)

    return mask


class Scanner:
    """Find secrecy markings and personal data in a message and decide what may leave.

    ``Scanner()`` uses the bundled ``patterns/`` and its ``policy.yaml``;
    ``Scanner(patterns_dir=...)`` a security team's own packs (and the ``policy.yaml`` there,
    falling back to the bundled one).
    """

    def __init__(self, patterns_dir: str | Path | None = None, policy_path: str | Path | None = None):
        self.patterns_dir = Path(patterns_dir) if patterns_dir is not None else bundled_patterns_dir()
        self.policy_path = policy_path
        with paused_collector():  # what is built survives: collections midway find nothing (dlp.heap)
            self._state = build_state(self.patterns_dir, policy_path)
        freeze_heap()  # the state lives as long as the scanner: out of the collector's sight

    @classmethod
    def from_state(cls, state: ScannerState) -> Scanner:
        """A scanner over an already built state (e.g. to run a policy's examples with it)."""
        scanner = cls.__new__(cls)
        scanner.patterns_dir = state.packset.directory
        scanner.policy_path = state.policy.file if state.policy is not None else None
        scanner._state = state
        return scanner

    # -- state -----------------------------------------------------------------------------
    @property
    def state(self) -> ScannerState:
        return self._state

    @property
    def packset(self) -> PackSet:
        return self._state.packset

    @property
    def policy(self) -> Any:
        return self._state.policy

    def reload(self) -> ScannerState:
        """Load packs and policy from disk again; on any error raise and keep the old set."""
        new_state = build_state(self.patterns_dir, self.policy_path)
        self._state = new_state  # one reference swap: atomic for every reader
        freeze_heap(after_reload=True)
        return new_state

    # -- scanning ----------------------------------------------------------------------------
    def segments(self, message: Message, state: ScannerState | None = None) -> tuple[list[Segment], list[Finding], list[dict[str, str]]]:
        """Everything in the message a reader sees, as segments, plus uninspectable findings
        (one message-wide budget: see :mod:`dlp.segments`; pictures are read by OCR within the
        policy's ``ocr:`` limits, one ``OcrBudget`` per message)."""
        from dlp.ocr.budget import OcrBudget
        from dlp.segments import message_segments

        state = state or self._state
        not_inspected: list[dict[str, str]] = []
        message = _readable_message(message, not_inspected)
        ocr = OcrBudget(getattr(state.policy, "ocr_settings", None))
        result = message_segments(message, getattr(state.policy, "attachment_limits", None), ocr=ocr)
        return result.segments, result.findings, not_inspected + result.not_inspected

    def analyze(self, message: Message | str, explain: bool = False) -> Analysis:
        message = _as_message(message)
        state = self._state
        segments, extra, _ = self.segments(message, state)
        analysis = state.analyzer.analyze(segments, explain=explain)
        analysis.findings = extra + _content_findings(analysis.findings)
        return analysis

    def scan(self, message: Message | str, extra_findings: list[Finding] | None = None, history: Any = None) -> Report:
        """Scan and decide. ``extra_findings`` are findings made before the scanner saw the
        message (e.g. a gateway's broken MIME parts); they take part in the decision.

        Analysis runs within ``scan_limits`` (policy.yaml): what it could not read is a
        LIMIT_EXCEEDED finding. The decision is made on every finding; the report lists at
        most ``max_findings`` of them (``truncated``) and counts them all (``finding_counts``).

        ``history`` is the sender's destination history as plain facts
        (``dlp.misdirection.HistoryFacts``), looked up by the caller: the scanner opens no database.

        A plain ``str`` is scanned as the body of a mail without recipients (``Message(text=...)``)."""
        message = _as_message(message)
        state = self._state  # keep one state for the whole scan, even if reloaded meanwhile
        message, resolution = state.conversations.resolve_message(message)  # the registry's facts decide
        limits = state.scan_limits
        segments, extra, not_inspected = self.segments(message, state)
        analysis = state.analyzer.analyze(segments, budget=Budget(limits), max_listed=limits.max_findings)
        findings = list(extra_findings or []) + extra + _content_findings(analysis.findings)
        if state.suppressions is not None:  # the security team's reviewed false positives
            findings = state.suppressions.apply(message, findings)
        body = next((seg.text for seg in segments if seg.location == "body"), message.text or "")  # surrogates replaced
        report = self.report(message, body, findings, not_inspected, state, history=history)
        if resolution is not None:
            resolution.annotate(report.destination)
        return report

    def report(self, message: Message, body: str, findings: list[Finding],
               not_inspected: list[dict[str, str]] | None = None, state: ScannerState | None = None,
               history: Any = None) -> Report:
        """The report on findings already made in ``message`` (``body``: its text as scanned),
        decided by the policy: the one decision path (also for findings from elsewhere, e.g.
        presidio results through ``dlp.presidio``). The decision is made on every finding; the
        report lists at most ``scan_limits.max_findings`` of them (``truncated``) and counts them
        all (``finding_counts``)."""
        state = state or self._state
        limits = state.scan_limits
        report = Report(findings=findings, not_inspected=list(not_inspected or []),
                        patterns_version=state.version, policy_version=state.policy_version)
        report.secrecy_level = secrecy_level(findings)
        if state.policy is not None:
            decision = state.policy.decide(message, findings, history=history)
            report.action = decision.action
            report.reasons = list(decision.reasons)
            report.exceptions = list(decision.exceptions)
            report.destination = dict(decision.destination)
            report.shadow_decisions = [entry for entry in decision.fired if entry.get("shadow")]
            report.misdirection = decision.misdirection
            if report.action == "redact":
                report.redacted_text = self._redact_body(body, findings, state)
        _cap(report, limits.max_findings)
        return report

    def redact(self, text: str) -> str:
        """``text`` with every personal-data finding masked; nothing else changes (but lone
        surrogates, which no encoding can carry, come back as U+FFFD).

        Raises :class:`RedactionIncomplete` when the text could not be analysed within
        ``scan_limits``: a partly masked text must never pass for a masked one.
        """
        masked, findings = self.redact_with_findings(text)
        if any(f.type == "LIMIT_EXCEEDED" for f in findings):
            raise RedactionIncomplete("text not fully analysed within scan_limits")
        return masked

    def redact_with_findings(self, text: str) -> tuple[str, list[Finding]]:
        """Masked text and every finding; a LIMIT_EXCEEDED finding says the masking is incomplete."""
        state = self._state
        text = _readable(text, "body", None)
        limits = state.scan_limits
        analysis = state.analyzer.analyze([Segment(location="body", text=text, role="body")],
                                          budget=Budget(limits), max_listed=limits.max_findings)
        return self._redact_body(text, analysis.findings, state), analysis.findings

    @staticmethod
    def _redact_body(text: str, findings: list[Finding], state: ScannerState) -> str:
        from dlp.redact import RedactSpan, redact_text

        masks = state.packset.rule_masks
        spans = [
            RedactSpan(f.start, f.end, f.type, masks.get(f.rule, {"style": "full", "char": "*"}))
            for f in findings
            if f.location == "body" and f.kind == "personal_data" and f.end > f.start
        ]
        return redact_text(text, spans)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_lone_surrogate(text: str) -> bool:
    """Whether ``_LONE_SURROGATE`` occurs in ``text``: strict UTF-8 encodes every code point but
    a surrogate, at C speed (a third of the search's time; an ASCII text is known at once)."""
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _readable(text: str, location: str, not_inspected: list[dict[str, str]] | None) -> str:
    """``text`` with lone surrogates (code points that are not characters, which no encoding
    can carry: a broken UTF-16 pair, undecoded bytes) replaced by U+FFFD, one for one so that
    offsets still hold; the replacement is reported, never a crash."""
    if not _has_lone_surrogate(text):
        return text
    text, count = _LONE_SURROGATE.subn("\ufffd", text)
    reason = f"含 {count} 個無效的 Unicode 字元（單獨的代理字元），已換成 U+FFFD 後檢查"
    if not_inspected is not None:
        not_inspected.append({"location": location, "reason": reason})
    log.warning("%s: %d lone surrogate(s) replaced by U+FFFD before scanning", location, count)
    return text


def _readable_message(message: Message, not_inspected: list[dict[str, str]]) -> Message:
    """``message`` with lone surrogates replaced in every text field a person can see."""
    subject = _readable(message.subject, "subject", not_inspected) if message.subject else message.subject
    text = _readable(message.text or "", "body", not_inspected)
    sender = _readable(message.sender, "header:from", not_inspected) if message.sender else message.sender
    recipients = [_readable(r, "header:to", not_inspected) for r in message.recipients]
    if (subject, text, sender, recipients) == (message.subject, message.text or "", message.sender, message.recipients):
        return message
    return replace(message, subject=subject, text=text, sender=sender, recipients=recipients)


class RedactionIncomplete(Exception):
    """The text could not be analysed within the scan limits; no masked text is given."""


def _cap(report: Report, max_findings: int) -> None:
    """List the most important ``max_findings`` findings; count them all."""
    from dlp.policy import distinct_key

    report.finding_counts = finding_counts(report.findings, distinct_key)
    if len(report.findings) > max_findings:
        report.findings = select_listed(report.findings, max_findings)
        report.truncated = True


def secrecy_level(findings: list[Finding]) -> str:
    """The highest level among enforced secrecy markings, or "none"."""
    best = "none"
    for f in findings:
        if f.kind == "secrecy" and not f.shadow and f.level in SECRECY_LEVELS and secrecy_rank(f.level) > secrecy_rank(best):
            best = f.level
    return best


def _content_findings(findings: list[Finding]) -> list[Finding]:
    from dlp.segments import without_addressing

    return without_addressing(findings)


def _as_message(message: Message | str) -> Message:
    """``Message`` as given; a ``str`` as ``Message(text=...)``; anything else a clear TypeError
    (not an AttributeError deep in the segmenting)."""
    if isinstance(message, Message):
        return message
    if isinstance(message, str):
        return Message(text=message)
    raise TypeError(f"Scanner.scan expects a dlp.Message or a str, not {type(message).__name__}")
