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
from dlp.store.recorder import incident_context


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
    #: The service's incident id (it recorded the incident); None in-process, where the gateway records it.
    service_incident_id: str | None = None
    #: In-process: the destination history's ``HistoryLookup`` made before the scan (learned from
    #: after the record) and what the recorder takes from the scanner (``incident_context``).
    history: Any = None
    context: dict[str, Any] = field(default_factory=dict)

    @property
    def recorded_by_service(self) -> bool:
        return self.service_request_id is not None


class Decider(Protocol):
    mode: str

    async def decide(self, raw: bytes, sender: str, recipients: list[str], queue_id: str | None = None) -> ScanOutcome: ...


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
    """``Scanner`` in this process; scans run in threads (at most ``threads`` at once).

    ``history`` (``dlp.store.history.DestinationHistory``): the misdirection guard's facts are
    looked up before each scan, as the service does."""

    mode = "local"

    def __init__(self, scanner: Any, threads: int = 4, history: Any = None):
        self.scanner = scanner
        self.history = history
        self.limiter = anyio.CapacityLimiter(max(1, threads))

    def reload(self) -> tuple[str, str]:
        """Packs and policy from disk again (SIGHUP); on any error raise and keep the old set."""
        old = self.scanner.packset.version
        return old, self.scanner.reload().version

    async def decide(self, raw: bytes, sender: str, recipients: list[str], queue_id: str | None = None) -> ScanOutcome:
        # abandon_on_cancel: when the budget runs out the answer (451) goes at once; the thread
        # finishes its scan in the background and its result is dropped.
        return await anyio.to_thread.run_sync(self._decide, raw, sender, recipients, limiter=self.limiter, abandon_on_cancel=True)

    def _decide(self, raw: bytes, sender: str, recipients: list[str]) -> ScanOutcome:
        scanner = self.scanner
        version = scanner.packset.version
        message, broken = read_message(raw, sender, recipients, getattr(scanner.policy, "attachment_limits", None))
        lookup = self.history.lookup(message, scanner.policy) if self.history is not None else None
        report = scanner.scan(message, extra_findings=broken, history=lookup.facts if lookup is not None else None)
        metrics.observe_report(report.to_dict(), message.channel)
        behind = recipients_behind(scanner.policy, message, report.findings, report.action, report.destination)
        return ScanOutcome(message, report, version, behind, history=lookup, context=incident_context(scanner))
