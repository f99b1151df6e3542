"""Excel workbooks (.xlsx/.xlsm): every sheet including hidden ones, streamed from raw XML.

Rows become lines and cells are tab-separated; the sheet name is in the location. Cached values
of formulas are read; a formula that was never calculated contributes its formula text.

A sheet whose text is longer than ``Limits.max_segment_chars`` is handed over in parts cut at
row ends, located ``#sheet:<name>:rows:<first>-<last>`` (1-based sheet row numbers, from the
rows' ``r`` attributes when present), each built as soon as it is full so that a whole huge
sheet is never one string beside its pieces. Every part after the first repeats the sheet's
header row (its first non-empty row) as its first line, so that column labels such as 出生日期
still give context to the values below; finding offsets refer to that part's text, header line
included. A sheet that fits is one segment located ``#sheet:<name>``, as before.

Sheets and the shared-string table are read by the byte scanner in :mod:`dlp.extract.xlsxscan`
(about 5x faster than building elements); a part it refuses (unusual XML) is read again with
lxml iterparse, which gives the same text. Both stop at the text limit and check the time
between chunks of rows.
"""

from __future__ import annotations

import io
import logging
import posixpath
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO

from dlp.extract.context import Context
from dlp.extract.limits import LimitReached
from dlp.extract.numfmt import literal_formatter
from dlp.extract.ooxml import (
    alt_text,
    extract_embeddings,
    extract_properties,
    extract_rest,
    open_part,
    parts,
    read_part,
)
from dlp.extract.opc import Package, TrackingZip
from dlp.extract.xlsxscan import (
    RowParts,
    Unsupported,
    escape,
    format_number,
    header_footer,
    row_number,
    scan_shared_strings,
    scan_sheet,
    unescape,
)
from dlp.extract.xmlsafe import iterparse, local, parse, release

log = logging.getLogger(__name__)

_BUILTIN_DATE_FORMATS = set(range(14, 23)) | {45, 46, 47} | set(range(27, 37)) | set(range(50, 59))


def extract_xlsx(ctx: Context, data: bytes, loc: str, depth: int, label: str) -> None:
    zf = TrackingZip(io.BytesIO(data))
    pkg = Package(zf)
    book = pkg.main_part() or "xl/workbook.xml"
    shared = _SharedStrings(_shared_strings(ctx, zf, pkg, book, loc, label))
    styles = _number_styles(ctx, zf, pkg, book, loc, label)
    sheets = _sheets(ctx, zf, pkg, book, loc, label)
    for name, info in sheets:
        where = f"{loc}#sheet:{name}"
        read = _read_sheet(ctx, zf, info, shared, styles, loc, label, where)
        if read is None:
            continue
        text, headers, footers, truncated = read
        del read
        ctx.segment(where, text, "sheet")
        del text
        if truncated:
            ctx.chars = ctx.limits.max_text_chars
            raise LimitReached("max_text_chars", where)
        ctx.segment(f"{where}:header", headers, "header")
        ctx.segment(f"{where}:footer", footers, "footer")
    del shared  # not needed by comments, drawings or embedded files
    # Sheet names are shown on the tabs: read them like any other text.
    ctx.segment(f"{loc}#sheet-names", "\n".join(name for name, _ in sheets), "field")
    _extra_text(
        ctx, zf, loc, label, r"xl/comments[^/]*\.xml|xl/(comments|threadedComments)/[^/]+\.xml", "comments", "comment"
    )
    _extra_text(ctx, zf, loc, label, r"xl/drawings/drawing\d*\.xml", "drawings", "body")
    extract_properties(ctx, zf, loc, label)
    extract_embeddings(ctx, zf, loc, depth, ("xl/embeddings/",), label)
    extract_rest(ctx, zf, loc, depth, label)


#: False makes every part go through the tree parser (the earlier implementation; benchmarks).
FAST = True


class _SharedStrings:
    """The shared-string table, kept escaped for the scanner and decoded only if a sheet needs it.

    Only one form is kept while the scanner is off; with it on, a sheet it hands to the tree
    parser makes both forms live, since later sheets are scanned again.
    """

    def __init__(self, raw: list[bytes]):
        self.raw = raw
        self._text: list[str] | None = None

    def text(self) -> list[str]:
        if self._text is None:
            self._text = [unescape(s) for s in self.raw]
            if not FAST:
                self.raw = []
        return self._text


def _fallback(exc: Exception, where: str) -> None:
    if not isinstance(exc, Unsupported):
        log.warning("xlsx scanner failed at %s, reading with the tree parser: %r", where, exc)


def _read_sheet(
    ctx: Context,
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    shared: _SharedStrings,
    styles: NumberStyles,
    loc: str,
    label: str,
    where: str,
) -> tuple[str, str, str, bool] | None:
    """(rows, headers, footers, cut at the text limit) of one sheet, or None if it was refused.

    The rows of a sheet split into parts are added as segments while it is read; then the
    returned rows are empty.
    """
    room = ctx.limits.max_text_chars - ctx.chars
    part_chars = ctx.limits.max_segment_chars

    def emit(text: str, first: int, last: int) -> None:
        ctx.segment(f"{where}:rows:{first}-{last}", text, "sheet")

    if FAST:
        stream = open_part(ctx, zf, info, loc, label)
        if stream is None:
            return None
        segments, chars = len(ctx.result.segments), ctx.chars
        try:
            with stream:
                return scan_sheet(
                    stream, shared.raw, styles.dates, room, lambda: ctx.check_time(where), part_chars, emit,
                    styles.formats,
                )
        except (LimitReached, MemoryError):
            raise
        except Exception as exc:  # Unsupported markup (or a scanner fault): the tree parser decides
            _fallback(exc, where)
            ctx.refund_bytes(stream.count)
            del ctx.result.segments[segments:]  # parts the scanner emitted are read again
            ctx.chars = chars
    stream = open_part(ctx, zf, info, loc, label)
    if stream is None:
        return None
    parts = RowParts(part_chars, room, emit)
    with stream:
        return _sheet_text(stream, shared.text(), styles, parts, lambda: ctx.check_time(where))


def _sheets(
    ctx: Context, zf: zipfile.ZipFile, pkg: Package, book: str, loc: str, label: str
) -> list[tuple[str, zipfile.ZipInfo]]:
    """(name, part) for every sheet in workbook order, hidden and very hidden ones included."""
    names = set(zf.namelist())
    targets = {rel.id: rel.target for rel in pkg.rels(book) if not rel.external}
    out: list[tuple[str, zipfile.ZipInfo]] = []
    seen: set[str] = set()
    data = read_part(ctx, zf, book, loc, label)
    if data:
        for el in parse(data, recover=True).iter():
            if local(el.tag) != "sheet":
                continue
            rid = next((v for k, v in el.attrib.items() if local(k) == "id"), "")
            path = targets.get(rid, "")
            if path in names and path not in seen:
                seen.add(path)
                out.append((el.get("name") or path, zf.getinfo(path)))
    # Sheets the workbook does not list are still in the file: read them too.
    related = pkg.related(book, "worksheet", "chartsheet", "dialogsheet", "xlMacrosheet")
    for info in [zf.getinfo(p) for p in related] + parts(zf, r"xl/(work|chart|dialog|macro)sheets/[^/]+\.xml"):
        if info.filename not in seen:
            seen.add(info.filename)
            out.append((posixpath.basename(info.filename), info))
    return out


def _shared_strings(ctx: Context, zf: zipfile.ZipFile, pkg: Package, book: str, loc: str, label: str) -> list[bytes]:
    """Shared strings as escaped UTF-8 (the scanner's form); the tree parser when it must."""
    found = pkg.related(book, "sharedStrings") or ["xl/sharedStrings.xml"]
    try:
        info = zf.getinfo(found[0])
    except KeyError:
        return []
    where = f"{loc}/{info.filename}"
    if FAST:
        stream = open_part(ctx, zf, info, loc, label)
        if stream is None:
            return []
        try:
            with stream:
                return scan_shared_strings(stream, lambda: ctx.check_time(where))
        except (LimitReached, MemoryError):
            raise
        except Exception as exc:
            _fallback(exc, where)
            ctx.refund_bytes(stream.count)
    strings: list[bytes] = []
    stream = open_part(ctx, zf, info, loc, label)
    if stream is None:
        return strings
    with stream:
        for n, (_, el) in enumerate(iterparse(stream, tag="{*}si")):
            # Phonetic runs (rPh) repeat the reading of East Asian text; skip them.
            text = "".join(t.text or "" for t in el.iter("{*}t") if local(t.getparent().tag) != "rPh")
            strings.append(escape(text))
            release(el)
            if n % 4096 == 0:
                ctx.check_time(where)
    return strings


@dataclass
class NumberStyles:
    """Cell styles whose number format shows a date, or adds text (``"身分證字號 D"0``)."""

    dates: set[int] = field(default_factory=set)
    formats: dict[int, Callable[[str], str]] = field(default_factory=dict)


def _number_styles(ctx: Context, zf: zipfile.ZipFile, pkg: Package, book: str, loc: str, label: str) -> NumberStyles:
    """Indexes of cell styles that display a date (serials are shown as dates) or literal text."""
    name = (pkg.related(book, "styles") or ["xl/styles.xml"])[0]
    data = read_part(ctx, zf, name, loc, label)
    if not data:
        return NumberStyles()
    root = parse(data, recover=True)
    custom: set[int] = set()
    literal: dict[int, Callable[[str], str]] = {}
    for fmt in root.iter("{*}numFmt"):
        raw = fmt.get("formatCode") or ""
        code = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", raw).lower()
        try:
            fid = int(fmt.get("numFmtId") or -1)
        except ValueError:
            continue
        if re.search(r"[ymd]", code) and "0.0" not in code:
            custom.add(fid)
            continue
        shown = literal_formatter(raw)
        if shown is not None:
            literal[fid] = shown
    out = NumberStyles()
    xfs = next(root.iter("{*}cellXfs"), None)
    if xfs is not None:
        for i, xf in enumerate(xfs.iter("{*}xf")):
            try:
                fid = int(xf.get("numFmtId") or 0)
            except ValueError:
                continue
            if fid in _BUILTIN_DATE_FORMATS or fid in custom:
                out.dates.add(i)
            elif fid in literal:
                out.formats[i] = literal[fid]
    return out


def _cell_value(c, ns: str, shared: list[str], styles: NumberStyles) -> str:
    kind = c.get("t") or "n"
    if kind == "inlineStr":
        return "".join(t.text or "" for t in c.iter(ns + "t") if local(t.getparent().tag) != "rPh")
    v = c.findtext(ns + "v")
    if not v:
        f = c.findtext(ns + "f")
        return f"={f}" if f else ""
    if kind == "s":
        try:
            i = int(v)
            return shared[i] if i >= 0 else ""
        except (ValueError, IndexError):
            return ""
    if kind == "b":
        return "TRUE" if v == "1" else "FALSE"
    if kind == "n":
        style = c.get("s")
        index = int(style) if style is not None and style.isdigit() else -1
        if index in styles.formats:
            return styles.formats[index](v)
        return format_number(v, index in styles.dates)
    return v


_HF_TAGS = ("oddHeader", "evenHeader", "firstHeader", "oddFooter", "evenFooter", "firstFooter")


def _sheet_text(
    stream: IO[bytes], shared: list[str], styles: NumberStyles, parts: RowParts, check: Callable[[], None]
) -> tuple[str, str, str, bool]:
    """The tree-parser reading of a sheet (any well-formed XML): same output as the scanner.

    Only row and header/footer elements raise events; cells are read from each finished row.
    """
    rownum = 0
    headers: list[str] = []
    footers: list[str] = []
    tags = ("{*}row",) + tuple("{*}" + t for t in _HF_TAGS)
    for n, (_, el) in enumerate(iterparse(stream, tag=tags)):
        tag = el.tag
        ns = tag[: tag.index("}") + 1] if tag.startswith("{") else ""
        name = tag[len(ns) :]
        if name == "row":
            rownum = row_number(el.get("r"), rownum)
            cells = [_cell_value(c, ns, shared, styles) for c in el]
            row = "\t".join(v for v in cells if v)
            if row:
                if parts.header is None:
                    parts.header = row
                parts.add(row, rownum, rownum)
            release(el)
            if n % 1024 == 0:
                check()
            if parts.total > parts.room:
                break
        else:
            text = header_footer(el.text or "")
            if text:
                (headers if name.endswith("Header") else footers).append(text)
    text, truncated = parts.finish()
    return text, "\n".join(dict.fromkeys(headers)), "\n".join(dict.fromkeys(footers)), truncated


def _extra_text(ctx: Context, zf: zipfile.ZipFile, loc: str, label: str, pattern: str, suffix: str, role: str) -> None:
    chunks: list[str] = []
    for info in parts(zf, pattern):
        stream = open_part(ctx, zf, info, loc, label)
        if stream is None:
            continue
        with stream:
            for _, el in iterparse(stream, tag=("{*}t", "{*}text", "{*}cNvPr")):
                text = alt_text(el) if local(el.tag) == "cNvPr" else (el.text or "").strip()
                if text:
                    chunks.append(text)
    ctx.segment(f"{loc}#{suffix}", "\n".join(chunks), role)
