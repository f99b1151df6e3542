"""Held mail: incidents ↔ Postfix queue ids, and releasing or dropping a held mail.

The milter's audit record of a quarantine holds the incident id and the queue id (macro
``i``); the held mail itself carries ``X-DLP-Incident``. Release and drop check both agree,
write an audit record with who and why *before* touching the queue (and another if Postfix
refused), then run ``postsuper -H`` + ``postqueue -i`` or ``postsuper -d``.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dlp.gateways.mail.answers import HEADER_INCIDENT
from dlp.gateways.mail.shared import AuditLog, event_fields, mask_identifier, rotated_files
from dlp.store.ids import is_incident_id, new_request_id

RELEASE, DROP = "quarantine_release", "quarantine_drop"
FAILED = "quarantine_action_failed"


class QuarantineError(Exception):
    """A request that cannot be carried out; the message is for people (Chinese)."""


class PostfixError(QuarantineError):
    """A Postfix command failed or is missing."""


@dataclass
class QueuedMail:
    queue_id: str
    queue_name: str
    arrival_time: int
    size: int
    sender: str
    recipients: list[str]


class PostfixQueue:
    """``postqueue``, ``postsuper`` and ``postcat`` of one Postfix instance (``-c DIR``)."""

    def __init__(self, config_dir: str | None = None, timeout: float = 60.0):
        self.config_dir = config_dir
        self.timeout = timeout

    def _run(self, command: str, *args: str) -> str:
        argv = [command, *(["-c", self.config_dir] if self.config_dir else []), *args]
        try:
            done = subprocess.run(argv, capture_output=True, text=True, timeout=self.timeout, check=False)
        except FileNotFoundError:
            raise PostfixError(f"找不到 {command}：這台主機沒有安裝 Postfix") from None
        except subprocess.TimeoutExpired:
            raise PostfixError(f"{command} 逾時") from None
        if done.returncode != 0:
            raise PostfixError(f"{' '.join(argv)} 失敗：{(done.stderr or done.stdout).strip()[:300]}")
        return done.stdout

    def entries(self) -> list[QueuedMail]:
        out = []
        for line in self._run("postqueue", "-j").splitlines():
            if not line.strip():
                continue
            doc = json.loads(line)
            out.append(QueuedMail(
                queue_id=str(doc.get("queue_id", "")), queue_name=str(doc.get("queue_name", "")),
                arrival_time=int(doc.get("arrival_time") or 0), size=int(doc.get("message_size") or 0),
                sender=str(doc.get("sender", "")),
                recipients=[str(r.get("address", "")) for r in doc.get("recipients") or []],
            ))
        return out

    def held(self) -> list[QueuedMail]:
        return [e for e in self.entries() if e.queue_name == "hold"]

    def header(self, queue_id: str, name: str) -> str | None:
        text = self._run("postcat", "-h", "-q", queue_id)
        for line in text.splitlines():
            key, sep, value = line.partition(":")
            if sep and key.strip().lower() == name.lower():
                return value.strip()
        return None

    def release(self, queue_id: str) -> None:
        self._run("postsuper", "-H", queue_id)
        self._run("postqueue", "-i", queue_id)  # deliver now, not at the next queue run

    def drop(self, queue_id: str) -> None:
        self._run("postsuper", "-d", queue_id, "hold")


@dataclass
class Incident:
    incident_id: str
    queue_id: str | None
    time: str
    record: dict[str, Any]
    events: list[dict[str, Any]] = field(default_factory=list)  # release / drop / failures, in order

    @property
    def state(self) -> str:
        """``held``, ``released`` or ``dropped`` (by the audit trail; the queue may disagree)."""
        state = "held"
        for e in self.events:
            if e.get("event") == RELEASE:
                state = "released"
            elif e.get("event") == DROP:
                state = "dropped"
            elif e.get("event") == FAILED:
                state = "held"
        return state

    def summary(self) -> dict[str, Any]:
        rec = self.record
        sender = rec.get("sender") or {}
        return {
            "incident_id": self.incident_id, "queue_id": self.queue_id, "time": self.time, "state": self.state,
            "action": (rec.get("gateway") or {}).get("action", rec.get("action")), "secrecy_level": rec.get("secrecy_level"),
            "sender": sender.get("masked"), "recipient_count": rec.get("recipient_count"),
            "recipients": [r.get("masked") for r in rec.get("recipients") or [] if r],
            "destination": rec.get("destination"), "reasons": rec.get("reasons", []),
            "finding_types": rec.get("finding_types", {}), "excerpts": rec.get("excerpts", []),
            "events": [{k: e.get(k) for k in ("time", "event", "by", "reason", "error")} for e in self.events],
        }


def _records(audit_path: Path) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for path in [*rotated_files(audit_path), audit_path]:
        if not path.exists():
            continue
        with path.open("rb") as fh:
            for raw in fh:
                try:
                    rec = json.loads(raw)
                except ValueError:
                    continue  # a torn line; `dlp audit verify` reports it
                if isinstance(rec, dict) and rec.get("incident_id"):
                    out.append(rec)
    return out


def read_incidents(audit_path: str | Path) -> dict[str, Incident]:
    """Every milter incident in the audit trail (quarantines first of all), by incident id."""
    incidents: dict[str, Incident] = {}
    for rec in _records(Path(audit_path)):
        iid = str(rec["incident_id"])
        if rec.get("event") == "decision":
            incidents[iid] = Incident(iid, rec.get("queue_id"), str(rec.get("time", "")), rec)
        elif rec.get("event") in (RELEASE, DROP, FAILED) and iid in incidents:
            incidents[iid].events.append(rec)
    return incidents


class Quarantine:
    def __init__(self, audit_path: str | Path, queue: PostfixQueue, hmac_key: bytes | None = None):
        self.audit_path = Path(audit_path)
        self.queue = queue
        self.hmac_key = hmac_key  # a keyed trail stays keyed: release/drop records chain like the rest

    def incidents(self) -> dict[str, Incident]:
        return read_incidents(self.audit_path)

    def quarantined(self) -> list[Incident]:
        return [i for i in self.incidents().values() if (i.record.get("gateway") or {}).get("action") == "quarantine"]

    def listing(self, include_done: bool = False) -> list[dict[str, Any]]:
        """Held mails (with their incident when the milter held them), newest first."""
        held = {m.queue_id: m for m in self.queue.held()}
        rows: list[dict[str, Any]] = []
        by_queue: dict[str, Incident] = {}
        for inc in self.quarantined():
            if inc.queue_id:
                by_queue[inc.queue_id] = inc  # later records win (queue ids can be reused)
        for qid, mail in held.items():
            inc = by_queue.get(qid)
            row = inc.summary() if inc else {"incident_id": None, "queue_id": qid, "state": "held", "reasons": [],
                                             "sender": mask_identifier(mail.sender), "recipient_count": len(mail.recipients)}
            row.update({"in_hold_queue": True, "size": mail.size, "arrival_time": mail.arrival_time})
            rows.append(row)
        if include_done:
            for inc in self.quarantined():
                if inc.queue_id not in held:
                    rows.append({**inc.summary(), "in_hold_queue": False})
        rows.sort(key=lambda r: str(r.get("time") or r.get("arrival_time") or ""), reverse=True)
        return rows

    def find(self, ident: str) -> Incident:
        """An incident by incident id or by the queue id of its held mail."""
        ident = ident.strip()
        incidents = self.incidents()
        if is_incident_id(ident):
            inc = incidents.get(ident.upper())
            if inc is None:
                raise QuarantineError(f"稽核紀錄中沒有事件 {ident}")
            return inc
        matches = [i for i in incidents.values() if i.queue_id == ident]
        if not matches:
            raise QuarantineError(f"佇列編號 {ident} 不是資料外洩防護暫緩的郵件（稽核紀錄中沒有）")
        return matches[-1]

    def show(self, ident: str) -> dict[str, Any]:
        inc = self.find(ident)
        out = inc.summary()
        held = {m.queue_id: m for m in self.queue.held()}
        mail = held.get(inc.queue_id or "")
        out["in_hold_queue"] = mail is not None
        if mail is not None:
            out.update({"size": mail.size, "arrival_time": mail.arrival_time})
        return out

    def release(self, ident: str, by: str, reason: str) -> dict[str, Any]:
        return self._act(ident, by, reason, RELEASE)

    def drop(self, ident: str, by: str, reason: str) -> dict[str, Any]:
        return self._act(ident, by, reason, DROP)

    def _act(self, ident: str, by: str, reason: str, event: str) -> dict[str, Any]:
        reason, by = reason.strip(), by.strip()
        if not reason:
            raise QuarantineError("必須說明原因（--reason）")
        if not by:
            raise QuarantineError("必須說明是誰（--by）")
        inc = self.find(ident)
        if (inc.record.get("gateway") or {}).get("action") != "quarantine":
            raise QuarantineError(f"事件 {inc.incident_id} 不是暫緩待審的郵件")
        if inc.state != "held":
            raise QuarantineError(f"事件 {inc.incident_id} 已經處理過（{inc.state}）")
        qid = inc.queue_id or ""
        if qid not in {m.queue_id for m in self.queue.held()}:
            raise QuarantineError(f"事件 {inc.incident_id} 的郵件（佇列編號 {qid or '不明'}）不在 Postfix 的暫緩佇列（hold）中")
        marked = self.queue.header(qid, HEADER_INCIDENT)
        if marked != inc.incident_id:
            raise QuarantineError(f"佇列編號 {qid} 的郵件標頭 {HEADER_INCIDENT} 是 {marked!r}，與事件 {inc.incident_id} 不符，不處理")
        audit = AuditLog(self.audit_path, hmac_key=self.hmac_key)
        try:
            record = audit.append(event_fields(event, new_request_id("quarantine"), None, endpoint="quarantine", incident_id=inc.incident_id,
                                               queue_id=qid, by=by, reason=reason))
            try:
                (self.queue.release if event == RELEASE else self.queue.drop)(qid)
            except QuarantineError as exc:
                audit.append(event_fields(FAILED, new_request_id("quarantine"), None, endpoint="quarantine", incident_id=inc.incident_id,
                                          queue_id=qid, by=by, reason=reason, failed=event, error=str(exc)))
                raise
        finally:
            audit.close()
        return record
