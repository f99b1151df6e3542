"""Issue 14's leaner hot path gives the answers of the straightforward code it replaced.

Each shortcut (a keyword search shared by many windows, the name shaper's answers remembered per
position, set lookups instead of an alternation) is compared with the plain computation on
drawn texts built from the characters the packs care about; the findings snapshot
(``test_findings_snapshot.py``) checks the whole scan on the corpora.
"""

from __future__ import annotations

import re

import pytest
import regex
from hypothesis import example, given, settings
from hypothesis import strategies as st
from plain_windows import _windows

from dlp.engine import _span_map
from dlp.excerpts import default_excerpt_mask, excerpt, excerpts_in_order
from dlp.model import Finding
from dlp.normalize import normalize
from dlp.patterns import load_packs
from dlp.prefilter import Prefilter, _merge
from dlp.recognizers.base import ScanContext, longest_first
from dlp.recognizers.pattern import keyword_pattern
from dlp.recognizers.person_shape import NameShaper

KEYWORDS = ["身分證字號", "身分證", "字號", "ID", "姓名", "證號"]
KEYWORD_TEXT = st.lists(st.sampled_from([*KEYWORDS, "身分", "證字", "id", "I", "王", " ", "\n", "號"]), max_size=30).map("".join)


def _shaper() -> NameShaper:
    person = next(d for d in load_packs(None).detectors if d.engine == "person")
    return person.finders[0].shaper


SHAPER = _shaper()
#: surnames (single, compound), given-name characters, blocked words' characters, boundaries
NAME_ALPHABET = "陳林王張簡歐陽黃美玲志明小姐先生謝淑惠督導陳述簽核定，、 \n1A○O*＊"
NAME_TEXT = st.text(alphabet=NAME_ALPHABET, max_size=40)


@settings(max_examples=300, deadline=None)
@example("王身分證字號 ID", [(0, 4), (1, 3)], keyword_pattern(KEYWORDS), 256)  # a keyword the window's end cuts
@example("王身分證字號 ID 身分證", [(0, 3), (1, 9), (2, 12), (9, 3)], keyword_pattern(KEYWORDS), 2)
@given(KEYWORD_TEXT, st.lists(st.tuples(st.integers(0, 70), st.integers(0, 12)), max_size=12),
       st.sampled_from([keyword_pattern(KEYWORDS), regex.compile("身分證(?:字號)?|I[Dd]", regex.IGNORECASE)]),
       st.sampled_from([1, 2, 5, ScanContext.SEARCH_HORIZON]))
def test_a_shared_keyword_search_finds_what_each_window_searched_alone_finds(text, windows, pattern, horizon):
    ctx = ScanContext(normalize(text))
    ctx.SEARCH_HORIZON = horizon  # short searches forward: windows past their reach search again
    for lo, width in sorted(windows) + windows:  # left to right, then in any order
        hi = min(len(text), lo + width)
        lo = min(lo, len(text))
        got, want = ctx.search_between(pattern, lo, hi), pattern.search(text, lo, hi)
        assert (got.span(), got.group()) == (want.span(), want.group()) if want else got is None


@settings(max_examples=300, deadline=None)
@given(NAME_TEXT)
def test_the_shaper_over_one_text_answers_as_the_shaper_does_at_every_position(text):
    reader = SHAPER.reader(text)
    blocked_re = re.compile("|".join(re.escape(w) for w in sorted(SHAPER.blocked, key=lambda w: (-len(w), w))))
    for _ in range(2):  # the second round answers from memory
        for i in range(len(text) + 2):
            if i <= len(text):
                assert reader.hard_start(i) == SHAPER.hard_start(text, i)
            assert reader.hard_end(i) == SHAPER.hard_end(text, i)
            assert reader.ending_at(i) == SHAPER.ending_at(text, i)
            searched = [m for m in (pat.search(text, i, i + 4) for pat in SHAPER.masked) if m and m.start() == i]
            assert reader.masked_at(i, i + 4) == (searched[0].group() if searched else None)
            m = blocked_re.match(text, i)
            assert reader.blocked_at(i) == SHAPER.blocked_at(text, i) == (m.group() if m else None)
            for j in range(i, min(len(text), i + 6) + 1):
                for inner in (True, False):
                    want = _blocked_in_by_alternation(blocked_re, text, i, j, inner)
                    assert reader.blocked_in(i, j, inner) == SHAPER.blocked_in(text, i, j, inner) == want


def _blocked_in_by_alternation(blocked_re: re.Pattern[str], text: str, s: int, e: int, inner: bool) -> str | None:
    """``NameShaper.blocked_in`` as it was: the longest-first alternation tried at each position."""
    for k in range(max(0, s - SHAPER.max_blocked + 1), e - 1):
        m = blocked_re.match(text, k)
        if m is None or m.end() <= s:
            continue
        if k == s and m.group() in SHAPER.two_char or k > s and not inner:
            continue
        return m.group()
    return None


@settings(max_examples=200, deadline=None)
@given(NAME_TEXT)
def test_no_reading_ends_where_the_plain_search_finds_none(text):
    for q in range(len(text) + 2):
        plain = [shape for total in (2, 3, 4, 5) if q - total >= 0
                 for shape in SHAPER.starting_at(text, q - total) if shape.end == q]
        assert SHAPER.ending_at(text, q) == plain


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="王小明0912 ,\n：（）ＡＢ\u200b㎏\u0301", max_size=30), st.integers(0, 32), st.integers(0, 32))
def test_findings_keep_the_original_offsets_when_folding_left_the_text_as_it_was(text, a, b):
    norm = normalize(text)
    a, b = min(a, len(norm.text)), min(b, len(norm.text))
    assert _span_map(norm)(a, b) == norm.to_original(a, b)


TRIGGERS = ["承辦人", "承辦", "姓名", "先生", "小姐", "科長", "美玲", "名"]
PREFILTER = Prefilter({"other": "電話"}, {}, {"t#trigger": 4, "other": 12}, {"t#trigger": longest_first(TRIGGERS)})
TRIGGER_RE = re.compile("|".join(re.escape(w) for w in longest_first(TRIGGERS)))


@pytest.mark.skipif(not PREFILTER.active, reason="the hyperscan wheel is not installed here")
@settings(max_examples=300, deadline=None)
@example("承辦人姓名：王美玲先生，電話")
@given(st.lists(st.sampled_from([*TRIGGERS, "承", "辦", "王", "，", " ", "\n", "A", "電話", "姓"]), max_size=40).map("".join))
def test_the_prefilters_literal_reports_give_what_the_alternation_finds_in_the_regions(text):
    hits = PREFILTER.scan(text)
    want = [m.span() for lo, hi in hits.regions("t#trigger") for m in TRIGGER_RE.finditer(text, lo, hi)]
    assert hits.literal_matches("t#trigger") == want
    assert "t#trigger" in hits.known  # read from the scan's reports, not searched over the whole text


def _finding(start: int, end: int, kind: str = "personal_data") -> Finding:
    return Finding(kind=kind, type="X", location="body", start=start, end=end, score=1.0, rule="r")


@settings(max_examples=300, deadline=None)
@example("王小明 A123456789\n電話 0912345678", [(0, 3), (4, 14), (18, 28), (4, 8)], [(0, 14)])
@given(st.text(alphabet="王小明0912 \n\t電話AB", max_size=60),
       st.lists(st.tuples(st.integers(0, 60), st.integers(0, 20)), max_size=12),
       st.lists(st.tuples(st.integers(0, 60), st.integers(0, 20)), max_size=4))
def test_one_excerpt_pass_per_text_gives_each_findings_own_excerpt(text, values, others):
    n = len(text)
    personal = sorted({(min(a, n), min(n, a + w)) for a, w in values}, key=lambda se: (se[0], -se[1]))
    personal = [_finding(a, b) for a, b in personal]
    masked = {id(f): default_excerpt_mask(text[f.start:f.end], f.type, f.rule) for f in personal}
    reach = max((f.end - f.start for f in personal), default=0)
    shown = personal + [_finding(min(a, n), min(n, a + w), "secrecy") for a, w in others]
    shown.sort(key=lambda f: f.start)
    got = excerpts_in_order(text, [(f.start, f.end) for f in shown], personal, masked)
    assert got == [excerpt(text, f.start, f.end, personal, masked, reach) for f in shown]


def test_the_reasons_in_words_are_made_for_a_trace_only_and_change_no_finding(scanner) -> None:
    """Without ``dlp explain`` the name and pattern detectors leave ``why`` empty; the findings
    (spans, types, rules, scores) are those of the traced scan, which still says why."""
    import json
    from pathlib import Path

    from dlp.model import Segment

    analyzer = scanner.state.analyzer
    path = Path(__file__).parent / "data" / "blind2.jsonl"
    texts = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()[:80]]
    for text in texts:
        plain = analyzer.analyze([Segment("body", text)])
        traced = analyzer.analyze([Segment("body", text)], explain=True)
        key = [(f.type, f.start, f.end, f.rule, f.score, f.excerpt) for f in plain.findings]
        assert key == [(f.type, f.start, f.end, f.rule, f.score, f.excerpt) for f in traced.findings]
        kept = [t.candidate for t in traced.trace if t.candidate.accepted and t.candidate.kind == "personal_data"]
        assert all(c.why for c in kept), text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 300), st.integers(0, 40)), max_size=20), st.integers(0, 130), st.integers(0, 400))
def test_a_rules_windows_are_its_runs_widened_and_merged(runs, reach, n):
    offsets = sorted({b for a, w in runs for b in (a, a + w)})
    to_char = {b: b // 3 for b in offsets}  # any monotone byte -> character map
    rule_runs = [[a, a + w] for a, w in sorted(runs)]
    plain = _merge((max(0, to_char[a] - reach - 1), min(n, to_char[b] + reach + 1)) for a, b in rule_runs)
    assert _windows(rule_runs, to_char, reach, n) == plain


def test_a_same_length_expansion_is_not_taken_for_an_unchanged_text():
    """「㎏」 and a zero-width space fold to "kg", as long as the original: still no identity map."""
    norm = normalize("㎏\u200b")
    assert norm.text == "kg" and not norm.is_identity_map
    assert _span_map(norm)(1, 2) == norm.to_original(1, 2)
    assert normalize("王小明").is_identity_map
