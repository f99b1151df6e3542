"""``AsyncDLPClient``: the asyncio/anyio face of the SDK (httpx.AsyncClient)."""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

import anyio
import httpx

from dlp.client import _core as api
from dlp.client._config import DEFAULT_RETRY, DEFAULT_TIMEOUT, FailMode, Retry, Timeout
from dlp.client._core import Answer, Call, ChatVerdict, ClientCore, DeadlineExceeded, Failure, Outcome, Send, Sleep
from dlp.model import Attachment, Conversation, Message

T = TypeVar("T")


class AsyncDLPClient:
    """The same calls and guarantees as :class:`DLPClient`, awaitable. The total timeout is a
    hard deadline here (the whole exchange is cancelled when it runs out)."""

    def __init__(self, base_url: str = "http://127.0.0.1:8080", api_key: str | None = None, *,
                 timeout: Timeout = DEFAULT_TIMEOUT, retry: Retry = DEFAULT_RETRY, fail_mode: FailMode = "closed",
                 headers: Mapping[str, str] | None = None, verify: Any = True,
                 transport: httpx.AsyncBaseTransport | None = None, trust_env: bool = False,
                 limits: httpx.Limits | None = None, rng: random.Random | None = None):
        self._core = ClientCore(base_url, api_key, timeout, retry, fail_mode, rng)
        self._http = httpx.AsyncClient(base_url=self._core.base_url, headers=headers, verify=verify,
                                       transport=transport, trust_env=trust_env,
                                       limits=limits or httpx.Limits(max_connections=100, max_keepalive_connections=20))

    @property
    def timeout(self) -> Timeout:
        return self._core.timeout

    async def scan(self, message: Message, *, override: api.Override | Mapping[str, Any] | None = None,
                   idempotency_key: str | None = None) -> api.ServiceReport:
        return await self._call(self._core.scan_call(message, idempotency_key, override))

    async def scan_mime(self, raw: bytes, sender: str | None = None, recipients: Iterable[str] | None = None, *,
                        queue_id: str | None = None, idempotency_key: str | None = None) -> api.ServiceReport:
        return await self._call(self._core.mime_call(raw, sender, recipients, idempotency_key, queue_id))

    async def redact(self, text: str) -> str:
        return await self._call(self._core.redact_call(text))

    async def check_chat(self, conversation: Conversation, text: str, *, platform: str, sender: str | None = None,
                         message_id: str | None = None, attachments: Iterable[Attachment] = (),
                         idempotency_key: str | None = None) -> ChatVerdict:
        return await self._call(self._core.chat_call(platform, conversation, text, sender, message_id, attachments,
                                                     idempotency_key))

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> AsyncDLPClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # -- I/O ----------------------------------------------------------------------------------------
    async def _call(self, call: Call[T]) -> T:
        steps = self._core.attempts(call.request)
        outcome: Outcome = None
        try:
            while True:
                step = steps.send(outcome)
                if isinstance(step, Sleep):
                    await anyio.sleep(step.seconds)
                    outcome = None
                else:
                    outcome = await self._send(step)
        except StopIteration as stop:
            result: bytes | Failure = stop.value
        return self._core.finish(call, result)

    async def _send(self, step: Send) -> Outcome:
        r = step.request
        try:
            with anyio.fail_after(step.remaining):
                response = await self._http.request(r.method, r.path, content=r.content, headers=dict(r.headers),
                                                    params=list(r.params),
                                                    timeout=self._core.httpx_timeout(step.remaining))
            return Answer(response.status_code, response.headers, response.content)
        except TimeoutError:
            return DeadlineExceeded("total timeout spent")
        except Exception as exc:  # noqa: BLE001 - every failure becomes a Failure: fail closed
            return exc
