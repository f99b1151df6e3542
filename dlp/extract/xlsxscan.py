"""A fast scanner for SpreadsheetML parts (sheets and the shared-string table).

Big workbooks hold millions of cells; building an element per cell (lxml) costs about 2 s per
10 MB of .xlsx before any Python work. This module reads the part as a byte stream instead and
picks cells out with one compiled regular expression per chunk, keeping text in its escaped XML
form until a whole chunk is unescaped at once by libxml2 (character references are decoded in C).

It accepts only the plain subset of XML that spreadsheet writers produce: UTF-8, one prefix
(possibly none) bound to the SpreadsheetML namespace on the root element, no comments, CDATA,
processing instructions or namespace declarations inside the data. Anything else makes
:func:`scan_sheet`/:func:`scan_shared_strings` return ``None`` and the caller re-reads the part
with the tree parser, so unusual files are slower, never read less.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import IO

from lxml import etree

#: Bytes read from the part per step; a chunk is cut after its last complete cell. Small enough
#: that the matches of one chunk (a few objects per cell) stay a few megabytes.
READ_SIZE = 256 * 1024
#: A chunk with no cell end in this many bytes is not a spreadsheet we can scan cheaply.
MAX_PENDING = 64 * 1024 * 1024

_MAIN_NS = {
    b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    b"http://purl.oclc.org/ooxml/spreadsheetml/main",
}
_ROOT = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml(\s[^?]*)\?>)?\s*<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)(\s[^>]*)?>"
)
_ENCODING = re.compile(rb"""encoding\s*=\s*["']([^"']*)["']""")
_XMLNS = re.compile(rb"""xmlns(?::([\w.-]+))?\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ATTR = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")

# Cell kinds, decided once per distinct attribute string.
NUMBER, DATE, SHARED, INLINE, BOOL, RAW = range(6)
#: Kinds from FORMATTED on are numbers shown through a format with text: FORMATTED + its index.
FORMATTED = 100
_KINDS = {b"n": NUMBER, b"s": SHARED, b"inlineStr": INLINE, b"b": BOOL}
_HF_NAMES = ("oddHeader", "evenHeader", "firstHeader", "oddFooter", "evenFooter", "firstFooter")

# Unescaping: libxml2 decodes character references and the five predefined entities in C.
_TEXT_PARSER = etree.XMLParser(
    resolve_entities=False, load_dtd=False, no_network=True, huge_tree=True, remove_comments=True
)
_ENTITY = re.compile(r"&(?:#([0-9]+)|#[xX]([0-9a-fA-F]+)|(lt|gt|amp|quot|apos));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


def unescape(raw: bytes) -> str:
    """Text content of an XML element (escaped, UTF-8) as a string, decoded like a parser would."""
    if b"&" not in raw and b"\r" not in raw:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return _py_unescape(raw)
    try:
        el = etree.fromstring(b"<a>" + raw + b"</a>", _TEXT_PARSER)
    except etree.XMLSyntaxError:
        return _py_unescape(raw)
    if len(el):  # an undefined entity kept as a node: decode by hand instead
        return _py_unescape(raw)
    return el.text or ""


def _py_unescape(raw: bytes) -> str:
    """Lenient fallback: unknown entities and invalid characters are kept, never dropped."""
    text = raw.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")

    def sub(m: re.Match[str]) -> str:
        if m.group(3):
            return _NAMED[m.group(3)]
        try:
            return chr(int(m.group(1)) if m.group(1) else int(m.group(2), 16))
        except (ValueError, OverflowError):
            return m.group(0)

    return _ENTITY.sub(sub, text)


def unescape_lines(lines: list[bytes]) -> list[str]:
    """:func:`unescape` of each line, with one parse for all of them when it can."""
    try:
        root = etree.fromstring(b"<r><a>" + b"</a><a>".join(lines) + b"</a></r>", _TEXT_PARSER)
    except etree.XMLSyntaxError:
        root = None
    if root is None or len(root) != len(lines) or any(len(a) for a in root):
        return [unescape(line) for line in lines]
    return [a.text or "" for a in root]


def escape(text: str) -> bytes:
    """The inverse of :func:`unescape` for text that is re-inserted into escaped output."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace("\r", "&#13;").encode("utf-8")


def format_number(v: str, is_date: bool) -> str:
    """A cell's number as shown: integers without ``.0``, date-styled serials as dates."""
    try:
        num = float(v)
    except ValueError:
        return v
    if is_date and 0 < num < 2958466:
        day = datetime(1899, 12, 30) + timedelta(days=num)
        return day.strftime("%Y-%m-%d") if num == int(num) else day.strftime("%Y-%m-%d %H:%M")
    if num.is_integer() and abs(num) < 1e16:
        return str(int(num))
    return v


class Unsupported(Exception):
    """The part uses XML the scanner does not handle; read it with the tree parser."""


@dataclass(frozen=True)
class _Patterns:
    cell: re.Pattern[bytes]
    v: re.Pattern[bytes]
    f: re.Pattern[bytes]
    t: re.Pattern[bytes]
    rph: re.Pattern[bytes]
    hf: re.Pattern[bytes]
    si: re.Pattern[bytes]
    si_open: bytes
    cell_end: bytes
    row_end: bytes
    si_end: bytes
    data_open: bytes
    data_close: bytes


@functools.lru_cache(maxsize=8)
def _patterns(prefix: bytes) -> _Patterns:
    p = re.escape(prefix)
    opt_attrs = rb"(?:\s[^>]*)?"
    cell = re.compile(
        # <c r="A1" s="3" t="s">: the r attribute is skipped so that equal attribute strings repeat.
        rb"<" + p + rb"c(?:\s+r=\"[A-Z]{1,3}[0-9]{1,7}\")?(\s[^>]*)?(?<!/)>"
        rb"(?:(?:<" + p + rb"f" + opt_attrs + rb"(?:/>|(?<!/)>[^<]*</" + p + rb"f>))?"
        rb"<" + p + rb"v>([^<]+)</" + p + rb"v>"  # a value, maybe after its formula
        rb"|<" + p + rb"is><" + p + rb"t>([^<]*)</" + p + rb"t></" + p + rb"is>"  # a plain inline string
        rb"|(.*?))</" + p + rb"c>"  # anything else: parsed below
        rb"|(</" + p + rb"row>|<[!?])"  # a row's end, or markup the scanner refuses
        # A row's start, for its number: 'row r="12"' when r comes first (as writers put it).
        rb"|<" + p + rb"(row(?:\s+r=\"[0-9]{1,9}\"(?=[\s/>])|(?=[\s/>])[^>]*))[^>]*>",
        re.S,
    )
    return _Patterns(
        cell=cell,
        v=re.compile(rb"<" + p + rb"v" + opt_attrs + rb"(?<!/)>([^<]*)</" + p + rb"v>"),
        f=re.compile(rb"<" + p + rb"f" + opt_attrs + rb"(?<!/)>([^<]*)</" + p + rb"f>"),
        t=re.compile(rb"<" + p + rb"t" + opt_attrs + rb"(?<!/)>([^<]*)</" + p + rb"t>"),
        rph=re.compile(rb"<" + p + rb"rPh\b.*?</" + p + rb"rPh>", re.S),
        hf=re.compile(
            rb"<" + p + rb"(" + b"|".join(n.encode() for n in _HF_NAMES) + rb")" + opt_attrs + rb"(?<!/)>([^<]*)</"
        ),
        si=re.compile(
            rb"<"
            + p
            + rb"si\s*(?:/>|>(?:<"
            + p
            + rb"t(?: xml:space=\"preserve\")?>([^<]*)</"
            + p
            + rb"t>|(.*?))</"
            + p
            + rb"si>)",
            re.S,
        ),
        si_open=b"<" + prefix + b"si",
        cell_end=b"</" + prefix + b"c>",
        row_end=b"</" + prefix + b"row>",
        si_end=b"</" + prefix + b"si>",
        data_open=b"<" + prefix + b"sheetData",
        data_close=b"</" + prefix + b"sheetData>",
    )


def _read_root(stream: IO[bytes], first: bytes) -> tuple[bytes, bytes]:
    """Check the XML declaration and root element; return (prefix, bytes after the root tag)."""
    buf = first
    while True:
        m = _ROOT.match(buf)
        if m:
            break
        if len(buf) > 1024 * 1024 or (b">" in buf[:4096] and b"<!" in buf[:4096]):
            raise Unsupported("prolog")
        more = stream.read(READ_SIZE)
        if not more:
            raise Unsupported("no root element")
        buf += more
    decl, prefix, attrs = m.group(1) or b"", m.group(2) or b"", m.group(4) or b""
    enc = _ENCODING.search(decl)
    if enc and enc.group(1).lower().replace(b"-", b"") not in (b"utf8",):
        raise Unsupported("encoding")
    bound = [(pfx or b"", a or b) for pfx, a, b in _XMLNS.findall(attrs)]
    main = [pfx for pfx, uri in bound if uri in _MAIN_NS]
    if main != [prefix[:-1]] or b"&" in attrs:
        raise Unsupported("namespace")
    return prefix, buf[m.end() :]


def _chunks(stream: IO[bytes], rest: bytes, ends: tuple[bytes, ...]) -> Callable[[], bytes | None]:
    """Yield pieces of the part that end right after one of ``ends`` (the last piece: at EOF)."""
    state = {"buf": rest, "eof": False}

    def next_chunk() -> bytes | None:
        buf: bytes = state["buf"]  # type: ignore[assignment]
        if state["eof"]:
            state["buf"] = b""
            return buf or None
        while True:
            more = stream.read(READ_SIZE)
            if not more:
                state["eof"] = True
                state["buf"] = b""
                return buf or None
            buf += more
            cut = max(buf.rfind(e) + len(e) if buf.rfind(e) >= 0 else -1 for e in ends)
            if cut > 0:
                state["buf"] = buf[cut:]
                return buf[:cut]
            if len(buf) > MAX_PENDING:
                raise Unsupported("no cell end")

    return next_chunk


def _guard(chunk: bytes) -> None:
    """Refuse markup the regular expressions would misread."""
    if b"<!" in chunk or b"<?" in chunk:
        raise Unsupported("comment, CDATA or processing instruction")


class SheetScan:
    """What one sheet's cells are read with: shared strings, date styles, known attribute sets."""

    def __init__(self, shared: list[bytes], dates: set[int], formats: dict[int, Callable[[str], str]] | None = None):
        self.shared = shared
        self.dates = dates
        self.formats = formats or {}
        self.formatters: list[Callable[[str], str]] = []
        self.kinds: dict[bytes, int] = {}

    def kind(self, attrs: bytes) -> int:
        """Kind of a cell from its attributes (other than r), remembered per attribute string."""
        kind = self.kinds.get(attrs)
        if kind is not None:
            return kind
        t, s = b"n", b""
        for name, a, b in _ATTR.findall(attrs):
            value = a or b
            if b"&" in value:
                value = unescape(value).encode("utf-8")
            if name == b"t":
                t = value
            elif name == b"s":
                s = value
        kind = _KINDS.get(t, RAW)
        if kind == NUMBER and s.strip().isdigit() and int(s) in self.dates:
            kind = DATE
        elif kind == NUMBER and s.strip().isdigit() and int(s) in self.formats:
            kind = FORMATTED + self._formatter(int(s))
        if b"<" in attrs or b"xmlns" in attrs:
            raise Unsupported("markup in a cell's attributes")
        if len(self.kinds) < 4096:
            self.kinds[attrs] = kind
        return kind

    def _formatter(self, style: int) -> int:
        """The index of ``style``'s formatter in :attr:`formatters` (added on first use)."""
        shown = self.formats[style]
        for i, known in enumerate(self.formatters):
            if known is shown:
                return i
        self.formatters.append(shown)
        return len(self.formatters) - 1

    def value(self, kind: int, v: bytes) -> bytes:
        """A cell's displayed value (escaped) from its kind and its non-empty <v> text."""
        if kind >= FORMATTED:
            return escape(self.formatters[kind - FORMATTED](v.decode("utf-8", "replace")))
        if kind == NUMBER:
            if v.isdigit() and (v[0] != 48 or len(v) == 1):
                return v
            if b"." in v and 48 < v[-1] <= 57 and b"E" not in v and b"e" not in v:  # 1.25, not 1.0
                return v
            if v[-2:] == b".0" and len(v) <= 17 and v[:-2].isdigit() and (v[0] != 48 or len(v) == 3):
                return v[:-2]  # 7.0 is shown as 7 (float-exact: at most 15 digits)
            return format_number(v.decode("utf-8", "replace"), False).encode("utf-8")
        if kind == SHARED:
            try:
                i = int(v)
                return self.shared[i] if i >= 0 else b""
            except (ValueError, IndexError):
                return b""
        if kind == DATE:
            return format_number(v.decode("utf-8", "replace"), True).encode("utf-8")
        if kind == BOOL:
            return b"TRUE" if v == b"1" else b"FALSE"
        if kind == INLINE:
            return b""
        return v

    def other(self, pats: _Patterns, kind: int, body: bytes) -> bytes:
        """A cell whose content is not one plain value: rich inline text, formulas, attributes."""
        if b"<!" in body or b"<?" in body or b"xmlns" in body:
            raise Unsupported("comment, CDATA or namespace declaration in a cell")
        if kind == INLINE:
            return b"".join(pats.t.findall(pats.rph.sub(b"", body)))
        m = pats.v.search(body)
        if m and m.group(1):
            return self.value(kind, m.group(1))
        m = pats.f.search(body)
        return b"=" + m.group(1) if m and m.group(1) else b""


_ROW_NUMBER = re.compile(rb"""\sr\s*=\s*["']\s*([0-9]{1,9})\s*["']""")


def row_number(value: str | None, previous: int) -> int:
    """A row's 1-based number: its ``r`` attribute, else the one after the previous row."""
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else previous + 1


class RowParts:
    """A sheet's rows as text: one text while it fits in ``size`` characters, else parts.

    Rows come in pieces (one or more whole rows joined by newlines) with the sheet row numbers
    of their first and last row. While all rows fit in ``size`` characters they are kept and
    :meth:`finish` returns them as one text, as the readers always did. Once they do not, each
    part is handed to ``emit(text, first_row, last_row)`` as soon as it is full, and its pieces
    are released, so that the pieces and a string of the whole sheet never coexist. Parts end at
    row ends and hold at most ``size`` characters (a longer single row makes a part of its own);
    every part after the first begins with :attr:`header`, the sheet's first non-empty row, so
    that column labels still apply to the values below them (it is not in the part's row range).

    ``room`` is the text limit left for the sheet: :attr:`total` counts row text as the readers
    always did (a reader stops once it passes ``room``) and :meth:`finish` cuts the text there.
    """

    def __init__(self, size: int, room: int, emit: Callable[[str, int, int], None] | None = None):
        self.size = size if emit is not None and size > 0 else sys.maxsize
        self.room = room
        self.emit = emit
        self.header: str | None = None
        self.total = 0  # characters of row text added, a newline counted after each piece
        self.parts = 0  # parts emitted
        self._pieces: list[str] = []
        self._lasts: list[int] = []  # last row number of each pending piece
        self._first = 0  # first row number of the pending part
        self._length = 0  # length of the pending part's text (the repeated header included)
        self._emitted = 0  # what :attr:`total` counted for the emitted parts' rows

    def fits(self, n: int) -> bool:
        """Whether a piece of ``n`` characters still fits in the pending part."""
        return self._length + (1 if self._pieces or self.parts else 0) + n <= self.size

    def add(self, piece: str, first: int, last: int) -> None:
        """Add whole rows; the pending part is emitted first if they would not fit in it."""
        if self._pieces and not self.fits(len(piece)) and self.total <= self.room:
            self._flush()
        self._length += (1 if self._pieces or self.parts else 0) + len(piece)
        if not self._pieces:
            self._first = first
        self._pieces.append(piece)
        self._lasts.append(last)
        self.total += len(piece) + 1

    def _flush(self) -> None:
        pieces = self._pieces
        text = "\n".join([self.header or "", *pieces] if self.parts else pieces)
        first, last = self._first, self._lasts[-1]
        self._emitted += sum(len(p) for p in pieces) + len(pieces)
        pieces.clear()
        self._lasts.clear()
        self.parts += 1
        self._length = len(self.header or "")
        assert self.emit is not None
        self.emit(text, first, last)

    def finish(self) -> tuple[str, bool]:
        """(the text, whether it was cut at the limit); once split, the last part is emitted
        here and the text is empty."""
        room = self.room - self._emitted
        if not self.parts:
            return join_limited(self._pieces, room)
        last = None
        total = 0
        for piece, row in zip(self._pieces, self._lasts):
            if total + len(piece) > room:
                if room > total:
                    last = row
                break
            last = row
            total += len(piece) + 1
        header = self.header or ""
        self._pieces.insert(0, header)
        text, truncated = join_limited(self._pieces, room + len(header) + 1)
        if last is not None:
            assert self.emit is not None
            self.emit(text, self._first, last)
        return "", truncated


def scan_sheet(
    stream: IO[bytes],
    shared: list[bytes],
    dates: set[int],
    room: int,
    check: Callable[[], None],
    part_chars: int = 0,
    emit: Callable[[str, int, int], None] | None = None,
    formats: dict[int, Callable[[str], str]] | None = None,
) -> tuple[str, str, str, bool]:
    """Rows as tab-separated lines, print headers and footers, and whether the rows were cut
    at ``room`` characters (reading stops there; the caller reports the limit).

    With ``emit``, rows beyond ``part_chars`` characters are handed to it in parts (see
    :class:`RowParts`) and the returned text is empty.

    Raises :class:`Unsupported` for markup it does not handle.
    """
    prefix, rest = _read_root(stream, stream.read(READ_SIZE))
    pats = _patterns(prefix)
    scan = SheetScan(shared, dates, formats)
    parts = RowParts(part_chars, room, emit)
    rownum = 0
    next_chunk = _chunks(stream, rest, (pats.cell_end, pats.row_end))
    findall = pats.cell.findall
    kinds = scan.kinds
    kind_of = scan.kind
    value = scan.value
    shared = scan.shared
    dates_seen: dict[bytes, bytes] = {}
    row: list[bytes] = []
    headers: list[str] = []
    footers: list[str] = []
    in_data = False
    tab = b"\t"
    while parts.total <= room:
        chunk = next_chunk()
        if chunk is None:
            break
        check()
        # Namespace declarations are only refused inside sheetData (extLst after it has many).
        start = 0 if in_data else chunk.find(pats.data_open)
        if start >= 0:
            end = chunk.find(pats.data_close, start)
            in_data = end < 0
            if chunk.find(b"xmlns", start, len(chunk) if end < 0 else end) >= 0:
                raise Unsupported("namespace declaration in sheetData")
        lines: list[bytes] = []
        nums: list[int] = []
        # The hot loop: about 1.5 million cells per 10 MB; the common kinds are handled inline.
        for attrs, v, t, other, row_end, row_open in findall(chunk):
            if v:
                kind = kinds.get(attrs)
                if kind is None:
                    kind = kind_of(attrs)
                if kind == SHARED:
                    if v.isdigit():
                        try:
                            val = shared[int(v)]
                        except IndexError:
                            continue
                    else:
                        val = value(kind, v)
                elif kind == NUMBER and v.isdigit() and (v[0] != 48 or len(v) == 1):
                    val = v
                elif kind == DATE:
                    val = dates_seen.get(v)
                    if val is None:
                        val = value(kind, v)
                        if len(dates_seen) < 65536:
                            dates_seen[v] = val
                else:
                    val = value(kind, v)
            elif t:
                kind = kinds.get(attrs)
                if kind is None:
                    kind = kind_of(attrs)
                if kind != INLINE:
                    continue
                val = t
            elif row_end:
                if row_end[1] != 47:  # "<!" or "<?", not "</"
                    raise Unsupported("comment, CDATA or processing instruction")
                if row:
                    lines.append(tab.join(row))
                    nums.append(rownum)
                    row = []
                continue
            elif row_open:
                if row_open[4:7] == b'r="':
                    rownum = int(row_open[7:-1])
                else:
                    m = _ROW_NUMBER.search(row_open)
                    rownum = row_number(m.group(1).decode() if m else None, rownum)
                continue
            elif other:
                kind = kinds.get(attrs)
                if kind is None:
                    kind = kind_of(attrs)
                val = scan.other(pats, kind, other)
            else:
                continue
            if val:
                row.append(val)
        if lines:
            if parts.header is None:
                parts.header = unescape(lines[0])
            text = unescape(b"\n".join(lines))
            if parts.fits(len(text)):
                parts.add(text, nums[0], nums[-1])
            else:  # a part ends inside this chunk: its rows one by one
                del text
                for line, num in zip(unescape_lines(lines), nums):
                    parts.add(line, num, num)
        if b"Header" in chunk or b"Footer" in chunk:
            for name, raw in pats.hf.findall(chunk):
                (headers if name.endswith(b"Header") else footers).append(unescape(raw))
    if row and parts.total <= room:
        line = unescape(tab.join(row))
        if parts.header is None:
            parts.header = line
        parts.add(line, rownum, rownum)
    text, truncated = parts.finish()
    return text, _header_footer_text(headers), _header_footer_text(footers), truncated


def join_limited(pieces: list[str], room: int) -> tuple[str, bool]:
    """``"\n".join(pieces)`` cut to at most ``room`` characters (and whether it was cut).

    Cutting the pieces before joining spares a copy of the whole text, the largest allocation.
    """
    total = 0
    for i, piece in enumerate(pieces):
        end = total + len(piece)
        if end > room:
            keep = room - total
            if keep < 0:
                del pieces[i:]
            else:
                pieces[i] = piece[:keep]
                del pieces[i + 1 :]
            text = "\n".join(pieces)
            pieces.clear()
            return text, True
        total = end + 1
    text = "\n".join(pieces)
    pieces.clear()
    return text, False


def _header_footer_text(codes: list[str]) -> str:
    texts = [header_footer(c) for c in codes]
    return "\n".join(dict.fromkeys(t for t in texts if t))


_HF_CODE = re.compile(r'&"[^"]*"|&K[0-9A-Fa-f]{6}|&K\d{2}[+-]\d{3}|&\d+|&[LCRPNDTFABIUESXYOHGZ]', re.IGNORECASE)


def header_footer(code: str) -> str:
    """Print header/footer codes (&L, &C, &"Font,Bold", &P ...) removed; sections on lines."""
    code = code.replace("&&", "\x00")
    parts = re.split(r"&[LCR]", code)
    out = [_HF_CODE.sub("", p).replace("\x00", "&").strip() for p in parts]
    return "\n".join(p for p in out if p)


def scan_shared_strings(stream: IO[bytes], check: Callable[[], None]) -> list[bytes]:
    """The shared-string table as escaped UTF-8 text, phonetic readings left out."""
    prefix, rest = _read_root(stream, stream.read(READ_SIZE))
    pats = _patterns(prefix)
    next_chunk = _chunks(stream, rest, (pats.si_end,))
    out: list[bytes] = []
    while True:
        chunk = next_chunk()
        if chunk is None:
            break
        check()
        _guard(chunk)
        if b"xmlns" in chunk:
            raise Unsupported("namespace declaration in data")
        found = pats.si.findall(chunk)
        if len(found) != chunk.count(pats.si_open):
            raise Unsupported("shared string items")
        for simple, other in found:
            if simple or not other:
                out.append(simple)
            else:
                out.append(b"".join(pats.t.findall(pats.rph.sub(b"", other))))
    return out
