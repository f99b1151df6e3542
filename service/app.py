"""FastAPI app factory: the HTTP face of ``dlp.Scanner``.

Scanning is CPU-bound; every scan runs in a scan thread so the event loop keeps answering
(health checks, small requests) while a big one is being read. Threads are handed out by
``service.admission``: small requests and large ones have lanes of their own, each key has a
limit, and a full queue is a 503 with ``Retry-After``. One thread hop per request does all of
the CPU work: parsing and validating the body (JSON, base64, MIME), the scan, the audit record
and encoding the response; the event loop only moves bytes. The lanes are plain
``ThreadPoolExecutor``s: their hop costs a third of ``anyio.to_thread.run_sync``'s, which
matters when the scan itself takes 0.2 ms.
"""

import asyncio
import contextlib
import ctypes
import ctypes.util
import gc
import json
import logging
import threading
import time
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any, TypeVar

import anyio

try:  # optional accelerator for the answers' JSON
    import orjson
except ImportError:  # pragma: no cover - a declared dependency
    orjson = None
from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from dlp.audit import AuditLog, AuditTampered, AuditTrail, audit_hmac_key, audit_salt, decision_record, event_record
from dlp.model import Attachment, Message
from dlp.scan_limits import select_listed
from dlp.store import incident_context
from service import metrics
from service.admission import Admission, KeyBusy, Saturated, Ticket
from service.auth import ApiKey, KeyStore
from service.chat_routes import install as install_chat_routes
from service.console import attach as attach_incidents  # incident store, recorder, console (issue 16)
from service.errors import ApiError, install_handlers
from service.hot_route import HotScanRoute
from service.middleware import RequestContextMiddleware
from service.mime import NotAMail
from service.mime import to_message as mime_to_message
from service.models import (
    ErrorResponse,
    HealthResponse,
    PatternsResponse,
    ReadyResponse,
    RedactRequest,
    RedactResponse,
    ReloadResponse,
    ScanRequest,
    ScanResponse,
)
from service.openapi_docs import complete_openapi, create_documented_app
from service.settings import Settings
from service.state import ScannerHolder, pack_errors
from service.validation import (
    address_problem,
    check_filenames,
    form_to_doc,
    parse_json_body,
    scan_request,
    to_message,
    truncated_multipart_tail,
)

log = logging.getLogger("dlp.service")
T = TypeVar("T")

_bearer = HTTPBearer(auto_error=False, description="API key: `Authorization: Bearer dlp_...` (scopes scan, admin)")


def authorize(request: Request, scope: str) -> ApiKey:
    """The caller's key if it may use ``scope``; 401/403 otherwise."""
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    credentials = credentials.strip()
    if scheme.lower() != "bearer" or not credentials:
        raise ApiError(401, "unauthorized", "缺少 API 金鑰 (missing API key: Authorization: Bearer ...)",
                       headers={"WWW-Authenticate": "Bearer"})
    key = request.app.state.keys.authenticate(credentials)
    if key is None:
        raise ApiError(401, "unauthorized", "API 金鑰無效 (invalid API key)", headers={"WWW-Authenticate": "Bearer"})
    if not key.allows(scope):
        raise ApiError(403, "forbidden", f"此金鑰沒有 {scope} 權限 (key lacks scope {scope})")
    request.state.key_id = key.id
    return key


def _require(scope: str) -> Callable[..., Any]:
    # async: a plain ``def`` dependency would cost a thread-pool round trip on every request,
    # and the check is a hash and a few comparisons. ``_bearer`` puts the scheme in the OpenAPI
    # document; the header is read by ``authorize``.
    async def check(request: Request, _: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> ApiKey:
        return authorize(request, scope)

    return check


#: The hot routes (scan, redact) call ``authorize`` first thing instead of declaring a dependency:
#: FastAPI's dependency solving costs about as much as the whole scan of a chat message. This
#: puts the same security requirement in their OpenAPI operations.
_BEARER_SECURITY: dict[str, Any] = {"security": [{"HTTPBearer": []}]}


ScanKey = Annotated[ApiKey, Depends(_require("scan"))]
AdminKey = Annotated[ApiKey, Depends(_require("admin"))]
EnvelopeSender = Annotated[str | None, Query(max_length=320, description="Envelope sender (MAIL FROM)")]
EnvelopeRecipients = Annotated[list[str] | None, Query(max_length=10_000, description="Envelope recipients (RCPT TO), repeatable or comma-separated")]
QueueId = Annotated[str | None, Query(pattern=r"^[0-9A-Za-z]{5,32}$",
                                      description="The mail gateway's queue id of this mail (Postfix macro i): "
                                                  "recorded with the incident, so a held mail can be found")]


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    text = {400: "Malformed input", 401: "Missing or invalid API key", 403: "Key lacks the scope",
            413: "Body over the limit", 415: "Unsupported content type", 422: "Input does not validate",
            429: "This key has too many requests in flight (Retry-After)",
            503: "Not ready (packs loading), saturated (Retry-After) or audit log unavailable"}
    return {c: {"model": ErrorResponse, "description": text[c]} for c in codes}


def _scan_request_body() -> dict[str, Any]:
    schema_ref = {"$ref": "#/components/schemas/ScanRequest"}
    return {
        **_BEARER_SECURITY,
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": schema_ref},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "text": {"type": "string"},
                            "subject": {"type": "string"},
                            "channel": {"type": "string", "enum": ["mail", "chat", "other"]},
                            "sender": {"type": "string"},
                            "recipients": {"type": "array", "items": {"type": "string"}},
                            "conversation": {"type": "string", "description": "JSON object, as in the JSON body"},
                            "attachments": {"type": "array", "items": {"type": "string", "format": "binary"}},
                        },
                    },
                    "encoding": {"attachments": {"contentType": "application/octet-stream"}},
                },
            },
        }
    }


def create_app(settings: Settings | None = None, scanner: Any = None) -> FastAPI:
    """Build the app. ``scanner`` (tests) skips loading packs at start-up."""
    settings = settings or Settings.from_env()
    holder = ScannerHolder(settings, scanner)
    keys = KeyStore(settings.keys_file, settings.env_keys)
    # Refuses to start (SecretFileError) with an empty or unreadable salt or HMAC key.
    salt = audit_salt(settings.secrets_dir, settings.audit_salt)
    hmac_key = audit_hmac_key(settings.secrets_dir, settings.audit_hmac_key_file) if settings.audit_hmac else None
    audit = AuditLog(settings.audit_log, settings.audit_max_bytes, settings.audit_fsync, hmac_key=hmac_key)
    trail = AuditTrail(audit, salt)
    audit_state: dict[str, str | None] = {"error": None}
    try:
        audit.check()
    except AuditTampered as exc:
        audit_state["error"] = str(exc)
        log.error("audit log refused: %s -- decisions get 503 until an operator runs `dlp audit reanchor`", exc)
    if not keys.keys:
        log.warning("no API keys configured: every request except /healthz and /readyz will get 401")

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        adm = admission()
        if not holder.ready:
            if settings.load_in_background:
                threading.Thread(target=holder.load, name="dlp-load", daemon=True).start()
            else:
                await anyio.to_thread.run_sync(holder.load)
                release_memory()  # what the load freed (the packs' guard analysis, jieba's start) goes back
        poller = asyncio.create_task(_follow_reloads(holder, settings)) if settings.run_dir else None
        try:
            yield
        finally:
            if poller:
                poller.cancel()
            app.state.admission = None
            adm.shutdown()
            keys.flush_last_used()
            if getattr(incidents.history, "close", None) is not None:
                # the queued learns (issue 14); a decision still running after this learns at once
                await anyio.to_thread.run_sync(incidents.history.close)

    app = create_documented_app(
        settings.docs,
        title="DLP outbound filter",
        version="1.0",
        description="Checks outgoing mail and chat messages for secrecy markings and personal data "
                    "and decides whether they may leave. Send `Authorization: Bearer <key>`. "
                    "This document, /docs and /redoc are public on purpose (the API's shape, no data); "
                    "`DLP_DOCS=0` turns them off.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.holder = holder
    app.state.keys = keys
    app.state.audit = audit
    app.state.trail = trail
    app.state.admission = None
    incidents = attach_incidents(app, settings, holder, audit)
    install_handlers(app)
    app.add_middleware(HotScanRoute, owner=app)  # inside RequestContextMiddleware: POST /v1/scan JSON, lean (issue 14)
    app.add_middleware(RequestContextMiddleware, max_body_bytes=settings.max_body_bytes,
                       known_paths=lambda: {getattr(r, "path", None) for r in app.routes})
    install_chat_routes(app)  # POST /v1/chat/check and the Idempotency-Key layer (service/chat_routes.py)
    # request schemas of the routes that parse their own bodies; worked examples (service/openapi_examples.json)
    complete_openapi(app, (ScanRequest, RedactRequest))

    def scanner_or_503() -> Any:
        if holder.scanner is None:
            raise ApiError(503, "not_ready", "規則尚未載入完成 (patterns not loaded yet)" if holder.loading
                           else "規則載入失敗，服務無法掃描 (patterns failed to load)", holder.error)
        return holder.scanner

    def admission() -> Admission:
        # Made by the lifespan; lazily too, for an app driven without it (TestClient without ``with``).
        if app.state.admission is None:
            app.state.admission = Admission(
                small_threads=settings.scan_threads, large_threads=settings.large_scan_threads,
                large_request_bytes=settings.large_request_bytes, small_queue=settings.small_queue,
                large_queue=settings.large_queue, queue_timeout=settings.queue_timeout_seconds,
                key_concurrency=settings.key_concurrency, key_large_concurrency=settings.key_large_concurrency,
                after_large=release_memory)
        return app.state.admission

    @contextlib.asynccontextmanager
    async def admitted(request: Request, key: ApiKey) -> AsyncIterator[Ticket]:
        """A place in a lane for this request (429/503 at once when there is none)."""
        try:
            async with admission().admit(key.id, _declared_size(request)) as ticket:
                yield ticket
        except (KeyBusy, Saturated) as exc:
            metrics.REFUSED.labels("key" if isinstance(exc, KeyBusy) else "saturated",
                                   admission().lane_for(_declared_size(request)).name).inc()
            raise

    def decide(request_id: str, key_id: str, endpoint: str, message: Message, extra: list[Any] | None = None,
               override: Any = None, queue_id: str | None = None) -> bytes:
        """Scan, count, audit, encode the answer: runs in a scan thread."""
        scanner = scanner_or_503()
        started = time.perf_counter()
        history = incidents.history.lookup(message, scanner.policy) if incidents.history is not None else None  # issue 18
        report = scanner.scan(message, extra_findings=extra, history=history.facts if history is not None else None)
        metrics.child(metrics.SCAN_LATENCY, endpoint).observe(time.perf_counter() - started)
        result = report.to_dict()
        metrics.observe_report(result, message.channel)
        # The record (masked, salted) is built apart from the write: the recorder adds the incident
        # id (and an override's outcome) before it is appended, then stores the incident.
        fields = decision_record(request_id=request_id, key_id=key_id, endpoint=endpoint, message=message,
                                 report=report, salt=trail.salt,
                                 excerpts=getattr(getattr(scanner.policy, "config", None), "audit_excerpts", "value"))
        if queue_id:
            fields["queue_id"] = queue_id
        answer = incidents.audit_and_record(fields, message, report, lambda f: _audit(lambda: audit.append(f)),
                                            override=override, history=history, queue_id=queue_id,
                                            **incident_context(scanner))
        return _encode({"request_id": request_id, **result, **answer})

    def scan_json(request_id: str, key_id: str, body: bytes) -> bytes:
        return decide_request(request_id, key_id, scan_request(parse_json_body(body)))

    def decide_request(request_id: str, key_id: str, req: Any) -> bytes:
        return decide(request_id, key_id, "/v1/scan", to_message(req), override=req.override)

    def scan_mime_body(request_id: str, key_id: str, raw: bytes, sender: str | None, rcpts: list[str] | None,
                       queue_id: str | None = None) -> bytes:
        limits = getattr(scanner_or_503().policy, "attachment_limits", None)
        try:
            parsed = mime_to_message(raw, limits, sender, rcpts)
        except NotAMail as exc:
            raise ApiError(400, "bad_mime", str(exc)) from None
        return decide(request_id, key_id, "/v1/scan/mime", parsed.message, parsed.findings, queue_id=queue_id)

    def _audit(write: Callable[[], Any]) -> Any:
        """Write an audit record; a decision is never answered without one (503, fail closed)."""
        try:
            written = write()
        except OSError as exc:  # AuditUnavailable / AuditTampered are OSErrors too
            metrics.AUDIT_ERRORS.inc()
            if isinstance(exc, AuditTampered):
                audit_state["error"] = str(exc)
            log.error("audit log write failed: %s", exc)
            raise ApiError(503, "audit_unavailable", "稽核紀錄無法寫入，訊息未放行 (audit log unavailable; not allowed)") from exc
        audit_state["error"] = None
        return written

    def release_memory() -> None:
        """After the large lane emptied: give freed heap back to the system (RSS falls back)."""
        gc.collect()
        if _malloc_trim is not None:
            _malloc_trim(0)

    # -- routes ---------------------------------------------------------------------------------
    @app.get("/healthz", response_model=HealthResponse, tags=["ops"], summary="Alive")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", response_model=ReadyResponse, tags=["ops"], summary="Ready: packs and jieba loaded",
             responses={503: {"model": ReadyResponse, "description": "Still loading, or packs failed"}})
    async def readyz() -> JSONResponse:
        try:  # a worker that has not written since the log was cut must not look ready either
            await anyio.to_thread.run_sync(audit.check)
            audit_state["error"] = None
        except OSError as exc:
            audit_state["error"] = str(exc)
            return JSONResponse({"ready": False, "detail": "audit_unavailable",
                                 "errors": [{"file": str(audit.path), "rule": None, "reason": str(exc)}]}, status_code=503)
        if holder.ready:
            return JSONResponse({"ready": True, "patterns_version": holder.version,
                                 "policy_version": holder.scanner.state.policy_version})
        detail = "loading" if holder.loading else "patterns failed to load"
        return JSONResponse({"ready": False, "detail": detail, "errors": holder.error}, status_code=503)

    @app.get("/metrics", tags=["ops"], summary="Prometheus metrics", response_class=Response,
             responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}, **_errors(401, 403)})
    async def metrics_endpoint(_: ScanKey) -> Response:
        body, ctype = metrics.render()
        return Response(body, media_type=ctype)

    @app.post("/v1/scan", response_model=ScanResponse, tags=["scan"], summary="Scan a message (JSON or multipart)",
              description="A `dlp.Message` as JSON (attachments base64 in `content_base64`), or the same fields as "
                          "multipart/form-data with real file parts named `attachments`.",
              openapi_extra=_scan_request_body(), responses=_errors(400, 401, 403, 413, 415, 422, 429, 503))
    async def scan(request: Request) -> Response:
        key = authorize(request, "scan")
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        request_id = request.state.request_id
        if ctype == "multipart/form-data":
            async with admitted(request, key) as ticket:
                message, broken = await _message_from_form(request, settings.max_body_bytes)
                return _json_response(await ticket.run(decide, request_id, key.id, "/v1/scan", message, broken))
        if ctype in ("application/json", "") or ctype.endswith("+json"):
            async with admitted(request, key) as ticket:
                body = await request.body()
                if not settings.decides_inline(len(body)):
                    return _json_response(await ticket.run(scan_json, request_id, key.id, body))
                req = scan_request(parse_json_body(body))  # a tiny body: parsed here, and decided here
                if req.attachments:  # unless it carries a file (extraction, OCR: a thread's work)
                    return _json_response(await ticket.run(decide_request, request_id, key.id, req))
                return _json_response(ticket.run_here(decide_request, request_id, key.id, req))
        raise ApiError(415, "unsupported_media_type", f"不支援的內容類型 {ctype} (use application/json or multipart/form-data)")

    @app.post("/v1/scan/mime", response_model=ScanResponse, tags=["scan"], summary="Scan a raw RFC 822 mail",
              description="The message exactly as the mail gateway holds it (`Content-Type: message/rfc822`). "
                          "Envelope `sender` and `recipients` (query) override From and To/Cc/Bcc; Bcc counts.",
              openapi_extra={"requestBody": {"required": True, "content": {"message/rfc822": {"schema": {"type": "string", "format": "binary"}}}}},
              responses=_errors(400, 401, 403, 413, 422, 429, 503))
    async def scan_mime(
        request: Request,
        key: ScanKey,
        sender: EnvelopeSender = None,
        recipients: EnvelopeRecipients = None,
        queue_id: QueueId = None,
    ) -> Response:
        rcpts = [r.strip() for item in (recipients or []) for r in item.split(",") if r.strip()]
        problems = [{"field": "sender", "problem": p} for p in [address_problem(sender) if sender is not None else None] if p]
        problems += [{"field": f"recipients.{i}", "problem": p} for i, r in enumerate(rcpts) if (p := address_problem(r))]
        if problems:
            raise ApiError(422, "invalid_address", "信封的寄件者或收件者地址不合法 (impossible envelope address)", problems)
        async with admitted(request, key) as ticket:
            raw = await request.body()
            return _json_response(await ticket.run(scan_mime_body, request.state.request_id, key.id, raw, sender, rcpts or None,
                                                   queue_id))

    @app.post("/v1/redact", response_model=RedactResponse, tags=["scan"], summary="Mask personal data in a text",
              responses=_errors(400, 401, 403, 413, 422, 429, 503),
              openapi_extra={**_BEARER_SECURITY, "requestBody": {"required": True, "content": {
                  "application/json": {"schema": {"$ref": "#/components/schemas/RedactRequest"}}}}})
    async def redact(request: Request) -> Response:
        key = authorize(request, "scan")

        def work(body: bytes) -> bytes:
            req = _validate(RedactRequest, parse_json_body(body))
            scanner = scanner_or_503()
            state = scanner.state
            masked, findings = scanner.redact_with_findings(req.text)
            unread = [f for f in findings if f.type == "LIMIT_EXCEEDED"]
            _audit(lambda: trail.event("redact", request.state.request_id, key.id, finding_types=_count(f.type for f in findings),
                                       rule_ids=_count(f.rule for f in findings), finding_count=len(findings),
                                       result="refused" if unread else "ok", content_sha256=_sha256(req.text),
                                       patterns_version=state.version, policy_version=state.policy_version))
            if unread:
                raise ApiError(422, "limit_exceeded", "文字太大，無法在時間上限內完成分析，未提供遮蔽結果 (text not fully analysed "
                                                      "within scan_limits; no partly masked text is given)", [unread[0].detail])
            listed = select_listed(findings, state.scan_limits.max_findings)
            return _encode({"request_id": request.state.request_id, "patterns_version": state.version,
                            "policy_version": state.policy_version, "redacted_text": masked,
                            "findings": [f.to_dict() for f in listed], "truncated": len(listed) < len(findings)})

        async with admitted(request, key) as ticket:
            body = await request.body()
            return _json_response(await ticket.run(work, body))

    @app.get("/v1/patterns", response_model=PatternsResponse, tags=["patterns"], summary="Loaded packs and rules",
             responses=_errors(401, 403, 503))
    async def patterns(_: ScanKey) -> JSONResponse:
        state = scanner_or_503().state
        return JSONResponse(_patterns_doc(state.packset, state.policy_version))

    @app.post("/v1/patterns/reload", response_model=ReloadResponse, tags=["patterns"],
              summary="Reload packs and policy from disk (admin)",
              description="Loads and validates every pack and the policy, then swaps them in atomically. A bad pack "
                          "answers 422 with file, rule and reason; the old set keeps serving. Other workers follow "
                          "within about a second.",
              responses=_errors(401, 403, 422, 503))
    async def reload(request: Request, key: AdminKey) -> JSONResponse:
        scanner_or_503()
        request_id = request.state.request_id
        try:
            old, new = await anyio.to_thread.run_sync(holder.reload)
        except Exception as exc:  # noqa: BLE001 - PackErrors and anything the loader raises
            errors = pack_errors(exc)
            _safe_audit(event_record("reload", request_id, key.id, result="refused", errors=errors,
                                     patterns_version=holder.version))
            raise ApiError(422, "bad_patterns", "規則或政策設定檔有誤，未載入；仍使用原有規則 (packs refused; old set keeps serving)",
                           errors) from None
        _safe_audit(event_record("reload", request_id, key.id, result="ok", previous_version=old, patterns_version=new,
                                 policy_version=holder.scanner.state.policy_version))
        packset = holder.scanner.packset
        return JSONResponse({"request_id": request_id, "reloaded": True, "previous_version": old, "version": new,
                             "packs": _patterns_doc(packset)["packs"]})

    def _safe_audit(fields: dict[str, Any]) -> None:
        try:
            audit.append(fields)
        except OSError as exc:
            metrics.AUDIT_ERRORS.inc()
            log.error("audit log write failed: %s", exc)

    return app


# -- helpers ---------------------------------------------------------------------------------------


def _load_malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``: hands freed heap pages back to the system (None elsewhere)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim  # type: ignore[no-any-return]
    except (OSError, AttributeError):
        return None


_malloc_trim = _load_malloc_trim()


def _declared_size(request: Request) -> int | None:
    """The body size the client announced (None: chunked, or not a number: counts as large)."""
    try:
        return int(request.headers["content-length"])
    except (KeyError, ValueError):
        return None


def _encode(doc: dict[str, Any]) -> bytes:
    """The body JSONResponse would send, made where the work is done (a worker thread): with
    orjson (the same bytes as compact ``json.dumps``, several times faster), stdlib json for
    what orjson refuses (an integer beyond 64 bits, a non-string key) or without orjson."""
    if orjson is not None:
        try:
            return orjson.dumps(doc)
        except TypeError:  # orjson.JSONEncodeError
            pass
    return json.dumps(doc, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


def _json_response(body: bytes) -> Response:
    return Response(body, media_type="application/json")


def _count(items: Any) -> dict[str, int]:
    out: dict[str, int] = {}
    for item in items:
        out[item] = out.get(item, 0) + 1
    return out


def _sha256(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _validate(model: type[RedactRequest], doc: dict[str, Any]) -> RedactRequest:
    from pydantic import ValidationError

    from service.errors import validation_details

    try:
        return model.model_validate(doc)
    except ValidationError as exc:
        raise ApiError(422, "invalid_request", "請求內容不符合格式 (request does not match the schema)",
                       validation_details(list(exc.errors()))) from None


def _patterns_doc(packset: Any, policy_version: str = "") -> dict[str, Any]:
    return {
        "version": packset.version,
        "policy_version": policy_version,
        "packs": [{"file": p.file, "name": p.name, "version": str(p.version), "sha256": p.sha256, "rules": p.rules} for p in packset.packs],
        "rules": [{"id": r.id, "type": r.type, "kind": r.kind, "mode": r.mode} for r in packset.rules],
    }


async def _message_from_form(request: Request, max_bytes: int) -> tuple[Message, list[Any]]:
    """The upload as a message, plus findings for what the form parser could not give (a last
    file whose closing boundary is missing: kept, and reported as possibly truncated)."""
    from starlette.datastructures import UploadFile

    try:
        body = await request.body()  # kept: the form parser reads it from here
        form = await request.form(max_files=1000, max_fields=1000, max_part_size=max_bytes)
    except ApiError:
        raise
    except Exception as exc:  # noqa: BLE001 - multipart parser errors of every kind
        if getattr(exc, "status_code", None) == 413:
            raise
        raise ApiError(400, "bad_multipart", f"multipart 內容無法解析 (malformed multipart): {exc}") from None
    fields: list[tuple[str, str]] = []
    files: list[Attachment] = []
    try:
        for name, value in form.multi_items():
            if isinstance(value, UploadFile):
                files.append(Attachment(value.filename or name, await value.read(), value.content_type))
            else:
                fields.append((name, value))
    finally:
        await form.close()
    tail, broken = truncated_multipart_tail(body, request.headers.get("content-type", ""))
    files.extend(tail)
    check_filenames(files)
    if not fields and not files:
        raise ApiError(400, "bad_multipart", "multipart 內容沒有任何欄位或檔案，或格式不完整 (empty or malformed multipart)")
    return to_message(scan_request(form_to_doc(fields)), files), broken


async def _follow_reloads(holder: ScannerHolder, settings: Settings) -> None:
    while True:
        await asyncio.sleep(settings.reload_poll_seconds)
        try:
            await anyio.to_thread.run_sync(holder.follow_stamp)
        except Exception as exc:  # noqa: BLE001 - never let the poller die
            log.error("reload poller: %s", exc)


#: GIL switch interval of a worker process. While a large document is scanned in one thread, a
#: chat request needs the GIL several times (event loop, scan thread, event loop); at Python's
#: default of 5 ms each wait is up to 5 ms, at 1 ms the large scan loses ~1% of its speed.
WORKER_SWITCH_INTERVAL = 0.001


def create_app_from_env() -> FastAPI:
    """What each uvicorn worker calls (``service.app:create_app_from_env``, factory=True)."""
    import sys

    sys.setswitchinterval(WORKER_SWITCH_INTERVAL)
    return create_app(Settings.from_env())


__all__ = ["create_app", "create_app_from_env", "ScanRequest"]
