"""The audit log lives in the library (:mod:`dlp.audit`), shared with the gateways; re-exported here."""

from dlp.audit import (
           AuditLog,
           AuditTampered,
           AuditUnavailable,
           Problem,
           VerifyResult,
           record_hash,
           rotated_files,
           verify,
)
from dlp.audit.chain import GENESIS, canonical

__all__ = ["GENESIS", "AuditLog", "AuditTampered", "AuditUnavailable", "Problem", "VerifyResult", "canonical",
           "record_hash", "rotated_files", "verify"]
