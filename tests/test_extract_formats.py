"""PDF, mail, 公文 DI/SW, text encodings, images, sniffing by content."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import builders  # noqa: E402

from dlp.extract import extract  # noqa: E402
from dlp.extract.mail import parse_rfc822  # noqa: E402
from dlp.extract.pdf import join_wrapped  # noqa: E402
from dlp.model import Attachment  # noqa: E402


def _locs(result):
    return {s.location: s for s in result.segments}


def test_pdf_pages_and_wrapped_identifier():
    pages = [["機密", f"第{n}頁內容"] for n in range(1, 4)]
    pages[2] += ["身分證字號：K1", "46619078，住址如附件", "1", "2", "機密"]
    r = extract(Attachment("報告.pdf", builders.pdf_pages(pages)))
    segs = _locs(r)
    page3 = segs["attachment:報告.pdf#page:3"]
    assert page3.role == "page"
    lines = page3.text.splitlines()
    assert lines[0] == "機密" and lines[-1] == "機密"
    assert "身分證字號：K146619078，住址如附件" in lines
    assert "1" in lines and "2" in lines  # short lines are not glued together
    assert len(r.segments) == 3 and r.findings == []


def test_join_wrapped_keeps_stamps():
    assert join_wrapped("機密\n電話 0912\n345678") == "機密\n電話 0912345678"
    assert join_wrapped("12\n34") == "12\n34"


def test_pdf_encrypted_and_image_only():
    r = extract(Attachment("a.pdf", builders.pdf_encrypted()))
    assert [f.type for f in r.findings] == ["ENCRYPTED_ATTACHMENT"]
    from dlp.ocr import OcrBudget, OcrSettings

    r = extract(Attachment("scan.pdf", builders.pdf_image_only()), ocr=OcrBudget(OcrSettings(enabled=False)))
    assert [(f.type, f.location) for f in r.findings] == [("UNREADABLE_ATTACHMENT", "attachment:scan.pdf#page:1:ocr")]
    assert "影像內容未檢查" in r.findings[0].detail["reason"]


def test_eml_with_big5_body_and_attachment():
    raw = builders.eml_big5(
        "各位好，名冊如附件，身分證 A123456789。",
        attachment=("名冊.xlsx", builders.xlsx_residents(3)),
        subject="機密：補助名冊",
    )
    assert b"=?big5?" in raw.lower() or b"=?big5" in raw.lower()
    r = extract(Attachment("轉寄.eml", raw))
    segs = _locs(r)
    assert segs["attachment:轉寄.eml#subject"].text == "機密：補助名冊"
    assert segs["attachment:轉寄.eml#subject"].role == "subject"
    assert "身分證 A123456789" in segs["attachment:轉寄.eml#body"].text
    assert "attachment:轉寄.eml/名冊.xlsx#sheet:居民名冊" in segs


def test_parse_rfc822_headers_and_nested_message():
    inner = builders.eml_big5("內層郵件", subject="內層主旨")
    raw = (
        b"From: =?UTF-8?B?546L5bCP5piO?= <wang@hl.gov.tw>\r\n"
        b"To: a@gmail.com, =?big5?B?pP2kcKn6?= <b@yahoo.com.tw>\r\n"
        b"Cc: c@hl.gov.tw\r\nSubject: =?UTF-8?Q?=E6=A9=9F=E5=AF=86?= =?UTF-8?B?5paH5Lu2?=\r\n"
        b'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b1"\r\n\r\n'
        b"--b1\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
        b"<p>=E8=AB=8B=E6=9F=A5=E7=85=A7</p><script>x()</script>\r\n"
        b"--b1\r\nContent-Type: message/rfc822\r\n\r\n" + inner + b"\r\n--b1--\r\n"
    )
    mail = parse_rfc822(raw)
    assert mail.subject == "機密文件"
    assert mail.sender == "wang@hl.gov.tw"
    assert mail.to == ["a@gmail.com", "b@yahoo.com.tw"] and mail.cc == ["c@hl.gov.tw"]
    assert mail.body == "請查照"
    assert [a.content_type for a in mail.attachments] == ["message/rfc822"]
    assert mail.findings == []
    r = extract(Attachment("fwd.eml", raw))
    assert _locs(r)["attachment:fwd.eml/內層主旨.eml#body"].text == "內層郵件"


def test_parse_rfc822_broken_mime_never_raises():
    raw = b'Subject: x\r\nContent-Type: multipart/mixed; boundary="zz"\r\n\r\nno boundary here\r\n'
    mail = parse_rfc822(raw)
    assert mail.subject == "x"
    assert [f.type for f in mail.findings] == ["UNREADABLE_ATTACHMENT"]
    garbage = parse_rfc822(b"\xff\xfe\x00garbage")  # a UTF-16 BOM: the rest is read as UTF-16, not dropped
    assert garbage.findings == [] and garbage.body == b"\x00garbage".decode("utf-16-le")
    assert parse_rfc822(b"").subject == ""


def test_di_structured_secrecy_and_number_without_entities():
    r = extract(Attachment("1140012345.di", builders.di_letter("密")))
    segs = _locs(r)
    field = segs["attachment:1140012345.di#field:密等"]
    assert field.role == "field"
    assert field.text == "密等及解密條件或保密期限：密（本件於公布時解密）"
    assert segs["attachment:1140012345.di#field:發文字號"].text == "發文字號：府授人字第1140012345號"
    body = segs["attachment:1140012345.di#body"].text
    assert "主旨：檢送計畫草案1份，請查照。" in body
    assert "說明：" in body and "一、依據本府114年5月1日函辦理。" in body
    assert "root:" not in body  # the external entity was not resolved
    assert r.findings == []


def test_di_big5_and_without_code():
    segs = _locs(extract(Attachment("old.di", builders.di_letter("機密", encoding="big5"))))
    assert segs["attachment:old.di#field:密等"].text.startswith("密等及解密條件或保密期限：機密")
    segs = _locs(extract(Attachment("plain.di", builders.di_letter(None, condition="普通"))))
    assert "attachment:plain.di#field:密等" not in segs
    assert "速別：普通件" in segs["attachment:plain.di#body"].text


def test_sw_list():
    segs = _locs(extract(Attachment("1140012345.sw", builders.sw_list())))
    assert "花蓮市公所" in segs["attachment:1140012345.sw#body"].text


def test_big5_txt_utf16_csv_and_others():
    segs = _locs(extract(Attachment("舊檔.txt", "密等：機密\n王小明 A123456789".encode("cp950"))))
    assert segs["attachment:舊檔.txt#body"].text == "密等：機密\n王小明 A123456789"
    csv = "姓名,身分證\n王小明,A123456789\n".encode("utf-16")
    assert _locs(extract(Attachment("a.csv", csv)))["attachment:a.csv#body"].text.startswith("姓名,身分證")
    bom = "\ufeff限閱\t資料".encode()
    assert _locs(extract(Attachment("a.tsv", bom)))["attachment:a.tsv#body"].text == "限閱\t資料"
    html = "<html><body><h1>機密</h1><p>內容&amp;說明</p><style>x{}</style></body></html>".encode()
    assert _locs(extract(Attachment("a.html", html)))["attachment:a.html#body"].text == "機密\n內容&說明"
    js = b'{"name": "\\u738b\\u5c0f\\u660e", "id": "A123456789"}'
    assert _locs(extract(Attachment("a.json", js)))["attachment:a.json#body"].text == "name: 王小明\nid: A123456789"


def test_png_is_read_by_ocr_or_a_finding_and_unknown_binary():
    # Issue 9: an image that was not read is a finding, not a footnote; issue 15: OCR reads it.
    from dlp.ocr import OcrBudget, OcrSettings

    budget = OcrBudget()
    r = extract(Attachment("signature.png", builders.png()), ocr=budget)
    assert r.findings == [] and r.not_inspected == [] and budget.pages_used == 1  # read: a blank picture
    r = extract(Attachment("signature.png", builders.png()), ocr=OcrBudget(OcrSettings(enabled=False)))
    assert [(f.type, f.location) for f in r.findings] == [("UNREADABLE_ATTACHMENT", "attachment:signature.png#ocr")]
    assert "影像內容未檢查" in r.findings[0].detail["reason"] and r.segments == [] and r.not_inspected == []
    r = extract(Attachment("a.bin", bytes(range(256)) * 8))
    assert [f.type for f in r.findings] == ["UNREADABLE_ATTACHMENT"]
