"""Compound-file (OLE/CFB) formats: encrypted OOXML, Word/Excel/PowerPoint 97-2003, Outlook .msg.

.doc text is read through its piece table ([MS-DOC] FIB -> Clx -> PlcPcd), .ppt through its
text atoms ([MS-PPT]), .xls with xlrd. Layout details beyond that (fields, tables) are flattened.
"""

from __future__ import annotations

import re
import struct
from typing import Any

from dlp.extract.context import Context, Encrypted, Unreadable
from dlp.extract.dispatch import extract_into
from dlp.extract.text import decode_text


def _open(data: bytes) -> Any:
    import olefile

    try:
        return olefile.OleFileIO(data)
    except Exception as exc:
        raise Unreadable("OLE 複合文件已損毀或不完整，無法讀取") from exc


def _stream(ole: Any, name: str, ctx: Context, loc: str) -> bytes:
    size = ole.get_size(name)
    if size > ctx.bytes_left():
        ctx.charge_bytes(size, loc)  # raises LimitReached
    data = ole.openstream(name).read()
    ctx.charge_bytes(len(data), loc)
    return data


def extract_encrypted_ooxml(ctx: Context, data: bytes, loc: str, depth: int, label: str) -> None:
    raise Encrypted("Office 文件以密碼保護（加密），無法檢查")


# -- Word 97-2003 -----------------------------------------------------------------------------

_FIELD_BEGIN, _FIELD_SEP, _FIELD_END = "\x13", "\x14", "\x15"


def _clean_word(text: str) -> str:
    """Drop field codes (keep field results) and map Word's control characters."""
    out: list[str] = []
    stack: list[bool] = []  # per open field: are we still in its code part?
    for ch in text:
        if ch == _FIELD_BEGIN:
            stack.append(True)
        elif ch == _FIELD_SEP:
            if stack:
                stack[-1] = False
        elif ch == _FIELD_END:
            if stack:
                stack.pop()
        elif stack and stack[-1]:
            continue
        elif ch in "\r\x0b\x0c":
            out.append("\n")
        elif ch == "\x07":
            out.append("\t")
        elif ch in "\x01\x08\x02\x05":
            continue
        else:
            out.append(ch)
    return "".join(out)


def _doc_text(word: bytes, table: bytes) -> str:
    fc_clx, lcb_clx = struct.unpack_from("<II", word, 0x1A2)
    clx = table[fc_clx : fc_clx + lcb_clx]
    pos = 0
    while pos < len(clx) and clx[pos] == 0x01:  # Prc entries (formatting) come first
        (cb,) = struct.unpack_from("<H", clx, pos + 1)
        pos += 3 + cb
    if pos >= len(clx) or clx[pos] != 0x02:
        raise Unreadable("Word 文件的文字索引損毀，無法讀取")
    (lcb,) = struct.unpack_from("<I", clx, pos + 1)
    plc = clx[pos + 5 : pos + 5 + lcb]
    n = (len(plc) - 4) // 12
    cps = struct.unpack_from(f"<{n + 1}I", plc, 0)
    chunks: list[str] = []
    for i in range(n):
        _, fc_raw, _ = struct.unpack_from("<HIH", plc, 4 * (n + 1) + 8 * i)
        count = cps[i + 1] - cps[i]
        if count <= 0 or count > 50_000_000:
            continue
        if fc_raw & 0x40000000:
            start = (fc_raw & 0x3FFFFFFF) // 2
            chunks.append(word[start : start + count].decode("cp1252", "replace"))
        else:
            start = fc_raw & 0x3FFFFFFF
            chunks.append(word[start : start + 2 * count].decode("utf-16-le", "replace"))
    return "".join(chunks)


def extract_doc(ctx: Context, data: bytes, loc: str, depth: int, label: str) -> None:
    ole = _open(data)
    word = _stream(ole, "WordDocument", ctx, loc)
    if len(word) < 0x1AA or struct.unpack_from("<H", word, 0)[0] != 0xA5EC:
        raise Unreadable("Word 97-2003 文件格式不符或已損毀，無法讀取")
    (flags,) = struct.unpack_from("<H", word, 0x0A)
    if flags & 0x0100:
        raise Encrypted("Word 97-2003 文件以密碼保護（加密），無法檢查")
    table_name = "1Table" if flags & 0x0200 else "0Table"
    if not ole.exists(table_name):
        raise Unreadable("Word 97-2003 文件缺少文字索引，無法讀取")
    text = _doc_text(word, _stream(ole, table_name, ctx, loc))
    ccp_text, ccp_ftn, ccp_hdd = struct.unpack_from("<3I", word, 0x4C)
    body = text[:ccp_text]
    notes = text[ccp_text : ccp_text + ccp_ftn]
    headers = text[ccp_text + ccp_ftn : ccp_text + ccp_ftn + ccp_hdd]
    rest = text[ccp_text + ccp_ftn + ccp_hdd :]
    ctx.segment(f"{loc}#body", _clean_word(body).strip("\n"), "body")
    # Headers and footers share one story in .doc; all of it is a stamp position.
    ctx.segment(f"{loc}#header", _clean_word(headers).strip("\n"), "header")
    ctx.segment(f"{loc}#footnotes", _clean_word(notes).strip("\n"), "body")
    ctx.segment(f"{loc}#other", _clean_word(rest).strip("\n"), "body")


# -- Excel 97-2003 ----------------------------------------------------------------------------


def extract_xls(ctx: Context, data: bytes, loc: str, depth: int, label: str) -> None:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True, logfile=_Null())
    except xlrd.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise Encrypted("Excel 97-2003 試算表以密碼保護（加密），無法檢查") from exc
        raise Unreadable("Excel 97-2003 試算表已損毀，無法讀取") from exc
    for index in range(book.nsheets):
        ctx.check_time(loc)
        sheet = book.sheet_by_index(index)
        lines: list[str] = []
        for r in range(sheet.nrows):
            cells = [_xls_value(book, c) for c in sheet.row(r)]
            row = "\t".join(v for v in cells if v)
            if row:
                lines.append(row)
        ctx.segment(f"{loc}#sheet:{sheet.name}", "\n".join(lines), "sheet")
        book.unload_sheet(index)


def _xls_value(book: Any, cell: Any) -> str:
    import xlrd

    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        v = cell.value
        return str(int(v)) if float(v).is_integer() else str(v)
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate_as_datetime(cell.value, book.datemode).strftime("%Y-%m-%d")
        except Exception:
            return str(cell.value)
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if cell.value else "FALSE"
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return ""
    return str(cell.value)


class _Null:
    def write(self, *_: Any) -> None:
        pass


# -- PowerPoint 97-2003 -----------------------------------------------------------------------

_TEXT_CHARS, _TEXT_BYTES, _CSTRING = 0x0FA0, 0x0FA8, 0x0FBA
_CRYPT_SESSION = 0x2F14


def ppt_text(stream: bytes) -> list[str]:
    """Text atoms in stream order. Containers (recVer 0xF) are entered, atoms read or skipped."""
    out: list[str] = []
    pos = 0
    end = len(stream)
    while pos + 8 <= end:
        ver_inst, rtype, rlen = struct.unpack_from("<HHI", stream, pos)
        if rtype == _CRYPT_SESSION:
            raise Encrypted("PowerPoint 97-2003 簡報以密碼保護（加密），無法檢查")
        if ver_inst & 0x000F == 0x000F:
            pos += 8
            continue
        body = stream[pos + 8 : pos + 8 + rlen]
        if rtype in (_TEXT_CHARS, _CSTRING):
            out.append(body.decode("utf-16-le", "replace"))
        elif rtype == _TEXT_BYTES:
            out.append(body.decode("latin-1"))
        pos += 8 + rlen
    return [t.replace("\r", "\n").replace("\x0b", "\n") for t in out if t.strip()]


def extract_ppt(ctx: Context, data: bytes, loc: str, depth: int, label: str) -> None:
    ole = _open(data)
    if ole.exists("EncryptedSummary"):
        raise Encrypted("PowerPoint 97-2003 簡報以密碼保護（加密），無法檢查")
    texts = ppt_text(_stream(ole, "PowerPoint Document", ctx, loc))
    ctx.segment(f"{loc}#slides", "\n".join(dict.fromkeys(texts)), "slide")


# -- Outlook .msg -----------------------------------------------------------------------------


def _msg_string(ole: Any, prefix: str, prop: str, ctx: Context, loc: str) -> str:
    for suffix, enc in (("001F", "utf-16-le"), ("001E", None)):
        name = f"{prefix}__substg1.0_{prop}{suffix}"
        if ole.exists(name):
            raw = _stream(ole, name, ctx, loc)
            text = raw.decode(enc, "replace") if enc else decode_text(raw)
            return text.rstrip("\x00")
    return ""


def extract_msg(ctx: Context, data: bytes, loc: str, depth: int, label: str) -> None:
    ole = _open(data)
    ctx.segment(f"{loc}#subject", _msg_string(ole, "", "0037", ctx, loc), "subject")
    body = _msg_string(ole, "", "1000", ctx, loc)
    if not body.strip() and ole.exists("__substg1.0_10130102"):
        from dlp.extract.htmltext import html_to_text

        body = html_to_text(decode_text(_stream(ole, "__substg1.0_10130102", ctx, loc)))
    ctx.segment(f"{loc}#body", body, "body")
    storages = sorted(
        {e[0] for e in ole.listdir(streams=True, storages=True) if e[0].startswith("__attach_version1.0_")}
    )
    for n, storage in enumerate(storages, start=1):
        ctx.check_time(loc)
        prefix = f"{storage}/"
        name = _msg_string(ole, prefix, "3707", ctx, loc) or _msg_string(ole, prefix, "3704", ctx, loc) or f"附件{n}"
        name = re.sub(r"[/\\#]", "_", name)
        data_name = f"{prefix}__substg1.0_37010102"
        if ole.exists(data_name):
            extract_into(ctx, _stream(ole, data_name, ctx, loc), f"{loc}/{name}", depth + 1)
        else:
            ctx.unreadable(f"{loc}/{name}", "Outlook 郵件內嵌的郵件或物件，無法檢查", "Outlook 內嵌物件")


def extract_cfb(ctx: Context, data: bytes, loc: str, depth: int, label: str) -> None:
    """Other OLE files (embedded objects): equations are listed, anything else is unreadable."""
    ole = _open(data)
    if ole.exists("Equation Native"):
        ctx.not_inspected(loc, "內嵌方程式物件，未檢查")
        return
    raise Unreadable("無法檢查的 OLE 複合文件（內嵌物件）")


# -- RTF --------------------------------------------------------------------------------------

_RTF_TOKEN = re.compile(rb"\\([a-zA-Z]+)(-?\d+)? ?|\\'([0-9a-fA-F]{2})|\\(.)|([{}])|([^\\{}\r\n]+)|[\r\n]+", re.S)
_RTF_SKIP = {
    b"fonttbl",
    b"colortbl",
    b"stylesheet",
    b"info",
    b"pict",
    b"object",
    b"objdata",
    b"themedata",
    b"datastore",
    b"latentstyles",
    b"listtable",
    b"listoverridetable",
    b"rsidtbl",
    b"generator",
    b"xmlnstbl",
    b"mmathPr",
    b"fldinst",
    b"colorschememapping",
    b"filetbl",
    b"revtbl",
    b"bkmkstart",
    b"bkmkend",
}
_RTF_STORIES = {
    b"header": "header",
    b"headerl": "header",
    b"headerr": "header",
    b"headerf": "header",
    b"footer": "footer",
    b"footerl": "footer",
    b"footerr": "footer",
    b"footerf": "footer",
}


def rtf_text(data: bytes) -> dict[str, str]:
    """{"body"|"header"|"footer": text}. Handles \\'hh bytes in the document code page and \\uN."""
    m = re.search(rb"\\ansicpg(\d+)", data[:4096])
    codepage = f"cp{int(m.group(1))}" if m else "cp1252"
    try:
        "".encode(codepage)
    except LookupError:
        codepage = "cp950"
    out: dict[str, list[str]] = {"body": [], "header": [], "footer": []}
    pending = bytearray()
    # Stack entries: (story, skipping, uc)
    stack: list[tuple[str, bool, int]] = []
    story, skipping, uc, to_skip = "body", False, 1, 0
    star = False

    def flush() -> None:
        if pending:
            if not skipping:
                out[story].append(bytes(pending).decode(codepage, "replace"))
            pending.clear()

    for tok in _RTF_TOKEN.finditer(data):
        word, arg, hexbyte, sym, brace, plain = tok.groups()
        if hexbyte is not None:
            if to_skip:
                to_skip -= 1
            else:
                pending.append(int(hexbyte, 16))
            continue
        flush()
        if brace == b"{":
            stack.append((story, skipping, uc))
            star = False
            continue
        if brace == b"}":
            if stack:
                story, skipping, uc = stack.pop()
            continue
        if sym is not None:
            if sym == b"*":
                star = True
                skipping = True
            elif sym in (b"\\", b"{", b"}") and not skipping:
                out[story].append(sym.decode())
            elif sym == b"~" and not skipping:
                out[story].append(" ")
            continue
        if word is not None:
            if word in _RTF_STORIES and not star:
                story, skipping = _RTF_STORIES[word], False
            elif word in _RTF_SKIP:
                skipping = True
            elif word == b"uc" and arg is not None:
                uc = int(arg)
            elif word == b"u" and arg is not None:
                if not skipping:
                    out[story].append(chr(int(arg) % 65536))
                to_skip = uc
            elif not skipping and word in (b"par", b"line", b"row", b"sect", b"page"):
                out[story].append("\n")
            elif not skipping and word in (b"tab", b"cell"):
                out[story].append("\t")
            continue
        if plain is not None:
            text = plain
            if to_skip:
                cut = min(to_skip, len(text))
                text, to_skip = text[cut:], to_skip - cut
            if text and not skipping:
                out[story].append(text.decode(codepage, "replace"))
    flush()
    return {k: "".join(v).strip("\n") for k, v in out.items()}


def extract_rtf(ctx: Context, data: bytes, loc: str, depth: int, label: str) -> None:
    parts = rtf_text(data)
    ctx.segment(f"{loc}#body", parts["body"], "body")
    ctx.segment(f"{loc}#header", parts["header"], "header")
    ctx.segment(f"{loc}#footer", parts["footer"], "footer")
