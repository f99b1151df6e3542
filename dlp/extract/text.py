"""Plain-text formats: encoding detection and .txt/.csv/.tsv/.json/.html/.xml extraction.

Legacy government files are often Big5 (read as CP950, its Microsoft superset); others are
UTF-8 with or without a BOM, or UTF-16 from Excel's "Unicode text" export.
"""

from __future__ import annotations

import codecs
import json
from typing import Any

from dlp.extract.context import Context
from dlp.extract.htmltext import html_to_text

_BOMS: list[tuple[bytes, str]] = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]


def normalize_charset(name: str | None) -> str | None:
    """Map a declared charset to the Python codec that reads real-world files best."""
    if not name:
        return None
    n = name.strip().strip("\"'").lower().replace("_", "-")
    aliases = {
        "big5": "cp950",
        "big-5": "cp950",
        "x-big5": "cp950",
        "cn-big5": "cp950",
        "big5-hkscs": "big5hkscs",
        "ms950": "cp950",
        "windows-950": "cp950",
        "gb2312": "gb18030",
        "gbk": "gb18030",
        "x-gbk": "gb18030",
        "ks-c-5601-1987": "cp949",
        "unicode-1-1-utf-7": "utf-7",
        "utf8": "utf-8",
    }
    n = aliases.get(n, n)
    try:
        found = codecs.lookup(n).name
    except LookupError:
        return None
    return {"big5": "cp950", "gb2312": "gb18030", "gbk": "gb18030"}.get(found, found)


def _bom(data: bytes) -> tuple[str, int] | None:
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc, len(bom)
    return None


def _utf16_guess(data: bytes) -> str | None:
    """UTF-16 without a BOM: mostly-ASCII text has a zero in every other byte."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    odd = sample[1::2].count(0)
    even = sample[0::2].count(0)
    half = len(sample) // 2
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _strict(data: bytes, enc: str) -> str | None:
    try:
        return data.decode(enc)
    except UnicodeDecodeError as exc:
        # A sample cut in the middle of a multi-byte character still counts as this encoding.
        if exc.start >= len(data) - 3 and exc.reason in ("unexpected end of data", "incomplete multibyte sequence"):
            return data[: exc.start].decode(enc, "replace")
        return None


def decode_text(data: bytes, declared: str | None = None) -> str:
    """Decode bytes of unknown encoding; never raises (undecodable bytes become U+FFFD)."""
    bom = _bom(data)
    if bom:
        return data[bom[1] :].decode(bom[0], "replace")
    enc = normalize_charset(declared)
    if enc:
        text = _strict(data, enc)
        if text is not None:
            return text
    guess = _utf16_guess(data)
    if guess:
        return data.decode(guess, "replace")
    for enc in ("utf-8", "cp950"):
        text = _strict(data, enc)
        if text is not None:
            return text
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000]).best()
        if best is not None and best.encoding:
            return data.decode(best.encoding, "replace")
    except Exception:  # detection is best effort
        pass
    return data.decode(enc or "cp950", "replace")


def looks_like_text(data: bytes) -> bool:
    """True when the start of ``data`` reads as text in some plausible encoding."""
    sample = data[:8192]
    if _bom(sample) or _utf16_guess(sample):
        return True
    if b"\x00" in sample:
        return False
    controls = sum(1 for b in sample if b < 0x20 and b not in (9, 10, 12, 13, 27))
    if controls > 0.02 * max(1, len(sample)):
        return False
    text = decode_text(sample)
    bad = text.count("\ufffd")
    return bad <= 0.02 * max(1, len(text))


def extract_text(ctx: Context, data: bytes, loc: str, depth: int, label: str) -> None:
    from dlp.extract.inline import extract_inline

    text = decode_text(data)
    ctx.segment(f"{loc}#body", text, "body")
    extract_inline(ctx, text, loc, depth, label)


def extract_html(ctx: Context, data: bytes, loc: str, depth: int, label: str) -> None:
    ctx.segment(f"{loc}#body", html_to_text(decode_text(data)), "body")


def extract_json(ctx: Context, data: bytes, loc: str, depth: int, label: str) -> None:
    """JSON is rendered as ``key: value`` lines so that \\u escapes are read as text."""
    text = decode_text(data)
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        ctx.segment(f"{loc}#body", text, "body")
        return
    lines: list[str] = []
    _walk_json(value, "", lines, 0)
    ctx.segment(f"{loc}#body", "\n".join(lines), "body")


def _walk_json(value: Any, key: str, out: list[str], depth: int) -> None:
    if depth > 200:
        return
    if isinstance(value, dict):
        for k, v in value.items():
            _walk_json(v, str(k), out, depth + 1)
    elif isinstance(value, list):
        for v in value:
            _walk_json(v, key, out, depth + 1)
    elif value is not None:
        out.append(f"{key}: {value}" if key else str(value))
