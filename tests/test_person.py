"""PERSON detector: real jieba, the shipped pack (patterns/person.yaml), no mocks.

Neighbouring IDs and phones are what the pattern detector would have accepted earlier on the
segment; here they are put into ``ctx.accepted`` by hand so that these tests exercise only the
PERSON detector.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import regex
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dlp import tokenize as tok
from dlp.errors import PackError
from dlp.normalize import normalize
from dlp.recognizers.base import Candidate, Rule, ScanContext
from dlp.recognizers.person import PersonDetector, build_person_detector

PACK = Path(__file__).resolve().parent.parent / "patterns" / "person.yaml"
_COMMON = {"id", "type", "kind", "engine", "mode", "description", "examples"}
_IDS = regex.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-D0-9][0-9]{8}(?![0-9])")
_PHONES = regex.compile(r"(?<![0-9])(?:09[0-9]{2}-?[0-9]{3}-?[0-9]{3}|0[2-8]-?[0-9]{3,4}-?[0-9]{4})(?![0-9])")


def pack_rules(mutate=None) -> list[Rule]:
    doc = yaml.safe_load(PACK.read_text(encoding="utf-8"))
    if mutate is not None:
        doc = copy.deepcopy(doc)
        mutate(doc["rules"])
    out = []
    for raw in doc["rules"]:
        if raw.get("engine") != "person":
            continue  # the pack also holds a pattern rule that depends on names (date-of-birth-bracket)
        spec = {k: v for k, v in raw.items() if k not in _COMMON}
        out.append(Rule(raw["id"], raw["type"], raw["kind"], raw["engine"], raw.get("mode", "enforce"),
                        "person.yaml", spec))
    return out


@pytest.fixture(scope="module")
def detector() -> PersonDetector:
    return build_person_detector(pack_rules())


def scan(detector: PersonDetector, text: str, explain: bool = False) -> tuple[list[Candidate], ScanContext]:
    ctx = ScanContext(normalize(text), role="body", tokenizer=tok.tokenize, explain=explain)
    for pat, type_ in ((_IDS, "TW_NATIONAL_ID"), (_PHONES, "TW_PHONE")):
        for m in pat.finditer(ctx.text):
            ctx.accepted.append(Candidate(type_, "personal_data", m.start(), m.end(), 0.9, "test"))
    if "居留證" in text or "統一證號" in text:
        for c in ctx.accepted:
            if c.type == "TW_NATIONAL_ID" and ctx.text[c.start + 1] in "ABCD89":
                c.type = "TW_RESIDENT_ID"
    return detector.detect(ctx), ctx


def names(detector: PersonDetector, text: str) -> list[str]:
    found, ctx = scan(detector, text)
    return [ctx.text[c.start:c.end] for c in found]


POSITIVES = [
    # forms and 公文 contact blocks
    ("姓名：王小明\n身分證字號：D104553971", ["王小明"]),
    ("申請人姓名:林美玲；出生日期:70年1月2日", ["林美玲"]),
    ("承辦人：張志豪\n電話：(02)2345-6789", ["張志豪"]),
    ("承 辦 人：陳建宏\n電　　話：02-2345-6789", ["陳建宏"]),
    ("聯絡人：王小明，電話02-2345-6789", ["王小明"]),
    ("承辦人王小明，身分證字號Ｄ１０４５５３９７１，手機0912-345-678", ["王小明"]),
    ("緊急聯絡人：吳淑芬（母）0912-345-678", ["吳淑芬"]),
    ("受款人：李冠宏 帳號 12345678901", ["李冠宏"]),
    ("如有疑問請洽承辦人丁秀玉，電話0982903736。", ["丁秀玉"]),
    # honorifics and titles
    ("請王小明先生於週五前回覆", ["王小明"]),
    ("王小明先生您好", ["王小明"]),
    ("退費通知：鄭宜蓁小姐您好，款項將匯入您的帳戶。", ["鄭宜蓁"]),
    ("謝謝王明先生的協助", ["王明"]),
    ("受文者：林美玲君", ["林美玲"]),
    ("本案請陳大文科長核示", ["陳大文"]),
    # signatures and chat
    ("敬祝 順心\n\n--\n黃冠廷 約聘人員\n交通部公路局資訊室\nTEL：02-85756947", ["黃冠廷"]),
    ("敬祝 順心\n\n--\n司馬柏睿\n花蓮縣政府資訊室\n", ["司馬柏睿"]),
    ("@黃冠廷 明天早上的會議記得帶資料", ["黃冠廷"]),
    ("[10:32] 王小明：好的，收到", ["王小明"]),
    ("張家豪的手機是0912-345-678，麻煩回電", ["張家豪"]),
    ("個案林家豪身分證P120684498 幫我查一下福利身分", ["林家豪"]),
    # rosters and tables
    ("出席人員：陳大文、林美玲、張簡家豪", ["陳大文", "林美玲", "張簡家豪"]),
    ("陳大文、林美玲", ["陳大文", "林美玲"]),
    ("姓名\t電話\n王小明\t0912345678\n陳美玲\t0922333444\n", ["王小明", "陳美玲"]),
    ("編號,姓名,身分證字號\n1,林心怡,A270496662\n2,范姜美玉,B123456780\n", ["林心怡", "范姜美玉"]),
    ("1 趙魏秋月 G218522176 0912-345-678", ["趙魏秋月"]),
    # compound, double and married surnames
    ("姓名：歐陽娜娜", ["歐陽娜娜"]),
    ("申請人：陳林美玲", ["陳林美玲"]),
    ("陳林美玲女士您好", ["陳林美玲"]),
    ("范姜志明同學", ["范姜志明"]),
    ("張廖萬堅委員", ["張廖萬堅"]),
    ("聯絡人：上官婉兒、諸葛明華", ["上官婉兒", "諸葛明華"]),
    # a common given name after a surname is enough
    ("吳志明今天會來", ["吳志明"]),
    ("黃金龍 約聘人員", ["黃金龍"]),
    # romanised names next to a resident ID
    ("外籍看護NGUYEN VAN AN，居留證號：AC01234567，已完成健保投保。", ["NGUYEN VAN AN"]),
    ("移工Maria Santos，統一證號：F912345678。", ["Maria Santos"]),
]


@pytest.mark.parametrize(("text", "expected"), POSITIVES)
def test_finds_names_with_exact_spans(detector: PersonDetector, text: str, expected: list[str]) -> None:
    assert names(detector, text) == expected


NEGATIVES = [
    # surname-started ordinary words
    "申請人應於期限內陳述意見",
    "黃金價格上漲，請張貼公告",
    "王道精神在於以民為本，林業發展",
    "許多民眾何時開始周知",
    "已於113.5.26簽陳核定。",
    "本計畫期程自113.10.19起",
    "學生成績",
    # masked names
    "姓名：王○明",
    "姓名：王Ｏ明",
    "申請人：王O明",
    "姓名：○○○",
    "聯絡人：王**",
    "個案鍾ＯＯ已結案",
    # surname + honorific or title only
    "陳小姐您好",
    "請洽江科長",
    "王科長，您好",
    "本局林處長",
    # places and organisations
    "林口、高雄、金門",
    "受文者：高雄市政府",
    "林口區公所電話02-2601-1234",
    "高雄市政府與金門縣政府簽約",
    "受文者：金門縣政府",
    # a romanised name without a resident ID
    "外籍看護 NGUYEN VAN AN 今天到職",
    # special-category terms next to surname-started words
    "緩起訴處分金撥補公益團體名單已公告。",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_traps_are_not_names(detector: PersonDetector, text: str) -> None:
    assert names(detector, text) == []


def test_masked_names_are_recorded_as_discarded(detector: PersonDetector) -> None:
    found, ctx = scan(detector, "姓名：王○明", explain=True)
    assert found == []
    assert ctx.trace and all(not c.accepted for c in ctx.trace)
    assert any("masked" in c.why for c in ctx.trace)


def test_candidates_explain_the_decision(detector: PersonDetector) -> None:
    found, ctx = scan(detector, "聯絡人：王小明先生，電話02-2345-6789", explain=True)
    (cand,) = found
    assert (cand.type, cand.kind, cand.value_key) == ("PERSON", "personal_data", "王小明")
    assert "label" in cand.why and "honorific" in cand.why and "TW_PHONE" in cand.why and "jieba" in cand.why
    assert cand.score >= 0.9
    assert cand in ctx.trace


def test_rejections_say_why(detector: PersonDetector) -> None:
    _, ctx = scan(detector, "受文者：高雄市政府", explain=True)
    assert ctx.trace and any("高雄" in c.why for c in ctx.trace if not c.accepted)


def test_offsets_are_into_the_folded_text(detector: PersonDetector) -> None:
    text = "姓名：\u200b王小明"  # the zero-width space is removed by normalize
    found, ctx = scan(detector, text)
    assert [ctx.text[c.start:c.end] for c in found] == ["王小明"]


def test_clean_text_proposes_nothing(detector: PersonDetector) -> None:
    text = "本府為推動數位轉型，已編列預算辦理資訊系統整合計畫。高雄市與金門縣將同步舉辦說明會。" * 50
    found, ctx = scan(detector, text, explain=True)
    assert found == [] and ctx.trace == []


def test_shadow_rules_flag_their_candidates() -> None:
    def shadow(rules: list[dict]) -> None:
        rules[0]["mode"] = "shadow"

    det = build_person_detector(pack_rules(shadow))
    found, _ = scan(det, "承辦人王小明")
    assert found and all(c.shadow for c in found)


def test_detector_contract(detector: PersonDetector) -> None:
    assert detector.engine == "person"
    # the cues of names without a label go through the multi-pattern prefilter, one key each;
    # the triggers as literal words, each reported by the scan (their matches need no alternation)
    keys = set(detector.prefilter_regexes())
    assert keys == {f"person-name-zh#{k}" for k in ("before", "boundary", "after")}
    literals = detector.prefilter_literals()
    assert set(literals) == {"person-name-zh#trigger"} and {"姓名", "先生"} <= set(literals["person-name-zh#trigger"])
    assert set(detector.max_lengths()) == keys | set(literals)
    assert {r.id for r in detector.rules} == {"person-name-zh", "person-name-romanised"}


# -- pack validation ---------------------------------------------------------------------------


def _set(index: int, key: str, value: object):
    def mutate(rules: list[dict]) -> None:
        target = rules[index]
        *path, last = key.split(".")
        for part in path:
            target = target[part]
        if value is _DELETE:
            del target[last]
        else:
            target[last] = value

    return mutate


_DELETE = object()


@pytest.mark.parametrize(
    ("mutate", "fragment"),
    [
        (_set(0, "method", "magic"), "method"),
        (_set(0, "labels", _DELETE), "labels"),
        (_set(0, "scores.min", "high"), "scores.min"),
        (_set(0, "scores.bogus", 0.1), "bogus"),
        (_set(0, "windows.label_gap", -1), "windows.label_gap"),
        (_set(0, "label_tail", "([unclosed"), "label_tail"),
        (_set(0, "masked_patterns", ["(?P<x"]), "masked_patterns"),
        (_set(0, "surnames.common", ["陳"]), "surnames.common"),
        (_set(0, "surnames.compound", ["歐陽", "X"]), "surnames.compound"),
        (_set(0, "neighbour_types", ["NOT_A_TYPE"]), "NOT_A_TYPE"),
        (_set(0, "colon_only_labels", ["不存在的標籤"]), "colon_only_labels"),
        (_set(1, "name_regex", "[A-Z"), "name_regex"),
        (_set(0, "mask", "name"), "mask"),
    ],
)
def test_bad_rules_are_refused_with_a_reason(mutate, fragment: str) -> None:
    with pytest.raises(PackError) as err:
        build_person_detector(pack_rules(mutate))
    assert err.value.file == "person.yaml"
    assert err.value.rule in {"person-name-zh", "person-name-romanised"}
    assert fragment in err.value.reason


def test_person_engine_only_for_person_type() -> None:
    rules = pack_rules()
    rules[0].type = "TW_PHONE"
    with pytest.raises(PackError, match="PERSON"):
        build_person_detector(rules)


# -- tokenizer ---------------------------------------------------------------------------------


def test_tokenize_keeps_offsets_and_original_characters() -> None:
    text = "聯絡人：王小明，臺灣陳述黃金"
    toks = tok.tokenize(text)
    assert "".join(w for w, _, _ in toks) == text
    assert all(text[s:e] == w for w, s, e in toks)
    assert ("陳述", 10, 12) in toks


def test_jieba_is_initialised_once() -> None:
    tok.warm_up()
    first = tok.init_count
    tok.tokenize("承辦人王小明")
    tok.warm_up()
    assert tok.init_count == first == 1


# -- properties --------------------------------------------------------------------------------

_ALPHABET = st.sampled_from(list("王小明陳林美玲黃金歐陽張簡述先生姓名承辦人：:、，○O* \n\t0912345678A-") + ["\u200b", "Ｏ"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_ALPHABET, max_size=60).map("".join))
def test_never_raises_and_spans_stay_inside(detector: PersonDetector, text: str) -> None:
    found, ctx = scan(detector, text, explain=True)
    for cand in found + (ctx.trace or []):
        assert 0 <= cand.start <= cand.end <= len(ctx.text)
        assert "detector error" not in cand.why
    for cand in found:
        assert cand.end > cand.start and cand.accepted


def test_a_name_finder_that_fails_makes_the_segment_unread_not_silently_nameless(monkeypatch):
    """A bug in a finder must not drop the names of a normal scan quietly (fail closed): the
    segment is reported as not fully analysed, and the policy holds the message."""
    from dlp import Message, Scanner
    from dlp.recognizers.person import PersonDetector

    scanner = Scanner()
    text = "承辦人：王小明，電話 02-2345-6789。"
    assert any(f.type == "PERSON" for f in scanner.scan(Message(text=text, channel="mail")).findings)

    person = next(d for d in scanner._state.analyzer.detectors if isinstance(d, PersonDetector))
    finder = person.finders[0]

    def broken(*args, **kwargs):
        raise TypeError("a finder bug")

    monkeypatch.setattr(finder, "detect", broken)
    report = scanner.scan(Message(text=text, channel="mail"))
    limits = [f for f in report.findings if f.type == "LIMIT_EXCEEDED"]
    assert len(limits) == 1
    assert limits[0].detail["limit"] == "detector_error"
    assert limits[0].detail["stopped"][0]["rule"] == finder.rule.id
    assert "發生錯誤" in limits[0].detail["reason"]
    assert report.action != "allow"
