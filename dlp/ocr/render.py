"""PDF pages -> pictures, with pypdfium2 (PDFium, the PDF engine of Chromium; wheels bundle it).

Rendering the whole page (rather than pulling out its image XObjects) reads exactly what a
person sees: a scan split into strips, a stamp drawn as vector art over a scan, a page rotated
by /Rotate. PDFium is not thread-safe, so every call holds one process-wide lock.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

from PIL import Image

_pdfium_lock = threading.Lock()


class PdfUnreadable(Exception):
    """PDFium cannot open the document or a page (the reason in Chinese)."""


def page_count(data: bytes) -> int:
    with _pdfium_lock:
        pdf = _open(data)
        try:
            return len(pdf)
        finally:
            pdf.close()


def render_pages(data: bytes, pages: list[int], dpi: int, max_pixels: int, max_side: int) -> Iterator[tuple[int, Image.Image]]:
    """``(page number, RGB picture)`` for each 1-based page in ``pages``, in that order.

    The scale is reduced for a page whose size at ``dpi`` would exceed ``max_pixels`` or
    ``max_side`` (a poster-sized MediaBox cannot make a huge bitmap).
    """
    import pypdfium2 as pdfium

    for number in pages:
        with _pdfium_lock:
            pdf = _open(data)
            try:
                if not 1 <= number <= len(pdf):
                    raise PdfUnreadable(f"PDF 沒有第 {number} 頁")
                page = pdf[number - 1]
                try:
                    width, height = page.get_size()  # points
                    scale = dpi / 72
                    if width <= 0 or height <= 0:
                        raise PdfUnreadable(f"PDF 第 {number} 頁大小無效")
                    scale = min(scale, max_side / max(width, height), (max_pixels / (width * height)) ** 0.5)
                    bitmap = page.render(scale=scale)
                    image = bitmap.to_pil().convert("RGB")
                    bitmap.close()
                except pdfium.PdfiumError as exc:
                    raise PdfUnreadable(f"PDF 第 {number} 頁無法轉為影像（{exc}）") from None
                finally:
                    page.close()
            finally:
                pdf.close()
        yield number, image


def _open(data: bytes):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise PdfUnreadable(f"PDF 無法開啟（{exc}）") from None
