"""Issue 13, part 4: evasions a person can still read are folded by ``normalize``, with exact
offsets back: look-alike letters, NUL and bidi controls, combining marks on digits, Chinese-digit
phone numbers. Properties (hypothesis) check that no such disguise loses a finding and that the
reported span is exactly the disguised value."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dlp.model import Segment
from dlp.normalize import LOOKALIKES, normalize
from dlp.validators import tw_national_id

#: Latin capital -> the Cyrillic and Greek letters that look like it.
_SHAPES: dict[str, list[str]] = {}
for _alien, _latin in LOOKALIKES.items():
    if _latin.isupper():
        _SHAPES.setdefault(_latin, []).append(_alien)
_CONTROLS = ["\x00", "\u202e", "\u202d", "\u2066", "\u2069", "\x07"]
_MARKS = ["\u0332", "\u0331", "\u0305", "\u0336", "\u20e3"]
_CN = {"0": ["零", "〇", "○"], "1": ["一"], "2": ["二"], "3": ["三"], "4": ["四"], "5": ["五"],
       "6": ["六"], "7": ["七"], "8": ["八"], "9": ["九"]}


@st.composite
def national_ids(draw) -> str:
    letter = draw(st.sampled_from(sorted(_SHAPES)))
    body = draw(st.sampled_from("12")) + "".join(draw(st.sampled_from("0123456789")) for _ in range(7))
    check = next(d for d in "0123456789" if tw_national_id(letter + body + d))
    return letter + body + check


@st.composite
def disguised_ids(draw) -> tuple[str, str]:
    value = draw(national_ids())
    out = [draw(st.sampled_from(_SHAPES[value[0]]))]
    for ch in value[1:]:
        if draw(st.integers(0, 4)) == 0:
            out.append(draw(st.sampled_from(_CONTROLS)))
        out.append(ch)
        if draw(st.integers(0, 3)) == 0:
            out.append(draw(st.sampled_from(_MARKS)))
    return value, "".join(out)


@given(disguised_ids(), st.sampled_from(["身分證字號：", "身分證 ", "申請人王小明，證號"]))
@settings(max_examples=150, deadline=None)
def test_look_alike_letters_controls_and_marks_never_lose_an_id(personal_analyzer, case, label) -> None:
    value, disguised = case
    text = f"{label}{disguised}，謝謝"
    assert normalize(text).text.startswith(normalize(label).text + value)
    found = [f for f in personal_analyzer.analyze([Segment("body", text)]).findings if f.type == "TW_NATIONAL_ID"]
    start = len(label)
    assert len(found) == 1, (text, found)
    f = found[0]
    # the span starts at the disguised letter and ends on the last digit or a mark on it
    assert f.start == start and disguised.rstrip("".join(_MARKS)) == text[start:f.end].rstrip("".join(_MARKS))


@st.composite
def chinese_phones(draw) -> tuple[str, str]:
    digits = "09" + "".join(draw(st.sampled_from("0123456789")) for _ in range(8))
    groups = draw(st.sampled_from([(4, 3, 3), (4, 6), (10,), (2, 4, 4)]))
    sep = draw(st.sampled_from([" ", "-", "－", "‐", "\u3000"]))
    parts, pos = [], 0
    for size in groups:
        parts.append("".join(draw(st.sampled_from(_CN[d])) for d in digits[pos:pos + size]))
        pos += size
    return digits, sep.join(parts)


@given(chinese_phones())
@settings(max_examples=150, deadline=None)
def test_chinese_digit_phones_are_phones_with_exact_spans(personal_analyzer, case) -> None:
    digits, spelled = case
    if sum(ch in "一二三四五六七八九" for ch in spelled) < 4:
        return  # mostly zeros: not distinguishable from a run of mask circles, by design
    text = f"手機是{spelled}，晚上比較找得到"
    found = [f for f in personal_analyzer.analyze([Segment("body", text)]).findings if f.type == "TW_PHONE"]
    assert [(f.start, f.end) for f in found] == [(3, 3 + len(spelled))], (text, found)


def test_chinese_digits_fold_only_in_number_runs() -> None:
    for kept in ("王○○", "○○○○○○○○", "民國七十五年三月二日", "一二三", "第一二三四五六條", "王〇明"):
        assert normalize(kept).text == kept
    assert normalize("〇九二一－〇五八－三四〇").text == "0921-058-340"
    assert normalize("證號A一二〇四五六七八九").text == "證號A120456789"
    assert normalize("A一二三四五六七八九").text == "A一二三四五六七八九"  # no Chinese zero: left alone


def test_marks_on_han_and_controls_that_are_content_are_kept() -> None:
    assert normalize("a\tb\nc\fd").text == "a\tb\nc\fd"
    assert normalize("漢\u0332字").text == "漢\u0332字"  # only marks on ASCII letters or digits go
    norm = normalize("W1\u03326\u0332X")
    assert norm.text == "W16X"
    assert norm.to_original(0, 4) == (0, 6)
    assert norm.to_original(2, 3) == (3, 4)


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_the_fast_one_to_one_fold_equals_translate(text) -> None:
    from dlp.normalize import _fold_keys, _fold_one_to_one, _fold_tables

    table = _fold_tables()[0]
    assert _fold_one_to_one(text, table, _fold_keys()) == text.translate(table)


@given(st.text(alphabet="，。：（）、；？！ＡＢＣ１２３４－‐—　⾝豈a-zA-Z0-9王小明", max_size=200))
@settings(max_examples=200, deadline=None)
def test_the_fast_fold_on_chinese_punctuation_equals_translate(text) -> None:
    from dlp.normalize import _fold_keys, _fold_one_to_one, _fold_tables

    table = _fold_tables()[0]
    assert _fold_one_to_one(text, table, _fold_keys()) == text.translate(table)
