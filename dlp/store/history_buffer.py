"""The destination history off the decision path: learns written behind, lookups cached.

``BufferedHistory`` is a ``DestinationHistory`` for a long-running gateway process (the service's
workers, the in-process milter). Two things change, nothing the decision sees:

* **Write-behind learning.** ``learn`` puts the decision in a bounded in-memory queue and
  returns; one background thread per process merges everything queued into one transaction
  (group commit: a busy sender's hundred messages are a handful of upserts). ``close()`` (the
  service's shutdown, ``atexit`` otherwise) writes what is queued. A crash loses only what was
  still queued: learning, never a decision, an audit record or an incident (those are written
  before the answer, as before). A full queue (the database down or far behind) drops the
  learn with an error log; the decision is unaffected.
* **Lookups that see the queue, and a short cache.** A lookup reads the store as before and then
  counts in every queued learn of this process (``RawFacts.add``: exactly what the upserts will
  do), so a decision always sees every earlier decision of its process, written or not. The
  aggregates read are kept for ``cache_seconds`` (keyed by the message's hashed keys and the
  day) and every learn of this process is counted into the cached entries it touches; an entry
  it cannot follow exactly (another sender's message to the same destination or domain) is
  dropped. What another process learned shows after at most ``cache_seconds``, as if its
  decision had come that much later. ``forget``, ``prune``, imports and membership changes
  write what is queued first and empty the cache.

A lookup reads the store only while no batch is being committed (a readers-writer lock), so
what it read and what is still queued never overlap or leave a gap.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import threading
import time
import weakref
from collections import OrderedDict, deque
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any, TypeVar

from dlp.store.history import DestinationHistory, HistoryRows, today_utc
from dlp.store.history_facts import Learned, RawFacts, learned_locals
from dlp.store.history_keys import MessageKeys
from dlp.store.store import IncidentStore

log = logging.getLogger("dlp.store.history")
T = TypeVar("T")

#: The defaults ``dlp serve`` uses (see ``service.settings``).
CACHE_SECONDS = 5.0
CACHE_ENTRIES = 4096
MAX_QUEUED = 20_000
#: The writer waits this long after the first queued learn, so that one transaction takes many.
LINGER_SECONDS = 0.2
MAX_BATCH = 2000


class _ReadWriteLock:
    """Many lookups at once, or one commit; a waiting commit goes first (lookups cannot starve it)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False
        self._waiting = 0

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        with self._cond:
            while self._writing or self._waiting:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                if not self._readers:
                    self._cond.notify_all()

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        with self._cond:
            self._waiting += 1
            while self._writing or self._readers:
                self._cond.wait()
            self._waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


class _Entry:
    __slots__ = ("keys", "raw", "expires", "tokens")

    def __init__(self, keys: MessageKeys, raw: RawFacts, expires: float):
        self.keys = keys
        self.raw = raw
        self.expires = expires
        self.tokens = _tokens(keys, raw.outside, personal=True)


def _tokens(keys: MessageKeys, domains: set[str] | None = None, personal: bool = False,
            locals_: set[str] | None = None) -> set[tuple[str, str]]:
    """What a cached entry depends on / what a learn touches, as index tokens."""
    out: set[tuple[str, str]] = set()
    if keys.sender_sha256:
        out.add(("s", keys.sender_sha256))
    for k in keys.destinations:
        out.add(("d", k.sha256))
        if personal and k.personal and k.local_sha256:
            out.add(("l", k.local_sha256))
    out.update(("o", d) for d in domains or ())
    out.update(("l", x) for x in locals_ or ())
    if keys.conversation_sha256:
        out.add(("c", keys.conversation_sha256))
    return out


class _FactsCache:
    """Aggregates read per (keys, day, cutoff), for ``seconds``; at most ``entries``, least recent out."""

    def __init__(self, seconds: float, entries: int):
        self.seconds = seconds
        self.entries = entries
        self._items: OrderedDict[tuple[Any, ...], _Entry] = OrderedDict()
        self._index: dict[tuple[str, str], set[tuple[Any, ...]]] = {}

    def get(self, key: tuple[Any, ...], now: float) -> RawFacts | None:
        entry = self._items.get(key)
        if entry is None:
            return None
        if entry.expires <= now:
            self._drop(key)
            return None
        self._items.move_to_end(key)
        return entry.raw

    def put(self, key: tuple[Any, ...], keys: MessageKeys, raw: RawFacts, now: float) -> None:
        if self.seconds <= 0 or self.entries <= 0:
            return
        if key in self._items:
            self._drop(key)
        entry = _Entry(keys, raw, now + self.seconds)
        self._items[key] = entry
        for token in entry.tokens:
            self._index.setdefault(token, set()).add(key)
        while len(self._items) > self.entries:
            self._drop(next(iter(self._items)))

    def count_in(self, learned: Learned) -> None:
        """Count one learn into every entry it touches; drop those it cannot follow exactly."""
        keys = learned.keys
        touched: set[tuple[Any, ...]] = set()
        for token in _tokens(keys, {k.domain for k in keys.destinations if k.domain}, locals_=learned_locals(keys)):
            touched |= self._index.get(token, set())
        for key in touched:
            entry = self._items[key]
            if entry.raw.can_add(entry.keys, learned):
                entry.raw.add(entry.keys, learned)
            else:
                self._drop(key)

    def clear(self) -> None:
        self._items.clear()
        self._index.clear()

    def __len__(self) -> int:
        return len(self._items)

    def _drop(self, key: tuple[Any, ...]) -> None:
        entry = self._items.pop(key)
        for token in entry.tokens:
            keys = self._index.get(token)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self._index[token]


class BufferedHistory(DestinationHistory):
    """A ``DestinationHistory`` whose learns are written behind and whose lookups are cached."""

    def __init__(self, store: IncidentStore, salt: str, *, cache_seconds: float = CACHE_SECONDS,
                 cache_entries: int = CACHE_ENTRIES, max_queued: int = MAX_QUEUED, linger_seconds: float = LINGER_SECONDS,
                 clock: Callable[[], float] = time.monotonic, on_lost: Callable[[str, int], Any] | None = None):
        """``on_lost(reason, n)``: called when ``n`` learns are lost (``queue_full``, ``write_failed``),
        e.g. to count them in the gateway's metrics."""
        super().__init__(store, salt)
        self._on_lost = on_lost
        self.max_queued = max_queued
        self.linger_seconds = linger_seconds
        self._clock = clock
        self._state = threading.Condition()   # queue, sequence numbers, cache
        self._queue: deque[tuple[int, Learned, int]] = deque()  # (seq, learned, retention_days)
        self._seq = 0
        self._committed = 0
        self._rw = _ReadWriteLock()
        self._cache = _FactsCache(cache_seconds, cache_entries)
        self._thread: threading.Thread | None = None
        self._closed = False
        self._urgent = False  # a flush is waiting: no lingering
        self._pruned_on: date | None = None
        #: learns lost: dropped on a full queue, or in a batch the database refused
        self.dropped = 0
        self.failed = 0
        #: lookups answered from the cache / read from the store (and the queued learns counted into those reads)
        self.hits = self.reads = self.counted_in = 0
        _open.add(self)

    # -- lookups ---------------------------------------------------------------------------
    def _facts(self, keys: MessageKeys, today: date, cutoff: date) -> Any:
        key = (keys, today, cutoff)
        with self._state:
            raw = self._cache.get(key, self._clock())
            if raw is not None:
                self.hits += 1
                return raw.facts(keys)
            asked_at = self._seq
        return self._read_with_queue(key, keys, today, cutoff, asked_at).facts(keys)

    def _read_with_queue(self, key: tuple[Any, ...], keys: MessageKeys, today: date, cutoff: date, asked_at: int) -> RawFacts:
        """The store's aggregates plus every queued learn; a learn queued before the lookup began
        that cannot be counted in exactly is written first (then read again)."""
        while True:
            with self._rw.reading():  # no batch is being committed: the store holds exactly seq <= _committed
                raw = self._read(keys, today, cutoff)
                with self._state:
                    self.reads += 1
                    exact, earlier_missing = True, False
                    for seq, learned, _ in self._queue:
                        if raw.can_add(keys, learned):
                            raw.add(keys, learned)
                            self.counted_in += 1
                        else:
                            exact = False
                            earlier_missing = earlier_missing or seq <= asked_at
                    if not earlier_missing:
                        # A learn queued while we read and not countable here raced this decision,
                        # as two concurrent decisions always did: the lookup stands, uncached.
                        if exact:
                            self._cache.put(key, keys, raw, self._clock())
                        return raw
            self.flush(upto=asked_at)

    # -- learning --------------------------------------------------------------------------
    def _count(self, learned: Learned, retention_days: int) -> bool:
        with self._state:
            if self._closed:
                closed = True
            elif len(self._queue) >= self.max_queued:
                self.dropped += 1
                self._lost("queue_full", 1)
                if self.dropped == 1 or self.dropped % 1000 == 0:
                    log.error("destination history queue full (%d learns): %d learn(s) dropped; decisions are not "
                              "affected", self.max_queued, self.dropped)
                return False
            else:
                closed = False
                self._seq += 1
                self._queue.append((self._seq, learned, retention_days))
                self._cache.count_in(learned)
                self._start_writer()
                if len(self._queue) == 1:  # the writer sleeps until the queue has something; lingering, it needs no call
                    self._state.notify_all()
        if closed:  # after close(): a straggling decision is written at once
            return super()._count(learned, retention_days)
        return True

    def _lost(self, reason: str, n: int) -> None:
        if self._on_lost is not None:
            with contextlib.suppress(Exception):
                self._on_lost(reason, n)

    def flush(self, upto: int | None = None, timeout: float = 60.0) -> bool:
        """Wait until every learn queued so far (or up to ``upto``) is written; False on timeout."""
        deadline = self._clock() + timeout
        with self._state:
            target = self._seq if upto is None else upto
            while self._committed < target:
                self._urgent = True
                if self._thread is None or not self._thread.is_alive():
                    self._start_writer(force=True)
                self._state.notify_all()
                left = deadline - self._clock()
                if left <= 0:
                    return False
                self._state.wait(min(left, 0.5))
        return True

    def close(self, timeout: float = 60.0) -> None:
        """Write what is queued and stop the writer (the service's shutdown; ``atexit``)."""
        if not self.flush(timeout=timeout):
            log.error("destination history: %d queued learn(s) not written at shutdown", len(self._queue))
        with self._state:
            self._closed = True
            self._state.notify_all()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
        _open.discard(self)

    @property
    def queued(self) -> int:
        with self._state:
            return len(self._queue)

    def _start_writer(self, force: bool = False) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        if self._closed and not force:
            return
        self._thread = threading.Thread(target=self._write_loop, name="dlp-history-writer", daemon=True)
        self._thread.start()

    def _write_loop(self) -> None:
        while True:
            with self._state:
                while not self._queue and not self._closed:
                    self._state.wait()
                if not self._queue:
                    return
                if self.linger_seconds > 0:  # gather a group for one transaction
                    self._state.wait_for(lambda: self._urgent or self._closed, self.linger_seconds)
            self._write_batch()

    def _write_batch(self) -> None:
        with self._rw.writing():
            with self._state:
                batch = [self._queue[i] for i in range(min(len(self._queue), MAX_BATCH))]
            if not batch:
                return
            ok = True
            try:
                self._write_learned([learned for _, learned, _ in batch])
            except Exception as exc:  # noqa: BLE001 - the store refused: learning is lost, never a decision
                ok = False
                log.error("destination history: %d learn(s) not written: %s", len(batch), exc)
            with self._state:
                for _ in batch:
                    self._queue.popleft()
                self._committed = batch[-1][0]
                if not ok:
                    self.failed += len(batch)
                    self._lost("write_failed", len(batch))
                    self._cache.clear()  # cached entries counted learns the store does not have
                if not self._queue:
                    self._urgent = False
                self._state.notify_all()
            if ok:
                self._after_write(batch[-1][1].day, max(r for _, _, r in batch))

    def _write_learned(self, batch: list[Learned]) -> None:
        """One transaction: the batch merged (counters add up, maxima and minima keep), the
        conversations' membership in order (a rise is judged against the state before it)."""
        rows = HistoryRows()
        conversations: list[tuple[str, int, int, date]] = []
        last: dict[str, tuple[str, int, int, date]] = {}
        for learned in batch:
            rows.add(learned.keys, learned.day, level=learned.level, identifiers=learned.identifiers,
                     special=learned.special)
            sha, conv = learned.keys.conversation_sha256, learned.conversation
            if sha and conv is not None:
                update = (sha, int(conv["members"]), int(conv["external_members"]), learned.day)
                if last.get(sha) != update:  # the same state again changes nothing (no rise, same day)
                    conversations.append(update)
                    last[sha] = update
        with self.store._write() as conn:
            self._write_rows(conn, rows)
            for sha, members, external, day in conversations:
                self._upsert_conversation(conn, sha, members, external, day)

    def _after_write(self, day: date, retention_days: int) -> None:
        """Housekeeping once a batch is in (still holding the commit lock): the live mark, the daily prune."""
        try:
            self._note_live()
            if self._pruned_on != day:
                self._pruned_on = day
                DestinationHistory.prune(self, retention_days, day)
                with self._state:
                    self._cache.clear()
        except Exception as exc:  # noqa: BLE001 - housekeeping; the lookup ignores old months anyway
            log.error("history housekeeping failed: %s", exc)

    # -- everything else writes or reads the store directly: the queue first ---------------
    def _settled(self, fn: Callable[[], T], clears: bool = True) -> T:
        self.flush()
        with self._rw.writing():
            try:
                return fn()
            finally:
                if clears:
                    with self._state:
                        self._cache.clear()

    def write(self, rows: HistoryRows) -> None:
        self._settled(lambda: DestinationHistory.write(self, rows))

    def note_membership(self, conversation_id: str, members: int, external_members: int, day: date | None = None) -> None:
        self._settled(lambda: DestinationHistory.note_membership(self, conversation_id, members, external_members, day))

    def prune(self, retention_days: int, today: date | None = None) -> dict[str, int]:
        return self._settled(lambda: DestinationHistory.prune(self, retention_days, today or today_utc()))

    def forget(self, person: str, as_recipient: bool = True) -> dict[str, int]:
        return self._settled(lambda: DestinationHistory.forget(self, person, as_recipient))

    def show(self, person: str) -> dict[str, Any]:
        self.flush()
        return DestinationHistory.show(self, person)

    def counts(self) -> dict[str, int]:
        self.flush()
        return DestinationHistory.counts(self)


_open: weakref.WeakSet[BufferedHistory] = weakref.WeakSet()


@atexit.register
def _close_all() -> None:  # pragma: no cover - interpreter exit
    for history in list(_open):
        with contextlib.suppress(Exception):
            history.close(timeout=10)
