"""Sending sender notices without holding up the milter's answer.

Notices are queued in memory and sent by a background task over SMTP (by default to the local
Postfix, which delivers them like any mail — through the milter too, as ``<>``). A notice that
cannot be sent after a few tries is given up and reported (log, metric, audit event); the
decision on the mail itself never waits for it.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage

import anyio
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

log = logging.getLogger("dlp.milter")

#: Seconds to wait before each retry.
RETRY_DELAYS = (1.0, 5.0, 30.0)


@dataclass
class PendingNotice:
    notice: EmailMessage
    recipient: str
    incident: str


ResultHook = Callable[[PendingNotice, str, str], None]  # (notice, "sent" | "failed", detail)


class NoticeOutbox:
    def __init__(self, host: str, port: int, on_result: ResultHook, max_pending: int = 1000, timeout: float = 30.0):
        self.host = host
        self.port = port
        self.timeout = timeout
        self.on_result = on_result
        self._send: MemoryObjectSendStream[PendingNotice]
        self._receive: MemoryObjectReceiveStream[PendingNotice]
        self._send, self._receive = anyio.create_memory_object_stream[PendingNotice](max_pending)

    def submit(self, pending: PendingNotice) -> str:
        """``queued``, or ``dropped`` when too many notices are waiting."""
        try:
            self._send.send_nowait(pending)
        except anyio.WouldBlock:
            log.error("notice for incident %s dropped: outbox full", pending.incident)
            return "dropped"
        return "queued"

    async def run(self, workers: int = 2) -> None:
        async with anyio.create_task_group() as tg:
            for _ in range(workers):
                tg.start_soon(self._worker)

    async def _worker(self) -> None:
        async for pending in self._receive:
            await self._deliver(pending)

    async def _deliver(self, pending: PendingNotice) -> None:
        error = ""
        for attempt in range(len(RETRY_DELAYS) + 1):
            try:
                await anyio.to_thread.run_sync(self._send_sync, pending)
            except (OSError, smtplib.SMTPException) as exc:
                error = f"{type(exc).__name__}: {exc}"[:300]
                log.warning("notice for incident %s not sent (try %d): %s", pending.incident, attempt + 1, error)
                if attempt < len(RETRY_DELAYS):
                    await anyio.sleep(RETRY_DELAYS[attempt])
                continue
            self.on_result(pending, "sent", "")
            return
        self.on_result(pending, "failed", error)

    def _send_sync(self, pending: PendingNotice) -> None:
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            smtp.send_message(pending.notice, from_addr="", to_addrs=[pending.recipient])
