"""The incident store: every non-allow decision, its findings, what the security team did with it.

One ``IncidentStore`` per process, shared by threads. SQLite by default, PostgreSQL for several
gateway nodes; the same code for both (SQLAlchemy Core). What goes in is already masked and
hashed (see ``dlp.store.recorder``): this module never sees message content.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, delete, exists, func, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from dlp.store.checkpoint import WalCheckpointer
from dlp.store.db import DEFAULT_URL, StoreError, make_engine, migrate, redact_url, reflect, short_error
from dlp.store.filters import VERDICTS, IncidentFilter
from dlp.store.prepared_insert import PreparedInserts


def utcnow() -> datetime:
    """Naive UTC, as every time in the store is kept."""
    return datetime.now(UTC).replace(tzinfo=None)


class IncidentStore:
    """Incidents and their history; ``Accounts`` (users, sessions) shares the engine."""

    def __init__(self, engine: Engine, revision: str):
        self.engine = engine
        self.revision = revision
        meta = reflect(engine)
        self.meta = meta
        self.incidents = meta.tables["incidents"]
        self.findings_t = meta.tables["incident_findings"]
        self.events_t = meta.tables["incident_events"]
        self.overrides_t = meta.tables["overrides"]
        self.shadow_t = meta.tables["shadow_hits"]
        self._inserts = PreparedInserts(engine)  # the per-decision rows (issue 14)
        database = engine.url.database if engine.dialect.name == "sqlite" else None
        #: SQLite's WAL checkpoints, off the deciding thread (issue 14); None for PostgreSQL
        self.checkpoints = WalCheckpointer(engine) if database and database != ":memory:" else None

    @classmethod
    def open(cls, url: str | None = None) -> IncidentStore:
        """Connect, run missing migrations, and return a ready store; raises ``StoreError``."""
        engine = make_engine(url or DEFAULT_URL)
        try:
            revision = migrate(engine)
            return cls(engine, revision)
        except StoreError:
            engine.dispose()
            raise
        except SQLAlchemyError as exc:
            engine.dispose()
            raise StoreError(f"事件資料庫 {redact_url(url or DEFAULT_URL)} 無法使用：{exc}") from None

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        if self.checkpoints is not None:
            self.checkpoints.close()
        self.engine.dispose()

    def _write(self) -> Any:
        return _Tx(self.engine)

    # -- recording ------------------------------------------------------------------------
    def add_decision(self, incident: dict[str, Any] | None, findings: list[dict[str, Any]],
                     shadow: list[dict[str, Any]]) -> None:
        """One decision: the incident (non-allow) with its findings, and its shadow hits. An allow
        without shadow hits writes nothing (no empty transaction on the hot path)."""
        if incident is None and not shadow:
            return
        batches: list[tuple[Any, list[dict[str, Any]]]] = []
        if incident is not None:
            batches.append((self.incidents, [incident]))
            if findings:
                batches.append((self.findings_t, [{**f, "incident_id": incident["id"]} for f in findings]))
        if shadow:
            batches.append((self.shadow_t, shadow))
        if all(self._inserts.supports(t, rows) for t, rows in batches):
            self._inserts.run(batches)
        else:
            with self._write() as conn:
                for table, rows in batches:
                    conn.execute(insert(table), rows)
        if self.checkpoints is not None:
            self.checkpoints.note()

    # -- reading --------------------------------------------------------------------------
    def get(self, incident_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(self.incidents).where(self.incidents.c.id == incident_id)).mappings().first()
            return dict(row) if row else None

    def findings(self, incident_id: str) -> list[dict[str, Any]]:
        t = self.findings_t
        with self.engine.connect() as conn:
            rows = conn.execute(select(t).where(t.c.incident_id == incident_id).order_by(t.c.position)).mappings()
            return [dict(r) for r in rows]

    def events(self, incident_id: str) -> list[dict[str, Any]]:
        t = self.events_t
        with self.engine.connect() as conn:
            rows = conn.execute(select(t).where(t.c.incident_id == incident_id).order_by(t.c.id)).mappings()
            return [dict(r) for r in rows]

    def overrides(self, incident_id: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
        t = self.overrides_t
        q = select(t).order_by(t.c.id.desc()).limit(limit)
        if incident_id is not None:
            q = q.where(t.c.incident_id == incident_id)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(q).mappings()]

    def _where(self, f: IncidentFilter) -> list[Any]:
        c, fc = self.incidents.c, self.findings_t.c
        cond: list[Any] = []
        if f.since is not None:
            cond.append(c.created_at >= f.since)
        if f.until is not None:
            cond.append(c.created_at < f.until)
        for column, value in ((c.channel, f.channel), (c.action, f.action), (c.secrecy_level, f.level),
                              (c.status, f.status), (c.quarantine_state, f.quarantine)):
            if value is not None:
                cond.append(column == value)
        for column, value in ((fc.type, f.type), (fc.rule, f.rule)):
            if value is not None:
                cond.append(exists().where(and_(fc.incident_id == c.id, column == value)))
        return cond

    def query(self, f: IncidentFilter, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        c = self.incidents.c
        q = select(self.incidents).where(*self._where(f)).order_by(c.created_at.desc(), c.id.desc())
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(q.limit(limit).offset(offset)).mappings()]

    def count(self, f: IncidentFilter) -> int:
        q = select(func.count()).select_from(self.incidents).where(*self._where(f))
        with self.engine.connect() as conn:
            return int(conn.execute(q).scalar_one())

    def facets(self, f: IncidentFilter) -> dict[str, dict[str, int]]:
        """Counts of the filtered queue by action, channel, level and status."""
        c = self.incidents.c
        out: dict[str, dict[str, int]] = {}
        with self.engine.connect() as conn:
            for name, column in (("action", c.action), ("channel", c.channel), ("level", c.secrecy_level),
                                 ("status", c.status)):
                q = select(column, func.count()).where(*self._where(f)).group_by(column)
                out[name] = {str(k): int(n) for k, n in conn.execute(q)}
        return out

    # -- actions --------------------------------------------------------------------------
    def add_event(self, incident_id: str, actor: str, event: str, detail: dict[str, Any] | None = None,
                  conn: Connection | None = None) -> None:
        row = {"incident_id": incident_id, "time": utcnow(), "actor": actor, "event": event, "detail": detail or {}}
        if conn is not None:
            conn.execute(insert(self.events_t), [row])
            return
        with self._write() as c:
            c.execute(insert(self.events_t), [row])

    def triage(self, incident_id: str, verdict: str, reason: str, actor: str,
               finding_ids: Iterable[int] | None = None, detail: dict[str, Any] | None = None) -> None:
        """Set the incident's verdict (and that of the named findings, or all of them)."""
        if verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {verdict!r}")
        ids = list(finding_ids or [])
        fc = self.findings_t.c
        with self._write() as conn:
            conn.execute(update(self.incidents).where(self.incidents.c.id == incident_id).values(
                status=verdict, triage_reason=reason, triaged_by=actor, triaged_at=utcnow()))
            q = update(self.findings_t).where(fc.incident_id == incident_id)
            if ids:
                q = q.where(fc.id.in_(ids))
            conn.execute(q.values(verdict=verdict))
            self.add_event(incident_id, actor, "triage", {"verdict": verdict, "reason": reason, "findings": ids, **(detail or {})}, conn)

    def set_quarantine(self, incident_id: str, state: str, actor: str, event: str, detail: dict[str, Any],
                       expect: Iterable[str] | None = None, **values: Any) -> bool:
        """Move the held mail's state; with ``expect``, only from one of those states (False if not)."""
        c = self.incidents.c
        with self._write() as conn:
            q = update(self.incidents).where(c.id == incident_id)
            if expect is not None:
                q = q.where(c.quarantine_state.in_(list(expect)))
            if conn.execute(q.values(quarantine_state=state, **values)).rowcount != 1:
                return False
            self.add_event(incident_id, actor, event, detail, conn)
        return True

    def add_override(self, row: dict[str, Any]) -> None:
        with self._write() as conn:
            conn.execute(insert(self.overrides_t), [{"time": utcnow(), **row}])
            if row.get("accepted"):
                conn.execute(update(self.incidents).where(self.incidents.c.id == row["incident_id"]).values(overridden=True))
            self.add_event(row["incident_id"], row.get("key_id") or "sender", "override_accepted" if row.get("accepted") else "override_refused",
                           {"request_id": row["request_id"], "refusal": row.get("refusal")}, conn)

    def link_queue_id(self, incident_id: str, queue_id: str) -> bool:
        """A gateway that learns the mail's queue id after the decision (the milter asking the
        service over HTTP) links it here; the console can then release or drop the held mail."""
        with self._write() as conn:
            return conn.execute(update(self.incidents).where(self.incidents.c.id == incident_id)
                                .values(queue_id=queue_id)).rowcount == 1

    def delete_incident(self, incident_id: str) -> None:
        with self._write() as conn:
            conn.execute(delete(self.incidents).where(self.incidents.c.id == incident_id))


class _Tx:
    """``engine.begin()`` with database errors turned into ``StoreError``."""

    def __init__(self, engine: Engine):
        self._cm = engine.begin()

    def __enter__(self) -> Connection:
        try:
            return self._cm.__enter__()
        except SQLAlchemyError as exc:
            raise StoreError(f"事件資料庫無法寫入：{short_error(exc)}") from None

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> Any:
        try:
            self._cm.__exit__(exc_type, exc, tb)
        except SQLAlchemyError as err:
            raise StoreError(f"事件資料庫無法寫入：{short_error(err)}") from None
        if isinstance(exc, SQLAlchemyError):
            raise StoreError(f"事件資料庫無法寫入：{short_error(exc)}") from None
        return False

