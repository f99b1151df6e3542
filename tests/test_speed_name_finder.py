"""Issue 14 part 3: the Chinese name finder's shortcuts give the answers of the plain code.

Each shortcut is checked against the computation it replaced: the shaper's set-lookup
pre-checks and its one-pass given-name test (against the regexes tried at every position, on
drawn texts and on a real roster and mail), and the finder's picks made without jieba when both
ends are hard (against the traced scan, which still asks jieba about every reading and lists
the ones it cuts), and the masked-name patterns joined into one alternation (against each pattern
tried in turn). The findings snapshot (``test_findings_snapshot.py``) checks whole scans.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from pathlib import Path

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from dlp.engine import Analyzer
from dlp.model import Segment
from dlp.patterns import load_packs
from dlp.recognizers.person_config import is_han
from dlp.recognizers.person_shape import NameShaper, Shape, _first_of

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import texts as bench_texts  # noqa: E402  (the benchmark's generated roster and mail)
from test_speed_hot_path import _blocked_in_by_alternation  # noqa: E402  (blocked_in as it was)

DETECTORS = load_packs(None).detectors
SHAPER: NameShaper = next(d for d in DETECTORS if d.engine == "person").finders[0].shaper
#: surnames, given-name characters, honorifics, titles, labels, units, boundary words, punctuation
ALPHABET = "陳林王張簡歐陽黃美玲志明君小姐先生科長承辦人室員謝淑惠督導電話，、 \n1A○O*＊"
TEXT = st.text(alphabet=ALPHABET, max_size=40)


@pytest.fixture(scope="module")
def real_texts() -> list[str]:
    texts = bench_texts.texts()
    return [texts["dense"][:20_000], texts["mail"][:20_000]]


# -- the shaper as it was: the regexes asked at every position ------------------------------

def _plain_hard_start(text: str, s: int) -> bool:
    if s <= 0:
        return True
    ch = text[s - 1]
    if not is_han(ch) or ch in SHAPER.excluded:
        return True
    return any(m.end() == s for m in SHAPER.settled_re.finditer(text, max(0, s - 6), s))


def _plain_hard_end(text: str, e: int) -> bool:
    if e >= len(text):
        return True
    ch = text[e]
    return not is_han(ch) or ch in SHAPER.excluded or SHAPER.boundary_re.match(text, e) is not None


def _plain_given_ok(text: str, a: int, b: int) -> bool:
    if b > len(text):
        return False
    for k in range(a, b):
        if not (is_han(text[k]) and text[k] not in SHAPER.excluded) or SHAPER.inner_re.match(text, k):
            return False
    return SHAPER.boundary_re.match(text, a) is None


def _plain_starting_at(text: str, p: int) -> list[Shape]:
    out = []
    for sl, common, note in SHAPER.surname_readings(text, p):
        for gl in (2,) if note.startswith("married") else (1, 2):
            if _plain_given_ok(text, p + sl, p + sl + gl):
                out.append(Shape(p, p + sl + gl, sl, common, note))
    return out


def _same_shaper_answers(text: str) -> None:
    reader = SHAPER.reader(text)
    for _ in range(2):  # the second round answers from the reader's memory
        for i in range(len(text) + 2):
            if i <= len(text):
                assert SHAPER.hard_start(text, i) == reader.hard_start(i) == _plain_hard_start(text, i), i
            assert SHAPER.hard_end(text, i) == reader.hard_end(i) == _plain_hard_end(text, i), i
            want = _plain_starting_at(text, i)
            assert SHAPER.starting_at(text, i) == reader.starting_at(i) == want, i
            ending = [s for total in (2, 3, 4, 5) if i - total >= 0 for s in _plain_starting_at(text, i - total) if s.end == i]
            assert reader.ending_at(i) == ending, i


def _plain_masked_at(text: str, s: int, e: int) -> str | None:
    for pat in SHAPER.masked:
        m = pat.match(text, s, e)
        if m:
            return m.group()
    return None


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_the_masked_name_patterns_as_one_alternation_match_what_the_first_of_them_matches(text):
    assert SHAPER.masked_any is not None  # the pack's patterns are plain: the alternation is used
    for s in range(len(text) + 1):
        for e in range(s, min(len(text), s + 5) + 1):
            assert SHAPER.masked_at(text, s, e) == _plain_masked_at(text, s, e), (s, e)


def test_patterns_an_alternation_could_read_otherwise_are_tried_one_by_one():
    plain = (regex.compile("a"), regex.compile("b+"))
    assert _first_of(plain).pattern == "(?:a)|(?:b+)"
    assert _first_of((regex.compile("(a)\\1"), regex.compile("b"))) is None  # a group: numbers would shift
    assert _first_of((regex.compile("(?i)a"), regex.compile("b"))) is None  # an inline flag
    assert _first_of((regex.compile("a", regex.IGNORECASE), regex.compile("b"))) is None  # flags differ
    assert _first_of(plain[:1]) is None  # one pattern: nothing to join


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_the_shapers_set_lookups_and_one_pass_given_name_answer_as_the_regexes_did(text):
    _same_shaper_answers(text)


def test_the_shaper_answers_as_the_regexes_did_on_a_real_roster_and_mail(real_texts):
    for text in real_texts:
        _same_shaper_answers(text[:6_000])


# -- the finder: the plain scan gives the traced scan's findings ----------------------------

def test_picks_made_without_jieba_give_the_findings_of_the_traced_scan_on_a_roster_and_a_mail(real_texts):
    """Without a trace a reading with a hard start and a hard end is picked without jieba's
    tokens (they cannot cut it), the picks are remembered per position and the neighbours'
    windows read the memories directly; the traced scan computes each of them in full."""
    analyzer = Analyzer(DETECTORS)
    for text in real_texts:
        plain = analyzer.analyze([Segment("body", text)])
        traced = analyzer.analyze([Segment("body", text)], explain=True)
        key = [(f.type, f.start, f.end, f.rule, f.score, f.excerpt) for f in plain.findings]
        assert key == [(f.type, f.start, f.end, f.rule, f.score, f.excerpt) for f in traced.findings]
        assert sum(f.type == "PERSON" for f in plain.findings) > 20  # names were found: the test can fail


# -- the neighbours' windows: one loop for all gives what a walk per window gave ------------

def _walk_each_window(scan, neighbours) -> None:
    """``_Scan.scan_window`` as it was, one call per window (before and after each neighbour)."""
    from dlp.recognizers.person_shape import crossing, token_starts

    text, sh = scan.text, scan.sh
    before, after = scan.cfg.windows["neighbour_before"], scan.cfg.windows["neighbour_after"]
    for n in neighbours:
        lo = max(0, n.start - before)
        cut = text.rfind("\n", lo, n.start)
        if cut != -1:
            lo = max(lo, text.rfind("\n", lo, cut) + 1)
        hi = min(len(text), n.end + after)
        cut = text.find("\n", n.end, hi)
        hi = cut if cut != -1 else hi
        weak = n.type in scan.cfg.weak_neighbour_types
        for a, b in ((lo, n.start), (n.end, hi)):
            i, toks = a, None
            while i < b:
                m = sh.surname_start_re.search(text, i, b)
                if m is None:
                    break
                i = m.start()
                ch = text[i]
                if ch not in sh.singles and text[i:i + 2] not in sh.two_char or scan.overlaps_accepted(i, i + 1):
                    i += 1
                    continue
                if not sh.hard_start(i):
                    if weak or ch not in sh.common:
                        i += 1
                        continue
                    toks = scan.tokens(a, b) if toks is None else toks
                    if i not in token_starts(toks) or crossing(toks, i):
                        i += 1
                        continue
                shape = scan.pick_from(i)
                if shape is None or shape.end > b + 1:
                    i += 1
                    continue
                scan.propose(shape, "neighbour", f"next to {n.type}")
                i = shape.end


def test_the_neighbours_walked_in_one_loop_propose_what_a_walk_per_window_proposed(real_texts):
    from dlp.recognizers import person_zh

    person = next(d for d in DETECTORS if d.engine == "person")
    finder = person.finders[0]
    analyzer = Analyzer(DETECTORS)
    for text in real_texts:
        caught: list = []

        def seen(ctx, caught=caught, plain=person.detect):  # the segment as the name finder gets it
            caught.append((ctx, list(ctx.accepted)))
            return plain(ctx)

        person.detect = seen
        try:
            analyzer.analyze([Segment("body", text)])
        finally:
            del person.detect  # the class's method again
        ctx, accepted = caught[0]
        ctx.accepted = accepted
        neighbours = [c for c in accepted if c.type in finder.cfg.neighbour_types and c.accepted]
        assert len(neighbours) > 50
        one_loop, per_window = person_zh._Scan(finder, ctx, neighbours), person_zh._Scan(finder, ctx, neighbours)
        one_loop.on_neighbours(neighbours)
        _walk_each_window(per_window, neighbours)
        got = [(k, p.shape, list(p.reasons.items())) for k, p in one_loop.proposals.items()]
        assert got == [(k, p.shape, list(p.reasons.items())) for k, p in per_window.proposals.items()]
        assert len(got) > 20


# -- the judgement's first-character tests and its positional Candidate ---------------------

FINDER = next(d for d in DETECTORS if d.engine == "person").finders[0]


def _no_word_starts_where_no_first_character_is(text: str) -> None:
    """Where the text's character is not in ``after_firsts`` (``org_firsts``), the honorific
    and title alternations (the organisation suffixes') match nothing: the judgement may skip
    them there."""
    f = FINDER
    assert f.after_firsts is not None and f.org_firsts is not None  # the pack's lists: the tests are used
    for j in range(len(text) + 1):
        if text[j:j + 1] not in f.after_firsts:
            assert f.honorific_after_re.match(text, j) is None, j
            assert f.title_after_re.match(text, j) is None, j
        if text[j:j + 1] not in f.org_firsts:
            assert f.shaper.org_re.match(text, j) is None, j


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET + "局處署所會公司部科", max_size=40))
def test_no_honorific_title_or_organisation_matches_where_none_of_their_words_starts(text):
    _no_word_starts_where_no_first_character_is(text)


def test_the_first_character_tests_hold_on_a_real_roster_and_mail(real_texts):
    for text in real_texts:
        _no_word_starts_where_no_first_character_is(text[:6_000])


def test_a_judged_names_positional_candidate_has_the_fields_the_keyword_call_gave():
    from dlp.normalize import normalize
    from dlp.recognizers.base import Candidate, ScanContext
    from dlp.recognizers.person_zh import _Scan

    text = "承辦人林美玲，電話0912345678"
    scan = _Scan(FINDER, ScanContext(normalize(text)), [])
    got = scan.candidate(3, 6, 0.81234, True, "why")
    assert got == Candidate(
        type="PERSON", kind="personal_data", start=3, end=6, score=0.812, rule=FINDER.rule.id,
        accepted=True, why="why", shadow=FINDER.rule.shadow, value_key="林美玲",
    )


# -- a line read as a table header once, whatever number of labels it holds ------------------------

def _plain_header(text: str, line_start: int, line_end: int, word: str):
    from dlp.recognizers.person_zh import _DELIMITERS

    header = text[line_start:line_end]
    split = next((pat for mark, pat in _DELIMITERS if mark in header.strip()), None)
    if split is None:
        return None
    stripped = [c.strip() for c in split.split(header)]
    return (split, stripped.index(word)) if word in stripped else None


def test_a_header_lines_cells_are_read_once_and_answer_as_the_split_did(real_texts):
    from dlp.normalize import normalize
    from dlp.recognizers import person_zh

    one_line = "承辦人王小明，電話 0912-345-678，姓名 林美玲\t承辦人\t姓名\t電話 " * 300  # one line, 900 labels
    for text in [*real_texts, one_line, "編號\t姓名\t電話\n1\t王小明\t0912345678\n"]:
        ctx = Analyzer(DETECTORS).nlp_engine.process_segment(normalize(text), "body", "body", False).scan_context
        scan = person_zh._Scan(FINDER, ctx, [])
        lines, pos = [], 0
        while pos <= len(text) and len(lines) < 400:
            nl = text.find("\n", pos)
            nl = len(text) if nl == -1 else nl
            lines.append((pos, nl))
            pos = nl + 1
        for lo, hi in lines:
            for word in ("姓名", "承辦人", "電話", "編號", "林美玲"):
                split, columns = scan.header_cells(lo, hi)
                col = columns.get(word)
                assert (None if split is None or col is None else (split, col)) == _plain_header(text, lo, hi, word)
        assert len(scan._header_cells) == len(lines)  # one reading per line, however many labels asked


# -- third round: str.split for one-character delimiters, the judgement's arithmetic -------------

@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="\t|, 　王小明姓名\n", max_size=30))
def test_a_one_character_delimiter_splits_as_its_pattern_does(line):
    from dlp.recognizers.person_zh import _DELIMITERS, _LITERAL_MARKS

    assert _LITERAL_MARKS < {mark for mark, _ in _DELIMITERS}
    for mark, pat in _DELIMITERS:
        if mark in _LITERAL_MARKS:  # header_cells splits these by str.split
            assert pat.pattern == {"\t": r"\t", "|": r"\|", ",": ","}[mark]  # the character alone
            assert pat.split(line) == line.split(mark), mark


@settings(max_examples=500, deadline=None)
@given(st.floats(min_value=-3.0, max_value=3.0), st.lists(st.sampled_from(sorted(FINDER.scores)), max_size=8))
def test_the_judgements_score_is_the_sum_and_clamp_it_was(base, keys):
    sc = dict(FINDER.scores)
    reasons = dict.fromkeys(keys, "")
    plain = base + sum([sc[k] for k in reasons])
    fast = base + sum(map(sc.__getitem__, reasons))
    assert fast == plain
    clamped = fast if fast < 1.0 else 1.0
    clamped = clamped if clamped > 0.0 else 0.0
    assert clamped == max(0.0, min(1.0, plain)) and str(clamped) == str(max(0.0, min(1.0, plain)))


@settings(max_examples=300, deadline=None)
@given(st.frozensets(st.sampled_from(["label", "title_before", "unit", "suffix", "title", "table", "speaker",
                                      "signature", "neighbour", "jieba", "given_name", "field", "row", "context"])))
def test_strong_evidence_by_isdisjoint_is_the_intersections_truth(evidence):
    from dlp.recognizers.person_pos import STRONG_EVIDENCE

    keys = dict.fromkeys(sorted(evidence)).keys()  # what the judgement passes: a dict's keys
    assert (not STRONG_EVIDENCE.isdisjoint(keys)) == bool(keys & STRONG_EVIDENCE)


def test_the_judgements_of_a_roster_and_a_mail_are_those_of_the_plain_code(real_texts):
    """Every proposal of the two texts judged by the finder and by the judgement as it was
    (``_plain_judge``): the same candidates, scores and accepted flags."""
    from dlp.recognizers import person_zh

    for text in real_texts:
        scans = []
        plain_decide = person_zh._Scan.decide

        def capture(self, scans=scans, plain_decide=plain_decide):
            scans.append((self, [(k, p.shape, dict(p.reasons), p.firm) for k, p in self.proposals.items()]))
            return plain_decide(self)

        person_zh._Scan.decide = capture
        try:
            Analyzer(DETECTORS).analyze([Segment("body", text)])
        finally:
            person_zh._Scan.decide = plain_decide
        scan, props = max(scans, key=lambda x: len(x[1]))
        assert len(props) > 20
        for _, shape, reasons, firm in props:
            fast = scan.judge(person_zh.Proposal(shape, dict(reasons), firm))
            plain = _plain_judge(scan, person_zh.Proposal(shape, dict(reasons), firm))
            assert dataclasses.replace(fast, why="") == plain, shape  # (a rejection's why is words only)


def _plain_judge(scan, prop):
    """``_Scan.judge`` and ``add_context`` as they were before the third round (no trace)."""
    from dlp.recognizers.person_pos import ordinary_reading
    from dlp.recognizers.person_zh import _LAYOUT_REACH

    self, text, cfg = scan, scan.text, scan.cfg
    sc = self.f.scores
    shape = prop.shape
    s, e = shape.start, shape.end
    name = text[s:e]
    if s < e and self.taken.find(1, s, e) >= 0 or name in self.f.role_words or cfg.sample_after.match(text, e):
        return self.candidate(s, e, 0.0, False, "")
    blocked = self.blocked(shape)
    if blocked and not (prop.firm and self.tagger.agrees(s, e)):
        return self.candidate(s, e, 0.0, False, "")
    reasons = prop.reasons
    # add_context
    if "label" not in reasons and self.sh.label_re.search(text, max(0, s - self._label_reach), s):
        for m in self.sh.label_re.finditer(text, max(0, s - self._label_reach), s):
            tail = cfg.label_tail.match(text, m.end())
            if tail and tail.end() == s and m.group() not in cfg.colon_only_labels:
                reasons["label"] = ""
    if "field" not in reasons and "row" not in reasons and cfg.value_end.match(text, e):
        nl = text.rfind("\n", max(0, s - _LAYOUT_REACH), s)
        ls = nl + 1 if nl >= 0 else 0 if s <= _LAYOUT_REACH else s - _LAYOUT_REACH
        if cfg.field_prefix.search(text, max(ls, s - 16), s):
            reasons["field"] = ""
        elif (nl >= 0 or s <= _LAYOUT_REACH) and cfg.row_prefix.fullmatch(text, ls, s):
            reasons["row"] = ""
    if "suffix" not in reasons and "title" not in reasons:
        j = e
        while j < len(text) and j - e < self._suffix_gap and text[j] in " \t":
            j += 1
        if self.f.honorific_after_re and self.f.honorific_after_re.match(text, j):
            reasons["suffix"] = ""
        elif self.f.title_after_re and self.f.title_after_re.match(text, j):
            reasons["title"] = ""
    if "neighbour" not in reasons and self.near_neighbour(s, e) is not None:
        reasons["neighbour"] = ""
    given = text[s + shape.surname_len:e]
    if "given_name" not in reasons and given in cfg.given_names:
        reasons["given_name"] = ""
    # the rest of judge
    if "suffix" not in reasons and "title" not in reasons:
        m = self.org_re.match(text, e)
        if m and not self.org_is_longer_word(e, m.group()):
            return self.candidate(s, e, 0.0, False, "")
    if self.both_hard(shape):
        if self.has_jieba and self.is_common_word(name):
            return self.candidate(s, e, 0.0, False, "")
        reasons["jieba"] = ""
    else:
        toks = self.tokens(s, e)
        if toks:
            if self.cut_word(toks, s, e) or self.is_common_word(name):
                return self.candidate(s, e, 0.0, False, "")
            reasons["jieba"] = ""
    if not prop.firm and ordinary_reading(name, shape.surname_len, shape.common, set(reasons), cfg):
        return self.candidate(s, e, 0.0, False, "")
    score = sc["base"] + sum([sc[k] for k in reasons])
    if not shape.common:
        score += sc["rare_surname"]
    if score < sc["min"] <= score + sc["jieba_nr"] and self.tagger.agrees(s, e):
        score += sc["jieba_nr"]
    score = max(0.0, min(1.0, score))
    return self.candidate(s, e, score, score >= sc["min"], "")


# -- blocked words: a loop over the few positions, the lengths per first character ----------------

_BLOCKED_RE = re.compile("|".join(re.escape(w) for w in sorted(SHAPER.blocked, key=lambda w: (-len(w), w))))
#: the characters of some blocked words, a surname, punctuation: words, parts of words, overlaps
BLOCKED_ALPHABET = "".join(sorted(set("".join(sorted(SHAPER.blocked)[:40])))) + "陳林王美玲，、 \n"


def _same_blocked_answers(text: str) -> None:
    memo: dict = {}
    for i in range(len(text) + 1):
        m = _BLOCKED_RE.match(text, i)
        assert SHAPER.blocked_at(text, i) == (m.group() if m else None), i
        for j in range(i, min(len(text), i + 6) + 1):
            for inner in (True, False):
                want = _blocked_in_by_alternation(_BLOCKED_RE, text, i, j, inner)  # the first round's
                assert SHAPER.blocked_in(text, i, j, inner) == SHAPER.blocked_in(text, i, j, inner, memo) == want


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=BLOCKED_ALPHABET, max_size=30))
def test_blocked_words_by_set_lookups_are_what_the_alternation_finds(text):
    _same_blocked_answers(text)


def test_blocked_words_by_set_lookups_hold_on_a_real_roster_and_mail(real_texts):
    for text in real_texts:
        _same_blocked_answers(text[:4_000])
    assert any(SHAPER.blocked_at(real_texts[0], k) for k in range(4_000))  # words were there: the test can fail


# -- boundary and inner words by set lookups -----------------------------------------------------

WORD_ALPHABET = "".join(sorted(set("".join(sorted(SHAPER.boundary.words)[:60])))) + "陳林美玲先生小姐君，、 \n"


def _same_word_answers(text: str) -> None:
    for i in range(len(text) + 1):
        assert SHAPER.boundary_word_at(text, i) == (SHAPER.boundary_re.match(text, i) is not None), i
        assert SHAPER.inner_word_at(text, i) == (SHAPER.inner_re.match(text, i) is not None), i


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=WORD_ALPHABET, max_size=30))
def test_boundary_and_inner_words_by_set_lookups_are_what_their_alternations_match(text):
    assert SHAPER.boundary.lengths is not None and SHAPER.inner.lengths is not None  # the lookups are used
    _same_word_answers(text)


def test_boundary_and_inner_words_by_set_lookups_hold_on_a_real_roster_and_mail(real_texts):
    for text in real_texts:
        _same_word_answers(text)


def test_a_word_list_with_an_empty_word_or_none_is_left_to_its_alternation():
    from dlp.recognizers.person_shape import _word_lengths

    assert _word_lengths([]) is None and _word_lengths(["先生", ""]) is None  # they match everywhere
    assert _word_lengths(["先生", "先", "小姐"]) == {"先": (2, 1), "小": (2,)}


def _same_cue_blocked_answers(text: str) -> None:
    cues = FINDER.cues
    assert cues.blocked.lengths is not None  # the lookups are used
    for i in range(len(text) + 1):
        m = cues.blocked_re.match(text, i)
        assert cues.blocked_at(text, i) == (m.group() if m else None), i


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=BLOCKED_ALPHABET, max_size=30))
def test_the_cues_blocked_word_at_a_surname_is_what_the_alternation_matches(text):
    _same_cue_blocked_answers(text)


def test_the_cues_blocked_word_holds_on_a_real_roster_and_mail(real_texts):
    for text in real_texts:
        _same_cue_blocked_answers(text)


# -- settled words before a name: finditer's matches by set lookups --------------------------------

SETTLED_ALPHABET = "".join(sorted(set("".join(sorted(SHAPER.settled.words)[:80])))) + "陳林美玲，、 \n"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=SETTLED_ALPHABET, max_size=24))
def test_a_settled_word_ending_at_a_start_is_found_as_finditer_found_it(text):
    """Overlapping words (人事室 and 事室, 科長 and 長) are where a walk could differ from
    ``finditer``: a match hides the words starting inside it."""
    assert SHAPER.settled.lengths is not None  # the lookups are used
    for s in range(len(text) + 1):
        assert SHAPER.hard_start(text, s) == _plain_hard_start(text, s), s


def test_a_settled_word_hidden_inside_an_earlier_match_is_not_found_as_finditer_did_not():
    """上校長: finditer matches 上校 and goes on after it, so 校長 does not end at the name's
    start; every pair of the pack's settled words that overlap so, before a name."""
    words = sorted(SHAPER.settled.words)
    overlaps = [a + b[k:] for a in words for b in words for k in range(1, min(len(a), len(b)))
                if a[-k:] == b[:k] and len(b) > k]
    assert len(overlaps) > 50
    hidden = 0
    for joined in overlaps:
        for lead in ("", "，", "的"):
            text = lead + joined + "王小明"
            s = len(lead + joined)
            assert SHAPER.hard_start(text, s) == _plain_hard_start(text, s), text
            hidden += not _plain_hard_start(text, s)
    assert hidden  # some word was hidden: the test can tell a walk that misses it


def test_settled_words_by_set_lookups_hold_on_a_real_roster_and_mail(real_texts):
    for text in real_texts:
        for s in range(len(text) + 1):
            assert SHAPER.hard_start(text, s) == _plain_hard_start(text, s), s


# -- the pick at a hard start: longest first, each end tested only when reached -------------------

def _same_picks(text: str) -> None:
    """Every position's pick without a trace (the hard-start shortcut) is the traced scan's
    (every reading blocked, cut and compared in full), firm or not."""
    from dlp.normalize import normalize
    from dlp.recognizers.person_zh import _Scan

    ctx = Analyzer(DETECTORS).nlp_engine.process_segment(normalize(text), "body", "body", False).scan_context
    plain = _Scan(FINDER, ctx, [])
    ctx.trace = []
    traced = _Scan(FINDER, ctx, [])
    assert traced.tracing and not plain.tracing
    for p in range(len(text)):
        for firm in (False, True):
            assert plain._pick_from(p, firm) == traced._pick_from(p, firm), (p, firm)


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_a_pick_at_a_hard_start_is_the_pick_the_long_way_gives(text):
    _same_picks(text)


def test_picks_at_every_position_of_a_real_roster_and_mail_are_the_long_ways(real_texts):
    for text in real_texts:
        _same_picks(text[:3_000])


EVIDENCE = st.frozensets(st.sampled_from(sorted(FINDER.scores.keys() - {"base", "min", "jieba_nr", "rare_surname"})))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="陳林王歐陽美玲志明口罩銀行苗栗縣部科建國金龍", min_size=2, max_size=5),
       st.integers(1, 2), st.booleans(), EVIDENCE)
def test_an_ordinary_reading_never_depends_on_the_jieba_evidence(name, surname_len, common, evidence):
    """The judgement rejects an ordinary reading before jieba's test (without a trace): the
    reading's answer must be the same with and without the jieba reason."""
    from dlp.recognizers.person_pos import ordinary_reading

    with_jieba = ordinary_reading(name, surname_len, common, evidence | {"jieba"}, FINDER.cfg)
    assert with_jieba == ordinary_reading(name, surname_len, common, evidence - {"jieba"}, FINDER.cfg)


# -- fourth round: one coverage map, the picks keyed by position ---------------------------

def _plain_taken(ctx) -> bytearray:
    """``_Scan.taken`` as it was built: every finding of ``ctx.accepted``, accepted or not."""
    taken = bytearray(len(ctx.text))
    for c in ctx.accepted:
        if c.end > c.start:
            taken[c.start:c.end] = b"\x01" * (c.end - c.start)
    return taken


def _plain_repeats_covered(ctx, found) -> bytearray:
    """``_repeats``' coverage map as it was built: the accepted findings and names."""
    covered = bytearray(len(ctx.text))
    for c in [*ctx.accepted, *found]:
        if c.accepted:
            covered[c.start:c.end] = b"\x01" * (c.end - c.start)
    return covered


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 12), st.booleans()), max_size=12),
       st.lists(st.tuples(st.integers(0, 30), st.integers(0, 5), st.booleans()), max_size=4))
def test_one_coverage_map_is_the_finders_and_the_repeats_map(spans, names):
    """``CoveredCharacters`` (read once for ``_Scan.taken`` and ``_repeats``) gives each the map it
    built on its own: every finding's characters for the first (accepted or not: the map is
    shared only when all are accepted), the accepted ones' and the names' for the second."""
    from dlp.normalize import normalize
    from dlp.recognizers.base import Candidate, ScanContext
    from dlp.recognizers.person_zh import CoveredCharacters, _Scan

    ctx = ScanContext(normalize("王小明 0912345678 陳美玲 A123456789 林志明，王小明"))

    def cand(s, n, ok):  # (a finding's span: 0 <= start <= end <= the text's length)
        return Candidate("TW_PHONE", "personal_data", s, min(s + n, len(ctx.text)), 1.0, "r", ok, "")

    ctx.accepted = [cand(*t) for t in spans]
    covered = CoveredCharacters(ctx)
    assert _Scan(FINDER, ctx, [], covered).taken == _plain_taken(ctx)
    assert _Scan(FINDER, ctx, [], None).taken == _plain_taken(ctx)
    found = [cand(*t) for t in names]
    person = next(d for d in DETECTORS if d.engine == "person")
    base = bytes(covered.accepted()[0])
    assert base == bytes(_plain_repeats_covered(ctx, []))
    assert person._repeats(ctx, found, covered) == person._repeats(ctx, found, None)
    assert bytes(covered.accepted()[0]) == base  # read, not changed


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(1, 3), st.booleans(),
                          st.sampled_from(["single surname", "compound or double surname"])), min_size=1, max_size=5))
def test_the_hard_start_picks_order_is_the_stable_sort_by_end(readings):
    """``_pick_from`` orders two readings by comparing their ends (no ``sorted`` call): the
    order ``sorted(key=end, reverse=True)`` gives, equal ends in their order; the first pick at
    a hard start is then the same on drawn texts and the real ones (``_same_picks``)."""
    shapes = [Shape(0, 1 + end, sl, common, note) for end, sl, common, note in readings]
    expected = sorted(shapes, key=lambda s: s.end, reverse=True)
    if len(shapes) == 2:
        a, b = shapes
        assert list((b, a) if a[1] < b[1] else shapes) == expected


def _plain_roman_windows(finder, ctx, chinese, seen, out) -> None:
    """The romanised finder's neighbour windows as they were: each window searched, then read."""
    cfg, text = finder.cfg, ctx.text
    kinds = cfg.neighbour_types | cfg.weak_neighbour_types
    search = cfg.name_regex.search
    before, after, size = cfg.windows["neighbour_before"], cfg.windows["neighbour_after"], len(text)
    for n in [c for c in ctx.accepted if c.accepted and c.type in kinds]:
        s, e = n.start, n.end
        for a, b in ((s - before if s > before else 0, s), (e, e + after if e + after < size else size)):
            if search(text, a, b) is None:
                continue
            for m in cfg.name_regex.finditer(text, a, b):
                span = finder._trim(text, m.start(), m.end())
                if span is None or span in seen:
                    continue
                seen.add(span)
                cand = finder._judge(ctx, span, n, names=chinese)
                if cand.accepted:
                    out.append(cand)


ROMAN = st.lists(st.sampled_from(["NGUYEN VAN AN", "Maria Santos", " ", "，", "\n", "居留證號", "FC12345678",
                                  "A123456789", "0912-345-678", "Kevin Chang", "陳美玲", "ID", "Name:"]), max_size=14)


def _person_context(text: str):
    """The segment's context as the person detector gets it (the earlier detectors' findings
    accepted), or None when the analysis never reached it."""
    person = next(d for d in DETECTORS if d.engine == "person")
    caught: list = []

    def seen_ctx(ctx, caught=caught, plain=person.detect):
        caught.append((ctx, list(ctx.accepted)))
        return plain(ctx)

    person.detect = seen_ctx
    try:
        Analyzer(DETECTORS).analyze([Segment("body", text)])
    finally:
        del person.detect
    if not caught:
        return None
    ctx, accepted = caught[0]
    ctx.accepted = accepted
    return ctx


def _same_roman_windows(text: str) -> int:
    """The romanised finder's candidates over ``text``, judged in the order the plain windows
    judged them; how many there were."""
    from dlp.recognizers.person_roman import RomanisedNameFinder

    person = next(d for d in DETECTORS if d.engine == "person")
    roman = next(f for f in person.finders if isinstance(f, RomanisedNameFinder))
    ctx = _person_context(text)
    if ctx is None:
        return 0
    judged: list = []
    original = roman._judge

    def judge(*a, **k):
        cand = original(*a, **k)
        judged.append((cand.start, cand.end, cand.score, cand.accepted))
        return cand

    roman._judge = judge
    try:
        roman.detect(ctx, [])
        fast = list(judged)
        judged.clear()
        seen: set = set()
        if roman.cfg.titled is not None:  # the titled names come first, as in detect()
            for m in roman.cfg.titled.finditer(ctx.text):
                span = roman._trim(ctx.text, m.start("name"), m.end("name"))
                if span is not None and span not in seen:
                    seen.add(span)
                    judge(ctx, span, None, m.group("title"), {})
        _plain_roman_windows(roman, ctx, {}, seen, [])
    finally:
        del roman._judge
    assert fast[:len(judged)] == judged
    return len(judged)


@settings(max_examples=150, deadline=None)
@given(ROMAN)
def test_the_romanised_windows_read_as_each_window_searched_did(parts):
    """Both windows of a neighbour are searched before either is read (a search has no side
    effect), and a neighbour whose windows hold no match builds no pair: the candidates judged,
    in their order, are those of a search and a read per window."""
    _same_roman_windows("".join(parts) * 2)


def test_the_romanised_windows_hold_on_a_roster_with_romanised_names(real_texts):
    text = "居留證號 FC12345678 NGUYEN VAN AN，電話 0912-345-678 Maria Santos\n" * 20
    assert _same_roman_windows(text) > 0  # names were judged next to the IDs: the test can fail
    for real in real_texts:
        _same_roman_windows(real[:5_000])


def _plain_word_before(cues, text: str, p: int):
    """``CueFinder._word_before`` as it was: every length from the longest cue word down."""
    from dlp.recognizers.person_cues import _GAP, Cue

    j = p
    while j > 0 and p - j < _GAP and text[j - 1] in " \t":
        j -= 1
    if j > 0 and text[j - 1] == ":":
        j -= 1
        while j > 0 and p - j < _GAP and text[j - 1] in " \t":
            j -= 1
    for k in range(min(cues.longest, j), 0, -1):
        word = text[j - k:j]
        kind = cues.kinds.get(word)
        if kind is not None:
            return Cue(kind, word, j - k, j)
    return None


CUE_ALPHABET = "科員長主任人事室文書科上尉醫師案父調找與請由 :\t陳林王志豪明"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=CUE_ALPHABET, max_size=20))
def test_the_cue_word_before_a_surname_is_the_longest_as_every_length_tried_found(text):
    """Only the lengths of cue words ending with the character before the gap are tried: the
    same word (the longest that ends there) as trying every length from the longest down."""
    cues = FINDER.cues
    for p in range(len(text) + 1):
        assert cues._word_before(text, p) == _plain_word_before(cues, text, p), p


def test_the_cue_word_before_a_surname_holds_on_a_real_roster_and_mail(real_texts):
    cues = FINDER.cues
    found = 0
    for text in real_texts:
        for m in cues.surname_re.finditer(text):
            got = cues._word_before(text, m.start())
            assert got == _plain_word_before(cues, text, m.start())
            found += got is not None
    assert found > 10  # cue words were found: the test can fail


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET + "主旨說明：:", max_size=30))
def test_no_speaker_is_proposed_where_no_reading_starts(text):
    """A chat speaker whose first character starts no surname reading is skipped before its
    line is read: its pick is None, traced or not, and the trace lists nothing for it; and
    whether words follow on the line is read without a stripped copy."""
    from dlp.normalize import normalize
    from dlp.recognizers.person_zh import _Scan

    ctx = Analyzer(DETECTORS).nlp_engine.process_segment(normalize(text), "body", "body", False).scan_context
    plain = _Scan(FINDER, ctx, [])
    ctx.trace = []
    traced = _Scan(FINDER, ctx, [])
    norm = ctx.text
    for p in range(len(norm)):
        if norm[p] not in FINDER.shaper.surname_firsts:
            assert plain.pick_from(p) is None and traced.pick_from(p) is None
    assert traced.discarded == [] or all(norm[c.start] in FINDER.shaper.surname_firsts for c in traced.discarded)
    for k in range(len(text) + 1):
        rest = text[k:]
        assert (bool(rest) and not rest.isspace()) == bool(rest.strip())


def _plain_repeats(person, ctx, found):
    """``PersonDetector._repeats`` as it was: every first character's position tested in Python."""
    text = ctx.text
    by_value = {}
    for cand in found:
        value = text[cand.start:cand.end]
        min_len = person.repeat_min.get(cand.rule, 0)
        if min_len and len(value) >= min_len:
            by_value.setdefault(value, cand)
    if not by_value:
        return []
    covered = bytearray(len(text))
    for c in [*ctx.accepted, *found]:
        if c.accepted:
            covered[c.start:c.end] = b"\x01" * (c.end - c.start)
    lengths = sorted({len(v) for v in by_value}, reverse=True)
    firsts = "".join(sorted({v[0] for v in by_value}))
    extra = []
    for m in re.finditer(f"[{re.escape(firsts)}]", text):
        pos = m.start()
        if covered[pos]:
            continue
        for n in lengths:
            cand = by_value.get(text[pos:pos + n])
            if cand is None:
                continue
            end = pos + n
            value = text[pos:end]
            latin_glued = value[0].isascii() and (
                pos > 0 and text[pos - 1].isalpha() or end < len(text) and text[end].isalpha())
            if latin_glued or any(covered[pos:end]):
                continue
            extra.append(dataclasses.replace(cand, start=pos, end=end, why=f"{value!r} again ({cand.why})"))
            covered[pos:end] = b"\x01" * n
            break
    return extra


def _same_repeats(text: str) -> int:
    """The repeated names of ``text``: where and which, as the plain loop found them."""
    from dlp.recognizers.person_zh import CoveredCharacters

    person = next(d for d in DETECTORS if d.engine == "person")
    ctx = _person_context(text)
    if ctx is None:
        return 0
    covered = CoveredCharacters(ctx)
    found = [c for f in person.finders[:1] for c in f.detect(ctx, covered)]
    fast = [(c.start, c.end, c.value_key) for c in person._repeats(ctx, found, covered)]
    assert fast == [(c.start, c.end, c.value_key) for c in _plain_repeats(person, ctx, found)]
    return len(fast)


REPEATS = st.lists(st.sampled_from(["姓名：黃志宏\n", "函送黃志宏等3人", "黃志宏", "，電話0912345678。", "黃志",
                                    "姓名：陳美玲", " ", "\n", "宏", "陳美玲、", "A"]), max_size=12)


@settings(max_examples=150, deadline=None)
@given(REPEATS)
def test_repeated_names_are_found_where_the_plain_loop_found_them(parts):
    _same_repeats("".join(parts))


def test_repeated_names_hold_on_a_real_roster_and_mail(real_texts):
    assert _same_repeats("姓名：黃志宏\n函送黃志宏等3人，黃志宏黃志宏") > 0  # repeats were found: the test can fail
    for text in real_texts:
        _same_repeats(text)


SAMPLE_PATTERNS = [r"[ \t]*\((?:範例|範本|假名)\)", r"(?<!\p{Han})\(範例\)", r"^\(範例\)", r"\(範例\)$",
                   r"(?m)^[ \t]*\(範例\)", r"\b\(?範例", r"\G\(範例\)", r"(?r)\(範例\)", r"[ \t]*", r"(?=\()"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="(範例) \t\n王a", max_size=16), st.sampled_from(SAMPLE_PATTERNS))
def test_no_sample_marker_anywhere_means_none_after_any_name(text, pattern):
    """The judgement asks the sample marker after a name only when a search of the whole text
    finds one somewhere: where the search decides (no ``\\G``, not reversed), no match found
    means no ``match(text, e)`` at any ``e``; the pack's own pattern is one that it decides."""
    from dlp.recognizers.person_zh import search_decides

    pat = regex.compile(pattern)
    if search_decides(pat) and pat.search(text) is None:
        assert all(pat.match(text, e) is None for e in range(len(text) + 1))
    assert search_decides(FINDER.cfg.sample_after)
    assert not search_decides(regex.compile(r"\G\(範例\)")) and not search_decides(regex.compile(r"(?r)\(範例\)"))


def test_a_sample_marker_in_the_text_is_still_read_after_a_name():
    """With a marker somewhere in the text every name's ``match`` is asked, as before: the
    sample name is not reported, the other one is."""
    text = "姓名：王小明(範例)\n承辦人陳美玲，電話0912345678"
    assert FINDER.sample_may_match(text) and not FINDER.sample_may_match("承辦人陳美玲，電話0912345678")
    result = Analyzer(DETECTORS).analyze([Segment("body", text)])
    names = {text[f.start:f.end] for f in result.findings if f.type == "PERSON"}
    assert "陳美玲" in names and "王小明" not in names


def _plain_cell_bounds(line: str, col: int, split):
    """``_Scan.table_cell``'s cell as it was read: the pattern's delimiters up to the cell's end."""
    import itertools

    parts = list(itertools.islice(split.finditer(line), col + 1))
    if col > len(parts):
        return None
    a = parts[col - 1].end() if col else 0
    return a, parts[col].start() if col < len(parts) else len(line)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="\t|, 　王小明姓名", max_size=30), st.integers(0, 6))
def test_a_table_cell_is_where_the_delimiters_pattern_put_it(line, col):
    """A cell between one-character delimiters is read by ``str.split`` (at C speed): the same
    start and end as the pattern's matches gave, for every delimiter and column."""
    from dlp.recognizers.person_zh import _DELIMITERS, _LITERAL_MARKS, cell_bounds

    assert all(len(mark) == 1 for mark in _LITERAL_MARKS)  # (cell_bounds steps over one character)
    for _, pat in _DELIMITERS:
        assert cell_bounds(line, col, pat) == _plain_cell_bounds(line, col, pat), (pat.pattern, col)


TITLED = st.lists(st.sampled_from(["科長", "先生", "小姐", "君", "王小明", "陳美玲", "人事室", ",", "，", " ", "\t",
                                   "\n", "1", "承辦人", "電話0912345678", "A123456789", "秘書"]), max_size=14)


@settings(max_examples=150, deadline=None)
@given(TITLED)
def test_a_title_with_no_name_before_it_is_skipped_as_the_traced_scan_reads_it(parts):
    """Without a trace an honorific or title with neither a given-name character nor a space
    right before it is not read further (``on_suffix`` would stop at its first test); the traced
    scan reads every one: the findings are the same."""
    text = "".join(parts)
    analyzer = Analyzer(DETECTORS)
    plain = analyzer.analyze([Segment("body", text)])
    traced = analyzer.analyze([Segment("body", text)], explain=True)
    assert [(f.type, f.start, f.end, f.score) for f in plain.findings] == \
        [(f.type, f.start, f.end, f.score) for f in traced.findings]


# -- the romanised finder's word openings (one pass per segment instead of a search per window) --

#: Latin capitals and small letters (ASCII and not: Ș, Ä, ǅ), Greek and Cyrillic capitals (a
#: capital run that is not Latin), apostrophes, hyphens, the separators, Han, digits, a fullwidth A
OPENING_ALPHABET = "AZNGVaqnșȘÄäǅΑΓΔЖж'- ,\t\n，陳林居留證號01２Ａ"


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet=OPENING_ALPHABET, max_size=24), st.integers(0, 26), st.integers(0, 26))
def test_a_window_with_no_word_opening_holds_no_name(text, a, b):
    """``opening_within`` False means the name pattern's search of the window finds nothing,
    for every window (with pos/endpos, as the finder searches), and the whole-text answer too."""
    from dlp.recognizers.person_roman import SHIPPED_NAME_REGEX, opening_within, word_openings

    openings = word_openings(text)
    assert openings == [p for p in range(len(text)) if regex.match(r"\p{Lu}[\p{Latin}'\-\p{Lu}]", text[p:p + 2])]
    if not opening_within(openings, a, b):
        assert SHIPPED_NAME_REGEX.search(text, a, b) is None, (text, a, b)
    if not openings:
        assert SHIPPED_NAME_REGEX.search(text) is None


def test_the_pack_ships_the_name_pattern_the_openings_decide_for():
    """The shortcut is on for the pack as shipped (else these tests would test nothing)."""
    from dlp.recognizers.person_roman import RomanisedNameFinder

    person = next(d for d in DETECTORS if d.engine == "person")
    roman = next(f for f in person.finders if isinstance(f, RomanisedNameFinder))
    assert roman.openings_decide and roman.openings_decide_titled


def _roman_plain_and_fast(text: str):
    """The romanised finder's findings and recorded candidates over ``text``: with the word
    openings, and as the plain code reads it (every window searched, every whole-text pass run,
    no pre-check)."""
    from dlp.recognizers import person_roman
    from dlp.recognizers.person_roman import RomanisedNameFinder

    person = next(d for d in DETECTORS if d.engine == "person")
    roman = next(f for f in person.finders if isinstance(f, RomanisedNameFinder))
    ctx = _person_context(text)
    if ctx is None:
        return None, None
    recorded: list = []

    def record(cand, recorded=recorded):
        recorded.append((cand.start, cand.end, cand.score, cand.accepted, cand.why))

    ctx.record = record
    runs = []
    for plain in (False, True):
        recorded.clear()
        if plain:
            roman.openings_decide = roman.openings_decide_titled = False
            person_roman._MAY_HOLD_NAME = re.compile("")  # the plain code: no pre-check
        try:
            found = roman.detect(ctx, [])
        finally:
            del roman.openings_decide, roman.openings_decide_titled
            roman.__init__(roman.cfg)
            person_roman._MAY_HOLD_NAME = MAY_HOLD_NAME
        runs.append(([(c.start, c.end, c.score, c.accepted, c.why) for c in found], list(recorded)))
    return runs


MAY_HOLD_NAME = __import__("dlp.recognizers.person_roman", fromlist=["_"])._MAY_HOLD_NAME
ROMAN_OPENINGS = st.lists(st.sampled_from([
    "NGUYEN VAN AN", "Maria Santos", "Șerban Popescu", "ΑΒ ΓΔ", "Ä B", "個案", "Mr. ", "參事", "先生",
    "（張凱文）", " ", ",", "，", "\n", "\t", "居留證號", "FC12345678", "A123456789", "0912-345-678",
    "陳美玲", "ID", "Name:", "x", "'", "-"]), max_size=12)


@settings(max_examples=200, deadline=None)
@given(ROMAN_OPENINGS)
def test_the_romanised_finder_with_openings_reads_as_the_plain_code(parts):
    fast, plain = _roman_plain_and_fast("".join(parts))
    assert fast == plain


def test_the_romanised_finder_with_openings_holds_on_the_benchmark_texts():
    texts = bench_texts.texts()
    found = 0
    for text in [*texts.values(), "個案ΑΒ ΓΔ已返家", "個案Șerban Ștefan已返家", "居留證號 FC12345678 NGUYEN VAN AN，電話 0912-345-678 Maria Santos\n" * 3]:
        fast, plain = _roman_plain_and_fast(text)
        assert fast == plain
        found += len(fast[1])
    assert found >= 4  # names were judged (capitals outside ASCII and Latin-1 too): the test can fail


# -- whether the sample marker matches anywhere, searched without its leading spaces ------------

PROBED_PATTERNS = [*SAMPLE_PATTERNS, r"[ \t]*\(範例\)|王", r"[ \t]*(?<![ \t])\(範例\)", r"[ \t]*(?<= )\(", r"[ \t]*?\(",
                   r"[ \t]*+\(範例\)", r"[ \t]*(a)\1", r"[ \t]*\G\(", r"[ \t]*(?r)\(範例", r"[ \t]*$", r"[ \t]*(?i)A",
                   r"[ \t]*[ \t]\(", r"[ \t]*(?<=\t)\(範例\)"]


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet="(範例) \t\n王aA", max_size=16), st.sampled_from(PROBED_PATTERNS))
def test_the_sample_markers_probe_finds_a_match_exactly_where_the_marker_does(text, pattern):
    """``presence_probe``: its search finds something exactly when the pattern's does."""
    from dlp.recognizers.person_zh import presence_probe

    pat = regex.compile(pattern)
    assert (presence_probe(pat).search(text) is None) == (pat.search(text) is None), (pattern, text)


def test_the_packs_sample_marker_is_probed_without_its_leading_spaces():
    """The shortcut is used for the pack as shipped, and answers as the marker on the benchmark
    texts and on texts that hold a marker after spaces."""
    from dlp.recognizers.person_zh import presence_probe

    probe = presence_probe(FINDER.cfg.sample_after)
    assert probe is not FINDER.cfg.sample_after and not probe.pattern.startswith("[ \\t]")
    for text in [*bench_texts.texts().values(), "姓名：王小明 \t(範例)", "王小明(範例)", "(範 例)"]:
        assert (probe.search(text) is None) == (FINDER.cfg.sample_after.search(text) is None)


def test_a_romanised_name_with_capitals_beyond_latin_1_is_found_as_the_plain_code_finds_it():
    """The old pre-check (ASCII and Latin-1 capitals) skipped the whole-text pass here; the
    plain code reads it, and so do the word openings."""
    result = Analyzer(DETECTORS).analyze([Segment("body", "個案Șerban Ștefan已返家")])
    assert [(f.type, f.start, f.end) for f in result.findings] == [("PERSON", 2, 15)]
