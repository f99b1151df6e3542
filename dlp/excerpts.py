"""Excerpts: a line of context around a finding, never showing a personal-data value."""

from __future__ import annotations

import bisect

import numpy as np

from dlp.model import Finding


def default_excerpt_mask(value: str, type_: str, rule: str) -> str:
    """Mask a value for an excerpt: keep a little of each end, never the whole value."""
    n = len(value)
    if n <= 2:
        return value[:1] + "*" * (n - 1)
    keep = 1 if n <= 6 else 3 if n >= 10 else 2
    return value[:keep] + "*" * (n - 2 * keep) + value[n - keep:]


def excerpt(
    text: str, start: int, end: int, personal: list[Finding], masked: dict[int, str], reach: int, width: int = 12,
    starts: list[int] | None = None,
) -> str:
    """A line of context around [start, end), personal-data values masked (cut ones fully).

    ``personal`` is sorted by start; ``reach`` is the length of its longest span, so that a
    value starting before the window but reaching into it is found too. ``starts``: the starts
    of ``personal`` (given once for many excerpts of one text, instead of a key per step).
    """
    lo = max(0, start - width)
    hi = min(len(text), end + width)
    pieces: list[str] = []
    pos = lo
    if starts is None:
        starts = [f.start for f in personal]
    first = bisect.bisect_left(starts, lo - reach)
    stop = bisect.bisect_left(starts, hi, first)
    for f in personal[first:stop]:
        if f.end <= pos or f.start >= hi:
            continue
        if f.start >= pos and f.end <= hi:
            pieces.append(text[pos:f.start])
            pieces.append(masked[id(f)])
            pos = f.end
        else:  # cut by the window edge, or overlapping another: hide what is visible of it
            s, e = max(f.start, pos), min(f.end, hi)
            pieces.append(text[pos:s])
            pieces.append("*" * (e - s))
            pos = e
    pieces.append(text[pos:hi])
    return " ".join("".join(pieces).split())


def excerpts_in_order(
    text: str, spans: list[tuple[int, int]], personal: list[Finding], masked: dict[int, str], width: int = 12,
) -> list[str]:
    """``excerpt`` of each span of one text in one pass. ``spans`` sorted by start, ``personal``
    as for ``excerpt``: the values before the first one that ends inside a window all end before
    it (the running maximum of their ends says so), and that first one only moves forward — no
    bisection and no call per excerpt. The same strings as ``excerpt`` gives for each span
    (``tests/test_speed_hot_path.py``)."""
    n = len(text)
    count = len(personal)
    starts = [f.start for f in personal]
    ends = [f.end for f in personal]
    keys = [id(f) for f in personal]
    reach_until: list[int] = []  # the furthest end of the values up to each one
    furthest = 0
    for fe in ends:
        if fe > furthest:
            furthest = fe
        reach_until.append(furthest)
    out: list[str] = []
    first = 0
    for start, end in spans:
        lo = start - width if start > width else 0
        hi = end + width if end + width < n else n
        while first < count and reach_until[first] <= lo:
            first += 1
        pos = lo
        line = ""  # short pieces: concatenation is cheaper than a list and a join
        i = first
        while i < count:
            fs = starts[i]
            if fs >= hi:
                break
            fe = ends[i]
            if fe > pos:
                if fs >= pos and fe <= hi:
                    line += text[pos:fs]
                    line += masked[keys[i]]
                    pos = fe
                else:  # cut by the window edge, or overlapping another: hide what is visible of it
                    s = fs if fs > pos else pos
                    e = fe if fe < hi else hi
                    line += text[pos:s]
                    line += "*" * (e - s)
                    pos = e
            i += 1
        line += text[pos:hi]
        out.append(" ".join(line.split()))
    return out


def shown_values(text: str, spans: list[tuple[int, int]], personal: list[Finding], width: int = 12) -> list[Finding]:
    """The values of ``personal`` that lie wholly inside the window of some span (``spans`` sorted
    by start; the windows of ``excerpts_in_order``): the only ones whose masks an excerpt shows
    (a value a window cuts is starred), every span's own value among them. A value lies in some
    window when the furthest end of the windows that start at or before it reaches its end:
    one search over the windows' starts for all the values at once."""
    if not spans or not personal:
        return []
    n = len(text)
    span_array = np.array(spans, dtype=np.int64)
    lo = np.maximum(span_array[:, 0] - width, 0)  # (start - width if start > width else 0)
    furthest = np.maximum.accumulate(np.minimum(span_array[:, 1] + width, n))
    starts = np.array([f.start for f in personal], dtype=np.int64)
    ends = np.array([f.end for f in personal], dtype=np.int64)
    window = np.searchsorted(lo, starts, side="right") - 1  # the last window starting at or before it
    inside = (window >= 0) & (furthest[np.maximum(window, 0)] >= ends)
    return [personal[i] for i in np.flatnonzero(inside).tolist()]


def default_masks(text: str, personal: list[Finding]) -> list[str]:
    """``default_excerpt_mask`` of each value of ``personal`` in ``text``, computed in one loop
    (no call per value: a roster has thousands)."""
    out: list[str] = []
    append = out.append
    for f in personal:
        value = text[f.start:f.end]
        n = len(value)
        if n <= 2:
            append(value[:1] + "*" * (n - 1))
        else:
            keep = 1 if n <= 6 else 3 if n >= 10 else 2
            append(value[:keep] + "*" * (n - 2 * keep) + value[n - keep:])
    return out


def masked_copy(text: str, personal: list[Finding], masks: list[str]) -> str | None:
    """``text`` with each value of ``personal`` (sorted as for ``excerpt``) replaced by its mask
    (``masks``, in the same order), or None when two values overlap, one lies outside the text
    or a mask is not as long as its value: then no copy has every value at its own offsets."""
    pieces: list[str] = []
    pos = 0
    for f, mask in zip(personal, masks):
        fs, fe = f.start, f.end
        if fs < pos or fe - fs != len(mask):
            return None
        pieces.append(text[pos:fs])
        pieces.append(mask)
        pos = fe
    if pos > len(text):
        return None
    pieces.append(text[pos:])
    return "".join(pieces)


def excerpts_with_masks(
    text: str, spans: list[tuple[int, int]], personal: list[Finding], masks: list[str], width: int = 12,
) -> list[str]:
    """``excerpts_in_order`` with the masks given as a list in the order of ``personal``. Where
    the values do not overlap and each mask keeps its value's length (the usual case: every
    style of :mod:`dlp.redact` and ``default_excerpt_mask`` do), an excerpt is a slice of one
    masked copy of the text, with the values its window cuts starred: no loop over the values
    of each window (``tests/test_speed_glue.py`` compares the two)."""
    copy = masked_copy(text, personal, masks)
    if copy is None:
        return excerpts_in_order(text, spans, personal, {id(f): m for f, m in zip(personal, masks)}, width)
    n = len(copy)
    count = len(personal)
    starts = [f.start for f in personal]
    ends = [f.end for f in personal]
    find = bisect.bisect_left
    out: list[str] = []
    first = 0  # the first value that ends after the window's start (spans come by start)
    for start, end in spans:
        lo = start - width if start > width else 0
        hi = end + width if end + width < n else n
        while first < count and ends[first] <= lo:
            first += 1
        if hi <= lo:
            out.append("")
            continue
        if first < count and starts[first] < lo:  # a value the window's start cuts: starred
            cut_end = ends[first]
            if cut_end >= hi:
                out.append("*" * (hi - lo))
                continue
            head, pos = "*" * (cut_end - lo), cut_end
        else:
            head, pos = "", lo
        last = find(starts, hi, first) - 1  # the last value starting inside the window
        if last >= first and ends[last] > hi and starts[last] >= pos:  # cut by the window's end
            line = head + copy[pos:starts[last]] + "*" * (hi - starts[last])
        else:
            line = head + copy[pos:hi]
        out.append(" ".join(line.split()))
    return out
