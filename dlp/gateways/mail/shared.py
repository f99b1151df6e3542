"""The pieces the milter shares with the HTTP service: one MIME reader, one audit writer, one
record builder, one metrics registry, the same ``DLP_*`` settings.

The audit trail is the library's (:mod:`dlp.audit`, the same writer, anchor, salt and HMAC key
as the service's); metrics, settings and warm-up are still the service's. Every import of
``service`` by the mail gateway goes through this module.
"""

from __future__ import annotations

from dlp.audit import AuditLog, audit_hmac_key, audit_salt, rotated_files, verify
from dlp.audit import decision_record as decision_fields
from dlp.audit import event_record as event_fields
from dlp.audit.record import mask_identifier, now_iso, party
from dlp.mime import NotAMail
from dlp.mime import message_from_rfc822 as read_mime
from service import metrics
from service.settings import Settings
from service.state import freeze_heap, warm_up

__all__ = [
    "AuditLog",
    "audit_hmac_key",
    "audit_salt",
    "NotAMail",
    "Settings",
    "decision_fields",
    "event_fields",
    "freeze_heap",
    "mask_identifier",
    "metrics",
    "now_iso",
    "party",
    "read_mime",
    "rotated_files",
    "verify",
    "warm_up",
]
