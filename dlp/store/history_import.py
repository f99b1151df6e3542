"""``dlp history import``: bootstrap the destination history from the audit trail.

The audit trail already holds, for every decision, the sender and each recipient as a salted
hash with a masked form (``c***@hl.gov.tw``, whose domain is kept), the conversation's hash and
size, the action, the secrecy level and the finding types. That is exactly what the history
counts, so a new deployment learns its senders' habits from the records it already has.

Idempotent: a source (one audit log) remembers the last ``seq`` it imported, and records at or
after the moment live learning began are skipped (the live recorder counted them already).
Records older than ``retention_days`` and actions outside ``learn_from`` are not counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from typing import Any

from dlp.destinations import AddressError, canonical_domain, domain_under
from dlp.model import SECRECY_LEVELS
from dlp.store.history import DestinationHistory, HistoryRows, retention_cutoff, today_utc
from dlp.store.history_keys import DestinationKey, MessageKeys

_HEX64 = frozenset("0123456789abcdef")


@dataclass
class ImportResult:
    read: int = 0
    imported: int = 0
    not_decisions: int = 0
    already_imported: int = 0
    learned_live: int = 0
    too_old: int = 0
    not_sent: int = 0
    unusable: int = 0
    last_seq: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _hash(value: Any) -> str | None:
    return value if isinstance(value, str) and len(value) == 64 and set(value) <= _HEX64 else None


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        t = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return (t if t.tzinfo else t.replace(tzinfo=UTC)).astimezone(UTC).replace(tzinfo=None)


def _domain(masked: Any) -> str | None:
    """The domain of a masked address (``c***@hl.gov.tw``); None when the mask hid part of it."""
    if not isinstance(masked, str) or "@" not in masked:
        return None
    domain = masked.rpartition("@")[2]
    if not domain or "*" in domain or "…" in domain:
        return None
    try:
        return canonical_domain(domain)
    except AddressError:
        return None


def record_keys(record: dict[str, Any], internal: tuple[str, ...], personal: tuple[str, ...]) -> MessageKeys | None:
    """The history keys of one audit decision record (None when it names no sender)."""
    sender = record.get("sender") if isinstance(record.get("sender"), dict) else {}
    sender_sha = _hash(sender.get("sha256"))
    if sender_sha is None:
        return None
    channel = record.get("channel")
    keys: list[DestinationKey] = []
    conv_sha = None
    if channel == "chat":
        conv = record.get("conversation") if isinstance(record.get("conversation"), dict) else {}
        conv_sha = _hash(conv.get("sha256"))
        if conv_sha:
            keys.append(DestinationKey(conv_sha, "chat", conv_sha))
    else:
        kind = "mail" if channel == "mail" else "other"
        for r in record.get("recipients") or []:
            sha = _hash(r.get("sha256")) if isinstance(r, dict) else None
            if sha is None:
                continue
            domain = _domain(r.get("masked")) if kind == "mail" else None
            keys.append(DestinationKey(sha, kind, sha, domain, bool(domain and domain_under(domain, internal)),
                                       None, bool(domain and domain_under(domain, personal))))
    if not keys:
        return None
    return MessageKeys(sender_sha, _domain(sender.get("masked")), None, False, tuple(keys), conv_sha)


def import_records(history: DestinationHistory, records: Iterable[dict[str, Any]], policy: Any, source: str,
                   today: date | None = None) -> ImportResult:
    """Count every decision record of ``records`` (one audit log, oldest first) into the history."""
    config = policy.config.misdirection
    if config is None:
        raise ValueError("政策檔沒有 misdirection 區段：誤寄防護未啟用，不匯入傳送歷史")
    rules = policy.config.destination_rules
    cutoff = retention_cutoff(today or today_utc(), config.retention_days)
    previous = history.source(source)
    after_seq = previous["last_seq"] if previous else None
    live = history.source("live")
    live_since = live["first_time"] if live else None
    result = ImportResult()
    rows = HistoryRows()
    first_time = last_time = None
    for record in records:
        result.read += 1
        record = record if isinstance(record, dict) else {}
        seq = record.get("seq") if isinstance(record.get("seq"), int) else None
        if seq is not None and after_seq is not None and seq <= after_seq:
            result.already_imported += 1
            continue
        when = _time(record.get("time"))
        if when is not None and live_since is not None and when >= live_since:
            result.learned_live += 1
            continue
        if seq is not None:
            result.last_seq = max(result.last_seq or seq, seq)
        if record.get("event") != "decision":
            result.not_decisions += 1
            continue
        if when is None:
            result.unusable += 1
            continue
        if when.date() < cutoff:
            result.too_old += 1
            continue
        if record.get("action") not in config.learn_from:
            result.not_sent += 1
            continue
        keys = record_keys(record, rules.internal_domains, rules.personal_mail_domains)
        if keys is None:
            result.unusable += 1
            continue
        types = record.get("finding_types") if isinstance(record.get("finding_types"), dict) else {}
        level = record.get("secrecy_level") if record.get("secrecy_level") in SECRECY_LEVELS else "none"
        conv = record.get("conversation") if isinstance(record.get("conversation"), dict) else None
        seen = None
        if conv is not None and isinstance(conv.get("members"), int) and isinstance(conv.get("external_members"), int):
            seen = {"members": conv["members"], "external_members": conv["external_members"]}
        rows.add(keys, when.date(), level=level, identifiers=bool(set(types) & config.identifier_types),
                 special=bool(set(types) & config.special_types), conversation=seen)
        result.imported += 1
        first_time = when if first_time is None else min(first_time, when)
        last_time = when if last_time is None else max(last_time, when)
    if rows:
        history.write(rows)
    if result.last_seq is not None or result.imported:
        now = datetime.now(UTC).replace(tzinfo=None)
        old_records = previous["records"] if previous else 0
        history.save_source(source, result.last_seq if result.last_seq is not None else after_seq,
                            old_records + result.imported, first_time or now, last_time or now)
    return result
