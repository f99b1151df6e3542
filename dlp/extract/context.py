"""The result of extracting one attachment, and the bookkeeping shared by every extractor."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from dlp.extract.budget import Budget
from dlp.extract.limits import LIMIT_LABELS, LimitReached, Limits
from dlp.model import Finding, Segment

if TYPE_CHECKING:
    from dlp.ocr import OcrBudget, OcrResult

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


def name_segment(location: str, name: str) -> Segment | None:
    """A file's name as text of its own (``attachment-name:a.zip/b.txt``): names are read too.

    Role "subject": a file name is a title, where a leading 【機密】 is a marking.
    """
    name = (name or "").strip()
    if not name:
        return None
    where = location.split(":", 1)[1] if location.startswith("attachment:") else location
    return Segment(location=f"attachment-name:{where}", text=name, role="subject")


class Context:
    """The results of reading one message's attachments, and the budgets they share: the
    extraction's :class:`Budget` and the message's ``OcrBudget`` (``ocr``: pages and OCR seconds)."""

    def __init__(self, limits: Limits, result: Extraction | None = None, budget: Budget | None = None,
                 ocr: OcrBudget | None = None):
        self.limits = limits
        self.result = result if result is not None else Extraction()
        self.budget = budget if budget is not None else Budget(limits)
        self.ocr = ocr

    # -- OCR (dlp.ocr) -------------------------------------------------------------------
    def ocr_budget(self) -> OcrBudget:
        """The message's OCR budget; a caller that gave none gets the defaults (never a skip)."""
        if self.ocr is None:
            from dlp.ocr import OcrBudget

            self.ocr = OcrBudget()
        return self.ocr

    @contextmanager
    def ocr_time(self) -> Iterator[None]:
        """Run OCR without charging its time to ``max_seconds``: OCR has its own time limit
        (``ocr.max_seconds``), so the two budgets add up instead of one eating the other."""
        with self.budget.paused():
            yield

    def add_ocr(self, result: OcrResult) -> None:
        """An OCR result: its findings, then its segments (through the text limit)."""
        self.result.findings.extend(result.findings)
        for seg in result.segments:
            self.add_segment(seg)

    # -- budgets (message-wide: see dlp.extract.budget) ----------------------------------
    @property
    def chars(self) -> int:
        return self.budget.chars

    @chars.setter
    def chars(self, value: int) -> None:
        self.budget.chars = value

    def check_time(self, location: str) -> None:
        """Cooperative time check: between parts, pages and entries, and inside long loops."""
        self.budget.check_time(location)

    def ticker(self, location: str, every: int = 2048) -> Callable[[], None]:
        """A cheap callable for hot loops: checks the time once every ``every`` calls."""
        count = 0
        check = self.budget.check_time

        def tick() -> None:
            nonlocal count
            count += 1
            if count >= every:
                count = 0
                check(location)

        return tick

    def charge_bytes(self, n: int, location: str) -> None:
        self.budget.charge_bytes(n, location)

    def refund_bytes(self, n: int) -> None:
        """Give back bytes charged for a part that is read again (a scanner falling back)."""
        self.budget.refund_bytes(n)

    def bytes_left(self) -> int:
        return self.budget.bytes_left()

    # -- results -------------------------------------------------------------------------
    def segment(self, location: str, text: str, role: str) -> None:
        """Add a segment (skipped when blank); truncates and stops at the text limit."""
        self.add_segment(Segment(location, text, role))

    def add_segment(self, seg: Segment) -> None:
        """Add ``seg`` as it is (an ``OcrSegment`` keeps its engine and box); blank ones are
        skipped; truncated at the text limit, which then stops the attachment."""
        text = seg.text
        if not text or not text.strip():
            return
        room = self.limits.max_text_chars - self.chars
        if len(text) > room:
            if room > 0:
                self.result.segments.append(replace(seg, text=text[:room]))
            self.chars = self.limits.max_text_chars
            raise LimitReached("max_text_chars", seg.location)
        self.chars += len(text)
        self.result.segments.append(seg)

    def name(self, location: str, name: str) -> None:
        """The name of a file found at ``location`` (an archive member, a mail's attachment)."""
        seg = name_segment(location, name)
        if seg is not None:
            self.segment(seg.location, seg.text, seg.role)

    def encrypted(self, location: str, reason: str, fmt: str) -> None:
        self.result.findings.append(uninspectable("ENCRYPTED_ATTACHMENT", location, reason, fmt))

    def unreadable(self, location: str, reason: str, fmt: str) -> None:
        self.result.findings.append(uninspectable("UNREADABLE_ATTACHMENT", location, reason, fmt))

    def limit(self, location: str, limit: str, fmt: str = "", reason: str = "") -> None:
        text = reason or f"超過{LIMIT_LABELS.get(limit, limit)}，未完整檢查"
        if any(f.location == location and f.detail.get("limit") == limit and f.detail.get("reason") == text
               for f in self.result.findings):  # two readers refusing one part (the docx reader, then extract_rest)
            return
        self.result.findings.append(uninspectable("LIMIT_EXCEEDED", location, text, fmt, limit))

    def not_inspected(self, location: str, reason: str) -> None:
        self.result.not_inspected.append({"location": location, "reason": reason})


class Encrypted(Exception):
    """Raised by an extractor when the content is password-protected (reason in Chinese)."""


class Unreadable(Exception):
    """Raised by an extractor when the content cannot be read (reason in Chinese)."""
