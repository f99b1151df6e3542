"""WAL checkpoints of an SQLite store in a thread of their own, not in the decision that commits.

SQLite copies its write-ahead log back into the database file when the log passes
``wal_autocheckpoint`` pages, in whichever commit crosses the line, and with
``synchronous=NORMAL`` that copy fsyncs the log and the file. A redact decision writes ~15
pages (the incident and its indexes), so every ~60th decision paid the copy and two fsyncs on
the service's event loop: 5–30 ms on a busy disk, a stall for every request queued on that
worker (issue 14, the p99). Here the store's connections checkpoint only as a backstop
(:data:`BACKSTOP_PAGES`); :class:`WalCheckpointer` runs a PASSIVE checkpoint (it never waits
for a reader or a writer) after every :data:`EVERY_COMMITS` decisions, or a second after the
last one, at about the cadence SQLite had — so the log stays about as large, and a commit is as
durable as it was (the WAL is synced by the checkpoint, as before; only the thread differs).
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

log = logging.getLogger("dlp.store")

#: ``wal_autocheckpoint`` of the store's connections: a commit checkpoints itself only if the
#: checkpointer has fallen this far behind (or there is none: a store of another program).
BACKSTOP_PAGES = 16_000
#: Decisions between two background checkpoints (~1,000 pages, SQLite's default threshold).
EVERY_COMMITS = 64
#: A checkpoint this long after the last commit not yet covered by one.
IDLE_SECONDS = 1.0


class WalCheckpointer:
    """``note()`` after a commit; ``close()`` at the end. The thread starts with the first note
    (and again in a forked child, where the parent's thread does not exist)."""

    def __init__(self, engine: Any, every_commits: int = EVERY_COMMITS, idle_seconds: float = IDLE_SECONDS):
        self.engine = engine
        self.every_commits = every_commits
        self.idle_seconds = idle_seconds
        self._cond = threading.Condition()
        self._pending = 0
        self._closed = False
        self._thread: threading.Thread | None = None
        self._pid = -1
        #: checkpoints run, and the last one's (busy, log frames, frames checkpointed)
        self.runs = 0
        self.last: tuple[int, int, int] | None = None
        self._failures = 0

    def note(self) -> None:
        with self._cond:
            if self._closed:
                return
            self._pending += 1
            if self._thread is None or self._pid != os.getpid():
                self._pid = os.getpid()
                self._thread = threading.Thread(target=self._run, name="dlp-store-checkpoint", daemon=True)
                self._thread.start()
            if self._pending >= self.every_commits:
                self._cond.notify()

    def close(self, timeout: float = 10.0) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify()
            thread = self._thread if self._pid == os.getpid() else None
        if thread is not None:
            thread.join(timeout)

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._closed and self._pending < self.every_commits:
                    if not self._cond.wait(self.idle_seconds) and self._pending:
                        break  # a second without reaching the count: checkpoint what there is
                if self._closed:
                    return
                self._pending = 0
            self.checkpoint()

    def checkpoint(self) -> tuple[int, int, int] | None:
        """One PASSIVE checkpoint now; None when the database refused (logged, tried again later)."""
        try:
            with self.engine.connect() as conn:
                row = conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").first()
        except Exception as exc:  # noqa: BLE001 - the backstop keeps the log bounded meanwhile
            self._failures += 1
            if self._failures == 1 or self._failures % 100 == 0:
                log.warning("incident store: WAL checkpoint failed (%d so far): %s", self._failures, exc)
            return None
        self.runs += 1
        self.last = tuple(int(v) for v in row) if row is not None else None  # type: ignore[assignment]
        return self.last
