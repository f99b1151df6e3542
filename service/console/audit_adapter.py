"""The console's one door to the audit trail (``dlp.audit``: the writer every gateway shares).

Every view of an incident and every action is an event record in the same hash-chained log
the decisions go to. A write that fails refuses the view or the action (``AuditFailed``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dlp.audit import AuditLog
from dlp.audit import event_record as _event_fields
from dlp.store.ids import new_request_id


class AuditFailed(OSError):
    """The record could not be written; the view or action must not happen."""


class ConsoleAudit:
    def __init__(self, log: Any):
        self.log = log

    @classmethod
    def open(cls, path: str | Path, hmac_key: bytes | None = None) -> ConsoleAudit:
        """The trail at ``path``; ``hmac_key`` when the service keeps it keyed (``DLP_AUDIT_HMAC``)."""
        return cls(AuditLog(path, hmac_key=hmac_key))

    def event(self, event: str, user: str | None, **fields: Any) -> dict[str, Any]:
        return self.append(_event_fields(event, new_request_id("console"), None, endpoint="console", user=user, **fields))

    def append(self, record: dict[str, Any]) -> dict[str, Any]:
        """Write a record made elsewhere (a release or drop: ``dlp.gateways.mail.quarantine``)."""
        try:
            return self.log.append(record)
        except OSError as exc:
            raise AuditFailed(str(exc)) from exc
