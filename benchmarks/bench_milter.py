"""Mail gateway benchmark (issue 11, part 7): Postfix -> milter -> sink, beside Postfix alone.

One private Postfix on loopback (dlp/gateways/mail/lab.py) with two smtpd ports: one that asks
``dlp milter`` (a child process, in-process scanning, bundled packs) and one without milters.
The same mails go through both in the same run, to an aiosmtpd sink:

* 4 KB mails (Chinese text with some contact data, to an internal recipient);
* mails with a 1 MB .docx (stored, so the file really is 1 MB; built like bench_service's).

For each: mails per second (first SMTP send to the last mail in the sink) and the SMTP
transaction time the sending client sees (MAIL FROM .. end of DATA; with the milter it includes
the whole decision), p50/p99; "added" is milter minus plain. Every loop is bounded in count and
time. Needs root and Postfix (scripts/ci-system-deps.sh). Client, Postfix, milter and sink share
the machine's cores: read the figures side by side, not as absolutes.

    .venv/bin/python benchmarks/bench_milter.py --mails 200 --docx-mails 12 --concurrency 4
"""

from __future__ import annotations

import argparse
import random
import smtplib
import statistics
import sys
import threading
import time
import uuid
from email.message import EmailMessage
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_service import docx_bytes, text_of  # noqa: E402

from dlp.gateways.mail.lab import MilterProcess, running_lab  # noqa: E402


def build(kind: str, rng: random.Random, docx: bytes) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "clerk@hl.gov.tw"
    msg["To"] = "colleague@hl.gov.tw"
    msg["Subject"] = f"業務檢討 [{uuid.uuid4().hex[:12]}]"
    if kind == "4 KB mail":
        msg.set_content(text_of(4 * 1024 * 3, rng)[:1400])  # ~4 KB of UTF-8
    else:
        msg.set_content("檢討報告如附件。")
        msg.add_attachment(docx, maintype="application", subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
                           filename="report.docx")
    return msg


def run(port: int, mails: list[EmailMessage], concurrency: int, sink, seconds: float) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    todo = list(mails)
    deadline = time.monotonic() + seconds

    def client() -> None:
        with smtplib.SMTP("127.0.0.1", port, timeout=120) as smtp:
            while time.monotonic() < deadline:
                with lock:
                    if not todo:
                        return
                    msg = todo.pop()
                started = time.perf_counter()
                try:
                    smtp.send_message(msg)
                except smtplib.SMTPException as exc:
                    with lock:
                        errors.append(str(exc)[:120])
                    continue
                with lock:
                    latencies.append(time.perf_counter() - started)

    before = len(sink.mails)  # runs are one after the other: whatever arrives now is this run's
    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    arrived = 0
    while time.monotonic() < deadline + 30:
        arrived = len(sink.mails) - before
        if arrived >= len(latencies):
            break
        time.sleep(0.05)
    elapsed = time.perf_counter() - started
    lat = sorted(latencies)
    return {
        "sent": len(lat), "arrived": arrived, "errors": len(errors), "seconds": elapsed,
        "mails_per_s": arrived / elapsed if elapsed else 0.0,
        "p50": statistics.median(lat) if lat else float("nan"),
        "p99": lat[min(len(lat) - 1, int(len(lat) * 0.99))] if lat else float("nan"),
        "first_error": errors[0] if errors else "",
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mails", type=int, default=200, help="4 KB mails per side (default 200)")
    ap.add_argument("--docx-mails", type=int, default=12, help="mails with the 1 MB .docx per side (default 12)")
    ap.add_argument("--concurrency", type=int, default=4, help="SMTP client connections (default 4)")
    ap.add_argument("--scan-threads", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=120, help="time limit per run (default 120)")
    args = ap.parse_args(argv)
    rng = random.Random(11)
    docx = docx_bytes(text_of(1024 * 1024, rng))
    counts = {"4 KB mail": args.mails, "mail + 1 MB docx": args.docx_mails}
    with running_lab() as (lab, sink):
        milter = MilterProcess(lab.ports.milter, ["--no-notices", "--log-level", "warning", "--scan-threads", str(args.scan_threads),
                                                  "--audit-log", str(lab.base / "audit.jsonl")], lab.base / "milter.log")
        milter.start()
        try:
            # Warm-up: one of each through the milter (first scans load lazily built tables).
            for kind in counts:
                run(lab.ports.gateway, [build(kind, rng, docx)], 1, sink, 60)
            results = {}
            for kind, n in counts.items():
                for side, port in (("postfix alone", lab.ports.plain), ("postfix + milter", lab.ports.gateway)):
                    results[(kind, side)] = run(port, [build(kind, rng, docx) for _ in range(n)], args.concurrency, sink, args.seconds)
        finally:
            milter.stop()
    print(f"# bench_milter: {args.concurrency} SMTP clients, milter with {args.scan_threads} scan threads, "
          f"docx {len(docx) / 2**20:.2f} MB; shared machine — indicative only")
    print(f"{'workload':<18} {'side':<17} {'mails':>6} {'arrived':>7} {'err':>4} {'mails/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for (kind, side), r in results.items():
        print(f"{kind:<18} {side:<17} {r['sent']:>6} {r['arrived']:>7} {r['errors']:>4} {r['mails_per_s']:>8.1f} "
              f"{r['p50'] * 1000:>8.1f} {r['p99'] * 1000:>8.1f}{'  ' + r['first_error'] if r['first_error'] else ''}")
    for kind in counts:
        plain, gw = results[(kind, "postfix alone")], results[(kind, "postfix + milter")]
        print(f"added by the milter, {kind}: p50 {(gw['p50'] - plain['p50']) * 1000:.1f} ms, "
              f"p99 {(gw['p99'] - plain['p99']) * 1000:.1f} ms; throughput {gw['mails_per_s']:.1f} vs {plain['mails_per_s']:.1f} mails/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
