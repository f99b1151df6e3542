"""E-mail (.eml, message/rfc822): headers (RFC 2047), bodies in any charset, attachments, nesting.

``parse_rfc822`` is also what the HTTP service uses to turn a raw mail into a ``dlp.Message``;
it never raises and reports broken MIME as an UNREADABLE finding.
"""

from __future__ import annotations

import email
import email.errors
import email.header
import email.utils
import mimetypes
import re
from dataclasses import dataclass, field
from email.message import Message as EmailMessage
from email.policy import compat32

from dlp.extract.context import Context, uninspectable
from dlp.extract.dispatch import extract_into
from dlp.extract.htmltext import html_to_text
from dlp.extract.limits import LimitReached, Limits
from dlp.extract.text import decode_text
from dlp.model import Attachment, Finding

_MAX_MIME_DEPTH = 32
#: Defects after which some content may be missing (truncated or mis-structured MIME).
_SERIOUS_DEFECTS = (
    email.errors.StartBoundaryNotFoundDefect,
    email.errors.CloseBoundaryNotFoundDefect,
    email.errors.NoBoundaryInMultipartDefect,
    email.errors.MultipartInvariantViolationDefect,
    email.errors.InvalidBase64LengthDefect,
)


@dataclass
class ParsedMail:
    """A raw RFC 822 message, decoded. ``sender`` is the From address."""

    subject: str = ""
    sender: str | None = None
    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    bcc: list[str] = field(default_factory=list)
    body: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    #: Display form of From/To/Cc (names included), for scanning a forwarded mail's headers.
    header_text: str = ""
    #: Text of the HTML alternative when it says something else than the plain body.
    html: str = ""
    #: Display names only (no addresses) per header: {"from": "王小明", "to": "...", "cc": "..."}.
    display_names: dict[str, str] = field(default_factory=dict)

    @property
    def recipients(self) -> list[str]:
        return self.to + self.cc + self.bcc


def decode_header_value(value: object) -> str:
    """Decode a header: RFC 2047 encoded words in any charset, or raw 8-bit (often Big5)."""
    if value is None:
        return ""
    if isinstance(value, email.header.Header):
        try:
            pieces = email.header.decode_header(value)
            if any(charset in (None, "unknown-8bit") and isinstance(data, bytes) and not data.isascii()
                   for data, charset in pieces):
                # Raw 8-bit bytes without RFC 2047 (often UTF-8 or Big5): decode them, never to U+FFFD.
                return _unfold("".join(
                    decode_8bit(data) if isinstance(data, bytes) and charset in (None, "unknown-8bit")
                    else decode_text(data, charset) if isinstance(data, bytes) else data
                    for data, charset in pieces
                ))
            return str(email.header.make_header(pieces))
        except Exception:
            value = str(value)
    text = str(value)
    if any("\udc80" <= ch <= "\udcff" for ch in text):
        text = decode_8bit(text.encode("ascii", "surrogateescape"))
    if "=?" not in text:
        return _unfold(text)
    try:
        pieces = email.header.decode_header(text)
    except Exception:
        return _unfold(text)
    out: list[str] = []
    for data, charset in pieces:
        if isinstance(data, str):
            out.append(data)
        elif charset:
            out.append(decode_text(data, charset))
        else:
            out.append(data.decode("ascii", "replace"))
    return _unfold("".join(out))


def decode_8bit(data: bytes) -> str:
    """Raw 8-bit header bytes: UTF-8, else CP950 (Big5), else GB18030; Latin-1 as a last resort
    (every byte kept, never U+FFFD)."""
    for enc in ("utf-8", "cp950", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _unfold(text: str) -> str:
    return re.sub(r"\r?\n[ \t]+", " ", text).strip()


def _addresses(msg: EmailMessage, name: str) -> tuple[list[str], list[str]]:
    """(addresses, display forms) of an address header; unparsable entries are kept as text."""
    values = [decode_header_value(v) for v in (msg.get_all(name) or [])]
    addrs: list[str] = []
    shown: list[str] = []
    try:
        pairs = email.utils.getaddresses(values)
    except Exception:
        pairs = [("", v) for v in values]
    for display, addr in pairs:
        if addr or display:
            addrs.append(addr or display)
            shown.append(f"{display} <{addr}>" if display and addr else (addr or display))
    return addrs, shown


def _payload_text(part: EmailMessage) -> str:
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        return ""
    return decode_text(data, part.get_content_charset())


def _filename(part: EmailMessage, n: int) -> str:
    name = ""
    try:
        raw = part.get_filename() or part.get_param("name", header="content-type")
        if isinstance(raw, tuple):  # RFC 2231 triple
            raw = email.utils.collapse_rfc2231_value(raw)
        name = decode_header_value(raw) if raw else ""
    except Exception:
        name = ""
    name = name.replace("/", "／").replace("\\", "＼").replace("#", "＃").strip()
    if not name:
        ext = mimetypes.guess_extension(part.get_content_type() or "") or ".bin"
        name = f"附件{n}{ext}"
    return name


class _Walker:
    def __init__(self, limits: Limits, out: ParsedMail, location: str):
        self.limits = limits
        self.out = out
        self.location = location
        self.plain: list[str] = []
        self.html: list[str] = []
        self.parts = 0

    def walk(self, part: EmailMessage, depth: int) -> None:
        self.parts += 1
        if self.parts > self.limits.max_archive_members:
            if self.parts == self.limits.max_archive_members + 1:
                self.out.findings.append(
                    uninspectable(
                        "LIMIT_EXCEEDED",
                        self.location,
                        "郵件內的部分過多，只檢查前面的部分",
                        "MIME",
                        "max_archive_members",
                    )
                )
            return
        if depth > _MAX_MIME_DEPTH:
            self.out.findings.append(
                uninspectable("UNREADABLE_ATTACHMENT", self.location, "郵件 MIME 巢狀過深，未完整檢查", "MIME")
            )
            return
        ctype = (part.get_content_type() or "text/plain").lower()
        if ctype == "message/rfc822" or (part.is_multipart() and ctype.startswith("message/")):
            self._nested(part)
            return
        if ctype == "multipart/encrypted":
            # RFC 1847/3156 (PGP/MIME): the parts are a version note and the ciphertext.
            protocol = str(part.get_param("protocol") or "").lower()
            what = "PGP/MIME" if "pgp" in protocol else "multipart/encrypted"
            self.out.findings.append(
                uninspectable("ENCRYPTED_ATTACHMENT", self.location, f"郵件以 {what} 加密，內容無法檢查", what)
            )
            return
        if part.is_multipart():
            # Every alternative of multipart/alternative is read, not only the first or the last.
            payload = part.get_payload()
            for sub in payload if isinstance(payload, list) else []:
                if isinstance(sub, EmailMessage):
                    self.walk(sub, depth + 1)
            return
        disposition = (part.get_content_disposition() or "").lower()
        has_name = bool(part.get_filename() or part.get_param("name", header="content-type"))
        if ctype in ("text/plain", "text/html") and disposition != "attachment" and not has_name:
            (self.plain if ctype == "text/plain" else self.html).append(_payload_text(part))
            return
        data = part.get_payload(decode=True)
        if isinstance(data, bytes):
            inline = disposition == "inline" or (disposition != "attachment" and bool(part.get("Content-ID")))
            name = _filename(part, len(self.out.attachments) + 1)
            self.out.attachments.append(Attachment(name, data, ctype, inline=inline))

    def _nested(self, part: EmailMessage) -> None:
        payload = part.get_payload()
        inner = payload[0] if isinstance(payload, list) and payload else None
        data: bytes
        if isinstance(inner, EmailMessage):
            try:
                data = inner.as_bytes()
            except Exception:
                data = inner.as_string().encode("utf-8", "surrogateescape")
            subject = decode_header_value(inner.get("Subject"))
        else:
            raw = part.get_payload(decode=True)
            data = raw if isinstance(raw, bytes) else b""
            subject = ""
        name = part.get_filename()
        if name:
            name = _filename(part, 0)
        else:
            name = (re.sub(r"[/\\#]", "_", subject)[:60] or "轉寄郵件") + ".eml"
        self.out.attachments.append(Attachment(name, data, "message/rfc822"))


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _display_names(msg: EmailMessage, name: str) -> list[str]:
    """Display names of an address header (``"王小明 D104553971" <a@b.tw>`` -> 王小明 D104553971)."""
    values = [decode_header_value(v) for v in (msg.get_all(name) or [])]
    try:
        pairs = email.utils.getaddresses(values)
    except Exception:
        return [v for v in values if v]
    return [display for display, addr in pairs if display and display != addr]


def _defects(msg: EmailMessage) -> list[str]:
    found: list[str] = []
    for part in msg.walk():
        for defect in getattr(part, "defects", []):
            if isinstance(defect, _SERIOUS_DEFECTS):
                found.append(type(defect).__name__)
    return found


def parse_rfc822(raw: bytes, limits: Limits | None = None, location: str = "message") -> ParsedMail:
    """Decode a raw message; never raises. Broken MIME yields what could be read plus a finding."""
    limits = limits or Limits()
    out = ParsedMail()
    try:
        msg = email.message_from_bytes(raw, policy=compat32)
        out.subject = decode_header_value(msg.get("Subject"))
        senders, shown_from = _addresses(msg, "From")
        out.sender = senders[0] if senders else None
        out.to, shown_to = _addresses(msg, "To")
        out.cc, shown_cc = _addresses(msg, "Cc")
        out.bcc, _ = _addresses(msg, "Bcc")
        lines = []
        for label, shown in (("寄件者", shown_from), ("收件者", shown_to), ("副本", shown_cc)):
            if shown:
                lines.append(f"{label}：{'、'.join(shown)}")
        out.header_text = "\n".join(lines)
        for key, header in (("from", "From"), ("to", "To"), ("cc", "Cc")):
            names = _display_names(msg, header)
            if names:
                out.display_names[key] = "\n".join(names)
        walker = _Walker(limits, out, location)
        walker.walk(msg, 0)
        plain = "\n".join(t for t in walker.plain if t.strip())
        html = "\n".join(html_to_text(h) for h in walker.html if h.strip())
        if plain.strip():
            out.body = plain
            out.html = html if _squeezed(html) and _squeezed(html) != _squeezed(plain) else ""
        else:
            out.body = html
        defects = _defects(msg)
        if defects:
            truncated = "CloseBoundaryNotFoundDefect" in defects
            reason = (
                "郵件 MIME 不完整（缺少結尾分隔線，truncated MIME）：最後一部分已檢查，但可能被截斷"
                if truncated
                else "郵件 MIME 結構損毀或不完整，部分內容可能未檢查"
            )
            out.findings.append(uninspectable("UNREADABLE_ATTACHMENT", location, reason, "MIME"))
            out.findings[-1].detail["defects"] = sorted(set(defects))
    except Exception as exc:  # whatever was decoded so far is kept
        out.findings.append(uninspectable("UNREADABLE_ATTACHMENT", location, "郵件無法解析，部分內容未檢查", "MIME"))
        out.findings[-1].detail["error"] = f"{type(exc).__name__}: {exc}"[:200]
    return out


def extract_eml(ctx: Context, data: bytes, loc: str, depth: int, label: str) -> None:
    from dlp.extract.images import exempt_signature_image
    from dlp.extract.inline import extract_inline

    mail = parse_rfc822(data, ctx.limits, loc)
    ctx.segment(f"{loc}#subject", mail.subject, "subject")
    ctx.segment(f"{loc}#headers", mail.header_text, "field")
    ctx.segment(f"{loc}#body", mail.body, "body")
    ctx.segment(f"{loc}#body:html", mail.html, "body")
    ctx.result.findings.extend(mail.findings)
    extract_inline(ctx, mail.body, f"{loc}#body", depth, "郵件本文")
    for n, att in enumerate(mail.attachments):
        where = f"{loc}/{att.filename}"
        try:
            ctx.check_time(where)
            ctx.name(where, att.filename)
            if exempt_signature_image(ctx, att, where):
                continue
            extract_into(ctx, att.content, where, depth + 1)
        except LimitReached as exc:
            # Name every attachment of this mail that will not be read; the caller names the
            # part where reading stopped.
            for later in mail.attachments[n + 1 :]:
                ctx.limit(f"{loc}/{later.filename}", exc.limit, "", f"{exc.reason}，本附件未檢查")
                ctx.result.findings[-1].detail["not_read"] = f"{loc}/{later.filename}"
            raise
