"""The library contract: messages in, findings and reports out.

These names are stable: gateways, tests and evaluations depend on them (see DESIGN.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Channel = Literal["mail", "chat", "other"]
Action = Literal["allow", "warn", "redact", "quarantine", "block"]
SecrecyLevel = Literal["none", "restricted", "official_secret", "confidential", "secret", "top_secret"]
FindingKind = Literal["secrecy", "personal_data", "official", "uninspectable"]

CHANNELS: tuple[str, ...] = ("mail", "chat", "other")
#: Actions in rising severity.
ACTIONS: tuple[str, ...] = ("allow", "warn", "redact", "quarantine", "block")
#: Secrecy levels in rising severity.
SECRECY_LEVELS: tuple[str, ...] = (
    "none",
    "restricted",
    "official_secret",
    "confidential",
    "secret",
    "top_secret",
)

PERSONAL_DATA_TYPES: tuple[str, ...] = (
    "TW_NATIONAL_ID",
    "TW_RESIDENT_ID",
    "TW_PASSPORT",
    "TW_NHI_NUMBER",
    "TW_PHONE",
    "EMAIL_ADDRESS",
    "CREDIT_CARD",
    "TW_BANK_ACCOUNT",
    "TW_ADDRESS",
    "PERSON",
    "DATE_OF_BIRTH",
    "HEALTH_DATA",
    "CRIMINAL_RECORD",
)
UNINSPECTABLE_TYPES: tuple[str, ...] = ("ENCRYPTED_ATTACHMENT", "UNREADABLE_ATTACHMENT", "LIMIT_EXCEEDED")

#: Every finding type and the kind it belongs to.
FINDING_TYPES: dict[str, str] = {
    "SECRECY_MARKING": "secrecy",
    **{t: "personal_data" for t in PERSONAL_DATA_TYPES},
    "TW_DOCUMENT_NUMBER": "official",
    **{t: "uninspectable" for t in UNINSPECTABLE_TYPES},
}


def secrecy_rank(level: str) -> int:
    return SECRECY_LEVELS.index(level)


def action_rank(action: str) -> int:
    return ACTIONS.index(action)


@dataclass
class Conversation:
    """A chat destination: a group (or a 1:1 chat) in a LINE-style messenger."""

    id: str
    name: str = ""
    members: int = 0
    external_members: int = 0
    registered: bool = False
    #: The messenger ("line", "mattermost", ...); "" when the caller did not say.
    platform: str = ""
    #: The highest secrecy level allowed in this conversation. Set from the conversation
    #: registry (``patterns/conversations.yaml``) by ``Scanner.scan``; a caller's value is ignored.
    allowed_level: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "members": self.members,
            "external_members": self.external_members,
            "registered": self.registered,
        }
        if self.platform:
            out["platform"] = self.platform
        if self.allowed_level is not None:
            out["allowed_level"] = self.allowed_level
        return out


@dataclass
class Attachment:
    filename: str
    content: bytes
    content_type: str | None = None
    #: Shown inside the message body (a mail part with Content-ID or ``Content-Disposition:
    #: inline``), such as a signature logo; small inline images may be exempted by policy.
    inline: bool = False


@dataclass
class Message:
    text: str = ""
    subject: str | None = None
    channel: str = "mail"
    sender: str | None = None
    recipients: list[str] = field(default_factory=list)
    conversation: Conversation | None = None
    attachments: list[Attachment] = field(default_factory=list)
    #: Further text a reader of the message sees besides ``subject`` and ``text``, each with its
    #: location: the HTML alternative of a mail ("body:html"), the display names of its headers
    #: ("header:from", "header:to", "header:cc"). The MIME reader fills it; any caller may.
    text_parts: list[Segment] = field(default_factory=list)


@dataclass
class Segment:
    """A piece of text to classify, with where it came from.

    ``location`` is what findings report ("subject", "body", "attachment:a.zip/b.docx#header").
    ``role`` tells the secrecy classifier what kind of place this is: "subject", "body",
    "header", "footer", "page", "cell", "property", "field" ... Headers and footers are stamp
    positions as a whole; for other roles only the first and last lines are.
    """

    location: str
    text: str
    role: str = "body"


@dataclass
class Finding:
    kind: str
    type: str
    location: str
    start: int
    end: int
    score: float
    rule: str
    excerpt: str = ""
    level: str | None = None
    shadow: bool = False
    #: Free-form, JSON-ready detail (e.g. why a marking was taken as one, a limit's name).
    detail: dict[str, Any] = field(default_factory=dict)
    #: Normalised value used for counting distinct identifiers; never serialised.
    value_key: str = field(default="", repr=False, compare=False)
    #: The value alone, masked (what the audit log keeps); never serialised.
    masked_value: str = field(default="", repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": self.kind,
            "type": self.type,
            "location": self.location,
            "start": self.start,
            "end": self.end,
            "score": round(self.score, 3),
            "rule": self.rule,
            "excerpt": self.excerpt,
            "shadow": self.shadow,
        }
        if self.level is not None:
            out["level"] = self.level
        if self.detail:
            out["detail"] = self.detail
        return out

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> Finding:
        """The inverse of :meth:`to_dict` (what the SDK reads from the service); raises ValueError."""
        try:
            return cls(
                kind=str(doc["kind"]), type=str(doc["type"]), location=str(doc["location"]),
                start=int(doc["start"]), end=int(doc["end"]), score=float(doc["score"]), rule=str(doc["rule"]),
                excerpt=str(doc.get("excerpt", "")), level=doc.get("level"), shadow=bool(doc.get("shadow", False)),
                detail=dict(doc.get("detail") or {}),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"not a finding: {exc!r}") from None


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    secrecy_level: str = "none"
    action: str = "allow"
    reasons: list[str] = field(default_factory=list)
    redacted_text: str | None = None
    destination: dict[str, Any] = field(default_factory=dict)
    exceptions: list[str] = field(default_factory=list)
    #: Parts that were listed but not inspected (e.g. ordinary images), with why.
    not_inspected: list[dict[str, str]] = field(default_factory=list)
    #: True when ``findings`` lists only the most important ones (``scan_limits.max_findings``).
    truncated: bool = False
    #: Per type, over *all* findings (listed or not): ``{"count": n, "distinct": d}``.
    finding_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    #: Which pattern set and which policy file decided (hashes of their content).
    patterns_version: str = ""
    policy_version: str = ""
    #: What shadow findings (shadow rules, suppressed hits) would have decided: the policy rows
    #: they would have fired or made stricter. Never acted on; recorded for the security team.
    shadow_decisions: list[dict[str, Any]] = field(default_factory=list)
    #: The misdirection guard (issue 18): content summary, signals with their evidence, notes.
    #: None when the policy has no ``misdirection:`` section.
    misdirection: dict[str, Any] | None = None

    @property
    def enforced_findings(self) -> list[Finding]:
        return [f for f in self.findings if not f.shadow]

    def to_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "secrecy_level": self.secrecy_level,
            "reasons": list(self.reasons),
            "findings": [f.to_dict() for f in self.findings],
            "redacted_text": self.redacted_text,
            "destination": self.destination,
            "exceptions": list(self.exceptions),
            "not_inspected": list(self.not_inspected),
            "truncated": self.truncated,
            "finding_counts": {t: dict(c) for t, c in self.finding_counts.items()},
            "patterns_version": self.patterns_version,
            "policy_version": self.policy_version,
            "shadow_decisions": list(self.shadow_decisions),
            **({"misdirection": self.misdirection} if self.misdirection is not None else {}),
        }

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> Report:
        """The inverse of :meth:`to_dict`; extra keys (``request_id`` ...) are ignored.

        Raises ValueError when ``doc`` is not a report (an unknown action or level included):
        a gateway must never mistake a garbled answer for a decision.
        """
        if not isinstance(doc, dict):
            raise ValueError("not a report: expected an object")
        action, level = doc.get("action"), doc.get("secrecy_level", "none")
        if action not in ACTIONS:
            raise ValueError(f"not a report: unknown action {action!r}")
        if level not in SECRECY_LEVELS:
            raise ValueError(f"not a report: unknown secrecy level {level!r}")
        findings, reasons = doc.get("findings") or [], doc.get("reasons") or []
        if not isinstance(findings, list) or not isinstance(reasons, list):
            raise ValueError("not a report: findings and reasons must be lists")
        redacted = doc.get("redacted_text")
        return cls(
            findings=[Finding.from_dict(f) for f in findings],
            secrecy_level=level,
            action=action,
            reasons=[str(r) for r in reasons],
            redacted_text=None if redacted is None else str(redacted),
            destination=dict(doc.get("destination") or {}),
            exceptions=[str(e) for e in doc.get("exceptions") or []],
            not_inspected=[dict(n) for n in doc.get("not_inspected") or []],
            truncated=bool(doc.get("truncated", False)),
            finding_counts=_finding_counts(doc.get("finding_counts")),
            patterns_version=str(doc.get("patterns_version") or ""),
            policy_version=str(doc.get("policy_version") or ""),
            shadow_decisions=[dict(d) for d in doc.get("shadow_decisions") or []],
            misdirection=dict(doc["misdirection"]) if isinstance(doc.get("misdirection"), dict) else None,
        )


def _finding_counts(raw: Any) -> dict[str, dict[str, int]]:
    """``finding_counts`` of a report document; ValueError (a garbled answer) when it is not one."""
    try:
        return {str(t): {str(k): int(v) for k, v in dict(c).items()} for t, c in dict(raw or {}).items()}
    except (TypeError, ValueError) as exc:
        raise ValueError(f"not a report: bad finding_counts ({exc})") from None
