"""Property tests: whatever a query string or a hand-edited suppressions file holds, the answer is
a clear refusal (FilterError / PackErrors with file, entry and reason), never a crash; and a
suppression only ever matches what its scope names."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from dlp.errors import PackErrors
from dlp.model import Finding, Message
from dlp.store.filters import FilterError, IncidentFilter
from dlp.suppressions import parse_suppressions

_text = st.text(max_size=30)
_scalar = st.one_of(st.none(), st.booleans(), st.integers(), _text, st.dates())
_values = st.recursive(_scalar, lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_text, inner, max_size=3)),
                       max_leaves=10)
_entry_keys = st.sampled_from(["id", "scope", "type", "rule", "value_sha256", "sender_sha256", "destinations_sha256",
                               "reason", "expires", "incident", "other"])


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["since", "until", "channel", "action", "level", "type", "rule", "status",
                                        "quarantine", "page"]), _text, max_size=6))
def test_filter_params_are_accepted_or_refused_clearly(params):
    try:
        f = IncidentFilter.from_params(params)
    except FilterError as exc:
        assert str(exc)
        return
    assert IncidentFilter.from_params(f.to_params()) == f  # what the console links to means the same


@settings(max_examples=300, deadline=None)
@given(st.one_of(_values, st.fixed_dictionaries({"salt": st.one_of(_text, st.just("s" * 32)),
                                                 "suppressions": st.lists(st.dictionaries(_entry_keys, _values), max_size=3)})))
def test_any_suppressions_document_loads_or_is_refused_with_file_entry_and_reason(doc):
    try:
        loaded = parse_suppressions(doc, "suppressions.yaml", known_rules=["tw-national-id"])
    except PackErrors as exc:
        assert exc.errors and all(e.file == "suppressions.yaml" and e.reason for e in exc.errors)
        return
    for e in loaded.entries:
        assert e.reason and isinstance(e.expires, date)


def _finding(rule: str, value: str) -> Finding:
    return Finding(kind="personal_data", type="TW_NATIONAL_ID", location="body", start=0, end=10, score=0.9, rule=rule,
                   value_key=f"TW_NATIONAL_ID:{value}")


@settings(max_examples=200, deadline=None)
@given(st.from_regex(r"[A-Z][12][0-9]{8}", fullmatch=True), st.from_regex(r"[A-Z][12][0-9]{8}", fullmatch=True),
       st.sampled_from(["tw-national-id", "other-rule"]))
def test_a_value_suppression_matches_that_value_only_and_expires(suppressed, other, rule):
    base = parse_suppressions({"salt": "x" * 32}, "suppressions.yaml")
    h = base.value_hash(_finding(rule, suppressed))
    today = date.today()
    doc = {"salt": "x" * 32, "suppressions": [{"id": "fp-1", "scope": "value", "type": "TW_NATIONAL_ID", "value_sha256": h,
                                               "reason": "測試", "expires": (today + timedelta(days=1)).isoformat()}]}
    s = parse_suppressions(doc, "suppressions.yaml")
    out = s.apply(Message(text=""), [_finding(rule, suppressed), _finding(rule, other)], today)
    assert out[0].shadow and out[0].detail["suppressed_by"] == "fp-1"
    assert out[1].shadow == (other == suppressed)
    later = s.apply(Message(text=""), [_finding(rule, suppressed)], today + timedelta(days=2))
    assert not later[0].shadow  # expired


def test_a_pair_suppression_needs_the_same_sender_and_no_new_destination():
    s0 = parse_suppressions({"salt": "y" * 32}, "suppressions.yaml")
    known = Message(text="", sender="Clerk@hl.gov.tw", recipients=["bank@example.com.tw"])
    doc = {"salt": "y" * 32, "suppressions": [{
        "id": "fp-pair", "scope": "pair", "rule": "tw-national-id", "sender_sha256": s0.sender_hash(known),
        "destinations_sha256": s0.destination_hashes(known), "reason": "薪資轉帳清冊", "expires": "2999-01-01"}]}
    s = parse_suppressions(doc, "suppressions.yaml")
    f = _finding("tw-national-id", "D104553971")
    assert s.apply(Message(text="", sender="clerk@hl.gov.tw", recipients=["BANK@example.com.tw"]), [f])[0].shadow
    assert not s.apply(Message(text="", sender="other@hl.gov.tw", recipients=["bank@example.com.tw"]), [f])[0].shadow
    assert not s.apply(Message(text="", sender="clerk@hl.gov.tw", recipients=["bank@example.com.tw", "x@gmail.com"]), [f])[0].shadow
    assert not s.apply(Message(text="", sender="clerk@hl.gov.tw", recipients=["bank@example.com.tw"]),
                       [_finding("other-rule", "D104553971")])[0].shadow
