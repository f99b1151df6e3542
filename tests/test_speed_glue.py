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

import hyperscan
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


# -- the presidio step -------------------------------------------------------------------------

def _rows(findings):
    return sorted((f.location, f.type, f.start, f.end, f.rule, f.level, f.score, f.masked_value, f.excerpt, f.value_key)
                  for f in findings)


def _corpus_texts(limit: int) -> list[str]:
    import json

    out = []
    for path in sorted((Path(__file__).parent / "data").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines()[:limit]:
            if line.strip():
                out.append(json.loads(line)["text"])
    return out


def test_the_lean_presidio_step_keeps_what_the_stock_engine_keeps():
    """``DetectorsEngine`` (no context regrouping) and ``DetectorResult`` (a tuple hash) against
    presidio's stock ``AnalyzerEngine`` with presidio's own ``RecognizerResult``s, on the mail
    text and corpus messages (e-mail addresses give exact duplicates from two rules: the first
    one stays either way)."""
    from presidio_analyzer import AnalyzerEngine, RecognizerResult

    from dlp import engine as E
    from dlp.model import Segment
    from dlp.patterns import load_packs

    lean = E.Analyzer(load_packs(None).detectors)
    stock = E.Analyzer(load_packs(None).detectors)
    stock.presidio = AnalyzerEngine(registry=stock.presidio.registry, nlp_engine=stock.nlp_engine,
                                    supported_languages=[E.LANGUAGE], context_aware_enhancer=E.NoContextEnhancer())

    class StockResult(RecognizerResult):  # presidio's __init__ and __hash__, our index
        def __init__(self, entity_type, start, end, score, metadata, candidate):
            super().__init__(entity_type, start, end, score, recognition_metadata=dict(metadata, candidate=candidate))
            self.candidate = candidate

    texts = [BENCH["mail"], *_corpus_texts(60)]
    assert any("@" in t for t in texts)
    want = []
    original = E.DetectorResult
    E.DetectorResult = StockResult
    try:
        want = [_rows(stock.analyze([Segment("body", t)]).findings) for t in texts]
    finally:
        E.DetectorResult = original
    got = [_rows(lean.analyze([Segment("body", t)]).findings) for t in texts]
    assert got == want


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["TW_PHONE", "EMAIL_ADDRESS"]), st.integers(0, 8), st.integers(1, 4),
                          st.sampled_from([0.5, 0.85, 1e-6])), max_size=12))
def test_presidio_keeps_the_same_detector_results_as_its_own_results(spans):
    from presidio_analyzer import EntityRecognizer, RecognizerResult

    from dlp.engine import DetectorResult

    ours = [DetectorResult(t, s, s + n, score, {}, i) for i, (t, s, n, score) in enumerate(spans)]
    theirs = [RecognizerResult(t, s, s + n, score, recognition_metadata={"i": i}) for i, (t, s, n, score) in enumerate(spans)]
    assert [r.candidate for r in EntityRecognizer.remove_duplicates(ours)] == \
        [r.recognition_metadata["i"] for r in EntityRecognizer.remove_duplicates(theirs)]


# -- the prefilter -----------------------------------------------------------------------------

def _decoded_char_offsets(data: bytes, byte_offsets: list[int]) -> dict[int, int]:
    """The decoding version ``_char_offsets`` replaced (an offset inside a character maps past it)."""
    out = {}
    for b in byte_offsets:
        snapped = b
        while 0 < snapped < len(data) and (data[snapped] & 0xC0) == 0x80:
            snapped -= 1
        out[b] = len(data[:snapped].decode("utf-8")) + (1 if snapped < b else 0)
    return out


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="a1，王𝚳é\n", max_size=30), st.lists(st.integers(0, 130), max_size=20))
def test_counting_character_starts_maps_byte_offsets_as_decoding_did(text, offsets):
    from dlp.prefilter import _char_offsets

    data = text.encode("utf-8")
    wanted = sorted({min(b, len(data)) for b in offsets})
    assert _char_offsets(data, wanted) == _decoded_char_offsets(data, wanted)


@pytest.fixture(scope="module")
def analyzer():
    from dlp.engine import Analyzer
    from dlp.patterns import load_packs

    return Analyzer(load_packs(None).detectors)


@pytest.mark.parametrize("name", sorted(BENCH))
def test_every_keys_windows_are_the_merged_windows_of_each_of_its_hits(analyzer, name):
    """The scan's run lists, flat windows and windows made only when asked for against the
    plain definition: every hyperscan report of a key widened by the key's reach, merged."""
    from dlp.prefilter import _char_offsets, _merge

    pf = analyzer.prefilter
    text = BENCH[name]
    data = text.encode("utf-8")
    hits: dict[str, list[int]] = {}
    for db, ids in [(pf._db, pf._ids)] + [(sub._db, sub._ids) for _, sub in pf._deferred.values()]:
        db.scan(data, match_event_handler=lambda idx, _f, to, _fl, _c, ids=ids: hits.setdefault(ids[idx], []).append(to),
                scratch=hyperscan.Scratch(db))
    result = pf.scan(text, every_rule=True)
    for key, ends in sorted(hits.items()):
        to_char = _char_offsets(data, sorted(set(ends)))
        reach = pf.max_lengths.get(key, 120)
        plain = _merge((max(0, to_char[e] - reach - 1), min(len(text), to_char[e] + reach + 1)) for e in ends)
        assert result.regions(key) == plain, key
    assert sum(map(len, hits.values())) > 800


@pytest.mark.parametrize("name", ["mail", "dense"])
def test_a_deferred_rule_is_scanned_for_only_where_its_keywords_were_found(analyzer, name):
    """Every keyword-gated rule is deferred; one whose keywords the scan did not find is not
    scanned for (and unknown: the whole text, were anyone to ask), and the findings are those
    of a scan of every rule."""
    from dlp.model import Segment

    pf = analyzer.prefilter
    gated = next(d for d in analyzer.detectors if d.engine == "pattern").prefilter_deferred()
    assert set(gated) == set(pf._deferred) and "tw-bank-account" in gated
    text = BENCH[name]
    lean, full = pf.scan(text), pf.scan(text, every_rule=True)
    skipped = {rid for rid, key in gated.items() if key not in full.pending}
    assert skipped and all(rid not in lean.known and lean.regions(rid) == [(0, len(text))] for rid in skipped)
    assert all(lean.regions(rid) == full.regions(rid) for rid in set(gated) - skipped)
    if name == "mail":  # its bank accounts have their keyword: that rule is scanned for
        assert "tw-bank-account" not in skipped and lean.regions("tw-bank-account")
    original = pf.scan
    try:
        pf.scan = lambda text, deadline=None, every_rule=False: original(text, deadline, True)
        everything = _rows(analyzer.analyze([Segment("body", text)]).findings)
    finally:
        pf.scan = original
    assert _rows(analyzer.analyze([Segment("body", text)]).findings) == everything


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 40), st.text(alphabet="0123456789", min_size=8, max_size=8) | st.text(alphabet="0١23", max_size=9))
def test_the_weighted_id_sum_over_byte_codes_is_the_sum_over_digit_values(first, digits):
    from dlp.validators import _WEIGHTS_ID, _id_sum

    assert _id_sum(first, digits) == first + sum(int(d) * w for d, w in zip(digits, _WEIGHTS_ID))


# -- the fold probe ----------------------------------------------------------------------------

PROBE_ALPHABET = "，：；（）０９ＡｚＺ\u3000—－\r\u2028王的a1 \n\u200b\u00ad\u0301㍿ｰー𝚳Μ\ufeff\x00é丽"


def _normalized_by_the_set(text: str):
    saved = N._PROBE_FROM
    N._PROBE_FROM = 1 << 60
    try:
        return N.normalize(text)
    finally:
        N._PROBE_FROM = saved


@settings(max_examples=400, deadline=None)
@example("王，", 200)
@example("王，\ud800", 200)  # a lone surrogate is no UTF-8: the set decides
@example("王，A\u0301", 200)
@example("王－ｰ", 200)
@given(st.text(alphabet=PROBE_ALPHABET, max_size=40), st.integers(0, 40))
def test_the_fold_probe_folds_exactly_as_the_set_of_characters_does(piece, repeat):
    text = piece * repeat + "中文" * (N._PROBE_FROM // 2)
    assert len(text) >= N._PROBE_FROM
    probed, plain = N.normalize(text), _normalized_by_the_set(text)
    assert (probed.text, probed._pieces, probed._starts) == (plain.text, plain._pieces, plain._starts)


@pytest.mark.parametrize("name", sorted(BENCH))
def test_the_fold_probe_reports_the_benchmark_texts_characters_to_fold(name):
    text = BENCH[name]
    assert N._fold_probe().present(text) == N._fold_keys() & set(text)
    assert N.normalize(text).text == _normalized_by_the_set(text).text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 20), st.integers(0, 6)), max_size=30))
def test_two_stable_sorts_order_as_the_start_and_longest_first_key_does(spans):
    from dlp.overlaps import by_start_longest_first
    from dlp.recognizers.base import Candidate

    cands = [Candidate("T", "personal_data", s, s + n, 0.5, f"r{i}") for i, (s, n) in enumerate(spans)]
    assert [c.rule for c in by_start_longest_first(cands)] == [c.rule for c in sorted(cands, key=lambda c: (c.start, -c.end))]


# -- presidio's remove_duplicates, as DetectorsEngine runs it ----------------------------------

def _same_results(ours, theirs) -> None:
    assert [id(r) for r in ours] == [id(r) for r in theirs]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["TW_PHONE", "EMAIL_ADDRESS", "PERSON"]), st.integers(0, 10), st.integers(0, 5),
                          st.sampled_from([0.0, 1e-6, 0.5, 0.85, 1.0])), max_size=16))
def test_removing_duplicates_keeps_what_presidio_keeps_in_its_order(spans):
    from presidio_analyzer import EntityRecognizer, RecognizerResult

    from dlp.engine import DetectorResult, remove_duplicate_results

    ours = [DetectorResult(t, s, s + n, score, {}, i) for i, (t, s, n, score) in enumerate(spans)]
    _same_results(remove_duplicate_results(list(ours)), EntityRecognizer.remove_duplicates(list(ours)))
    stock = [RecognizerResult(t, s, s + n, score) for t, s, n, score in spans]
    _same_results(remove_duplicate_results(list(stock)), EntityRecognizer.remove_duplicates(list(stock)))


def test_removing_duplicates_keeps_what_presidio_keeps_on_the_benchmark_texts_and_corpora(analyzer):
    """The very lists ``DetectorsEngine.analyze`` deduplicates (every detector's results), from
    the three benchmark texts and corpus messages: the same objects, in the same order."""
    from presidio_analyzer import EntityRecognizer

    from dlp import engine as E
    from dlp.model import Segment

    seen = []
    original = E.remove_duplicate_results

    def both(results):
        seen.append(len(results))
        want = EntityRecognizer.remove_duplicates(list(results))
        got = original(results)
        _same_results(got, want)
        return got

    E.remove_duplicate_results = both
    try:
        for text in [*BENCH.values(), *_corpus_texts(40)]:
            analyzer.analyze([Segment("body", text)])
    finally:
        E.remove_duplicate_results = original
    assert max(seen) > 4000 and len(seen) > 100


def test_an_analysis_presidio_must_trace_runs_presidios_own_steps(analyzer):
    from presidio_analyzer import EntityRecognizer

    from dlp import engine as E

    text = "聯絡電話 0912-345-678，身分證字號 A123456789"
    artifacts = analyzer.nlp_engine.process_segment(E.normalize(text), "body", "body", False)
    lean = analyzer.presidio.analyze(text=text, language=E.LANGUAGE, nlp_artifacts=artifacts, score_threshold=0.0)
    artifacts = analyzer.nlp_engine.process_segment(E.normalize(text), "body", "body", False)
    traced = analyzer.presidio.analyze(text=text, language=E.LANGUAGE, nlp_artifacts=artifacts, score_threshold=0.0,
                                       return_decision_process=True)
    assert [(r.entity_type, r.start, r.end, r.score) for r in lean] == \
        [(r.entity_type, r.start, r.end, r.score) for r in traced] != []
    assert EntityRecognizer.remove_duplicates(list(traced)) == traced


# -- the ID checksum in one pass over the bytes ------------------------------------------------

def _plain_valid_id(value: str, shape) -> bool:
    """The checksum as §3.1 states it, digit by digit (what ``_valid_id`` computed before)."""
    from dlp.validators import _WEIGHTS_ID, LETTER_CODES, _letter_sum

    v = clean(value)
    if not shape.fullmatch(v):
        return False
    if v[1].isalpha():
        first, body = _letter_sum(v[0]) + (LETTER_CODES[v[1]] % 10) * 8, "0" + v[2:9]
    else:
        first, body = _letter_sum(v[0]), v[1:9]
    return (first + sum(int(d) * w for d, w in zip(body, _WEIGHTS_ID)) + int(v[9])) % 10 == 0


_ID_SHAPES = ["_NATIONAL_ID", "_RESIDENT_NEW", "_RESIDENT_OLD"]


@settings(max_examples=600, deadline=None)
@example("A123456789")
@example("F235071300")
@example("a1234５6789")
@example("A８00000014")
@given(st.from_regex(r"[A-Za-zＡ][12ABCD89][0-9０９ ]{8,9}", fullmatch=True) | st.text(alphabet="AZIO1289０-\u200b", max_size=12))
def test_the_id_checksum_over_bytes_is_the_digit_by_digit_checksum(value):
    from dlp import validators as V

    for shape in _ID_SHAPES:
        assert V._valid_id(value, getattr(V, shape)) == _plain_valid_id(value, getattr(V, shape))


def test_the_roster_ids_check_as_before():
    import regex

    from dlp import validators as V

    values = regex.findall(r"[A-Z][0-9A-D][0-9]{8}", BENCH["dense"])
    assert len(values) > 1500 and any(V.tw_national_id(v) for v in values)
    for shape in _ID_SHAPES:
        assert [V._valid_id(v, getattr(V, shape)) for v in values] == [_plain_valid_id(v, getattr(V, shape)) for v in values]


# -- drop_contained without a group per candidate ----------------------------------------------

def _drop_contained_by_groups(cands):
    """``drop_contained`` as it was: the clusters first, then the fast return."""
    from dlp import overlaps as O

    groups = O._clusters(cands)
    if all(len(group) == 1 for group in groups):
        return [group[0] for group in groups]
    return O.drop_contained(cands)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["TW_PHONE", "TW_NATIONAL_ID", "PERSON"]), st.integers(0, 60),
                          st.integers(1, 12), st.sampled_from([0.5, 0.85, 0.9])), max_size=12))
def test_dropping_contained_candidates_keeps_what_the_clusters_keep(spans):
    from dlp.overlaps import drop_contained
    from dlp.recognizers.base import Candidate

    def make():
        return [Candidate(t, "personal_data", s, s + n, score, f"r{i}") for i, (t, s, n, score) in enumerate(spans)]

    got, want = drop_contained(make()), _drop_contained_by_groups(make())
    assert [(c.rule, c.accepted, c.why) for c in got] == [(c.rule, c.accepted, c.why) for c in want]


@pytest.mark.parametrize("kwargs", [{}, {"allow_list": ["0912-345-678"]}, {"allow_list": ["^A1"], "allow_list_match": "regex"},
                                    {"entities": ["TW_PHONE"]}, {"return_decision_process": True}])
def test_the_engines_analyze_answers_as_presidios_own_for_any_call(analyzer, kwargs):
    """The lean path is taken only for ``Analyzer``'s call; every other call (an allow list, a
    regex allow list with presidio's default flags, chosen entities, a trace) answers as
    presidio's own ``AnalyzerEngine.analyze`` does on the same engine."""
    from presidio_analyzer import AnalyzerEngine

    from dlp import engine as E

    text = "聯絡電話 0912-345-678，身分證字號 A123456789，信箱 wang@example.com"

    def run(analyze):
        artifacts = analyzer.nlp_engine.process_segment(E.normalize(text), "body", "body", False)
        return [(r.entity_type, r.start, r.end, r.score)
                for r in analyze(text=text, language=E.LANGUAGE, nlp_artifacts=artifacts, score_threshold=0.0, **kwargs)]

    stock = run(lambda **kw: AnalyzerEngine.analyze(analyzer.presidio, **kw))
    assert run(analyzer.presidio.analyze) == stock
    assert stock or kwargs.get("allow_list")


# -- a header keyword remembered per line --------------------------------------------------------
HEADER_TABLE = ("二、匯款名冊：\n編號\t戶名\t帳號\t電話\n1\t王小明\t0123456789012\t0912345678\n"
                "2\t林美玲\t(812)12345678901\t02-2345-6789\n\n附註：帳號 12345678901 另案辦理\n"
                "三、聯絡名冊\n編號\t姓名\t電話\n1\t陳大文\t0912345678 0987654321\n")


@pytest.mark.parametrize("name", ["mail", "dense", "table"])
def test_a_header_keyword_is_the_same_for_every_value_on_a_line(analyzer, name):
    from dlp import engine as E
    from dlp.recognizers import pattern as P

    text = HEADER_TABLE if name == "table" else bench_texts.texts()[name][:60_000]
    detector = next(d for d in analyzer.detectors if d.engine == "pattern")
    rules = [c for c in detector.compiled if c.header_context and c.context is not None]
    assert rules
    remembered = analyzer.nlp_engine.process_segment(E.normalize(text), "body", "body", False).scan_context
    checked = found = 0
    for rule in rules:
        for m in rule.pattern.finditer(remembered.text):
            fresh = analyzer.nlp_engine.process_segment(E.normalize(text), "body", "body", False).scan_context
            headers = fresh.header_lines(m.start())
            if rule.same_line:
                headers = [(lo, hi) for lo, hi in headers if fresh.is_row(lo)]
            plain = next((k for lo, hi in headers if (k := rule.context.search(fresh.text, lo, hi))), None)
            got = P._header_keyword(rule, remembered, m.start())
            assert (got and got.span()) == (plain and plain.span()), (rule.rule.id, m.start())
            checked += 1
            found += plain is not None
            if checked > 400:
                break
    assert checked and (found or name != "table")


@pytest.mark.parametrize("limit", [0, 1 << 30])
def test_the_character_map_of_any_offsets_is_the_direct_count(limit):
    """``prefilter._CharMap`` (a prefix sum of character starts; above its size limit, counts
    between the offsets asked for) maps byte offsets in any order, repeated or not, as
    ``_char_offsets`` counts them from the text's start."""
    import random

    import numpy as np

    from dlp import prefilter
    from dlp.prefilter import _char_offsets, _CharMap

    rng = random.Random(14)
    alphabet = "ab 1\n王大明帳號：é€😀"
    saved = prefilter._PREFIX_SUM_BYTES
    prefilter._PREFIX_SUM_BYTES = limit
    try:
        for _ in range(200):
            text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
            data = text.encode("utf-8")
            asked = [rng.randint(0, len(data)) for _ in range(rng.randint(0, 40))]
            plain = _char_offsets(data, sorted(set(asked)))
            got = _CharMap(data).of(np.array(asked, dtype=np.int64))
            assert got.tolist() == [plain[b] for b in asked]
    finally:
        prefilter._PREFIX_SUM_BYTES = saved


# -- the secrecy anchor, vouched for by the prefilter ------------------------------------------
ANCHOR_ALPHABET = "不公內内部外流限閱阅密機机秘絕绝絶 \t\n.·_~*-文件本案"


def _secrecy(analyzer):
    return next(d for d in analyzer.detectors if d.engine == "secrecy")


def _anchor_checked(analyzer, text: str) -> None:
    """Where the prefilter's scan says the anchor cannot be, the anchor's search finds nothing,
    and the detector answers as the plain one (no prefilter: it searches) answers."""
    from dlp import engine as E
    from dlp.recognizers.base import ScanContext

    det = _secrecy(analyzer)
    ctx = analyzer.nlp_engine.process_segment(E.normalize(text), "body", "body", False).scan_context
    if not det._may_hold_anchor(ctx):
        assert det._anchor.search(ctx.text) is None, text
    plain = det.detect(ScanContext(ctx.norm))
    fresh = analyzer.nlp_engine.process_segment(E.normalize(text), "body", "body", False).scan_context
    assert _candidate_rows(det.detect(fresh)) == _candidate_rows(plain)


def _candidate_rows(cands):
    return [(c.type, c.start, c.end, c.rule, c.level, c.score, c.accepted, c.why) for c in cands]


@settings(max_examples=400, deadline=None)
@example("密")
@example("限 \n 閱")
@example("限\t\t\t\n        閱")  # the longest gap the anchor allows
@example("限\t\t\t\t閱")  # one more than it allows
@example("機  密")
@given(st.text(alphabet=ANCHOR_ALPHABET, max_size=40))
def test_no_anchor_hit_in_the_prefilter_scan_means_no_anchor_match(analyzer, text):
    _anchor_checked(analyzer, text)


@pytest.mark.parametrize("name", sorted(BENCH))
def test_the_benchmark_texts_have_no_anchor_as_the_search_says(analyzer, name):
    det = _secrecy(analyzer)
    text = BENCH[name]
    _anchor_checked(analyzer, text)
    ctx = analyzer.nlp_engine.process_segment(N.normalize(text), "body", "body", False).scan_context
    assert det._may_hold_anchor(ctx) == (det._anchor.search(ctx.text) is not None)  # no search made here


def test_a_prefilter_stopped_at_its_deadline_leaves_the_anchor_search_to_the_detector(analyzer):
    from dlp.recognizers.base import ScanContext
    from dlp.scan_limits import Stop

    det = _secrecy(analyzer)
    norm = N.normalize("前言\n機密\n" + "一般內容" * 10)
    ctx = ScanContext(norm, regions=lambda _key: [])  # a scan that saw nothing before it stopped
    assert not det._may_hold_anchor(ctx)
    ctx.stops.append(Stop("prefilter", "message_seconds", 0))
    assert det._may_hold_anchor(ctx)


# -- excerpts from one masked copy of the text -------------------------------------------------
def _value(start: int, end: int, kind: str = "personal_data"):
    from dlp.model import Finding

    return Finding(kind=kind, type="X", location="body", start=start, end=end, score=1.0, rule="r")


def _excerpts_both_ways(text, personal, masks, spans):
    from dlp.excerpts import excerpts_in_order, excerpts_with_masks

    plain = excerpts_in_order(text, spans, personal, {id(f): m for f, m in zip(personal, masks)})
    assert excerpts_with_masks(text, spans, personal, masks) == plain
    return plain


@settings(max_examples=600, deadline=None)
@example("王小明 A123456789\n電話 0912345678", [(0, 3), (4, 14), (18, 28)], [(0, 3), (4, 14), (9, 9), (18, 28)], 0)
@example("ab  cd\tef", [(0, 2), (2, 4), (4, 4)], [(3, 3)], 0)
@example("x" * 40, [(0, 30)], [(14, 15)], 0)  # one value over the whole window
@example("a b c d e f g h i j k l m n o p", [(2, 9), (20, 29)], [(10, 12), (40, 41)], 1)
@given(st.text(alphabet="王小明0912 \n\t\u3000電話AB", max_size=60),
       st.lists(st.tuples(st.integers(0, 62), st.integers(0, 20)), max_size=12),
       st.lists(st.tuples(st.integers(0, 64), st.integers(0, 20)), max_size=8),
       st.integers(0, 3))
def test_excerpts_cut_from_one_masked_copy_are_the_excerpts_pieced_value_by_value(text, values, spans, masking):
    """Values overlapping or not, reaching past the text or not, masks of their length (with
    spaces in them) or not: the same excerpts as the value-by-value pass."""
    from dlp.excerpts import default_masks

    personal = [_value(a, b) for a, b in sorted({(a, a + w) for a, w in values}, key=lambda se: (se[0], -se[1]))]
    if masking == 0:
        masks = default_masks(text, personal)
    elif masking == 1:  # the length of the span, spaces in it
        masks = [("# " * (f.end - f.start))[:f.end - f.start] for f in personal]
    elif masking == 2:  # one character short
        masks = ["#" * max(0, f.end - f.start - 1) for f in personal]
    else:
        masks = [text[f.start:f.end] for f in personal]
    shown = sorted([(a, a + w) for a, w in spans] + [(f.start, f.end) for f in personal])
    _excerpts_both_ways(text, personal, masks, shown)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="王小明0912 \n-Ａ", max_size=20))
def test_the_default_masks_of_a_text_are_each_values_default_mask(text):
    from dlp.excerpts import default_excerpt_mask, default_masks

    personal = [_value(a, b) for a in range(len(text) + 1) for b in range(a, len(text) + 2)]
    assert default_masks(text, personal) == [default_excerpt_mask(text[f.start:f.end], f.type, f.rule) for f in personal]


@pytest.mark.parametrize("name", sorted(BENCH))
def test_the_benchmark_texts_excerpts_from_the_masked_copy_are_the_pieced_ones(analyzer, name):
    from dlp.excerpts import default_masks, masked_copy
    from dlp.model import Segment
    from dlp.overlaps import by_start_longest_first

    text = BENCH[name]
    findings = analyzer.analyze([Segment("body", text)]).findings
    personal = by_start_longest_first(f for f in findings if f.kind == "personal_data")
    masks = default_masks(text, personal)
    assert personal or name == "clean"
    assert masked_copy(text, personal, masks) is not None or not personal  # the copy is what runs
    shown = _excerpts_both_ways(text, personal, masks, sorted((f.start, f.end) for f in findings))
    assert shown == [f.excerpt for f in sorted(findings, key=lambda f: f.start)]


# -- a literal key's matches without its windows -----------------------------------------------
def _literal_matches_both_ways(analyzer, text: str) -> list:
    import dataclasses

    result = analyzer.prefilter.scan(N.normalize(text).text)
    out = []
    for key in result.occurrences:
        plain = dataclasses.replace(result, inside_windows=frozenset())  # the window-by-window pass
        got = result.literal_matches(key)
        assert got == plain.literal_matches(key), key
        out.append((key, got))
    return out


@settings(max_examples=300, deadline=None)
@example("王小明先生與李大華小姐")
@given(st.text(alphabet="王李陳林小明大華先生小姐老師同學 ，\n0", max_size=80))
def test_a_literal_keys_matches_in_one_pass_are_the_window_by_window_matches(analyzer, text):
    _literal_matches_both_ways(analyzer, text)


@pytest.mark.parametrize("name", sorted(BENCH))
def test_the_benchmark_texts_literal_matches_in_one_pass_are_the_window_by_window_ones(analyzer, name):
    result = analyzer.prefilter.scan(N.normalize(BENCH[name]).text)
    assert result.inside_windows == analyzer.prefilter._inside_windows != frozenset()  # reported in order
    assert all(found for _key, found in _literal_matches_both_ways(analyzer, BENCH[name]))


@pytest.mark.skipif(hyperscan is None, reason="the hyperscan wheel is not installed here")
def test_a_word_longer_than_its_reach_or_a_key_with_a_regex_keeps_the_window_by_window_pass():
    import regex

    from dlp.prefilter import Prefilter

    pf = Prefilter({"mixed": "電話"}, {}, {"long": 1, "short": 4, "mixed": 4},
                   {"long": ["承辦人員", "王"], "short": ["先生", "王"], "mixed": ["姓名"]})
    assert pf._inside_windows == {"short"}
    text = "承辦人員王先生，姓名電話承辦人員"
    result = pf.scan(text)
    for key, words, want in [("long", ["承辦人員", "王"], [(4, 5)]), ("short", ["先生", "王"], [(4, 5), (5, 7)])]:
        alternation = regex.compile("|".join(words))
        plain = [m.span() for lo, hi in result.regions(key) for m in alternation.finditer(text, lo, hi)]
        assert result.literal_matches(key) == plain == want  # 承辦人員 starts before its hit's window
    assert result.literal_matches("mixed") is None  # a key with a regex: its caller searches its regions


# -- the fold probe also says whether a run of Chinese digits may be there ---------------------
DIGIT_ALPHABET = "〇○零一二三四五六七八九⼀㈠ 　-－—ｰーx王\n"


@settings(max_examples=500, deadline=None)
@example("〇九一二三四五六", 1)
@example("〇九一二　三四五－六", 1)  # an ideographic space and a full-width dash fold to the separators
@example("〇⼀二三四五六七", 1)  # a Kangxi radical folds to 一
@example("〇九一二  三四五六七八", 1)  # two spaces: no run
@given(st.text(alphabet=DIGIT_ALPHABET, max_size=40), st.integers(1, 3))
def test_no_digit_run_in_the_probe_means_the_digit_pass_changes_nothing(piece, repeat):
    text = piece * repeat + "中文" * (N._PROBE_FROM // 2)
    present, digit_run = N._fold_probe().probe(text)
    if present is not None and not digit_run:
        folded = N._fold_one_to_one(text, N._fold_tables()[0], N._fold_keys(), present)
        assert N._CN_DIGIT_RUN.search(folded) is None
    probed, plain = N.normalize(text), _normalized_by_the_set(text)
    assert (probed.text, probed._pieces) == (plain.text, plain._pieces)


@pytest.mark.parametrize("name", sorted(BENCH))
def test_the_benchmark_texts_need_no_digit_pass_as_the_search_says(name):
    text = BENCH[name]
    present, digit_run = N._fold_probe().probe(text)
    folded = N._fold_one_to_one(text, N._fold_tables()[0], N._fold_keys(), present)
    assert digit_run == (N._CN_DIGIT_RUN.search(folded) is not None) == False  # noqa: E712


# -- the reports' own order gives the offsets to map -------------------------------------------
class _Replayed:
    """A database whose reports come in an order of the test's choosing (hyperscan promises
    none): the real scan's reports, then reversed or shuffled."""

    def __init__(self, db, reorder):
        self.db, self.reorder = db, reorder

    def scan(self, data, match_event_handler, scratch):
        got = []
        self.db.scan(data, match_event_handler=lambda *report: got.append(report), scratch=scratch)
        got = self.reorder(got)
        self.replayed = [(idx, to) for idx, _from, to, _flags, _ctx in got]
        for report in got:
            match_event_handler(*report)


@pytest.mark.skipif(hyperscan is None, reason="the hyperscan wheel is not installed here")
@pytest.mark.parametrize("order", ["as reported", "reversed", "shuffled", "one pair swapped"])
@pytest.mark.parametrize("name", ["mail", "dense"])
def test_offsets_and_literal_matches_hold_in_whatever_order_the_reports_come(analyzer, name, order):
    import random

    from dlp.engine import prefilter_inputs
    from dlp.prefilter import Prefilter

    def swap_one(reports):
        reports = list(reports)
        i = len(reports) // 2
        reports[i], reports[i + 1] = reports[i + 1], reports[i]
        return reports

    reorder = {"as reported": list, "reversed": lambda r: r[::-1],
               "shuffled": lambda r: random.Random(14).sample(r, len(r)), "one pair swapped": swap_one}[order]
    pf = Prefilter(*prefilter_inputs(analyzer.detectors))
    pf._scratch()  # made for the real database, before the replaying one stands in for it
    pf._db = _Replayed(pf._db, reorder)
    text = N.normalize(BENCH[name]).text
    data = text.encode("utf-8")
    result = pf._scan(text, None, data)
    _assert_as_the_plain_scan(pf, text, pf._db.replayed, result)
    if order != "one pair swapped":  # (a pair of other rules' reports: the words' still come in order)
        assert bool(result.inside_windows) == (order == "as reported")


def _plain_scan(pf, text: str, reports: list[tuple[int, int]]):
    """What the scan made of ``reports`` (expression, byte end) when its callback built the runs
    one report at a time: per key its windows (``_flat_windows`` of the run list, offsets mapped
    by ``_char_offsets``), per literal key its occurrences, and the keys matched in one pass."""
    from plain_windows import _flat_windows

    from dlp.prefilter import _char_offsets

    data = text.encode("utf-8")
    runs_of: dict[str, list[int]] = {}
    words: list[tuple[int, int]] = []
    for idx, to in reports:
        key = pf._ids[idx]
        runs = runs_of.setdefault(key, [])
        if runs and to - runs[-1] <= 2 * pf.max_lengths.get(key, 120) + 2:
            if to > runs[-1]:
                runs[-1] = to
        else:
            runs += [to, to]
        if pf._literal_chars[idx]:
            words.append((to, idx))
    to_char = _char_offsets(data, sorted({to for _, to in reports}))
    windows = {key: _flat_windows(runs, to_char, pf.max_lengths.get(key, 120), len(text)) for key, runs in runs_of.items()}
    occurrences: dict[str, list[tuple[int, int]]] = {key: [] for key in pf._literal_keys}
    for to, idx in words:
        occurrences[pf._ids[idx]].append((to_char[to] - pf._literal_chars[idx], to_char[to]))
    for found in occurrences.values():
        found.sort(key=lambda span: (span[0], -span[1]))
    ends, word_ends = [to for _, to in reports], [to for to, _ in words]
    in_order = ends == sorted(ends) or word_ends == sorted(word_ends)
    return windows, occurrences, pf._inside_windows if in_order else frozenset()


def _assert_as_the_plain_scan(pf, text: str, reports: list[tuple[int, int]], result) -> None:
    import dataclasses

    windows, occurrences, inside = _plain_scan(pf, text, reports)
    assert set(result.pending) == set(windows)
    assert {key: result.regions(key) for key in windows} == windows
    assert result.occurrences == occurrences and result.inside_windows == inside
    plain = dataclasses.replace(result, inside_windows=frozenset())
    for key in result.occurrences:
        assert result.literal_matches(key) == plain.literal_matches(key)


class _Fed:
    """A database that reports what the test says (any expressions, any offsets, any order)."""

    def __init__(self, reports):
        self.reports = reports

    def scan(self, data, match_event_handler, scratch):
        for idx, to in self.reports:
            if match_event_handler(idx, 0, to, 0, None):
                raise hyperscan.ScanTerminated()


_SMALL: list = []


def _small_prefilter():
    """Two regex keys (reaches 1 and 3) and a literal key of two words (reach 2), built once."""
    if not _SMALL:
        from dlp.prefilter import Prefilter

        pf = Prefilter({"a": "x", "b": "y"}, {}, {"a": 1, "b": 3, "w": 2}, {"w": ["王", "先生"]})
        pf._scratch()
        _SMALL.append(pf)
    return _SMALL[0]


@pytest.mark.skipif(hyperscan is None, reason="the hyperscan wheel is not installed here")
@settings(max_examples=600, deadline=None)
@example("王先生xy", [(0, 3), (0, 3), (1, 12), (2, 9), (3, 11)], False)
@example("abcdefghijklmnopqrstuvwxyz", [(0, 20), (0, 5), (0, 12), (0, 13), (0, 4)], False)  # back and forth
@example("ab", [], True)
@given(st.text(alphabet="ab王先生é\n", min_size=1, max_size=40),
       st.lists(st.tuples(st.integers(0, 3), st.integers(0, 130)), max_size=80), st.booleans())
def test_runs_made_after_the_scan_are_the_runs_the_callback_made(text, reports, ordered):
    """Every report sequence (out of order, repeated, gaps at the limit, offsets inside a
    character) gives the windows and occurrences of the one-report-at-a-time run building."""
    pf = _small_prefilter()
    n = len(text.encode("utf-8"))
    reports = [(idx % len(pf._ids), min(to, n)) for idx, to in reports]
    if ordered:
        reports.sort(key=lambda r: r[1])
    pf._db = _Fed(reports)
    import dlp.prefilter as prefilter_module

    few = prefilter_module._FEW_REPORTS
    try:
        for prefilter_module._FEW_REPORTS in (0, 1 << 20):  # the array passes, then the one Python pass
            _assert_as_the_plain_scan(pf, text, reports, pf._scan(text, None))
    finally:
        prefilter_module._FEW_REPORTS = few


# -- masks with their spec checked once; the capped listing ------------------------------------
MASK_SPECS = [None, {}, {"style": "nope"}, {"style": "full"}, {"style": "keep_ends", "keep_start": 2, "keep_end": 1},
              {"style": "phone"}, {"style": "phone", "keep_end": 9, "mask_digits": 1}, {"style": "name"},
              {"style": "name", "keep_last": False, "compound_surnames": ["歐陽"]}, {"style": "address"},
              {"style": "email", "keep_start": 2}, {"style": "date"}, {"style": "date", "keep_year": False},
              {"style": "keep_ends", "char": "##"}]


@settings(max_examples=500, deadline=None)
@example("歐陽小明", 8)
@example("Wang Xiao-ming", 7)
@example("0912-345-678#12", 5)
@given(st.text(alphabet="王歐陽小明 ·.-0912#轉@a臺北市中正區路1號年月", max_size=20), st.integers(0, len(MASK_SPECS) - 1))
def test_a_spec_checked_once_masks_as_the_spec_checked_for_each_value(value, which):
    from dlp.redact import _NAME_SEPARATORS, mask_value, value_masker

    spec = MASK_SPECS[which]
    assert value_masker(spec)(value) == mask_value(value, spec)
    assert _NAME_SEPARATORS.isdisjoint(value.strip()) == (not any(ch in _NAME_SEPARATORS for ch in value.strip()))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["TW_NATIONAL_ID", "TW_PHONE", "PERSON", "HEALTH_DATA", "SECRECY_MARKING",
                                            "LIMIT_EXCEEDED"]), st.booleans()), max_size=40), st.integers(0, 45))
def test_the_capped_listing_keeps_what_the_rank_and_position_key_keeps(rows, limit):
    from dlp.model import Finding
    from dlp.scan_limits import listing_rank, select_listed

    kinds = {"SECRECY_MARKING": "secrecy", "LIMIT_EXCEEDED": "uninspectable"}
    findings = [Finding(kinds.get(t, "personal_data"), t, "body", i, i + 1, 1.0, "r", shadow=shadow)
                for i, (t, shadow) in enumerate(rows)]
    if len(findings) <= limit:
        plain = list(findings)
    else:
        order = sorted(range(len(findings)), key=lambda i: (listing_rank(findings[i]), i))[:limit]
        plain = [findings[i] for i in sorted(order)]
    assert [id(f) for f in select_listed(findings, limit)] == [id(f) for f in plain]


@settings(max_examples=500, deadline=None)
@example("\ud800")
@example("a\udfffb")
@example("\ud83d\ude00")  # a pair of surrogate code points (two lone ones in a str)
@example("\ud7ff\ue000😀")  # just outside the range
@given(st.text(alphabet=st.characters(codec=None, min_codepoint=0, max_codepoint=0x10FFFF), max_size=20)
       | st.text(alphabet="a王\ud7ff\ud800\udbff\udc00\udfff\ue000😀", max_size=10))
def test_a_strict_encoding_finds_the_lone_surrogates_the_search_finds(text):
    from dlp.scanner import _LONE_SURROGATE, _has_lone_surrogate

    assert _has_lone_surrogate(text) == (_LONE_SURROGATE.search(text) is not None)


@pytest.mark.parametrize("name", sorted(BENCH))
def test_the_benchmark_texts_have_no_lone_surrogate_as_the_search_says(name):
    from dlp.scanner import _LONE_SURROGATE, _has_lone_surrogate

    assert _has_lone_surrogate(BENCH[name]) is False and _LONE_SURROGATE.search(BENCH[name]) is None


# -- sorts skipped where the starts already increase -------------------------------------------
@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["TW_PHONE", "PERSON"]), st.integers(1, 4), st.integers(0, 6),
                          st.sampled_from([0.0, 0.5, 0.85, 1.0])), max_size=20), st.booleans())
def test_results_whose_starts_increase_are_deduplicated_as_presidio_does(steps, in_order):
    """Starts that increase within each type (the usual detector output: the sorts are skipped),
    or the same results reversed (they are not)."""
    from presidio_analyzer import EntityRecognizer

    from dlp.engine import DetectorResult, _starts_increase, remove_duplicate_results

    pos, ours = 0, []
    for i, (t, step, n, score) in enumerate(steps):
        pos += step
        ours.append(DetectorResult(t, pos, pos + n, score, {}, i))
    if not in_order:
        ours.reverse()
    assert _starts_increase(ours) == (in_order or len(ours) < 2)
    _same_results(remove_duplicate_results(list(ours)), EntityRecognizer.remove_duplicates(list(ours)))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 5)), max_size=15))
def test_a_list_whose_starts_increase_is_its_own_sort_by_span_and_by_start_longest_first(spans):
    from dlp.engine import _BY_SPAN, _starts_increase
    from dlp.overlaps import by_start_longest_first
    from dlp.recognizers.base import Candidate

    cands = [Candidate("T", "personal_data", s, s + n, 0.5, f"r{i}") for i, (s, n) in enumerate(spans)]
    if _starts_increase(cands):
        ids = [id(c) for c in cands]
        assert [id(c) for c in sorted(cands, key=_BY_SPAN)] == ids == [id(c) for c in by_start_longest_first(cands)]
    else:
        assert len({c.start for c in cands}) < len(cands) or [c.start for c in cands] != sorted(c.start for c in cands)


def _plain_plan_name(value, spec):
    """``redact._plan_name`` as it was: the characters that are no space, found one by one."""
    from dlp.redact import _HAN, _NAME_SEPARATORS, _plan_given_name, _plan_name_parts

    if not _HAN.search(value) or any(ch in _NAME_SEPARATORS for ch in value.strip()):
        return _plan_name_parts(value)  # (these two parts are as they were)
    chars = [i for i, ch in enumerate(value) if not ch.isspace()]
    return _plan_given_name(value, chars, "".join(value[i] for i in chars[:2]), spec)


NAME_SPECS = [{"style": "name"}, {"style": "name", "keep_last": False}, {"style": "name", "compound_surnames": ["王小"]}]


@settings(max_examples=800, deadline=None)
@example("歐陽小明", 0)
@example("歐 陽小明", 0)
@example("王小明", 2)
@example("王\u3000明", 1)
@example("王", 0)
@example("", 0)
@example("Wang Xiao-ming", 0)
@given(st.text(alphabet="王歐陽小明司馬 \u3000\t\n·.-aB\x1c\x85", max_size=8), st.integers(0, len(NAME_SPECS) - 1))
def test_a_names_plan_is_the_plain_plan(value, which):
    from dlp.redact import _plan_name

    assert _plan_name(value, NAME_SPECS[which]) == _plain_plan_name(value, NAME_SPECS[which])


def test_the_benchmark_texts_names_are_planned_as_before(analyzer):
    from dlp.model import Segment
    from dlp.redact import _plan_name

    names = [BENCH[n][f.start:f.end] for n in ("mail", "dense") for f in analyzer.analyze([Segment("body", BENCH[n])]).findings
             if f.type == "PERSON"]
    assert len(names) > 1000
    assert [_plan_name(v, {}) for v in names] == [_plain_plan_name(v, {}) for v in names]


@settings(max_examples=600, deadline=None)
@example("A123456789", 3, 3)
@example("AB", 3, 3)
@example("", 0, 0)
@example("1234-5678", 2, 9)
@given(st.text(alphabet="A1b9-· 　王Ⅻ²", max_size=14), st.integers(0, 12), st.integers(0, 12))
def test_keeping_the_ends_of_an_all_significant_value_plans_as_the_list_of_them_does(value, keep_start, keep_end):
    from dlp.redact import _plan_keep_ends, _shrink_keep

    significant = [i for i, ch in enumerate(value) if ch.isalnum()]
    ks, ke = _shrink_keep(len(significant), keep_start, keep_end)
    plain = [False] * len(value)
    for i in significant[ks:len(significant) - ke]:
        plain[i] = True
    assert _plan_keep_ends(value, {"keep_start": keep_start, "keep_end": keep_end}) == plain


@settings(max_examples=600, deadline=None)
@example("0912-345-678#12")
@example("02-2345-6789 ext 12")
@example("02-2345-6789轉12")
@example("02 2345 6789 分機 3")
@example("0912ExT5")
@given(st.text(alphabet="0912-+ #轉分機extEXT()", max_size=16))
def test_a_phones_extension_is_where_the_extension_search_finds_it(value):
    from dlp.redact import _PHONE_EXTENSION, _phone_extension_at

    ext = _PHONE_EXTENSION.search(value)
    assert _phone_extension_at(value) == (ext.start() if ext else len(value))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["TW_PHONE", "PERSON", "SECRECY_MARKING"]), st.sampled_from(["", "a", "b"]),
                          st.integers(0, 3)), max_size=30))
def test_the_counts_per_type_are_the_counts_of_the_plain_loop(rows):
    from dlp.model import Finding
    from dlp.policy import _facts, distinct_key
    from dlp.scan_limits import finding_counts

    findings = [Finding("personal_data", t, "body", s, s + 1, 1.0, "r", level="密" if t == "SECRECY_MARKING" else None,
                        value_key=v) for t, v, s in rows]
    counts: dict[str, int] = {}
    values: dict[str, set[str]] = {}
    for f in findings:
        counts[f.type] = counts.get(f.type, 0) + 1
        values.setdefault(f.type, set()).add(distinct_key(f))
    assert finding_counts(findings, distinct_key) == {t: {"count": n, "distinct": len(values[t])} for t, n in counts.items()}
    assert _facts(findings).counts == {t: len(v) for t, v in values.items()}
    assert list(finding_counts(findings, distinct_key)) == list(counts)  # types in the order first seen


def test_no_separator_compact_strips_is_a_letter_or_a_digit():
    """Why ``compact`` may skip the substitution for a value that is all letters and digits."""
    alnum = "".join(ch for ch in map(chr, range(0x110000)) if ch.isalnum())
    assert len(alnum) > 100_000
    assert N._SEPARATORS.search(alnum) is None


@settings(max_examples=500, deadline=None)
@example("王小明")
@example("ｱｲ")  # NFKC changes it
@example("王 小明")
@example("Ⅻ²")
@given(st.text(alphabet="王小明ＡａＺ１ｱｲ²Ⅻ ・．-（）#\u3000é\u0301", max_size=8))
def test_compact_of_a_non_ascii_value_is_the_nfkc_and_separator_pass(value):
    assert N.compact(value) == _plain_compact(value)


# -- masks built without a plan (dlp.redact.value_masker's direct maskers) -------------------------

DIRECT_MASK_SPECS = [
    {"style": "full"}, {"style": "full", "char": "#"},
    {"style": "keep_ends"}, {"style": "keep_ends", "keep_start": 3, "keep_end": 3},
    {"style": "keep_ends", "keep_start": 0, "keep_end": 5}, {"style": "keep_ends", "keep_start": 4, "keep_end": 0},
    {"style": "keep_ends", "keep_start": 9, "keep_end": 9, "char": "x"},
    {"style": "name"}, {"style": "name", "keep_last": False}, {"style": "name", "compound_surnames": ["王小", "歐陽"]},
    {"style": "phone"}, {"style": "phone", "keep_end": 0, "mask_digits": 9}, {"style": "phone", "keep_end": 4, "mask_digits": 1},
    {"style": "email"}, {"style": "email", "keep_start": 0}, {"style": "email", "keep_start": 5},
    {"style": "address"}, {"style": "address", "keep": "路號"}, {"style": "address", "char": "*"},
    {"style": "date"}, {"style": "bogus"}, None,
]
DIRECT_MASK_ALPHABET = "A1０9z王歐陽小明臺北市中正區路段號樓之@.-_ \u3000\t·#轉ext+()886五十²٣"


def _planned_mask(value: str, spec) -> str:
    """The plan-based mask, as ``value_masker`` made it before its direct maskers."""
    from dlp import redact

    spec, planner, char = redact._usable(spec)
    return "".join([char if m else ch for ch, m in zip(value, redact._plan_of(value, spec, planner))])


@settings(max_examples=1500, deadline=None)
@example("A123456789", 3)
@example("王", 7)
@example("歐陽小明", 7)
@example("歐陽明", 9)
@example("ab@c", 13)
@example("@x", 13)
@example("臺北市中正區重慶南路一段122號", 16)
@example("0912-345-678", 10)
@example("02 2311 2345#123", 10)
@example("   ", 0)
@example("", 2)
@given(st.text(alphabet=DIRECT_MASK_ALPHABET, max_size=24), st.integers(0, len(DIRECT_MASK_SPECS) - 1))
def test_a_value_masker_masks_as_its_plan_does(value, spec_index):
    from dlp.redact import value_masker

    spec = DIRECT_MASK_SPECS[spec_index]
    assert value_masker(spec)(value) == _planned_mask(value, spec)


def test_the_benchmark_texts_values_mask_as_their_plans_do(analyzer):
    from dlp.model import Segment
    from dlp.patterns import load_packs
    from dlp.redact import value_masker

    masks = load_packs(None).rule_masks
    maskers = {rule: value_masker(spec) for rule, spec in masks.items()}
    seen = 0
    for name, text in sorted(BENCH.items()):
        findings = analyzer.analyze([Segment(location="body", text=text, role="body")]).findings
        for f in findings:
            if f.rule in masks:
                value = text[f.start:f.end]
                assert maskers[f.rule](value) == _planned_mask(value, masks[f.rule]), (name, f.rule, value)
                seen += 1
    assert seen > 3000


# -- the policy's sample values, flagged in one pass ------------------------------------------------
@settings(max_examples=400, deadline=None)
@example([("TW_NATIONAL_ID", "A123456789", False), ("TW_PHONE", "0912-345-678", True), ("TW_PHONE", "", False)])
@given(st.lists(st.tuples(st.sampled_from(["TW_NATIONAL_ID", "TW_PHONE", "CREDIT_CARD", "PERSON"]),
                          st.sampled_from(["A123456789", "a123456789", "Ａ123456789", "0912345678", "0912-345-678",
                                           "4111 1111 1111 1111", "B123456780", "", "王小明"]),
                          st.booleans()), max_size=20))
def test_sample_flags_are_each_findings_sample_value_check(rows):
    from dlp.model import Finding
    from dlp.policy import Policy

    policy = Policy.default()
    findings = [Finding("personal_data", t, "body", i, i + 1, 1.0, "r", shadow=shadow, value_key=value)
                for i, (t, value, shadow) in enumerate(rows)]
    assert policy.sample_flags(findings) == [policy.is_sample_value(f) for f in findings]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 90), st.integers(0, 12)), min_size=1, max_size=40), st.integers(0, 5),
       st.integers(1, 100), st.booleans())
def test_run_windows_by_arrays_are_the_merged_windows(runs, reach, n, ordered):
    """``_run_windows`` with and without its array operations: the merged, widened runs."""
    import numpy as np

    from dlp import prefilter
    from dlp.prefilter import _merge, _run_windows

    if ordered:
        runs.sort()
    firsts = np.array([f for f, _ in runs], dtype=np.int64)
    lasts = np.array([f + d for f, d in runs], dtype=np.int64)
    plain = _merge((max(0, f - reach - 1), min(n, f + d + reach + 1)) for f, d in runs)
    few = prefilter._FEW_RUNS
    try:
        for prefilter._FEW_RUNS in (0, 1000):
            assert _run_windows(firsts, lasts, reach, n) == plain
    finally:
        prefilter._FEW_RUNS = few


# -- masks made only for the values an excerpt shows ----------------------------------------------
class _Recorded(dict):
    """Masks that note which values were asked for."""

    def __init__(self, *args):
        super().__init__(*args)
        self.asked: set[int] = set()

    def __getitem__(self, key):
        self.asked.add(key)
        return super().__getitem__(key)


def _shown_both_ways(text: str, personal: list, spans: list[tuple[int, int]]) -> None:
    from dlp.excerpts import excerpts_in_order, shown_values

    n = len(text)
    windows = [(max(0, s - 12), min(n, e + 12)) for s, e in spans]
    plain = [f for f in personal if any(lo <= f.start and f.end <= hi for lo, hi in windows)]
    shown = shown_values(text, spans, personal)
    assert [id(f) for f in shown] == [id(f) for f in plain]
    masks = _Recorded({id(f): "#" * (f.end - f.start) for f in personal})
    everything = excerpts_in_order(text, spans, personal, masks)
    assert masks.asked <= {id(f) for f in shown}  # every mask an excerpt shows was made
    only = {id(f): masks[id(f)] for f in shown}
    assert excerpts_in_order(text, spans, personal, only) == everything


@settings(max_examples=500, deadline=None)
@given(st.integers(0, 120), st.lists(st.tuples(st.integers(0, 120), st.integers(0, 15)), max_size=25),
       st.lists(st.integers(0, 24), max_size=12))
def test_the_values_an_excerpt_shows_are_the_values_inside_a_window(n, values, listed):
    from dlp.model import Finding
    from dlp.overlaps import by_start_longest_first

    text = ("王小明 0912-345-678，" * 10)[:n]
    personal = by_start_longest_first(Finding("personal_data", "PERSON", "body", min(s, n), min(s + d, n), 1.0, "r")
                                      for s, d in values)
    spans = sorted((f.start, f.end) for i, f in enumerate(personal) if i in set(listed))
    _shown_both_ways(text, personal, spans)


@pytest.mark.parametrize("name", sorted(BENCH))
def test_the_benchmark_texts_excerpts_show_only_values_inside_a_window(analyzer, name):
    from dlp.model import Segment
    from dlp.overlaps import by_start_longest_first
    from dlp.scan_limits import select_listed

    text = BENCH[name]
    findings = analyzer.analyze([Segment("body", text)]).findings
    personal = by_start_longest_first(f for f in findings if f.kind == "personal_data")
    listed = select_listed(findings, 300)
    _shown_both_ways(text, personal, sorted((f.start, f.end) for f in listed))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["TW_PHONE", "PERSON", "SECRECY_MARKING"]), st.sampled_from(["", "a", "b"]),
                          st.integers(0, 3)), max_size=20))
def test_the_policys_distinct_counts_are_the_distinct_keys_per_type(rows):
    from dlp.model import Finding
    from dlp.policy import _facts, distinct_key

    findings = [Finding("personal_data", t, "body", start, start + 1, 1.0, "r", value_key=value) for t, value, start in rows]
    plain: dict[str, set[str]] = {}
    for f in findings:
        plain.setdefault(f.type, set()).add(distinct_key(f))
    assert _facts(findings).counts == {t: len(keys) for t, keys in plain.items()}


@pytest.mark.skipif(hyperscan is None, reason="the hyperscan wheel is not installed here")
def test_a_scan_stopped_at_its_deadline_keeps_the_reports_before_the_stop():
    """At its deadline the scan stops at the 4,096th report (checked every 4,096): the runs are
    those of the reports up to it, and the text is complete up to a reach before the stop."""
    from dlp.prefilter import _char_offsets

    pf = _small_prefilter()
    text = "ab王先生é\n" * 800
    data = text.encode("utf-8")
    reports = [(i % len(pf._ids), (i * 7) % len(data)) for i in range(5000)]
    reports.sort(key=lambda r: r[1])
    pf._db = _Fed(reports)
    result = pf._scan(text, 0.0)  # a deadline long past
    stop = reports[4095][1]
    assert result.complete_until == max(0, _char_offsets(data, [stop])[stop] - max(pf.max_lengths.values()) - 1)
    _assert_as_the_plain_scan(pf, text, reports[:4096], result)
