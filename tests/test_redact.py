"""Masking styles, overlap handling and the properties every redaction keeps."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlp.model import Finding
from dlp.redact import (
    MASK_STYLES,
    RedactSpan,
    check_mask_spec,
    mask_value,
    redact_text,
    spans_from_findings,
)

ID = {"style": "keep_ends", "keep_start": 3, "keep_end": 3, "char": "*"}


@pytest.mark.parametrize(
    ("value", "spec", "expected"),
    [
        ("D102345971", ID, "D10****971"),
        ("A 123 456 789", ID, "A 12* *** 789"),
        ("A12", {"style": "keep_ends"}, "A**"),
        ("0912-345-678", {"style": "phone"}, "0912-***-678"),
        ("0912345678", {"style": "phone"}, "0912***678"),
        ("+886 912 345 678", {"style": "phone"}, "+886 912 *** 678"),
        ("(02)2345-6789", {"style": "phone"}, "(02)2345-**89"),
        ("(03)823-4567", {"style": "phone"}, "(03)823-**67"),
        ("02-23456789#123", {"style": "phone"}, "02-2345**89#123"),
        ("王小明", {"style": "name"}, "王○明"),
        ("王明", {"style": "name"}, "王○"),
        ("歐陽小明", {"style": "name"}, "歐陽○○"),
        ("歐陽明", {"style": "name"}, "歐陽○"),
        ("張簡美玲", {"style": "name"}, "張簡○○"),
        ("陳林美玲", {"style": "name"}, "陳○○玲"),
        ("王小明", {"style": "name", "keep_last": False}, "王○○"),
        ("瓦歷斯·諾幹", {"style": "name"}, "瓦○○·諾○"),
        ("John Smith", {"style": "name", "char": "*"}, "J*** S****"),
        ("台北市中正區中山路一段1號", {"style": "address"}, "台北市中正區○○路○段○號"),
        ("臺北市中正區重慶南路一段23巷4弄5號7樓之2", {"style": "address"}, "臺北市中正區○○○路○段○○巷○弄○號○樓之○"),
        ("10058臺北市中正區忠勤里5鄰", {"style": "address"}, "10058臺北市中正區○○里○鄰"),
        ("花蓮縣吉安鄉中山路三段100號", {"style": "address"}, "花蓮縣吉安鄉○○路○段○○○號"),
        ("中山路12號", {"style": "address"}, "○○路○○號"),
        ("alice@example.com", {"style": "email"}, "a****@example.com"),
        ("abcd@example.com", {"style": "email"}, "a***@example.com"),
        ("a@example.com", {"style": "email"}, "*@example.com"),
        ("民國74年3月12日", {"style": "date"}, "民國74年*月**日"),
        ("1985/03/12", {"style": "date"}, "1985/**/**"),
        ("74.03.02", {"style": "date"}, "74.**.**"),
        ("1140520", {"style": "date"}, "114****"),
        ("七十四年三月十二日", {"style": "date", "char": "○"}, "七十四年○月○○日"),
        ("1985/03/12", {"style": "date", "keep_year": False}, "****/**/**"),
        ("糖尿病 第二型", {"style": "full"}, "*** ***"),
        ("secret", {"style": "full", "char": "#"}, "######"),
        ("secret", None, "******"),
        ("secret", {"style": "no-such-style"}, "******"),
    ],
)
def test_styles(value: str, spec: dict[str, Any] | None, expected: str) -> None:
    assert mask_value(value, spec) == expected


def test_redact_text_in_context() -> None:
    text = "承辦人王小明，身分證D102345971，電話(02)2345-6789。"
    spans = [
        RedactSpan(3, 6, "PERSON", {"style": "name"}),
        RedactSpan(10, 20, "TW_NATIONAL_ID", ID),
        RedactSpan(24, 37, "TW_PHONE", {"style": "phone"}),
    ]
    assert redact_text(text, spans) == "承辦人王○明，身分證D10****971，電話(02)2345-**89。"


def test_overlapping_spans_mask_the_union() -> None:
    text = "地址台北市中正區中山路一段1號王小明"
    address = RedactSpan(2, 15, "TW_ADDRESS", {"style": "address"})
    name = RedactSpan(8, 18, "PERSON", {"style": "full"})  # overlaps the address's tail
    out = redact_text(text, [name, address])
    assert len(out) == len(text)
    assert out[:8] == "地址台北市中正區"
    # the address keeps 路/段/號, the full mask hides them: the union hides them; where both
    # mask, the earlier span (the address) chooses the mask character
    assert out[8:] == "○○*○*○****"


def test_spans_outside_the_text_are_clipped_and_empty_ones_ignored() -> None:
    assert redact_text("abc", [RedactSpan(-5, 2, "X", {"style": "full"})]) == "**c"
    assert redact_text("abc", [RedactSpan(2, 99, "X", {"style": "full"})]) == "ab*"
    assert redact_text("abc", [RedactSpan(2, 2, "X", None), RedactSpan(3, 1, "X", None)]) == "abc"
    assert redact_text("", [RedactSpan(0, 3, "X", None)]) == ""


def test_spans_from_findings_skip_other_locations_kinds_and_shadow() -> None:
    def f(start: int, end: int, **kw: Any) -> Finding:
        base = {"kind": "personal_data", "type": "TW_PHONE", "location": "body", "rule": "tw-mobile"}
        base.update(kw)
        return Finding(start=start, end=end, score=0.9, **base)

    findings = [
        f(0, 4),
        f(5, 9, location="subject"),
        f(10, 12, kind="secrecy", type="SECRECY_MARKING"),
        f(13, 15, shadow=True),
        f(16, 18, rule="unknown-rule"),
    ]
    spans = spans_from_findings(findings, {"tw-mobile": {"style": "phone"}})
    assert spans == [RedactSpan(0, 4, "TW_PHONE", {"style": "phone"}), RedactSpan(16, 18, "TW_PHONE", None)]


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ({"style": "address", "keep": ""}, "mask.keep 應為非空白的文字，實際為「」"),
        ({"style": "address", "keep": 5}, "mask.keep 應為非空白的文字，實際為「5」"),
        ({"style": "name", "compound_surnames": "歐陽"}, "mask.compound_surnames 應為文字清單，實際為「歐陽」"),
        ({"style": "name", "compound_surnames": ["歐陽", 3]}, "mask.compound_surnames 應為文字清單，實際為「['歐陽', 3]」"),
        ({"style": "name", "compound_surnames": ["歐陽", ""]}, "mask.compound_surnames 應為文字清單，實際為「['歐陽', '']」"),
    ],
)
def test_check_mask_spec_names_the_option_and_the_value(spec: dict[str, Any], problem: str) -> None:
    assert check_mask_spec(spec) == [problem]


@pytest.mark.parametrize(
    ("spec", "ok"),
    [
        ({"style": "keep_ends", "keep_start": 3, "keep_end": 3, "char": "*"}, True),
        ({"style": "phone"}, True),
        ({"style": "name", "compound_surnames": ["歐陽"], "keep_last": False}, True),
        ({"style": "address", "keep": "路街段號"}, True),
        ({"style": "date", "keep_year": False}, True),
        ({"style": "full", "char": "○"}, True),
        ({"style": "blur"}, False),
        ({"keep_start": 3}, False),
        ("full", False),
        ({"style": "keep_ends", "keep_start": -1}, False),
        ({"style": "keep_ends", "keep_start": True}, False),
        ({"style": "full", "char": "**"}, False),
        ({"style": "full", "char": " "}, False),
        ({"style": "phone", "keep_start": 3}, False),
        ({"style": "date", "keep_year": "yes"}, False),
    ],
)
def test_check_mask_spec(spec: Any, ok: bool) -> None:
    problems = check_mask_spec(spec)
    assert (problems == []) is ok
    if not ok:
        assert all(any("\u4e00" <= ch <= "\u9fff" for ch in p) for p in problems)


# -- properties ----------------------------------------------------------------------------
MASK_CHARS = "*○#"
ALPHABET = st.sampled_from(list("ABCDEFabcxyz0123456789-() @./年月日路段號巷弄樓之市區縣鄉王陳歐陽小明美玲中正山一二三·\n"))
SPECS = st.one_of(
    st.none(),
    st.sampled_from([
        ID,
        {"style": "keep_ends"},
        {"style": "keep_ends", "keep_start": 0, "keep_end": 1},
        {"style": "phone"},
        {"style": "phone", "keep_end": 0, "mask_digits": 5},
        {"style": "name"},
        {"style": "name", "keep_last": False},
        {"style": "address"},
        {"style": "email"},
        {"style": "date"},
        {"style": "date", "keep_year": False},
        {"style": "full"},
        {"style": "full", "char": "#"},
    ]),
)


@st.composite
def text_and_spans(draw: st.DrawFn) -> tuple[str, list[RedactSpan]]:
    text = "".join(draw(st.lists(ALPHABET, max_size=60)))
    n = len(text)
    spans = []
    for _ in range(draw(st.integers(0, 5))):
        a = draw(st.integers(0, n))
        b = draw(st.integers(0, n))
        spans.append(RedactSpan(min(a, b), max(a, b), "X", draw(SPECS)))
    return text, spans


@settings(max_examples=400, deadline=None)
@given(text_and_spans())
def test_redaction_properties(case: tuple[str, list[RedactSpan]]) -> None:
    text, spans = case
    out = redact_text(text, spans)
    # the length rule: one character out for one character in
    assert len(out) == len(text)
    covered = {i for s in spans for i in range(s.start, s.end)}
    for i, (a, b) in enumerate(zip(text, out)):
        if i not in covered:
            assert a == b, "text outside the spans never changes"
        elif a != b:
            assert b in MASK_CHARS, "a changed character is always a mask character"
    for s in spans:
        raw = text[s.start:s.end]
        alone = mask_value(raw, s.mask)
        # what a span masks on its own stays masked when merged with the others
        for k, (r, m) in enumerate(zip(raw, alone)):
            if r != m:
                assert out[s.start + k] != r
        if alone != raw:
            assert out[s.start:s.end] != raw, "a span whose style masks something never shows the raw value"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, min_size=1, max_size=30), SPECS)
def test_mask_value_properties(value: str, spec: dict[str, Any] | None) -> None:
    masked = mask_value(value, spec)
    assert len(masked) == len(value)
    # masking is stable: masking again hides nothing new that was shown before
    assert all(m == v or m in MASK_CHARS for v, m in zip(value, masked))
    if spec is None or spec.get("style") == "full":
        assert all(m in MASK_CHARS or v.isspace() for v, m in zip(value, masked))


@settings(max_examples=200, deadline=None)
@given(st.from_regex(r"[A-Z][12][0-9]{8}", fullmatch=True))
def test_identifiers_never_show_the_raw_value(value: str) -> None:
    masked = mask_value(value, ID)
    assert masked != value
    assert masked[3:7] == "****"


@settings(max_examples=200, deadline=None)
@given(st.from_regex(r"09[0-9]{2}-?[0-9]{3}-?[0-9]{3}", fullmatch=True))
def test_mobile_numbers_hide_three_digits(value: str) -> None:
    masked = mask_value(value, {"style": "phone"})
    assert masked.count("*") == 3
    assert masked[-3:] == value[-3:]


def test_every_style_is_documented() -> None:
    from pathlib import Path

    doc = (Path(__file__).resolve().parent.parent / "docs" / "policy.md").read_text(encoding="utf-8")
    for style in MASK_STYLES:
        assert f"`{style}`" in doc


# -- edges found by mutation testing (scripts/mutation.sh redact) --------------------------------------


@pytest.mark.parametrize(
    ("spec", "problems"),
    [
        ({"style": "keep_ends", "keep_start": 0, "keep_end": 0}, []),  # 0 is allowed: keep nothing
        ({"style": "keep_ends", "keep_end": -1}, ["mask.keep_end 應為 0 以上的整數，實際為「-1」"]),
        ({"style": "phone", "mask_digits": 1}, []),
        ({"style": "phone", "mask_digits": 0}, ["mask.mask_digits 應為 1 以上的整數，實際為「0」"]),
        ({"style": "phone", "mask_digits": True}, ["mask.mask_digits 應為 1 以上的整數，實際為「True」"]),
        ({"style": "phone", "mask_digits": "2"}, ["mask.mask_digits 應為 1 以上的整數，實際為「2」"]),
        ({"style": "date", "keep_year": "yes"}, ["mask.keep_year 應為 true 或 false，實際為「yes」"]),
        ({"style": "full", "char": "**"}, ["mask.char 應為一個非空白的字元（例如 * 或 ○），實際為「**」"]),
        ("full", ["mask 應為對照表，例如 {style: keep_ends, keep_start: 3, keep_end: 3}"]),
        ({"style": "blur"}, ["未知的遮蔽方式「blur」；可用：full、keep_ends、phone、name、address、email、date"]),
        ({"style": "phone", "keep_start": 3}, ["遮蔽方式 phone 沒有選項「keep_start」；可用：char、keep_end、mask_digits"]),
    ],
)
def test_mask_option_bounds_and_their_messages(spec: Any, problems: list[str]) -> None:
    assert check_mask_spec(spec) == problems


@pytest.mark.parametrize(
    ("value", "spec", "expected"),
    [
        ("台北市中正區中山路一段1號", {"style": "address", "keep": "路"}, "台北市中正區○○路○○○○"),  # `keep` is read
        ("中山路12-3號", {"style": "address"}, "○○路○○-○號"),             # punctuation is not a numeral: kept
        ("a@b@example.com", {"style": "email"}, "a**@example.com"),          # the domain is after the last @
        ("@example.com", {"style": "email"}, "************"),                # no local part: all of it
        ("alice@example.com", {"style": "email", "keep_start": 2}, "al***@example.com"),
        ("3月12日74年生", {"style": "date"}, "*月**日74年生"),               # the year is the number before 年
        ("03/12/1985", {"style": "date"}, "**/**/1985"),                     # else the 4-digit number
        ("生日1140520", {"style": "date"}, "生日114****"),                   # compact ROC date after a word
        ("114052012", {"style": "date"}, "*********"),                       # 9 digits: no compact form
        ("520", {"style": "date"}, "***"),                                   # one short number: no year
        ("3月12日", {"style": "date"}, "3月**日"),                           # else the first of several
        ("0912-345-678", {"style": "phone", "keep_end": 2, "mask_digits": 4}, "0912-***-*78"),  # options read
        ("12345678", {"style": "phone", "keep_end": 3, "mask_digits": 3}, "12***678"),  # exactly long enough
        ("1234567", {"style": "phone", "keep_end": 3, "mask_digits": 3}, "1****67"),    # one short: middle half
        ("12345", {"style": "phone"}, "1***5"),
        ("J", {"style": "name", "char": "*"}, "*"),
        ("王", {"style": "name"}, "○"),
        ("王小明", {"style": "name", "compound_surnames": ["王小"]}, "王小○"),  # the option is read
        ("D102345971", {"style": "keep_ends"}, "D10****971"),                # defaults 3 and 3
    ],
)
def test_style_details(value: str, spec: dict[str, Any], expected: str) -> None:
    assert mask_value(value, spec) == expected


def test_of_two_spans_starting_together_the_longer_chooses_the_mask_character() -> None:
    spans = [RedactSpan(0, 4, "A", {"style": "full", "char": "*"}), RedactSpan(0, 8, "B", {"style": "full", "char": "#"})]
    assert redact_text("ABCDEFGH", spans) == "########"
    assert redact_text("ABCDEFGH", spans[::-1]) == "########"
