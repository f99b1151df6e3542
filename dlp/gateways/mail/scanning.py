"""The decision for one mail: the library in-process (``LocalDecider``, the default).

``ServiceDecider`` (``service_client``) asks the HTTP service instead; both give a
``ScanOutcome`` and raise ``DecisionUnavailable`` when no decision can be had, which the
gateway turns into ``451 4.7.1``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import anyio

from dlp.gateways.mail.attribution import recipients_behind
from dlp.gateways.mail.shared import NotAMail, metrics, read_mime
from dlp.model import Finding, Message, Report


class DecisionUnavailable(Exception):
    """No decision could be had; ``cause`` names why (a metric label and an audit field)."""

    def __init__(self, cause: str, detail: str = ""):
        super().__init__(f"{cause}: {detail}" if detail else cause)
        self.cause = cause
        self.detail = detail


@dataclass
class ScanOutcome:
    message: Message
    report: Report
    patterns_version: str
    #: Envelope recipients whose destination gave the action (see ``attribution``).
    behind: list[str] = field(default_factory=list)
    key_id: str | None = None
    service_request_id: str | None = None


class Decider(Protocol):
    mode: str

    async def decide(self, raw: bytes, sender: str, recipients: list[str]) -> ScanOutcome: ...


def read_message(raw: bytes, sender: str, recipients: list[str], limits: Any = None) -> tuple[Message, list[Finding]]:
    """The one call of the shared MIME reader: raw bytes -> ``Message`` + broken-part findings.

    The envelope decides: ``sender`` (empty for ``<>``, then From is used) and every RCPT TO,
    Bcc recipients included.
    """
    try:
        parsed = read_mime(raw, limits, sender or None, list(recipients) or None)
    except NotAMail as exc:
        raise DecisionUnavailable("bad_mime", str(exc)) from None
    return parsed.message, parsed.findings


class LocalDecider:
    """``Scanner`` in this process; scans run in threads (at most ``threads`` at once)."""

    mode = "local"

    def __init__(self, scanner: Any, threads: int = 4):
        self.scanner = scanner
        self.limiter = anyio.CapacityLimiter(max(1, threads))

    def reload(self) -> tuple[str, str]:
        """Packs and policy from disk again (SIGHUP); on any error raise and keep the old set."""
        old = self.scanner.packset.version
        return old, self.scanner.reload().version

    async def decide(self, raw: bytes, sender: str, recipients: list[str]) -> ScanOutcome:
        # abandon_on_cancel: when the budget runs out the answer (451) goes at once; the thread
        # finishes its scan in the background and its result is dropped.
        return await anyio.to_thread.run_sync(self._decide, raw, sender, recipients, limiter=self.limiter, abandon_on_cancel=True)

    def _decide(self, raw: bytes, sender: str, recipients: list[str]) -> ScanOutcome:
        scanner = self.scanner
        version = scanner.packset.version
        message, broken = read_message(raw, sender, recipients, getattr(scanner.policy, "attachment_limits", None))
        report = scanner.scan(message, extra_findings=broken)
        metrics.observe_report(report.to_dict(), message.channel)
        behind = recipients_behind(scanner.policy, message, report.findings, report.action, report.destination)
        return ScanOutcome(message, report, version, behind)
