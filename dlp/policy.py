"""Findings + destination -> one action, with reasons a clerk understands.

The table lives in ``patterns/policy.yaml`` (see docs/policy.md); this module only evaluates
it. For each row whose condition holds, the row's action is the worst over the message's
destination columns; the final action is the highest over all rows, then a chat to a large
group is raised. Shadow findings never change the action: they are evaluated separately and
listed in ``fired`` as ``shadow`` so the security team can see what they *would* have done.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dlp.destinations import COLUMN_STRICTNESS, REGISTERED_GROUP, AddressError, Destination, classify, parse_address
from dlp.errors import PackError, PackErrors
from dlp.misdirection.decision import apply as apply_misdirection
from dlp.model import ACTIONS, FINDING_TYPES, SECRECY_LEVELS, Finding, Message, action_rank, secrecy_rank
from dlp.normalize import compact
from dlp.policy_schema import PolicyConfig, PolicyException, Row, read_policy_file
from dlp.resources import bundled_dir

DEFAULT_POLICY_PATH = bundled_dir("patterns") / "policy.yaml"
#: A SECRECY_MARKING without a known level is taken as this (never silently as "none").
UNKNOWN_MARKING_LEVEL = "confidential"


@dataclass
class Decision:
    """What the policy decided for one message (JSON-ready apart from the dataclass itself)."""

    action: str = "allow"
    reasons: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    destination: dict[str, Any] = field(default_factory=dict)
    fired: list[dict[str, Any]] = field(default_factory=list)
    secrecy_level: str = "none"
    #: the misdirection guard's block (issue 18): None when the policy has no ``misdirection:``
    misdirection: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "secrecy_level": self.secrecy_level,
            "reasons": list(self.reasons),
            "exceptions": list(self.exceptions),
            "destination": self.destination,
            "fired": list(self.fired),
            **({"misdirection": self.misdirection} if self.misdirection is not None else {}),
        }


@dataclass
class _Facts:
    level: str
    counts: dict[str, int]  # finding type -> distinct values


@dataclass
class _RowResult:
    row: Row
    action: str
    column: str
    counts: dict[str, int]
    exempted_by: PolicyException | None = None
    #: the row's own action when the conversation's allowed level replaced it
    within_from: str | None = None


@dataclass
class _LevelResult:
    """The allowed-level check fired: a marking above the conversation's allowed level."""

    action: str
    reason: str
    fired: dict[str, Any]


def distinct_key(f: Finding) -> str:
    """What makes two findings "the same" for counting: the value, else where it was found."""
    return f.value_key or f"{f.location}:{f.start}:{f.end}"


def _facts(findings: Iterable[Finding]) -> _Facts:
    level = "none"
    seen: dict[str, set[str]] = {}
    for f in findings:
        if f.type == "SECRECY_MARKING":
            lv = f.level if f.level in SECRECY_LEVELS else UNKNOWN_MARKING_LEVEL
            if secrecy_rank(lv) > secrecy_rank(level):
                level = lv
        values = seen.get(f.type)
        if values is None:  # (not ``setdefault``: no new set per finding)
            values = seen[f.type] = set()
        values.add(f.value_key or distinct_key(f))  # (distinct_key, without its call for a value)
    return _Facts(level, {t: len(v) for t, v in seen.items()})


class Policy:
    """A loaded, validated policy. Immutable: reloading builds a new one."""

    def __init__(self, config: PolicyConfig):
        self._c = config
        self.attachment_limits_raw: Mapping[str, int | float] = config.attachment_limits
        self.attachment_limits: Any = _build_limits(config)
        #: ``dlp.ocr.OcrSettings`` from the ``ocr:`` section (budgets and engine for pictures)
        self.ocr_settings: Any = config.ocr

    # -- loading ---------------------------------------------------------------------------
    @classmethod
    def load(cls, path: str | Path) -> Policy:
        """Read and validate a policy file; raises ``PackError``/``PackErrors`` (Chinese reasons)."""
        return cls(read_policy_file(path))

    @classmethod
    def default(cls) -> Policy:
        return cls.load(DEFAULT_POLICY_PATH)

    # -- read-only views -------------------------------------------------------------------
    @property
    def config(self) -> PolicyConfig:
        return self._c

    @property
    def file(self) -> str:
        return self._c.file

    @property
    def version(self) -> int:
        return self._c.version

    @property
    def large_group_members(self) -> int:
        return self._c.large_group_members

    @property
    def rule_ids(self) -> list[str]:
        return [r.id for r in self._c.rows]

    def to_dict(self) -> dict[str, Any]:
        """A summary for ``GET /v1/patterns`` and ``dlp`` listings."""
        return {
            "file": self._c.file,
            "version": self._c.version,
            "internal_domains": list(self._c.destination_rules.internal_domains),
            "personal_mail_domains": list(self._c.destination_rules.personal_mail_domains),
            "bulk": dict(self._c.bulk),
            "large_group_members": self._c.large_group_members,
            "rules": [{"id": r.id, "name": r.name, "actions": dict(r.actions)} for r in self._c.rows],
            "exceptions": [e.id for e in self._c.exceptions],
            "conversation_levels": {"above": self._c.conversation_levels.above,
                                    "rules": list(self._c.conversation_levels.rules),
                                    "within": self._c.conversation_levels.within},
        }

    # -- deciding --------------------------------------------------------------------------
    def destination(self, message: Message) -> Destination:
        return classify(message, self._c.destination_rules)

    def is_sample_value(self, f: Finding) -> bool:
        samples = self._c.sample_values.get(f.type)
        return bool(samples and f.value_key and compact(f.value_key) in samples)

    def sample_flags(self, findings: list[Finding]) -> list[bool]:
        """``is_sample_value`` of each finding, in one pass (no call per finding: a roster has thousands)."""
        samples_of = self._c.sample_values
        return [bool((found := samples_of.get(f.type)) and f.value_key and compact(f.value_key) in found)
                for f in findings]

    def decide(self, message: Message, findings: list[Finding], history: Any = None) -> Decision:
        """``history``: a ``dlp.misdirection.HistoryFacts`` the caller looked up (issue 18), or None."""
        c = self._c
        dest = self.destination(message)
        enforced = [f for f in findings if not f.shadow]
        is_sample = self.sample_flags(enforced)  # once per finding
        kept = [f for f, sample in zip(enforced, is_sample) if not sample]
        samples = [f for f, sample in zip(enforced, is_sample) if sample]
        facts = _facts(kept)
        results = self._evaluate(facts, dest, message)
        level = self._conversation_level(facts, dest, message, results)
        action = _final(results, level)

        decision = Decision(secrecy_level=facts.level)
        for r in results:
            entry: dict[str, Any] = {"row": r.row.id, "action": r.action, "column": r.column,
                                     "counts": dict(r.counts)}
            if r.exempted_by is not None:
                entry.update(action="allow", would_be=r.action, exempted_by=r.exempted_by.id)
                if r.action != "allow":
                    decision.exceptions.append(self._exception_text(r))
            else:
                text = self._reason(r, facts, dest)
                if text:
                    decision.reasons.append(text)
                if r.within_from is not None:
                    entry.update(would_be=r.within_from, allowed_level=message.conversation.allowed_level)  # type: ignore[union-attr]
            decision.fired.append(entry)
        if level is not None:
            decision.reasons.append(level.reason)
            decision.fired.append(level.fired)

        if samples:
            alt_facts = _facts(enforced)
            alt = self._evaluate(alt_facts, dest, message)
            alt_action = _final(alt, self._conversation_level(alt_facts, dest, message, alt))
            if alt_action != action:
                found = "、".join(c.type_labels[t].format(n=n) for t, n in _facts(samples).counts.items())
                decision.exceptions.append(
                    f"已知範例值（{found}）不列入計算，"
                    f"處置由「{c.action_labels[alt_action]}」改為「{c.action_labels[action]}」"
                )

        action = self._raise_for_large_group(action, dest, decision)
        action = apply_misdirection(c.misdirection, c, message, dest, facts.level, kept, history, decision, action)
        decision.action = action
        self._shadow(findings, results, dest, message, decision)
        decision.destination = self._destination_dict(dest)
        return decision

    # -- internals -------------------------------------------------------------------------
    def _evaluate(self, facts: _Facts, dest: Destination, message: Message) -> list[_RowResult]:
        bulk_hits = self._bulk_hits(facts)
        out = []
        for row in self._c.rows:
            counts = self._match(row, facts, bulk_hits)
            if counts is None:
                continue
            action, column = _worst_cell(row, dest.columns)
            exc = self._exemption(row, message, dest)
            out.append(_RowResult(row, action, column, counts, exc))
        return out

    def _bulk_hits(self, facts: _Facts) -> dict[str, int]:
        hits = {}
        for group, threshold in self._c.bulk.items():
            n = sum(facts.counts.get(t, 0) for t in self._c.type_groups[group])
            if n >= threshold:
                hits[group] = n
        return hits

    def _match(self, row: Row, facts: _Facts, bulk_hits: dict[str, int]) -> dict[str, int] | None:
        """The counts that made ``row`` fire, or None when it does not."""
        if row.secrecy_levels is not None and facts.level not in row.secrecy_levels:
            return None
        if row.unless_bulk and bulk_hits:
            return None
        counts: dict[str, int] = {}
        if row.bulk:
            if not bulk_hits:
                return None
            for group in bulk_hits:
                for t in self._c.type_groups[group]:
                    if facts.counts.get(t):
                        counts[t] = facts.counts[t]
        if row.types is not None:
            typed = {t: facts.counts[t] for t in row.types if facts.counts.get(t)}
            total = sum(typed.values())
            if total < row.min_distinct or (row.max_distinct is not None and total > row.max_distinct):
                return None
            if row.exclusive and any(
                FINDING_TYPES.get(t) == "personal_data" and t not in row.types and n
                for t, n in facts.counts.items()
            ):
                return None
            counts.update(typed)
        return counts

    def _exemption(self, row: Row, message: Message, dest: Destination) -> PolicyException | None:
        for exc in self._c.exceptions:
            if row.id in exc.rules and _exception_applies(exc, message, dest):
                return exc
        return None

    def _to_phrase(self, column: str, dest: Destination) -> str:
        target = dest.targets.get(column, "")
        template = self._c.other_to if dest.channel == "other" else self._c.columns[column][1]
        return template.format(target=target)

    def _conversation_level(self, facts: _Facts, dest: Destination, message: Message,
                            results: list[_RowResult]) -> _LevelResult | None:
        """The "allowed level" check (``conversation_levels`` in the policy).

        A marking above the conversation's allowed level gives ``above``, with a reason naming
        the group. A marking within it, to a registered group, turns the listed marking rows'
        action into ``within`` (in place). Only the registry sets ``allowed_level``
        (``Scanner.scan``); a conversation without one is left to the table.
        """
        conv = message.conversation
        allowed = conv.allowed_level if dest.channel == "chat" and conv is not None else None
        if allowed not in SECRECY_LEVELS or facts.level == "none":
            return None
        cl = self._c.conversation_levels
        assert conv is not None
        name = conv.name or conv.id
        words = {"conversation": name, "allowed": self._c.level_labels.get(allowed, allowed),
                 "marking": self._c.level_labels.get(facts.level, facts.level)}
        if secrecy_rank(facts.level) > secrecy_rank(allowed):
            verdict = self._verdict(cl.above, dest.column, dest)
            return _LevelResult(cl.above, _with_verdict(cl.reason, verdict, **words),
                                {"row": "conversation_level", "action": cl.above, "column": dest.column,
                                 "level": facts.level, "allowed_level": allowed})
        if dest.column == REGISTERED_GROUP:
            for r in results:
                if r.row.id in cl.rules and r.exempted_by is None:
                    r.within_from, r.action = r.action, cl.within
        return None

    def _verdict(self, action: str, column: str, dest: Destination) -> str:
        template = self._c.verdicts[action]
        return template.format(to=self._to_phrase(column, dest), destination=self._c.columns[column][0]) if template else ""

    def _reason(self, r: _RowResult, facts: _Facts, dest: Destination) -> str:
        c = self._c
        template = c.verdicts[r.action]
        if not template:
            return ""
        to = self._to_phrase(r.column, dest)
        label = c.columns[r.column][0]
        verdict = template.format(to=to, destination=label)
        if r.within_from is not None:
            conv = dest.conversation or {}
            allowed = conv.get("allowed_level") or "none"
            return c.conversation_levels.within_reason.format(
                conversation=conv.get("name") or conv.get("id", ""), allowed=c.level_labels.get(allowed, allowed),
                marking=c.level_labels.get(facts.level, facts.level), verdict=verdict)
        found = "、".join(c.type_labels[t].format(n=n) for t, n in r.counts.items())
        return r.row.reason.format(
            marking=c.level_labels.get(facts.level, facts.level),
            found=found,
            count=sum(r.counts.values()),
            verdict=verdict,
            to=to,
            destination=label,
            row=r.row.name,
        )

    def _exception_text(self, r: _RowResult) -> str:
        exc = r.exempted_by
        assert exc is not None
        desc = f"（{exc.description}）" if exc.description else ""
        return (f"例外「{exc.id}」{desc}：免除規則「{r.row.name}」，"
                f"否則處置為「{self._c.action_labels[r.action]}」")

    def _raise_for_large_group(self, action: str, dest: Destination, decision: Decision) -> str:
        c = self._c
        conv = dest.conversation
        if dest.channel != "chat" or conv is None or conv["members"] <= c.large_group_members:
            return action
        if action == "allow" or c.large_group_raise_steps == 0:
            return action
        raised = ACTIONS[min(action_rank(action) + c.large_group_raise_steps, len(ACTIONS) - 1)]
        if raised == action:
            return action
        decision.reasons.append(c.large_group_reason.format(
            conversation=conv["name"] or conv["id"],
            members=conv["members"],
            limit=c.large_group_members,
            before=c.action_labels[action],
            after=c.action_labels[raised],
        ))
        decision.fired.append({"row": "large_group", "action": raised, "raised_from": action,
                               "members": conv["members"], "limit": c.large_group_members})
        return raised

    def _shadow(self, findings: list[Finding], results: list[_RowResult], dest: Destination,
                message: Message, decision: Decision) -> None:
        """List rows that shadow findings would have fired (or made stricter)."""
        if not any(f.shadow for f in findings):
            return
        everything = [f for f, sample in zip(findings, self.sample_flags(findings)) if not sample]
        before = {r.row.id: r for r in results}
        for r in self._evaluate(_facts(everything), dest, message):
            old = before.get(r.row.id)
            if old is None or r.counts != old.counts or action_rank(r.action) > action_rank(old.action):
                decision.fired.append({"row": r.row.id, "action": r.action, "column": r.column,
                                       "counts": dict(r.counts), "shadow": True})

    def _destination_dict(self, dest: Destination) -> dict[str, Any]:
        out = dest.to_dict()
        out["column_label"] = self._c.columns[dest.column][0]
        conv = dest.conversation
        if conv is not None:
            out["large_group"] = conv["members"] > self._c.large_group_members
        return out


def _highest(actions: Iterable[str]) -> str:
    return max(actions, key=action_rank, default="allow")


def _final(results: list[_RowResult], level: _LevelResult | None) -> str:
    """The highest action over the rows that are not exempted and the allowed-level check."""
    actions = [r.action for r in results if r.exempted_by is None]
    return _highest([*actions, level.action] if level is not None else actions)


def _worst_cell(row: Row, columns: list[str]) -> tuple[str, str]:
    """The row's strictest action over the destination columns (ties: the stricter column)."""
    best = max(columns, key=lambda col: (action_rank(row.actions[col]), COLUMN_STRICTNESS[col]))
    return row.actions[best], best


def _exception_applies(exc: PolicyException, message: Message, dest: Destination) -> bool:
    """All the exception's non-empty conditions must hold."""
    if exc.senders:
        try:
            p = parse_address(message.sender or "")
        except AddressError:
            return False
        if f"{p.local.lower()}@{p.domain}" not in exc.senders:
            return False
    if exc.recipient_domains:
        if dest.channel != "mail" or not dest.recipients:
            return False
        for r in dest.recipients:
            if not r["parsed"]:
                return False
            d = r["domain"]
            if not any(d == p or d.endswith("." + p) for p in exc.recipient_domains):
                return False
    if exc.conversations:
        conv = message.conversation
        if conv is None or conv.id not in exc.conversations:
            return False
    return True


def _build_limits(config: PolicyConfig) -> Any:
    """``Limits`` from the validated ``attachment_limits`` (a value too large for a float is refused too)."""
    from dlp.extract.limits import Limits

    try:
        return Limits.from_mapping(dict(config.attachment_limits), config.file)
    except PackError:
        raise
    except (TypeError, ValueError, OverflowError) as exc:
        raise PackErrors([PackError(config.file, "attachment_limits", f"附件限制無法使用（{exc}）")]) from None



#: What may stand before ``{verdict}`` at the end of a reason ("…為「密」，{verdict}").
_VERDICT_LEAD = "，,、；;：: "


def _with_verdict(template: str, verdict: str, **words: str) -> str:
    """``template`` filled in; an action with no verdict words (allow) leaves no dangling comma."""
    text = template.format(verdict=verdict, **words)
    return text.rstrip(_VERDICT_LEAD) if not verdict and template.rstrip().endswith("{verdict}") else text


__all__ = ["DEFAULT_POLICY_PATH", "Decision", "Policy", "distinct_key"]
