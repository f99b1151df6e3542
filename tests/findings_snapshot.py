"""What the scanner finds on a sample of every corpus, as a snapshot to compare against.

Speed work (issue 14) must not change a single finding. This module scans every record of the
labelled corpora in ``tests/data`` (blind, held-out, hard cases, secrecy), a slice of the
generated corpus and the three 200 KB benchmark texts, and reduces each finding to
``(location, type, start, end, rule, level)``.

    .venv/bin/python tests/findings_snapshot.py --write   # after an *intended* change of findings

The snapshot is ``tests/data/findings_snapshot.json``; ``tests/test_findings_snapshot.py``
compares with it. Regenerate it only when findings are meant to change (a pack or a guard was
changed on purpose), and say why in the commit.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
SNAPSHOT = DATA / "findings_snapshot.json"
CORPORA = ("blind_corpus.jsonl", "heldout_13.jsonl", "hard_cases.jsonl", "secrecy_corpus.jsonl")
GENERATED = (300, 7)  # (n, seed) of dlp.evaluation.generator.generate


def _row(f) -> list:
    return [f.location, f.type, f.start, f.end, f.rule, f.level]


def records() -> list[tuple[str, dict]]:
    """(key, record) of every message in the sample, in a fixed order."""
    from dlp.evaluation.generator import generate

    out: list[tuple[str, dict]] = []
    for name in CORPORA:
        for i, line in enumerate((DATA / name).read_text(encoding="utf-8").splitlines()):
            if line.strip():
                rec = json.loads(line)
                out.append((f"{name}:{rec.get('id', i)}", rec))
    for rec in generate(*GENERATED):
        out.append((f"generated:{rec['id']}", rec))
    return out


def bench_texts() -> dict[str, str]:
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import texts
    finally:
        sys.path.pop(0)
    return texts.texts()


def current(scanner, analyzer) -> dict[str, list]:
    """Findings per key: corpus messages through ``scanner.scan`` (with the level), the 200 KB
    texts through ``analyzer`` without a time budget (so that a loaded machine cannot cut them)."""
    from dlp.model import Message, Segment

    out: dict[str, list] = {}
    for key, rec in records():
        report = scanner.scan(Message(text=rec["text"], subject=rec.get("subject")))
        out[key] = [report.secrecy_level, sorted(_row(f) for f in report.findings)]
    for name, text in bench_texts().items():
        analysis = analyzer.analyze([Segment("body", text)])
        out[f"bench:{name}"] = ["", sorted(_row(f) for f in analysis.findings)]
    return out


def build():
    from dlp import Scanner
    from dlp.engine import Analyzer
    from dlp.patterns import load_packs

    return Scanner(), Analyzer(load_packs(None).detectors)


def main(argv: list[str]) -> int:
    if argv != ["--write"]:
        print("usage: tests/findings_snapshot.py --write", file=sys.stderr)
        return 2
    sys.path.insert(0, str(REPO))
    snap = current(*build())
    with SNAPSHOT.open("w", encoding="utf-8") as fh:
        fh.write("{\n" + ",\n".join(f"{json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False)}"
                                     for k, v in snap.items()) + "\n}\n")
    print(f"{SNAPSHOT}: {len(snap)} messages, {sum(len(v[1]) for v in snap.values())} findings")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
