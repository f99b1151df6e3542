"""The published JSON Schemas of packs and policy.yaml: current, valid, and in agreement with the loaders."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from dlp.errors import PackError, PackErrors
from dlp.json_schemas import SCHEMA_FILES, kind_of, render, schema_for
from dlp.patterns import load_packs
from dlp.policy import Policy

REPO = Path(__file__).resolve().parents[1]
PATTERNS = REPO / "patterns"


def validator(kind: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((PATTERNS / "schemas" / SCHEMA_FILES[kind]).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("kind", list(SCHEMA_FILES))
def test_published_schemas_are_the_generated_ones(kind: str) -> None:
    published = (PATTERNS / "schemas" / SCHEMA_FILES[kind]).read_text(encoding="utf-8")
    assert published == render(kind), "stale: run `python -m dlp.json_schemas --write`"


def test_every_bundled_file_validates_and_names_its_schema() -> None:
    for path in PATTERNS.glob("*.yaml"):
        kind = kind_of(path.name)
        text = path.read_text(encoding="utf-8")
        assert text.startswith(f"# yaml-language-server: $schema=schemas/{SCHEMA_FILES[kind]}\n"), path.name
        errors = [e.message for e in validator(kind).iter_errors(yaml.safe_load(text))]
        assert errors == [], (path.name, errors)


def _edit(doc: dict[str, Any], path: list[Any], value: Any) -> dict[str, Any]:
    out = copy.deepcopy(doc)
    node = out
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return out


POLICY_MISTAKES = [
    ("misspelt action", ["rules", 0, "actions", "internal_mail"], "deny"),
    ("unknown top key", ["colour"], "red"),
    ("unknown column", ["rules", 0, "actions", "fax"], "block"),
    ("unknown type in a group", ["type_groups", "identifiers"], ["TW_SSN"]),
    ("example with a bad expectation", ["examples", 0, "expect"], "maybe"),
    ("limit not a number", ["attachment_limits", "max_depth"], "three"),
]


@pytest.mark.parametrize(("label", "path", "value"), POLICY_MISTAKES, ids=[m[0] for m in POLICY_MISTAKES])
def test_the_schema_and_the_loader_both_refuse_a_policy_mistake(tmp_path: Path, label: str, path: list, value: Any) -> None:
    doc = _edit(yaml.safe_load((PATTERNS / "policy.yaml").read_text(encoding="utf-8")), path, value)
    assert list(validator("policy").iter_errors(doc)), label
    target = tmp_path / "policy.yaml"
    target.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises((PackError, PackErrors)):
        Policy.load(target)


PACK_MISTAKES = [
    ("unknown rule field", ["rules", 0, "regexx"], "x"),
    ("unknown validator", ["rules", 0, "validator"], "nope"),
    ("unknown finding type", ["rules", 0, "type"], "TW_SSN"),
    ("bad mode", ["rules", 0, "mode"], "audit"),
    ("no examples", ["rules", 0, "examples"], {"no_match": ["x"]}),
]


@pytest.mark.parametrize(("label", "path", "value"), PACK_MISTAKES, ids=[m[0] for m in PACK_MISTAKES])
def test_the_schema_and_the_loader_both_refuse_a_pack_mistake(tmp_path: Path, label: str, path: list, value: Any) -> None:
    doc = _edit(yaml.safe_load((PATTERNS / "personal_data.yaml").read_text(encoding="utf-8")), path, value)
    assert list(validator("pack").iter_errors(doc)), label
    (tmp_path / "personal_data.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(PackErrors):
        load_packs(tmp_path, check_examples=False)


def test_schema_for_knows_every_file_kind_and_refuses_others() -> None:
    assert schema_for("pack")["title"] == "dlp pattern pack"
    assert {kind_of(n) for n in ("policy.yaml", "conversations.yaml", "suppressions.yaml", "x.yaml")} == set(SCHEMA_FILES)
    with pytest.raises(ValueError):
        schema_for("keys")
