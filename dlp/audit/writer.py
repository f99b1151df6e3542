"""``AuditLog``: the one writer of the audit trail, shared by the service and every gateway.

Appends from several processes are serialised with ``fcntl.flock`` on ``audit.jsonl.lock``.
Under the lock the writer reads the anchor and checks that the active file still ends where
the anchor says (same inode, same size): then the anchor's ``seq``/``hash`` are the chain's
tail and nothing else is read. When it does not, the writer finds out why before it writes:

* a record written by a writer that died before it updated the anchor (the file is longer and
  what follows the anchor chains on from it), or a rotation cut short by a crash: fine, go on;
* anything else (the file cut short, deleted, replaced, or a log with records but no anchor):
  :class:`AuditTampered`. The writer refuses every append until an operator has looked
  (``dlp audit reanchor``); the service answers 503 ``audit_unavailable``: fail closed.

The write path stays short because it runs once per decision: the lock, anchor and active file
stay open (reopened when replaced, and in a forked child); an append is a ``flock``, a 512-byte
``pread`` of the anchor, a ``stat``, one ``write``, an ``fstat`` and a ``pwrite`` of the anchor.
With ``fsync`` on, the fsync runs *after* the lock is released, shared by every record written
meanwhile (group commit); it covers the anchor too.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dlp.audit.chain import (
    ANCHOR_SIZE,
    FORMAT_VERSION,
    GENESIS,
    HMAC_ALG,
    MAX_LINE_BYTES,
    Anchor,
    AnchorError,
    AuditTampered,
    AuditUnavailable,
    anchor_path,
    decode_anchor,
    fsync_dir,
    key_id,
    last_record,
    parse_record,
    record_hash,
    rotated_files,
)

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class AuditLog:
    """Append-only, hash-chained, anchored, rotating JSON Lines file shared by worker processes.

    ``hmac_key``: chain records with HMAC-SHA256 under this key instead of plain SHA-256, so a
    log rewritten and re-hashed by someone without the key no longer verifies.
    """

    def __init__(self, path: str | Path, max_bytes: int = 64 * 1024 * 1024, fsync: bool = False,
                 hmac_key: bytes | None = None):
        self.path = Path(path)
        self.max_bytes = max_bytes
        self.fsync = fsync
        self.key = hmac_key
        self.kid = key_id(hmac_key) if hmac_key else None
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.anchor_path = anchor_path(self.path)
        self._thread_lock = threading.Lock()
        self._pid = -1  # process that opened the descriptors below
        self._fds: dict[str, tuple[int, int]] = {}  # name -> (fd, inode)
        # group commit (fsync on): how far this process has written and synced, in write order
        self._sync_lock = threading.Lock()
        self._written = 0
        self._synced = 0

    # -- public -----------------------------------------------------------------------------
    def append(self, fields: dict[str, Any]) -> dict[str, Any]:
        """Add one record (``fields`` plus seq/prev/hash) and return it as written.

        Raises :class:`AuditTampered` when the log on disk is not where this writer left it,
        and ``OSError`` when the disk refuses; either way the record was not written.
        """
        with self._thread_lock:
            lock_fd = self._fd_for("lock", self.lock_path)
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

    def close(self) -> None:
        with self._thread_lock:
            self._close_fds()

    def check(self) -> None:
        """Raise :class:`AuditTampered` now if the log is not where the anchor says (start-up check)."""
        with self._thread_lock:
            lock_fd = self._fd_for("lock", self.lock_path)
            fcntl.flock(lock_fd, fcntl.LOCK_EX)
            try:
                self._tail(self._read_anchor(), self._stat())
            finally:
                fcntl.flock(lock_fd, fcntl.LOCK_UN)

    def reanchor(self, fields: dict[str, Any]) -> dict[str, Any]:
        """Accept the log as it is now and append ``fields`` (a ``chain_restarted`` record).

        For an operator, after an investigation or an upgrade from a log without anchor: the
        chain goes on from the last record on disk, and the record says what the old anchor was.
        """
        with self._thread_lock:
            lock_fd = self._fd_for("lock", self.lock_path)
            fcntl.flock(lock_fd, fcntl.LOCK_EX)
            try:
                try:
                    old = self._read_anchor()
                except AuditTampered:
                    old = None
                seq, prev, ends_nl = self._disk_tail()
                info = {"previous_anchor": None if old is None else {"seq": old.seq, "hash": old.hash},
                        "found": {"seq": seq, "hash": prev}}
                return self._write_record({**fields, **info}, seq, prev, ends_nl, self._stat())
            finally:
                fcntl.flock(lock_fd, fcntl.LOCK_UN)

    # -- under the lock -----------------------------------------------------------------------
    def _append_locked(self, fields: dict[str, Any]) -> dict[str, Any]:
        st = self._stat()
        seq, prev, ends_nl = self._tail(self._read_anchor(), st)
        return self._write_record(fields, seq, prev, ends_nl, st)

    def _write_record(self, fields: dict[str, Any], seq: int, prev: str, ends_nl: bool,
                      st: os.stat_result | None) -> dict[str, Any]:
        record: dict[str, Any] = {"v": FORMAT_VERSION, **fields, "seq": seq + 1, "prev": prev}
        if self.key is not None:
            record["alg"], record["kid"] = HMAC_ALG, self.kid
        try:
            record["hash"] = record_hash(record, self.key)
        except UnicodeEncodeError:  # a lone surrogate from a caller: never a crash, never unhashable
            record = _scrub(record)
            record["hash"] = record_hash(record, self.key)
        data = (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
        size = st.st_size if st is not None else 0
        if size > 0 and size + len(data) > self.max_bytes:
            self._rotate()
            st, size = None, 0
        elif size > 0 and not ends_nl:
            data = b"\n" + data  # a torn line from a crash stays, on its own line
        fd = self._fd_for("log", self.path, create=True, expected=st)
        os.write(fd, data)
        after = os.fstat(fd)
        self._write_anchor(record["seq"], record["hash"], after.st_ino, after.st_size)
        return record

    def _write_anchor(self, seq: int, last_hash: str, ino: int, size: int) -> None:
        anchor = Anchor(seq, last_hash, ino, size, HMAC_ALG if self.key else "sha256", self.kid, _now())
        os.pwrite(self._fd_for("anchor", self.anchor_path, create=True), anchor.encode(self.key), 0)

    def _read_anchor(self) -> Anchor | None:
        try:
            fd = self._fd_for("anchor", self.anchor_path)
        except FileNotFoundError:
            return None
        try:
            return decode_anchor(os.pread(fd, ANCHOR_SIZE + 1, 0), self.key)
        except AnchorError as exc:
            raise AuditTampered(f"稽核紀錄的錨點檔不可信：{exc}") from None

    def _tail(self, anchor: Anchor | None, st: os.stat_result | None) -> tuple[int, str, bool]:
        """(seq, hash, file ends with newline) of the chain's last record, or raise AuditTampered."""
        if anchor is not None and st is not None and (st.st_ino, st.st_size) == (anchor.ino, anchor.size):
            return anchor.seq, anchor.hash, True
        seq, last_hash, ends_nl = self._disk_tail()
        if anchor is None:
            if seq == -1:
                # A new log: anchor its start first, so that a crash right after the first
                # record is not taken for a log whose anchor was deleted.
                self._write_anchor(-1, GENESIS, 0, 0)
                return seq, last_hash, ends_nl
            raise AuditTampered(f"稽核紀錄 {self.path} 有紀錄（最後第 {seq} 筆）卻沒有錨點檔：錨點檔被刪除？"
                                "（由舊版升級時請執行 dlp audit reanchor）")
        if seq == anchor.seq and last_hash == anchor.hash:
            return seq, last_hash, ends_nl  # moved or copied, a rotation cut short, a torn line after it
        if seq > anchor.seq and self._chains_on(anchor, st):
            return seq, last_hash, ends_nl  # a writer died between its record and the anchor
        if seq < anchor.seq:
            found = f"檔案最後只到第 {seq} 筆" if seq >= 0 else "檔案裡已沒有任何紀錄"
            raise AuditTampered(f"稽核紀錄被截短或刪除：錨點記下第 {anchor.seq} 筆，{found}")
        raise AuditTampered(f"稽核紀錄的結尾與錨點不符（錨點第 {anchor.seq} 筆，檔案最後第 {seq} 筆）：檔案遭置換或改寫")

    def _disk_tail(self) -> tuple[int, str, bool]:
        rec, ends_nl = last_record(self.path)
        if rec is None:
            for older in reversed(rotated_files(self.path)):
                rec, _ = last_record(older)
                if rec is not None:
                    break
        if rec is None:
            return -1, GENESIS, ends_nl
        return int(rec["seq"]), str(rec["hash"]), ends_nl

    def _chains_on(self, anchor: Anchor, st: os.stat_result | None) -> bool:
        """True when the active file is the anchored one, grown by records chaining on from it, or the
        file after it: a writer rotated the anchored file away, wrote and died before the anchor."""
        start = anchor.size if anchor.seq >= 0 else 0
        if st is None:
            return False
        if anchor.seq >= 0 and st.st_ino != anchor.ino:
            if not self._rotated_whole(anchor):
                return False
            start = 0
        if not 0 <= st.st_size - start <= MAX_LINE_BYTES:
            return False
        if anchor.seq < 0 and rotated_files(self.path):
            return False
        with self.path.open("rb") as fh:
            fh.seek(start)
            tail = fh.read(MAX_LINE_BYTES + 1)
        seq, prev = anchor.seq, anchor.hash
        lines = tail.split(b"\n")
        for i, raw in enumerate(lines):
            if not raw.strip():
                continue
            rec = parse_record(raw)
            if rec is None:
                if i == len(lines) - 1:
                    continue  # a torn last line
                return False
            # hashed as this writer hashes: a keyed log takes no plain record (anyone can make one)
            if rec["seq"] != seq + 1 or rec["prev"] != prev or record_hash(rec, self.key) != rec["hash"]:
                return False
            seq, prev = rec["seq"], rec["hash"]
        return seq > anchor.seq

    def _rotated_whole(self, anchor: Anchor) -> bool:
        """True when the newest rotated file is the anchored file, just as the anchor left it."""
        older = rotated_files(self.path)
        try:
            st = os.stat(older[-1]) if older else None
        except FileNotFoundError:
            return False
        return st is not None and (st.st_ino, st.st_size) == (anchor.ino, anchor.size)

    def _rotate(self) -> None:
        log_fd = self._fds.get("log", (-1, -1))[0]
        if self.fsync and log_fd >= 0:
            # Everything in the old file reaches the disk before any record goes to the new one,
            # so a synced record never follows a lost one across the files.
            os.fsync(log_fd)
        old = rotated_files(self.path)
        n = int(old[-1].name.rsplit(".", 1)[1]) + 1 if old else 1
        os.rename(self.path, self.path.with_name(f"{self.path.name}.{n}"))
        if self.fsync:
            fsync_dir(self.path.parent)

    def _stat(self) -> os.stat_result | None:
        try:
            return os.stat(self.path)
        except FileNotFoundError:
            return None

    # -- descriptors --------------------------------------------------------------------------
    def _fd_for(self, name: str, path: Path, create: bool = False, expected: os.stat_result | None = None) -> int:
        """An open descriptor for ``path``, reopened when the file there was replaced."""
        if self._pid != os.getpid():
            # A forked child must not share the parent's open file descriptions: flock locks
            # belong to them, so parent and child would not exclude each other.
            self._fds = {}
            self._pid = os.getpid()
        held = self._fds.get(name)
        if expected is None:
            try:
                expected = os.stat(path)
            except FileNotFoundError:
                if not create and name != "lock":
                    if held:
                        self._close(name)
                    raise
                expected = None
        if held is not None and expected is not None and held[1] == expected.st_ino:
            return held[0]
        if held is not None:
            self._close(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        flags = {"log": os.O_WRONLY | os.O_APPEND, "lock": os.O_WRONLY | os.O_APPEND, "anchor": os.O_RDWR}[name]
        fd = os.open(path, flags | os.O_CREAT, 0o640)
        self._fds[name] = (fd, os.fstat(fd).st_ino)
        return fd

    def _close(self, name: str) -> None:
        fd, _ = self._fds.pop(name)
        try:
            os.close(fd)
        except OSError:
            pass

    def _close_fds(self) -> None:
        if self._pid == os.getpid():
            for name in list(self._fds):
                self._close(name)
        self._fds = {}

    def _sync(self, ticket: int) -> None:
        """Return once this process's records up to ``ticket`` are on disk (group commit).

        One fsync of the active file (and the anchor) covers every record written to it so far,
        so a writer that finds its ticket already covered returns at once. Records in a file
        that was rotated away were synced at the rotation, before any record went to the new one.
        """
        with self._sync_lock:
            if self._synced >= ticket:
                return
            with self._thread_lock:
                target = self._written
                # the files now; the duplicates stay valid if they are reopened meanwhile
                fds = [os.dup(self._fds[n][0]) for n in ("log", "anchor") if n in self._fds]
            try:
                for fd in fds:
                    os.fsync(fd)
            finally:
                for fd in fds:
                    os.close(fd)
            self._synced = target


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_scrub(k): _scrub(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_scrub(v) for v in value]
    return value


__all__ = ["AuditLog", "AuditTampered", "AuditUnavailable"]
