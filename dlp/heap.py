"""Keep the garbage collector off the scanner's long-lived state.

A full collection walks every tracked object: with jieba's dictionary and the packs loaded that
takes 60-85 ms, and it comes every few thousand scans, in the middle of one. Objects alive when
the state is built are moved to the permanent generation (``gc.freeze``) and skipped from then
on. ``Scanner()`` and ``Scanner.reload()`` call this, so library users get it too; the service
and the gateways call it again after their warm-up (jieba loaded).
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

#: Whether this process has frozen its heap before (``freeze_heap``).
_frozen_before = False


def freeze_heap(after_reload: bool = False) -> None:
    """Freeze what is alive now. After a reload the old set is released first (unfreeze,
    collect): frozen cycles are never collected, so an old state would otherwise stay.

    The first freeze of a process does not collect first, as CPython's documentation of
    ``gc.freeze`` has it before a fork: a full collection then walks every object the imports
    and the packs made (~80 ms of every start-up) and finds next to nothing (20 objects for a
    fresh ``Scanner()``: the imports ran with the collector paused, ``paused_collector``). What
    garbage there is stays frozen, once; every later freeze of the process collects first."""
    global _frozen_before
    if after_reload:
        gc.unfreeze()
    if _frozen_before or after_reload:
        gc.collect()
    _frozen_before = True
    gc.freeze()


@contextmanager
def paused_collector() -> Iterator[None]:
    """No automatic collection inside the block (the collector's previous state is restored).

    Importing presidio imports spaCy, ~1,000 modules: their objects survive, so the collections
    that their creation triggers (full ones among them, over an ever larger heap) find nothing
    and cost ~0.1 s of a cold start. The same count as the scans' (:data:`scan_pause`): a reload
    in one thread and scans in others turn the collector back on only when the last one ends."""
    with scan_pause():
        yield


#: While scans overlap without a break, the collector still runs once this often (seconds).
MAX_PAUSE_SECONDS = 1.0


class ScanPause:
    """No automatic collection while any scan runs, in any thread.

    A scan creates thousands of short-lived objects (candidates, proposals, windows) and almost
    no cycles (~50 collectable objects per 200 KB roster): the young collections they trigger,
    and the full ones their survivors bring on, find next to nothing and cost a dense roster
    ~5 % of its time. ``gc.disable`` is process-wide, so a count of the scans in flight decides:
    the first one in turns the collector off (if it was on), the last one out turns it back on,
    and when scans overlap without a break for ``MAX_PAUSE_SECONDS`` one of them collects once
    so that cyclic garbage stays bounded. A collector someone else turned off stays off."""

    def __init__(self, max_pause_seconds: float = MAX_PAUSE_SECONDS) -> None:
        self.max_pause_seconds = max_pause_seconds
        self._lock = threading.Lock()
        self._in_flight = 0
        self._paused = False  # we turned it off, and turn it back on
        self._since = 0.0
        #: Collections made while paused (tests, diagnostics).
        self.forced_collections = 0

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            if self._in_flight == 0 and gc.isenabled():
                gc.disable()
                self._paused, self._since = True, time.monotonic()
            self._in_flight += 1
        try:
            yield
        finally:
            collect = False
            with self._lock:
                self._in_flight -= 1
                if self._in_flight == 0 and self._paused:
                    self._paused = False
                    gc.enable()
                elif self._paused and time.monotonic() - self._since > self.max_pause_seconds:
                    self._since, collect = time.monotonic(), True
                    self.forced_collections += 1
            if collect:
                gc.collect()


#: The one pause every scan of this process shares (``dlp.engine.Analyzer.analyze``).
scan_pause = ScanPause()
