"""Look-alike domains: homoglyphs (UTS #39 data), edit distance, embedding; properties with hypothesis."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlp.destinations import canonical_domain
from dlp.misdirection.domains import best_lookalike, resembles, skeleton

REFS = ["hl.gov.tw", "gov.tw", "acme-consulting.com.tw"]


@pytest.mark.parametrize(("domain", "reference", "how"), [
    ("hl-gov.tw", "hl.gov.tw", "edit_distance"),        # the example: a hyphen for a dot
    ("hlgov.tw", "hl.gov.tw", "edit_distance"),
    ("hl.g0v.tw", "hl.gov.tw", "homoglyph"),            # zero for o
    (canonical_domain("hl.gоv.tw"), "hl.gov.tw", "homoglyph"),  # Cyrillic о, as the punycode a mail carries
    ("gov.tw.example.com", "gov.tw", "embedded"),       # the example
    ("hl.gov.tw.mail-relay.com", "hl.gov.tw", "embedded"),
    ("acme-consuting.com.tw", "acme-consulting.com.tw", "edit_distance"),
    ("rnoi.gov.tw.co", "moi.gov.tw", "embedded"),       # rn for m, then embedded
])
def test_lookalikes_are_found_with_how(domain: str, reference: str, how: str) -> None:
    match = best_lookalike(domain, [*REFS, "moi.gov.tw"], max_edit_distance=1, long_domain_chars=12)
    assert match is not None and match.domain == reference and match.how == how


@pytest.mark.parametrize("domain", ["tc.gov.tw", "mail.hl.gov.tw", "hl.gov.tw", "gmail.com", "example.com",
                                    "govtwitter.com", "acme.com.tw", "edu.tw"])
def test_ordinary_domains_are_not_lookalikes(domain: str) -> None:
    # sub-domains of a reference and unrelated names resemble nothing
    assert best_lookalike(domain, REFS, max_edit_distance=1, long_domain_chars=12) is None


def test_a_longer_reference_allows_one_more_edit() -> None:
    assert resembles("acme-consutling.com.t", "acme-consulting.com.tw", 1, 12) is not None   # 2 edits, long reference
    assert resembles("hk.gov.tv", "hl.gov.tw", 1, 12) is None                               # 2 edits, short reference


labels = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=12)
domains = st.lists(labels, min_size=2, max_size=4).map(".".join)


@settings(max_examples=200, deadline=None)
@given(domains)
def test_a_domain_never_resembles_itself_or_is_flagged_under_itself(domain: str) -> None:
    assert resembles(domain, domain, 2, 12) is None
    assert resembles("mail." + domain, domain, 2, 12) is None


@settings(max_examples=200, deadline=None)
@given(domains)
def test_skeleton_is_idempotent_and_ascii_for_ascii(domain: str) -> None:
    once = skeleton(domain)
    assert skeleton(once) == once
    assert once.isascii()


@settings(max_examples=200, deadline=None)
@given(domains, st.integers(min_value=0, max_value=200))
def test_one_substitution_is_always_caught(domain: str, where: int) -> None:
    i = where % len(domain)
    if domain[i] == ".":
        return
    swapped = domain[:i] + ("q" if domain[i] != "q" else "x") + domain[i + 1:]
    match = resembles(swapped, domain, 1, 12)
    assert match is not None and match.domain == domain, (swapped, domain)
