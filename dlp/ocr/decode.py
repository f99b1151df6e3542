"""Picture bytes -> the RGB frames OCR reads (Pillow; HEIC too when ``pillow-heif`` is installed).

Only the formats in ``FORMATS`` are opened (never EPS, which Pillow hands to Ghostscript).
The size is checked from the header before any pixel is decoded, so a decompression bomb costs
nothing. Phone photos are turned upright by their EXIF orientation, transparency is laid on
white, and large pictures are scaled down to ``max_side`` (text stays readable; memory and time
stay bounded).
"""

from __future__ import annotations

import io
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

# We check the pixel count ourselves (``max_pixels``) before decoding; Pillow's warning for the
# same thing would only be noise in the logs.
warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)

_registered = False
_register_lock = threading.Lock()


def register_decoders() -> list[str]:
    """Teach Pillow the optional formats that are installed (HEIC/HEIF/AVIF); returns their names."""
    global _registered
    with _register_lock:
        if _registered:
            return _extra_formats()
        Image.init()  # every bundled plugin, so that FORMATS can be matched against Image.OPEN
        try:
            import pillow_heif

            pillow_heif.register_heif_opener()
        except ImportError:
            pass
        _registered = True
    return _extra_formats()


def _extra_formats() -> list[str]:
    return [f for f in ("HEIF", "AVIF") if f in Image.OPEN]


class NotAPicture(Exception):
    """Pillow cannot decode these bytes (the reason in Chinese)."""


class TooManyPixels(Exception):
    def __init__(self, pixels: int):
        self.pixels = pixels
        super().__init__(f"{pixels} pixels")


@dataclass
class Frame:
    image: Image.Image
    #: 1-based frame number; ``count`` frames in the picture.
    number: int
    count: int
    format: str


#: The formats OCR decodes. Not every format Pillow knows: EPS would run Ghostscript on the
#: sender's file, and formats such as PSD, ICNS or FITS are not how documents travel.
FORMATS: tuple[str, ...] = ("PNG", "JPEG", "MPO", "GIF", "BMP", "DIB", "TIFF", "WEBP", "JPEG2000", "PPM", "HEIF", "AVIF")


def open_picture(data: bytes, max_pixels: int) -> Image.Image:
    register_decoders()
    try:
        img = Image.open(io.BytesIO(data), formats=[f for f in FORMATS if f in Image.OPEN])
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise NotAPicture(f"無法解碼影像（{type(exc).__name__}）") from None
    except Image.DecompressionBombError:
        raise TooManyPixels(0) from None
    pixels = img.width * img.height
    if pixels > max_pixels or pixels <= 0:
        raise TooManyPixels(pixels)
    return img


def frame_count(img: Image.Image) -> int:
    return max(1, int(getattr(img, "n_frames", 1) or 1))


def frames(img: Image.Image, max_side: int, first: int = 1) -> Iterator[Frame]:
    """Every frame from ``first`` on (1-based), upright, RGB, scaled to ``max_side``."""
    count = frame_count(img)
    fmt = img.format or ""
    for index, frame in enumerate(ImageSequence.Iterator(img), start=1):
        if index < first:
            continue
        try:
            yield Frame(to_rgb(frame, max_side), index, count, fmt)
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
            raise NotAPicture(f"影像第 {index} 格無法解碼（{type(exc).__name__}）") from None


def to_rgb(frame: Image.Image, max_side: int) -> Image.Image:
    img = ImageOps.exif_transpose(frame) or frame
    if img.mode in ("I;16", "I;16B", "I;16L", "I"):
        img = img.point(lambda v: v / 256).convert("L")
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        img = Image.alpha_composite(white, rgba)
    img = img.convert("RGB")
    if max(img.size) > max_side:
        img = img.copy()
        img.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return img
