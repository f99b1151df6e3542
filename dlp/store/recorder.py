"""Every decision -> the audit record (with its incident id) -> the incident store.

The one function every decision path calls (the service's ``decide``, the milter, the chat
proxy), where it writes its audit record::

    extra = recorder.audit_and_record(fields, message, report, audit.append,
                                      suppressions=scanner.state.suppressions, queue_id=qid)

``fields`` is the audit record the caller built (masked parties, salted hashes, counts,
masked excerpts). A non-allow decision gets an incident id (``fields["incident_id"]``, the id
a gateway shows as ``X-DLP-Incident``); shadow decisions go in ``fields["shadow_decisions"]``.
Then the record is written, and the incident is stored from the record and the report, with
masked excerpts and salted hashes only. ``extra`` is what the caller adds to its answer
(``incident_id``, and ``override`` when one was asked for).
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from dlp.model import Finding, Message, Report, action_rank
from dlp.store.history_record import misdirection_audit, misdirection_shadow_rows  # issue 18
from dlp.store.ids import new_incident_id
from dlp.store.store import IncidentStore, utcnow

log = logging.getLogger("dlp.store")

AuditWriter = Callable[[dict[str, Any]], Any]


def generalize_location(location: str) -> str:
    """``attachment:王小明.docx#header`` names a file: keep the kind of place only."""
    if location.startswith("attachment:"):
        return "attachment" + ("#" + location.rsplit("#", 1)[1] if "#" in location else "")
    return location[:200]


def prepare_audit_fields(fields: dict[str, Any], report: Report, incident_id: str | None = None) -> str | None:
    """Give a non-allow decision its incident id and carry the shadow decisions; returns the id."""
    if report.action != "allow":
        incident_id = incident_id or new_incident_id()
        fields["incident_id"] = incident_id
    else:
        incident_id = None
    shadow = getattr(report, "shadow_decisions", None)
    if shadow:
        fields["shadow_decisions"] = list(shadow)
    return incident_id


def _time(value: Any) -> datetime:
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC).replace(tzinfo=None)
        except ValueError:
            pass
    return utcnow()


def _party(value: Any) -> tuple[str | None, str | None]:
    if isinstance(value, dict):
        return value.get("masked"), value.get("sha256")
    return None, None


def finding_rows(findings: list[Finding], suppressions: Any = None) -> list[dict[str, Any]]:
    rows = []
    for i, f in enumerate(findings):
        rows.append({
            "position": i, "kind": f.kind, "type": f.type, "rule": f.rule, "level": f.level,
            "location": generalize_location(f.location), "excerpt": f.excerpt or "", "score": round(float(f.score), 3),
            "shadow": bool(f.shadow), "suppressed_by": (f.detail or {}).get("suppressed_by"),
            "value_sha256": suppressions.value_hash(f) if suppressions is not None else None, "verdict": None,
        })
    return rows


def incident_row(incident_id: str, record: dict[str, Any], message: Message, report: Report, *,
                 node: str, queue_id: str | None, suppressions: Any = None, held: bool = False) -> dict[str, Any]:
    """``held``: the gateway holds the mail although the report says otherwise (a redact the
    milter could not carry out is held for review)."""
    sender_masked, sender_sha = _party(record.get("sender"))
    destination = report.destination or {}
    pair = None
    if suppressions is not None and getattr(suppressions, "salt", ""):
        pair = {"sender": suppressions.sender_hash(message), "destinations": suppressions.destination_hashes(message)}
    return {
        "id": incident_id, "created_at": _time(record.get("time")), "channel": message.channel,
        "endpoint": str(record.get("endpoint") or "")[:64], "node": node[:128],
        "request_id": str(record.get("request_id") or "")[:64],
        "audit_seq": record.get("seq") if isinstance(record.get("seq"), int) else None,
        "audit_hash": record.get("hash") if isinstance(record.get("hash"), str) else None,
        "sender_masked": sender_masked, "sender_sha256": sender_sha,
        "recipients": [r for r in record.get("recipients") or [] if isinstance(r, dict)],
        "recipient_count": int(record.get("recipient_count") or len(message.recipients)),
        "conversation": record.get("conversation"),
        "destination": str(destination.get("column") or record.get("destination") or ""),
        "destination_label": str(destination.get("column_label") or ""),
        "action": report.action, "secrecy_level": report.secrecy_level,
        "finding_count": len(report.findings),
        "types": _count(f.type for f in report.findings if not f.shadow),
        "rules": _count(f.rule for f in report.findings if not f.shadow),
        "reasons": list(report.reasons), "content_sha256": record.get("content_sha256"),
        "patterns_version": record.get("patterns_version"), "pair_key": pair, "queue_id": queue_id,
        "status": "open", "triage_reason": None, "triaged_by": None, "triaged_at": None,
        "quarantine_state": "held" if held or (report.action == "quarantine" and message.channel == "mail") else None,
        "release_requested_by": None, "release_requested_at": None, "release_reason": None, "overridden": False,
    }


def shadow_rows(record: dict[str, Any], report: Report, incident_id: str | None, channel: str) -> list[dict[str, Any]]:
    """One row per shadow rule (or suppression) that fired in this decision, with what it would have done."""
    would = report.action
    for entry in getattr(report, "shadow_decisions", None) or []:
        action = entry.get("action")
        if isinstance(action, str) and action_rank(action) > action_rank(would):
            would = action
    seen: set[tuple[str, str | None]] = set()
    rows = []
    for f in report.findings:
        key = (f.rule, (f.detail or {}).get("suppressed_by"))
        if not f.shadow or key in seen:
            continue
        seen.add(key)
        rows.append({"time": _time(record.get("time")), "request_id": str(record.get("request_id") or "")[:64],
                     "incident_id": incident_id, "channel": channel, "rule": f.rule, "suppressed_by": key[1],
                     "enforced_action": report.action, "would_action": would})
    return rows


def record_decision(store: IncidentStore, record: dict[str, Any], message: Message, report: Report, *,
                    node: str | None = None, queue_id: str | None = None, suppressions: Any = None,
                    held: bool = False) -> None:
    """Store what the written audit ``record`` says (its ``incident_id``, if any) and the shadow hits."""
    incident_id = record.get("incident_id")
    incident = None
    findings: list[dict[str, Any]] = []
    if incident_id:
        incident = incident_row(incident_id, record, message, report, node=node or socket.gethostname(),
                                queue_id=queue_id, suppressions=suppressions, held=held)
        findings = finding_rows(report.findings, suppressions)
    store.add_decision(incident, findings, shadow_rows(record, report, incident_id, message.channel)
                       + misdirection_shadow_rows(record, report, incident_id, message.channel, _time(record.get("time"))))


def incident_context(scanner: Any) -> dict[str, Any]:
    """What ``IncidentRecorder.audit_and_record`` takes from the scanner that decided."""
    state = getattr(scanner, "state", None)
    config = getattr(getattr(scanner, "policy", None), "config", None)
    return {"suppressions": getattr(state, "suppressions", None), "review": getattr(config, "review", None),
            "redact": getattr(scanner, "redact", None)}


class IncidentRecorder:
    """``audit_and_record`` for one decision path; with no store it only writes the audit record."""

    def __init__(self, store: IncidentStore | None, node: str | None = None, history: Any = None):
        self.store = store
        self.node = node or socket.gethostname()
        #: dlp.store.history.DestinationHistory (issue 18): the gateway looks up with it before the scan
        self.history = history

    def audit_and_record(self, fields: dict[str, Any], message: Message, report: Report, write_audit: AuditWriter, *,
                         suppressions: Any = None, queue_id: str | None = None, incident_id: str | None = None,
                         override: Any = None, review: Any = None, redact: Callable[[str], str] | None = None,
                         history: Any = None, held: bool = False) -> dict[str, Any]:
        """``history``: the ``HistoryLookup`` made before the scan (issue 18); learned from after the record.
        ``held``: a mail gateway holds this mail (see ``incident_row``)."""
        extra: dict[str, Any] = {}
        if override is not None:
            from dlp.store.overrides import apply_override

            extra.update(apply_override(self.store, override, fields, report, review, redact))
        new_id = prepare_audit_fields(fields, report, incident_id)
        fields.update(misdirection_audit(report))  # issue 18
        written = write_audit(fields)
        record = written if isinstance(written, dict) else fields
        if self.store is not None:
            record_decision(self.store, record, message, report, node=self.node, queue_id=queue_id, suppressions=suppressions,
                            held=held)
        if history is not None:
            history.learn(report)  # issue 18: the destination history, after the decision is on record
        row = extra.pop("_override_row", None)
        if self.store is not None and row is not None:
            self.store.add_override({**row, "request_id": str(fields.get("request_id") or "")[:64]})
        if new_id:
            extra["incident_id"] = new_id
        return extra


def _count(items: Any) -> dict[str, int]:
    out: dict[str, int] = {}
    for item in items:
        out[item] = out.get(item, 0) + 1
    return out
