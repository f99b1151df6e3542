"""rapidocr (PP-OCR models on onnxruntime), with the models that ship **inside its wheel**.

rapidocr has three ways to reach the network, and each is closed here:

* a model whose ``model_path`` is not given is fetched (``DownloadFile``) into the model
  directory: we always pass the explicit paths of the bundled ``.onnx`` files, and refuse
  (``OcrUnavailable``) when one is missing, before rapidocr is even constructed;
* a recognition model without an embedded character list makes it fetch a dictionary: we read
  the model's metadata with onnxruntime first and refuse a model without one;
* a ``str`` input that looks like a URL is fetched: we only ever pass decoded pictures.

The models are loaded once, eagerly, when the engine is built (see ``loader``), so that the
first image does not pay for them twice and a broken install is found at once.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dlp.ocr.engine_base import OcrFailed, OcrUnavailable, TextLine
from dlp.ocr.settings import OcrSettings

if TYPE_CHECKING:
    from PIL import Image

#: The bundled models, by task, in order of preference (rapidocr 3.x wheels).
MODEL_FILES: dict[str, tuple[str, ...]] = {
    "det": ("PP-OCRv6_det_small.onnx",),
    "cls": ("ch_ppocr_mobile_v2.0_cls_mobile.onnx",),
    "rec": ("PP-OCRv6_rec_small.onnx",),
}


def models_dir() -> Path:
    """The ``models`` directory inside the installed rapidocr package."""
    try:
        import rapidocr
    except ImportError as exc:
        raise OcrUnavailable(f"未安裝 rapidocr 文字辨識套件（{exc.name or exc}）") from None
    return Path(rapidocr.__file__).resolve().parent / "models"


def model_paths() -> dict[str, Path]:
    """The bundled model file of each task; ``OcrUnavailable`` when one is missing (never a download)."""
    root = models_dir()
    out: dict[str, Path] = {}
    for task, names in MODEL_FILES.items():
        found = next((root / n for n in names if (root / n).is_file()), None)
        if found is None:
            raise OcrUnavailable(f"rapidocr 套件內找不到{task}模型檔（{'、'.join(names)}），不會自網路下載")
        out[task] = found
    return out


def _has_character_list(path: Path) -> bool:
    import onnxruntime

    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return "character" in session.get_modelmeta().custom_metadata_map


class RapidEngine:
    """One loaded rapidocr pipeline (detection, orientation, recognition)."""

    good_confidence = 0.85

    def __init__(self, settings: OcrSettings):
        paths = model_paths()
        try:
            from rapidocr import RapidOCR
        except ImportError as exc:
            raise OcrUnavailable(f"rapidocr 無法載入（{exc}）") from None
        if not _has_character_list(paths["rec"]):
            raise OcrUnavailable("rapidocr 辨識模型缺少內建字元表，為避免自網路下載而停用")
        threads = settings.threads
        params: dict[str, Any] = {
            "Global.log_level": "warning",
            "Global.model_root_dir": str(paths["det"].parent),
            "Global.text_score": settings.min_confidence,
            "Global.max_side_len": settings.max_side,
            "Det.model_path": str(paths["det"]),
            "Det.limit_type": "max",
            "Det.limit_side_len": settings.detection_side,
            "Cls.model_path": str(paths["cls"]),
            "Rec.model_path": str(paths["rec"]),
            "EngineConfig.onnxruntime.intra_op_num_threads": threads,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        }
        self._ocr = RapidOCR(params=params)
        for load in ("_load_det_model", "_load_cls_model", "_load_rec_model"):
            loader = getattr(self._ocr, load, None)
            if loader is not None:
                loader()  # eager: pay the load once, here, not inside a message's budget
        self.name = f"rapidocr/{paths['rec'].stem.replace('_rec', '')}"
        self.model_files = paths
        self._lock = threading.Lock()

    def read(self, image: Image.Image, timeout: float, region: bool = False) -> list[TextLine]:
        try:
            with self._lock:  # one inference at a time per process: bounded memory on a shared host
                out = self._ocr(image.convert("RGB"))
        except Exception as exc:  # the engine's own errors: report, never crash the scan
            raise OcrFailed(f"rapidocr 辨識失敗（{type(exc).__name__}）") from exc
        boxes = getattr(out, "boxes", None)
        txts = getattr(out, "txts", None)
        scores = getattr(out, "scores", None)
        if boxes is None or txts is None or scores is None:
            return []
        lines = []
        for box, text, score in zip(boxes, txts, scores):
            xs = [float(p[0]) for p in box]
            ys = [float(p[1]) for p in box]
            if text.strip():
                lines.append(TextLine(text.strip(), float(score), (min(xs), min(ys), max(xs), max(ys))))
        return lines
