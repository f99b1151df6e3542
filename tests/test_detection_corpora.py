"""Score floors on the labelled corpora: a regression in detection fails CI.

The floors sit a little below the figures measured when they were set (docs/evaluation.md,
"The blind corpus" and "Second blind corpus"): one or two more mistakes than today pass, a class of them does not. Raise
them when detection improves; never lower one to make a change pass without saying why.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dlp.evaluation.gates import failures, parse_gate
from dlp.evaluation.metrics import evaluate_file

DATA = Path(__file__).parent / "data"

FLOORS = {
    "blind_corpus.jsonl": [
        # issue 13's done-when targets, and a margin under today's figures
        "PII.precision=0.985", "PII.recall=0.97", "PERSON.precision=0.99", "PERSON.recall=0.97",
        "HEALTH_DATA.precision=0.93", "HEALTH_DATA.recall=0.89",
        "CRIMINAL_RECORD.precision=0.97", "CRIMINAL_RECORD.recall=0.95",
        "DATE_OF_BIRTH=0.97", "TW_PHONE=0.98", "TW_NATIONAL_ID=0.98", "TW_RESIDENT_ID=0.96",
        "TW_ADDRESS=0.97", "EMAIL_ADDRESS=0.96", "TW_BANK_ACCOUNT=0.95", "TW_DOCUMENT_NUMBER=0.98",
        "SECRECY.precision=0.98", "SECRECY.recall=0.97", "SECRECY.accuracy=0.98",
        "SECRECY.mention_false_alarm_rate=0.02",
    ],
    "blind2.jsonl": [
        # the second blind corpus after its fixes (docs/evaluation.md, "Second blind corpus"): the
        # issue-13 targets and a margin of two or three mistakes under the after figures
        "PII.precision=0.985", "PII.recall=0.975", "PERSON.precision=0.985", "PERSON.recall=0.97",
        "HEALTH_DATA=0.97", "CRIMINAL_RECORD=0.93", "DATE_OF_BIRTH=0.96", "TW_PHONE=0.98",
        "TW_NATIONAL_ID=0.95", "TW_ADDRESS=0.97", "TW_DOCUMENT_NUMBER=0.95",
        "SECRECY.precision=0.98", "SECRECY.recall=0.97", "SECRECY.accuracy=0.98",
        "SECRECY.mention_false_alarm_rate=0.02",
    ],
    "hard_cases.jsonl": ["ALL=0.99", "PII.precision=0.99", "PII.recall=0.99", "PERSON=0.97"],
    "heldout_13.jsonl": [
        "PII.precision=0.98", "PII.recall=0.96", "PERSON.recall=0.95",
        "SECRECY.recall=0.95", "SECRECY.mention_false_alarm_rate=0.06",
    ],
    "secrecy_corpus.jsonl": ["SECRECY.recall=0.99", "SECRECY.precision=0.99", "SECRECY.mention_false_alarm_rate=0.01"],
}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_corpus_scores_stay_above_their_floors(scanner, name: str) -> None:
    result = evaluate_file(DATA / name, scanner)
    missed = failures(result, [parse_gate(spec) for spec in FLOORS[name]])
    assert not missed, f"{name}: " + "; ".join(missed) + "\n" + result.format_mistakes()
