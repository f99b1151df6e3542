"""Reading zip members under the limits: declared sizes and ratios first, then capped streams."""

from __future__ import annotations

import io
import zipfile
from typing import IO

from dlp.extract.context import Context
from dlp.extract.limits import LimitReached

#: Ratios are only judged for members at least this large; tiny files compress oddly.
RATIO_FLOOR = 1024 * 1024
CHUNK = 1024 * 1024


def open_zip(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name; zips made on Taiwanese Windows store names in CP950, not CP437."""
    name = info.filename
    if not info.flag_bits & 0x800:
        try:
            raw = name.encode("cp437")
        except UnicodeEncodeError:
            return name
        for enc in ("utf-8", "cp950"):
            try:
                return raw.decode(enc)
            except UnicodeDecodeError:
                continue
    return name


def is_encrypted(info: zipfile.ZipInfo) -> bool:
    return bool(info.flag_bits & 0x1) or info.compress_type == 99


def admit(ctx: Context, info: zipfile.ZipInfo, loc: str, fmt: str, report: bool = True) -> bool:
    """Check a member's declared size and ratio; refuse it (with a finding if ``report``)."""
    size = info.file_size
    ratio = size / max(1, info.compress_size)
    if size >= RATIO_FLOOR and ratio > ctx.limits.max_compression_ratio:
        if not report:
            return False
        ctx.limit(
            loc,
            "max_compression_ratio",
            fmt,
            f"壓縮比 {ratio:.0f}:1 超過上限 {ctx.limits.max_compression_ratio:.0f}:1（疑似壓縮炸彈），未解壓縮",
        )
        return False
    if size > ctx.bytes_left():
        if not report:
            return False
        ctx.limit(
            loc,
            "max_expanded_bytes",
            fmt,
            f"解壓縮後大小 {size:,} 位元組超過剩餘上限，未解壓縮",
        )
        return False
    return True


class CappedStream(io.RawIOBase):
    """A member stream that charges every byte read to the attachment's expansion budget."""

    def __init__(self, ctx: Context, raw: IO[bytes], loc: str, declared: int):
        self.ctx = ctx
        self.raw = raw
        self.loc = loc
        self.declared = declared
        self.count = 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0:
            n = CHUNK
        chunk = self.raw.read(min(n, CHUNK))
        self.count += len(chunk)
        if self.count > self.declared + CHUNK:
            raise LimitReached("max_expanded_bytes", self.loc, "實際解壓縮大小超過宣告大小（疑似壓縮炸彈）")
        self.ctx.charge_bytes(len(chunk), self.loc)
        return chunk

    def readinto(self, b: bytearray) -> int:  # type: ignore[override]
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)

    def close(self) -> None:
        try:
            self.raw.close()
        finally:
            super().close()


def open_member(ctx: Context, zf: zipfile.ZipFile, info: zipfile.ZipInfo, loc: str) -> CappedStream:
    return CappedStream(ctx, zf.open(info), loc, info.file_size)


def read_member(ctx: Context, zf: zipfile.ZipFile, info: zipfile.ZipInfo, loc: str) -> bytes:
    """Read a whole member in chunks, stopping at the budget rather than after it."""
    parts: list[bytes] = []
    with open_member(ctx, zf, info, loc) as stream:
        while True:
            chunk = stream.read(CHUNK)
            if not chunk:
                break
            parts.append(chunk)
    return b"".join(parts)
