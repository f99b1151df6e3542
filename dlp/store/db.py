"""Connecting to the store and bringing its schema up to date.

``sqlite:///var/incidents.sqlite3`` (the default: embedded, nothing to set up) or
``postgresql://user:password@host/db`` (several gateway nodes sharing one store; driven by
psycopg 3). The schema is whatever the Alembic migrations in ``migrations/versions/`` make it:
every ``open`` runs the missing ones, under a lock so that nodes starting together do not race
(a PostgreSQL advisory lock; a lock file beside an SQLite database).
"""

from __future__ import annotations

import fcntl
import hashlib
from pathlib import Path

from sqlalchemy import MetaData, create_engine, event, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

from dlp.store.checkpoint import BACKSTOP_PAGES

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: The newest migration's revision (``tests/test_store.py`` checks it against Alembic's head). A
#: database already there is not handed to Alembic, which each worker would otherwise import at
#: start (~10 MB of every worker's memory, ~0.1 s) to find nothing to do.
HEAD_REVISION = "0002"
DEFAULT_URL = "sqlite:///var/incidents.sqlite3"
#: pg_advisory_lock key for migrations: a fixed number derived from a name.
_PG_LOCK_KEY = int.from_bytes(hashlib.sha256(b"dlp-store-migrations").digest()[:7], "big")


def default_database_url(audit_log: str | Path) -> str:
    """Where ``dlp serve``, ``dlp milter`` and ``dlp console`` keep the store without
    ``DLP_DATABASE_URL`` / ``--database-url``: an SQLite file beside the audit log."""
    return f"sqlite:///{Path(audit_log).resolve().parent / 'incidents.sqlite3'}"


class StoreError(RuntimeError):
    """The store cannot be reached or used; ``str()`` is a sentence for the operator (Chinese)."""


def normalize_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` mean psycopg 3; SQLite paths get their directory made."""
    url = url.strip()
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"資料庫網址格式不正確：{redact_url(url)}（例如 sqlite:///var/incidents.sqlite3 或 postgresql://使用者:密碼@主機/資料庫）") from None
    backend = parsed.get_backend_name()
    if backend == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    elif backend not in ("postgresql", "sqlite"):
        raise StoreError(f"不支援的資料庫：{backend}（只支援 sqlite 與 postgresql）")
    return parsed.render_as_string(hide_password=False)


def redact_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<無法解析>"


def make_engine(url: str) -> Engine:
    url = normalize_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # Pooled: closing the last connection of a WAL database checkpoints it and syncs the
        # file (~20 ms here), which a per-use connection would pay on every decision.
        engine = create_engine(url, pool_size=5, max_overflow=10, connect_args={"timeout": 30, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # synchronous_commit off: a commit no longer waits for the server's WAL flush (~5 ms here);
    # a server crash can lose the last fraction of a second of incidents, never corrupt them, and
    # the audit trail (written before the incident) keeps every decision regardless.
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5,
                         connect_args={"options": "-c synchronous_commit=off"})


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")  # readers (the console) never wait for a writer (a gateway)
    # NORMAL: a commit survives a crash of the process; after a power cut the last commits may be
    # lost, but the audit trail (written first) still has them. FULL would fsync every decision.
    cur.execute("PRAGMA synchronous=NORMAL")
    # Checkpoints run in the store's own thread (dlp.store.checkpoint), not in a decision's commit.
    cur.execute(f"PRAGMA wal_autocheckpoint={BACKSTOP_PAGES}")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def migrate(engine: Engine) -> str:
    """Run every missing migration; returns the revision the database is now at."""
    if _revision_without_alembic(engine) == HEAD_REVISION:
        return HEAD_REVISION
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        with _migration_lock(engine), engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
            return current_revision(conn)
    except OperationalError as exc:
        raise StoreError(f"無法連上事件資料庫 {redact_url(str(engine.url))}：{_first_line(exc)}") from None


def _revision_without_alembic(engine: Engine) -> str | None:
    """The database's revision, read without the lock (a migrator can only take it to the head);
    None when there is none yet or it cannot be read now (then Alembic's path says why)."""
    try:
        with engine.connect() as conn:
            return current_revision(conn)
    except SQLAlchemyError:  # no alembic_version table (or row) yet, no server, no file...
        return None


def current_revision(conn: Connection) -> str:
    return str(conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one())


class _migration_lock:
    def __init__(self, engine: Engine):
        self.engine = engine
        self._conn: Connection | None = None
        self._fd: int | None = None

    def __enter__(self) -> None:
        if self.engine.dialect.name == "postgresql":
            self._conn = self.engine.connect()
            self._conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _PG_LOCK_KEY})
            return
        database = self.engine.url.database
        if database and database != ":memory:":
            import os

            self._fd = os.open(f"{database}.migrate-lock", os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(self._fd, fcntl.LOCK_EX)

    def __exit__(self, *exc: object) -> None:
        if self._conn is not None:
            self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_LOCK_KEY})
            self._conn.close()
        if self._fd is not None:
            import os

            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)


def reflect(engine: Engine) -> MetaData:
    """The tables as the migrations made them (the migrations are the only schema definition)."""
    metadata = MetaData()
    metadata.reflect(bind=engine)
    return metadata


def short_error(exc: BaseException) -> str:
    """The database's own first line about a failed write (for ``StoreError``'s sentence)."""
    return (str(getattr(exc, "orig", None) or exc).strip().splitlines() or [type(exc).__name__])[0][:300]


def _first_line(exc: BaseException) -> str:
    return str(getattr(exc, "orig", exc)).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__
