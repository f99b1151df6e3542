"""What one audit record says about a decision: enough to find the leak channel, never the content.

* Addresses and destinations are kept as a masked form plus a salted SHA-256, so an
  investigator can match a known address or URL without the log holding it. The salt is
  required (an unsalted hash of a phone number or ID is a lookup away from the value).
* Reasons are stored with every destination the message named (recipients, the conversation's
  name and id) replaced by its masked form, and any remaining run of 6 or more digits masked.
* Findings are stored as type, place and the *masked value* only; the surrounding text (which
  may hold a password or an unflagged number next to a phone) only when the policy opts in
  (``audit: {excerpts: context}`` in policy.yaml, still with every personal value masked).
* The content itself is kept only as a SHA-256; attachment names not at all (they carry names).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from datetime import UTC, datetime
from email.utils import parseaddr
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from dlp.model import Message, Report

MAX_EXCERPTS = 20
MAX_RECIPIENTS = 200
EXCERPT_MODES = ("value", "context")
_DIGIT_RUN = re.compile(r"\d{6,}")
_HOST_DIGITS = re.compile(r"\d{3,}")


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def ident_hash(value: str, salt: str) -> str:
    """Salted SHA-256 of an address or destination (trimmed, lower-cased); the salt is required."""
    if not salt:
        raise ValueError("audit salt is empty: refusing to store unsalted hashes")
    return hashlib.sha256((salt + value.strip().lower()).encode("utf-8", "replace")).hexdigest()


def mask_identifier(value: str) -> str:
    """A destination shown without what identifies a person.

    ``王小明 <clerk@hl.gov.tw>`` -> ``c***@hl.gov.tw``; ``https://drive.example/u/A123456789``
    -> ``https://drive.example/…``; anything else -> first character + ``***``.
    """
    value = value.strip()
    if not value:
        return ""
    if "://" in value:
        try:
            parts = urlsplit(value)
            host = parts.hostname or ""
        except ValueError:
            parts, host = None, ""
        if parts is not None and parts.scheme and host:
            rest = "/…" if (parts.path not in ("", "/") or parts.query or parts.fragment) else ""
            return f"{parts.scheme}://{_HOST_DIGITS.sub('***', host)}{rest}"[:120]
    _, addr = parseaddr(value)
    addr = addr if addr.count("@") == 1 else value
    if addr.count("@") == 1:
        local, _, domain = addr.rpartition("@")
        return (local[:1] + "***@" + _HOST_DIGITS.sub("***", domain))[:120]
    return value[:1] + "***"


def party(value: str | None, salt: str) -> dict[str, str] | None:
    if not value:
        return None
    return {"masked": mask_identifier(value), "sha256": ident_hash(value, salt)}


def masked_reasons(reasons: list[str], message: Message) -> list[str]:
    """``reasons`` with every destination the message named replaced by its masked form."""
    raw: set[str] = {r for r in message.recipients if r and r.strip()}
    if message.sender and message.sender.strip():
        raw.add(message.sender)
    conv = message.conversation
    if conv is not None:
        raw.update(v for v in (conv.name, conv.id) if v and v.strip())
    # Longest first, so that a name inside a longer destination is not masked piecemeal.
    ordered = sorted(raw, key=len, reverse=True)
    out = []
    for reason in reasons:
        for value in ordered:
            if value in reason:
                reason = reason.replace(value, mask_identifier(value))
        out.append(_DIGIT_RUN.sub(lambda m: m.group()[:2] + "*" * (len(m.group()) - 2), reason))
    return out


def content_sha256(message: Message) -> str:
    """One hash over subject, body and every attachment (name hashed with its bytes)."""
    h = hashlib.sha256()
    for part in (message.subject or "", message.text or ""):
        data = part.encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "big") + data)
    for att in message.attachments:
        h.update(hashlib.sha256(att.filename.encode("utf-8", "surrogatepass")).digest())
        h.update(hashlib.sha256(att.content).digest())
    return h.hexdigest()


def attachment_summary(message: Message) -> list[dict[str, Any]]:
    # File names often carry a person's name: keep the extension, size and hash only.
    return [
        {"ext": PurePosixPath(a.filename).suffix.lower()[:16], "bytes": len(a.content), "sha256": hashlib.sha256(a.content).hexdigest()}
        for a in message.attachments
    ]


def finding_entry(f: Any, mode: str = "value") -> dict[str, Any]:
    """One finding as the audit log keeps it: type, place and the masked value (never raw text)."""
    entry: dict[str, Any] = {"type": f.type, "location": place(f.location)}
    if f.kind == "uninspectable":
        limit = (f.detail or {}).get("limit")
        if limit:
            entry["limit"] = limit
        return entry
    if f.level:
        entry["level"] = f.level
    if f.kind != "secrecy":
        entry["masked"] = getattr(f, "masked_value", "") or ""
    if mode == "context":
        entry["excerpt"] = f.excerpt
    return entry


def place(location: str) -> str:
    """``attachment:王小明.docx#header`` names a file: keep the kind of place only."""
    if location.startswith("attachment:"):
        return "attachment" + ("#" + location.rsplit("#", 1)[1] if "#" in location else "")
    return location.split(":", 1)[0] if ":" in location else location


def decision_record(
    *,
    request_id: str,
    key_id: str | None,
    endpoint: str,
    message: Message,
    report: Report,
    salt: str,
    excerpts: str = "value",
    patterns_version: str | None = None,
    policy_version: str | None = None,
) -> dict[str, Any]:
    """The audit fields of one decision (``AuditLog.append`` adds seq, prev and hash)."""
    if excerpts not in EXCERPT_MODES:
        raise ValueError(f"excerpts must be one of {EXCERPT_MODES}")
    conv = message.conversation
    counts = getattr(report, "finding_counts", None) or {}
    findings = report.findings
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
        "conversation": None if conv is None else _conversation(conv, report, salt),
        "destination": report.destination.get("column"),
        "action": report.action,
        "secrecy_level": report.secrecy_level,
        "finding_types": {t: c["count"] for t, c in counts.items()} if counts else dict(Counter(f.type for f in findings)),
        "rule_ids": dict(Counter(f.rule for f in findings)),
        "finding_count": sum(c["count"] for c in counts.values()) if counts else len(findings),
        "findings_truncated": bool(getattr(report, "truncated", False)),
        "shadow_count": sum(1 for f in findings if f.shadow),
        "excerpts": [finding_entry(f, excerpts) for f in findings[:MAX_EXCERPTS]],
        "reasons": masked_reasons(list(report.reasons), message),
        "content_sha256": content_sha256(message),
        "attachments": attachment_summary(message),
        "patterns_version": patterns_version or getattr(report, "patterns_version", None),
        "policy_version": policy_version or getattr(report, "policy_version", None),
    }


def _conversation(conv: Any, report: Report, salt: str) -> dict[str, Any]:
    """The chat facts that decided (the registry's, when it listed the group), not the caller's claims."""
    decided = report.destination.get("conversation") or {}
    name = decided.get("name", conv.name)
    out = {
        "sha256": ident_hash(conv.id, salt), "name": mask_identifier(name) if name else "",
        "members": decided.get("members", conv.members),
        "external_members": decided.get("external_members", conv.external_members),
        "registered": decided.get("registered", conv.registered),
    }
    if "source" in decided:
        out["source"] = decided["source"]
    return out


def event_record(event: str, request_id: str, key_id: str | None, **extra: Any) -> dict[str, Any]:
    """A non-decision event (a reload, a redaction, a key change) in the same log."""
    return {"time": now_iso(), "event": event, "request_id": request_id, "key_id": key_id, **extra}
