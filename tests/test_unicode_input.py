"""Strings no encoding can carry (lone surrogates) are replaced and reported, never a crash."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from dlp import Message

ID = "身分證字號 D104553971"


def test_a_lone_surrogate_in_body_and_subject_is_replaced_and_reported(scanner) -> None:
    report = scanner.scan(Message(text=ID + " \udcff", subject="名冊\ud800", recipients=["a@gmail.com"]))
    assert [(f.type, f.start, f.end) for f in report.findings] == [("TW_NATIONAL_ID", 6, 16)]
    assert {n["location"] for n in report.not_inspected} == {"body", "subject"}
    assert all("U+FFFD" in n["reason"] for n in report.not_inspected)
    json.dumps(report.to_dict(), ensure_ascii=False).encode("utf-8")  # the report itself is encodable


def test_redact_with_a_lone_surrogate_masks_and_returns_encodable_text(scanner) -> None:
    masked = scanner.redact(ID + "\udc80")
    assert masked == "身分證字號 D10****971\ufffd"
    text, findings = scanner.redact_with_findings("\ud83d" + ID)
    assert text == "\ufffd身分證字號 D10****971" and [f.start for f in findings] == [7]


_PIECES = st.one_of(
    st.sampled_from(["身分證字號", " D104553971", "機密", "\n", "手機 0912-345-678", "，"]),
    st.integers(0xD800, 0xDFFF).map(chr),
    st.characters(),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_PIECES, max_size=12).map("".join))
def test_any_string_scans_like_its_surrogates_replaced(scanner, text: str) -> None:
    clean = "".join("\ufffd" if 0xD800 <= ord(ch) <= 0xDFFF else ch for ch in text)
    report = scanner.scan(Message(text=text))
    expected = scanner.scan(Message(text=clean))
    assert [(f.type, f.start, f.end) for f in report.findings] == [(f.type, f.start, f.end) for f in expected.findings]
    assert all(0 <= f.start <= f.end <= len(text) for f in report.findings)
    assert bool(report.not_inspected) == (clean != text)
    scanner.redact(text).encode("utf-8")
