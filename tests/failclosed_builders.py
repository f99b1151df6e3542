"""Real files and mails that hide content where a careless filter does not look (issue 9).

Every file is made by the library a person would use (python-docx, openpyxl, python-pptx,
reportlab, pypdf, Pillow, gzip, zipfile, the email package, cryptography, gpg), then, where the
evasion needs it, changed the way an attacker would (a part renamed, a zip appended).
"""

from __future__ import annotations

import base64
import binascii
import gzip
import io
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from email.message import EmailMessage
from email.mime.application import MIMEApplication
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

ID = "D104553971"
#: The two kinds of content that must never leave unseen: a secrecy marking and a national ID.
PAYLOADS = {
    "marking": {"doc": "密等：機密\n主旨：檢送會議紀錄，請查照。", "line": "密等：機密　會議紀錄", "subject": "【機密】會議"},
    "id": {"doc": f"身分證字號：{ID}", "line": f"身分證字號 {ID}", "subject": f"身分證字號 {ID}"},
}
HARMLESS = "各位同仁好：\n下週三上午十點於第二會議室召開業務協調會，請準時出席。"


# -- images ---------------------------------------------------------------------------------


def image(fmt: str = "PNG", size: tuple[int, int] = (64, 32), text: str = "", noisy: bool = False) -> bytes:
    """A real image (Pillow); ``text`` is drawn into the pixels, legibly (on a light band, large
    enough for OCR to read it: since issue 15 pictures are read); ``noisy`` makes it incompressible."""
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("RGB", size, (240, 240, 240))
    if noisy:
        img = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    if text:
        draw = ImageDraw.Draw(img)
        draw.rectangle([0, 0, size[0], min(size[1], 64)], fill=(250, 250, 250))
        draw.text((10, 12), text.encode("ascii", "replace").decode(), fill=(0, 0, 0),
                  font=ImageFont.load_default(size=30))
    out = io.BytesIO()
    img.save(out, fmt)
    return out.getvalue()


# -- archives and compression ---------------------------------------------------------------


def zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


def polyglot(head: bytes, members: dict[str, bytes]) -> bytes:
    """``cat head.jpg payload.zip``: a file that opens as its head and unzips as the zip."""
    return head + zip_of(members)


def gzip_members(texts: list[str]) -> bytes:
    """A multi-member gzip (``cat a.gz b.gz``), as ``gzip -c a >> x.gz; gzip -c b >> x.gz`` makes."""
    return b"".join(gzip.compress(t.encode("utf-8")) for t in texts)


# -- office ---------------------------------------------------------------------------------


def _save(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def docx_text(text: str) -> bytes:
    import docx

    doc = docx.Document()
    for line in text.split("\n"):
        doc.add_paragraph(line)
    return _save(doc)


def rename_part(package: bytes, old: str, new: str) -> bytes:
    """Move one part of an OPC package, updating the relationships and content types that name it."""
    src = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    old_base, new_base = old.rsplit("/", 1)[-1], new.rsplit("/", 1)[-1]
    old_dir = old.rsplit("/", 1)[0]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            name = info.filename
            if name == old:
                name = new
            elif name == f"{old_dir}/_rels/{old_base}.rels":
                name = f"{new.rsplit('/', 1)[0]}/_rels/{new_base}.rels"
            if name.endswith(".rels") or name == "[Content_Types].xml":
                data = data.replace(f"/{old}".encode(), f"/{new}".encode()).replace(
                    f'Target="{old}"'.encode(), f'Target="{new}"'.encode()
                )
            dst.writestr(name, data)
    return out.getvalue()


def docx_renamed_main(text: str, new_name: str = "word/body.xml") -> bytes:
    return rename_part(docx_text(text), "word/document.xml", new_name)


def docx_alt_text(alt: str, attr: str = "descr") -> bytes:
    """A document whose only text is an image's alternative text (descr or title)."""
    import docx

    doc = docx.Document()
    doc.add_paragraph("請參閱附圖。")
    shape = doc.add_picture(io.BytesIO(image()))
    shape._inline.docPr.set(attr, alt)
    return _save(doc)


def docx_image_only(text_in_pixels: str = "") -> bytes:
    import docx

    doc = docx.Document()
    doc.add_picture(io.BytesIO(image(size=(400, 120), text=text_in_pixels, noisy=True)))
    return _save(doc)


def pptx_master_text(text: str, where: str = "master") -> bytes:
    """A presentation whose slides are harmless; ``text`` is in the master's or a layout's footer."""
    from pptx import Presentation
    from pptx.enum.shapes import PP_PLACEHOLDER

    prs = Presentation()
    holder = prs.slide_master if where == "master" else prs.slide_layouts[1]
    for ph in holder.placeholders:
        if ph.placeholder_format.type == PP_PLACEHOLDER.FOOTER:
            ph.text_frame.text = text
            break
    else:  # pragma: no cover - python-pptx's default template has footers
        raise AssertionError("no footer placeholder")
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    slide.shapes.title.text = "業務協調會"
    return _save(prs)


def pptx_alt_text(alt: str) -> bytes:
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    pic = slide.shapes.add_picture(io.BytesIO(image()), Inches(1), Inches(1))
    pic._element.nvPicPr.cNvPr.set("descr", alt)
    return _save(prs)


def pptx_chart_title(title: str) -> bytes:
    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.util import Inches

    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    data = CategoryChartData()
    data.categories = ["一月", "二月"]
    data.add_series("件數", (3, 5))
    chart = slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(1), Inches(1), Inches(6), Inches(4), data).chart
    chart.has_title = True
    chart.chart_title.text_frame.text = title
    return _save(prs)


def xlsx_number_format(prefix: str = "身分證字號 D", value: int = 104553971) -> bytes:
    """A cell that holds a number and shows ``prefix`` + the number through its format."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "編號"
    ws["A2"] = value
    ws["A2"].number_format = f'"{prefix}"0'
    return _save(wb)


def xlsx_sheet_name(name: str) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = name[:31]
    wb.active["A1"] = "本表空白"
    return _save(wb)


def xlsx_chart_title(title: str) -> bytes:
    import openpyxl
    from openpyxl.chart import BarChart, Reference

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["月份", "件數"])
    ws.append(["一月", 3])
    ws.append(["二月", 5])
    chart = BarChart()
    chart.title = title
    chart.add_data(Reference(ws, min_col=2, min_row=1, max_row=3), titles_from_data=True)
    ws.add_chart(chart, "D2")
    return _save(wb)


def xlsx_csv_like(rows: list[list[str]]) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    return _save(wb)


# -- PDF ------------------------------------------------------------------------------------


def _cjk_canvas(out: io.BytesIO):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("MSung-Light"))
    c = canvas.Canvas(out)
    c.setFont("MSung-Light", 12)
    return c


def pdf_text(lines: list[str]) -> bytes:
    out = io.BytesIO()
    c = _cjk_canvas(out)
    y = 780
    for line in lines:
        c.drawString(72, y, line)
        y -= 18
    c.showPage()
    c.save()
    return out.getvalue()


def pdf_annotation(text: str, kind: str = "FreeText") -> bytes:
    """A harmless page with ``text`` only in an annotation (a FreeText box or a sticky note)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import FreeText, Text

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_text(HARMLESS.split("\n")))))
    rect = (72, 500, 400, 560)
    annotation = FreeText(text=text, rect=rect) if kind == "FreeText" else Text(text=text, rect=rect)
    writer.add_annotation(page_number=0, annotation=annotation)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_form_field(value: str) -> bytes:
    """A form (reportlab AcroForm) whose filled-in field value is the only place ``value`` is."""
    from pypdf import PdfReader, PdfWriter

    out = io.BytesIO()
    c = _cjk_canvas(out)
    c.drawString(72, 780, "申請表")
    c.acroForm.textfield(name="applicant_id", value="", x=72, y=700, width=300, height=20)
    c.showPage()
    c.save()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(out.getvalue())))
    writer.update_page_form_field_values(writer.pages[0], {"applicant_id": value}, auto_regenerate=False)
    final = io.BytesIO()
    writer.write(final)
    return final.getvalue()


def pdf_image_page(text_in_pixels: str = "") -> bytes:
    """Page 1 has text, page 2 is only an image (a scanned page)."""
    from reportlab.lib.utils import ImageReader

    out = io.BytesIO()
    c = _cjk_canvas(out)
    c.drawString(72, 780, "會議紀錄（第一頁）")
    c.showPage()
    c.drawImage(ImageReader(io.BytesIO(image(size=(300, 120), text=text_in_pixels))), 50, 400, width=400, height=160)
    c.showPage()
    c.save()
    return out.getvalue()


def pdf_many_operators(operators: int = 200_000) -> bytes:
    """One page whose content stream has ``operators`` text-showing operators (pypdf writer)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_text(["x"]))))
    page = writer.pages[0]
    font = next(iter(page["/Resources"]["/Font"]))
    stream = DecodedStreamObject()
    stream.set_data(b"BT " + font.encode() + b" 12 Tf 72 720 Td " + b"(x) Tj " * operators + b"ET")
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# -- mail -----------------------------------------------------------------------------------


def _headers(msg, subject: str = "業務聯繫", sender: str = "clerk@hl.gov.tw", to: str = "friend@gmail.com") -> None:
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject


def mail_alternative(plain: str, html: str) -> bytes:
    msg = MIMEMultipart("alternative")
    _headers(msg)
    msg.attach(MIMEText(plain, "plain", "utf-8"))
    msg.attach(MIMEText(html, "html", "utf-8"))
    return msg.as_bytes()


def html_of(text: str) -> str:
    return "<html><body>" + "".join(f"<p>{line}</p>" for line in text.split("\n")) + "</body></html>"


def mail_raw_subject(subject: str, encoding: str = "utf-8") -> bytes:
    """A Subject in raw 8-bit bytes (no RFC 2047), as some mailers still send."""
    body = MIMEText(HARMLESS, "plain", "utf-8")
    raw = body.as_bytes()
    head = b"From: clerk@hl.gov.tw\r\nTo: friend@gmail.com\r\nSubject: " + subject.encode(encoding) + b"\r\n"
    return head + raw


def mail_display_name(name: str, header: str = "From") -> bytes:
    from email.headerregistry import Address

    msg = EmailMessage()
    sender = Address(name, "clerk", "hl.gov.tw") if header == "From" else "clerk@hl.gov.tw"
    to = Address(name, "friend", "gmail.com") if header in ("To", "Cc") else "friend@gmail.com"
    msg["From"] = sender
    msg["To"] = to if header != "Cc" else "other@gmail.com"
    if header == "Cc":
        msg["Cc"] = to
    msg["Subject"] = "業務聯繫"
    msg.set_content(HARMLESS)
    return msg.as_bytes()


def mail_attachment_name(filename: str, content: bytes = b"") -> bytes:
    msg = MIMEMultipart()
    _headers(msg)
    msg.attach(MIMEText(HARMLESS, "plain", "utf-8"))
    part = MIMEApplication(content, "octet-stream")
    part.add_header("Content-Disposition", "attachment", filename=("utf-8", "", filename))
    msg.attach(part)
    return msg.as_bytes()


def gpg_encrypt(data: bytes) -> bytes:
    """ASCII-armoured OpenPGP message made by the real gpg (symmetric, in a throw-away home)."""
    gpg = shutil.which("gpg")
    if gpg is None:
        raise AssertionError("gpg (GnuPG) is needed to build PGP test mail: apt-get install gnupg")
    with tempfile.TemporaryDirectory() as home:
        done = subprocess.run(
            [gpg, "--homedir", home, "--batch", "--yes", "--pinentry-mode", "loopback", "--passphrase", "pw",
             "--symmetric", "--armor"],
            input=data, capture_output=True, check=True, timeout=60,
        )
    return done.stdout


def mail_pgp_mime(secret: str) -> bytes:
    """RFC 3156 PGP/MIME: multipart/encrypted with the version part and the armoured message."""
    msg = MIMEMultipart("encrypted", protocol="application/pgp-encrypted")
    _headers(msg)
    version = MIMEBase("application", "pgp-encrypted")
    version.set_payload("Version: 1\n")
    msg.attach(version)
    body = MIMEBase("application", "octet-stream", name="encrypted.asc")
    body.set_payload(gpg_encrypt(MIMEText(secret, "plain", "utf-8").as_bytes()).decode("ascii"))
    msg.attach(body)
    return msg.as_bytes()


def mail_inline_pgp(secret: str) -> bytes:
    text = "請用密碼開啟：\n\n" + gpg_encrypt(secret.encode("utf-8")).decode("ascii")
    msg = MIMEText(text, "plain", "utf-8")
    _headers(msg)
    return msg.as_bytes()


def smime_enveloped(secret: str) -> bytes:
    """S/MIME enveloped data (cryptography's PKCS7EnvelopeBuilder) as a whole mail."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs7
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "friend@gmail.com")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(1).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    smime = pkcs7.PKCS7EnvelopeBuilder().set_data(secret.encode("utf-8")).add_recipient(cert).encrypt(
        serialization.Encoding.SMIME, []
    )
    return b"From: clerk@hl.gov.tw\r\nTo: friend@gmail.com\r\nSubject: =?utf-8?b?5qWt5YuZ?=\r\n" + smime


def mail_uuencoded(secret: str) -> bytes:
    data = secret.encode("utf-8")
    lines = ["begin 644 note.txt"]
    for i in range(0, len(data), 45):
        lines.append(binascii.b2a_uu(data[i : i + 45]).decode("ascii").rstrip("\n"))
    lines += ["`", "end"]
    msg = MIMEText(HARMLESS + "\n\n" + "\n".join(lines) + "\n", "plain", "utf-8")
    _headers(msg)
    return msg.as_bytes()


def mail_base64_run(secret: str) -> bytes:
    """A body with a pasted base64 run (the secret padded to a few hundred bytes)."""
    data = (secret + "\n" + "備註：" + "以下空白。" * 40).encode("utf-8")
    run = base64.encodebytes(data).decode("ascii")
    msg = MIMEText(HARMLESS + "\n\n" + run, "plain", "utf-8")
    _headers(msg)
    return msg.as_bytes()


def mail_truncated(last_part: str) -> bytes:
    """multipart/mixed whose closing boundary is missing; the last part still holds text."""
    msg = MIMEMultipart("mixed", boundary="==BOUNDARY==")
    _headers(msg)
    msg.attach(MIMEText(HARMLESS, "plain", "utf-8"))
    att = MIMEText(last_part, "plain", "utf-8")
    att.add_header("Content-Disposition", "attachment", filename="notes.txt")
    msg.attach(att)
    raw = msg.as_bytes()
    cut = raw.rindex(b"--==BOUNDARY==--")
    return raw[:cut]


def mail_with_attachments(files: list[tuple[str, bytes]], body: str = HARMLESS) -> bytes:
    msg = MIMEMultipart()
    _headers(msg)
    msg.attach(MIMEText(body, "plain", "utf-8"))
    for name, data in files:
        part = MIMEApplication(data, "octet-stream")
        part.add_header("Content-Disposition", "attachment", filename=("utf-8", "", name))
        msg.attach(part)
    return msg.as_bytes()


def mail_inline_image(data: bytes, cid: str = "logo") -> bytes:
    """An HTML mail with a signature image in multipart/related (Content-ID, inline)."""
    from email.mime.image import MIMEImage

    related = MIMEMultipart("related")
    _headers(related)
    related.attach(MIMEText(html_of(HARMLESS) + f'<img src="cid:{cid}">', "html", "utf-8"))
    img = MIMEImage(data, "png")
    img.add_header("Content-ID", f"<{cid}>")
    img.add_header("Content-Disposition", "inline", filename="logo.png")
    related.attach(img)
    return related.as_bytes()


def zeros_zip(size: int, name: str = "zeros.bin") -> bytes:
    """A zip holding ``size`` zero bytes, deflated (real zipfile, streamed so memory stays small)."""
    out = io.BytesIO()
    block = b"\0" * (1 << 20)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open(name, "w", force_zip64=False) as fh:
            left = size
            while left > 0:
                n = min(left, len(block))
                fh.write(block[:n])
                left -= n
    return out.getvalue()


def strip_crlf(raw: bytes) -> bytes:
    return re.sub(rb"\r\n", b"\n", raw)


# -- RAR (no free writer exists: built from RARLAB's published block layouts) -------------------


def _vint(n: int) -> bytes:
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _rar5_block(kind: int, flags: int, fields: bytes, extra: bytes = b"", data: bytes = b"") -> bytes:
    import zlib

    head = _vint(kind) + _vint(flags | (0x01 if extra else 0) | (0x02 if data else 0))
    if extra:
        head += _vint(len(extra))
    if data:
        head += _vint(len(data))
    head += fields + extra
    sized = _vint(len(head)) + head
    return zlib.crc32(sized).to_bytes(4, "little") + sized + data


def rar5(encrypted: bool = False, headers_encrypted: bool = False, name: str = "名冊.txt") -> bytes:
    """A RAR 5.0 archive with one stored file; ``encrypted`` adds the file encryption record
    (extra record type 0x01), ``headers_encrypted`` the archive encryption header (type 4)."""
    out = b"Rar!\x1a\x07\x01\x00"
    if headers_encrypted:
        out += _rar5_block(4, 0, _vint(0) + _vint(0) + bytes([15]) + os.urandom(16))
        return out + os.urandom(64)  # everything after is ciphertext
    out += _rar5_block(1, 0, _vint(0))
    content = b"\x8f" * 32 if encrypted else "身分證字號：D104553971".encode()
    raw_name = name.encode("utf-8")
    fields = _vint(0) + _vint(len(content)) + _vint(0x20) + _vint(0) + _vint(0) + _vint(len(raw_name)) + raw_name
    extra = b""
    if encrypted:
        record = _vint(0x01) + _vint(0) + _vint(0) + bytes([15]) + os.urandom(16) + os.urandom(16)
        extra = _vint(len(record)) + record
    out += _rar5_block(2, 0, fields, extra, content)
    return out + _rar5_block(5, 0, _vint(0))


def rar4(encrypted: bool = False, headers_encrypted: bool = False, name: str = "list.txt") -> bytes:
    """A RAR 2.9 archive with one stored file; flags 0x0004 (file) / 0x0080 (main) for passwords."""
    import struct
    import zlib

    def block(kind: int, flags: int, body: bytes) -> bytes:
        head = struct.pack("<BHH", kind, flags, 7 + len(body)) + body
        return struct.pack("<H", zlib.crc32(head) & 0xFFFF) + head

    out = b"Rar!\x1a\x07\x00" + block(0x73, 0x0080 if headers_encrypted else 0, b"\0" * 6)
    content = b"\x8f" * 32 if encrypted else b"ID D104553971"
    raw_name = name.encode("ascii")
    body = struct.pack("<IIBIIBBHI", len(content), len(content), 2, zlib.crc32(content), 0, 29, 0x30, len(raw_name), 0x20)
    body += raw_name
    flags = 0x8000 | (0x0004 if encrypted else 0)
    out += block(0x74, flags, body) + content
    return out + block(0x7B, 0x4000, b"")
