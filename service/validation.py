"""Request bodies -> ``dlp.Message``, with clear 400/422 errors for whatever is wrong."""

from __future__ import annotations

import base64
import binascii
import re
from email.utils import parseaddr
from typing import Any

from pydantic import ValidationError

from dlp import safejson
from dlp.model import Attachment, Conversation, Message
from service.errors import ApiError, validation_details
from service.models import _LONE_SURROGATE, MAX_JSON_DEPTH, ScanRequest

_CONTROL = re.compile(r"[\x00-\x1f\x7f\s]")
_DOMAIN_LABEL = re.compile(r"^(?!-)[A-Za-z0-9\u00a1-\uffff-]{1,63}(?<!-)$")


def address_problem(raw: str) -> str | None:
    """Why ``raw`` cannot be a mail address, or None. Display names ("王小明 <a@b.tw>") are fine."""
    if len(raw) > 320:
        return "地址太長 (address too long)"
    if "\x00" in raw or "\n" in raw or "\r" in raw:
        return "地址含控制字元 (control characters)"
    _, addr = parseaddr(raw)
    addr = addr or raw.strip()
    if addr.count("@") != 1:
        return "地址必須恰有一個 @ (exactly one @)"
    local, domain = addr.split("@")
    if not local or not domain or _CONTROL.search(addr):
        return "地址的帳號或網域是空的或含空白 (empty part or whitespace)"
    labels = domain.rstrip(".").split(".")
    if not all(_DOMAIN_LABEL.match(label) for label in labels):
        return "網域名稱不合法 (invalid domain)"
    return None


def check_addresses(message: Message, where: str = "") -> None:
    if message.channel != "mail":
        return
    problems = []
    if message.sender is not None:
        why = address_problem(message.sender)
        if why:
            problems.append({"field": f"{where}sender", "problem": why})
    for i, rcpt in enumerate(message.recipients):
        why = address_problem(rcpt)
        if why:
            problems.append({"field": f"{where}recipients.{i}", "problem": why})
    if problems:
        raise ApiError(422, "invalid_address", "收件者或寄件者地址不合法 (impossible address)", problems)


def decode_b64(data: str, index: int) -> bytes:
    try:
        return base64.b64decode("".join(data.split()), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ApiError(422, "bad_base64", f"第 {index + 1} 個附件的內容不是有效的 base64 (attachments.{index}.content_base64: {exc})",
                       [{"field": f"attachments.{index}.content_base64", "problem": "invalid base64"}]) from None


def parse_json(data: bytes | str, field: str | None = None) -> Any:
    """JSON with its nesting bounded before parsing (``dlp.safejson``); 400 ``bad_json`` otherwise."""
    try:
        return safejson.loads(data, MAX_JSON_DEPTH)
    except safejson.JsonError as exc:
        where = f"{field} 欄位的 " if field else ""
        details = [{"field": field, "problem": str(exc)}] if field else None
        raise ApiError(400, "bad_json", f"{where}{exc}", details) from None


def parse_json_body(body: bytes) -> dict[str, Any]:
    if not body.strip():
        raise ApiError(400, "empty_body", "請求內容是空的，需要 JSON 物件 (empty body: a JSON object is required)")
    doc = parse_json(body)
    if not isinstance(doc, dict):
        raise ApiError(400, "bad_json", "需要 JSON 物件 (a JSON object is required)")
    return doc


def scan_request(doc: dict[str, Any]) -> ScanRequest:
    try:
        return ScanRequest.model_validate(doc)
    except ValidationError as exc:
        raise ApiError(422, "invalid_request", "請求內容不符合格式 (request does not match the schema)",
                       validation_details(list(exc.errors()))) from None


def to_message(req: ScanRequest, files: list[Attachment] | None = None) -> Message:
    conv = req.conversation
    message = Message(
        text=req.text,
        subject=req.subject,
        channel=req.channel,
        sender=req.sender,
        recipients=list(req.recipients),
        conversation=None if conv is None else Conversation(conv.id, conv.name, conv.members, conv.external_members, conv.registered),
        attachments=[Attachment(a.filename, decode_b64(a.content_base64, i), a.content_type) for i, a in enumerate(req.attachments)],
    )
    message.attachments.extend(files or [])
    check_addresses(message)
    return message


def check_filenames(files: list[Attachment]) -> None:
    """File parts' names go through the same check as every string field (422)."""
    bad = [{"field": f"attachments.{i}.filename", "problem": "含有孤立的 UTF-16 代理字元 (lone surrogate)"}
           for i, f in enumerate(files) if _LONE_SURROGATE.search(f.filename or "")]
    if bad:
        raise ApiError(422, "invalid_request", "請求內容不符合格式 (request does not match the schema)", bad)


def form_to_doc(fields: list[tuple[str, str]]) -> dict[str, Any]:
    """Multipart text fields -> the JSON document's fields (``recipients`` repeatable or comma-separated)."""
    doc: dict[str, Any] = {}
    recipients: list[str] = []
    for name, value in fields:
        if name in ("recipients", "recipient", "to"):
            recipients.extend(v.strip() for v in value.split(",") if v.strip())
        elif name == "conversation":
            doc["conversation"] = parse_json(value, "conversation")
        elif name in ("text", "subject", "channel", "sender"):
            doc[name] = value
        else:
            raise ApiError(422, "invalid_request", f"不認識的欄位 {name!r} (unknown form field)")
    if recipients:
        doc["recipients"] = recipients
    return doc


def truncated_multipart_tail(body: bytes, content_type: str) -> tuple[list[Attachment], list[Any]]:
    """The last part of a multipart upload whose closing boundary is missing, and a finding.

    The form parser drops such a part without a word; the library's MIME reader (the stdlib
    parser) keeps it. Returns ``([], [])`` for a complete body. The finding is an
    ``UNREADABLE_ATTACHMENT`` ("truncated MIME") located at the recovered file.
    """
    import email
    from email.errors import CloseBoundaryNotFoundDefect
    from email.policy import compat32

    from dlp.extract import location_of
    from dlp.extract.context import uninspectable

    if not body or "boundary=" not in content_type.lower():
        return [], []
    msg = email.message_from_bytes(b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body, policy=compat32)
    if not msg.is_multipart() or not any(isinstance(d, CloseBoundaryNotFoundDefect) for d in msg.defects):
        return [], []
    parts = msg.get_payload()
    last = parts[-1] if isinstance(parts, list) and parts else None
    if last is None or not last.get_filename():
        return [], []
    from email.message import Message as MimePart

    from dlp.extract.mail import decode_header_value

    disposition = MimePart()
    disposition["Content-Disposition"] = decode_header_value(last.get("Content-Disposition"))  # raw UTF-8 names
    data = last.get_payload(decode=True)
    att = Attachment(disposition.get_filename() or "附件", data if isinstance(data, bytes) else b"", last.get_content_type())
    finding = uninspectable("UNREADABLE_ATTACHMENT", location_of(att),
                            "上傳內容不完整（缺少結尾分隔線，truncated MIME）：最後一個檔案已檢查，但可能被截斷", "MIME")
    return [att], [finding]
