"""OCR of pictures and image-only PDF pages, offline: red stamps first, then the page's text.

The entry points extraction calls (see docs/architecture.md, "OCR: where extraction calls it")::

    from dlp.ocr import OcrBudget, ocr_image, ocr_pdf_pages

    budget = OcrBudget(policy.ocr_settings)                 # one per message
    result = ocr_image(data, "attachment:IMG_0042.jpg", budget)
    result = ocr_pdf_pages(data, [2, 3], "attachment:掃描.pdf", budget)
    result.segments   # OcrSegment (a Segment): location ...#ocr / ...#page:N:ocr, role stamp | page
    result.findings   # UNREADABLE_ATTACHMENT / LIMIT_EXCEEDED for what was not read

Importing this package is cheap: Pillow, numpy, OpenCV, onnxruntime and the models are loaded
only when the first picture is read (once per process).
"""

from __future__ import annotations

from dlp.ocr.api import ocr_image, ocr_pdf_pages
from dlp.ocr.budget import OcrBudget
from dlp.ocr.result import OcrResult, OcrSegment
from dlp.ocr.settings import OcrSettings, StampSettings, TesseractSettings

__all__ = [
    "OcrBudget",
    "OcrResult",
    "OcrSegment",
    "OcrSettings",
    "StampSettings",
    "TesseractSettings",
    "ocr_image",
    "ocr_pdf_pages",
]
