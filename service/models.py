"""Request and response models: what the OpenAPI document shows gateways."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from dlp.store.ids import INCIDENT_PATTERN_ANY_CASE

_MAX_TEXT = 30 * 1024 * 1024
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
MAX_JSON_DEPTH = 32


def _no_lone_surrogate(value: str) -> str:
    """Every string of a request: a lone UTF-16 surrogate (``\\ud800`` in JSON) is not text."""
    if _LONE_SURROGATE.search(value):
        raise ValueError("含有孤立的 UTF-16 代理字元，不是有效的文字 (lone surrogate: not valid Unicode text)")
    return value


#: The one string type of every request field: same validation everywhere.
Text = Annotated[str, AfterValidator(_no_lone_surrogate)]


class ConversationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Text = Field(..., min_length=1, max_length=256, description="Chat group (or 1:1 chat) id at the messenger")
    name: Text = Field("", max_length=512, description="Group name, for reasons shown to the sender")
    members: int = Field(0, ge=0, le=10_000_000, description="Number of members")
    external_members: int = Field(0, ge=0, le=10_000_000, description="Members from outside the agency")
    registered: bool = Field(False, description="The group is registered with the agency")


class AttachmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    filename: Text = Field(..., min_length=1, max_length=1024, description="File name as sent", examples=["報告.docx"])
    content_base64: Text = Field(..., max_length=_MAX_TEXT * 2, description="File content, standard base64")
    content_type: Text | None = Field(None, max_length=255, description="MIME type if known")


class OverrideIn(BaseModel):
    """The sender goes ahead despite a warning, with a written justification (issue 16)."""

    model_config = ConfigDict(extra="forbid")

    incident_id: str = Field(..., pattern=INCIDENT_PATTERN_ANY_CASE, description="The incident id of the earlier decision (X-DLP-Incident)")
    justification: str = Field(..., min_length=1, max_length=2000, description="Business justification, in the sender's words")


class ScanRequest(BaseModel):
    """One outgoing message, as the library's ``dlp.Message``."""

    # Worked examples (checked against the live service) are the operations' own: service/openapi_examples.json.
    model_config = ConfigDict(extra="forbid")

    text: Text = Field("", max_length=_MAX_TEXT, description="Message body (plain text)")
    subject: Text | None = Field(None, max_length=100_000, description="Mail subject")
    channel: Literal["mail", "chat", "other"] = Field("mail", description="Where the message is going out")
    sender: Text | None = Field(None, max_length=320, description="Sender address or account")
    recipients: list[Annotated[Text, Field(max_length=2048)]] = Field(default_factory=list, max_length=10_000, description="Recipient addresses (mail) or destinations")
    conversation: ConversationIn | None = Field(None, description="Chat destination (channel chat)")
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=1000, description="Attached files, base64")
    override: OverrideIn | None = Field(None, description="Send anyway after a warning: the incident id and a justification")


class FindingOut(BaseModel):
    kind: str = Field(..., description="secrecy | personal_data | official | uninspectable")
    type: str = Field(..., description="Finding type, e.g. TW_NATIONAL_ID, SECRECY_MARKING")
    location: str = Field(..., description='"subject", "body", "attachment:a.zip/b.docx#header"...')
    start: int = Field(..., description="Start offset in that location's original text")
    end: int = Field(..., description="End offset (exclusive)")
    score: float
    rule: str = Field(..., description="Pattern id from the packs")
    excerpt: str = Field(..., description="Masked context; never the raw value")
    shadow: bool = Field(..., description="Found by a shadow rule: reported, not acted on")
    level: str | None = Field(None, description="Secrecy level, for kind secrecy")
    detail: dict[str, Any] | None = None


class ScanResponse(BaseModel):
    """``Report.to_dict()`` plus the request id and the pattern set that decided."""

    request_id: str
    patterns_version: str
    policy_version: str = Field(..., description="SHA-256 (16 hex digits) of the policy file that decided")
    action: Literal["allow", "warn", "redact", "quarantine", "block"]
    secrecy_level: Literal["none", "restricted", "official_secret", "confidential", "secret", "top_secret"]
    reasons: list[str]
    findings: list[FindingOut]
    redacted_text: str | None
    destination: dict[str, Any]
    exceptions: list[str]
    not_inspected: list[dict[str, Any]]
    truncated: bool = Field(..., description="True when `findings` lists only the most important `scan_limits.max_findings`")
    finding_counts: dict[str, dict[str, int]] = Field(
        ..., description="Per type over all findings, listed or not: `{count, distinct}` (what the policy counted)")
    shadow_decisions: list[dict[str, Any]] = Field(default_factory=list, description="Policy rows shadow findings would have fired (never acted on)")
    misdirection: dict[str, Any] | None = Field(None, description="The misdirection guard (issue 18): history state, content summary, "
                                                    "signals (rule, signal, mode, action, destination masked, evidence), notes")
    incident_id: str | None = Field(None, description="Set for every non-allow decision: the id gateways show as X-DLP-Incident")
    override: dict[str, Any] | None = Field(None, description="The outcome of a requested override: accepted, refusal, original_action")


class RedactRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: Text = Field(..., max_length=_MAX_TEXT, description="Text to mask")


class RedactResponse(BaseModel):
    request_id: str
    patterns_version: str
    policy_version: str
    redacted_text: str = Field(..., description="The text with personal data masked; nothing else changes")
    findings: list[FindingOut]
    truncated: bool = False


class PackOut(BaseModel):
    file: str
    name: str
    version: str
    sha256: str = Field(..., description="SHA-256 of the pack file's content")
    rules: int


class RuleOut(BaseModel):
    id: str
    type: str
    kind: str
    mode: str = Field(..., description="enforce | shadow")


class PatternsResponse(BaseModel):
    version: str = Field(..., description="One hash over every pack: changes when any pack changes")
    policy_version: str = Field("", description="SHA-256 (16 hex digits) of the policy file in force")
    packs: list[PackOut]
    rules: list[RuleOut]


class ReloadResponse(BaseModel):
    request_id: str
    reloaded: bool
    previous_version: str | None
    version: str
    packs: list[PackOut]


class PackProblem(BaseModel):
    file: str | None = None
    rule: str | None = None
    reason: str | None = None


class ErrorBody(BaseModel):
    code: str = Field(..., description="Stable English code, e.g. bad_json, unauthorized, body_too_large")
    message: str = Field(..., description="What is wrong (Traditional Chinese, with the English gist)")
    details: list[dict[str, Any]] | None = Field(None, description="Field errors or pack problems (file, rule, reason)")


class ErrorResponse(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"error": {"code": "unauthorized", "message": "缺少 API 金鑰 (missing API key)"}, "request_id": "0f4c2b1e9a7d4c55b1b7a2f0c3d4e5f6"}]}
    )

    error: ErrorBody
    request_id: str | None = None


class HealthResponse(BaseModel):
    status: Literal["ok"]


class ReadyResponse(BaseModel):
    ready: bool
    patterns_version: str | None = None
    detail: str | None = None
    errors: list[dict[str, Any]] | None = None
