"""Bearer API keys with scopes.

Keys are stored only as SHA-256 hashes (a key is 256 random bits, so a plain hash is enough:
there is nothing to brute-force). Every check compares the presented key's hash with *every*
stored hash using ``hmac.compare_digest``, so timing says nothing about which key was close.
The keys file is re-read when it changes, so ``dlp keys add`` takes effect without a restart.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

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


def read_keys_file(path: Path) -> list[ApiKey]:
    if not path.exists():
        return []
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise KeyConfigError(f"金鑰檔 {path} 無法讀取：{exc}") from exc
    entries = doc.get("keys") if isinstance(doc, dict) else None
    if not isinstance(entries, list):
        raise KeyConfigError(f"金鑰檔 {path} 缺少 keys 清單")
    keys: list[ApiKey] = []
    for entry in entries:
        if not isinstance(entry, dict) or "id" not in entry or "sha256" not in entry:
            raise KeyConfigError(f"金鑰檔 {path} 有一筆缺少 id 或 sha256")
        try:
            digest = bytes.fromhex(str(entry["sha256"]))
        except ValueError as exc:
            raise KeyConfigError(f"金鑰檔 {path} 的 {entry['id']} 雜湊值無效") from exc
        if entry.get("disabled"):
            continue
        keys.append(ApiKey(str(entry["id"]), _parse_scopes(entry.get("scopes", []), f"{path} {entry['id']}"), digest))
    return keys


def add_key(path: Path, key_id: str, scopes: list[str]) -> str:
    """Create a key, store its hash in ``path`` (0600) and return the key: the only time it is shown."""
    if not _ID_RE.match(key_id):
        raise KeyConfigError(f"金鑰名稱無效：{key_id!r}（英數字、. _ -，最多 64 字）")
    scope_set = _parse_scopes(scopes, key_id)
    doc: dict = {"version": 1, "keys": []}
    if path.exists():
        doc = json.loads(path.read_text(encoding="utf-8"))
    if any(e.get("id") == key_id for e in doc.get("keys", [])):
        raise KeyConfigError(f"金鑰名稱 {key_id} 已存在")
    key = new_key()
    doc.setdefault("keys", []).append({
        "id": key_id,
        "scopes": sorted(scope_set),
        "sha256": hash_key(key).hex(),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
    })
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    os.replace(tmp, path)
    return key


class KeyStore:
    """The keys in force: the keys file (re-read when it changes) plus the environment's."""

    def __init__(self, keys_file: str | Path | None, env_keys: str = ""):
        self.path = Path(keys_file) if keys_file else None
        self._env = parse_env_keys(env_keys) if env_keys else []
        self._file_keys: list[ApiKey] = []
        self._stamp: tuple[int, int] | None = None
        self._lock = threading.Lock()
        self._refresh()

    def _refresh(self) -> None:
        if self.path is None:
            return
        try:
            st = self.path.stat()
            stamp = (st.st_mtime_ns, st.st_size)
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
        digest = hash_key(presented)
        found: ApiKey | None = None
        for key in self.keys:  # no early exit: the same work whichever key matches
            if hmac.compare_digest(digest, key.digest) and found is None:
                found = key
        return found
