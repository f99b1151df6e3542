"""Attachment extraction: bytes -> text segments with locations, plus uninspectable findings.

``extract(attachment, limits)`` reads one attachment as deeply as a person opening it would
(containers recursively, headers and footers as their own segments). Anything that cannot be
read becomes a finding; no attachment can raise out of here.
"""

from __future__ import annotations

import logging

from dlp.extract.context import Context, Extraction
from dlp.extract.dispatch import extract_into
from dlp.extract.limits import LimitReached, Limits
from dlp.model import Attachment

__all__ = ["Extraction", "Limits", "extract", "extract_many", "location_of"]

log = logging.getLogger(__name__)


def location_of(attachment: Attachment) -> str:
    name = (attachment.filename or "").replace("#", "＃").strip() or "未命名附件"
    return f"attachment:{name}"


def extract(attachment: Attachment, limits: Limits | None = None) -> Extraction:
    """Extract one attachment; never raises."""
    limits = limits or Limits()
    ctx = Context(limits)
    loc = location_of(attachment)
    content = attachment.content if isinstance(attachment.content, (bytes, bytearray)) else b""
    if len(content) > limits.max_total_bytes:
        ctx.limit(loc, "max_total_bytes", "", f"附件大小 {len(content):,} 位元組超過上限，未檢查")
        return ctx.result
    try:
        extract_into(ctx, bytes(content), loc, 0)
    except LimitReached as exc:
        ctx.limit(exc.location, exc.limit, "", f"{exc.reason}，未完整檢查")
    except Exception as exc:  # defence in depth: dispatch already contains extractor failures
        log.exception("extraction failed for %s", loc)
        ctx.unreadable(loc, "附件處理時發生未預期的錯誤，未完整檢查", "")
        ctx.result.findings[-1].detail["error"] = f"{type(exc).__name__}: {exc}"[:200]
    return ctx.result


def extract_many(attachments: list[Attachment], limits: Limits | None = None) -> Extraction:
    """Extract every attachment of one message, enforcing ``max_total_bytes`` across them."""
    limits = limits or Limits()
    out = Extraction()
    total = 0
    for att in attachments:
        size = len(att.content or b"")
        total += size
        if total > limits.max_total_bytes:
            ctx = Context(limits, out)
            ctx.limit(location_of(att), "max_total_bytes", "", "郵件附件總大小超過上限，本附件未檢查")
            continue
        out.extend(extract(att, limits))
    return out
