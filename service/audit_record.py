"""What one audit record says about a decision: enough to find the leak channel, never the content.

Addresses are kept as a masked form (first character and domain) plus a salted SHA-256, so an
investigator can match a known address without the log holding it. Excerpts are the findings'
own excerpts, which the scanner already masks. The content itself is kept only as a SHA-256.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import Any

from dlp.model import Message, Report

MAX_EXCERPTS = 20
MAX_RECIPIENTS = 200


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def ident_hash(value: str, salt: str) -> str:
    return hashlib.sha256((salt + value.strip().lower()).encode("utf-8")).hexdigest()


def mask_identifier(value: str) -> str:
    """``clerk@hl.gov.tw`` -> ``c***@hl.gov.tw``; anything else -> first character + ***."""
    value = value.strip()
    if "@" in value:
        local, _, domain = value.rpartition("@")
        return (local[:1] + "***@" + domain)[:120]
    return (value[:1] + "***") if value else ""


def party(value: str | None, salt: str) -> dict[str, str] | None:
    if not value:
        return None
    return {"masked": mask_identifier(value), "sha256": ident_hash(value, salt)}


def content_sha256(message: Message) -> str:
    """One hash over subject, body and every attachment (name hashed with its bytes)."""
    h = hashlib.sha256()
    for part in (message.subject or "", message.text or ""):
        data = part.encode("utf-8")
        h.update(len(data).to_bytes(8, "big") + data)
    for att in message.attachments:
        h.update(hashlib.sha256(att.filename.encode("utf-8")).digest())
        h.update(hashlib.sha256(att.content).digest())
    return h.hexdigest()


def attachment_summary(message: Message) -> list[dict[str, Any]]:
    # File names often carry a person's name: keep the extension, size and hash only.
    return [
        {"ext": PurePosixPath(a.filename).suffix.lower()[:16], "bytes": len(a.content), "sha256": hashlib.sha256(a.content).hexdigest()}
        for a in message.attachments
    ]


def decision_fields(
    *,
    request_id: str,
    key_id: str | None,
    endpoint: str,
    message: Message,
    report: Report,
    patterns_version: str,
    salt: str,
) -> dict[str, Any]:
    findings = report.findings
    conv = message.conversation
    return {
        "time": now_iso(),
        "event": "decision",
        "request_id": request_id,
        "key_id": key_id,
        "endpoint": endpoint,
        "channel": message.channel,
        "sender": party(message.sender, salt),
        "recipients": [party(r, salt) for r in message.recipients[:MAX_RECIPIENTS]],
        "recipient_count": len(message.recipients),
        "conversation": None if conv is None else {
            "sha256": ident_hash(conv.id, salt), "members": conv.members,
            "external_members": conv.external_members, "registered": conv.registered,
        },
        "destination": report.destination.get("column"),
        "action": report.action,
        "secrecy_level": report.secrecy_level,
        "finding_types": dict(Counter(f.type for f in findings)),
        "rule_ids": dict(Counter(f.rule for f in findings)),
        "finding_count": len(findings),
        "shadow_count": sum(1 for f in findings if f.shadow),
        "excerpts": [{"type": f.type, "location": _location(f.location), "excerpt": f.excerpt} for f in findings[:MAX_EXCERPTS]],
        "reasons": list(report.reasons),
        "content_sha256": content_sha256(message),
        "attachments": attachment_summary(message),
        "patterns_version": patterns_version,
    }


def _location(location: str) -> str:
    # "attachment:王小明.docx#header" names a file: keep the kind of place only.
    if location.startswith("attachment:"):
        return "attachment" + ("#" + location.rsplit("#", 1)[1] if "#" in location else "")
    return location


def event_fields(event: str, request_id: str, key_id: str | None, **extra: Any) -> dict[str, Any]:
    """A non-decision event (a reload, a redaction) in the same log."""
    return {"time": now_iso(), "event": event, "request_id": request_id, "key_id": key_id, **extra}
