"""OCR on real pictures drawn here: stamps, seals, an ID photo, image-only PDFs (issue 15).

Pictures come from ``tests/ocr_images.py`` (Pillow + Debian's CJK font). Each is read by the
real engines with the models inside the rapidocr wheel; the segments are then run through the
bundled packs (``Scanner().state.analyzer``) and the bundled policy, the way extraction will
hand them over once it calls :mod:`dlp.ocr`.
"""

from __future__ import annotations

import io
import shutil
import socket
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ocr_images import (
    LETTER_LINES,
    STAMP_RED,
    Stamp,
    character_error_rate,
    id_card_photo,
    id_checksum_ok,
    image_only_pdf,
    make_national_id,
    page_image,
    require_cjk_fonts,
    scanned,
)
from PIL import Image

from dlp.model import Message
from dlp.ocr import OcrBudget, OcrSegment, OcrSettings, loader, ocr_image, ocr_pdf_pages

GMAIL = ["someone@gmail.com"]


@pytest.fixture(scope="module", autouse=True)
def cjk_font():
    require_cjk_fonts()


@pytest.fixture(scope="module")
def ocr_settings(scanner) -> OcrSettings:
    """The bundled policy's ``ocr:`` section."""
    return scanner.policy.ocr_settings


def budget(settings: OcrSettings, **changes) -> OcrBudget:
    return OcrBudget(replace(settings, **changes))


def analyze(scanner, segments):
    return scanner.state.analyzer.analyze(list(segments)).findings


def markings(findings):
    return [f for f in findings if f.type == "SECRECY_MARKING" and not f.shadow]


def decide(scanner, findings, recipients=GMAIL):
    msg = Message(text="", channel="mail", sender="clerk@tp.gov.tw", recipients=recipients)
    return scanner.policy.decide(msg, findings)


# -- pictures, made once per module ---------------------------------------------------------------

ID_NUMBER = make_national_id("F", 2, "2345678")
SECOND_ID = make_national_id("P", 1, "3141592")


@pytest.fixture(scope="module")
def letter_jpg() -> bytes:
    """A scanned 公文 with a red 機密 stamp put on crooked in the top-right corner."""
    return scanned(page_image(LETTER_LINES, [Stamp("機密", angle=-15, at=(0.66, 0.06))]), seed=1, quality=55)


@pytest.fixture(scope="module")
def letter_read(letter_jpg, ocr_settings):
    return ocr_image(letter_jpg, "attachment:掃描公文.jpg", OcrBudget(ocr_settings))


@pytest.fixture(scope="module")
def seal_jpg() -> bytes:
    """An ordinary letter: a red title line and the agency's red seal, and no level anywhere."""
    seal = Stamp("臺北市政府警察局印", angle=3, at=(0.55, 0.55), vertical=True, size=60)
    return scanned(page_image(LETTER_LINES, [seal], color_lines={0: STAMP_RED}), seed=3)


@pytest.fixture(scope="module")
def id_photo() -> bytes:
    return id_card_photo("陳美玲", ID_NUMBER)


@pytest.fixture(scope="module")
def two_page_pdf() -> bytes:
    """An image-only scan: page 1 a letter stamped 機密, page 2 an application form with a national ID."""
    page1 = scanned(page_image(LETTER_LINES, [Stamp("機密", angle=-12, at=(0.66, 0.06))]), seed=4)
    form = ["臺北市政府社會局　補助申請書", "申請人：陳美玲", f"身分證統一編號：{SECOND_ID}",
            "聯絡地址：臺北市信義區市府路1號", "申請項目：低收入戶生活補助", "以上資料確認無誤。"]
    page2 = scanned(page_image(form), seed=5)
    return image_only_pdf([page1, page2])


# -- the red-stamp pass ---------------------------------------------------------------------------

def test_independent_id_generator_makes_valid_numbers():
    assert id_checksum_ok("A123456789") and not id_checksum_ok("A123456788")
    assert id_checksum_ok(ID_NUMBER) and id_checksum_ok(SECOND_ID)
    from dlp.validators import VALIDATORS

    assert VALIDATORS["tw_national_id"](ID_NUMBER)


def test_rotated_red_stamp_is_read_alone_as_a_stamp_segment(letter_read):
    assert letter_read.findings == []
    stamps = [s for s in letter_read.segments if s.role == "stamp"]
    assert [s.text for s in stamps] == ["機密"]
    stamp = stamps[0]
    assert isinstance(stamp, OcrSegment)
    assert stamp.location == "attachment:掃描公文.jpg#ocr"
    assert stamp.engine.startswith("rapidocr/")
    assert 0.8 <= stamp.confidence <= 1.0
    left, top, right, bottom = stamp.box
    assert left > 1240 * 0.55 and bottom < 1754 * 0.25  # where it was put: the top-right corner


def test_page_text_is_in_reading_order_without_the_stamp(letter_read):
    pages = [s for s in letter_read.segments if s.role == "page"]
    assert len(pages) == 1
    text = pages[0].text
    lines = text.split("\n")
    assert "臺北市政府警察局" in lines[0]
    assert "北市警刑字第1143012345號" in text
    assert text.index("主旨") < text.index("說明") < text.index("正本")
    assert "機密" not in text  # painted out before the page pass: reported once, as the stamp
    assert character_error_rate("\n".join(LETTER_LINES), text) < 0.05


def test_stamped_scan_is_confidential_at_the_pictures_location(scanner, letter_read):
    findings = analyze(scanner, letter_read.segments)
    found = markings(findings)
    assert [(f.level, f.location, f.detail["position"]) for f in found] == [
        ("confidential", "attachment:掃描公文.jpg#ocr", "stamp")]
    decision = decide(scanner, letter_read.findings + findings)
    assert decision.action == "block"
    assert any("機密" in r for r in decision.reasons)


@pytest.mark.parametrize("stamp, level", [
    (Stamp("極機密", angle=25, at=(0.40, 0.72), frame="double"), "secret"),
    (Stamp("密", angle=-35, at=(0.50, 0.28), frame="circle", size=90), "official_secret"),
    (Stamp("絕對機密", angle=80, at=(0.72, 0.40), size=64), "top_secret"),
    (Stamp("限閱", angle=-8, at=(0.70, 0.90), frame="none"), "restricted"),
], ids=["double-frame-bottom", "round-over-the-text", "turned-a-quarter", "no-frame-footer"])
def test_stamps_at_any_angle_and_place(scanner, ocr_settings, stamp, level):
    data = scanned(page_image(LETTER_LINES, [stamp]), seed=len(stamp.text) + 20, quality=50)
    result = ocr_image(data, "attachment:IMG_0042.jpg", OcrBudget(ocr_settings))
    found = markings(analyze(scanner, result.segments))
    assert [(f.level, f.location) for f in found] == [(level, "attachment:IMG_0042.jpg#ocr")]


def test_agency_seal_and_red_title_are_read_but_are_no_marking(scanner, seal_jpg, ocr_settings):
    result = ocr_image(seal_jpg, "attachment:函.jpg", OcrBudget(ocr_settings))
    stamp_text = "".join(s.text for s in result.segments if s.role == "stamp")
    assert "警察局" in stamp_text and "臺北市政府" in stamp_text  # the seal and the red title were read
    assert markings(analyze(scanner, result.segments)) == []


def test_red_heading_that_mentions_secrecy_is_no_marking(scanner, ocr_settings):
    lines = ["公務機密維護宣導", "一、機密文書應存放於保險櫃。", "二、離開座位時請鎖定電腦螢幕。", "三、公文不得以通訊軟體傳送。"]
    data = scanned(page_image(lines, color_lines={0: STAMP_RED}, text_size=40), seed=6)
    result = ocr_image(data, "attachment:宣導.png", OcrBudget(ocr_settings))
    assert any("公務機密" in s.text for s in result.segments if s.role == "stamp")
    assert markings(analyze(scanner, result.segments)) == []


def test_page_without_red_costs_no_stamp_read(ocr_settings):
    import numpy as np

    from dlp.ocr.stamps import find_red_regions

    data = scanned(page_image(LETTER_LINES), seed=7)
    rgb = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
    regions, _ = find_red_regions(rgb, ocr_settings.stamp)
    assert regions == []


def test_a_framed_stamp_on_a_small_picture_is_one_region(ocr_settings):
    """Frame and characters apart (the closing kernel scales with the picture): one region."""
    import numpy as np

    from dlp.ocr.stamps import find_red_regions

    data = scanned(page_image(["簽呈", "擬辦：陳核。"], size=(720, 400), text_size=36,
                              stamps=[Stamp("機密", angle=-10, at=(0.55, 0.18), size=64)]), seed=16, fmt="PNG")
    regions, _ = find_red_regions(np.asarray(Image.open(io.BytesIO(data)).convert("RGB")), ocr_settings.stamp)
    assert len(regions) == 1
    left, top, right, bottom = regions[0].box
    assert left > 720 * 0.5 and top < 400 * 0.3  # where it was put


# -- personal data in pictures --------------------------------------------------------------------

def test_photographed_id_card_yields_its_national_id(scanner, id_photo, ocr_settings):
    result = ocr_image(id_photo, "attachment:LINE_ALBUM_身分證.jpg", OcrBudget(ocr_settings))
    findings = analyze(scanner, result.segments)
    ids = [f for f in findings if f.type == "TW_NATIONAL_ID"]
    assert [f.location for f in ids] == ["attachment:LINE_ALBUM_身分證.jpg#ocr"]
    segment = next(s for s in result.segments if s.role == "page")
    assert segment.text[ids[0].start:ids[0].end] == ID_NUMBER
    assert ID_NUMBER not in ids[0].excerpt  # masked, as everywhere
    assert decide(scanner, findings).action == "quarantine"


def test_image_only_pdf_marking_on_page_1_and_id_on_page_2(scanner, two_page_pdf, ocr_settings):
    result = ocr_pdf_pages(two_page_pdf, None, "attachment:掃描.pdf", OcrBudget(ocr_settings))
    assert result.findings == [] and result.pages == 2
    findings = analyze(scanner, result.segments)
    assert [(f.level, f.location) for f in markings(findings)] == [("confidential", "attachment:掃描.pdf#page:1:ocr")]
    ids = [f for f in findings if f.type == "TW_NATIONAL_ID"]
    assert [f.location for f in ids] == ["attachment:掃描.pdf#page:2:ocr"]
    assert decide(scanner, findings).action == "block"


def test_only_the_pages_asked_for_are_read(scanner, two_page_pdf, ocr_settings):
    result = ocr_pdf_pages(two_page_pdf, [2], "attachment:掃描.pdf", OcrBudget(ocr_settings))
    assert result.pages == 1
    assert {s.location for s in result.segments} == {"attachment:掃描.pdf#page:2:ocr"}


def test_stamps_only_reads_the_stamp_of_a_page_with_a_text_layer(two_page_pdf, ocr_settings):
    result = ocr_pdf_pages(two_page_pdf, [1], "attachment:掃描.pdf", OcrBudget(ocr_settings), stamps_only=True)
    assert [(s.role, s.text) for s in result.segments] == [("stamp", "機密")]


def test_multi_page_tiff_frames_are_pages(scanner, ocr_settings):
    pages = [Image.open(io.BytesIO(scanned(page_image(lines, size=(900, 500), text_size=30), seed=i, fmt="PNG")))
             for i, lines in enumerate([["第一頁：會議紀錄"], [f"第二頁：身分證統一編號 {SECOND_ID}"]])]
    buf = io.BytesIO()
    pages[0].save(buf, "TIFF", save_all=True, append_images=pages[1:], compression="tiff_lzw")
    result = ocr_image(buf.getvalue(), "attachment:傳真.tif", OcrBudget(ocr_settings))
    assert sorted({s.location for s in result.segments}) == ["attachment:傳真.tif#page:1:ocr", "attachment:傳真.tif#page:2:ocr"]
    ids = [f for f in analyze(scanner, result.segments) if f.type == "TW_NATIONAL_ID"]
    assert [f.location for f in ids] == ["attachment:傳真.tif#page:2:ocr"]


# -- budgets and fallbacks: never an allow of an unread picture -------------------------------

def test_pages_beyond_the_budget_are_limit_exceeded(scanner, two_page_pdf, ocr_settings):
    result = ocr_pdf_pages(two_page_pdf, None, "attachment:掃描.pdf", budget(ocr_settings, max_pages=1))
    assert result.pages == 1
    assert [(f.type, f.location, f.detail["limit"], f.detail["pages"]) for f in result.findings] == [
        ("LIMIT_EXCEEDED", "attachment:掃描.pdf#page:2:ocr", "ocr.max_pages", [2])]
    assert "第 2 頁" in result.findings[0].detail["reason"]


def test_the_budget_is_per_message_across_pictures(id_photo, ocr_settings):
    shared = budget(ocr_settings, max_pages=1)
    first = ocr_image(id_photo, "attachment:a.jpg", shared)
    second = ocr_image(id_photo, "attachment:b.jpg", shared)
    assert first.segments and not first.findings
    assert second.segments == []
    assert [(f.type, f.location, f.detail["limit"]) for f in second.findings] == [
        ("LIMIT_EXCEEDED", "attachment:b.jpg#ocr", "ocr.max_pages")]


def test_no_seconds_left_is_limit_exceeded_and_quarantined(scanner, id_photo, ocr_settings):
    result = ocr_image(id_photo, "attachment:a.jpg", budget(ocr_settings, max_seconds=0))
    assert [(f.type, f.detail["limit"]) for f in result.findings] == [("LIMIT_EXCEEDED", "ocr.max_seconds")]
    assert decide(scanner, result.findings).action == "quarantine"


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")  # Pillow's own, beside ours
def test_picture_over_the_pixel_limit_is_not_decoded(ocr_settings):
    huge = Image.new("1", (12_000, 9_000), 1)  # 108 megapixels, a few kB as PNG
    buf = io.BytesIO()
    huge.save(buf, "PNG")
    result = ocr_image(buf.getvalue(), "attachment:poster.png", OcrBudget(ocr_settings))
    assert result.segments == [] and result.pages == 0
    assert [(f.type, f.detail["limit"], f.detail["pixels"]) for f in result.findings] == [
        ("LIMIT_EXCEEDED", "ocr.max_pixels", 108_000_000)]


def test_ocr_disabled_means_unreadable_and_quarantined(scanner, letter_jpg, two_page_pdf, ocr_settings):
    off = budget(ocr_settings, enabled=False)
    picture = ocr_image(letter_jpg, "attachment:掃描公文.jpg", off)
    pdf = ocr_pdf_pages(two_page_pdf, None, "attachment:掃描.pdf", off)
    found = picture.findings + pdf.findings
    assert [(f.type, f.location) for f in found] == [
        ("UNREADABLE_ATTACHMENT", "attachment:掃描公文.jpg#ocr"), ("UNREADABLE_ATTACHMENT", "attachment:掃描.pdf#page:1:ocr")]
    assert all(f.detail["reason"].startswith("影像內容未檢查") for f in found)
    assert picture.segments == [] and pdf.segments == []
    assert decide(scanner, found).action == "quarantine"


def test_engine_not_installed_is_unreadable(letter_jpg, ocr_settings):
    missing = replace(ocr_settings, engine="tesseract",
                      tesseract=replace(ocr_settings.tesseract, command="/nonexistent/tesseract"))
    result = ocr_image(letter_jpg, "attachment:a.jpg", OcrBudget(missing))
    assert [f.type for f in result.findings] == ["UNREADABLE_ATTACHMENT"]
    assert "tesseract" in result.findings[0].detail["reason"]


def test_corrupt_pictures_and_pdfs_are_unreadable(ocr_settings, letter_jpg):
    for data in (b"not a picture at all", letter_jpg[: len(letter_jpg) // 3]):
        result = ocr_image(data, "attachment:a.jpg", OcrBudget(ocr_settings))
        assert [f.type for f in result.findings] == ["UNREADABLE_ATTACHMENT"], data[:20]
    result = ocr_pdf_pages(b"%PDF-1.7 broken", None, "attachment:b.pdf", OcrBudget(ocr_settings))
    assert [(f.type, f.location) for f in result.findings] == [("UNREADABLE_ATTACHMENT", "attachment:b.pdf#page:1:ocr")]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2000), cut=st.integers(min_value=0, max_value=100))
def test_fail_closed_any_bytes_give_text_or_a_finding(ocr_settings, data, cut):
    """Whatever bytes come in (random, or a small real picture cut anywhere): never an exception,
    and never nothing-at-all unless the picture was read."""
    small = _small_png()
    for payload in (data, small[: len(small) * cut // 100]):
        result = ocr_image(payload, "attachment:x.png", OcrBudget(ocr_settings))
        assert result.findings or result.pages == 1


_SMALL: list[bytes] = []


def _small_png() -> bytes:
    if not _SMALL:
        img = Image.new("RGB", (120, 40), "white")
        buf = io.BytesIO()
        img.save(buf, "PNG")
        _SMALL.append(buf.getvalue())
    return _SMALL[0]


# -- offline, on disk and at run time -----------------------------------------------------------

def test_models_are_the_files_inside_the_wheel():
    import rapidocr

    from dlp.ocr.engine_rapid import RapidEngine, model_paths

    package = __import__("pathlib").Path(rapidocr.__file__).resolve().parent
    paths = model_paths()
    assert set(paths) == {"det", "cls", "rec"}
    for path in paths.values():
        assert path.is_file() and path.parent == package / "models" and path.stat().st_size > 100_000
    engine = RapidEngine(OcrSettings())
    cfg = engine._ocr.cfg  # what rapidocr will use: explicit paths, so its download branch is never taken
    assert {cfg.Det.model_path, cfg.Cls.model_path, cfg.Rec.model_path} == {str(p) for p in paths.values()}
    assert engine._ocr.text_rec.session.have_key()  # the character list is in the model: no dictionary fetch


def test_whole_ocr_path_runs_with_the_network_blocked(monkeypatch, scanner, letter_jpg, ocr_settings):
    attempts: list[object] = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access is not allowed in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    loader.clear()  # load the engine again, from scratch, with the network gone
    try:
        result = ocr_image(letter_jpg, "attachment:掃描公文.jpg", OcrBudget(ocr_settings))
    finally:
        loader.clear()
    assert result.findings == []
    assert [(f.level, f.location) for f in markings(analyze(scanner, result.segments))] == [
        ("confidential", "attachment:掃描公文.jpg#ocr")]
    assert attempts == []


# -- the optional tesseract engine ----------------------------------------------------------------

@pytest.fixture(scope="module")
def tesseract_settings(ocr_settings) -> OcrSettings:
    if shutil.which("tesseract") is None:
        pytest.fail("tesseract is not installed: install Debian's tesseract-ocr and tesseract-ocr-chi-tra "
                    "(`bash scripts/ci-system-deps.sh`, which .ci/run calls)")
    return replace(ocr_settings, engine="tesseract")


def test_tesseract_reads_the_stamp_through_the_stamp_pass(scanner, letter_jpg, tesseract_settings):
    result = ocr_image(letter_jpg, "attachment:掃描公文.jpg", OcrBudget(tesseract_settings))
    assert result.findings == []
    assert {s.engine.split("/")[0] for s in result.segments} == {"tesseract"}
    assert [(f.level, f.location) for f in markings(analyze(scanner, result.segments))] == [
        ("confidential", "attachment:掃描公文.jpg#ocr")]


def test_tesseract_reads_the_id_card(scanner, id_photo, tesseract_settings):
    result = ocr_image(id_photo, "attachment:id.jpg", OcrBudget(tesseract_settings))
    ids = [f for f in analyze(scanner, result.segments) if f.type == "TW_NATIONAL_ID"]
    assert [f.location for f in ids] == ["attachment:id.jpg#ocr"]


def test_iphone_heic_photo_is_read(scanner, ocr_settings):
    import pillow_heif

    from dlp.ocr.decode import register_decoders

    assert "HEIF" in register_decoders()
    page = Image.open(io.BytesIO(scanned(page_image([f"身分證統一編號：{ID_NUMBER}"], size=(1000, 300), text_size=40),
                                         seed=8, fmt="PNG")))
    heif = pillow_heif.from_pillow(page)
    buf = io.BytesIO()
    heif.save(buf, quality=85)
    assert buf.getvalue()[4:8] == b"ftyp"
    result = ocr_image(buf.getvalue(), "attachment:IMG_2024.HEIC", OcrBudget(ocr_settings))
    ids = [f for f in analyze(scanner, result.segments) if f.type == "TW_NATIONAL_ID"]
    assert [f.location for f in ids] == ["attachment:IMG_2024.HEIC#ocr"]


def test_eps_is_never_handed_to_ghostscript(ocr_settings):
    eps = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 100 100\nnewpath 0 0 moveto 100 100 lineto stroke\nshowpage\n"
    result = ocr_image(eps, "attachment:logo.eps", OcrBudget(ocr_settings))
    assert [f.type for f in result.findings] == ["UNREADABLE_ATTACHMENT"] and result.pages == 0
