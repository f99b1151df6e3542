"""Images: read by OCR (:mod:`dlp.ocr`), or a finding saying why they were not.

An image (one that Pillow decodes: :func:`dlp.extract.sniff.decode_image`) is handed to
:func:`dlp.ocr.ocr_image` with the message's ``OcrBudget``: its red stamps and its text become
segments at ``<loc>#ocr`` (``#page:N:ocr`` for a TIFF's frames), and what OCR could not read
(OCR disabled, not installed, failed, over the ``ocr:`` limits) is an ``UNREADABLE_ATTACHMENT``
or ``LIMIT_EXCEEDED`` finding whose reason says 「影像內容未檢查」 or which limit. The one
exemption, applied before any OCR: an inline image of a mail (a signature logo shown in the
body) no larger than ``signature_image_max_bytes`` that decodes as an image is listed in the
report's ``not_inspected`` instead.
"""

from __future__ import annotations

from dlp.extract.context import Context
from dlp.model import Attachment


def extract_image(ctx: Context, data: bytes, loc: str, depth: int, label: str) -> None:
    read_picture(ctx, data, loc)


def read_picture(ctx: Context, data: bytes, loc: str) -> None:
    """OCR one picture found at ``loc`` (an attachment, a document's ``word/media/image1.png``)."""
    from dlp.ocr import ocr_image

    ctx.check_time(loc)
    with ctx.ocr_time():
        result = ocr_image(data, loc, ctx.ocr_budget())
    ctx.add_ocr(result)


def read_media(ctx: Context, data: bytes, loc: str, depth: int) -> None:
    """A document's picture part (``word/media/…``, ODF ``Pictures/…``): OCR when it is, or
    claims to be, an image (an undecodable one becomes OCR's finding); else read like a file
    (SVG, an embedded object stored among the media)."""
    from dlp.extract.dispatch import extract_into
    from dlp.extract.sniff import sniff

    if sniff(data).name in ("image", "unknown"):
        read_picture(ctx, data, loc)
    else:
        extract_into(ctx, data, loc, depth + 1)


def read_pdf_pages(ctx: Context, data: bytes, pages: list[int], loc: str, stamps_only: bool = False) -> None:
    """OCR pages of the PDF at ``loc`` (1-based), in one call: ``#page:N:ocr`` segments."""
    from dlp.ocr import ocr_pdf_pages

    if not pages:
        return
    ctx.check_time(loc)
    with ctx.ocr_time():
        result = ocr_pdf_pages(data, pages, loc, ctx.ocr_budget(), stamps_only=stamps_only)
    ctx.add_ocr(result)


def exempt_signature_image(ctx: Context, attachment: Attachment, loc: str) -> bool:
    """List a small inline mail image as not inspected (policy exemption); True when it was."""
    limit = ctx.limits.signature_image_max_bytes
    content = attachment.content or b""
    if not attachment.inline or len(content) > limit:
        return False
    from dlp.extract.polyglot import embedded_zips
    from dlp.extract.sniff import decode_image

    fmt = decode_image(content)
    if fmt is None or embedded_zips(content):
        return False
    ctx.not_inspected(loc, f"郵件內嵌小圖（{fmt}，{len(content):,} 位元組，不超過 {limit:,} 位元組），依政策免檢查影像內容")
    return True
