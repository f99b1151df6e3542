"""Truncated and mutated files of every format: extract() always returns, never raises."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import builders  # noqa: E402
import pytest  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from dlp.extract import Extraction, Limits, extract  # noqa: E402
from dlp.model import Attachment  # noqa: E402

FUZZ_LIMITS = Limits(max_seconds=5, max_expanded_bytes=32 * 1024 * 1024, max_text_chars=1_000_000)


@functools.lru_cache(maxsize=1)
def samples() -> dict[str, bytes]:
    return {
        "a.docx": builders.docx(header="機密", footer="限閱"),
        "a.xlsx": builders.xlsx_residents(5),
        "a.pptx": builders.pptx_with_notes(),
        "a.odt": builders.odt_gongwen(),
        "a.ods": builders.ods_sheet([["a", "b"]]),
        "a.pdf": builders.pdf_pages([["機密", "內容"], ["第二頁"]]),
        "a.zip": builders.zip_of({"x/a.txt": "密".encode(), "b.docx": builders.docx()}),
        "a.eml": builders.eml_big5("內文", ("a.txt", b"hello")),
        "a.di": builders.di_letter("密"),
        "a.sw": builders.sw_list(),
        "a.doc": builders.doc_file("主旨", "機密"),
        "a.xls": builders.xls_file([["a", 1]]),
        "a.ppt": builders.ppt_file(["標題"]),
        "a.msg": builders.msg_file("主旨", "內文"),
        "a.txt": "密等：機密".encode("cp950"),
        "a.png": builders.png(),
        "a.rtf": rb"{\rtf1\ansi{\header \'be\'f7}\pard text\par}",
    }


def _check(result: Extraction) -> None:
    assert isinstance(result, Extraction)
    for f in result.findings:
        assert f.kind == "uninspectable"
        assert f.type in ("ENCRYPTED_ATTACHMENT", "UNREADABLE_ATTACHMENT", "LIMIT_EXCEEDED")
        assert f.excerpt and f.detail["reason"]
    for s in result.segments:
        assert s.location.startswith(("attachment:", "attachment-name:")) and isinstance(s.text, str)


ZIP_LIKE = ("a.docx", "a.xlsx", "a.pptx", "a.odt", "a.ods", "a.zip")


@pytest.mark.parametrize("name", sorted(samples()))
def test_truncated_files(name):
    data = samples()[name]
    for cut in (len(data) // 2, len(data) - 30, 10):
        result = extract(Attachment(name, data[:cut]), FUZZ_LIMITS)
        _check(result)
        if name in ZIP_LIKE + ("a.doc", "a.xls", "a.ppt", "a.msg"):
            assert any(f.type == "UNREADABLE_ATTACHMENT" for f in result.findings), (name, cut)


def test_one_bad_attachment_keeps_the_others():
    from dlp.extract import extract_many

    atts = [
        Attachment("bad.docx", samples()["a.docx"][:500]),
        Attachment("good.docx", samples()["a.docx"]),
    ]
    result = extract_many(atts)
    assert any(s.location == "attachment:good.docx#header" for s in result.segments)
    assert [f.location for f in result.findings] == ["attachment:bad.docx"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096))
def test_fuzz_random_bytes(data):
    _check(extract(Attachment("x.bin", data), FUZZ_LIMITS))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    name=st.sampled_from(sorted(samples())),
    edits=st.lists(
        st.tuples(st.floats(0, 1), st.integers(0, 255), st.sampled_from(["set", "insert", "delete", "cut"])),
        min_size=1,
        max_size=8,
    ),
)
def test_fuzz_mutated_files(name, edits):
    data = bytearray(samples()[name])
    for where, byte, op in edits:
        if not data:
            break
        i = min(int(where * len(data)), len(data) - 1)
        if op == "set":
            data[i] = byte
        elif op == "insert":
            data.insert(i, byte)
        elif op == "delete":
            del data[i]
        else:
            del data[i:]
    _check(extract(Attachment(name, bytes(data)), FUZZ_LIMITS))
