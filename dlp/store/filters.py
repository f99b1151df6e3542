"""What the console's queue can be filtered by (and the CSV export, which shares it)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Any

from dlp.model import ACTIONS, CHANNELS, SECRECY_LEVELS

STATUSES: tuple[str, ...] = ("open", "true_positive", "false_positive", "benign")
VERDICTS: tuple[str, ...] = STATUSES[1:]
QUARANTINE_STATES: tuple[str, ...] = ("held", "release_pending", "released", "dropped")


class FilterError(ValueError):
    """A filter value that cannot be used; the message is for people (Chinese)."""


@dataclass(frozen=True)
class IncidentFilter:
    since: datetime | None = None
    until: datetime | None = None
    channel: str | None = None
    action: str | None = None
    level: str | None = None
    type: str | None = None
    rule: str | None = None
    status: str | None = None
    quarantine: str | None = None

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> IncidentFilter:
        """From query parameters (empty values ignored); raises ``FilterError``."""
        def get(name: str) -> str | None:
            value = params.get(name)
            value = str(value).strip() if value is not None else ""
            return value or None

        def choice(name: str, allowed: tuple[str, ...]) -> str | None:
            value = get(name)
            if value is not None and value not in allowed:
                raise FilterError(f"篩選條件 {name} 的值「{value[:40]}」不在可選範圍內")
            return value

        def day(name: str, end: bool) -> datetime | None:
            value = get(name)
            if value is None:
                return None
            try:
                parsed = datetime.fromisoformat(value)
            except ValueError:
                raise FilterError(f"日期格式不正確（{name}）：請用 YYYY-MM-DD") from None
            if end and len(value) <= 10:
                parsed += timedelta(days=1)  # an end date includes that whole day
            return parsed.replace(tzinfo=None)

        rule, type_ = get("rule"), get("type")
        for name, value in (("rule", rule), ("type", type_)):
            if value is not None and len(value) > 100:
                raise FilterError(f"篩選條件 {name} 太長")
        return cls(
            since=day("since", False), until=day("until", True),
            channel=choice("channel", CHANNELS), action=choice("action", ACTIONS),
            level=choice("level", SECRECY_LEVELS), type=type_, rule=rule,
            status=choice("status", STATUSES), quarantine=choice("quarantine", QUARANTINE_STATES),
        )

    def to_params(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None:
                continue
            if isinstance(value, datetime):
                value = (value - timedelta(days=1) if f.name == "until" else value).date().isoformat()
            out[f.name] = str(value)
        return out
