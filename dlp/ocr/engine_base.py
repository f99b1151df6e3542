"""What every OCR engine offers: an RGB picture in, text lines with confidence and position out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PIL import Image


@dataclass(frozen=True)
class TextLine:
    text: str
    #: 0..1
    confidence: float
    #: Axis-aligned box in the picture's pixels: left, top, right, bottom.
    box: tuple[float, float, float, float]

    @property
    def height(self) -> float:
        return self.box[3] - self.box[1]

    @property
    def middle(self) -> float:
        return (self.box[1] + self.box[3]) / 2


class OcrUnavailable(Exception):
    """The engine cannot be used here (not installed, model files missing); the reason in Chinese."""


class OcrFailed(Exception):
    """The engine was there but did not read this picture (crash, timeout); the reason in Chinese."""


class OcrEngine(Protocol):
    #: Engine name as segments report it, with its model ("rapidocr/PP-OCRv6_small").
    name: str
    #: A stamp read at least this confidently (with Han characters) is not tried at other angles;
    #: engines differ in how they scale confidence.
    good_confidence: float

    def read(self, image: Image.Image, timeout: float, region: bool = False) -> list[TextLine]:
        """Every text line of ``image`` (RGB). ``timeout`` is a hint in seconds; engines that can
        stop early (a subprocess) do. ``region``: the picture is one cut-out region (a stamp), not a page."""
        ...
