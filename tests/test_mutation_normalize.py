"""Normalization edges that the mutation run of ``dlp/normalize.py`` found unpinned (issue 19, part 5).

Combining marks next to removed, expanded and stacked characters; the Chinese-digit fold's
thresholds and its three zeros; the offset map at the very ends of a text; the character class
of the characters that are removed or expanded.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from dlp.normalize import _char_class, normalize

UNDERLINE, OVERLINE = "\u0332", "\u0305"

# -- combining marks: removed after an ASCII letter or digit of the folded text, kept elsewhere ---------


def test_stacked_marks_on_a_digit_are_all_removed() -> None:
    norm = normalize(f"號1{UNDERLINE}{OVERLINE}{UNDERLINE}2")
    assert norm.text == "號12"
    assert norm.to_original(1, 2) == (1, 2) and norm.to_original(2, 3) == (5, 6)


def test_a_mark_after_a_removed_invisible_character_still_decorates_the_letter_before_it() -> None:
    assert normalize(f"A\u200b{UNDERLINE}{UNDERLINE}B").text == "AB"


def test_a_mark_at_the_start_of_the_text_is_content() -> None:
    assert normalize(f"{UNDERLINE}abc").text == f"{UNDERLINE}abc"


def test_a_mark_on_the_last_character_of_the_text_is_removed() -> None:
    norm = normalize(f"電話0912{UNDERLINE}")
    assert norm.text == "電話0912"
    assert norm.to_original(2, 6) == (2, 6)


def test_marks_on_ascii_punctuation_space_and_non_ascii_letters_are_kept() -> None:
    for kept in (f"-{UNDERLINE}", f"a {UNDERLINE}", f"é{UNDERLINE}", f"中{UNDERLINE}"):
        assert normalize(kept).text == kept


def test_a_mark_is_judged_on_the_folded_character_before_it() -> None:
    assert normalize(f"Ａ{UNDERLINE}").text == "A"  # full-width A folds to A: its mark goes
    assert normalize(f"㎏{UNDERLINE}").text == "kg"  # an expansion ending in a letter
    norm = normalize(f"½{UNDERLINE}")  # 1⁄2: the expansion's last character is a digit
    assert norm.text == "1\u20442"
    assert norm.to_original(0, 3) == (0, 1)


def test_a_kept_mark_does_not_stop_the_fold_of_what_follows() -> None:
    assert normalize(f"中{UNDERLINE} A\u200bB\u200c").text == f"中{UNDERLINE} AB"


# -- Chinese digits ------------------------------------------------------------------------------------


def test_each_chinese_zero_alone_makes_a_run_a_number() -> None:
    assert normalize("手機○九三八二七五一六四").text == "手機0938275164"  # U+25CB, as people type it
    assert normalize("手機〇九三八二七五一六四").text == "手機0938275164"
    assert normalize("手機零九三八二七五一六四").text == "手機0938275164"


def test_a_run_without_any_chinese_zero_in_the_text_is_left_alone() -> None:
    assert normalize("一二三四五六七八").text == "一二三四五六七八"


def test_four_digits_one_to_nine_make_a_number_three_do_not() -> None:
    assert normalize("〇〇〇一二三四").text == "0001234"
    assert normalize("零零零零一二三").text == "零零零零一二三"


def test_a_run_left_alone_does_not_stop_the_runs_after_it() -> None:
    assert normalize("〇〇〇〇〇〇〇 電話零九三八二七五一六四").text == "〇〇〇〇〇〇〇 電話0938275164"


def test_a_zero_outside_any_run_changes_nothing() -> None:
    assert normalize("零用金三千元").text == "零用金三千元"


# -- the offset map at the ends --------------------------------------------------------------------------


def test_the_end_of_the_folded_text_is_the_end_of_the_original() -> None:
    for original in ("A\u200b", "AB\u200b\u200c", "abc", "\u200b", "㍿"):
        norm = normalize(original)
        end = len(norm.text)
        assert norm.to_original(end, end) == (len(original), len(original)), original
        assert norm.to_original_start(end) == len(original)


def test_an_end_offset_of_zero_is_the_start_of_the_original() -> None:
    for original in ("\u200bA", "A", "㍿", ""):
        assert normalize(original).to_original_end(0) == 0, original


def test_a_text_with_nothing_to_remove_maps_every_offset_to_itself() -> None:
    norm = normalize("身分證Ａ１２３")
    assert norm.text == "身分證A123"
    for i in range(len(norm.text)):
        assert norm.to_original_start(i) == i and norm.to_original_end(i + 1) == i + 1
        assert norm.to_original(i, i) == (i, i)


# -- the character class of the characters that are removed or expanded ---------------------------------


def test_the_class_is_written_as_ranges() -> None:
    assert _char_class({"a", "b", "c", "x"}) == "[a-cx]"
    assert _char_class({"\u200b", "\u200c", "\u200d", "\ufeff"}) == "[\u200b-\u200d\ufeff]"
    assert _char_class(frozenset("-]^\\")) == "[\\-\\\\-\\^]"


@given(st.sets(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40),
       st.lists(st.characters(blacklist_categories=("Cs",)), max_size=40))
@settings(max_examples=300, deadline=None)
def test_the_class_matches_exactly_its_characters(chars: set[str], others: list[str]) -> None:
    pattern = re.compile(_char_class(chars))
    neighbours = {chr(cp) for ch in chars for cp in (ord(ch) - 1, ord(ch) + 1) if 0 <= cp < 0x110000}
    for ch in chars:
        assert pattern.fullmatch(ch), (chars, ch)
    for ch in (neighbours | set(others)) - chars:
        if not 0xD800 <= ord(ch) < 0xE000:
            assert not pattern.fullmatch(ch), (chars, ch)


# -- the fold tables, built directly (the cached tables are built once per process, before mutmut's
#    workers fork, so only a direct call reaches the builder) ---------------------------------------


def test_the_fold_tables_are_what_the_documented_rules_give_for_every_code_point() -> None:
    """An independent statement of the rules (module docstring): NFKC for every character that is
    not invisible, dashes to "-", other line breaks to a line feed, Cyrillic/Greek look-alikes to
    Latin; what NFKC makes longer is an expansion; invisible characters, expanding ones and the
    combining marks of the Latin mark blocks are the ones the matcher removes or expands."""
    import unicodedata

    from dlp.normalize import _DASHES, _LINE_BREAKS, _MARK_BLOCKS, INVISIBLE_CHARS, LOOKALIKES, _build_fold_tables

    one_to_one, special, expansions = _build_fold_tables()
    want_1: dict[int, str] = {}
    want_x: dict[str, str] = {}
    for cp in (*range(0xD800), *range(0xE000, 0x110000)):
        ch = chr(cp)
        nf = unicodedata.normalize("NFKC", ch)
        if ch in INVISIBLE_CHARS or nf == ch:
            continue
        if len(nf) == 1:
            want_1[cp] = nf
        else:
            want_x[ch] = nf
    want_1.update({ord(c): "-" for c in _DASHES})
    want_1.update({ord(c): "\n" for c in _LINE_BREAKS})
    want_1.update({ord(c): v for c, v in LOOKALIKES.items()})
    marks = {chr(cp) for lo, hi in _MARK_BLOCKS for cp in range(lo, hi + 1)
             if unicodedata.category(chr(cp)) in ("Mn", "Me")}
    assert one_to_one == want_1
    assert expansions == want_x
    assert special == "".join(sorted(set(INVISIBLE_CHARS) | set(want_x) | (marks - INVISIBLE_CHARS)))
    # a few that people meet, stated outright
    assert one_to_one[ord("Ａ")] == "A" and one_to_one[ord("１")] == "1" and one_to_one[ord("－")] == "-"
    assert one_to_one[ord("\u2028")] == "\n" and one_to_one[ord("О")] == "O" and expansions["㎏"] == "kg"
    assert "\u200b" in special and "\u0301" in special and ord("\u200b") not in one_to_one
