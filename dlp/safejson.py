"""JSON from untrusted bytes with the nesting depth bounded *before* parsing.

``json.loads`` recurses once per level of nesting: a body of 100,000 ``[`` costs a deep C
recursion and ends in ``RecursionError`` (or worse). Catching that afterwards is too late,
so the depth is measured first, at C speed and in bounded time: strings are cut out, only the
brackets are kept, and each pass of one regular-expression substitution removes the innermost
layer (every opener directly followed by a closer). ``depth`` passes empty a text nested
``depth`` deep; whatever is left after ``max_depth`` passes is too deep.

Used by the service for request bodies and by ``dlp audit verify`` for log lines.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

#: A JSON string (escapes included); possessive, so an unterminated one costs one pass.
_STRING = re.compile(rb'"[^"\\]*+(?:\\.[^"\\]*+)*+"', re.DOTALL)
_INNERMOST = re.compile(rb"[\[{][\]}]")
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


class JsonError(ValueError):
    """The bytes are not acceptable JSON; ``str(err)`` says why (Chinese, with the English gist)."""


class TooDeep(JsonError):
    """Nested more than the caller allows."""


def nesting_depth_exceeds(data: bytes, max_depth: int) -> bool:
    """True when ``data`` (UTF-8 JSON) nests deeper than ``max_depth``; never recurses.

    Malformed input is judged by how deep a parser could be led into it: an unbalanced text
    whose open brackets run past ``max_depth`` counts as too deep, anything else is left for
    the parser to reject with its own message.
    """
    brackets = _STRING.sub(b"", data).translate(None, _NOT_BRACKETS)
    opener_run = _opener_run(max_depth)
    for passes in range(max_depth):
        if not brackets:
            return False
        if opener_run.search(brackets):
            return True  # the parser would descend through this run of openers, closed or not
        fewer = _INNERMOST.sub(b"", brackets)
        if len(fewer) == len(brackets):
            # Only closers followed by openers are left: the parser fails at the first closer,
            # or descends through the openers at the end, below the layers already removed.
            return passes + len(fewer) - len(fewer.rstrip(b"[{")) > max_depth
        brackets = fewer
    return bool(brackets)


@functools.lru_cache(maxsize=8)
def _opener_run(max_depth: int) -> re.Pattern[bytes]:
    return re.compile(rb"[\[{]{%d}" % (max_depth + 1))


def to_utf8(data: bytes) -> bytes:
    """JSON text in UTF-8 (RFC 8259); UTF-16/32 with or without BOM are converted."""
    encoding = json.detect_encoding(data)
    if encoding == "utf-8":
        return data
    if encoding == "utf-8-sig":
        return data[3:]
    try:
        return data.decode(encoding).encode("utf-8")
    except UnicodeError as exc:
        raise JsonError(f"JSON 的文字編碼無效 (invalid {encoding}): {exc}") from None


def loads(data: bytes | str, max_depth: int = 32) -> Any:
    """``json.loads`` with the depth bounded first; raises :class:`JsonError` for anything wrong."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else to_utf8(bytes(data))
    if nesting_depth_exceeds(raw, max_depth):
        raise TooDeep(f"JSON 巢狀超過 {max_depth} 層 (nested deeper than {max_depth} levels)")
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise JsonError(f"JSON 格式錯誤 (malformed JSON): {exc}") from None


__all__ = ["JsonError", "TooDeep", "loads", "nesting_depth_exceeds", "to_utf8"]
