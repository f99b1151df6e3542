"""Content sealed from the agency: encrypted archives and messages, told apart from plain ones.

Password-protected 7z and RAR archives, OpenPGP messages and S/MIME (CMS) enveloped data are
``ENCRYPTED_ATTACHMENT`` (:class:`Encrypted`): content the agency cannot see. 7z and RAR archives
without a password are not unpacked here (no such reader in the dependencies): they stay
``UNREADABLE_ATTACHMENT``. Encryption is read from the archive headers as the published
formats define them: 7z's coder list (the AES coder 06F10701, in the header or in the LZMA-packed
encoded header), RAR 5.0's archive-encryption header and file-encryption extra record, RAR 2.9's
header flags.
"""

from __future__ import annotations

import lzma
import struct

from dlp.extract.context import Context, Encrypted, Unreadable

_AES_CODER = b"\x06\xf1\x07\x01"
_LZMA_CODER = b"\x03\x01\x01"
_LZMA2_CODER = b"\x21"
#: A header larger than this is not unpacked to look for the AES coder (it is then "unreadable").
MAX_HEADER_BYTES = 16 * 1024 * 1024


def extract_7z(ctx: Context, data: bytes, loc: str, depth: int, label: str) -> None:
    if seven_zip_encrypted(data):
        raise Encrypted("7-Zip 壓縮檔以密碼保護，無法檢查")
    raise Unreadable("7-Zip 壓縮檔（未加密）無法解壓縮檢查，內容未檢查")


def extract_rar(ctx: Context, data: bytes, loc: str, depth: int, label: str) -> None:
    if rar_encrypted(data):
        raise Encrypted("RAR 壓縮檔以密碼保護，無法檢查")
    raise Unreadable("RAR 壓縮檔（未加密）無法解壓縮檢查，內容未檢查")


def extract_pgp(ctx: Context, data: bytes, loc: str, depth: int, label: str) -> None:
    raise Encrypted("PGP 加密檔，無法檢查")


def extract_cms_encrypted(ctx: Context, data: bytes, loc: str, depth: int, label: str) -> None:
    raise Encrypted("S/MIME 加密內容（enveloped-data），無法檢查")


def extract_cms_signed(ctx: Context, data: bytes, loc: str, depth: int, label: str) -> None:
    raise Unreadable("S/MIME 簽章封裝（signed-data）內的內容未檢查")


#: Content types of a detached signature part (multipart/signed, RFC 1847/5751/3156).
SIGNATURE_TYPES = frozenset({"application/pkcs7-signature", "application/x-pkcs7-signature", "application/pgp-signature"})
#: A signature (with its certificate chain) larger than this is read like any attachment.
MAX_SIGNATURE_BYTES = 16 * 1024


def is_detached_signature(content_type: str | None, data: bytes) -> bool:
    """A small signature part that has the shape of one: it signs the message, it holds no content."""
    from dlp.extract.sniff import cms_content_type

    if (content_type or "").lower() not in SIGNATURE_TYPES or not data or len(data) > MAX_SIGNATURE_BYTES:
        return False
    text = data.strip()
    if text.startswith(b"-----BEGIN PGP SIGNATURE-----"):
        return text.endswith(b"-----END PGP SIGNATURE-----") and text.count(b"-----BEGIN") == 1
    return cms_content_type(data) == "signed"


# -- 7z ---------------------------------------------------------------------------------------


class _Reader:
    def __init__(self, data: bytes, pos: int = 0):
        self.data = data
        self.pos = pos

    def byte(self) -> int:
        if self.pos >= len(self.data):
            raise ValueError("end of header")
        b = self.data[self.pos]
        self.pos += 1
        return b

    def take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise ValueError("end of header")
        out = self.data[self.pos : self.pos + n]
        self.pos += n
        return out

    def number(self) -> int:
        """7z's variable-length number: leading 1 bits of the first byte count extra bytes."""
        first = self.byte()
        mask = 0x80
        value = 0
        for i in range(8):
            if not first & mask:
                return value | ((first & (mask - 1)) << (8 * i))
            value |= self.byte() << (8 * i)
            mask >>= 1
        return value


def seven_zip_encrypted(data: bytes) -> bool:
    """True when any folder of the archive (or its header) uses the AES coder."""
    try:
        offset, size = struct.unpack_from("<QQ", data, 12)
        start = 32 + offset
        header = data[start : start + size]
        if not header:
            return False
        if header[0] == 0x17:  # kEncodedHeader: the real header is packed; its coders are plain here
            coders, pack_pos, pack_size, unpack_size = _encoded_header(header)
            if any(cid == _AES_CODER for cid, _ in coders):
                return True
            header = _unpack(data[32 + pack_pos : 32 + pack_pos + pack_size], coders, unpack_size)
        return b"\x24" + _AES_CODER in header or b"\x04" + _AES_CODER in header
    except (ValueError, struct.error, lzma.LZMAError, IndexError):
        return False


def _encoded_header(header: bytes) -> tuple[list[tuple[bytes, bytes]], int, int, int]:
    """(coders, pack position, packed size, unpacked size) of an encoded header's one folder."""
    r = _Reader(header, 1)
    coders: list[tuple[bytes, bytes]] = []
    pack_pos = pack_size = unpack_size = 0
    while True:
        prop = r.byte()
        if prop == 0x00:
            break
        if prop == 0x06:  # kPackInfo
            pack_pos = r.number()
            streams = r.number()
            while True:
                sub = r.byte()
                if sub == 0x00:
                    break
                if sub == 0x09:
                    sizes = [r.number() for _ in range(streams)]
                    pack_size = sizes[0] if sizes else 0
                else:
                    raise ValueError("unexpected pack info")
        elif prop == 0x07:  # kUnPackInfo
            if r.byte() != 0x0B or r.number() < 1 or r.byte() != 0:
                raise ValueError("unexpected folder info")
            outs = 0
            for _ in range(r.number()):
                flag = r.byte()
                cid = r.take(flag & 0x0F)
                if flag & 0x10:
                    r.number()
                    outs += r.number()
                else:
                    outs += 1
                props = r.take(r.number()) if flag & 0x20 else b""
                coders.append((cid, props))
            for _ in range(outs - 1):
                r.number()
                r.number()
            if r.byte() != 0x0C:
                raise ValueError("no unpack sizes")
            unpack_size = r.number()  # the first out stream is the folder's output here
            for _ in range(outs - 1):
                r.number()
            while r.byte() != 0x00:
                pass
        else:
            raise ValueError("unexpected property")
    return coders, pack_pos, pack_size, unpack_size


def _unpack(packed: bytes, coders: list[tuple[bytes, bytes]], size: int) -> bytes:
    if size > MAX_HEADER_BYTES or len(coders) != 1:
        return b""
    cid, props = coders[0]
    if cid == _LZMA_CODER and len(props) == 5:
        lc_lp_pb = props[0]
        filt = {
            "id": lzma.FILTER_LZMA1,
            "lc": lc_lp_pb % 9,
            "lp": (lc_lp_pb // 9) % 5,
            "pb": lc_lp_pb // 45,
            "dict_size": struct.unpack("<I", props[1:5])[0],
        }
    elif cid == _LZMA2_CODER and len(props) == 1:
        bits = props[0]
        dict_size = 0xFFFFFFFF if bits == 40 else (2 | (bits & 1)) << (bits // 2 + 11)
        filt = {"id": lzma.FILTER_LZMA2, "dict_size": dict_size}
    elif cid == b"\x00":
        return packed[:size]
    else:
        return b""
    return lzma.LZMADecompressor(lzma.FORMAT_RAW, filters=[filt]).decompress(packed, max_length=size)


# -- RAR --------------------------------------------------------------------------------------

_RAR5 = b"Rar!\x1a\x07\x01\x00"
_RAR4 = b"Rar!\x1a\x07\x00"
_MAX_BLOCKS = 100_000


def rar_encrypted(data: bytes) -> bool:
    try:
        if data.startswith(_RAR5):
            return _rar5_encrypted(data)
        if data.startswith(_RAR4):
            return _rar4_encrypted(data)
    except (ValueError, struct.error, IndexError):
        return False
    return False


def _vint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        b = data[pos]
        pos += 1
        value |= (b & 0x7F) << shift
        if not b & 0x80:
            return value, pos
        shift += 7
        if shift > 63:
            raise ValueError("vint too long")


def _rar5_encrypted(data: bytes) -> bool:
    """RAR 5.0: an archive encryption header (type 4), or a file header with an encryption record."""
    pos = len(_RAR5)
    for _ in range(_MAX_BLOCKS):
        if pos + 4 >= len(data):
            return False
        size, body = _vint(data, pos + 4)
        end = body + size
        kind, p = _vint(data, body)
        flags, p = _vint(data, p)
        extra = data_size = 0
        if flags & 0x01:
            extra, p = _vint(data, p)
        if flags & 0x02:
            data_size, p = _vint(data, p)
        if kind == 4:
            return True
        if kind in (2, 3) and extra:  # file or service header: records in its extra area
            q = end - extra
            while q < end:
                rsize, r = _vint(data, q)
                rtype, _ = _vint(data, r)
                if rtype == 0x01:
                    return True
                q = r + rsize
        if kind == 5:  # end of archive
            return False
        pos = end + data_size
    return False


def _rar4_encrypted(data: bytes) -> bool:
    """RAR 2.9: main header flag 0x0080 (encrypted headers) or file header flag 0x0004."""
    pos = len(_RAR4)
    for _ in range(_MAX_BLOCKS):
        if pos + 7 > len(data):
            return False
        _, kind, flags, size = struct.unpack_from("<HBHH", data, pos)
        if size < 7:
            return False
        if kind == 0x73 and flags & 0x0080:
            return True
        add = 0
        if kind == 0x74:
            if flags & 0x0004:
                return True
            add = struct.unpack_from("<I", data, pos + 7)[0]
        elif flags & 0x8000:
            add = struct.unpack_from("<I", data, pos + 7)[0]
        if kind == 0x7B:
            return False
        pos += size + add
    return False
