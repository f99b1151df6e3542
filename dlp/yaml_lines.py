"""Line numbers for the keys of a YAML file, so that every error can say where to look.

``KeyLines(text).line("rules.bulk.actions.other_chat")`` is the 1-based line of that key.
A path is dotted names and ``[i]`` indexes; a name met at a list picks the item whose ``id``
is that name (``rules.bulk`` is the rule with ``id: bulk``). When the whole path cannot be
followed (a key that is missing is what the error is about) the line of the deepest part that
exists is given.
"""

from __future__ import annotations

import re

import yaml

from dlp.errors import PackError

_PART = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


def path_parts(path: str) -> list[str | int]:
    return [int(index) if index else name for index, name in _PART.findall(path)]


class KeyLines:
    """Where each key of one YAML document is; built from the text, never raises."""

    def __init__(self, text: str):
        self.root: yaml.Node | None = None
        # libyaml's parser first (~10x faster; the same nodes and lines), the pure-Python one
        # for what it refuses
        for loader in (getattr(yaml, "CSafeLoader", None), yaml.SafeLoader):
            if loader is None:
                continue
            try:
                self.root = yaml.compose(text, Loader=loader)
                return
            except yaml.YAMLError:
                continue

    def line(self, path: str | None) -> int | None:
        if self.root is None:
            return None
        node, key_line = self.root, None
        for part in path_parts(path or ""):
            found = _child(node, part)
            if found is None:
                break
            node, key_line = found
        return key_line

    def rule_line(self, rule_id: str) -> int | None:
        """A pack's rule by its id (ids may contain dots: no path parsing)."""
        if not isinstance(self.root, yaml.MappingNode):
            return None
        rules = _child(self.root, "rules")
        if rules is None:
            return None
        found = _item_with_id(rules[0], rule_id)
        return found[1] if found else None


def _child(node: yaml.Node, part: str | int) -> tuple[yaml.Node, int] | None:
    """The node under ``part`` and the line where it starts (its key's line in a mapping)."""
    if isinstance(node, yaml.MappingNode) and isinstance(part, str):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == part:
                return value, key.start_mark.line + 1
        return None
    if isinstance(node, yaml.SequenceNode):
        if isinstance(part, int):
            if 0 <= part < len(node.value):
                item = node.value[part]
                return item, item.start_mark.line + 1
            return None
        return _item_with_id(node, part)
    return None


def _item_with_id(node: yaml.Node, item_id: str) -> tuple[yaml.Node, int] | None:
    if not isinstance(node, yaml.SequenceNode):
        return None
    for item in node.value:
        if isinstance(item, yaml.MappingNode):
            for key, value in item.value:
                if isinstance(key, yaml.ScalarNode) and key.value == "id" and getattr(value, "value", None) == item_id:
                    return item, item.start_mark.line + 1
    return None


def with_lines(errors: list[PackError], text: str, rules_by_id: bool = False) -> list[PackError]:
    """``errors`` of one file, each with the line of its key (packs: of its rule, by id)."""
    lines = KeyLines(text)

    def locate(err: PackError) -> int | None:
        if err.rule is None:
            return None
        if rules_by_id:
            return lines.rule_line(err.rule) or lines.line(err.rule)
        return lines.line(err.rule)

    return [err.at_line(locate(err)) for err in errors]
