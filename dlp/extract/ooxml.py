"""Shared pieces of Office Open XML packages (docx/xlsx/pptx): parts, properties, embeddings."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable

from dlp.extract.context import Context
from dlp.extract.dispatch import extract_into
from dlp.extract.xmlsafe import local, parse
from dlp.extract.zipsafe import CappedStream, admit, open_member, read_member

_PROPERTY_LABELS = {
    "title": "標題",
    "subject": "主題",
    "creator": "作者",
    "keywords": "關鍵字",
    "description": "描述",
    "lastModifiedBy": "最後修改者",
    "category": "類別",
    "contentStatus": "狀態",
    "Company": "公司",
    "Manager": "管理者",
}


def natural_key(name: str) -> tuple[int, str]:
    """``header10.xml`` after ``header2.xml``."""
    m = re.search(r"(\d+)\D*$", name)
    return (int(m.group(1)) if m else 0, name)


def parts(zf: zipfile.ZipFile, pattern: str) -> list[zipfile.ZipInfo]:
    rx = re.compile(pattern)
    found = [i for i in zf.infolist() if rx.fullmatch(i.filename)]
    return sorted(found, key=lambda i: natural_key(i.filename))


def open_part(ctx: Context, zf: zipfile.ZipFile, info: zipfile.ZipInfo, loc: str, fmt: str) -> CappedStream | None:
    """A capped stream over one part, or None (with a finding) when the part is refused."""
    ctx.check_time(loc)
    if not admit(ctx, info, f"{loc}/{info.filename}", fmt):
        return None
    return open_member(ctx, zf, info, f"{loc}/{info.filename}")


def read_part(ctx: Context, zf: zipfile.ZipFile, name: str, loc: str, fmt: str) -> bytes | None:
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    if not admit(ctx, info, f"{loc}/{name}", fmt):
        return None
    return read_member(ctx, zf, info, f"{loc}/{name}")


def extract_properties(ctx: Context, zf: zipfile.ZipFile, loc: str, fmt: str) -> None:
    """Document properties (title, subject, keywords, ... and custom ones) as one segment."""
    lines: list[str] = []
    for name in ("docProps/core.xml", "docProps/app.xml"):
        data = read_part(ctx, zf, name, loc, fmt)
        if not data:
            continue
        root = parse(data, recover=True)
        for el in root:
            label = _PROPERTY_LABELS.get(local(el.tag))
            text = "".join(el.itertext()).strip() if label else ""
            if text:
                lines.append(f"{label}：{text}")
    data = read_part(ctx, zf, "docProps/custom.xml", loc, fmt)
    if data:
        root = parse(data, recover=True)
        for prop in root:
            name = prop.get("name") or ""
            value = "".join(prop.itertext()).strip()
            if value:
                lines.append(f"{name}：{value}")
    ctx.segment(f"{loc}#properties", "\n".join(lines), "property")


def extract_embeddings(
    ctx: Context, zf: zipfile.ZipFile, loc: str, depth: int, folders: Iterable[str], fmt: str
) -> None:
    """Embedded objects (workbooks in documents, zips in packages ...) are read like attachments."""
    for info in zf.infolist():
        if info.is_dir() or not any(info.filename.startswith(f) for f in folders):
            continue
        ctx.check_time(loc)
        mloc = f"{loc}/{info.filename}"
        if not admit(ctx, info, mloc, fmt):
            continue
        extract_into(ctx, read_member(ctx, zf, info, mloc), mloc, depth + 1)
