"""Zips hidden in other files: appended to an image or a PDF, or behind a self-extractor stub.

A zip is read from its end: the end-of-central-directory record (``PK\\x05\\x06``) says how
large the directory is and where it starts, which gives where the zip itself starts. Every such
record in the file is tried (``cat photo.jpg secret.zip`` puts one at the end, ``cat a.zip
b.pdf`` one in the middle); a record that does not open as a zip is not one.
"""

from __future__ import annotations

import io
import struct
import zipfile

_EOCD = b"PK\x05\x06"
_EOCD_SIZE = 22
#: At most this many end records are tried per file (each found one costs a zip open).
MAX_CANDIDATES = 16


def embedded_zips(data: bytes) -> list[tuple[int, bytes]]:
    """(offset, bytes) of every zip archive found inside ``data`` that does not start at 0."""
    found: list[tuple[int, bytes]] = []
    pos = len(data)
    tried = 0
    while tried < MAX_CANDIDATES:
        pos = data.rfind(_EOCD, 0, pos)
        if pos < 0:
            break
        tried += 1
        span = _zip_span(data, pos)
        if span is not None and not any(s <= span[0] and span[1] <= e for s, e in ((o, o + len(z)) for o, z in found)):
            start, end = span
            found.append((start, data[start:end]))
    found.reverse()
    return found


def _zip_span(data: bytes, eocd: int) -> tuple[int, int] | None:
    if eocd + _EOCD_SIZE > len(data):
        return None
    _, _, _, _, _, cd_size, cd_offset, comment = struct.unpack("<4s4H2LH", data[eocd : eocd + _EOCD_SIZE])
    end = min(len(data), eocd + _EOCD_SIZE + comment)
    start = eocd - cd_size - cd_offset
    if start < 0 or data[start : start + 4] != b"PK\x03\x04":
        # Offsets may be absolute (an adjusted self-extractor): the zip is the file up to its end.
        start = 0
    if start == 0 and (end == len(data) and data[:4] == b"PK\x03\x04"):
        return None  # the file itself is the zip: read as such elsewhere
    try:
        with zipfile.ZipFile(io.BytesIO(data[start:end])) as zf:
            if not zf.infolist():
                return None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, struct.error):
        return None
    return start, end
