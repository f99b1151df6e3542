"""The ``misdirection:`` section of ``patterns/policy.yaml``: thresholds, texts and signal rows.

Kept apart from the main table on purpose: its rows have a ``signal`` instead of ``when``, and
a ``mode`` (``enforce`` | ``shadow``: evaluated and reported, never acted on). Every problem is
collected as a ``PackError`` naming the key (``misdirection.rules.x.signal``), like the rest of
the policy file. See docs/misdirection.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from dlp.destinations import COLUMNS, AddressError, canonical_domain
from dlp.model import ACTIONS, FINDING_TYPES, SECRECY_LEVELS

SIGNALS: tuple[str, ...] = ("first_time", "sensitivity_jump", "lookalike_domain", "webmail_namesake", "mixed_audience")
CONTENT_CONDITIONS: tuple[str, ...] = ("sensitive", "not_sensitive", "any")
MODES: tuple[str, ...] = ("enforce", "shadow")
COMPARE_WITH: tuple[str, ...] = ("sender", "anyone")

#: evidence code -> the placeholders its text may use
EVIDENCE_FIELDS: dict[str, frozenset[str]] = {
    "first_time": frozenset(),
    "stale": frozenset({"days", "last_used"}),
    "last_used": frozenset({"last_used", "messages"}),
    "sender_never": frozenset({"messages", "content"}),
    "nobody_sent": frozenset({"place", "content"}),
    "homoglyph": frozenset({"domain"}),
    "edit_distance": frozenset({"domain", "distance"}),
    "embedded": frozenset({"domain"}),
    "namesake_sender": frozenset(),
    "namesake_colleague": frozenset(),
    "one_outsider": frozenset({"internal", "outsiders"}),
    "external_joined": frozenset({"days", "external"}),
}
CONTENT_LABELS: tuple[str, ...] = ("marking", "identifiers", "special_categories", "joiner")
PLACE_LABELS: tuple[str, ...] = ("group", "domain", "recipient")
DESTINATION_FIELDS: dict[str, frozenset[str]] = {
    "address": frozenset({"address"}),
    "group": frozenset({"name", "members"}),
    "other": frozenset({"target"}),
}
ROW_FIELDS = frozenset({"destination", "domain", "evidence", "content", "verdict", "row"})
_SECTION_KEYS: dict[str, bool] = {
    "min_sender_messages": True, "stale_days": True, "established_recipient_senders": True, "retention_days": True, "learn_from": True,
    "sensitive": True, "sensitivity_jump": True, "lookalike": True, "mixed_audience": True,
    "texts": True, "rules": True,
}


@dataclass(frozen=True)
class SignalRow:
    id: str
    name: str
    signal: str
    content: str
    mode: str
    actions: Mapping[str, str]
    reason: str

    @property
    def shadow(self) -> bool:
        return self.mode == "shadow"


@dataclass(frozen=True)
class Texts:
    evidence: Mapping[str, str]
    content: Mapping[str, str]
    places: Mapping[str, str]
    destinations: Mapping[str, str]
    cold_start: str
    no_history: str


@dataclass(frozen=True)
class MisdirectionConfig:
    """The validated section. Nothing here decides; :mod:`dlp.misdirection.signals` does."""

    min_sender_messages: int
    stale_days: int
    established_recipient_senders: int
    retention_days: int
    learn_from: frozenset[str]
    sensitive_levels: frozenset[str]
    identifier_types: frozenset[str]
    special_types: frozenset[str]
    jump_compare_with: str
    jump_min_destination_messages: int
    protected_domains: tuple[str, ...]
    frequent_domain_messages: int
    known_domain_messages: int
    max_edit_distance: int
    long_domain_chars: int
    min_internal: int
    max_outsiders: int
    external_joined_days: int
    texts: Texts
    rows: tuple[SignalRow, ...]

    @property
    def signals_in_use(self) -> frozenset[str]:
        return frozenset(r.signal for r in self.rows)


def parse_misdirection(raw: Any, groups: Mapping[str, tuple[str, ...]], checker: Any) -> MisdirectionConfig | None:
    """Read the section with the policy file's ``_Checker`` (errors are collected there)."""
    if raw is None:
        return None
    c = checker
    m = c.mapping(raw, "misdirection", _SECTION_KEYS)
    if not m:
        return None

    def positive(name: str, default: int, minimum: int = 1, section: dict | None = None, prefix: str = "misdirection") -> int:
        src = m if section is None else section
        return c.integer(src.get(name, default), f"{prefix}.{name}", minimum)

    learn = []
    for i, a in enumerate(c.text_list(m.get("learn_from", []), "misdirection.learn_from", allow_empty=False)):
        if c.choice(a, f"misdirection.learn_from[{i}]", ACTIONS, "處置"):
            learn.append(a)
    if {"block", "quarantine"} & set(learn):
        c.err("misdirection.learn_from", "block、quarantine 的訊息沒有送出，不能算成寄件者用過的收件對象")

    sens = c.mapping(m.get("sensitive", {}), "misdirection.sensitive",
                     {"secrecy_levels": True, "identifiers": True, "special_categories": True})
    levels = frozenset(
        lv for i, lv in enumerate(c.text_list(sens.get("secrecy_levels", []), "misdirection.sensitive.secrecy_levels"))
        if c.choice(lv, f"misdirection.sensitive.secrecy_levels[{i}]", SECRECY_LEVELS[1:], "機密等級")
    )
    identifiers = _types(c, sens.get("identifiers", []), "misdirection.sensitive.identifiers", groups)
    special = _types(c, sens.get("special_categories", []), "misdirection.sensitive.special_categories", groups)

    jump = c.mapping(m.get("sensitivity_jump", {}), "misdirection.sensitivity_jump",
                     {"compare_with": True, "min_destination_messages": True})
    compare = c.choice(jump.get("compare_with", "sender"), "misdirection.sensitivity_jump.compare_with", COMPARE_WITH, "比較對象") \
        or "sender"
    jump_min = positive("min_destination_messages", 3, 1, jump, "misdirection.sensitivity_jump")

    look = c.mapping(m.get("lookalike", {}), "misdirection.lookalike",
                     {"protected_domains": True, "frequent_domain_messages": True, "known_domain_messages": True,
                      "max_edit_distance": True, "long_domain_chars": True})
    protected = []
    for i, d in enumerate(c.text_list(look.get("protected_domains", []), "misdirection.lookalike.protected_domains")):
        try:
            protected.append(canonical_domain(d))
        except AddressError as exc:
            c.err(f"misdirection.lookalike.protected_domains[{i}]", f"網域「{d}」無法使用：{exc}")
    lp = "misdirection.lookalike"
    max_edit = c.integer(look.get("max_edit_distance", 1), f"{lp}.max_edit_distance", 0)
    if max_edit > 3:
        c.err(f"{lp}.max_edit_distance", f"最多 3（實際為 {max_edit}）：差太多字元的網域不算形似，只會誤報")

    mixed = c.mapping(m.get("mixed_audience", {}), "misdirection.mixed_audience",
                      {"min_internal": True, "max_outsiders": True, "external_joined_days": True})
    mp = "misdirection.mixed_audience"

    texts = _texts(c, m.get("texts", {}))
    rows = _rows(c, m.get("rules", []))
    return MisdirectionConfig(
        min_sender_messages=positive("min_sender_messages", 20, 0),
        stale_days=positive("stale_days", 180),
        established_recipient_senders=positive("established_recipient_senders", 3, 0),
        retention_days=positive("retention_days", 400),
        learn_from=frozenset(learn),
        sensitive_levels=levels,
        identifier_types=identifiers,
        special_types=special,
        jump_compare_with=compare,
        jump_min_destination_messages=jump_min,
        protected_domains=tuple(dict.fromkeys(protected)),
        frequent_domain_messages=positive("frequent_domain_messages", 3, 1, look, lp),
        known_domain_messages=positive("known_domain_messages", 20, 1, look, lp),
        max_edit_distance=max_edit,
        long_domain_chars=positive("long_domain_chars", 12, 1, look, lp),
        min_internal=positive("min_internal", 2, 1, mixed, mp),
        max_outsiders=positive("max_outsiders", 1, 1, mixed, mp),
        external_joined_days=positive("external_joined_days", 14, 1, mixed, mp),
        texts=texts,
        rows=rows,
    )


def _types(c: Any, raw: Any, key: str, groups: Mapping[str, tuple[str, ...]]) -> frozenset[str]:
    names = [raw] if isinstance(raw, str) else c.text_list(raw, key, allow_empty=False)
    out: list[str] = []
    for name in names:
        if name in groups:
            out.extend(groups[name])
        elif name in FINDING_TYPES:
            out.append(name)
        else:
            c.err(key, f"「{name}」既不是偵測類型也不是 type_groups 裡的群組")
    return frozenset(out)


def _texts(c: Any, raw: Any) -> Texts:
    key = "misdirection.texts"
    m = c.mapping(raw, key, {"evidence": True, "content": True, "places": True, "destinations": True,
                             "cold_start": True, "no_history": True})
    ev = c.mapping(m.get("evidence", {}), f"{key}.evidence", {code: True for code in EVIDENCE_FIELDS})
    evidence = {code: c.template(ev[code], f"{key}.evidence.{code}", fields) for code, fields in EVIDENCE_FIELDS.items() if code in ev}
    ct = c.mapping(m.get("content", {}), f"{key}.content", {name: True for name in CONTENT_LABELS})
    content = {name: c.template(ct[name], f"{key}.content.{name}", frozenset({"level"}) if name == "marking" else frozenset(),
                                allow_empty=(name == "joiner"))
               for name in CONTENT_LABELS if name in ct}
    pl = c.mapping(m.get("places", {}), f"{key}.places", {name: True for name in PLACE_LABELS})
    places = {name: c.text(pl[name], f"{key}.places.{name}") for name in PLACE_LABELS if name in pl}
    ds = c.mapping(m.get("destinations", {}), f"{key}.destinations", {name: True for name in DESTINATION_FIELDS})
    destinations = {name: c.template(ds[name], f"{key}.destinations.{name}", fields)
                    for name, fields in DESTINATION_FIELDS.items() if name in ds}
    cold = c.template(m.get("cold_start", "-"), f"{key}.cold_start", frozenset({"messages", "needed"}))
    none = c.text(m.get("no_history", "-"), f"{key}.no_history")
    return Texts(MappingProxyType(evidence), MappingProxyType(content), MappingProxyType(places),
                 MappingProxyType(destinations), cold, none)


def _rows(c: Any, raw: Any) -> tuple[SignalRow, ...]:
    if not isinstance(raw, list):
        c.err("misdirection.rules", "應為清單")
        return ()
    out: list[SignalRow] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        rid = item.get("id") if isinstance(item, dict) else None
        key = f"misdirection.rules.{rid}" if isinstance(rid, str) and rid else f"misdirection.rules[{i}]"
        m = c.mapping(item, key, {"id": True, "name": True, "signal": True, "content": False, "mode": False,
                                  "action": False, "actions": False, "reason": True})
        if not m:
            continue
        before = len(c.errors)
        rid = c.text(m.get("id", ""), f"{key}.id") if "id" in m else ""
        if rid in seen:
            c.err(key, f"規則代號「{rid}」重複")
        seen.add(rid)
        name = c.text(m.get("name", ""), f"{key}.name") if "name" in m else ""
        signal = c.choice(m.get("signal"), f"{key}.signal", SIGNALS, "訊號") if "signal" in m else None
        content = c.choice(m.get("content", "sensitive"), f"{key}.content", CONTENT_CONDITIONS, "內容條件")
        mode = c.choice(m.get("mode", "enforce"), f"{key}.mode", MODES, "模式")
        actions = _actions(c, m, key)
        reason = c.template(m.get("reason", "-"), f"{key}.reason", ROW_FIELDS)
        if len(c.errors) == before and signal and content and mode:
            out.append(SignalRow(rid, name, signal, content, mode, MappingProxyType(actions), reason))
    return tuple(out)


def _actions(c: Any, m: dict, key: str) -> dict[str, str]:
    if ("action" in m) == ("actions" in m):
        c.err(key, "請寫 action（所有目的地欄相同）或 actions（每一欄分別指定）其中一種")
        return {}
    if "action" in m:
        action = c.choice(m["action"], f"{key}.action", ACTIONS, "處置")
        return {col: action for col in COLUMNS} if action else {}
    acts = c.mapping(m["actions"], f"{key}.actions", {col: True for col in COLUMNS})
    out = {}
    for col in COLUMNS:
        if col in acts and (a := c.choice(acts[col], f"{key}.actions.{col}", ACTIONS, "處置")):
            out[col] = a
    return out

