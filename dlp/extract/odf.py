"""OpenDocument (.odt/.ods/.odp): content.xml streamed, headers/footers from styles.xml, meta.xml.

ODF is Taiwan's government office standard; headers and footers live in styles.xml, a part of
their own, and are returned as "header"/"footer" segments (stamp positions). Pictures
(``Pictures/…``) are read by OCR.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import IO, Any

from dlp.extract.context import Context, Encrypted
from dlp.extract.images import read_media
from dlp.extract.ooxml import read_part
from dlp.extract.xmlsafe import iterparse, local, parse, release

_META_LABELS = {
    "title": "標題",
    "subject": "主題",
    "keyword": "關鍵字",
    "description": "描述",
    "creator": "最後修改者",
    "initial-creator": "作者",
}


def _inline(el: Any, out: list[str]) -> None:
    """Render an element's mixed content (spans, spaces, tabs, line breaks, notes)."""
    name = local(el.tag)
    if name == "annotation" or name == "annotation-end":
        return  # annotations are emitted on their own
    if name == "s":
        out.append(" " * min(int(el.get("{urn:oasis:names:tc:opendocument:xmlns:text:1.0}c") or 1), 100))
    elif name == "tab":
        out.append("\t")
    elif name == "line-break":
        out.append("\n")
    elif el.text:
        out.append(el.text)
    for child in el:
        if isinstance(child.tag, str):
            _inline(child, out)
        if child.tail:
            out.append(child.tail)


def _render(el: Any) -> str:
    out: list[str] = []
    _inline(el, out)
    return "".join(out)


class _Sink:
    """Text gathered per target location, in first-seen order."""

    def __init__(self) -> None:
        self.bufs: dict[tuple[str, str], list[str]] = {}

    def add(self, target: tuple[str, str], text: str) -> None:
        if text.strip():
            self.bufs.setdefault(target, []).append(text)


def content_text(stream: IO[bytes], tick: Callable[[], None] = lambda: None) -> dict[tuple[str, str], list[str]]:
    """Map (location suffix, role) -> lines for a content.xml of any ODF document type."""
    sink = _Sink()
    stack: list[tuple[str, str]] = [("body", "body")]
    in_cell = 0
    pages = 0
    row: list[str] = []
    sheet_mode = False
    for event, el in iterparse(stream, events=("start", "end")):
        tick()
        name = local(el.tag)
        if event == "start":
            if name == "spreadsheet":
                sheet_mode = True
            elif name == "table" and sheet_mode:
                stack.append(
                    (f"sheet:{el.get('{urn:oasis:names:tc:opendocument:xmlns:table:1.0}name') or ''}", "sheet")
                )
            elif name == "page":
                pages += 1
                stack.append((f"slide:{pages}", "slide"))
            elif name == "notes":
                stack.append((f"notes:{pages}", "notes"))
            elif name == "annotation":
                stack.append(("comments", "comment"))
            elif name == "table-cell" and sheet_mode:
                in_cell += 1
            continue
        if name in ("p", "h") and not (in_cell and stack[-1][1] != "comment"):
            sink.add(stack[-1], _render(el))
            release(el)
        elif name == "table-cell" and sheet_mode:
            in_cell -= 1
            value = " ".join(_render(p) for p in el.iter("{*}p", "{*}h"))
            if value.strip():
                row.append(value.strip())
            release(el)
        elif name == "table-row" and sheet_mode:
            if row:
                sink.add(stack[-1], "\t".join(row))
                row = []
            release(el)
        elif (name == "table" and sheet_mode) or name in ("page", "notes", "annotation"):
            if len(stack) > 1:
                stack.pop()
    return sink.bufs


def _check_encrypted(ctx: Context, zf: zipfile.ZipFile, loc: str, label: str) -> None:
    data = read_part(ctx, zf, "META-INF/manifest.xml", loc, label)
    if data and any(local(e.tag) == "encryption-data" for e in parse(data, recover=True).iter()):
        raise Encrypted(f"{label}以密碼保護（加密），無法檢查")


def _styles(ctx: Context, zf: zipfile.ZipFile, loc: str, label: str) -> None:
    data = read_part(ctx, zf, "styles.xml", loc, label)
    if not data:
        return
    headers: list[str] = []
    footers: list[str] = []
    for el in parse(data, recover=True).iter():
        name = local(el.tag)
        if name.startswith("header") or name.startswith("footer"):
            if name.endswith("-style"):
                continue
            lines = [_render(p) for p in el.iter("{*}p", "{*}h")]
            text = "\n".join(line for line in lines if line.strip())
            if text:
                (headers if name.startswith("header") else footers).append(text)
    ctx.segment(f"{loc}#header", "\n".join(dict.fromkeys(headers)), "header")
    ctx.segment(f"{loc}#footer", "\n".join(dict.fromkeys(footers)), "footer")


def _meta(ctx: Context, zf: zipfile.ZipFile, loc: str, label: str) -> None:
    data = read_part(ctx, zf, "meta.xml", loc, label)
    if not data:
        return
    lines: list[str] = []
    for el in parse(data, recover=True).iter():
        name = local(el.tag)
        text = (el.text or "").strip()
        if not text:
            continue
        if name in _META_LABELS:
            lines.append(f"{_META_LABELS[name]}：{text}")
        elif name == "user-defined":
            key = next((v for k, v in el.attrib.items() if local(k) == "name"), "")
            lines.append(f"{key}：{text}")
    ctx.segment(f"{loc}#properties", "\n".join(lines), "property")


def extract_odf(ctx: Context, data: bytes, loc: str, depth: int, label: str) -> None:
    zf = zipfile.ZipFile(io.BytesIO(data))
    _check_encrypted(ctx, zf, loc, label)
    content = read_part(ctx, zf, "content.xml", loc, label)
    if content:
        for (suffix, role), lines in content_text(io.BytesIO(content), ctx.ticker(loc)).items():
            ctx.segment(f"{loc}#{suffix}", "\n".join(lines), role)
    _styles(ctx, zf, loc, label)
    _meta(ctx, zf, loc, label)
    # Embedded objects keep their own folders ("Object 1/content.xml"); read those documents too.
    for info in zf.infolist():
        if info.filename.endswith("/content.xml") and info.filename.count("/") == 1:
            sub = read_part(ctx, zf, info.filename, loc, label)
            if sub:
                where = f"{loc}/{info.filename.rsplit('/', 1)[0]}"
                for (suffix, role), lines in content_text(io.BytesIO(sub), ctx.ticker(loc)).items():
                    ctx.segment(f"{where}#{suffix}", "\n".join(lines), role)
    _pictures(ctx, zf, loc, depth, label)


def _pictures(ctx: Context, zf: zipfile.ZipFile, loc: str, depth: int, label: str) -> None:
    """The document's pictures (``Pictures/…``, also those of embedded objects), read by OCR.
    ``Thumbnails/`` and ``ObjectReplacements/`` are previews of what is read anyway."""
    for info in zf.infolist():
        name = info.filename
        if info.is_dir() or not (name.startswith("Pictures/") or "/Pictures/" in name):
            continue
        data = read_part(ctx, zf, name, loc, label)
        if data:
            read_media(ctx, data, f"{loc}/{name}", depth)
