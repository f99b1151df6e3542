"""PowerPoint presentations (.pptx): slides (with tables) and speaker notes, in show order."""

from __future__ import annotations

import io
import posixpath
import zipfile
from typing import IO

from dlp.extract.context import Context
from dlp.extract.ooxml import extract_embeddings, extract_properties, open_part, parts, read_part
from dlp.extract.xmlsafe import iterparse, local, parse, release


def drawing_text(stream: IO[bytes]) -> str:
    """Text of a DrawingML part: paragraphs as lines, table cells tab-separated."""
    out: list[str] = []
    skip = 0
    for event, el in iterparse(stream, events=("start", "end")):
        name = local(el.tag)
        if name == "Fallback":
            skip += 1 if event == "start" else -1
            continue
        if event == "start" or skip:
            continue
        if name == "t":
            if el.text:
                out.append(el.text)
        elif name == "br":
            out.append("\n")
        elif name == "p":
            out.append("\n")
            release(el)
        elif name == "tc":
            if out and out[-1] == "\n":
                out[-1] = "\t"
        elif name == "tr" and out and out[-1] == "\t":
            out[-1] = "\n"
    return "".join(out).strip("\n")


def _rels(ctx: Context, zf: zipfile.ZipFile, part: str, loc: str, label: str) -> dict[str, tuple[str, str]]:
    """rId -> (type suffix, absolute part name) for one part's relationships."""
    folder, base = posixpath.split(part)
    data = read_part(ctx, zf, f"{folder}/_rels/{base}.rels", loc, label)
    out: dict[str, tuple[str, str]] = {}
    if data:
        for rel in parse(data, recover=True):
            target = rel.get("Target") or ""
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            out[rel.get("Id") or ""] = ((rel.get("Type") or "").rsplit("/", 1)[-1], path)
    return out


def _slide_order(ctx: Context, zf: zipfile.ZipFile, loc: str, label: str) -> list[str]:
    names = set(zf.namelist())
    rels = _rels(ctx, zf, "ppt/presentation.xml", loc, label)
    order: list[str] = []
    data = read_part(ctx, zf, "ppt/presentation.xml", loc, label)
    if data:
        for el in parse(data, recover=True).iter("{*}sldId"):
            rid = next((v for k, v in el.attrib.items() if local(k) == "id" and k.startswith("{")), "")
            path = rels.get(rid, ("", ""))[1]
            if path in names and path not in order:
                order.append(path)
    for info in parts(zf, r"ppt/slides/slide\d+\.xml"):
        if info.filename not in order:
            order.append(info.filename)
    return order


def _text_of(ctx: Context, zf: zipfile.ZipFile, name: str, loc: str, label: str) -> str:
    try:
        info = zf.getinfo(name)
    except KeyError:
        return ""
    stream = open_part(ctx, zf, info, loc, label)
    if stream is None:
        return ""
    with stream:
        return drawing_text(stream)


def extract_pptx(ctx: Context, data: bytes, loc: str, depth: int, label: str) -> None:
    zf = zipfile.ZipFile(io.BytesIO(data))
    for n, slide in enumerate(_slide_order(ctx, zf, loc, label), start=1):
        ctx.segment(f"{loc}#slide:{n}", _text_of(ctx, zf, slide, loc, label), "slide")
        for kind, target in _rels(ctx, zf, slide, loc, label).values():
            if kind == "notesSlide":
                ctx.segment(f"{loc}#notes:{n}", _text_of(ctx, zf, target, loc, label), "notes")
    comments = [
        _text_of(ctx, zf, i.filename, loc, label)
        for i in parts(zf, r"ppt/(comments|comments/modernComment)[^/]*/?[^/]*\.xml")
    ]
    ctx.segment(f"{loc}#comments", "\n".join(c for c in comments if c), "comment")
    extract_properties(ctx, zf, loc, label)
    extract_embeddings(ctx, zf, loc, depth, ("ppt/embeddings/",), label)
