"""``dlp serve``: uvicorn with N worker processes.

Settings travel to the workers as ``DLP_*`` environment variables; each worker builds its app
with ``service.app:create_app_from_env`` and loads packs and jieba once, at start-up. One run
directory (``DLP_RUN_DIR``) is shared by the workers: Prometheus multiprocess files and the
reload stamp live there, and it is emptied at every start.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path
from types import ModuleType

from service.logs import configure, logging_config
from service.settings import Settings

log = logging.getLogger("dlp.service")


def prepare_run_dir(settings: Settings) -> Settings:
    """A fresh run directory, and the environment that workers inherit."""
    from dataclasses import replace

    run_dir = Path(settings.run_dir) if settings.run_dir else Path(tempfile.mkdtemp(prefix="dlp-serve-"))
    metrics_dir = run_dir / "metrics"
    if metrics_dir.exists():
        shutil.rmtree(metrics_dir)
    metrics_dir.mkdir(parents=True)
    (run_dir / "reload-stamp.json").unlink(missing_ok=True)
    settings = replace(settings, run_dir=str(run_dir))
    # Must be set before prometheus_client is imported anywhere in a worker.
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
    os.environ.update(settings.to_env())
    return settings


def check_secrets(settings: Settings) -> None:
    """Make (first start) or read the audit salt and HMAC key before any worker starts: an empty
    or unreadable one stops ``dlp serve`` with one clear line instead of N crashing workers."""
    from dlp.audit import audit_hmac_key, audit_salt

    audit_salt(settings.secrets_dir, settings.audit_salt)
    if settings.audit_hmac:
        audit_hmac_key(settings.secrets_dir, settings.audit_hmac_key_file)


def migrate_store(settings: Settings) -> None:
    """Bring the incident store's schema to the newest migration once, before any worker starts:
    the workers then find it current and never import Alembic (~10 MB each), and a store that
    cannot be reached stops ``dlp serve`` with one clear line (``StoreError``)."""
    from dlp.store import IncidentStore
    from dlp.store.db import default_database_url

    IncidentStore.open(settings.database_url or default_database_url(settings.audit_log)).close()


#: How long uvicorn's supervisor waits for a worker's answer to its health check before it kills
#: the worker (uvicorn's default is 5 s). The check is answered by a thread that needs the GIL;
#: a 10 MB body's scan holds it in C calls (decoding, normalizing, one hyperscan pass) for
#: seconds on a loaded machine, and a worker killed mid-scan drops every request it holds (the
#: gateways then refuse their mail with 451): a worker is killed only when really hung.
WORKER_HEALTHCHECK_SECONDS = 30


def _healthcheck_option(uvicorn: ModuleType) -> dict[str, int]:
    """``timeout_worker_healthcheck`` for the uvicorns that have it (the multiprocess supervisor)."""
    import inspect

    return ({"timeout_worker_healthcheck": WORKER_HEALTHCHECK_SECONDS}
            if "timeout_worker_healthcheck" in inspect.signature(uvicorn.run).parameters else {})


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8080, workers: int = 1, log_level: str = "info") -> None:
    import uvicorn

    from service.http import PROTOCOL

    log_config = logging_config(settings.log_format, log_level)  # a bad DLP_LOG_FORMAT stops here (ValueError)
    check_secrets(settings)
    migrate_store(settings)
    settings = prepare_run_dir(settings)
    # glibc gives each thread that mallocs its own arena (up to 8 per core); with 4 scan threads
    # handling ~1 MB bodies, freed memory stays scattered across them and a worker's RSS grew
    # ~30 MB higher (to ~300 MB) under the docx load. Two arenas keep it lower at no measurable
    # cost: the GIL means threads seldom malloc at once. Read when each worker process starts
    # (workers > 1 are new processes); an operator's own value wins.
    os.environ.setdefault("MALLOC_ARENA_MAX", "2")
    configure(settings.log_format, log_level)
    log.info("dlp serve on http://%s:%d with %d worker(s); audit log %s; keys %s", host, port, workers,
             settings.audit_log, settings.keys_file)
    try:
        uvicorn.run(
            "service.app:create_app_from_env",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level=log_level,
            access_log=False,  # ours is service.logs' (no query string, with the key id)
            log_config=log_config,  # applied again in every worker process
            timeout_graceful_shutdown=10,
            http=PROTOCOL,  # bounds the request head while it is read (431)
            **_healthcheck_option(uvicorn),
        )
    finally:
        shutil.rmtree(Path(settings.run_dir) / "metrics", ignore_errors=True)
