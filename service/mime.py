"""Raw RFC 822 message -> ``dlp.Message``: a thin wrapper over the library's one MIME reader
(:func:`dlp.mime.message_from_rfc822`)."""

from __future__ import annotations

from dlp.extract.limits import Limits
from dlp.mime import MimeMessage, NotAMail, message_from_rfc822

__all__ = ["MimeMessage", "NotAMail", "to_message"]


def to_message(raw: bytes, limits: Limits | None, sender: str | None, recipients: list[str] | None) -> MimeMessage:
    """Envelope ``sender``/``recipients`` (when given) override From and To/Cc/Bcc."""
    return message_from_rfc822(raw, limits, sender, recipients)
