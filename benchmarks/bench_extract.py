"""Extraction throughput and peak memory: 10 MB .docx, 10 MB .xlsx (as openpyxl and as Excel lay
it out), a 200-slide .pptx, a 100-page PDF, a 50 MB mixed zip, and how fast a 4 GB zip bomb is
refused; each beside a simple baseline where one is natural (openpyxl read_only, python-docx,
python-pptx, and the tree-parser reading of workbooks that the scanner replaced).

Each run happens in a fresh subprocess, so that peak RSS (VmHWM, reset before the run) belongs to
that run alone; a second pass in the same process measures the tracemalloc peak. Limits are the
defaults except time (600 s), message size (200 MB) and text (100 M characters), so that every
file is read to its end; with the default text limit (10 M characters) reading stops sooner.

    .venv/bin/python benchmarks/bench_extract.py              # full size (a few minutes; 2 cores)
    .venv/bin/python benchmarks/bench_extract.py --scale 0.1  # quick run
    .venv/bin/python benchmarks/bench_extract.py --no-baselines --only xlsx
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

MB = 1024 * 1024
_HAN = "的一是在不了有和人這中大為上個國我以要他時來用們生到作地於出就分對成會可主發年動同工也能下過子說產種面而方後多定行學法所民得經十三之進著等部度家電力裡如水化高自二理起小物現實加量都兩體制機當使點從業本去把性好應開它合還因由其些然前外天政四日那社義事平形相全表間樣與關各重新線內數正心反你明看原又麼利比或但質氣第向道命此變條只沒結解問意建月公無系軍很情者最立代想已通並提直題黨程展五果料象員革位入常文總次品式活設及管特件長求老頭基資邊流路級少圖山統接知較將組見計別她手角期根論運農指幾九區強放決西被幹做必戰先回則任取據處府研"


def _text(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(_HAN) for _ in range(n))


# -- building the files ----------------------------------------------------------------------
def build_docx(target: int) -> bytes:
    """A .docx of about ``target`` bytes: python-docx's package with a generated body."""
    import builders

    rng = random.Random(1)
    base = builders.docx(header="機密", footer="第 1 頁")
    src = zipfile.ZipFile(io.BytesIO(base))
    doc = src.read("word/document.xml").decode()
    head, tail = doc.split("<w:body>", 1)
    paras: list[str] = []
    size = 0
    people = builders.residents(500)
    while size < target * 2.0:  # CJK body XML deflates to about half
        name, pid, phone = people[len(paras) % len(people)]
        p = f"<w:p><w:r><w:t>{_text(rng, 60)}{name}{pid}{phone}</w:t></w:r></w:p>"
        paras.append(p)
        size += len(p.encode())
    body = "<w:body>" + "".join(paras) + tail
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = (head + body).encode() if info.filename == "word/document.xml" else src.read(info)
            dst.writestr(info.filename, data)
    return out.getvalue()


def build_xlsx(target: int) -> bytes:
    """openpyxl's write-only layout: inline strings, every CJK character a character reference."""
    import builders

    return builders.xlsx_rows(max(100, int(target / 56)))


def build_xlsx_excel(target: int) -> bytes:
    """Excel's layout: shared strings, a date style, formulas with cached values."""
    import builders

    return builders.xlsx_shared_rows(max(100, int(target / 47)))


def build_pptx(slides: int) -> bytes:
    import builders
    import pptx
    from pptx.util import Inches

    rng = random.Random(4)
    people = builders.residents(997)
    prs = pptx.Presentation()
    for n in range(slides):
        slide = prs.slides.add_slide(prs.slide_layouts[5])
        slide.shapes.title.text = f"第 {n + 1} 頁 {_text(rng, 12)}"
        table = slide.shapes.add_table(6, 3, Inches(0.5), Inches(1.5), Inches(9), Inches(4)).table
        for r in range(6):
            name, pid, phone = people[(n * 6 + r) % len(people)]
            for c, value in enumerate((name, pid, phone)):
                table.cell(r, c).text = value
        slide.notes_slide.notes_text_frame.text = _text(rng, 200)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def build_pdf(pages: int) -> bytes:
    import builders

    rng = random.Random(2)
    people = builders.residents(pages * 40)
    content = [["機密"] + [f"{_text(rng, 20)}{p[0]}{p[1]}" for p in people[i * 40 : i * 40 + 40]] for i in range(pages)]
    return builders.pdf_pages(content)


def build_zip(target: int, scale: float) -> bytes:
    docx = build_docx(int(1 * MB * max(scale, 0.05)))
    xlsx = build_xlsx(int(1 * MB * max(scale, 0.05)))
    pdf = build_pdf(max(2, int(10 * scale)))
    rng = random.Random(3)
    txt = "\n".join(_text(rng, 80) for _ in range(2000)).encode("cp950")
    out = io.BytesIO()
    n = 0
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        while out.tell() < target:
            for name, data in (("函.docx", docx), ("名冊.xlsx", xlsx), ("報告.pdf", pdf), ("舊檔.txt", txt)):
                zf.writestr(f"{n:03d}/{name}", data)
            n += 1
    return out.getvalue()


# -- the readers -----------------------------------------------------------------------------
def _limits():
    from dlp.extract import Limits

    return Limits(max_seconds=600, max_total_bytes=200 * MB, max_text_chars=100_000_000)


def read_dlp(path: Path, data: bytes) -> dict:
    from dlp.extract import extract
    from dlp.model import Attachment

    result = extract(Attachment(path.name, data), _limits())
    return {
        "segments": len(result.segments),
        "chars": sum(len(s.text) for s in result.segments),
        "findings": [f"{f.type}:{f.detail.get('limit', '')}".rstrip(":") for f in result.findings],
    }


def read_tree(path: Path, data: bytes) -> dict:
    """The workbook reader before the scanner: lxml iterparse, Python work per cell."""
    import dlp.extract.xlsx

    dlp.extract.xlsx.FAST = False
    return read_dlp(path, data)


def read_openpyxl(path: Path, data: bytes) -> dict:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    chars = 0
    for ws in wb.worksheets:
        lines = ["\t".join(str(v) for v in row if v is not None) for row in ws.iter_rows(values_only=True)]
        chars += len("\n".join(lines))
    return {"segments": len(wb.worksheets), "chars": chars, "findings": []}


def read_python_docx(path: Path, data: bytes) -> dict:
    import docx

    doc = docx.Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += ["\t".join(c.text for c in row.cells) for row in table.rows]
    for section in doc.sections:
        parts += [p.text for p in section.header.paragraphs] + [p.text for p in section.footer.paragraphs]
    return {"segments": 1, "chars": len("\n".join(parts)), "findings": []}


def read_python_pptx(path: Path, data: bytes) -> dict:
    import pptx

    prs = pptx.Presentation(io.BytesIO(data))
    parts: list[str] = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                parts += ["\t".join(c.text for c in row.cells) for row in shape.table.rows]
        if slide.has_notes_slide:
            parts.append(slide.notes_slide.notes_text_frame.text)
    return {"segments": len(prs.slides), "chars": len("\n".join(parts)), "findings": []}


READERS = {
    "dlp": read_dlp,
    "tree": read_tree,
    "openpyxl": read_openpyxl,
    "python-docx": read_python_docx,
    "python-pptx": read_python_pptx,
}
BASELINE_LABELS = {
    "tree": "previous (tree parser)",
    "openpyxl": "openpyxl read_only",
    "python-docx": "python-docx",
    "python-pptx": "python-pptx",
}


# -- measuring -------------------------------------------------------------------------------
def _status_kb(key: str) -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _reset_peak() -> int:
    """Reset the peak-RSS mark (Linux clear_refs) and return the current RSS in KB."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return _status_kb("VmRSS")


def run_case(path: str, impl: str, traced: bool) -> None:
    """Child process: read one file once for time and RSS, once more for the tracemalloc peak."""
    # Imports are not the file's cost: load every reader's modules first.
    import lxml.etree  # noqa: F401
    import pypdf  # noqa: F401

    import dlp.extract.archive  # noqa: F401
    import dlp.extract.docx  # noqa: F401
    import dlp.extract.pdf  # noqa: F401
    import dlp.extract.pptx  # noqa: F401
    import dlp.extract.text  # noqa: F401
    import dlp.extract.xlsx  # noqa: F401

    reader = READERS[impl]
    p = Path(path)
    data = p.read_bytes()
    if impl in ("dlp", "tree"):
        reader(Path("warm.txt"), "暖身".encode())  # first-use caches (regex, codecs)
    gc.collect()
    base = _reset_peak()
    start = time.perf_counter()
    res = reader(p, data)
    seconds = time.perf_counter() - start
    peak = _status_kb("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    res.update(seconds=seconds, peak_rss_mb=peak / 1024, extra_rss_mb=max(0, peak - base) / 1024, traced_mb=None)
    if traced:
        gc.collect()
        tracemalloc.start()
        reader(p, data)
        res["traced_mb"] = tracemalloc.get_traced_memory()[1] / MB
        tracemalloc.stop()
    print(json.dumps(res))


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=1.0, help="fraction of the full sizes (quick: 0.1)")
    ap.add_argument("--no-baselines", action="store_true", help="only this package's extractor")
    ap.add_argument("--no-trace", action="store_true", help="skip the tracemalloc pass")
    ap.add_argument("--only", help="run only cases whose label contains this text")
    ap.add_argument("--keep", help="keep the built files in this folder (and reuse them)")
    ap.add_argument("--case", help=argparse.SUPPRESS)
    ap.add_argument("--impl", default="dlp", help=argparse.SUPPRESS)
    ap.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.case:
        run_case(args.case, args.impl, args.traced)
        return
    import builders

    s = args.scale
    cases = [
        (f"docx {10 * s:.1f} MB", "big.docx", lambda: build_docx(int(10 * MB * s)), ["python-docx"]),
        (f"xlsx {10 * s:.1f} MB openpyxl", "big.xlsx", lambda: build_xlsx(int(10 * MB * s)), ["tree", "openpyxl"]),
        (f"xlsx {10 * s:.1f} MB Excel", "excel.xlsx", lambda: build_xlsx_excel(int(10 * MB * s)), ["tree", "openpyxl"]),
        (f"pptx {max(2, int(200 * s))} slides", "big.pptx", lambda: build_pptx(max(2, int(200 * s))), ["python-pptx"]),
        (f"pdf {max(1, int(100 * s))} pages", "big.pdf", lambda: build_pdf(max(1, int(100 * s))), []),
        (f"zip {50 * s:.0f} MB mixed", "mixed.zip", lambda: build_zip(int(50 * MB * s), s), []),
        ("zip bomb (4 GB)", "42.zip", lambda: builders.zip_bomb(), []),
    ]
    if args.only:
        cases = [c for c in cases if args.only in c[0]]
    print(f"load average at start: {_load()}  (cores: {os.cpu_count()})", flush=True)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep) if args.keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for label, name, build, baselines in cases:
            path = folder / f"{s:g}-{name}"
            if not path.exists():
                path.write_bytes(build())
            size = path.stat().st_size
            for impl in ["dlp"] + ([] if args.no_baselines else baselines):
                cmd = [sys.executable, __file__, "--case", str(path), "--impl", impl]
                if impl == "dlp" and not args.no_trace:
                    cmd.append("--traced")
                proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
                if proc.returncode != 0:
                    print(f"{label} / {impl} failed:\n{proc.stderr[-2000:]}", file=sys.stderr)
                    continue
                res = json.loads(proc.stdout.strip().splitlines()[-1])
                rows.append((label if impl == "dlp" else "", size, BASELINE_LABELS.get(impl, "dlp.extract"), res))
                print(f"  done: {label} / {impl} ({res['seconds']:.2f} s)", file=sys.stderr, flush=True)
    print(f"load average at end: {_load()}")
    head = (
        f"{'case':<22}{'size':>9}  {'reader':<24}{'seconds':>8}{'MB/s':>7}"
        f"{'RSS+':>8}{'x size':>7}{'traced':>8}{'x size':>7}  result"
    )
    print(head)
    print("-" * len(head))
    for label, size, reader, res in rows:
        mb = size / MB
        traced = res.get("traced_mb")
        tr = f"{traced:>6.0f}MB{traced / mb:>7.1f}" if traced is not None else f"{'-':>8}{'-':>7}"
        findings = " ".join(res["findings"])
        print(
            f"{label:<22}{mb:>7.2f}MB  {reader:<24}{res['seconds']:>8.2f}{mb / max(res['seconds'], 1e-9):>7.1f}"
            f"{res['extra_rss_mb']:>6.0f}MB{res['extra_rss_mb'] / mb:>7.1f}{tr}  "
            f"{res['segments']} segments, {res['chars']:,} chars {findings}".rstrip()
        )
    print(
        "RSS+ = peak resident memory above the process's size before the read (file bytes already loaded); "
        "traced = tracemalloc peak of a second read."
    )


if __name__ == "__main__":
    main()
