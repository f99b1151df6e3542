"""Issue 14, part 5: the service's per-request shortcuts give what the plain code gave.

The request-context layer picks two headers instead of decoding all of them, metric children
are remembered instead of looked up per request, and an incident id takes its 50 random bits
in one draw. Each is compared with the code it replaced, on drawn inputs.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dlp.store import ids
from service import metrics
from service.middleware import _request_headers

_NAMES = st.sampled_from([b"x-request-id", b"X-Request-ID", b"content-length", b"Content-Length", b"host",
                          b"x-request-idx", b"content-lengt", b"authorization"]) | st.binary(max_size=16)
_HEADERS = st.lists(st.tuples(_NAMES, st.binary(max_size=24)), max_size=8)


def _plain(headers: list[tuple[bytes, bytes]]) -> tuple[str, str]:
    """What RequestContextMiddleware read before: every header decoded into a dict."""
    d = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in headers}
    return d.get("x-request-id", ""), d.get("content-length", "")


@given(_HEADERS)
def test_the_two_headers_are_those_the_full_decoding_gave(headers):
    assert _request_headers({"headers": headers}) == _plain(headers)


def test_a_request_without_headers_has_neither():
    assert _request_headers({}) == ("", "")


@given(st.sampled_from(["/v1/scan", "/v1/redact", "other"]), st.sampled_from(["GET", "POST", "FOO"]),
       st.sampled_from(["200", "422", "503"]))
def test_a_remembered_child_is_the_one_labels_gives_and_counts_there(endpoint, method, status):
    child = metrics.child(metrics.REQUESTS, endpoint, method, status)
    assert child is metrics.REQUESTS.labels(endpoint, method, status)
    before = metrics.REQUESTS.labels(endpoint, method, status)._value.get()
    metrics.child(metrics.REQUESTS, endpoint, method, status).inc()
    assert metrics.REQUESTS.labels(endpoint, method, status)._value.get() == before + 1


def _plain_digits(bits: int) -> str:
    out = ""
    for _ in range(10):
        out = ids._ALPHABET[bits % 32] + out
        bits //= 32
    return out


@given(st.integers(0, 2**50 - 1))
def test_fifty_bits_are_ten_base32_digits_one_to_one(bits):
    digits = ids._base32(bits)
    assert digits == _plain_digits(bits) and len(digits) == 10
    assert sum(ids._ALPHABET.index(c) << (5 * (9 - i)) for i, c in enumerate(digits)) == bits


def test_new_incident_ids_keep_their_form_and_differ():
    made = {ids.new_incident_id() for _ in range(2000)}
    assert len(made) == 2000 and all(ids.is_incident_id(i) for i in made)
    assert {c for i in made for c in i[-10:]} == set(ids._ALPHABET)  # every digit is drawn
