"""Message-level checks on candidates: overlaps between findings and required neighbours.

All of it is linear in the number of candidates (plus small clusters), so a dense roster with
thousands of findings stays fast.
"""

from __future__ import annotations

import bisect
import operator
from collections.abc import Iterable
from typing import Any

from dlp.recognizers.base import Candidate


def missing_requirement(
    cand: Candidate, kept: list[Candidate], present: set[str], in_subject: set[str], reach: int
) -> str:
    """Why a candidate's ``requires_any_of`` is not met ("" when it is).

    ``kept`` is the segment's candidates sorted by start; ``reach`` the length of the longest.
    """
    if not cand.requires_any_of:
        return ""
    wanted = set(cand.requires_any_of)
    if not present & wanted:
        return "no " + "/".join(cand.requires_any_of) + " in the same message"
    if cand.requires_window <= 0 or in_subject & wanted:
        return ""
    lo, hi = cand.start - cand.requires_window, cand.end + cand.requires_window
    # ``kept`` is sorted by start; only candidates starting before ``hi`` can be near.
    stop = bisect.bisect_left(kept, hi, key=lambda c: c.start)
    first = bisect.bisect_left(kept, lo - reach, 0, stop, key=lambda c: c.start)
    for other in kept[first:stop]:
        if other.type in wanted and not other.requires_any_of and other.end > lo:
            return ""
    return "no " + "/".join(cand.requires_any_of) + f" within {cand.requires_window} characters"


_START = operator.attrgetter("start")
_END = operator.attrgetter("end")


def by_start_longest_first(items: Iterable[Any]) -> list[Any]:
    """``sorted(items, key=lambda x: (x.start, -x.end))`` — the same order, ties kept as they came —
    by two stable sorts on C-speed keys (0.8 instead of 1.2 ms for a roster's 5,000)."""
    ordered = sorted(items, key=_END, reverse=True)
    ordered.sort(key=_START)
    return ordered


def _clusters(cands: list[Candidate]) -> list[list[Candidate]]:
    """Groups of candidates whose spans overlap, transitively (sweep by start)."""
    groups: list[list[Candidate]] = []
    reach = -1
    for c in by_start_longest_first(cands):
        if groups and c.start < reach:
            groups[-1].append(c)
            reach = max(reach, c.end)
        else:
            groups.append([c])
            reach = c.end
    return groups


def _resolve_same_type_overlaps(groups: list[list[Candidate]]) -> list[Candidate]:
    """Two overlapping findings of one type are one thing: keep the higher score, then the longer."""
    kept: list[Candidate] = []
    for group in groups:
        if len(group) == 1:
            kept.extend(group)
            continue
        chosen: list[Candidate] = []
        for c in sorted(group, key=lambda c: (-c.score, -(c.end - c.start), c.start)):
            rival = next((k for k in chosen if k.type == c.type and k.start < c.end and c.start < k.end), None)
            if rival is None:
                chosen.append(c)
            else:
                c.accepted = False
                c.why = (c.why + "; " if c.why else "") + f"discarded: overlaps a better {c.type} ({rival.rule})"
        kept.extend(chosen)
    return kept


def drop_contained(cands: list[Candidate]) -> list[Candidate]:
    """A personal-data candidate inside a longer one of another type with no lower score goes.

    (An ID-shaped run inside a bank account number, a phone inside a longer digit string.)
    """
    ordered = by_start_longest_first(cands)
    reach = -1
    for c in ordered:  # nothing overlaps (most texts): nothing to drop, and no group per candidate
        if c.start < reach:
            break
        reach = c.end
    else:
        return ordered
    groups = _clusters(ordered)
    out: list[Candidate] = []
    for group in _clusters(_resolve_same_type_overlaps(groups)):
        if len(group) == 1:
            out.append(group[0])
            continue
        for c in group:
            container = next(
                (
                    o for o in group
                    if o is not c and o.kind == c.kind == "personal_data" and o.type != c.type
                    and o.start <= c.start and c.end <= o.end and (o.end - o.start) > (c.end - c.start)
                    and o.score >= c.score
                ),
                None,
            )
            if container is None:
                out.append(c)
            else:
                c.accepted = False
                c.why = (c.why + "; " if c.why else "") + f"discarded: inside a {container.type} ({container.rule})"
    return out
