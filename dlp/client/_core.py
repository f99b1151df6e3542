"""The sans-I/O core shared by :class:`DLPClient` and :class:`AsyncDLPClient`.

:meth:`ClientCore.attempts` is a generator that says what to do next — send this request
with this time left, or sleep this long — and is told what happened; it decides retries,
back-off and ``Retry-After``, and returns the body of a good answer or the :class:`Failure`
that ended the call. Each face only does the I/O, so retry and fail-closed behaviour is
written once and tested once.
"""

from __future__ import annotations

import base64
import email.utils
import json
import logging
import random
import time
import uuid
from collections.abc import Callable, Generator, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import httpx

from dlp.client._config import FAIL_MODES, FailMode, Retry, Timeout
from dlp.model import ACTIONS, Attachment, Conversation, Message, Report

log = logging.getLogger("dlp.client")
T = TypeVar("T")

UNREACHABLE_REASON = "檢查服務無法連線，訊息暫不送出"
FAIL_OPEN_REASON = "檢查服務無法連線，訊息未經檢查即放行（fail_mode=\"open\"，不安全）"
#: ``not_inspected[].source`` of the reports this client makes up when the service gives none.
CLIENT_SOURCE = "dlp.client"


class ServiceUnavailable(RuntimeError):
    """The service gave no usable answer (raised where no safe report exists: ``redact``)."""

    def __init__(self, failure: Failure):
        self.failure = failure
        super().__init__(f"DLP service: {failure.kind}: {failure.detail}")


@dataclass(frozen=True)
class Failure:
    """Why a call ended without an answer.

    ``unreachable``: no answer in time (connection errors, timeouts, 408, 429, 5xx);
    ``refused``: the service said no to the request itself (another 4xx);
    ``bad_response``: an answer that is not what the contract says.
    """

    kind: str
    detail: str
    status: int | None = None
    message: str = ""

    @property
    def retryable_kind(self) -> bool:
        return self.kind == "unreachable"


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    content: bytes
    headers: Mapping[str, str]
    params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Call(Generic[T]):
    """One logical call: the request, how to read a good answer, and what to return without one."""

    request: Request
    parse: Callable[[bytes], T]
    fallback: Callable[[Failure], T]


@dataclass(frozen=True)
class Send:
    """Step: send ``request``; no byte of it may take longer than ``remaining`` seconds."""

    request: Request
    remaining: float
    deadline: float


@dataclass(frozen=True)
class Sleep:
    seconds: float


@dataclass(frozen=True)
class Answer:
    status: int
    headers: Mapping[str, str]
    body: bytes


Outcome = Answer | BaseException | None


class DeadlineExceeded(httpx.TimeoutException):
    """The total time of a call ran out while a response was still arriving."""


@dataclass
class ChatVerdict:
    """The answer of ``POST /v1/chat/check``: what a chat gateway or plugin needs."""

    action: str
    reasons: list[str] = field(default_factory=list)
    policy_tip: str | None = None
    redacted_text: str | None = None
    incident_id: str | None = None
    request_id: str | None = None
    secrecy_level: str = "none"
    #: the facts that decided (``source``: registry or unlisted), as the service reports them
    conversation: dict[str, Any] = field(default_factory=dict)
    #: True when the service gave no answer and this verdict is the client's fail mode
    unavailable: bool = False

    @classmethod
    def from_dict(cls, doc: Any) -> ChatVerdict:
        if not isinstance(doc, dict) or doc.get("action") not in ACTIONS:
            raise ValueError("not a chat verdict")
        redacted = doc.get("redacted_text")
        if doc["action"] == "redact" and not isinstance(redacted, str):
            raise ValueError("a redact verdict without redacted_text")
        return cls(
            action=doc["action"], reasons=[str(r) for r in doc.get("reasons") or []],
            policy_tip=doc.get("policy_tip"), redacted_text=redacted, incident_id=doc.get("incident_id"),
            request_id=doc.get("request_id"), secrecy_level=str(doc.get("secrecy_level", "none")),
            conversation=dict(doc.get("conversation") or {}),
        )


@dataclass
class ServiceReport(Report):
    """The library's :class:`Report` as the service gave it, with what the service adds about
    this decision: its ``request_id`` (the audit record), the ``incident_id`` of a non-allow
    decision (what an override names, what a gateway shows) and the outcome of an ``override``
    (``accepted``, ``refusal``, ``original_action``). All None in a report the client made up."""

    request_id: str | None = None
    incident_id: str | None = None
    override: dict[str, Any] | None = None

    @classmethod
    def from_answer(cls, doc: Any) -> ServiceReport:
        report = cls.from_dict(doc)
        report.request_id = _optional_str(doc.get("request_id"))
        report.incident_id = _optional_str(doc.get("incident_id"))
        report.override = dict(doc["override"]) if isinstance(doc.get("override"), dict) else None
        return report


@dataclass(frozen=True)
class Override:
    """Send anyway after a ``warn`` (where the policy allows it): the earlier decision's incident
    id and the sender's business justification. The service checks that it is the same content
    from the same sender, recent enough, and audits the attempt either way."""

    incident_id: str
    justification: str

    def to_json(self) -> dict[str, str]:
        return {"incident_id": self.incident_id, "justification": self.justification}


def _optional_str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _override_json(override: Override | Mapping[str, Any]) -> dict[str, str]:
    if isinstance(override, Override):
        return override.to_json()
    if isinstance(override, Mapping) and isinstance(override.get("incident_id"), str) \
            and isinstance(override.get("justification"), str):
        return {"incident_id": override["incident_id"], "justification": override["justification"]}
    raise TypeError("override must be dlp.client.Override(incident_id, justification) or a dict with both")


def is_unavailable(report: Report) -> bool:
    """True when ``report`` was made by the client because the service gave no answer."""
    return any(item.get("source") == CLIENT_SOURCE for item in report.not_inspected)


def message_to_json(message: Message) -> dict[str, Any]:
    """A :class:`Message` as ``POST /v1/scan`` takes it (attachments base64)."""
    doc: dict[str, Any] = {
        "text": message.text, "channel": message.channel, "recipients": list(message.recipients),
        "attachments": [_attachment_json(a) for a in message.attachments],
    }
    if message.subject is not None:
        doc["subject"] = message.subject
    if message.sender is not None:
        doc["sender"] = message.sender
    if message.conversation is not None:
        doc["conversation"] = conversation_claims(message.conversation)
    return doc


def conversation_claims(conv: Conversation) -> dict[str, Any]:
    """What a caller may *claim* about a conversation (the registry decides the rest)."""
    return {"id": conv.id, "name": conv.name, "members": conv.members,
            "external_members": conv.external_members, "registered": conv.registered}


def _attachment_json(a: Attachment) -> dict[str, Any]:
    out: dict[str, Any] = {"filename": a.filename, "content_base64": base64.b64encode(a.content).decode("ascii")}
    if a.content_type:
        out["content_type"] = a.content_type
    return out


def _retry_after(headers: Mapping[str, str]) -> float | None:
    raw = headers.get("retry-after")
    if not raw:
        return None
    raw = raw.strip()
    if raw.isdigit():
        return float(raw)
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _error_message(body: bytes) -> str:
    try:
        doc = json.loads(body)
        return str(doc["error"]["message"])[:200]
    except (ValueError, KeyError, TypeError):
        return ""


class ClientCore:
    """Everything but the I/O: requests, retries, parsing, and the fail mode."""

    def __init__(self, base_url: str, api_key: str | None, timeout: Timeout, retry: Retry, fail_mode: FailMode,
                 rng: random.Random | None = None):
        if fail_mode not in FAIL_MODES:
            raise ValueError(f"fail_mode must be one of {FAIL_MODES}, not {fail_mode!r}")
        if not isinstance(timeout, Timeout) or not isinstance(retry, Retry):
            raise TypeError("timeout and retry must be dlp.client.Timeout and dlp.client.Retry objects")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.retry = retry
        self.fail_mode = fail_mode
        self.rng = rng or random.Random()
        self._auth = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        if fail_mode == "open":
            log.warning("dlp.client: fail_mode='open' is UNSAFE: when the DLP service cannot answer, "
                        "messages will be allowed without being checked")

    # -- calls: a request, how to read a good answer, what to do without one -----------------------
    def scan_call(self, message: Message, idempotency_key: str | None,
                  override: Override | Mapping[str, Any] | None = None) -> Call[ServiceReport]:
        return Call(self.scan_request(message, idempotency_key, override), self.parse_report, self.fallback_report)

    def mime_call(self, raw: bytes, sender: str | None, recipients: Iterable[str] | None,
                  idempotency_key: str | None, queue_id: str | None = None) -> Call[ServiceReport]:
        return Call(self.mime_request(raw, sender, recipients, idempotency_key, queue_id), self.parse_report,
                    self.fallback_report)

    def redact_call(self, text: str) -> Call[str]:
        return Call(self.redact_request(text), self.parse_redacted, self.raise_unavailable)

    def chat_call(self, platform: str, conversation: Conversation, text: str, sender: str | None,
                  message_id: str | None, attachments: Iterable[Attachment], idempotency_key: str | None) -> Call[ChatVerdict]:
        request = self.chat_request(platform, conversation, text, sender, message_id, attachments, idempotency_key)
        return Call(request, self.parse_verdict, self.fallback_verdict)

    # -- requests ------------------------------------------------------------------------------
    def json_request(self, path: str, doc: dict[str, Any], idempotency_key: str | None) -> Request:
        body = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return self.request("POST", path, body, "application/json", idempotency_key)

    def request(self, method: str, path: str, content: bytes, content_type: str, idempotency_key: str | None,
                params: Iterable[tuple[str, str]] = ()) -> Request:
        headers = {**self._auth, "Content-Type": content_type,
                   "Idempotency-Key": idempotency_key or uuid.uuid4().hex}
        return Request(method, path, content, headers, tuple(params))

    def scan_request(self, message: Message, idempotency_key: str | None,
                     override: Override | Mapping[str, Any] | None = None) -> Request:
        doc = message_to_json(message)
        if override is not None:
            doc["override"] = _override_json(override)
        return self.json_request("/v1/scan", doc, idempotency_key)

    def mime_request(self, raw: bytes, sender: str | None, recipients: Iterable[str] | None,
                     idempotency_key: str | None, queue_id: str | None = None) -> Request:
        params = ([("sender", sender)] if sender is not None else []) + [("recipients", r) for r in recipients or ()]
        if queue_id:
            params.append(("queue_id", queue_id))
        return self.request("POST", "/v1/scan/mime", raw, "message/rfc822", idempotency_key, params)

    def redact_request(self, text: str) -> Request:
        return self.json_request("/v1/redact", {"text": text}, None)

    def chat_request(self, platform: str, conversation: Conversation, text: str, sender: str | None,
                     message_id: str | None, attachments: Iterable[Attachment], idempotency_key: str | None) -> Request:
        doc = {
            "platform": platform, "conversation": conversation_claims(conversation), "sender": sender,
            "message": {"id": message_id, "text": text, "attachments": [_attachment_json(a) for a in attachments]},
        }
        return self.json_request("/v1/chat/check", doc, idempotency_key)

    def httpx_timeout(self, remaining: float) -> httpx.Timeout:
        return httpx.Timeout(remaining, connect=min(self.timeout.connect, remaining))

    # -- the retry loop, without I/O -------------------------------------------------------------
    def attempts(self, request: Request) -> Generator[Send | Sleep, Outcome, bytes | Failure]:
        """Drive one call: yields steps, receives their outcomes, returns a body or a Failure."""
        deadline = time.monotonic() + self.timeout.total
        failure = Failure("unreachable", "no attempt made")
        for attempt in range(1, self.retry.attempts + 1):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return Failure("unreachable", f"timed out after {self.timeout.total:g} s ({failure.detail})")
            outcome = yield Send(request, remaining, deadline)
            headers: Mapping[str, str] = {}
            if isinstance(outcome, Answer):
                headers = outcome.headers
                if 200 <= outcome.status < 300:
                    return outcome.body
                failure = self._status_failure(outcome)
            else:
                failure = self._error_failure(outcome)
            delay = self._delay(failure, headers, attempt, deadline - time.monotonic())
            if delay is None:
                return failure
            yield Sleep(delay)
        return failure

    def _status_failure(self, answer: Answer) -> Failure:
        message = _error_message(answer.body)
        detail = f"HTTP {answer.status}" + (f": {message}" if message else "")
        if answer.status in self.retry.statuses:
            return Failure("unreachable", detail, answer.status, message)
        if 400 <= answer.status < 500:
            return Failure("refused", detail, answer.status, message)
        return Failure("bad_response", detail, answer.status, message)

    @staticmethod
    def _error_failure(exc: Outcome) -> Failure:
        if isinstance(exc, httpx.TransportError):  # connect, read, write, protocol errors, timeouts
            return Failure("unreachable", f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)
        return Failure("bad_response", f"{type(exc).__name__}: {exc}")

    def _delay(self, failure: Failure, headers: Mapping[str, str], attempt: int, remaining: float) -> float | None:
        if not failure.retryable_kind or attempt >= self.retry.attempts or remaining <= 0:
            return None
        delay = self.retry.delay(attempt, self.rng)
        after = _retry_after(headers)
        if after is not None:
            if after >= remaining:
                return None  # the server asks for longer than we may wait: fail now, not late
            delay = max(delay, after)
        return min(delay, remaining)

    # -- results ---------------------------------------------------------------------------------
    @staticmethod
    def parse_json(body: bytes) -> Any:
        try:
            return json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ValueError(f"not JSON: {exc}") from None

    @staticmethod
    def finish(call: Call[T], result: bytes | Failure) -> T:
        if isinstance(result, bytes):
            try:
                return call.parse(result)
            except ValueError as exc:
                result = Failure("bad_response", str(exc))
        return call.fallback(result)

    def _fail_open(self, failure: Failure) -> bool:
        """Whether this failure lets the message through: only in open mode, and only when the
        service could not be reached — a refused or garbled request is never let through."""
        if self.fail_mode == "open" and failure.kind == "unreachable":
            log.critical("DLP FAIL-OPEN: the service could not answer (%s); the message is allowed UNCHECKED",
                         failure.detail)
            return True
        log.error("DLP service gave no decision (%s: %s); the message is blocked", failure.kind, failure.detail)
        return False

    def _reason(self, failure: Failure) -> str:
        if failure.kind == "refused":
            said = f"：{failure.message}" if failure.message else ""
            return f"檢查服務拒絕了這則訊息的檢查請求（HTTP {failure.status}{said}），訊息暫不送出"
        return UNREACHABLE_REASON

    def fallback_report(self, failure: Failure) -> ServiceReport:
        opened = self._fail_open(failure)
        marker = {"location": "message", "reason": f"service_{failure.kind}", "detail": failure.detail,
                  "source": CLIENT_SOURCE}
        return ServiceReport(action="allow" if opened else "block", reasons=[FAIL_OPEN_REASON if opened else self._reason(failure)],
                      not_inspected=[marker])

    def fallback_verdict(self, failure: Failure) -> ChatVerdict:
        opened = self._fail_open(failure)
        reason = FAIL_OPEN_REASON if opened else self._reason(failure)
        return ChatVerdict(action="allow" if opened else "block", reasons=[reason], policy_tip=reason, unavailable=True)

    @staticmethod
    def raise_unavailable(failure: Failure) -> Any:
        raise ServiceUnavailable(failure)

    def parse_report(self, body: bytes) -> ServiceReport:
        return ServiceReport.from_answer(self.parse_json(body))

    def parse_verdict(self, body: bytes) -> ChatVerdict:
        return ChatVerdict.from_dict(self.parse_json(body))

    def parse_redacted(self, body: bytes) -> str:
        doc = self.parse_json(body)
        if not isinstance(doc, dict) or not isinstance(doc.get("redacted_text"), str):
            raise ValueError("not a redact answer")
        return doc["redacted_text"]
