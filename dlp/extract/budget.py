"""What reading one message may cost, shared by every part of it.

``max_seconds``, ``max_expanded_bytes`` and ``max_text_chars`` bound the *whole message* (the
policy file says so: 每封訊息, 合計, 總字數): one :class:`Budget` is made per message and every
attachment, member and page draws from it. The message's own text (subject, body, headers) is
charged first and never cut, so attachments get what is left.

Long operations call :meth:`Budget.check_time` from inside their loops (a PDF page's operators,
an XML part's elements), not only between parts.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from dlp.extract.limits import LimitReached, Limits


class Budget:
    """Time, expanded bytes and extracted text left for one message."""

    def __init__(self, limits: Limits | None = None, clock: Callable[[], float] = time.monotonic):
        self.limits = limits or Limits()
        self.clock = clock
        self.started = clock()
        self.deadline = self.started + self.limits.max_seconds
        self.chars = 0
        self.expanded = 0
        self.attachment_bytes = 0

    # -- time ------------------------------------------------------------------------------
    def time_left(self) -> float:
        return self.deadline - self.clock()

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Time spent inside the block is not charged (work with a time limit of its own: OCR)."""
        start = self.clock()
        try:
            yield
        finally:
            self.deadline += max(0.0, self.clock() - start)

    def check_time(self, location: str) -> None:
        """Raise :class:`LimitReached` once the message's time is spent."""
        if self.clock() > self.deadline:
            raise LimitReached("max_seconds", location, "超過每封訊息的處理時間上限")

    # -- expanded bytes --------------------------------------------------------------------
    def charge_bytes(self, n: int, location: str) -> None:
        self.expanded += n
        if self.expanded > self.limits.max_expanded_bytes:
            raise LimitReached("max_expanded_bytes", location, "解壓縮後合計大小超過每封訊息的上限")

    def refund_bytes(self, n: int) -> None:
        """Give back bytes charged for a part that is read again (a scanner falling back)."""
        self.expanded = max(0, self.expanded - n)

    def bytes_left(self) -> int:
        return max(0, self.limits.max_expanded_bytes - self.expanded)

    # -- text ------------------------------------------------------------------------------
    def text_left(self) -> int:
        return max(0, self.limits.max_text_chars - self.chars)

    def charge_text(self, n: int) -> None:
        """Count text that is read whole whatever the limit (the message's own subject and body)."""
        self.chars += n

    def spent(self) -> str | None:
        """The limit that is already used up, if any (time first)."""
        if self.clock() > self.deadline:
            return "max_seconds"
        if self.expanded >= self.limits.max_expanded_bytes:
            return "max_expanded_bytes"
        if self.chars >= self.limits.max_text_chars:
            return "max_text_chars"
        return None
