"""Zips (nested, CP950 names, encrypted, bombs) and the limits."""

from __future__ import annotations

import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import builders  # noqa: E402
import pytest  # noqa: E402

from dlp.errors import PackError  # noqa: E402
from dlp.extract import Limits, extract, extract_many  # noqa: E402
from dlp.model import Attachment  # noqa: E402


def _locs(result):
    return {s.location: s for s in result.segments}


def test_docx_with_header_marking_inside_zip_inside_zip():
    inner = builders.zip_of(
        {"2024/函.docx": builders.docx(header="機密"), "2024/補助名冊.xlsx": builders.xlsx_residents(3)}
    )
    outer = builders.zip_of({"內層.zip": inner, "說明.txt": "請查收".encode()})
    r = extract(Attachment("名冊.zip", outer))
    segs = _locs(r)
    header = segs["attachment:名冊.zip/內層.zip/2024/函.docx#header"]
    assert header.text == "機密" and header.role == "header"
    assert "attachment:名冊.zip/內層.zip/2024/補助名冊.xlsx#sheet:居民名冊" in segs
    assert segs["attachment:名冊.zip/說明.txt#body"].text == "請查收"
    assert r.findings == []


def test_cp950_member_names():
    raw = builders.zip_of({"2024/補助名冊.txt": "王小明".encode("cp950")}, cp950_names=True)
    assert any(not i.flag_bits & 0x800 for i in zipfile.ZipFile(__import__("io").BytesIO(raw)).infolist())
    assert "attachment:名冊.zip/2024/補助名冊.txt#body" in _locs(extract(Attachment("名冊.zip", raw)))


def test_encrypted_zip_member_and_others_kept():
    raw = builders.zip_encrypted({"機密/名冊.xlsx": builders.xlsx_residents(5)}, plain={"readme.txt": b"hello"})
    r = extract(Attachment("a.zip", raw))
    assert [(f.type, f.location) for f in r.findings] == [("ENCRYPTED_ATTACHMENT", "attachment:a.zip/機密/名冊.xlsx")]
    assert r.findings[0].rule == "extract.encrypted"
    assert _locs(r)["attachment:a.zip/readme.txt#body"].text == "hello"


def test_zip_bomb_nested_is_refused_fast():
    bomb = builders.zip_bomb()  # expands to 4 GB
    assert len(bomb) < 64 * 1024
    start = time.perf_counter()
    r = extract(Attachment("42.zip", bomb))
    elapsed = time.perf_counter() - start
    assert elapsed < 5  # a hang guard; speed itself is measured in benchmarks/
    assert [f.type for f in r.findings] == ["LIMIT_EXCEEDED"]
    assert r.findings[0].detail["limit"] == "max_compression_ratio"
    assert r.findings[0].location.startswith("attachment:42.zip/")


def test_zip_bomb_single_layer_and_loose_ratio_limit():
    bomb = builders.zip_bomb(nested=False)
    r = extract(Attachment("4g.zip", bomb))
    assert r.findings[0].detail["limit"] == "max_compression_ratio"
    # With the ratio check relaxed, the expanded-size budget still refuses it before reading.
    r = extract(Attachment("4g.zip", bomb), Limits(max_compression_ratio=10_000, max_expanded_bytes=64 * 1024 * 1024))
    assert [f.detail["limit"] for f in r.findings] == ["max_expanded_bytes"]


def test_budget_stops_streaming_and_keeps_earlier_segments():
    members = {
        "a.txt": "第一個檔案".encode(),
        "b.txt": __import__("os").urandom(1_500_000).hex().encode(),
        "c.txt": "第三個".encode(),
    }
    r = extract(Attachment("a.zip", builders.zip_of(members)), Limits(max_expanded_bytes=2_000_000))
    assert "attachment:a.zip/a.txt#body" in _locs(r)
    assert any(f.type == "LIMIT_EXCEEDED" and f.detail["limit"] == "max_expanded_bytes" for f in r.findings)


def test_depth_limit():
    data = builders.docx(header="機密")
    for i in range(4):
        data = builders.zip_of({f"level{i}.zip" if i else "a.docx": data})
    r = extract(Attachment("deep.zip", data), Limits(max_depth=2))
    assert any(f.detail.get("limit") == "max_depth" for f in r.findings)
    assert _content(r) == []  # member names are read; nothing below the depth limit is


def test_member_count_limit():
    raw = builders.zip_of({f"{i}.txt": f"檔案{i}".encode() for i in range(10)})
    r = extract(Attachment("many.zip", raw), Limits(max_archive_members=3))
    assert len(_content(r)) == 3
    assert [f.detail["limit"] for f in r.findings] == ["max_archive_members"]


def test_text_limit_truncates_and_keeps():
    r = extract(Attachment("a.txt", ("字" * 1000).encode()), Limits(max_text_chars=100))
    assert len(r.segments[0].text) == 100
    assert r.findings[0].detail["limit"] == "max_text_chars"


def test_time_limit_is_cooperative():
    raw = builders.zip_of({f"{i}.txt": b"a" for i in range(50)})
    r = extract(Attachment("a.zip", raw), Limits(max_seconds=1e-9))
    assert [f.detail["limit"] for f in r.findings] == ["max_seconds"]


def test_total_bytes_across_message():
    atts = [Attachment("a.txt", b"a" * 600), Attachment("b.txt", b"b" * 600)]
    r = extract_many(atts, Limits(max_total_bytes=1000))
    assert [s.location for s in r.segments] == ["attachment:a.txt#body"]
    assert [(f.location, f.detail["limit"]) for f in r.findings] == [("attachment:b.txt", "max_total_bytes")]


def test_limits_from_mapping():
    limits = Limits.from_mapping({"max_depth": 3, "max_seconds": 2.5, "max_compression_ratio": 50}, "policy.yaml")
    assert limits.max_depth == 3 and limits.max_seconds == 2.5 and limits.max_compression_ratio == 50.0
    assert Limits.from_mapping(None, "policy.yaml") == Limits()
    for bad in ({"max_dpth": 3}, {"max_depth": 0}, {"max_depth": "3"}, {"max_depth": 1.5}, {"max_depth": True}):
        with pytest.raises(PackError) as err:
            Limits.from_mapping(bad, "policy.yaml")
        assert err.value.file == "policy.yaml" and err.value.rule
    with pytest.raises(PackError):
        Limits.from_mapping(["max_depth"], "policy.yaml")  # type: ignore[arg-type]


def test_gzip_and_tar():
    import gzip
    import io
    import tarfile

    r = extract(Attachment("a.txt.gz", gzip.compress("機密文件".encode())))
    assert _locs(r)["attachment:a.txt.gz/a.txt#body"].text == "機密文件"
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tf:
        data = builders.docx(footer="限閱")
        info = tarfile.TarInfo("docs/a.docx")
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
    r = extract(Attachment("a.tar", buf.getvalue()))
    assert _locs(r)["attachment:a.tar/docs/a.docx#footer"].text == "限閱"


def _content(result):
    """Segments of file content (member names are segments of their own)."""
    return [s for s in result.segments if not s.location.startswith("attachment-name:")]
