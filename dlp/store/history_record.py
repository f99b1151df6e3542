"""What the misdirection guard adds to a decision's audit record and to the shadow-hit table.

Called from ``dlp.store.recorder`` (one line each), kept here so the recorder stays the
console's. The audit record gets the signals without any destination (the record already has
the masked recipients and the hashed conversation): rule, signal, mode, action, column, the
evidence codes and the domains involved (domains are not personal).
"""

from __future__ import annotations

from typing import Any

from dlp.model import action_rank


def misdirection_audit(report: Any) -> dict[str, Any]:
    block = getattr(report, "misdirection", None)
    if not isinstance(block, dict):
        return {}
    signals = []
    for s in block.get("signals") or []:
        entry = {k: s[k] for k in ("rule", "signal", "mode", "action", "column") if k in s}
        entry["evidence"] = [e.get("code") for e in s.get("evidence") or []]
        for k in ("domain", "similar_to"):
            if s.get(k):
                entry[k] = s[k]
        signals.append(entry)
    return {"misdirection": {"history": block.get("history"), "signals": signals}}


def misdirection_shadow_rows(record: dict[str, Any], report: Any, incident_id: str | None, channel: str,
                             time: Any) -> list[dict[str, Any]]:
    """One shadow-hit row per misdirection row in ``mode: shadow`` that fired, with what it would have done."""
    block = getattr(report, "misdirection", None)
    if not isinstance(block, dict):
        return []
    rows: dict[str, dict[str, Any]] = {}
    for s in block.get("signals") or []:
        if s.get("mode") != "shadow":
            continue
        would = s.get("action", "allow")
        if action_rank(report.action) > action_rank(would):
            would = report.action
        old = rows.get(s["rule"])
        if old is None or action_rank(would) > action_rank(old["would_action"]):
            rows[s["rule"]] = {"time": time, "request_id": str(record.get("request_id") or "")[:64], "incident_id": incident_id,
                               "channel": channel, "rule": s["rule"], "suppressed_by": None,
                               "enforced_action": report.action, "would_action": would}
    return list(rows.values())
