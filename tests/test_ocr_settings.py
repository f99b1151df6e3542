"""The parts of OCR that need no picture: the ``ocr:`` policy section, budgets, layout, the
tesseract TSV reader, and that importing and scanning text never loads the OCR stack."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from dlp.errors import PackErrors
from dlp.ocr import OcrBudget, OcrSettings
from dlp.ocr.engine_base import TextLine
from dlp.ocr.engine_tesseract import _parse_tsv, join_words
from dlp.ocr.layout import page_text
from dlp.ocr.page import stamp_angles
from dlp.ocr.settings import parse_ocr_settings
from dlp.policy import Policy

REPO = Path(__file__).resolve().parents[1]
POLICY = REPO / "patterns" / "policy.yaml"


def test_bundled_policy_ships_the_documented_budgets():
    s = Policy.load(POLICY).ocr_settings
    assert (s.enabled, s.engine, s.max_pages, s.max_seconds) == (True, "rapidocr", 10, 20.0)
    assert s.stamp.enabled and s.stamp.max_regions == 8
    assert s == OcrSettings()  # the file and the dataclass defaults say the same


def test_policy_without_an_ocr_section_gets_the_defaults(tmp_path):
    data = yaml.safe_load(POLICY.read_text(encoding="utf-8"))
    del data["ocr"]
    path = tmp_path / "policy.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert Policy.load(path).ocr_settings == OcrSettings()


def test_a_changed_value_is_used(tmp_path):
    data = yaml.safe_load(POLICY.read_text(encoding="utf-8"))
    data["ocr"].update(max_pages=3, engine="tesseract")
    data["ocr"]["stamp"]["enabled"] = False
    path = tmp_path / "policy.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    s = Policy.load(path).ocr_settings
    assert (s.max_pages, s.engine, s.stamp.enabled) == (3, "tesseract", False)


def test_bad_ocr_values_are_refused_with_their_keys(tmp_path):
    data = yaml.safe_load(POLICY.read_text(encoding="utf-8"))
    data["ocr"].update(max_pages=-1, engine="easyocr", enabled="yes", colour="red")
    data["ocr"]["stamp"]["hue_degrees"] = 2.5
    path = tmp_path / "policy.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(PackErrors) as caught:
        Policy.load(path)
    keys = {e.rule for e in caught.value.errors}
    assert {"ocr.max_pages", "ocr.engine", "ocr.enabled", "ocr.colour", "ocr.stamp.hue_degrees"} <= keys
    assert all(e.file == str(path) for e in caught.value.errors)
    assert any("easyocr" in e.reason for e in caught.value.errors)


def test_parse_reports_every_problem_at_once():
    _, errors = parse_ocr_settings({"max_seconds": "20", "tesseract": {"languages": ""}, "stamp": []}, "p.yaml")
    assert sorted(e.rule for e in errors) == ["ocr.max_seconds", "ocr.stamp", "ocr.tesseract.languages"]


# -- budgets ------------------------------------------------------------------------------------

class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_pages_are_counted_until_the_limit():
    b = OcrBudget(OcrSettings(max_pages=2))
    assert [b.take_page(), b.take_page(), b.take_page()] == [None, None, "ocr.max_pages"]
    assert b.pages_used == 2 and b.exhausted() == "ocr.max_pages"


def test_only_time_spent_in_ocr_is_charged():
    b = OcrBudget(OcrSettings(max_seconds=5))
    b.charge(3.0)
    assert b.exhausted() is None and b.seconds_left() == pytest.approx(2.0)
    b.charge(2.5)
    assert b.time_exhausted() == "ocr.max_seconds" and b.take_page() == "ocr.max_seconds"


def test_the_callers_deadline_caps_the_budget():
    clock = Clock()
    b = OcrBudget(OcrSettings(max_seconds=60), deadline=105.0, clock=clock)
    assert b.seconds_left() == pytest.approx(5.0)
    clock.now = 106.0
    assert b.take_page() == "deadline" and b.pages_used == 0


# -- layout and engines' text -------------------------------------------------------------------

def line(text, left, top, right, bottom, conf=0.99):
    return TextLine(text, conf, (left, top, right, bottom))


def test_rows_read_top_down_left_to_right_and_far_pieces_stand_alone():
    lines = [
        line("主旨：檢送資料。", 100, 300, 600, 330),
        line("機密", 1000, 102, 1100, 150),          # a stamp in the corner, beside the title
        line("臺北市政府　函", 100, 100, 400, 140),
        line("密等及解密條件或保密期限：", 100, 200, 500, 230),
        line("普通", 520, 202, 580, 232),            # the field's value, in the next cell
    ]
    assert page_text(lines) == "臺北市政府　函\n機密\n密等及解密條件或保密期限：\t普通\n主旨：檢送資料。"


def test_tesseract_tsv_lines_join_cjk_without_spaces():
    tsv = ("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
           "5\t1\t1\t1\t1\t1\t10\t10\t20\t20\t90\t身分\n"
           "5\t1\t1\t1\t1\t2\t32\t10\t20\t20\t80\t證\n"
           "5\t1\t1\t1\t1\t3\t60\t10\t80\t20\t70\tF223456786\n"
           "5\t1\t1\t1\t2\t1\t10\t40\t40\t20\t-1\t\n")
    [only] = _parse_tsv(tsv)
    assert only.text == "身分證F223456786"
    assert only.box == (10, 10, 140, 30)
    assert 0.7 < only.confidence < 0.9
    assert join_words(["Room", "301", "會議室"]) == "Room 301會議室"


def test_stamp_angles_start_with_the_levelling_angle_and_never_repeat():
    angles = stamp_angles(14.0)
    assert angles[:2] == [14.0, 0.0] and 104.0 in angles and -76.0 in angles and 194.0 in angles
    assert all(abs(a - b) >= 5 for i, a in enumerate(angles) for b in angles[:i])


# -- the weight is paid only by messages with pictures ------------------------------------------

def test_scanning_text_never_loads_the_ocr_stack(tmp_path):
    """Messages without pictures (a .docx and a text PDF attached too) never pay the engine's
    load; the first picture loads it, once per process, and the next picture reuses it."""
    sys.path.insert(0, str(REPO / "tests"))
    import builders

    (tmp_path / "a.docx").write_bytes(builders.docx("會議紀錄：身分證字號 F223456786"))
    (tmp_path / "b.pdf").write_bytes(builders.pdf_pages([["第一頁"], ["第二頁"]]))
    (tmp_path / "c.png").write_bytes(builders.png())
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from dlp import Scanner, Message, Attachment\n"
        "import dlp.ocr\n"
        "from dlp.ocr import loader\n"
        f"tmp = Path({str(tmp_path)!r})\n"
        "HEAVY = ('rapidocr', 'onnxruntime', 'cv2', 'pypdfium2')\n"
        "s = Scanner()\n"
        "files = [Attachment(n, (tmp / n).read_bytes()) for n in ('a.docx', 'b.pdf')]\n"
        "r = s.scan(Message(text='身分證字號 F223456786', recipients=['a@gmail.com'], attachments=files))\n"
        "print(r.action, [m for m in HEAVY if m in sys.modules], loader.loaded_engines())\n"
        "picture = [Attachment('c.png', (tmp / 'c.png').read_bytes())]\n"
        "s.scan(Message(text='', recipients=['a@gmail.com'], attachments=picture))\n"
        "first = list(loader._engines.values())\n"
        "s.scan(Message(text='', recipients=['a@gmail.com'], attachments=picture))\n"
        "again = list(loader._engines.values())\n"
        "print([m for m in HEAVY[:3] if m in sys.modules], loader.loaded_engines(), first[0] is again[0])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=REPO)
    assert out.returncode == 0, out.stderr
    text_only, with_pictures = out.stdout.strip().splitlines()
    assert text_only == "quarantine [] []"
    assert with_pictures.startswith("['rapidocr', 'onnxruntime', 'cv2'] ['rapidocr/") and with_pictures.endswith(" True")


def test_one_engine_per_process_and_a_changed_setting_replaces_it():
    from dlp.ocr import loader

    loader.clear()
    try:
        first = loader.get_engine(OcrSettings())
        assert loader.get_engine(OcrSettings()) is first  # loaded once, then reused
        loader.get_engine(OcrSettings(min_confidence=0.6))
        assert len(loader.loaded_engines()) == 1  # the old one is let go, not kept beside it
    finally:
        loader.clear()


def test_a_fresh_process_decodes_webp_and_tiff():
    """The allowed formats are matched against Pillow's plugins, which load lazily: a worker
    whose first picture is a WebP must not refuse it."""
    import base64
    import io

    from PIL import Image

    blobs = []
    for fmt in ("WEBP", "TIFF"):
        buf = io.BytesIO()
        Image.new("RGB", (40, 30), "white").save(buf, fmt)
        blobs.append(base64.b64encode(buf.getvalue()).decode())
    code = (
        "import base64, sys\n"
        "from dlp.ocr.decode import open_picture\n"
        "print([open_picture(base64.b64decode(b), 10**6).format for b in sys.stdin.read().split()])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], input=" ".join(blobs), capture_output=True, text=True,
                         timeout=60, cwd=REPO)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "['WEBP', 'TIFF']"
