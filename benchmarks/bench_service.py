"""Load benchmark of the HTTP service (issue 6, part 8).

Starts ``python -m service serve --workers 2`` (same as ``dlp serve``) on 127.0.0.1 with the
bundled packs (or ``--patterns DIR``), drives it with a concurrent httpx client, and prints
requests per second, p50/p99 latency and each worker's RSS for three workloads: 1 KB chat
messages, 20 KB mails, and a mail with a 1 MB .docx. Every loop is bounded in requests and time.

    .venv/bin/python benchmarks/bench_service.py --requests 400 --concurrency 16
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import io
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from service.testing import running_server  # noqa: E402

FILLER = "本府為辦理年度業務檢討，請各單位於期限內提報執行成果與經費運用情形，並依規定辦理後續事宜。"
PII = ["承辦人王小明，電話 0912-345-678。", "聯絡信箱 clerk@hl.gov.tw。", "身分證字號 D104553971。", "地址：花蓮市府前路17號。"]


def text_of(size: int, rng: random.Random) -> str:
    parts: list[str] = []
    n = 0
    while n < size:
        piece = rng.choice(PII) if rng.random() < 0.15 else FILLER
        parts.append(piece)
        n += len(piece.encode("utf-8"))
    return "".join(parts)[: size // 3]  # ~3 UTF-8 bytes per character


def docx_bytes(text: str) -> bytes:
    """A minimal valid .docx holding ``text`` (one paragraph per 200 characters)."""
    paras = "".join(f"<w:p><w:r><w:t>{text[i:i + 200]}</w:t></w:r></w:p>" for i in range(0, len(text), 200))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:  # stored: the file really is ~1 MB
        z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml", '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                   f"<w:body>{paras}</w:body></w:document>")
    return buf.getvalue()


def workloads(rng: random.Random) -> dict[str, dict]:
    docx = docx_bytes(text_of(1024 * 1024, rng))  # ~1 MB of UTF-8 text, stored
    return {
        "chat 1 KB": {"channel": "chat", "sender": "officer01", "text": text_of(1024, rng),
                      "conversation": {"id": "g1", "members": 12, "registered": True}},
        "mail 20 KB": {"channel": "mail", "sender": "clerk@hl.gov.tw", "recipients": ["someone@gmail.com"],
                       "subject": "業務報告", "text": text_of(20 * 1024, rng)},
        "mail + 1 MB docx": {"channel": "mail", "sender": "clerk@hl.gov.tw", "recipients": ["colleague@hl.gov.tw"],
                             "subject": "附件", "text": "請參閱附件。",
                             "attachments": [{"filename": "report.docx", "content_base64": base64.b64encode(docx).decode()}],
                             "_size": len(docx)},
    }


async def run_load(url: str, key: str, body: dict, requests: int, concurrency: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors = 0
    sent = 0
    deadline = time.perf_counter() + seconds
    payload = {k: v for k, v in body.items() if not k.startswith("_")}
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=60, limits=limits) as client:

        async def worker() -> None:
            nonlocal sent, errors
            while sent < requests and time.perf_counter() < deadline:
                sent += 1
                t = time.perf_counter()
                try:
                    r = await client.post("/v1/scan", json=payload)
                    ok = r.status_code == 200
                except httpx.HTTPError:
                    ok = False
                if ok:
                    latencies.append(time.perf_counter() - t)
                else:
                    errors += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")

    return {"n": len(latencies), "errors": errors, "rps": len(latencies) / elapsed if elapsed else 0,
            "p50": pct(0.50), "p99": pct(0.99), "mean": statistics.fmean(latencies) * 1000 if latencies else float("nan")}


def rss_mb(pids: list[int]) -> list[float]:
    out = []
    for pid in pids:
        try:
            out.append(psutil.Process(pid).memory_info().rss / 2**20)
        except psutil.Error:
            out.append(float("nan"))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--requests", type=int, default=400, help="requests per workload for 1 KB (others scale down)")
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=20, help="time bound per workload")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--patterns", help="packs directory (default: bundled)")
    args = ap.parse_args(argv)

    key = "bench-" + secrets.token_urlsafe(24)
    tmp = Path(tempfile.mkdtemp(prefix="dlp-bench-"))
    env = {"DLP_API_KEYS": f"bench:scan:{key}", "DLP_KEYS_FILE": str(tmp / "keys.json"),
           "DLP_AUDIT_LOG": str(tmp / "audit.jsonl"), "DLP_RUN_DIR": str(tmp / "run")}
    if args.patterns:
        env["DLP_PATTERNS_DIR"] = args.patterns
    else:
        os.environ.pop("DLP_PATTERNS_DIR", None)
    loads = workloads(random.Random(7))
    counts = {"chat 1 KB": args.requests, "mail 20 KB": max(20, args.requests // 4), "mail + 1 MB docx": max(4, args.requests // 50)}
    rows = []
    started = time.perf_counter()
    with running_server(args.workers, env, key=key, log_path=tmp / "server.log", timeout=180) as srv:
        startup = time.perf_counter() - started
        pids = srv.worker_pids()
        idle = rss_mb(pids)
        for name, body in loads.items():
            asyncio.run(run_load(srv.url, key, body, min(20, counts[name] // 2), min(4, args.concurrency), 30))  # warm-up
            res = asyncio.run(run_load(srv.url, key, body, counts[name], args.concurrency, args.seconds))
            rows.append((name, res, rss_mb(pids)))
    print(f"dlp serve --workers {args.workers} on 127.0.0.1; packs: {args.patterns or 'bundled'}; "
          f"start-up to all workers ready: {startup:.1f} s; idle RSS per worker: {', '.join(f'{m:.0f}' for m in idle)} MB")
    print(f"concurrency {args.concurrency}; {os.cpu_count()} CPUs; docx size {loads['mail + 1 MB docx']['_size'] / 2**20:.2f} MB (zipped)")
    header = f"{'workload':<18} {'ok':>5} {'err':>4} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'mean ms':>8}  RSS per worker (MB)"
    print(header)
    print("-" * len(header))
    for name, r, rss in rows:
        print(f"{name:<18} {r['n']:>5} {r['errors']:>4} {r['rps']:>8.1f} {r['p50']:>8.1f} {r['p99']:>8.1f} {r['mean']:>8.1f}  "
              + ", ".join(f"{m:.0f}" for m in rss))
    return 0


if __name__ == "__main__":
    sys.exit(main())
