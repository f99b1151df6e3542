"""Ordinary images are listed as not inspected (no OCR), without a finding."""

from __future__ import annotations

from dlp.extract.context import Context


def extract_image(ctx: Context, data: bytes, loc: str, depth: int, label: str) -> None:
    ctx.not_inspected(loc, f"影像檔（{label}），未檢查影像內容")
