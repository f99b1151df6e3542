"""The destination history's aggregates for one message, as read from the store, and how one
more learned message changes them.

``RawFacts`` is what ``DestinationHistory`` reads for a message's keys (the same seven
aggregate queries as ever); ``facts(keys)`` turns it into the library's ``HistoryFacts``.
``RawFacts.add`` applies one learned message to those aggregates exactly as the store's upserts
would change what the queries return; it refuses (returns False, changing nothing) where the
aggregates alone cannot tell the new value: another sender's message to one of these
destinations or domains (how many *distinct* senders used it then depends on rows not read).
The buffered history (``dlp.store.history_buffer``) uses it to keep cached and freshly read
aggregates in step with learns that are still on their way to the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dlp.misdirection.facts import ConversationFacts, DestinationFacts, HistoryFacts, Usage
from dlp.model import SECRECY_LEVELS, secrecy_rank
from dlp.store.history_keys import DestinationKey, MessageKeys
from dlp.store.history_sql import month

#: one aggregate row: messages, first_seen, last_seen, max_level (rank), identifier_messages,
#: special_messages, distinct senders, distinct senders of something sensitive
Counts = list[Any]


def empty_counts() -> Counts:
    return [0, None, None, 0, 0, 0, 0, 0]


def usage_of(counts: Counts | None) -> Usage:
    if counts is None:
        return Usage()
    messages, first, last, level, ids, special, senders, sensitive_senders = counts
    return Usage(messages=int(messages or 0), first_seen=first, last_seen=last, max_level=SECRECY_LEVELS[int(level or 0)],
                 identifier_messages=int(ids or 0), special_messages=int(special or 0), senders=int(senders or 0),
                 sensitive_senders=int(sensitive_senders or 0))


def unique_destinations(keys: Iterable[DestinationKey]) -> list[DestinationKey]:
    return list({k.sha256: k for k in keys}.values())


def learned_locals(keys: MessageKeys) -> set[str]:
    """Local-part hashes a learn of ``keys`` records as known colleagues' (``HistoryRows.add``)."""
    out = {k.local_sha256 for k in keys.destinations if k.internal and k.local_sha256}
    if keys.sender_internal and keys.sender_sha256 and keys.sender_local_sha256:
        out.add(keys.sender_local_sha256)
    return out  # type: ignore[return-value]


@dataclass(frozen=True)
class Learned:
    """One decision to count into the history (what ``HistoryRows.add`` is given)."""

    keys: MessageKeys
    day: date
    level: str = "none"
    identifiers: bool = False
    special: bool = False
    conversation: dict[str, int] | None = None

    @property
    def rank(self) -> int:
        return secrecy_rank(self.level)

    @property
    def sensitive(self) -> bool:
        """What the queries call a sensitive row (``max_level > 0 or identifiers or special``)."""
        return self.rank > 0 or self.identifiers or self.special


def _add_counts(counts: Counts, learned: Learned, n: int = 1) -> None:
    counts[0] += n
    counts[1] = learned.day if counts[1] is None else min(counts[1], learned.day)
    counts[2] = learned.day if counts[2] is None else max(counts[2], learned.day)
    counts[3] = max(int(counts[3] or 0), learned.rank)
    counts[4] += n if learned.identifiers else 0
    counts[5] += n if learned.special else 0


@dataclass
class RawFacts:
    today: date
    cutoff: date
    outside: set[str]
    sender_messages: int = 0
    sender_first: date | None = None
    mine: dict[str, Counts] = field(default_factory=dict)
    anyone: dict[str, Counts] = field(default_factory=dict)
    by_domain: dict[str, Counts] = field(default_factory=dict)
    sender_domains: dict[str, int] = field(default_factory=dict)
    #: domains where this sender has a sensitive row (for ``by_domain``'s distinct sensitive senders)
    sensitive_domains: set[str] = field(default_factory=set)
    namesakes: set[str] = field(default_factory=set)
    #: the conversation's stored row: (external members, day they last rose, last seen)
    conversation: tuple[int, date | None, date] | None = None

    def facts(self, keys: MessageKeys) -> HistoryFacts:
        destinations = {
            k.key: DestinationFacts(
                kind=k.kind, by_sender=usage_of(self.mine.get(k.sha256)), by_anyone=usage_of(self.anyone.get(k.sha256)),
                domain=k.domain,
                domain_by_anyone=usage_of(self.by_domain.get(k.domain)) if k.domain in self.outside else None,
                namesake_colleague=bool(k.local_sha256 and k.local_sha256 in self.namesakes))
            for k in keys.destinations
        }
        conversation = None
        if keys.conversation_sha256 is not None:
            row = self.conversation
            conversation = (ConversationFacts(row[0], row[1]) if row is not None and row[2] >= self.cutoff
                            else ConversationFacts())
        return HistoryFacts(today=self.today, sender_messages=self.sender_messages, sender_first_seen=self.sender_first,
                            destinations=destinations, sender_domains=dict(self.sender_domains), conversation=conversation)

    def can_add(self, keys: MessageKeys, learned: Learned) -> bool:
        """Whether ``add`` can follow ``learned`` exactly (see the module's docstring)."""
        sender = learned.keys.sender_sha256
        if sender is None or sender == keys.sender_sha256 or month(learned.day) < self.cutoff:
            return True
        mine = {k.sha256 for k in keys.destinations}
        return not any(k.sha256 in mine or k.domain in self.outside for k in learned.keys.destinations)

    def add(self, keys: MessageKeys, learned: Learned) -> None:
        """Count ``learned`` in (call only when ``can_add``): what the queries would now return."""
        sender = learned.keys.sender_sha256
        if sender is not None and month(learned.day) >= self.cutoff:
            self._add_sent(keys, learned, sender == keys.sender_sha256)
        if learned.day >= self.cutoff:  # a colleague's address counts while last seen within retention
            self.namesakes |= learned_locals(learned.keys) & {k.local_sha256 for k in keys.destinations
                                                                if k.personal and k.local_sha256}
        if (learned.conversation is not None and learned.keys.conversation_sha256 is not None
                and learned.keys.conversation_sha256 == keys.conversation_sha256):
            external = int(learned.conversation["external_members"])
            old = self.conversation
            if old is None:
                self.conversation = (external, None, learned.day)
            else:
                rose = learned.day if external > old[0] else old[1]
                self.conversation = (external, rose, max(old[2], learned.day))

    def _add_sent(self, keys: MessageKeys, learned: Learned, own: bool) -> None:
        if not own:
            return  # can_add: another sender's message touches none of these destinations or domains
        self.sender_messages += 1
        self.sender_first = learned.day if self.sender_first is None else min(self.sender_first, learned.day)
        wanted = {k.sha256 for k in keys.destinations}
        per_domain: dict[str, int] = {}
        for k in unique_destinations(learned.keys.destinations):
            if k.domain is not None:
                per_domain[k.domain] = per_domain.get(k.domain, 0) + 1
            if k.sha256 not in wanted:
                continue
            mine = self.mine.setdefault(k.sha256, empty_counts())
            anyone = self.anyone.setdefault(k.sha256, empty_counts())
            anyone[6] += 1 if mine[0] == 0 else 0
            anyone[7] += 1 if learned.sensitive and not mine[7] else 0
            _add_counts(mine, learned)
            _add_counts(anyone, learned)
            mine[6] = 1
            mine[7] = 1 if learned.sensitive or mine[7] else 0
        for domain, n in per_domain.items():
            if domain in self.outside:
                counts = self.by_domain.setdefault(domain, empty_counts())
                counts[6] += 1 if self.sender_domains.get(domain, 0) == 0 else 0
                counts[7] += 1 if learned.sensitive and domain not in self.sensitive_domains else 0
                _add_counts(counts, learned, n)
            self.sender_domains[domain] = self.sender_domains.get(domain, 0) + n
            if learned.sensitive:
                self.sensitive_domains.add(domain)
