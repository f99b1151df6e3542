"""Findings stay identical through speed work (issue 14): every corpus sample against the snapshot."""

from __future__ import annotations

import json

from findings_snapshot import SNAPSHOT, current

from dlp.engine import Analyzer
from dlp.patterns import load_packs


def test_findings_are_identical_to_the_snapshot(scanner) -> None:
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    got = current(scanner, Analyzer(load_packs(None).detectors))
    assert got.keys() == expected.keys(), "the sample changed: regenerate with tests/findings_snapshot.py --write"
    changed = [k for k in expected if got[k] != expected[k]]
    detail = "\n".join(f"{k}:\n  expected {expected[k]}\n  got      {got[k]}" for k in changed[:5])
    assert not changed, f"{len(changed)} of {len(expected)} messages changed findings:\n{detail}"
