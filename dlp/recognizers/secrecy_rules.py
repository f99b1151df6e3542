"""One secrecy rule of a pack, validated and compiled (engine ``secrecy``).

Rule fields (besides the loader's common ones):

``vocabulary``      level words, variants, guards (see ``secrecy_vocab``); shared by a YAML anchor
``regex``           the `regex` module's syntax with a named group ``level`` on the level word;
                    ``<LEVEL>``, ``<RESTRICTED>`` and ``<MARK>`` expand to the vocabulary's words
``position``        field | stamp | subject | header | footer | sentence | copy_label | restricted_note
``roles``           segment roles the rule runs in (default: all)
``zone``            all (default) | edges (first and last lines) | top (first lines only)
``line_max_chars``  the marking's line may hold at most this many characters (stamps)
``score``           0..1
``discard_regex``   explain only: matches shown as discarded (group ``value``), e.g. 密等：普通
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import regex

from dlp.errors import PackError
from dlp.recognizers.base import Rule
from dlp.recognizers.secrecy_vocab import Vocabulary, known_positions, parse_vocabulary
from dlp.regex_cache import compiled_patterns

_KNOWN_FIELDS = {
    "vocabulary", "regex", "position", "roles", "zone", "line_max_chars", "score", "discard_regex",
}
_ZONES = ("all", "edges", "top")


@dataclass(frozen=True)
class SecrecyRule:
    rule: Rule
    vocab: Vocabulary
    pattern: regex.Pattern[str]
    position: str
    roles: frozenset[str] | None
    zone: str
    line_max_chars: int | None
    score: float
    discard: regex.Pattern[str] | None

    @property
    def id(self) -> str:
        return self.rule.id


def _fail(rule: Rule, reason: str) -> PackError:
    return PackError(rule.file, rule.id, reason)


def _compile(rule: Rule, vocab: Vocabulary, name: str, source: Any, group: str) -> regex.Pattern[str]:
    if not isinstance(source, str) or not source.strip():
        raise _fail(rule, f"缺少 {name} 欄位（secrecy 規則一定要有正規表示式）")
    try:
        pattern = compiled_patterns.compile(vocab.expand(source), regex.MULTILINE)  # cached between processes
    except regex.error as exc:
        raise _fail(rule, f"{name} 無法編譯：{exc}") from None
    if group not in pattern.groupindex:
        raise _fail(rule, f"{name} 必須有具名群組 {group}（標出要回報的範圍）")
    return pattern


def compile_secrecy_rule(rule: Rule) -> SecrecyRule:
    spec = rule.spec
    unknown = set(spec) - _KNOWN_FIELDS
    if unknown:
        raise _fail(rule, f"不認得的欄位：{', '.join(sorted(map(str, unknown)))}")
    if rule.type != "SECRECY_MARKING" or rule.kind != "secrecy":
        raise _fail(rule, "secrecy 引擎的規則必須是 type: SECRECY_MARKING、kind: secrecy")
    vocab = parse_vocabulary(spec.get("vocabulary"), rule)
    position = spec.get("position")
    if position not in known_positions():
        raise _fail(rule, f"position 必須是 {', '.join(sorted(known_positions()))} 之一，目前是 {position!r}")
    roles = spec.get("roles")
    if roles is not None and (not isinstance(roles, list) or not all(isinstance(r, str) and r for r in roles)):
        raise _fail(rule, "roles 必須是區段角色名稱的清單（如 body、subject、header）")
    zone = spec.get("zone", "all")
    if zone not in _ZONES:
        raise _fail(rule, f"zone 只能是 {', '.join(_ZONES)}，目前是 {zone!r}")
    max_chars = spec.get("line_max_chars")
    if max_chars is not None and (isinstance(max_chars, bool) or not isinstance(max_chars, int) or not 1 <= max_chars <= 1000):
        raise _fail(rule, f"line_max_chars 必須是 1 到 1000 的整數，目前是 {max_chars!r}")
    score = spec.get("score", 0.85)
    if isinstance(score, bool) or not isinstance(score, (int, float)) or not 0 <= score <= 1:
        raise _fail(rule, f"score 必須是 0 到 1 之間的數字，目前是 {score!r}")
    discard_source = spec.get("discard_regex")
    discard = None
    if discard_source is not None:
        discard = _compile(rule, vocab, "discard_regex", discard_source, "value")
    return SecrecyRule(
        rule=rule,
        vocab=vocab,
        pattern=_compile(rule, vocab, "regex", spec.get("regex"), "level"),
        position=position,
        roles=frozenset(roles) if roles is not None else None,
        zone=zone,
        line_max_chars=max_chars,
        score=float(score),
        discard=discard,
    )
