"""The pieces the milter shares with the HTTP service: one MIME reader, one audit writer, one
record builder, one metrics registry, the same ``DLP_*`` settings.

Every import of ``service`` by the mail gateway goes through this module, so that when these
pieces move into the library (``dlp/audit/`` …) re-pointing the gateway is a change here only.
"""

from __future__ import annotations

from dlp.mime import NotAMail
from dlp.mime import message_from_rfc822 as read_mime
from service import metrics
from service.audit import AuditLog, rotated_files, verify
from service.audit_record import decision_fields, event_fields, mask_identifier, now_iso, party
from service.settings import Settings
from service.state import freeze_heap, warm_up

__all__ = [
    "AuditLog",
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
