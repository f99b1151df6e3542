"""A message as segments: everything a reader sees, or a finding saying what was not read.

Segments, in order: the subject, the body, the message's other text parts (the HTML
alternative, header display names), display names found in ``sender``/``recipients``
("王小明 <a@b.tw>"), the attachments' file names (``attachment-name:…``), blocks pasted into the
body (PGP, uuencode, base64: :mod:`dlp.extract.inline`), then the attachments themselves.

One :class:`~dlp.extract.budget.Budget` is made per message: the message's own text is charged
to it first (and never cut), the attachments share what is left. Their pictures share the
message's one ``OcrBudget`` (made by the scanner from the policy's ``ocr:`` section).
"""

from __future__ import annotations

from email.utils import parseaddr
from typing import TYPE_CHECKING, Any

from dlp.extract import extract_many, location_of, name_segment
from dlp.extract.budget import Budget
from dlp.extract.context import Context, Extraction
from dlp.extract.inline import extract_inline
from dlp.extract.limits import LimitReached, Limits
from dlp.model import Finding, Message, Segment

if TYPE_CHECKING:
    from dlp.ocr import OcrBudget

#: Finding types that only say *who* a header names (its addressee's name or address): addressing,
#: not content, so they are not counted from ``header:*`` segments (a mail to 30 named colleagues
#: is not bulk personal data). Identifiers, phones and markings in a display name still count.
ADDRESSING_TYPES = frozenset({"PERSON", "EMAIL_ADDRESS"})


def message_segments(message: Message, limits: Limits | None = None, budget: Budget | None = None,
                     ocr: OcrBudget | None = None) -> Extraction:
    """The message's segments, uninspectable findings and parts listed as not inspected.

    ``ocr``: the message's OCR budget (``OcrBudget(policy.ocr_settings)``; the defaults when None)."""
    limits = limits or Limits()
    budget = budget or Budget(limits)
    ctx = Context(limits, budget=budget)
    own: list[Segment] = []
    if message.subject:
        own.append(Segment(location="subject", text=message.subject, role="subject"))
    own.append(Segment(location="body", text=message.text or "", role="body"))
    own.extend(s for s in message.text_parts if s.text and s.text.strip())
    own.extend(_display_names(message, {s.location for s in own}))
    for att in message.attachments:
        seg = name_segment(location_of(att), att.filename)
        if seg is not None:
            own.append(seg)
    for seg in own:
        budget.charge_text(len(seg.text))
    ctx.result.segments.extend(own)
    for seg in own:
        if seg.location == "body" or seg.location.startswith("body:"):
            _inline(ctx, seg)
    if message.attachments:
        ctx.result.extend(extract_many(message.attachments, limits, budget, ocr))
    return ctx.result


def _inline(ctx: Context, seg: Segment) -> None:
    try:
        extract_inline(ctx, seg.text, seg.location, 0, "郵件本文")
    except LimitReached as exc:
        ctx.limit(exc.location, exc.limit, "", f"{exc.reason}，本文內嵌的資料未完整檢查")
        ctx.result.findings[-1].detail["not_read"] = exc.location


def _display_names(message: Message, present: set[str]) -> list[Segment]:
    """``header:from``/``header:to`` segments from display names in sender and recipients."""
    out: list[Segment] = []
    if message.channel != "mail":
        return out
    groups = (("header:from", [message.sender] if message.sender else []), ("header:to", message.recipients))
    for location, values in groups:
        if location in present:
            continue
        names = [n for n in (display_name(v) for v in values) if n]
        if names:
            out.append(Segment(location=location, text="\n".join(names), role="field"))
    return out


def display_name(value: Any) -> str:
    """The display name of ``王小明 <a@b.tw>`` (empty when there is none, or it is the address)."""
    if not isinstance(value, str) or "<" not in value:
        return ""
    name, addr = parseaddr(value)
    name = name.strip().strip('"').strip()
    return "" if not name or name == addr else name


def without_addressing(findings: list[Finding]) -> list[Finding]:
    """Drop findings that only name a header's addressee (see :data:`ADDRESSING_TYPES`)."""
    return [f for f in findings if not (f.location.startswith("header:") and f.type in ADDRESSING_TYPES)]
