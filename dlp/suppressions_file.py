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

from dlp.suppressions import SUPPRESSIONS_FILE, Suppression, Suppressions, parse_suppressions

HEADER = """\
# yaml-language-server: $schema=schemas/suppressions.schema.json
# 誤判抑制清單：資安人員在主控台把誤判標記為「誤判」並選擇範圍時，系統會在檔尾新增一筆。
# 也可以直接編輯；每筆都必須有 scope、reason 與 expires（到期日，過期後自動失效）。
#   scope: value  只抑制這一個值（type + value_sha256，值本身不會出現在檔案裡）
#   scope: rule   抑制這條規則的所有命中（等同暫停規則，請設短的到期日）
#   scope: pair   只在這位寄件者寄往這些目的地時抑制這條規則（皆為雜湊值）
# 被抑制的發現仍會列在報告中（標示 shadow 與 suppressed_by），但不影響處置。
# salt 是這份檔案雜湊用的鹽值：第一次啟動主控台時產生，之後請勿更改（否則既有的 value 與 pair 項目失效）。
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
    """The file's salt, made (256 random bits) and written if the file has none yet."""
    path = Path(directory) / SUPPRESSIONS_FILE
    with _locked(path):
        text = path.read_text(encoding="utf-8") if path.exists() else HEADER
        doc = yaml.safe_load(text) or {}
        salt = doc.get("salt") if isinstance(doc, dict) else None
        if isinstance(salt, str) and salt:
            return salt
        salt = secrets.token_hex(32)
        if re.search(r'^salt:.*$', text, flags=re.M):
            text = re.sub(r'^salt:.*$', f'salt: "{salt}"', text, count=1, flags=re.M)
        else:
            text = text.rstrip("\n") + f'\nsalt: "{salt}"\n'
        parse_suppressions(yaml.safe_load(text), path.name)
        _replace(path, text)
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
        loaded: Suppressions = parse_suppressions(yaml.safe_load(new_text), path.name, known_rules=known_rules)
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
