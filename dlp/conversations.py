"""The conversation registry (``patterns/conversations.yaml``): group facts a caller cannot fake.

The security team lists the chat groups they know, by platform and id: name, registered or
not, purpose, the highest secrecy level allowed in it, member and external member counts when
known. :meth:`ConversationRegistry.resolve` is the one place where a caller's claims about a
conversation meet these facts, and ``Scanner.scan`` calls it for every chat message:

* a **listed** id: the registry decides ``registered``, the name and the allowed level; member
  counts are the registry's, unless the caller reports *more* members or outsiders (a group
  grows; the stricter count is kept, so a claim can never loosen a decision);
* an **unlisted** id is *other chat*: a claim of ``registered: true`` is ignored, member
  counts are the caller's (they can only make the decision stricter), no allowed level.

Either way the report says what decided (``destination.conversation.source``), which claims
were ignored, and why (``destination.notes``).

The file is validated like every pack — all problems at once, with file, key and reason —
and its ``examples`` are run through the analyzer and the policy when it loads; a bad file is
refused and the running set stays. It is reloaded with the packs.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from dlp.errors import PackError, PackErrors
from dlp.model import ACTIONS, SECRECY_LEVELS, Conversation, Message, Segment
from dlp.policy_schema import _Checker, load_unique_keys

CONVERSATIONS_FILE = "conversations.yaml"
SOURCE_REGISTRY = "registry"
SOURCE_UNLISTED = "unlisted"

#: Level names the security team may write: the model's names, or the words on the stamp.
LEVEL_ALIASES: Mapping[str, str] = MappingProxyType({
    **{lv: lv for lv in SECRECY_LEVELS},
    "無": "none", "普通": "none", "限閱": "restricted", "限機關內部使用": "restricted",
    "密": "official_secret", "機密": "confidential", "極機密": "secret", "絕對機密": "top_secret",
})
#: level -> the word on the stamp (the first alias of each level above).
_LEVEL_WORDS: dict[str, str] = {}
for _word, _lv in LEVEL_ALIASES.items():
    if _word not in SECRECY_LEVELS:
        _LEVEL_WORDS.setdefault(_lv, _word)
_PLATFORM = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
_TOP_KEYS = {"registry": True, "conversations": True, "examples": True}
_ENTRY_KEYS = {"platform": True, "id": True, "name": True, "registered": True, "purpose": False,
               "allowed_level": False, "members": False, "external_members": False, "owner": False}
_CLAIM_KEYS = {"platform": False, "id": True, "name": False, "members": False, "external_members": False,
               "registered": False}
_EXPECT_KEYS = {"source": False, "registered": False, "column": False, "action": False,
                "members": False, "external_members": False}
_EXAMPLE_KEYS = {"name": True, "conversation": True, "text": False, "expect": True}


@dataclass(frozen=True)
class RegisteredConversation:
    """One group as the security team registered it (None: not known)."""

    platform: str
    id: str
    name: str
    registered: bool
    purpose: str = ""
    allowed_level: str | None = None
    members: int | None = None
    external_members: int | None = None
    owner: str = ""

    @property
    def key(self) -> str:
        return f"{self.platform}:{self.id}"


@dataclass(frozen=True)
class RegistryExample:
    """A conversation as a caller would describe it, and what the registry must make of it."""

    name: str
    claim: Conversation
    text: str
    expect: Mapping[str, Any]


@dataclass
class Resolution:
    """What the registry made of a caller's conversation: the facts that decide, and why."""

    conversation: Conversation
    source: str  # SOURCE_REGISTRY | SOURCE_UNLISTED
    entry: RegisteredConversation | None = None
    ignored: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"source": self.source}
        if self.entry is not None:
            out["registry_entry"] = self.entry.key
            if self.entry.purpose:
                out["purpose"] = self.entry.purpose
        if self.ignored:
            out["ignored_claims"] = dict(self.ignored)
        return out

    def annotate(self, destination: dict[str, Any]) -> None:
        """Say in a report's ``destination`` what decided (in place)."""
        conv = destination.setdefault("conversation", self.conversation.to_dict())
        conv.update(self.to_dict())
        if self.notes:
            destination["notes"] = [*destination.get("notes", []), *self.notes]


@dataclass(frozen=True)
class ConversationRegistry:
    """A validated registry; immutable (reloading builds a new one)."""

    file: str | None = None
    version: str = ""
    description: str = ""
    sha256: str = ""
    entries: Mapping[tuple[str, str], RegisteredConversation] = field(default_factory=lambda: MappingProxyType({}))
    examples: tuple[RegistryExample, ...] = ()

    def __len__(self) -> int:
        return len(self.entries)

    def lookup(self, platform: str, conversation_id: str) -> list[RegisteredConversation]:
        """Entries for an id: on the given platform, or on any platform when none is given."""
        cid = conversation_id.strip()
        if platform:
            found = self.entries.get((platform.strip().lower(), cid))
            return [found] if found else []
        return [e for (_, i), e in self.entries.items() if i == cid]

    def resolve(self, claim: Conversation) -> Resolution:
        """The facts that decide for ``claim`` (see the module docstring)."""
        found = self.lookup(claim.platform, claim.id)
        if len(found) == 1:
            return _from_registry(claim, found[0])
        resolution = _unlisted(claim)
        if len(found) > 1:
            platforms = "、".join(sorted(e.platform for e in found))
            resolution.notes.insert(0, f"對話代號「{claim.id}」登記於多個平台（{platforms}），"
                                       "請求未指明平台，無法確定是哪一個，依未登記處理")
        return resolution

    def resolve_message(self, message: Message) -> tuple[Message, Resolution | None]:
        """``message`` with its conversation replaced by the deciding facts (a copy; the
        caller's object is never changed). Only chat messages with a conversation resolve."""
        if message.channel != "chat" or message.conversation is None:
            return message, None
        resolution = self.resolve(message.conversation)
        return replace(message, conversation=resolution.conversation), resolution

    def info(self) -> dict[str, Any]:
        return {"file": self.file, "version": self.version, "sha256": self.sha256, "conversations": len(self)}


EMPTY_REGISTRY = ConversationRegistry()


def _from_registry(claim: Conversation, entry: RegisteredConversation) -> Resolution:
    ignored: dict[str, Any] = {}
    notes: list[str] = []
    if claim.registered and not entry.registered:  # False is also "not said": only a claim counts
        ignored["registered"] = True
    if claim.name and claim.name != entry.name:
        ignored["name"] = claim.name
    if claim.allowed_level is not None and claim.allowed_level != entry.allowed_level:
        ignored["allowed_level"] = claim.allowed_level
    counts: dict[str, int] = {}
    for attr, label in (("members", "成員"), ("external_members", "外部成員")):
        listed: int | None = getattr(entry, attr)
        claimed: int = getattr(claim, attr)
        if listed is None:
            counts[attr] = claimed
        elif claimed > listed:
            counts[attr] = claimed
            notes.append(f"呼叫端回報的{label}數（{claimed}）多於登記資料（{listed}），採較多者")
        else:
            counts[attr] = listed
            if claimed != listed and claimed:
                ignored[attr] = claimed
    status = "已登記的公務群組" if entry.registered else "未登記的群組"
    notes.insert(0, f"對話「{entry.name}」依登記清單判斷：{status}"
                    + (f"，可傳送的最高等級為「{_LEVEL_WORDS[entry.allowed_level]}」" if entry.allowed_level else ""))
    if ignored:
        notes.append(f"已忽略請求中與登記資料不符的欄位：{'、'.join(sorted(ignored))}")
    conv = Conversation(id=entry.id, name=entry.name, members=counts["members"],
                        external_members=counts["external_members"], registered=entry.registered,
                        platform=entry.platform, allowed_level=entry.allowed_level)
    return Resolution(conv, SOURCE_REGISTRY, entry, ignored, notes)


def _unlisted(claim: Conversation) -> Resolution:
    ignored: dict[str, Any] = {}
    if claim.registered:
        ignored["registered"] = True
    if claim.allowed_level is not None:
        ignored["allowed_level"] = claim.allowed_level
    notes = [f"對話「{claim.name or claim.id}」不在登記清單中，視為其他通訊軟體對話"]
    if ignored:
        notes.append(f"已忽略請求中聲稱的 {'、'.join(sorted(ignored))}（只有登記清單能認定公務群組）")
    conv = replace(claim, registered=False, allowed_level=None, platform=claim.platform.strip().lower())
    return Resolution(conv, SOURCE_UNLISTED, None, ignored, notes)


# -- loading ----------------------------------------------------------------------------------------


def _level(c: _Checker, value: Any, key: str) -> str | None:
    level = LEVEL_ALIASES.get(value) if isinstance(value, str) else None
    if level is None:
        c.err(key, f"未知的機密等級「{value}」；可用：{'、'.join(LEVEL_ALIASES)}")
    return level


def _platform(c: _Checker, value: Any, key: str) -> str:
    text = c.text(value, key).strip().lower()
    if text and not _PLATFORM.match(text):
        c.err(key, f"平台名稱「{value}」應為英文小寫字母開頭的代號（例如 line、mattermost、rocketchat）")
    return text


def _count(c: _Checker, m: dict, name: str, key: str) -> int | None:
    return c.integer(m[name], f"{key}.{name}", 0) if m.get(name) is not None else None


def _entry(c: _Checker, raw: Any, index: int) -> RegisteredConversation | None:
    rid = raw.get("id") if isinstance(raw, dict) else None
    key = f"conversations[{index}]" + (f"（{rid}）" if isinstance(rid, str) and rid else "")
    m = c.mapping(raw, key, _ENTRY_KEYS)
    n_errors = len(c.errors)
    if not m:
        return None
    platform = _platform(c, m.get("platform", ""), f"{key}.platform")
    cid = c.text(m.get("id", ""), f"{key}.id").strip()
    name = c.text(m.get("name", ""), f"{key}.name").strip()
    registered = c.boolean(m.get("registered"), f"{key}.registered") if "registered" in m else False
    purpose = c.text(m["purpose"], f"{key}.purpose", allow_empty=True).strip() if "purpose" in m else ""
    owner = c.text(m["owner"], f"{key}.owner", allow_empty=True).strip() if "owner" in m else ""
    allowed = _level(c, m["allowed_level"], f"{key}.allowed_level") if m.get("allowed_level") is not None else None
    members = _count(c, m, "members", key)
    external = _count(c, m, "external_members", key)
    if members is not None and external is not None and external > members:
        c.err(f"{key}.external_members", f"外部成員數（{external}）大於成員數（{members}）")
    if len(c.errors) != n_errors:
        return None
    return RegisteredConversation(platform, cid, name, registered, purpose, allowed, members, external, owner)


def _example(c: _Checker, raw: Any, index: int) -> RegistryExample | None:
    key = f"examples[{index}]"
    m = c.mapping(raw, key, _EXAMPLE_KEYS)
    n_errors = len(c.errors)
    if not m:
        return None
    name = c.text(m.get("name", ""), f"{key}.name")
    claim_raw = c.mapping(m.get("conversation", {}), f"{key}.conversation", _CLAIM_KEYS)
    ck = f"{key}.conversation"
    claim = Conversation(
        id=c.text(claim_raw.get("id", ""), f"{ck}.id").strip(),
        name=c.text(claim_raw["name"], f"{ck}.name", allow_empty=True) if "name" in claim_raw else "",
        members=c.integer(claim_raw.get("members", 0), f"{ck}.members", 0),
        external_members=c.integer(claim_raw.get("external_members", 0), f"{ck}.external_members", 0),
        registered=c.boolean(claim_raw["registered"], f"{ck}.registered") if "registered" in claim_raw else False,
        platform=_platform(c, claim_raw["platform"], f"{ck}.platform") if "platform" in claim_raw else "",
    )
    text = c.text(m["text"], f"{key}.text", allow_empty=True) if "text" in m else ""
    expect_raw = c.mapping(m.get("expect", {}), f"{key}.expect", _EXPECT_KEYS)
    ek = f"{key}.expect"
    expect: dict[str, Any] = {}
    if "source" in expect_raw:
        expect["source"] = c.choice(expect_raw["source"], f"{ek}.source", (SOURCE_REGISTRY, SOURCE_UNLISTED), "來源")
    if "registered" in expect_raw:
        expect["registered"] = c.boolean(expect_raw["registered"], f"{ek}.registered")
    if "column" in expect_raw:
        expect["column"] = c.choice(expect_raw["column"], f"{ek}.column", ("registered_group", "other_chat"), "目的地欄")
    if "action" in expect_raw:
        expect["action"] = c.choice(expect_raw["action"], f"{ek}.action", ACTIONS, "處置")
    for attr in ("members", "external_members"):
        if attr in expect_raw:
            expect[attr] = c.integer(expect_raw[attr], f"{ek}.{attr}", 0)
    if isinstance(m.get("expect"), dict) and not expect_raw:
        c.err(ek, "至少要寫一項預期結果（source、registered、column、action、members、external_members）")
    if len(c.errors) != n_errors:
        return None
    return RegistryExample(name, claim, text, MappingProxyType(expect))


def parse_registry(data: Any, file: str, sha256: str = "") -> ConversationRegistry:
    """Validate a loaded YAML document; raise :class:`PackErrors` listing every problem."""
    c = _Checker(file)
    top = c.mapping(data, "", _TOP_KEYS)
    if not top:
        raise PackErrors(c.errors or [PackError(file, None, "檔案是空的或不是對照表")])
    meta = c.mapping(top.get("registry", {}), "registry", {"version": True, "description": False})
    version = str(c.integer(meta.get("version", 1), "registry.version", 1))
    description = c.text(meta["description"], "registry.description", allow_empty=True) if "description" in meta else ""
    entries: dict[tuple[str, str], RegisteredConversation] = {}
    raw_entries = top.get("conversations", [])
    if not isinstance(raw_entries, list):
        c.err("conversations", "應為清單（每一項是一個群組）")
        raw_entries = []
    for i, raw in enumerate(raw_entries):
        entry = _entry(c, raw, i)
        if entry is None:
            continue
        if (entry.platform, entry.id) in entries:
            c.err(f"conversations[{i}].id", f"平台 {entry.platform} 的對話代號「{entry.id}」重複登記")
            continue
        entries[(entry.platform, entry.id)] = entry
    examples: list[RegistryExample] = []
    raw_examples = top.get("examples", [])
    if not isinstance(raw_examples, list) or not raw_examples:
        c.err("examples", "至少要有一個範例（請求中的對話資料，以及登記清單應判斷的結果）")
        raw_examples = []
    for i, raw in enumerate(raw_examples):
        ex = _example(c, raw, i)
        if ex is not None:
            examples.append(ex)
    if c.errors:
        raise PackErrors(c.errors)
    return ConversationRegistry(file, version, description, sha256, MappingProxyType(entries), tuple(examples))


def load_registry(directory: str | Path) -> ConversationRegistry:
    """``conversations.yaml`` in ``directory``; no file = an empty registry (every id unlisted)."""
    path = Path(directory) / CONVERSATIONS_FILE
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return EMPTY_REGISTRY
    except OSError as exc:
        raise PackError(path.name, None, f"無法讀取群組登記清單（{exc}）") from None
    try:
        doc = load_unique_keys(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise PackError(path.name, None, "檔案不是 UTF-8 編碼") from None
    except yaml.YAMLError as exc:
        raise PackError(path.name, None, f"YAML 格式錯誤：{exc}") from None
    return parse_registry(doc, path.name, hashlib.sha256(data).hexdigest())


# -- examples ---------------------------------------------------------------------------------------


def example_failures(registry: ConversationRegistry, analyzer: Any, policy: Any) -> list[PackError]:
    """Run every example: its text through ``analyzer``, its conversation through the registry,
    both through ``policy``. One error per example whose outcome differs from ``expect``."""
    errors: list[PackError] = []
    for i, ex in enumerate(registry.examples):
        message = Message(text=ex.text, channel="chat", conversation=ex.claim)
        resolved, resolution = registry.resolve_message(message)
        assert resolution is not None
        got: dict[str, Any] = {"source": resolution.source, "registered": resolution.conversation.registered,
                               "members": resolution.conversation.members,
                               "external_members": resolution.conversation.external_members}
        if policy is not None and ({"column", "action"} & set(ex.expect)):
            findings = analyzer.analyze([Segment(location="body", text=ex.text, role="body")]).findings if ex.text else []
            decision = policy.decide(resolved, findings)
            got["column"] = decision.destination.get("column")
            got["action"] = decision.action
        wrong = [f"{k} 預期 {_show(v)}，實際 {_show(got.get(k))}" for k, v in ex.expect.items() if got.get(k) != v]
        if wrong:
            errors.append(PackError(registry.file or CONVERSATIONS_FILE, f"examples[{i}]",
                                    f"範例「{ex.name}」的結果不符：{'；'.join(wrong)}"))
    return errors


def _show(value: Any) -> str:
    return {True: "true", False: "false", None: "（無）"}.get(value, str(value)) if isinstance(value, (bool, type(None))) else str(value)


__all__ = [
    "CONVERSATIONS_FILE",
    "EMPTY_REGISTRY",
    "ConversationRegistry",
    "RegisteredConversation",
    "Resolution",
    "example_failures",
    "load_registry",
    "parse_registry",
]
