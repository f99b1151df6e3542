"""The decision from the HTTP service (``dlp milter --service URL --key-file F``), through the SDK.

One central scanner can serve several gateways: the raw mail goes to ``POST /v1/scan/mime``
with the envelope and the queue id, by :meth:`dlp.client.AsyncDLPClient.scan_mime` — the SDK's
timeouts, retries with back-off on connection errors, 408, 429 and 5xx, and one
``Idempotency-Key`` per mail so a retry is decided and audited once.

Fail closed: when the service gives no decision, the SDK (``fail_mode="closed"``) returns its own
``block`` report. That is not a decision about the mail, so the milter must not refuse it for
good (550): :func:`dlp.client.is_unavailable` tells it apart, and it becomes
``DecisionUnavailable`` and so ``451 4.7.1`` — the sending server keeps the mail and tries again.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import anyio

from dlp.client import AsyncDLPClient, Retry, Timeout, is_unavailable
from dlp.gateways.mail.attribution import recipients_of_strictest_column
from dlp.gateways.mail.scanning import DecisionUnavailable, ScanOutcome, read_message

#: the SDK's ``not_inspected[].reason`` of a made-up report -> the milter's tempfail cause
_CAUSES = {"service_unreachable": "service_unavailable", "service_refused": "service_error",
           "service_bad_response": "service_error"}


def read_key_file(path: str | Path) -> str:
    """The API key: the first non-empty, non-comment line of ``path``."""
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            return line
    raise ValueError(f"{path} 沒有 API 金鑰")


def idempotency_key(raw: bytes, sender: str, recipients: list[str], queue_id: str | None) -> str:
    """One key per mail and envelope: a retry of the same mail is decided once by the service."""
    digest = hashlib.sha256()
    for part in (queue_id or "", sender, "\0".join(recipients)):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(raw)
    return "milter-" + digest.hexdigest()[:48]


class ServiceDecider:
    mode = "service"

    def __init__(self, url: str, key: str, timeout: float = 30.0, key_id: str | None = None,
                 retry: Retry | None = None, transport: Any = None):
        self.url = url.rstrip("/")
        self.key_id = key_id
        self.client = AsyncDLPClient(self.url, key, timeout=Timeout(total=timeout, connect=min(5.0, timeout)),
                                     retry=retry or Retry(), fail_mode="closed", headers={"User-Agent": "dlp-milter"},
                                     transport=transport)

    async def aclose(self) -> None:
        await self.client.aclose()

    async def decide(self, raw: bytes, sender: str, recipients: list[str], queue_id: str | None = None) -> ScanOutcome:
        report = await self.client.scan_mime(raw, sender or None, recipients, queue_id=queue_id,
                                             idempotency_key=idempotency_key(raw, sender, recipients, queue_id))
        if is_unavailable(report):
            marker = next(n for n in report.not_inspected if n.get("source") == "dlp.client")
            raise DecisionUnavailable(_CAUSES.get(str(marker.get("reason")), "service_error"), str(marker.get("detail", "")))
        # The service decided; the local read is for the audit record, the redacted body and the notice.
        message, _ = await anyio.to_thread.run_sync(read_message, raw, sender, recipients)
        behind = recipients_of_strictest_column(report.destination, report.action)
        return ScanOutcome(message, report, report.patterns_version, behind, key_id=self.key_id,
                           service_request_id=report.request_id or "", service_incident_id=report.incident_id)
