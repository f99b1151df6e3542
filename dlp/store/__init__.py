"""The incident store: incidents, triage, overrides, console accounts (and, later, destination history).

SQLite by default (``sqlite:///var/incidents.sqlite3``), PostgreSQL with one URL; the schema is
made by the Alembic migrations in ``migrations/versions/`` (a later feature adds its tables as
the next revision there). See docs/console.md.
"""

from dlp.store.db import DEFAULT_URL, StoreError, default_database_url
from dlp.store.ids import INCIDENT_RE, is_incident_id, new_incident_id
from dlp.store.recorder import IncidentRecorder, incident_context, prepare_audit_fields, record_decision
from dlp.store.store import IncidentStore

__all__ = ["DEFAULT_URL", "INCIDENT_RE", "IncidentRecorder", "IncidentStore", "StoreError", "default_database_url",
           "incident_context", "is_incident_id", "new_incident_id", "prepare_audit_fields", "record_decision"]
