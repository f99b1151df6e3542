"""The audit format and its readers at their edges (issue 19, part 5: mutants of dlp/audit/ killed here).

Each test pins behaviour that the writer, ``dlp audit verify`` or an outside verifier relies on:
the anchor's exact bytes and MAC input (computed here independently, not with the library's code),
the shape checks and bounds of a record, the writer's backwards read of the log's tail, the key id
that every keyed record carries, and the Chinese texts an operator reads when the log is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from pathlib import Path

import pytest

from dlp.audit import AuditLog, record_hash, verify
from dlp.audit.chain import (
    ANCHOR_SIZE,
    GENESIS,
    MAX_LINE_BYTES,
    Anchor,
    AnchorError,
    AnchorNeedsKey,
    anchor_path,
    decode_anchor,
    fsync_dir,
    is_hash,
    is_seq,
    key_id,
    last_record,
    parse_record,
    read_anchor,
)

KEY = b"k" * 32


def _record(seq: int, prev: str = GENESIS, **fields) -> dict:
    rec = {"v": 1, "event": "decision", **fields, "seq": seq, "prev": prev}
    rec["hash"] = record_hash(rec)
    return rec


def _line(rec: dict) -> bytes:
    return json.dumps(rec, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def _fill(path: Path, n: int, **kw) -> AuditLog:
    log = AuditLog(path, **kw)
    for i in range(n):
        log.append({"event": "decision", "request_id": f"r{i}", "action": "allow"})
    return log


# -- shape of a record ----------------------------------------------------------------------------


def test_a_seq_is_a_non_negative_int_below_2_to_the_63() -> None:
    assert is_seq(0) and is_seq(1) and is_seq(2**63 - 1)
    assert not is_seq(-1) and not is_seq(2**63) and not is_seq(2**64)
    assert not is_seq(True) and not is_seq(False) and not is_seq(1.0) and not is_seq("1") and not is_seq(None)


def test_a_hash_is_exactly_64_lowercase_hex_digits() -> None:
    assert is_hash("0" * 64) and is_hash("0123456789abcdef" * 4)
    for bad in ("0" * 63, "0" * 65, "A" * 64, "g" * 64, "0" * 64 + "\n", "\n" + "0" * 64, " " + "0" * 63, "", None, 0):
        assert not is_hash(bad), repr(bad)


def test_parse_record_takes_a_line_with_seq_prev_and_hash_and_nothing_else() -> None:
    rec = _record(3, "a" * 64, request_id="r")
    assert parse_record(_line(rec)) == rec
    assert parse_record(b"  \t" + _line(rec) + b"\r\n") == rec  # surrounding whitespace is not part of it
    for key, bad in (("seq", -1), ("seq", True), ("seq", "3"), ("prev", "x"), ("hash", "A" * 64)):
        assert parse_record(_line({**rec, key: bad})) is None, (key, bad)
    for key in ("seq", "prev", "hash"):
        assert parse_record(_line({k: v for k, v in rec.items() if k != key})) is None, key
    for raw in (b"", b"   \n", b"not json", b"[1, 2]", b'"text"', b'{"v":1,"seq":3'):
        assert parse_record(raw) is None, raw
    # nesting: 16 levels are a record, 17 are not (the same bound verify uses)
    assert parse_record(_line({**rec, "x": json.loads("[" * 15 + "]" * 15)})) is not None
    assert parse_record(_line({**rec, "x": json.loads("[" * 16 + "]" * 16)})) is None


def test_parse_record_refuses_lines_longer_than_any_record_the_writer_makes() -> None:
    rec = _record(0)
    base = len(_line({**rec, "x": ""}).strip())
    exact = _line({**rec, "x": "a" * (MAX_LINE_BYTES - base)}).strip()
    assert len(exact) == MAX_LINE_BYTES and parse_record(exact) is not None
    assert parse_record(_line({**rec, "x": "a" * (MAX_LINE_BYTES - base + 1)})) is None


def test_the_key_id_is_the_published_derivation() -> None:
    """Every keyed record carries ``kid``; verify compares it with the key it was given, so the
    derivation must never change (records written before would all be "another key")."""
    assert key_id(KEY) == hashlib.sha256(b"dlp-audit-key-id:" + KEY).hexdigest()[:16]
    assert len(key_id(b"x")) == 16 and key_id(b"x") != key_id(b"y")


# -- the anchor's bytes, computed independently -----------------------------------------------


def _expected_anchor(seq: int, h: str, ino: int, size: int, time: str, key: bytes | None = None) -> bytes:
    kid = f',"kid":"{hashlib.sha256(b"dlp-audit-key-id:" + key).hexdigest()[:16]}"' if key else ""
    alg = "hmac-sha256" if key else "sha256"
    body = f'"alg":"{alg}","hash":"{h}","ino":{ino}{kid},"seq":{seq},"size":{size},"time":"{time}","v":1'
    mac = f',"mac":"{hmac.new(key, ("{" + body + "}").encode(), hashlib.sha256).hexdigest()}"' if key else ""
    # keys sorted: alg, hash, ino, kid, mac, seq, size, time, v
    if key:
        head, tail = body.split(',"seq":', 1)
        body = head + mac + ',"seq":' + tail
    doc = ("{" + body + "}").encode("ascii")
    return doc + b" " * (ANCHOR_SIZE - 1 - len(doc)) + b"\n"


@pytest.mark.parametrize("key", [None, KEY], ids=["sha256", "hmac"])
def test_the_anchor_file_is_512_bytes_of_sorted_compact_json_and_its_mac(tmp_path: Path, key: bytes | None) -> None:
    path = tmp_path / "audit.jsonl"
    log = _fill(path, 3, hmac_key=key)
    last = json.loads(path.read_bytes().splitlines()[-1])
    assert anchor_path(path) == tmp_path / "audit.jsonl.anchor"  # docs/service.md names it
    data = (tmp_path / "audit.jsonl.anchor").read_bytes()
    time = json.loads(data)["time"]
    assert len(time) == len("2026-12-01T16:00:00.000Z") and time.endswith("Z")
    st = path.stat()
    assert data == _expected_anchor(2, last["hash"], st.st_ino, st.st_size, time, key)
    log.close()


def test_anchor_encode_writes_a_kid_only_when_there_is_one() -> None:
    plain = Anchor(5, "a" * 64, 7, 100, time="t").encode(None)
    doc = b'{"alg":"sha256","hash":"' + b"a" * 64 + b'","ino":7,"seq":5,"size":100,"time":"t","v":1}'
    assert plain == doc + b" " * (ANCHOR_SIZE - 1 - len(doc)) + b"\n"
    assert b"kid" not in Anchor(5, "a" * 64, 7, 100, kid="").encode(None)
    assert decode_anchor(plain, None) == Anchor(5, "a" * 64, 7, 100, time="t")


def test_decode_anchor_reads_back_every_field() -> None:
    anchor = Anchor(9, "b" * 64, 11, 2048, "hmac-sha256", key_id(KEY), "2026-12-01T00:00:00.000Z")
    assert decode_anchor(anchor.encode(KEY), KEY) == anchor
    assert decode_anchor(Anchor(-1, GENESIS, 0, 0).encode(None), None) == Anchor(-1, GENESIS, 0, 0)
    # what follows the first 512 bytes, and NUL or space padding, are not part of the anchor
    assert decode_anchor(Anchor(1, "c" * 64, 2, 3).encode(None) + b"{garbage", None) == Anchor(1, "c" * 64, 2, 3)
    assert decode_anchor(b"\x00" * 4 + b'{"seq":1,"hash":"' + b"c" * 64 + b'","ino":2,"size":3}\x00\x00', None) == \
        Anchor(1, "c" * 64, 2, 3, "sha256", None, "")


def test_an_empty_anchor_is_none_and_a_missing_one_too(tmp_path: Path) -> None:
    assert decode_anchor(b"", None) is None and decode_anchor(b" " * 511 + b"\n", None) is None
    assert decode_anchor(b"\x00" * 512, KEY) is None
    assert read_anchor(tmp_path / "audit.jsonl", None) is None


UNREADABLE = "錨點檔內容無法解析 (anchor file unreadable)"
MALFORMED = "錨點檔欄位不完整 (anchor file malformed)"
MAC_MISMATCH = "錨點檔的 HMAC 不符，遭修改或使用了別的金鑰 (anchor MAC mismatch)"
NEEDS_KEY = "錨點檔以 HMAC 保護，需要金鑰才能驗證 (keyed anchor: key required)"


def _doc(**changes) -> bytes:
    doc = {"v": 1, "seq": 4, "hash": "d" * 64, "ino": 5, "size": 6, "alg": "sha256", "time": ""}
    doc.update(changes)
    return json.dumps({k: v for k, v in doc.items() if v is not ...}).encode()


@pytest.mark.parametrize(("data", "message"), [
    (b"{not json", UNREADABLE),
    (b"XXXX", UNREADABLE),  # not JSON is not "no anchor"
    (b"X" + Anchor(1, "c" * 64, 2, 3).encode(None), UNREADABLE),  # only spaces, newlines and NULs are padding
    (b"[" * 5 + b"]" * 5, UNREADABLE),  # deeper than 4
    (b"[1, 2]", MALFORMED),
    (_doc(seq=-2), MALFORMED),
    (_doc(seq=True), MALFORMED),
    (_doc(seq=...), MALFORMED),
    (_doc(hash="D" * 64), MALFORMED),
    (_doc(hash=...), MALFORMED),
    (_doc(ino=-1), MALFORMED),
    (_doc(ino=...), MALFORMED),
    (_doc(size="6"), MALFORMED),
    (_doc(size=...), MALFORMED),
    (_doc(alg="hmac-sha256"), NEEDS_KEY),
])
def test_an_anchor_that_cannot_be_trusted_says_why(data: bytes, message: str) -> None:
    """The text goes to `dlp audit verify`'s "anchor" problem and to /readyz (via AuditTampered)."""
    with pytest.raises(AnchorError) as err:
        decode_anchor(data, None)
    assert str(err.value) == message
    assert isinstance(err.value, AnchorNeedsKey) == (message == NEEDS_KEY)


def test_a_keyed_anchor_with_a_wrong_or_missing_mac_is_refused() -> None:
    anchor = Anchor(4, "d" * 64, 5, 6, "hmac-sha256", key_id(KEY))
    good = anchor.encode(KEY)
    assert decode_anchor(good, KEY) == anchor
    for key, data in ((b"x" * 32, good), (KEY, anchor.encode(None)), (KEY, good.replace(b'"seq":4', b'"seq":3')),
                      (KEY, _doc(mac=1))):
        with pytest.raises(AnchorError) as err:
            decode_anchor(data, key)
        assert str(err.value) == MAC_MISMATCH and not isinstance(err.value, AnchorNeedsKey)
    # the MAC covers every field but itself, as sorted compact ASCII JSON
    doc = json.loads(good)
    doc["mac"] = hmac.new(KEY, json.dumps({k: v for k, v in doc.items() if k != "mac"}, sort_keys=True,
                                          separators=(",", ":")).encode(), hashlib.sha256).hexdigest()
    assert decode_anchor(json.dumps(doc, indent=1).encode(), KEY) == anchor


def test_read_anchor_reads_at_most_one_byte_more_than_an_anchor(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    anchor_path(path).write_bytes(Anchor(1, "e" * 64, 2, 3).encode(None) + b"x" * 10_000)
    assert read_anchor(path, None) == Anchor(1, "e" * 64, 2, 3)


# -- the writer's backwards read of the log's tail ------------------------------------------


def test_last_record_of_a_missing_or_empty_file(tmp_path: Path) -> None:
    assert last_record(tmp_path / "none.jsonl") == (None, True)
    (tmp_path / "empty.jsonl").write_bytes(b"")
    assert last_record(tmp_path / "empty.jsonl") == (None, True)
    (tmp_path / "blank.jsonl").write_bytes(b"\n\n")
    assert last_record(tmp_path / "blank.jsonl") == (None, True)
    (tmp_path / "junk.jsonl").write_bytes(b"junk")
    assert last_record(tmp_path / "junk.jsonl") == (None, False)


def test_last_record_says_whether_the_file_ends_with_a_newline(tmp_path: Path) -> None:
    a, b = _record(0), _record(1, _record(0)["hash"])
    path = tmp_path / "audit.jsonl"
    path.write_bytes(_line(a) + _line(b))
    assert last_record(path) == (b, True)
    path.write_bytes(_line(a) + _line(b).rstrip(b"\n"))
    assert last_record(path) == (b, False)
    path.write_bytes(_line(a).rstrip(b"\n"))  # one record, no newline: the whole file is the line
    assert last_record(path) == (a, False)
    path.write_bytes(_line(a) + _line(b) + b'{"v":1,"event":"decision","request_id":"torn')
    assert last_record(path) == (b, False)  # a torn last line is skipped


def test_last_record_reads_back_over_a_long_last_record_and_a_long_torn_line(tmp_path: Path) -> None:
    """The tail is read in 64 KiB steps; a line that spans several of them is put back together."""
    path = tmp_path / "audit.jsonl"
    first = _record(0, request_id="first")
    big = _record(1, first["hash"], x="長" * 100_000)  # 300 KB of UTF-8: five steps back
    path.write_bytes(_line(first) + _line(big))
    assert last_record(path) == (big, True)
    path.write_bytes(_line(first) + _line(big) + b'{"v":1,"x":"' + b"a" * 200_000)
    assert last_record(path) == (big, False)
    path.write_bytes(_line(first) + b'{"v":1,"x":"' + b"a" * 200_000 + b"\n" + b"b" * 70_000 + b"\n")
    assert last_record(path) == (first, True)  # the first line of the file, found once the read reaches it
    path.write_bytes(_line(first) + b"\n" * (65 * 1024))
    assert last_record(path) == (first, True)


def test_last_record_reads_back_at_most_four_record_lengths_and_one_step(tmp_path: Path) -> None:
    """Behind more garbage than four of the longest records (and one 64 KiB step), the writer
    stops looking (then it finds the log does not end where its anchor says, and refuses)."""
    path = tmp_path / "audit.jsonl"
    first = _line(_record(0))
    step = 64 * 1024
    for size, found in ((step + 1, True), (4 * MAX_LINE_BYTES + step, True), (4 * MAX_LINE_BYTES + step + 1, False)):
        path.write_bytes(first + b"x" * (size - len(first) - 1) + b"\n")
        assert last_record(path) == (_record(0) if found else None, True), size


# -- syncing the directory (rotation with fsync on) ---------------------------------------------


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.fixture()
def synced(monkeypatch) -> list[int]:
    """The inodes os.fsync is called on from now (the real fsync still runs)."""
    calls: list[int] = []
    real = os.fsync

    def spy(fd: int) -> None:
        calls.append(os.fstat(fd).st_ino)
        real(fd)

    monkeypatch.setattr(os, "fsync", spy)
    return calls


def test_fsync_dir_syncs_the_directory_and_leaves_no_descriptor_open(tmp_path: Path, synced, monkeypatch) -> None:
    before = _open_fds()
    fsync_dir(tmp_path)
    assert synced == [tmp_path.stat().st_ino]
    assert _open_fds() == before
    fsync_dir(tmp_path / "missing")  # nothing to sync: no error either
    assert len(synced) == 1 and _open_fds() == before

    def refuse(fd: int) -> None:
        raise OSError(22, "Invalid argument")

    monkeypatch.setattr(os, "fsync", refuse)  # a file system that cannot sync a directory
    fsync_dir(tmp_path)
    assert _open_fds() == before


def test_a_rotation_with_fsync_on_syncs_the_old_file_and_the_directory(tmp_path: Path, synced) -> None:
    path = tmp_path / "audit.jsonl"
    log = _fill(path, 1, max_bytes=400, fsync=True)
    synced.clear()
    old_ino = path.stat().st_ino
    log.append({"event": "decision", "request_id": "rotates", "action": "allow", "pad": "p" * 200})
    assert (tmp_path / "audit.jsonl.1").stat().st_ino == old_ino  # it did rotate
    assert synced[:2] == [old_ino, tmp_path.stat().st_ino]
    assert verify(path).ok
    synced.clear()  # a writer that has not written to the old file yet syncs only the directory before the new file
    AuditLog(path, max_bytes=400, fsync=True).append({"event": "decision", "pad": "p" * 300})
    assert synced == [tmp_path.stat().st_ino, path.stat().st_ino, anchor_path(path).stat().st_ino]
    synced.clear()
    quiet = AuditLog(path, max_bytes=400)  # fsync off: a rotation syncs nothing either
    quiet.append({"event": "decision"})
    quiet.append({"event": "decision", "pad": "p" * 300})
    assert (tmp_path / "audit.jsonl.3").exists() and synced == []


# -- verify: what `dlp audit verify` tells the operator, problem by problem ---------------------


def _log(tmp_path: Path, n: int = 8, **kw) -> tuple[Path, list[bytes]]:
    path = tmp_path / "audit.jsonl"
    _fill(path, n, **kw).close()
    return path, path.read_bytes().splitlines(keepends=True)


def _found(path: Path, **kw) -> list[tuple[str, str, int, str]]:
    return [(p.kind, Path(p.file).name, p.line, p.message) for p in verify(path, **kw).problems]


def _rehashed(line: bytes, **changes) -> bytes:
    rec = {**json.loads(line), **changes}
    rec["hash"] = record_hash(rec)
    return _line(rec)


def test_an_intact_log_as_verify_reports_it(tmp_path: Path) -> None:
    path, lines = _log(tmp_path, 3)
    last = json.loads(lines[-1])
    assert verify(path).to_dict() == {
        "ok": True, "files": [str(path)], "records": 3, "last_seq": 2, "last_hash": last["hash"], "keyed": False,
        "needs_key": False, "problem_count": 0, "problems": [], "warnings": []}


def test_each_kind_of_tampering_is_named_with_its_line_and_what_happened(tmp_path: Path) -> None:
    path, lines = _log(tmp_path)
    cases = {
        "content edited": (lines[:3] + [lines[3].replace(b'"allow"', b'"block"')] + lines[4:],
                           [("edited", 4, "第 3 筆紀錄內容與其雜湊值不符（遭修改）")]),
        "edited and rehashed": (lines[:3] + [_rehashed(lines[3], action="block")] + lines[4:],
                                [("edited", 4, "第 3 筆紀錄被修改過（下一筆記下的雜湊值與它不符）")]),
        "one removed": (lines[:2] + lines[3:], [("removed", 3, "第 2 筆紀錄不見了（共 1 筆，遭刪除）")]),
        "two removed": (lines[:2] + lines[4:], [("removed", 3, "第 2–3 筆紀錄不見了（共 2 筆，遭刪除）")]),
        "first removed": (lines[1:], [("removed", 1, "第 0 筆紀錄不見了（共 1 筆，遭刪除）")]),
        "one cut off the end": (lines[:7], [("removed", 8, "第 7 筆紀錄從檔尾被刪除（錨點記下最後是第 7 筆，共 1 筆）")]),
        "three cut off the end": (lines[:5], [("removed", 6, "第 5–7 筆紀錄從檔尾被刪除（錨點記下最後是第 7 筆，共 3 筆）")]),
        "a copy inserted": (lines[:5] + [lines[1]] + lines[5:], [("inserted", 6, "第 1 筆與先前的同號紀錄重複（插入的紀錄）")]),
        "a forgery with the same seq and prev": (lines[:3] + [_rehashed(lines[3], request_id="forged")] + lines[3:],
                                                 [("inserted", 4, "第 3 筆是插入的紀錄（不在雜湊鏈上）")]),
        "a forgery after its original": (lines[:4] + [_rehashed(lines[3], request_id="forged")] + lines[4:],
                                         [("inserted", 5, "第 3 筆與先前的同號紀錄重複（插入的紀錄）")]),
        "a forgery with a seq that does not follow": (
            lines[:3] + [_rehashed(lines[3], seq=30)] + lines[3:],
            [("inserted", 4, "第 30 筆是插入的紀錄（序號接不上第 2 筆，不在雜湊鏈上）")]),
        "a forgery chained on with a jump": (
            lines[:3] + [_rehashed(lines[3], seq=9)] + lines[3:],
            [("inserted", 4, "第 9 筆是插入的紀錄（序號接不上第 2 筆，不在雜湊鏈上）")]),
        "a forgery far ahead that nothing links to": (
            lines[:3] + [_rehashed(lines[3], seq=50, prev="f" * 64)] + lines[3:],
            [("inserted", 4, "第 50 筆是插入的紀錄（不在雜湊鏈上）")]),
        "a forgery off the chain before its original": (
            lines[:3] + [_rehashed(lines[3], prev="f" * 64, request_id="forged")] + lines[3:],
            [("inserted", 4, "第 3 筆是插入的紀錄（不在雜湊鏈上）")]),
        "two swapped": (lines[:3] + [lines[4], lines[3]] + lines[5:], [("reordered", 4, "第 4 筆出現在第 3 筆之前（順序被調動）")]),
        "one moved later": (lines[:2] + lines[3:6] + [lines[2]] + lines[6:],
                            [("reordered", 6, "第 2 筆出現在第 5 筆之後（順序被調動）")]),  # not "removed": it is there
        "the first record's prev": (
            [_rehashed(lines[0], prev="1" * 64)] + lines[1:],
            [("edited", 1, "第一筆紀錄的前一筆雜湊值不是起始值"), ("edited", 1, "第 0 筆紀錄被修改過（下一筆記下的雜湊值與它不符）")]),
        "the last seq edited and rehashed": (lines[:7] + [_rehashed(lines[7], seq=9)],
                                             [("edited", 8, "第 9 筆的序號接不上第 6 筆（序號遭修改）")]),
        "blank lines in between": (lines[:2] + [b"\n", b" \t\n"] + lines[2:], []),
        "garbage": (lines[:2] + [b"hello\n"] + lines[2:], [("malformed", 3, "不是 JSON，也不是寫到一半的紀錄")]),
        "not a record": (lines[:2] + [b'{"v":1,"seq":2}\n'] + lines[2:],
                         [("malformed", 3, "不是稽核紀錄（seq、prev 或 hash 缺少或格式不對）")]),
        "JSON but not an object": (lines[:2] + [b"[1, 2]\n"] + lines[2:],
                                   [("malformed", 3, "不是稽核紀錄（seq、prev 或 hash 缺少或格式不對）")]),
        "a bad prev": (lines[:2] + [_rehashed(lines[2], prev="x")] + lines[3:],
                       [("malformed", 3, "不是稽核紀錄（seq、prev 或 hash 缺少或格式不對）"),
                        ("removed", 4, "第 2 筆紀錄不見了（共 1 筆，遭刪除）")]),
        "a seq that is a string": (lines[:2] + [_rehashed(lines[2], seq="2")] + lines[3:],
                                   [("malformed", 3, "不是稽核紀錄（seq、prev 或 hash 缺少或格式不對）"),
                                    ("removed", 4, "第 2 筆紀錄不見了（共 1 筆，遭刪除）")]),
        "all but the last removed": (lines[7:], [("removed", 1, "第 0–6 筆紀錄不見了（共 7 筆，遭刪除）")]),
        "a swap, then a record that links on but jumps its seq": (
            lines[:3] + [lines[4], lines[3], _rehashed(lines[5], seq=9)],
            [("reordered", 4, "第 4 筆出現在第 3 筆之前（順序被調動）"), ("edited", 6, "第 9 筆的序號接不上第 4 筆（序號遭修改）")]),
        "a forgery off the chain, and later a swap": (
            lines[:3] + [_rehashed(lines[3], prev="f" * 64, request_id="forged")] + lines[3:5] + [lines[6], lines[5], lines[7]],
            [("inserted", 4, "第 3 筆是插入的紀錄（不在雜湊鏈上）"), ("reordered", 7, "第 6 筆出現在第 5 筆之前（順序被調動）")]),
        "deep": (lines[:2] + [b"[" * 17 + b"]" * 17 + b"\n"] + lines[2:], [("malformed", 3, "巢狀層數過深，不是稽核紀錄")]),
        "a line over 1 MiB": (lines[:2] + [b"a" * (MAX_LINE_BYTES + 1) + b"\n"] + lines[2:],
                              [("malformed", 3, f"這一行超過 {MAX_LINE_BYTES} 位元組，不是稽核紀錄")]),
        "a line of 3 MiB": (lines[:2] + [b"a" * (3 * MAX_LINE_BYTES) + b"\n"] + lines[2:],
                            [("malformed", 3, f"這一行超過 {MAX_LINE_BYTES} 位元組，不是稽核紀錄")]),
        "a long unterminated last line": (lines + [b"a" * (2 * MAX_LINE_BYTES)],
                                          [("malformed", 9, f"這一行超過 {MAX_LINE_BYTES} 位元組，不是稽核紀錄")]),
        "nothing left": ([], [("removed", 1, "第 0–7 筆紀錄從檔尾被刪除（錨點記下最後是第 7 筆，共 8 筆）"),
                              ("empty", 1, "沒有任何有效的稽核紀錄")]),
    }
    for name, (content, expected) in cases.items():
        path.write_bytes(b"".join(content))
        assert _found(path) == [(k, "audit.jsonl", n, m) for k, n, m in expected], name
    path.unlink()  # the log deleted, its anchor left: where the records were is named by the log's path
    assert _found(path) == [("removed", "audit.jsonl", 1, "第 0–7 筆紀錄從檔尾被刪除（錨點記下最後是第 7 筆，共 8 筆）"),
                            ("empty", "audit.jsonl", 1, "沒有任何有效的稽核紀錄")]


def _log_with_a_long_record(tmp_path: Path, line_bytes: int) -> Path:
    """Records 0, 1, 2 by the writer; record 1's line (without its newline) is ``line_bytes`` long."""
    probe = AuditLog(tmp_path / "probe.jsonl").append({"event": "decision", "pad": ""})
    probe_len = len(json.dumps({**probe, "seq": 1}, ensure_ascii=False, separators=(",", ":")).encode())
    path = tmp_path / f"{line_bytes}.jsonl"
    log = AuditLog(path)
    for pad in ("", "a" * (line_bytes - probe_len), ""):
        log.append({"event": "decision", "pad": pad})
    assert len(path.read_bytes().splitlines()[1]) == line_bytes
    return path


def test_two_more_forgeries_named_where_they_are(tmp_path: Path) -> None:
    path, lines = _log(tmp_path, 4)
    # a forgery before its original, and the record after the original has a seq that does not follow
    path.write_bytes(b"".join(lines[:3]) + _rehashed(lines[3], request_id="forged") + lines[3]
                     + _rehashed(lines[3], seq=7, prev=json.loads(lines[3])["hash"]))
    assert _found(path) == [("inserted", "audit.jsonl", 4, "第 3 筆是插入的紀錄（不在雜湊鏈上）"),
                            ("edited", "audit.jsonl", 6, "第 7 筆的序號接不上第 3 筆（序號遭修改）")]
    # a forgery inserted as record 3, and the real record 3 renumbered (and rehashed) to make room
    path.write_bytes(b"".join(lines[:3]) + _rehashed(lines[3], request_id="forged") + _rehashed(lines[3], seq=4))
    assert _found(path) == [("inserted", "audit.jsonl", 4, "第 3 筆是插入的紀錄（不在雜湊鏈上）"),
                            ("edited", "audit.jsonl.anchor", 1, "第 3 筆的雜湊值與錨點記下的不同（檔案遭置換或改寫）")]


def test_a_line_over_1_mib_is_malformed_even_when_it_spans_two_read_chunks(tmp_path: Path) -> None:
    """Lines are read in 1 MiB chunks; a record line that starts in one and ends in the next is
    measured as a whole: 1 MiB is a record, one byte more is not (docs/service.md, "malformed")."""
    exact = _log_with_a_long_record(tmp_path, MAX_LINE_BYTES)
    result = verify(exact)
    assert result.ok and result.records == 3
    one = tmp_path / "one.jsonl"  # the same line, unterminated and alone in its file (one read chunk exactly)
    one.write_bytes(exact.read_bytes().splitlines()[1])
    assert verify(one, follow_rotation=False).records == 1 and not _found(one, follow_rotation=False)
    one.write_bytes(b"a" * (MAX_LINE_BYTES + 1))  # one byte more, unterminated: too long, not "not JSON"
    assert _found(one) == [("malformed", "one.jsonl", 1, f"這一行超過 {MAX_LINE_BYTES} 位元組，不是稽核紀錄"),
                           ("empty", "one.jsonl", 1, "沒有任何有效的稽核紀錄")]
    over = _log_with_a_long_record(tmp_path, MAX_LINE_BYTES + 1)
    assert [(k, n, m) for k, _, n, m in _found(over)] == [
        ("malformed", 2, f"這一行超過 {MAX_LINE_BYTES} 位元組，不是稽核紀錄"), ("removed", 3, "第 1 筆紀錄不見了（共 1 筆，遭刪除）")]


def test_torn_lines_are_warnings_that_say_whether_they_are_the_last_line(tmp_path: Path) -> None:
    path, lines = _log(tmp_path, 4)
    torn = b'{"v":1,"event":"decision","request_id":"torn'
    older = tmp_path / "audit.jsonl.1"
    older.write_bytes(lines[0] + lines[1] + torn + b"\n")
    path.write_bytes(lines[2] + lines[3] + torn)
    result = verify(path)
    assert result.ok and result.records == 4
    assert result.to_dict()["warnings"][0] == {"kind": "torn", "file": str(older), "line": 3,
                                               "message": "中間一行不完整（寫入時中斷？），未列入雜湊鏈"}
    assert [(w.kind, Path(w.file).name, w.line, w.message) for w in result.warnings] == [
        ("torn", "audit.jsonl.1", 3, "中間一行不完整（寫入時中斷？），未列入雜湊鏈"),
        ("torn", "audit.jsonl", 3, "最後一行不完整（寫入時中斷？），未列入雜湊鏈"),
    ]
    AuditLog(path).append({"event": "decision"})  # the next writer starts on a new line: the torn one is no longer last
    result = verify(path)
    assert result.ok and result.records == 5
    assert [(w.line, w.message) for w in result.warnings][1:] == [(3, "中間一行不完整（寫入時中斷？），未列入雜湊鏈")]


def test_the_anchor_says_what_it_found(tmp_path: Path) -> None:
    path, lines = _log(tmp_path, 4)
    anchor = anchor_path(path)
    saved = anchor.read_bytes()
    path.write_bytes(b"".join(lines[:3]) + _rehashed(lines[3], request_id="replaced"))
    assert _found(path) == [("edited", "audit.jsonl.anchor", 1, "第 3 筆的雜湊值與錨點記下的不同（檔案遭置換或改寫）")]
    report = verify(path).to_dict()  # what `dlp audit verify --json` prints
    assert report["problems"] == [{"kind": "edited", "file": str(anchor), "line": 1,
                                   "message": "第 3 筆的雜湊值與錨點記下的不同（檔案遭置換或改寫）"}]
    assert report["ok"] is False and report["problem_count"] == 1 and report["warnings"] == []
    one, first = _log(tmp_path / "one", 1)
    one.write_bytes(_rehashed(first[0], request_id="replaced"))  # the anchor's record may be the first one
    assert _found(one) == [("edited", "audit.jsonl.anchor", 1, "第 0 筆的雜湊值與錨點記下的不同（檔案遭置換或改寫）")]
    path.write_bytes(b"".join(lines))
    anchor.write_bytes(saved.replace(b'"seq":3', b'"seq":x'))
    assert _found(path) == [("anchor", "audit.jsonl.anchor", 1, UNREADABLE)]
    anchor.unlink()
    anchor.mkdir()
    problems = verify(path).problems
    assert [(p.kind, Path(p.file).name, p.line) for p in problems] == [("anchor", "audit.jsonl.anchor", 1)]
    assert problems[0].message.startswith("錨點檔無法讀取：")
    anchor.rmdir()
    result = verify(path)
    assert result.ok and [(w.kind, Path(w.file).name, w.line, w.message) for w in result.warnings] == [
        ("anchor", "audit.jsonl.anchor", 1, "沒有錨點檔：無法確認檔尾的紀錄是否被刪除")]


def test_a_new_log_with_only_its_genesis_anchor_is_intact_and_nothing_else_is(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    path.write_bytes(b"")
    anchor_path(path).write_bytes(Anchor(-1, GENESIS, 0, 0).encode(None))
    result = verify(path)
    assert result.ok and result.records == 0 and not result.warnings and result.last_seq == -1
    anchor_path(path).unlink()
    assert _found(path) == [("empty", "audit.jsonl", 1, "沒有任何有效的稽核紀錄")]
    assert [w.kind for w in verify(path).warnings] == ["anchor"]
    path.write_bytes(b"junk\n")
    assert [k for k, *_ in _found(path)] == ["malformed", "empty"]
    assert not verify(path).warnings  # nothing that is a record: no point warning about the anchor
    anchor_path(path).write_bytes(Anchor(-1, GENESIS, 0, 0).encode(None))
    assert [k for k, *_ in _found(path)] == ["malformed", "empty"]
    missing = tmp_path / "gone.jsonl"
    assert [(p.kind, p.file) for p in verify(missing).problems] == [("empty", str(missing))]


def test_problems_are_listed_by_file_then_line_and_counted_beyond_1000(tmp_path: Path) -> None:
    path, lines = _log(tmp_path, 30, max_bytes=1200)
    older = sorted(tmp_path.glob("audit.jsonl.*[0-9]"))
    assert len(older) >= 2
    saved = older[1].read_bytes()
    older[1].write_bytes(saved + b"junk\n")
    path.write_bytes(b"junk\n" + path.read_bytes())
    anchor_path(path).write_bytes(b"junk")
    problems = verify(path).problems
    assert [(Path(p.file).name, p.kind) for p in problems] == [
        (older[1].name, "malformed"), ("audit.jsonl", "malformed"), ("audit.jsonl.anchor", "anchor")]

    older[1].write_bytes(saved)
    path.write_bytes(b"".join(lines) + b"junk\n" * 1001 + b'{"v":1,\n' * 1001)
    anchor_path(path).unlink()
    result = verify(path)
    assert result.problem_count == 1001 and len(result.problems) == 1000 and result.problems[-1].line == 1000 + len(lines)
    assert len(result.warnings) == 1000 and result.to_dict()["problem_count"] == 1001


def test_a_keyed_log_is_checked_with_its_key_and_refuses_mixed_or_foreign_records(tmp_path: Path) -> None:
    path, lines = _log(tmp_path, 3, hmac_key=KEY)
    result = verify(path, key=KEY)
    assert result.ok and result.keyed and not result.needs_key
    without = verify(path)
    assert not without.ok and without.needs_key and without.keyed and without.problem_count == 0

    plain = _rehashed(lines[2], prev=json.loads(lines[1])["hash"])
    plain_rec = {k: v for k, v in json.loads(plain).items() if k not in ("alg", "kid")}
    plain_rec["hash"] = record_hash(plain_rec)
    path.write_bytes(lines[0] + lines[1] + _line(plain_rec))
    assert _found(path, key=KEY) == [("edited", "audit.jsonl", 3, "第 2 筆沒有金鑰保護，卻出現在金鑰保護的紀錄之後（遭改寫？）"),
                                     ("edited", "audit.jsonl.anchor", 1, "第 2 筆的雜湊值與錨點記下的不同（檔案遭置換或改寫）")]

    other = tmp_path / "other.jsonl"
    _fill(other, 2, hmac_key=b"x" * 32).close()
    kid = key_id(b"x" * 32)
    assert _found(other, key=KEY)[:2] == [("edited", "other.jsonl", 1, f"第 0 筆以另一把金鑰（{kid}）寫成"),
                                          ("edited", "other.jsonl", 2, f"第 1 筆以另一把金鑰（{kid}）寫成")]

    path.write_bytes(b"")  # a keyed anchor and no records left, verified without the key: it cannot say
    result = verify(path)
    assert result.needs_key and not result.warnings and [p.kind for p in result.problems] == ["empty"]

    unkeyed, _ = _log(tmp_path / "u", 2)  # its records hash without the key; its anchor has no MAC
    assert _found(unkeyed, key=KEY) == [("edited", "audit.jsonl", 1, "指定了金鑰，但紀錄都沒有金鑰保護（整份被改寫？）"),
                                        ("anchor", "audit.jsonl.anchor", 1, MAC_MISMATCH)]


def test_a_restarted_chain_is_a_warning_naming_the_old_anchor_and_the_reason(tmp_path: Path) -> None:
    path, lines = _log(tmp_path, 4)
    path.write_bytes(b"".join(lines[:2]))
    log = AuditLog(path)
    log.reanchor({"event": "chain_restarted", "reason": "調查後接受" + "長" * 300})
    result = verify(path)
    assert result.ok and [(w.kind, Path(w.file).name, w.line) for w in result.warnings] == [("restarted", "audit.jsonl", 3)]
    assert result.warnings[0].message == "第 2 筆：管理者接受了當時的檔案並重設錨點（原錨點：第 3 筆）；理由：" + ("調查後接受" + "長" * 300)[:200]
    anchor_path(path).unlink()  # upgrading a log from before anchors: there was none
    log.reanchor({"event": "chain_restarted", "reason": "升級"})
    assert verify(path).warnings[1].message == "第 3 筆：管理者接受了當時的檔案並重設錨點（原錨點：無）；理由：升級"
    log.reanchor({"event": "chain_restarted"})  # no reason given: nothing is made up
    assert verify(path).warnings[2].message == "第 4 筆：管理者接受了當時的檔案並重設錨點（原錨點：第 3 筆）；理由："


def test_with_the_active_file_gone_the_newest_rotated_file_is_where_records_end(tmp_path: Path) -> None:
    path, _ = _log(tmp_path, 12, max_bytes=1200)
    older = sorted(tmp_path.glob("audit.jsonl.*[0-9]"), key=lambda p: int(p.suffix[1:]))
    newest = older[-1]
    last_seq = json.loads(newest.read_bytes().splitlines()[-1])["seq"]
    n = len(newest.read_bytes().splitlines())
    path.unlink()
    assert _found(path) == [("removed", newest.name, n + 1,
                             f"第 {last_seq + 1}–11 筆紀錄從檔尾被刪除（錨點記下最後是第 11 筆，共 {11 - last_seq} 筆）")]
    for p in older:
        p.write_bytes(b"junk\n")
    anchor_path(path).unlink()
    assert [(k, f, line) for k, f, line, _ in _found(path)][-1] == ("empty", newest.name, 1)


def test_a_rotated_file_on_its_own_or_without_following_rotation(tmp_path: Path) -> None:
    path, _ = _log(tmp_path, 20, max_bytes=1200)
    older = sorted(tmp_path.glob("audit.jsonl.*[0-9]"), key=lambda p: int(p.suffix[1:]))
    alone = verify(older[1])
    assert alone.ok and alone.files == [str(older[1])] and not alone.warnings  # no anchor is expected there
    active = verify(path, follow_rotation=False)
    assert active.ok and active.files == [str(path)] and not active.warnings
    assert verify(path).files == [*map(str, older), str(path)]


# -- the writer: what it writes, byte for byte, and when it refuses -----------------------------


def test_a_record_line_is_v_then_the_fields_then_seq_prev_and_hash_in_raw_utf8(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path)
    first = log.append({"event": "decision", "reasons": ["標示「機密」"], "n": 1})
    second = log.append({"event": "decision"})
    h0 = hashlib.sha256(('{"event":"decision","n":1,"prev":"' + GENESIS + '","reasons":["標示「機密」"],"seq":0,"v":1}')
                        .encode()).hexdigest()
    h1 = hashlib.sha256(('{"event":"decision","prev":"' + h0 + '","seq":1,"v":1}').encode()).hexdigest()
    assert path.read_bytes() == (
        '{"v":1,"event":"decision","reasons":["標示「機密」"],"n":1,"seq":0,"prev":"' + GENESIS + '","hash":"' + h0 + '"}\n'
        '{"v":1,"event":"decision","seq":1,"prev":"' + h0 + '","hash":"' + h1 + '"}\n').encode()
    assert first["hash"] == h0 and second == {"v": 1, "event": "decision", "seq": 1, "prev": h0, "hash": h1}


def test_a_keyed_record_names_its_algorithm_and_key_inside_what_is_hashed(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    rec = AuditLog(path, hmac_key=KEY).append({"event": "decision"})
    kid = hashlib.sha256(b"dlp-audit-key-id:" + KEY).hexdigest()[:16]
    body = '{"alg":"hmac-sha256","event":"decision","kid":"' + kid + '","prev":"' + GENESIS + '","seq":0,"v":1}'
    mac = hmac.new(KEY, body.encode(), hashlib.sha256).hexdigest()
    assert path.read_bytes() == ('{"v":1,"event":"decision","seq":0,"prev":"' + GENESIS + '","alg":"hmac-sha256","kid":"'
                                 + kid + '","hash":"' + mac + '"}\n').encode()
    assert rec["hash"] == mac


def test_a_lone_surrogate_from_a_caller_is_replaced_everywhere_and_the_record_verifies(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    rec = AuditLog(path).append({"event": "decision", "s": "a\ud800b", "k\udfff": ["x\udc00", ("\ud83d",), {"n": "\udbff"}],
                                 "n": 3, "none": None})
    assert rec["s"] == "a\ufffdb" and rec["k\ufffd"] == ["x\ufffd", ["\ufffd"], {"n": "\ufffd"}]
    assert rec["n"] == 3 and rec["none"] is None
    assert json.loads(path.read_bytes()) == rec and verify(path).ok
    keyed = tmp_path / "keyed.jsonl"
    AuditLog(keyed, hmac_key=KEY).append({"event": "decision", "s": "\ud800"})
    assert verify(keyed, key=KEY).ok  # scrubbed, then keyed like any other record


def test_rotation_numbers_on_from_the_highest_rotated_file_and_never_splits_a_record(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    probe = AuditLog(tmp_path / "probe.jsonl").append({"event": "decision", "request_id": "r0", "action": "allow"})
    size = len(json.dumps(probe, ensure_ascii=False, separators=(",", ":")).encode()) + 1
    log = _fill(path, 2, max_bytes=2 * size)  # two records fit exactly: no rotation
    assert not list(tmp_path.glob("audit.jsonl.*[0-9]")) and path.stat().st_size == 2 * size
    log.append({"event": "decision", "request_id": "r2", "action": "allow"})  # one byte over: rotate first
    assert (tmp_path / "audit.jsonl.1").stat().st_size == 2 * size and path.stat().st_size == size
    for n in range(2, 11):
        log.append({"event": "decision", "request_id": "r9", "action": "allow"})
        log.append({"event": "decision", "request_id": "r9", "action": "allow"})
        assert (tmp_path / f"audit.jsonl.{n}").exists()
    assert verify(path).ok and verify(path).records == 21
    big = AuditLog(tmp_path / "big.jsonl", max_bytes=10).append({"event": "decision"})  # bigger than max, empty file
    assert big["seq"] == 0 and not list(tmp_path.glob("big.jsonl.*[0-9]"))


def test_after_a_torn_line_the_next_record_starts_on_a_new_line_unless_the_file_rotates(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    _fill(path, 2)
    torn = b'{"v":1,"event":"decision","request_id":"torn'
    with path.open("ab") as fh:
        fh.write(torn)
    AuditLog(path).append({"event": "decision", "request_id": "after"})
    lines = path.read_bytes().split(b"\n")
    assert lines[2] == torn and json.loads(lines[3])["request_id"] == "after" and lines[4] == b""
    with path.open("ab") as fh:
        fh.write(torn)
    AuditLog(path, max_bytes=path.stat().st_size + 10).append({"event": "decision", "request_id": "rotated"})
    assert (tmp_path / "audit.jsonl.1").read_bytes().endswith(b"\n" + torn)  # left as it was
    assert path.read_bytes().startswith(b'{"v":1,')  # the new file begins with the record
    assert verify(path).ok


def test_a_new_log_whose_first_write_was_cut_after_one_byte(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    AuditLog(path).check()  # the genesis anchor
    path.write_bytes(b"{")  # the first record's first byte, then the crash
    AuditLog(path).append({"event": "decision"})
    assert path.read_bytes().startswith(b"{\n{")
    result = verify(path)
    assert result.ok and result.records == 1 and [w.kind for w in result.warnings] == ["torn"]
    for cut in (b'{"', b'{"v', b'{"v":', b'{"v":1,"ev'):  # any start of a record is a torn line, not garbage
        path.write_bytes(cut)
        result = verify(path)
        assert [w.kind for w in result.warnings] == ["torn"] and "malformed" not in [p.kind for p in result.problems], cut


def test_reanchor_after_a_torn_line_writes_on_a_new_line(tmp_path: Path) -> None:
    path, lines = _log(tmp_path, 3)
    path.write_bytes(b"".join(lines[:2]) + b'{"v":1,"torn')
    AuditLog(path).reanchor({"event": "chain_restarted", "reason": "r"})
    assert path.read_bytes().split(b"\n")[2] == b'{"v":1,"torn'
    result = verify(path)
    assert result.ok and [w.kind for w in result.warnings] == ["torn", "restarted"]


def test_files_are_created_readable_by_owner_and_group_only(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        _fill(tmp_path / "audit.jsonl", 1).close()
    finally:
        os.umask(old)
    for name in ("audit.jsonl", "audit.jsonl.anchor", "audit.jsonl.lock"):
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o640, name


def test_a_new_log_is_anchored_at_its_genesis_before_the_first_record(tmp_path: Path) -> None:
    path = tmp_path / "var" / "logs" / "audit.jsonl"  # the directories are created too
    log = AuditLog(path)
    log.check()
    assert anchor_path(path).read_bytes() == Anchor(-1, GENESIS, 0, 0, time=json.loads(anchor_path(path).read_bytes())["time"]).encode(None)
    assert not path.exists() or path.stat().st_size == 0
    log.append({"event": "decision"})
    anchor = read_anchor(path, None)
    assert (anchor.seq, anchor.ino, anchor.size) == (0, path.stat().st_ino, path.stat().st_size)


def test_the_anchor_time_is_utc_milliseconds(tmp_path: Path) -> None:
    import re
    from datetime import UTC, datetime, timedelta

    path = tmp_path / "audit.jsonl"
    _fill(path, 1)
    time = read_anchor(path, None).time
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", time), time
    assert abs(datetime.fromisoformat(time.replace("Z", "+00:00")) - datetime.now(UTC)) < timedelta(minutes=5)


def _tampered(log: AuditLog) -> str:
    from dlp.audit import AuditTampered

    with pytest.raises(AuditTampered) as err:
        log.append({"event": "decision"})
    return str(err.value)


def test_the_writer_says_why_it_refuses(tmp_path: Path) -> None:
    """These texts reach the service's log and /readyz: the operator acts on them."""
    path, lines = _log(tmp_path, 5)
    saved = anchor_path(path).read_bytes()
    path.write_bytes(b"".join(lines[:3]))
    assert _tampered(AuditLog(path)) == "稽核紀錄被截短或刪除：錨點記下第 4 筆，檔案最後只到第 2 筆"
    path.write_bytes(lines[0])
    assert _tampered(AuditLog(path)) == "稽核紀錄被截短或刪除：錨點記下第 4 筆，檔案最後只到第 0 筆"
    path.write_bytes(b"")
    assert _tampered(AuditLog(path)) == "稽核紀錄被截短或刪除：錨點記下第 4 筆，檔案裡已沒有任何紀錄"
    path.write_bytes(b"".join(lines[:4]) + _rehashed(lines[4], request_id="x"))
    assert _tampered(AuditLog(path)) == "稽核紀錄的結尾與錨點不符（錨點第 4 筆，檔案最後第 4 筆）：檔案遭置換或改寫"
    path.write_bytes(b"".join(lines))
    anchor_path(path).unlink()
    assert _tampered(AuditLog(path)) == (f"稽核紀錄 {path} 有紀錄（最後第 4 筆）卻沒有錨點檔：錨點檔被刪除？"
                                         "（由舊版升級時請執行 dlp audit reanchor）")
    assert not anchor_path(path).exists() and path.read_bytes() == b"".join(lines)  # refused: nothing touched
    anchor_path(path).write_bytes(b"{junk")
    assert _tampered(AuditLog(path)) == f"稽核紀錄的錨點檔不可信：{UNREADABLE}"
    anchor_path(path).write_bytes(saved)
    AuditLog(path).append({"event": "decision"})  # as it was: appends go on


def test_a_keyed_log_refuses_a_writer_without_its_key_or_with_another(tmp_path: Path) -> None:
    path, _ = _log(tmp_path, 2, hmac_key=KEY)
    assert _tampered(AuditLog(path)) == f"稽核紀錄的錨點檔不可信：{NEEDS_KEY}"
    assert _tampered(AuditLog(path, hmac_key=b"x" * 32)) == f"稽核紀錄的錨點檔不可信：{MAC_MISMATCH}"
    AuditLog(path, hmac_key=KEY).append({"event": "decision"})
    assert verify(path, key=KEY).ok


def _crash_after_record(path: Path, fields: dict, **kw) -> None:
    """Append a record, then put the anchor back as if the writer died before updating it."""
    saved = anchor_path(path).read_bytes()
    AuditLog(path, **kw).append(fields)
    anchor_path(path).write_bytes(saved)


def test_records_a_dead_writer_left_after_the_anchor_must_chain_on_from_it(tmp_path: Path) -> None:
    path, lines = _log(tmp_path, 3)
    _crash_after_record(path, {"event": "decision", "request_id": "a", "reasons": ["two words, and more"]})
    _crash_after_record(path, {"event": "decision", "request_id": "b"})  # two records past the anchor
    saved = anchor_path(path).read_bytes()
    grown = path.read_bytes()
    anchor = read_anchor(path, None)
    assert (anchor.seq, anchor.size) == (2, len(b"".join(lines)))
    AuditLog(path).check()  # both chain on: fine

    def refused(content: bytes) -> str:
        path.write_bytes(content)
        anchor_path(path).write_bytes(saved.replace(b'"ino":%d' % anchor.ino, b'"ino":%d' % path.stat().st_ino))
        return _tampered(AuditLog(path))

    tail = grown[len(b"".join(lines)):].splitlines(keepends=True)
    base = b"".join(lines)
    assert "錨點第 2 筆，檔案最後第 4 筆" in refused(base + tail[0] + _rehashed(tail[1], prev="1" * 64))
    assert "錨點第 2 筆，檔案最後第 4 筆" in refused(base + tail[0] + tail[1].replace(b'"b"', b'"c"'))  # its hash no longer fits
    assert "檔案最後第 5 筆" in refused(base + tail[0] + _rehashed(tail[1], seq=5, prev=json.loads(tail[0])["hash"]))
    assert "錨點第 2 筆" in refused(base + b"junk\n" + tail[0] + tail[1])  # not a record in between
    path.write_bytes(base + tail[0] + tail[1] + b'{"v":1,"torn')  # a torn line at the end is fine
    anchor_path(path).write_bytes(saved)
    AuditLog(path).append({"event": "decision", "request_id": "after"})
    assert verify(path).ok and verify(path).records == 6


def test_a_crash_after_a_rotation_and_its_record_but_before_the_anchor_is_not_tampering(tmp_path: Path) -> None:
    """The writer rotated the anchored file away, wrote the first record of the new file and died:
    the new file chains on from the anchor, which names the rotated file just as it was."""
    path = tmp_path / "audit.jsonl"
    _fill(path, 1, max_bytes=300).close()
    _crash_after_record(path, {"event": "decision", "request_id": "first-of-new-file"}, max_bytes=300)
    assert (tmp_path / "audit.jsonl.1").exists() and read_anchor(path, None).seq == 0
    AuditLog(path, max_bytes=300).append({"event": "decision"})
    assert verify(path).ok and verify(path).records == 3
    # ... but not when the rotated file is no longer as the anchor saw it
    path2 = tmp_path / "b" / "audit.jsonl"
    _fill(path2, 1, max_bytes=300).close()
    _crash_after_record(path2, {"event": "decision"}, max_bytes=300)
    rotated = path2.with_name("audit.jsonl.1")
    rotated.write_bytes(rotated.read_bytes() + b"\n")
    assert "錨點第 0 筆，檔案最後第 1 筆" in _tampered(AuditLog(path2, max_bytes=300))
    copy = path2.with_name("copy")
    copy.write_bytes(rotated.read_bytes()[:-1])
    copy.replace(rotated)  # the same bytes as the anchor saw, but a copy: another inode
    assert "錨點第 0 筆，檔案最後第 1 筆" in _tampered(AuditLog(path2, max_bytes=300))


def test_records_past_the_anchor_in_a_replaced_file_or_beyond_one_record_length_are_refused(tmp_path: Path) -> None:
    path, lines = _log(tmp_path, 3)
    _crash_after_record(path, {"event": "decision"})
    content = path.read_bytes()
    path.unlink()
    path.write_bytes(content)  # same bytes, another inode: not the file the anchor saw
    assert "錨點第 2 筆，檔案最後第 3 筆" in _tampered(AuditLog(path))

    first, _ = _log(tmp_path / "first", 1)  # the same with the anchor at the very first record
    _crash_after_record(first, {"event": "decision"})
    content = first.read_bytes()
    first.unlink()
    first.write_bytes(content)
    assert "錨點第 0 筆，檔案最後第 1 筆" in _tampered(AuditLog(first))

    path2, _ = _log(tmp_path / "big", 2)
    saved = anchor_path(path2).read_bytes()
    log = AuditLog(path2)
    log.append({"event": "decision", "pad": "a" * (MAX_LINE_BYTES // 2)})
    log.append({"event": "decision", "pad": "b" * (MAX_LINE_BYTES // 2)})  # more than 1 MiB past the anchor
    anchor_path(path2).write_bytes(saved)
    assert "錨點第 1 筆，檔案最後第 3 筆" in _tampered(AuditLog(path2))


def test_a_genesis_anchor_beside_rotated_files_is_not_a_fresh_start(tmp_path: Path) -> None:
    path, _ = _log(tmp_path, 6, max_bytes=600)
    assert list(tmp_path.glob("audit.jsonl.*[0-9]"))
    fresh, _ = _log(tmp_path / "fresh", 2)  # a new chain from the genesis, as after the first records of a new log
    path.write_bytes(fresh.read_bytes())
    anchor_path(path).write_bytes(Anchor(-1, GENESIS, 0, 0).encode(None))
    assert _tampered(AuditLog(path)) == "稽核紀錄的結尾與錨點不符（錨點第 -1 筆，檔案最後第 1 筆）：檔案遭置換或改寫"
    for older in tmp_path.glob("audit.jsonl.*[0-9]"):
        older.unlink()
    AuditLog(path).append({"event": "decision"})  # without rotated files it is a new log's first records
    assert verify(path).ok


def test_reanchor_records_what_it_found_and_what_the_anchor_said(tmp_path: Path) -> None:
    path, lines = _log(tmp_path, 4)
    path.write_bytes(b"".join(lines[:2]))
    rec = AuditLog(path).reanchor({"event": "chain_restarted", "reason": "r"})
    h1 = json.loads(lines[1])["hash"]
    h3 = json.loads(lines[3])["hash"]
    assert rec["previous_anchor"] == {"seq": 3, "hash": h3} and rec["found"] == {"seq": 1, "hash": h1}
    assert rec["seq"] == 2 and rec["prev"] == h1
    anchor_path(path).write_bytes(b"{junk")  # an anchor that cannot be trusted is named as none
    rec = AuditLog(path).reanchor({"event": "chain_restarted", "reason": "r"})
    assert rec["previous_anchor"] is None and rec["found"]["seq"] == 2
    path.write_bytes(b"")  # the active file emptied: the chain goes on from the newest rotated file
    (tmp_path / "audit.jsonl.1").write_bytes(b"".join(lines[:2]))
    (tmp_path / "audit.jsonl.2").write_bytes(b"".join(lines[2:]))
    rec = AuditLog(path).reanchor({"event": "chain_restarted", "reason": "r"})
    assert rec["found"] == {"seq": 3, "hash": h3} and rec["seq"] == 4


def test_close_releases_every_descriptor_and_the_log_reopens(tmp_path: Path) -> None:
    before = _open_fds()
    log = _fill(tmp_path / "audit.jsonl", 2)
    assert _open_fds() == before + 3  # lock, log and anchor stay open between appends
    log.close()
    assert _open_fds() == before
    log.append({"event": "decision"})
    log.close()
    assert _open_fds() == before and verify(tmp_path / "audit.jsonl").records == 3


def test_with_fsync_on_each_append_waits_for_the_log_and_the_anchor(tmp_path: Path, synced) -> None:
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path, fsync=True)
    log.append({"event": "decision"})
    assert synced == [path.stat().st_ino, anchor_path(path).stat().st_ino]
    assert log._written == log._synced == 1
    log._sync(1)  # a ticket already covered: no second fsync
    assert len(synced) == 2
    log.append({"event": "decision"})  # the next record waits for its own
    assert synced[2:] == [path.stat().st_ino, anchor_path(path).stat().st_ino] and log._written == log._synced == 2
    AuditLog(tmp_path / "nosync.jsonl").append({"event": "decision"})
    assert len(synced) == 4  # fsync off: none


# -- verify's bookkeeping: the seq numbers seen, as intervals ------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 40), max_size=40), st.integers(0, 45), st.integers(0, 45))
def test_the_seq_set_answers_like_a_set_of_every_number_seen(seqs: list[int], lo: int, hi: int) -> None:
    """verify keeps intervals instead of every seq (memory stays flat); they must answer exactly
    as the plain set would: membership, and how many of lo..hi are missing, the first and the last."""
    from dlp.audit.verify import _SeqSet

    seen = _SeqSet()
    for s in seqs:
        seen.add(s)
    assert all((s in seen) == (s in seqs) for s in range(-2, 45))
    assert seen.lo == sorted(seen.lo) and all(a <= b for a, b in zip(seen.lo, seen.hi, strict=True))
    assert all(seen.hi[i] + 1 < seen.lo[i + 1] for i in range(len(seen.lo) - 1))  # disjoint, never touching
    gone = [s for s in range(lo, hi + 1) if s not in seqs]
    assert seen.missing(lo, hi) == ((len(gone), gone[0], gone[-1]) if gone else (0, -1, -1))


def test_a_keyed_record_a_dead_writer_left_is_checked_with_the_key(tmp_path: Path) -> None:
    path, _ = _log(tmp_path, 2, hmac_key=KEY)
    _crash_after_record(path, {"event": "decision", "request_id": "k"}, hmac_key=KEY)
    AuditLog(path, hmac_key=KEY).append({"event": "decision"})
    assert verify(path, key=KEY).ok and verify(path, key=KEY).records == 4


def test_a_plain_record_past_the_anchor_of_a_keyed_log_is_refused(tmp_path: Path) -> None:
    """Anyone can hash a record with plain SHA-256: past the anchor of a keyed log it is a forgery,
    not a record of a writer that died (which would have keyed it)."""
    path, lines = _log(tmp_path, 2, hmac_key=KEY)
    last = json.loads(lines[-1])
    with path.open("ab") as fh:
        fh.write(_line(_record(2, last["hash"], action="allow")))
    assert "錨點第 1 筆，檔案最後第 2 筆" in _tampered(AuditLog(path, hmac_key=KEY))


def test_a_record_of_exactly_1_mib_past_the_anchor_is_a_crash_not_tampering(tmp_path: Path) -> None:
    path, _ = _log(tmp_path, 1)
    probe = AuditLog(tmp_path / "probe.jsonl").append({"event": "decision", "pad": ""})
    probe_len = len(json.dumps({**probe, "seq": 1}, ensure_ascii=False, separators=(",", ":")).encode()) + 1
    before = path.stat().st_size
    _crash_after_record(path, {"event": "decision", "pad": "a" * (MAX_LINE_BYTES - probe_len)})
    assert path.stat().st_size - before == MAX_LINE_BYTES
    AuditLog(path).append({"event": "decision"})
    assert verify(path).ok and verify(path).records == 3


def test_an_anchor_replaced_by_a_copy_is_reopened_by_a_running_writer(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = _fill(path, 2)
    copy = tmp_path / "copy"
    copy.write_bytes(anchor_path(path).read_bytes())
    copy.replace(anchor_path(path))  # same content, another inode
    log.append({"event": "decision"})
    assert read_anchor(path, None).seq == 2  # written to the file that is there, not the one unlinked
    log.append({"event": "decision"})
    assert verify(path).ok and verify(path).records == 4


def test_descriptors_opened_by_another_process_are_left_to_it(tmp_path: Path) -> None:
    """What a forked child does (without forking: the descriptors are marked as another process's)."""
    path = tmp_path / "audit.jsonl"
    log = _fill(path, 1)
    inherited = dict(log._fds)
    log._pid = -2
    log.close()  # not ours: not closed
    assert all(os.fstat(fd) for fd, _ in inherited.values()) and log._fds == {}
    log._pid = -2
    log.append({"event": "decision"})
    assert {n: fd for n, (fd, _) in log._fds.items()}.keys() == inherited.keys()
    assert all(log._fds[n][0] != inherited[n][0] for n in inherited)  # its own descriptors
    assert all(os.fstat(fd) for fd, _ in inherited.values())
    for fd, _ in inherited.values():
        os.close(fd)
    log.close()
    assert verify(path).ok and verify(path).records == 2
