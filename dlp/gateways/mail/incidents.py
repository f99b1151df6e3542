"""Incident ids: one per non-allow decision, the key that links the audit record, the
``X-DLP-Incident`` header, the sender's notice and a held mail's Postfix queue id."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime

#: Crockford's base32: no I, L, O, U (nothing to misread when a user reads an id aloud).
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
INCIDENT_RE = re.compile(r"^DLP-\d{8}-[0-9A-HJKMNP-TV-Z]{10}$")


def new_incident_id(now: datetime | None = None) -> str:
    """``DLP-20250301-7K3QX9TZ4M``: the UTC date, then 50 random bits."""
    day = (now or datetime.now(UTC)).strftime("%Y%m%d")
    return f"DLP-{day}-" + "".join(secrets.choice(_ALPHABET) for _ in range(10))


def new_request_id() -> str:
    """The audit record id of any milter answer (allow and tempfail included)."""
    return "milter-" + secrets.token_hex(8)


def is_incident_id(value: str) -> bool:
    return bool(INCIDENT_RE.match(value.strip().upper()))
