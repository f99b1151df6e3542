"""JSON errors: a stable English ``code`` and a message people can act on (Chinese + English gist)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("dlp.service")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, details: list[dict[str, Any]] | None = None,
                 headers: dict[str, str] | None = None):
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers
        super().__init__(f"{status} {code}: {message}")


def request_id_of(request: Request) -> str | None:
    return getattr(request.state, "request_id", None) or request.scope.get("state", {}).get("request_id")


def error_response(request: Request | None, status: int, code: str, message: str,
                   details: list[dict[str, Any]] | None = None, headers: dict[str, str] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"error": {"code": code, "message": message}}
    if details is not None:
        body["error"]["details"] = details
    body["request_id"] = request_id_of(request) if request is not None else None
    return JSONResponse(body, status_code=status, headers=headers)


def validation_details(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pydantic errors without the offending input (it may be personal data)."""
    return [{"field": ".".join(str(p) for p in e.get("loc", ()) if p != "body"), "problem": e.get("msg", "")} for e in errors]


_STATUS_CODES = {404: ("not_found", "找不到這個路徑 (not found)"), 405: ("method_not_allowed", "不支援這個 HTTP 方法 (method not allowed)")}


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(request, exc.status, exc.code, exc.message, exc.details, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(request, 422, "invalid_request", "請求內容不符合格式 (request does not match the schema)",
                              validation_details(list(exc.errors())))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code, message = _STATUS_CODES.get(exc.status_code, ("http_error", str(exc.detail)))
        if exc.status_code == 413:
            code, message = "body_too_large", str(exc.detail)
        elif exc.status_code == 400:
            code, message = "bad_request", f"請求無法解析 (bad request): {exc.detail}"
        return error_response(request, exc.status_code, code, message, headers=getattr(exc, "headers", None))

    # Anything else is answered by RequestContextMiddleware: a handler for Exception here would run in
    # Starlette's ServerErrorMiddleware, which re-raises after answering, and uvicorn then closes the
    # connection, so the caller's next request on it would fail too.
