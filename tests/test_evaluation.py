"""The evaluation kit: scoring (pure functions), the corpus generator, the hard cases file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import regex

from dlp.evaluation import (
    EvalResult,
    evaluate_file,
    generate,
    load_records,
    score_entities,
    score_secrecy,
)
from dlp.evaluation.generator import main as generator_main
from dlp.evaluation.metrics import evaluate_records, match_spans, validate_record
from dlp.model import PERSONAL_DATA_TYPES, Finding, Message, Report
from dlp.validators import clean, credit_card, tw_national_id, tw_resident_id

HARD_CASES = Path(__file__).parent / "data" / "hard_cases.jsonl"


def rec(entities: list[tuple[str, int, int]], **extra: Any) -> dict[str, Any]:
    return {
        "id": extra.pop("id", "r"),
        "text": extra.pop("text", "x" * 100),
        "entities": [{"type": t, "start": s, "end": e} for t, s, e in entities],
        **extra,
    }


# --- entity scoring -------------------------------------------------------------------------------


def test_exact_and_overlapping_predictions_are_true_positives() -> None:
    gold = [rec([("PERSON", 0, 3), ("TW_PHONE", 10, 20)])]
    scores = score_entities(gold, [[("PERSON", 0, 3), ("TW_PHONE", 12, 22)]])
    assert scores.per_type["PERSON"].tp == 1 and scores.per_type["PERSON"].exact == 1
    assert scores.per_type["TW_PHONE"].tp == 1 and scores.per_type["TW_PHONE"].exact == 0
    assert scores.total.fp == scores.total.fn == 0
    assert scores.total.precision == scores.total.recall == scores.total.f1 == 1.0


def test_touching_spans_do_not_overlap() -> None:
    scores = score_entities([rec([("PERSON", 0, 3)])], [[("PERSON", 3, 6)]])
    assert (scores.per_type["PERSON"].tp, scores.per_type["PERSON"].fp, scores.per_type["PERSON"].fn) == (0, 1, 1)


def test_wrong_type_is_a_false_positive_and_a_false_negative() -> None:
    scores = score_entities([rec([("TW_NATIONAL_ID", 5, 15)])], [[("TW_RESIDENT_ID", 5, 15)]])
    assert scores.per_type["TW_NATIONAL_ID"].fn == 1
    assert scores.per_type["TW_RESIDENT_ID"].fp == 1
    assert scores.per_type["TW_RESIDENT_ID"].support == 0


def test_each_gold_entity_is_matched_at_most_once() -> None:
    # An address predicted in two pieces: one match, one false positive.
    scores = score_entities([rec([("TW_ADDRESS", 0, 30)])], [[("TW_ADDRESS", 0, 10), ("TW_ADDRESS", 12, 30)]])
    s = scores.per_type["TW_ADDRESS"]
    assert (s.tp, s.fp, s.fn) == (1, 1, 0)


def test_one_prediction_covering_two_gold_entities_matches_one() -> None:
    scores = score_entities([rec([("PERSON", 0, 3), ("PERSON", 4, 7)])], [[("PERSON", 0, 7)]])
    s = scores.per_type["PERSON"]
    assert (s.tp, s.fp, s.fn) == (1, 0, 1)


def test_greedy_matching_prefers_the_largest_overlap() -> None:
    gold = [("PERSON", 0, 10), ("PERSON", 10, 12)]
    pred = [("PERSON", 9, 12), ("PERSON", 0, 9)]
    assert sorted(match_spans(gold, pred)) == [(0, 1), (1, 0)]


def test_predicted_types_absent_from_gold_still_count() -> None:
    scores = score_entities([rec([]), rec([("PERSON", 0, 3)])], [[("CREDIT_CARD", 0, 16)], []])
    assert scores.per_type["CREDIT_CARD"].fp == 1
    assert scores.per_type["PERSON"].fn == 1
    assert scores.total.precision == 0.0 and scores.total.recall == 0.0
    kinds = {(m.kind, m.type) for m in scores.mistakes}
    assert kinds == {("fp", "CREDIT_CARD"), ("fn", "PERSON")}


def test_precision_recall_f1_arithmetic() -> None:
    gold = [rec([("TW_PHONE", 0, 5), ("TW_PHONE", 10, 15), ("TW_PHONE", 20, 25), ("TW_PHONE", 30, 35)])]
    pred = [
        [("TW_PHONE", 0, 5), ("TW_PHONE", 10, 15), ("TW_PHONE", 20, 25), ("TW_PHONE", 40, 45), ("TW_PHONE", 50, 55)]
    ]
    s = score_entities(gold, pred).per_type["TW_PHONE"]
    assert (s.tp, s.fp, s.fn, s.support) == (3, 2, 1, 4)
    assert s.precision == pytest.approx(0.6)
    assert s.recall == pytest.approx(0.75)
    assert s.f1 == pytest.approx(2 * 0.6 * 0.75 / 1.35)


def test_subject_is_scored_only_where_labelled() -> None:
    gold = [
        rec([], subject="王小明 請假單", subject_entities=[{"type": "PERSON", "start": 0, "end": 3}]),
        rec([], subject="會議通知"),  # no subject label: subject predictions ignored
    ]
    scores = score_entities(gold, [[], []], [[("PERSON", 0, 3)], [("PERSON", 0, 2)]])
    assert scores.per_type["PERSON"].tp == 1
    assert scores.per_type["PERSON"].fp == 0


def test_gold_and_predictions_must_align() -> None:
    with pytest.raises(ValueError):
        score_entities([rec([])], [])


# --- secrecy scoring -------------------------------------------------------------------------------


def test_secrecy_scores_and_confusion() -> None:
    gold = [
        {"text": "", "secrecy_level": "secret"},
        {"text": "", "secrecy_level": "official_secret"},
        {"text": "", "secrecy_level": "none"},
        {"text": "", "secrecy_level": "none"},
        {"text": ""},  # unlabelled: skipped
    ]
    s = score_secrecy(gold, ["secret", "none", "confidential", "none", "top_secret"])
    assert (s.tp, s.fn, s.fp, s.tn, s.n) == (1, 1, 1, 1, 4)
    assert s.precision == 0.5 and s.recall == 0.5
    assert s.accuracy == 0.5
    assert s.confusion == {
        "secret": {"secret": 1},
        "official_secret": {"none": 1},
        "none": {"confidential": 1, "none": 1},
    }


# --- running a scanner -----------------------------------------------------------------------------


class FixedScanner:
    """A stand-in scanner that returns prepared reports, in order."""

    def __init__(self, reports: list[Report]) -> None:
        self.reports = list(reports)
        self.seen: list[Message] = []

    def scan(self, message: Message) -> Report:
        self.seen.append(message)
        return self.reports.pop(0)


def finding(type_: str, start: int, end: int, location: str = "body", shadow: bool = False) -> Finding:
    return Finding(
        kind="personal_data", type=type_, location=location, start=start, end=end, score=0.9, rule="test", shadow=shadow
    )


def test_evaluate_file_scores_body_findings_and_ignores_shadow(tmp_path: Path) -> None:
    records = [
        {
            "id": "a",
            "text": "王小明電話0912345678",
            "subject": "王小明",
            "entities": [{"type": "PERSON", "start": 0, "end": 3}, {"type": "TW_PHONE", "start": 5, "end": 15}],
            "subject_entities": [{"type": "PERSON", "start": 0, "end": 3}],
            "secrecy_level": "none",
        },
        {"id": "b", "text": "密等：機密", "subject": None, "entities": [], "secrecy_level": "confidential"},
    ]
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    reports = [
        Report(
            findings=[
                finding("PERSON", 0, 3),
                finding("TW_PHONE", 5, 15, shadow=True),  # shadow: not counted
                finding("PERSON", 0, 3, location="subject"),
                finding("EMAIL_ADDRESS", 0, 5, location="attachment:a.docx"),  # not body/subject
            ]
        ),
        Report(
            findings=[
                Finding(
                    kind="secrecy",
                    type="SECRECY_MARKING",
                    location="body",
                    start=3,
                    end=5,
                    score=1.0,
                    rule="s",
                    level="confidential",
                )
            ],
            secrecy_level="confidential",
        ),
    ]
    scanner = FixedScanner(reports)
    result = evaluate_file(path, scanner)
    assert [m.subject for m in scanner.seen] == ["王小明", None]
    assert result.records == 2
    assert result.entities.per_type["PERSON"].tp == 2
    assert result.entities.per_type["TW_PHONE"].fn == 1
    assert "SECRECY_MARKING" not in result.entities.per_type
    assert "EMAIL_ADDRESS" not in result.entities.per_type
    assert result.secrecy is not None and result.secrecy.tp == 1 and result.secrecy.tn == 1
    table = result.format_table()
    assert "PERSON" in table and "TW_PHONE" in table and "secrecy" in table
    json.dumps(result.to_dict())


def test_eval_result_without_secrecy_labels() -> None:
    result = evaluate_records([rec([("PERSON", 0, 3)])], FixedScanner([Report()]))
    assert isinstance(result, EvalResult) and result.secrecy is None
    assert result.to_dict()["secrecy"] is None
    assert "ALL (micro)" in result.format_table()


@pytest.mark.parametrize(
    "bad",
    [
        {"entities": []},
        {"text": "abc", "entities": [{"type": "PERSON", "start": 2, "end": 9}]},
        {"text": "abc", "entities": [{"type": "NOT_A_TYPE", "start": 0, "end": 1}]},
        {"text": "abc", "entities": [], "secrecy_level": "very_secret"},
        {
            "text": "abc",
            "entities": [],
            "subject": None,
            "subject_entities": [{"type": "PERSON", "start": 0, "end": 1}],
        },
    ],
)
def test_malformed_records_are_refused(bad: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        validate_record(bad)


# --- the generator -----------------------------------------------------------------------------------

_ID_LIKE = regex.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Da-d0-9][0-9]{8}(?![0-9])")
_BIRTH_WORDS = ("出生日期", "生日", "出生年月日")


@pytest.fixture(scope="module")
def corpus() -> list[dict[str, Any]]:
    return generate()


def test_default_corpus_size(corpus: list[dict[str, Any]]) -> None:
    assert len(corpus) >= 2000
    assert len({r["id"] for r in corpus}) == len(corpus)


def test_generator_is_deterministic_per_seed() -> None:
    assert generate(150, 3) == generate(150, 3)
    assert generate(150, 3) != generate(150, 4)


def test_corpus_records_are_well_formed(corpus: list[dict[str, Any]]) -> None:
    for r in corpus:
        validate_record(r, r["id"])
        spans = sorted((e["start"], e["end"]) for e in r["entities"])
        for (_, e1), (s2, _) in zip(spans, spans[1:]):
            assert e1 <= s2, f"{r['id']}: overlapping labels"
        for e in r["entities"]:
            value = r["text"][e["start"] : e["end"]]
            assert value == value.strip(), f"{r['id']}: label with surrounding space {value!r}"


def _check_value(type_: str, value: str, text: str) -> None:
    digits = regex.sub(r"\D", "", value)
    if type_ == "TW_NATIONAL_ID":
        assert tw_national_id(value) and clean(value) != "A123456789"
    elif type_ == "TW_RESIDENT_ID":
        assert tw_resident_id(value)
    elif type_ == "CREDIT_CARD":
        assert credit_card(value)
    elif type_ == "TW_PHONE":
        assert regex.fullmatch(r"[+()0-9 #\-]+(?:(?:分機|轉)[0-9]+)?", value)
        assert 9 <= len(digits) <= 16 and not digits.startswith(("0800", "1"))
    elif type_ == "EMAIL_ADDRESS":
        assert regex.fullmatch(r"[A-Za-z0-9._+\-]+@[a-z0-9.\-]+\.[a-z]{2,}", value)
    elif type_ == "TW_ADDRESS":
        assert regex.search(r"[縣市]", value) and regex.search(r"(?:[號樓室]|之.)$", value)
    elif type_ == "DATE_OF_BIRTH":
        assert any(w in text for w in _BIRTH_WORDS)
    elif type_ == "PERSON":
        assert not regex.search(r"[○Ｏ〇*]|先生|女士|小姐", value) and len(value) >= 2
    elif type_ == "TW_PASSPORT":
        assert regex.fullmatch(r"[0-9]{9}", value)
    elif type_ == "TW_NHI_NUMBER":
        assert len(digits) == 12
    elif type_ == "TW_BANK_ACCOUNT":
        assert regex.fullmatch(r"(?:[0-9]{3}-)?[0-9]{10,14}", value)
    elif type_ == "TW_DOCUMENT_NUMBER":
        assert regex.fullmatch(r"\p{Han}+字第[0-9]{10}號", value)


def test_every_label_is_the_value_it_claims(corpus: list[dict[str, Any]]) -> None:
    for r in corpus:
        for e in r["entities"]:
            value = r["text"][e["start"] : e["end"]]
            try:
                _check_value(e["type"], value, r["text"])
            except AssertionError:
                pytest.fail(f"{r['id']}: {e['type']} {value!r}")
        for e in r.get("subject_entities", []):
            assert r["subject"][e["start"] : e["end"]]


def test_no_checksum_valid_id_is_left_unlabelled(corpus: list[dict[str, Any]]) -> None:
    for r in corpus:
        labelled = {(e["start"], e["end"]) for e in r["entities"]}
        for m in _ID_LIKE.finditer(r["text"]):
            if tw_national_id(m.group()) or tw_resident_id(m.group()):
                assert m.span() in labelled, f"{r['id']}: unlabelled {m.group()}"


def test_corpus_is_mostly_light_with_some_dense(corpus: list[dict[str, Any]]) -> None:
    counts = [len(r["entities"]) for r in corpus]
    assert sum(c <= 3 for c in counts) > len(counts) * 0.6
    assert sum(c == 0 for c in counts) > len(counts) * 0.25
    assert sum(c >= 20 for c in counts) >= 10
    types = {e["type"] for r in corpus for e in r["entities"]}
    assert types >= {*PERSONAL_DATA_TYPES, "TW_DOCUMENT_NUMBER"}


def test_special_categories_only_with_an_identifiable_person(corpus: list[dict[str, Any]]) -> None:
    for r in corpus:
        types = {e["type"] for e in r["entities"]}
        if types & {"HEALTH_DATA", "CRIMINAL_RECORD"}:
            assert types & {"PERSON", "TW_NATIONAL_ID", "TW_RESIDENT_ID"}, r["id"]


def test_generator_command_line(tmp_path: Path) -> None:
    out = tmp_path / "corpus.jsonl"
    assert generator_main(["--n", "30", "--seed", "7", "-o", str(out)]) == 0
    records = load_records(out)
    assert len(records) == 30
    assert records == json.loads(json.dumps(generate(30, 7)))


# --- hard cases ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hard_cases() -> list[dict[str, Any]]:
    return load_records(HARD_CASES)


def test_hard_cases_parse_and_are_many(hard_cases: list[dict[str, Any]]) -> None:
    assert len(hard_cases) >= 100
    assert len({r["id"] for r in hard_cases}) == len(hard_cases)
    assert all(r.get("note") for r in hard_cases)
    assert sum(not r["entities"] for r in hard_cases) >= 40  # plenty of negatives


def test_hard_case_labels_hold_valid_values(hard_cases: list[dict[str, Any]]) -> None:
    for r in hard_cases:
        for e in r["entities"]:
            value = r["text"][e["start"] : e["end"]]
            assert value and value == value.strip(), r["id"]
            if e["type"] == "TW_NATIONAL_ID":
                assert tw_national_id(value) and clean(value) != "A123456789", r["id"]
            elif e["type"] == "TW_RESIDENT_ID":
                assert tw_resident_id(value), r["id"]
            elif e["type"] == "CREDIT_CARD":
                assert credit_card(value), r["id"]
