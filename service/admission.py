"""Who gets a scan thread, and when: per-key limits and two lanes, so a chat message never waits
behind a document.

Scanning is CPU work in threads (one hop per request, see ``service.app``). Requests are put in
a *lane* by their declared size (``Content-Length``; none counts as large):

* **small** (≤ ``large_request_bytes``, 256 KiB by default: chat messages, ordinary mail) get
  ``scan_threads`` threads of their own, first come first served;
* **large** ones get ``large_scan_threads`` (default 1 per worker: a document scan is CPU-bound
  and the GIL lets one thread use one core), served *shortest first with ageing*: a request's
  place is its arrival time plus ``size / 1 MB/s``, so a 300 KB mail passes a 30 MB one that
  came a little earlier, and nothing waits forever.

Limits, each answered at once rather than after a long wait:

* a lane whose queue is full, or a wait longer than ``queue_timeout_seconds``: **503**
  ``overloaded`` with ``Retry-After`` (the service is saturated; a gateway retries later);
* a key with ``key_concurrency`` requests in flight in this worker (``key_large_concurrency``
  large ones): **429** ``too_many_requests`` with ``Retry-After`` (that one caller is sending
  too much; others are still served).

All counts are per worker process; ``dlp serve --workers N`` multiplies them by N.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import heapq
import itertools
import math
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from service.errors import ApiError

T = TypeVar("T")
#: Ageing rate of the large lane: a request waits as if it had come size / AGEING_RATE later.
AGEING_BYTES_PER_SECOND = 1024 * 1024


class Saturated(ApiError):
    def __init__(self, lane: str, retry_after: int):
        super().__init__(503, "overloaded", f"服務忙碌中，請稍後再試 (service saturated: {lane} requests queue full)",
                         headers={"Retry-After": str(retry_after)})


class KeyBusy(ApiError):
    def __init__(self, key_id: str, limit: int, retry_after: int):
        super().__init__(429, "too_many_requests",
                         f"此金鑰同時進行的請求已達上限 {limit} 個，請稍後再試 (key {key_id}: {limit} requests in flight)",
                         headers={"Retry-After": str(retry_after)})


class _Slots:
    """``capacity`` slots; waiters are served lowest ``order`` first (FIFO when orders rise)."""

    def __init__(self, capacity: int):
        self.free = capacity
        self._waiters: list[tuple[float, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()

    @property
    def waiting(self) -> int:
        return len(self._waiters)

    async def acquire(self, order: float, timeout: float) -> bool:
        """True once a slot is held; False when ``timeout`` passed first (the caller answers 503)."""
        if self.free > 0 and not self._waiters:
            self.free -= 1
            return True
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        entry = (order, next(self._seq), fut)
        heapq.heappush(self._waiters, entry)
        got = False
        try:
            await asyncio.wait_for(fut, timeout)
            got = True
            return True
        except TimeoutError:
            return False
        finally:
            if not got:
                if fut.done() and not fut.cancelled():
                    self.release()  # the slot came just as we gave up (or were cancelled): pass it on
                elif entry in self._waiters:
                    self._waiters.remove(entry)
                    heapq.heapify(self._waiters)

    def release(self) -> None:
        while self._waiters:
            _, _, fut = heapq.heappop(self._waiters)
            if not fut.done():
                fut.set_result(None)  # the slot passes straight to the next waiter
                return
        self.free += 1


@dataclass
class Lane:
    name: str
    threads: int
    queue_limit: int
    pool: concurrent.futures.ThreadPoolExecutor = field(init=False)
    slots: _Slots = field(init=False)
    #: seconds a request of this lane took lately (for Retry-After)
    recent: float = 0.05

    def __post_init__(self) -> None:
        self.pool = concurrent.futures.ThreadPoolExecutor(self.threads, thread_name_prefix=f"dlp-scan-{self.name}")
        self.slots = _Slots(self.threads)

    def retry_after(self) -> int:
        return max(1, min(120, math.ceil((self.slots.waiting + 1) * self.recent / self.threads)))


class Admission:
    """Per-worker admission: lanes, per-key counts, and the thread hop."""

    def __init__(self, *, small_threads: int, large_threads: int, large_request_bytes: int, small_queue: int,
                 large_queue: int, queue_timeout: float, key_concurrency: int, key_large_concurrency: int,
                 after_large: Callable[[], None] | None = None):
        self.small = Lane("small", max(1, small_threads), small_queue)
        self.large = Lane("large", max(1, large_threads), large_queue)
        self.large_request_bytes = large_request_bytes
        self.queue_timeout = queue_timeout
        self.key_concurrency = key_concurrency
        self.key_large_concurrency = key_large_concurrency
        self.after_large = after_large
        self._in_flight: dict[str, int] = {}
        self._large_in_flight: dict[str, int] = {}
        self._large_busy = 0
        #: Requests decided on the event loop itself (``Ticket.run_here``; tests, diagnostics).
        self.inline_served = 0

    def lane_for(self, size: int | None) -> Lane:
        return self.small if size is not None and size <= self.large_request_bytes else self.large

    @contextlib.asynccontextmanager
    async def admit(self, key_id: str, size: int | None) -> AsyncIterator[Ticket]:
        """Count the request against its key and lane (429/503 at once if over); the body may then be read."""
        lane = self.lane_for(size)
        large = lane is self.large
        if self._in_flight.get(key_id, 0) >= self.key_concurrency:
            raise KeyBusy(key_id, self.key_concurrency, lane.retry_after())
        if large and self._large_in_flight.get(key_id, 0) >= self.key_large_concurrency:
            raise KeyBusy(key_id, self.key_large_concurrency, lane.retry_after())
        if lane.slots.waiting >= lane.queue_limit:
            raise Saturated(lane.name, lane.retry_after())
        self._in_flight[key_id] = self._in_flight.get(key_id, 0) + 1
        if large:
            self._large_in_flight[key_id] = self._large_in_flight.get(key_id, 0) + 1
        try:
            yield Ticket(self, lane, size)
        finally:
            _decrement(self._in_flight, key_id)
            if large:
                _decrement(self._large_in_flight, key_id)

    def shutdown(self) -> None:
        for lane in (self.small, self.large):
            lane.pool.shutdown(wait=False, cancel_futures=True)


@dataclass
class Ticket:
    admission: Admission
    lane: Lane
    size: int | None
    arrived: float = field(default_factory=time.monotonic)

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Wait for a thread of the lane (503 if the wait is too long), then run ``fn`` there."""
        lane, adm = self.lane, self.admission
        order = self.arrived + (self.size or adm.large_request_bytes * 4) / AGEING_BYTES_PER_SECOND if lane is adm.large else self.arrived
        if not await lane.slots.acquire(order, max(0.0, adm.queue_timeout - (time.monotonic() - self.arrived))):
            raise Saturated(lane.name, lane.retry_after())
        started = time.monotonic()
        large = lane is adm.large
        if large:
            adm._large_busy += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(lane.pool, _call, fn, args)
        finally:
            lane.recent = 0.8 * lane.recent + 0.2 * (time.monotonic() - started)
            lane.slots.release()
            if large:
                adm._large_busy -= 1
                if adm._large_busy == 0 and lane.slots.waiting == 0 and adm.after_large is not None:
                    lane.pool.submit(adm.after_large)  # e.g. give freed memory back to the system


    def run_here(self, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn`` now, on the event loop's thread: a tiny request (``Settings.inline_scan_bytes``)
        costs less decided here than the thread hop does. The per-key count still applies."""
        adm = self.admission
        adm.inline_served += 1
        started = time.monotonic()
        try:
            return fn(*args)
        finally:
            self.lane.recent = 0.8 * self.lane.recent + 0.2 * (time.monotonic() - started)


def _call(fn: Callable[..., T], args: tuple[Any, ...]) -> T:
    return fn(*args)


def _decrement(counts: dict[str, int], key: str) -> None:
    n = counts.get(key, 0) - 1
    if n > 0:
        counts[key] = n
    else:
        counts.pop(key, None)
