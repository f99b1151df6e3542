"""ASGI wrappers: request ids, request metrics, the access log, the body size limit (enforced while
reading), and the last word on anything unexpected: a JSON 500 that keeps the connection usable."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable, Collection
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service import metrics
from service.logs import log_request

log = logging.getLogger("dlp.service")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int):
        super().__init__(413, f"請求內容超過上限 {limit} 位元組 (body over {limit} bytes)")


class RequestContextMiddleware:
    """Outermost layer: request id, body limit, latency and status metrics, one access-log line.

    ``known_paths``: the app's route paths; a request refused before routing (413) on one of them
    is logged with its path, any other unrouted path as ``-``.
    """

    def __init__(self, app: ASGIApp, max_body_bytes: int, known_paths: Callable[[], Collection[str]] = frozenset):
        self.app = app
        self.max_body = max_body_bytes
        self.known_paths = known_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        given, declared = _request_headers(scope)
        request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        status = {"code": 500, "started": False}

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                status["started"] = True
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            length = int(declared or 0)
        except ValueError:
            length = 0
        try:
            if length > self.max_body:
                await self._reject(send_wrapper, request_id)
            else:
                await self.app(scope, _limited(receive, self.max_body), send_wrapper)
        except BodyTooLarge:
            if not status["started"]:
                await self._reject(send_wrapper, request_id)
        except Exception:  # noqa: BLE001 - the last line: answer, log, keep the connection
            log.exception("unexpected error on %s (request %s)", scope.get("path"), request_id)
            if not status["started"]:
                await self._internal_error(send_wrapper, request_id)
        finally:
            route = scope.get("route")
            endpoint = getattr(route, "path", None) or "other"
            metrics.child(metrics.REQUESTS, endpoint, scope.get("method", ""), str(status["code"])).inc()
            elapsed = time.perf_counter() - started
            metrics.child(metrics.REQUEST_LATENCY, endpoint).observe(elapsed)
            path = scope.get("path", "")
            routed = "endpoint" in scope or path in self.known_paths()
            log_request(scope.get("method", ""), path if routed else "-", status["code"], elapsed * 1000, request_id,
                        scope["state"].get("key_id"))

    async def _internal_error(self, send: Send, request_id: str) -> None:
        body = json.dumps({"error": {"code": "internal_error", "message": "服務內部錯誤，已記錄 (internal error, logged)"},
                           "request_id": request_id}, ensure_ascii=False).encode("utf-8")
        await send({"type": "http.response.start", "status": 500,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    async def _reject(self, send: Send, request_id: str) -> None:
        body = json.dumps({"error": {"code": "body_too_large", "message": BodyTooLarge(self.max_body).detail},
                           "request_id": request_id}, ensure_ascii=False).encode("utf-8")
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


def _request_headers(scope: Scope) -> tuple[str, str]:
    """``x-request-id`` and ``content-length`` (the last of each, "" when absent), without
    decoding every header of the request."""
    given = declared = ""
    for name, value in scope.get("headers", ()):
        if len(name) == 12 and name.lower() == b"x-request-id":
            given = value.decode("latin-1")
        elif len(name) == 14 and name.lower() == b"content-length":
            declared = value.decode("latin-1")
    return given, declared


def _limited(receive: Receive, limit: int) -> Receive:
    seen = {"bytes": 0}

    async def wrapped() -> dict[str, Any]:
        message = await receive()
        if message["type"] == "http.request":
            seen["bytes"] += len(message.get("body", b""))
            if seen["bytes"] > limit:
                raise BodyTooLarge(limit)
        return message

    return wrapped
