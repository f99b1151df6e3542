"""Incident ids: one per non-allow decision, the key that links the audit record, the incident
in the store, the ``X-DLP-Incident`` header a gateway shows and a held mail's queue id.

Format ``DLP-YYYYMMDD-XXXXXXXXXX``: the UTC date, then 50 random bits in Crockford's base32
(no I, L, O, U: nothing to misread when a clerk reads an id aloud on the phone). Every
gateway (the service, the milter, the chat proxy) takes its incident ids from here.

Request ids (``request_id`` of an audit record) of records not made by an HTTP request come
from :func:`new_request_id`: ``milter-…``, ``quarantine-…``, ``console-…``.
"""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
INCIDENT_RE = re.compile(r"^DLP-\d{8}-[0-9A-HJKMNP-TV-Z]{10}$")
#: The same form in either case (what a request may carry; ``normalize_incident_id`` upper-cases it).
INCIDENT_PATTERN_ANY_CASE = r"^[Dd][Ll][Pp]-\d{8}-[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{10}$"


def new_incident_id(now: datetime | None = None) -> str:
    """``DLP-20250301-7K3QX9TZ4M``."""
    day = (now or datetime.now(UTC)).strftime("%Y%m%d")
    return f"DLP-{day}-" + _base32(secrets.randbits(50))


def _base32(bits: int) -> str:
    """Ten Crockford base32 digits of a 50-bit number: one draw of 50 random bits gives every
    id with the same chance as ten draws of one character each, with one call instead of ~20."""
    return "".join(_ALPHABET[(bits >> shift) & 31] for shift in range(45, -1, -5))


def is_incident_id(value: str) -> bool:
    return bool(INCIDENT_RE.match(value.strip().upper()))


def normalize_incident_id(value: str) -> str:
    """Upper-cased and stripped; raises ``ValueError`` (Chinese) for anything else."""
    ident = value.strip().upper()
    if not INCIDENT_RE.match(ident):
        raise ValueError(f"事件編號格式不正確（應為 DLP-年月日-10 碼，例如 DLP-20250301-7K3QX9TZ4M）：{value[:40]!r}")
    return ident


def new_request_id(prefix: str) -> str:
    """``milter-3f9a…``: the audit record id of an answer or an action with no HTTP request."""
    return f"{prefix}-{secrets.token_hex(8)}"
