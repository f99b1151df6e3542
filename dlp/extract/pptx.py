"""PowerPoint presentations (.pptx): slides, speaker notes, masters and layouts, in show order.

Parts are found through the package relationships (:mod:`dlp.extract.opc`). Text in a footer or
header placeholder (``<p:ph type="ftr"/>``) is a segment of its own with role "footer"/"header":
a 限閱 footer placed on the slide master shows on every slide and is a stamp position. The
alternative text of pictures and shapes is read as lines of the slide.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import IO

from dlp.extract.context import Context
from dlp.extract.ooxml import alt_text, extract_embeddings, extract_properties, extract_rest, open_part, parts
from dlp.extract.opc import Package, TrackingZip
from dlp.extract.xmlsafe import iterparse, local, release

_PLACEHOLDER_ROLES = {"ftr": "footer", "hdr": "header"}


def drawing_texts(stream: IO[bytes], tick: Callable[[], None] = lambda: None) -> dict[str, str]:
    """Text of a DrawingML part by role: "body", and "footer"/"header" for those placeholders.

    Paragraphs are lines, table cells tab-separated, alternative text a line of its own.
    """
    out: dict[str, list[str]] = {"body": []}
    shapes: list[str] = []  # role of each open p:sp (a shape can hold a placeholder)
    skip = 0
    for event, el in iterparse(stream, events=("start", "end")):
        tick()
        name = local(el.tag)
        if name == "Fallback":
            skip += 1 if event == "start" else -1
            continue
        if skip:
            continue
        if event == "start":
            if name == "sp":
                shapes.append("body")
            elif name == "ph" and shapes:
                shapes[-1] = _PLACEHOLDER_ROLES.get(el.get("type") or "", "body")
            elif name == "cNvPr":
                alt = alt_text(el)
                if alt:
                    out["body"].append(f"\n{alt}\n")
            continue
        buf = out.setdefault(shapes[-1] if shapes else "body", [])
        if name == "t":
            if el.text:
                buf.append(el.text)
        elif name == "br":
            buf.append("\n")
        elif name == "p":
            buf.append("\n")
            release(el)
        elif name == "tc":
            if buf and buf[-1] == "\n":
                buf[-1] = "\t"
        elif name == "tr" and buf and buf[-1] == "\t":
            buf[-1] = "\n"
        elif name == "sp" and shapes:
            shapes.pop()
    return {role: "".join(pieces).strip("\n") for role, pieces in out.items()}


def _slide_order(pkg: Package, main: str) -> list[str]:
    order = pkg.related(main, "slide")
    for info in parts(pkg.zf, r"ppt/slides/slide\d+\.xml"):
        if info.filename not in order:
            order.append(info.filename)
    return order


def _texts_of(ctx: Context, zf: TrackingZip, name: str, loc: str, label: str, where: str) -> dict[str, str]:
    try:
        info = zf.getinfo(name)
    except KeyError:
        return {}
    stream = open_part(ctx, zf, info, loc, label)
    if stream is None:
        return {}
    with stream:
        return drawing_texts(stream, ctx.ticker(where))


def _emit(ctx: Context, where: str, texts: dict[str, str], role: str) -> None:
    ctx.segment(where, texts.get("body", ""), role)
    ctx.segment(f"{where}:header", texts.get("header", ""), "header")
    ctx.segment(f"{where}:footer", texts.get("footer", ""), "footer")


def extract_pptx(ctx: Context, data: bytes, loc: str, depth: int, label: str) -> None:
    zf = TrackingZip(io.BytesIO(data))
    pkg = Package(zf)
    main = pkg.main_part() or "ppt/presentation.xml"
    for n, slide in enumerate(_slide_order(pkg, main), start=1):
        where = f"{loc}#slide:{n}"
        _emit(ctx, where, _texts_of(ctx, zf, slide, loc, label, where), "slide")
        for notes in pkg.related(slide, "notesSlide"):
            texts = _texts_of(ctx, zf, notes, loc, label, f"{loc}#notes:{n}")
            ctx.segment(f"{loc}#notes:{n}", "\n".join(t for t in texts.values() if t), "notes")
    # Masters and their layouts show on every slide that uses them.
    for m, master in enumerate(pkg.related(main, "slideMaster"), start=1):
        where = f"{loc}#master:{m}"
        _emit(ctx, where, _texts_of(ctx, zf, master, loc, label, where), "slide")
        for k, layout in enumerate(pkg.related(master, "slideLayout"), start=1):
            where = f"{loc}#master:{m}:layout:{k}"
            _emit(ctx, where, _texts_of(ctx, zf, layout, loc, label, where), "slide")
    comments = [
        "\n".join(t for t in _texts_of(ctx, zf, i.filename, loc, label, f"{loc}#comments").values() if t)
        for i in parts(zf, r"ppt/(comments|comments/modernComment)[^/]*/?[^/]*\.xml")
    ]
    ctx.segment(f"{loc}#comments", "\n".join(c for c in comments if c), "comment")
    extract_properties(ctx, zf, loc, label)
    extract_embeddings(ctx, zf, loc, depth, ("ppt/embeddings/",), label)
    extract_rest(ctx, zf, loc, depth, label)
