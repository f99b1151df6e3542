"""How sensitive a message is, in the three terms the history keeps: a level and two yes/no."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from dlp.misdirection.config import MisdirectionConfig
from dlp.model import SECRECY_LEVELS, Finding, secrecy_rank


@dataclass(frozen=True)
class Content:
    level: str = "none"
    identifiers: bool = False
    special_categories: bool = False
    sensitive: bool = False

    def above(self, max_level: str, identifier_messages: int, special_messages: int) -> list[str]:
        """The parts of this content that a destination never received: marking, identifiers, special."""
        out = []
        if self.level != "none" and secrecy_rank(self.level) > secrecy_rank(max_level if max_level in SECRECY_LEVELS else "none"):
            out.append("marking")
        if self.identifiers and identifier_messages == 0:
            out.append("identifiers")
        if self.special_categories and special_messages == 0:
            out.append("special_categories")
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"secrecy_level": self.level, "identifiers": self.identifiers,
                "special_categories": self.special_categories, "sensitive": self.sensitive}


def summarize(level: str, findings: Iterable[Finding], config: MisdirectionConfig) -> Content:
    """``level`` is the decision's secrecy level; ``findings`` the enforced, non-sample ones."""
    types = {f.type for f in findings}
    identifiers = bool(types & config.identifier_types)
    special = bool(types & config.special_types)
    sensitive = level in config.sensitive_levels or identifiers or special
    return Content(level, identifiers, special, sensitive)


def content_phrase(parts: Iterable[str], level: str, labels: Mapping[str, str], level_labels: Mapping[str, str]) -> str:
    """「標示「密」的內容、個人識別碼」 from the parts (``marking`` names the level)."""
    out = []
    for part in parts:
        template = labels.get(part, part)
        out.append(template.format(level=level_labels.get(level, level)) if part == "marking" else template)
    return labels.get("joiner", "、").join(out)


def parts_of(content: Content) -> list[str]:
    """Every sensitive part of ``content``, in the order reasons name them."""
    return [p for p, present in (("marking", content.level != "none"), ("identifiers", content.identifiers),
                                 ("special_categories", content.special_categories)) if present]
