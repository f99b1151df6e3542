"""Raw RFC 822 message -> ``dlp.Message`` (uses ``dlp.extract.mail.parse_rfc822``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from dlp.extract.limits import Limits
from dlp.extract.mail import parse_rfc822
from dlp.model import Finding, Message

# A header line: field name (printable ASCII but ':'), a colon. An mbox "From " line may precede.
_HEADER_LINE = re.compile(rb"^(From [^\r\n]*\r?\n)?[!-9;-~]+:")


class NotAMail(ValueError):
    """The body is not an RFC 822 message at all."""


@dataclass
class MimeMessage:
    message: Message
    findings: list[Finding]  # broken parts, to add to the scan's findings


def to_message(raw: bytes, limits: Limits | None, sender: str | None, recipients: list[str] | None) -> MimeMessage:
    """Envelope ``sender``/``recipients`` (when given) override From and To/Cc/Bcc."""
    if not raw.strip():
        raise NotAMail("郵件內容是空的 (empty message)")
    if not _HEADER_LINE.match(raw.lstrip(b"\r\n")):
        raise NotAMail("不是 RFC 822 郵件：開頭沒有標頭欄位 (no header fields at the start)")
    parsed = parse_rfc822(raw, limits)
    message = Message(
        text=parsed.body,
        subject=parsed.subject or None,
        channel="mail",
        sender=sender or parsed.sender,
        recipients=list(recipients) if recipients else parsed.recipients,
        attachments=list(parsed.attachments),
    )
    return MimeMessage(message, list(parsed.findings))
