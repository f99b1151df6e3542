"""Extraction throughput and peak memory: 10 MB .docx, 10 MB .xlsx, 100-page PDF, 50 MB mixed
zip, and how fast a 4 GB zip bomb is refused.

Each case runs in a fresh subprocess so that peak RSS (ru_maxrss) belongs to that case alone.

    .venv/bin/python benchmarks/bench_extract.py            # full size (minutes; 2 cores)
    .venv/bin/python benchmarks/bench_extract.py --scale 0.1   # quick run
"""

from __future__ import annotations

import argparse
import io
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

MB = 1024 * 1024
_HAN = "的一是在不了有和人這中大為上個國我以要他時來用們生到作地於出就分對成會可主發年動同工也能下過子說產種面而方後多定行學法所民得經十三之進著等部度家電力裡如水化高自二理起小物現實加量都兩體制機當使點從業本去把性好應開它合還因由其些然前外天政四日那社義事平形相全表間樣與關各重新線內數正心反你明看原又麼利比或但質氣第向道命此變條只沒結解問意建月公無系軍很情者最立代想已通並提直題黨程展五果料象員革位入常文總次品式活設及管特件長求老頭基資邊流路級少圖山統接知較將組見計別她手角期根論運農指幾九區強放決西被幹做必戰先回則任取據處府研"


def _text(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(_HAN) for _ in range(n))


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
    while size < target * 2.4:  # CJK body XML deflates to about 40 %
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
    import builders

    rows = max(100, int(target / 36))
    return builders.xlsx_rows(rows)


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


def run_case(path: str) -> None:
    """Child process: extract one file, print JSON with seconds and memory."""
    import dlp.extract.archive  # noqa: F401  (imports are not the file's cost)
    from dlp.extract import Limits, extract
    from dlp.model import Attachment

    data = Path(path).read_bytes()
    base = _reset_peak()
    start = time.perf_counter()
    result = extract(Attachment(Path(path).name, data), Limits(max_seconds=600, max_total_bytes=200 * MB))
    seconds = time.perf_counter() - start
    peak = _status_kb("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_rss_mb": peak / 1024,
                "extra_rss_mb": max(0, peak - base) / 1024,
                "segments": len(result.segments),
                "chars": sum(len(s.text) for s in result.segments),
                "findings": [f"{f.type}:{f.detail.get('limit', '')}" for f in result.findings],
            }
        )
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=1.0, help="fraction of the full sizes (quick: 0.1)")
    ap.add_argument("--case", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.case:
        run_case(args.case)
        return
    import builders

    s = args.scale
    cases = [
        (f"docx {10 * s:.1f} MB", "big.docx", lambda: build_docx(int(10 * MB * s))),
        (f"xlsx {10 * s:.1f} MB", "big.xlsx", lambda: build_xlsx(int(10 * MB * s))),
        (f"pdf {max(1, int(100 * s))} pages", "big.pdf", lambda: build_pdf(max(1, int(100 * s)))),
        (f"zip {50 * s:.0f} MB mixed", "mixed.zip", lambda: build_zip(int(50 * MB * s), s)),
        ("zip bomb (4 GB)", "42.zip", lambda: builders.zip_bomb()),
    ]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, name, build in cases:
            t = time.perf_counter()
            data = build()
            built = time.perf_counter() - t
            path = Path(tmp) / name
            path.write_bytes(data)
            proc = subprocess.run(
                [sys.executable, __file__, "--case", str(path)], capture_output=True, text=True, timeout=900
            )
            if proc.returncode != 0:
                print(proc.stderr, file=sys.stderr)
                continue
            res = json.loads(proc.stdout.strip().splitlines()[-1])
            rows.append((label, len(data), res, built))
    print(f"{'case':<22}{'size':>10}{'seconds':>10}{'MB/s':>8}{'peak RSS':>10}{'extra RSS':>11}{'x size':>8}  result")
    for label, size, res, _ in rows:
        mb = size / MB
        extra = res["extra_rss_mb"]
        print(
            f"{label:<22}{mb:>8.2f}MB{res['seconds']:>10.3f}{mb / max(res['seconds'], 1e-9):>8.1f}"
            f"{res['peak_rss_mb']:>8.0f}MB{extra:>9.0f}MB{extra / max(mb, 1e-9):>8.1f}  "
            f"{res['segments']} segments, {res['chars']:,} chars {' '.join(res['findings'])}"
        )


if __name__ == "__main__":
    main()
