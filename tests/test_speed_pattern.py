"""The pattern detector's faster searches find what the plain ones found (issue 14).

The shortcuts, each compared with the plain computation (every region searched match by
match, one timed call per match, with the pattern as written):

* a rule's pattern is searched behind a lookahead of the characters its matches can start with
  (``CompiledPatternRule.search``, :func:`dlp.regex_shape.first_character_hint`);
* nearby prefilter windows of one rule are searched in one call (``window_spans``), which holds
  only while nothing the pattern reads reaches a window's edge (:func:`lookahead_reach`);
* a region of at most ``SPAN_LENGTH`` characters is searched by one ``finditer``.

The whole scan is compared on the three 200 KB benchmark texts, the corpora and drawn texts full
of near-misses at window edges; the parts on drawn patterns and texts.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import regex
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dlp import Scanner
from dlp.extract import inline
from dlp.recognizers import pattern as pattern_module
from dlp.recognizers.base import is_table_row
from dlp.recognizers.pattern import SPAN_LENGTH, hinted, window_spans
from dlp.regex_shape import first_character_hint, lookahead_reach
from dlp.search_cost import MAX_GAP, gap_for, per_character

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import texts as bench_texts  # noqa: E402  (the benchmark's generated texts)

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    return Scanner()


@pytest.fixture(scope="module")
def hinted_scanner() -> Scanner:
    """Every hint in use, whichever searched faster here: the comparisons cover them all."""
    s = Scanner()
    _force_hints(s)
    return s


def _pattern_rules(scanner: Scanner):
    detector = next(d for d in scanner.packset.detectors if d.engine == "pattern")
    return detector.compiled


def _plainly(scanner: Scanner):
    """Undo the shortcuts on the scanner's rules (the hint, windows searched together, a
    region's one ``finditer``, regions skipped when no table row holds a keyword): every region
    searched match by match with the pattern as written. Returns a function that restores them."""
    rules = _pattern_rules(scanner)
    saved = [(r.search, r.span_gap) for r in rules]
    span_length = pattern_module.SPAN_LENGTH
    on_a_row = pattern_module._keyword_on_a_row
    for r in rules:
        r.search, r.span_gap = r.pattern, 0
    pattern_module.SPAN_LENGTH = 0
    pattern_module._keyword_on_a_row = lambda *args: True  # a header may vouch: every region searched

    def restore() -> None:
        for r, (search, gap) in zip(rules, saved):
            r.search, r.span_gap = search, gap
        pattern_module.SPAN_LENGTH = span_length
        pattern_module._keyword_on_a_row = on_a_row
    return restore


def _answer(scanner: Scanner, text: str, explain: bool = False):
    analysis = scanner.analyze(text, explain=explain)
    found = [(f.type, f.rule, f.start, f.end, round(f.score, 6), f.excerpt, f.masked_value, sorted(f.detail.items()))
             for f in analysis.findings]
    considered = [(t.location, t.start, t.end, t.candidate.rule, t.candidate.accepted, t.candidate.why)
                  for t in analysis.trace] if explain else []
    return found, considered


def _both(scanner: Scanner, text: str, explain: bool = False):
    fast = _answer(scanner, text, explain)
    restore = _plainly(scanner)
    try:
        plain = _answer(scanner, text, explain)
    finally:
        restore()
    return fast, plain


def test_the_shortcuts_are_in_use_on_the_bundled_packs(scanner):
    rules = _pattern_rules(scanner)
    # a hinted search is used where it measured faster (load-time figures; both are exact)
    for r in rules:
        assert r.search is r.pattern or r.search.pattern.endswith(f"(?:{r.pattern.pattern})")
    account = next(r for r in rules if r.rule.id == "tw-bank-account")
    assert hinted(account.pattern.pattern, account.pattern.flags) is not None
    assert any(r.span_gap for r in rules)
    ids = next(r for r in rules if r.rule.id == "tw-national-id")
    assert lookahead_reach(ids.pattern.pattern) == 1


def _force_hints(scanner: Scanner):
    """Every rule that has a hint searched with it (the load-time choice may keep the plain one)."""
    for r in _pattern_rules(scanner):
        faster = hinted(r.pattern.pattern, r.pattern.flags)
        if faster is not None:
            r.search = faster


@pytest.mark.parametrize("kind", ["clean", "mail", "dense"])
def test_a_200_kb_benchmark_text_gets_the_plain_searches_findings(hinted_scanner, kind):
    scanner = hinted_scanner
    text = bench_texts.texts()[kind]
    fast, plain = _both(scanner, text)
    assert fast == plain
    if kind != "clean":
        assert len(fast[0]) > 100


def _corpus_texts() -> list[str]:
    out = []
    for path in sorted(DATA.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                text = row.get("text") or row.get("body") or ""
                if isinstance(text, str) and text:
                    out.append(text)
    return out


def test_every_corpus_message_gets_the_plain_searches_findings_and_candidates(hinted_scanner):
    scanner = hinted_scanner
    texts = _corpus_texts()
    assert len(texts) > 300
    for text in texts:
        fast, plain = _both(scanner, text, explain=True)
        assert fast == plain, text[:80]


#: Near-misses for the ID, phone, bank-account and card rules: digit runs that go on, letters
#: glued to digits, spaced and wrapped values, keywords — laid out as roster rows, so windows of
#: one rule sit a few dozen characters apart and their edges fall anywhere.
PIECES = ["A123456789", "D104553971", "F235071300", "0912345678", "0912-345-678", "02-2345-6789",
          "012-3456789012", "4111 1111 1111 1111", "1", "0", "9", "12", "345", "A", "x", " ", "-", "\t", "\n",
          "身分證字號：", "手機", "帳號：", "姓名", "王小明", "陳美玲", "電話", "、", "（", "）", "E11.9", "@", "a.b@gov.tw"]
ROSTER = st.lists(st.sampled_from(PIECES), min_size=1, max_size=60).map("".join)


@settings(max_examples=150, deadline=None)
@example("D104553971" + "0" * 40 + "\tA123456789")
@example(("0912345678\t" * 3 + "身分證字號：D10455\n3971" + " " * 30) * 4)
@example("帳號：012-3456789012" + "9" * 25 + "帳號：0123456789")
@given(ROSTER)
def test_drawn_rosters_get_the_plain_searches_findings_and_candidates(hinted_scanner, text):
    scanner = hinted_scanner
    fast, plain = _both(scanner, text, explain=True)
    assert fast == plain


# -- the first-character hint ------------------------------------------------------------------

HINT_CASES = [
    r"(?<![0-9])(?P<value>(?:\(?[0-9]{3}\)?[ \-])?[0-9](?:[ \-]?[0-9]){9,15})(?![0-9])",
    r"(?:ab|c?d)e", r"[a-c]+x|y", r"(?:a*|b)c", r"(?>ab|ac)", r"a++b", r"\d{2}|\s\w", r"(?:(?:x)?)+y",
    r"(?i:k)z", r"\bfoo", r"^ab", r"(?=c)\w+", r"[^a]b", r"\p{Han}+", r"[\p{Han}0-9]", r".a", r"a{0}b",
]


EXPECTED_HINTS = {
    r"(?:a*|b)c": set("abc"), r"(?:(?:x)?)+y": set("xy"), r"a{0}b": {"b"}, r"\bfoo": {"f"}, r"(?>ab|ac)": {"a"},
    r"[^a]b": None, r"\p{Han}+": None, r"[\p{Han}0-9]": None, r".a": None, r"(?i:k)z": None,
}


@pytest.mark.parametrize("source", HINT_CASES)
def test_a_hint_is_given_only_where_it_holds(source):
    hint = first_character_hint(source)
    if source in EXPECTED_HINTS:
        want = EXPECTED_HINTS[source]
        assert (hint is None) if want is None else _members(hint) == want


def _members(hint: str) -> set[str]:
    return {chr(c) for c in range(0x20, 0x7F) if regex.fullmatch(hint, chr(c))}


ALPHABET = "abcdexyzK k0123456789()- \n中"


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(HINT_CASES), st.sampled_from([0, regex.IGNORECASE]), st.text(alphabet=ALPHABET, max_size=40),
       st.integers(0, 40), st.integers(0, 40))
def test_a_hinted_pattern_matches_where_and_as_the_pattern_does(source, flags, text, lo, width):
    plain = regex.compile(source, flags | regex.V0)
    fast = hinted(source, flags | regex.V0)
    if fast is None:
        return
    lo = min(lo, len(text))
    hi = min(len(text), lo + width)
    assert [m.span() for m in fast.finditer(text, lo, hi)] == [m.span() for m in plain.finditer(text, lo, hi)]
    m, n = fast.search(text, lo, hi), plain.search(text, lo, hi)
    assert (m and m.span()) == (n and n.span())


# -- the reach past a match --------------------------------------------------------------------

@pytest.mark.parametrize(("source", "reach"), [
    (r"[A-Z][0-9]{9}(?![0-9])", 1), (r"ab(?=cde|f)", 3), (r"(?<![0-9])\d+", 0), (r"x(?=a(?=bc))", 3),
    (r"^\d+", 0), (r"\d+$", None), (r"\bword\b", None), (r"(a)\1", None), (r"x(?=a+)", None),
    (r"(?:foo){e<=1}", None), (r"手術(?![室房費])", 1), (r"(?<!第[ \t]{0,2})\p{Han}{2}(?!\p{Han})", 1),
])
def test_the_reach_past_a_match_is_read_from_the_pattern(source, reach):
    assert lookahead_reach(source) == reach


def test_window_spans_join_near_windows_and_keep_a_span_short():
    regions = [(0, 10), (30, 40), (300, 310), (311, 320), (5000, 5001)]
    assert window_spans(regions, 50) == [(0, 1), (2, 3), (4, 4)]
    assert window_spans(regions, 0) == [(0, 0), (1, 1), (2, 2), (3, 3), (4, 4)]
    long = [(i * 100, i * 100 + 50) for i in range(100)]
    spans = window_spans(long, 60)
    assert all(long[b][1] - long[a][0] <= SPAN_LENGTH for a, b in spans) and len(spans) > 1
    assert [i for a, b in spans for i in range(a, b + 1)] == list(range(100))


def test_the_gap_worth_searching_through_is_bounded():
    for source in [r"@", r"(?<![0-9])(?:[0-9]{3}-)?[0-9]{10}", r"(?:a|b|c|d)+?z"]:
        gap = gap_for(per_character(regex.compile(source)))
        assert 0 <= gap <= MAX_GAP
    assert gap_for(0.0) == MAX_GAP and gap_for(1.0) == 0


def test_a_pattern_that_backtracks_on_the_sample_is_measured_as_slow_not_a_failed_load():
    """Rules are measured before the pack's regex-safety check runs: a pattern that runs out of
    time on the sample must leave that check to refuse it with its file, rule and reason."""
    slow = regex.compile(r"(?:a|aa)+c")
    assert per_character(slow, "a" * 60) == float("inf")
    assert gap_for(float("inf")) == 0
    assert 0 < per_character(regex.compile("a"), "a" * 60) < float("inf")


# -- the base64 pre-check ------------------------------------------------------------------------

B64_TEXT = st.lists(st.sampled_from(["QUJD", "ZGVm", "a", "Z", "9", "+", "/", "=", "\n", "\r\n", " ", "中", "-"]),
                    max_size=120).map("".join)


@settings(max_examples=300, deadline=None)
@example("QUJD" * 40 + "\n" + "ZGVm" * 40)
@example("中" + ("QUJDZGVm" * 10 + "\r\n") * 5)
@given(B64_TEXT)
def test_the_base64_pre_check_answers_as_the_full_search(text):
    plain = len(text) >= inline.MIN_BASE64_CHARS and inline._BASE64_RUN.search(text) is not None
    assert inline._may_have_base64(text) == plain


def test_the_base64_pre_check_on_the_benchmark_texts_and_a_real_block():
    for text in [*bench_texts.texts().values(), "附件：\n" + ("TWFueSBoYW5kcyBtYWtlIGxpZ2h0IHdvcmsu" * 3 + "\n") * 8]:
        plain = inline._BASE64_RUN.search(text) is not None
        assert inline._may_have_base64(text) == plain


# -- a stretch whose answer could differ is searched window by window ------------------------------

def test_a_stretch_is_searched_window_by_window_when_a_match_is_not_inside_one_window(scanner):
    from dlp.normalize import normalize
    from dlp.recognizers.base import ScanContext
    from dlp.recognizers.pattern import _span_matches

    rule = next(r for r in _pattern_rules(scanner) if r.rule.id == "tw-phone-mobile")
    text = "甲 0912345678 乙 0922345678 丙 0932345678 丁"
    ctx = ScanContext(normalize(text))
    first, second, third = (text.index(n) for n in ("0912", "0922", "0932"))
    inside = [(first - 1, first + 11), (second - 1, second + 11), (third - 1, third + 11)]
    assert [(s, e) for s, e, _ in _span_matches(rule, ctx, inside, 0, 2)] == [
        (first, first + 10), (second, second + 10), (third, third + 10)]
    in_a_gap = [inside[0], inside[2]]  # the second number lies between the two windows
    assert _span_matches(rule, ctx, in_a_gap, 0, 1) is None
    cut = [(first - 1, first + 6), inside[1]]  # the first number runs past its window's end
    assert _span_matches(rule, ctx, cut, 0, 1) is None


# -- keyword-gated rules whose headers are table rows --------------------------------------------

#: Bank-account values and keywords in prose lines and in table rows (commas make a prose line a
#: row too), headers above blank lines, colons and long cells that stop a line being a row.
ROW_PIECES = ["帳號", "戶名", "銀行帳號", "帳號：", "012-3456789012", "0123456789012", "0912345678", "手機", ",", "，",
              "\t", " ", "\n", "\n\n", "王小明", "匯款", "本案經費由中央補助款支應", "1", "、", "說明:"]
ROW_TEXT = st.lists(st.sampled_from(ROW_PIECES), min_size=1, max_size=50).map("".join)
#: a table whose header row alone names the column: its last rows lie far from any keyword window
ACCOUNT_ROSTER = "說明:匯款資料如下\n\n戶名,銀行帳號,備註,單位,職稱\n" + "".join(
    f"王小明,01234567890{i}2,{'甲' * 20},{'乙' * 20},{'丙' * 20}\n" for i in range(8))


@settings(max_examples=200, deadline=None)
@example("帳號,戶名,備註\n0123456789012,王小明,1\n\n說明:匯款帳號 012-3456789012")
@example("本案經費由中央補助款支應,帳號,說明\n" + "說明:0123456789012" * 3)
@example(ACCOUNT_ROSTER)
@given(ROW_TEXT)
def test_a_rule_reading_headers_from_rows_skips_regions_only_where_no_row_holds_a_keyword(scanner, text):
    fast, plain = _both(scanner, text)
    assert fast == plain


def test_a_header_row_still_vouches_for_values_far_below_it(scanner):
    found = [f for f in scanner.analyze(ACCOUNT_ROSTER).findings if f.rule == "tw-bank-account"]
    assert len(found) == 8  # the last ones are far past any keyword window


def test_the_bank_account_rule_skips_the_mails_prose_without_a_keyword_nearby(scanner):
    account = next(r for r in _pattern_rules(scanner) if r.rule.id == "tw-bank-account")
    assert account.header_context and account.same_line
    text = bench_texts.texts()["mail"]
    searched = []
    find = pattern_module.PatternDetector._find

    def spy(self, rule, ctx, regions, found):
        if rule is account:
            searched.append((len(regions), len(ctx.regions(rule.rule.id))))
        return find(self, rule, ctx, regions, found)
    pattern_module.PatternDetector._find = spy
    try:
        scanner.analyze(text)
    finally:
        pattern_module.PatternDetector._find = find
    (kept, all_regions), = searched
    assert 0 < kept < all_regions / 2


def _is_table_row_by_split(line: str) -> bool:
    """``is_table_row`` as it was: the split first, then every cell's length and colon."""
    cells = [c for c in regex.split(r"[\t|,]|[ ]+", line.strip()) if c]
    return len(cells) >= 3 and all(len(c) <= 24 and ":" not in c for c in cells)


@settings(max_examples=500, deadline=None)
@example("a" * 24 + ",b,c")
@example(" " + "a" * 25 + " ,b,c")
@example("\u3000甲,乙,丙\u3000")
@given(st.lists(st.sampled_from(["a" * 12, "a" * 13, "中", ",", "|", "\t", " ", "  ", ":", "\u3000", "\r", "x"]),
                max_size=14).map("".join))
def test_a_table_row_is_told_as_the_split_tells_it(line):
    assert is_table_row(line) == _is_table_row_by_split(line)


# -- the keyword gate of a rule whose context_regex ends at the window's end -------------------

#: Every code point but the surrogates, to ask the regex module itself what IGNORECASE matches.
ALL_CHARACTERS = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)


def test_the_case_partners_of_ascii_letters_are_every_character_ignorecase_matches():
    """Alone, first in a word and inside one: exactly the characters the table gives."""
    import string

    alone = ALL_CHARACTERS
    inside = "".join(f"#{ch}#\x00" for ch in ALL_CHARACTERS)
    for letter in string.ascii_letters:
        exact = {letter.lower(), letter.upper(), *pattern_module._IGNORECASE_EXTRA.get(letter, "")}
        assert set(regex.findall(regex.escape(letter), alone, regex.IGNORECASE)) == exact, letter
        assert {m[1] for m in regex.findall(f"#{letter}#", inside, regex.IGNORECASE)} == exact, letter
        assert {m[0] for m in regex.findall(f"{letter}#", inside, regex.IGNORECASE)} == exact, letter
        assert exact <= set(pattern_module._letter_class(letter)[1:-1])


def test_the_characters_told_caseless_match_only_themselves_under_ignorecase():
    caseless = "".join(ch for ch in ALL_CHARACTERS if pattern_module._caseless(ch))
    assert "症" in caseless and "(" in caseless and "\t" in caseless and "a" not in caseless
    # they fold onto nothing else ...
    get_all_cases = regex._regex.get_all_cases
    flags = regex.IGNORECASE | regex.V0
    assert all(get_all_cases(flags, ord(ch)) == [ord(ch)] for ch in caseless)
    # ... and nothing else folds onto them: no other character's cases hold one of them (what a
    # class of them all would match under IGNORECASE beyond themselves; the class itself, over
    # every code point, took the regex module ~70 s)
    caseless_points = set(map(ord, caseless))
    onto = [ch for ch in ALL_CHARACTERS if ord(ch) not in caseless_points
            and caseless_points.intersection(get_all_cases(flags, ord(ch)))]
    assert not onto, onto[:5]
    # the two agree with the class on a sample: the letters and a stretch of CJK and punctuation
    sample = "".join(ch for ch in ALL_CHARACTERS[:0x3100] if ord(ch) in caseless_points or ch.isascii())
    in_class = "[" + "".join(regex.escape(ch) for ch in sample if ord(ch) in caseless_points) + "]"
    assert all((ord(ch) in caseless_points) == bool(regex.fullmatch(in_class, ch, regex.IGNORECASE))
               for ch in "aAzZ0(\t" + sample[:2000])


@pytest.mark.parametrize("source", [
    r"症\b", r"(?<!先)生日", r"^病", r"病$*", r"\p{Han}\($", r"ICD$", r"[a-z]\($", r"\d\($", r"(?i:病)$", "病[",
])
def test_no_gate_is_made_where_it_could_miss_a_keyword(source):
    assert pattern_module.gate_expression(source, ["診斷"]) is None


def test_no_gate_is_made_for_a_word_of_unknown_cases():
    assert pattern_module.gate_expression(r"病\($", ["Émile"]) is None
    assert pattern_module.gate_expression(r"病\($", ["ICD", "診斷"]) is not None


GATE_SOURCES = [r"(?:症|病|炎|癌|瘤|結核|登革熱|流感|障礙)[ \t]*\([ \t]*$", r"[病症]\($|$炎", r"(?:病|症$)[\]]?$"]
GATE_PIECES = ["症", "病", "炎", "結核", "(", ")", " ", "\t", "\n", "ICD", "icd", "\u0131cd", "İCD", "Icd",
               "診斷", "主診斷", "ＩＣＤ", "A15.0", "x", "]", "1"]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(GATE_SOURCES), st.lists(st.sampled_from(GATE_PIECES), max_size=20).map("".join),
       st.integers(0, 60), st.integers(0, 60))
def test_the_gate_matches_wherever_the_context_matches_in_a_window(source, text, lo, width):
    """Every match of the rule's ``context`` (IGNORECASE, ``$`` at the window's end) inside any
    window is a match of the gate over the whole text, ending at the same place."""
    words = ["ICD", "診斷", "病名", "診斷碼", "主診斷", "次診斷"]
    context = regex.compile(f"{source}|{pattern_module.keyword_pattern(words).pattern}", regex.IGNORECASE)
    gate = regex.compile(pattern_module.gate_expression(source, words))
    lo = min(lo, len(text))
    hi = min(len(text), lo + width)
    for m in context.finditer(text, lo, hi, overlapped=True):
        assert any(gate.fullmatch(text, a, m.end()) for a in range(m.end() + 1)), (text, m)


def test_the_diagnosis_code_rule_is_gated_by_its_keywords(scanner):
    icd = next(r for r in _pattern_rules(scanner) if r.rule.id == "health-icd10-code")
    assert not icd.literal_context and icd.gate is not None and pattern_module._keyword_gated(icd)
    assert "health-icd10-code" in scanner.state.analyzer.prefilter._deferred


@pytest.fixture(scope="module")
def ungated_scanner() -> Scanner:
    """The rules whose ``context_regex`` has an anchor not gated (as before the gate)."""
    made = pattern_module.gate_expression
    pattern_module.gate_expression = lambda *args: None
    try:
        ungated = Scanner()
    finally:
        pattern_module.gate_expression = made
    icd = next(r for r in _pattern_rules(ungated) if r.rule.id == "health-icd10-code")
    assert icd.gate is None and "health-icd10-code" not in ungated.state.analyzer.prefilter._deferred
    return ungated


ICD_PIECES = ["身分證字號 D104553971 ", "主診斷 ICD-10：", "F32.9", "A15.0", "肺結核（", "）", "個案", "王小明",
              "診斷", "病名：", "E11.9", "x" * 30, "\n", "，", "icd ", "\u0131cd "]


@settings(max_examples=150, deadline=None)
@example("身分證字號 D104553971 主診斷 ICD-10：F32.9")
@example("個案 D104553971（男，57歲）：肺結核（A15.0）個案")
@given(st.lists(st.sampled_from(ICD_PIECES), max_size=25).map("".join))
def test_the_gated_rule_finds_what_the_ungated_one_finds(scanner, ungated_scanner, text):
    assert _answer(scanner, text) == _answer(ungated_scanner, text)
    if "主診斷 ICD-10：F32.9" in text and text.startswith("身分證字號"):
        assert any(row[0] == "HEALTH_DATA" for row in _answer(scanner, text)[0])
    assert _answer(scanner, text, explain=True) == _answer(ungated_scanner, text, explain=True)


@pytest.mark.parametrize("kind", ["clean", "mail", "dense"])
def test_a_benchmark_text_gets_the_ungated_findings(scanner, ungated_scanner, kind):
    text = bench_texts.texts()[kind]
    assert _answer(scanner, text) == _answer(ungated_scanner, text)


def test_every_corpus_message_gets_the_ungated_findings(scanner, ungated_scanner):
    for text in _corpus_texts():
        assert _answer(scanner, text) == _answer(ungated_scanner, text), text[:80]


KEYWORD_LISTS = [["身分證", "身分證字號", "ID", "姓名", "證號"], ["手機", "行動電話", "TEL", "Tel", "Mobile", "LINE"],
                 ["ICD", "診斷", "病名"], ["Kiss", "ski", "sk"], ["個案", "被害人"]]
CASE_PIECES = ["身分證", "字號", "姓名", "手機", "電話", "ID", "id", "iD", "\u0131d", "\u0130D", "TEL", "tel", "Te",
               "mobile", "MOBİLE", "moB\u0131le", "LINE", "l\u0131ne", "Lİne", "K\u212aiss", "\u017fki", "SK", "kı",
               "icd", "İCD", "診斷", "病名", " ", "\n", "x", "Ｉ", "ß", "ﬁ"]


@settings(max_examples=400, deadline=None)
@example(0, "İD ıd Id", 0, 40)
@example(1, "MOBİLE l\u0131ne", 0, 40)
@given(st.integers(0, len(KEYWORD_LISTS) - 1), st.lists(st.sampled_from(CASE_PIECES), max_size=16).map("".join),
       st.integers(0, 40), st.integers(0, 60))
def test_a_keyword_list_without_flags_finds_what_ignorecase_finds(which, text, lo, width):
    words = KEYWORD_LISTS[which]
    fast = pattern_module.keyword_pattern(words)
    plain = regex.compile(pattern_module.keyword_alternation(words), regex.IGNORECASE)
    assert fast.flags & regex.IGNORECASE == 0  # (every list here is ASCII letters and CJK)
    hi = min(len(text), lo + width)
    assert [m.span() for m in fast.finditer(text, lo, hi)] == [m.span() for m in plain.finditer(text, lo, hi)]
    assert [m.span() for m in fast.finditer(text, lo, hi, overlapped=True)] == \
        [m.span() for m in plain.finditer(text, lo, hi, overlapped=True)]


def test_a_keyword_list_with_other_cased_letters_keeps_ignorecase():
    assert pattern_module.keyword_pattern(["Émile", "身分證"]).flags & regex.IGNORECASE
    assert pattern_module.keyword_pattern([]) is None


def test_the_bundled_keyword_lists_are_searched_without_flags(scanner):
    rules = _pattern_rules(scanner)
    lists = [r.context for r in rules if r.context is not None and not r.rule.spec.get("context_regex")]
    assert len(lists) > 10 and all(not p.flags & regex.IGNORECASE for p in lists)
