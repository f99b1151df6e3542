"""What the destination history says about one message, handed to ``Scanner.scan(history=...)``.

The library never opens a database: a gateway (or the service) asks the store
(``dlp.store.history.DestinationHistory.lookup``) before the scan and passes these plain,
immutable facts in. They are keyed by the message's *own* destinations (the recipient strings
as the message names them, ``chat:<id>`` for a conversation), live only in memory for one
decision, and hold counts, dates, levels and domains: never content.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dlp.model import Message


@dataclass(frozen=True)
class Usage:
    """How a destination was used (by this sender, or by anyone) within the retention period."""

    messages: int = 0
    first_seen: date | None = None
    last_seen: date | None = None
    max_level: str = "none"
    identifier_messages: int = 0
    special_messages: int = 0
    senders: int = 0
    #: distinct senders who sent it anything sensitive (a marking, identifiers, special categories)
    sensitive_senders: int = 0

    @property
    def used(self) -> bool:
        return self.messages > 0


@dataclass(frozen=True)
class DestinationFacts:
    kind: str  # "mail" | "chat" | "other"
    by_sender: Usage = field(default_factory=Usage)
    by_anyone: Usage = field(default_factory=Usage)
    #: mail: the recipient's domain (canonical, ASCII) and everyone's use of it
    domain: str | None = None
    domain_by_anyone: Usage | None = None
    #: personal webmail: the local part equals that of an internal address the history knows
    namesake_colleague: bool = False


@dataclass(frozen=True)
class ConversationFacts:
    """Membership as the history last saw it (from earlier messages or membership events)."""

    external_members_before: int | None = None
    external_increased_on: date | None = None


@dataclass(frozen=True)
class HistoryFacts:
    today: date
    sender_messages: int = 0
    sender_first_seen: date | None = None
    destinations: dict[str, DestinationFacts] = field(default_factory=dict)
    #: domain -> messages this sender sent there (their usual correspondents' domains)
    sender_domains: dict[str, int] = field(default_factory=dict)
    conversation: ConversationFacts | None = None

    def for_destination(self, key: str) -> DestinationFacts | None:
        return self.destinations.get(key)


def destination_keys(message: Message) -> list[tuple[str, str]]:
    """``(key, kind)`` for every destination of ``message``: the keys :class:`HistoryFacts` uses."""
    if message.channel == "chat":
        conv = message.conversation
        return [(f"chat:{conv.id}", "chat")] if conv is not None and conv.id else []
    kind = "mail" if message.channel == "mail" else "other"
    seen: dict[str, str] = {}
    for r in message.recipients:
        if isinstance(r, str) and r.strip():
            seen.setdefault(r, kind)
    return list(seen.items())


def facts_to_dict(facts: HistoryFacts | None) -> dict[str, Any] | None:
    """A JSON-ready summary for ``dlp explain --json`` (counts and dates, no keys)."""
    if facts is None:
        return None
    return {"today": facts.today.isoformat(), "sender_messages": facts.sender_messages,
            "destinations": len(facts.destinations), "sender_domains": len(facts.sender_domains)}
