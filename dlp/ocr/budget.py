"""What OCR one message may still cost: pages and OCR seconds (from ``ocr:`` in policy.yaml).

One ``OcrBudget`` is made per message and handed to every OCR call for that message's
attachments. Only time spent inside OCR is charged (extraction of other parts is not); an
optional ``deadline`` (a ``time.monotonic()`` value, e.g. the extraction's own deadline) caps
it further. Checks happen between pages and between stamp regions: an engine call that has
started is not interrupted, so one page can overrun by at most its own OCR time (tesseract
runs in a subprocess and is killed at the remaining time).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from dlp.ocr.settings import OcrSettings

#: Names of the limits, as findings' ``detail.limit`` reports them, and what they mean.
LIMIT_LABELS: dict[str, str] = {
    "ocr.max_pages": "每封訊息文字辨識頁數上限",
    "ocr.max_seconds": "每封訊息文字辨識時間上限",
    "ocr.max_pixels": "影像像素上限",
    "deadline": "附件處理時間上限",
}


class OcrBudget:
    """Pages and seconds left for one message. Thread-safe (a message's parts may be read in parallel)."""

    def __init__(self, settings: OcrSettings | None = None, deadline: float | None = None,
                 clock: Callable[[], float] = time.monotonic):
        self.settings = settings or OcrSettings()
        self.deadline = deadline
        self._clock = clock
        self._lock = threading.Lock()
        self.pages_used = 0
        self.seconds_used = 0.0

    def exhausted(self) -> str | None:
        """The name of the limit already reached, or None while pages and time are left."""
        with self._lock:
            if self.pages_used >= self.settings.max_pages:
                return "ocr.max_pages"
            return self._time_limit()

    def _time_limit(self) -> str | None:
        if self.seconds_used >= self.settings.max_seconds:
            return "ocr.max_seconds"
        if self.deadline is not None and self._clock() >= self.deadline:
            return "deadline"
        return None

    def time_exhausted(self) -> str | None:
        """Like :meth:`exhausted`, for time only (between stamp regions of a page already counted)."""
        with self._lock:
            return self._time_limit()

    def take_page(self) -> str | None:
        """Count one page; returns the limit's name instead when none may be read."""
        with self._lock:
            if self.pages_used >= self.settings.max_pages:
                return "ocr.max_pages"
            limit = self._time_limit()
            if limit is None:
                self.pages_used += 1
            return limit

    def seconds_left(self) -> float:
        with self._lock:
            left = self.settings.max_seconds - self.seconds_used
            if self.deadline is not None:
                left = min(left, self.deadline - self._clock())
            return max(0.0, left)

    def charge(self, seconds: float) -> None:
        with self._lock:
            self.seconds_used += max(0.0, seconds)

    def timer(self) -> _Timer:
        """``with budget.timer(): ...`` charges the time spent inside the block."""
        return _Timer(self)


class _Timer:
    def __init__(self, budget: OcrBudget):
        self._budget = budget
        self._start = 0.0

    def __enter__(self) -> _Timer:
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self._budget.charge(time.perf_counter() - self._start)
