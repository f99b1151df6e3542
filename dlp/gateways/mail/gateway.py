"""One mail in, one answer out: budget, fail-closed, audit, metrics and the sender's notice
around one decision (in-process or from the service).

In-process, every decision goes through the incident store's recorder as the service's do
(``IncidentRecorder.audit_and_record``): a non-allow decision is an incident (the store's id,
linked to the mail's Postfix queue id), and every decision feeds the destination history the
misdirection guard reads. With ``--service`` the service has recorded it; the milter writes its
own audit record only, with the service's incident id.

Fail closed: a decision that cannot be had in ``budget_seconds`` (service down, timeout, an
error anywhere, the audit record or the incident not written) is ``451 4.7.1`` — the sending
server keeps the mail and tries again; nothing unread is accepted and nothing is lost. A mail larger than the
milter will hold is refused for good (``552 5.3.4``), never accepted unread.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import anyio

from dlp.gateways.mail.answers import Answer, plan_answer
from dlp.gateways.mail.notices import NoticeTexts, build_notice, should_notify
from dlp.gateways.mail.outbox import NoticeOutbox, PendingNotice
from dlp.gateways.mail.protocol import MilterReply, smtp_reply, tempfail_reply
from dlp.gateways.mail.scanning import Decider, DecisionUnavailable, ScanOutcome
from dlp.gateways.mail.shared import AuditLog, decision_fields, event_fields, metrics, party
from dlp.gateways.mail.transaction import MailTransaction
from dlp.store import IncidentRecorder, StoreError
from dlp.store.ids import new_incident_id
from dlp.store.ids import new_request_id as _request_id

log = logging.getLogger("dlp.milter")
ENDPOINT = "milter"


def new_request_id() -> str:
    """The audit record id of any milter answer (allow and tempfail included)."""
    return _request_id("milter")


@dataclass(frozen=True)
class GatewayConfig:
    #: Seconds from end of message to a decision; past it the answer is 451. Keep it below
    #: Postfix's milter_content_timeout so the client gets our reference, not Postfix's.
    budget_seconds: float = 60.0
    audit_salt: str = ""
    #: The notices' From address (their envelope sender is always <>).
    notice_from: str = "postmaster@localhost"


class MailGateway:
    def __init__(self, decider: Decider, audit: AuditLog, config: GatewayConfig,
                 outbox: NoticeOutbox | None = None, texts: NoticeTexts | None = None,
                 recorder: IncidentRecorder | None = None):
        self.decider = decider
        self.audit = audit
        #: the incident store (in-process decisions); None: the audit trail only
        self.recorder = recorder
        self.config = config
        self.outbox = outbox
        self.texts = texts

    async def __call__(self, txn: MailTransaction) -> MilterReply:
        started = time.perf_counter()
        try:
            return await self.handle(txn, new_request_id())
        finally:
            metrics.MILTER_DECISION_LATENCY.observe(time.perf_counter() - started)

    async def handle(self, txn: MailTransaction, request_id: str) -> MilterReply:
        if txn.overflow:
            return await self._too_big(txn, request_id)
        try:
            with anyio.fail_after(self.config.budget_seconds):
                outcome = await self.decider.decide(txn.raw(), txn.sender, txn.recipients, txn.queue_id)
        except TimeoutError:
            return await self._tempfail(txn, request_id, "timeout", f"no decision within {self.config.budget_seconds:g}s")
        except DecisionUnavailable as exc:
            return await self._tempfail(txn, request_id, exc.cause, exc.detail)
        except Exception as exc:  # noqa: BLE001 - fail closed on anything
            log.exception("decision failed")
            return await self._tempfail(txn, request_id, "internal_error", f"{type(exc).__name__}: {exc}")
        # The service recorded its incident: its id is the one the headers and notices show.
        incident = outcome.service_incident_id or (new_incident_id() if outcome.report.action != "allow" else None)
        try:
            answer = plan_answer(outcome, txn, incident)
        except Exception as exc:  # noqa: BLE001
            log.exception("could not build the milter answer")
            return await self._tempfail(txn, request_id, "internal_error", f"{type(exc).__name__}: {exc}")
        notice = self._notice_status(answer, txn)
        record = self._decision_record(request_id, txn, outcome, answer, incident, notice)
        try:
            await anyio.to_thread.run_sync(self._write_decision, record, txn, outcome, answer, incident)
        except OSError as exc:
            metrics.AUDIT_ERRORS.inc()
            log.error("audit log write failed: %s", exc)
            return await self._tempfail(txn, request_id, "audit_unavailable", str(exc), write_audit=False)
        except StoreError as exc:
            log.error("incident store: %s", exc)
            return await self._tempfail(txn, request_id, "incident_store_unavailable", str(exc))
        metrics.MILTER_ANSWERS.labels(answer.action).inc()
        log.info("%s queue=%s action=%s incident=%s smtp=%s", request_id, txn.queue_id, answer.action, incident, answer.smtp)
        if notice == "queued" and incident:
            self._send_notice(txn, outcome, answer, incident)
        return answer.reply

    async def reload(self) -> bool:
        """Reload the in-process scanner's packs and policy; audited either way. False: refused."""
        reload = getattr(self.decider, "reload", None)
        if reload is None:
            log.info("reload: nothing to reload in %s mode", self.decider.mode)
            return False
        try:
            old, new = await anyio.to_thread.run_sync(reload)
        except Exception as exc:  # noqa: BLE001 - PackErrors and whatever the loader raises
            log.error("reload refused, the running set stays: %s", exc)
            metrics.RELOADS.labels("refused").inc()
            self._safe_append(event_fields("reload", new_request_id(), None, endpoint=ENDPOINT, result="refused",
                                           errors=str(exc)[:2000]))
            return False
        metrics.RELOADS.labels("ok").inc()
        log.info("reloaded patterns %s -> %s", old, new)
        self._safe_append(event_fields("reload", new_request_id(), None, endpoint=ENDPOINT, result="ok",
                                       previous_version=old, patterns_version=new))
        return True

    # -- pieces -------------------------------------------------------------------------------
    def _write_decision(self, record: dict[str, Any], txn: MailTransaction, outcome: ScanOutcome, answer: Answer,
                        incident: str | None) -> None:
        """The audit record, then (in-process) the incident and the destination history."""
        if self.recorder is None or outcome.recorded_by_service:
            self.audit.append(record)
            return
        self.recorder.audit_and_record(record, outcome.message, outcome.report, self.audit.append,
                                       queue_id=txn.queue_id, incident_id=incident, history=outcome.history,
                                       held=answer.action == "quarantine", **outcome.context)

    def _notice_status(self, answer: Answer, txn: MailTransaction) -> str | None:
        if answer.action == "allow":
            return None
        if self.outbox is None or self.texts is None:
            return "disabled"
        if not should_notify(answer.action, txn.sender):
            return "skipped_null_sender"
        return "queued"

    def _send_notice(self, txn: MailTransaction, outcome: ScanOutcome, answer: Answer, incident: str) -> None:
        assert self.outbox is not None and self.texts is not None
        report = outcome.report
        try:
            notice = build_notice(
                self.texts, action=answer.action, incident=incident, sender=txn.sender,
                notice_from=self.config.notice_from, reasons=list(report.reasons) + answer.notes,
                recipients=list(txn.recipients), behind=outcome.behind, subject=outcome.message.subject,
                subject_has_finding=any(f.location == "subject" and not f.shadow for f in report.findings),
                when=datetime.now(UTC), original_message_id=txn.header("Message-Id"),
            )
        except Exception:  # noqa: BLE001 - a notice must never change the decision
            log.exception("could not build the notice for %s", incident)
            self._record_notice(incident, txn.sender, "failed", "could not build the notice")
            return
        if self.outbox.submit(PendingNotice(notice, txn.sender, incident)) == "dropped":
            self._record_notice(incident, txn.sender, "dropped", "outbox full")

    def notice_result(self, pending: PendingNotice, result: str, detail: str) -> None:
        """The outbox's report on one notice (its ``on_result`` hook)."""
        self._record_notice(pending.incident, pending.recipient, result, detail)

    def _record_notice(self, incident: str, recipient: str, result: str, detail: str) -> None:
        metrics.MILTER_NOTICES.labels(result).inc()
        fields = event_fields("milter_notice", new_request_id(), None, endpoint=ENDPOINT, incident_id=incident,
                              result=result, detail=detail, recipient=party(recipient, self.config.audit_salt))
        self._safe_append(fields)

    def _decision_record(self, request_id: str, txn: MailTransaction, outcome: ScanOutcome, answer: Answer,
                         incident: str | None, notice: str | None) -> dict[str, Any]:
        salt = self.config.audit_salt
        fields = decision_fields(request_id=request_id, key_id=outcome.key_id, endpoint=ENDPOINT, message=outcome.message,
                                 report=outcome.report, patterns_version=outcome.patterns_version, salt=salt)
        fields.update({
            "incident_id": incident,
            "queue_id": txn.queue_id,
            "null_sender": not txn.sender,
            "behind": [party(r, salt) for r in outcome.behind],
            "gateway": {"mode": self.decider.mode, "action": answer.action, "smtp": answer.smtp,
                        "edits": answer.edits, "notes": answer.notes, "notice": notice,
                        "service_request_id": outcome.service_request_id},
        })
        return fields

    def _envelope_fields(self, txn: MailTransaction) -> dict[str, Any]:
        salt = self.config.audit_salt
        return {"endpoint": ENDPOINT, "queue_id": txn.queue_id, "sender": party(txn.sender, salt),
                "recipients": [party(r, salt) for r in txn.recipients[:200]], "recipient_count": len(txn.recipients),
                "size": txn.size}

    async def _tempfail(self, txn: MailTransaction, request_id: str, cause: str, detail: str, write_audit: bool = True) -> MilterReply:
        reply = tempfail_reply(request_id)
        metrics.MILTER_TEMPFAILS.labels(cause).inc()
        metrics.MILTER_ANSWERS.labels("tempfail").inc()
        log.warning("%s queue=%s tempfail (%s): %s", request_id, txn.queue_id, cause, detail)
        if write_audit:
            fields = event_fields("milter_tempfail", request_id, None, cause=cause, detail=detail[:300],
                                  smtp=bytes(reply.content).rstrip(b"\0").decode(), **self._envelope_fields(txn))
            await anyio.to_thread.run_sync(self._safe_append, fields)
        return MilterReply(reply)

    async def _too_big(self, txn: MailTransaction, request_id: str) -> MilterReply:
        text = f"Message too large for DLP inspection (limit {txn.max_bytes} bytes, ref {request_id})"
        metrics.MILTER_ANSWERS.labels("too_big").inc()
        fields = event_fields("milter_refused", request_id, None, cause="too_big", smtp=f"552 5.3.4 {text}",
                              **self._envelope_fields(txn))
        await anyio.to_thread.run_sync(self._safe_append, fields)
        return MilterReply(smtp_reply("552", "5.3.4", text))

    def _safe_append(self, fields: dict[str, Any]) -> None:
        try:
            self.audit.append(fields)
        except OSError as exc:
            metrics.AUDIT_ERRORS.inc()
            log.error("audit log write failed: %s", exc)
