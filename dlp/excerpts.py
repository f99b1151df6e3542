"""Excerpts: a line of context around a finding, never showing a personal-data value."""

from __future__ import annotations

import bisect

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
