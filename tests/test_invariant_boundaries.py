"""Security invariants pinned at their boundaries (issue 19, part 1).

Each test here sits exactly on the edge a small wrong edit would move: the audit chain against a
forger who edits, rehashes and relinks; every archive limit just below and just above, naming the
exact limit; offsets next to zero-width and expanding characters; masking of values exactly as
long as the kept ends, and at least one masked character for every style.
"""

from __future__ import annotations

import io
import json
import random
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent))

import builders  # noqa: E402

from dlp.audit import AuditLog, record_hash, verify  # noqa: E402
from dlp.extract import Limits, extract  # noqa: E402
from dlp.extract.zipsafe import RATIO_FLOOR  # noqa: E402
from dlp.model import Attachment, Segment  # noqa: E402
from dlp.normalize import normalize  # noqa: E402
from dlp.redact import MASK_STYLES, mask_value  # noqa: E402

# -- audit: a full forgery (edit, rehash, relink) ------------------------------------------------------


def _audit_log(path: Path, n: int = 6) -> list[dict]:
    log = AuditLog(path)
    for i in range(n):
        log.append({"event": "decision", "request_id": f"r{i}", "action": "block", "finding_types": {"TW_NATIONAL_ID": 1}})
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _write(path: Path, records: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


def test_an_edited_rehashed_and_relinked_record_fails_verification(tmp_path: Path) -> None:
    """The forger turns a block into an allow, rehashes that record and points the next one at it."""
    path = tmp_path / "audit.jsonl"
    records = _audit_log(path)
    assert verify(path).ok
    forged = dict(records[2], action="allow")
    forged["hash"] = record_hash(forged)
    records[2] = forged
    records[3] = dict(records[3], prev=forged["hash"])  # relinked; its own hash left as written
    _write(path, records)
    result = verify(path)
    assert not result.ok
    assert [p.line for p in result.problems] == [4], result.problems  # the relinked record no longer hashes


def test_a_forgery_rehashed_to_the_end_is_caught_by_the_anchor(tmp_path: Path) -> None:
    """Rehashing and relinking every record after the edit still leaves the anchor's last hash."""
    path = tmp_path / "audit.jsonl"
    records = _audit_log(path)
    records[2] = dict(records[2], action="allow")
    for i in range(2, len(records)):
        if i > 2:
            records[i] = dict(records[i], prev=records[i - 1]["hash"])
        records[i]["hash"] = record_hash(records[i])
    _write(path, records)
    assert not verify(path).ok


def test_every_record_hashes_its_predecessor(tmp_path: Path) -> None:
    """``prev`` is inside what is hashed: the same record with another ``prev`` has another hash."""
    records = _audit_log(tmp_path / "audit.jsonl", 2)
    second = records[1]
    assert record_hash(second) == second["hash"]
    assert record_hash(dict(second, prev="f" * 64)) != second["hash"]


def test_the_record_hash_is_the_published_canonical_form(tmp_path: Path) -> None:
    """An outside verifier recomputes the hash from docs/service.md's definition, not from our code:
    SHA-256 of the record without ``hash``, keys sorted, no spaces, UTF-8 (not ASCII escapes)."""
    import hashlib

    log = AuditLog(tmp_path / "audit.jsonl")
    record = log.append({"event": "decision", "request_id": "r-1", "action": "block", "reasons": ["本訊息標示「機密」"],
                         "finding_types": {"TW_NATIONAL_ID": 1, "SECRECY_MARKING": 1}})
    body = {k: v for k, v in record.items() if k != "hash"}
    published = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    assert b" " not in published.replace("「機密」".encode(), b"") and "機密".encode() in published
    assert record["hash"] == hashlib.sha256(published).hexdigest() == record_hash(record)


# -- archive limits: just below and just above each ----------------------------------------------------


def _limits(result) -> list[str]:
    return [f.detail["limit"] for f in result.findings if f.type == "LIMIT_EXCEEDED"]


def _bodies(result) -> list[str]:
    return [s.location for s in result.segments if s.location.endswith("#body")]


def _member_with_ratio(noise: int) -> tuple[bytes, float]:
    """A 2 MiB text member compressing about 2 MiB / (noise bytes); returns the zip and its exact ratio."""
    rnd = random.Random(noise)
    body = bytearray(b"a" * (2 * RATIO_FLOOR))
    for _ in range(noise):
        body[rnd.randrange(len(body))] = rnd.choice(b"0123456789abcdef")
    raw = builders.zip_of({"a.txt": bytes(body)})
    info = zipfile.ZipFile(io.BytesIO(raw)).infolist()[0]
    return raw, info.file_size / info.compress_size


@pytest.fixture(scope="module")
def ratio_member() -> tuple[bytes, float]:
    return _member_with_ratio(5000)  # about 125:1


def test_compression_ratio_just_below_and_just_above_the_limit(ratio_member: tuple[bytes, float]) -> None:
    raw, ratio = ratio_member
    at_limit = extract(Attachment("r.zip", raw), Limits(max_compression_ratio=ratio + 0.01))
    assert _limits(at_limit) == [] and _bodies(at_limit) == ["attachment:r.zip/a.txt#body"]
    over = extract(Attachment("r.zip", raw), Limits(max_compression_ratio=ratio - 0.01))
    assert _limits(over) == ["max_compression_ratio"] and _bodies(over) == []
    assert over.findings[0].location == "attachment:r.zip/a.txt"


def test_the_default_ratio_limit_refuses_a_400_to_1_member_and_reads_a_125_to_1_one(ratio_member) -> None:
    raw, ratio = ratio_member
    assert 100 < ratio < Limits().max_compression_ratio == 200
    assert _bodies(extract(Attachment("r.zip", raw))) == ["attachment:r.zip/a.txt#body"]
    bomb, bomb_ratio = _member_with_ratio(850)  # about 450:1
    assert 2 * Limits().max_compression_ratio <= bomb_ratio < 5 * Limits().max_compression_ratio
    refused = extract(Attachment("b.zip", bomb))
    assert _limits(refused) == ["max_compression_ratio"] and _bodies(refused) == []


def test_expanded_size_exactly_at_and_one_byte_over_the_budget() -> None:
    body = "字".encode() * 1000  # 3000 bytes
    raw = builders.zip_of({"a.txt": body})
    exact = extract(Attachment("s.zip", raw), Limits(max_expanded_bytes=len(body)))
    assert _limits(exact) == [] and _bodies(exact) == ["attachment:s.zip/a.txt#body"]
    over = extract(Attachment("s.zip", raw), Limits(max_expanded_bytes=len(body) - 1))
    assert _limits(over) == ["max_expanded_bytes"] and _bodies(over) == []


def test_attachment_size_exactly_at_and_one_byte_over_the_total() -> None:
    data = "本文".encode() * 100
    exact = extract(Attachment("a.txt", data), Limits(max_total_bytes=len(data)))
    assert _limits(exact) == [] and _bodies(exact) == ["attachment:a.txt#body"]
    over = extract(Attachment("a.txt", data), Limits(max_total_bytes=len(data) - 1))
    assert _limits(over) == ["max_total_bytes"] and _bodies(over) == []


def test_member_count_exactly_at_and_one_over_the_limit() -> None:
    raw = builders.zip_of({f"{i}.txt": f"檔案{i}".encode() for i in range(4)})
    exact = extract(Attachment("m.zip", raw), Limits(max_archive_members=4))
    assert _limits(exact) == [] and len(_bodies(exact)) == 4
    over = extract(Attachment("m.zip", raw), Limits(max_archive_members=3))
    assert _limits(over) == ["max_archive_members"] and len(_bodies(over)) == 3


def test_nesting_exactly_at_and_one_over_the_depth_limit() -> None:
    data = "深層內容".encode()
    for i in range(3):  # a.txt inside three zips
        data = builders.zip_of({f"level{i}.zip" if i else "a.txt": data})
    exact = extract(Attachment("deep.zip", data), Limits(max_depth=3))
    assert _limits(exact) == [] and _bodies(exact) == ["attachment:deep.zip/level2.zip/level1.zip/a.txt#body"]
    over = extract(Attachment("deep.zip", data), Limits(max_depth=2))
    assert _limits(over) == ["max_depth"] and _bodies(over) == []
    assert over.findings[0].location == "attachment:deep.zip/level2.zip/level1.zip/a.txt"


# -- offsets: every folded character leads back to exactly one original character ---------------------

INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]
EXPANDING = ["㍿", "㈱", "㎏", "ﬁ"]
#: Expansions that cannot run on into a value's letters (㎏ -> "kg" next to a domain name would).
EXPANDING_APART = ["㍿", "㈱"]


def _expands(ch: str) -> bool:
    return len(normalize(ch).text) > 1


def test_the_expanding_samples_do_expand() -> None:
    assert all(_expands(ch) for ch in EXPANDING), [normalize(ch).text for ch in EXPANDING]


@given(st.lists(st.one_of(st.sampled_from(list("A1甲 -") + INVISIBLE + EXPANDING), st.characters(codec="utf-8")),
                max_size=40).map("".join))
@settings(max_examples=400, deadline=None)
def test_every_folded_character_maps_to_exactly_one_original_character(text: str) -> None:
    norm = normalize(text)
    for i in range(len(norm.text)):
        o_start, o_end = norm.to_original(i, i + 1)
        assert o_end - o_start == 1, (text, i, o_start, o_end)
        assert text[o_start] not in INVISIBLE


VALUES = [
    ("身分證字號：", "D104553971", "TW_NATIONAL_ID"),
    ("手機 ", "0912-345-678", "TW_PHONE"),
    ("電子信箱 ", "wang.xm@mail.hl.gov.tw", "EMAIL_ADDRESS"),
]


@given(st.sampled_from(VALUES), st.sampled_from(INVISIBLE + EXPANDING_APART),
       st.sampled_from(INVISIBLE + EXPANDING_APART + [""]))
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_finding_next_to_invisible_or_expanding_characters_is_exactly_the_value(personal_analyzer, case, after,
                                                                                   before) -> None:
    label, value, type_ = case
    text = f"{label}{before}{value}{after}，謝謝"
    found = [f for f in personal_analyzer.analyze([Segment("body", text)]).findings if f.type == type_]
    assert [text[f.start:f.end] for f in found] == [value], (text, [(f.start, f.end) for f in found])


# -- masking: exact lengths and at least one masked character ------------------------------------------


@pytest.mark.parametrize(
    ("value", "keep_start", "keep_end", "expected"),
    [
        ("ABC123", 3, 3, "AB***3"),      # exactly keep_start + keep_end: never shown whole
        ("ABC1234", 3, 3, "ABC*234"),    # one more: one masked, the kept ends as configured
        ("AB", 1, 1, "A*"),
        ("ABC", 1, 2, "A**"),
        ("ABCD", 1, 2, "A*CD"),
        ("ABCDE", 2, 3, "A***E"),
        ("ABCDEF", 2, 3, "AB*DEF"),
        ("A-B-C-1-2-3", 3, 3, "A-B-*-*-*-3"),  # separators do not count as kept characters
    ],
)
def test_keep_ends_with_values_exactly_as_long_as_the_kept_ends(value: str, keep_start: int, keep_end: int,
                                                               expected: str) -> None:
    spec = {"style": "keep_ends", "keep_start": keep_start, "keep_end": keep_end, "char": "*"}
    assert mask_value(value, spec) == expected


ALNUM_MIX = st.sampled_from(list("0123456789abcXYZ王小明臺北市中正區路段號樓年月日七十-/ @.（）·"))


@given(st.sampled_from(MASK_STYLES), st.lists(ALNUM_MIX, min_size=2, max_size=16).map("".join))
@settings(max_examples=1500, deadline=None)
def test_every_style_masks_at_least_one_character_of_a_value_with_two_letters_or_digits(style: str, value: str) -> None:
    if sum(ch.isalnum() for ch in value) < 2:
        return
    masked = mask_value(value, {"style": style})
    assert len(masked) == len(value)
    assert masked != value, (style, value)


@pytest.mark.parametrize(
    ("style", "value", "expected"),
    [
        ("phone", "YY", "Y*"),             # no digits for the phone style: the middle goes anyway
        ("date", "2024年", "2***年"),       # only a year (年 counts as a letter)
        ("address", "臺北市中正區", "臺北***區"),  # all district, nothing after it
        ("address", "100", "1**"),          # a postal code alone
    ],
)
def test_a_value_the_style_cannot_place_is_still_masked(style: str, value: str, expected: str) -> None:
    assert mask_value(value, {"style": style, "char": "*"}) == expected
