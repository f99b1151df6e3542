"""A decision as milter edits and an SMTP answer.

| action     | what the milter does                                                              |
|------------|-----------------------------------------------------------------------------------|
| allow      | accept; add ``X-DLP-Action``, ``X-DLP-Level``                                     |
| warn       | accept; the headers and ``X-DLP-Incident``                                        |
| redact     | replace the body with the masked one (ReplaceBody), the headers; accept           |
|            | — a finding the scanner cannot mask (subject, attachment) makes it a quarantine   |
| quarantine | the headers, Quarantine (Postfix: hold queue), accept                             |
| block      | ``550 5.7.1`` with the incident id (ASCII; the Chinese reasons go in the notice)  |

A sender's own ``X-DLP-*`` headers are always removed first, so no one can forge a verdict.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from kilter.protocol.messages import Accept, AddHeader, ChangeHeader, Message, Quarantine, ReplaceBody

from dlp.gateways.mail.protocol import BODY_CHUNK, MilterReply, smtp_reply
from dlp.gateways.mail.redaction import redacted_body, unredactable_reason
from dlp.gateways.mail.scanning import ScanOutcome
from dlp.gateways.mail.transaction import OWN_HEADER_PREFIX, MailTransaction

HEADER_ACTION = "X-DLP-Action"
HEADER_LEVEL = "X-DLP-Level"
HEADER_INCIDENT = "X-DLP-Incident"


@dataclass
class Answer:
    action: str  # what was carried out (a redact that cannot be done is a quarantine)
    reply: MilterReply
    smtp: str  # what the client was told / what happened, for the audit record
    edits: list[str] = field(default_factory=list)  # names of the edits, for the audit record
    notes: list[str] = field(default_factory=list)  # reasons added by the gateway (Chinese)


def block_reply_text(incident: str) -> tuple[str, str, str]:
    return "550", "5.7.1", f"Message refused by the agency DLP policy (incident {incident})"


def _delete(txn: MailTransaction, doomed: Callable[[str], bool]) -> list[Message]:
    """ChangeHeader-to-empty for every header whose lower-cased name is ``doomed``, last first
    (indexes count headers of the same name, so later ones go before earlier ones shift)."""
    seen: dict[str, int] = {}
    found: list[tuple[str, int]] = []
    for name, _ in txn.headers:
        key = name.lower()
        seen[key] = seen.get(key, 0) + 1
        if doomed(key):
            found.append((name, seen[key]))
    return [ChangeHeader(index, name, b"") for name, index in reversed(found)]


def plan_answer(outcome: ScanOutcome, txn: MailTransaction, incident: str | None) -> Answer:
    report = outcome.report
    action = report.action
    notes: list[str] = []
    if action == "redact":
        why = unredactable_reason(report)
        if why:
            action = "quarantine"
            notes.append(f"{why}，改為暫緩待審")
    if action == "block":
        code, status, text = block_reply_text(incident or "")
        return Answer(action, MilterReply(smtp_reply(code, status, text)), f"{code} {status} {text}", notes=notes)

    edits: list[Message] = _delete(txn, lambda name: name.startswith(OWN_HEADER_PREFIX))
    names = ["remove forged X-DLP-*"] if edits else []
    headers = [(HEADER_ACTION, action), (HEADER_LEVEL, report.secrecy_level)]
    if incident:
        headers.append((HEADER_INCIDENT, incident))
    if action == "redact":
        body = redacted_body(txn.raw(), outcome.message, report.redacted_text or "")
        edits += _delete(txn, lambda name: name in ("content-type", "content-transfer-encoding"))
        if not txn.header_indexes("MIME-Version"):
            headers.append(("MIME-Version", "1.0"))
        headers.append(("Content-Type", body.content_type))
        if body.transfer_encoding:
            headers.append(("Content-Transfer-Encoding", body.transfer_encoding))
        edits += [ReplaceBody(body.body[i:i + BODY_CHUNK]) for i in range(0, len(body.body), BODY_CHUNK)] or [ReplaceBody(b"")]
        names.append("replace body")
    edits += [AddHeader(name, value.encode("ascii")) for name, value in headers]
    names += [f"add {name}" for name, _ in headers]
    if action == "quarantine":
        edits.append(Quarantine(f"DLP incident {incident}"))
        names.append("quarantine")
        return Answer(action, MilterReply(Accept(), edits), "held", names, notes)
    return Answer(action, MilterReply(Accept(), edits), "accepted", names, notes)
