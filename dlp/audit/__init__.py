"""The audit trail: one writer, one record format, shared by the service and every gateway.

A gateway writes one decision record like this::

    from dlp.audit import AuditTrail

    trail = AuditTrail.open("var/audit.jsonl", secrets_dir="var")   # salt made on first start
    report = scanner.scan(message)
    trail.decision(message, report, request_id=queue_id, key_id="milter", endpoint="milter",
                   policy=scanner.policy)     # raises AuditUnavailable: then hold the message

``AuditUnavailable`` (an ``OSError``; ``AuditTampered`` is one kind) means the record was not
written and the decision must not be released: tempfail the mail, block the chat message.

Modules: :mod:`~dlp.audit.chain` (record and anchor format), :mod:`~dlp.audit.writer`
(``AuditLog``), :mod:`~dlp.audit.verify` (``verify``), :mod:`~dlp.audit.record` (what a
record holds, masking), :mod:`~dlp.audit.keyfiles` (salt and HMAC key files).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dlp.audit.chain import GENESIS, AuditTampered, AuditUnavailable, canonical, record_hash, rotated_files
from dlp.audit.keyfiles import SecretFileError, audit_hmac_key, audit_salt
from dlp.audit.record import decision_record, event_record
from dlp.audit.verify import Problem, VerifyResult, verify
from dlp.audit.writer import AuditLog
from dlp.model import Message, Report


class AuditTrail:
    """An :class:`AuditLog` plus the salt its records are hashed with."""

    def __init__(self, log: AuditLog, salt: str):
        if not salt:
            raise SecretFileError("稽核雜湊的鹽值是空的，拒絕寫入")
        self.log = log
        self.salt = salt

    @classmethod
    def open(cls, path: str | Path, secrets_dir: str | Path, *, salt: str = "", max_bytes: int = 64 * 1024 * 1024,
             fsync: bool = False, keyed: bool = False, hmac_key_file: str | Path | None = None) -> AuditTrail:
        """Open the log at ``path``; the salt (and with ``keyed`` the HMAC key) come from ``secrets_dir``."""
        key = audit_hmac_key(secrets_dir, hmac_key_file) if keyed else None
        return cls(AuditLog(path, max_bytes=max_bytes, fsync=fsync, hmac_key=key), audit_salt(secrets_dir, salt))

    def decision(self, message: Message, report: Report, *, request_id: str, key_id: str | None, endpoint: str,
                 policy: Any = None) -> dict[str, Any]:
        """Append the record of one decision and return it; raises :class:`AuditUnavailable`."""
        excerpts = getattr(getattr(policy, "config", None), "audit_excerpts", "value")
        return self.log.append(decision_record(request_id=request_id, key_id=key_id, endpoint=endpoint, message=message,
                                               report=report, salt=self.salt, excerpts=excerpts))

    def event(self, event: str, request_id: str, key_id: str | None, **fields: Any) -> dict[str, Any]:
        return self.log.append(event_record(event, request_id, key_id, **fields))


__all__ = [
    "GENESIS", "AuditLog", "AuditTampered", "AuditTrail", "AuditUnavailable", "Problem", "SecretFileError",
    "VerifyResult", "audit_hmac_key", "audit_salt", "canonical", "decision_record", "event_record",
    "record_hash", "rotated_files", "verify",
]
