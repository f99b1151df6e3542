"""The salted hashes the destination history is keyed by, made the way the audit trail makes them.

``ident_hash(value, salt)`` is the audit trail's: SHA-256 of salt + the trimmed, lower-cased
value. A mail address is hashed in its canonical form (``local@domain``, the domain in IDNA),
which for a plain address is exactly what the audit record hashed, so ``dlp history import`` and
the live recorder meet on the same keys. A conversation is hashed by its id (as the audit
record does), a free-form destination as given.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from dlp.destinations import AddressError, domain_under, parse_address
from dlp.model import Message

MIN_SALT_CHARS = 16


class SaltError(ValueError):
    """No usable salt: the history refuses to store unsalted (reversible) hashes."""


def check_salt(salt: str) -> str:
    if not isinstance(salt, str) or len(salt) < MIN_SALT_CHARS:
        raise SaltError(f"傳送歷史需要稽核紀錄的鹽值（至少 {MIN_SALT_CHARS} 個字元），否則雜湊可被反查，不予記錄")
    return salt


def ident_hash(value: str, salt: str) -> str:
    return hashlib.sha256((salt + value.strip().lower()).encode("utf-8", "replace")).hexdigest()


def canonical_address(raw: str) -> tuple[str, str, str] | None:
    """``(local@domain, domain, local)`` lower-cased, or None for an unparseable address."""
    try:
        p = parse_address(raw)
    except AddressError:
        return None
    local = p.local.lower()
    return f"{local}@{p.domain}", p.domain, local


def local_hash(local: str, salt: str) -> str:
    return ident_hash("local-part:" + local, salt)


def sender_hashes(value: str, salt: str) -> set[str]:
    """Every hash the history may hold for one person: canonical and as written (forget both)."""
    out = {ident_hash(value, salt)}
    canon = canonical_address(value)
    if canon is not None:
        out.add(ident_hash(canon[0], salt))
    return out


@dataclass(frozen=True)
class DestinationKey:
    key: str              # the message's own string (HistoryFacts key); in memory only
    kind: str             # mail | chat | other
    sha256: str
    domain: str | None = None
    internal: bool = False
    local_sha256: str | None = None  # mail: hash of the local part (namesake check)
    personal: bool = False


@dataclass(frozen=True)
class MessageKeys:
    sender_sha256: str | None
    sender_domain: str | None
    sender_local_sha256: str | None
    sender_internal: bool
    destinations: tuple[DestinationKey, ...]
    conversation_sha256: str | None = None


def message_keys(message: Message, salt: str, internal_domains: tuple[str, ...], personal_domains: tuple[str, ...]) -> MessageKeys:
    sender_sha = sender_domain = sender_local = None
    sender_internal = False
    if message.sender and message.sender.strip():
        canon = canonical_address(message.sender)
        if canon is not None:
            sender_sha, sender_domain = ident_hash(canon[0], salt), canon[1]
            sender_internal = domain_under(canon[1], internal_domains) is not None
            sender_local = local_hash(canon[2], salt)
        else:
            sender_sha = ident_hash(message.sender, salt)
    keys: list[DestinationKey] = []
    conv_sha = None
    if message.channel == "chat":
        conv = message.conversation
        if conv is not None and conv.id:
            conv_sha = ident_hash(conv.id, salt)
            keys.append(DestinationKey(f"chat:{conv.id}", "chat", conv_sha))
    else:
        kind = "mail" if message.channel == "mail" else "other"
        seen: set[str] = set()
        for raw in message.recipients:
            if not isinstance(raw, str) or not raw.strip() or raw in seen:
                continue
            seen.add(raw)
            canon = canonical_address(raw) if kind == "mail" else None
            if canon is None:
                keys.append(DestinationKey(raw, kind, ident_hash(raw, salt)))
            else:
                address, domain, local = canon
                keys.append(DestinationKey(raw, kind, ident_hash(address, salt), domain,
                                           domain_under(domain, internal_domains) is not None, local_hash(local, salt),
                                           domain_under(domain, personal_domains) is not None))
    return MessageKeys(sender_sha, sender_domain, sender_local, sender_internal, tuple(keys), conv_sha)
