"""Scanner: Message -> segments -> findings -> policy -> Report.

A ``Scanner`` holds one immutable *state* (packs, analyzer, policy). ``reload()`` builds a new
state from disk and swaps it in only when everything validated; a scan that already started
keeps the state it started with.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dlp.engine import Analysis, Analyzer
from dlp.model import SECRECY_LEVELS, Attachment, Finding, Message, Report, Segment, secrecy_rank
from dlp.patterns import POLICY_FILE, PackSet, bundled_patterns_dir, load_packs

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScannerState:
    packset: PackSet
    analyzer: Analyzer
    policy: Any  # dlp.policy.Policy, or None when no policy file is present
    suppressions: Any = None  # dlp.suppressions.Suppressions (patterns/suppressions.yaml)

    @property
    def version(self) -> str:
        return self.packset.version


def _load_policy(directory: Path, policy_path: str | Path | None) -> Any:
    from dlp.policy import Policy

    path = Path(policy_path) if policy_path is not None else directory / POLICY_FILE
    if not path.exists() and policy_path is None:
        path = bundled_patterns_dir() / POLICY_FILE
    return Policy.load(path)


def build_state(patterns_dir: str | Path | None = None, policy_path: str | Path | None = None) -> ScannerState:
    """Load and validate packs and policy; raises PackErrors/PackError and builds nothing on failure."""
    packset = load_packs(patterns_dir)
    policy = _load_policy(packset.directory, policy_path)
    analyzer = packset.analyzer()
    analyzer.masker = _excerpt_masker(packset.rule_masks)  # before any scan uses this state
    from dlp.suppressions import load_suppressions

    suppressions = load_suppressions(packset.directory, [r.id for r in packset.rules])
    return ScannerState(packset, analyzer, policy, suppressions)


def _excerpt_masker(masks: dict[str, dict[str, Any]]):
    from dlp.excerpts import default_excerpt_mask
    from dlp.redact import mask_value

    def mask(value: str, type_: str, rule: str) -> str:
        spec = masks.get(rule)
        if not spec:
            return default_excerpt_mask(value, type_, rule)
        masked = mask_value(value, spec)
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
        self._state = build_state(self.patterns_dir, policy_path)

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
        return new_state

    # -- scanning ----------------------------------------------------------------------------
    def segments(self, message: Message, state: ScannerState | None = None) -> tuple[list[Segment], list[Finding], list[dict[str, str]]]:
        """The message's text parts and attachments as segments, plus uninspectable findings."""
        state = state or self._state
        segments: list[Segment] = []
        if message.subject:
            segments.append(Segment(location="subject", text=message.subject, role="subject"))
        segments.append(Segment(location="body", text=message.text or "", role="body"))
        findings: list[Finding] = []
        not_inspected: list[dict[str, str]] = []
        if message.attachments:
            seg, fnd, skipped = _extract_attachments(message.attachments, state.policy)
            segments.extend(seg)
            findings.extend(fnd)
            not_inspected.extend(skipped)
        return segments, findings, not_inspected

    def analyze(self, message: Message, explain: bool = False) -> Analysis:
        state = self._state
        segments, extra, _ = self.segments(message, state)
        analysis = state.analyzer.analyze(segments, explain=explain)
        analysis.findings = extra + analysis.findings
        return analysis

    def scan(self, message: Message, extra_findings: list[Finding] | None = None, history: Any = None) -> Report:
        """Scan and decide. ``extra_findings`` are findings made before the scanner saw the
        message (e.g. a gateway's broken MIME parts); they take part in the decision.
        ``history`` is the sender's destination history as plain facts
        (``dlp.misdirection.HistoryFacts``), looked up by the caller: the scanner opens no database."""
        state = self._state  # keep one state for the whole scan, even if reloaded meanwhile
        segments, extra, not_inspected = self.segments(message, state)
        analysis = state.analyzer.analyze(segments)
        findings = list(extra_findings or []) + extra + analysis.findings
        if state.suppressions is not None:
            findings = state.suppressions.apply(message, findings)
        report = Report(findings=findings, not_inspected=not_inspected)
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
                report.redacted_text = self._redact_body(message.text or "", findings, state)
        return report

    def redact(self, text: str) -> str:
        """``text`` with every personal-data finding masked; nothing else changes."""
        state = self._state
        analysis = state.analyzer.analyze([Segment(location="body", text=text, role="body")])
        return self._redact_body(text, analysis.findings, state)

    def redact_with_findings(self, text: str) -> tuple[str, list[Finding]]:
        state = self._state
        analysis = state.analyzer.analyze([Segment(location="body", text=text, role="body")])
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


def secrecy_level(findings: list[Finding]) -> str:
    """The highest level among enforced secrecy markings, or "none"."""
    best = "none"
    for f in findings:
        if f.kind == "secrecy" and not f.shadow and f.level in SECRECY_LEVELS and secrecy_rank(f.level) > secrecy_rank(best):
            best = f.level
    return best


def _extract_attachments(attachments: list[Attachment], policy: Any) -> tuple[list[Segment], list[Finding], list[dict[str, str]]]:
    """Every attachment as segments; the message-wide byte limit is applied across them."""
    from dlp.extract import extract_many
    from dlp.extract.limits import Limits

    limits = getattr(policy, "attachment_limits", None) or Limits()
    result = extract_many(attachments, limits)
    return result.segments, result.findings, result.not_inspected
