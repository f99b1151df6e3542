"""Word documents (.docx/.docm): every story as its own segment, read from the raw XML parts.

Headers and footers are separate parts and separate segments (role "header"/"footer"), because
a marking there is a stamp position. Raw XML with lxml is 3-4x faster than python-docx.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO

from dlp.extract.context import Context
from dlp.extract.ooxml import (
    alt_text,
    extract_embeddings,
    extract_properties,
    extract_rest,
    natural_key,
    open_part,
)
from dlp.extract.opc import Package, TrackingZip
from dlp.extract.xmlsafe import iterparse, local, release

#: Subtrees whose text is not shown to a reader (or duplicated: mc:Fallback repeats mc:Choice).
_SKIP = {"Fallback", "instrText", "delInstrText", "pPr", "rPr", "tblPr", "sectPr", "fldData"}

#: Stories reached from the main part by relationship type: (type, location suffix, role).
_STORIES: list[tuple[str, str, str]] = [
    ("header", "header", "header"),
    ("footer", "footer", "footer"),
    ("footnotes", "footnotes", "body"),
    ("endnotes", "endnotes", "body"),
    ("comments", "comments", "comment"),
]
#: Alternative text of pictures and shapes (wp:docPr, pic:cNvPr) is read as a line of its own.
_ALT_TEXT = {"docPr", "cNvPr"}


def word_text(stream: IO[bytes], tick: Callable[[], None] = lambda: None) -> str:
    """Visible text of a WordprocessingML part: paragraphs as lines, table cells tab-separated,
    alternative text of pictures as lines. ``tick`` is called per element (time checks)."""
    out: list[str] = []
    done: list[str] = []
    skip = 0
    for event, el in iterparse(stream, events=("start", "end")):
        tick()
        if len(out) > 8192:
            # Many small strings cost more than their text: fold them, keeping the last piece
            # (table cells look at it).
            done.append("".join(out[:-1]))
            del out[:-1]
        name = local(el.tag)
        if event == "start":
            if name in _SKIP:
                skip += 1
            elif name in _ALT_TEXT and not skip:
                alt = alt_text(el)
                if alt:
                    out.append(f"\n{alt}\n")
            continue
        if name in _SKIP:
            skip -= 1
            release(el)
            continue
        if skip:
            continue
        if name in ("t", "delText"):
            if el.text:
                out.append(el.text)
        elif name == "tab":
            out.append("\t")
        elif name in ("br", "cr"):
            out.append("\n")
        elif name == "noBreakHyphen":
            out.append("-")
        elif name == "p":
            out.append("\n")
            release(el)
        elif name == "tc":
            if out and out[-1] == "\n":
                out[-1] = "\t"
            else:
                out.append("\t")
        elif name == "tr":
            if out and out[-1] == "\t":
                out[-1] = "\n"
            else:
                out.append("\n")
            release(el)
    done.extend(out)
    out.clear()
    return strip_joined(done)


def strip_joined(pieces: list[str]) -> str:
    """``"".join(pieces).strip("\n")`` without copying the whole text a second time."""
    while pieces and not pieces[-1].rstrip("\n"):
        pieces.pop()
    while pieces and not pieces[0].lstrip("\n"):
        pieces.pop(0)
    if pieces:
        pieces[-1] = pieces[-1].rstrip("\n")
        pieces[0] = pieces[0].lstrip("\n")
    text = "".join(pieces)
    pieces.clear()
    return text


def extract_docx(ctx: Context, data: bytes, loc: str, depth: int, label: str) -> None:
    zf = TrackingZip(_as_file(data))
    pkg = Package(zf)
    main = pkg.main_part() or ("word/document.xml" if "word/document.xml" in pkg.names else None)
    stories: list[tuple[str, str, str]] = []
    if main is not None:
        stories.append((main, "body", "body"))
        # The main part's own relationships find its stories, whatever they are named.
        for rel_type, suffix, role in _STORIES:
            stories += [(part, suffix, role) for part in sorted(pkg.related(main, rel_type), key=natural_key)]
        stories += [(part, "glossary", "body") for part in pkg.related(main, "glossaryDocument")]
    counts: dict[str, int] = {}
    for part, suffix, role in stories:
        info = zf.getinfo(part)
        stream = open_part(ctx, zf, info, loc, label)
        if stream is None:
            continue
        with stream:
            text = word_text(stream, ctx.ticker(f"{loc}#{suffix}"))
        if not text.strip():
            continue
        n = counts[suffix] = counts.get(suffix, 0) + 1
        # One segment per part; the first keeps the plain name (#header), later ones are numbered.
        where = f"{loc}#{suffix}" if n == 1 else f"{loc}#{suffix}:{n}"
        ctx.segment(where, text, role)
    extract_properties(ctx, zf, loc, label)
    extract_embeddings(ctx, zf, loc, depth, ("word/embeddings/",), label)
    extract_rest(ctx, zf, loc, depth, label)


def _as_file(data: bytes) -> IO[bytes]:
    import io

    return io.BytesIO(data)
