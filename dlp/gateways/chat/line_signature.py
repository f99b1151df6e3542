"""``x-line-signature``: base64 of HMAC-SHA256 over the raw request body, keyed by the channel secret."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac


def sign(channel_secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(channel_secret.encode("utf-8"), body, hashlib.sha256).digest()).decode("ascii")


def verify(channel_secret: str, body: bytes, signature: str | None) -> bool:
    """True only for the exact signature of these bytes (constant-time comparison)."""
    if not channel_secret or not signature:
        return False
    try:
        given = base64.b64decode(signature.strip(), validate=True)
    except (binascii.Error, ValueError):
        return False
    expected = hmac.new(channel_secret.encode("utf-8"), body, hashlib.sha256).digest()
    return hmac.compare_digest(given, expected)
