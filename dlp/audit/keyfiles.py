"""The audit trail's secrets on disk: the salt of its hashes and the optional HMAC key.

Both live in the keys directory (beside the API keys file), are made on first start with 256
random bits, mode 0600, and are never printed. A file that exists but is empty (or too short)
is refused rather than replaced: replacing the salt would silently make every earlier hash
unmatchable, replacing the key would make the old records unverifiable.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

SALT_FILE = "audit-salt"
HMAC_KEY_FILE = "audit-hmac.key"
MIN_SECRET_CHARS = 16


class SecretFileError(ValueError):
    """A salt or key that cannot be used; ``str(err)`` is a sentence for the operator (Chinese)."""


def check_secret(value: str, what: str) -> str:
    value = value.strip()
    if len(value) < MIN_SECRET_CHARS:
        raise SecretFileError(f"{what}是空的或太短（至少 {MIN_SECRET_CHARS} 個字元），拒絕啟動")
    return value


def load_or_create(path: Path, what: str, create: bool = True) -> str:
    """The secret in ``path``; made (hex, 256 bits, 0600) when absent and ``create`` is set."""
    try:
        return check_secret(path.read_text(encoding="utf-8"), f"{what}（{path}）")
    except FileNotFoundError:
        if not create:
            raise SecretFileError(f"找不到{what}：{path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SecretFileError(f"{what}（{path}）無法讀取：{exc}") from None
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker made it first: use that one
        return load_or_create(path, what, create=False)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(value + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    return value


def audit_salt(directory: str | Path, configured: str = "") -> str:
    """The salt: ``configured`` (e.g. ``DLP_AUDIT_SALT``) when set, else the salt file, made on first start."""
    if configured:
        return check_secret(configured, "稽核雜湊的鹽值（DLP_AUDIT_SALT）")
    return load_or_create(Path(directory) / SALT_FILE, "稽核雜湊的鹽值")


def audit_hmac_key(directory: str | Path, path: str | Path | None = None, create: bool = True) -> bytes:
    """The HMAC key of a keyed audit chain (the file's text, as bytes)."""
    target = Path(path) if path else Path(directory) / HMAC_KEY_FILE
    return load_or_create(target, "稽核紀錄的 HMAC 金鑰", create=create).encode("utf-8")
