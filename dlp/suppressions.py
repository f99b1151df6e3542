"""Scoped suppressions: the security team's answer to a false positive, as a reviewable file.

``patterns/suppressions.yaml`` lists entries, each with a scope, a reason and an expiry date:

* ``scope: value`` — that one value (kept as a salted SHA-256, never in the clear) of ``type``;
* ``scope: rule`` — every hit of ``rule``;
* ``scope: pair`` — hits of ``rule`` in messages from one sender (hashed) to one set of
  destinations (hashed: recipient addresses, a chat group, another destination).

A suppressed finding is not dropped: it becomes a shadow finding (reported, never acted on)
with ``detail.suppressed_by`` naming the entry, so reports and the console still show it and the
statistics count what suppressions turned off. An expired entry no longer applies. The file
loads with the packs; a bad one is refused with file, entry id and reason, like every pack.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from dlp.errors import PackError, PackErrors
from dlp.model import FINDING_TYPES, Finding, Message
from dlp.normalize import compact

SUPPRESSIONS_FILE = "suppressions.yaml"
#: The salt of the file's hashes, kept beside it but out of it (0600, not under version control):
#: the reviewed file holds hashes only, and a leaked copy cannot be tried against the small space
#: of national IDs. A non-empty ``salt:`` in the file itself is still honoured.
SALT_FILE = "suppressions.salt"
SCOPES = ("value", "rule", "pair")
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{1,80}$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_TOP_KEYS = {"pack", "salt", "suppressions"}
_ENTRY_KEYS = {"id", "scope", "type", "rule", "value_sha256", "sender_sha256", "destinations_sha256",
               "reason", "expires", "created", "created_by", "incident"}
MIN_SALT_CHARS = 16


@dataclass(frozen=True)
class Suppression:
    id: str
    scope: str
    reason: str
    expires: date
    type: str | None = None
    rule: str | None = None
    value_sha256: str | None = None
    sender_sha256: str | None = None
    destinations_sha256: frozenset[str] = frozenset()
    incident: str | None = None

    def active(self, today: date) -> bool:
        return today <= self.expires


@dataclass(frozen=True)
class Suppressions:
    """The loaded file (or an empty set when there is none)."""

    file: str = SUPPRESSIONS_FILE
    salt: str = ""
    entries: tuple[Suppression, ...] = ()
    sha256: str = ""
    ids: frozenset[str] = field(default_factory=frozenset)

    # -- hashes (what the store records, so that the console can write an entry) -----------
    def _hash(self, *parts: str) -> str | None:
        if not self.salt:
            return None
        return hashlib.sha256("\x1f".join((self.salt, *parts)).encode("utf-8")).hexdigest()

    def value_hash(self, finding: Finding) -> str | None:
        return self._hash("value", finding.type, compact(finding.value_key)) if finding.value_key else None

    def sender_hash(self, message: Message) -> str | None:
        return self._hash("sender", (message.sender or "").strip().lower()) if message.sender else None

    def destination_hashes(self, message: Message) -> list[str]:
        """One hash per destination: each recipient (mail, other) or the chat group."""
        if message.conversation is not None:
            keys = [f"chat:{message.conversation.id}"]
        else:
            keys = sorted({f"{message.channel}:{r.strip().lower()}" for r in message.recipients})
        return [h for k in keys if (h := self._hash("destination", k))]

    # -- applying -------------------------------------------------------------------------
    def apply(self, message: Message, findings: list[Finding], today: date | None = None) -> list[Finding]:
        """``findings`` with every suppressed one turned into a shadow finding naming its entry."""
        today = today or date.today()
        live = [e for e in self.entries if e.active(today)]
        if not live or not findings:
            return findings
        sender = self.sender_hash(message)
        destinations = set(self.destination_hashes(message))
        out = []
        for f in findings:
            entry = None if f.shadow else next((e for e in live if _matches(e, f, self, sender, destinations)), None)
            if entry is None:
                out.append(f)
            else:
                out.append(replace(f, shadow=True, detail={**f.detail, "suppressed_by": entry.id}))
        return out

    def expired(self, today: date | None = None) -> list[Suppression]:
        today = today or date.today()
        return [e for e in self.entries if not e.active(today)]


def _matches(e: Suppression, f: Finding, s: Suppressions, sender: str | None, destinations: set[str]) -> bool:
    if e.rule is not None and e.rule != f.rule:
        return False
    if e.type is not None and e.type != f.type:
        return False
    if e.scope == "value":
        return e.value_sha256 is not None and e.value_sha256 == s.value_hash(f)
    if e.scope == "pair":
        return sender is not None and sender == e.sender_sha256 and bool(destinations) and destinations <= e.destinations_sha256
    return True  # rule


# -- loading ----------------------------------------------------------------------------------


def load_suppressions(directory: str | Path, known_rules: Iterable[str] | None = None) -> Suppressions:
    """Read ``suppressions.yaml`` in ``directory`` (none there: an empty set); raises ``PackErrors``."""
    path = Path(directory) / SUPPRESSIONS_FILE
    if not path.exists():
        return Suppressions()
    data = path.read_bytes()
    name = path.name
    try:
        doc = yaml.safe_load(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise PackErrors([PackError(name, None, "檔案不是 UTF-8 編碼")]) from None
    except yaml.YAMLError as exc:
        raise PackErrors([PackError(name, None, f"YAML 格式錯誤：{exc}")]) from None
    return parse_suppressions(doc, name, hashlib.sha256(data).hexdigest(), known_rules, side_salt(directory))


def side_salt(directory: str | Path) -> str:
    """The salt in ``suppressions.salt`` beside the file ("" when there is none)."""
    try:
        return (Path(directory) / SALT_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def parse_suppressions(doc: Any, file: str, sha256: str = "", known_rules: Iterable[str] | None = None,
                       default_salt: str = "") -> Suppressions:
    errors: list[PackError] = []
    if doc is None:
        doc = {}
    if not isinstance(doc, dict):
        raise PackErrors([PackError(file, None, "檔案內容必須是對照表（含 salt 與 suppressions）")])
    unknown = set(doc) - _TOP_KEYS
    if unknown:
        errors.append(PackError(file, None, f"不認得的最上層欄位：{', '.join(sorted(map(str, unknown)))}"))
    salt = doc.get("salt") or default_salt
    if not isinstance(salt, str) or (salt and len(salt) < MIN_SALT_CHARS):
        errors.append(PackError(file, "salt", f"salt 必須是至少 {MIN_SALT_CHARS} 個字元的字串"))
        salt = ""
    raw_entries = doc.get("suppressions") or []
    if not isinstance(raw_entries, list):
        errors.append(PackError(file, "suppressions", "suppressions 必須是清單"))
        raw_entries = []
    rules = set(known_rules) if known_rules is not None else None
    entries: list[Suppression] = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_entries):
        try:
            entry = _entry(raw, i, file, salt, rules)
        except PackError as exc:
            errors.append(exc)
            continue
        if entry.id in seen:
            errors.append(PackError(file, entry.id, "id 重複"))
            continue
        seen.add(entry.id)
        entries.append(entry)
    if errors:
        raise PackErrors(errors)
    return Suppressions(file, salt, tuple(entries), sha256, frozenset(seen))


def _entry(raw: Any, index: int, file: str, salt: str, rules: set[str] | None) -> Suppression:
    where = f"suppressions[{index}]"
    if not isinstance(raw, dict):
        raise PackError(file, where, "每一筆必須是對照表")
    eid = raw.get("id")
    if not isinstance(eid, str) or not _ID.match(eid):
        raise PackError(file, str(eid) if eid else where, "id 必須是小寫英數字與 . _ - 組成的名稱")
    unknown = set(raw) - _ENTRY_KEYS
    if unknown:
        raise PackError(file, eid, f"不認得的欄位：{', '.join(sorted(map(str, unknown)))}")
    scope = raw.get("scope")
    if scope not in SCOPES:
        raise PackError(file, eid, f"scope 必須是 {'、'.join(SCOPES)} 之一")
    reason = raw.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise PackError(file, eid, "必須寫明原因（reason）")
    expires = raw.get("expires")
    if isinstance(expires, str):
        try:
            expires = date.fromisoformat(expires)
        except ValueError:
            expires = None
    if not isinstance(expires, date):
        raise PackError(file, eid, "必須有到期日（expires: YYYY-MM-DD），抑制不可永久有效")
    type_, rule = raw.get("type"), raw.get("rule")
    if type_ is not None and type_ not in FINDING_TYPES:
        raise PackError(file, eid, f"type {type_!r} 不是已知的發現類型")
    if rule is not None and (not isinstance(rule, str) or (rules is not None and rule not in rules)):
        raise PackError(file, eid, f"rule {rule!r} 不是已載入的規則")
    value = raw.get("value_sha256")
    sender = raw.get("sender_sha256")
    destinations = raw.get("destinations_sha256") or []
    if scope == "value":
        if type_ is None or not (isinstance(value, str) and _HEX64.match(value)):
            raise PackError(file, eid, "scope: value 需要 type 與 value_sha256（64 位十六進位）")
        if not salt:
            raise PackError(file, eid, "scope: value 的雜湊需要檔案的 salt")
    elif scope == "rule":
        if rule is None:
            raise PackError(file, eid, "scope: rule 需要 rule")
    else:
        ok = isinstance(sender, str) and _HEX64.match(sender) and isinstance(destinations, list) and destinations \
            and all(isinstance(d, str) and _HEX64.match(d) for d in destinations)
        if rule is None or not ok:
            raise PackError(file, eid, "scope: pair 需要 rule、sender_sha256 與 destinations_sha256（皆為 64 位十六進位）")
        if not salt:
            raise PackError(file, eid, "scope: pair 的雜湊需要檔案的 salt")
    return Suppression(
        id=eid, scope=scope, reason=reason.strip(), expires=expires, type=type_, rule=rule,
        value_sha256=value if scope == "value" else None, sender_sha256=sender if scope == "pair" else None,
        destinations_sha256=frozenset(destinations) if scope == "pair" else frozenset(),
        incident=str(raw["incident"]) if raw.get("incident") else None,
    )
