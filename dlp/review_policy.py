"""What the policy lets people do about a decision: sender overrides and releases of held mail.

``patterns/policy.yaml``::

    overrides:
      actions:                       # per destination column: actions a sender may override
        external_mail: [warn]
        personal_webmail: [warn]
      min_justification_chars: 10    # the written business justification
      max_age_minutes: 1440          # how long after the incident an override is accepted
    quarantine_release:
      two_approvers_from: confidential   # a held mail marked this or higher needs two approvers

A column left out allows no override; ``block`` can never be overridden.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from dlp.errors import PackError
from dlp.model import SECRECY_LEVELS, secrecy_rank

OVERRIDABLE_ACTIONS = ("warn", "redact", "quarantine")


@dataclass(frozen=True)
class ReviewPolicy:
    override_actions: Mapping[str, frozenset[str]] = field(default_factory=lambda: MappingProxyType({}))
    min_justification_chars: int = 10
    max_age_minutes: int = 1440
    two_approvers_from: str = "confidential"

    def may_override(self, column: str, action: str) -> bool:
        return action in self.override_actions.get(column, frozenset())

    def needs_two_approvers(self, secrecy_level: str) -> bool:
        level = secrecy_level if secrecy_level in SECRECY_LEVELS else "top_secret"
        return secrecy_rank(level) >= secrecy_rank(self.two_approvers_from)


def parse_review_policy(overrides: Any, release: Any, columns: Mapping[str, Any], file: str) -> tuple[ReviewPolicy, list[PackError]]:
    """The ``overrides`` and ``quarantine_release`` sections; every problem as a ``PackError``."""
    errors: list[PackError] = []
    actions: dict[str, frozenset[str]] = {}
    min_chars, max_age, two_from = 10, 1440, "confidential"
    if overrides is not None:
        if not isinstance(overrides, dict) or set(overrides) - {"actions", "min_justification_chars", "max_age_minutes"}:
            errors.append(PackError(file, "overrides", "應為含 actions、min_justification_chars、max_age_minutes 的對照表"))
            overrides = {}
        raw_actions = overrides.get("actions") or {}
        if not isinstance(raw_actions, dict):
            errors.append(PackError(file, "overrides.actions", "應為「目的地欄: [處置, ...]」的對照表"))
            raw_actions = {}
        for column, acts in raw_actions.items():
            key = f"overrides.actions.{column}"
            if column not in columns:
                errors.append(PackError(file, key, f"「{column}」不是 destinations 裡的目的地欄"))
                continue
            if not isinstance(acts, list) or not all(a in OVERRIDABLE_ACTIONS for a in acts):
                errors.append(PackError(file, key, f"應為處置清單，只能包含 {'、'.join(OVERRIDABLE_ACTIONS)}（block 不可覆寫）"))
                continue
            actions[column] = frozenset(acts)
        for name, default in (("min_justification_chars", 10), ("max_age_minutes", 1440)):
            value = overrides.get(name, default)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                errors.append(PackError(file, f"overrides.{name}", "應為大於 0 的整數"))
            elif name == "min_justification_chars":
                min_chars = value
            else:
                max_age = value
    if release is not None:
        if not isinstance(release, dict) or set(release) - {"two_approvers_from"}:
            errors.append(PackError(file, "quarantine_release", "應為含 two_approvers_from 的對照表"))
        else:
            two_from = release.get("two_approvers_from", two_from)
            if two_from not in SECRECY_LEVELS[1:]:
                errors.append(PackError(file, "quarantine_release.two_approvers_from",
                                        f"應為密等之一：{'、'.join(SECRECY_LEVELS[1:])}"))
                two_from = "confidential"
    return ReviewPolicy(MappingProxyType(actions), min_chars, max_age, two_from), errors
