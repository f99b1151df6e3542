"""Prometheus metrics.

With several workers, ``dlp serve`` sets ``PROMETHEUS_MULTIPROC_DIR`` to a fresh directory
before the workers start (prometheus_client's multiprocess mode): every worker writes its
values to files there and ``/metrics`` sums them, whichever worker answers. Without it (tests,
one process) the default in-process registry is used.
"""

from __future__ import annotations

import os
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client import multiprocess as _mp

_LATENCY_BUCKETS = (0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)

REQUESTS = Counter("dlp_requests_total", "HTTP requests answered", ["endpoint", "method", "status"])
REQUEST_LATENCY = Histogram("dlp_request_duration_seconds", "Time to answer a request", ["endpoint"], buckets=_LATENCY_BUCKETS)
SCAN_LATENCY = Histogram("dlp_scan_duration_seconds", "Time spent scanning (CPU part of a request)", ["endpoint"], buckets=_LATENCY_BUCKETS)
DECISIONS = Counter("dlp_decisions_total", "Decisions by action and channel", ["action", "channel"])
FINDINGS = Counter("dlp_findings_total", "Findings by type", ["type"])
ATTACHMENT_ERRORS = Counter("dlp_attachment_errors_total", "Attachments that could not be inspected, by finding type", ["type"])
RELOADS = Counter("dlp_pattern_reloads_total", "Pattern reloads by result", ["result"])
AUDIT_ERRORS = Counter("dlp_audit_errors_total", "Audit records that could not be written")
HISTORY_LEARNS_LOST = Counter("dlp_history_learns_lost_total", "Decisions the destination history could not learn "
                              "(queue_full, write_failed); the decisions themselves were made and audited", ["reason"])
REFUSED = Counter("dlp_admission_refused_total", "Requests refused before scanning (429 per key, 503 saturated)", ["reason", "lane"])
PATTERNS_INFO = Gauge("dlp_patterns_version_info", "Pattern set in force (1 = loaded) per worker", ["version"], multiprocess_mode="liveall")
READY = Gauge("dlp_ready", "1 once packs and jieba are loaded", multiprocess_mode="liveall")

# The mail gateway (``dlp milter``), in its own process; DECISIONS/FINDINGS above count its scans too.
MILTER_ANSWERS = Counter("dlp_milter_answers_total", "Milter answers by action (allow ... block, tempfail, too_big)", ["action"])
MILTER_DECISION_LATENCY = Histogram("dlp_milter_decision_seconds", "End of message to the milter's answer", buckets=_LATENCY_BUCKETS)
MILTER_TEMPFAILS = Counter("dlp_milter_tempfails_total", "451 answers by cause", ["cause"])
MILTER_NOTICES = Counter("dlp_milter_notices_total", "Sender notices by result", ["result"])

_UNINSPECTABLE = ("ENCRYPTED_ATTACHMENT", "UNREADABLE_ATTACHMENT", "LIMIT_EXCEEDED")


def multiprocess_enabled() -> bool:
    return bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))


def render() -> tuple[bytes, str]:
    if multiprocess_enabled():
        registry = CollectorRegistry()
        _mp.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(), CONTENT_TYPE_LATEST


_CHILDREN: dict[tuple[int, tuple[str, ...]], Any] = {}


def child(metric: Any, *labels: str) -> Any:
    """``metric.labels(*labels)``, remembered: prometheus_client checks the values and takes a
    lock on every ``labels`` call, and a request makes five of them (issue 14). The child is the
    same object ``labels`` returns each time (nothing here removes a label set)."""
    key = (id(metric), labels)
    found = _CHILDREN.get(key)
    if found is None:
        found = _CHILDREN[key] = metric.labels(*labels)
    return found


def observe_report(report_dict: dict, channel: str) -> None:
    child(DECISIONS, report_dict["action"], channel).inc()
    counts: dict[str, int] = {t: c["count"] for t, c in (report_dict.get("finding_counts") or {}).items()}
    if not counts:
        for f in report_dict["findings"]:  # one increment per type, not per finding (a big file has thousands)
            counts[f["type"]] = counts.get(f["type"], 0) + 1
    for type_, n in counts.items():
        child(FINDINGS, type_).inc(n)
        if type_ in _UNINSPECTABLE:
            child(ATTACHMENT_ERRORS, type_).inc(n)


def set_patterns_version(old: str | None, new: str) -> None:
    if old and old != new:
        PATTERNS_INFO.labels(old).set(0)
    PATTERNS_INFO.labels(new).set(1)
