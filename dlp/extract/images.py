"""Images: until OCR exists, an image is content that was not read, so it is a finding.

An image (one that Pillow decodes: :func:`dlp.extract.sniff.decode_image`) is an
``UNREADABLE_ATTACHMENT`` finding whose reason says 「影像內容未檢查」, decided by the policy's
uninspectable row. The one exemption: an inline image of a mail (a signature logo shown in the
body) no larger than ``signature_image_max_bytes`` that decodes as an image is listed in the
report's ``not_inspected`` instead.
"""

from __future__ import annotations

from dlp.extract.context import Context
from dlp.model import Attachment

IMAGE_NOT_READ = "影像內容未檢查"


def extract_image(ctx: Context, data: bytes, loc: str, depth: int, label: str) -> None:
    ctx.unreadable(loc, f"{IMAGE_NOT_READ}（{label} 影像，{len(data):,} 位元組）", label)


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
