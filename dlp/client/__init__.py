"""``dlp.client``: the SDK every gateway uses to ask ``dlp serve`` for a decision.

One sans-I/O core (:mod:`dlp.client._core`: requests, retries, fail mode) with a blocking face,
:class:`DLPClient`, and an awaitable one, :class:`AsyncDLPClient` — the shape of httpx.
Configuration is explicit (:class:`Timeout`, :class:`Retry`, ``fail_mode``); nothing is read
from globals or the environment.

    from dlp import Message, Conversation
    from dlp.client import DLPClient, Timeout

    with DLPClient("http://127.0.0.1:8080", api_key=key, timeout=Timeout(total=2.0, connect=0.5)) as dlp:
        report = dlp.scan(Message(text="...", channel="chat", conversation=Conversation("C0f3...")))
        if report.action in ("block", "quarantine"):
            ...  # do not send; show report.reasons

Guarantees: every call returns within ``timeout.total``; retries only on connection errors,
408, 429 and 5xx (honouring ``Retry-After``), each call carrying one ``Idempotency-Key`` across
its retries so the service decides and audits it once; when no answer comes, ``fail_mode="closed"``
(default) returns ``block`` with the reason 「檢查服務無法連線，訊息暫不送出」.
"""

from dlp.client._async import AsyncDLPClient
from dlp.client._config import NO_RETRY, RETRY_STATUSES, FailMode, Retry, Timeout
from dlp.client._core import (
    FAIL_OPEN_REASON,
    UNREACHABLE_REASON,
    ChatVerdict,
    Failure,
    Override,
    ServiceReport,
    ServiceUnavailable,
    is_unavailable,
    message_to_json,
)
from dlp.client._sync import DLPClient

__all__ = [
    "FAIL_OPEN_REASON",
    "NO_RETRY",
    "RETRY_STATUSES",
    "UNREACHABLE_REASON",
    "AsyncDLPClient",
    "ChatVerdict",
    "DLPClient",
    "FailMode",
    "Failure",
    "Override",
    "Retry",
    "ServiceReport",
    "ServiceUnavailable",
    "Timeout",
    "is_unavailable",
    "message_to_json",
]
