"""Real test files, built with the real libraries (python-docx, openpyxl, python-pptx, odfpy,
reportlab, pypdf, pyzipper, msoffcrypto-tool, xlwt) and, where no writer exists, by hand from
the published formats (a zip bomb, compound files for .doc/.ppt/.msg)."""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from email.header import Header
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周"
GIVEN = "志明淑芬家豪美玲俊傑雅婷建宏怡君冠宇佳穎承恩詩涵"
_LETTERS = "ABCDEFGHJKLMNPQRSTUVXYWZIO"


def national_id(n: int) -> str:
    """A valid 國民身分證統一編號 (checksum per the public algorithm) for test residents."""
    letter = _LETTERS[n % 26]
    code = 10 + _LETTERS.index(letter)
    digits = [1 + n % 2] + [int(c) for c in f"{(n * 7919) % 10_000_000:07d}"]
    total = code // 10 + (code % 10) * 9 + sum(d * w for d, w in zip(digits, range(8, 0, -1)))
    check = (10 - total % 10) % 10
    return letter + "".join(map(str, digits)) + str(check)


def residents(n: int) -> list[tuple[str, str, str]]:
    out = []
    for i in range(n):
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 2) % len(GIVEN)] + GIVEN[(i * 2 + 1) % len(GIVEN)]
        out.append((name, national_id(i), f"09{(i * 1234567) % 100_000_000:08d}"))
    return out


# -- office documents -----------------------------------------------------------------------


def docx(
    body: str = "主旨：檢送會議紀錄，請查照。",
    header: str | None = None,
    footer: str | None = None,
    title: str | None = None,
    paragraphs: int = 1,
) -> bytes:
    import docx as python_docx

    doc = python_docx.Document()
    section = doc.sections[0]
    if header is not None:
        section.header.paragraphs[0].text = header
    if footer is not None:
        section.footer.paragraphs[0].text = footer
    for _ in range(paragraphs):
        doc.add_paragraph(body)
    if title:
        doc.core_properties.title = title
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def xlsx_residents(n: int = 50, hidden: bool = True) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "說明"
    wb.active["A1"] = "本檔案為活動報名統計"
    ws = wb.create_sheet("居民名冊")
    if hidden:
        ws.sheet_state = "hidden"
    ws.append(["姓名", "身分證統一編號", "手機"])
    for row in residents(n):
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx_rows(rows: int, cols: int = 8) -> bytes:
    """A big workbook (for benchmarks), written in streaming mode."""
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("資料")
    people = residents(997)
    for r in range(rows):
        name, pid, phone = people[r % len(people)]
        ws.append([r, name, pid, phone, f"花蓮縣花蓮市中山路{r % 300}號", r * 3.5, "備註" * (r % 5), cols])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_WS_REL = _REL_NS + "/worksheet"


def xlsx_package(
    sheets: list[tuple[str, str]],
    shared: str | None = None,
    styles: str | None = None,
    hidden: tuple[str, ...] = (),
    extra: dict[str, bytes] | None = None,
) -> bytes:
    """A workbook written by hand, as Excel lays it out: ``sheets`` are (name, worksheet XML).

    ``shared`` is the whole xl/sharedStrings.xml, ``styles`` xl/styles.xml; both are left out when
    None. Lets tests use what openpyxl never writes (prefixes, rich text, phonetic runs, CDATA).
    """
    types = [
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>',
        '<Default Extension="xml" ContentType="application/xml"/>',
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>',
    ]
    rels = []
    entries = []
    members: dict[str, bytes] = {}
    for i, (name, xml) in enumerate(sheets, start=1):
        types.append(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        )
        rels.append(f'<Relationship Id="rId{i}" Type="{_WS_REL}" Target="worksheets/sheet{i}.xml"/>')
        state = ' state="hidden"' if name in hidden else ""
        entries.append(f'<sheet name="{name}" sheetId="{i}"{state} r:id="rId{i}"/>')
        members[f"xl/worksheets/sheet{i}.xml"] = xml.encode("utf-8")
    n = len(sheets)
    if shared is not None:
        members["xl/sharedStrings.xml"] = shared.encode("utf-8")
        types.append(
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        )
        rels.append(f'<Relationship Id="rId{n + 1}" Type="{_REL_NS}/sharedStrings" Target="sharedStrings.xml"/>')
    if styles is not None:
        members["xl/styles.xml"] = styles.encode("utf-8")
        types.append(
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        )
        rels.append(f'<Relationship Id="rId{n + 2}" Type="{_REL_NS}/styles" Target="styles.xml"/>')
    members["[Content_Types].xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' + "".join(types) + "</Types>"
    ).encode()
    members["_rels/.rels"] = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ).encode()
    members["xl/workbook.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{SHEET_NS}" xmlns:r="{_REL_NS}">'
        "<sheets>" + "".join(entries) + "</sheets></workbook>"
    ).encode()
    members["xl/_rels/workbook.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(rels)
        + "</Relationships>"
    ).encode()
    members.update(extra or {})
    return zip_of(members)


def sheet_xml(rows: str, prefix: str = "", tail: str = "") -> str:
    """A worksheet part around ``rows`` (``<row>`` elements written with ``prefix``)."""
    p = f"{prefix}:" if prefix else ""
    decl = f'xmlns:{prefix}="{SHEET_NS}"' if prefix else f'xmlns="{SHEET_NS}"'
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<{p}worksheet {decl} xmlns:r="{_REL_NS}">'
        f"<{p}sheetData>{rows}</{p}sheetData>{tail}</{p}worksheet>"
    )


def shared_xml(items: list[str]) -> str:
    """xl/sharedStrings.xml from ready-made ``<si>`` contents."""
    body = "".join(f"<si>{i}</si>" for i in items)
    return f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{SHEET_NS}" count="{len(items)}">{body}</sst>'


#: Styles with cell format 1 showing a date (built-in number format 14) and 2 a custom date.
DATE_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{SHEET_NS}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy/mm/dd hh:mm"/></numFmts>'
    '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/></cellXfs></styleSheet>'
)


def xlsx_shared_rows(rows: int) -> bytes:
    """A big workbook laid out as Excel writes it (for benchmarks): shared strings, styles,
    dates and formulas with cached values."""
    from xml.sax.saxutils import escape

    people = residents(997)
    strings: list[str] = []
    index: dict[str, int] = {}

    def sid(text: str) -> int:
        if text not in index:
            index[text] = len(strings)
            strings.append(text)
        return index[text]

    parts: list[str] = []
    for r in range(1, rows + 1):
        name, pid, phone = people[r % len(people)]
        parts.append(
            f'<row r="{r}" spans="1:8"><c r="A{r}"><v>{r}</v></c>'
            f'<c r="B{r}" t="s"><v>{sid(name)}</v></c><c r="C{r}" t="s"><v>{sid(pid)}</v></c>'
            f'<c r="D{r}" t="s"><v>{sid(phone)}</v></c>'
            f'<c r="E{r}" t="s"><v>{sid(f"花蓮縣花蓮市中山路{r % 300}號")}</v></c>'
            f'<c r="F{r}" s="1"><v>{30000 + r % 20000}</v></c>'
            f'<c r="G{r}"><f>A{r}*3.5</f><v>{r * 3.5}</v></c><c r="H{r}" t="s"><v>{sid("備註" * (r % 5 + 1))}</v></c>'
            "</row>"
        )
    shared = shared_xml([f"<t>{escape(s)}</t>" for s in strings])
    return xlsx_package([("資料", sheet_xml("".join(parts)))], shared=shared, styles=DATE_STYLES)


def pptx_with_notes(slide_text: str = "年度計畫簡報", notes: str = "講者備忘：本案資料為密件，勿外流") -> bytes:
    import pptx

    prs = pptx.Presentation()
    first = prs.slides.add_slide(prs.slide_layouts[1])
    first.shapes.title.text = "封面"
    first.placeholders[1].text = "○○局"
    second = prs.slides.add_slide(prs.slide_layouts[1])
    second.shapes.title.text = slide_text
    second.placeholders[1].text = "工作項目"
    second.notes_slide.notes_text_frame.text = notes
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def odt_gongwen(level: str = "密", header: str | None = "密") -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.style import Footer, MasterPage, PageLayout
    from odf.style import Header as OdfHeader
    from odf.text import P

    doc = OpenDocumentText()
    layout = PageLayout(name="pm1")
    doc.automaticstyles.addElement(layout)
    master = MasterPage(name="Standard", pagelayoutname=layout)
    if header:
        h = OdfHeader()
        h.addElement(P(text=header))
        master.addElement(h)
    f = Footer()
    f.addElement(P(text="第 1 頁"))
    master.addElement(f)
    doc.masterstyles.addElement(master)
    for line in (
        "花蓮縣政府　函",
        "發文字號：府授人字第1140012345號",
        "速　　別：最速件",
        f"密等及解密條件或保密期限：{level}（本件於公布時解密）",
        "主旨：檢送計畫草案1份，請查照。",
    ):
        doc.text.addElement(P(text=line))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def ods_sheet(rows: list[list[str]], name: str = "工作表1") -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name=name)
    for row in rows:
        tr = TableRow()
        for value in row:
            cell = TableCell()
            cell.addElement(P(text=value))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def odp_with_notes(slide: str, notes: str) -> bytes:
    from odf.draw import Frame, Page, TextBox
    from odf.opendocument import OpenDocumentPresentation
    from odf.presentation import Notes
    from odf.style import MasterPage, PageLayout
    from odf.text import P

    doc = OpenDocumentPresentation()
    layout = PageLayout(name="pm1")
    doc.automaticstyles.addElement(layout)
    master = MasterPage(name="Default", pagelayoutname=layout)
    doc.masterstyles.addElement(master)
    page = Page(name="p1", masterpagename=master)

    def frame(text: str) -> Frame:
        fr = Frame(width="10cm", height="3cm", x="1cm", y="1cm")
        box = TextBox()
        box.addElement(P(text=text))
        fr.addElement(box)
        return fr

    page.addElement(frame(slide))
    n = Notes()
    n.addElement(frame(notes))
    page.addElement(n)
    doc.presentation.addElement(page)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def encrypt_ooxml(plain: bytes, password: str = "secret") -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(plain)).encrypt(password, out)
    return out.getvalue()


def encrypt_odf(plain: bytes) -> bytes:
    """An ODF package whose manifest declares encrypted content (as LibreOffice writes it)."""
    src = zipfile.ZipFile(io.BytesIO(plain))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "META-INF/manifest.xml":
                data = re.sub(
                    rb'(<manifest:file-entry manifest:full-path="content.xml"[^>]*)/>',
                    rb'\1><manifest:encryption-data manifest:checksum-type="SHA1/1K" '
                    rb'manifest:checksum="AAAA"><manifest:algorithm manifest:algorithm-name="Blowfish CFB" '
                    rb'manifest:initialisation-vector="AAAA"/></manifest:encryption-data></manifest:file-entry>',
                    data,
                )
            elif info.filename == "content.xml":
                data = bytes(b ^ 0x5A for b in data)
            dst.writestr(info, data)
    return out.getvalue()


# -- PDF ------------------------------------------------------------------------------------


def pdf_pages(pages: list[list[str]]) -> bytes:
    """One PDF page per list of lines (top to bottom), in reportlab's built-in CJK CID font."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("MSung-Light"))
    out = io.BytesIO()
    c = canvas.Canvas(out)
    for lines in pages:
        c.setFont("MSung-Light", 11)
        y = 800
        for line in lines:
            c.drawString(60, y, line)
            y -= 16
        c.showPage()
    c.save()
    return out.getvalue()


def pdf_encrypted(password: str = "secret") -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(pdf_pages([["機密", "內容"]]))).pages:
        writer.add_page(page)
    writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_image_only() -> bytes:
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out)
    c.drawImage(ImageReader(io.BytesIO(png())), 50, 400, width=400, height=300)
    c.showPage()
    c.save()
    return out.getvalue()


def png(size: tuple[int, int] = (64, 32)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


# -- archives -------------------------------------------------------------------------------


def zip_of(members: dict[str, bytes], cp950_names: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    raw = out.getvalue()
    if cp950_names:
        raw = _recode_names(raw, members)
    return raw


def _recode_names(raw: bytes, members: dict[str, bytes]) -> bytes:
    """Store names as CP950 bytes without the UTF-8 flag, as Windows zip tools in Taiwan do.

    zipfile always writes non-ASCII names as UTF-8, so the archive is written with placeholder
    names of the same byte length, which are then replaced in the headers.
    """
    out = io.BytesIO()
    swaps: list[tuple[bytes, bytes]] = []
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:
        for i, (name, data) in enumerate(members.items()):
            real = name.encode("cp950")
            fake = f"~{i}~".ljust(len(real), "~").encode()
            swaps.append((fake, real))
            zf.writestr(fake.decode(), data)
    raw = out.getvalue()
    for fake, real in swaps:
        raw = raw.replace(fake, real)
    return raw


def zip_encrypted(
    members: dict[str, bytes], password: bytes = b"secret", plain: dict[str, bytes] | None = None
) -> bytes:
    import pyzipper

    out = io.BytesIO()
    with pyzipper.AESZipFile(out, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES) as zf:
        zf.setpassword(password)
        for name, data in members.items():
            zf.writestr(name, data)
    raw = out.getvalue()
    if plain:
        # Add unencrypted members next to the encrypted ones.
        buf = io.BytesIO(raw)
        with zipfile.ZipFile(buf, "a") as zf:
            for name, data in plain.items():
                zf.writestr(name, data)
        raw = buf.getvalue()
    return raw


def zip_crypto(name: bytes, data: bytes, password: bytes = b"secret") -> bytes:
    """A one-member zip encrypted the traditional PKWARE way (ZipCrypto, APPNOTE 6.1), as the
    zip tools of Windows and 7-Zip write by default; ``name`` in bytes (CP950 from those tools).
    pyzipper writes only AES and zipfile only reads ZipCrypto, so the cipher is written here."""
    keys = [0x12345678, 0x23456789, 0x34567890]

    def crc(value: int, byte: int) -> int:
        return zlib.crc32(bytes([byte]), value ^ 0xFFFFFFFF) ^ 0xFFFFFFFF

    def update(byte: int) -> None:
        keys[0] = crc(keys[0], byte)
        keys[1] = ((keys[1] + (keys[0] & 0xFF)) * 134775813 + 1) & 0xFFFFFFFF
        keys[2] = crc(keys[2], keys[1] >> 24)

    def encrypt(plain: bytes) -> bytes:
        out = bytearray()
        for byte in plain:
            temp = (keys[2] | 2) & 0xFFFF
            out.append(byte ^ (((temp * (temp ^ 1)) >> 8) & 0xFF))
            update(byte)
        return bytes(out)

    for byte in password:
        update(byte)
    checksum = zlib.crc32(data)
    deflater = zlib.compressobj(6, zlib.DEFLATED, -15)
    body = encrypt(bytes(11) + bytes([checksum >> 24]) + deflater.compress(data) + deflater.flush())
    return _raw_zip(name, body, len(data), checksum, flags=0x1)


def _deflate_zeros(total: int, block: int = 1 << 20) -> bytes:
    """A raw deflate stream of ``total`` zero bytes, built without producing them.

    After a full flush the compressor starts afresh, so each block of zeros compresses to the
    same bytes; repeating that unit and appending an empty final block gives a valid stream.
    """
    assert total % block == 0
    unit = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = unit.compress(b"\0" * block) + unit.flush(zlib.Z_FULL_FLUSH)
    return chunk * (total // block) + b"\x03\x00"


def _raw_zip(name: str | bytes, deflated: bytes, size: int, crc: int = 0, flags: int = 0, method: int = 8) -> bytes:
    """A one-member zip written field by field (sizes below 4 GiB, no zip64). ``name`` as bytes is
    written as it is (a CP950 name without the UTF-8 flag); ``flags``: bit 0 marks it encrypted."""
    fname = name if isinstance(name, bytes) else name.encode()
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, method, 0, 0, crc, len(deflated), size, len(fname), 0)
    local += fname
    central = (
        struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, flags, method, 0, 0, crc, len(deflated), size, len(fname),
            0, 0, 0, 0, 0, 0,
        )
        + fname
    )
    cd_offset = len(local) + len(deflated)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), cd_offset, 0)
    return local + deflated + central + end


def zip_bomb(expanded: int = 4_000_000_000 // (1 << 20) * (1 << 20), nested: bool = True) -> bytes:
    """A zip whose content expands to ``expanded`` bytes of zeros (4 GB by default).

    The inner zip holds one member of ``expanded`` zeros (~4 MB compressed); with ``nested``, it
    is zipped again, which squeezes the repeated deflate blocks down to tens of kilobytes. The
    CRC is left at 0: nothing may ever decompress that far.
    """
    inner = _raw_zip("zeros.bin", _deflate_zeros(expanded), expanded)
    if not nested:
        return inner
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("inner.zip", inner)
    return out.getvalue()


# -- mail -----------------------------------------------------------------------------------


def eml_big5(body: str, attachment: tuple[str, bytes] | None = None, subject: str = "補助名冊") -> bytes:
    msg = MIMEMultipart()
    msg["Subject"] = Header(subject, "big5")
    msg["From"] = "clerk@hl.gov.tw"
    msg["To"] = "someone@gmail.com"
    msg.attach(MIMEText(body, "plain", "big5"))
    if attachment:
        name, data = attachment
        part = MIMEApplication(data)
        part.add_header("Content-Disposition", "attachment", filename=("utf-8", "", name))
        msg.attach(part)
    return msg.as_bytes()


# -- 公文 DI / SW ---------------------------------------------------------------------------


def di_letter(level: str | None = "密", encoding: str = "utf-8", condition: str = "本件於公布時解密") -> bytes:
    secrecy = (
        f'<密等及解密條件或保密期限><密等 代碼="{level}"/><解密條件或保密期限>{condition}</解密條件或保密期限></密等及解密條件或保密期限>'
        if level
        else f"<密等及解密條件或保密期限><密等/><解密條件或保密期限>{condition}</解密條件或保密期限></密等及解密條件或保密期限>"
    )
    xml = f"""<?xml version="1.0" encoding="{encoding}"?>
<!DOCTYPE 函 SYSTEM "104_2_utf8.dtd" [
<!ENTITY 表單 SYSTEM "1140012345.sw" NDATA DI>
<!ENTITY ATTACH1 SYSTEM "附件一.pdf" NDATA _X>
<!ENTITY secret SYSTEM "file:///etc/passwd">
]>
<函>
<發文機關><全銜>花蓮縣政府</全銜><機關代碼>376570000A</機關代碼></發文機關>
<函類別 代碼="函"/>
<地址>970花蓮縣花蓮市府前路17號</地址>
<聯絡方式>承辦人：王小明</聯絡方式>
<受文者><交換表 交換表單="表單"/></受文者>
<發文日期><年月日>中華民國114年5月20日</年月日></發文日期>
<發文字號><字>府授人</字><文號><年度>114</年度><流水號>0012345</流水號></文號></發文字號>
<速別 代碼="普通件"/>
{secrecy}
<附件><文字>如說明二</文字><附件檔名 附件名="ATTACH1"/></附件>
<主旨><文字>檢送計畫草案1份，請查照。&secret;</文字></主旨>
<段落 段名="說明："><條列 序號="一、"><文字>依據本府114年5月1日函辦理。</文字></條列></段落>
<正本><全銜>花蓮市公所</全銜></正本>
</函>"""
    return xml.encode("cp950" if encoding.lower() == "big5" else encoding)


def sw_list() -> bytes:
    return """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE 交換表單 SYSTEM "104_roster_utf8.dtd">
<交換表單><全銜>花蓮縣政府</全銜><受文者><機關代碼>376570100A</機關代碼><全銜>花蓮市公所</全銜></受文者></交換表單>""".encode()


# -- compound files (.doc, .ppt, .msg) ------------------------------------------------------


def cfb(streams: dict[str, bytes]) -> bytes:
    """A minimal Compound File (version 3) holding the given streams.

    Every stream is padded to at least 4096 bytes so that no mini stream is needed; names with
    '/' go into one level of storages. Directory entries form a simple right-leaning chain.
    """
    sector = 512
    storages: dict[str, dict[str, bytes]] = {}
    top: dict[str, bytes] = {}
    for name, data in streams.items():
        if "/" in name:
            st, leaf = name.split("/", 1)
            storages.setdefault(st, {})[leaf] = data
        else:
            top[name] = data
    entries: list[dict] = [{"name": "Root Entry", "type": 5, "children": []}]

    def add(name: str, type_: int, data: bytes = b"") -> int:
        entries.append({"name": name, "type": type_, "data": data, "children": []})
        return len(entries) - 1

    for name, data in top.items():
        entries[0]["children"].append(add(name, 2, data))
    for st, kids in storages.items():
        idx = add(st, 1)
        entries[0]["children"].append(idx)
        for leaf, data in kids.items():
            entries[idx]["children"].append(add(leaf, 2, data))
    body = bytearray()
    chains: list[list[int]] = []
    for e in entries:
        data = e.get("data", b"")
        if e["type"] == 2:
            data = data + b"\0" * max(0, 4096 - len(data))
            e["size"] = len(data)
            n = -(-len(data) // sector)
            start = len(body) // sector
            body += data + b"\0" * (n * sector - len(data))
            e["start"] = start
            chains.append(list(range(start, start + n)))
        else:
            e["size"], e["start"] = 0, 0xFFFFFFFE
    dir_entries = len(entries)
    dir_sectors = -(-dir_entries * 128 // sector)
    dir_start = len(body) // sector
    chains.append(list(range(dir_start, dir_start + dir_sectors)))
    data_sectors = dir_start + dir_sectors
    fat_sectors = -(-(data_sectors + 1) * 4 // sector)
    while -(-(data_sectors + fat_sectors) * 4 // sector) > fat_sectors:
        fat_sectors += 1
    fat = [0xFFFFFFFF] * (fat_sectors * sector // 4)
    for chain in chains:
        for a, b in zip(chain, chain[1:] + [0xFFFFFFFE]):
            fat[a] = b
    for i in range(fat_sectors):
        fat[data_sectors + i] = 0xFFFFFFFD
    directory = bytearray()
    for e in entries:
        kids = e["children"]
        for a, b in zip(kids, kids[1:]):
            entries[a]["right"] = b
    for e in entries:
        name = e["name"].encode("utf-16-le") + b"\0\0"
        child = e["children"][0] if e["children"] else 0xFFFFFFFF
        directory += struct.pack(
            "<64sHBBIII16sIQQIII",
            name.ljust(64, b"\0"),
            len(name),
            e["type"],
            1,
            0xFFFFFFFF,
            e.get("right", 0xFFFFFFFF),
            child,
            b"\0" * 16,
            0,
            0,
            0,
            e["start"],
            e["size"],
            0,
        )
    directory += b"\0" * (dir_sectors * sector - len(directory))
    for i in range(dir_entries, dir_sectors * sector // 128):
        struct.pack_into("<I", directory, i * 128 + 68, 0xFFFFFFFF)
        struct.pack_into("<I", directory, i * 128 + 72, 0xFFFFFFFF)
        struct.pack_into("<I", directory, i * 128 + 76, 0xFFFFFFFF)
    difat = list(range(data_sectors, data_sectors + fat_sectors)) + [0xFFFFFFFF] * (109 - fat_sectors)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"\0" * 16,
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"\0" * 6,
        0,
        fat_sectors,
        dir_start,
        0,
        4096,
        0xFFFFFFFE,
        0,
        0xFFFFFFFE,
        0,
    ) + struct.pack("<109I", *difat)
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    return header + bytes(body) + bytes(directory) + fat_bytes


def doc_file(body: str, header: str = "", encrypted: bool = False) -> bytes:
    """A Word 97-2003 file: FIB + one UTF-16 piece holding body then header story ([MS-DOC])."""
    text = body + "\r" + (header + "\r" if header else "")
    word = bytearray(0x600)
    struct.pack_into("<H", word, 0, 0xA5EC)
    struct.pack_into("<H", word, 0x0A, 0x0200 | (0x0100 if encrypted else 0))  # 1Table
    struct.pack_into("<3I", word, 0x4C, len(body) + 1, 0, len(header) + 1 if header else 0)
    fc = len(word)
    word += text.encode("utf-16-le")
    plc = struct.pack("<II", 0, len(text)) + struct.pack("<HIH", 0, fc, 0)
    clx = b"\x02" + struct.pack("<I", len(plc)) + plc
    table = bytearray(16) + clx
    struct.pack_into("<II", word, 0x1A2, 16, len(clx))
    return cfb({"WordDocument": bytes(word), "1Table": bytes(table)})


def ppt_file(texts: list[str]) -> bytes:
    """A PowerPoint 97-2003 stream: a container holding TextCharsAtom records ([MS-PPT])."""
    atoms = b"".join(struct.pack("<HHI", 0, 0x0FA0, len(t.encode("utf-16-le"))) + t.encode("utf-16-le") for t in texts)
    doc = struct.pack("<HHI", 0x000F, 0x03E8, len(atoms)) + atoms
    return cfb({"PowerPoint Document": doc, "Current User": b"\0" * 16})


def msg_file(subject: str, body: str, attachment: tuple[str, bytes] | None = None) -> bytes:
    streams = {
        "__substg1.0_0037001F": subject.encode("utf-16-le"),
        "__substg1.0_1000001F": body.encode("utf-16-le"),
    }
    if attachment:
        streams["__attach_version1.0_#00000000/__substg1.0_3707001F"] = attachment[0].encode("utf-16-le")
        streams["__attach_version1.0_#00000000/__substg1.0_37010102"] = attachment[1]
    return cfb(streams)


def xls_file(rows: list[list[object]], sheet: str = "名冊") -> bytes:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet(sheet)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            ws.write(r, c, value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def bundled_policy_with(tmp: Path, section: str, **changes: object) -> Path:
    """The bundled ``policy.yaml`` with ``changes`` made to one of its sections, written to ``tmp``."""
    import yaml

    doc = yaml.safe_load((Path(__file__).resolve().parents[1] / "patterns" / "policy.yaml").read_text(encoding="utf-8"))
    doc[section].update(changes)
    path = tmp / "policy.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path
