"""``POST /v1/scan`` with a JSON body, without the framework's layers under our middleware.

Routing, FastAPI's request handler, dependency solving and the exception and exit-stack
layers cost about as much CPU as deciding a chat message (measured with the whole app driven
in-process: see docs/architecture.md, "Service per request"). This ASGI layer sits just inside
``RequestContextMiddleware`` (request id, body limit, metrics and access log still apply, and
so does the Idempotency-Key layer outside it) and calls the route's own endpoint for the one
hot case; errors go to the app's own exception handlers, so answers are the same bytes. Any
other request (multipart, other paths and methods, an app under a root path) goes the usual way.
"""

from __future__ import annotations

import inspect
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

PATH = "/v1/scan"


def _json_content_type(scope: Scope) -> bool:
    for name, value in scope.get("headers", ()):
        if name == b"content-type":
            ctype = value.decode("latin-1").split(";")[0].strip().lower()
            return ctype == "application/json" or ctype.endswith("+json")
    return True  # none: the route reads it as JSON too


class HotScanRoute:
    def __init__(self, app: ASGIApp, owner: Any):
        self.app = app
        self.owner = owner  # the FastAPI app: its routes and exception handlers
        self._route: Any = None
        self.served = 0  # requests that took this route (tests, diagnostics)

    def route(self) -> Any:
        if self._route is None:
            self._route = next((r for r in self.owner.routes
                                if getattr(r, "path", None) == PATH and "POST" in (getattr(r, "methods", None) or ())), None)
        return self._route

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or scope.get("method") != "POST" or scope.get("path") != PATH
                or scope.get("root_path") or not _json_content_type(scope) or (route := self.route()) is None):
            await self.app(scope, receive, send)
            return
        scope["route"], scope["endpoint"], scope["path_params"] = route, route.endpoint, {}
        self.served += 1
        request = Request(scope, receive, send)
        try:
            response = await route.endpoint(request)
        except Exception as exc:  # noqa: BLE001 - what the app's handlers answer; anything else goes up
            handler = self._handler(exc)
            if handler is None:
                raise
            response = await handler(request, exc) if inspect.iscoroutinefunction(handler) \
                else await run_in_threadpool(handler, request, exc)
        await response(scope, receive, send)

    def _handler(self, exc: Exception) -> Any:
        """The handler Starlette's ExceptionMiddleware would pick: by status code for an HTTP
        exception, else by the first class in the exception's MRO that has one."""
        handlers = self.owner.exception_handlers
        if isinstance(exc, HTTPException) and exc.status_code in handlers:
            return handlers[exc.status_code]
        for cls in type(exc).__mro__:
            if cls in handlers:
                return handlers[cls]
        return None
