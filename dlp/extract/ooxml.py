"""Shared pieces of Office Open XML packages (docx/xlsx/pptx): parts, properties, embeddings."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable

from dlp.extract.context import Context
from dlp.extract.dispatch import extract_into
from dlp.extract.images import read_media
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


# -- every other part -----------------------------------------------------------------------

#: Relationship types of parts that hold no content a reader sees (formatting, fonts, settings,
#: a preview picture of what is read anyway, signatures). Everything else is read.
NOT_CONTENT_RELATIONSHIPS = frozenset({
    "styles", "stylesWithEffects", "theme", "themeOverride", "fontTable", "font", "settings", "webSettings",
    "printerSettings", "calcChain", "tableStyles", "presProps", "viewProps", "customXmlProps",
    "commentAuthors", "people", "thumbnail", "digital-signature", "origin", "signature",
    "extended-properties", "core-properties", "custom-properties", "keyMapCustomizations",
    "vbaProjectSignature", "sheetMetadata", "volatileDependencies", "revisionHeaders", "usernames",
})
_NOT_CONTENT_TYPES = ("font", "relationships", "printersettings", "theme+xml", "styles+xml", "settings+xml")


def extract_rest(ctx: Context, zf: zipfile.ZipFile, loc: str, depth: int, fmt: str) -> None:
    """Read every part that the format's extractor did not open (fail closed, ECMA-376 part 2).

    XML parts give their text (charts, SmartArt, pivot caches, glossary, custom XML ...) as
    ``#part:<name>`` segments; images are read by OCR at ``<loc>/<part>#ocr``
    (:func:`dlp.extract.images.read_picture`); any other binary part (embedded objects wherever they are stored, media, macros) is read
    like an attachment at ``<loc>/<part>``.
    """
    from dlp.extract.opc import Package

    opened: set[str] = getattr(zf, "opened", set())
    pkg = Package(zf)
    rel_types = _relationship_types(pkg)
    for info in zf.infolist():
        name = info.filename
        if info.is_dir() or name in opened or name == "[Content_Types].xml" or name.endswith(".rels"):
            continue
        ctype = pkg.content_type(name)
        if rel_types.get(name, set()) & NOT_CONTENT_RELATIONSHIPS or any(t in ctype for t in _NOT_CONTENT_TYPES):
            continue
        ctx.check_time(loc)
        mloc = f"{loc}/{name}"
        if not admit(ctx, info, mloc, fmt):
            continue
        if ctype.endswith("xml") or name.lower().endswith(".xml"):
            with open_member(ctx, zf, info, mloc) as stream:
                text = xml_text(stream, ctx.ticker(mloc))
            ctx.segment(f"{loc}#part:{name}", text, "body")
            continue
        data = read_member(ctx, zf, info, mloc)
        if ctype.startswith("image/") or "image" in rel_types.get(name, set()):
            read_media(ctx, data, mloc, depth)
        else:
            extract_into(ctx, data, mloc, depth + 1)


def _relationship_types(pkg) -> dict[str, set[str]]:
    """part name -> the types of every relationship in the package that targets it."""
    out: dict[str, set[str]] = {}
    for name in sorted(pkg.names):
        if not name.endswith(".rels"):
            continue
        folder, base = name.rsplit("/", 1) if "/" in name else ("", name)
        source_folder = folder[: -len("_rels")].rstrip("/") if folder.endswith("_rels") else folder
        source = f"{source_folder}/{base[:-5]}".lstrip("/") if base != ".rels" else ""
        for rel in pkg.rels(source):
            if not rel.external:
                out.setdefault(rel.target, set()).add(rel.type)
    return out


def xml_text(stream, tick) -> str:
    """All text of an XML part (element text, and alternative text in ``descr``/``title``)."""
    from dlp.extract.xmlsafe import iterparse, release

    lines: list[str] = []
    for _, el in iterparse(stream, events=("end",)):
        tick()
        for text in (el.text, el.get("descr"), el.get("title"), el.tail):
            if text and text.strip():
                lines.append(text.strip())
        release(el)
    return "\n".join(lines)


def alt_text(el) -> str:
    """Alternative text of a drawing element (``wp:docPr``/``p:cNvPr``: descr and title)."""
    parts = [el.get(a, "").strip() for a in ("title", "descr")]
    return "\n".join(p for p in parts if p)
