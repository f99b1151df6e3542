"""Excel workbooks (.xlsx/.xlsm): every sheet including hidden ones, streamed from raw XML.

Rows become lines and cells are tab-separated; the sheet name is in the location. Cached values
of formulas are read; a formula that was never calculated contributes its formula text.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from datetime import datetime, timedelta
from typing import IO

from dlp.extract.context import Context
from dlp.extract.ooxml import extract_embeddings, extract_properties, open_part, parts, read_part
from dlp.extract.xmlsafe import iterparse, local, parse, release

_BUILTIN_DATE_FORMATS = set(range(14, 23)) | {45, 46, 47} | set(range(27, 37)) | set(range(50, 59))
_HF_CODE = re.compile(r'&"[^"]*"|&K[0-9A-Fa-f]{6}|&K\d{2}[+-]\d{3}|&\d+|&[LCRPNDTFABIUESXYOHGZ]', re.IGNORECASE)


def extract_xlsx(ctx: Context, data: bytes, loc: str, depth: int, label: str) -> None:
    zf = zipfile.ZipFile(io.BytesIO(data))
    shared = _shared_strings(ctx, zf, loc, label)
    dates = _date_styles(ctx, zf, loc, label)
    for name, info in _sheets(ctx, zf, loc, label):
        stream = open_part(ctx, zf, info, loc, label)
        if stream is None:
            continue
        with stream:
            text, headers, footers = _sheet_text(stream, shared, dates)
        ctx.segment(f"{loc}#sheet:{name}", text, "sheet")
        ctx.segment(f"{loc}#sheet:{name}:header", headers, "header")
        ctx.segment(f"{loc}#sheet:{name}:footer", footers, "footer")
    _extra_text(
        ctx, zf, loc, label, r"xl/comments[^/]*\.xml|xl/(comments|threadedComments)/[^/]+\.xml", "comments", "comment"
    )
    _extra_text(ctx, zf, loc, label, r"xl/drawings/drawing\d*\.xml", "drawings", "body")
    extract_properties(ctx, zf, loc, label)
    extract_embeddings(ctx, zf, loc, depth, ("xl/embeddings/",), label)


def _sheets(ctx: Context, zf: zipfile.ZipFile, loc: str, label: str) -> list[tuple[str, zipfile.ZipInfo]]:
    """(name, part) for every sheet in workbook order, hidden and very hidden ones included."""
    names = set(zf.namelist())
    targets: dict[str, str] = {}
    rels = read_part(ctx, zf, "xl/_rels/workbook.xml.rels", loc, label)
    if rels:
        for rel in parse(rels, recover=True):
            target = rel.get("Target") or ""
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            targets[rel.get("Id") or ""] = path
    out: list[tuple[str, zipfile.ZipInfo]] = []
    seen: set[str] = set()
    book = read_part(ctx, zf, "xl/workbook.xml", loc, label)
    if book:
        for el in parse(book, recover=True).iter():
            if local(el.tag) != "sheet":
                continue
            rid = next((v for k, v in el.attrib.items() if local(k) == "id"), "")
            path = targets.get(rid, "")
            if path in names and path not in seen:
                seen.add(path)
                out.append((el.get("name") or path, zf.getinfo(path)))
    # Sheets the workbook does not list are still in the file: read them too.
    for info in parts(zf, r"xl/(work|chart|dialog|macro)sheets/[^/]+\.xml"):
        if info.filename not in seen:
            out.append((posixpath.basename(info.filename), info))
    return out


def _shared_strings(ctx: Context, zf: zipfile.ZipFile, loc: str, label: str) -> list[str]:
    strings: list[str] = []
    try:
        info = zf.getinfo("xl/sharedStrings.xml")
    except KeyError:
        return strings
    stream = open_part(ctx, zf, info, loc, label)
    if stream is None:
        return strings
    with stream:
        for _, el in iterparse(stream, tag="{*}si"):
            # Phonetic runs (rPh) repeat the reading of East Asian text; skip them.
            strings.append("".join(t.text or "" for t in el.iter("{*}t") if local(t.getparent().tag) != "rPh"))
            release(el)
    return strings


def _date_styles(ctx: Context, zf: zipfile.ZipFile, loc: str, label: str) -> set[int]:
    """Indexes of cell styles that display a date, so serial numbers can be shown as dates."""
    data = read_part(ctx, zf, "xl/styles.xml", loc, label)
    if not data:
        return set()
    root = parse(data, recover=True)
    custom: set[int] = set()
    for fmt in root.iter("{*}numFmt"):
        code = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", fmt.get("formatCode") or "").lower()
        if re.search(r"[ymd]", code) and "0.0" not in code:
            try:
                custom.add(int(fmt.get("numFmtId") or -1))
            except ValueError:
                pass
    out: set[int] = set()
    xfs = next(root.iter("{*}cellXfs"), None)
    if xfs is not None:
        for i, xf in enumerate(xfs.iter("{*}xf")):
            try:
                fid = int(xf.get("numFmtId") or 0)
            except ValueError:
                continue
            if fid in _BUILTIN_DATE_FORMATS or fid in custom:
                out.add(i)
    return out


def _cell_value(c, ns: str, shared: list[str], dates: set[int]) -> str:
    kind = c.get("t") or "n"
    if kind == "inlineStr":
        return "".join(c.itertext(ns + "t"))
    v = c.findtext(ns + "v")
    if not v:
        f = c.findtext(ns + "f")
        return f"={f}" if f else ""
    if kind == "s":
        try:
            return shared[int(v)]
        except (ValueError, IndexError):
            return ""
    if kind == "b":
        return "TRUE" if v == "1" else "FALSE"
    if kind == "n":
        return _number(v, c.get("s"), dates)
    return v


def _number(v: str, style: str | None, dates: set[int]) -> str:
    try:
        num = float(v)
    except ValueError:
        return v
    if style is not None and style.isdigit() and int(style) in dates and 0 < num < 2958466:
        day = datetime(1899, 12, 30) + timedelta(days=num)
        return day.strftime("%Y-%m-%d") if num == int(num) else day.strftime("%Y-%m-%d %H:%M")
    if num.is_integer() and abs(num) < 1e16:
        return str(int(num))
    return v


_HF_TAGS = ("oddHeader", "evenHeader", "firstHeader", "oddFooter", "evenFooter", "firstFooter")


def _sheet_text(stream: IO[bytes], shared: list[str], dates: set[int]) -> tuple[str, str, str]:
    """Rows as tab-separated lines, plus print headers and footers.

    Only row and header/footer elements raise events; cells are read from each finished row
    in C (findtext), which keeps big sheets fast.
    """
    lines: list[str] = []
    headers: list[str] = []
    footers: list[str] = []
    tags = ("{*}row",) + tuple("{*}" + t for t in _HF_TAGS)
    for _, el in iterparse(stream, tag=tags):
        tag = el.tag
        ns = tag[: tag.index("}") + 1] if tag.startswith("{") else ""
        name = tag[len(ns) :]
        if name == "row":
            cells = [_cell_value(c, ns, shared, dates) for c in el]
            row = "\t".join(v for v in cells if v)
            if row:
                lines.append(row)
            release(el)
        else:
            text = _header_footer(el.text or "")
            if text:
                (headers if name.endswith("Header") else footers).append(text)
    return "\n".join(lines), "\n".join(dict.fromkeys(headers)), "\n".join(dict.fromkeys(footers))


def _header_footer(code: str) -> str:
    """Print header/footer codes (&L, &C, &"Font,Bold", &P ...) removed; sections on lines."""
    code = code.replace("&&", "\x00")
    parts = re.split(r"&[LCR]", code)
    out = [_HF_CODE.sub("", p).replace("\x00", "&").strip() for p in parts]
    return "\n".join(p for p in out if p)


def _extra_text(ctx: Context, zf: zipfile.ZipFile, loc: str, label: str, pattern: str, suffix: str, role: str) -> None:
    chunks: list[str] = []
    for info in parts(zf, pattern):
        stream = open_part(ctx, zf, info, loc, label)
        if stream is None:
            continue
        with stream:
            for _, el in iterparse(stream, tag=("{*}t", "{*}text")):
                if el.text and el.text.strip():
                    chunks.append(el.text.strip())
    ctx.segment(f"{loc}#{suffix}", "\n".join(chunks), role)
