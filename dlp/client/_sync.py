"""``DLPClient``: the blocking face of the SDK (httpx.Client)."""

from __future__ import annotations

import random
import time
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

import httpx

from dlp.client import _core as api
from dlp.client._config import DEFAULT_RETRY, DEFAULT_TIMEOUT, FailMode, Retry, Timeout
from dlp.client._core import Answer, Call, ChatVerdict, ClientCore, DeadlineExceeded, Failure, Outcome, Send, Sleep
from dlp.model import Attachment, Conversation, Message

T = TypeVar("T")


class DLPClient:
    """Ask a ``dlp serve`` for decisions; every method returns a decision, never hangs.

    When the service cannot answer within ``timeout.total`` (retries included), ``scan``,
    ``scan_mime`` and ``check_chat`` return a ``block`` whose reason is
    「檢查服務無法連線，訊息暫不送出」 (``fail_mode="closed"``, the default). ``fail_mode="open"``
    returns ``allow`` instead and logs it at CRITICAL: unsafe, it lets unread content leave.
    ``redact`` has no safe substitute and raises :class:`ServiceUnavailable`.

        with DLPClient("http://127.0.0.1:8080", api_key=key) as dlp:
            report = dlp.scan(Message(text=..., channel="chat", conversation=Conversation("C...")))
    """

    def __init__(self, base_url: str = "http://127.0.0.1:8080", api_key: str | None = None, *,
                 timeout: Timeout = DEFAULT_TIMEOUT, retry: Retry = DEFAULT_RETRY, fail_mode: FailMode = "closed",
                 headers: Mapping[str, str] | None = None, verify: Any = True,
                 transport: httpx.BaseTransport | None = None, trust_env: bool = False,
                 rng: random.Random | None = None):
        self._core = ClientCore(base_url, api_key, timeout, retry, fail_mode, rng)
        self._http = httpx.Client(base_url=self._core.base_url, headers=headers, verify=verify,
                                  transport=transport, trust_env=trust_env)

    @property
    def timeout(self) -> Timeout:
        return self._core.timeout

    def scan(self, message: Message, *, override: api.Override | Mapping[str, Any] | None = None,
             idempotency_key: str | None = None) -> api.ServiceReport:
        """``POST /v1/scan``: the library's Report for ``message`` (a :class:`ServiceReport`, with the
        service's ``request_id`` and ``incident_id``). ``override``: send anyway after a ``warn``,
        naming its ``incident_id`` with a justification (:class:`Override`); the outcome is
        ``report.override``."""
        return self._call(self._core.scan_call(message, idempotency_key, override))

    def scan_mime(self, raw: bytes, sender: str | None = None, recipients: Iterable[str] | None = None, *,
                  queue_id: str | None = None, idempotency_key: str | None = None) -> api.ServiceReport:
        """``POST /v1/scan/mime``: a raw RFC 822 message with its envelope (and the gateway's
        queue id, recorded with the incident)."""
        return self._call(self._core.mime_call(raw, sender, recipients, idempotency_key, queue_id))

    def redact(self, text: str) -> str:
        """``POST /v1/redact``: ``text`` with personal data masked (raises ServiceUnavailable)."""
        return self._call(self._core.redact_call(text))

    def check_chat(self, conversation: Conversation, text: str, *, platform: str, sender: str | None = None,
                   message_id: str | None = None, attachments: Iterable[Attachment] = (),
                   idempotency_key: str | None = None) -> ChatVerdict:
        """``POST /v1/chat/check``: the plugin contract (action, reasons, policy tip, redacted text)."""
        return self._call(self._core.chat_call(platform, conversation, text, sender, message_id, attachments,
                                               idempotency_key))

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> DLPClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- I/O ----------------------------------------------------------------------------------------
    def _call(self, call: Call[T]) -> T:
        steps = self._core.attempts(call.request)
        outcome: Outcome = None
        try:
            while True:
                step = steps.send(outcome)
                if isinstance(step, Sleep):
                    time.sleep(step.seconds)
                    outcome = None
                else:
                    outcome = self._send(step)
        except StopIteration as stop:
            result: bytes | Failure = stop.value
        return self._core.finish(call, result)

    def _send(self, step: Send) -> Outcome:
        r = step.request
        try:
            with self._http.stream(r.method, r.path, content=r.content, headers=dict(r.headers), params=list(r.params),
                                   timeout=self._core.httpx_timeout(step.remaining)) as response:
                chunks = []
                for chunk in response.iter_bytes():
                    if time.monotonic() > step.deadline:
                        raise DeadlineExceeded("total timeout spent while reading the answer")
                    chunks.append(chunk)
                return Answer(response.status_code, response.headers, b"".join(chunks))
        except Exception as exc:  # noqa: BLE001 - every failure becomes a Failure: fail closed
            return exc
