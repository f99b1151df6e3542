"""Run the simulated agency (:mod:`dlp.evaluation.agency`) through the real history and policy.

The first ``warmup_days`` are written as audit-shaped decision records (salted hashes and masked
addresses, as the audit trail keeps them) and bootstrapped with ``dlp history import``'s code;
every later message is looked up in the real store, decided by the real policy's
``misdirection:`` rows and learned from when it was sent.

The guard is measured on its own: a message counts as *caught* (or, if normal, *warned*) when an
enforced misdirection row fired with an action above ``allow``. The main table's content
decisions are not applied (an agency's own table, conversation registry and exceptions decide
those): every normal message counts as sent, and a misdirection the guard did not flag too.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from time import perf_counter
from types import SimpleNamespace
from typing import Any

from dlp.evaluation.agency import START, Agency, SimMessage
from dlp.model import Conversation, Finding, Message
from dlp.store.history import DestinationHistory
from dlp.store.history_import import import_records
from dlp.store.history_keys import ident_hash

INJECTED_KINDS = ("wrong_group", "lookalike", "autocomplete")


@dataclass
class SimulationResult:
    injected: Counter = field(default_factory=Counter)
    caught: Counter = field(default_factory=Counter)
    normal_sensitive: int = 0
    normal_sensitive_warned: int = 0
    normal_other: int = 0
    normal_other_warned: int = 0
    warned_by_rule: Counter = field(default_factory=Counter)
    warned_by_note: Counter = field(default_factory=Counter)
    cold_start_sensitive: int = 0
    bootstrap_records: int = 0
    evaluated: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)
    #: seconds spent looking up, deciding and learning over the evaluated messages
    seconds: Counter = field(default_factory=Counter)

    @property
    def catch_rate(self) -> float:
        n = sum(self.injected.values())
        return sum(self.caught.values()) / n if n else 0.0

    @property
    def warn_rate(self) -> float:
        return self.normal_sensitive_warned / self.normal_sensitive if self.normal_sensitive else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "catch_rate": round(self.catch_rate, 4), "warn_rate_normal_sensitive": round(self.warn_rate, 4),
            "injected": dict(self.injected), "caught": dict(self.caught),
            "normal_sensitive": self.normal_sensitive, "normal_sensitive_warned": self.normal_sensitive_warned,
            "normal_other": self.normal_other, "normal_other_warned": self.normal_other_warned,
            "warned_by_rule": dict(self.warned_by_rule), "warned_normal_by_kind": dict(self.warned_by_note),
            "cold_start_sensitive": self.cold_start_sensitive, "bootstrap_records": self.bootstrap_records,
            "evaluated": self.evaluated,
        }

    def format(self) -> str:
        lines = [f"injected misdirections with sensitive content: {sum(self.injected.values())}, caught "
                 f"{sum(self.caught.values())} ({self.catch_rate:.1%})"]
        for kind in INJECTED_KINDS:
            n = self.injected.get(kind, 0)
            lines.append(f"  {kind:<13} {self.caught.get(kind, 0):>4} / {n:<4} ({self.caught.get(kind, 0) / n:.1%})" if n else
                         f"  {kind:<13} none injected")
        lines.append(f"normal sensitive messages: {self.normal_sensitive}, warned {self.normal_sensitive_warned} "
                     f"({self.warn_rate:.2%}); of them from senders still in cold start: {self.cold_start_sensitive}")
        lines.append(f"normal messages without sensitive content: {self.normal_other}, warned {self.normal_other_warned}")
        lines.append(f"false alarms by kind of message: {dict(self.warned_normal_by_kind_sorted())}")
        lines.append(f"warnings by rule: {dict(self.warned_by_rule.most_common())}")
        return "\n".join(lines)

    def warned_normal_by_kind_sorted(self) -> list[tuple[str, int]]:
        return self.warned_by_note.most_common()


def to_message(m: SimMessage) -> Message:
    if m.channel == "chat" and m.group is not None:
        g = m.group
        conv = Conversation(g.id, g.name, g.members, g.external_members, g.registered)
        return Message(text="", channel="chat", sender=m.sender, conversation=conv)
    return Message(text="", channel="mail", sender=m.sender, recipients=list(m.recipients))


def findings_of(m: SimMessage) -> list[Finding]:
    """Stand-ins for what the detectors find in such a message (only types and level matter here)."""
    out = []
    if m.level != "none":
        out.append(Finding("secrecy", "SECRECY_MARKING", "body", 0, 1, 1.0, "sim-marking", level=m.level))
    if m.identifiers:
        out.append(Finding("personal_data", "TW_NATIONAL_ID", "body", 2, 12, 1.0, "sim-id", value_key="F235071300"))
    if m.special:
        out.append(Finding("personal_data", "HEALTH_DATA", "body", 14, 20, 0.9, "sim-health"))
    return out


def audit_record(m: SimMessage, salt: str, seq: int) -> dict[str, Any]:
    """The decision record the audit trail would hold for ``m`` (hashes and masked forms only)."""
    def party(value: str) -> dict[str, str]:
        local, _, domain = value.rpartition("@")
        return {"masked": f"{local[:1]}***@{domain}", "sha256": ident_hash(value, salt)}

    when = datetime.combine(m.day, time(9, 0), tzinfo=UTC) + timedelta(seconds=seq % 28800)
    types = Counter(f.type for f in findings_of(m))
    record: dict[str, Any] = {
        "time": when.isoformat(timespec="milliseconds").replace("+00:00", "Z"), "event": "decision", "seq": seq,
        "channel": m.channel, "sender": party(m.sender), "recipients": [party(r) for r in m.recipients],
        "recipient_count": len(m.recipients), "action": "allow", "secrecy_level": m.level, "finding_types": dict(types),
    }
    if m.group is not None:
        record["conversation"] = {"sha256": ident_hash(m.group.id, salt), "members": m.group.members,
                                  "external_members": m.group.external_members, "registered": m.group.registered}
    return record


def run_simulation(agency: Agency, messages: list[SimMessage], policy: Any, history: DestinationHistory,
                   warmup_days: int = 30, keep_misses: int = 20) -> SimulationResult:
    result = SimulationResult()
    split = START + timedelta(days=warmup_days)
    warm = [m for m in messages if m.day < split and m.injected is None]
    records = [audit_record(m, history.salt, i + 1) for i, m in enumerate(warm)]
    today = max((m.day for m in messages), default=START)
    result.bootstrap_records = import_records(history, records, policy, "simulation", today=today).imported
    config = policy.config.misdirection
    for m in messages:
        if m.day < split:
            continue
        message = to_message(m)
        started = perf_counter()
        lookup = history.lookup(message, policy, today=m.day)
        assert lookup is not None, "the policy has no misdirection section"
        looked = perf_counter()
        decision = policy.decide(message, findings_of(m), history=lookup.facts)
        result.seconds["lookup"] += looked - started
        result.seconds["decide"] += perf_counter() - looked
        fired = [s for s in (decision.misdirection or {}).get("signals", [])
                 if s["mode"] == "enforce" and s["action"] != "allow"]
        result.evaluated += 1
        if m.injected is not None:
            result.injected[m.injected] += 1
            if fired:
                result.caught[m.injected] += 1
            elif len(result.misses) < keep_misses:
                result.misses.append({"kind": m.injected, "note": m.note, "to": list(m.recipients) or [m.group.id if m.group else ""],
                                      "history": decision.misdirection.get("history") if decision.misdirection else None})
        elif m.sensitive:
            result.normal_sensitive += 1
            if lookup.facts.sender_messages < config.min_sender_messages:
                result.cold_start_sensitive += 1
            if fired:
                result.normal_sensitive_warned += 1
                result.warned_by_note[m.note] += 1
        else:
            result.normal_other += 1
            result.normal_other_warned += bool(fired)
        for s in fired:
            result.warned_by_rule[s["rule"]] += 1
        if m.injected is None or not fired:  # sent: a flagged misdirection is noticed and not sent
            started = perf_counter()
            lookup.learn(SimpleNamespace(action="allow", misdirection=decision.misdirection))
            result.seconds["learn"] += perf_counter() - started
    return result
