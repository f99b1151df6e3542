"""Issue 14's leaner glue (normalization, the pattern detector, the prefilter, the presidio
step, excerpts) gives the answers of the plain computation it replaced.

Each shortcut is compared with the code it stands for, on drawn values and on the real texts of
the core benchmark (``benchmarks/texts.py``); the findings snapshot and the dump tool check the
whole scan.
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dlp import normalize as N
from dlp.validators import _INVISIBLE, clean

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import texts as bench_texts  # noqa: E402

BENCH = bench_texts.texts()


def _plain_compact(value: str) -> str:
    return N._SEPARATORS.sub("", unicodedata.normalize("NFKC", value)).upper()


@settings(max_examples=500, deadline=None)
@example("F235071300")
@example("0933-123-456")
@example("+886 (9) 12.345/678#9")
@example("a\x0bb\x1cc\x85d")  # vertical tab, a file separator (not \s for regex), NEL (not ASCII)
@given(st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=30)
       | st.text(alphabet="0123456789-. ()#/AbＡ１－\u3000", max_size=20))
def test_compact_of_an_ascii_value_is_the_nfkc_and_separator_pass(value):
    assert N.compact(value) == _plain_compact(value)


@settings(max_examples=300, deadline=None)
@example("f235071300")
@example("F2350\u200b71300")
@given(st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=14) | st.text(alphabet="Ａ１2b\u200b\u00ad-", max_size=12))
def test_a_validators_clean_form_of_an_ascii_word_is_the_full_clean(value):
    assert clean(value) == N.compact(_INVISIBLE.sub("", value))


def test_the_ids_and_phones_of_a_roster_compact_as_before():
    import regex

    values = regex.findall(r"[A-Z][12][0-9]{8}|\+?[0-9][0-9 \-]{8,14}[0-9]", BENCH["dense"])
    assert len(values) > 3000
    assert [N.compact(v) for v in values] == [_plain_compact(v) for v in values]


FOLD_ALPHABET = "，：；（）０１２３４５６７８９ＡＺａ－—\u3000ｰー𝚳Μ⁻₋abc王"


@settings(max_examples=400, deadline=None)
@example("ｰー")  # ｰ folds to ー, which folds to -: translate folds each once
@example("𝚳Μ")
@example("".join(sorted(set(FOLD_ALPHABET))))
@given(st.text(alphabet=FOLD_ALPHABET, max_size=60))
def test_replacing_the_few_characters_to_fold_gives_translates_text(text):
    table, keys = N._fold_tables()[0], N._fold_keys()
    assert N._fold_one_to_one(text, table, keys) == text.translate(table)


@pytest.mark.parametrize("name", sorted(BENCH))
def test_the_benchmark_texts_fold_as_translate_folds_them(name):
    text = BENCH[name]
    table, keys = N._fold_tables()[0], N._fold_keys()
    assert N._fold_one_to_one(text, table, keys) == text.translate(table)
    if name == "mail":  # more distinct characters to fold than the old limit of 12: the reason
        assert len(keys & set(text)) > 12
