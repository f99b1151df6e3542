"""The security team's console (issue 16) and the service's hook into the incident store.

``attach(app, settings, holder, audit)`` is the one call ``service.app.create_app`` makes: it
opens the incident store (``settings.database_url``, by default an SQLite file beside the audit
log), puts the recorder every decision goes through on ``app.state.incidents`` and, with
``settings.console``, mounts the console at ``/console``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dlp.store import IncidentRecorder, IncidentStore, default_database_url, incident_context
from dlp.store.history import open_history


def attach(app: Any, settings: Any, holder: Any, audit: Any) -> IncidentRecorder:
    from dlp.patterns import bundled_patterns_dir

    url = getattr(settings, "database_url", None) or default_database_url(settings.audit_log)
    store = IncidentStore.open(url)
    # issue 18: the audit trail's own salt (the service-hardening work keeps it on app.state.trail)
    salt = getattr(getattr(app.state, "trail", None), "salt", "") or settings.audit_salt
    # issue 14: learns written behind, lookups cached per worker (closed by the app's shutdown)
    history = open_history(store, salt, buffered=True, cache_seconds=settings.history_cache_seconds,
                           linger_seconds=settings.history_linger_seconds, max_queued=settings.history_max_queued,
                           on_lost=_count_lost_learns)
    recorder = IncidentRecorder(store, history=history)
    app.state.incidents = recorder
    _install_store_errors(app)
    if getattr(settings, "console", False):
        from dlp.gateways.mail.quarantine import default_queue
        from dlp.suppressions_file import ensure_salt
        from service.console.app import create_console_app
        from service.console.audit_adapter import ConsoleAudit
        from service.console.config import ConsoleConfig

        patterns_dir = Path(settings.patterns_dir) if settings.patterns_dir else bundled_patterns_dir()
        ensure_salt(patterns_dir)  # before the packs load, so that every incident gets value hashes
        config = ConsoleConfig(store=store, audit=ConsoleAudit(audit), patterns_dir=patterns_dir,
                               quarantine=default_queue(getattr(settings, "postfix_config", None)),
                               scanner=lambda: holder.scanner, reload=holder.reload)
        app.mount("/console", create_console_app(config))
    return recorder


def _count_lost_learns(reason: str, n: int) -> None:
    from service import metrics

    metrics.HISTORY_LEARNS_LOST.labels(reason).inc(n)


def _install_store_errors(app: Any) -> None:
    from dlp.store import StoreError
    from service.errors import error_response

    @app.exception_handler(StoreError)
    async def _store_error(request: Any, exc: StoreError) -> Any:
        import logging

        logging.getLogger("dlp.service").error("incident store: %s", exc)
        return error_response(request, 503, "incident_store_unavailable",
                              "事件資料庫無法寫入，訊息未放行 (incident store unavailable; not allowed)")


__all__ = ["attach", "console_config", "default_database_url", "incident_context"]


def console_config(app: Any) -> Any:
    """The ``ConsoleConfig`` of the console mounted on a service ``app`` (None if there is none)."""
    for route in app.routes:
        if getattr(route, "path", None) == "/console":
            return route.app.state.config
    return None
