"""公文 exchange files: .di documents read structurally, .sw exchange lists, and other XML.

The secrecy level is decided by the ``代碼`` attribute of ``<密等>`` only and is rendered into a
"field" segment of its own. No DTD is loaded and no entity is resolved (DI files declare their
attachments as external NDATA entities).
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from dlp.extract.context import Context, Unreadable
from dlp.extract.text import decode_text
from dlp.extract.xmlsafe import local, parse

#: Elements rendered with a label, as on the printed 公文.
_LABELS = {
    "受文者": "受文者",
    "發文日期": "發文日期",
    "速別": "速別",
    "附件": "附件",
    "主旨": "主旨",
    "正本": "正本",
    "副本": "副本",
    "地址": "地址",
    "檔號": "檔號",
    "保存年限": "保存年限",
    "擬辦方式": "擬辦方式",
    "應用限制": "應用限制",
}
#: Rendered separately (field segments), not repeated in the body.
_FIELDS = {"密等及解密條件或保密期限", "發文字號", "文號"}


def _root(data: bytes) -> Any:
    try:
        return parse(data)
    except etree.XMLSyntaxError:
        pass
    except (LookupError, ValueError):
        pass
    # Unknown or wrong encoding declaration, or damage: decode ourselves and let libxml2 recover.
    text = decode_text(data)
    body = text.split("?>", 1)[1] if text.lstrip().startswith("<?xml") else text
    try:
        root = parse(body.encode("utf-8"), recover=True)
    except etree.XMLSyntaxError as exc:
        raise Unreadable("XML 已損毀或不完整，無法讀取") from exc
    if root is None:
        raise Unreadable("XML 已損毀或不完整，無法讀取")
    return root


def _text(el: Any) -> str:
    """Text content of an element; entity references are kept as written, never resolved."""
    parts: list[str] = []
    for node in el.iter():
        if isinstance(node.tag, str):
            if node.text:
                parts.append(node.text)
        elif node.tag is etree.Entity:
            parts.append(f"&{node.name};")
        if node is not el and node.tail:
            parts.append(node.tail)
    return " ".join("".join(parts).split())


def _child(el: Any, name: str) -> Any:
    return next((c for c in el if local(c.tag) == name), None)


def secrecy_field(root: Any) -> str | None:
    """``密等及解密條件或保密期限：<代碼>（<condition>）`` when ``<密等>`` carries a 代碼."""
    for box in root.iter():
        if local(box.tag) != "密等及解密條件或保密期限":
            continue
        level = _child(box, "密等")
        code = (level.get("代碼") or "").strip() if level is not None else ""
        if not code:
            continue
        cond_el = _child(box, "解密條件或保密期限")
        cond = _text(cond_el) if cond_el is not None else ""
        return f"密等及解密條件或保密期限：{code}（{cond}）" if cond else f"密等及解密條件或保密期限：{code}"
    return None


def document_number(root: Any) -> str | None:
    """``發文字號：<字>字第<年度><流水號>號`` from the structured number, or its free text."""
    for el in root.iter():
        if local(el.tag) not in ("發文字號", "文號"):
            continue
        word = _child(el, "字")
        number = _child(el, "文號") if local(el.tag) == "發文字號" else el
        if word is not None and number is not None:
            year = _child(number, "年度")
            serial = _child(number, "流水號")
            w = _text(word)
            w = w[:-1] if w.endswith("字") else w
            y = _text(year) if year is not None else ""
            s = _text(serial) if serial is not None else ""
            if w and (y or s):
                return f"發文字號：{w}字第{y}{s}號"
        free = _text(el)
        if free:
            return f"發文字號：{free}"
    return None


def _render(el: Any, lines: list[str], depth: int = 0) -> None:
    """Body text in document order: labelled fields, 段落/條列 with their numbering, leaves."""
    name = local(el.tag)
    if not name or name in _FIELDS or depth > 200:
        return
    kids = [c for c in el if isinstance(c.tag, str)]
    code = (el.get("代碼") or "").strip()
    if name in _LABELS:
        value = " ".join(x for x in (code, _text(el)) if x)
        lines.append(f"{_LABELS[name]}：{value}")
        return
    if name in ("段落", "條列"):
        head = (el.get("段名") if name == "段落" else el.get("序號")) or ""
        first = kids[0] if kids and local(kids[0].tag) == "文字" else None
        line = head + (el.text or "").strip() + (_text(first) if first is not None else "")
        if line:
            lines.append(line)
        for child in kids:
            if child is not first:
                _render(child, lines, depth + 1)
        return
    if not kids:
        value = _text(el) or code
        if value:
            lines.append(value)
        return
    own = (el.text or "").strip()
    if own:
        lines.append(own)
    for child in kids:
        _render(child, lines, depth + 1)


def extract_di(ctx: Context, data: bytes, loc: str, depth: int, label: str) -> None:
    root = _root(data)
    field = secrecy_field(root)
    if field:
        ctx.segment(f"{loc}#field:密等", field, "field")
    number = document_number(root)
    if number:
        ctx.segment(f"{loc}#field:發文字號", number, "field")
    lines: list[str] = []
    _render(root, lines)
    # Free text under 密等 without a 代碼 is a weak signal: keep it in the body, labelled.
    if not field:
        for el in root.iter():
            if local(el.tag) == "解密條件或保密期限" and _text(el):
                lines.append(f"解密條件或保密期限：{_text(el)}")
    ctx.segment(f"{loc}#body", "\n".join(lines), "body")


def extract_sw(ctx: Context, data: bytes, loc: str, depth: int, label: str) -> None:
    """交換表單: who the document goes to; every value on its own line."""
    root = _root(data)
    lines: list[str] = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        own = (el.text or "").strip()
        attrs = " ".join(v for v in el.attrib.values() if v.strip())
        if own or attrs:
            lines.append(f"{local(el.tag)}：{' '.join(x for x in (own, attrs) if x)}")
    ctx.segment(f"{loc}#body", "\n".join(lines), "body")


def extract_xml(ctx: Context, data: bytes, loc: str, depth: int, label: str) -> None:
    """Any other XML: its text content, one element per line."""
    root = _root(data)
    lines = [" ".join(t.split()) for t in root.itertext()]
    ctx.segment(f"{loc}#body", "\n".join(t for t in lines if t), "body")
