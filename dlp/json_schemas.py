"""JSON Schemas of the pack and policy formats, for the security team's editor.

Built from the same constants the loaders check against (finding types, actions, columns, the
field names each engine knows), so the schema cannot drift from the code; the published copies in
``patterns/schemas/`` are regenerated with ``python -m dlp.json_schemas --write`` (a test says so
when they are stale). An editor with a YAML language server (VS Code's YAML extension, for one)
checks a file as it is typed through the ``# yaml-language-server: $schema=...`` first line.

The schema catches the shape (unknown keys, a misspelt action, a type that does not exist); the
loader still has the last word (regexes compile, examples pass, templates are well formed).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from dlp.destinations import COLUMNS
from dlp.model import ACTIONS, CHANNELS, FINDING_TYPES, SECRECY_LEVELS

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_FILES = {"pack": "pack.schema.json", "policy": "policy.schema.json",
                "conversations": "conversations.schema.json", "suppressions": "suppressions.schema.json"}
#: Which schema a file in patterns/ follows (every other *.yaml is a pack).
FILE_KINDS = {"policy.yaml": "policy", "conversations.yaml": "conversations", "suppressions.yaml": "suppressions"}


def kind_of(filename: str) -> str:
    return FILE_KINDS.get(filename, "pack")
ENGINES = ("pattern", "person", "secrecy")

_STRING = {"type": "string"}
_STRINGS = {"type": "array", "items": {"type": "string"}}
_SCORE = {"type": "number", "minimum": 0, "maximum": 1}


def _enum(values: Any, description: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"enum": list(values)}
    if description:
        out["description"] = description
    return out


def _object(properties: dict[str, Any], required: tuple[str, ...] | list[str] = (), *, closed: bool = True,
            description: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        out["required"] = list(required)
    if closed:
        out["additionalProperties"] = False
    if description:
        out["description"] = description
    return out


def _keyed(keys: Any, value: dict[str, Any], required: bool = False) -> dict[str, Any]:
    keys = list(keys)
    return _object({k: value for k in keys}, keys if required else ())


# --- packs ---------------------------------------------------------------------------------------


def _pattern_fields() -> dict[str, Any]:
    from dlp.recognizers.pattern import _FLAGS, _KNOWN_FIELDS
    from dlp.validators import VALIDATORS

    known: dict[str, Any] = {
        "regex": {"type": "string", "description": "正規表示式（regex 模組語法）；具名群組 value 是回報的範圍"},
        "flags": {"type": "array", "items": _enum(_FLAGS)},
        "validator": _enum(sorted(VALIDATORS), "檢查碼驗證器；檢查不通過的比對結果會被捨棄"),
        "context": {**_STRINGS, "description": "關鍵字：在 window 字以內出現時分數提高為 context_score"},
        "window": {"type": "integer", "minimum": 0, "maximum": 5000},
        "context_side": _enum(("both", "before")),
        "header_context": {"type": "boolean"},
        "score": _SCORE,
        "context_score": _SCORE,
        "requires_context": {"type": "boolean"},
        "negative_context": _STRINGS,
        "negative_window": {"type": "integer", "minimum": 0, "maximum": 5000},
        "negative_side": _enum(("both", "before", "after")),
        "requires_any_of": {"type": "array", "items": _enum(FINDING_TYPES)},
        "requires_window": {"type": "integer", "minimum": 0},
        "max_length": {"type": "integer", "minimum": 1},
        "mask": {"type": "object", "description": "遮蔽方式（見 docs/policy.md）"},
    }
    return {name: known.get(name, {}) for name in sorted(_KNOWN_FIELDS)}


def _secrecy_fields() -> dict[str, Any]:
    from dlp.recognizers.secrecy_rules import _KNOWN_FIELDS, _ZONES

    known: dict[str, Any] = {
        "regex": {"type": "string", "description": "具名群組 level 標出等級用字；<LEVEL>、<RESTRICTED>、<MARK> 由 vocabulary 展開"},
        "discard_regex": _STRING,
        "vocabulary": {"type": "object", "description": "等級用字、異體字與防護詞（見 docs/secrecy.md）"},
        "position": _STRING,
        "roles": _STRINGS,
        "zone": _enum(_ZONES),
        "line_max_chars": {"type": "integer", "minimum": 1},
        "score": _SCORE,
    }
    return {name: known.get(name, {}) for name in sorted(_KNOWN_FIELDS)}


def _engine_is(name: str) -> dict[str, Any]:
    return {"properties": {"engine": {"const": name}}, "required": ["engine"]}


def _rule_schema() -> dict[str, Any]:
    from dlp.patterns import _RULE_ID

    example = {"oneOf": [
        _STRING,
        _object({"text": _STRING, "role": _STRING}, ["text"]),
    ]}
    common = {
        "id": {"type": "string", "pattern": _RULE_ID.pattern, "description": "規則代號，所有規則檔中不可重複"},
        "type": _enum(FINDING_TYPES, "發現類型（見 DESIGN.md）"),
        "kind": _enum(sorted(set(FINDING_TYPES.values()))),
        "engine": _enum(ENGINES, "偵測引擎（預設 pattern）"),
        "mode": _enum(("enforce", "shadow"), "shadow：只回報、不影響處置（試行新規則）"),
        "description": _STRING,
        "status": _STRING,
        "falsepositives": {},
        "references": {},
        "severity": {},
        "author": {},
        "examples": _object(
            {"match": {"type": "array", "items": example, "minItems": 1}, "no_match": {"type": "array", "items": example}},
            ["match"], description="每條規則都要有：match 應該被找到、no_match 不應該被找到",
        ),
    }
    return {
        "type": "object",
        "required": ["id", "type", "examples"],
        "properties": common,
        "allOf": [
            {"if": {"not": {"required": ["engine"]}}, "then": {"properties": _pattern_fields(), "required": ["regex"]}},
            {"if": _engine_is("pattern"), "then": {"properties": _pattern_fields(), "required": ["regex"]}},
            {"if": _engine_is("secrecy"), "then": {"properties": _secrecy_fields(), "required": ["regex"]}},
            {"if": _engine_is("person"), "then": {"patternProperties": {"": {}}}},  # fields: docs/patterns.md
        ],
        "unevaluatedProperties": False,
    }


def pack_schema() -> dict[str, Any]:
    """JSON Schema of a pattern pack (``patterns/*.yaml`` except policy.yaml)."""
    return {
        "$schema": DRAFT,
        "$id": SCHEMA_FILES["pack"],
        "title": "dlp pattern pack",
        "description": "偵測規則檔（patterns/*.yaml，policy.yaml 除外）；欄位說明見 docs/patterns.md",
        **_object({
            "pack": _object({"name": _STRING, "version": {"type": ["integer", "string"]}, "description": _STRING}),
            "definitions": {"type": "object", "additionalProperties": _STRING,
                            "description": "巨集：在任何 *regex 欄位中以 {{名稱}} 使用"},
            "defaults": {"type": "object"},
            "allow_list": {"type": "object", "propertyNames": _enum(FINDING_TYPES), "additionalProperties": _STRINGS},
            "rules": {"type": "array", "minItems": 1, "items": _rule_schema()},
        }, ["rules"]),
    }


# --- policy --------------------------------------------------------------------------------------


def _policy_rule() -> dict[str, Any]:
    return _object({
        "id": _STRING,
        "name": _STRING,
        "when": _object({
            "secrecy_levels": {"type": "array", "items": _enum(SECRECY_LEVELS), "minItems": 1},
            "types": {"oneOf": [_STRING, {"type": "array", "items": _STRING, "minItems": 1}],
                      "description": "偵測類型或 type_groups 裡的群組名稱"},
            "min_distinct": {"type": "integer", "minimum": 1},
            "max_distinct": {"type": "integer", "minimum": 1},
            "bulk": {"type": "boolean"},
            "unless_bulk": {"type": "boolean"},
            "exclusive": {"type": "boolean"},
        }),
        "actions": _keyed(COLUMNS, _enum(ACTIONS), required=True),
        "reason": {"type": "string", "description": "理由範本：{marking} {found} {count} {verdict} {to} {destination} {row}"},
    }, ["id", "name", "when", "actions", "reason"])


def _decision_example() -> dict[str, Any]:
    return _object({
        "description": _STRING,
        "text": _STRING,
        "subject": _STRING,
        "channel": _enum(CHANNELS),
        "from": _STRING,
        "to": {"oneOf": [_STRING, _STRINGS]},
        "conversation": _object({"id": _STRING, "name": _STRING, "members": {"type": "integer", "minimum": 0},
                                 "external_members": {"type": "integer", "minimum": 0},
                                 "registered": {"type": "boolean"}}),
        "expect": _enum(ACTIONS, "預期的處置"),
        "secrecy_level": _enum(SECRECY_LEVELS),
    }, ["text", "expect"])


def _policy_properties() -> dict[str, Any]:
    from dlp.policy_schema import ATTACHMENT_LIMIT_KEYS

    domains = {"type": "array", "items": _STRING, "minItems": 1}
    limits = {k: {"type": "integer" if t is int else "number", "exclusiveMinimum": 0}
              for k, t in ATTACHMENT_LIMIT_KEYS.items()}
    return {
        "version": {"type": "integer", "minimum": 1},
        "description": _STRING,
        "internal_domains": {**domains, "description": "機關內部網域（含子網域）"},
        "personal_mail_domains": {**domains, "description": "個人電子信箱網域（含子網域）"},
        "destinations": _keyed(COLUMNS, _object({"label": _STRING, "to": _STRING}, ["label", "to"]), required=True),
        "other_channel": _object({
            "default_column": _enum(COLUMNS), "to": _STRING,
            "map": {"type": "array", "items": _object({"prefix": _STRING, "column": _enum(COLUMNS)}, ["prefix", "column"])},
        }, ["default_column", "to"]),
        "verdicts": _keyed(ACTIONS, _STRING, required=True),
        "labels": _object({
            "actions": _keyed(ACTIONS, _STRING, required=True),
            "secrecy_levels": _keyed(SECRECY_LEVELS, _STRING, required=True),
            "types": _keyed(FINDING_TYPES, _STRING, required=True),
        }, ["actions", "secrecy_levels", "types"]),
        "type_groups": {"type": "object", "additionalProperties": {"type": "array", "items": _enum(FINDING_TYPES), "minItems": 1}},
        "bulk": {"type": "object", "minProperties": 1, "additionalProperties": {"type": "integer", "minimum": 1}},
        "large_group": _object({"members": {"type": "integer", "minimum": 1}, "raise_steps": {"type": "integer", "minimum": 0},
                                "reason": _STRING}, ["members", "raise_steps", "reason"]),
        "rules": {"type": "array", "minItems": 1, "items": _policy_rule()},
        "exceptions": {"type": "array", "items": _object({
            "id": _STRING, "description": _STRING, "rules": {**_STRINGS, "minItems": 1},
            "senders": _STRINGS, "recipient_domains": _STRINGS, "conversations": _STRINGS,
        }, ["id", "description", "rules"])},
        "sample_values": {"type": "object", "propertyNames": _enum(FINDING_TYPES), "additionalProperties": _STRINGS},
        "examples": {"type": "array", "items": _decision_example(),
                     "description": "處置範例：一則訊息和它的目的地 → 應有的處置；每次載入都會執行"},
        "attachment_limits": _object(limits),
    }


def policy_schema() -> dict[str, Any]:
    """JSON Schema of ``policy.yaml``."""
    from dlp.policy_schema import TOP_KEYS

    known = _policy_properties()
    # A key the loader accepts but this file has no shape for yet is allowed (see docs/policy.md).
    properties = {key: known.get(key, {"description": "見 docs/policy.md"}) for key in TOP_KEYS}
    return {
        "$schema": DRAFT,
        "$id": SCHEMA_FILES["policy"],
        "title": "dlp policy",
        "description": "對外傳送政策（patterns/policy.yaml）；欄位說明見 docs/policy.md",
        **_object(properties, [k for k, required in TOP_KEYS.items() if required]),
    }


# --- conversations.yaml ----------------------------------------------------------------------------


def conversations_schema() -> dict[str, Any]:
    """JSON Schema of ``conversations.yaml`` (the chat group registry, dlp/conversations.py)."""
    from dlp import conversations as conv

    level = {"enum": sorted(set(SECRECY_LEVELS) | set(conv.LEVEL_ALIASES)), "description": "機密等級"}
    count = {"type": "integer", "minimum": 0}
    entry_fields: dict[str, Any] = {
        "platform": {"type": "string", "pattern": conv._PLATFORM.pattern}, "id": {"type": "string", "minLength": 1},
        "name": {"type": "string"}, "registered": {"type": "boolean"}, "purpose": {"type": "string"},
        "allowed_level": level, "members": count, "external_members": count, "owner": {"type": "string"},
    }

    def fields(keys: dict[str, bool], known: dict[str, Any]) -> dict[str, Any]:
        return _object({k: known.get(k, {}) for k in keys}, [k for k, req in keys.items() if req])

    expect = {"source": _enum(["registry", "unlisted"]), "registered": {"type": "boolean"},
              "column": _enum(["registered_group", "other_chat"]), "action": _enum(ACTIONS),
              "members": count, "external_members": count}
    example = fields(conv._EXAMPLE_KEYS, {"name": {"type": "string"}, "text": {"type": "string"},
                                          "conversation": fields(conv._CLAIM_KEYS, entry_fields),
                                          "expect": fields(conv._EXPECT_KEYS, expect)})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_FILES["conversations"],
        "title": "dlp conversations registry",
        "description": "通訊軟體群組登記清單（patterns/conversations.yaml）；欄位說明見 docs/chat-gateway.md",
        **fields(conv._TOP_KEYS, {
            "registry": _object({"version": {"type": "integer"}, "description": {"type": "string"}}, ["version"],
                                closed=False),
            "conversations": {"type": "array", "items": fields(conv._ENTRY_KEYS, entry_fields)},
            "examples": {"type": "array", "items": example},
        }),
    }


# --- suppressions.yaml ----------------------------------------------------------------------------


def suppressions_schema() -> dict[str, Any]:
    """JSON Schema of ``suppressions.yaml`` (reviewed false positives, dlp/suppressions.py)."""
    from dlp import suppressions as sup

    hex64 = {"type": "string", "pattern": sup._HEX64.pattern}
    text = {"type": "string"}
    known: dict[str, Any] = {
        "id": {"type": "string", "pattern": sup._ID.pattern}, "scope": _enum(sup.SCOPES),
        "type": _enum(FINDING_TYPES), "rule": text, "value_sha256": hex64, "sender_sha256": hex64,
        "destinations_sha256": {"type": "array", "minItems": 1, "items": hex64},
        "reason": {"type": "string", "minLength": 1}, "expires": {"type": "string", "format": "date"},
        "created": text, "created_by": text, "incident": text,
    }
    entry = _object({k: known.get(k, {}) for k in sorted(sup._ENTRY_KEYS)}, ["id", "scope", "reason", "expires"])
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_FILES["suppressions"],
        "title": "dlp suppressions",
        "description": "誤判抑制清單（patterns/suppressions.yaml）；欄位說明見 docs/console.md",
        **_object({"pack": _object({"name": text, "version": {"type": "integer"}}, closed=False),
                   "salt": text, "suppressions": {"type": ["array", "null"], "items": entry}},
                  ["suppressions"]),
    }


_BUILDERS = {"pack": pack_schema, "policy": policy_schema, "conversations": conversations_schema,
             "suppressions": suppressions_schema}


def schema_for(kind: str) -> dict[str, Any]:
    if kind not in _BUILDERS:
        raise ValueError(f"no schema for {kind!r}; known: {', '.join(_BUILDERS)}")
    return _BUILDERS[kind]()


def render(kind: str) -> str:
    return json.dumps(schema_for(kind), ensure_ascii=False, indent=2) + "\n"


def write_schemas(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, name in SCHEMA_FILES.items():
        path = directory / name
        path.write_text(render(kind), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    from dlp.resources import bundled_dir

    parser = argparse.ArgumentParser(description="print or write the JSON Schemas of packs and policy.yaml")
    parser.add_argument("--write", action="store_true", help="write them to patterns/schemas/")
    parser.add_argument("kind", nargs="?", choices=list(SCHEMA_FILES), default="policy")
    args = parser.parse_args(argv)
    if args.write:
        for path in write_schemas(bundled_dir("patterns") / "schemas"):
            print(f"wrote {path}", file=sys.stderr)
        return 0
    sys.stdout.write(render(args.kind))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
