"""``POST /v1/chat/check``: the plugin contract for self-hosted chat servers (and the LINE proxy).

The shape a Mattermost ``MessageWillBePosted`` or Rocket.Chat ``IPreMessageSentPrevent`` hook
needs: reject with a reason, or post a modified message. It is a thin translation onto the
same ``Scanner.scan`` (where the conversation registry decides the group's facts) and the same
audit writer as ``/v1/scan``; see docs/chat-gateway.md.

One chat-only rule lives here: a chat server can replace a message's text but not its files,
so a ``redact`` whose personal data sits outside the text cannot be carried out and becomes a
``block`` (the audit records the final action).

``install(app)`` adds the route and the idempotency layer (:mod:`service.idempotency`).
"""

from __future__ import annotations

import json
import time
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from dlp.model import Attachment, Conversation, Message, Report
from service import chat_adapter
from service.errors import ApiError, validation_details
from service.models import AttachmentIn, ConversationIn, ErrorResponse
from service.validation import decode_b64, parse_json_body

ENDPOINT = "/v1/chat/check"
UNREDACTABLE_REASON = "附件或其他無法修改的內容中含有個人資料，無法遮蔽後傳送，訊息暫不送出"
_MAX_TEXT = 30 * 1024 * 1024


class ChatMessageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(None, max_length=256, description="The message (post) id at the chat server, for the audit trail")
    text: str = Field("", max_length=_MAX_TEXT, description="Message text as it would be posted")
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=1000, description="Attached files, base64")


class ChatCheckRequest(BaseModel):
    """One chat message about to be posted."""

    model_config = ConfigDict(extra="forbid")  # worked examples: service/openapi_examples.json

    platform: str = Field(..., min_length=1, max_length=32, pattern=r"^[A-Za-z][A-Za-z0-9_-]*$",
                          description="Chat server: line, mattermost, rocketchat...")
    conversation: ConversationIn = Field(..., description="Where the message goes. Claims only: when the id is in "
                                         "the conversation registry, the registry's facts decide")
    sender: str | None = Field(None, max_length=320, description="Sender account")
    message: ChatMessageIn

    @field_validator("platform")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.lower()


class ChatCheckResponse(BaseModel):
    request_id: str
    patterns_version: str
    action: str = Field(..., description="allow | warn | redact | quarantine | block")
    reasons: list[str] = Field(..., description="Why, in Traditional Chinese, one per rule that fired")
    policy_tip: str | None = Field(None, description="One line to show the sender (None when allowed without remark)")
    redacted_text: str | None = Field(None, description="Post this instead of the original (action redact)")
    incident_id: str | None = Field(None, description="Reference of the audit record, for every non-allow decision")
    secrecy_level: str
    conversation: dict[str, Any] = Field(..., description="The facts that decided; source is registry or unlisted")


def _inline(schema: dict[str, Any]) -> dict[str, Any]:
    """A pydantic schema with its ``$defs`` inlined (OpenAPI would resolve ``#/$defs`` at the root)."""
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return walk(dict(defs[ref.rsplit("/", 1)[1]]))
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(schema)


router = APIRouter(tags=["chat"])


@router.post(
    ENDPOINT, response_model=ChatCheckResponse, summary="Check a chat message before it is posted (plugin contract)",
    description="For chat-server plugins (Mattermost `MessageWillBePosted`, Rocket.Chat `IPreMessageSentPrevent`) "
                "and the LINE proxy. `allow`/`warn`: post as is (show `policy_tip` on warn); `redact`: post "
                "`redacted_text` instead; `quarantine`/`block`: reject with `policy_tip`. Plugins must enforce their "
                "own deadline and reject when it runs out: the chat servers' plugin RPC posts the original on timeout.",
    openapi_extra={"security": [{"HTTPBearer": []}], "requestBody": {"required": True, "content": {
        "application/json": {"schema": _inline(ChatCheckRequest.model_json_schema())}}}},
    responses={c: {"model": ErrorResponse, "description": d} for c, d in (
        (400, "Malformed input"), (401, "Missing or invalid API key"), (403, "Key lacks the scope"),
        (413, "Body over the limit"), (422, "Input does not validate"), (503, "Not ready or audit log unavailable"))},
)
async def chat_check(request: Request) -> Response:
    key = chat_adapter.authorize_scan(request)
    body = await request.body()
    if not request.app.state.settings.decides_inline(len(body)):
        answer = await chat_adapter.in_scan_pool(request.app, check, request.app, request.state.request_id, key.id, body)
    else:  # a tiny body: parsed here and, without a file, decided here too (no thread hop: Settings)
        req = _validate(parse_json_body(body))
        if req.message.attachments:
            answer = await chat_adapter.in_scan_pool(request.app, decide, request.app, request.state.request_id, key.id, req)
        else:
            answer = decide(request.app, request.state.request_id, key.id, req)
    return Response(answer, media_type="application/json")


def check(app: FastAPI, request_id: str, key_id: str, body: bytes) -> bytes:
    """Parse, scan, audit and encode one chat check (runs in a worker thread)."""
    return decide(app, request_id, key_id, _validate(parse_json_body(body)))


def decide(app: FastAPI, request_id: str, key_id: str, req: ChatCheckRequest) -> bytes:
    """Scan, audit and encode one parsed chat check (a thread's work, or the loop's for a tiny body)."""
    message = _to_message(req)
    scanner = chat_adapter.scanner_of(app)
    started = time.perf_counter()
    version = scanner.packset.version
    report = scanner.scan(message)
    _no_partial_redaction(report)
    decided = _as_decided(message, report)
    chat_adapter.observe(ENDPOINT, time.perf_counter() - started, report.to_dict(), "chat")
    recorded = chat_adapter.audit_decision(app, request_id=request_id, key_id=key_id, endpoint=ENDPOINT,
                                           message=decided, report=report, patterns_version=version)
    incident = recorded.get("incident_id") if report.action != "allow" else None
    labels = getattr(scanner.policy, "config", None)
    label = labels.action_labels.get(report.action, report.action) if labels is not None else report.action
    doc = {
        "request_id": request_id, "patterns_version": version, "action": report.action, "reasons": report.reasons,
        "policy_tip": policy_tip(label, report.reasons, incident), "redacted_text": report.redacted_text,
        "incident_id": incident, "secrecy_level": report.secrecy_level,
        "conversation": report.destination.get("conversation") or {},
    }
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def policy_tip(action_label: str, reasons: list[str], incident_id: str | None) -> str | None:
    """One line for the sender: the action in the policy's words, the reasons, the reference."""
    if not reasons:
        return None
    ref = f"（事件編號 {incident_id}）" if incident_id else ""
    return f"{action_label}：{'；'.join(reasons)}{ref}"


def _validate(doc: dict[str, Any]) -> ChatCheckRequest:
    try:
        return ChatCheckRequest.model_validate(doc)
    except ValidationError as exc:
        raise ApiError(422, "invalid_request", "請求內容不符合格式 (request does not match the schema)",
                       validation_details(list(exc.errors()))) from None


def _to_message(req: ChatCheckRequest) -> Message:
    c = req.conversation
    return Message(
        text=req.message.text, channel="chat", sender=req.sender,
        conversation=Conversation(c.id, c.name, c.members, c.external_members, c.registered, platform=req.platform),
        attachments=[Attachment(a.filename, decode_b64(a.content_base64, i), a.content_type)
                     for i, a in enumerate(req.message.attachments)],
    )


def _no_partial_redaction(report: Report) -> None:
    if report.action != "redact":
        return
    if any(f.kind == "personal_data" and not f.shadow and f.location != "body" for f in report.findings):
        report.action = "block"
        report.redacted_text = None
        report.reasons.append(UNREDACTABLE_REASON)


def _as_decided(message: Message, report: Report) -> Message:
    """The message with the conversation facts that decided (what the audit should record)."""
    conv = report.destination.get("conversation")
    if not conv:
        return message
    from dataclasses import replace

    return replace(message, conversation=Conversation(
        str(conv.get("id", "")), str(conv.get("name", "")), int(conv.get("members", 0)),
        int(conv.get("external_members", 0)), bool(conv.get("registered", False)),
        platform=str(conv.get("platform", "")), allowed_level=conv.get("allowed_level")))


def install(app: FastAPI) -> None:
    """Add ``/v1/chat/check`` and the ``Idempotency-Key`` layer to the service (one line in app.py)."""
    from service.idempotency import IdempotencyMiddleware

    app.include_router(router)
    app.add_middleware(IdempotencyMiddleware)
