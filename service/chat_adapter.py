"""The one seam between the chat routes and the app's decision, audit and thread machinery.

``/v1/chat/check`` decides with the same ``Scanner.scan`` and writes with the same audit
writer as ``/v1/scan``; everything it needs from ``service.app`` goes through here, so when
the audit writer moves (``dlp/audit/``) or the app changes shape, one import changes.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from typing import Any, TypeVar

import anyio
from fastapi import FastAPI, Request

from dlp.model import Message, Report
from service import metrics
from service.errors import ApiError

T = TypeVar("T")


def authorize_scan(request: Request) -> Any:
    """The caller's API key if it has the ``scan`` scope (401/403 otherwise), as /v1/scan does."""
    from service.app import authorize  # service.app includes this package's router: import late

    return authorize(request, "scan")


def scanner_of(app: FastAPI) -> Any:
    holder = app.state.holder
    if holder.scanner is None:
        raise ApiError(503, "not_ready", "規則尚未載入完成 (patterns not loaded yet)" if holder.loading
                       else "規則載入失敗，服務無法掃描 (patterns failed to load)", holder.error)
    return holder.scanner


async def in_scan_pool(app: FastAPI, fn: Callable[..., T], *args: Any) -> T:
    """Run CPU work where /v1/scan runs it: the app's scan pool (a thread when it has none yet)."""
    pool = getattr(app.state, "scan_pool", None)
    if pool is None:
        return await anyio.to_thread.run_sync(functools.partial(fn, *args))
    return await asyncio.get_running_loop().run_in_executor(pool, functools.partial(fn, *args))


def observe(endpoint: str, seconds: float, result: dict[str, Any], channel: str) -> None:
    metrics.SCAN_LATENCY.labels(endpoint).observe(seconds)
    metrics.observe_report(result, channel)


def audit_decision(app: FastAPI, *, request_id: str, key_id: str, endpoint: str, message: Message, report: Report,
                   patterns_version: str) -> dict[str, Any]:
    """Append the decision record through the app's one audit trail (the registry's chat facts,
    masked reasons, salted hashes) and store the incident through the app's one recorder, as
    ``/v1/scan`` does; returns what the recorder adds to the answer (``incident_id`` for a
    non-allow decision). 503 when the record cannot be written: the caller gets no decision, so
    nothing leaves unaudited."""
    from dlp.audit import decision_record
    from dlp.store import incident_context

    scanner = app.state.holder.scanner
    policy = getattr(scanner, "policy", None)
    fields = decision_record(request_id=request_id, key_id=key_id, endpoint=endpoint, message=message, report=report,
                             salt=app.state.trail.salt,
                             excerpts=getattr(getattr(policy, "config", None), "audit_excerpts", "value"))

    def write(record: dict[str, Any]) -> dict[str, Any]:
        try:
            return app.state.audit.append(record)
        except OSError as exc:
            metrics.AUDIT_ERRORS.inc()
            raise ApiError(503, "audit_unavailable", "稽核紀錄無法寫入，訊息未放行 (audit log unavailable; not allowed)") from exc

    return app.state.incidents.audit_and_record(fields, message, report, write, **incident_context(scanner))
