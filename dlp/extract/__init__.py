"""Attachment extraction: bytes -> text segments with locations, plus uninspectable findings.

``extract(attachment, limits)`` reads one attachment as deeply as a person opening it would
(containers recursively, headers and footers as their own segments). Anything that cannot be
read becomes a finding; no attachment can raise out of here.

``extract_many(attachments, limits, budget, ocr)`` reads all the attachments of one message from
one :class:`~dlp.extract.budget.Budget`: time, expanded bytes and text are limits of the message,
not of each attachment; pictures are read by :mod:`dlp.ocr` from the message's one ``OcrBudget``
(``ocr``; the defaults when None). When a limit stops the work, the ``LIMIT_EXCEEDED`` finding is located at the
part where reading stopped and every attachment not read at all gets a finding of its own.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from dlp.extract.budget import Budget
from dlp.extract.context import Context, Extraction, name_segment
from dlp.extract.dispatch import extract_into
from dlp.extract.images import exempt_signature_image
from dlp.extract.limits import LIMIT_LABELS, LimitReached, Limits
from dlp.extract.sealed import is_detached_signature
from dlp.model import Attachment

if TYPE_CHECKING:
    from dlp.ocr import OcrBudget

__all__ = ["Budget", "Extraction", "Limits", "extract", "extract_many", "location_of", "name_segment"]

log = logging.getLogger(__name__)


def location_of(attachment: Attachment) -> str:
    name = (attachment.filename or "").replace("#", "＃").strip() or "未命名附件"
    return f"attachment:{name}"


def extract(attachment: Attachment, limits: Limits | None = None, budget: Budget | None = None,
            ocr: OcrBudget | None = None) -> Extraction:
    """Extract one attachment; never raises."""
    limits = limits or Limits()
    ctx = Context(limits, budget=budget, ocr=ocr)
    _extract_one(ctx, attachment)
    return ctx.result


def _extract_one(ctx: Context, attachment: Attachment) -> None:
    loc = location_of(attachment)
    limits = ctx.limits
    content = attachment.content if isinstance(attachment.content, (bytes, bytearray)) else b""
    if len(content) > limits.max_total_bytes:
        ctx.limit(loc, "max_total_bytes", "", f"附件大小 {len(content):,} 位元組超過上限，未檢查")
        return
    if exempt_signature_image(ctx, attachment, loc):
        return
    if is_detached_signature(attachment.content_type, bytes(content)):
        ctx.not_inspected(loc, "郵件的數位簽章（不含內容），未檢查")
        return
    try:
        extract_into(ctx, bytes(content), loc, 0)
    except LimitReached as exc:
        where = exc.location if exc.location.startswith(loc) else loc
        ctx.limit(where, exc.limit, "", f"{exc.reason}，{_unread(where, loc)}")
        ctx.result.findings[-1].detail["not_read"] = where
    except Exception as exc:  # defence in depth: dispatch already contains extractor failures
        log.exception("extraction failed for %s", loc)
        ctx.unreadable(loc, "附件處理時發生未預期的錯誤，未完整檢查", "")
        ctx.result.findings[-1].detail["error"] = f"{type(exc).__name__}: {exc}"[:200]


def _unread(where: str, loc: str) -> str:
    """Which part was not read, in words: from this point on, for the rest of the attachment."""
    if where == loc:
        return "本附件未完整檢查"
    return f"自「{where.split(':', 1)[1]}」起的其餘內容未檢查"


def extract_many(attachments: list[Attachment], limits: Limits | None = None, budget: Budget | None = None,
                 ocr: OcrBudget | None = None) -> Extraction:
    """Extract every attachment of one message from one budget (``max_total_bytes`` too) and
    one OCR budget (``ocr``: pages and OCR seconds of the message)."""
    limits = limits or Limits()
    budget = budget or Budget(limits)
    ctx = Context(limits, budget=budget, ocr=ocr)
    for att in attachments:
        loc = location_of(att)
        size = len(att.content or b"")
        budget.attachment_bytes += size
        if budget.attachment_bytes > limits.max_total_bytes:
            ctx.limit(loc, "max_total_bytes", "", "郵件附件總大小超過上限，本附件未檢查")
            ctx.result.findings[-1].detail["not_read"] = loc
            continue
        spent = budget.spent()
        if spent is not None:
            label = LIMIT_LABELS.get(spent, spent)
            ctx.limit(loc, spent, "", f"本訊息已達{label}，本附件未檢查")
            ctx.result.findings[-1].detail["not_read"] = loc
            continue
        _extract_one(ctx, att)
    return ctx.result
