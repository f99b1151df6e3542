"""Keep the garbage collector off the scanner's long-lived state.

A full collection walks every tracked object: with jieba's dictionary and the packs loaded that
takes 60-85 ms, and it comes every few thousand scans, in the middle of one. Objects alive when
the state is built are moved to the permanent generation (``gc.freeze``) and skipped from then
on. ``Scanner()`` and ``Scanner.reload()`` call this, so library users get it too; the service
and the gateways call it again after their warm-up (jieba loaded).
"""

from __future__ import annotations

import gc


def freeze_heap(after_reload: bool = False) -> None:
    """Freeze what is alive now. After a reload the old set is released first (unfreeze,
    collect): frozen cycles are never collected, so an old state would otherwise stay."""
    if after_reload:
        gc.unfreeze()
    gc.collect()
    gc.freeze()
