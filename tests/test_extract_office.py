"""Office documents built with python-docx, openpyxl, python-pptx, odfpy, xlwt (and .doc/.ppt by hand)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import builders  # noqa: E402

from dlp.extract import extract  # noqa: E402
from dlp.model import Attachment  # noqa: E402


def _by_location(result):
    return {s.location: s for s in result.segments}


def test_marking_only_in_docx_header():
    r = extract(Attachment("函.docx", builders.docx(header="機密")))
    segs = _by_location(r)
    assert segs["attachment:函.docx#header"].text == "機密"
    assert segs["attachment:函.docx#header"].role == "header"
    assert "機密" not in segs["attachment:函.docx#body"].text
    assert r.findings == []


def test_marking_only_in_docx_footer():
    r = extract(Attachment("函.docx", builders.docx(footer="密（本件於公布時解密）")))
    segs = _by_location(r)
    assert segs["attachment:函.docx#footer"].role == "footer"
    assert segs["attachment:函.docx#footer"].text == "密（本件於公布時解密）"
    assert "attachment:函.docx#header" not in segs


def test_docx_tables_and_properties():
    import io

    import docx as python_docx

    doc = python_docx.Document()
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "姓名"
    table.cell(0, 1).text = "身分證"
    table.cell(1, 0).text = "王小明"
    table.cell(1, 1).text = "A123456789"
    doc.core_properties.keywords = "限閱"
    out = io.BytesIO()
    doc.save(out)
    segs = _by_location(extract(Attachment("a.docx", out.getvalue())))
    assert "王小明\tA123456789" in segs["attachment:a.docx#body"].text
    prop = segs["attachment:a.docx#properties"]
    assert prop.role == "property" and "關鍵字：限閱" in prop.text


def test_docx_renamed_jpg_is_still_read():
    r = extract(Attachment("vacation.jpg", builders.docx(header="機密")))
    assert _by_location(r)["attachment:vacation.jpg#header"].text == "機密"
    assert r.not_inspected == []


def test_hidden_sheet_with_50_residents():
    r = extract(Attachment("名冊.xlsx", builders.xlsx_residents(50, hidden=True)))
    sheet = _by_location(r)["attachment:名冊.xlsx#sheet:居民名冊"]
    assert sheet.role == "sheet"
    lines = sheet.text.splitlines()
    assert len(lines) == 51
    for name, pid, phone in builders.residents(50):
        assert f"{name}\t{pid}\t{phone}" in lines
    assert "attachment:名冊.xlsx#sheet:說明" in _by_location(r)


def test_xlsx_header_footer_comments_dates():
    import datetime
    import io

    import openpyxl
    from openpyxl.comments import Comment

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "工作表1"
    ws["A1"] = "生日"
    ws["B1"] = datetime.date(1980, 5, 17)
    ws["A2"] = "=1+1"
    ws["A1"].comment = Comment("身分證 A123456789", "承辦人")
    ws.oddHeader.center.text = "機密"
    ws.oddFooter.right.text = "限閱"
    out = io.BytesIO()
    wb.save(out)
    segs = _by_location(extract(Attachment("a.xlsx", out.getvalue())))
    assert "1980-05-17" in segs["attachment:a.xlsx#sheet:工作表1"].text
    assert "=1+1" in segs["attachment:a.xlsx#sheet:工作表1"].text  # never calculated: formula kept
    assert segs["attachment:a.xlsx#sheet:工作表1:header"].text == "機密"
    assert segs["attachment:a.xlsx#sheet:工作表1:header"].role == "header"
    assert segs["attachment:a.xlsx#sheet:工作表1:footer"].text == "限閱"
    assert segs["attachment:a.xlsx#comments"].role == "comment"


def test_pptx_slides_and_notes():
    segs = _by_location(extract(Attachment("簡報.pptx", builders.pptx_with_notes())))
    assert segs["attachment:簡報.pptx#slide:1"].role == "slide"
    assert "年度計畫簡報" in segs["attachment:簡報.pptx#slide:2"].text
    notes = segs["attachment:簡報.pptx#notes:2"]
    assert notes.role == "notes" and "密件" in notes.text
    assert "attachment:簡報.pptx#notes:1" not in segs


def test_odt_gongwen_with_secrecy_in_content_and_header_in_styles():
    segs = _by_location(extract(Attachment("函.odt", builders.odt_gongwen("密", header="密"))))
    body = segs["attachment:函.odt#body"]
    assert "密等及解密條件或保密期限：密（本件於公布時解密）" in body.text
    assert "發文字號：府授人字第1140012345號" in body.text
    assert segs["attachment:函.odt#header"].text == "密"
    assert segs["attachment:函.odt#header"].role == "header"
    assert segs["attachment:函.odt#footer"].role == "footer"


def test_ods_and_odp():
    segs = _by_location(extract(Attachment("a.ods", builders.ods_sheet([["姓名", "ID"], ["王小明", "A123456789"]]))))
    assert segs["attachment:a.ods#sheet:工作表1"].text == "姓名\tID\n王小明\tA123456789"
    segs = _by_location(extract(Attachment("a.odp", builders.odp_with_notes("投影片", "備忘：密件"))))
    assert segs["attachment:a.odp#slide:1"].text == "投影片"
    assert segs["attachment:a.odp#notes:1"].text == "備忘：密件"


def test_encrypted_docx_and_odt():
    r = extract(Attachment("機密.docx", builders.encrypt_ooxml(builders.docx(header="機密"))))
    assert [f.type for f in r.findings] == ["ENCRYPTED_ATTACHMENT"]
    f = r.findings[0]
    assert f.location == "attachment:機密.docx" and f.rule == "extract.encrypted" and f.kind == "uninspectable"
    assert f.score == 1.0 and f.start == f.end == 0 and f.detail["reason"]
    r = extract(Attachment("a.odt", builders.encrypt_odf(builders.odt_gongwen())))
    assert [f.type for f in r.findings] == ["ENCRYPTED_ATTACHMENT"]
    assert r.segments == []


def test_legacy_doc_xls_ppt_msg():
    segs = _by_location(extract(Attachment("舊.doc", builders.doc_file("主旨：檢送名冊 A123456789", header="機密"))))
    assert segs["attachment:舊.doc#body"].text == "主旨：檢送名冊 A123456789"
    assert segs["attachment:舊.doc#header"].text == "機密"
    r = extract(Attachment("舊.doc", builders.doc_file("x", encrypted=True)))
    assert [f.type for f in r.findings] == ["ENCRYPTED_ATTACHMENT"]
    segs = _by_location(extract(Attachment("舊.xls", builders.xls_file([["王小明", "A123456789"], [1, 2.5]]))))
    assert segs["attachment:舊.xls#sheet:名冊"].text == "王小明\tA123456789\n1\t2.5"
    segs = _by_location(extract(Attachment("舊.ppt", builders.ppt_file(["標題", "密件"]))))
    assert segs["attachment:舊.ppt#slides"].text == "標題\n密件"
    big = ("姓名,身分證\n王小明,A123456789\n" * 300).encode("cp950")
    r = extract(Attachment("信.msg", builders.msg_file("機密：名冊", "請查收", ("名冊.csv", big))))
    segs = _by_location(r)
    assert segs["attachment:信.msg#subject"].text == "機密：名冊"
    assert "A123456789" in segs["attachment:信.msg/名冊.csv#body"].text


def test_rtf_body_and_header():
    rtf = rb"{\rtf1\ansi\ansicpg950{\fonttbl{\f0 \'b7\'73;}}{\header \pard \'be\'f7\'b1\'4b\par}\pard \u20027?\u26088? A123456789\par}"
    segs = _by_location(extract(Attachment("a.rtf", rtf)))
    assert segs["attachment:a.rtf#header"].text == "機密"
    assert segs["attachment:a.rtf#body"].text == "主旨 A123456789"


def test_long_docx_body_is_joined_exactly():
    from dlp.extract.docx import strip_joined

    body = "主旨：檢送名冊 A123456789"
    segs = _by_location(extract(Attachment("長.docx", builders.docx(body=body, paragraphs=6000))))
    assert segs["attachment:長.docx#body"].text == "\n".join([body] * 6000)
    assert strip_joined(["\n", "\na", "b\n", "\n"]) == "ab"
    assert strip_joined(["\n\n"]) == ""
