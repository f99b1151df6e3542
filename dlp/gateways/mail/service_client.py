"""The decision from the HTTP service (``dlp milter --service URL --key-file F``).

One central scanner can serve several gateways: the raw mail goes to ``POST /v1/scan/mime``
with the envelope as query parameters. Anything but a 200 with a report — the service down,
a timeout, a 4xx/5xx — is ``DecisionUnavailable`` and so ``451 4.7.1``: the milter never
accepts a mail it could not get a decision for.

This is the one place that speaks HTTP; when the SDK (``dlp.client``, fail-closed) exists,
``ServiceDecider.decide`` becomes a call to it and nothing else changes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio
import httpx

from dlp.gateways.mail.attribution import recipients_of_strictest_column
from dlp.gateways.mail.scanning import DecisionUnavailable, ScanOutcome, read_message
from dlp.model import Finding, Report

_FINDING_FIELDS = ("kind", "type", "location", "start", "end", "score", "rule", "excerpt", "level", "shadow", "detail")


def read_key_file(path: str | Path) -> str:
    """The API key: the first non-empty, non-comment line of ``path``."""
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            return line
    raise ValueError(f"{path} 沒有 API 金鑰")


def report_from_dict(doc: dict[str, Any]) -> Report:
    """The service's JSON report as a ``Report`` (what the audit record builder takes)."""
    findings = [Finding(**{k: f[k] for k in _FINDING_FIELDS if k in f}) for f in doc.get("findings") or []]
    return Report(
        findings=findings,
        secrecy_level=str(doc.get("secrecy_level", "none")),
        action=str(doc["action"]),
        reasons=list(doc.get("reasons") or []),
        redacted_text=doc.get("redacted_text"),
        destination=dict(doc.get("destination") or {}),
        exceptions=list(doc.get("exceptions") or []),
        not_inspected=list(doc.get("not_inspected") or []),
    )


class ServiceDecider:
    mode = "service"

    def __init__(self, url: str, key: str, timeout: float = 30.0, key_id: str | None = None, transport: Any = None):
        self.url = url.rstrip("/")
        self.key_id = key_id
        self.client = httpx.AsyncClient(
            base_url=self.url,
            headers={"Authorization": f"Bearer {key}", "User-Agent": "dlp-milter"},
            timeout=httpx.Timeout(timeout, connect=min(5.0, timeout)),
            transport=transport,
        )

    async def aclose(self) -> None:
        await self.client.aclose()

    async def decide(self, raw: bytes, sender: str, recipients: list[str], queue_id: str | None = None) -> ScanOutcome:
        params: list[tuple[str, str]] = [("recipients", r) for r in recipients]
        if sender:
            params.append(("sender", sender))
        if queue_id:
            params.append(("queue_id", queue_id))
        try:
            response = await self.client.post("/v1/scan/mime", content=raw, params=params,
                                               headers={"Content-Type": "message/rfc822"})
        except httpx.TimeoutException as exc:
            raise DecisionUnavailable("service_timeout", str(exc) or type(exc).__name__) from None
        except httpx.HTTPError as exc:
            raise DecisionUnavailable("service_unavailable", str(exc) or type(exc).__name__) from None
        if response.status_code != 200:
            raise DecisionUnavailable("service_error", f"HTTP {response.status_code}: {response.text[:200]}")
        try:
            doc = response.json()
            report = report_from_dict(doc)
        except (ValueError, KeyError, TypeError) as exc:
            raise DecisionUnavailable("service_error", f"unreadable report: {exc}") from None
        # The service decided; the local read is for the audit record, the redacted body and the notice.
        message, _ = await anyio.to_thread.run_sync(read_message, raw, sender, recipients)
        behind = recipients_of_strictest_column(report.destination, report.action)
        return ScanOutcome(message, report, str(doc.get("patterns_version", "")), behind,
                           key_id=self.key_id, service_request_id=doc.get("request_id"),
                           service_incident_id=doc.get("incident_id"))
