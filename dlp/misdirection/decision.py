"""Signals -> the policy's misdirection rows -> action, reasons and the report's ``misdirection`` block.

Called by ``Policy.decide`` after the main table (and the large-group raise): the final action
is the higher of the two. A row in ``mode: shadow`` is evaluated and listed in the block with
the action it *would* have taken; it never changes the decision and adds no reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from dlp.destinations import Destination
from dlp.misdirection.config import MisdirectionConfig, SignalRow
from dlp.misdirection.content import Content, content_phrase, parts_of, summarize
from dlp.misdirection.facts import HistoryFacts
from dlp.misdirection.signals import Evidence, Signal, Target, collect
from dlp.model import Finding, Message, action_rank

#: At most this many reasons per row (a mail to 300 new recipients says so once, with a count).
MAX_REASONS_PER_ROW = 3


@dataclass
class Outcome:
    action: str
    reasons: list[str] = field(default_factory=list)
    block: dict[str, Any] = field(default_factory=dict)


def _content_matches(condition: str, content: Content) -> bool:
    return condition == "any" or (condition == "sensitive") == content.sensitive


class _Render:
    def __init__(self, config: MisdirectionConfig, policy: Any, content: Content, dest: Destination):
        self.c = config
        self.p = policy
        self.content = content
        self.dest = dest

    def phrase(self, parts: Iterable[str]) -> str:
        return content_phrase(parts, self.content.level, self.c.texts.content, self.p.level_labels)

    def evidence(self, e: Evidence) -> str:
        params = dict(e.params)
        if "parts" in params:
            params["content"] = self.phrase(params.pop("parts"))
        if "place" in params:
            params["place"] = self.c.texts.places.get(params["place"], params["place"])
        return self.c.texts.evidence[e.code].format(**params)

    def destination(self, t: Target) -> str:
        return self.c.texts.destinations[t.kind].format(**t.shown)

    def verdict(self, action: str, t: Target) -> str:
        template = self.p.verdicts.get(action, "")
        if not template:
            return ""
        if self.dest.channel == "other":
            to = self.p.other_to.format(target=t.shown.get("target", ""))
        else:
            to = self.p.columns[t.column][1].format(target=t.shown.get("name", ""))
        return template.format(to=to, destination=self.p.columns[t.column][0])

    def reason(self, row: SignalRow, s: Signal, action: str) -> str:
        return row.reason.format(
            destination=self.destination(s.target), domain=s.target.domain or "",
            evidence="；".join(self.evidence(e) for e in s.evidence), content=self.phrase(parts_of(self.content)),
            verdict=self.verdict(action, s.target), row=row.name)


def evaluate(config: MisdirectionConfig, policy: Any, message: Message, dest: Destination, level: str,
             findings: list[Finding], facts: HistoryFacts | None) -> Outcome:
    """``policy`` is the ``PolicyConfig`` (labels, verdicts, domains); ``findings`` the enforced,
    non-sample findings the main table counted."""
    content = summarize(level, findings, config)
    rules = policy.destination_rules
    signals = collect(message, dest, content, facts, config, rules.internal_domains, rules.personal_mail_domains)
    render = _Render(config, policy, content, dest)
    action = "allow"
    reasons: list[str] = []
    entries: list[dict[str, Any]] = []
    for row in config.rows:
        if not _content_matches(row.content, content):
            continue
        hits = [s for s in signals if s.signal == row.signal]
        for i, s in enumerate(hits):
            row_action = row.actions.get(s.target.column, "allow")
            entries.append(_entry(row, s, row_action, render))
            if row.shadow or row_action == "allow":
                continue
            if action_rank(row_action) > action_rank(action):
                action = row_action
            if i < MAX_REASONS_PER_ROW:
                reasons.append(render.reason(row, s, row_action))
            elif i == MAX_REASONS_PER_ROW:
                reasons.append(f"（「{row.name}」另有 {len(hits) - MAX_REASONS_PER_ROW} 個收件對象，同上）")
    block = {
        "history": _history_state(facts, config),
        "sender_messages": None if facts is None else facts.sender_messages,
        "content": content.to_dict(),
        "signals": entries,
        "notes": _notes(facts, config),
    }
    return Outcome(action, reasons, block)


def _entry(row: SignalRow, s: Signal, action: str, render: _Render) -> dict[str, Any]:
    out: dict[str, Any] = {
        "rule": row.id, "signal": s.signal, "mode": row.mode, "action": action, "column": s.target.column,
        "destination": render.destination(s.target),
        "evidence": [{"code": e.code, **{k: v for k, v in e.params.items() if k != "parts"},
                      **({"parts": list(e.params["parts"])} if "parts" in e.params else {}),
                      "text": render.evidence(e)} for e in s.evidence],
    }
    if s.target.domain:
        out["domain"] = s.target.domain
    if s.similar_to:
        out["similar_to"] = s.similar_to
    return out


def _history_state(facts: HistoryFacts | None, config: MisdirectionConfig) -> str:
    if facts is None:
        return "unavailable"
    return "cold_start" if facts.sender_messages < config.min_sender_messages else "used"


def _notes(facts: HistoryFacts | None, config: MisdirectionConfig) -> list[str]:
    if facts is None:
        return [config.texts.no_history]
    if facts.sender_messages < config.min_sender_messages:
        return [config.texts.cold_start.format(messages=facts.sender_messages, needed=config.min_sender_messages)]
    return []


def apply(config: MisdirectionConfig | None, policy: Any, message: Message, dest: Destination, level: str,
          findings: list[Finding], facts: HistoryFacts | None, decision: Any, action: str) -> str:
    """Add the misdirection outcome to ``decision`` (reasons, ``misdirection`` block); the new action."""
    if config is None:
        return action
    outcome = evaluate(config, policy, message, dest, level, findings, facts)
    decision.reasons.extend(outcome.reasons)
    decision.misdirection = outcome.block
    return outcome.action if action_rank(outcome.action) > action_rank(action) else action
