"""Archive limits and member streams that the mutation run of ``dlp/extract/zipsafe.py`` and
``dlp/extract/limits.py`` found unpinned (issue 19, part 5).

ZipCrypto members and CP950 names, the ratio floor and a ratio exactly at the limit, the first
three refusals reported and the rest counted, the stream's reads and its budget, the policy's
``attachment_limits`` refusals and the Chinese reasons people read in findings.
"""

from __future__ import annotations

import io
import random
import sys
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import builders  # noqa: E402

from dlp.errors import PackError  # noqa: E402
from dlp.extract import Limits, extract  # noqa: E402
from dlp.extract.context import Context  # noqa: E402
from dlp.extract.limits import LimitReached  # noqa: E402
from dlp.extract.zipsafe import CHUNK, RATIO_FLOOR, CappedStream, open_member, read_member  # noqa: E402
from dlp.model import Attachment  # noqa: E402


def _refused(result) -> list[tuple[str, str, str]]:
    """(location, limit, reason) of each limit finding."""
    return [(f.location, f.detail["limit"], f.detail["reason"]) for f in result.findings if f.type == "LIMIT_EXCEEDED"]


def _text(n: int, seed: int = 1) -> bytes:
    """``n`` bytes of hex digits: compresses about 2:1, far from any ratio limit."""
    return random.Random(seed).randbytes((n + 1) // 2).hex().encode()[:n]


def _one_member(data: bytes) -> tuple[zipfile.ZipFile, zipfile.ZipInfo]:
    zf = zipfile.ZipFile(io.BytesIO(builders.zip_of({"a.txt": data})))
    return zf, zf.infolist()[0]


# -- encrypted members -----------------------------------------------------------------------------------


def test_a_zipcrypto_member_with_a_cp950_name_is_encrypted_under_its_chinese_name() -> None:
    secret = "王小明 A123456789\n".encode() * 20
    raw = builders.zip_crypto("機密/名冊.txt".encode("cp950"), secret)
    info = zipfile.ZipFile(io.BytesIO(raw)).infolist()[0]
    assert (info.flag_bits & 0x1, info.flag_bits & 0x800, info.compress_type) == (1, 0, zipfile.ZIP_DEFLATED)
    assert zipfile.ZipFile(io.BytesIO(raw)).read(info, pwd=b"secret") == secret  # a real ZipCrypto member
    result = extract(Attachment("a.zip", raw))
    assert [(f.type, f.location, f.detail["reason"]) for f in result.findings] == [
        ("ENCRYPTED_ATTACHMENT", "attachment:a.zip/機密/名冊.txt", "壓縮檔內的檔案以密碼保護，無法檢查")]
    assert [s.location for s in result.segments] == ["attachment-name:a.zip/機密/名冊.txt"]


def test_a_member_stored_with_the_aes_method_is_encrypted_even_without_the_flag() -> None:
    raw = builders._raw_zip("名冊.xlsx", b"\0" * 64, 64, method=99)
    assert zipfile.ZipFile(io.BytesIO(raw)).infolist()[0].flag_bits == 0
    result = extract(Attachment("a.zip", raw))
    assert [(f.type, f.location) for f in result.findings] == [("ENCRYPTED_ATTACHMENT", "attachment:a.zip/名冊.xlsx")]


# -- the compression ratio -------------------------------------------------------------------------------


def test_the_ratio_is_judged_from_the_floor_up() -> None:
    """A member of exactly RATIO_FLOOR bytes is judged; one byte less is not (tiny files compress oddly)."""
    raw = builders.zip_of({"at.txt": b"a" * RATIO_FLOOR, "below.txt": b"a" * (RATIO_FLOOR - 1)})
    at = zipfile.ZipFile(io.BytesIO(raw)).getinfo("at.txt")
    ratio = at.file_size / at.compress_size
    assert ratio > 5 * Limits().max_compression_ratio
    result = extract(Attachment("f.zip", raw))
    assert _refused(result) == [("attachment:f.zip/at.txt", "max_compression_ratio",
                                 f"壓縮比 {ratio:.0f}:1 超過上限 200:1（疑似壓縮炸彈），未解壓縮")]
    assert result.findings[0].detail["format"] == "ZIP 壓縮檔"
    assert [s.location for s in result.segments if s.location.endswith("#body")] == ["attachment:f.zip/below.txt#body"]


def test_a_ratio_exactly_at_the_limit_is_read() -> None:
    rnd = random.Random(7)
    body = bytearray(b"a" * (2 * RATIO_FLOOR))
    for _ in range(5000):
        body[rnd.randrange(len(body))] = rnd.choice(b"0123456789")
    raw = builders.zip_of({"a.txt": bytes(body)})
    info = zipfile.ZipFile(io.BytesIO(raw)).infolist()[0]
    ratio = info.file_size / info.compress_size
    assert _refused(extract(Attachment("r.zip", raw), Limits(max_compression_ratio=ratio - 0.001))) != []
    assert _refused(extract(Attachment("r.zip", raw), Limits(max_compression_ratio=ratio))) == []


def test_a_docx_part_over_the_ratio_is_a_finding_not_a_silent_skip() -> None:
    """Office parts are admitted with the default ``report=True``: a refused part is always named."""
    result = extract(Attachment("x.docx", builders.docx(body="a" * (2 * RATIO_FLOOR))))
    refused = _refused(result)
    assert [(loc, limit) for loc, limit, _ in refused] == [
        ("attachment:x.docx/word/document.xml", "max_compression_ratio")]  # once, though two readers refuse it
    assert refused[0][2].startswith("壓縮比 ") and refused[0][2].endswith(":1 超過上限 200:1（疑似壓縮炸彈），未解壓縮")
    assert result.findings[0].detail["format"] == "Word 文件（docx）"


# -- many refused members: the first three are named, the rest counted -----------------------------------


def test_five_bombs_in_one_zip_three_named_and_two_counted() -> None:
    raw = builders.zip_of({f"{i}.txt": b"a" * RATIO_FLOOR for i in range(5)})
    info = zipfile.ZipFile(io.BytesIO(raw)).infolist()[0]
    reason = f"壓縮比 {info.file_size / info.compress_size:.0f}:1 超過上限 200:1（疑似壓縮炸彈），未解壓縮"
    result = extract(Attachment("b.zip", raw))
    assert _refused(result) == [(f"attachment:b.zip/{i}.txt", "max_compression_ratio", reason) for i in range(3)] + [
        ("attachment:b.zip", "max_expanded_bytes", "另有 2 個檔案因大小或壓縮比超過上限而未解壓縮")]
    assert [s for s in result.segments if s.location.endswith("#body")] == []


def test_five_members_over_the_budget_three_named_and_two_counted() -> None:
    raw = builders.zip_of({f"{i}.txt": _text(1500, i) for i in range(5)})
    result = extract(Attachment("s.zip", raw), Limits(max_expanded_bytes=1000))
    assert _refused(result) == [
        (f"attachment:s.zip/{i}.txt", "max_expanded_bytes", "解壓縮後大小 1,500 位元組超過剩餘上限，未解壓縮") for i in range(3)
    ] + [("attachment:s.zip", "max_expanded_bytes", "另有 2 個檔案因大小或壓縮比超過上限而未解壓縮")]
    assert {f.detail["format"] for f in result.findings} == {"ZIP 壓縮檔"}
    assert [s for s in result.segments if s.location.endswith("#body")] == []


# -- the member stream -------------------------------------------------------------------------------------

LOC = "attachment:a.zip/a.txt"


def test_reads_return_what_was_asked_at_most_a_chunk_and_charge_the_budget() -> None:
    data = _text(CHUNK * 2 + CHUNK // 2)
    zf, info = _one_member(data)
    ctx = Context(Limits())
    with open_member(ctx, zf, info, LOC) as stream:
        assert stream.read(5) == data[:5]
        assert stream.read(0) == b""
        assert stream.read() == data[5:5 + CHUNK]  # "all" is one chunk at a time
        assert stream.read(None) == data[5 + CHUNK:5 + 2 * CHUNK]
        assert ctx.budget.expanded == 5 + 2 * CHUNK
    assert read_member(Context(Limits()), zf, info, LOC) == data  # whole, across chunks


def test_the_stream_is_a_raw_stream_the_io_stack_can_buffer() -> None:
    data = _text(10_000)
    zf, info = _one_member(data)
    stream = open_member(Context(Limits()), zf, info, LOC)
    assert stream.readable()
    buffered = io.BufferedReader(stream, buffer_size=4096)  # fills its buffer with readinto
    assert b"".join(iter(lambda: buffered.read(1000), b"")) == data


def test_bytes_read_past_the_budget_stop_the_stream_at_the_member() -> None:
    zf, info = _one_member(_text(100))
    with pytest.raises(LimitReached) as err:
        read_member(Context(Limits(max_expanded_bytes=99)), zf, info, LOC)
    assert (err.value.limit, err.value.location) == ("max_expanded_bytes", LOC)
    assert err.value.reason == "解壓縮後合計大小超過每封訊息的上限"
    assert read_member(Context(Limits(max_expanded_bytes=100)), zf, info, LOC) == _text(100)


def test_a_member_that_runs_on_past_its_declared_size_is_a_bomb() -> None:
    """CPython's zipfile itself stops at the declared size; the stream does not rely on it: a source
    that yields more than the declared size plus one chunk is refused, exactly past that point."""
    declared = 10

    def drain(n: int) -> None:
        stream = CappedStream(Context(Limits()), io.BytesIO(b"x" * n), LOC, declared)
        while stream.read(CHUNK):
            pass

    drain(declared + CHUNK)
    with pytest.raises(LimitReached) as err:
        drain(declared + CHUNK + 1)
    assert (err.value.limit, err.value.location, err.value.reason) == (
        "max_expanded_bytes", LOC, "實際解壓縮大小超過宣告大小（疑似壓縮炸彈）")


# -- LimitReached: the reason people read ------------------------------------------------------------------


def test_a_limit_without_a_reason_is_explained_by_its_label() -> None:
    exc = LimitReached("max_depth", "attachment:a.zip/b.zip")
    assert exc.reason == "超過巢狀層數上限"
    assert str(exc) == "max_depth at attachment:a.zip/b.zip"
    assert LimitReached("max_depth", "x", "自訂原因").reason == "自訂原因"
    assert LimitReached("max_pages", "x").reason == "超過max_pages"  # a limit without a label is named


def test_the_text_limit_finding_reads_its_label() -> None:
    result = extract(Attachment("t.txt", ("字" * 100).encode()), Limits(max_text_chars=10))
    assert _refused(result) == [("attachment:t.txt#body", "max_text_chars",
                                 "超過每封訊息擷取文字總量上限，自「t.txt#body」起的其餘內容未檢查")]


# -- attachment_limits in the policy ------------------------------------------------------------------------


def _refusal(mapping) -> tuple[str, str | None, str]:
    with pytest.raises(PackError) as err:
        Limits.from_mapping(mapping, "policy.yaml")
    return err.value.file, err.value.rule, err.value.reason


def test_each_refusal_names_the_file_the_key_and_the_reason() -> None:
    known = "max_total_bytes、max_depth、max_archive_members、max_compression_ratio、max_expanded_bytes、" \
            "max_text_chars、max_seconds、max_segment_chars、signature_image_max_bytes"
    assert _refusal(["max_depth"]) == ("policy.yaml", "attachment_limits", "必須是「名稱: 數值」的對應表")
    assert _refusal({"max_dpth": 3}) == ("policy.yaml", "max_dpth", f"未知的附件限制名稱（可用：{known}）")
    assert _refusal({"max_depth": "3"}) == ("policy.yaml", "max_depth", "必須是正數")
    assert _refusal({"max_depth": True}) == ("policy.yaml", "max_depth", "必須是正數")
    assert _refusal({"max_depth": 1.5}) == ("policy.yaml", "max_depth", "必須是正整數")
    assert _refusal({"max_depth": 0}) == ("policy.yaml", "max_depth", "必須大於 0")
    assert _refusal({"max_seconds": -1}) == ("policy.yaml", "max_seconds", "必須大於 0")
    assert _refusal({"max_compression_ratio": 1.99}) == ("policy.yaml", "max_compression_ratio", "壓縮比上限至少為 2")


def test_the_smallest_values_allowed_are_accepted() -> None:
    limits = Limits.from_mapping({"max_depth": 1, "max_compression_ratio": 2, "max_seconds": 0.5}, "policy.yaml")
    assert (limits.max_depth, limits.max_compression_ratio, limits.max_seconds) == (1, 2.0, 0.5)


def test_ratios_and_seconds_may_be_fractions_counts_stay_whole_numbers() -> None:
    limits = Limits.from_mapping({"max_compression_ratio": 2.5, "max_archive_members": 3.0}, "policy.yaml")
    assert limits.max_compression_ratio == 2.5 and isinstance(limits.max_compression_ratio, float)
    assert limits.max_archive_members == 3 and type(limits.max_archive_members) is int
    raw = builders.zip_of({f"{i}.txt": f"檔案{i}".encode() for i in range(4)})
    result = extract(Attachment("m.zip", raw), limits)  # a whole number slices the member list
    assert _refused(result) == [("attachment:m.zip", "max_archive_members", "壓縮檔內有 4 個檔案，超過上限 3 個，只檢查前 3 個")]
