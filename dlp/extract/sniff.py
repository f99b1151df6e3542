"""Recognise a file by its content (magic bytes and container structure), never by its name."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from dlp.extract.text import decode_text, looks_like_text


@dataclass(frozen=True)
class Kind:
    """What a file is: ``name`` routes it to an extractor, ``label`` names it to people."""

    name: str
    label: str


_IMAGES: list[tuple[bytes, int, str]] = [
    (b"\x89PNG\r\n\x1a\n", 0, "PNG"),
    (b"\xff\xd8\xff", 0, "JPEG"),
    (b"GIF87a", 0, "GIF"),
    (b"GIF89a", 0, "GIF"),
    (b"BM", 0, "BMP"),
    (b"II*\x00", 0, "TIFF"),
    (b"MM\x00*", 0, "TIFF"),
    (b"\x00\x00\x01\x00", 0, "ICO"),
]

_OTHER_BINARY: list[tuple[bytes, int, str, str]] = [
    (b"BZh", 0, "bzip2", "bzip2 壓縮檔"),
    (b"\xfd7zXZ\x00", 0, "xz", "xz 壓縮檔"),
    (b"MZ", 0, "exe", "Windows 執行檔"),
    (b"\x7fELF", 0, "elf", "ELF 執行檔"),
    (b"ID3", 0, "audio", "MP3 音訊檔"),
    (b"OggS", 0, "audio", "Ogg 音訊檔"),
    (b"fLaC", 0, "audio", "FLAC 音訊檔"),
]

_MAIL_HEADERS = re.compile(
    rb"^(from|to|cc|subject|date|mime-version|received|return-path|message-id|content-type|"
    rb"reply-to|delivered-to|x-[a-z0-9-]+|sender|in-reply-to|references|dkim-signature):",
    re.IGNORECASE | re.MULTILINE,
)
_DI_TAGS = re.compile(r"<\s*(主旨|發文字號|密等及解密條件或保密期限|密等|發文機關)[\s>/]")
_SW_TAGS = re.compile(r"<\s*交換表單[\s>/]")


def sniff(data: bytes) -> Kind:
    """Return the kind of ``data``; containers are opened just enough to tell them apart.

    Magic bytes alone never make an image: an image is an image only when Pillow decodes it
    (a CSV whose first cell is ``BMI`` is text). Zips appended to other files are found by
    :func:`dlp.extract.polyglot.embedded_zips`, called by the dispatcher for every kind.
    """
    head = data[:1024]
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return sniff_zip(data)
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _sniff_cfb(data)
    if b"%PDF-" in head:
        return Kind("pdf", "PDF")
    if data.startswith(b"{\\rtf"):
        return Kind("rtf", "RTF")
    if data.startswith(b"\x1f\x8b"):
        return Kind("gzip", "gzip 壓縮檔")
    if len(data) > 262 and data[257:262] == b"ustar":
        return Kind("tar", "tar 封存檔")
    if data.startswith(b"7z\xbc\xaf\x27\x1c"):
        return Kind("7z", "7-Zip 壓縮檔")
    if data.startswith(b"Rar!\x1a\x07"):
        return Kind("rar", "RAR 壓縮檔")
    crypto = sniff_crypto(data)
    if crypto is not None:
        return crypto
    claimed = _image_magic(data)
    if claimed is not None:
        decoded = decode_image(data)
        if decoded is not None:
            return Kind("image", decoded)
    if data[4:8] == b"ftyp" and data[8:12] not in (b"heic", b"heix", b"mif1", b"avif"):
        return Kind("video", "MP4/MOV 影音檔")
    if data[:4] == b"RIFF" and data[8:12] != b"WEBP":
        return Kind("audio", "RIFF 影音檔")
    for magic, off, name, label in _OTHER_BINARY:
        if data[off : off + len(magic)] == magic:
            return Kind(name, label)
    if not data:
        return Kind("empty", "空白檔案")
    if _zip_at_end(data):
        return sniff_zip(data)
    if looks_like_text(data):
        return _sniff_text(data)
    if claimed is not None:
        return Kind("unknown", f"無法解碼的{claimed}影像")
    return Kind("unknown", "無法辨識的二進位檔")


def _image_magic(data: bytes) -> str | None:
    """The image format ``data`` claims to be by its first bytes (a claim, not a fact)."""
    for magic, off, label in _IMAGES:
        if data[off : off + len(magic)] == magic:
            return label
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WebP"
    if data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"mif1", b"avif"):
        return "HEIC"
    return None


#: Images larger than this many pixels are not decoded to check them (Pillow's bomb guard).
MAX_CHECK_PIXELS = 64_000_000


def decode_image(data: bytes) -> str | None:
    """The format name when Pillow really decodes ``data`` as an image, else None."""
    import warnings

    from PIL import Image

    if _image_magic(data) == "HEIC":  # iPhone photos: Pillow opens them once pillow-heif is registered
        from dlp.ocr.decode import register_decoders

        register_decoders()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(data)) as img:
                fmt = img.format or "影像"
                width, height = img.size
                if width * height > MAX_CHECK_PIXELS:
                    return fmt  # a real header this large is an image; decoding it is the bomb
                img.load()
                return fmt
    except Exception:  # Pillow raises many types for what is not an image
        return None


def sniff_crypto(data: bytes) -> Kind | None:
    """OpenPGP messages (armoured or binary) and S/MIME (CMS) enveloped data."""
    start = data[:64].lstrip()
    if start.startswith(b"-----BEGIN PGP MESSAGE-----"):
        return Kind("pgp", "PGP 加密檔")
    if _binary_openpgp(data):
        return Kind("pgp", "PGP 加密檔")
    cms = cms_content_type(data)
    if cms in ("enveloped", "auth-enveloped", "encrypted"):
        return Kind("cms-encrypted", "S/MIME 加密內容")
    if cms == "signed":
        return Kind("cms-signed", "S/MIME 簽章封裝內容")
    return None


def _binary_openpgp(data: bytes) -> bool:
    """A public-key or symmetric-key encrypted session key packet first (RFC 4880 4.2, 5.1, 5.3)."""
    if len(data) < 8 or not data[0] & 0x80:
        return False
    first = data[0]
    if first & 0x40:  # new format: tag in the low 6 bits
        tag, body = first & 0x3F, 2
    else:
        tag, body = (first >> 2) & 0x0F, 1 + (1, 2, 4, 0)[first & 0x03]
    if body >= len(data):
        return False
    version = data[body]
    return (tag == 1 and version == 3) or (tag == 3 and version in (4, 5))


_CMS_TYPES = {
    bytes.fromhex("2a864886f70d010703"): "enveloped",
    bytes.fromhex("2a864886f70d0109100117"): "auth-enveloped",
    bytes.fromhex("2a864886f70d010706"): "encrypted",
    bytes.fromhex("2a864886f70d010702"): "signed",
}


def cms_content_type(data: bytes) -> str | None:
    """The content type of a DER ContentInfo (SEQUENCE { OID, [0] ... }), if ``data`` is one."""
    if len(data) < 16 or data[0] != 0x30:
        return None
    pos = 2 + (data[1] & 0x7F if data[1] & 0x80 else 0)
    if pos + 2 > len(data) or data[pos] != 0x06:
        return None
    n = data[pos + 1]
    return _CMS_TYPES.get(bytes(data[pos + 2 : pos + 2 + n]))


def _zip_at_end(data: bytes) -> bool:
    """Self-extracting or prefixed zips keep their end record near the end."""
    return b"PK\x05\x06" in data[-65_600:] and zipfile.is_zipfile(io.BytesIO(data))


def sniff_zip(data: bytes) -> Kind:
    """Which zip-based format ``data`` (a zip archive, maybe with bytes before it) is."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return Kind("zip", "ZIP 壓縮檔")
    if "mimetype" in names or "META-INF/manifest.xml" in names:
        mime = ""
        try:
            info = zf.getinfo("mimetype")
            if info.file_size < 200:
                mime = zf.read(info).decode("ascii", "replace").strip()
        except (KeyError, zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError):
            mime = ""
        if "opendocument" in mime or "META-INF/manifest.xml" in names:
            return Kind("odf", _odf_label(mime))
    if "[Content_Types].xml" in names:
        from dlp.extract.opc import Package

        try:
            kind = Package(zf).kind()
        except Exception:  # unreadable package metadata: fall back to the folder names
            kind = None
        if kind is None:
            kind = next((k for k, folder in (("docx", "word/"), ("xlsx", "xl/"), ("pptx", "ppt/"))
                         if any(n.startswith(folder) for n in names)), None)
        if kind in _OOXML_KINDS:
            return _OOXML_KINDS[kind]
        return Kind("zip", "Office Open XML 檔")
    return Kind("zip", "ZIP 壓縮檔")


_OOXML_KINDS = {
    "docx": Kind("docx", "Word 文件（docx）"),
    "xlsx": Kind("xlsx", "Excel 試算表（xlsx）"),
    "pptx": Kind("pptx", "PowerPoint 簡報（pptx）"),
}


def _odf_label(mime: str) -> str:
    if "spreadsheet" in mime:
        return "ODF 試算表（ods）"
    if "presentation" in mime:
        return "ODF 簡報（odp）"
    return "ODF 文件（odt）"


def _sniff_cfb(data: bytes) -> Kind:
    import olefile

    try:
        ole = olefile.OleFileIO(data)
        streams = {"/".join(p) for p in ole.listdir(streams=True, storages=True)}
        ole.close()
    except Exception:  # olefile raises many types on corrupt input
        return Kind("cfb", "OLE 複合文件")
    top = {s.split("/")[0] for s in streams}
    if "EncryptedPackage" in top:
        return Kind("ooxml-encrypted", "加密的 Office 文件")
    if "WordDocument" in top:
        return Kind("doc", "Word 97-2003 文件（doc）")
    if "Workbook" in top or "Book" in top:
        return Kind("xls", "Excel 97-2003 試算表（xls）")
    if "PowerPoint Document" in top:
        return Kind("ppt", "PowerPoint 97-2003 簡報（ppt）")
    if any(s.startswith("__substg1.0_") for s in top):
        return Kind("msg", "Outlook 郵件（msg）")
    return Kind("cfb", "OLE 複合文件")


def _sniff_text(data: bytes) -> Kind:
    text = decode_text(data[:65_536]).lstrip("\ufeff \t\r\n")
    low = text[:2048].lower()
    if _MAIL_HEADERS.search(data[:4096]) and _looks_like_mail(data[:8192]):
        return Kind("eml", "電子郵件（eml）")
    if low.startswith("<!doctype html") or low.startswith("<html") or "<body" in low[:2048]:
        return Kind("html", "HTML")
    if low.startswith("<?xml") or low.startswith("<!doctype") or low.startswith("<"):
        if _SW_TAGS.search(text):
            return Kind("sw", "公文交換表單（sw）")
        if _DI_TAGS.search(text):
            return Kind("di", "電子公文（di）")
        return Kind("xml", "XML")
    if low[:1] in ("{", "["):
        return Kind("json", "JSON 或文字檔")
    return Kind("text", "文字檔")


def _looks_like_mail(head: bytes) -> bool:
    """At least two known header lines before the first blank line, starting at the top."""
    block = re.split(rb"\r?\n\r?\n", head, maxsplit=1)[0]
    first = block.split(b"\n", 1)[0]
    if not re.match(rb"^[A-Za-z][A-Za-z0-9-]*:", first) and not first.startswith(b"From "):
        return False
    return len(_MAIL_HEADERS.findall(block)) >= 2
