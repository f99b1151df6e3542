"""Audit log: the hash chain catches edited, removed, inserted and reordered records; crashes and rotation."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest

from dlp.audit import AuditLog, record_hash, rotated_files, verify


def _fill(path: Path, n: int, **kw) -> AuditLog:
    log = AuditLog(path, **kw)
    for i in range(n):
        log.append({"event": "decision", "request_id": f"r{i}", "action": "allow", "finding_types": {"TW_PHONE": i}})
    return log


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def _kinds(path: Path) -> list[str]:
    return [p.kind for p in verify(path).problems]


@pytest.fixture()
def log_path(tmp_path: Path) -> Path:
    path = tmp_path / "audit.jsonl"
    _fill(path, 8)
    return path


def test_intact_chain_verifies(log_path: Path) -> None:
    result = verify(log_path)
    assert result.ok and result.records == 8 and result.last_seq == 7
    assert not result.warnings


def test_edited_record(log_path: Path) -> None:
    lines = _lines(log_path)
    lines[3] = lines[3].replace('"allow"', '"block"')
    log_path.write_text("".join(lines), encoding="utf-8")
    assert _kinds(log_path) == ["edited"]
    assert verify(log_path).problems[0].line == 4


def test_edited_record_with_recomputed_hash(log_path: Path) -> None:
    lines = _lines(log_path)
    rec = json.loads(lines[3])
    rec["action"] = "block"
    rec["hash"] = record_hash(rec)
    lines[3] = json.dumps(rec, ensure_ascii=False) + "\n"
    log_path.write_text("".join(lines), encoding="utf-8")
    problems = verify(log_path).problems
    assert [(p.kind, p.line) for p in problems] == [("edited", 4)]


def test_removed_record(log_path: Path) -> None:
    lines = _lines(log_path)
    del lines[2]
    log_path.write_text("".join(lines), encoding="utf-8")
    assert _kinds(log_path) == ["removed"]


def test_removed_first_record(log_path: Path) -> None:
    log_path.write_text("".join(_lines(log_path)[1:]), encoding="utf-8")
    assert _kinds(log_path) == ["removed"]


def test_inserted_copy_and_forged_record(log_path: Path) -> None:
    lines = _lines(log_path)
    log_path.write_text("".join([*lines[:5], lines[1], *lines[5:]]), encoding="utf-8")
    assert _kinds(log_path) == ["inserted"]

    forged = json.loads(lines[3])
    forged["request_id"] = "forged"
    forged["hash"] = record_hash(forged)  # same seq and prev as the real record 3
    log_path.write_text("".join([*lines[:3], json.dumps(forged) + "\n", *lines[3:]]), encoding="utf-8")
    problems = verify(log_path).problems
    assert [(p.kind, p.line) for p in problems] == [("inserted", 4)]


def test_reordered_records(log_path: Path) -> None:
    lines = _lines(log_path)
    lines[3], lines[4] = lines[4], lines[3]
    log_path.write_text("".join(lines), encoding="utf-8")
    assert _kinds(log_path) == ["reordered"]


def test_torn_last_line_is_a_warning_and_appends_go_on(log_path: Path) -> None:
    with log_path.open("a", encoding="utf-8") as fh:
        fh.write('{"v":1,"event":"decision","request_id":"torn"')  # crash mid-write
    result = verify(log_path)
    assert result.ok and [w.kind for w in result.warnings] == ["torn"] and result.records == 8
    AuditLog(log_path).append({"event": "decision", "request_id": "after-crash"})
    result = verify(log_path)
    assert result.ok and result.records == 9 and result.last_seq == 8
    assert [w.kind for w in result.warnings] == ["torn"]


def test_rotation_keeps_the_chain(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    _fill(path, 30, max_bytes=1500)
    older = rotated_files(path)
    assert len(older) >= 3
    result = verify(path)
    assert result.ok and result.records == 30 and result.last_seq == 29
    first_of_active = json.loads(_lines(path)[0])
    last_of_previous = json.loads(_lines(older[-1])[-1])
    assert first_of_active["prev"] == last_of_previous["hash"]
    # A rotated file on its own verifies too (its first record is the anchor).
    assert verify(older[1]).ok
    # Deleting a whole rotated file is caught.
    older[1].unlink()
    assert _kinds(path) == ["removed"]


def _writer(path: str, worker: int, n: int) -> None:
    log = AuditLog(path, max_bytes=20_000)
    for i in range(n):
        log.append({"event": "decision", "request_id": f"w{worker}-{i}"})


def test_appends_from_several_processes_stay_chained(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_writer, args=(str(path), w, 60)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(30)
    result = verify(path)
    assert result.ok, [p.to_dict() for p in result.problems]
    assert result.records == 240 and result.last_seq == 239


def _threads_append(log: AuditLog, worker: int, n: int) -> None:
    for i in range(n):
        log.append({"event": "decision", "request_id": f"t{worker}-{i}"})


def _fsync_writer(path: str, worker: int, n: int) -> None:
    import threading

    log = AuditLog(path, max_bytes=6_000, fsync=True)
    threads = [threading.Thread(target=_threads_append, args=(log, worker * 10 + t, n)) for t in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)


def test_fsync_group_commit_across_threads_processes_and_rotation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "audit.jsonl"
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_fsync_writer, args=(str(path), w, 25)) for w in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0, 0]
    result = verify(path)
    assert result.ok, [p.to_dict() for p in result.problems]
    assert result.records == 225 and result.last_seq == 224 and len(rotated_files(path)) >= 2

    # Every append waits for an fsync that covers its record; concurrent ones share it.
    import os
    import threading

    synced: list[int] = []  # sizes of the log at each of its own fsyncs (the anchor file's are not counted)
    real_fsync = os.fsync
    grouped = tmp_path / "grouped.jsonl"

    def counting_fsync(fd: int) -> None:
        st = os.fstat(fd)
        if grouped.exists() and (st.st_dev, st.st_ino) == (grouped.stat().st_dev, grouped.stat().st_ino):
            synced.append(st.st_size)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", counting_fsync)
    log = AuditLog(tmp_path / "grouped.jsonl", fsync=True)
    threads = [threading.Thread(target=_threads_append, args=(log, t, 20)) for t in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert verify(tmp_path / "grouped.jsonl").records == 80
    assert 0 < len(synced) <= 80
    assert log._synced == log._written == 80


def test_a_forked_child_gets_its_own_descriptors(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = _fill(path, 3)
    parent_lock = log._fds["lock"]
    ctx = multiprocessing.get_context("fork")
    child = ctx.Process(target=_threads_append, args=(log, 9, 5))
    child.start()
    child.join(30)
    assert child.exitcode == 0
    assert log._fds["lock"] == parent_lock  # the child's reopen did not touch the parent's
    log.append({"event": "decision", "request_id": "parent-after-child"})
    result = verify(path)
    assert result.ok and result.records == 9 and result.last_seq == 8


def test_active_file_rotated_or_lock_removed_by_someone_else(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    a = _fill(path, 3)
    b = AuditLog(path, max_bytes=1)  # rotates before each record
    b.append({"event": "decision", "request_id": "b"})
    a.append({"event": "decision", "request_id": "a-after-rotation"})  # must follow b into the new file
    (tmp_path / "audit.jsonl.lock").unlink()
    a.append({"event": "decision", "request_id": "a-after-lock-removed"})
    assert (tmp_path / "audit.jsonl.lock").exists()
    result = verify(path)
    assert result.ok, [p.to_dict() for p in result.problems]
    assert result.records == 6 and result.last_seq == 5
    assert json.loads(_lines(path)[-1])["request_id"] == "a-after-lock-removed"


# -- anchor: a log cut short, deleted or replaced is refused, not restarted ----------------------

from dlp.audit import AuditTampered  # noqa: E402
from dlp.audit.chain import anchor_path  # noqa: E402


@pytest.mark.parametrize("damage", ["truncate", "truncate-to-zero", "delete", "replace", "delete-anchor"])
def test_the_writer_refuses_a_log_that_no_longer_ends_where_it_left_it(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "audit.jsonl"
    log = _fill(path, 5)
    if damage == "truncate":
        with path.open("r+b") as fh:
            fh.truncate(path.stat().st_size - 10)
    elif damage == "truncate-to-zero":
        path.write_bytes(b"")
    elif damage == "delete":
        path.unlink()
    elif damage == "replace":
        other = tmp_path / "other.jsonl"
        forger = AuditLog(other)
        for i in range(5):
            forger.append({"event": "decision", "request_id": f"forged{i}", "action": "allow"})
        other.replace(path)  # a well-formed chain, but not this one
    else:
        anchor_path(path).unlink()
    for writer in (log, AuditLog(path)):  # the running writer, and one started afresh
        with pytest.raises(AuditTampered):
            writer.append({"event": "decision", "request_id": "after"})
    result = verify(path)
    if damage == "delete-anchor":  # verify cannot tell a deleted anchor from a log older than anchors: it warns
        assert [w.kind for w in result.warnings] == ["anchor"]
    else:
        assert not result.ok


def test_a_crash_between_record_and_anchor_is_not_tampering(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    _fill(path, 3)
    saved = anchor_path(path).read_bytes()
    AuditLog(path).append({"event": "decision", "request_id": "3"})
    anchor_path(path).write_bytes(saved)  # as if the writer died before updating the anchor
    AuditLog(path).append({"event": "decision", "request_id": "4"})
    result = verify(path)
    assert result.ok and result.records == 5


def test_a_crash_right_after_the_very_first_record(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path)
    log.append({"event": "decision"})
    anchor = anchor_path(path)
    from dlp.audit.chain import GENESIS, Anchor

    anchor.write_bytes(Anchor(-1, GENESIS, 0, 0).encode(None))  # the genesis anchor written before record 0
    AuditLog(path).append({"event": "decision"})
    assert verify(path).ok


def test_verify_catches_records_cut_off_the_end(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    _fill(path, 6)
    path.write_text("".join(_lines(path)[:4]), encoding="utf-8")
    problems = verify(path).problems
    assert [p.kind for p in problems] == ["removed"] and "4–5" in problems[0].message


def test_reanchor_accepts_the_log_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    _fill(path, 4)
    path.write_text("".join(_lines(path)[:2]), encoding="utf-8")
    log = AuditLog(path)
    with pytest.raises(AuditTampered):
        log.append({"event": "decision"})
    log.reanchor({"event": "chain_restarted", "reason": "investigated"})
    log.append({"event": "decision"})
    result = verify(path)
    assert result.ok and result.records == 4 and [w.kind for w in result.warnings] == ["restarted"]


# -- keyed chain ---------------------------------------------------------------------------------

def test_a_keyed_chain_catches_a_rewrite_that_rehashes_everything(tmp_path: Path) -> None:
    key = b"k" * 32
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path, hmac_key=key)
    for i in range(5):
        log.append({"event": "decision", "action": "block", "i": i})
    assert verify(path, key=key).ok
    assert not verify(path).ok and verify(path).needs_key  # without the key it cannot say "intact"
    # An attacker rewrites record 2 and re-hashes the chain (plain SHA-256: no key) and the anchor.
    recs = [json.loads(line) for line in _lines(path)]
    prev = recs[1]["hash"]
    for rec in recs[2:]:
        if rec["i"] == 2:
            rec["action"] = "allow"
        rec.pop("alg"), rec.pop("kid")
        rec["prev"] = prev
        rec["hash"] = prev = record_hash(rec)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    anchor_path(path).unlink()
    kinds = [p.kind for p in verify(path, key=key).problems]
    assert "edited" in kinds
    # ... and one who keys the records with a wrong key gets "edited" too.
    wrong = AuditLog(tmp_path / "w.jsonl", hmac_key=b"x" * 32)
    wrong.append({"event": "decision"})
    assert not verify(tmp_path / "w.jsonl", key=key).ok


# -- verify never crashes, never runs out of memory ------------------------------------------

def _cli_verify(path: Path) -> tuple[int, str]:
    import contextlib
    import io

    from dlp.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(["audit", "verify", str(path)])
    return code, out.getvalue()


def test_verify_survives_garbage_forgeries_surrogates_and_deep_lines(tmp_path: Path) -> None:
    import os

    good = tmp_path / "good.jsonl"
    _fill(good, 4)
    lines = _lines(good)
    cases = {
        "garbage": os.urandom(200_000),
        "forged-seq": "".join([lines[0], json.dumps({**json.loads(lines[1]), "seq": 300_000_000}) + "\n", *lines[1:]]).encode(),
        "surrogate": (lines[0][:-2] + ',"x":"\\ud800"}\n' + "".join(lines[1:])).encode(),
        "deep": ("".join(lines[:2]) + "[" * 100_000 + "]" * 100_000 + "\n" + "".join(lines[2:])).encode(),
        "long-line": ("".join(lines[:2]) + '{"v":1,"x":"' + "a" * (3 * 1024 * 1024) + '"}\n' + "".join(lines[2:])).encode(),
        "seq-not-a-number": "".join([lines[0], lines[1].replace('"seq":1', '"seq":true')]).encode(),
        "empty": b"",
        "blank-lines": b"\n\n\n",
    }
    for name, data in cases.items():
        path = tmp_path / f"{name}.jsonl"
        path.write_bytes(data)
        code, out = _cli_verify(path)
        assert code == 1, (name, out[-500:])
        assert "TAMPERED" in out and f"{path}:" in out, (name, out[-500:])
    code, out = _cli_verify(tmp_path / "forged-seq.jsonl")
    assert ":2 " in out  # the line of the forgery
