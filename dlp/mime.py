"""The one MIME reader: a raw RFC 822 message -> ``dlp.Message`` plus the findings of its broken
or sealed parts. The HTTP service (``/v1/scan/mime``), the milter and ``dlp scan`` all use it.

    parsed = message_from_rfc822(raw, limits, sender=None, recipients=None)
    report = scanner.scan(parsed.message, extra_findings=parsed.findings)

Envelope ``sender``/``recipients`` (when given) override From and To/Cc/Bcc. Display names of
From/To/Cc become ``header:from``/``header:to``/``header:cc`` text parts, the HTML alternative
(when it differs from the plain body) ``body:html``; attachments keep their names, which are
scanned too. Decoding itself lives in :mod:`dlp.extract.mail`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dlp.extract.limits import Limits
from dlp.extract.mail import parse_rfc822
from dlp.model import Finding, Message, Segment

# A header line: field name (printable ASCII but ':'), a colon. An mbox "From " line may precede.
_HEADER_LINE = re.compile(rb"^(From [^\r\n]*\r?\n)?[!-9;-~]+:")


class NotAMail(ValueError):
    """The bytes are not an RFC 822 message at all (the reason is in Chinese and English)."""


@dataclass
class MimeMessage:
    message: Message
    #: Findings made while reading the MIME structure (broken, truncated or encrypted parts);
    #: pass them to ``Scanner.scan(..., extra_findings=...)``.
    findings: list[Finding] = field(default_factory=list)


def message_from_rfc822(
    raw: bytes,
    limits: Limits | None = None,
    sender: str | None = None,
    recipients: list[str] | None = None,
) -> MimeMessage:
    """Read a raw mail; raises :class:`NotAMail` only when it has no header at all."""
    if not raw.strip():
        raise NotAMail("郵件內容是空的 (empty message)")
    if not _HEADER_LINE.match(raw.lstrip(b"\r\n")):
        raise NotAMail("不是 RFC 822 郵件：開頭沒有標頭欄位 (no header fields at the start)")
    parsed = parse_rfc822(raw, limits)
    parts: list[Segment] = []
    if parsed.html:
        parts.append(Segment(location="body:html", text=parsed.html, role="body"))
    for key, names in parsed.display_names.items():
        parts.append(Segment(location=f"header:{key}", text=names, role="field"))
    message = Message(
        text=parsed.body,
        subject=parsed.subject or None,
        channel="mail",
        sender=sender or parsed.sender,
        recipients=list(recipients) if recipients else parsed.recipients,
        attachments=list(parsed.attachments),
        text_parts=parts,
    )
    return MimeMessage(message, list(parsed.findings))
