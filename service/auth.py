"""Bearer API keys with scopes, and their life cycle (add, list, rotate, revoke, expire).

Keys are stored only as SHA-256 hashes (a key is 256 random bits, so a plain hash is enough:
there is nothing to brute-force). Every check compares the presented key's hash with *every*
stored hash using ``hmac.compare_digest``, so timing says nothing about which key was close.

The keys file is re-read when it changes (checked with one ``stat`` per request), so ``dlp keys
add``, ``revoke`` and ``rotate`` take effect in every running worker with the next request. An
entry may carry ``expires`` (refused after it), ``revoked`` (refused from then on; the entry
stays, for the record) and ``previous``: the hashes a rotation replaced, each accepted until its
``valid_until`` (the grace period) so gateways can switch without an outage. When each key was
last used is kept in ``<keys file>.last-used.json`` (written at most every 30 s per worker),
never in the keys file itself.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import hmac
import json
import os
import re
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

SCOPES: tuple[str, ...] = ("scan", "admin")
KEY_PREFIX = "dlp_"
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class KeyConfigError(ValueError):
    """A keys file or DLP_API_KEYS value that cannot be used (message for the security team)."""


@dataclass(frozen=True)
class ApiKey:
    id: str
    scopes: frozenset[str]
    digest: bytes  # sha256 of the key
    #: seconds since the epoch after which the key is refused (None: never)
    expires: float | None = None

    def allows(self, scope: str) -> bool:
        # admin may do everything a scan key may.
        return scope in self.scopes or "admin" in self.scopes


def hash_key(key: str) -> bytes:
    return hashlib.sha256(key.encode("utf-8")).digest()


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def _parse_scopes(raw: str | list[str], where: str) -> frozenset[str]:
    items = raw if isinstance(raw, list) else re.split(r"[+|,\s]+", raw)
    scopes = frozenset(s.strip() for s in items if s and s.strip())
    bad = scopes - set(SCOPES)
    if not scopes or bad:
        raise KeyConfigError(f"{where}：權限範圍必須是 scan 或 admin（收到 {sorted(bad) or '空值'}）")
    return scopes


def parse_env_keys(raw: str) -> list[ApiKey]:
    """``id:scope:key,...`` -> keys (the raw key is hashed at once and not kept)."""
    keys: list[ApiKey] = []
    for n, item in enumerate(filter(None, (p.strip() for p in raw.split(","))), start=1):
        parts = item.split(":", 2)
        if len(parts) != 3 or not parts[2]:
            raise KeyConfigError(f"DLP_API_KEYS 第 {n} 項格式應為 id:scope:key")
        key_id, scope, key = parts
        if not _ID_RE.match(key_id):
            raise KeyConfigError(f"DLP_API_KEYS 第 {n} 項的 id 無效：{key_id!r}")
        if len(key) < 16:
            raise KeyConfigError(f"DLP_API_KEYS 第 {n} 項（{key_id}）的金鑰太短，至少 16 個字元")
        keys.append(ApiKey(key_id, _parse_scopes(scope, f"DLP_API_KEYS {key_id}"), hash_key(key)))
    return keys


def _parse_time(value: Any, where: str) -> float | None:
    if value in (None, ""):
        return None
    try:
        dt = datetime.fromisoformat(str(value))
    except ValueError as exc:
        raise KeyConfigError(f"{where} 的時間格式無效：{value!r}") from exc
    return (dt if dt.tzinfo else dt.replace(tzinfo=UTC)).timestamp()


def _digest(value: Any, where: str) -> bytes:
    try:
        digest = bytes.fromhex(str(value))
    except ValueError as exc:
        raise KeyConfigError(f"{where} 的雜湊值無效") from exc
    if len(digest) != 32:
        raise KeyConfigError(f"{where} 的雜湊值長度不對")
    return digest


def read_keys_file(path: Path) -> list[ApiKey]:
    """The keys in force in ``path``: revoked entries left out, rotated hashes in their grace period kept."""
    if not path.exists():
        return []
    doc = _read_doc(path)
    keys: list[ApiKey] = []
    for entry in doc["keys"]:
        if not isinstance(entry, dict) or "id" not in entry or "sha256" not in entry:
            raise KeyConfigError(f"金鑰檔 {path} 有一筆缺少 id 或 sha256")
        where = f"金鑰檔 {path} 的 {entry['id']}"
        digest = _digest(entry["sha256"], where)
        if entry.get("disabled") or entry.get("revoked"):
            continue
        scopes = _parse_scopes(entry.get("scopes", []), f"{path} {entry['id']}")
        expires = _parse_time(entry.get("expires"), where)
        keys.append(ApiKey(str(entry["id"]), scopes, digest, expires))
        for old in entry.get("previous") or []:
            until = _parse_time(old.get("valid_until"), where) if isinstance(old, dict) else None
            if until is None:
                continue  # a rotated hash without an end is not accepted
            keys.append(ApiKey(str(entry["id"]), scopes, _digest(old.get("sha256"), where), min(until, expires or until)))
    return keys


def _read_doc(path: Path) -> dict[str, Any]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"version": 2, "keys": []}
    except (OSError, ValueError) as exc:
        raise KeyConfigError(f"金鑰檔 {path} 無法讀取：{exc}") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("keys"), list):
        raise KeyConfigError(f"金鑰檔 {path} 缺少 keys 清單")
    return doc


def _write_doc(path: Path, doc: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)  # a new inode: every worker's stat sees the change


@contextlib.contextmanager
def _editing(path: Path) -> Iterator[dict[str, Any]]:
    """Read-modify-write of the keys file under a lock (two commands at once lose nothing)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        doc = _read_doc(path)
        doc["version"] = 2
        yield doc
        _write_doc(path, doc)


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _entry(doc: dict[str, Any], key_id: str) -> dict[str, Any]:
    for entry in doc["keys"]:
        if isinstance(entry, dict) and entry.get("id") == key_id:
            return entry
    raise KeyConfigError(f"找不到金鑰 {key_id}")


def parse_duration(text: str) -> timedelta:
    """``90d``, ``12h``, ``30m``, ``3600s`` (or a bare number of seconds)."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*", text or "")
    if not m:
        raise KeyConfigError(f"時間長度格式無效：{text!r}（例如 90d、12h、30m）")
    unit = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}[m.group(2)]
    return timedelta(seconds=float(m.group(1)) * unit)


def parse_expiry(text: str) -> datetime:
    """A date/time (``2026-12-31``, ISO 8601) or a duration from now (``90d``)."""
    try:
        dt = datetime.fromisoformat(text)
        return dt if dt.tzinfo else dt.replace(tzinfo=UTC)
    except ValueError:
        return _now() + parse_duration(text)


def add_key(path: Path, key_id: str, scopes: list[str], name: str | None = None, expires: datetime | None = None) -> str:
    """Create a key, store its hash in ``path`` (0600) and return the key: the only time it is shown."""
    if not _ID_RE.match(key_id):
        raise KeyConfigError(f"金鑰名稱無效：{key_id!r}（英數字、. _ -，最多 64 字）")
    scope_set = _parse_scopes(scopes, key_id)
    key = new_key()
    with _editing(path) as doc:
        if any(isinstance(e, dict) and e.get("id") == key_id for e in doc["keys"]):
            raise KeyConfigError(f"金鑰名稱 {key_id} 已存在")
        doc["keys"].append({
            "id": key_id,
            "name": name or key_id,
            "scopes": sorted(scope_set),
            "sha256": hash_key(key).hex(),
            "created": _now().isoformat(),
            "expires": expires.astimezone(UTC).replace(microsecond=0).isoformat() if expires else None,
        })
    return key


def revoke_key(path: Path, key_id: str) -> dict[str, Any]:
    """Refuse the key (and any rotated hash of it) from now on; the entry stays, marked."""
    with _editing(path) as doc:
        entry = _entry(doc, key_id)
        entry["revoked"] = entry.get("revoked") or _now().isoformat()
        return dict(entry)


def rotate_key(path: Path, key_id: str, grace: timedelta) -> str:
    """A new secret for ``key_id``; the old one is still accepted for ``grace``. Returns the new key."""
    key = new_key()
    with _editing(path) as doc:
        entry = _entry(doc, key_id)
        if entry.get("revoked"):
            raise KeyConfigError(f"金鑰 {key_id} 已撤銷，不能輪替（請新增一把）")
        now = _now()
        kept = [p for p in entry.get("previous") or [] if isinstance(p, dict)
                and (_parse_time(p.get("valid_until"), key_id) or 0) > now.timestamp()]
        if grace.total_seconds() > 0:
            kept.append({"sha256": entry["sha256"], "valid_until": (now + grace).isoformat()})
        entry["previous"] = kept
        entry["sha256"] = hash_key(key).hex()
        entry["rotated"] = now.isoformat()
    return key


def last_used_path(path: Path) -> Path:
    return path.with_name(path.name + ".last-used.json")


def list_keys(path: Path, env_keys: list[ApiKey] | None = None) -> list[dict[str, Any]]:
    """Every key with its id, name, scopes, dates and status; never the key or its hash."""
    used = _read_last_used(last_used_path(path))
    now = time.time()
    rows: list[dict[str, Any]] = []
    for entry in _read_doc(path)["keys"] if path.exists() else []:
        if not isinstance(entry, dict) or "id" not in entry:
            continue
        expires = _parse_time(entry.get("expires"), str(entry["id"]))
        status = "revoked" if entry.get("revoked") or entry.get("disabled") else "expired" if expires and expires <= now else "active"
        grace = [p.get("valid_until") for p in entry.get("previous") or [] if isinstance(p, dict)
                 and (_parse_time(p.get("valid_until"), str(entry["id"])) or 0) > now]
        rows.append({"id": entry["id"], "name": entry.get("name", entry["id"]), "scopes": entry.get("scopes", []),
                     "created": entry.get("created"), "last_used": used.get(entry["id"]), "expires": entry.get("expires"),
                     "revoked": entry.get("revoked"), "rotated": entry.get("rotated"),
                     "old_secret_valid_until": max(grace) if grace else None, "status": status, "source": "file"})
    for key in env_keys or []:
        rows.append({"id": key.id, "name": key.id, "scopes": sorted(key.scopes), "created": None, "last_used": used.get(key.id),
                     "expires": None, "revoked": None, "rotated": None, "old_secret_valid_until": None,
                     "status": "active", "source": "env"})
    return rows


def _read_last_used(path: Path) -> dict[str, str]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in doc.items()} if isinstance(doc, dict) else {}


class KeyStore:
    """The keys in force: the keys file (re-read when it changes) plus the environment's."""

    #: how often a worker writes when keys were last used
    LAST_USED_EVERY = 30.0

    def __init__(self, keys_file: str | Path | None, env_keys: str = ""):
        self.path = Path(keys_file) if keys_file else None
        self._env = parse_env_keys(env_keys) if env_keys else []
        self._file_keys: list[ApiKey] = []
        self._stamp: tuple[int, int, int] | None = None
        self._lock = threading.Lock()
        self._used: dict[str, float] = {}
        self._flushed = time.monotonic() - self.LAST_USED_EVERY  # a key's first use is written at once
        self._refresh()

    def _refresh(self) -> None:
        if self.path is None:
            return
        try:
            st = self.path.stat()
            stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
        except OSError:
            stamp = None
        if stamp == self._stamp:
            return
        with self._lock:
            self._file_keys = read_keys_file(self.path) if stamp else []
            self._stamp = stamp

    @property
    def keys(self) -> list[ApiKey]:
        try:
            self._refresh()
        except KeyConfigError:
            pass  # keep the last good set; the error was logged at start-up
        return self._file_keys + self._env

    def authenticate(self, presented: str) -> ApiKey | None:
        """The key ``presented`` is, if it is in force (not revoked, not expired); else None."""
        digest = hash_key(presented)
        now = time.time()
        found: ApiKey | None = None
        for key in self.keys:  # no early exit: the same work whichever key matches
            if hmac.compare_digest(digest, key.digest) and found is None and (key.expires is None or now < key.expires):
                found = key
        if found is not None:
            self._note_use(found.id)
        return found

    def _note_use(self, key_id: str) -> None:
        self._used[key_id] = time.time()
        if self.path is not None and time.monotonic() - self._flushed > self.LAST_USED_EVERY:
            self.flush_last_used()

    def flush_last_used(self) -> None:
        """Merge this worker's last-use times into the shared file (never fails a request)."""
        if self.path is None or not self._used:
            return
        self._flushed = time.monotonic()
        used, self._used = self._used, {}
        target = last_used_path(self.path)
        try:
            with open(self.path.with_name(self.path.name + ".lock"), "a") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                doc = _read_last_used(target)
                for key_id, t in used.items():
                    stamp = datetime.fromtimestamp(t, UTC).isoformat(timespec="seconds")
                    doc[key_id] = max(doc.get(key_id, ""), stamp)
                tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
                tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
                os.replace(tmp, target)
        except OSError:
            pass
