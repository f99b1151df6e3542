"""Pattern packs: a bad pack is refused with file, rule and reason; the running set stays."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from dlp.errors import PackErrors
from dlp.model import Segment
from dlp.patterns import load_packs, run_examples

PATTERNS = Path(__file__).resolve().parents[1] / "patterns"

GOOD_RULE = {
    "id": "test-badge",
    "type": "TW_PASSPORT",
    "regex": r"(?<![0-9])(?P<value>B[0-9]{6})(?![0-9])",
    "requires_context": True,
    "context": ["識別證"],
    "examples": {"match": ["識別證 B123456"], "no_match": ["型號 B123456"]},
}


def write_pack(directory: Path, rules: list[dict], **top) -> Path:
    doc = {"pack": {"name": "test", "version": 1}, "rules": rules, **top}
    path = directory / "test.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def refused(directory: Path) -> list[tuple[str, str | None, str]]:
    with pytest.raises(PackErrors) as info:
        load_packs(directory)
    return [(e.file, e.rule, e.reason) for e in info.value.errors]


def test_a_good_pack_loads_and_finds(tmp_path):
    write_pack(tmp_path, [GOOD_RULE])
    packset = load_packs(tmp_path)
    assert [r.id for r in packset.rules] == ["test-badge"]
    assert packset.packs[0].sha256 and len(packset.version) == 16


@pytest.mark.parametrize(
    ("change", "reason_part"),
    [
        ({"regex": "(?P<value>[0-9"}, "正規表示式無法編譯"),
        ({"validator": "no_such_checksum"}, "no_such_checksum"),
        ({"type": "NOT_A_TYPE"}, "不是已知的發現類型"),
        ({"mode": "sometimes"}, "mode 只能是"),
        ({"engine": "telepathy"}, "偵測引擎"),
        ({"examples": None}, "缺少 examples"),
        ({"examples": {"match": []}}, "至少要有一個"),
        ({"examples": {"match": ["型號 B123456"]}}, "應該被這條規則找到"),
        ({"examples": {"match": ["識別證 B123456"], "no_match": ["識別證 B654321"]}}, "不應該被這條規則找到"),
        ({"score": 7}, "score"),
        ({"regex": "(?P<value>B{{nope}})"}, "未定義的巨集"),
        ({"requires_context": True, "context": []}, "requires_context"),
        ({"colour": "blue"}, "不認得的欄位"),
        ({"kind": "secrecy"}, "屬於 personal_data"),
    ],
)
def test_bad_rules_are_refused_with_file_rule_and_reason(tmp_path, change, reason_part):
    rule = {**GOOD_RULE, **change}
    if change.get("examples", 1) is None:
        del rule["examples"]
    write_pack(tmp_path, [rule])
    errors = refused(tmp_path)
    assert any(f == "test.yaml" and r == "test-badge" and reason_part in why for f, r, why in errors), errors


def test_yaml_syntax_error_names_the_file(tmp_path):
    (tmp_path / "broken.yaml").write_text("rules: [\n  - id: x\n    regex: 'unterminated\n", encoding="utf-8")
    errors = refused(tmp_path)
    assert errors[0][0] == "broken.yaml" and "YAML" in errors[0][2]


def test_duplicate_ids_and_unknown_top_level_keys(tmp_path):
    write_pack(tmp_path, [GOOD_RULE, GOOD_RULE])
    assert any("重複" in why for _, _, why in refused(tmp_path))
    write_pack(tmp_path, [GOOD_RULE], surprise=1)
    assert any("不認得的最上層欄位" in why for _, _, why in refused(tmp_path))


def test_every_problem_is_reported_at_once(tmp_path):
    write_pack(tmp_path, [{**GOOD_RULE, "regex": "("}, {**GOOD_RULE, "id": "test-two", "validator": "nope"}])
    rules = {r for _, r, _ in refused(tmp_path)}
    assert rules == {"test-badge", "test-two"}


def test_macros_expand_inside_macros(tmp_path):
    rule = {**GOOD_RULE, "regex": r"(?<![0-9])(?P<value>{{badge}})(?![0-9])"}
    write_pack(tmp_path, [rule], definitions={"digits": "[0-9]{6}", "badge": "B{{digits}}"})
    assert load_packs(tmp_path).rules[0].spec["regex"] == r"(?<![0-9])(?P<value>B[0-9]{6})(?![0-9])"


def test_shadow_rules_are_reported_with_the_flag(tmp_path):
    from dlp.engine import Analyzer

    write_pack(tmp_path, [{**GOOD_RULE, "mode": "shadow"}])
    analyzer = Analyzer(load_packs(tmp_path).detectors)
    findings = analyzer.analyze([Segment("body", "識別證 B123456")]).findings
    assert [(f.rule, f.shadow) for f in findings] == [("test-badge", True)]
    assert findings[0].to_dict()["shadow"] is True


def test_the_bundled_packs_pass_all_their_examples():
    results = run_examples(load_packs(PATTERNS, check_examples=False))
    failures = [(r.rule.id, r.text) for r in results if not r.passed]
    assert len(results) > 50
    assert failures == []


def test_a_bad_pack_on_reload_keeps_the_running_set(tmp_path):
    from dlp import Message, Scanner

    shutil.copytree(PATTERNS, tmp_path / "p")
    scanner = Scanner(patterns_dir=tmp_path / "p")
    before = scanner.state
    text = "身分證字號：D104553971"
    assert any(f.type == "TW_NATIONAL_ID" for f in scanner.scan(Message(text=text)).findings)
    pack = tmp_path / "p" / "personal_data.yaml"
    pack.write_text(pack.read_text(encoding="utf-8").replace("validator: tw_national_id", "validator: nope"), encoding="utf-8")
    with pytest.raises(PackErrors) as info:
        scanner.reload()
    assert info.value.errors[0].file == "personal_data.yaml" and info.value.errors[0].rule == "tw-national-id"
    assert scanner.state is before
    assert any(f.type == "TW_NATIONAL_ID" for f in scanner.scan(Message(text=text)).findings)


def test_excerpts_mask_a_long_value_that_starts_far_before_the_window(tmp_path):
    """A neighbour's excerpt must hide any value reaching into it, however long that value is."""
    from dlp.engine import Analyzer

    long_rule = {
        "id": "test-long", "type": "TW_PASSPORT", "regex": r"(?P<value>Q[0-9]{600})",
        "max_length": 700, "examples": {"match": ["Q" + "7" * 600]},
    }
    phone_rule = {
        "id": "test-phone", "type": "TW_PHONE", "regex": r"(?<![0-9])(?P<value>09[0-9]{8})(?![0-9])",
        "examples": {"match": ["0912345678"]},
    }
    write_pack(tmp_path, [long_rule, phone_rule])
    analyzer = Analyzer(load_packs(tmp_path).detectors)
    text = "Q" + "7" * 600 + "，0912345678"
    findings = {f.rule: f for f in analyzer.analyze([Segment("body", text)]).findings}
    assert set(findings) == {"test-long", "test-phone"}
    assert findings["test-phone"].excerpt.startswith("****") and "77" not in findings["test-phone"].excerpt
