"""Normalization: folding, and offsets that always lead back to the caller's text."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from dlp.model import Segment
from dlp.normalize import CHINESE_DIGITS, LOOKALIKES, compact, normalize

ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]


def test_full_width_kangxi_and_compat_ideographs_fold():
    norm = normalize("⾝分證Ａ１２３　（０９１２）")
    assert norm.text == "身分證A123 (0912)"
    assert len(norm.text) == len(norm.original)


def test_invisible_characters_are_removed_and_offsets_skip_them():
    original = "手機09\u200b12-345\u2060-678"
    norm = normalize(original)
    assert norm.text == "手機0912-345-678"
    start = norm.text.index("0912")
    assert norm.to_original(start, len(norm.text)) == (2, len(original))


def test_expansion_maps_as_a_whole():
    original = "甲㍿乙"
    norm = normalize(original)
    assert norm.text == "甲株式会社乙"
    assert norm.to_original(1, 3) == (1, 2)  # part of the expansion -> the whole source char
    assert norm.to_original(5, 6) == (2, 3)


def test_dashes_and_spaces_fold():
    assert normalize("A\u2013123\u2014456\u3000789").text == "A-123-456 789"


def test_compact_strips_separators_and_upper_cases():
    assert compact("a 1 2 3-4.5") == "A12345"
    assert compact("Ｄ１０４－５５３") == "D104553"


@given(st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_every_span_maps_inside_the_original(text):
    norm = normalize(text)
    n = len(norm.text)
    for start in range(0, n + 1, max(1, n // 7 or 1)):
        for end in range(start, n + 1, max(1, n // 5 or 1)):
            o_start, o_end = norm.to_original(start, end)
            assert 0 <= o_start <= o_end <= len(text)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=120))
@settings(max_examples=300, deadline=None)
def test_each_character_maps_back_to_what_produced_it(text):
    norm = normalize(text)
    for i, ch in enumerate(norm.text):
        o_start, o_end = norm.to_original(i, i + 1)
        source = text[o_start:o_end]
        folded = unicodedata.normalize("NFKC", source)
        # the folds beyond NFKC: look-alike letters, Chinese digits of a number
        assert ch in folded or ch in "- \n" or LOOKALIKES.get(source) == ch or CHINESE_DIGITS.get(source) == ch


FULL_WIDTH = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}

POSITIVES = [
    ("身分證字號：D104553971", "D104553971", "TW_NATIONAL_ID"),
    ("手機 0912-345-678", "0912-345-678", "TW_PHONE"),
    ("電話 (02)2345-6789", "(02)2345-6789", "TW_PHONE"),
    ("電子信箱 wang.xm@mail.hl.gov.tw", "wang.xm@mail.hl.gov.tw", "EMAIL_ADDRESS"),
    ("居留證號 A900000016", "A900000016", "TW_RESIDENT_ID"),
    ("信用卡號 4563-1234-5678-9016", "4563-1234-5678-9016", "CREDIT_CARD"),
]


@st.composite
def disguised(draw):
    prefix, value, type_ = draw(st.sampled_from(POSITIVES))
    chars = []
    for ch in value:
        if draw(st.booleans()) and ch in FULL_WIDTH:
            ch = FULL_WIDTH[ch]
        chars.append(ch)
        if draw(st.integers(0, 3)) == 0:
            chars.append(draw(st.sampled_from(ZERO_WIDTH)))
    disguised_value = "".join(chars)
    return prefix.replace(value, disguised_value), disguised_value, type_


@given(disguised())
@settings(max_examples=200, deadline=None)
def test_zero_width_and_full_width_never_lose_a_finding(personal_analyzer, case):
    text, value, type_ = case
    findings = personal_analyzer.analyze([Segment("body", text)]).findings
    start = text.index(value)
    end = start + len(value)
    # Zero-width characters at the very edges may fall outside; the visible value never does.
    visible = [i for i in range(start, end) if text[i] not in ZERO_WIDTH]
    covering = [f for f in findings if f.type == type_ and f.start <= visible[0] and visible[-1] < f.end]
    assert covering, (text, [(f.type, f.start, f.end) for f in findings])
    for f in covering:
        assert start <= f.start and f.end <= end  # never wider than the disguised value
