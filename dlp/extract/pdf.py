"""PDF: the text layer page by page (pypdf), wrapped identifiers rejoined; attachments inside.

A page with no text layer but images is a scan: its pages are read by OCR (one
:func:`dlp.ocr.ocr_pdf_pages` call per PDF, segments ``#page:N:ocr``). A page that has text but
also draws a page-sized picture (a scan with an OCR layer, whose red stamp is in the picture, not
in the text) gets the stamp pass alone (``stamps_only``). Annotations (comments, FreeText) and filled-in AcroForm values are read as segments of
their own; time is checked before every content-stream operator.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable
from contextvars import ContextVar

from dlp.extract.context import Context, Encrypted, Unreadable
from dlp.extract.dispatch import extract_into
from dlp.extract.htmltext import html_to_text
from dlp.extract.images import read_pdf_pages
from dlp.extract.limits import LimitReached

logging.getLogger("pypdf").setLevel(logging.ERROR)

#: The time check of the page being read, for pypdf's content-stream parser (see _hook_parser).
_PARSE_TICK: ContextVar[Callable[[], None] | None] = ContextVar("dlp_pdf_parse_tick", default=None)


def _hook_parser() -> None:
    """Let the message's time check run inside pypdf's content-stream parser, not only between
    operators: parsing one stream of 200,000 operators takes seconds and happens before the first
    operator is visited. pypdf (7.x) counts every token through ``ContentStream._check_limits``;
    we call the check of the current thread's page there (a ContextVar, so scans in other threads
    are not affected). Older pypdf has no such hook: then only the per-operator check applies.
    """
    from pypdf.generic import ContentStream

    original = ContentStream.__dict__.get("_check_limits")
    if not isinstance(original, staticmethod) or getattr(original.__func__, "_dlp_hooked", False):
        return
    inner = original.__func__

    def checked(*args, **kwargs):
        tick = _PARSE_TICK.get()
        if tick is not None:
            tick()
        return inner(*args, **kwargs)

    checked._dlp_hooked = True  # type: ignore[attr-defined]
    ContentStream._check_limits = staticmethod(checked)  # type: ignore[method-assign]

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

    _hook_parser()

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
    stamp_pages: list[int] = []
    failed: list[int] = []
    for n in range(count):
        where = f"{loc}#page:{n + 1}"
        ctx.check_time(where)
        tick = ctx.ticker(where, every=1024)
        token = _PARSE_TICK.set(tick)
        drawn: list[tuple[str, float]] = []
        try:
            page = pages[n]
            # The time is checked while the page's content is parsed and before every operator:
            # a page of 200,000 operators is interrupted when the message's time is spent.
            text = _tidy(page.extract_text(visitor_operand_before=_visitor(tick, drawn)) or "")
        except LimitReached:
            raise
        except Exception as exc:  # one bad page must not hide the others
            if type(exc).__name__ == "LimitReachedError":  # pypdf's own bound on a page's content
                ctx.limit(where, "pdf_page_content", label, f"PDF 第 {n + 1} 頁內容過於複雜（超過解析上限），未檢查")
            else:
                failed.append(n + 1)
            continue
        finally:
            _PARSE_TICK.reset(token)
        if text.strip():
            with_text += 1
            ctx.segment(where, text, "page")
            if _draws_page_sized_image(page, drawn):
                stamp_pages.append(n + 1)
        elif _has_images(page):
            image_pages.append(n + 1)
        _annotations(ctx, page, where)
    has_form = _form_values(ctx, reader, loc)
    read_pdf_pages(ctx, data, image_pages, loc)  # scanned pages: OCR, or a finding per unread page
    read_pdf_pages(ctx, data, stamp_pages, loc, stamps_only=True)
    if count and with_text == 0 and not failed and not image_pages and not has_form:
        ctx.unreadable(loc, "PDF 沒有可擷取的文字，無法檢查內容", label)
    if failed:
        shown = "、".join(str(p) for p in failed[:20])
        ctx.unreadable(loc, f"PDF 第 {shown} 頁無法讀取（頁面內容損毀）", label)
    if count == 0:
        raise Unreadable("PDF 沒有任何頁面或已損毀，無法讀取")
    _attachments(ctx, reader, loc, depth)


def _visitor(tick, drawn: list[tuple[str, float]]):
    """Before every operator: the time check; for ``Do`` (draw an XObject), note its name and
    the area it covers (in user-space units, from the current transformation matrix)."""
    def before_operator(operator: bytes, operands: object, cm: object, *_: object) -> None:
        tick()
        if operator == b"Do" and operands and len(drawn) < 1000:
            try:
                a, b, c, d = (float(v) for v in cm[:4])  # type: ignore[index]
                drawn.append((str(operands[0]), abs(a * d - b * c)))  # type: ignore[index]
            except Exception:
                return

    return before_operator


#: A picture covering at least this share of the page is "the page" (a scan under its OCR layer).
PAGE_SIZED_IMAGE = 0.5


def _draws_page_sized_image(page: object, drawn: list[tuple[str, float]]) -> bool:
    """True when the page draws an image XObject over most of its area."""
    if not drawn:
        return False
    try:
        box = page.mediabox  # type: ignore[attr-defined]
        area = abs(float(box.width) * float(box.height))
        resources = page.get("/Resources") or {}  # type: ignore[attr-defined]
        xobjects = resources.get_object().get("/XObject") or {}
        xobjects = xobjects.get_object()
        for name, covered in drawn:
            x = xobjects.get(name)
            if x is not None and x.get_object().get("/Subtype") == "/Image" and covered >= PAGE_SIZED_IMAGE * area:
                return True
    except Exception:
        return True  # cannot tell: read the stamps rather than miss one
    return False


def _annotations(ctx: Context, page: object, where: str) -> None:
    """Comments, FreeText boxes and other annotations of a page (their text, not appearance)."""
    try:
        annots = page.get("/Annots")  # type: ignore[attr-defined]
        annots = annots.get_object() if annots is not None else []
    except Exception:
        return
    lines: list[str] = []
    for ref in annots or []:
        try:
            annot = ref.get_object()
            if annot.get("/Subtype") in ("/Widget", "/Link", "/Popup"):
                continue  # form fields are read from the AcroForm; links and popups hold no text
            for key in ("/Contents", "/RC"):
                value = annot.get(key)
                if value is None:
                    continue
                value = value.get_object()
                text = value.get_data().decode("utf-8", "replace") if hasattr(value, "get_data") else str(value)
                text = html_to_text(text) if key == "/RC" else text
                if text.strip() and text.strip() not in lines:
                    lines.append(text.strip())
        except Exception:  # one broken annotation must not hide the others
            continue
    ctx.segment(f"{where}:annotations", "\n".join(lines), "page")  # drawn on the page


def _form_values(ctx: Context, reader: object, loc: str) -> bool:
    """Filled-in AcroForm field values, as ``name：value`` lines (once per document)."""
    try:
        fields = reader.get_fields() or {}  # type: ignore[attr-defined]
    except Exception:
        return False
    lines: list[str] = []
    for name, field in fields.items():
        try:
            value = field.get("/V")
            value = value.get_object() if hasattr(value, "get_object") else value
        except Exception:
            continue
        if value is None:
            continue
        shown = "、".join(str(v) for v in value) if isinstance(value, list) else str(value)
        shown = shown.lstrip("/") if shown.startswith("/") else shown
        if shown.strip() and shown not in ("Off",):
            lines.append(f"{name}：{shown}")
    ctx.segment(f"{loc}#form", "\n".join(lines), "field")
    return bool(lines)


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
            ctx.check_time(where)
            ctx.charge_bytes(len(content), where)
            ctx.name(where, name)
            extract_into(ctx, content, where, depth + 1)
