"""Per-rule statistics: hits, false-positive rate from triage, shadow rules' would-have decisions.

What the security team needs to promote a shadow rule (or demote a noisy one) with evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from dlp.model import ACTIONS, action_rank
from dlp.store.store import IncidentStore


@dataclass
class RuleStats:
    rule: str
    hits: int = 0                  # enforced findings in incidents
    incidents: int = 0             # incidents with at least one such finding
    true_positive: int = 0
    false_positive: int = 0
    benign: int = 0
    shadow_hits: int = 0           # decisions in which the rule fired in shadow mode
    would_actions: dict[str, int] = field(default_factory=dict)
    stricter: int = 0              # ... where it would have made the decision stricter
    suppressed: int = 0            # findings a suppression turned off

    @property
    def triaged(self) -> int:
        return self.true_positive + self.false_positive + self.benign

    @property
    def false_positive_rate(self) -> float | None:
        return self.false_positive / self.triaged if self.triaged else None

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "triaged": self.triaged, "false_positive_rate": self.false_positive_rate}


def rule_stats(store: IncidentStore, since: datetime | None = None) -> list[RuleStats]:
    f, inc, sh = store.findings_t.c, store.incidents.c, store.shadow_t.c
    by_rule: dict[str, RuleStats] = {}

    def get(rule: str) -> RuleStats:
        return by_rule.setdefault(rule, RuleStats(rule))

    enforced = (select(f.rule, f.verdict, func.count()).join(store.incidents, inc.id == f.incident_id)
                .where(f.shadow.is_(False)).group_by(f.rule, f.verdict))
    per_incident = (select(f.rule, func.count(func.distinct(f.incident_id))).join(store.incidents, inc.id == f.incident_id)
                    .where(f.shadow.is_(False)).group_by(f.rule))
    shadow = select(sh.rule, sh.suppressed_by.is_(None), sh.enforced_action, sh.would_action, func.count()).group_by(
        sh.rule, sh.suppressed_by.is_(None), sh.enforced_action, sh.would_action)
    if since is not None:
        enforced = enforced.where(inc.created_at >= since)
        per_incident = per_incident.where(inc.created_at >= since)
        shadow = shadow.where(sh.time >= since)
    with store.engine.connect() as conn:
        for rule, verdict, hits in conn.execute(enforced):
            s = get(rule)
            s.hits += int(hits)
            if verdict in ("true_positive", "false_positive", "benign"):
                setattr(s, verdict, getattr(s, verdict) + int(hits))
        for rule, incidents in conn.execute(per_incident):
            get(rule).incidents = int(incidents)
        for rule, is_shadow_rule, enforced_action, would, n in conn.execute(shadow):
            s = get(rule)
            if not is_shadow_rule:
                s.suppressed += int(n)
                continue
            s.shadow_hits += int(n)
            s.would_actions[would] = s.would_actions.get(would, 0) + int(n)
            if would in ACTIONS and enforced_action in ACTIONS and action_rank(would) > action_rank(enforced_action):
                s.stricter += int(n)
    return sorted(by_rule.values(), key=lambda s: (-(s.hits + s.shadow_hits), s.rule))
