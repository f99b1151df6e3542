"""The library's front door as a developer calls it: ``Scanner().scan`` with a Message or a str."""

from __future__ import annotations

import pytest

from dlp import Message, Scanner


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    return Scanner()


def test_a_str_is_scanned_as_the_body_of_a_mail(scanner: Scanner) -> None:
    text = "請協助查詢：王小明 D104553971，電話 0912-345-678。"
    plain = scanner.scan(text)
    wrapped = scanner.scan(Message(text=text))
    assert {(f.type, f.start, f.end) for f in plain.findings} == {(f.type, f.start, f.end) for f in wrapped.findings}
    assert "TW_NATIONAL_ID" in {f.type for f in plain.findings}
    assert plain.action == wrapped.action
    assert text[plain.findings[0].start:plain.findings[0].end]  # offsets are into the str passed


def test_analyze_takes_a_str_too(scanner: Scanner) -> None:
    assert "TW_NATIONAL_ID" in {f.type for f in scanner.analyze("身分證字號 D104553971").findings}


@pytest.mark.parametrize("wrong", [b"D104553971", None, {"text": "D104553971"}])
def test_anything_else_is_a_clear_type_error(scanner: Scanner, wrong: object) -> None:
    with pytest.raises(TypeError, match="dlp.Message or a str"):
        scanner.scan(wrong)  # type: ignore[arg-type]
