"""Keep the garbage collector off the scanner's long-lived state.

A full collection walks every tracked object: with jieba's dictionary and the packs loaded that
takes 60-85 ms, and it comes every few thousand scans, in the middle of one. Objects alive when
the state is built are moved to the permanent generation (``gc.freeze``) and skipped from then
on. ``Scanner()`` and ``Scanner.reload()`` call this, so library users get it too; the service
and the gateways call it again after their warm-up (jieba loaded).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


def freeze_heap(after_reload: bool = False) -> None:
    """Freeze what is alive now. After a reload the old set is released first (unfreeze,
    collect): frozen cycles are never collected, so an old state would otherwise stay."""
    if after_reload:
        gc.unfreeze()
    gc.collect()
    gc.freeze()


@contextmanager
def paused_collector() -> Iterator[None]:
    """No automatic collection inside the block (the collector's previous state is restored).

    Importing presidio imports spaCy, ~1,000 modules: their objects survive, so the collections
    that their creation triggers (full ones among them, over an ever larger heap) find nothing
    and cost ~0.1 s of a cold start."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
