"""What OCR hands back to extraction: text segments with where they came from, and findings.

``OcrSegment`` is a :class:`dlp.model.Segment` (the analyzer takes it as is) that also records
the engine, its mean confidence over the segment's lines and where on the page the text was
found. Locations end in ``#ocr`` (an image) or ``#page:N:ocr`` (a PDF page, a TIFF frame).
Roles: ``stamp`` for the text of one red region (a stamp position for the secrecy detector)
and ``page`` for the page's text in reading order (its first and last lines are stamp
positions, like a document's).

Whatever could not be read is a finding, never silence: ``UNREADABLE_ATTACHMENT`` (OCR off,
not installed, failed, image not decodable) or ``LIMIT_EXCEEDED`` (pages, seconds, pixels).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dlp.model import Finding, Segment
from dlp.ocr.budget import LIMIT_LABELS

RULE_UNREADABLE = "ocr.unreadable"
RULE_LIMIT = "ocr.limit"


@dataclass
class OcrSegment(Segment):
    engine: str = ""
    #: Mean recognition confidence (0..1) of the lines in ``text``.
    confidence: float = 0.0
    #: Where on the page (pixels of the image OCR read: left, top, right, bottom).
    box: tuple[int, int, int, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"location": self.location, "role": self.role, "engine": self.engine,
                "confidence": round(self.confidence, 3), "box": list(self.box) if self.box else None}


@dataclass
class OcrResult:
    segments: list[OcrSegment] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    #: Pages actually read (charged to the budget).
    pages: int = 0

    def extend(self, other: OcrResult) -> None:
        self.segments.extend(other.segments)
        self.findings.extend(other.findings)
        self.pages += other.pages


def image_location(location: str) -> str:
    return f"{location}#ocr"


def page_location(location: str, page: int) -> str:
    return f"{location}#page:{page}:ocr"


def _finding(type_: str, rule: str, location: str, reason: str, detail: dict[str, Any]) -> Finding:
    return Finding(kind="uninspectable", type=type_, location=location, start=0, end=0, score=1.0,
                   rule=rule, excerpt=reason[:80], detail={"reason": reason, "format": "ocr", **detail})


def unreadable(location: str, reason: str, **detail: Any) -> Finding:
    """An image whose content was not read (the reason in Traditional Chinese)."""
    return _finding("UNREADABLE_ATTACHMENT", RULE_UNREADABLE, location, reason, detail)


def limit_exceeded(location: str, limit: str, what: str = "影像", **detail: Any) -> Finding:
    """An image (or pages) not read because a budget ran out; ``limit`` names it (``ocr.max_pages``)."""
    reason = f"超過{LIMIT_LABELS.get(limit, limit)}，{what}內容未檢查"
    return _finding("LIMIT_EXCEEDED", RULE_LIMIT, location, reason, {"limit": limit, **detail})
