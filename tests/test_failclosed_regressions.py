"""One regression test per hole closed by issue 9, each on a real file or real bytes."""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import builders  # noqa: E402
import failclosed_builders as fb  # noqa: E402

from dlp.extract import Limits, extract, extract_many  # noqa: E402
from dlp.extract.budget import Budget  # noqa: E402
from dlp.extract.mail import parse_rfc822  # noqa: E402
from dlp.mime import message_from_rfc822  # noqa: E402
from dlp.model import Attachment, Message  # noqa: E402

DATA = Path(__file__).parent / "data" / "failclosed"
RECIPIENT = "friend@gmail.com"


def _segs(result) -> dict[str, object]:
    return {s.location: s for s in result.segments}


def _text(result) -> str:
    return "\n".join(s.text for s in result.segments)


def _types(result) -> list[tuple[str, str]]:
    return [(f.type, f.location) for f in result.findings]


def _scan(scanner, **kw):
    return scanner.scan(Message(sender="clerk@hl.gov.tw", recipients=[RECIPIENT], **kw))


# -- part 1: type detection ---------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["BM", "BMI,", "GIF89a", "GIF87a"])
def test_text_starting_like_an_image_is_read_as_text(prefix):
    r = extract(Attachment("data.csv", f"{prefix}姓名\n王小明,{fb.ID}\n".encode()))
    assert fb.ID in _segs(r)["attachment:data.csv#body"].text
    assert r.findings == []


def test_an_image_is_an_image_only_when_pillow_decodes_it():
    from dlp.extract.sniff import sniff

    for fmt in ("PNG", "JPEG", "GIF", "BMP", "TIFF", "WEBP"):
        assert sniff(fb.image(fmt)).name == "image", fmt
    assert sniff(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40).label.startswith("無法解碼")


@pytest.mark.parametrize("host", ["JPEG", "PNG", "PDF", "SFX"])
def test_zip_appended_to_another_file_is_read(host):
    head = fb.pdf_text(["會議資料"]) if host == "PDF" else b"MZ\x90\x00" + bytes(256) if host == "SFX" else fb.image(host)
    r = extract(Attachment("x.bin", fb.polyglot(head, {"機密.txt": "密等：機密".encode()})))
    seg = _segs(r)["attachment:x.bin/embedded-zip/機密.txt#body"]
    assert seg.text == "密等：機密"
    assert "attachment-name:x.bin/embedded-zip/機密.txt" in _segs(r)


def test_zip_in_the_middle_of_a_file_is_found():
    from dlp.extract.polyglot import embedded_zips

    data = fb.image("PNG") + fb.zip_of({"a.txt": b"A"}) + b"trailing bytes after the zip" * 10
    found = embedded_zips(data)
    assert len(found) == 1 and zipfile.ZipFile(io.BytesIO(found[0][1])).read("a.txt") == b"A"


def test_every_gzip_member_is_read_and_trailing_data_too():
    data = fb.gzip_members(["第一段", "第二段", f"身分證字號：{fb.ID}"]) + "尾端資料".encode()
    r = extract(Attachment("log.txt.gz", data))
    segs = _segs(r)
    assert segs["attachment:log.txt.gz/log.txt#body"].text == f"第一段第二段身分證字號：{fb.ID}"
    assert segs["attachment:log.txt.gz/trailing-data#body"].text == "尾端資料"


def test_docx_main_part_found_through_relationships():
    r = extract(Attachment("a.docx", fb.docx_renamed_main(f"身分證字號：{fb.ID}", "word/body.xml")))
    assert fb.ID in _segs(r)["attachment:a.docx#body"].text


def test_pptx_master_and_layout_footers_are_footer_segments(scanner):
    data = fb.pptx_master_text("限閱", "master")
    r = extract(Attachment("s.pptx", data))
    assert _segs(r)["attachment:s.pptx#master:1:footer"].text == "限閱"
    assert _segs(r)["attachment:s.pptx#master:1:footer"].role == "footer"
    report = _scan(scanner, attachments=[Attachment("s.pptx", data)])
    assert report.secrecy_level == "restricted" and report.action == "block"
    layout = extract(Attachment("s.pptx", fb.pptx_master_text("限閱", "layout")))
    assert any(loc.endswith(":footer") and "layout" in loc and s.text == "限閱" for loc, s in _segs(layout).items())


def test_alt_text_of_pictures_is_read():
    assert fb.ID in _text(extract(Attachment("a.docx", fb.docx_alt_text(f"ID {fb.ID}", "descr"))))
    assert fb.ID in _text(extract(Attachment("a.docx", fb.docx_alt_text(f"ID {fb.ID}", "title"))))
    assert fb.ID in _segs(extract(Attachment("a.pptx", fb.pptx_alt_text(f"ID {fb.ID}"))))["attachment:a.pptx#slide:1"].text


def test_chart_titles_are_read():
    r = extract(Attachment("a.xlsx", fb.xlsx_chart_title(f"ID {fb.ID}")))
    assert any(loc.startswith("attachment:a.xlsx#part:xl/charts/") and fb.ID in s.text for loc, s in _segs(r).items())
    r = extract(Attachment("a.pptx", fb.pptx_chart_title(f"ID {fb.ID}")))
    assert any(loc.startswith("attachment:a.pptx#part:ppt/charts/") and fb.ID in s.text for loc, s in _segs(r).items())


def _add_part(package: bytes, name: str, data: bytes, source: str, rel_type: str, ctype: str) -> bytes:
    """Add a part and a relationship to it, as Office does for SmartArt or an OLE object."""
    src = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    folder, base = source.rsplit("/", 1)
    rels_name = f"{folder}/_rels/{base}.rels"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == rels_name:
                rel = (f'<Relationship Id="rIdX1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                       f'relationships/{rel_type}" Target="/{name}"/>')
                content = content.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
            if info.filename == "[Content_Types].xml":
                over = f'<Override PartName="/{name}" ContentType="{ctype}"/>'
                content = content.replace(b"</Types>", over.encode() + b"</Types>")
            dst.writestr(info, content)
        dst.writestr(name, data)
    return out.getvalue()


def test_smartart_data_part_is_read():
    dgm = ('<dgm:dataModel xmlns:dgm="http://schemas.openxmlformats.org/drawingml/2006/diagram" '
           'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><dgm:ptLst><dgm:pt modelId="1">'
           f'<dgm:t><a:p><a:r><a:t>承辦人 {fb.ID}</a:t></a:r></a:p></dgm:t></dgm:pt></dgm:ptLst></dgm:dataModel>')
    data = _add_part(fb.docx_text("見下圖"), "word/diagrams/data1.xml", dgm.encode(), "word/document.xml",
                     "diagramData", "application/vnd.openxmlformats-officedocument.drawingml.diagramData+xml")
    r = extract(Attachment("a.docx", data))
    assert fb.ID in _segs(r)["attachment:a.docx#part:word/diagrams/data1.xml"].text


def test_embedded_object_stored_anywhere_is_read():
    inner = fb.xlsx_csv_like([["姓名", "身分證字號"], ["王小明", fb.ID]])
    data = _add_part(fb.docx_text("附件如下"), "word/media/object7.xlsx", inner, "word/document.xml", "package",
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    r = extract(Attachment("a.docx", data))
    assert fb.ID in _text(r)
    assert any(loc.startswith("attachment:a.docx/word/media/object7.xlsx#sheet") for loc in _segs(r))


def test_xlsx_number_format_shows_the_id():
    r = extract(Attachment("a.xlsx", fb.xlsx_number_format("身分證字號 D", 104553971)))
    assert f"身分證字號 {fb.ID}" in _segs(r)["attachment:a.xlsx#sheet:Sheet"].text


def test_xlsx_number_format_through_the_tree_parser_too(monkeypatch):
    import dlp.extract.xlsx as xlsx

    monkeypatch.setattr(xlsx, "FAST", False)
    r = extract(Attachment("a.xlsx", fb.xlsx_number_format("D", 104553971)))
    assert fb.ID in _segs(r)["attachment:a.xlsx#sheet:Sheet"].text


def test_xlsx_sheet_names_are_read():
    r = extract(Attachment("a.xlsx", fb.xlsx_sheet_name(f"名冊{fb.ID}")))
    assert _segs(r)["attachment:a.xlsx#sheet-names"].text == f"名冊{fb.ID}"


def test_pdf_annotations_and_form_values_are_read():
    r = extract(Attachment("a.pdf", fb.pdf_annotation(f"身分證字號 {fb.ID}", "FreeText")))
    assert _segs(r)["attachment:a.pdf#page:1:annotations"].text == f"身分證字號 {fb.ID}"
    r = extract(Attachment("a.pdf", fb.pdf_annotation(f"身分證字號 {fb.ID}", "Text")))
    assert fb.ID in _segs(r)["attachment:a.pdf#page:1:annotations"].text
    r = extract(Attachment("f.pdf", fb.pdf_form_field(f"ID {fb.ID}")))
    assert _segs(r)["attachment:f.pdf#form"].text == f"applicant_id：ID {fb.ID}"


# -- part 2: images -----------------------------------------------------------------------------


def test_image_attachment_is_read_by_ocr_or_is_an_unreadable_finding(scanner, scanner_without_ocr):
    picture = Attachment("scan.jpg", fb.image("JPEG", (300, 120), text=fb.ID, noisy=True))
    report = _scan(scanner, attachments=[picture])  # issue 15: the pixels are read
    assert [(f.type, f.location) for f in report.findings] == [("TW_NATIONAL_ID", "attachment:scan.jpg#ocr")]
    assert report.action == "quarantine"
    report = _scan(scanner_without_ocr, attachments=[picture])
    assert [(f.type, f.location) for f in report.findings] == [("UNREADABLE_ATTACHMENT", "attachment:scan.jpg#ocr")]
    assert "影像內容未檢查" in report.findings[0].detail["reason"]
    assert report.action == "quarantine"


def _no_ocr():
    from dlp.ocr import OcrBudget, OcrSettings

    return OcrBudget(OcrSettings(enabled=False))


def test_images_in_an_office_file_are_each_read_or_a_finding():
    docx = Attachment("a.docx", fb.docx_image_only(fb.ID))
    r = extract(docx)
    assert fb.ID in _segs(r)["attachment:a.docx/word/media/image1.png#ocr"].text
    r = extract(docx, ocr=_no_ocr())
    [finding] = r.findings
    assert finding.type == "UNREADABLE_ATTACHMENT" and finding.location == "attachment:a.docx/word/media/image1.png#ocr"
    assert "影像內容未檢查" in finding.detail["reason"]


def test_image_only_pdf_page_is_read_or_a_finding():
    pdf = Attachment("a.pdf", fb.pdf_image_page(fb.ID))
    r = extract(pdf)
    assert r.findings == []
    assert fb.ID in _segs(r)["attachment:a.pdf#page:2:ocr"].text
    [finding] = extract(pdf, ocr=_no_ocr()).findings
    assert finding.type == "UNREADABLE_ATTACHMENT" and finding.location == "attachment:a.pdf#page:2:ocr"
    assert "影像內容未檢查" in finding.detail["reason"]
    r = extract(Attachment("scan.pdf", builders.pdf_image_only()), ocr=_no_ocr())
    assert "影像內容未檢查" in r.findings[0].detail["reason"]


def test_small_inline_signature_image_is_exempted_and_listed(scanner):
    small = fb.image("PNG", (40, 20))
    parsed = message_from_rfc822(fb.mail_inline_image(small), scanner.policy.attachment_limits, recipients=[RECIPIENT])
    report = scanner.scan(parsed.message, extra_findings=parsed.findings)
    assert report.findings == [] and report.action == "allow"
    assert [n["location"] for n in report.not_inspected] == ["attachment:logo.png"]
    assert "依政策免檢查" in report.not_inspected[0]["reason"]
    big = fb.image("PNG", (300, 200), text=fb.ID, noisy=True)  # > 20 KB: not exempted, read by OCR
    parsed = message_from_rfc822(fb.mail_inline_image(big), scanner.policy.attachment_limits, recipients=[RECIPIENT])
    report = scanner.scan(parsed.message, extra_findings=parsed.findings)
    assert [(f.type, f.location) for f in report.findings] == [("TW_NATIONAL_ID", "attachment:logo.png#ocr")]
    assert report.not_inspected == []
    hidden = fb.polyglot(small, {"a.txt": f"身分證字號 {fb.ID}".encode()})  # a small "logo" hiding a zip
    parsed = message_from_rfc822(fb.mail_inline_image(hidden), scanner.policy.attachment_limits, recipients=[RECIPIENT])
    report = scanner.scan(parsed.message, extra_findings=parsed.findings)
    assert "TW_NATIONAL_ID" in {f.type for f in report.findings}


def test_signature_exemption_threshold_comes_from_the_policy():
    from dlp.extract.context import Context
    from dlp.extract.images import exempt_signature_image

    att = Attachment("logo.png", fb.image("PNG", (40, 20)), "image/png", inline=True)
    assert exempt_signature_image(Context(Limits()), att, "attachment:logo.png")
    assert not exempt_signature_image(Context(Limits(signature_image_max_bytes=10)), att, "attachment:logo.png")
    att.inline = False
    assert not exempt_signature_image(Context(Limits()), att, "attachment:logo.png")


# -- part 3: mail -------------------------------------------------------------------------------


def test_every_alternative_is_read(scanner):
    raw = fb.mail_alternative(fb.HARMLESS, fb.html_of("密等：機密\n主旨：檢送會議紀錄，請查照。"))
    parsed = message_from_rfc822(raw, recipients=[RECIPIENT])
    assert [s.location for s in parsed.message.text_parts] == ["body:html"]
    report = scanner.scan(parsed.message, extra_findings=parsed.findings)
    assert report.action == "block" and any(f.location == "body:html" for f in report.findings)
    same = message_from_rfc822(fb.mail_alternative(fb.HARMLESS, fb.html_of(fb.HARMLESS)))
    assert same.message.text_parts == []  # an HTML copy of the plain text is not read twice


@pytest.mark.parametrize("encoding", ["utf-8", "cp950"])
def test_raw_8bit_subject_is_decoded(scanner, encoding):
    raw = fb.mail_raw_subject("【機密】會議", encoding)
    mail = parse_rfc822(raw)
    assert mail.subject == "【機密】會議" and "\ufffd" not in mail.subject
    parsed = message_from_rfc822(raw, recipients=[RECIPIENT])
    assert scanner.scan(parsed.message).action == "block"


@pytest.mark.parametrize("header", ["From", "To", "Cc"])
def test_display_names_are_scanned(scanner, header):
    parsed = message_from_rfc822(fb.mail_display_name(f"王小明 {fb.ID}", header), recipients=[RECIPIENT])
    report = scanner.scan(parsed.message)
    hits = [f for f in report.findings if f.type == "TW_NATIONAL_ID"]
    assert hits and hits[0].location == f"header:{header.lower()}"
    assert report.action != "allow"


def test_display_names_in_a_message_are_scanned_too(scanner):
    report = scanner.scan(Message(sender=f'"王小明 {fb.ID}" <clerk@hl.gov.tw>', recipients=[RECIPIENT]))
    assert [(f.type, f.location) for f in report.findings] == [("TW_NATIONAL_ID", "header:from")]


def test_recipient_names_are_addressing_not_bulk_personal_data(scanner):
    rcpts = [f"{name} <u{i}@hl.gov.tw>" for i, (name, _, _) in enumerate(builders.residents(30))]
    report = scanner.scan(Message(text=fb.HARMLESS, sender="clerk@hl.gov.tw", recipients=rcpts))
    assert report.action == "allow" and report.findings == []


def test_attachment_names_are_scanned_even_when_empty(scanner):
    name = f"【機密】名冊_{fb.ID}.txt"
    report = _scan(scanner, attachments=[Attachment(name, b"")])
    types = {(f.type, f.location) for f in report.findings}
    assert ("TW_NATIONAL_ID", f"attachment-name:{name}") in types
    assert ("SECRECY_MARKING", f"attachment-name:{name}") in types
    assert report.action == "block"
    parsed = message_from_rfc822(fb.mail_attachment_name(name), recipients=[RECIPIENT])
    assert scanner.scan(parsed.message).action == "block"


def test_zip_member_names_are_scanned(scanner):
    report = _scan(scanner, attachments=[Attachment("a.zip", fb.zip_of({f"{fb.ID}.txt": b"x"}))])
    assert ("TW_NATIONAL_ID", f"attachment-name:a.zip/{fb.ID}.txt") in {(f.type, f.location) for f in report.findings}


def test_pgp_mime_is_encrypted():
    mail = parse_rfc822(fb.mail_pgp_mime("密等：機密"))
    assert [(f.type, f.location) for f in mail.findings] == [("ENCRYPTED_ATTACHMENT", "message")]
    assert "PGP/MIME" in mail.findings[0].detail["reason"]


def test_inline_pgp_block_is_encrypted_with_its_offsets(scanner):
    parsed = message_from_rfc822(fb.mail_inline_pgp("密等：機密"), recipients=[RECIPIENT])
    report = scanner.scan(parsed.message)
    [f] = [f for f in report.findings if f.type == "ENCRYPTED_ATTACHMENT"]
    assert f.location == "body" and parsed.message.text[f.start : f.end].startswith("-----BEGIN PGP MESSAGE-----")
    assert parsed.message.text[f.start : f.end].endswith("-----END PGP MESSAGE-----")


def test_pgp_file_and_smime_enveloped_are_encrypted():
    armoured = fb.gpg_encrypt("身分證字號".encode())
    assert _types(extract(Attachment("a.asc", armoured))) == [("ENCRYPTED_ATTACHMENT", "attachment:a.asc")]
    mail = parse_rfc822(fb.smime_enveloped("密等：機密"))
    [att] = mail.attachments
    assert [f.type for f in extract(att).findings] == ["ENCRYPTED_ATTACHMENT"]


def test_detached_smime_signature_is_not_content(scanner):
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs7
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "clerk@hl.gov.tw")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(7).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1)).sign(key, hashes.SHA256()))
    body = b"Content-Type: text/plain; charset=utf-8\r\n\r\n" + fb.HARMLESS.encode()
    signed = pkcs7.PKCS7SignatureBuilder().set_data(body).add_signer(cert, key, hashes.SHA256()).sign(
        serialization.Encoding.SMIME, [pkcs7.PKCS7Options.DetachedSignature])
    raw = b"From: clerk@hl.gov.tw\r\nTo: friend@gmail.com\r\nSubject: x\r\n" + signed
    parsed = message_from_rfc822(raw, recipients=[RECIPIENT])
    report = scanner.scan(parsed.message, extra_findings=parsed.findings)
    assert report.findings == [] and report.action == "allow"
    assert ["數位簽章" in n["reason"] for n in report.not_inspected] == [True]


@pytest.mark.parametrize(("name", "kind"), [("secret.7z", "ENCRYPTED_ATTACHMENT"), ("secret-headers.7z", "ENCRYPTED_ATTACHMENT"),
                                            ("plain.7z", "UNREADABLE_ATTACHMENT")])
def test_7z_with_a_password_is_encrypted(name, kind):
    assert _types(extract(Attachment(name, (DATA / name).read_bytes()))) == [(kind, f"attachment:{name}")]


def test_rar_with_a_password_is_encrypted():
    for build in (fb.rar5, fb.rar4):
        assert [f.type for f in extract(Attachment("a.rar", build(encrypted=True))).findings] == ["ENCRYPTED_ATTACHMENT"]
        assert [f.type for f in extract(Attachment("a.rar", build(headers_encrypted=True))).findings] == ["ENCRYPTED_ATTACHMENT"]
        assert [f.type for f in extract(Attachment("a.rar", build())).findings] == ["UNREADABLE_ATTACHMENT"]


def test_uuencoded_and_base64_blocks_in_a_body_are_decoded(scanner):
    for raw, where in ((fb.mail_uuencoded(f"身分證字號：{fb.ID}"), "body/uuencode:note.txt#body"),
                       (fb.mail_base64_run(f"身分證字號：{fb.ID}"), "body/base64:1#body")):
        parsed = message_from_rfc822(raw, recipients=[RECIPIENT])
        report = scanner.scan(parsed.message)
        assert ("TW_NATIONAL_ID", where) in {(f.type, f.location) for f in report.findings}, where


def test_base64_looking_words_are_left_alone():
    from dlp.extract.context import Context
    from dlp.extract.inline import extract_inline

    ctx = Context(Limits())
    extract_inline(ctx, "AAAA" * 100 + "\n" + "abcdefgh" * 40, "body", 0)
    assert ctx.result.segments == [] and ctx.result.findings == []


def test_truncated_mime_keeps_the_last_part():
    mail = parse_rfc822(fb.mail_truncated(f"身分證字號：{fb.ID}"))
    assert [a.filename for a in mail.attachments] == ["notes.txt"]
    assert fb.ID.encode() in mail.attachments[0].content
    [finding] = mail.findings
    assert "truncated MIME" in finding.detail["reason"]


def test_truncated_multipart_upload_keeps_its_last_file():
    import httpx

    from service.validation import truncated_multipart_tail

    request = httpx.Request("POST", "http://test/v1/scan", data={"recipients": RECIPIENT},
                            files={"attachments": ("名冊.txt", f"身分證字號：{fb.ID}".encode(), "text/plain")})
    body = request.read()
    ctype = request.headers["content-type"]
    assert truncated_multipart_tail(body, ctype) == ([], [])
    cut = body[: body.rindex(b"--" + ctype.split("boundary=")[1].encode() + b"--")]
    files, findings = truncated_multipart_tail(cut, ctype)
    assert [f.filename for f in files] == ["名冊.txt"] and fb.ID.encode() in files[0].content
    assert [f.type for f in findings] == ["UNREADABLE_ATTACHMENT"] and "truncated MIME" in findings[0].detail["reason"]


# -- part 4: limits bound the whole message -----------------------------------------------------


def test_text_limit_counts_the_body_and_all_attachments():
    text = "一般文字。" * 200
    atts = [Attachment(f"{i}.txt", text.encode()) for i in range(5)]
    budget = Budget(Limits(max_text_chars=2500))
    budget.charge_text(1000)  # the body
    r = extract_many(atts, budget.limits, budget)
    read = {s.location: s.text for s in r.segments if s.location.endswith("#body")}
    # 1000 (body) + 1000 fit, the second attachment is cut at 500, the rest are not read at all.
    assert list(read) == ["attachment:0.txt#body", "attachment:1.txt#body"] and len(read["attachment:1.txt#body"]) == 500
    limited = [f.location for f in r.findings if f.detail.get("limit") == "max_text_chars"]
    assert limited == ["attachment:1.txt#body", "attachment:2.txt", "attachment:3.txt", "attachment:4.txt"]


def test_expanded_bytes_are_a_total_for_the_message():
    z = fb.zeros_zip(3 * 1024 * 1024)
    budget = Budget(Limits(max_expanded_bytes=7 * 1024 * 1024, max_compression_ratio=5000))
    r = extract_many([Attachment(f"{i}.zip", z) for i in range(5)], budget.limits, budget)
    assert budget.expanded <= 7 * 1024 * 1024
    refused = [f.location for f in r.findings if f.detail.get("limit") == "max_expanded_bytes"]
    assert refused == [f"attachment:{i}.zip/zeros.bin" for i in (2, 3, 4)]


def test_time_is_checked_inside_one_pdf_page():
    from dlp.extract.context import Context
    from dlp.extract.pdf import extract_pdf

    pdf = fb.pdf_many_operators(200_000)
    clock = iter(range(10**9))  # one "second" per time check: the limit is hit inside the page
    budget = Budget(Limits(max_seconds=5), clock=lambda: float(next(clock)))
    ctx = Context(budget.limits, budget=budget)
    from dlp.extract.limits import LimitReached

    with pytest.raises(LimitReached) as stopped:
        extract_pdf(ctx, pdf, "attachment:p.pdf", 0, "PDF")
    assert stopped.value.location == "attachment:p.pdf#page:1" and stopped.value.limit == "max_seconds"
    assert ctx.result.segments == []
    # With pypdf 7 the check also runs inside the content-stream parser (before any operator).
    from pypdf.generic import ContentStream

    assert getattr(ContentStream.__dict__["_check_limits"].__func__, "_dlp_hooked", False)


def test_limit_finding_names_the_parts_not_read():
    budget = Budget(Limits(max_seconds=1), clock=iter([0.0, 0.5, 0.6, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0]).__next__)
    atts = [Attachment("a.txt", "甲".encode()), Attachment("b.txt", "乙".encode()), Attachment("c.txt", "丙".encode())]
    r = extract_many(atts, budget.limits, budget)
    assert [s.location for s in r.segments if s.location.endswith("#body")] == ["attachment:a.txt#body"]
    limited = {f.location: f for f in r.findings}
    assert set(limited) == {"attachment:b.txt", "attachment:c.txt"}
    assert all(f.detail["limit"] == "max_seconds" and f.detail["not_read"] == f.location for f in limited.values())
