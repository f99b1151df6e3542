"""The destination history in the incident store: looked up before a decision, learned after it.

One ``DestinationHistory`` per process, over the ``IncidentStore`` (same database, same
migrations: ``0002_destination_history``). Around each decision a gateway does::

    lookup = history.lookup(message, scanner.policy)          # None when the policy has no misdirection:
    report = scanner.scan(message, history=lookup.facts if lookup else None)
    recorder.audit_and_record(fields, message, report, write, history=lookup, ...)  # learns

``lookup`` hashes the message's sender and destinations with the audit trail's salt, reads the
counts (within ``retention_days``) and returns plain facts for the scanner; ``learn`` adds this
decision when its action is in ``learn_from`` (a blocked or held message never left). What is
stored: hashes, domains, monthly counts, day-precision dates, the highest secrecy level and
whether identifiers or special categories were sent. Never content, never a raw address.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import case, delete, func, insert, or_, select

from dlp.misdirection.facts import HistoryFacts
from dlp.model import SECRECY_LEVELS, Message, secrecy_rank
from dlp.store.history_facts import Counts, Learned, RawFacts, unique_destinations
from dlp.store.history_keys import MessageKeys, SaltError, check_salt, ident_hash, message_keys, sender_hashes
from dlp.store.history_sql import chunks, increased_on, month, upsert
from dlp.store.store import IncidentStore, utcnow

log = logging.getLogger("dlp.store.history")
TABLES = ("history_senders", "history_destinations", "history_conversations", "history_local_parts", "history_sources")


def today_utc() -> date:
    return datetime.now(UTC).date()


def retention_cutoff(today: date, retention_days: int) -> date:
    """Months that began before this day are deleted (and ignored until they are)."""
    return today - timedelta(days=retention_days)


@dataclass
class HistoryLookup:
    """What one decision looked up: the facts for the scanner and the keys to learn with."""

    history: DestinationHistory
    config: Any  # dlp.misdirection.MisdirectionConfig
    keys: MessageKeys
    facts: HistoryFacts
    today: date
    conversation: dict[str, int] | None = None
    learned: bool = field(default=False, init=False)

    def learn(self, report: Any) -> bool:
        """Add this decision to the history (once); True when it counted."""
        if self.learned:
            return False
        self.learned = True
        return self.history.learn(self, report)


class DestinationHistory:
    def __init__(self, store: IncidentStore, salt: str):
        self.store = store
        self.salt = check_salt(salt)
        t = store.meta.tables
        self.senders_t = t["history_senders"]
        self.destinations_t = t["history_destinations"]
        self.conversations_t = t["history_conversations"]
        self.locals_t = t["history_local_parts"]
        self.sources_t = t["history_sources"]
        self._live_noted = False
        self._last_prune: date | None = None
        self._lock = threading.Lock()

    # -- before the decision ------------------------------------------------------------------
    def lookup(self, message: Message, policy: Any, today: date | None = None) -> HistoryLookup | None:
        """The sender's history for ``message``; None when ``policy`` has no ``misdirection:``."""
        config = getattr(getattr(policy, "config", policy), "misdirection", None)
        if config is None:
            return None
        rules = getattr(policy, "config", policy).destination_rules
        today = today or today_utc()
        keys = message_keys(message, self.salt, rules.internal_domains, rules.personal_mail_domains)
        facts = self._facts(keys, today, retention_cutoff(today, config.retention_days))
        conv = message.conversation if message.channel == "chat" else None
        seen = {"members": conv.members, "external_members": conv.external_members} if conv is not None else None
        return HistoryLookup(self, config, keys, facts, today, seen)

    def _facts(self, keys: MessageKeys, today: date, cutoff: date) -> HistoryFacts:
        return self._read(keys, today, cutoff).facts(keys)

    def _read(self, keys: MessageKeys, today: date, cutoff: date) -> RawFacts:
        """What the store holds for ``keys`` (the aggregates the facts are made of)."""
        s, d = self.senders_t.c, self.destinations_t.c
        hashes = [k.sha256 for k in keys.destinations]
        raw = RawFacts(today=today, cutoff=cutoff,
                       outside={k.domain for k in keys.destinations if k.domain and not k.internal and not k.personal})
        with self.store.engine.connect() as conn:
            if keys.sender_sha256:
                row = conn.execute(select(func.sum(s.messages), func.min(s.first_seen))
                                   .where(s.sender_sha256 == keys.sender_sha256, s.period >= cutoff)).first()
                raw.sender_messages, raw.sender_first = int(row[0] or 0), _day(row[1])
                for part in chunks(hashes):
                    raw.mine.update(self._usage(conn, part, cutoff, keys.sender_sha256))
                q = (select(d.domain, func.sum(d.messages), func.max(case((_sensitive(d), 1), else_=0)))
                     .where(d.sender_sha256 == keys.sender_sha256, d.period >= cutoff, d.domain.is_not(None))
                     .group_by(d.domain))
                for dom, n, sensitive in conn.execute(q):
                    raw.sender_domains[dom] = int(n)
                    if sensitive:
                        raw.sensitive_domains.add(dom)
            for part in chunks(hashes):
                raw.anyone.update(self._usage(conn, part, cutoff))
            for part in chunks(sorted(raw.outside)):
                raw.by_domain.update(self._domain_usage(conn, part, cutoff))
            raw.namesakes = self._namesakes(conn, [k.local_sha256 for k in keys.destinations if k.personal and k.local_sha256],
                                            cutoff)
            raw.conversation = self._conversation_row(conn, keys.conversation_sha256)
        return raw

    def _usage(self, conn: Any, hashes: Iterable[str], cutoff: date, sender: str | None = None) -> dict[str, Counts]:
        d = self.destinations_t.c
        q = select(d.destination_sha256, *self._aggregates())
        q = q.where(d.destination_sha256.in_(list(hashes)), d.period >= cutoff).group_by(d.destination_sha256)
        if sender is not None:
            q = q.where(d.sender_sha256 == sender)
        return {row[0]: _counts_of(row[1:]) for row in conn.execute(q)}

    def _aggregates(self) -> list[Any]:
        d = self.destinations_t.c
        sensitive = _sensitive(d)
        return [func.sum(d.messages), func.min(d.first_seen), func.max(d.last_seen), func.max(d.max_level),
                func.sum(d.identifier_messages), func.sum(d.special_messages), func.count(func.distinct(d.sender_sha256)),
                func.count(func.distinct(case((sensitive, d.sender_sha256))))]

    def _domain_usage(self, conn: Any, domains: Iterable[str], cutoff: date) -> dict[str, Counts]:
        d = self.destinations_t.c
        q = (select(d.domain, *self._aggregates())
             .where(d.domain.in_(list(domains)), d.period >= cutoff).group_by(d.domain))
        return {row[0]: _counts_of(row[1:]) for row in conn.execute(q)}

    def _namesakes(self, conn: Any, local_hashes: list[str], cutoff: date) -> set[str]:
        if not local_hashes:
            return set()
        c = self.locals_t.c
        q = select(c.local_sha256).where(c.local_sha256.in_(local_hashes), c.last_seen >= cutoff)
        return {r[0] for r in conn.execute(q)}

    def _conversation_row(self, conn: Any, sha: str | None) -> tuple[int, date | None, date] | None:
        """The conversation's row as stored (external members, the day they last rose, last seen);
        the cutoff is applied by ``RawFacts`` (a buffered learn needs the old row to update it)."""
        if sha is None:
            return None
        c = self.conversations_t.c
        row = conn.execute(select(c.external_members, c.external_increased_on, c.last_seen)
                           .where(c.conversation_sha256 == sha)).first()
        return None if row is None else (int(row[0]), _day(row[1]), _day(row[2]))  # type: ignore[return-value]

    # -- after the decision -------------------------------------------------------------------
    def learn(self, lookup: HistoryLookup, report: Any) -> bool:
        """Count this decision when its action is one the policy learns from."""
        learned = learned_from(lookup, report)
        return learned is not None and self._count(learned, lookup.config.retention_days)

    def _count(self, learned: Learned, retention_days: int) -> bool:
        """Write one learned decision now (``BufferedHistory`` queues it instead)."""
        self.add(learned.keys, learned.day, level=learned.level, identifiers=learned.identifiers, special=learned.special,
                 conversation=learned.conversation)
        self._note_live()
        self._maybe_prune(retention_days, learned.day)
        return True

    def add(self, keys: MessageKeys, day: date, *, level: str = "none", identifiers: bool = False, special: bool = False,
            conversation: dict[str, int] | None = None, messages: int = 1) -> None:
        """One message (or ``messages`` alike) from ``keys.sender`` to ``keys.destinations`` on ``day``."""
        rows = HistoryRows()
        rows.add(keys, day, level=level, identifiers=identifiers, special=special, conversation=conversation,
                 messages=messages)
        self.write(rows)

    def write(self, rows: HistoryRows) -> None:
        """Merge aggregated rows (one message, or a whole import) in one transaction."""
        with self.store._write() as conn:
            self._write_rows(conn, rows)

    def _write_rows(self, conn: Any, rows: HistoryRows) -> None:
        """Every row of ``rows`` (conversations included) through ``conn``."""
        for part in chunks(list(rows.senders.values()), 1000):
            upsert(conn, self.senders_t, list(part), ("sender_sha256", "period"), add=("messages",),
                   high=("last_seen",), low=("first_seen",))
        for part in chunks(list(rows.destinations.values()), 1000):
            upsert(conn, self.destinations_t, list(part), ("sender_sha256", "destination_sha256", "period"),
                   add=("messages", "identifier_messages", "special_messages"), high=("max_level", "last_seen"),
                   low=("first_seen",))
        for part in chunks(list(rows.local_parts.values()), 1000):
            upsert(conn, self.locals_t, list(part), ("address_sha256",), high=("last_seen",))
        for row in rows.conversations.values():
            self._upsert_conversation(conn, row["conversation_sha256"], row["members"], row["external_members"],
                                      row["last_seen"])

    def _upsert_conversation(self, conn: Any, sha: str, members: int, external: int, day: date) -> None:
        upsert(conn, self.conversations_t, [{"conversation_sha256": sha, "members": members, "external_members": external,
                                             "external_increased_on": None, "last_seen": day}],
               ("conversation_sha256",), replace=("members", "external_members"), high=("last_seen",), extra=increased_on)

    def note_membership(self, conversation_id: str, members: int, external_members: int, day: date | None = None) -> None:
        """A membership change the chat proxy or the registry reports (a member joined or left)."""
        with self.store._write() as conn:
            self._upsert_conversation(conn, ident_hash(conversation_id, self.salt), members, external_members,
                                      day or today_utc())

    def _note_live(self) -> None:
        """Remember when live learning began, so that an import never counts those decisions twice."""
        if self._live_noted:
            return
        now = utcnow()
        with self.store._write() as conn:
            upsert(conn, self.sources_t, [{"source": "live", "kind": "live", "first_time": now, "last_time": now,
                                           "last_seq": None, "records": 0}], ("source",), low=("first_time",))
        self._live_noted = True

    def _maybe_prune(self, retention_days: int, today: date) -> None:
        with self._lock:
            if self._last_prune == today:
                return
            self._last_prune = today
        try:
            self.prune(retention_days, today)
        except Exception as exc:  # noqa: BLE001 - pruning is housekeeping; the lookup ignores old months anyway
            log.error("history prune failed: %s", exc)

    # -- housekeeping and people's rights -----------------------------------------------------
    def prune(self, retention_days: int, today: date | None = None) -> dict[str, int]:
        """Delete every month that began before the retention cutoff; returns rows deleted per table."""
        cutoff = retention_cutoff(today or today_utc(), retention_days)
        out = {}
        with self.store._write() as conn:
            out["history_senders"] = conn.execute(delete(self.senders_t).where(self.senders_t.c.period < cutoff)).rowcount
            out["history_destinations"] = conn.execute(
                delete(self.destinations_t).where(self.destinations_t.c.period < cutoff)).rowcount
            out["history_conversations"] = conn.execute(
                delete(self.conversations_t).where(self.conversations_t.c.last_seen < cutoff)).rowcount
            out["history_local_parts"] = conn.execute(
                delete(self.locals_t).where(self.locals_t.c.last_seen < cutoff)).rowcount
        return out

    def hashes_of(self, person: str) -> set[str]:
        """An address (hashed as the audit trail does, canonical and as written) or a 64-hex hash."""
        value = person.strip()
        if len(value) == 64 and all(ch in "0123456789abcdef" for ch in value.lower()):
            return {value.lower()}
        return sender_hashes(value, self.salt)

    def forget(self, person: str, as_recipient: bool = True) -> dict[str, int]:
        """Delete everything the history holds about ``person``: as a sender, and (by default)
        as a recipient in other senders' histories and as a known colleague's address."""
        hashes = list(self.hashes_of(person))
        d = self.destinations_t.c
        out = {}
        with self.store._write() as conn:
            out["sender_months"] = conn.execute(delete(self.senders_t).where(self.senders_t.c.sender_sha256.in_(hashes))).rowcount
            out["sent_to"] = conn.execute(delete(self.destinations_t).where(d.sender_sha256.in_(hashes))).rowcount
            out["received_from"] = conn.execute(delete(self.destinations_t).where(d.destination_sha256.in_(hashes))).rowcount \
                if as_recipient else 0
            out["address"] = conn.execute(delete(self.locals_t).where(self.locals_t.c.address_sha256.in_(hashes))).rowcount
        return out

    def show(self, person: str) -> dict[str, Any]:
        """What the history holds about ``person`` as a sender (for an access request)."""
        hashes = list(self.hashes_of(person))
        s, d = self.senders_t.c, self.destinations_t.c
        with self.store.engine.connect() as conn:
            months = [dict(r._mapping) for r in conn.execute(
                select(s.period, s.messages, s.first_seen, s.last_seen).where(s.sender_sha256.in_(hashes)).order_by(s.period))]
            q = (select(d.destination_sha256, d.kind, d.domain, func.sum(d.messages).label("messages"),
                        func.min(d.first_seen).label("first_seen"), func.max(d.last_seen).label("last_seen"),
                        func.max(d.max_level).label("max_level"), func.sum(d.identifier_messages).label("identifier_messages"),
                        func.sum(d.special_messages).label("special_messages"))
                 .where(d.sender_sha256.in_(hashes)).group_by(d.destination_sha256, d.kind, d.domain)
                 .order_by(func.max(d.last_seen).desc()))
            destinations = []
            for r in conn.execute(q):
                row = dict(r._mapping)
                row["max_level"] = SECRECY_LEVELS[int(row["max_level"] or 0)]
                destinations.append(row)
            received = int(conn.execute(select(func.coalesce(func.sum(d.messages), 0))
                                        .where(d.destination_sha256.in_(hashes))).scalar_one())
        return {"sender_sha256": sorted(hashes), "months": months, "destinations": destinations, "received_messages": received}

    def counts(self) -> dict[str, int]:
        with self.store.engine.connect() as conn:
            return {name: int(conn.execute(select(func.count()).select_from(self.store.meta.tables[name])).scalar_one())
                    for name in TABLES}

    # -- sources (import watermarks) ----------------------------------------------------------
    def source(self, name: str) -> dict[str, Any] | None:
        c = self.sources_t.c
        with self.store.engine.connect() as conn:
            row = conn.execute(select(self.sources_t).where(c.source == name)).mappings().first()
        return dict(row) if row else None

    def save_source(self, name: str, last_seq: int | None, records: int, first_time: datetime, last_time: datetime) -> None:
        with self.store._write() as conn:
            conn.execute(delete(self.sources_t).where(self.sources_t.c.source == name))
            conn.execute(insert(self.sources_t), [{"source": name[:200], "kind": "import", "first_time": first_time,
                                                   "last_time": last_time, "last_seq": last_seq, "records": records}])


def learned_from(lookup: HistoryLookup, report: Any) -> Learned | None:
    """What a decision adds to the history; None when its action is not one the policy learns from."""
    block = getattr(report, "misdirection", None)
    if report.action not in lookup.config.learn_from or not isinstance(block, dict):
        return None
    content = block.get("content") or {}
    level = content.get("secrecy_level", "none")
    return Learned(lookup.keys, lookup.today, level=level if level in SECRECY_LEVELS else "none",
                   identifiers=bool(content.get("identifiers")), special=bool(content.get("special_categories")),
                   conversation=lookup.conversation)


def open_history(store: IncidentStore, salt: str, buffered: bool = False, **options: Any) -> DestinationHistory | None:
    """The misdirection guard's history in ``store``; None (with a warning) without a usable salt.
    ``buffered``: learns written behind and lookups cached (``dlp.store.history_buffer``; a
    long-running gateway process, which must ``close()`` it at shutdown)."""
    try:
        if buffered:
            from dlp.store.history_buffer import BufferedHistory

            return BufferedHistory(store, salt, **options)
        return DestinationHistory(store, salt)
    except SaltError as exc:
        log.warning("destination history off: %s", exc)
        return None


class HistoryRows:
    """Rows to merge into the history, aggregated in memory (by month) before one write."""

    def __init__(self) -> None:
        self.senders: dict[tuple[str, date], dict[str, Any]] = {}
        self.destinations: dict[tuple[str, str, date], dict[str, Any]] = {}
        self.local_parts: dict[str, dict[str, Any]] = {}
        self.conversations: dict[str, dict[str, Any]] = {}

    def __len__(self) -> int:
        return len(self.senders) + len(self.destinations) + len(self.local_parts) + len(self.conversations)

    def add(self, keys: MessageKeys, day: date, *, level: str = "none", identifiers: bool = False, special: bool = False,
            conversation: dict[str, int] | None = None, messages: int = 1) -> None:
        period = month(day)
        rank = secrecy_rank(level)
        if keys.sender_sha256:
            _merge(self.senders, (keys.sender_sha256, period),
                   {"sender_sha256": keys.sender_sha256, "period": period, "messages": messages, "first_seen": day,
                    "last_seen": day})
            for k in unique_destinations(keys.destinations):
                _merge(self.destinations, (keys.sender_sha256, k.sha256, period),
                       {"sender_sha256": keys.sender_sha256, "destination_sha256": k.sha256, "period": period, "kind": k.kind,
                        "domain": k.domain, "messages": messages, "max_level": rank,
                        "identifier_messages": messages if identifiers else 0, "special_messages": messages if special else 0,
                        "first_seen": day, "last_seen": day})
        internal = [(k.sha256, k.local_sha256, k.domain) for k in keys.destinations if k.internal and k.local_sha256]
        if keys.sender_internal and keys.sender_sha256 and keys.sender_local_sha256:
            internal.append((keys.sender_sha256, keys.sender_local_sha256, keys.sender_domain))
        for address, local, domain in internal:
            _merge(self.local_parts, address, {"address_sha256": address, "local_sha256": local, "domain": domain,
                                               "last_seen": day})
        if keys.conversation_sha256 and conversation is not None:
            old = self.conversations.get(keys.conversation_sha256)
            if old is None or old["last_seen"] <= day:
                self.conversations[keys.conversation_sha256] = {
                    "conversation_sha256": keys.conversation_sha256, "members": conversation["members"],
                    "external_members": conversation["external_members"], "last_seen": day}


_ADDED = ("messages", "identifier_messages", "special_messages")


def _merge(table: dict[Any, dict[str, Any]], key: Any, row: dict[str, Any]) -> None:
    old = table.get(key)
    if old is None:
        table[key] = row
        return
    for name, value in row.items():
        if name in _ADDED:
            old[name] += value
        elif name in ("max_level", "last_seen"):
            old[name] = max(old[name], value)
        elif name == "first_seen":
            old[name] = min(old[name], value)


def _sensitive(d: Any) -> Any:
    return or_(d.max_level > 0, d.identifier_messages > 0, d.special_messages > 0)


def _counts_of(row: Any) -> Counts:
    messages, first, last, level, ids, special, senders, sensitive_senders = row
    return [int(messages or 0), _day(first), _day(last), int(level or 0), int(ids or 0), int(special or 0), int(senders or 0),
            int(sensitive_senders or 0)]


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
