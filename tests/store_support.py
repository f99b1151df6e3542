"""The incident store under test: a fresh SQLite file or a fresh database on the real PostgreSQL.

PostgreSQL is Debian's, installed and started by ``scripts/ci-system-deps.sh`` (``.ci/run``
runs it); the role ``dlp_test`` may create databases, and every test gets its own. When the
server is not there the test fails and says how to start it: it never skips.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

URL_FILE = Path(os.environ.get("DLP_PG_URL_FILE", "/tmp/dlp-test-postgres.url"))
DEFAULT_ADMIN_URL = "postgresql://dlp_test:dlp_test@127.0.0.1:5432/postgres"


def postgres_admin_url() -> str:
    if os.environ.get("DLP_TEST_POSTGRES_URL"):
        return os.environ["DLP_TEST_POSTGRES_URL"]
    if URL_FILE.exists():
        return URL_FILE.read_text(encoding="utf-8").strip()
    return DEFAULT_ADMIN_URL


@contextmanager
def postgres_database() -> Iterator[str]:
    import psycopg
    from sqlalchemy.engine import make_url

    admin = postgres_admin_url()
    name = "dlp_t_" + secrets.token_hex(6)
    try:
        conn = psycopg.connect(admin.replace("postgresql+psycopg://", "postgresql://"), autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL is not reachable at {make_url(admin).render_as_string(hide_password=True)} ({exc}). "
                    "Install and start it with: sudo bash scripts/ci-system-deps.sh", pytrace=False)
    with conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(admin).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'incidents.sqlite3'}"
        return
    with postgres_database() as url:
        yield url


@pytest.fixture
def store(store_url: str):  # type: ignore[no-untyped-def]
    from dlp.store import IncidentStore

    s = IncidentStore.open(store_url)
    yield s
    s.close()


def database_text(store) -> str:  # type: ignore[no-untyped-def]
    """Every value in every table, as one text (to grep for raw content)."""
    from sqlalchemy import select

    parts = []
    with store.engine.connect() as conn:
        for table in store.meta.sorted_tables:
            for row in conn.execute(select(table)):
                parts.extend(str(v) for v in row)
    return "\n".join(parts)
