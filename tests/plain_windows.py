"""The prefilter's windows as the scan once made them, one run at a time (before
``prefilter._run_windows``): the plain definitions the speed tests compare the array passes with."""

from __future__ import annotations

from dlp.prefilter import _merge


def _windows(rule_runs: list[list[int]], to_char: dict[int, int], reach: int, n: int) -> list[tuple[int, int]]:
    """``_flat_windows`` of runs given as [first, last] pairs."""
    return _flat_windows([b for run in rule_runs for b in run], to_char, reach, n)


def _flat_windows(rule_runs: list[int], to_char: dict[int, int], reach: int, n: int) -> list[tuple[int, int]]:
    """The merged character windows of one rule's runs of hits (a flat list: first, last, first,
    last, ... byte offsets): each run widened by ``reach`` on both sides, within the text, and
    merged where they touch — in one loop while the runs come in order (they do: hyperscan
    reports by end offset), else by :func:`_merge`."""
    merged: list[tuple[int, int]] = []
    top_lo = 0
    top_hi = -1
    it = iter(rule_runs)
    for first, last in zip(it, it):
        lo = to_char[first] - reach - 1
        hi = to_char[last] + reach + 1
        if lo < 0:
            lo = 0
        if hi > n:
            hi = n
        if lo < top_lo:  # out of order: sort and merge
            it = iter(rule_runs)
            return _merge([(max(0, to_char[f] - reach - 1), min(n, to_char[e] + reach + 1)) for f, e in zip(it, it)])
        if lo <= top_hi:
            if hi > top_hi:
                top_hi = hi
                merged[-1] = (top_lo, hi)
        else:
            top_lo, top_hi = lo, hi
            merged.append((lo, hi))
    return merged
