"""The console's one door to the audit trail (the writer is moving to ``dlp.audit``).

Every view of an incident and every action is an event record in the same hash-chained log
the decisions go to. A write that fails refuses the view or the action (``AuditFailed``).
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

try:  # the library package, once the audit writer has moved there
    from dlp.audit import AuditLog  # type: ignore[attr-defined]
    from dlp.audit import event_record as _event_fields  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - exercised until the move lands
    from service.audit import AuditLog  # type: ignore[assignment]
    from service.audit_record import event_fields as _event_fields  # type: ignore[assignment,no-redef]


class AuditFailed(OSError):
    """The record could not be written; the view or action must not happen."""


class ConsoleAudit:
    def __init__(self, log: Any):
        self.log = log

    @classmethod
    def open(cls, path: str | Path) -> ConsoleAudit:
        return cls(AuditLog(path))

    def event(self, event: str, user: str | None, **fields: Any) -> dict[str, Any]:
        record = _event_fields(event, "console-" + secrets.token_hex(8), None, endpoint="console", user=user, **fields)
        try:
            return self.log.append(record)
        except OSError as exc:
            raise AuditFailed(str(exc)) from exc
