"""Which envelope recipients made the decision what it is (for the sender's notice and audit).

A mail goes to the strictest of its recipients' columns. To tell the sender *which* recipients
caused a block, the policy is asked once more per column with only that column's recipients
and the same findings (no second scan). Without the policy at hand (the HTTP mode), the
recipients of the strictest column are named.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from dlp.model import Finding, Message


def recipients_by_column(destination: dict[str, Any]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for r in destination.get("recipients") or []:
        out.setdefault(str(r.get("column")), []).append(str(r.get("address")))
    return out


def recipients_behind(policy: Any, message: Message, findings: list[Finding], action: str, destination: dict[str, Any]) -> list[str]:
    """The recipients whose own column alone gives ``action`` (all of them when none does)."""
    if action == "allow":
        return []
    columns = recipients_by_column(destination)
    if len(columns) <= 1 or policy is None:
        return list(message.recipients)
    behind: list[str] = []
    for addresses in columns.values():
        alone = policy.decide(dataclasses.replace(message, recipients=addresses), findings)
        if alone.action == action:
            behind.extend(addresses)
    return behind or list(message.recipients)


def recipients_of_strictest_column(destination: dict[str, Any], action: str) -> list[str]:
    if action == "allow":
        return []
    columns = recipients_by_column(destination)
    strictest = destination.get("column")
    return columns.get(str(strictest)) or [a for addrs in columns.values() for a in addrs]
