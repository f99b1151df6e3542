"""libyaml's parser under the policy, registry and key-line loaders (issue 14, cold start): the
same documents, the same nodes and lines, and for a bad file the pure-Python loader's error."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from dlp.errors import PackError
from dlp.policy_schema import _UniqueKeyLoader, load_unique_keys
from dlp.yaml_lines import KeyLines

ROOT = Path(__file__).resolve().parents[1]
YAML_FILES = sorted(p for p in [*ROOT.joinpath("patterns").glob("*.yaml"), *ROOT.joinpath("dlp").rglob("*.yaml")])


def _tree(node: yaml.Node) -> object:
    """A node as plain data with every start line and column, to compare two parsers' nodes."""
    where = (node.start_mark.line, node.start_mark.column)
    if isinstance(node, yaml.ScalarNode):
        return ("scalar", node.tag, node.value, node.style or None, where)  # (plain: "" in libyaml, None in Python)
    if isinstance(node, yaml.SequenceNode):
        return ("seq", node.tag, where, [_tree(v) for v in node.value])
    return ("map", node.tag, where, [(_tree(k), _tree(v)) for k, v in node.value])


def test_libyaml_is_there_so_the_fast_path_is_what_runs():
    assert getattr(yaml, "CSafeLoader", None) is not None, "PyYAML without libyaml: the loaders fall back to pure Python"


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: p.name)
def test_every_bundled_yaml_file_loads_and_composes_the_same_through_libyaml(path: Path):
    text = path.read_text(encoding="utf-8")
    assert load_unique_keys(text) == yaml.load(text, Loader=_UniqueKeyLoader)
    fast = yaml.compose(text, Loader=yaml.CSafeLoader)
    plain = yaml.compose(text, Loader=yaml.SafeLoader)
    assert _tree(fast) == _tree(plain)
    assert KeyLines(text).root is not None


def test_key_lines_of_the_bundled_policy_are_those_the_pure_python_parser_gives():
    text = (ROOT / "patterns" / "policy.yaml").read_text(encoding="utf-8")
    lines = KeyLines(text)
    assert lines.root is not None and lines.root.start_mark.__class__.__name__ == "Mark"
    plain = yaml.compose(text, Loader=yaml.SafeLoader)
    for key_node, _ in plain.value:
        assert lines.line(key_node.value) == key_node.start_mark.line + 1


def test_a_duplicate_key_is_refused_with_the_pure_python_loaders_error():
    text = "version: 1\nactions: {}\nversion: 2\n"
    with pytest.raises(yaml.constructor.ConstructorError) as fast:
        load_unique_keys(text)
    with pytest.raises(yaml.constructor.ConstructorError) as plain:
        yaml.load(text, Loader=_UniqueKeyLoader)
    assert str(fast.value) == str(plain.value)
    assert "重複的欄位「version」" in str(fast.value)
    assert fast.value.problem_mark.line == 2


def test_a_policy_with_a_yaml_error_names_the_pure_python_parsers_line(tmp_path: Path):
    from dlp.policy import Policy

    bad = tmp_path / "policy.yaml"
    bad.write_text("version: 1\nactions:\n  - [unclosed\n", encoding="utf-8")
    with pytest.raises(PackError) as err:
        Policy.load(bad)
    try:
        yaml.load(bad.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except yaml.YAMLError as exc:
        mark = exc.problem_mark
    assert f"第 {mark.line + 1} 行第 {mark.column + 1} 欄" in str(err.value)


_SCALARS = st.one_of(st.integers(-10**6, 10**6), st.booleans(), st.none(), st.floats(allow_nan=False, allow_infinity=False),
                     st.text(st.characters(blacklist_categories=("Cs",)), max_size=12))
_DOCS = st.recursive(_SCALARS, lambda kids: st.one_of(st.lists(kids, max_size=4),
                                                      st.dictionaries(st.text(min_size=1, max_size=6), kids, max_size=4)),
                     max_leaves=12)


@settings(max_examples=200, deadline=None)
@given(_DOCS, st.sampled_from([None, False, True]))
def test_any_document_loads_the_same_through_either_parser(doc, flow):
    text = yaml.safe_dump(doc, allow_unicode=True, default_flow_style=flow)
    assert load_unique_keys(text) == yaml.load(text, Loader=_UniqueKeyLoader)
    assert _tree(yaml.compose(text, Loader=yaml.CSafeLoader)) == _tree(yaml.compose(text, Loader=yaml.SafeLoader))


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("ab:- \n[]{}'\"#&*|>%@`,?\t0\\"), max_size=40))
def test_any_text_the_pure_python_loader_reads_is_read_the_same_and_its_errors_kept(text):
    """What the pure-Python loader reads, the fast path reads to the same value; what it refuses,
    the fast path refuses with the same error, unless libyaml reads it (libyaml, YAML's reference
    parser, is the more lenient of the two on a few tab placements: ``0\t`` is 0). Left out of the
    alphabet: a bare ``!`` tag on an empty value, which libyaml reads as "" and PyYAML as None
    (the packs' loader, ``patterns._parse_yaml``, has read them through libyaml since issue 14)."""
    try:
        expected = ("ok", yaml.load(text, Loader=_UniqueKeyLoader))
    except yaml.YAMLError as exc:
        expected = ("error", str(exc))
    except Exception as exc:  # noqa: BLE001 - whatever the pure-Python loader raises, the fast path raises too
        expected = ("other", type(exc).__name__)
    try:
        got = ("ok", load_unique_keys(text))
    except yaml.YAMLError as exc:
        got = ("error", str(exc))
    except Exception as exc:  # noqa: BLE001
        got = ("other", type(exc).__name__)
    if expected[0] == "ok":
        assert got == expected
    elif got[0] == "ok":
        assert got[1] == yaml.load(text, Loader=yaml.CSafeLoader)
    else:
        assert got == expected
