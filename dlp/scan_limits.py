"""How much analysis one message may cost, and what a report lists when it finds a lot.

``scan_limits:`` in policy.yaml (every key optional)::

    scan_limits:
      body_seconds: 10            # analysis of the body
      message_seconds: 20         # analysis of the whole message (subject, body, attachments)
      regex_timeout_seconds: 1    # one regular-expression call (a rule that backtracks)
      max_findings: 1000          # findings listed in a report (counts stay exact)
      max_findings_analyzed: 100000   # findings one message may produce at all (memory, time)

The clock starts when the scan does. When it runs out mid-text, detection stops, keeps what it
found and adds a ``LIMIT_EXCEEDED`` finding naming what was not read, so the policy decides on
*that* (never an allow of unread text). Detection may use half of the time: turning what it
found into findings and deciding takes time in proportion to how much it found. A
regular-expression call that runs past its timeout stops that rule on that stretch of text, and
a message that yields ``max_findings_analyzed`` findings stops there, each with the same kind
of finding.

Beyond ``max_findings`` the report lists the findings that matter most (uninspectable parts,
markings, then personal data in order) and says ``truncated: true``; ``finding_counts`` keeps
the exact count and distinct-value count of every type, and the decision is made on all of them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from typing import Any

from dlp.model import Finding

#: What each limit is, in the words a finding's reason uses.
LIMIT_LABELS: dict[str, str] = {
    "body_seconds": "內文分析時間上限",
    "message_seconds": "整封訊息分析時間上限",
    "regex_timeout_seconds": "單一規則比對時間上限",
    "max_findings_analyzed": "單一訊息的發現數上限",
    "detector_error": "偵測程式錯誤",
}
#: Share of a segment's time the detectors may use; the rest is for what they found.
DETECTION_SHARE = 0.5
RULE_ID = "scan.limit"


@dataclass(frozen=True)
class ScanLimits:
    body_seconds: float = 10.0
    message_seconds: float = 20.0
    regex_timeout_seconds: float = 1.0
    max_findings: int = 1000
    max_findings_analyzed: int = 100_000

    @classmethod
    def from_mapping(cls, values: dict[str, Any]) -> ScanLimits:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in known})


class AnalysisStopped(Exception):
    """Raised inside a detector when a limit is reached (already recorded on the context)."""


@dataclass
class Stop:
    """Where analysis of a segment stopped short: which stage, which rule, from which offset."""

    stage: str  # "prefilter", a detector's engine, or "segment" (never started)
    limit: str  # a key of LIMIT_LABELS
    at: int  # offset in the folded text from which this stage did not read
    rule: str | None = None


class Clock:
    """The deadline of one segment's analysis, and the timeout for one regex call within it."""

    def __init__(self, end: float, limit: str, regex_timeout: float, now: Callable[[], float] = time.monotonic,
                 budget: Budget | None = None):
        self.end = end
        self.limit = limit
        self.regex_timeout_seconds = regex_timeout
        self._now = now
        self.budget = budget

    def room(self) -> int:
        """How many more findings the message may produce."""
        if self.budget is None:
            return 1 << 62
        return self.budget.limits.max_findings_analyzed - self.budget.found

    def count(self, n: int) -> None:
        if self.budget is not None:
            self.budget.found += n

    def count_one(self) -> bool:
        """``count(1)``, and whether the message may still produce findings (``room() > 0``)."""
        budget = self.budget
        if budget is None:
            return True
        budget.found += 1
        return budget.limits.max_findings_analyzed - budget.found > 0

    def expired(self) -> bool:
        return self._now() >= self.end

    def remaining(self) -> float:
        return self.end - self._now()

    def regex_timeout(self) -> float:
        """Seconds one regex call may take: the rule's backstop, or what is left if less."""
        return max(0.001, min(self.regex_timeout_seconds, self.remaining()))

    def fraction(self, share: float) -> float:
        """A deadline ``share`` of the way from now to the end (for a stage that must leave time)."""
        now = self._now()
        return now + max(0.0, self.end - now) * share


class Budget:
    """The clock of one scan: a deadline for the message, a shorter one for its body."""

    def __init__(self, limits: ScanLimits, now: Callable[[], float] = time.monotonic):
        self.limits = limits
        self._now = now
        self.started = now()
        self.message_end = self.started + limits.message_seconds
        #: findings produced so far by this message's detectors
        self.found = 0

    def clock(self, role: str) -> Clock:
        """The clock of the next segment's detectors (the body has its own, shorter limit)."""
        now = self._now()
        if role == "body":
            end = min(self.message_end, now + self.limits.body_seconds)
            limit = "body_seconds" if end < self.message_end else "message_seconds"
        else:
            end, limit = self.message_end, "message_seconds"
        detect_end = now + max(0.0, end - now) * DETECTION_SHARE
        return Clock(detect_end, limit, self.limits.regex_timeout_seconds, self._now, self)

    def expired(self) -> bool:
        return self._now() >= self.message_end


def limit_finding(location: str, start: int, end: int, stops: list[Stop], to_original: Callable[[int], int]) -> Finding:
    """The ``LIMIT_EXCEEDED`` finding for a segment whose analysis stopped short."""
    first = min(stops, key=lambda s: s.at)
    label = LIMIT_LABELS.get(first.limit, first.limit)
    begin = to_original(first.at) if first.at > start else start
    if first.limit == "detector_error":
        reason = f"{_stage_name(first)}發生錯誤，這部分未完成分析"
    elif first.stage == "segment":
        reason = f"超過{label}，這部分未分析"
    elif begin <= start:
        reason = f"超過{label}，未完成分析（{_stage_name(first)}未讀完）"
    else:
        reason = f"超過{label}，自第 {begin} 字起未完成分析"
    detail = {
        "reason": reason,
        "limit": first.limit,
        "unread_from": begin,
        "stopped": [{"stage": s.stage, "rule": s.rule, "at": to_original(s.at) if s.at > start else start, "limit": s.limit}
                    for s in stops[:20]],
    }
    return Finding(kind="uninspectable", type="LIMIT_EXCEEDED", location=location, start=begin, end=end, score=1.0,
                   rule=RULE_ID, excerpt=reason[:80], detail=detail)


def _stage_name(stop: Stop) -> str:
    return f"規則 {stop.rule} " if stop.rule else f"{stop.stage} 偵測"


# -- listing and counting ------------------------------------------------------------------------

_KIND_ORDER = {"uninspectable": 0, "secrecy": 1, "official": 3, "personal_data": 5}
#: special categories, then identifiers, before contact data
_TYPE_FIRST = {"HEALTH_DATA": 2, "CRIMINAL_RECORD": 2, **{t: 4 for t in (
    "TW_NATIONAL_ID", "TW_RESIDENT_ID", "TW_PASSPORT", "TW_NHI_NUMBER", "CREDIT_CARD", "TW_BANK_ACCOUNT")}}


def listing_rank(f: Finding) -> int:
    """Which findings a capped report keeps first: lower ranks first, ties in scan order."""
    rank = _TYPE_FIRST.get(f.type, _KIND_ORDER.get(f.kind, 5))
    return rank + (10 if f.shadow else 0)  # shadow findings after every enforced one


def select_listed(findings: list[Finding], limit: int) -> list[Finding]:
    """At most ``limit`` findings, the most important first kept, in their original order."""
    if len(findings) <= limit:
        return list(findings)
    kinds, first = _KIND_ORDER, _TYPE_FIRST  # listing_rank of each, without a call per finding
    ranks = [first.get(f.type, kinds.get(f.kind, 5)) + (10 if f.shadow else 0) for f in findings]
    order = sorted(range(len(findings)), key=ranks.__getitem__)[:limit]  # stable: ties in scan order
    return [findings[i] for i in sorted(order)]


def finding_counts(findings: Iterable[Finding], distinct_key: Callable[[Finding], str]) -> dict[str, dict[str, int]]:
    """Per type: how many findings and how many distinct values (what the bulk rules count)."""
    counts: dict[str, int] = {}
    values: dict[str, set[str]] = {}
    for f in findings:
        t = f.type
        seen = values.get(t)
        if seen is None:  # (not ``setdefault``: no new set per finding)
            seen = values[t] = set()
            counts[t] = 1
        else:
            counts[t] += 1
        seen.add(distinct_key(f))
    return {t: {"count": n, "distinct": len(values[t])} for t, n in counts.items()}


__all__ = ["DETECTION_SHARE", "LIMIT_LABELS", "AnalysisStopped", "Budget", "Clock", "ScanLimits", "Stop", "finding_counts",
           "limit_finding", "listing_rank", "select_listed"]
