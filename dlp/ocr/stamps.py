"""The red-stamp pass: find red regions (stamps, seals, red headings) and cut each one out alone.

Colour segmentation in HSV with OpenCV: a pixel is red when its hue is within
``hue_degrees`` of pure red and it is saturated and bright enough (black ink, grey shadows and
paper are not). Strokes are joined by a morphological closing into regions; specks, regions
that cover a large share of the page (a red photo, a red form) and regions past
``max_regions`` are left to the full-page pass.

Each region is handed to the engine as a picture of its own in which only the red ink is
drawn (dark on white): black body text under a stamp disappears, and the stamp is deskewed
from the angle of its red pixels' bounding rectangle. Whether the text read is a secrecy level
is not decided here but by the secrecy detector (role ``stamp``): an agency seal or a red
heading is read as well and simply does not match.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from dlp.ocr.settings import StampSettings

#: A straight run over this share of the ink's width (height), lying within ``FRAME_EDGE`` of its
#: outer edge, is a side of a frame (when all four sides have one), not a stroke of a character.
FRAME_RUN = 0.8
FRAME_EDGE = 0.15


@dataclass(frozen=True)
class RedRegion:
    #: left, top, right, bottom in page pixels
    box: tuple[int, int, int, int]
    #: number of red pixels inside
    pixels: int
    #: angle (degrees, counter-clockwise) that levels the region's red pixels
    angle: float


def red_mask(rgb: np.ndarray, cfg: StampSettings) -> np.ndarray:
    """Boolean mask of the red pixels of an RGB array."""
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)  # OpenCV hue is 0..179 (degrees / 2)
    hue, sat, val = hsv[..., 0], hsv[..., 1], hsv[..., 2]
    half = cfg.hue_degrees / 2
    reddish = (hue <= half) | (hue >= 180 - half)
    return reddish & (sat >= cfg.min_saturation * 255) & (val >= cfg.min_value * 255)


def find_red_regions(rgb: np.ndarray, cfg: StampSettings) -> tuple[list[RedRegion], np.ndarray]:
    """The stamp-like red regions of a page, largest first, and the red mask they came from."""
    mask = red_mask(rgb, cfg)
    height, width = mask.shape
    if int(mask.sum()) < cfg.min_pixels:
        return [], mask
    k = max(3, round(min(height, width) * 0.015)) | 1
    joined = cv2.morphologyEx(mask.astype(np.uint8), cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    page_area = height * width
    found: list[RedRegion] = []
    for i in range(1, count):
        x, y, w, h = (int(v) for v in stats[i, :4])
        if w * h > cfg.max_area_ratio * page_area:
            continue
        inside = mask[y:y + h, x:x + w] & (labels[y:y + h, x:x + w] == i)
        pixels = int(inside.sum())
        if pixels < cfg.min_pixels:
            continue
        found.append(RedRegion((x, y, x + w, y + h), pixels, _level_angle(inside)))
    found = _outermost(found)
    found.sort(key=lambda r: -r.pixels)
    return found[: cfg.max_regions], mask


def _outermost(regions: list[RedRegion]) -> list[RedRegion]:
    """Drop regions lying inside another one's box: a stamp's frame and its characters can be
    separate components (on a small picture the closing kernel does not bridge the gap), and
    the frame's cut-out already holds the characters' ink, so reading both reads it twice."""
    kept: list[RedRegion] = []
    for region in sorted(regions, key=lambda r: -_area(r.box)):
        if not any(_contains(outer.box, region.box) for outer in kept):
            kept.append(region)
    return kept


def _area(box: tuple[int, int, int, int]) -> int:
    return (box[2] - box[0]) * (box[3] - box[1])


def _contains(outer: tuple[int, int, int, int], inner: tuple[int, int, int, int]) -> bool:
    return outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def _level_angle(inside: np.ndarray) -> float:
    """The rotation that makes the minimum-area rectangle around the red pixels upright (-45..45)."""
    ys, xs = np.nonzero(inside)
    if len(xs) < 5:
        return 0.0
    (_, _), (_, _), angle = cv2.minAreaRect(np.column_stack([xs, ys]).astype(np.float32))
    angle = float(angle)
    while angle > 45:
        angle -= 90
    while angle < -45:
        angle += 90
    return angle


def ink_picture(rgb: np.ndarray, mask: np.ndarray, region: RedRegion, angle: float) -> Image.Image:
    """The region's red ink alone, dark on white, rotated by ``angle`` and padded for the detector."""
    left, top, right, bottom = region.box
    margin = max(8, round(0.12 * max(right - left, bottom - top)))
    h, w = mask.shape
    x0, y0, x1, y1 = max(0, left - margin), max(0, top - margin), min(w, right + margin), min(h, bottom + margin)
    crop = rgb[y0:y1, x0:x1]
    hsv = cv2.cvtColor(crop, cv2.COLOR_RGB2HSV)
    # Strength of the red: saturation where the hue is red (anti-aliased edges keep some grey).
    hue_red = mask[y0:y1, x0:x1] | _near_red_hue(hsv)
    strength = np.where(hue_red, hsv[..., 1].astype(np.float32), 0.0)
    top_strength = float(np.percentile(strength[mask[y0:y1, x0:x1]], 90)) if mask[y0:y1, x0:x1].any() else 255.0
    ink = 255.0 * (1.0 - np.clip(strength / max(top_strength, 1.0), 0.0, 1.0))
    picture = Image.fromarray(ink.astype(np.uint8), "L")
    if abs(angle) > 0.5:
        picture = picture.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    picture = _tight(_without_frame(picture))
    short = min(picture.size)
    if short < 96:  # small stamps: enlarge so the recogniser sees strokes, not pixels
        factor = 96 / max(short, 1)
        picture = picture.resize((round(picture.width * factor), round(picture.height * factor)), Image.Resampling.BICUBIC)
    pad = max(16, short // 6)
    canvas = Image.new("L", (picture.width + 2 * pad, picture.height + 2 * pad), 255)
    canvas.paste(picture, (pad, pad))
    return canvas.convert("RGB")


def _without_frame(picture: Image.Image) -> Image.Image:
    """Paint out a box frame around a stamp's words (a frame stops tesseract reading them).

    Only a real box counts: long straight runs on all four outer sides of the ink. A long stroke
    of a character at the edge of an unframed stamp (the 木 of 極) has no three partners and stays.
    """
    ink = np.asarray(picture)
    # thickened, so that a thin edge drifting a pixel after deskewing still runs unbroken
    dark = cv2.dilate((ink < 160).astype(np.uint8), np.ones((3, 3), np.uint8))
    ys, xs = np.nonzero(dark)
    if len(xs) == 0:
        return picture
    x0, x1, y0, y1 = int(xs.min()), int(xs.max()), int(ys.min()), int(ys.max())
    cw, ch = x1 - x0 + 1, y1 - y0 + 1
    edge_w, edge_h = max(2, int(cw * FRAME_EDGE)), max(2, int(ch * FRAME_EDGE))
    horizontal = cv2.morphologyEx(dark, cv2.MORPH_OPEN, np.ones((1, max(3, int(cw * FRAME_RUN))), np.uint8))
    vertical = cv2.morphologyEx(dark, cv2.MORPH_OPEN, np.ones((max(3, int(ch * FRAME_RUN)), 1), np.uint8))
    sides = (horizontal[y0:y0 + edge_h].any(), horizontal[y1 - edge_h + 1:y1 + 1].any(),
             vertical[:, x0:x0 + edge_w].any(), vertical[:, x1 - edge_w + 1:x1 + 1].any())
    if not all(sides):
        return picture
    horizontal[y0 + edge_h:y1 - edge_h + 1, :] = 0
    vertical[:, x0 + edge_w:x1 - edge_w + 1] = 0
    lines = cv2.dilate(horizontal | vertical, np.ones((5, 5), np.uint8)).astype(bool)
    out = ink.copy()
    out[lines] = 255
    return Image.fromarray(out, "L")


def _tight(picture: Image.Image) -> Image.Image:
    """Cropped to its ink (rotation with expand leaves wide white borders)."""
    box = Image.eval(picture, lambda v: 255 - v).point(lambda v: 255 if v > 95 else 0).getbbox()
    return picture.crop(box) if box else picture


def _near_red_hue(hsv: np.ndarray) -> np.ndarray:
    hue, sat = hsv[..., 0], hsv[..., 1]
    return ((hue <= 12) | (hue >= 168)) & (sat >= 40)


def erase_regions(rgb: np.ndarray, mask: np.ndarray, regions: list[RedRegion]) -> np.ndarray:
    """The page with the red ink of ``regions`` painted over in the paper's colour.

    The full-page pass then reads the body text without the stamp laid across it (and does not
    report the stamp a second time); dark body text under the stamp is not red and stays.
    """
    if not regions:
        return rgb
    out = rgb.copy()
    paper = np.median(rgb[::8, ::8].reshape(-1, 3), axis=0).astype(np.uint8)
    grown = cv2.dilate(mask.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    for region in regions:
        left, top, right, bottom = region.box
        area = grown[top:bottom, left:right]
        out[top:bottom, left:right][area] = paper
    return out
