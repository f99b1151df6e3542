"""Archives (zip recursively, gzip, tar) under the bomb limits."""

from __future__ import annotations

import io
import tarfile
import zlib

from dlp.extract.context import Context, Unreadable
from dlp.extract.dispatch import extract_into
from dlp.extract.limits import LimitReached
from dlp.extract.zipsafe import CHUNK, RATIO_FLOOR, admit, is_encrypted, member_name, open_zip, read_member


def extract_zip(ctx: Context, data: bytes, loc: str, depth: int, label: str) -> None:
    zf = open_zip(data)
    infos = [i for i in zf.infolist() if not i.is_dir()]
    limit = ctx.limits.max_archive_members
    if len(infos) > limit:
        ctx.limit(
            loc,
            "max_archive_members",
            label,
            f"壓縮檔內有 {len(infos)} 個檔案，超過上限 {limit} 個，只檢查前 {limit} 個",
        )
        infos = infos[:limit]
    refused = 0
    for info in infos:
        ctx.check_time(loc)
        mloc = f"{loc}/{member_name(info)}"
        ctx.name(mloc, member_name(info).rsplit("/", 1)[-1])
        if is_encrypted(info):
            ctx.encrypted(mloc, "壓縮檔內的檔案以密碼保護，無法檢查", "ZIP")
            continue
        if not admit(ctx, info, mloc, label, report=refused < 3):
            # A bomb has many such members: report the first few, count the rest.
            refused += 1
            continue
        try:
            content = read_member(ctx, zf, info, mloc)
        except LimitReached:
            raise
        except Exception as exc:  # one bad member must not hide the others
            reason = "壓縮檔內的檔案已損毀（CRC 錯誤）" if "CRC" in str(exc) else "壓縮檔內的檔案無法解壓縮"
            ctx.unreadable(mloc, reason, "ZIP")
            continue
        extract_into(ctx, content, mloc, depth + 1)
    if refused > 3:
        ctx.limit(loc, "max_expanded_bytes", label, f"另有 {refused - 3} 個檔案因大小或壓縮比超過上限而未解壓縮")


def extract_gzip(ctx: Context, data: bytes, loc: str, depth: int, label: str) -> None:
    """Every member of a gzip file (``cat a.gz b.gz`` is one valid file, RFC 1952 2.2), with a hard
    cap; bytes after the last member that are not padding are read as a part of their own."""
    out = bytearray()
    rest = memoryview(data)
    members = 0
    while rest.nbytes and rest[:2].tobytes() == b"\x1f\x8b":
        members += 1
        used = _gunzip_member(ctx, rest, out, loc)
        rest = rest[used:]
    name = loc.rsplit("/", 1)[-1].split(":", 1)[-1]
    inner_name = name[:-3] if name.lower().endswith(".gz") else f"{name}（解壓縮內容）"
    trailing = bytes(rest)
    inner = bytes(out)
    del out
    extract_into(ctx, inner, f"{loc}/{inner_name}", depth + 1)
    if trailing.strip(b"\0"):
        extract_into(ctx, trailing, f"{loc}/trailing-data", depth + 1)


def _gunzip_member(ctx: Context, data: memoryview, out: bytearray, loc: str) -> int:
    """Decompress one member into ``out``; return how many input bytes it used."""
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    pos = 0
    start = len(out)
    while pos < len(data) or d.unconsumed_tail:
        ctx.check_time(loc)
        src = d.unconsumed_tail or data[pos : pos + CHUNK]
        if not d.unconsumed_tail:
            pos += len(src)
        chunk = d.decompress(src, CHUNK)
        ctx.charge_bytes(len(chunk), loc)
        out += chunk
        grown = len(out) - start
        if grown > RATIO_FLOOR and grown / max(1, pos) > ctx.limits.max_compression_ratio:
            raise LimitReached("max_compression_ratio", loc, "壓縮比超過上限（疑似壓縮炸彈）")
        if d.eof:
            break
    if not d.eof:
        raise Unreadable("gzip 壓縮檔不完整（檔案被截斷），無法讀取")
    return pos - len(d.unused_data)


def extract_tar(ctx: Context, data: bytes, loc: str, depth: int, label: str) -> None:
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as tf:
        count = 0
        for member in tf:
            ctx.check_time(loc)
            if not member.isfile():
                continue
            count += 1
            if count > ctx.limits.max_archive_members:
                ctx.limit(loc, "max_archive_members", label)
                return
            mloc = f"{loc}/{member.name}"
            ctx.name(mloc, member.name.rsplit("/", 1)[-1])
            if member.size > ctx.bytes_left():
                ctx.limit(mloc, "max_expanded_bytes", label)
                continue
            fh = tf.extractfile(member)
            if fh is None:
                continue
            content = fh.read(member.size)
            ctx.charge_bytes(len(content), mloc)
            extract_into(ctx, content, mloc, depth + 1)
