"""``dlp chat-proxy``: a LINE Messaging API proxy that asks the filter before anything is sent.

An agency's bot points its LINE SDK at the proxy (``Configuration(host="http://127.0.0.1:PORT")``)
instead of ``https://api.line.me``. The proxy intercepts the sending endpoints — push, reply,
multicast, broadcast and narrowcast — and passes every other request through unchanged.
For each message object of a send it asks ``POST /v1/chat/check`` (through :mod:`dlp.client`,
so timeouts, retries and fail-closed are the SDK's), then:

* allow / warn: forwards the request byte for byte (``X-DLP-Action`` and ``X-DLP-Incident``
  on the answer; the service has audited the decision);
* redact: forwards it with the text messages replaced by their redacted text;
* quarantine / block: forwards nothing and answers 403 in LINE's error shape, the
  ``message`` in Traditional Chinese with the reasons and the incident id;
* no decision (the service is down, a media URL cannot be read): forwards nothing, 503/400.

``X-Line-Retry-Key`` keeps its meaning (see :mod:`dlp.gateways.chat.ledger`); the bearer token
goes upstream untouched and is never logged (only a hash of it scopes the retry keys).
Inbound, for bots that relay messages between groups: webhooks posted to ``webhook_path`` are
relayed to the bot only with a valid ``x-line-signature``; the proxy also learns which
conversation each reply token answers, so a reply is decided for its real destination.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import posixpath
import re
import uuid
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

import anyio
import httpx
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from dlp.client import AsyncDLPClient, ChatVerdict, Timeout
from dlp.gateways.chat.ledger import ExpiringMap, Outcome, RetryKeyMismatch, RetryLedger
from dlp.gateways.chat.line_messages import BadLineRequest, Bubble, bubbles, parse_send_request, with_redactions
from dlp.gateways.chat.line_signature import verify
from dlp.model import Attachment, Conversation, action_rank

log = logging.getLogger("dlp.chat_proxy")

SEND_ENDPOINTS: Mapping[str, str] = {
    "/v2/bot/message/push": "push",
    "/v2/bot/message/reply": "reply",
    "/v2/bot/message/multicast": "multicast",
    "/v2/bot/message/broadcast": "broadcast",
    "/v2/bot/message/narrowcast": "narrowcast",
}
REFUSED_ACTIONS = frozenset({"block", "quarantine"})
_HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
                         "transfer-encoding", "upgrade", "host", "content-length"})
UNKNOWN_REPLY = Conversation(id="reply:unknown", name="回覆對象不明（回覆權杖不是經由本代理轉送的 webhook）")


@dataclass(frozen=True)
class ProxyConfig:
    upstream: str = "https://api.line.me"
    service_url: str = "http://127.0.0.1:8080"
    api_key: str | None = field(default=None, repr=False)
    #: inbound: verify webhooks with this secret and relay them to ``relay_to``
    channel_secret: str | None = field(default=None, repr=False)
    relay_to: str | None = None
    webhook_path: str = "/webhook"
    timeout: Timeout = Timeout()
    #: for a message that carries media: the service reads pictures by OCR (1–2 s a page, the
    #: engine's first load included; ``ocr.max_seconds`` is 20 s), far beyond a text's 2 s
    media_check_timeout: Timeout = Timeout(total=30.0)
    max_body_bytes: int = 2 * 1024 * 1024
    media_max_bytes: int = 10 * 1024 * 1024
    media_timeout: float = 5.0
    upstream_timeout: float = 30.0
    reply_token_ttl: float = 600.0


class MediaUnreadable(Exception):
    """A media URL of a message could not be read; ``str()`` says why (Traditional Chinese)."""


def send_endpoint(raw_path: str) -> str | None:
    """The send endpoint a path reaches, however it is spelled (``//``, ``%70ush``, ``/push/``)."""
    path = posixpath.normpath(re.sub(r"/+", "/", "/" + unquote(raw_path).lower()))  # normpath keeps a leading //
    return SEND_ENDPOINTS.get(path)


def line_error(status: int, message: str, details: list[dict[str, str]] | None = None,
               dlp: dict[str, Any] | None = None) -> tuple[int, bytes]:
    """A body in the LINE Messaging API's error shape (``message`` + ``details``)."""
    doc: dict[str, Any] = {"message": message}
    if details:
        doc["details"] = details
    if dlp:
        doc["dlp"] = dlp
    return status, json.dumps(doc, ensure_ascii=False).encode("utf-8")


def _json(status: int, body: bytes, headers: tuple[tuple[str, str], ...] = ()) -> Response:
    return Response(body, status_code=status, headers=dict(headers), media_type="application/json")


def _token_id(request: Request) -> str:
    return hashlib.sha256(request.headers.get("authorization", "").encode("utf-8")).hexdigest()[:16]


def _worst(verdicts: list[ChatVerdict]) -> str:
    return max((v.action for v in verdicts), key=action_rank, default="allow")


class LineProxy:
    """The proxy's state and request handling; :func:`create_proxy_app` wraps it in an ASGI app."""

    def __init__(self, config: ProxyConfig, dlp: AsyncDLPClient | None = None,
                 upstream: httpx.AsyncClient | None = None, media: httpx.AsyncClient | None = None):
        self.config = config
        self.dlp = dlp or AsyncDLPClient(config.service_url, config.api_key, timeout=config.timeout)
        self.dlp_media = dlp or AsyncDLPClient(config.service_url, config.api_key, timeout=config.media_check_timeout)
        self.upstream = upstream or httpx.AsyncClient(
            base_url=config.upstream.rstrip("/"), timeout=httpx.Timeout(config.upstream_timeout, connect=5.0))
        self.media = media or httpx.AsyncClient(timeout=httpx.Timeout(config.media_timeout), follow_redirects=True,
                                                max_redirects=3)
        self.ledger = RetryLedger()
        self.reply_tokens: ExpiringMap[str] = ExpiringMap(config.reply_token_ttl)

    async def aclose(self) -> None:
        clients = {id(c): c for c in (self.dlp, self.dlp_media)}.values()
        await asyncio.gather(*(c.aclose() for c in clients), self.upstream.aclose(), self.media.aclose())

    # -- dispatch -------------------------------------------------------------------------------------
    async def handle(self, request: Request) -> Response:
        raw_path = request.scope.get("raw_path", request.url.path.encode()).decode("latin-1")
        if request.method == "POST":
            kind = send_endpoint(raw_path.split("?", 1)[0])
            if kind is not None:
                return await self.send(request, kind)
            if self.config.relay_to and request.url.path == self.config.webhook_path:
                return await self.webhook(request)
        return await self.forward(request, None)

    async def _body(self, request: Request) -> bytes | None:
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.config.max_body_bytes:
            return None
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > self.config.max_body_bytes:
                return None
            chunks.append(chunk)
        return b"".join(chunks)

    # -- outbound: send endpoints -----------------------------------------------------------------------
    async def send(self, request: Request, kind: str) -> Response:
        raw = await self._body(request)
        if raw is None:
            return _json(*line_error(413, f"請求內容超過 {self.config.max_body_bytes} 位元組，無法檢查，未送出"))
        if request.headers.get("content-encoding", "identity").lower() not in ("", "identity"):
            return _json(*line_error(415, "請求內容經過壓縮，無法檢查，未送出"))
        try:
            doc = parse_send_request(raw)
            conversation = self._conversation(kind, doc)
        except BadLineRequest as exc:
            return _json(*line_error(400, str(exc)))
        token_id = _token_id(request)
        retry_key = request.headers.get("x-line-retry-key")

        async def decide() -> Outcome:
            try:
                return await self._decide(kind, doc, raw, conversation, token_id, retry_key)
            except Exception:  # noqa: BLE001 - whatever went wrong, nothing is sent
                log.exception("line %s: could not decide; nothing sent", kind)
                return Outcome("unavailable", *line_error(503, "聊天代理無法完成檢查，訊息暫不送出"))

        replayed = False
        if retry_key:
            try:
                outcome, replayed = await self.ledger.decide_once(f"{token_id}:{retry_key}",
                                                                  hashlib.sha256(raw).hexdigest(), decide)
            except RetryKeyMismatch:
                return _json(*line_error(409, "這個 X-Line-Retry-Key 已用於內容不同的請求，未送出"))
        else:
            outcome = await decide()
        headers = outcome.headers + ((("x-dlp-replayed", "true"),) if replayed else ())
        if outcome.kind != "forward":
            return _json(outcome.status, outcome.body, headers)
        return await self.forward(request, outcome.body, headers)

    def _conversation(self, kind: str, doc: dict[str, Any]) -> Conversation:
        if kind == "push":
            to = doc.get("to")
            if not isinstance(to, str) or not to.strip():
                raise BadLineRequest("push 請求缺少收訊對象 to，無法檢查，未送出")
            return Conversation(id=to.strip())
        if kind == "reply":
            token = doc.get("replyToken")
            if not isinstance(token, str) or not token:
                raise BadLineRequest("reply 請求缺少 replyToken，無法檢查，未送出")
            learned = self.reply_tokens.get(token)
            return Conversation(id=learned) if learned else UNKNOWN_REPLY
        if kind == "multicast":
            to = doc.get("to")
            if not isinstance(to, list) or not all(isinstance(t, str) for t in to):
                raise BadLineRequest("multicast 請求的 to 必須是使用者代號清單，無法檢查，未送出")
            return Conversation(id="multicast", name=f"群發給 {len(set(to))} 位使用者", members=len(set(to)))
        if kind == "broadcast":
            return Conversation(id="broadcast", name="所有好友（廣播）")
        return Conversation(id="narrowcast", name="符合條件的好友（分眾群發）")

    async def _decide(self, kind: str, doc: dict[str, Any], raw: bytes, conversation: Conversation, token_id: str,
                      retry_key: str | None) -> Outcome:
        parts = [b for b in bubbles(doc) if b.body or b.other_text or b.media]
        try:
            attachments = await asyncio.gather(*(self._attachments(b) for b in parts))
        except MediaUnreadable as exc:
            log.warning("line %s: media unreadable, not sent: %s", kind, exc)
            return Outcome("unavailable", *line_error(400, f"{exc}，無法檢查，訊息未送出"))
        base = retry_key or uuid.uuid4().hex
        verdicts = await asyncio.gather(*(
            self._client_for(atts).check_chat(
                conversation, b.body, platform="line", sender=f"line-bot:{token_id}", message_id=f"{base}:{b.index}",
                attachments=atts, idempotency_key=hashlib.sha256(f"{token_id}:{base}:{b.index}".encode()).hexdigest())
            for b, atts in zip(parts, attachments)))
        if any(v.unavailable for v in verdicts):
            reason = next(v.reasons[0] for v in verdicts if v.unavailable)
            log.error("line %s: no decision from the DLP service; nothing sent", kind)
            status, body = line_error(503, reason, dlp={"action": "block"})
            return Outcome("unavailable", status, body, (("x-dlp-action", "block"),))
        worst = _worst(list(verdicts))
        incidents = [v.incident_id for v in verdicts if v.incident_id]
        headers: tuple[tuple[str, str], ...] = (("x-dlp-action", worst),)
        if incidents:
            headers += (("x-dlp-incident", ",".join(incidents)),)
        log.info("line %s: %d message(s) -> %s%s", kind, len(parts), worst,
                 f" (incidents {', '.join(incidents)})" if incidents else "")
        if worst in REFUSED_ACTIONS:
            return self._refusal(parts, list(verdicts), worst, incidents, headers)
        if worst == "redact":
            redacted = {b.index: v.redacted_text for b, v in zip(parts, verdicts) if v.action == "redact"}
            if any(text is None or not b.redactable for b, text in ((b, redacted.get(b.index)) for b in parts
                                                                     if b.index in redacted)):
                return self._refusal(parts, list(verdicts), "block", incidents, headers,
                                     extra="這則訊息的個人資料無法遮蔽")
            return Outcome("forward", body=with_redactions(doc, {i: t for i, t in redacted.items() if t is not None}),
                           headers=headers)
        return Outcome("forward", body=raw, headers=headers)

    @staticmethod
    def _refusal(parts: list[Bubble], verdicts: list[ChatVerdict], action: str, incidents: list[str],
                 headers: tuple[tuple[str, str], ...], extra: str = "") -> Outcome:
        refused = [(b, v) for b, v in zip(parts, verdicts) if v.action in REFUSED_ACTIONS] or \
            [(b, v) for b, v in zip(parts, verdicts) if v.action == "redact"]
        reasons = list(dict.fromkeys(r for _, v in refused for r in v.reasons)) + ([extra] if extra else [])
        ref = f"（事件編號 {'、'.join(incidents)}）" if incidents else ""
        details = [{"message": v.policy_tip or "；".join(v.reasons), "property": f"messages[{b.index}]"} for b, v in refused]
        status, body = line_error(403, f"訊息未送出：{'；'.join(reasons)}{ref}", details,
                                  {"action": action, "incident_ids": incidents})
        return Outcome("refused", status, body, tuple((k, action if k == "x-dlp-action" else v) for k, v in headers))

    def _client_for(self, attachments: list[Attachment]) -> AsyncDLPClient:
        """The client whose deadline suits the message: pictures are read by OCR (seconds)."""
        return self.dlp_media if attachments else self.dlp

    async def _attachments(self, bubble: Bubble) -> list[Attachment]:
        out = []
        if bubble.other_text:
            out.append(Attachment(f"line-message-{bubble.index}-{bubble.type or 'unknown'}.txt",
                                  "\n".join(bubble.other_text).encode("utf-8"), "text/plain"))
        for _, url in dict.fromkeys(bubble.media):
            out.append(await self._fetch(url))
        return out

    async def _fetch(self, url: str) -> Attachment:
        host = urlsplit(url).hostname or "?"
        limit = self.config.media_max_bytes
        try:
            with anyio.fail_after(self.config.media_timeout):
                async with self.media.stream("GET", url) as r:
                    if r.status_code != 200:
                        raise MediaUnreadable(f"媒體網址（{host}）回應 HTTP {r.status_code}")
                    data = bytearray()
                    async for chunk in r.aiter_bytes():
                        data += chunk
                        if len(data) > limit:
                            raise MediaUnreadable(f"媒體檔案（{host}）超過 {limit} 位元組")
                    ctype = r.headers.get("content-type")
        except TimeoutError:
            raise MediaUnreadable(f"讀取媒體網址（{host}）逾時") from None
        except httpx.HTTPError as exc:
            raise MediaUnreadable(f"無法讀取媒體網址（{host}：{type(exc).__name__}）") from None
        name = PurePosixPath(urlsplit(url).path).name or "media"
        return Attachment(name, bytes(data), ctype.split(";")[0].strip() if ctype else None)

    # -- pass-through ---------------------------------------------------------------------------------
    async def forward(self, request: Request, body: bytes | None,
                      extra_headers: tuple[tuple[str, str], ...] = ()) -> Response:
        """Send ``request`` upstream (``body`` instead of its own when given) and stream back the answer."""
        raw_path = request.scope.get("raw_path") or request.url.path.encode()
        target = raw_path.decode("latin-1") + (f"?{request.url.query}" if request.url.query else "")
        headers = [(k, v) for k, v in request.headers.raw if k.decode("latin-1").lower() not in _HOP_BY_HOP]
        content: Any = body
        if content is None:  # pass-through: keep a Content-Length the upstream may require
            content = await request.body() if "content-length" in request.headers else request.stream()
        try:
            upstream_request = self.upstream.build_request(request.method, target, headers=headers, content=content)
            answer = await self.upstream.send(upstream_request, stream=True)
        except httpx.HTTPError as exc:
            log.error("upstream unreachable: %s", type(exc).__name__)
            status, err = line_error(502, f"無法連線到 LINE 平台（{type(exc).__name__}）")
            return _json(status, err, extra_headers)
        out = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in answer.headers.raw
               if k.decode("latin-1").lower() not in _HOP_BY_HOP - {"content-length"}]
        response = StreamingResponse(answer.aiter_raw(), status_code=answer.status_code,
                                     background=BackgroundTask(answer.aclose))
        response.raw_headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in [*out, *extra_headers]]
        return response

    # -- inbound: webhooks ----------------------------------------------------------------------------
    async def webhook(self, request: Request) -> Response:
        raw = await self._body(request)
        if raw is None:
            return _json(*line_error(413, "webhook 內容過大，未轉送"))
        if not verify(self.config.channel_secret or "", raw, request.headers.get("x-line-signature")):
            log.warning("webhook with a missing or bad x-line-signature refused")
            return _json(*line_error(401, "x-line-signature 簽章驗證失敗，未轉送"))
        try:
            doc = json.loads(raw)
            events = doc.get("events", []) if isinstance(doc, dict) else None
            if not isinstance(events, list):
                raise ValueError
        except (ValueError, UnicodeDecodeError):
            return _json(*line_error(400, "webhook 內容不是有效的 JSON，未轉送"))
        for event in events:
            if isinstance(event, dict) and isinstance(event.get("replyToken"), str):
                source = event.get("source") if isinstance(event.get("source"), dict) else {}
                where = source.get("groupId") or source.get("roomId") or source.get("userId")
                if isinstance(where, str) and where:
                    self.reply_tokens.put(event["replyToken"], where)
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_BY_HOP}
        try:
            answer = await self.upstream.post(self.config.relay_to or "", content=raw, headers=headers)
        except httpx.HTTPError as exc:
            return _json(*line_error(502, f"無法轉送 webhook 給機器人（{type(exc).__name__}）"))
        return Response(answer.content, status_code=answer.status_code,
                        media_type=answer.headers.get("content-type", "application/json"))


def create_proxy_app(config: ProxyConfig, proxy: LineProxy | None = None) -> Starlette:
    """The ASGI app of ``dlp chat-proxy`` (one route: everything goes through :meth:`LineProxy.handle`)."""
    state = {"proxy": proxy}

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if state["proxy"] is None:
            state["proxy"] = LineProxy(config)
        app.state.proxy = state["proxy"]
        try:
            yield
        finally:
            await state["proxy"].aclose()

    async def endpoint(request: Request) -> Response:
        return await request.app.state.proxy.handle(request)

    methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]
    return Starlette(routes=[Route("/{path:path}", endpoint, methods=methods)], lifespan=lifespan)


def serve(config: ProxyConfig, host: str, port: int, log_level: str = "info", log_format: str = "text") -> None:
    import uvicorn

    from service.logs import configure, logging_config

    configure(log_format, log_level)  # ours, uvicorn's and jieba's lines in one format (text or JSON lines)
    log.info("dlp chat-proxy on http://%s:%d -> %s (decisions from %s)%s", host, port, config.upstream,
             config.service_url, f"; webhooks {config.webhook_path} -> {config.relay_to}" if config.relay_to else "")
    uvicorn.run(create_proxy_app(config), host=host, port=port, log_level=log_level, access_log=False,
                log_config=logging_config(log_format, log_level))
