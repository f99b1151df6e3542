"""The signals: facts about one message and its sender's history that suggest a wrong recipient.

Each function looks at one destination of the message (a recipient, or the conversation) and
returns a :class:`Signal` with its evidence, or None. Which signals count, for which content and
with which action, is the policy's business (:mod:`dlp.misdirection.decision`).

* ``first_time`` — a destination this sender never used (or not for ``stale_days``); off
  until the sender has ``min_sender_messages`` in the history. (The rows say for which
  content it counts: the default policy, sensitive content only.)
* ``sensitivity_jump`` — a destination the sender does use, but never for content this
  sensitive (``compare_with: sender``), or that nobody ever sent it (``anyone``).
* ``lookalike_domain`` — a recipient domain that resembles a trusted one (:mod:`.domains`).
* ``webmail_namesake`` — a personal-webmail address with the local part of the sender's own
  (or a known colleague's) government address.
* ``mixed_audience`` — colleagues plus one outsider the sender never wrote to (the
  autocomplete slip); a chat group whose external members joined recently.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dlp.destinations import (
    EXTERNAL_MAIL,
    INTERNAL_MAIL,
    PERSONAL_WEBMAIL,
    AddressError,
    Destination,
    domain_under,
    parse_address,
)
from dlp.misdirection.config import MisdirectionConfig
from dlp.misdirection.content import Content
from dlp.misdirection.domains import best_lookalike
from dlp.misdirection.facts import DestinationFacts, HistoryFacts, Usage
from dlp.model import Message


@dataclass(frozen=True)
class Evidence:
    code: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Target:
    """One destination of the message, as the signals see it."""

    key: str            # the message's own string (never stored, never shown)
    kind: str           # "address" | "group" | "other"
    column: str
    shown: dict[str, Any]  # what a person may see: masked address, or group name and size
    domain: str | None = None
    local: str | None = None


@dataclass(frozen=True)
class Signal:
    signal: str
    target: Target
    evidence: tuple[Evidence, ...]
    #: the reference domain a look-alike resembles
    similar_to: str | None = None


def mask_address(address: str) -> str:
    """``clerk@hl.gov.tw`` -> ``c***@hl.gov.tw`` (what the audit trail shows); else first character."""
    try:
        p = parse_address(address)
        return f"{p.local[:1]}***@{p.domain}"
    except AddressError:
        value = address.strip()
        return (value[:1] + "***") if value else ""


def targets(message: Message, dest: Destination) -> list[Target]:
    if dest.channel == "chat":
        conv = message.conversation
        if conv is None or not conv.id:
            return []
        return [Target(f"chat:{conv.id}", "group", dest.column, {"name": conv.name or conv.id, "members": conv.members})]
    out = []
    for r in dest.recipients:
        address = r.get("address")
        if not isinstance(address, str) or not address.strip():
            continue
        if dest.channel != "mail":
            out.append(Target(address, "other", r["column"], {"target": mask_address(address)}))
            continue
        local = None
        if r.get("parsed"):
            try:
                local = parse_address(address).local.lower()
            except AddressError:
                local = None
        out.append(Target(address, "address", r["column"], {"address": mask_address(address)}, r.get("domain"), local))
    return out


def _days(today: date, then: date | None) -> int | None:
    return None if then is None else (today - then).days


def _warm(facts: HistoryFacts | None, config: MisdirectionConfig) -> bool:
    return facts is not None and facts.sender_messages >= config.min_sender_messages


def _facts_for(facts: HistoryFacts, t: Target) -> DestinationFacts:
    return facts.for_destination(t.key) or DestinationFacts(kind="chat" if t.kind == "group" else "mail")


def _stale(usage: Usage, today: date, config: MisdirectionConfig) -> bool:
    days = _days(today, usage.last_seen)
    return days is not None and days > config.stale_days


def _established(df: DestinationFacts, content: Content, config: MisdirectionConfig) -> bool:
    """A destination that ``established_recipient_senders`` colleagues already send content this
    sensitive to (the welfare office, the task force): a new sender there is joining, not slipping."""
    everyone = df.by_anyone
    return (config.established_recipient_senders > 0 and everyone.sensitive_senders >= config.established_recipient_senders
            and not content.above(everyone.max_level, everyone.identifier_messages, everyone.special_messages))


def first_time(t: Target, content: Content, facts: HistoryFacts | None, config: MisdirectionConfig) -> Signal | None:
    if not _warm(facts, config):
        return None
    assert facts is not None
    df = _facts_for(facts, t)
    usage = df.by_sender
    if content.sensitive and _established(df, content, config):
        return None
    if not usage.used:
        return Signal("first_time", t, (Evidence("first_time"),))
    if _stale(usage, facts.today, config):
        return Signal("first_time", t, (Evidence("stale", {"days": _days(facts.today, usage.last_seen),
                                                            "last_used": usage.last_seen.isoformat() if usage.last_seen else ""}),))
    return None


def sensitivity_jump(t: Target, content: Content, facts: HistoryFacts | None, config: MisdirectionConfig) -> Signal | None:
    if not content.sensitive or not _warm(facts, config):
        return None
    assert facts is not None
    df = _facts_for(facts, t)
    mine = df.by_sender
    if not mine.used or _stale(mine, facts.today, config):
        return None  # a first time, not a jump
    if t.kind != "group" and _established(df, content, config):
        # colleagues send content this sensitive to this person: an established channel for it. Not for
        # a group: every member reads it, and the wrong task force is still the wrong audience.
        return None
    everyone = (df.domain_by_anyone if t.kind == "address" and df.domain_by_anyone is not None else df.by_anyone)
    reference = mine if config.jump_compare_with == "sender" else everyone
    if reference.messages < config.jump_min_destination_messages:
        return None
    above = content.above(reference.max_level, reference.identifier_messages, reference.special_messages)
    if not above:
        return None
    evidence = [Evidence("sender_never", {"messages": mine.messages, "parts": content.above(
        mine.max_level, mine.identifier_messages, mine.special_messages) or above})]
    nobody = content.above(everyone.max_level, everyone.identifier_messages, everyone.special_messages)
    if nobody and everyone.messages:
        place = "group" if t.kind == "group" else ("domain" if t.kind == "address" and df.domain_by_anyone is not None else "recipient")
        evidence.append(Evidence("nobody_sent", {"place": place, "parts": nobody}))
    if mine.last_seen is not None:
        evidence.append(Evidence("last_used", {"last_used": mine.last_seen.isoformat(), "messages": mine.messages}))
    return Signal("sensitivity_jump", t, tuple(evidence))


def _references(message: Message, facts: HistoryFacts | None, config: MisdirectionConfig, internal: Iterable[str]) -> list[str]:
    refs: list[str] = list(config.protected_domains)
    try:
        refs.append(parse_address(message.sender or "").domain)
    except AddressError:
        pass
    if facts is not None:
        refs.extend(d for d, n in facts.sender_domains.items() if n >= config.frequent_domain_messages)
    refs.extend(internal)
    return list(dict.fromkeys(refs))


def lookalike_domain(t: Target, message: Message, facts: HistoryFacts | None, config: MisdirectionConfig,
                     internal: tuple[str, ...], personal: tuple[str, ...]) -> Signal | None:
    domain = t.domain
    if t.kind != "address" or not domain or domain_under(domain, internal) or domain_under(domain, personal):
        return None
    if facts is not None:
        if facts.sender_domains.get(domain, 0) > 0:
            return None  # the sender writes there already
        known = _facts_for(facts, t).domain_by_anyone
        if known is not None and known.messages >= config.known_domain_messages:
            return None  # the agency writes there routinely
    match = best_lookalike(domain, _references(message, facts, config, internal), config.max_edit_distance,
                           config.long_domain_chars)
    if match is None:
        return None
    params: dict[str, Any] = {"domain": match.domain}
    if match.how == "edit_distance":
        params["distance"] = match.distance
    return Signal("lookalike_domain", t, (Evidence(match.how, params),), similar_to=match.domain)


def webmail_namesake(t: Target, message: Message, facts: HistoryFacts | None, internal: tuple[str, ...]) -> Signal | None:
    if t.kind != "address" or t.column != PERSONAL_WEBMAIL or not t.local:
        return None
    try:
        sender = parse_address(message.sender or "")
    except AddressError:
        sender = None
    if sender is not None and domain_under(sender.domain, internal) and sender.local.lower() == t.local:
        return Signal("webmail_namesake", t, (Evidence("namesake_sender"),))
    if facts is not None and _facts_for(facts, t).namesake_colleague:
        return Signal("webmail_namesake", t, (Evidence("namesake_colleague"),))
    return None


def mixed_audience(all_targets: list[Target], message: Message, facts: HistoryFacts | None,
                   config: MisdirectionConfig) -> list[Signal]:
    if message.channel == "chat":
        return [s for s in [_external_joined(all_targets, message, facts, config)] if s is not None]
    if message.channel != "mail":
        return []
    inside = [t for t in all_targets if t.column == INTERNAL_MAIL]
    outside = [t for t in all_targets if t.column in (EXTERNAL_MAIL, PERSONAL_WEBMAIL)]
    if len(inside) < config.min_internal or not 1 <= len(outside) <= config.max_outsiders:
        return []
    out = []
    for t in outside:
        evidence = [Evidence("one_outsider", {"internal": len(inside), "outsiders": len(outside)})]
        if facts is not None:
            usage = _facts_for(facts, t).by_sender
            if usage.used and not _stale(usage, facts.today, config):
                continue  # someone the sender writes to: a usual copy, not a slip
            evidence.append(Evidence("first_time"))
        out.append(Signal("mixed_audience", t, tuple(evidence)))
    return out


def _external_joined(all_targets: list[Target], message: Message, facts: HistoryFacts | None,
                     config: MisdirectionConfig) -> Signal | None:
    conv = message.conversation
    if conv is None or conv.external_members <= 0 or facts is None or facts.conversation is None or not all_targets:
        return None
    seen = facts.conversation
    joined_now = seen.external_members_before is not None and conv.external_members > seen.external_members_before
    recent = seen.external_increased_on is not None and (facts.today - seen.external_increased_on).days <= config.external_joined_days
    if not (joined_now or recent):
        return None
    days = 0 if joined_now else (facts.today - seen.external_increased_on).days  # type: ignore[operator]
    return Signal("mixed_audience", all_targets[0], (Evidence("external_joined", {"days": days, "external": conv.external_members}),))


def collect(message: Message, dest: Destination, content: Content, facts: HistoryFacts | None,
            config: MisdirectionConfig, internal: tuple[str, ...], personal: tuple[str, ...]) -> list[Signal]:
    """Every signal the policy's rows use, over every destination of the message."""
    wanted = config.signals_in_use
    found: list[Signal] = []
    all_targets = targets(message, dest)
    for t in all_targets:
        for name, fn in (("first_time", lambda t=t: first_time(t, content, facts, config)),
                         ("sensitivity_jump", lambda t=t: sensitivity_jump(t, content, facts, config)),
                         ("lookalike_domain", lambda t=t: lookalike_domain(t, message, facts, config, internal, personal)),
                         ("webmail_namesake", lambda t=t: webmail_namesake(t, message, facts, internal))):
            if name in wanted and (s := fn()) is not None:
                found.append(s)
    if "mixed_audience" in wanted:
        found.extend(mixed_audience(all_targets, message, facts, config))
    return found
