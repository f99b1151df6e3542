"""What recording an incident costs per decision, side by side with the audit write alone.

For each store (SQLite file, and PostgreSQL when ``--postgres URL`` is given) it times, over the
same scanned decisions (a quarantined roster, a blocked 密 mail, a warned ID):

* baseline: the audit record alone (``AuditLog.append``, what every decision already costs);
* audit + incident: ``IncidentRecorder.audit_and_record`` (audit record, incident, findings);
* a queue page: ``count`` + ``facets`` + ``query(limit=50)`` over everything recorded.

    .venv/bin/python benchmarks/bench_store.py --n 2000
    .venv/bin/python benchmarks/bench_store.py --n 2000 --postgres postgresql://dlp_test:dlp_test@127.0.0.1/postgres

The limit it is read against: a decision's whole budget in the service is tens of milliseconds
(a 1 KB chat message scans in ~1 ms); recording must stay well under a millisecond or two.
Numbers from a shared machine are indicative only.
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from dlp import Message, Scanner  # noqa: E402
from dlp.audit import AuditLog  # noqa: E402
from dlp.audit import decision_record as decision_fields  # noqa: E402
from dlp.store import IncidentRecorder, IncidentStore  # noqa: E402
from dlp.store.filters import IncidentFilter  # noqa: E402

MESSAGES = [
    Message(text=(REPO / "samples" / "03-roster.txt").read_text(encoding="utf-8"), sender="clerk@hl.gov.tw",
            recipients=["partner@example.com"], subject="名冊"),
    Message(text="密\n本案偵辦進度如下", sender="clerk@hl.gov.tw", recipients=["someone@gmail.com"]),
    Message(text="身分證字號 D104553971", sender="clerk@hl.gov.tw", recipients=["partner@example.com"]),
]


def _ms(samples: list[float]) -> str:
    s = sorted(samples)
    return f"p50 {statistics.median(s) * 1000:6.3f} ms   p99 {s[int(len(s) * 0.99) - 1] * 1000:6.3f} ms"


def run(label: str, url: str, n: int, scanner: Scanner, work: Path) -> None:
    decided = [(m, scanner.scan(m)) for m in MESSAGES]
    audit = AuditLog(work / f"audit-{label}.jsonl")
    store = IncidentStore.open(url)
    recorder = IncidentRecorder(store)

    def fields(m, r, i):  # type: ignore[no-untyped-def]
        return decision_fields(request_id=f"b{i}", key_id="bench", endpoint="/v1/scan", message=m, report=r,
                               patterns_version="bench", salt="bench-salt")

    base, full = [], []
    for i in range(n):
        m, r = decided[i % len(decided)]
        f = fields(m, r, i)
        t = time.perf_counter()
        audit.append(f)
        base.append(time.perf_counter() - t)
        f = fields(m, r, i)
        t = time.perf_counter()
        recorder.audit_and_record(f, m, r, audit.append)
        full.append(time.perf_counter() - t)
    pages = []
    for _ in range(20):
        t = time.perf_counter()
        store.count(IncidentFilter())
        store.facets(IncidentFilter())
        store.query(IncidentFilter(), limit=50)
        pages.append(time.perf_counter() - t)
    total = store.count(IncidentFilter())
    print(f"{label:10s} baseline audit only     {_ms(base)}")
    print(f"{label:10s} audit + incident        {_ms(full)}   ({total} incidents)")
    print(f"{label:10s} queue page (count, facets, 50 rows) {_ms(pages)}")
    store.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--postgres", metavar="ADMIN_URL", help="a role that may create a scratch database")
    args = ap.parse_args()
    scanner = Scanner()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        run("sqlite", f"sqlite:///{work / 'bench.sqlite3'}", args.n, scanner, work)
        if args.postgres:
            import psycopg
            from sqlalchemy.engine import make_url

            name = "dlp_bench_" + secrets.token_hex(4)
            admin = args.postgres.replace("postgresql+psycopg://", "postgresql://")
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            try:
                run("postgresql", make_url(args.postgres).set(database=name).render_as_string(hide_password=False),
                    args.n, scanner, work)
            finally:
                with psycopg.connect(admin, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    sys.exit(main())
