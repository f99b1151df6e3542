"""The few statements the history needs that SQLite and PostgreSQL spell differently."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Table, case, func
from sqlalchemy.engine import Connection

#: IN lists are sent in chunks of this many values (SQLite's variable limit, PostgreSQL's plan size).
CHUNK = 500


def chunks(values: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(values), size):
        yield values[i:i + size]


def greatest(conn: Connection, a: Any, b: Any) -> Any:
    return func.greatest(a, b) if conn.dialect.name == "postgresql" else func.max(a, b)


def least(conn: Connection, a: Any, b: Any) -> Any:
    return func.least(a, b) if conn.dialect.name == "postgresql" else func.min(a, b)


def upsert(conn: Connection, table: Table, rows: list[dict[str, Any]], keys: Iterable[str], *,
           add: Iterable[str] = (), high: Iterable[str] = (), low: Iterable[str] = (), replace: Iterable[str] = (),
           extra: dict[str, Any] | None = None) -> None:
    """INSERT ... ON CONFLICT (keys) DO UPDATE: counters added, maxima and minima kept."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(table)
    new, old = stmt.excluded, table.c
    values: dict[str, Any] = {}
    values.update({c: old[c] + new[c] for c in add})
    values.update({c: greatest(conn, old[c], new[c]) for c in high})
    values.update({c: least(conn, old[c], new[c]) for c in low})
    values.update({c: new[c] for c in replace})
    values.update(extra(old, new) if callable(extra) else (extra or {}))
    conn.execute(stmt.on_conflict_do_update(index_elements=list(keys), set_=values), rows)


def increased_on(old: Any, new: Any) -> dict[str, Any]:
    """history_conversations: remember the day the number of external members went up."""
    return {"external_increased_on": case((new.external_members > old.external_members, new.last_seen),
                                          else_=old.external_increased_on)}


def month(day: date) -> date:
    return day.replace(day=1)
