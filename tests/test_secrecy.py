"""Secrecy markings: markings are found with the right level and span, mentions are not."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from dlp.errors import PackError
from dlp.model import secrecy_rank
from dlp.normalize import normalize
from dlp.recognizers.base import Candidate, Rule, ScanContext
from dlp.recognizers.secrecy import SecrecyDetector, build_secrecy_detector

REPO = Path(__file__).resolve().parents[1]
PACK = REPO / "patterns" / "secrecy.yaml"
CORPUS = REPO / "tests" / "data" / "secrecy_corpus.jsonl"
# A copy of ../shared/seed/awareness-bulletin.md ships in tests/data so the test never skips.
BULLETIN = Path(__file__).resolve().parent / "data" / "awareness-bulletin.md"
_COMMON = {"id", "type", "kind", "engine", "mode", "description", "examples"}
_MACRO = re.compile(r"\{\{\s*(\w+)\s*\}\}")


def _rules(doc: dict[str, Any]) -> list[Rule]:
    """The secrecy rules of a pack, macros expanded as the pack loader does."""
    defs = doc.get("definitions") or {}
    rules = []
    for raw in doc["rules"]:
        if raw.get("engine") != "secrecy":
            continue
        spec = {k: v for k, v in raw.items() if k not in _COMMON}
        for key, value in spec.items():
            if key.endswith("regex") and isinstance(value, str):
                spec[key] = _MACRO.sub(lambda m: defs[m.group(1)], value)
        examples = raw.get("examples") or {}
        rules.append(Rule(raw["id"], raw["type"], raw["kind"], "secrecy", raw.get("mode", "enforce"),
                          "secrecy.yaml", spec, examples.get("match", []), examples.get("no_match", [])))
    return rules


def _pack() -> dict[str, Any]:
    return yaml.safe_load(PACK.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def detector() -> SecrecyDetector:
    return build_secrecy_detector(_rules(_pack()))


def scan(det: SecrecyDetector, text: str, role: str = "body", explain: bool = False) -> tuple[list[Candidate], ScanContext]:
    ctx = ScanContext(normalize(text), role=role, explain=explain)
    return det.detect(ctx), ctx


def level(det: SecrecyDetector, text: str, role: str = "body") -> str:
    found, _ = scan(det, text, role)
    return max((c.level or "none" for c in found), key=secrecy_rank, default="none")


# --- Done-when -----------------------------------------------------------------------------

LETTER = """檔　　號：114/0401.99/1
保存年限：10年
○○部　函
受文者：○○市政府
發文日期：中華民國114年5月20日
發文字號：○○字第1140012345號
速別：最速件
密等及解密條件或保密期限：密（本件於公布時解密）
附件：如說明二
主旨：檢送○○計畫草案1份，請查照。
"""


def test_letter_field_official_secret_span_on_mi(detector: SecrecyDetector) -> None:
    found, ctx = scan(detector, LETTER)
    assert [c.level for c in found] == ["official_secret"]
    cand = found[0]
    start, end = ctx.norm.to_original(cand.start, cand.end)
    assert LETTER[start:end] == "密"
    assert LETTER[start - 1] == "：" and LETTER[start + 1] == "（"
    assert cand.detail["position"] == "field" and cand.rule == "secrecy-field"
    assert cand.type == "SECRECY_MARKING" and cand.kind == "secrecy" and cand.value_key == "official_secret"


def test_first_line_simplified_with_zero_width_space(detector: SecrecyDetector) -> None:
    text = "机\u200b密\n主旨：檢送名冊1份。"
    found, ctx = scan(detector, text)
    assert [(c.level, c.detail["position"]) for c in found] == [("confidential", "stamp")]
    start, end = ctx.norm.to_original(found[0].start, found[0].end)
    assert text[start:end] == "机\u200b密"


def test_awareness_bulletin_is_not_marked(detector: SecrecyDetector) -> None:
    if not BULLETIN.exists():
        raise AssertionError(f"{BULLETIN} is missing")
    found, ctx = scan(detector, BULLETIN.read_text(encoding="utf-8"), explain=True)
    assert found == []
    assert ctx.trace, "explain must show the mentions it discarded"
    assert all(not c.accepted for c in ctx.trace)


# --- positive forms ------------------------------------------------------------------------

POSITIVE = [
    # (text, role, level, position)
    ("密等及解密條件或保密期限：機密（保密期限：10年）", "body", "confidential", "field"),
    ("密等及解密條件或保密期限：極機密，本件至125年12月31日解密", "body", "secret", "field"),
    ("密等及解密條件或保密期限：絕對機密（附件抽存後解密）", "body", "top_secret", "field"),
    ("密等及解密條件或保密期限：密，保存年限屆滿後解密", "body", "official_secret", "field"),
    ("密等：機密", "body", "confidential", "field"),
    ("密等及解密條件或保密期限\t極機密", "body", "secret", "field"),
    ("密等：■機密 □極機密", "body", "confidential", "field"),
    ("密等及解密條件或保密期限：機密（本件於公布時解密）", "field", "confidential", "field"),
    ('<密等 代碼="極機密"/><解密條件或保密期限>本件於公布時解密</解密條件或保密期限>', "field", "secret", "field"),
    ("機密\n\n○○部　函\n主旨：檢送計畫。", "body", "confidential", "stamp"),
    ("【極機密】\n會議紀錄", "body", "secret", "stamp"),
    ("［極機密］\n作戰想定", "body", "secret", "stamp"),
    ("「密」\n簽　於人事室", "body", "official_secret", "stamp"),
    ("（密）\n主旨：陳報辦理情形。", "body", "official_secret", "stamp"),
    ("＊＊機密＊＊\n附件一", "body", "confidential", "stamp"),
    ("機密（保密期限：10年）\n主旨：檢送資料。", "body", "confidential", "stamp"),
    ("絕對機密　本件至144年12月31日解密\n國防部作戰計畫", "body", "top_secret", "stamp"),
    ("主旨：檢送資料。\n說明：如附件。\n\n極機密", "body", "secret", "stamp"),
    ("限閱\n人事甄審委員會會議紀錄", "body", "restricted", "stamp"),
    ("密件\n請親啟", "body", "official_secret", "stamp"),  # taiwan-rules §1.5: a 密件 stamp is 密
    ("【機密】偵辦進度：嫌犯已鎖定兩處落腳地點。", "body", "confidential", "stamp"),
    ("機密", "header", "confidential", "header"),
    ("○○部 114年度演習計畫 極機密", "header", "secret", "header"),
    ("第 2 頁，共 5 頁 機密", "footer", "confidential", "footer"),
    ("[密] 114年度考績初核名冊", "subject", "official_secret", "subject"),
    ("【機密】演習計畫修正草案", "subject", "confidential", "subject"),
    ("人事甄審會議資料（限閱）", "subject", "restricted", "subject"),
    ("(限閱) 甄審資料", "subject", "restricted", "subject"),
    ("RE: (密) 本案偵辦進度", "subject", "official_secret", "subject"),
    ("Fwd: 【極機密】報告初稿", "subject", "secret", "subject"),
    ("本件核定為極機密，保密期限20年。", "body", "secret", "sentence"),
    ("本文列為限閱，請勿轉寄。", "body", "restricted", "sentence"),
    ("說明：\n一、本案資料業經核定為絕對機密，保密期限30年。", "body", "top_secret", "sentence"),
    ("複製物　編號：03　機密\n○○計畫", "body", "confidential", "copy_label"),
    ("○○計畫\n極機密 複製物第2號（共3份）", "body", "secret", "copy_label"),
    ("限閱人員：人事室主任、政風室主任", "body", "restricted", "restricted_note"),
    ("本資料限機關內部使用。", "body", "restricted", "restricted_note"),
    ("內部資料，請勿外流。", "body", "restricted", "restricted_note"),
    ("這份名單請勿外流，謝謝。", "body", "restricted", "restricted_note"),
]


@pytest.mark.parametrize("text,role,expected,position", POSITIVE)
def test_markings(detector: SecrecyDetector, text: str, role: str, expected: str, position: str) -> None:
    found, _ = scan(detector, text, role)
    assert found, f"no marking found in {text!r}"
    best = max(found, key=lambda c: secrecy_rank(c.level or "none"))
    assert best.level == expected
    assert best.detail["position"] == position
    assert best.why.startswith("marking:")


# --- negatives (issue 3 part 3) ------------------------------------------------------------

NEGATIVE = [
    ("密等及解密條件或保密期限：普通", "body"),
    ("密等及解密條件或保密期限：一般", "body"),
    ("密等及解密條件或保密期限：無", "body"),
    ("密等及解密條件或保密期限：\n附件：如文", "body"),
    ("密　　等：", "body"),
    ("速　　別：普通件\n密等及解密條件或保密期限：普通", "body"),
    ("密等及解密條件或保密期限：普通", "field"),
    ("各單位應落實公務機密維護。", "body"),
    ("因職務而持有之機密文書，應保存於辦公處所。", "body"),
    ("立法院三讀通過國家機密保護法修正案，廢除永久保密。", "body"),
    ("委外廠商應簽署保密協定。", "body"),
    ("資訊安全三要素為機密性、完整性與可用性。", "body"),
    ("密碼\n請每三個月更新一次。", "body"),
    ("這是我們之間的祕密。", "body"),
    ("這是我們之間的秘密", "body"),
    ("各單位保持密切聯繫，嚴密監控水位。", "body"),
    ("本實驗室新購精密儀器。", "body"),
    ("兩人關係親密。", "body"),
    ("國家機密等級區分\n絕對機密\n極機密\n機密\n\n一般公務機密：密", "body"),
    ("簡報第5頁\n密等標示方式\n絕對機密\n極機密\n機密\n密", "body"),
    ("密等：□密 □機密 □極機密 □絕對機密", "body"),
    ("資料等級：☐密\n☐機密", "body"),
    ("【極機密】今晚聚餐改到熱炒店 😂", "body"),
    ("你問我年終多少？\n機密 XD", "body"),
    ("請問在公文上蓋「機密」戳章時，應該蓋在哪裡？", "body"),
    ("例如「密等及解密條件或保密期限：密（本件於公布時解密）」這一欄應依核定結果填寫。", "body"),
    ("範例：\n密等及解密條件或保密期限：機密（保密期限10年）", "body"),
    ("教材提到，「本件核定為極機密，保密期限20年」是常見的定密語句。", "body"),
    ("為辦理本年度機密檔案清查，請各單位填報。", "body"),
    ("機密文書之傳遞應以雙封套為之。", "body"),
    ("本件非屬機密，可公開。", "body"),
    ("若本件屬機密，應依規定以雙封套寄送。", "body"),
    ("公務機密\n維護宣導手冊", "body"),
    ("機密\n檔案清查作業說明", "body"),
    ("複製物應標示原件之機密等級。", "body"),
    ("此類資料不得外流。", "body"),
    ("公務機密維護宣導", "subject"),
    ("密碼變更通知", "subject"),
    ("[機密性評估] 系統資安檢核", "subject"),
    ("公務機密維護宣導手冊", "header"),
    ("機密文書處理作業要點", "footer"),
]


@pytest.mark.parametrize("text,role", NEGATIVE)
def test_mentions_are_not_markings(detector: SecrecyDetector, text: str, role: str) -> None:
    found, ctx = scan(detector, text, role, explain=True)
    assert found == [], [(c.rule, c.level, c.why) for c in found]
    for cand in ctx.trace or []:
        assert not cand.accepted and cand.why


# --- evasion -------------------------------------------------------------------------------

EVASION = [
    ("机密\n检送演习计划草案", "confidential"),
    ("极机密\n两岸情势研判报告", "secret"),
    ("绝对机密\n作战计划附件三", "top_secret"),
    ("極机密\n混用簡繁字", "secret"),
    ("機 密\n○○部　函", "confidential"),
    ("機．密\n專案會議紀錄", "confidential"),
    ("極・機・密\n本案偵辦計畫", "secret"),
    ("機\u200b密\n零寬字元", "confidential"),
    ("機\n密\n\n○○局　函\n主旨：檢送計畫。", "confidential"),
    ("主旨：檢送資料。\n\n機\n密", "confidential"),
    ("密　　等：機密（本件於公布時解密）", "confidential"),
    ("密 等 及 解 密 條 件 或 保 密 期 限：極機密，保密期限20年", "secret"),
    ("密等及解密条件或保密期限：极机密（本件至120年12月31日解密）", "secret"),
    ("密等及解密條件或保密期限：機\u200d密", "confidential"),
    ("＊＊絕對機密＊＊\n附件", "top_secret"),
    ("（密）\n全形括號", "official_secret"),
    ("                                        密\n○○縣政府　函", "official_secret"),
]


@pytest.mark.parametrize("text,expected", EVASION)
def test_evasion(detector: SecrecyDetector, text: str, expected: str) -> None:
    assert level(detector, text) == expected


# --- explain -------------------------------------------------------------------------------


def test_explain_records_kept_and_discarded(detector: SecrecyDetector) -> None:
    text = "機密\n主旨：請加強公務機密維護。\n密等及解密條件或保密期限：普通"
    found, ctx = scan(detector, text, explain=True)
    assert [c.level for c in found] == ["confidential"]
    trace = ctx.trace or []
    kept = [c for c in trace if c.accepted]
    assert len(kept) == 1 and "stamp line" in kept[0].why and "secrecy-stamp-line" in kept[0].why
    whys = " | ".join(c.why for c in trace if not c.accepted)
    assert "公務機密" in whys
    assert "「普通」 is not a secrecy level" in whys


def test_list_of_levels_reason(detector: SecrecyDetector) -> None:
    _, ctx = scan(detector, "等級\n絕對機密\n極機密\n機密", explain=True)
    assert any("a list of levels" in c.why for c in ctx.trace or [])
    # levels far apart in marking positions: the whole-segment count still calls it a list
    _, ctx = scan(detector, "絕對機密\n\n甲\n乙\n丙\n丁\n戊\n\n極機密\n\n機密", explain=True)
    assert any("levels listed together" in c.why for c in ctx.trace or [])


def test_clean_text_is_skipped_cheaply(detector: SecrecyDetector) -> None:
    found, ctx = scan(detector, "本府辦理年度預算編列作業，請各單位依限提報需求。" * 100, explain=True)
    assert found == [] and ctx.trace == []


def test_long_text_stays_linear(detector: SecrecyDetector) -> None:
    """200 KB dense with level words: no quadratic loop (a loose bound; benchmarks measure speed)."""
    import time

    for text in (("密等密件密機密文書\n" * 20000)[:200_000], "密等：機密。" * 33_000, "「密等：機密」" * 28_000):
        t0 = time.perf_counter()
        found, _ = scan(detector, text)
        assert time.perf_counter() - t0 < 5.0
        assert len(found) <= 20  # max_per_level: more of the same level cannot change the verdict


# --- the pack's own examples and validation ------------------------------------------------


def _example_cases() -> list[tuple[str, str, str, bool]]:
    out = []
    for rule in _rules(_pack()):
        for expected, examples in ((True, rule.examples_match), (False, rule.examples_no_match)):
            for ex in examples:
                text = ex if isinstance(ex, str) else ex["text"]
                role = "body" if isinstance(ex, str) else ex.get("role", "body")
                out.append((rule.id, text, role, expected))
    return out


@pytest.mark.parametrize("rule_id,text,role,expected", _example_cases())
def test_pack_examples(detector: SecrecyDetector, rule_id: str, text: str, role: str, expected: bool) -> None:
    found, _ = scan(detector, text, role)
    assert any(c.rule == rule_id for c in found) == expected


def _broken(mutate) -> list[Rule]:
    doc = _pack()
    mutate(doc["rules"][0])
    return _rules(doc)


@pytest.mark.parametrize(
    "mutate,needle",
    [
        (lambda r: r.pop("regex"), "regex"),
        (lambda r: r.__setitem__("regex", "密等:(?P<level><LEVEL>"), "無法編譯"),
        (lambda r: r.__setitem__("regex", "密等:<LEVEL>"), "level"),
        (lambda r: r["vocabulary"]["levels"].__setitem__("ultra_secret", ["超機密"]), "ultra_secret"),
        (lambda r: r.__setitem__("position", "margin"), "position"),
        (lambda r: r.__setitem__("zone", "middle"), "zone"),
        (lambda r: r.__setitem__("score", 2), "score"),
        (lambda r: r.__setitem__("colour", "red"), "colour"),
        (lambda r: r.pop("vocabulary"), "vocabulary"),
        (lambda r: r["vocabulary"].__setitem__("gap_regex", "[ "), "gap_regex"),
    ],
)
def test_bad_rules_raise_pack_error(mutate, needle: str) -> None:
    rules = _broken(mutate)
    with pytest.raises(PackError) as err:
        build_secrecy_detector(rules)
    assert err.value.rule == "secrecy-field" and err.value.file == "secrecy.yaml"
    assert needle in err.value.reason


# --- corpus --------------------------------------------------------------------------------


def test_corpus_targets(detector: SecrecyDetector) -> None:
    cases = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(cases) >= 300
    tp = fp = fn = exact = 0
    for case in cases:
        found = []
        if case["subject"]:
            found += scan(detector, case["subject"], "subject")[0]
        found += scan(detector, case["text"])[0]
        pred = max((c.level or "none" for c in found), key=secrecy_rank, default="none")
        gold = case["secrecy_level"]
        tp += gold != "none" and pred != "none"
        fp += gold == "none" and pred != "none"
        fn += gold != "none" and pred == "none"
        exact += gold == pred
    assert tp / (tp + fp) >= 0.98
    assert tp / (tp + fn) >= 0.98
    assert exact / len(cases) >= 0.97


# --- through the Scanner (bundled packs and policy) ----------------------------------------


def _secrecy(report) -> list:
    return [f for f in report.findings if f.type == "SECRECY_MARKING"]


def test_scanner_letter_official_secret(scanner) -> None:
    from dlp import Message

    report = scanner.scan(Message(text=LETTER, recipients=["clerk@hl.gov.tw"]))
    assert report.secrecy_level == "official_secret"
    (finding,) = _secrecy(report)
    assert LETTER[finding.start:finding.end] == "密"
    assert finding.kind == "secrecy" and finding.level == "official_secret" and finding.location == "body"
    assert finding.detail["position"] == "field"


def test_scanner_zero_width_stamp(scanner) -> None:
    from dlp import Message

    text = "机\u200b密\n主旨：檢送名冊1份。"
    report = scanner.scan(Message(text=text))
    assert report.secrecy_level == "confidential"
    (finding,) = _secrecy(report)
    assert (finding.start, finding.end) == (0, 3)


def test_scanner_bulletin_none(scanner) -> None:
    from dlp import Message

    if not BULLETIN.exists():
        raise AssertionError(f"{BULLETIN} is missing")
    report = scanner.scan(Message(text=BULLETIN.read_text(encoding="utf-8"), recipients=["a@gmail.com"]))
    assert report.secrecy_level == "none"
    assert _secrecy(report) == []


def test_scanner_subject_and_levels(scanner) -> None:
    from dlp import Message

    report = scanner.scan(Message(text="請參考附件。", subject="RE: 【極機密】演習想定", recipients=["a@gmail.com"]))
    assert report.secrecy_level == "secret"
    (finding,) = _secrecy(report)
    assert finding.location == "subject" and finding.detail["position"] == "subject"
    assert report.action == "block"


def test_scanner_highest_level_wins(scanner) -> None:
    from dlp import Message

    text = "限閱\n密等及解密條件或保密期限：極機密（保密期限20年）\n主旨：檢送資料。"
    report = scanner.scan(Message(text=text))
    assert report.secrecy_level == "secret"
    assert {f.level for f in _secrecy(report)} == {"restricted", "secret"}


@pytest.mark.parametrize(
    "text",
    ["密等及解密條件或保密期限：普通\n速別：普通件", "請落實公務機密維護，機密文書應保存於辦公處所。", "密碼請每三個月更新"],
)
def test_scanner_unmarked(scanner, text: str) -> None:
    from dlp import Message

    report = scanner.scan(Message(text=text))
    assert report.secrecy_level == "none" and _secrecy(report) == []


@pytest.mark.parametrize("value", ["府授人字第1130012345號", "北市警刑字第1140012345號", "新北府秘檔字第1131934567號",
                                   "廉政字第11007000100號"])
def test_scanner_document_number(scanner, value: str) -> None:
    from dlp import Message

    text = f"發文字號：{value}\n主旨：檢送會議紀錄，請查照。"
    report = scanner.scan(Message(text=text))
    found = [f for f in report.findings if f.type == "TW_DOCUMENT_NUMBER"]
    assert [text[f.start:f.end] for f in found] == [value]
    assert found[0].kind == "official"
    # A number cited from another document is a mention, not this message's own.
    cited = scanner.scan(Message(text=f"依據法務部廉政署110年1月4日{value}書函辦理。"))
    assert [f for f in cited.findings if f.type == "TW_DOCUMENT_NUMBER"] == []
