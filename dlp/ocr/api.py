"""The two entry points extraction calls: a picture, or pages of a PDF. They never raise.

Each returns an :class:`OcrResult`: ``segments`` to hand to the analyzer with the rest of the
message, and ``findings`` for everything that was not read (OCR off, not installed, failed,
over budget). A picture is never silently skipped: it is either read or a finding.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator

from dlp.ocr.budget import OcrBudget
from dlp.ocr.engine_base import OcrEngine, OcrFailed, OcrUnavailable
from dlp.ocr.result import OcrResult, image_location, limit_exceeded, page_location, unreadable

log = logging.getLogger(__name__)

NOT_READ = "影像內容未檢查"


def ocr_image(data: bytes, location: str, budget: OcrBudget | None = None) -> OcrResult:
    """Read a picture (png, jpeg, gif, bmp, tiff, webp; heic with pillow-heif).

    ``location`` is the picture's own location (``attachment:IMG_0042.jpg``,
    ``attachment:a.docx/word/media/image1.png``); segments get ``#ocr``, or ``#page:N:ocr`` for
    the frames of a multi-page TIFF. ``budget``: the message's (a fresh default one if None).
    """
    budget = budget or OcrBudget()
    where = image_location(location)
    try:
        return _ocr_image(data, location, budget)
    except Exception as exc:  # the contract is "never raises": an unexpected error is a finding
        log.exception("OCR failed for %s", location)
        return OcrResult(findings=[unreadable(where, f"{NOT_READ}（文字辨識時發生未預期的錯誤）",
                                              error=f"{type(exc).__name__}: {exc}"[:200])])


def ocr_pdf_pages(data: bytes, pages: Iterable[int] | None, location: str, budget: OcrBudget | None = None,
                  stamps_only: bool = False) -> OcrResult:
    """Read PDF pages (1-based numbers; None: every page) rendered as pictures.

    ``location`` is the PDF's (``attachment:掃描.pdf``); segments get ``#page:N:ocr``.
    ``stamps_only``: read only the red stamps (a page that has a text layer already, whose
    stamp is part of the scanned picture).
    """
    budget = budget or OcrBudget()
    try:
        return _ocr_pdf(data, pages, location, budget, stamps_only)
    except Exception as exc:
        log.exception("OCR failed for %s", location)
        return OcrResult(findings=[unreadable(page_location(location, 1), f"{NOT_READ}（文字辨識時發生未預期的錯誤）",
                                              error=f"{type(exc).__name__}: {exc}"[:200])])


# -- the work ---------------------------------------------------------------------------------

def _ready(budget: OcrBudget, where: str, what: str) -> tuple[OcrEngine | None, OcrResult]:
    """The engine, or a result holding the finding that says why nothing will be read."""
    settings = budget.settings
    if not settings.enabled:
        return None, OcrResult(findings=[unreadable(where, f"{NOT_READ}（文字辨識已由政策停用）")])
    limit = budget.exhausted()
    if limit:
        return None, OcrResult(findings=[limit_exceeded(where, limit, what=what)])
    try:
        from dlp.ocr.loader import get_engine

        return get_engine(settings), OcrResult()
    except OcrUnavailable as exc:
        return None, OcrResult(findings=[unreadable(where, f"{NOT_READ}（{exc}）", engine=settings.engine)])


def _ocr_image(data: bytes, location: str, budget: OcrBudget) -> OcrResult:
    from dlp.ocr.decode import NotAPicture, TooManyPixels, frame_count, frames, open_picture

    where = image_location(location)
    engine, result = _ready(budget, where, "影像")
    if engine is None:
        return result
    settings = budget.settings
    try:
        picture = open_picture(data, settings.max_pixels)
    except TooManyPixels as exc:
        result.findings.append(limit_exceeded(where, "ocr.max_pixels", pixels=exc.pixels))
        return result
    except NotAPicture as exc:
        result.findings.append(unreadable(where, f"{NOT_READ}（{exc}）"))
        return result
    count = frame_count(picture)

    def locate(n: int) -> str:
        return where if count == 1 else page_location(location, n)

    def pictures() -> Iterator[tuple[int, object]]:
        try:
            for frame in frames(picture, settings.max_side):
                yield frame.number, frame.image
        except NotAPicture as exc:
            raise _Unreadable(str(exc)) from None

    _read_all(pictures, count, locate, engine, budget, result, _describe_frames(count))
    return result


def _ocr_pdf(data: bytes, pages: Iterable[int] | None, location: str, budget: OcrBudget,
             stamps_only: bool) -> OcrResult:
    from dlp.ocr.render import PdfUnreadable, page_count, render_pages

    wanted = sorted(set(pages)) if pages is not None else None
    first = page_location(location, wanted[0] if wanted else 1)
    if wanted == []:
        return OcrResult()
    engine, result = _ready(budget, first, "PDF 頁面")
    if engine is None:
        return result
    settings = budget.settings
    try:
        if wanted is None:
            wanted = list(range(1, page_count(data) + 1))
    except PdfUnreadable as exc:
        result.findings.append(unreadable(first, f"{NOT_READ}（{exc}）"))
        return result

    def pictures() -> Iterator[tuple[int, object]]:
        try:
            yield from render_pages(data, wanted, settings.pdf_dpi, settings.max_pixels, settings.max_side)
        except PdfUnreadable as exc:
            raise _Unreadable(str(exc)) from None

    _read_all(pictures, len(wanted), lambda n: page_location(location, n), engine, budget, result,
              _describe_pages, numbers=wanted, stamps_only=stamps_only)
    return result


class _Unreadable(Exception):
    pass


def _read_all(pictures: Callable[[], Iterator[tuple[int, object]]], count: int, locate: Callable[[int], str],
              engine: OcrEngine, budget: OcrBudget, result: OcrResult, describe: Callable[[list[int]], str],
              numbers: list[int] | None = None, stamps_only: bool = False) -> None:
    """Read pages one by one, charging the budget; whatever is left unread is one finding."""
    from dlp.ocr.page import read_page

    numbers = numbers or list(range(1, count + 1))
    source = pictures()
    for index, expected in enumerate(numbers):
        left = numbers[index:]
        limit = budget.take_page()
        if limit:
            result.findings.append(limit_exceeded(locate(expected), limit, what=describe(left), pages=left))
            return
        try:
            number, image = next(source)
        except StopIteration:
            return
        except _Unreadable as exc:
            result.findings.append(unreadable(locate(expected), f"{NOT_READ}（{exc}）", pages=left))
            return
        result.pages += 1
        try:
            page = read_page(image, engine, budget, locate(number), stamps_only=stamps_only)  # type: ignore[arg-type]
        except OcrFailed as exc:
            result.findings.append(unreadable(locate(number), f"{NOT_READ}（{exc}）", engine=engine.name))
            continue
        result.segments.extend(page.segments)
        result.findings.extend(page.findings)


def _describe_frames(count: int) -> Callable[[list[int]], str]:
    def describe(left: list[int]) -> str:
        return "影像" if count == 1 else f"影像第 {_span(left)} 格"
    return describe


def _describe_pages(left: list[int]) -> str:
    return f"PDF 第 {_span(left)} 頁"


def _span(numbers: list[int]) -> str:
    return f"{numbers[0]}" if len(numbers) == 1 else f"{numbers[0]}–{numbers[-1]}"
