"""Evaluation additions of issue 13: mention-only false alarms, the PII row, score floors
(``--fail-under``) and the mistakes listing of ``dlp eval``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dlp.cli import main as cli_main
from dlp.evaluation.gates import GateError, failures, parse_gate
from dlp.evaluation.metrics import EvalResult, is_mention_only, score_entities, score_secrecy


def _rec(text: str, level: str, rid: str = "r", entities: list[dict] | None = None) -> dict:
    return {"id": rid, "text": text, "entities": entities or [], "secrecy_level": level}


def test_mention_only_records_are_unmarked_texts_that_name_a_level() -> None:
    assert is_mention_only(_rec("來文密等：密，本府回覆如下", "none"))
    assert is_mention_only(_rec("公務機密維護宣導", "none"))
    assert is_mention_only(_rec("請勿外流", "none"))
    assert not is_mention_only(_rec("密碼請於三日內更新", "none"))  # 密 glued to 碼
    assert not is_mention_only(_rec("明天開會", "none"))
    assert not is_mention_only(_rec("機密", "confidential"))  # marked, not a mention


def test_mention_false_alarm_rate_counts_only_mention_only_records() -> None:
    gold = [
        _rec("來文密等：密", "none", "a"),
        _rec("機密等級：□密 □機密", "none", "b"),
        _rec("明天開會", "none", "c"),
        _rec("機密\n主旨：", "confidential", "d"),
    ]
    sec = score_secrecy(gold, ["official_secret", "none", "restricted", "confidential"])
    assert (sec.mention_only, sec.mention_false_alarms) == (2, 1)
    assert sec.mention_false_alarm_rate == 0.5
    assert [(m.record_id, m.gold, m.predicted) for m in sec.mistakes] == [
        ("a", "none", "official_secret"), ("c", "none", "restricted")
    ]


def test_pii_row_leaves_out_document_numbers() -> None:
    gold = [_rec("x" * 40, "none", entities=[
        {"type": "PERSON", "start": 0, "end": 3}, {"type": "TW_DOCUMENT_NUMBER", "start": 10, "end": 20}])]
    scores = score_entities(gold, [[("TW_DOCUMENT_NUMBER", 10, 20)]])
    assert (scores.personal.tp, scores.personal.fn) == (0, 1)
    assert (scores.total.tp, scores.total.fn) == (1, 1)


def test_gates_parse_floors_and_ceilings() -> None:
    assert parse_gate("PERSON=0.9").metric == "f1"
    assert parse_gate("PERSON.recall=0.93").value == pytest.approx(0.93)
    assert parse_gate("SECRECY.mention_false_alarm_rate=0.02").is_ceiling
    for bad in ("PERSON", "FOO=0.5", "PERSON.accuracy=0.5", "PERSON=abc", "PERSON=1.5", "=0.5"):
        with pytest.raises(GateError):
            parse_gate(bad)


def test_failures_name_each_gate_missed() -> None:
    gold = [_rec("王小明 來文密等：密", "none", entities=[{"type": "PERSON", "start": 0, "end": 3}])]
    entities = score_entities(gold, [[]])
    secrecy = score_secrecy(gold, ["official_secret"])
    result = EvalResult(entities, secrecy, 1, gold)
    out = failures(result, [parse_gate("PERSON.recall=0.5"), parse_gate("SECRECY.mention_false_alarm_rate=0.02"),
                            parse_gate("TW_PHONE=0.1")])
    assert len(out) == 3
    assert "PERSON.recall>=0.5" in out[0] and "0.0000" in out[0]
    assert "mention_false_alarm_rate<=0.02" in out[1]
    assert "沒有" in out[2]  # nothing to measure TW_PHONE on: a floor that cannot be checked fails
    listing = result.format_mistakes()
    assert "fn  PERSON  body:0-3  「王小明」" in listing
    assert "level  none -> official_secret" in listing


def test_dlp_eval_fails_under_a_floor_and_prints_mistakes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "c.jsonl"
    text = "承辦人王小明，電話02-2345-6789"
    corpus.write_text(json.dumps({
        "id": "one", "text": text, "secrecy_level": "none",
        "entities": [{"type": "PERSON", "start": 3, "end": 6}, {"type": "TW_PHONE", "start": 9, "end": 21},
                     {"type": "EMAIL_ADDRESS", "start": 0, "end": 2}],
    }, ensure_ascii=False) + "\n", encoding="utf-8")
    assert cli_main(["eval", str(corpus), "--fail-under", "PERSON=0.9"]) == 0
    out = capsys.readouterr().out
    assert "PII (micro)" in out and "fn  EMAIL_ADDRESS  body:0-2" in out
    assert cli_main(["eval", str(corpus), "--fail-under", "EMAIL_ADDRESS.recall=0.5"]) == 1
    assert "未達門檻 EMAIL_ADDRESS.recall>=0.5" in capsys.readouterr().err


def test_dlp_eval_refuses_bad_input_with_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["eval", str(tmp_path / "missing.jsonl")]) == 2
    err = capsys.readouterr().err
    assert "找不到語料檔" in err and "missing.jsonl" in err and len(err.strip().splitlines()) == 1
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": 1}\n', encoding="utf-8")
    assert cli_main(["eval", str(bad)]) == 2
    assert "語料檔有誤" in capsys.readouterr().err
    assert cli_main(["eval", str(bad), "--fail-under", "NOPE=1"]) == 2
    assert "門檻" in capsys.readouterr().err
