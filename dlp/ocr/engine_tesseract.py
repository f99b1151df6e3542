"""tesseract, the optional engine (Debian: ``tesseract-ocr`` + ``tesseract-ocr-chi-tra``).

Driven as a subprocess, picture on stdin and TSV on stdout: no temporary file ever holds the
picture (nothing raw on disk), and a page that runs past the budget is killed. Small and
accurate on body text; in our trials it misses red stamps on a full page, which is why the
stamp pass hands it the stamp region alone.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from typing import TYPE_CHECKING

from dlp.ocr.engine_base import OcrFailed, OcrUnavailable, TextLine
from dlp.ocr.settings import OcrSettings

if TYPE_CHECKING:
    from PIL import Image


def _is_cjk(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\uff00" <= ch <= "\uffef" or "\u3000" <= ch <= "\u303f"


def join_words(words: list[str]) -> str:
    """Words of one line: no space between CJK characters (tesseract splits them), one between others."""
    out = ""
    for w in words:
        if out and not (_is_cjk(out[-1]) or _is_cjk(w[0])):
            out += " "
        out += w
    return out


class TesseractEngine:
    #: tesseract's confidences run lower than rapidocr's for the same clean reading
    good_confidence = 0.75
    def __init__(self, settings: OcrSettings):
        cfg = settings.tesseract
        command = shutil.which(cfg.command)
        if command is None:
            raise OcrUnavailable(f"找不到 tesseract 程式（{cfg.command}）；請安裝 Debian 套件 tesseract-ocr 與 tesseract-ocr-chi-tra")
        self._command = command
        self._languages = cfg.languages
        self._env = {**os.environ, "OMP_THREAD_LIMIT": str(settings.threads)}
        try:
            listed = subprocess.run([command, "--list-langs"], capture_output=True, text=True, timeout=30, env=self._env)
        except (OSError, subprocess.SubprocessError) as exc:
            raise OcrUnavailable(f"tesseract 無法執行（{type(exc).__name__}）") from None
        have = {line.strip() for line in listed.stdout.splitlines()[1:]}
        missing = [lang for lang in cfg.languages.split("+") if lang not in have]
        if missing:
            raise OcrUnavailable(f"tesseract 缺少語言資料 {'、'.join(missing)}（Debian：tesseract-ocr-chi-tra）")
        version = subprocess.run([command, "--version"], capture_output=True, text=True, timeout=30, env=self._env)
        first = (version.stdout or version.stderr).split("\n", 1)[0].split()
        self.name = f"tesseract/{first[1] if len(first) > 1 else '?'}/{cfg.languages}"

    def read(self, image: Image.Image, timeout: float, region: bool = False) -> list[TextLine]:
        buf = io.BytesIO()
        image.convert("RGB").save(buf, "PNG")
        # psm 6: one block of text (a stamp region); psm 3: automatic page layout.
        args = [self._command, "stdin", "stdout", "-l", self._languages, "--psm", "6" if region else "3", "tsv"]
        try:
            done = subprocess.run(args, input=buf.getvalue(), capture_output=True, timeout=max(timeout, 0.5), env=self._env)
        except subprocess.TimeoutExpired:
            raise OcrFailed("tesseract 辨識逾時") from None
        except OSError as exc:
            raise OcrFailed(f"tesseract 無法執行（{type(exc).__name__}）") from None
        if done.returncode != 0:
            raise OcrFailed(f"tesseract 辨識失敗（結束碼 {done.returncode}）")
        return _parse_tsv(done.stdout.decode("utf-8", "replace"))


def _parse_tsv(tsv: str) -> list[TextLine]:
    lines: dict[tuple[str, str, str, str], list[dict[str, str]]] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        try:
            conf = float(row.get("conf") or -1)
        except ValueError:
            continue
        if row.get("level") != "5" or not text or conf < 0:
            continue
        key = (row["page_num"], row["block_num"], row["par_num"], row["line_num"])
        lines.setdefault(key, []).append(row)
    out = []
    for words in lines.values():
        left = min(int(w["left"]) for w in words)
        top = min(int(w["top"]) for w in words)
        right = max(int(w["left"]) + int(w["width"]) for w in words)
        bottom = max(int(w["top"]) + int(w["height"]) for w in words)
        texts = [w["text"].strip() for w in words]
        weight = sum(len(t) for t in texts) or 1
        conf = sum(float(w["conf"]) * len(t) for w, t in zip(words, texts)) / weight / 100
        out.append(TextLine(join_words(texts), conf, (left, top, right, bottom)))
    return out
