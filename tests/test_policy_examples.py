"""Decision examples in policy.yaml, and line numbers in every pack or policy error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dlp import Scanner
from dlp.errors import PackError, PackErrors
from dlp.patterns import load_packs
from dlp.policy import Policy
from dlp.policy_examples import run_decision_examples
from dlp.yaml_lines import KeyLines

REPO = Path(__file__).resolve().parents[1]
PATTERNS = REPO / "patterns"


def test_the_bundled_examples_cover_every_action_and_pass(scanner) -> None:
    results = run_decision_examples(scanner.packset, scanner.policy)
    assert len(results) >= 10 and all(r.passed for r in results), [r.message for r in results if not r.passed]
    assert {r.example.expect for r in results} == {"allow", "warn", "redact", "quarantine", "block"}
    assert {r.example.channel for r in results} == {"mail", "chat"}


@pytest.fixture()
def packs(tmp_path: Path) -> Path:
    shutil.copytree(PATTERNS, tmp_path / "p")
    return tmp_path / "p"


def _line_of(path: Path, needle: str, after: str = "") -> int:
    rows = path.read_text(encoding="utf-8").splitlines()
    start = rows.index(after) if after else 0
    return next(i for i in range(start, len(rows)) if needle in rows[i]) + 1


def test_a_failing_example_refuses_the_policy_and_the_running_set_stays(packs: Path) -> None:
    policy = packs / "policy.yaml"
    running = Scanner(patterns_dir=packs)
    text = policy.read_text(encoding="utf-8")
    policy.write_text(text.replace("    expect: block\n    secrecy_level: confidential", "    expect: warn\n    secrecy_level: confidential"),
                      encoding="utf-8")
    with pytest.raises(PackErrors) as info:
        running.reload()
    (err,) = info.value.errors
    assert err.file == str(policy) and err.rule == "examples[3]"
    assert err.line == _line_of(policy, "- description: 標示「機密」的公文")
    assert "預期處置「提醒」（warn），實際為「阻擋」（block）" in err.reason and "本訊息標示「機密」" in err.reason
    assert f"第 {err.line} 行" in str(info.value)
    assert running.policy.config.examples[3].expect == "block"  # the running set is untouched


def test_example_fields_are_checked_with_their_keys(packs: Path) -> None:
    policy = packs / "policy.yaml"
    text = policy.read_text(encoding="utf-8")
    text = text.replace("    to: colleague@hl.gov.tw\n    expect: allow", "    to: colleague@hl.gov.tw\n    expect: allowed\n    colour: red", 1)
    text = text.replace("    conversation: {id: C7e21d4b8a9f0c3e6d5b4a39281706f5e, name: 社福科承辦群組}",
                        "    conversation: {id: C7e21d4b8a9f0c3e6d5b4a39281706f5e, name: 社福科承辦群組, members: -8}", 1)
    policy.write_text(text, encoding="utf-8")
    with pytest.raises(PackErrors) as info:
        Policy.load(policy)
    keys = {e.rule for e in info.value.errors}
    assert keys == {"examples[1].expect", "examples[1].colour", "examples[6].conversation.members"}
    assert all(e.line and any("\u4e00" <= ch <= "\u9fff" for ch in e.reason) for e in info.value.errors)


def test_own_packs_without_a_policy_use_the_bundled_one_without_its_examples(tmp_path: Path) -> None:
    shutil.copy(PATTERNS / "personal_data.yaml", tmp_path)  # no secrecy pack: 機密 examples could not hold
    scanner = Scanner(patterns_dir=tmp_path)
    assert scanner.policy.file == str(PATTERNS / "policy.yaml")


def test_key_lines_follow_ids_indexes_and_stop_at_what_is_missing() -> None:
    text = "version: 1\nrules:\n  - id: a\n    actions: {x: 1}\n  - id: b\n    actions:\n      x: 2\nlist:\n  - p\n  - q\n"
    lines = KeyLines(text)
    assert lines.line("version") == 1
    assert lines.line("rules.b.actions.x") == 7
    assert lines.line("rules.a.actions.x") == 4  # a flow mapping: the key's own line
    assert lines.line("rules[1]") == 5 and lines.line("list[1]") == 10
    assert lines.line("rules.b.actions.missing") == 6  # the deepest part that exists
    assert lines.line("nothing") is None and KeyLines("rules: [").line("rules") is None


def test_pack_errors_carry_the_rule_line_and_yaml_errors_the_position(tmp_path: Path) -> None:
    shutil.copy(PATTERNS / "personal_data.yaml", tmp_path)
    pack = tmp_path / "personal_data.yaml"
    pack.write_text(pack.read_text(encoding="utf-8").replace("- 身分證字號：D104553971", "- 身分證字號：D104553972"), encoding="utf-8")
    with pytest.raises(PackErrors) as info:
        load_packs(tmp_path)
    err = next(e for e in info.value.errors if e.rule == "tw-national-id")
    assert err.line == _line_of(pack, "- id: tw-national-id")
    (tmp_path / "broken.yaml").write_text("rules:\n  - id: x\n    regex: [\n", encoding="utf-8")
    with pytest.raises(PackErrors) as info:
        load_packs(tmp_path, check_examples=False)
    broken = next(e for e in info.value.errors if e.file == "broken.yaml")
    assert broken.line == 4 and "YAML 格式錯誤（第 4 行" in broken.reason
    assert broken.to_dict()["line"] == 4


def test_a_pack_error_without_a_line_reads_as_before() -> None:
    assert str(PackError("a.yaml", "r1", "原因")) == "a.yaml，規則 r1：原因"
    assert str(PackError("a.yaml", "r1", "原因", 3)) == "a.yaml 第 3 行，規則 r1：原因"
