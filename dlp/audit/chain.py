"""The audit log's format: hash-chained JSON Lines records and the anchor file beside them.

A record is ``{"v": 1, ..fields.., "seq": n, "prev": <hash of record n-1>, "hash": <hex>}``.
``hash`` is the SHA-256 of the record without ``hash`` as canonical JSON (sorted keys, no
spaces, UTF-8) or, in keyed mode, the HMAC-SHA256 of the same bytes; a keyed record also says
``"alg": "hmac-sha256"`` and ``"kid"`` (which key) inside the hashed part. ``seq`` runs on
across rotated files (``audit.jsonl.1`` is the oldest, the active file the newest), and the
first record of a new file carries the hash of the last record of the old one.

The *anchor* (``audit.jsonl.anchor``) holds the last record's ``seq`` and ``hash`` and where it
ended (inode and size of the active file); the writer rewrites it in place after every append,
under the same lock. A log cut short, deleted or replaced no longer ends where its anchor says,
which a chain alone cannot show. In keyed mode the anchor carries an HMAC too.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

GENESIS = "0" * 64
FORMAT_VERSION = 1
HMAC_ALG = "hmac-sha256"
ANCHOR_SIZE = 512
#: Longest line the writer ever produces; longer lines are not records.
MAX_LINE_BYTES = 1024 * 1024
_HEX64 = re.compile(r"[0-9a-f]{64}")
_TAIL_CHUNK = 64 * 1024


class AuditUnavailable(OSError):
    """The audit log cannot take a record; a decision must not be released (fail closed)."""


class AuditTampered(AuditUnavailable):
    """The log on disk no longer ends where the writer (its anchor) left it: refused, not repaired."""


def canonical(record: dict[str, Any]) -> bytes:
    """What the hash covers: the record without ``hash``, sorted keys, no spaces, UTF-8."""
    body = {k: v for k, v in record.items() if k != "hash"}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def key_id(key: bytes) -> str:
    """A short public name for an HMAC key (never the key)."""
    return hashlib.sha256(b"dlp-audit-key-id:" + key).hexdigest()[:16]


def record_hash(record: dict[str, Any], key: bytes | None = None) -> str:
    data = canonical(record)
    if key is None:
        return hashlib.sha256(data).hexdigest()
    return hmac.new(key, data, hashlib.sha256).hexdigest()


def is_hash(value: Any) -> bool:
    return isinstance(value, str) and _HEX64.fullmatch(value) is not None  # not match + $: that takes a final "\n"


def is_seq(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**63


def parse_record(raw: bytes) -> dict[str, Any] | None:
    """A line as a record (shape only, hash not checked), or None."""
    from dlp.safejson import JsonError, loads

    raw = raw.strip()
    if not raw or len(raw) > MAX_LINE_BYTES:
        return None
    try:
        rec = loads(raw, max_depth=16)
    except JsonError:
        return None
    ok = isinstance(rec, dict) and is_seq(rec.get("seq")) and is_hash(rec.get("hash")) and is_hash(rec.get("prev"))
    return rec if ok else None


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


def anchor_path(path: Path) -> Path:
    return path.with_name(path.name + ".anchor")


def last_record(path: Path) -> tuple[dict[str, Any] | None, bool]:
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
        while pos > 0 and size - pos <= 4 * MAX_LINE_BYTES:
            step = min(_TAIL_CHUNK, pos)
            pos -= step
            fh.seek(pos)
            buf = fh.read(step) + buf
            lines = buf.split(b"\n")
            # lines[0] may be partial unless we reached the start of the file.
            candidates = lines if pos == 0 else lines[1:]
            for raw in reversed(candidates):
                rec = parse_record(raw)
                if rec is not None:
                    return rec, ends_nl
            buf = lines[0] if pos else b""
    return None, ends_nl


@dataclass(frozen=True)
class Anchor:
    """Where the chain ended when the writer last wrote: its last record and the file's extent."""

    seq: int  # -1: nothing written yet
    hash: str
    ino: int
    size: int
    alg: str = "sha256"
    kid: str | None = None
    time: str = ""

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {"v": FORMAT_VERSION, "seq": self.seq, "hash": self.hash, "ino": self.ino,
                               "size": self.size, "alg": self.alg, "time": self.time}
        if self.kid:
            out["kid"] = self.kid
        return out

    def encode(self, key: bytes | None) -> bytes:
        doc = self.body()
        if key is not None:
            doc["mac"] = hmac.new(key, _anchor_bytes(doc), hashlib.sha256).hexdigest()
        data = json.dumps(doc, sort_keys=True, separators=(",", ":")).encode("ascii")
        return data.ljust(ANCHOR_SIZE - 1) + b"\n"


class AnchorError(ValueError):
    """The anchor file exists but cannot be trusted (unreadable, edited, or its MAC is wrong)."""


class AnchorNeedsKey(AnchorError):
    """The anchor is HMAC-protected and no key was given: it can be neither trusted nor faulted."""


def _anchor_bytes(doc: dict[str, Any]) -> bytes:
    return json.dumps({k: v for k, v in doc.items() if k != "mac"}, sort_keys=True, separators=(",", ":")).encode("ascii")


def decode_anchor(data: bytes, key: bytes | None) -> Anchor | None:
    """The anchor in ``data`` (None when empty); raises :class:`AnchorError` when it cannot be trusted."""
    from dlp.safejson import JsonError, loads

    if not data.strip(b" \n\x00"):
        return None
    try:
        doc = loads(data[:ANCHOR_SIZE].strip(b" \n\x00"), max_depth=4)
    except JsonError:
        raise AnchorError("錨點檔內容無法解析 (anchor file unreadable)") from None
    seq = doc.get("seq") if isinstance(doc, dict) else None
    if not isinstance(doc, dict) or not (seq == -1 or is_seq(seq)) or not is_hash(doc.get("hash")) \
            or not is_seq(doc.get("ino")) or not is_seq(doc.get("size")):
        raise AnchorError("錨點檔欄位不完整 (anchor file malformed)")
    mac = doc.get("mac")
    if key is not None:
        if not isinstance(mac, str) or not hmac.compare_digest(mac, hmac.new(key, _anchor_bytes(doc), hashlib.sha256).hexdigest()):
            raise AnchorError("錨點檔的 HMAC 不符，遭修改或使用了別的金鑰 (anchor MAC mismatch)")
    elif doc.get("alg") == HMAC_ALG:
        raise AnchorNeedsKey("錨點檔以 HMAC 保護，需要金鑰才能驗證 (keyed anchor: key required)")
    return Anchor(seq=int(seq), hash=str(doc["hash"]), ino=int(doc["ino"]), size=int(doc["size"]),
                  alg=str(doc.get("alg", "sha256")), kid=doc.get("kid"), time=str(doc.get("time", "")))


def read_anchor(path: Path, key: bytes | None) -> Anchor | None:
    """The anchor beside the log ``path``; None when there is none."""
    try:
        with anchor_path(path).open("rb") as fh:
            data = fh.read(ANCHOR_SIZE + 1)
    except FileNotFoundError:
        return None
    return decode_anchor(data, key)


def fsync_dir(directory: Path) -> None:
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
