"""Memory of the proxy: decisions by ``X-Line-Retry-Key`` and reply tokens by conversation.

LINE makes a retried send idempotent with ``X-Line-Retry-Key`` (the platform answers 409 to a
repeat of an accepted request). The proxy keeps the same promise one step earlier: a request
is *decided once* per (channel token, retry key). A repeat gets the same refusal, or the same
forwarded body is sent upstream again with the same key (so the platform can recognise it);
a repeat with another body is refused (409); a repeat that arrives while the first is being
decided waits for it. A request the filter could not decide (service unavailable) is not
remembered: its retry is decided afresh.

Both maps are bounded (entries and bytes) and expire; they live in one proxy process.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

V = TypeVar("V")


@dataclass(frozen=True)
class Outcome:
    """What the proxy did with a send request.

    ``kind``: ``refused`` (answered ``status``/``body``, nothing forwarded), ``forward``
    (``body`` goes upstream), or ``unavailable`` (answered, never remembered).
    """

    kind: str
    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()

    @property
    def remembered(self) -> bool:
        return self.kind in ("refused", "forward")


@dataclass
class _Entry:
    body_sha: str
    future: asyncio.Future[Outcome]
    created: float
    size: int = 0


class RetryKeyMismatch(Exception):
    """The retry key was used before with another request body."""


class RetryLedger:
    def __init__(self, ttl: float = 24 * 3600, max_entries: int = 10_000, max_bytes: int = 64 * 1024 * 1024):
        self.ttl, self.max_entries, self.max_bytes = ttl, max_entries, max_bytes
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)

    async def decide_once(self, key: str, body_sha: str,
                          decide: Callable[[], Awaitable[Outcome]]) -> tuple[Outcome, bool]:
        """The outcome for ``key`` and whether it was already decided (a replay)."""
        self._expire()
        entry = self._entries.get(key)
        if entry is not None:
            if entry.body_sha != body_sha:
                raise RetryKeyMismatch(key)
            return await asyncio.shield(entry.future), True
        future: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
        entry = _Entry(body_sha, future, time.monotonic())
        self._entries[key] = entry
        try:
            outcome = await decide()
        except BaseException:
            self._drop(key)
            future.set_result(Outcome("unavailable", 503))
            raise
        future.set_result(outcome)
        if outcome.remembered:
            entry.size = len(outcome.body)
            self._bytes += entry.size
            self._bound()
        else:
            self._drop(key)
        return outcome, False

    def _drop(self, key: str) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._bytes -= entry.size

    def _expire(self) -> None:
        limit = time.monotonic() - self.ttl
        while self._entries:
            key, entry = next(iter(self._entries.items()))
            if entry.created >= limit:
                break
            self._drop(key)

    def _bound(self) -> None:
        while self._entries and (len(self._entries) > self.max_entries or self._bytes > self.max_bytes):
            key, entry = next(iter(self._entries.items()))
            if not entry.future.done():
                break
            self._drop(key)


class ExpiringMap(Generic[V]):
    """A bounded map whose entries expire (reply token -> where the reply goes)."""

    def __init__(self, ttl: float, max_entries: int = 100_000):
        self.ttl, self.max_entries = ttl, max_entries
        self._items: OrderedDict[Any, tuple[float, V]] = OrderedDict()

    def put(self, key: Any, value: V) -> None:
        self._items.pop(key, None)
        self._items[key] = (time.monotonic(), value)
        while len(self._items) > self.max_entries:
            self._items.popitem(last=False)

    def get(self, key: Any) -> V | None:
        item = self._items.get(key)
        if item is None:
            return None
        if item[0] < time.monotonic() - self.ttl:
            del self._items[key]
            return None
        return item[1]
