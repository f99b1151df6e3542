"""Route bytes to the extractor for their kind; no extractor failure escapes this module."""

from __future__ import annotations

import importlib
import logging
import zipfile
from collections.abc import Callable

from dlp.extract.context import Context, Encrypted, Unreadable
from dlp.extract.limits import LimitReached
from dlp.extract.sniff import Kind, sniff

log = logging.getLogger(__name__)

Handler = Callable[[Context, bytes, str, int, str], None]

#: kind name -> "module:function" (imported on first use, so a broken optional parser
#: only affects its own format).
_ROUTES: dict[str, str] = {
    "zip": "archive:extract_zip",
    "gzip": "archive:extract_gzip",
    "tar": "archive:extract_tar",
    "docx": "docx:extract_docx",
    "xlsx": "xlsx:extract_xlsx",
    "pptx": "pptx:extract_pptx",
    "odf": "odf:extract_odf",
    "pdf": "pdf:extract_pdf",
    "eml": "mail:extract_eml",
    "di": "di:extract_di",
    "sw": "di:extract_sw",
    "xml": "di:extract_xml",
    "html": "text:extract_html",
    "json": "text:extract_json",
    "text": "text:extract_text",
    "ooxml-encrypted": "legacy:extract_encrypted_ooxml",
    "doc": "legacy:extract_doc",
    "xls": "legacy:extract_xls",
    "ppt": "legacy:extract_ppt",
    "msg": "legacy:extract_msg",
    "rtf": "legacy:extract_rtf",
    "image": "images:extract_image",
    "cfb": "legacy:extract_cfb",
    "7z": "sealed:extract_7z",
    "rar": "sealed:extract_rar",
    "pgp": "sealed:extract_pgp",
    "cms-encrypted": "sealed:extract_cms_encrypted",
    "cms-signed": "sealed:extract_cms_signed",
}

#: Kinds that are themselves zip (or hold their members already): no appended zip is looked for.
_ZIP_FAMILY = {"zip", "docx", "xlsx", "pptx", "odf", "tar", "gzip", "ooxml-encrypted", "empty"}


def _handler(kind: Kind) -> Handler | None:
    route = _ROUTES.get(kind.name)
    if route is None:
        return None
    module, func = route.split(":")
    return getattr(importlib.import_module(f"dlp.extract.{module}"), func)


def extract_into(ctx: Context, data: bytes, loc: str, depth: int) -> None:
    """Extract ``data`` (found at ``loc``, ``depth`` containers deep) into ``ctx``.

    Only :class:`LimitReached` propagates: it ends the whole top-level attachment.
    """
    if depth > ctx.limits.max_depth:
        ctx.limit(loc, "max_depth", "", f"巢狀層數超過上限 {ctx.limits.max_depth} 層，未檢查")
        return
    ctx.check_time(loc)
    try:
        kind = sniff(data)
    except Exception as exc:  # sniffing must never end the scan
        log.warning("sniff failed at %s: %r", loc, exc)
        kind = Kind("unknown", "無法辨識的檔案")
    handler = _handler(kind)
    if handler is None:
        if kind.name == "empty":
            ctx.unreadable(loc, "空白檔案，沒有內容可檢查", kind.label)
        else:
            ctx.unreadable(loc, f"無法檢查的檔案格式：{kind.label}", kind.label)
    else:
        _run(ctx, handler, data, loc, depth, kind)
    if kind.name not in _ZIP_FAMILY:
        _appended_zips(ctx, data, loc, depth)


def _appended_zips(ctx: Context, data: bytes, loc: str, depth: int) -> None:
    """Zips hidden after (or inside) another file: JPEG+zip, PDF+zip, self-extracting .exe."""
    from dlp.extract.polyglot import embedded_zips
    from dlp.extract.sniff import sniff_zip

    zips = embedded_zips(data)
    for n, (_, zipped) in enumerate(zips, start=1):
        where = f"{loc}/embedded-zip" if len(zips) == 1 else f"{loc}/embedded-zip:{n}"
        if depth + 1 > ctx.limits.max_depth:
            ctx.limit(where, "max_depth", "", f"巢狀層數超過上限 {ctx.limits.max_depth} 層，未檢查")
            continue
        kind = sniff_zip(zipped)  # not sniff(): the zip may still start with the host's bytes
        handler = _handler(kind)
        assert handler is not None
        _run(ctx, handler, zipped, where, depth + 1, kind)


def _run(ctx: Context, handler: Handler, data: bytes, loc: str, depth: int, kind: Kind) -> None:
    try:
        handler(ctx, data, loc, depth, kind.label)
    except LimitReached:
        raise
    except Encrypted as exc:
        ctx.encrypted(loc, str(exc) or f"{kind.label}以密碼保護，無法檢查", kind.label)
    except Unreadable as exc:
        ctx.unreadable(loc, str(exc) or f"{kind.label}無法讀取", kind.label)
    except RecursionError:
        ctx.unreadable(loc, f"{kind.label}結構過深，無法讀取", kind.label)
    except MemoryError:
        ctx.limit(loc, "max_expanded_bytes", kind.label, f"{kind.label}需要的記憶體過多，未完整檢查")
    except Exception as exc:  # any parser failure is a finding, never a crash
        log.info("extractor for %s failed at %s: %r", kind.name, loc, exc)
        reason = _reason(exc, kind.label)
        ctx.unreadable(loc, reason, kind.label)
        ctx.result.findings[-1].detail["error"] = f"{type(exc).__name__}: {exc}"[:200]


def _reason(exc: Exception, label: str) -> str:
    if isinstance(exc, zipfile.BadZipFile):
        return f"{label}已損毀或不完整（ZIP 結構錯誤），無法讀取"
    if isinstance(exc, (EOFError,)) or "truncated" in str(exc).lower() or "end of" in str(exc).lower():
        return f"{label}不完整（檔案被截斷），無法讀取"
    return f"{label}已損毀或格式不符，無法讀取"
