"""The secrecy guards and zones at their boundaries, found unpinned by the mutation run of
``dlp/recognizers/secrecy_guards.py`` (issue 19, part 5).

Every guard is called with the bundled pack's vocabulary on the folded text it sees in a scan
(full-width punctuation already folded: ``：`` is ``:``), at the exact edge a small wrong edit
would move: how far a glued word reaches, which characters pad a wrapped word, which quotes
enclose a level, how far the example, verb and joke windows look, the line-length bounds, the
neighbours of a listed level, and the exact spans of the edge and carried zones.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from test_secrecy import _pack, _rules  # noqa: E402

from dlp.recognizers.secrecy import build_secrecy_detector  # noqa: E402
from dlp.recognizers.secrecy_guards import (  # noqa: E402
    LINE_REACH,
    _end_after_lines,
    _previous_line,
    _start_before_lines,
    carried_zones,
    edge_zones,
    example_guard,
    joke_guard,
    line_end,
    line_length_guard,
    line_start,
    listed_lines_guard,
    merge_zones,
    quoted_guard,
    unticked_guard,
    verb_guard,
    word_guard,
)
from dlp.recognizers.secrecy_vocab import Vocabulary  # noqa: E402


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return build_secrecy_detector(_rules(_pack())).compiled[0].vocab


def _at(text: str, word: str = "機密") -> tuple[int, int]:
    start = text.index(word)
    return start, start + len(word)


# -- lines -----------------------------------------------------------------------------------------------


def test_line_bounds_on_short_and_very_long_lines() -> None:
    assert line_start("abc機密", 3) == 0
    assert line_start("甲\n機密", 2) == 2
    long_line = "\n" + "x" * 500 + "機密"
    assert line_start(long_line, 501) == 501 - LINE_REACH  # not the line break 500 characters back
    assert line_end("機密", 0) == 2
    assert line_end("\n機密", 0) == 0  # the position is the line break itself
    assert line_end("機密" + "x" * 500 + "\n", 0) == LINE_REACH


# -- word_guard: the level glued to a longer word ---------------------------------------------------------


def test_a_word_right_before_the_level_at_the_start_of_the_text(vocab: Vocabulary) -> None:
    assert word_guard(vocab, "公務機密", 2, 4) == "part of the word 「公務機密」 (prose mention)"


@pytest.mark.parametrize(("text", "glued"), [
    ("機密 文書", True), ("機密\t文書", True), ("機密   文書", True),  # up to three spaces: still one word
    ("機密    文書", False), ("機密X文書", False),
])
def test_spaces_inside_a_glued_word(vocab: Vocabulary, text: str, glued: bool) -> None:
    reason = word_guard(vocab, text, 0, 2)
    assert (reason == "part of 「機密文書」 (generic noun or prose)") is glued, reason
    assert word_guard(vocab, text, 0, 2, glued_only=True) is None  # a field's value ends at a space


def test_a_word_wrapped_onto_the_next_line(vocab: Vocabulary) -> None:
    wrapped = "continues on the next line as 「機密檔案」 (a wrapped title or prose)"
    assert word_guard(vocab, "機密 \n 檔案清查作業說明", 0, 2) == wrapped
    assert word_guard(vocab, "機密\t\n\t\t檔案清查作業說明", 0, 2) == wrapped
    assert word_guard(vocab, "機密\n檔案:如附件", 0, 2) is None  # the next line is a label
    assert word_guard(vocab, "機密\n ", 0, 2) is None


def test_a_word_wrapped_from_the_line_above(vocab: Vocabulary) -> None:
    wrapped = "continues from the line above as 「公務機密」 (a wrapped title or prose)"
    for text in ("落實公務 \n 機密", "落實公務\t\t\n\t機密", "公務 \n機密"):
        start, end = _at(text)
        assert word_guard(vocab, text, start, end) == wrapped, text


@pytest.mark.parametrize("text", ["機密X\n檔案", "機密\nX檔案", "公務\nX機密", "公務X\n機密"])
def test_only_spaces_and_tabs_pad_a_wrapped_word(vocab: Vocabulary, text: str) -> None:
    start, end = _at(text)
    assert word_guard(vocab, text, start, end) is None


def test_a_level_at_the_start_of_the_text_has_no_line_above(vocab: Vocabulary) -> None:
    assert word_guard(vocab, "機密\n本案涉及國家\n", 0, 2) is None
    assert word_guard(vocab, "\n機密\n涉及國家 ", 1, 3) is None


# -- unticked boxes ---------------------------------------------------------------------------------------


def test_an_unticked_box_only_counts_on_the_level_s_own_line(vocab: Vocabulary) -> None:
    assert unticked_guard(vocab, "密等:□ 機密", 5) == "an unticked box on a blank form"
    assert unticked_guard(vocab, "密等:□\n機密", 5) is None


# -- quotes -----------------------------------------------------------------------------------------------

QUOTED = [
    # (text, the pair reported, or None when the level is not a quoted example)
    ("他說「機密」是常見用語", "「…」"),
    ("「機密」是", "「…」"),
    ("「甲」與「機密」是兩種", "「…」"),
    ("他說『機密』是", "『…』"),
    ("「他說『機密』是", "『…』"),
    ("他說‘機密’是", "‘…’"),
    ('He said "機密" often', '"…"'),
    ('"a" "機密"', '"…"'),
    ("「機密」", None),               # nothing else on the line: a stamp in brackets
    ("說明如下\n「機密」", None),      # words on another line do not count
    ("「機密」\n主旨:檢送資料", None),
    ('"機密"', None),
    ('x\n"機密"', None),
    ('a "b" 機密 "c"', None),        # an even number of quotes before it: outside them
    ("前文「機密\n其他」", None),      # the closing quote is on the next line
    ("甲」乙「機密", None),           # no closing quote after it
    ("機密「甲」是", None),
    ("「甲\n機密」是", None),
    ("機密」是", None),
    ("甲」「機密」是", "「…」"),
    ("「」機密」是", None),
    ("「機密」甲」", "「…」"),
]


@pytest.mark.parametrize(("text", "pair"), QUOTED)
def test_quoted_levels(vocab: Vocabulary, text: str, pair: str | None) -> None:
    start, end = _at(text)
    expected = None if pair is None else f"quoted inside {pair} in a sentence (an example or a citation)"
    assert quoted_guard(vocab, text, start, end) == expected


# -- examples ---------------------------------------------------------------------------------------------


def test_the_nearest_non_blank_line_above() -> None:
    assert _previous_line("甲\n機密", 2) == "甲"
    assert _previous_line("甲\n乙\n機密", 4) == "乙"
    assert _previous_line("甲\n\n機密", 3) == "甲"
    assert _previous_line("甲\n\n\n\n\n機密", 6) == ""  # four blank lines: too far
    assert _previous_line("機密", 0) == ""


def test_an_example_keyword_on_the_line_or_closing_the_line_above(vocab: Vocabulary) -> None:
    assert example_guard(vocab, "範例:機密", 3) == "introduced as an example by 「範例」"
    assert example_guard(vocab, "機密 範例", 0) is None  # after it: not an introduction
    assert example_guard(vocab, "範例\n甲乙丙\n機密", 7) is None  # two lines up
    above = "introduced as an example by 「範例」 on the line above"
    assert example_guard(vocab, "範例\n機密", 3) == above
    assert example_guard(vocab, "範例1234\n機密", 7) == above  # at most four characters after it
    assert example_guard(vocab, "範例12345\n機密", 8) is None
    # the example word closing the line counts even after another one further back
    assert example_guard(vocab, "例如" + "甲" * 8 + "範例\n機密", 13) == above
    assert example_guard(vocab, "例如" + "甲" * 9 + "範例\n機密", 14) == above


# -- verbs about marking ----------------------------------------------------------------------------------


def test_a_verb_about_marking_only_counts_on_the_level_s_line(vocab: Vocabulary) -> None:
    assert verb_guard(vocab, "請加註機密", 3) == "after 「加註」 (talks about a marking)"
    assert verb_guard(vocab, "請加註\n機密", 4) is None


# -- jokes ------------------------------------------------------------------------------------------------


def test_the_joke_window_is_exactly_joke_window_characters(vocab: Vocabulary) -> None:
    assert vocab.joke_window == 40
    joke = "a chat joke (「XD」 nearby)"
    assert joke_guard(vocab, "機密" + "甲" * 38 + "XD", 0, 2) == joke
    assert joke_guard(vocab, "機密" + "甲" * 39 + "XD", 0, 2) is None
    assert joke_guard(vocab, "XD" + "甲" * 38 + "機密", 40, 42) == joke
    assert joke_guard(vocab, "XD" + "甲" * 39 + "機密", 41, 43) is None
    assert joke_guard(vocab, "哈哈機密", 2, 4) == "a chat joke (「哈哈」 nearby)"


def test_the_pack_sets_the_joke_window(vocab: Vocabulary) -> None:
    narrow = dataclasses.replace(vocab, joke_window=1)
    assert joke_guard(narrow, "機密😂", 0, 2) == "a chat joke (「😂」 nearby)"
    assert joke_guard(narrow, "機密 😂", 0, 2) is None
    assert joke_guard(dataclasses.replace(vocab, joke_window=0), "機密😂", 0, 2) is None  # 0: jokes off


# -- line length ------------------------------------------------------------------------------------------


def test_line_length_bounds() -> None:
    assert line_length_guard("機密" + " " * 18, 0, 2, 5) is None  # 20 raw = 4 x 5: spaces do not count
    assert line_length_guard("機密" + " " * 19, 0, 2, 5) == "line longer than 5 characters (running text, not a stamp)"
    assert line_length_guard("機密甲乙丙", 0, 2, 5) is None
    assert line_length_guard("機密甲乙丙丁", 0, 2, 5) == "line of 6 characters, longer than 5 (running text, not a stamp)"
    assert line_length_guard("機密甲乙丙丁", 0, 2, None) is None


# -- a list of levels, one a line -------------------------------------------------------------------------

LISTED = [
    # (text, where the candidate 機密 starts, the other level reported or None)
    ("絕對機密\n機密", 5, "top_secret"),
    ("絕對機密\n\n機密", 6, "top_secret"),
    ("密\n機密", 2, "official_secret"),
    ("一、絕對機密\n二、機密\n三、極機密", 9, "top_secret"),
    ("機密\n絕對機密", 0, "top_secret"),
    ("機密\n\n絕對機密", 0, "top_secret"),
    ("絕對機密\n甲\n機密", 7, None),  # the nearest line above starts with no level
    ("機密\n限閱", 0, None),          # restricted is not a classified level
    ("機密\n絕對\n機密", 0, None),     # the level must be on the line itself
    ("機密\n機密", 0, None),           # the same level twice is no list
]


@pytest.mark.parametrize(("text", "start", "other"), LISTED)
def test_listed_levels(vocab: Vocabulary, text: str, start: int, other: str | None) -> None:
    assert text[start:start + 2] == "機密"
    expected = None if other is None else f"the next line starts with another level ({other}): a list of levels"
    assert listed_lines_guard(vocab, text, start, start + 2, "confidential") == expected


# -- zones: the first and last lines, carried documents ----------------------------------------------------

LINES = "一\n\n二\n三\n四\n五\n六\n七"


def test_the_end_after_n_non_blank_lines() -> None:
    assert _end_after_lines(LINES, 0, 3) == LINES.index("三") + 1
    assert _end_after_lines(LINES, 0, 1) == 1
    assert _end_after_lines("一\n二", 0, 3) == 3  # fewer lines: the end of the text
    assert _end_after_lines("\n一\n二", 0, 1) == 2
    assert _end_after_lines("一\n二\n三\n四", 0, 2) == 3


def test_the_start_before_n_non_blank_lines() -> None:
    assert _start_before_lines(LINES, len(LINES), 3) == LINES.index("五")
    assert _start_before_lines(LINES, len(LINES), 1) == LINES.index("七")
    assert _start_before_lines("一\n二", 3, 5) == 0
    assert _start_before_lines("\n一", 2, 1) == 1
    assert _start_before_lines("一\n二\n\n三", 6, 2) == 2


def test_edge_zones() -> None:
    top = (0, LINES.index("三") + 1)
    assert edge_zones(LINES, 3) == [top, (LINES.index("五"), len(LINES))]
    assert edge_zones(LINES, 3, top_only=True) == [top]
    assert edge_zones("一\n二\n三\n四", 3) == [(0, 7)]  # the edges meet: one zone


def test_touching_zones_merge() -> None:
    assert merge_zones([(5, 9), (0, 5)]) == [(0, 9)]
    assert merge_zones([(6, 9), (0, 5)]) == [(0, 5), (6, 9)]
    assert merge_zones([(0, 9), (2, 4)]) == [(0, 9)]


def test_a_forwarded_message_s_first_lines_after_its_headers(vocab: Vocabulary) -> None:
    text = "謝謝\n-----原始郵件-----\n寄件者: 機要室\n主旨: 來文\n\n機密\n檢送資料\n\n三\n四\n五"
    start = text.index("機密")
    assert carried_zones(vocab, text, 3) == [(start, text.index("三") + 1)]
    assert carried_zones(vocab, text, 1) == [(start, start + 2)]


def test_a_quoted_message_starts_at_its_first_line_that_is_not_a_header(vocab: Vocabulary) -> None:
    text = "請參閱。\n> 寄件者: 甲\n>\n> 密等:密\n> 主旨:乙\n丙"
    start = text.index("> 密等")
    assert carried_zones(vocab, text, 1) == [(start, text.index("\n> 主旨"))]


@pytest.mark.parametrize("text", ["謝謝\n-----原始郵件-----", "謝謝\n-----原始郵件-----\n", "謝謝\n-----原始郵件-----\n寄件者: 甲\n"])
def test_a_carried_message_with_nothing_after_its_headers_has_no_zone(vocab: Vocabulary, text: str) -> None:
    assert carried_zones(vocab, text, 3) == []


def test_a_carried_marker_right_before_the_text_end_of_line(vocab: Vocabulary) -> None:
    text = "-----原始郵件-----\n機密\n甲"
    assert carried_zones(vocab, text, 1) == [(text.index("機密"), text.index("機密") + 2)]


def test_a_quoted_message_whose_first_line_is_content_starts_at_its_quote_mark(vocab: Vocabulary) -> None:
    text = "請參閱。\n> 密等:密\n> 主旨:乙"
    assert carried_zones(vocab, text, 1) == [(text.index(">"), text.index("\n> 主旨"))]


def test_any_visible_line_after_the_marker_starts_the_zone(vocab: Vocabulary) -> None:
    text = "-----原始郵件-----\nX\n機密"
    assert carried_zones(vocab, text, 1) == [(text.index("X"), text.index("X") + 1)]
