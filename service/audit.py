"""Tamper-evident audit log: JSON Lines, each record chained to the one before by SHA-256.

A record is ``{..fields.., "seq": n, "prev": <hash of record n-1>, "hash": <sha256>}`` where
``hash`` is the SHA-256 of the record without ``hash``, as canonical JSON (sorted keys, no
spaces, UTF-8). ``seq`` runs on across rotated files, and the first record of a new file
carries the hash of the last record of the old one, so the chain survives rotation.

Appends from several worker processes are serialised with ``fcntl.flock`` on a side lock file;
each writer reads the last hash from the file under the lock (cached by inode and size).
Rotated files are ``audit.jsonl.1`` (oldest), ``.2``... the active file is the newest.

What a chain cannot show by itself: records cut off the *end* of the newest file. Ship the last
hash (``verify().last_hash``) somewhere else now and then if that matters.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

GENESIS = "0" * 64
FORMAT_VERSION = 1
_TAIL_CHUNK = 64 * 1024


def canonical(record: dict[str, Any]) -> bytes:
    body = {k: v for k, v in record.items() if k != "hash"}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def record_hash(record: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(record)).hexdigest()


def rotated_files(path: Path) -> list[Path]:
    """``path.1``, ``path.2``... oldest first."""
    pattern = re.compile(re.escape(path.name) + r"\.(\d+)$")
    found = []
    if path.parent.exists():
        for p in path.parent.iterdir():
            m = pattern.match(p.name)
            if m:
                found.append((int(m.group(1)), p))
    return [p for _, p in sorted(found)]


def _last_record(path: Path) -> tuple[dict[str, Any] | None, bool]:
    """The last complete record in ``path`` and whether the file ends with a newline."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return None, True
    if size == 0:
        return None, True
    with path.open("rb") as fh:
        fh.seek(size - 1)
        ends_nl = fh.read(1) == b"\n"
        pos, buf = size, b""
        while pos > 0:
            step = min(_TAIL_CHUNK, pos)
            pos -= step
            fh.seek(pos)
            buf = fh.read(step) + buf
            lines = buf.split(b"\n")
            # lines[0] may be partial unless we reached the start of the file.
            candidates = lines if pos == 0 else lines[1:]
            for raw in reversed(candidates):
                rec = _parse(raw)
                if rec is not None:
                    return rec, ends_nl
    return None, ends_nl


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a directory; the records themselves are synced
    finally:
        os.close(fd)


def _parse(raw: bytes) -> dict[str, Any] | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        rec = json.loads(raw)
    except ValueError:
        return None
    return rec if isinstance(rec, dict) and isinstance(rec.get("hash"), str) and isinstance(rec.get("seq"), int) else None


class AuditLog:
    """Append-only, hash-chained, rotating JSON Lines file shared by worker processes.

    The write path is kept short because it runs once per decision: the lock file and the
    active file stay open (reopened when another process rotated the file, or in a forked
    child), the tail is cached by inode and size, and with ``fsync`` on the fsync runs *after*
    the cross-process lock is released, shared by every record written meanwhile (group
    commit). ``append`` still returns only once its record is written (and, with ``fsync``,
    on disk).
    """

    def __init__(self, path: str | Path, max_bytes: int = 64 * 1024 * 1024, fsync: bool = False):
        self.path = Path(path)
        self.max_bytes = max_bytes
        self.fsync = fsync
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self._thread_lock = threading.Lock()
        self._cache: tuple[int, int, int, str] | None = None  # inode, size, seq, hash
        self._pid = -1  # process that opened the descriptors below
        self._lock_fd = -1
        self._lock_ino = -1
        self._fd = -1  # the active file, O_APPEND
        self._fd_ino = -1
        # group commit (fsync on): how far this process has written and synced, in write order
        self._sync_lock = threading.Lock()
        self._written = 0
        self._synced = 0

    def append(self, fields: dict[str, Any]) -> dict[str, Any]:
        """Add one record (``fields`` plus seq/prev/hash) and return it as written."""
        with self._thread_lock:
            lock_fd = self._lock_fd_for_this_process()
            fcntl.flock(lock_fd, fcntl.LOCK_EX)
            try:
                record = self._append_locked(fields)
            finally:
                fcntl.flock(lock_fd, fcntl.LOCK_UN)
            if not self.fsync:
                return record
            self._written += 1
            ticket = self._written
        self._sync(ticket)
        return record

    def _sync(self, ticket: int) -> None:
        """Return once this process's records up to ``ticket`` are on disk (group commit).

        One fsync of the active file covers every record written to it so far, so a writer that
        finds its ticket already covered returns at once. Records in a file that was rotated
        away were synced at the rotation, before any record went to the new file.
        """
        with self._sync_lock:
            if self._synced >= ticket:
                return
            with self._thread_lock:
                target = self._written
                fd = os.dup(self._fd)  # the active file now; stays valid if it is reopened meanwhile
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            self._synced = target

    def close(self) -> None:
        with self._thread_lock:
            self._close_fds()

    def _close_fds(self) -> None:
        for fd in (self._fd, self._lock_fd):
            if fd >= 0 and self._pid == os.getpid():
                try:
                    os.close(fd)
                except OSError:
                    pass
        self._fd = self._lock_fd = self._fd_ino = self._lock_ino = -1

    def _lock_fd_for_this_process(self) -> int:
        if self._pid != os.getpid():
            # A forked child must not share the parent's open file description: flock locks
            # belong to it, so parent and child would not exclude each other.
            self._fd = self._lock_fd = self._fd_ino = self._lock_ino = -1
            self._cache = None
            self._pid = os.getpid()
        try:
            current = os.stat(self.lock_path).st_ino
        except FileNotFoundError:
            current = -1
        if self._lock_fd < 0 or current != self._lock_ino:
            # First use, or the lock file was removed or replaced: lock the one others will open.
            if self._lock_fd >= 0:
                os.close(self._lock_fd)
                self._lock_fd = -1
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._lock_fd = os.open(self.lock_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
            self._lock_ino = os.fstat(self._lock_fd).st_ino
        return self._lock_fd

    def _tail(self, st: os.stat_result | None) -> tuple[int, str, bool]:
        """(seq, hash, file ends with newline) of the newest record anywhere in the chain."""
        if st is not None and self._cache and self._cache[:2] == (st.st_ino, st.st_size):
            return self._cache[2], self._cache[3], True
        rec, ends_nl = _last_record(self.path)
        if rec is None:
            for older in reversed(rotated_files(self.path)):
                rec, _ = _last_record(older)
                if rec is not None:
                    break
        if rec is None:
            return -1, GENESIS, ends_nl
        return int(rec["seq"]), str(rec["hash"]), ends_nl

    def _rotate(self) -> None:
        if self.fsync:
            # Everything in the old file reaches the disk before any record goes to the new one,
            # so a synced record never follows a lost one across the files.
            fd = os.open(self.path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        old = rotated_files(self.path)
        n = int(old[-1].name.rsplit(".", 1)[1]) + 1 if old else 1
        os.rename(self.path, self.path.with_name(f"{self.path.name}.{n}"))
        if self.fsync:
            _fsync_dir(self.path.parent)

    def _stat(self) -> os.stat_result | None:
        try:
            return os.stat(self.path)
        except FileNotFoundError:
            return None

    def _append_locked(self, fields: dict[str, Any]) -> dict[str, Any]:
        st = self._stat()
        seq, prev, ends_nl = self._tail(st)
        record = {"v": FORMAT_VERSION, **fields, "seq": seq + 1, "prev": prev}
        record["hash"] = record_hash(record)
        data = (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
        size = st.st_size if st is not None else 0
        if size > 0 and size + len(data) > self.max_bytes:
            self._rotate()
            st, size = None, 0
        elif size > 0 and not ends_nl:
            data = b"\n" + data  # a torn line from a crash stays, on its own line
        if st is None or st.st_ino != self._fd_ino or self._fd < 0:
            self._reopen()
        os.write(self._fd, data)
        after = os.fstat(self._fd)
        self._cache = (after.st_ino, after.st_size, record["seq"], record["hash"])
        return record

    def _reopen(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = self._fd_ino = -1
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        self._fd, self._fd_ino = fd, os.fstat(fd).st_ino


# -- verification ----------------------------------------------------------------------------


@dataclass
class Problem:
    kind: str  # edited | removed | inserted | reordered | malformed | torn
    file: str
    line: int
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "file": self.file, "line": self.line, "message": self.message}


@dataclass
class VerifyResult:
    files: list[str]
    records: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    last_seq: int = -1
    last_hash: str = GENESIS

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "files": self.files,
            "records": self.records,
            "last_seq": self.last_seq,
            "last_hash": self.last_hash,
            "problems": [p.to_dict() for p in self.problems],
            "warnings": [w.to_dict() for w in self.warnings],
        }


@dataclass
class _Entry:
    rec: dict[str, Any]
    file: str
    line: int

    @property
    def seq(self) -> int:
        return int(self.rec["seq"])

    @property
    def hash(self) -> str:
        return str(self.rec.get("hash"))

    @property
    def prev(self) -> str:
        return str(self.rec.get("prev"))


def _read_entries(files: list[Path], result: VerifyResult) -> list[_Entry]:
    entries: list[_Entry] = []
    for fi, path in enumerate(files):
        data = path.read_bytes()
        lines = data.split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()
        for n, raw in enumerate(lines, start=1):
            if not raw.strip():
                continue
            last = fi == len(files) - 1 and n == len(lines)
            try:
                rec = json.loads(raw)
            except ValueError:
                where = "最後一行" if last else "中間一行"
                result.warnings.append(Problem("torn", str(path), n, f"{where}不完整（寫入時中斷？），未列入雜湊鏈"))
                continue
            if not isinstance(rec, dict) or not isinstance(rec.get("seq"), int) or not isinstance(rec.get("hash"), str) or "prev" not in rec:
                result.problems.append(Problem("malformed", str(path), n, "不是稽核紀錄（缺少 seq、prev 或 hash）"))
                continue
            entries.append(_Entry(rec, str(path), n))
    return entries


def verify(path: str | Path, follow_rotation: bool = True) -> VerifyResult:
    """Check every record's hash and the chain; name what was edited, removed, inserted or reordered.

    ``path`` is the active log (its rotated files ``path.N`` are checked first, oldest first,
    and the chain must start at the genesis) or a single rotated file (its first record is
    taken as the anchor).
    """
    path = Path(path)
    older = rotated_files(path) if follow_rotation else []
    files = [*older, path] if path.exists() else older
    from_genesis = follow_rotation and not re.search(r"\.\d+$", path.name)
    result = VerifyResult(files=[str(f) for f in files])
    entries = _read_entries(files, result)
    chain: list[_Entry] = []
    seen: dict[int, _Entry] = {}
    gaps: list[tuple[int, int, _Entry]] = []
    max_seq = -1
    for i, e in enumerate(entries):
        if record_hash(e.rec) != e.hash:
            result.problems.append(Problem("edited", e.file, e.line, f"第 {e.seq} 筆紀錄內容與其雜湊值不符（遭修改）"))
        if e.seq in seen:
            other = chain[-1] if chain else None
            if other is not None and other.seq == e.seq and len(chain) > 1 and e.prev == chain[-2].hash:
                result.problems.append(Problem("inserted", other.file, other.line, f"第 {other.seq} 筆是插入的紀錄（不在雜湊鏈上）"))
                chain.pop()
                chain.append(e)
                seen[e.seq] = e
            else:
                result.problems.append(Problem("inserted", e.file, e.line, f"第 {e.seq} 筆與第 {seen[e.seq].line} 行重複（插入的紀錄）"))
            continue
        if e.seq < max_seq:
            result.problems.append(Problem("reordered", e.file, e.line, f"第 {e.seq} 筆出現在第 {max_seq} 筆之後（順序被調動）"))
            seen[e.seq] = e
            continue
        if not chain:
            if from_genesis and (e.seq != 0 or e.prev != GENESIS):
                if e.seq > 0:
                    gaps.append((0, e.seq - 1, e))
                else:
                    result.problems.append(Problem("edited", e.file, e.line, "第一筆紀錄的前一筆雜湊值不是起始值"))
        else:
            a = chain[-1]
            if e.prev != a.hash:
                nxt = entries[i + 1] if i + 1 < len(entries) else None
                if e.seq > a.seq + 1:
                    gaps.append((a.seq + 1, e.seq - 1, e))
                elif len(chain) > 1 and e.prev == chain[-2].hash:
                    result.problems.append(Problem("inserted", a.file, a.line, f"第 {a.seq} 筆是插入的紀錄（不在雜湊鏈上）"))
                    chain.pop()
                elif nxt is not None and nxt.prev == a.hash:
                    result.problems.append(Problem("inserted", e.file, e.line, f"第 {e.seq} 筆是插入的紀錄（不在雜湊鏈上）"))
                    seen.setdefault(e.seq, e)
                    continue
                else:
                    result.problems.append(Problem("edited", a.file, a.line, f"第 {a.seq} 筆紀錄被修改過（下一筆記下的雜湊值與它不符）"))
        chain.append(e)
        seen[e.seq] = e
        max_seq = e.seq
    for lo, hi, e in gaps:
        missing = [s for s in range(lo, hi + 1) if s not in seen]
        if missing:
            span = f"{missing[0]}" if len(missing) == 1 else f"{missing[0]}–{missing[-1]}"
            result.problems.append(Problem("removed", e.file, e.line, f"第 {span} 筆紀錄不見了（共 {len(missing)} 筆，遭刪除）"))
    result.records = len(entries)
    if chain:
        result.last_seq, result.last_hash = chain[-1].seq, chain[-1].hash
    result.problems.sort(key=lambda p: (result.files.index(p.file) if p.file in result.files else 0, p.line))
    return result
