"""One OCR engine per process, loaded lazily on the first picture that needs it.

A message without images never imports onnxruntime, OpenCV or the models (``import dlp.ocr``
is cheap); the first image pays the load once (rapidocr: about 0.5 s of imports and 0.1 s of
model load here), and every later image in that worker reuses it. A failed load is remembered
too, so that an engine that is not installed is not probed again for every image.
"""

from __future__ import annotations

import logging
import threading

from dlp.ocr.engine_base import OcrEngine, OcrUnavailable
from dlp.ocr.settings import OcrSettings

log = logging.getLogger(__name__)

_lock = threading.Lock()
#: settings key -> the loaded engine, or the reason (str) it could not be loaded
_engines: dict[tuple, OcrEngine | str] = {}


def _key(settings: OcrSettings) -> tuple:
    return (settings.engine, settings.threads, settings.min_confidence, settings.max_side,
            settings.detection_side, settings.tesseract)


def get_engine(settings: OcrSettings) -> OcrEngine:
    """The loaded engine for these settings; raises ``OcrUnavailable`` (reason in Chinese)."""
    key = _key(settings)
    with _lock:
        found = _engines.get(key)
        if found is None:
            # a reloaded policy that changed this engine's settings: let the old instance go
            for stale in [k for k in _engines if k[0] == settings.engine]:
                del _engines[stale]
            found = _load(settings)
            _engines[key] = found
    if isinstance(found, str):
        raise OcrUnavailable(found)
    return found


def _load(settings: OcrSettings) -> OcrEngine | str:
    try:
        if settings.engine == "tesseract":
            from dlp.ocr.engine_tesseract import TesseractEngine

            return TesseractEngine(settings)
        from dlp.ocr.engine_rapid import RapidEngine

        return RapidEngine(settings)
    except OcrUnavailable as exc:
        log.warning("OCR engine %s unavailable: %s", settings.engine, exc)
        return str(exc)
    except Exception as exc:  # a broken install must not crash a scan: fail closed instead
        log.exception("OCR engine %s failed to load", settings.engine)
        return f"文字辨識引擎 {settings.engine} 無法載入（{type(exc).__name__}）"


def loaded_engines() -> list[str]:
    """Names of the engines loaded in this process (for health checks and tests)."""
    with _lock:
        return [e.name for e in _engines.values() if not isinstance(e, str)]


def clear() -> None:
    """Forget every loaded engine (the next picture loads again), e.g. after a policy reload."""
    with _lock:
        _engines.clear()
