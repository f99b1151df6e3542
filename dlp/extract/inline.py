"""Blocks pasted into a text (a mail body, a .txt file) that hide content from a plain reader.

* ``-----BEGIN PGP MESSAGE-----`` blocks are encrypted: an ``ENCRYPTED_ATTACHMENT`` finding with
  the block's offsets in the text.
* uuencoded files (``begin 644 name`` ... ``end``) and long base64 runs are decoded (``binascii``,
  ``base64``) and read like an attachment found at ``<loc>/uuencode:<name>`` or
  ``<loc>/base64:<n>``; what they decode to is charged to the message's budget.

Public keys, certificates and signatures in PEM/armour form are not content and are left alone.
"""

from __future__ import annotations

import base64
import binascii
import re

from dlp.extract.context import Context
from dlp.extract.dispatch import extract_into

#: A base64 run must be at least this long (characters, line breaks excluded) to be decoded.
MIN_BASE64_CHARS = 200

_PGP_MESSAGE = re.compile(r"-----BEGIN PGP MESSAGE-----.*?(?:-----END PGP MESSAGE-----|\Z)", re.S)
_NOT_CONTENT = re.compile(
    r"-----BEGIN (?:CERTIFICATE|PUBLIC KEY|PGP PUBLIC KEY BLOCK|PGP SIGNATURE|X509 CRL)-----.*?-----END [A-Z0-9 ]+-----",
    re.S,
)
_UUENCODE = re.compile(r"^begin(?:-base64)? [0-7]{3,4} ([^\r\n]+)\r?\n(.*?)^end[ \t]*$", re.S | re.M)
_BASE64_RUN = re.compile(r"(?<![A-Za-z0-9+/=])[A-Za-z0-9+/](?:[A-Za-z0-9+/]|\r?\n(?=[A-Za-z0-9+/=])){150,}={0,2}")
#: What every ``_BASE64_RUN`` match starts with: each of its 150 repeats takes one or two of
#: these characters. Found at C speed (a pattern opening with a character class), where the run's
#: own leading lookbehind makes ``re`` try it at every position: 0.4 instead of 1.1 ms per 200 KB
#: of mail.
_BASE64_START = re.compile(r"[A-Za-z0-9+/][A-Za-z0-9+/\r\n]{150}")


def extract_inline(ctx: Context, text: str, loc: str, depth: int, fmt: str = "文字") -> None:
    """Find encrypted, uuencoded and base64 blocks in ``text`` (found at ``loc``) and read them."""
    if "-----BEGIN" not in text and "begin " not in text and not _may_have_base64(text):
        return
    taken: list[tuple[int, int]] = []
    for m in _PGP_MESSAGE.finditer(text):
        ctx.encrypted(loc, "內含 PGP 加密訊息，無法檢查", "PGP")
        finding = ctx.result.findings[-1]
        finding.start, finding.end = m.start(), m.end()
        taken.append(m.span())
    taken += [m.span() for m in _NOT_CONTENT.finditer(text)]
    blocks = 0
    for m in _UUENCODE.finditer(text):
        if _inside(m.span(), taken):
            continue
        taken.append(m.span())
        blocks += 1
        if not _room(ctx, loc, blocks):
            return
        name = m.group(1).strip().replace("/", "／").replace("#", "＃") or f"{blocks}"
        data = _uudecode(m.group(2)) if not m.group(0).startswith("begin-base64") else _b64(m.group(2))
        where = f"{loc}/uuencode:{name}"
        if data is None:
            ctx.unreadable(where, "內嵌的 uuencode 資料已損毀，無法解碼", fmt)
            continue
        ctx.charge_bytes(len(data), where)
        extract_into(ctx, data, where, depth + 1)
    n = 0
    for m in _BASE64_RUN.finditer(text):
        if _inside(m.span(), taken):
            continue
        run = re.sub(r"\s+", "", m.group(0))
        if len(run) < MIN_BASE64_CHARS or not _mixed(run):
            continue
        data = _b64(run)
        if data is None:
            continue
        n += 1
        blocks += 1
        if not _room(ctx, loc, blocks):
            return
        where = f"{loc}/base64:{n}"
        ctx.charge_bytes(len(data), where)
        extract_into(ctx, data, where, depth + 1)


def _may_have_base64(text: str) -> bool:
    if len(text) < MIN_BASE64_CHARS:
        return False
    start = _BASE64_START.search(text)
    return start is not None and _BASE64_RUN.search(text, start.start()) is not None


def _inside(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(s <= span[0] < e or s < span[1] <= e for s, e in taken)


def _room(ctx: Context, loc: str, blocks: int) -> bool:
    limit = ctx.limits.max_archive_members
    if blocks <= limit:
        return True
    ctx.limit(loc, "max_archive_members", "", f"內嵌的編碼資料超過 {limit} 段，其餘未檢查")
    return False


def _mixed(run: str) -> bool:
    """Real base64 of binary or UTF-8 text has upper case, lower case and digits."""
    return any(c.isdigit() for c in run) and any(c.islower() for c in run) and any(c.isupper() for c in run)


def _b64(run: str) -> bytes | None:
    run = re.sub(r"\s+", "", run)
    if len(run) % 4:
        return None
    try:
        return base64.b64decode(run, validate=True)
    except (binascii.Error, ValueError):
        return None


def _uudecode(body: str) -> bytes | None:
    out = bytearray()
    for line in body.splitlines():
        if not line.strip() or line.strip() == "`":
            continue
        try:
            out += binascii.a2b_uu(line)
        except binascii.Error:
            try:  # some encoders pad lines wrongly; the length byte says how much is real
                n = (ord(line[0]) - 32) & 63
                out += binascii.a2b_uu(line[: (n + 2) // 3 * 4 + 1])
            except (binascii.Error, IndexError):
                return None
    return bytes(out)
