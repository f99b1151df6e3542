"""One page picture -> segments: its red stamps first (cheap, read alone), then its text.

Stamp regions become ``stamp`` segments (at the region's box); the page, with those stamps'
red ink painted out, becomes one ``page`` segment in reading order. When the budget's time runs
out between the two, what was not read is a ``LIMIT_EXCEEDED`` finding.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from dlp.model import Finding
from dlp.ocr.budget import OcrBudget
from dlp.ocr.engine_base import OcrEngine, TextLine
from dlp.ocr.layout import mean_confidence, page_text
from dlp.ocr.result import OcrSegment, limit_exceeded
from dlp.ocr.stamps import RedRegion, erase_regions, find_red_regions, ink_picture

#: Angles swept when neither the levelling angle nor upright reads well (stamps are put on at any tilt).
SWEEP = (-30.0, 30.0, -45.0, 45.0, -15.0, 15.0)
ANGLE_STEP = 10.0


@dataclass
class PageRead:
    segments: list[OcrSegment] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def read_page(image: Image.Image, engine: OcrEngine, budget: OcrBudget, location: str,
              stamps_only: bool = False) -> PageRead:
    """Read one page (the page is already charged to ``budget``); engine errors propagate."""
    settings = budget.settings
    out = PageRead()
    rgb = np.asarray(image.convert("RGB"))
    if settings.stamp.enabled:
        with budget.timer():
            regions, mask = find_red_regions(rgb, settings.stamp)
        for region in regions:
            limit = budget.time_exhausted()
            if limit:
                out.findings.append(limit_exceeded(location, limit, what="影像中的紅色印記"))
                return out
            with budget.timer():
                lines = read_stamp(engine, rgb, mask, region, budget.seconds_left(), settings.min_confidence)
            text = "\n".join(ln.text for ln in lines)
            if text.strip():
                out.segments.append(OcrSegment(location, text, "stamp", engine=engine.name,
                                               confidence=mean_confidence(lines), box=region.box))
        if regions:
            rgb = erase_regions(rgb, mask, regions)
    if stamps_only:
        return out
    limit = budget.time_exhausted()
    if limit:
        out.findings.append(limit_exceeded(location, limit, what="頁面文字"))
        return out
    with budget.timer():
        lines = [ln for ln in engine.read(Image.fromarray(rgb), budget.seconds_left())
                 if ln.confidence >= settings.min_confidence]
    text = page_text(lines)
    if text.strip():
        h, w = rgb.shape[:2]
        out.segments.append(OcrSegment(location, text, "page", engine=engine.name,
                                       confidence=mean_confidence(lines), box=(0, 0, w, h)))
    return out


def read_stamp(engine: OcrEngine, rgb: np.ndarray, mask: np.ndarray, region: RedRegion,
               timeout: float, min_confidence: float) -> list[TextLine]:
    """The text of one red region, read at the angles most likely to level it until one reads well.

    First the angle of the red pixels' bounding rectangle (a framed stamp), then upright, then a
    quarter turn either way, then a sweep (a round seal's rectangle says nothing about its
    angle). The best reading weighs Han characters (what stamps carry) over stray Latin letters
    that noise tends to produce.
    """
    best: list[TextLine] = []
    best_score = 0.0
    for angle in stamp_angles(region.angle):
        picture = ink_picture(rgb, mask, region, angle)
        lines = [ln for ln in engine.read(picture, timeout, region=True) if ln.confidence >= min_confidence]
        lines.sort(key=lambda ln: (ln.middle, ln.box[0]))
        score = sum(ln.confidence * _weight(ln.text) for ln in lines)
        if score > best_score:
            best, best_score = lines, score
        if score and mean_confidence(lines) >= engine.good_confidence and any(_is_han(c) for ln in lines for c in ln.text):
            break
    return best


def stamp_angles(level_angle: float) -> list[float]:
    """Angles to try, most likely first, none within ``ANGLE_STEP``/2 of one already listed."""
    out: list[float] = []
    for angle in (level_angle, 0.0, level_angle + 90, level_angle - 90, level_angle + 180, *SWEEP):
        if all(abs(angle - seen) >= ANGLE_STEP / 2 for seen in out):
            out.append(angle)
    return out


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _weight(text: str) -> float:
    return sum(1.0 if _is_han(c) else 0.3 for c in text if not c.isspace())
