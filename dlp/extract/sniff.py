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
    (b"7z\xbc\xaf\x27\x1c", 0, "7z", "7-Zip 壓縮檔"),
    (b"Rar!\x1a\x07", 0, "rar", "RAR 壓縮檔"),
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
    """Return the kind of ``data``; containers are opened just enough to tell them apart."""
    head = data[:1024]
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _sniff_zip(data)
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
    for magic, off, label in _IMAGES:
        if data[off : off + len(magic)] == magic:
            return Kind("image", label)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return Kind("image", "WebP")
    if data[4:8] == b"ftyp":
        brand = data[8:12]
        if brand in (b"heic", b"heix", b"mif1", b"avif"):
            return Kind("image", "HEIC")
        return Kind("video", "MP4/MOV 影音檔")
    if data[:4] == b"RIFF":
        return Kind("audio", "RIFF 影音檔")
    for magic, off, name, label in _OTHER_BINARY:
        if data[off : off + len(magic)] == magic:
            return Kind(name, label)
    if not data:
        return Kind("empty", "空白檔案")
    if _zip_at_end(data):
        return _sniff_zip(data)
    if looks_like_text(data):
        return _sniff_text(data)
    return Kind("unknown", "無法辨識的二進位檔")


def _zip_at_end(data: bytes) -> bool:
    """Self-extracting or prefixed zips keep their end record near the end."""
    return b"PK\x05\x06" in data[-65_600:] and zipfile.is_zipfile(io.BytesIO(data))


def _sniff_zip(data: bytes) -> Kind:
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
        if any(n.startswith("word/") for n in names):
            return Kind("docx", "Word 文件（docx）")
        if any(n.startswith("xl/") for n in names):
            return Kind("xlsx", "Excel 試算表（xlsx）")
        if any(n.startswith("ppt/") for n in names):
            return Kind("pptx", "PowerPoint 簡報（pptx）")
        return Kind("zip", "Office Open XML 檔")
    return Kind("zip", "ZIP 壓縮檔")


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
