"""The result of extracting one attachment, and the bookkeeping shared by every extractor."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from dlp.extract.limits import LIMIT_LABELS, LimitReached, Limits
from dlp.model import Finding, Segment

_RULES = {
    "ENCRYPTED_ATTACHMENT": "extract.encrypted",
    "UNREADABLE_ATTACHMENT": "extract.unreadable",
    "LIMIT_EXCEEDED": "extract.limit",
}


@dataclass
class Extraction:
    """Text segments, uninspectable findings and parts listed as not inspected."""

    segments: list[Segment] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    not_inspected: list[dict[str, str]] = field(default_factory=list)

    def extend(self, other: Extraction) -> None:
        self.segments.extend(other.segments)
        self.findings.extend(other.findings)
        self.not_inspected.extend(other.not_inspected)


def uninspectable(type_: str, location: str, reason: str, fmt: str = "", limit: str | None = None) -> Finding:
    detail: dict[str, Any] = {"reason": reason, "format": fmt}
    if limit is not None:
        detail["limit"] = limit
    return Finding(
        kind="uninspectable",
        type=type_,
        location=location,
        start=0,
        end=0,
        score=1.0,
        rule=_RULES[type_],
        excerpt=reason[:80],
        detail=detail,
    )


class Context:
    """Budgets (time, text, expanded bytes) for one top-level attachment, and its results."""

    def __init__(self, limits: Limits, result: Extraction | None = None):
        self.limits = limits
        self.result = result if result is not None else Extraction()
        self.deadline = time.monotonic() + limits.max_seconds
        self.chars = 0
        self.expanded = 0

    # -- budgets -------------------------------------------------------------------------
    def check_time(self, location: str) -> None:
        """Cooperative time check, called between parts, pages and entries."""
        if time.monotonic() > self.deadline:
            raise LimitReached("max_seconds", location)

    def charge_bytes(self, n: int, location: str) -> None:
        self.expanded += n
        if self.expanded > self.limits.max_expanded_bytes:
            raise LimitReached("max_expanded_bytes", location)

    def refund_bytes(self, n: int) -> None:
        """Give back bytes charged for a part that is read again (a scanner falling back)."""
        self.expanded = max(0, self.expanded - n)

    def bytes_left(self) -> int:
        return max(0, self.limits.max_expanded_bytes - self.expanded)

    # -- results -------------------------------------------------------------------------
    def segment(self, location: str, text: str, role: str) -> None:
        """Add a segment (skipped when blank); truncates and stops at the text limit."""
        if not text or not text.strip():
            return
        room = self.limits.max_text_chars - self.chars
        if len(text) > room:
            if room > 0:
                self.result.segments.append(Segment(location, text[:room], role))
            self.chars = self.limits.max_text_chars
            raise LimitReached("max_text_chars", location)
        self.chars += len(text)
        self.result.segments.append(Segment(location, text, role))

    def encrypted(self, location: str, reason: str, fmt: str) -> None:
        self.result.findings.append(uninspectable("ENCRYPTED_ATTACHMENT", location, reason, fmt))

    def unreadable(self, location: str, reason: str, fmt: str) -> None:
        self.result.findings.append(uninspectable("UNREADABLE_ATTACHMENT", location, reason, fmt))

    def limit(self, location: str, limit: str, fmt: str = "", reason: str = "") -> None:
        text = reason or f"超過{LIMIT_LABELS.get(limit, limit)}，未完整檢查"
        self.result.findings.append(uninspectable("LIMIT_EXCEEDED", location, text, fmt, limit))

    def not_inspected(self, location: str, reason: str) -> None:
        self.result.not_inspected.append({"location": location, "reason": reason})


class Encrypted(Exception):
    """Raised by an extractor when the content is password-protected (reason in Chinese)."""


class Unreadable(Exception):
    """Raised by an extractor when the content cannot be read (reason in Chinese)."""
