"""The ``ocr:`` section of ``patterns/policy.yaml``: which engine, how much OCR one message may cost.

Pure Python and cheap to import: the policy loader reads this section on every load, whether
or not an OCR engine is installed. Every problem is reported as a :class:`PackError` naming
the key (``ocr.max_pages``) with the reason in Traditional Chinese, all at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from dlp.errors import PackError

#: Engines this package can drive; the first is the default.
ENGINES: tuple[str, ...] = ("rapidocr", "tesseract")


@dataclass(frozen=True)
class StampSettings:
    """The red-stamp pass: which pixels are "red" and which red regions are read as stamps."""

    enabled: bool = True
    #: Hue distance from pure red, in degrees (0..60): 20 takes crimson to vermilion.
    hue_degrees: int = 20
    #: Minimum saturation and value (brightness), 0..1: greys, black ink and dark shadows are not red.
    min_saturation: float = 0.35
    min_value: float = 0.35
    #: A red region with fewer red pixels than this is a speck, not a stamp.
    min_pixels: int = 150
    #: At most this many red regions are read per page (largest first).
    max_regions: int = 8
    #: A red region covering more than this share of the page is a picture or a red form, not a stamp.
    max_area_ratio: float = 0.25


@dataclass(frozen=True)
class TesseractSettings:
    """The optional tesseract engine (Debian: ``tesseract-ocr`` and ``tesseract-ocr-chi-tra``)."""

    command: str = "tesseract"
    languages: str = "chi_tra+eng"


@dataclass(frozen=True)
class OcrSettings:
    """Budgets and engine choice; the defaults are what ``patterns/policy.yaml`` ships."""

    enabled: bool = True
    engine: str = "rapidocr"
    #: Pages read per message: an image, a frame of a multi-page TIFF or a PDF page each count one.
    max_pages: int = 10
    #: OCR seconds per message (checked between pages and stamp regions).
    max_seconds: float = 20.0
    #: An image with more pixels than this is not decoded at all (decompression bombs).
    max_pixels: int = 60_000_000
    #: Images are scaled down so that their longer side is at most this many pixels.
    max_side: int = 2500
    #: Resolution at which image-only PDF pages are rendered.
    pdf_dpi: int = 150
    #: Longer side of the image the text *detector* sees (recognition reads the full image).
    detection_side: int = 960
    #: Text lines recognised with less confidence than this (0..1) are dropped as noise.
    min_confidence: float = 0.5
    #: CPU threads one OCR call may use (per worker process).
    threads: int = 1
    stamp: StampSettings = field(default_factory=StampSettings)
    tesseract: TesseractSettings = field(default_factory=TesseractSettings)


_RANGES: dict[str, tuple[type | tuple[type, ...], float, float]] = {
    # name -> (type, minimum, maximum)
    "max_pages": (int, 0, 10_000),
    "max_seconds": ((int, float), 0, 3600),
    "max_pixels": (int, 10_000, 170_000_000),  # Pillow refuses to open more than ~179 M anyway
    "max_side": (int, 200, 20_000),
    "pdf_dpi": (int, 50, 600),
    "detection_side": (int, 320, 4096),
    "min_confidence": ((int, float), 0, 1),
    "threads": (int, 1, 64),
    "stamp.hue_degrees": (int, 1, 60),
    "stamp.min_saturation": ((int, float), 0, 1),
    "stamp.min_value": ((int, float), 0, 1),
    "stamp.min_pixels": (int, 1, 10_000_000),
    "stamp.max_regions": (int, 0, 100),
    "stamp.max_area_ratio": ((int, float), 0.001, 1),
}


class _Reader:
    def __init__(self, file: str):
        self.file = file
        self.errors: list[PackError] = []

    def err(self, key: str, reason: str) -> None:
        self.errors.append(PackError(self.file, key, reason))

    def mapping(self, raw: Any, key: str, cls: type) -> dict[str, Any]:
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.err(key, "應為對照表（key: value）")
            return {}
        known = [f.name for f in fields(cls)]
        for k in raw:
            if k not in known:
                self.err(f"{key}.{k}", f"未知的欄位「{k}」；可用的欄位：{'、'.join(known)}")
        return {k: v for k, v in raw.items() if k in known}

    def number(self, value: Any, key: str) -> Any:
        typ, lo, hi = _RANGES[key.removeprefix("ocr.")]
        if isinstance(value, bool) or not isinstance(value, typ):
            kind = "整數" if typ is int else "數字"
            self.err(key, f"應為{kind}，實際為「{value}」")
            return None
        if not lo <= value <= hi:
            self.err(key, f"應介於 {lo:g} 與 {hi:g} 之間，實際為 {value}")
            return None
        return float(value) if typ is not int else value

    def boolean(self, value: Any, key: str) -> bool | None:
        if not isinstance(value, bool):
            self.err(key, f"應為 true 或 false，實際為「{value}」")
            return None
        return value

    def text(self, value: Any, key: str) -> str | None:
        if not isinstance(value, str) or not value.strip():
            self.err(key, f"應為非空白的文字，實際為「{value}」")
            return None
        return value.strip()


def parse_ocr_settings(raw: Any, file: str) -> tuple[OcrSettings, list[PackError]]:
    """Read the ``ocr:`` mapping (absent: the defaults). Returns the settings and every problem found."""
    r = _Reader(file)
    top = r.mapping(raw, "ocr", OcrSettings)
    values: dict[str, Any] = {}
    for key, value in top.items():
        full = f"ocr.{key}"
        if key == "enabled":
            parsed = r.boolean(value, full)
        elif key == "engine":
            parsed = value if value in ENGINES else None
            if parsed is None:
                r.err(full, f"未知的文字辨識引擎「{value}」；可用：{'、'.join(ENGINES)}")
        elif key == "stamp":
            parsed = _stamp(r, value)
        elif key == "tesseract":
            sub = r.mapping(value, "ocr.tesseract", TesseractSettings)
            texts = {k: r.text(v, f"ocr.tesseract.{k}") for k, v in sub.items()}
            parsed = TesseractSettings(**{k: v for k, v in texts.items() if v is not None})
        else:
            parsed = r.number(value, full)
        if parsed is not None:
            values[key] = parsed
    return OcrSettings(**values), r.errors


def _stamp(r: _Reader, raw: Any) -> StampSettings:
    sub = r.mapping(raw, "ocr.stamp", StampSettings)
    values: dict[str, Any] = {}
    for key, value in sub.items():
        full = f"ocr.stamp.{key}"
        parsed = r.boolean(value, full) if key == "enabled" else r.number(value, full)
        if parsed is not None:
            values[key] = parsed
    return StampSettings(**values)


__all__ = ["ENGINES", "OcrSettings", "StampSettings", "TesseractSettings", "parse_ocr_settings"]
