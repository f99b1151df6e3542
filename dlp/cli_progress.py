"""A progress line on the terminal while ``dlp scan`` works through long or many inputs.

Shown only when stderr is a terminal and the output is not ``--json``; it lives on one stderr
line (rewritten in place, the elapsed seconds ticking) and is erased before each report is
printed, so pipes and files never see it.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from typing import TextIO

#: An input at least this large shows progress even when it is the only one.
LONG_INPUT_BYTES = 256 * 1024
_TICK_SECONDS = 0.5
_ERASE = "\r\x1b[K"


def human_size(n: int) -> str:
    for unit in ("B", "KB", "MB"):
        if n < 1024 or unit == "MB":
            return f"{n} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return f"{n} B"  # pragma: no cover


def wanted(stream: TextIO | None, sizes: list[int], json_output: bool) -> bool:
    """Progress is for a person at a terminal, and only when there is something to wait for."""
    if json_output or stream is None or not _isatty(stream):
        return False
    return len(sizes) > 1 or any(size >= LONG_INPUT_BYTES for size in sizes)


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Progress:
    """``with progress.step(i, name, size): scan(...)`` shows "掃描 i/N：name（size）… 3 秒"."""

    def __init__(self, total: int, stream: TextIO | None, enabled: bool):
        self.total = total
        self.stream = stream
        self.enabled = enabled

    @contextlib.contextmanager
    def step(self, index: int, name: str, size: int) -> Iterator[None]:
        if not self.enabled or self.stream is None:
            yield
            return
        label = f"掃描 {index}/{self.total}：{name}（{human_size(size)}）…"
        started = time.monotonic()
        done = threading.Event()
        self._write(label)

        def tick() -> None:
            while not done.wait(_TICK_SECONDS):
                self._write(f"{label} {time.monotonic() - started:.0f} 秒")

        ticker = threading.Thread(target=tick, name="dlp-progress", daemon=True)
        ticker.start()
        try:
            yield
        finally:
            done.set()
            ticker.join()
            self._write("")

    def _write(self, text: str) -> None:
        assert self.stream is not None
        try:
            self.stream.write(_ERASE + text)
            self.stream.flush()
        except (OSError, ValueError):  # the terminal went away: progress is not worth failing for
            self.enabled = False
