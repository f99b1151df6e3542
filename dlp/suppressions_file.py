"""Writing ``suppressions.yaml``: one appended entry at a time, so every change is a small diff.

The console calls this when a false positive is marked with a scope. The file keeps its
comments; the new entry goes at the end with a comment saying who and why; the result is
validated before it replaces the old file (atomically, under a lock, so two consoles cannot
lose each other's entries).
"""

from __future__ import annotations

import fcntl
import os
import re
import secrets
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from dlp.suppressions import SALT_FILE, SUPPRESSIONS_FILE, Suppression, Suppressions, parse_suppressions, side_salt

HEADER = """\
# yaml-language-server: $schema=schemas/suppressions.schema.json
# 誤判抑制清單：資安人員在主控台把誤判標記為「誤判」並選擇範圍時，系統會在檔尾新增一筆。
# 也可以直接編輯；每筆都必須有 scope、reason 與 expires（到期日，過期後自動失效）。
#   scope: value  只抑制這一個值（type + value_sha256，值本身不會出現在檔案裡）
#   scope: rule   抑制這條規則的所有命中（等同暫停規則，請設短的到期日）
#   scope: pair   只在這位寄件者寄往這些目的地時抑制這條規則（皆為雜湊值）
# 被抑制的發現仍會列在報告中（標示 shadow 與 suppressed_by），但不影響處置。
# 雜湊用的鹽值存在同目錄的 suppressions.salt（權限 0600，不納入版本控制）：第一次啟動主控台時產生，
# 之後請勿更改或遺失（否則既有的 value 與 pair 項目失效）；本檔只存雜湊值，外流也無法反推身分證字號。
pack:
  name: suppressions
  version: 1
salt: ""
suppressions: []
"""


@contextmanager
def _locked(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path.with_name(f".{path.name}.lock"), os.O_RDWR | os.O_CREAT, 0o640)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _replace(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def ensure_salt(directory: str | Path) -> str:
    """The salt of the file's hashes: a ``salt:`` in the file (older files), else
    ``suppressions.salt`` beside it, made (256 random bits, mode 0600) if there is none yet. The
    reviewed file itself is not touched."""
    path = Path(directory) / SUPPRESSIONS_FILE
    with _locked(path):
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        doc = yaml.safe_load(text) if text else {}
        salt = doc.get("salt") if isinstance(doc, dict) else None
        if isinstance(salt, str) and salt:
            return salt
        existing = side_salt(directory)
        if existing:
            return existing
        salt = secrets.token_hex(32)
        side = Path(directory) / SALT_FILE
        fd = os.open(side, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(salt + "\n")
        return salt


def append_entry(directory: str | Path, entry: dict[str, Any], comment: str = "",
                 known_rules: Iterable[str] | None = None) -> Suppression:
    """Append ``entry`` (the YAML keys of one suppression) and return it as loaded; raises ``PackErrors``."""
    path = Path(directory) / SUPPRESSIONS_FILE
    with _locked(path):
        text = path.read_text(encoding="utf-8") if path.exists() else HEADER
        text = re.sub(r"^suppressions:\s*\[\]\s*$", "suppressions:", text, count=1, flags=re.M)
        block = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, default_flow_style=False, width=200)
        lines = [f"  # {line}" for line in comment.splitlines() if line.strip()]
        lines += ["  " + line for line in block.splitlines()]
        new_text = text.rstrip("\n") + "\n" + "\n".join(lines) + "\n"
        loaded: Suppressions = parse_suppressions(yaml.safe_load(new_text), path.name, known_rules=known_rules,
                                                  default_salt=side_salt(directory))
        _replace(path, new_text)
    return next(e for e in loaded.entries if e.id == entry["id"])


def next_entry_id(directory: str | Path, prefix: str) -> str:
    """``prefix-1``, ``prefix-2``... the first not yet in the file."""
    path = Path(directory) / SUPPRESSIONS_FILE
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    n = 1
    while re.search(rf"^\s*-?\s*id:\s*['\"]?{re.escape(prefix)}-{n}['\"]?\s*$", existing, flags=re.M):
        n += 1
    return f"{prefix}-{n}"
