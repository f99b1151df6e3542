"""The misdirection guard on a simulated agency: catch rate, warn rate, and what it costs per decision.

    .venv/bin/python benchmarks/bench_misdirection.py                 # 200 senders, 90 days, SQLite
    .venv/bin/python benchmarks/bench_misdirection.py --database-url postgresql://user:pw@127.0.0.1/db

The agency and its injected misdirections are generated (dlp/evaluation/agency.py, seeded); the
first ``--warmup`` days are bootstrapped through ``dlp history import``'s code from audit-shaped
records, the rest run live through the real store and the bundled policy. Targets (issue 18):
>= 90% of injected misdirections with sensitive content caught, <= 2% of normal sensitive messages
warned. ``--novelty 1,2`` also runs the agency with twice the normal novelty (new contacts and
first-ever sensitive sends), to show how the warn rate follows it. Times are side by side with the
policy deciding without history (the baseline) on the same messages; the machine is shared, so
they are indicative only.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from time import perf_counter

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dlp.evaluation import agency as agency_mod  # noqa: E402
from dlp.evaluation.agency import START, build_agency, simulate  # noqa: E402
from dlp.evaluation.misdirection_eval import findings_of, run_simulation, to_message  # noqa: E402
from dlp.policy import Policy  # noqa: E402
from dlp.store import IncidentStore  # noqa: E402
from dlp.store.history import DestinationHistory  # noqa: E402

SALT = "bench-misdirection-salt-0123456789"
TARGET_CATCH, TARGET_WARN = 0.90, 0.02


def one_run(args: argparse.Namespace, novelty: float, url: str) -> None:
    base = (agency_mod.NEW_CONTACT_RATE, agency_mod.NEW_CONTACT_SENSITIVE, agency_mod.LEGIT_JUMP_RATE)
    agency_mod.NEW_CONTACT_RATE, agency_mod.NEW_CONTACT_SENSITIVE, agency_mod.LEGIT_JUMP_RATE = (
        base[0] * novelty, base[1], base[2] * novelty)
    try:
        agency = build_agency(args.senders, args.days, seed=args.seed)
        messages = simulate(agency, seed=args.seed, inject_from_day=args.warmup, injections=args.injections)
    finally:
        agency_mod.NEW_CONTACT_RATE, agency_mod.NEW_CONTACT_SENSITIVE, agency_mod.LEGIT_JUMP_RATE = base
    policy = Policy.default()
    store = IncidentStore.open(url)
    history = DestinationHistory(store, SALT)
    started = perf_counter()
    result = run_simulation(agency, messages, policy, history, warmup_days=args.warmup)
    wall = perf_counter() - started
    live = [m for m in messages if (m.day - START).days >= args.warmup]
    t0 = perf_counter()
    for m in live:
        policy.decide(to_message(m), findings_of(m))
    baseline = (perf_counter() - t0) / max(1, len(live)) * 1000
    n = max(1, result.evaluated)
    print(f"\n== novelty x{novelty:g}: {args.senders} senders, {args.days} days ({args.warmup} bootstrapped from "
          f"{result.bootstrap_records} audit records), {len(messages)} messages, {store.dialect}")
    print(result.format())
    ok_catch, ok_warn = result.catch_rate >= TARGET_CATCH, result.warn_rate <= TARGET_WARN
    print(f"targets: catch {result.catch_rate:.1%} >= {TARGET_CATCH:.0%} {'ok' if ok_catch else 'MISSED'}; "
          f"warn {result.warn_rate:.2%} <= {TARGET_WARN:.0%} {'ok' if ok_warn else 'MISSED'}")
    print(f"per decision (ms, indicative): baseline decide without history {baseline:.3f} | with the guard: "
          f"lookup {result.seconds['lookup'] / n * 1000:.2f} + decide {result.seconds['decide'] / n * 1000:.3f} + "
          f"learn {result.seconds['learn'] / n * 1000:.2f}; whole run {wall:.0f} s for {result.evaluated} live decisions")
    if args.misses:
        for miss in result.misses[: args.misses]:
            print(f"  missed: {miss}")
    store.close()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--senders", type=int, default=200)
    p.add_argument("--days", type=int, default=90)
    p.add_argument("--warmup", type=int, default=60, help="days bootstrapped from the audit trail")
    p.add_argument("--injections", type=int, default=600)
    p.add_argument("--seed", type=int, default=18)
    p.add_argument("--novelty", default="1", help="comma-separated multipliers of normal novelty, e.g. 1,2")
    p.add_argument("--database-url", help="an empty database (default: a fresh SQLite file per run)")
    p.add_argument("--misses", type=int, default=0, help="list this many missed injections")
    args = p.parse_args()
    if args.database_url and "," in args.novelty:
        p.error("--database-url takes one empty database: give one --novelty value with it")
    for novelty in (float(x) for x in args.novelty.split(",")):
        url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='bench-misdirection-')}/incidents.sqlite3"
        one_run(args, novelty, url)


if __name__ == "__main__":
    main()
