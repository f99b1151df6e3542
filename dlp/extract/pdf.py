"""PDF: the text layer page by page (pypdf), wrapped identifiers rejoined; attachments inside.

A PDF with no text layer at all is a scan: reported as unreadable (no OCR here).
"""

from __future__ import annotations

import io
import logging
import re

from dlp.extract.context import Context, Encrypted, Unreadable
from dlp.extract.dispatch import extract_into

logging.getLogger("pypdf").setLevel(logging.ERROR)

# A line that ends inside an ASCII identifier (K1 | 46619078) continues on the next line.
_WRAPPED = re.compile(r"(?<=[A-Za-z0-9])[ \t]*\n(?=[0-9])")
_ID_TAIL = re.compile(r"([A-Za-z0-9]+)$")
_ID_HEAD = re.compile(r"^([0-9]+)")


def join_wrapped(text: str) -> str:
    """Rejoin identifiers that line wrapping split, without merging short lines such as stamps.

    A break is removed only when the line before has other text ahead of the split token and the
    two halves together still look like one identifier (at most 20 characters).
    """
    lines = text.split("\n")
    out: list[str] = []
    for line in lines:
        if out:
            prev = out[-1].rstrip()
            tail = _ID_TAIL.search(prev)
            head = _ID_HEAD.match(line)
            if tail and head and len(prev) > len(tail.group(1)) and len(tail.group(1)) + len(head.group(1)) <= 20:
                out[-1] = prev + line
                continue
        out.append(line)
    return "\n".join(out)


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return join_wrapped("\n".join(lines)).strip("\n")


def extract_pdf(ctx: Context, data: bytes, loc: str, depth: int, label: str) -> None:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
    except PdfReadError as exc:
        raise Unreadable(f"PDF 已損毀或不完整，無法讀取（{str(exc)[:60]}）") from exc
    if reader.is_encrypted:
        # Owner-password-only PDFs open for anyone (empty user password): read them like a person would.
        try:
            ok = reader.decrypt("")
        except (FileNotDecryptedError, NotImplementedError, Exception) as exc:  # noqa: BLE001
            raise Encrypted("PDF 以密碼保護（加密），無法檢查") from exc
        if not ok:
            raise Encrypted("PDF 以密碼保護（加密），無法檢查")
    try:
        pages = reader.pages
        count = len(pages)
    except Exception as exc:  # broken page tree
        raise Unreadable("PDF 頁面結構損毀，無法讀取") from exc
    with_text = 0
    image_pages: list[int] = []
    failed: list[int] = []
    for n in range(count):
        ctx.check_time(f"{loc}#page:{n + 1}")
        try:
            page = pages[n]
            text = _tidy(page.extract_text() or "")
        except Exception:  # one bad page must not hide the others
            failed.append(n + 1)
            continue
        if text.strip():
            with_text += 1
            ctx.segment(f"{loc}#page:{n + 1}", text, "page")
        elif _has_images(page):
            image_pages.append(n + 1)
    if count and with_text == 0 and not failed:
        reason = "PDF 沒有文字層（掃描影像），無法檢查內容" if image_pages else "PDF 沒有可擷取的文字，無法檢查內容"
        ctx.unreadable(loc, reason, label)
    elif image_pages:
        shown = "、".join(str(p) for p in image_pages[:20])
        ctx.not_inspected(loc, f"第 {shown} 頁只有影像（掃描），未檢查影像內容")
    if failed:
        shown = "、".join(str(p) for p in failed[:20])
        ctx.unreadable(loc, f"PDF 第 {shown} 頁無法讀取（頁面內容損毀）", label)
    if count == 0:
        raise Unreadable("PDF 沒有任何頁面或已損毀，無法讀取")
    _attachments(ctx, reader, loc, depth)


def _has_images(page: object) -> bool:
    try:
        resources = page.get("/Resources") or {}  # type: ignore[attr-defined]
        xobjects = resources.get_object().get("/XObject") or {}
        return any(x.get_object().get("/Subtype") == "/Image" for x in xobjects.get_object().values())
    except Exception:
        return True  # cannot tell: assume a scan rather than pass it silently


def _attachments(ctx: Context, reader: object, loc: str, depth: int) -> None:
    """Files attached to the PDF are read like any other attachment."""
    try:
        files = dict(reader.attachments)  # type: ignore[attr-defined]
    except Exception:
        return
    for name, contents in files.items():
        for i, content in enumerate(contents):
            where = f"{loc}/{name}" if i == 0 else f"{loc}/{name}({i + 1})"
            ctx.charge_bytes(len(content), where)
            extract_into(ctx, content, where, depth + 1)
