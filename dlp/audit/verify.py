"""``verify``: recompute an audit log's chain and name every problem with its file and line.

It reads the log as a stream and keeps a few numbers per *gap* in the chain, not per record,
so time is linear in the file and memory does not grow with it; a line longer than any record
the writer makes is reported and skipped without being held, nesting is bounded before a line
is parsed, and nothing a line says (a ``seq`` of 3×10⁸, a lone surrogate) is trusted to size
anything. Kinds of problem:

* ``edited``: a record's content no longer matches its hash, or (hash recomputed) the next
  record's ``prev`` no longer matches it; also a record that the writer could not have written;
* ``removed``: ``seq`` numbers are missing (also a whole rotated file, the first records, or
  records cut off the end of the newest file, which the anchor shows);
* ``inserted``: a record that is not on the chain (a copy, or a forgery with a valid hash);
* ``reordered``: a record appears after a later one;
* ``malformed``: a line that is not a record at all; ``anchor``: the anchor file is not to be
  trusted; ``empty``: not a single valid record;
* ``torn`` (a warning, not tampering): a line cut short by a crash. The next writer starts on a
  new line and links to the last complete record, so the rest still verifies.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dlp.audit.chain import (
    GENESIS,
    HMAC_ALG,
    MAX_LINE_BYTES,
    AnchorError,
    AnchorNeedsKey,
    is_hash,
    is_seq,
    key_id,
    read_anchor,
    record_hash,
    rotated_files,
)
from dlp.safejson import JsonError, TooDeep, loads

#: Problems listed in full; beyond this they are counted.
MAX_PROBLEMS = 1000
_READ_CHUNK = 1024 * 1024


@dataclass
class Problem:
    kind: str
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
    #: problems found in all (``problems`` lists at most MAX_PROBLEMS of them)
    problem_count: int = 0
    #: keyed records were found but no key was given: their hashes could not be checked
    needs_key: bool = False
    keyed: bool = False

    @property
    def ok(self) -> bool:
        return self.problem_count == 0 and not self.needs_key

    def add(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)

    def warn(self, problem: Problem) -> None:
        if len(self.warnings) < MAX_PROBLEMS:
            self.warnings.append(problem)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "files": self.files,
            "records": self.records,
            "last_seq": self.last_seq,
            "last_hash": self.last_hash,
            "keyed": self.keyed,
            "needs_key": self.needs_key,
            "problem_count": self.problem_count,
            "problems": [p.to_dict() for p in self.problems],
            "warnings": [w.to_dict() for w in self.warnings],
        }


@dataclass(frozen=True)
class _Entry:
    seq: int
    hash: str
    prev: str
    file: str
    line: int


class _SeqSet:
    """The ``seq`` numbers seen, as sorted disjoint intervals: small while the chain is whole."""

    def __init__(self) -> None:
        self.lo: list[int] = []
        self.hi: list[int] = []

    def __contains__(self, seq: int) -> bool:
        i = bisect.bisect_right(self.lo, seq) - 1
        return i >= 0 and seq <= self.hi[i]

    def add(self, seq: int) -> None:
        if self.hi and seq == self.hi[-1] + 1:
            self.hi[-1] = seq  # the usual case: the next record
            return
        if seq in self:
            return
        i = bisect.bisect_right(self.lo, seq)
        self.lo.insert(i, seq)
        self.hi.insert(i, seq)
        if i + 1 < len(self.lo) and self.lo[i + 1] == seq + 1:  # join the next interval
            self.hi[i] = self.hi.pop(i + 1)
            self.lo.pop(i + 1)
        if i > 0 and self.hi[i - 1] == seq - 1:  # join the previous one
            self.hi[i - 1] = self.hi.pop(i)
            self.lo.pop(i)

    def missing(self, lo: int, hi: int) -> tuple[int, int, int]:
        """(how many of lo..hi are missing, the first missing, the last missing); count 0 if none."""
        count, first, last = 0, -1, -1
        pos = lo
        i = max(0, bisect.bisect_right(self.lo, lo) - 1)
        while pos <= hi:
            if i < len(self.lo) and self.lo[i] <= pos <= self.hi[i]:
                pos = self.hi[i] + 1
                i += 1
                continue
            if i < len(self.lo) and self.lo[i] < pos:
                i += 1
                continue
            end = min(hi, self.lo[i] - 1) if i < len(self.lo) else hi
            count += end - pos + 1
            first = pos if first < 0 else first
            last = end
            pos = end + 1
        return count, first, last


def _lines(path: Path) -> Iterator[tuple[int, bytes | None, bool]]:
    """(line number, bytes, ends with a newline) of every line; ``None`` for a line longer than any record."""
    n = 0
    pending = b""
    too_long = False
    with path.open("rb") as fh:
        while True:
            chunk = fh.read(_READ_CHUNK)
            if not chunk:
                break
            parts = chunk.split(b"\n")
            for part in parts[:-1]:
                n += 1
                if too_long or len(pending) + len(part) > MAX_LINE_BYTES:  # also a line across two chunks
                    yield n, None, True
                else:
                    yield n, pending + part, True
                pending, too_long = b"", False
            tail = parts[-1]
            if too_long or len(pending) + len(tail) > MAX_LINE_BYTES:
                pending, too_long = b"", True
            else:
                pending += tail
    if pending or too_long:
        yield n + 1, None if too_long else pending, False


class _Reader:
    """Turns lines into entries, reporting what is not a record (hashes checked here)."""

    def __init__(self, result: VerifyResult, key: bytes | None):
        self.result = result
        self.key = key
        self.kid = key_id(key) if key else None
        self.anchor_seq: int | None = None
        self.anchor_hash_seen: str | None = None
        self.lines = 0  # lines of the last file read

    def entries(self, files: list[Path]) -> Iterator[_Entry]:
        r = self.result
        for fi, path in enumerate(files):
            name = str(path)
            for n, raw, ended in _lines(path):
                self.lines = n
                last = fi == len(files) - 1 and not ended  # the end of the chain, not a line written over
                if raw is None:
                    r.add(Problem("malformed", name, n, f"這一行超過 {MAX_LINE_BYTES} 位元組，不是稽核紀錄"))
                    continue
                if not raw.strip():
                    continue
                entry = self._entry(raw, name, n, last)
                if entry is not None:
                    yield entry

    def _entry(self, raw: bytes, name: str, n: int, last_line: bool) -> _Entry | None:
        r = self.result
        try:
            rec = loads(raw, max_depth=16)
        except TooDeep:
            r.add(Problem("malformed", name, n, "巢狀層數過深，不是稽核紀錄"))
            return None
        except JsonError:
            start = raw.strip()
            if start.startswith(b'{"v":') or b'{"v":'.startswith(start):  # a record cut short, even in its first bytes
                where = "最後一行" if last_line else "中間一行"
                r.warn(Problem("torn", name, n, f"{where}不完整（寫入時中斷？），未列入雜湊鏈"))
            else:
                r.add(Problem("malformed", name, n, "不是 JSON，也不是寫到一半的紀錄"))
            return None
        if not isinstance(rec, dict) or not is_seq(rec.get("seq")) or not is_hash(rec.get("hash")) or not is_hash(rec.get("prev")):
            r.add(Problem("malformed", name, n, "不是稽核紀錄（seq、prev 或 hash 缺少或格式不對）"))
            return None
        seq = rec["seq"]
        r.records += 1
        if not self._hash_ok(rec, name, n):
            r.add(Problem("edited", name, n, f"第 {seq} 筆紀錄內容與其雜湊值不符（遭修改）"))
        if seq == self.anchor_seq:
            self.anchor_hash_seen = rec["hash"]
        if rec.get("event") == "chain_restarted":
            old = rec.get("previous_anchor") if isinstance(rec.get("previous_anchor"), dict) else {}
            was = f"第 {old['seq']} 筆" if "seq" in old else "無"  # none: missing or not to be trusted
            r.warn(Problem("restarted", name, n, f"第 {seq} 筆：管理者接受了當時的檔案並重設錨點（原錨點：{was}）"
                                                f"；理由：{str(rec.get('reason', ''))[:200]}"))
        return _Entry(seq, rec["hash"], rec["prev"], name, n)

    def _hash_ok(self, rec: dict[str, Any], name: str, n: int) -> bool:
        r = self.result
        keyed = rec.get("alg") == HMAC_ALG
        if keyed:
            r.keyed = True
            if self.key is None:
                r.needs_key = True
                return True  # cannot tell; the result is not "ok" without the key
            if rec.get("kid") != self.kid:
                r.add(Problem("edited", name, n, f"第 {rec['seq']} 筆以另一把金鑰（{rec.get('kid')}）寫成"))
                return True
        elif r.keyed:
            r.add(Problem("edited", name, n, f"第 {rec['seq']} 筆沒有金鑰保護，卻出現在金鑰保護的紀錄之後（遭改寫？）"))
            return True
        try:
            return record_hash(rec, self.key if keyed else None) == rec["hash"]
        except (UnicodeEncodeError, TypeError, ValueError):
            return False  # e.g. a lone surrogate: the writer can never have produced it


def verify(path: str | Path, follow_rotation: bool = True, key: bytes | None = None) -> VerifyResult:
    """Check every record's hash, the chain and the anchor; name what was edited, removed, inserted or reordered.

    ``path`` is the active log (its rotated files ``path.N`` are checked first, oldest first,
    the chain must start at the genesis, and the anchor beside it must match) or a single
    rotated file (its first record is taken as the start). ``key``: the HMAC key of a keyed log.
    """
    path = Path(path)
    older = rotated_files(path) if follow_rotation else []
    files = [*older, path] if path.exists() else older
    whole = follow_rotation and not re.search(r"\.\d+$", path.name)
    result = VerifyResult(files=[str(f) for f in files])
    reader = _Reader(result, key)
    anchor = None
    anchor_unchecked = False
    if whole:
        try:
            anchor = read_anchor(path, key)
        except AnchorNeedsKey:  # not tampering: without the key it is only "cannot say intact" (exit 2)
            result.needs_key = anchor_unchecked = True
        except AnchorError as exc:
            result.add(Problem("anchor", str(path) + ".anchor", 1, str(exc)))
        except OSError as exc:
            result.add(Problem("anchor", str(path) + ".anchor", 1, f"錨點檔無法讀取：{exc}"))
        if anchor is not None:
            reader.anchor_seq = anchor.seq
    chain = _Chain(result, from_genesis=whole)
    pending: _Entry | None = None
    for entry in reader.entries(files):
        if pending is not None:
            chain.take(pending, entry)
        pending = entry
    if pending is not None:
        chain.take(pending, None)
    chain.finish()
    if key is not None and result.records and not result.keyed:
        result.add(Problem("edited", result.files[-1], 1, "指定了金鑰，但紀錄都沒有金鑰保護（整份被改寫？）"))
    if whole and not anchor_unchecked:
        _check_anchor(result, anchor, reader, path)
    if result.records == 0 and not (anchor is not None and anchor.seq == -1 and result.problem_count == 0):
        where = result.files[-1] if result.files else str(path)
        result.add(Problem("empty", where, 1, "沒有任何有效的稽核紀錄"))
    result.problems.sort(key=lambda p: (result.files.index(p.file) if p.file in result.files else len(result.files), p.line))
    return result


def _check_anchor(result: VerifyResult, anchor: Any, reader: _Reader, path: Path) -> None:
    where = str(path) + ".anchor"
    if anchor is None:
        if result.problem_count == 0 or result.records:
            result.warn(Problem("anchor", where, 1, "沒有錨點檔：無法確認檔尾的紀錄是否被刪除"))
        return
    if anchor.seq < 0:
        return
    if result.last_seq < anchor.seq:
        first = result.last_seq + 1
        span = f"{first}" if first == anchor.seq else f"{first}–{anchor.seq}"
        result.add(Problem("removed", result.files[-1] if result.files else str(path), reader.lines + 1,
                           f"第 {span} 筆紀錄從檔尾被刪除（錨點記下最後是第 {anchor.seq} 筆，共 {anchor.seq - result.last_seq} 筆）"))
    elif reader.anchor_hash_seen is not None and reader.anchor_hash_seen != anchor.hash:
        result.add(Problem("edited", where, 1, f"第 {anchor.seq} 筆的雜湊值與錨點記下的不同（檔案遭置換或改寫）"))


class _Chain:
    """Follows the chain entry by entry with one entry of look-ahead; remembers gaps, not records."""

    def __init__(self, result: VerifyResult, from_genesis: bool):
        self.result = result
        self.from_genesis = from_genesis
        self.last: _Entry | None = None  # the chain's last entry
        self.before_last: _Entry | None = None
        self.seen = _SeqSet()
        self.gaps: list[tuple[int, int, _Entry]] = []
        self.max_seq = -1
        #: a record that jumped ahead while the next one chains on: reordered if a later record
        #: links to it, inserted (e.g. a forged huge ``seq``) if none does
        self.displaced: _Entry | None = None

    def _push(self, e: _Entry) -> None:
        self.before_last, self.last = self.last, e
        self.seen.add(e.seq)
        self.max_seq = max(self.max_seq, e.seq)

    def take(self, e: _Entry, nxt: _Entry | None) -> None:
        r = self.result
        d, a = self.displaced, self.last
        if d is not None and a is not None and e.prev == d.hash and d.prev == a.hash and d.seq == a.seq + 1:
            r.add(Problem("reordered", d.file, d.line, f"第 {d.seq} 筆出現在第 {a.seq} 筆之前（順序被調動）"))
            self.displaced = None
            self._push(d)
            a = d
        if e.seq in self.seen:
            # Two records of one seq and prev: the one the next record links to is on the chain.
            if a is not None and a.seq == e.seq and self.before_last is not None and e.prev == self.before_last.hash \
                    and not (nxt is not None and nxt.prev == a.hash):
                r.add(Problem("inserted", a.file, a.line, f"第 {a.seq} 筆是插入的紀錄（不在雜湊鏈上）"))
                self.last = e
            else:
                r.add(Problem("inserted", e.file, e.line, f"第 {e.seq} 筆與先前的同號紀錄重複（插入的紀錄）"))
            return
        if e.seq < self.max_seq:
            r.add(Problem("reordered", e.file, e.line, f"第 {e.seq} 筆出現在第 {self.max_seq} 筆之後（順序被調動）"))
            self.seen.add(e.seq)
            return
        if a is None:
            if self.from_genesis and (e.seq != 0 or e.prev != GENESIS):
                if e.seq > 0:
                    self.gaps.append((0, e.seq - 1, e))
                else:
                    r.add(Problem("edited", e.file, e.line, "第一筆紀錄的前一筆雜湊值不是起始值"))
        elif e.prev != a.hash:
            follows = nxt is not None and nxt.prev == a.hash
            if follows and e.seq > a.seq + 1 and nxt.seq == a.seq + 1 and self.displaced is None:
                self.displaced = e
                return
            if follows:
                r.add(Problem("inserted", e.file, e.line, f"第 {e.seq} 筆是插入的紀錄（不在雜湊鏈上）"))
                return
            if e.seq > a.seq + 1:
                self.gaps.append((a.seq + 1, e.seq - 1, e))
            elif self.before_last is not None and e.prev == self.before_last.hash:
                r.add(Problem("inserted", a.file, a.line, f"第 {a.seq} 筆是插入的紀錄（不在雜湊鏈上）"))
                self.last = self.before_last
            else:
                r.add(Problem("edited", a.file, a.line, f"第 {a.seq} 筆紀錄被修改過（下一筆記下的雜湊值與它不符）"))
        elif e.seq != a.seq + 1:
            if nxt is not None and nxt.prev == a.hash:
                r.add(Problem("inserted", e.file, e.line, f"第 {e.seq} 筆是插入的紀錄（序號接不上第 {a.seq} 筆，不在雜湊鏈上）"))
                return
            r.add(Problem("edited", e.file, e.line, f"第 {e.seq} 筆的序號接不上第 {a.seq} 筆（序號遭修改）"))
        self._push(e)

    def finish(self) -> None:
        if self.displaced is not None:
            d = self.displaced
            self.result.add(Problem("inserted", d.file, d.line, f"第 {d.seq} 筆是插入的紀錄（不在雜湊鏈上）"))
        for lo, hi, e in self.gaps:
            count, first, last = self.seen.missing(lo, hi)
            if count:
                span = f"{first}" if count == 1 else f"{first}–{last}"
                self.result.add(Problem("removed", e.file, e.line, f"第 {span} 筆紀錄不見了（共 {count} 筆，遭刪除）"))
        if self.last is not None:
            self.result.last_seq, self.result.last_hash = self.last.seq, self.last.hash


__all__ = ["MAX_PROBLEMS", "Problem", "VerifyResult", "verify"]
