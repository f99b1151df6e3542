"""Where a message is going: recipients and conversations -> destination columns.

The policy table has five columns. A mail goes to the worst of its recipients; a chat goes to
a registered group or to other chat; ``channel="other"`` takes free-form destinations that the
policy maps by prefix (unmapped ones use the policy's default column, the strictest mail one).

Address parsing is deliberately strict: anything odd (two ``@``, spaces, a domain that is not
a valid IDNA name, an IP literal ...) is *unparseable* and counts as personal webmail, never as
internal, and the destination report says which address and why.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import idna
import regex

from dlp.model import Message

INTERNAL_MAIL = "internal_mail"
EXTERNAL_MAIL = "external_mail"
PERSONAL_WEBMAIL = "personal_webmail"
REGISTERED_GROUP = "registered_group"
OTHER_CHAT = "other_chat"

#: The five columns of the policy table, mail columns from mildest to strictest, then chat.
COLUMNS: tuple[str, ...] = (INTERNAL_MAIL, EXTERNAL_MAIL, PERSONAL_WEBMAIL, REGISTERED_GROUP, OTHER_CHAT)
#: Strictness used to name "the" column of a message that goes to several (highest wins).
COLUMN_STRICTNESS: dict[str, int] = {
    INTERNAL_MAIL: 0,
    REGISTERED_GROUP: 1,
    EXTERNAL_MAIL: 2,
    OTHER_CHAT: 3,
    PERSONAL_WEBMAIL: 4,
}

# ``Name <addr>`` (the display name may be quoted); the address part must be the last thing.
_DISPLAY_FORM = regex.compile(r"^(?P<name>[^<>]*)<(?P<addr>[^<>]*)>\s*$")
# dot-atom local part (RFC 5322) plus UTF-8 letters (RFC 6531), or a quoted string.
_LOCAL_ATOM = regex.compile(r"^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~\-]+(?:\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~\-]+)*$")
_LOCAL_QUOTED = regex.compile(r'^"(?:[^"\\\r\n]|\\.)*"$')
_ASCII_LABEL = regex.compile(r"^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$")


class AddressError(ValueError):
    """An address that cannot be parsed; ``str(err)`` says why, in Traditional Chinese."""


@dataclass(frozen=True)
class ParsedAddress:
    raw: str
    local: str
    domain: str  # lower-case ASCII (punycode for IDN), no trailing dot
    display_name: str = ""


def canonical_domain(domain: str) -> str:
    """Lower-case ASCII form of a domain (IDN -> punycode); raises :class:`AddressError`."""
    d = domain.strip()
    if d.endswith(".") or d.endswith("．") or d.endswith("。"):
        d = d[:-1]
    if not d:
        raise AddressError("網域是空的")
    if d.startswith("[") or regex.fullmatch(r"[0-9.]+", d):
        raise AddressError("網域是 IP 位址，無法判斷屬於哪個單位")
    try:
        ascii_form = idna.encode(d, uts46=True).decode("ascii").lower()
    except (idna.IDNAError, UnicodeError, ValueError) as exc:
        raise AddressError(f"網域「{domain}」不是有效的網域名稱（{exc}）") from None
    labels = ascii_form.split(".")
    if len(labels) < 2:
        raise AddressError(f"網域「{domain}」缺少頂級網域（例如 .tw）")
    for label in labels:
        if not _ASCII_LABEL.match(label):
            raise AddressError(f"網域「{domain}」含有不合格的部分「{label}」")
    return ascii_form


def parse_address(raw: str) -> ParsedAddress:
    """Parse one recipient (``a@b.gov.tw`` or ``王小明 <a@b.gov.tw>``); strict on purpose."""
    if not isinstance(raw, str):
        raise AddressError("收件者不是文字")
    text = raw.strip()
    if not text:
        raise AddressError("收件者是空的")
    display = ""
    m = _DISPLAY_FORM.match(text)
    if m:
        display = m.group("name").strip().strip('"').strip()
        text = m.group("addr").strip()
    elif "<" in text or ">" in text:
        raise AddressError("角括號 < > 不成對或位置不對")
    if text.lower().startswith("mailto:"):
        text = text[len("mailto:"):]
    if "@" not in text:
        raise AddressError("找不到 @ 符號")
    local, _, domain = text.rpartition("@")
    if not local:
        raise AddressError("@ 前面沒有帳號")
    if not (_LOCAL_QUOTED.match(local) or _LOCAL_ATOM.match(local)):
        raise AddressError("帳號部分含有空白、逗號、多個 @ 或其他不允許的字元（可能是多個地址寫在一起）")
    return ParsedAddress(raw=raw, local=local, domain=canonical_domain(domain), display_name=display)


def domain_under(domain: str, parents: Iterable[str]) -> str | None:
    """The first of ``parents`` that ``domain`` equals or is a sub-domain of (label-wise)."""
    for parent in parents:
        if domain == parent or domain.endswith("." + parent):
            return parent
    return None


@dataclass(frozen=True)
class OtherMapping:
    """``channel="other"``: destinations starting with ``prefix`` use ``column``."""

    prefix: str
    column: str


@dataclass(frozen=True)
class DestinationRules:
    """The part of the policy that classifies destinations (domains already canonical)."""

    internal_domains: tuple[str, ...]
    personal_mail_domains: tuple[str, ...]
    other_default_column: str = PERSONAL_WEBMAIL
    other_mappings: tuple[OtherMapping, ...] = ()


@dataclass
class Destination:
    """Where one message goes: the set of columns and a JSON-ready account of why."""

    channel: str
    columns: list[str]
    #: the strictest of ``columns`` (see :data:`COLUMN_STRICTNESS`)
    column: str
    #: column -> the recipient or target that put the message in it (for reasons)
    targets: dict[str, str] = field(default_factory=dict)
    recipients: list[dict[str, Any]] = field(default_factory=list)
    unparseable: list[dict[str, str]] = field(default_factory=list)
    conversation: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "channel": self.channel,
            "column": self.column,
            "columns": list(self.columns),
            "recipients": list(self.recipients),
            "unparseable": list(self.unparseable),
        }
        if self.conversation is not None:
            out["conversation"] = self.conversation
        if self.notes:
            out["notes"] = list(self.notes)
        return out


def classify_address(raw: str, rules: DestinationRules) -> dict[str, Any]:
    """One recipient -> ``{address, domain, column, why}``; unparseable -> personal webmail."""
    try:
        parsed = parse_address(raw)
    except AddressError as exc:
        return {"address": raw, "column": PERSONAL_WEBMAIL, "parsed": False, "why": str(exc)}
    internal = domain_under(parsed.domain, rules.internal_domains)
    personal = domain_under(parsed.domain, rules.personal_mail_domains)
    if personal is not None:  # checked first: a personal domain is never internal
        column, why = PERSONAL_WEBMAIL, f"個人電子信箱網域 {personal}"
    elif internal is not None:
        column, why = INTERNAL_MAIL, f"機關內部網域 {internal}"
    else:
        column, why = EXTERNAL_MAIL, "不屬於機關內部網域"
    return {"address": raw, "domain": parsed.domain, "column": column, "parsed": True, "why": why}


def _worst(columns: Iterable[str]) -> str:
    return max(columns, key=lambda c: COLUMN_STRICTNESS[c])


def _mail(message: Message, rules: DestinationRules) -> Destination:
    recipients = [classify_address(r, rules) for r in message.recipients]
    notes: list[str] = []
    if not recipients:
        notes.append("沒有收件者，視為寄至個人電子信箱")
        cols = {PERSONAL_WEBMAIL: "（沒有收件者）"}
    else:
        cols = {}
        for r in recipients:
            cols.setdefault(r["column"], r["address"])
    unparseable = [{"address": r["address"], "why": r["why"]} for r in recipients if not r["parsed"]]
    return Destination(
        channel="mail",
        columns=sorted(cols, key=COLUMNS.index),
        column=_worst(cols),
        targets=cols,
        recipients=recipients,
        unparseable=unparseable,
        notes=notes,
    )


def _chat(message: Message) -> Destination:
    conv = message.conversation
    if conv is None:
        return Destination(
            channel="chat",
            columns=[OTHER_CHAT],
            column=OTHER_CHAT,
            targets={OTHER_CHAT: "（未指定對話）"},
            notes=["沒有對話資料，視為其他通訊軟體對話"],
        )
    registered = bool(conv.registered) and conv.external_members == 0
    column = REGISTERED_GROUP if registered else OTHER_CHAT
    label = conv.name or conv.id
    return Destination(
        channel="chat",
        columns=[column],
        column=column,
        targets={column: label},
        conversation=conv.to_dict(),
    )


def _other(message: Message, rules: DestinationRules) -> Destination:
    recipients: list[dict[str, Any]] = []
    cols: dict[str, str] = {}
    for target in message.recipients:
        column, why = rules.other_default_column, "未對應的目的地，適用預設欄"
        for mapping in rules.other_mappings:
            if isinstance(target, str) and target.startswith(mapping.prefix):
                column, why = mapping.column, f"符合對應規則「{mapping.prefix}」"
                break
        recipients.append({"address": target, "column": column, "why": why})
        cols.setdefault(column, str(target))
    notes: list[str] = []
    if not cols:
        notes.append("沒有指定目的地，適用預設欄")
        cols[rules.other_default_column] = "（未指定目的地）"
    return Destination(
        channel="other",
        columns=sorted(cols, key=COLUMNS.index),
        column=_worst(cols),
        targets=cols,
        recipients=recipients,
        notes=notes,
    )


def classify(message: Message, rules: DestinationRules) -> Destination:
    """Classify where ``message`` is going. Unknown channels are treated like ``other``."""
    if message.channel == "mail":
        return _mail(message, rules)
    if message.channel == "chat":
        return _chat(message)
    dest = _other(message, rules)
    if message.channel != "other":
        dest.notes.append(f"未知的傳送管道「{message.channel}」，依「其他」處理")
    return dest
