"""Reading and validating ``patterns/policy.yaml`` into frozen, typed configuration.

Every problem is collected (not just the first) and reported as a :class:`PackError` naming
the file, the key (``rules.bulk.actions.other_chat``) and what is wrong, in Traditional
Chinese. Nothing here decides anything; :mod:`dlp.policy` does.
"""

from __future__ import annotations

import hashlib
import string
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from dlp.destinations import (
    COLUMNS,
    AddressError,
    DestinationRules,
    OtherMapping,
    canonical_domain,
    domain_under,
    parse_address,
)
from dlp.errors import PackError, PackErrors
from dlp.model import ACTIONS, FINDING_TYPES, SECRECY_LEVELS
from dlp.normalize import compact
from dlp.ocr.settings import parse_ocr_settings
from dlp.policy_examples import DecisionExample, parse_decision_examples
from dlp.scan_limits import ScanLimits
from dlp.yaml_lines import with_lines

TOP_KEYS: dict[str, bool] = {  # key -> required
    "version": True,
    "description": False,
    "internal_domains": True,
    "personal_mail_domains": True,
    "destinations": True,
    "other_channel": True,
    "verdicts": True,
    "labels": True,
    "type_groups": True,
    "bulk": True,
    "large_group": True,
    "rules": True,
    "exceptions": False,
    "sample_values": False,
    "examples": False,
    "attachment_limits": True,
    "conversation_levels": False,
    "ocr": False,  # dlp.ocr.settings (issue 15)
    "scan_limits": False,
    "audit": False,
    "overrides": False,  # dlp/review_policy.py
    "quarantine_release": False,
    "misdirection": False,  # dlp/misdirection/config.py (issue 18)
}
WHEN_KEYS = ("secrecy_levels", "types", "min_distinct", "max_distinct", "bulk", "unless_bulk", "exclusive")
ATTACHMENT_LIMIT_KEYS: dict[str, type | tuple[type, ...]] = {
    "max_total_bytes": int,
    "max_depth": int,
    "max_archive_members": int,
    "max_compression_ratio": (int, float),
    "max_expanded_bytes": int,
    "max_text_chars": int,
    "max_seconds": (int, float),
    "max_segment_chars": int,
    "signature_image_max_bytes": int,
}
#: scan_limits key -> (type, minimum); see dlp/scan_limits.py
SCAN_LIMIT_KEYS: dict[str, tuple[type | tuple[type, ...], float]] = {
    "body_seconds": ((int, float), 0.01),
    "message_seconds": ((int, float), 0.01),
    "regex_timeout_seconds": ((int, float), 0.001),
    "max_findings": (int, 1),
    "max_findings_analyzed": (int, 1),
}
AUDIT_EXCERPT_MODES = ("value", "context")
#: Placeholders each kind of template may use.
ROW_FIELDS = frozenset({"marking", "found", "count", "verdict", "to", "destination", "row"})
VERDICT_FIELDS = frozenset({"to", "destination"})
TO_FIELDS = frozenset({"target"})
LARGE_GROUP_FIELDS = frozenset({"conversation", "members", "limit", "before", "after"})
CONVERSATION_LEVEL_FIELDS = frozenset({"conversation", "allowed", "marking", "verdict"})
TYPE_LABEL_FIELDS = frozenset({"n"})

_TYPE_NAMES = {"str": "文字", "int": "整數", "float": "數字", "bool": "true/false", "list": "清單",
               "dict": "對照表（key: value）", "NoneType": "空值"}


def _tname(value: Any) -> str:
    return _TYPE_NAMES.get(type(value).__name__, type(value).__name__)


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses duplicate keys (the second would silently win otherwise)."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"重複的欄位「{key}」", key_node.start_mark)
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)

_CSafeLoader = getattr(yaml, "CSafeLoader", None)
if _CSafeLoader is not None:
    class _CUniqueKeyLoader(_CSafeLoader):  # type: ignore[misc,valid-type]
        """The same loader over libyaml's parser (~5x faster on the bundled policy)."""

    _CUniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
else:  # PyYAML built without libyaml
    _CUniqueKeyLoader = None


def load_unique_keys(text: str) -> Any:
    """``yaml.safe_load`` that refuses duplicate keys, through libyaml when PyYAML has it.
    Whatever libyaml refuses is read again by the pure-Python loader, so what is accepted and the
    error shown (its line and problem) are the pure-Python loader's, as before."""
    if _CUniqueKeyLoader is not None:
        try:
            return yaml.load(text, Loader=_CUniqueKeyLoader)
        except yaml.YAMLError:
            pass
    return yaml.load(text, Loader=_UniqueKeyLoader)


@dataclass(frozen=True)
class Row:
    """One row of the policy table."""

    id: str
    name: str
    secrecy_levels: tuple[str, ...] | None
    types: tuple[str, ...] | None
    min_distinct: int
    max_distinct: int | None
    bulk: bool
    unless_bulk: bool
    exclusive: bool
    actions: Mapping[str, str]
    reason: str


@dataclass(frozen=True)
class PolicyException:
    """An exemption from some rows, for messages that match *all* the given conditions."""

    id: str
    description: str
    rules: tuple[str, ...]
    senders: tuple[str, ...]
    recipient_domains: tuple[str, ...]
    conversations: tuple[str, ...]


@dataclass(frozen=True)
class ConversationLevels:
    """The "allowed level" check: a conversation's highest allowed secrecy level (from
    conversations.yaml) against the message's marking."""

    #: marking above the allowed level -> this action, with ``reason``
    above: str = "block"
    reason: str = "本訊息標示「{marking}」，對話「{conversation}」可傳送的最高等級為「{allowed}」，{verdict}"
    #: rows whose action becomes ``within`` when a registered group allows the marking's level
    rules: tuple[str, ...] = ()
    within: str = "warn"
    within_reason: str = "本訊息標示「{marking}」，對話「{conversation}」登記可傳送至「{allowed}」，{verdict}"


@dataclass(frozen=True)
class PolicyConfig:
    file: str
    version: int
    description: str
    destination_rules: DestinationRules
    #: column -> (label, "to" phrase template with {target})
    columns: Mapping[str, tuple[str, str]]
    other_to: str
    verdicts: Mapping[str, str]
    action_labels: Mapping[str, str]
    level_labels: Mapping[str, str]
    type_labels: Mapping[str, str]
    type_groups: Mapping[str, tuple[str, ...]]
    bulk: Mapping[str, int]
    large_group_members: int
    large_group_raise_steps: int
    large_group_reason: str
    rows: tuple[Row, ...]
    exceptions: tuple[PolicyException, ...]
    sample_values: Mapping[str, frozenset[str]]
    #: Decision examples (a message, a destination, the action expected): see dlp.policy_examples.
    examples: tuple[DecisionExample, ...]
    attachment_limits: Mapping[str, int | float]
    conversation_levels: ConversationLevels = ConversationLevels()
    #: ``dlp.ocr.settings.OcrSettings`` (the defaults when the file has no ``ocr:`` section)
    ocr: Any = None
    scan_limits: ScanLimits = ScanLimits()
    #: what the audit log keeps of a finding: "value" (masked value only) or "context"
    audit_excerpts: str = "value"
    #: SHA-256 of the policy file's bytes (first 16 hex digits): which policy decided
    sha256: str = ""
    review: Any = None  # dlp.review_policy.ReviewPolicy: overrides, releases of held mail
    misdirection: Any = None  # dlp.misdirection.config.MisdirectionConfig (issue 18); None: no section


class _Checker:
    """Collects errors while reading one file."""

    def __init__(self, file: str):
        self.file = file
        self.errors: list[PackError] = []

    def err(self, key: str | None, reason: str) -> None:
        self.errors.append(PackError(self.file, key, reason))

    def mapping(self, value: Any, key: str, allowed: Mapping[str, bool] | tuple[str, ...] | None = None) -> dict:
        if not isinstance(value, dict):
            self.err(key, f"應為對照表（key: value），實際為{_tname(value)}")
            return {}
        for k in value:
            if not isinstance(k, str):
                self.err(key, f"欄位名稱「{k}」應為文字")
        if allowed is not None:
            names = list(allowed)
            for k in value:
                if isinstance(k, str) and k not in names:
                    self.err(f"{key}.{k}" if key else k, f"未知的欄位「{k}」；可用的欄位：{'、'.join(names)}")
            if isinstance(allowed, Mapping):
                for k, required in allowed.items():
                    if required and k not in value:
                        self.err(f"{key}.{k}" if key else k, f"缺少必填欄位「{k}」")
        return value

    def text(self, value: Any, key: str, allow_empty: bool = False) -> str:
        if not isinstance(value, str):
            self.err(key, f"應為文字，實際為{_tname(value)}")
            return ""
        if not allow_empty and not value.strip():
            self.err(key, "不可為空白")
        return value

    def integer(self, value: Any, key: str, minimum: int = 0) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            self.err(key, f"應為整數，實際為{_tname(value)}「{value}」")
            return minimum
        if value < minimum:
            self.err(key, f"應為 {minimum} 以上的整數，實際為 {value}")
            return minimum
        return value

    def boolean(self, value: Any, key: str) -> bool:
        if not isinstance(value, bool):
            self.err(key, f"應為 true 或 false，實際為{_tname(value)}「{value}」")
            return False
        return value

    def text_list(self, value: Any, key: str, allow_empty: bool = True) -> list[str]:
        if not isinstance(value, list):
            self.err(key, f"應為清單，實際為{_tname(value)}")
            return []
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.err(f"{key}[{i}]", f"應為非空白的文字，實際為{_tname(item)}「{item}」")
            else:
                out.append(item.strip())
        if not out and not allow_empty:
            self.err(key, "清單不可為空")
        return out

    def template(self, value: Any, key: str, fields: frozenset[str], allow_empty: bool = False) -> str:
        text = self.text(value, key, allow_empty=allow_empty)
        try:
            used = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        except ValueError as exc:
            self.err(key, f"文字範本的大括號不成對（{exc}）；要顯示大括號請寫 {{{{ 或 }}}}")
            return ""
        unknown = sorted(n for n in used if n not in fields)
        if unknown:
            self.err(key, f"文字範本用了未知的欄位 {'、'.join('{' + n + '}' for n in unknown)}；"
                          f"可用：{'、'.join('{' + n + '}' for n in sorted(fields))}")
            return ""
        return text

    def choice(self, value: Any, key: str, options: tuple[str, ...], what: str) -> str | None:
        if not isinstance(value, str) or value not in options:
            self.err(key, f"未知的{what}「{value}」；可用：{'、'.join(options)}")
            return None
        return value


def _domains(c: _Checker, value: Any, key: str) -> tuple[str, ...]:
    out = []
    for i, d in enumerate(c.text_list(value, key, allow_empty=False)):
        try:
            out.append(canonical_domain(d))
        except AddressError as exc:
            c.err(f"{key}[{i}]", f"網域「{d}」無法使用：{exc}")
    return tuple(dict.fromkeys(out))


def _destinations(c: _Checker, raw: Any) -> dict[str, tuple[str, str]]:
    m = c.mapping(raw, "destinations", {col: True for col in COLUMNS})
    out = {}
    for col in COLUMNS:
        if col not in m:
            continue
        key = f"destinations.{col}"
        entry = c.mapping(m[col], key, {"label": True, "to": True})
        label = c.text(entry.get("label", "-"), f"{key}.label")
        to = c.template(entry.get("to", "-"), f"{key}.to", TO_FIELDS)
        out[col] = (label, to)
    return out


def _other_channel(c: _Checker, raw: Any) -> tuple[str, str, tuple[OtherMapping, ...]]:
    m = c.mapping(raw, "other_channel", {"default_column": True, "to": True, "map": False})
    default = c.choice(m.get("default_column"), "other_channel.default_column", COLUMNS, "目的地欄") \
        if "default_column" in m else None
    to = c.template(m.get("to", "-"), "other_channel.to", TO_FIELDS)
    mappings = []
    raw_map = m.get("map", [])
    if not isinstance(raw_map, list):
        c.err("other_channel.map", f"應為清單，實際為{_tname(raw_map)}")
        raw_map = []
    for i, item in enumerate(raw_map):
        key = f"other_channel.map[{i}]"
        e = c.mapping(item, key, {"prefix": True, "column": True})
        prefix = c.text(e.get("prefix", ""), f"{key}.prefix") if "prefix" in e else ""
        col = c.choice(e.get("column"), f"{key}.column", COLUMNS, "目的地欄") if "column" in e else None
        if prefix and col:
            mappings.append(OtherMapping(prefix, col))
    return default or "personal_webmail", to, tuple(mappings)


def _labels(c: _Checker, raw: Any) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    m = c.mapping(raw, "labels", {"actions": True, "secrecy_levels": True, "types": True})
    actions = c.mapping(m.get("actions", {}), "labels.actions", {a: True for a in ACTIONS})
    levels = c.mapping(m.get("secrecy_levels", {}), "labels.secrecy_levels", {lv: True for lv in SECRECY_LEVELS})
    types = c.mapping(m.get("types", {}), "labels.types", {t: True for t in FINDING_TYPES})
    return (
        {a: c.text(actions[a], f"labels.actions.{a}") for a in ACTIONS if a in actions},
        {lv: c.text(levels[lv], f"labels.secrecy_levels.{lv}") for lv in SECRECY_LEVELS if lv in levels},
        {t: c.template(types[t], f"labels.types.{t}", TYPE_LABEL_FIELDS) for t in FINDING_TYPES if t in types},
    )


def _type_groups(c: _Checker, raw: Any) -> dict[str, tuple[str, ...]]:
    m = c.mapping(raw, "type_groups")
    out = {}
    for name, value in m.items():
        key = f"type_groups.{name}"
        if name in FINDING_TYPES:
            c.err(key, f"群組名稱「{name}」與偵測類型同名，請換一個名稱")
        types = []
        for i, t in enumerate(c.text_list(value, key, allow_empty=False)):
            if c.choice(t, f"{key}[{i}]", tuple(FINDING_TYPES), "偵測類型"):
                types.append(t)
        out[str(name)] = tuple(dict.fromkeys(types))
    return out


def _row(c: _Checker, raw: Any, index: int, groups: Mapping[str, tuple[str, ...]], seen: set[str]) -> Row | None:
    rid = raw.get("id") if isinstance(raw, dict) else None
    key = f"rules.{rid}" if isinstance(rid, str) and rid else f"rules[{index}]"
    m = c.mapping(raw, key, {"id": True, "name": True, "when": True, "actions": True, "reason": True})
    if not m:
        return None
    n_errors = len(c.errors)
    rid = c.text(m.get("id", ""), f"{key}.id") if "id" in m else ""
    if rid in seen:
        c.err(key, f"規則代號「{rid}」重複")
    seen.add(rid)
    name = c.text(m.get("name", ""), f"{key}.name") if "name" in m else ""
    when = c.mapping(m.get("when", {}), f"{key}.when", WHEN_KEYS)
    levels = None
    if "secrecy_levels" in when:
        levels = tuple(
            lv for i, lv in enumerate(c.text_list(when["secrecy_levels"], f"{key}.when.secrecy_levels", False))
            if c.choice(lv, f"{key}.when.secrecy_levels[{i}]", SECRECY_LEVELS, "機密等級")
        )
    types = None
    if "types" in when:
        raw_types = when["types"]
        names = [raw_types] if isinstance(raw_types, str) else c.text_list(raw_types, f"{key}.when.types", False)
        expanded: list[str] = []
        for name_ in names:
            if name_ in groups:
                expanded.extend(groups[name_])
            elif name_ in FINDING_TYPES:
                expanded.append(name_)
            else:
                c.err(f"{key}.when.types", f"「{name_}」既不是偵測類型也不是 type_groups 裡的群組")
        types = tuple(dict.fromkeys(expanded))
    min_d = c.integer(when.get("min_distinct", 1), f"{key}.when.min_distinct", 1)
    max_d = c.integer(when["max_distinct"], f"{key}.when.max_distinct", 1) if "max_distinct" in when else None
    if max_d is not None and max_d < min_d:
        c.err(f"{key}.when.max_distinct", f"max_distinct（{max_d}）小於 min_distinct（{min_d}）")
    bulk = c.boolean(when.get("bulk", False), f"{key}.when.bulk")
    unless_bulk = c.boolean(when.get("unless_bulk", False), f"{key}.when.unless_bulk")
    exclusive = c.boolean(when.get("exclusive", False), f"{key}.when.exclusive")
    if isinstance(m.get("when"), dict) and levels is None and types is None and not bulk:
        c.err(f"{key}.when", "至少要有 secrecy_levels、types 或 bulk 其中一項")
    if bulk and unless_bulk:
        c.err(f"{key}.when", "bulk 與 unless_bulk 同時為 true，這條規則永遠不會觸發")
    if ("min_distinct" in when or "max_distinct" in when or exclusive) and types is None:
        c.err(f"{key}.when", "min_distinct、max_distinct、exclusive 需要搭配 types")
    acts = c.mapping(m.get("actions", {}), f"{key}.actions", {col: True for col in COLUMNS})
    actions = {}
    for col in COLUMNS:
        if col in acts:
            a = c.choice(acts[col], f"{key}.actions.{col}", ACTIONS, "處置")
            if a:
                actions[col] = a
    reason = c.template(m.get("reason", "-"), f"{key}.reason", ROW_FIELDS)
    if len(c.errors) != n_errors:
        return None
    return Row(rid, name, levels, types, min_d, max_d, bulk, unless_bulk, exclusive,
               MappingProxyType(actions), reason)


def _exceptions(c: _Checker, raw: Any, row_ids: set[str]) -> tuple[PolicyException, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        c.err("exceptions", f"應為清單，實際為{_tname(raw)}")
        return ()
    out = []
    seen: set[str] = set()
    allowed = {"id": True, "description": True, "rules": True, "senders": False,
               "recipient_domains": False, "conversations": False}
    for i, item in enumerate(raw):
        eid = item.get("id") if isinstance(item, dict) else None
        key = f"exceptions.{eid}" if isinstance(eid, str) and eid else f"exceptions[{i}]"
        m = c.mapping(item, key, allowed)
        if not m:
            continue
        eid = c.text(m.get("id", ""), f"{key}.id") if "id" in m else ""
        if eid in seen:
            c.err(key, f"例外代號「{eid}」重複")
        seen.add(eid)
        desc = c.text(m.get("description", ""), f"{key}.description") if "description" in m else ""
        rules = c.text_list(m.get("rules", []), f"{key}.rules", allow_empty=False) if "rules" in m else []
        for r in rules:
            if r not in row_ids:
                c.err(f"{key}.rules", f"沒有代號為「{r}」的規則")
        senders = []
        for j, s in enumerate(c.text_list(m.get("senders", []), f"{key}.senders")):
            try:
                p = parse_address(s)
                senders.append(f"{p.local.lower()}@{p.domain}")
            except AddressError as exc:
                c.err(f"{key}.senders[{j}]", f"寄件者「{s}」無法解析：{exc}")
        domains = _domains(c, m["recipient_domains"], f"{key}.recipient_domains") \
            if "recipient_domains" in m else ()
        convs = c.text_list(m.get("conversations", []), f"{key}.conversations")
        if not (senders or domains or convs):
            c.err(key, "至少要指定一項非空的 senders、recipient_domains 或 conversations，"
                       "否則這個例外會套用到所有訊息")
        out.append(PolicyException(eid, desc, tuple(rules), tuple(senders), domains, tuple(convs)))
    return tuple(out)


def _sample_values(c: _Checker, raw: Any) -> dict[str, frozenset[str]]:
    if raw is None:
        return {}
    m = c.mapping(raw, "sample_values", tuple(FINDING_TYPES))
    return {t: frozenset(compact(v) for v in c.text_list(vals, f"sample_values.{t}"))
            for t, vals in m.items() if t in FINDING_TYPES}


def _attachment_limits(c: _Checker, raw: Any) -> dict[str, int | float]:
    m = c.mapping(raw, "attachment_limits", {k: False for k in ATTACHMENT_LIMIT_KEYS})
    out: dict[str, int | float] = {}
    for k, typ in ATTACHMENT_LIMIT_KEYS.items():
        if k not in m:
            continue
        v = m[k]
        if isinstance(v, bool) or not isinstance(v, typ) or not v > 0:  # `not >` refuses NaN too
            kind = "整數" if typ is int else "數字"
            c.err(f"attachment_limits.{k}", f"應為大於 0 的{kind}，實際為{_tname(v)}「{v}」")
        else:
            out[k] = v
    return out


def _conversation_levels(c: _Checker, raw: Any, row_ids: set[str]) -> ConversationLevels:
    if raw is None:
        return ConversationLevels()
    key = "conversation_levels"
    m = c.mapping(raw, key, {"above": True, "reason": True, "rules": False, "within": False, "within_reason": False})
    default = ConversationLevels()
    above = c.choice(m.get("above"), f"{key}.above", ACTIONS, "處置") if "above" in m else None
    reason = c.template(m.get("reason", "-"), f"{key}.reason", CONVERSATION_LEVEL_FIELDS)
    rules = c.text_list(m.get("rules", []), f"{key}.rules")
    for r in rules:
        if r not in row_ids:
            c.err(f"{key}.rules", f"沒有代號為「{r}」的規則")
    within = c.choice(m["within"], f"{key}.within", ACTIONS, "處置") if "within" in m else default.within
    within_reason = c.template(m["within_reason"], f"{key}.within_reason", CONVERSATION_LEVEL_FIELDS) \
        if "within_reason" in m else default.within_reason
    return ConversationLevels(above or default.above, reason, tuple(rules), within or default.within, within_reason)


def _scan_limits(c: _Checker, raw: Any) -> ScanLimits:
    if raw is None:
        return ScanLimits()
    m = c.mapping(raw, "scan_limits", {k: False for k in SCAN_LIMIT_KEYS})
    values: dict[str, int | float] = {}
    for k, (typ, minimum) in SCAN_LIMIT_KEYS.items():
        if k not in m:
            continue
        v = m[k]
        if isinstance(v, bool) or not isinstance(v, typ) or not v >= minimum:  # `not >=` refuses NaN too
            kind = "整數" if typ is int else "數字"
            c.err(f"scan_limits.{k}", f"應為至少 {minimum} 的{kind}，實際為{_tname(v)}「{v}」")
        else:
            values[k] = v
    limits = ScanLimits.from_mapping(values)
    if limits.body_seconds > limits.message_seconds:
        c.err("scan_limits.body_seconds", f"內文的分析時間（{limits.body_seconds} 秒）不可超過整封訊息的（{limits.message_seconds} 秒）")
    if limits.max_findings > limits.max_findings_analyzed:
        c.err("scan_limits.max_findings", "列出的發現數不可超過 max_findings_analyzed")
    return limits


def _audit(c: _Checker, raw: Any) -> str:
    if raw is None:
        return "value"
    m = c.mapping(raw, "audit", {"excerpts": False})
    mode = m.get("excerpts", "value")
    if mode not in AUDIT_EXCERPT_MODES:
        c.err("audit.excerpts", f"只能是 value（只存遮蔽後的值）或 context（連同前後文），實際為「{mode}」")
        return "value"
    return str(mode)


def parse_policy(data: Any, file: str) -> PolicyConfig:
    """Validate a loaded YAML document; raise :class:`PackErrors` listing every problem."""
    c = _Checker(file)
    top = c.mapping(data, "", TOP_KEYS)
    if not top:
        raise PackErrors(c.errors or [PackError(file, None, "檔案是空的或不是對照表")])
    version = c.integer(top.get("version", 1), "version", 1)
    description = c.text(top.get("description", ""), "description", allow_empty=True)
    internal = _domains(c, top.get("internal_domains", []), "internal_domains")
    personal = _domains(c, top.get("personal_mail_domains", []), "personal_mail_domains")
    for d in personal:
        parent = domain_under(d, internal)
        if parent:
            c.err("personal_mail_domains", f"「{d}」位於機關內部網域 {parent} 之下，兩份清單不可重疊")
    for d in internal:
        parent = domain_under(d, personal)
        if parent:
            c.err("internal_domains", f"「{d}」位於個人電子信箱網域 {parent} 之下，兩份清單不可重疊")
    columns = _destinations(c, top.get("destinations", {}))
    other_default, other_to, other_map = _other_channel(c, top.get("other_channel", {}))
    verdict_map = c.mapping(top.get("verdicts", {}), "verdicts", {a: True for a in ACTIONS})
    verdicts = {a: c.template(verdict_map[a], f"verdicts.{a}", VERDICT_FIELDS, allow_empty=(a == "allow"))
                for a in ACTIONS if a in verdict_map}
    action_labels, level_labels, type_labels = _labels(c, top.get("labels", {}))
    groups = _type_groups(c, top.get("type_groups", {}))
    bulk_raw = c.mapping(top.get("bulk", {}), "bulk")
    bulk = {}
    for g, v in bulk_raw.items():
        if g not in groups:
            c.err(f"bulk.{g}", f"「{g}」不是 type_groups 裡的群組")
        bulk[g] = c.integer(v, f"bulk.{g}", 1)
    if not bulk_raw and "bulk" in top:
        c.err("bulk", "至少要設定一個群組的門檻")
    lg = c.mapping(top.get("large_group", {}), "large_group", {"members": True, "raise_steps": True, "reason": True})
    lg_members = c.integer(lg.get("members", 50), "large_group.members", 1)
    lg_steps = c.integer(lg.get("raise_steps", 1), "large_group.raise_steps", 0)
    lg_reason = c.template(lg.get("reason", "-"), "large_group.reason", LARGE_GROUP_FIELDS)

    rows: list[Row] = []
    raw_rows = top.get("rules", [])
    if not isinstance(raw_rows, list) or not raw_rows:
        c.err("rules", f"應為非空的清單，實際為{_tname(raw_rows)}")
        raw_rows = []
    seen: set[str] = set()
    for i, r in enumerate(raw_rows):
        row = _row(c, r, i, groups, seen)
        if row:
            rows.append(row)
    exceptions = _exceptions(c, top.get("exceptions"), {r.id for r in rows} | seen)
    samples = _sample_values(c, top.get("sample_values"))
    examples = parse_decision_examples(c, top.get("examples"))
    limits = _attachment_limits(c, top.get("attachment_limits", {}))
    levels = _conversation_levels(c, top.get("conversation_levels"), {r.id for r in rows} | seen)
    ocr, ocr_errors = parse_ocr_settings(top.get("ocr"), file)
    c.errors.extend(ocr_errors)
    scan_limits = _scan_limits(c, top.get("scan_limits"))
    audit_excerpts = _audit(c, top.get("audit"))
    from dlp.review_policy import parse_review_policy

    review, review_errors = parse_review_policy(top.get("overrides"), top.get("quarantine_release"), columns, file)
    c.errors.extend(review_errors)
    from dlp.misdirection.config import parse_misdirection  # issue 18

    misdirection = parse_misdirection(top.get("misdirection"), groups, c)
    if c.errors:
        raise PackErrors(c.errors)
    return PolicyConfig(
        file=file,
        version=version,
        description=description,
        destination_rules=DestinationRules(internal, personal, other_default, other_map),
        columns=MappingProxyType(columns),
        other_to=other_to,
        verdicts=MappingProxyType(verdicts),
        action_labels=MappingProxyType(action_labels),
        level_labels=MappingProxyType(level_labels),
        type_labels=MappingProxyType(type_labels),
        type_groups=MappingProxyType(groups),
        bulk=MappingProxyType(bulk),
        large_group_members=lg_members,
        large_group_raise_steps=lg_steps,
        large_group_reason=lg_reason,
        rows=tuple(rows),
        exceptions=exceptions,
        sample_values=MappingProxyType(samples),
        examples=examples,
        attachment_limits=MappingProxyType(limits),
        conversation_levels=levels,
        ocr=ocr,
        scan_limits=scan_limits,
        audit_excerpts=audit_excerpts,
        review=review,
        misdirection=misdirection,
    )


def read_policy_file(path: str | Path) -> PolicyConfig:
    """Read, parse and validate one policy file."""
    p = Path(path)
    file = str(path)
    try:
        raw = p.read_bytes()
        text = raw.decode("utf-8")
    except FileNotFoundError:
        raise PackError(file, None, "找不到政策檔") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError(file, None, f"無法讀取政策檔（{exc}）") from None
    try:
        data = load_unique_keys(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f"第 {mark.line + 1} 行第 {mark.column + 1} 欄" if mark else "某處"
        problem = getattr(exc, "problem", None) or str(exc)
        raise PackError(file, None, f"YAML 格式錯誤（{where}）：{problem}",
                        mark.line + 1 if mark else None) from None
    try:
        return replace(parse_policy(data, file), sha256=hashlib.sha256(raw).hexdigest()[:16])
    except PackErrors as exc:  # say on which line each problem is
        raise PackErrors(with_lines(exc.errors, text)) from None
