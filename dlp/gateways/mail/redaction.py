"""The body that replaces a mail's body on ``redact`` (milter ReplaceBody).

The scanner masks the *body text* (``Report.redacted_text``). The new message is that text as
one ``text/plain; charset=utf-8`` part, plus every attachment of the original byte for byte.
HTML alternatives of the body are dropped: they carry the same data unmasked. Personal data
the scanner cannot mask — in the subject or inside an attachment — makes redaction
impossible; the gateway then holds the mail instead (quarantine).
"""

from __future__ import annotations

import base64
import email
import hashlib
import secrets
from dataclasses import dataclass
from email.message import Message as EmailMessage
from email.policy import compat32

from dlp.model import Message, Report


@dataclass
class RedactedBody:
    content_type: str
    body: bytes  # CRLF line ends, ready for ReplaceBody
    transfer_encoding: str | None = None  # top-level Content-Transfer-Encoding (None: remove it)


def unredactable_reason(report: Report) -> str | None:
    """Why this report's ``redact`` cannot be carried out on a mail (None: it can)."""
    if report.redacted_text is None:
        return "沒有遮蔽後的內文"
    places = {f.location.split("#", 1)[0] for f in report.findings
              if f.kind == "personal_data" and not f.shadow and f.location != "body"}
    if places:
        where = "附件" if any(p.startswith("attachment") for p in places) else "主旨"
        return f"個人資料位於{where}，無法遮蔽"
    return None


def _crlf(data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def _text_part(text: str) -> bytes:
    return base64.encodebytes(text.encode("utf-8"))


def _kept_parts(raw: bytes, message: Message) -> list[bytes]:
    """The original MIME parts that the reader took as attachments, as they were."""
    wanted = {hashlib.sha256(a.content).digest() for a in message.attachments}
    kept: list[bytes] = []

    def walk(part: EmailMessage) -> None:
        ctype = (part.get_content_type() or "").lower()
        if ctype.startswith("message/"):
            kept.append(part.as_bytes(policy=compat32))
            return
        if part.is_multipart():
            payload = part.get_payload()
            for sub in payload if isinstance(payload, list) else []:
                if isinstance(sub, EmailMessage):
                    walk(sub)
            return
        data = part.get_payload(decode=True)
        if isinstance(data, bytes) and hashlib.sha256(data).digest() in wanted:
            kept.append(part.as_bytes(policy=compat32))

    root = email.message_from_bytes(raw, policy=compat32)
    if root.is_multipart():
        walk(root)
    return kept


def redacted_body(raw: bytes, message: Message, text: str) -> RedactedBody:
    kept = _kept_parts(raw, message) if message.attachments else []
    if not kept:
        return RedactedBody('text/plain; charset="utf-8"', _crlf(_text_part(text)), "base64")
    boundary = "=_dlp_" + secrets.token_hex(12)
    out = [b"This is a multi-part message in MIME format.\n"]
    out.append(f"--{boundary}\n".encode())
    out.append(b'Content-Type: text/plain; charset="utf-8"\nContent-Transfer-Encoding: base64\n\n')
    out.append(_text_part(text))
    for part in kept:
        out.append(f"--{boundary}\n".encode())
        out.append(part.rstrip(b"\r\n") + b"\n")
    out.append(f"--{boundary}--\n".encode())
    return RedactedBody(f'multipart/mixed; boundary="{boundary}"', _crlf(b"".join(out)), None)
