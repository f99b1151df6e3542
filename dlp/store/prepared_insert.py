"""The store's hot write (one decision's rows) without SQLAlchemy's per-statement machinery.

A redact or block decision inserts an incident and its findings in one transaction. Through
SQLAlchemy Core each ``execute`` builds a cache key, looks the compiled statement up, makes an
execution context and runs every bind processor through it; with ``engine.begin()``'s
connection and transaction objects that cost ~0.15 ms per decision, about as much as SQLite's
own work (issue 14). Here each INSERT is compiled once per (table, columns) by SQLAlchemy for
the engine's dialect (same SQL, same casts and parameter style) and its rows are converted by
the same bind processors the column types give SQLAlchemy (JSON, DateTime, Boolean...), then
handed to the DBAPI cursor of a pooled connection: the rows stored are the same.

Errors become ``StoreError`` with the same sentence ``IncidentStore`` gives; a connection the
driver reports as lost is invalidated (dropped from the pool), as SQLAlchemy would.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from dlp.store.db import StoreError, short_error

Processor = Callable[[Any], Any] | None


class _Compiled:
    """One INSERT for one set of columns: its SQL and how to turn a row dict into parameters."""

    def __init__(self, table: Table, keys: tuple[str, ...], engine: Engine):
        dialect = engine.dialect
        compiled = insert(table).compile(dialect=dialect, column_keys=list(keys))
        self.sql = str(compiled)
        self.positional = bool(compiled.positional)
        names = list(compiled.positiontup or ()) if self.positional else list(compiled.binds)
        if sorted(names) != sorted(keys):  # a bind named otherwise than its column: not for us
            raise ValueError(f"binds {names} are not the columns {list(keys)}")
        self.names = names
        self.processors: list[Processor] = [table.c[n].type.dialect_impl(dialect).bind_processor(dialect) for n in names]

    def params(self, row: dict[str, Any]) -> Any:
        values = [row[n] if p is None else p(row[n]) for n, p in zip(self.names, self.processors, strict=True)]
        return tuple(values) if self.positional else dict(zip(self.names, values, strict=True))


class PreparedInserts:
    """``run([(table, rows), ...])``: every batch inserted in one transaction, committed."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._compiled: dict[tuple[str, tuple[str, ...]], _Compiled] = {}
        self._lock = threading.Lock()
        dbapi = getattr(engine.dialect, "loaded_dbapi", None) or engine.dialect.dbapi
        self._dbapi_error: type[BaseException] = getattr(dbapi, "Error", SQLAlchemyError)

    def compiled(self, table: Table, keys: tuple[str, ...]) -> _Compiled:
        key = (table.name, keys)
        found = self._compiled.get(key)
        if found is None:
            with self._lock:
                found = self._compiled.get(key) or _Compiled(table, keys, self.engine)
                self._compiled[key] = found
        return found

    def supports(self, table: Table, rows: Sequence[dict[str, Any]]) -> bool:
        """True when every row has the first row's columns, all of them the table's (else the caller
        takes SQLAlchemy's path, which knows what to do with anything else)."""
        if not rows:
            return True
        keys = tuple(rows[0])
        if any(tuple(r) != keys for r in rows[1:]) or any(k not in table.c for k in keys):
            return False
        try:
            self.compiled(table, keys)
        except (SQLAlchemyError, ValueError, KeyError):
            return False
        return True

    def run(self, batches: Sequence[tuple[Table, Sequence[dict[str, Any]]]]) -> None:
        work = [(self.compiled(t, tuple(rows[0])), rows) for t, rows in batches if rows]
        statements = [(c.sql, [c.params(r) for r in rows]) for c, rows in work]  # before a connection is taken
        try:
            conn = self.engine.raw_connection()
        except (SQLAlchemyError, self._dbapi_error) as exc:
            raise StoreError(f"事件資料庫無法寫入：{short_error(exc)}") from None
        cursor = None
        try:
            cursor = conn.cursor()
            for sql, params in statements:
                if len(params) == 1:
                    cursor.execute(sql, params[0])
                else:
                    cursor.executemany(sql, params)
            cursor.close()
            cursor = None
            conn.commit()
        except self._dbapi_error as exc:
            self._abandon(conn, exc, cursor)
            raise StoreError(f"事件資料庫無法寫入：{short_error(exc)}") from None
        except BaseException:
            self._abandon(conn, None, cursor)
            raise
        finally:
            conn.close()  # back to the pool (which rolls back anything left open)

    def _abandon(self, conn: Any, exc: BaseException | None, cursor: Any) -> None:
        """Roll back; a connection the driver says is gone, or that cannot roll back, leaves the pool."""
        lost = exc is not None and isinstance(exc, Exception) and self.engine.dialect.is_disconnect(exc, conn.dbapi_connection, cursor)
        if cursor is not None:
            try:
                cursor.close()
            except Exception:  # noqa: BLE001 - the connection is dealt with below
                lost = True
        if not lost:
            try:
                conn.rollback()
            except Exception:  # noqa: BLE001 - a connection that cannot roll back is not reused
                lost = True
        if lost:
            conn.invalidate()
