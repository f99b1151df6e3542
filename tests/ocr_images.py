"""Pictures for the OCR tests and benchmark, drawn here with Pillow and a CJK font.

Scanned-looking 公文 pages (off-white paper, sensor noise, a slight skew, blur, JPEG), with a
rotated red stamp or an agency seal; a phone photo of a national ID card on a desk; image-only
PDFs made by Pillow (as scanners make them). The font comes from Debian (``fonts-noto-cjk``,
or ``fonts-wqy-zenhei``), installed by ``scripts/ci-system-deps.sh``.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_CANDIDATES = {
    # (path, index of the Traditional Chinese face in the collection)
    "serif": [("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 3),
              ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0)],
    "sans": [("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 3),
             ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0)],
    "bold": [("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 3),
             ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", 3),
             ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0)],
}
MISSING_FONT = ("No CJK font for the OCR test pictures: install Debian's fonts-noto-cjk (or fonts-wqy-zenhei), "
                "e.g. `bash scripts/ci-system-deps.sh`, which .ci/run calls")

PAPER = (248, 247, 242)
INK = (28, 28, 30)
STAMP_RED = (204, 28, 40)


class MissingFont(RuntimeError):
    pass


def font(kind: str, size: int) -> ImageFont.FreeTypeFont:
    for path, index in FONT_CANDIDATES[kind]:
        if Path(path).is_file():
            return ImageFont.truetype(path, size, index=index)
    raise MissingFont(MISSING_FONT)


def require_cjk_fonts() -> None:
    """Fail (never skip) the calling test module when the fonts its pictures need are absent."""
    import pytest

    try:
        font("serif", 20)
        font("bold", 20)
    except MissingFont:
        pytest.fail(MISSING_FONT)


# -- national IDs, computed here independently of dlp.validators -------------------------------

#: 國民身分證 letter -> two-digit code (the public table; I, O, W, X, Y, Z are out of order).
ID_LETTER_CODES = {
    "A": 10, "B": 11, "C": 12, "D": 13, "E": 14, "F": 15, "G": 16, "H": 17, "I": 34, "J": 18,
    "K": 19, "L": 20, "M": 21, "N": 22, "O": 35, "P": 23, "Q": 24, "R": 25, "S": 26, "T": 27,
    "U": 28, "V": 29, "W": 32, "X": 30, "Y": 31, "Z": 33,
}


def id_checksum_ok(value: str) -> bool:
    code = ID_LETTER_CODES[value[0]]
    digits = [code // 10, code % 10] + [int(c) for c in value[1:]]
    weights = [1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1]
    return sum(d * w for d, w in zip(digits, weights)) % 10 == 0


def make_national_id(letter: str, sex: int, serial: str) -> str:
    """``letter`` + sex digit (1 or 2) + 7 serial digits + the check digit that makes it valid."""
    body = f"{letter}{sex}{serial}"
    for check in "0123456789":
        if id_checksum_ok(body + check):
            return body + check
    raise AssertionError("no check digit")  # pragma: no cover - arithmetic guarantees one


# -- pages ---------------------------------------------------------------------------------------

LETTER_LINES = [
    "臺北市政府警察局　函",
    "地址：臺北市中正區延平南路96號",
    "承辦人：陳志明　電話：02-23812345",
    "受文者：本府秘書處",
    "發文日期：中華民國114年5月20日",
    "發文字號：北市警刑字第1143012345號",
    "速別：普通件",
    "主旨：檢送本局專案偵辦進度報告一份，請查照。",
    "說明：",
    "一、依據本府114年5月1日專案會議決議辦理。",
    "二、本案涉及多名嫌疑人，請妥為保管相關資料。",
    "三、聯絡窗口為刑事警察大隊第三科。",
    "正本：本府秘書處",
    "副本：本局刑事警察大隊",
]


@dataclass
class Stamp:
    text: str = "機密"
    angle: float = -15.0
    #: where the stamp's top-left corner goes, as fractions of the page
    at: tuple[float, float] = (0.66, 0.06)
    size: int = 72
    frame: str = "box"  # box | double | circle | none
    color: tuple[int, int, int] = STAMP_RED
    vertical: bool = False


def stamp_picture(stamp: Stamp) -> Image.Image:
    """A red stamp on a transparent layer, rotated (ink slightly uneven, as a rubber stamp prints)."""
    f = font("bold", stamp.size)
    chars = list(stamp.text)
    probe = ImageDraw.Draw(Image.new("L", (1, 1)))
    if stamp.vertical:
        cols = 2 if len(chars) > 4 else 1
        per_col = -(-len(chars) // cols)
        cw, ch = stamp.size, stamp.size
        w, h = cols * cw + (cols - 1) * 10, per_col * ch
    else:
        box = probe.textbbox((0, 0), stamp.text, font=f)
        w, h = box[2] - box[0], box[3] - box[1] + stamp.size // 5
    pad = stamp.size // 4
    side = max(w, h) + 2 * pad if stamp.frame == "circle" else 0
    W, H = (side, side) if side else (w + 2 * pad, h + 2 * pad)
    layer = Image.new("RGBA", (W + 12, H + 12), (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    red = (*stamp.color, 235)
    ox, oy = 6 + (W - w) // 2, 6 + (H - h) // 2
    if stamp.vertical:
        # columns right to left, characters top to bottom (how a 印 is engraved)
        for i, c in enumerate(chars):
            col, row = divmod(i, per_col)
            x = ox + (cols - 1 - col) * (stamp.size + 10)
            d.text((x, oy + row * stamp.size), c, fill=red, font=f)
    else:
        box = probe.textbbox((0, 0), stamp.text, font=f)
        d.text((ox - box[0], oy - box[1] + stamp.size // 10), stamp.text, fill=red, font=f)
    width = max(4, stamp.size // 12)
    if stamp.frame in ("box", "double"):
        d.rectangle([6, 6, 6 + W, 6 + H], outline=red, width=width)
        if stamp.frame == "double":
            d.rectangle([6 + 2 * width, 6 + 2 * width, 6 + W - 2 * width, 6 + H - 2 * width], outline=red, width=2)
    elif stamp.frame == "circle":
        d.ellipse([6, 6, 6 + W, 6 + H], outline=red, width=width)
    # uneven ink: knock out a few specks of the stamp
    alpha = np.asarray(layer)[..., 3].astype(np.int16)
    rng = np.random.default_rng(len(stamp.text) * 31 + int(stamp.angle) % 360)
    alpha = np.where(rng.random(alpha.shape) < 0.08, alpha // 3, alpha)
    layer.putalpha(Image.fromarray(alpha.clip(0, 255).astype(np.uint8)))
    return layer.rotate(stamp.angle, resample=Image.Resampling.BICUBIC, expand=True)


def page_image(lines: list[str], stamps: list[Stamp] = (), size: tuple[int, int] = (1240, 1754),
               text_size: int = 34, color_lines: dict[int, tuple[int, int, int]] | None = None,
               seed: int = 1) -> Image.Image:
    """A clean A4 page at 150 dpi: ``lines`` top-down, then the stamps laid over (multiply)."""
    img = Image.new("RGB", size, PAPER)
    d = ImageDraw.Draw(img)
    f = font("serif", text_size)
    y = int(size[1] * 0.07)
    for i, line in enumerate(lines):
        d.text((int(size[0] * 0.09), y), line, fill=(color_lines or {}).get(i, INK), font=f)
        y += int(text_size * 1.8)
    for stamp in stamps:
        layer = stamp_picture(stamp)
        img.paste(layer, (int(stamp.at[0] * size[0]), int(stamp.at[1] * size[1])), layer)
    return img


def scanned(img: Image.Image, seed: int = 1, quality: int = 60, noise: float = 10.0, skew: float = 0.7,
            fmt: str = "JPEG") -> bytes:
    """What a cheap scanner or a photocopier makes of a clean page: noise, skew, blur, JPEG."""
    rng = np.random.default_rng(seed)
    arr = np.asarray(img).astype(np.float32)
    arr += rng.normal(0, noise, arr.shape)
    arr += rng.normal(0, 4, (1, 1, 3))  # a colour cast
    out = Image.fromarray(arr.clip(0, 255).astype(np.uint8))
    out = out.rotate(skew, resample=Image.Resampling.BICUBIC, fillcolor=PAPER).filter(ImageFilter.GaussianBlur(0.6))
    buf = io.BytesIO()
    out.save(buf, fmt, **({"quality": quality} if fmt == "JPEG" else {}))
    return buf.getvalue()


def id_card_photo(name: str, national_id: str, seed: int = 3, quality: int = 70) -> bytes:
    """A phone photo of a national ID card's front lying on a desk (tilted, shaded, JPEG)."""
    card_w, card_h = 856, 540  # 85.6 x 54 mm at 10 px/mm
    card = Image.new("RGB", (card_w, card_h), (226, 238, 232))
    d = ImageDraw.Draw(card)
    rng = random.Random(seed)
    for _ in range(60):  # the guilloche-ish background pattern
        x, y = rng.randrange(card_w), rng.randrange(card_h)
        d.ellipse([x - 40, y - 40, x + 40, y + 40], outline=(200, 222, 214), width=2)
    title, label, body = font("bold", 44), font("sans", 30), font("sans", 36)
    d.text((40, 28), "中華民國國民身分證", fill=(30, 60, 50), font=title)
    d.text((40, 120), "姓　　名", fill=(60, 60, 60), font=label)
    d.text((200, 114), name, fill=INK, font=body)
    d.text((40, 190), "出生年月日", fill=(60, 60, 60), font=label)
    d.text((200, 184), "民國 75 年 3 月 2 日", fill=INK, font=body)
    d.text((40, 260), "性　　別", fill=(60, 60, 60), font=label)
    d.text((200, 254), "男" if national_id[1] == "1" else "女", fill=INK, font=body)
    d.text((40, 330), "發證日期", fill=(60, 60, 60), font=label)
    d.text((200, 324), "民國 109 年 7 月 1 日", fill=INK, font=body)
    d.text((40, 440), "統一編號", fill=(60, 60, 60), font=label)
    d.text((200, 430), national_id, fill=INK, font=font("bold", 44))
    d.rectangle([610, 110, 810, 370], fill=(150, 160, 170))  # the photo
    d.rounded_rectangle([0, 0, card_w - 1, card_h - 1], radius=30, outline=(120, 140, 130), width=3)
    # On a wooden desk, tilted, lit from one side.
    desk = Image.new("RGB", (1280, 960), (120, 88, 60))
    dd = ImageDraw.Draw(desk)
    for y in range(0, 960, 6):
        shade = 100 + int(20 * np.sin(y / 23.0))
        dd.line([(0, y), (1280, y + 30)], fill=(shade + 20, shade - 10, shade - 40), width=3)
    tilted = card.convert("RGBA").rotate(6, resample=Image.Resampling.BICUBIC, expand=True)
    desk.paste(tilted, (190, 170), tilted)
    arr = np.asarray(desk).astype(np.float32)
    light = np.linspace(1.08, 0.82, desk.width)[None, :, None]
    arr = arr * light + np.random.default_rng(seed).normal(0, 6, arr.shape)
    photo = Image.fromarray(arr.clip(0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.8))
    buf = io.BytesIO()
    photo.save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def image_only_pdf(pages: list[bytes], dpi: int = 150) -> bytes:
    """An image-only PDF, one picture per page, as a scanner writes it (Pillow's PDF writer)."""
    images = [Image.open(io.BytesIO(p)).convert("RGB") for p in pages]
    buf = io.BytesIO()
    images[0].save(buf, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return buf.getvalue()


def letter_text_lines(seed: int, count: int = 14) -> list[str]:
    """Known text for character-error measurements: 公文-like lines with numbers and names."""
    rng = random.Random(seed)
    subjects = ["檢送本局年度工作計畫", "函轉行政院來函", "辦理員工健康檢查", "修正採購作業要點",
                "召開專案協調會議", "更新資通安全防護措施"]
    units = ["秘書處", "人事室", "會計室", "資訊室", "政風室", "研考會"]
    people = ["王小明", "陳美玲", "林志強", "黃淑芬", "張家豪", "李雅婷"]
    lines = [f"臺北市政府{rng.choice(units)}　函",
             f"發文日期：中華民國11{rng.randrange(10)}年{rng.randrange(1, 13)}月{rng.randrange(1, 29)}日",
             f"發文字號：北市{rng.choice('秘人會資')}字第11{rng.randrange(10**7, 10**8)}號",
             f"主旨：{rng.choice(subjects)}，請查照。"]
    while len(lines) < count:
        n = len(lines) - 3
        lines.append(f"{'一二三四五六七八九十'[n % 10]}、請{rng.choice(units)}{rng.choice(people)}於"
                     f"{rng.randrange(1, 13)}月{rng.randrange(1, 29)}日前{rng.choice(subjects)}。")
    return lines


def character_error_rate(reference: str, hypothesis: str) -> float:
    """Levenshtein distance over characters, whitespace ignored, divided by the reference length."""
    ref = [c for c in reference if not c.isspace()]
    hyp = [c for c in hypothesis if not c.isspace()]
    prev = list(range(len(hyp) + 1))
    for i, rc in enumerate(ref, 1):
        cur = [i] + [0] * len(hyp)
        for j, hc in enumerate(hyp, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (rc != hc))
        prev = cur
    return prev[-1] / max(1, len(ref))
