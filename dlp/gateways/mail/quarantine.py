"""Held mail: the one implementation of releasing and dropping it, for ``dlp quarantine`` and
the console alike.

``PostfixQueue`` is the one place that runs ``postqueue``, ``postsuper`` and ``postcat``.
``act_on_held`` is the one release/drop: it checks that the mail is in the hold queue and that
its ``X-DLP-Incident`` header is the incident's, writes the audit record with who and why
(``quarantine_release`` / ``quarantine_drop``) *before* touching the queue, runs ``postsuper
-H`` + ``postqueue -i`` or ``postsuper -d``, writes ``quarantine_action_failed`` if Postfix
refused, and moves the incident's state in the store. ``Quarantine`` (the CLI) finds incidents
in the milter's audit trail; the console finds them in the store and adds its second approver.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from dlp.gateways.mail.answers import HEADER_INCIDENT
from dlp.gateways.mail.shared import AuditLog, event_fields, mask_identifier, rotated_files
from dlp.store.ids import is_incident_id, new_request_id

RELEASE, DROP = "quarantine_release", "quarantine_drop"
FAILED = "quarantine_action_failed"
EVENTS = {"release": RELEASE, "drop": DROP}
STATES = {"release": "released", "drop": "dropped"}
_QUEUE_ID = re.compile(r"^[0-9A-Za-z]{5,32}$")

AuditWriter = Callable[[dict[str, Any]], Any]


class QuarantineError(Exception):
    """A request that cannot be carried out; the message is for people (Chinese)."""


class PostfixError(QuarantineError):
    """A Postfix command failed or is missing."""


class HoldQueue(Protocol):
    """What ``act_on_held`` needs of a mail queue (``PostfixQueue``; ``NoQueue`` without one)."""

    name: str

    def check(self, incident_id: str, queue_id: str) -> None: ...

    def release(self, queue_id: str) -> None: ...

    def drop(self, queue_id: str) -> None: ...


@dataclass
class QueuedMail:
    queue_id: str
    queue_name: str
    arrival_time: int
    size: int
    sender: str
    recipients: list[str]


def checked_queue_id(queue_id: str) -> str:
    if not _QUEUE_ID.match(queue_id or ""):
        raise QuarantineError(f"佇列編號格式不正確：{queue_id!r}")
    return queue_id


class PostfixQueue:
    """``postqueue``, ``postsuper`` and ``postcat`` of one Postfix instance (``-c DIR``)."""

    name = "postfix"

    def __init__(self, config_dir: str | None = None, timeout: float = 60.0):
        self.config_dir = config_dir
        self.timeout = timeout

    def _run(self, command: str, *args: str) -> str:
        path = shutil.which(command) or f"/usr/sbin/{command}"
        argv = [path, *(["-c", self.config_dir] if self.config_dir else []), *args]
        try:
            done = subprocess.run(argv, capture_output=True, text=True, timeout=self.timeout, check=False)
        except FileNotFoundError:
            raise PostfixError(f"找不到 {command}：這台主機沒有安裝 Postfix") from None
        except subprocess.TimeoutExpired:
            raise PostfixError(f"{command} 逾時") from None
        if done.returncode != 0:
            raise PostfixError(f"{command} {' '.join(args)} 失敗：{(done.stderr or done.stdout).strip()[:300]}")
        return done.stdout + done.stderr

    def entries(self) -> list[QueuedMail]:
        out = []
        for line in self._run("postqueue", "-j").splitlines():
            if not line.strip().startswith("{"):
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
        text = self._run("postcat", "-h", "-q", checked_queue_id(queue_id))
        for line in text.splitlines():
            key, sep, value = line.partition(":")
            if sep and key.strip().lower() == name.lower():
                return value.strip()
        return None

    def check(self, incident_id: str, queue_id: str) -> None:
        """The mail ``queue_id`` is in the hold queue and carries ``incident_id``; else QuarantineError."""
        checked_queue_id(queue_id)
        if queue_id not in {m.queue_id for m in self.held()}:
            raise QuarantineError(f"事件 {incident_id} 的郵件（佇列編號 {queue_id}）不在 Postfix 的暫緩佇列（hold）中")
        marked = self.header(queue_id, HEADER_INCIDENT)
        if marked != incident_id:
            raise QuarantineError(f"佇列編號 {queue_id} 的郵件標頭 {HEADER_INCIDENT} 是 {marked!r}，與事件 {incident_id} 不符，不處理")

    @staticmethod
    def _changed(output: str, what: str, queue_id: str) -> None:
        # postsuper exits 0 even when the id matched nothing; it says how many it moved.
        m = re.search(rf"{what}:\s*(\d+)\s+message", output)
        if not m or int(m.group(1)) < 1:
            raise PostfixError(f"postsuper 沒有處理任何郵件：佇列編號 {queue_id} 不在暫緩佇列（hold）中")

    def release(self, queue_id: str) -> None:
        self._changed(self._run("postsuper", "-H", checked_queue_id(queue_id)), "Released from hold", queue_id)
        self._run("postqueue", "-i", queue_id)  # deliver now, not at the next queue run

    def drop(self, queue_id: str) -> None:
        self._changed(self._run("postsuper", "-d", checked_queue_id(queue_id), "hold"), "Deleted", queue_id)


class NoQueue:
    """A console on a host without Postfix: it shows held mail but cannot release or drop it."""

    name = "none"

    def check(self, incident_id: str, queue_id: str) -> None:
        raise QuarantineError("此主控台沒有設定郵件佇列（Postfix），無法放行或刪除；請在郵件閘道主機上用 dlp quarantine")

    def release(self, queue_id: str) -> None:
        self.check("", queue_id)

    drop = release


def default_queue(config_dir: str | None = None) -> HoldQueue:
    """Postfix's queue when its tools are on this host, else ``NoQueue``."""
    return PostfixQueue(config_dir) if shutil.which("postsuper") or Path("/usr/sbin/postsuper").exists() else NoQueue()


def act_on_held(queue: HoldQueue, write_audit: AuditWriter, operation: str, incident_id: str, queue_id: str,
                by: str, reason: str, *, store: Any = None, via: str, **extra: Any) -> dict[str, Any]:
    """Release (``operation="release"``) or drop one held mail; returns the audit record.

    ``via`` (``cli``, ``console``) and ``extra`` (the console's ``approvers``) go in the record;
    ``store`` (an ``IncidentStore``) gets the new state, or the failure, on the incident."""
    reason, by = reason.strip(), by.strip()
    if operation not in EVENTS:
        raise ValueError(f"unknown operation {operation!r}")
    if not reason:
        raise QuarantineError("必須說明原因")
    if not by:
        raise QuarantineError("必須說明是誰")
    queue.check(incident_id, queue_id)
    fields = {"endpoint": "quarantine", "incident_id": incident_id, "queue_id": queue_id, "by": by, "reason": reason,
              "via": via, "backend": queue.name, **extra}
    record = write_audit(event_fields(EVENTS[operation], new_request_id("quarantine"), None, **fields))
    try:
        getattr(queue, operation)(queue_id)
    except QuarantineError as exc:
        write_audit(event_fields(FAILED, new_request_id("quarantine"), None, **fields, failed=EVENTS[operation],
                                 error=str(exc)[:300]))
        if store is not None:
            store.add_event(incident_id, by, "quarantine_failed", {"operation": operation, "error": str(exc)[:300]})
        raise
    if store is not None and store.get(incident_id) is not None:
        store.set_quarantine(incident_id, STATES[operation], by, STATES[operation], {"reason": reason, "via": via, **extra})
    return record if isinstance(record, dict) else fields


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
    def __init__(self, audit_path: str | Path, queue: PostfixQueue, hmac_key: bytes | None = None, store: Any = None):
        self.audit_path = Path(audit_path)
        self.queue = queue
        self.hmac_key = hmac_key  # a keyed trail stays keyed: release/drop records chain like the rest
        #: the incident store the milter records in (its state follows a release or drop), if any
        self.store = store

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
        audit = AuditLog(self.audit_path, hmac_key=self.hmac_key)
        try:
            return act_on_held(self.queue, audit.append, "release" if event == RELEASE else "drop", inc.incident_id,
                               inc.queue_id or "", by, reason, store=self.store, via="cli")
        finally:
            audit.close()
