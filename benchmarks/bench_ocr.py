"""OCR speed, memory and accuracy, every shipped engine side by side in one run (issue 15, part 6).

    .venv/bin/python benchmarks/bench_ocr.py             # 8 stamped pages + 4 seal pages per engine
    .venv/bin/python benchmarks/bench_ocr.py --pages 3   # quicker

Each engine runs in a fresh process (so that its memory is its own) on the same generated
pages: scanned 公文 of known text (``tests/ocr_images.py``) with a red level stamp at a random
angle and place, and control pages bearing only an agency seal. Reported per engine:

* load: importing the engine and loading its models (paid once per worker, on the first image);
* red mask: the colour segmentation alone (what a page without a stamp costs the stamp pass);
* stamp pass: finding and reading the red regions;
* full page: stamp pass + the page's text (what one page costs a message's budget);
* RSS: the process after ``Scanner()`` (the baseline without OCR), after the engine loaded, and
  its peak;
* CER: character error rate of the page text against the text drawn (whitespace ignored);
* stamps: pages whose stamp came out as the right secrecy level through the bundled packs;
  false markings: seal pages that came out marked (must be 0).

The limit column is the policy's budget (``ocr.max_seconds`` per message): pages per budget =
how many pages of this kind one message may hold before ``LIMIT_EXCEEDED``.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

ENGINES = ("rapidocr", "tesseract")
LEVELS = [("機密", "confidential"), ("極機密", "secret"), ("密", "official_secret"),
          ("絕對機密", "top_secret"), ("限閱", "restricted")]
PLACES = [(0.66, 0.05), (0.40, 0.80), (0.08, 0.82), (0.60, 0.40), (0.70, 0.88)]


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_pages(n: int) -> tuple[list[tuple[bytes, str, str]], list[bytes]]:
    from ocr_images import STAMP_RED, Stamp, letter_text_lines, page_image, scanned

    rng = random.Random(15)
    stamped = []
    for i in range(n):
        lines = letter_text_lines(i)
        word, level = LEVELS[i % len(LEVELS)]
        stamp = Stamp(word, angle=rng.uniform(-40, 40), at=PLACES[i % len(PLACES)],
                      frame=rng.choice(["box", "double", "circle", "none"]), size=rng.choice([60, 72, 90]))
        stamped.append((scanned(page_image(lines, [stamp]), seed=i, quality=rng.choice([45, 60, 75])),
                        "\n".join(lines), level))
    seals = []
    for i in range(max(1, n // 2)):
        seal = Stamp("臺北市政府警察局印", angle=rng.uniform(-5, 5), at=(0.55, 0.6), vertical=True, size=56)
        seals.append(scanned(page_image(letter_text_lines(100 + i), [seal], color_lines={0: STAMP_RED}), seed=50 + i))
    return stamped, seals


def child(engine_name: str, n: int) -> dict:
    import io
    from dataclasses import replace

    import numpy as np
    from ocr_images import character_error_rate
    from PIL import Image

    from dlp import Scanner
    from dlp.ocr import OcrBudget
    from dlp.ocr.loader import get_engine
    from dlp.ocr.page import read_page
    from dlp.ocr.stamps import find_red_regions

    stamped, seals = make_pages(n)
    scanner = Scanner()
    settings = replace(scanner.policy.ocr_settings, engine=engine_name)
    rss_base = rss_mb()
    t = time.perf_counter()
    engine = get_engine(settings)
    load = time.perf_counter() - t
    rss_loaded = rss_mb()
    mask_s, stamp_s, full_s, cers, hits = [], [], [], [], 0
    analyzer = scanner.state.analyzer
    for data, text, level in stamped:
        img = Image.open(io.BytesIO(data)).convert("RGB")
        rgb = np.asarray(img)
        t = time.perf_counter()
        find_red_regions(rgb, settings.stamp)
        mask_s.append(time.perf_counter() - t)
        t = time.perf_counter()
        read_page(img, engine, OcrBudget(settings), "bench#ocr", stamps_only=True)
        stamp_s.append(time.perf_counter() - t)
        t = time.perf_counter()
        page = read_page(img, engine, OcrBudget(settings), "bench#ocr")
        full_s.append(time.perf_counter() - t)
        body = "\n".join(s.text for s in page.segments if s.role == "page")
        cers.append(character_error_rate(text, body))
        levels = {f.level for f in analyzer.analyze(page.segments).findings if f.type == "SECRECY_MARKING"}
        hits += levels == {level}
    false_marks = 0
    for data in seals:
        img = Image.open(io.BytesIO(data)).convert("RGB")
        page = read_page(img, engine, OcrBudget(settings), "bench#ocr")
        false_marks += any(f.type == "SECRECY_MARKING" for f in analyzer.analyze(page.segments).findings)
    return {
        "engine": engine.name, "load_s": load, "mask_ms": 1000 * statistics.median(mask_s),
        "stamp_s": statistics.median(stamp_s), "full_s": statistics.median(full_s), "full_max_s": max(full_s),
        "rss_base": rss_base, "rss_loaded": rss_loaded, "rss_peak": peak_mb(),
        "cer": statistics.mean(cers), "cer_max": max(cers), "stamps": hits, "pages": len(stamped),
        "seals": len(seals), "false_marks": false_marks, "max_seconds": settings.max_seconds,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=8)
    ap.add_argument("--child", choices=ENGINES)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.pages)))
        return
    rows = []
    for name in ENGINES:
        done = subprocess.run([sys.executable, __file__, "--child", name, "--pages", str(args.pages)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            print(f"{name}: failed\n{done.stderr[-2000:]}")
            continue
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print("Shared 2-core machine: figures are indicative only. One core per OCR call (ocr.threads: 1).")
    print(f"{args.pages} stamped pages (A4, 150 dpi, JPEG) + {max(1, args.pages // 2)} seal pages per engine\n")
    head = (f"{'engine':32} {'load s':>7} {'mask ms':>8} {'stamp s':>8} {'page s':>7} {'max s':>6} "
            f"{'pages/budget':>12} {'RSS base':>9} {'+loaded':>8} {'peak':>6} {'CER':>6} {'stamps':>7} {'false':>6}")
    print(head)
    print("-" * len(head))
    for r in rows:
        per_budget = int(r["max_seconds"] // r["full_s"]) if r["full_s"] else 0
        print(f"{r['engine']:32} {r['load_s']:7.2f} {r['mask_ms']:8.1f} {r['stamp_s']:8.2f} {r['full_s']:7.2f} "
              f"{r['full_max_s']:6.2f} {per_budget:>12} {r['rss_base']:9.0f} {r['rss_loaded'] - r['rss_base']:+8.0f} "
              f"{r['rss_peak']:6.0f} {100 * r['cer']:5.1f}% {r['stamps']:>3}/{r['pages']:<3} {r['false_marks']:>3}/{r['seals']}")
    print("\nRSS in MB; 'page s' = median of stamp pass + page text; budget = ocr.max_seconds per message.")


if __name__ == "__main__":
    main()
