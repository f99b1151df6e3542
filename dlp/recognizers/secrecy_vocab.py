"""The secrecy vocabulary of a pack: level words, their variants, and the mention guards.

Everything here comes from the ``vocabulary`` mapping of a secrecy rule (shared between rules
with a YAML anchor). The level-word alternations that rules refer to as ``<LEVEL>``,
``<RESTRICTED>`` and ``<MARK>`` are generated from it, so a word added to the vocabulary is
recognised everywhere, in every variant spelling and split by the configured gaps.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import regex

from dlp.errors import PackError
from dlp.model import SECRECY_LEVELS
from dlp.recognizers.base import Rule

#: Levels a marking can carry ("none" is the absence of one).
MARKING_LEVELS: tuple[str, ...] = tuple(level for level in SECRECY_LEVELS if level != "none")
#: Levels of the classified tiers (everything but the handling-note tier).
CLASSIFIED_LEVELS: frozenset[str] = frozenset(MARKING_LEVELS) - {"restricted"}

PLACEHOLDERS: dict[str, str] = {
    "<LEVEL>": "classified",
    "<RESTRICTED>": "restricted",
    "<MARK>": "all",
}

_POSITIONS = {"field", "stamp", "subject", "header", "footer", "sentence", "copy_label", "restricted_note"}
_FIELDS = {
    "levels", "char_variants", "gap_regex", "mention_before_regex", "mention_after_regex",
    "unticked_regex", "quote_pairs", "example_regex", "joke_regex", "joke_window",
    "list_min_levels", "list_positions", "edge_lines", "whole_text_roles", "explain_max_mentions",
    "max_per_level", "mention_verb_regex", "carried_regex", "carried_header_regex",
}


@dataclass(frozen=True)
class Vocabulary:
    word_level: dict[str, str]
    variants: dict[str, str]
    gap: str
    alternations: dict[str, str]
    mark: regex.Pattern[str]
    gap_pattern: regex.Pattern[str]
    mention_before: regex.Pattern[str] | None
    mention_after: regex.Pattern[str] | None
    unticked: regex.Pattern[str] | None
    quote_pairs: tuple[tuple[str, str], ...]
    example: regex.Pattern[str] | None
    #: A verb that talks about a marking right before it (加註（限閱）, 蓋「密」): a mention.
    mention_verb: regex.Pattern[str] | None
    #: Where a carried document starts (a forwarded or quoted message): its first lines are a top edge.
    carried: regex.Pattern[str] | None
    #: Header lines of a carried message (From:, 主旨:) skipped before its first lines.
    carried_header: regex.Pattern[str] | None
    joke: regex.Pattern[str] | None
    joke_window: int
    list_min_levels: int
    list_positions: frozenset[str]
    edge_lines: int
    whole_text_roles: frozenset[str]
    explain_max_mentions: int
    #: Accepted markings of one level by one rule after which further ones are not examined.
    max_per_level: int
    #: A few characters (with variants) of which every level word holds one: the cheap skip.
    anchor_pattern: regex.Pattern[str]

    def expand(self, source: str) -> str:
        """Replace the level placeholders in a rule's regex by the generated alternations."""
        for token, group in PLACEHOLDERS.items():
            source = source.replace(token, self.alternations[group])
        return source

    def canonical(self, matched: str) -> str:
        """The matched level text without gaps and with variants folded (机 -> 機)."""
        bare = self.gap_pattern.sub("", matched)
        bare = "".join(ch for ch in bare if not ch.isspace())
        return "".join(self.variants.get(ch, ch) for ch in bare)

    def level_of(self, matched: str) -> str | None:
        return self.word_level.get(self.canonical(matched))


_CACHE: dict[str, Vocabulary] = {}


def parse_vocabulary(raw: Any, rule: Rule) -> Vocabulary:
    """Validate and build a vocabulary (cached: rules share one through a YAML anchor)."""
    if not isinstance(raw, dict):
        raise PackError(rule.file, rule.id, "缺少 vocabulary（等級用字與防護詞的對照表）")
    key = json.dumps(raw, sort_keys=True, ensure_ascii=False, default=str)
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    vocab = _build(raw, rule)
    _CACHE[key] = vocab
    return vocab


def _fail(rule: Rule, reason: str) -> PackError:
    return PackError(rule.file, rule.id, reason)


def _compile(
    raw: dict[str, Any], name: str, rule: Rule, required: bool = False, flags: int = 0
) -> regex.Pattern[str] | None:
    source = raw.get(name)
    if source is None and not required:
        return None
    if not isinstance(source, str) or not source:
        raise _fail(rule, f"vocabulary.{name} 必須是非空的正規表示式字串")
    try:
        return regex.compile(source, flags)
    except regex.error as exc:
        raise _fail(rule, f"vocabulary.{name} 無法編譯：{exc}") from None


def _int(raw: dict[str, Any], name: str, default: int, lo: int, hi: int, rule: Rule) -> int:
    value = raw.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise _fail(rule, f"vocabulary.{name} 必須是 {lo} 到 {hi} 之間的整數，目前是 {value!r}")
    return value


def _str_list(raw: dict[str, Any], name: str, default: list[str], rule: Rule) -> list[str]:
    value = raw.get(name, default)
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise _fail(rule, f"vocabulary.{name} 必須是非空字串的清單")
    return value


def _levels(raw: dict[str, Any], rule: Rule) -> dict[str, str]:
    levels = raw.get("levels")
    if not isinstance(levels, dict) or not levels:
        raise _fail(rule, "vocabulary.levels 必須是「等級: [用字, ...]」的對照表")
    word_level: dict[str, str] = {}
    for level, words in levels.items():
        if level not in MARKING_LEVELS:
            raise _fail(rule, f"不認得的等級名稱 {level!r}；可用的有：{', '.join(MARKING_LEVELS)}")
        if not isinstance(words, list) or not words or not all(isinstance(w, str) and w.strip() for w in words):
            raise _fail(rule, f"vocabulary.levels.{level} 必須是非空字串的清單")
        for word in words:
            if word in word_level and word_level[word] != level:
                raise _fail(rule, f"用字「{word}」同時列在 {word_level[word]} 與 {level} 兩個等級")
            word_level[word] = level
    return word_level


def _variants(raw: dict[str, Any], rule: Rule) -> dict[str, str]:
    """variant character -> canonical character."""
    table = raw.get("char_variants", {})
    if not isinstance(table, dict):
        raise _fail(rule, "vocabulary.char_variants 必須是「正體字: 異體字們」的對照表")
    out: dict[str, str] = {}
    for canon, alts in table.items():
        if not isinstance(canon, str) or len(canon) != 1 or not isinstance(alts, str) or not alts:
            raise _fail(rule, f"vocabulary.char_variants 的 {canon!r} 必須是一個字對應一串異體字")
        for alt in alts:
            out[alt] = canon
    return out


def _word_regex(word: str, variants: dict[str, str], gap: str) -> str:
    parts = []
    for ch in word:
        alts = [a for a, c in variants.items() if c == ch]
        parts.append("[" + regex.escape(ch) + "".join(regex.escape(a) for a in alts) + "]" if alts else regex.escape(ch))
    return f"(?:{gap})".join(parts)


def _alternation(words: list[str], variants: dict[str, str], gap: str) -> str:
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "(?:" + "|".join(_word_regex(w, variants, gap) for w in ordered) + ")"


def _anchor_pattern(words: list[str], variants: dict[str, str], gap: str) -> regex.Pattern[str]:
    """A cheap pre-check that every marking must pass: text without a match is skipped.

    Greedy set cover over *units*: a one-character level word (密) is its own unit; longer
    words are covered by a pair of adjacent characters (內部, 外流), matched with the same
    gaps and variant spellings as the words themselves. A single common character such as 內
    would send almost every message down the full path («期限內彙整»), a pair does not.
    """
    units: dict[str, set[str]] = {}
    for word in set(words):
        pieces = [word] if len(word) == 1 else [word[i:i + 2] for i in range(len(word) - 1)]
        for unit in pieces:
            units.setdefault(unit, set())
    for unit in units:
        units[unit] = {w for w in words if unit in w}
    left = set(words)
    chosen: list[str] = []
    while left:
        best = max(sorted(units), key=lambda u: (len(units[u] & left), -len(u)))
        chosen.append(best)
        left -= units[best]
    return regex.compile(_alternation(chosen, variants, gap))


def _quote_pairs(raw: dict[str, Any], rule: Rule) -> tuple[tuple[str, str], ...]:
    pairs = _str_list(raw, "quote_pairs", [], rule)
    if any(len(p) != 2 for p in pairs):
        raise _fail(rule, "vocabulary.quote_pairs 的每一項必須是兩個字：開引號與關引號，如「」")
    return tuple((p[0], p[1]) for p in pairs)


def _build(raw: dict[str, Any], rule: Rule) -> Vocabulary:
    unknown = set(raw) - _FIELDS
    if unknown:
        raise _fail(rule, f"vocabulary 有不認得的欄位：{', '.join(sorted(map(str, unknown)))}")
    word_level = _levels(raw, rule)
    variants = _variants(raw, rule)
    gap_pattern = _compile(raw, "gap_regex", rule, required=True)
    assert gap_pattern is not None
    gap = gap_pattern.pattern
    classified = [w for w, lv in word_level.items() if lv in CLASSIFIED_LEVELS]
    restricted = [w for w, lv in word_level.items() if lv == "restricted"]
    if not classified:
        raise _fail(rule, "vocabulary.levels 至少要有一個機密等級（密、機密、極機密或絕對機密）的用字")
    alternations = {
        "classified": _alternation(classified, variants, gap),
        "restricted": _alternation(restricted, variants, gap) if restricted else "(?!)",
        "all": _alternation(classified + restricted, variants, gap),
    }
    list_positions = _str_list(raw, "list_positions", [], rule)
    bad = set(list_positions) - _POSITIONS
    if bad:
        raise _fail(rule, f"vocabulary.list_positions 有不認得的位置：{', '.join(sorted(bad))}")
    return Vocabulary(
        word_level=word_level,
        variants=variants,
        gap=gap,
        alternations=alternations,
        mark=regex.compile(alternations["all"]),
        gap_pattern=gap_pattern,
        mention_before=_compile(raw, "mention_before_regex", rule),
        mention_after=_compile(raw, "mention_after_regex", rule),
        unticked=_compile(raw, "unticked_regex", rule),
        quote_pairs=_quote_pairs(raw, rule),
        example=_compile(raw, "example_regex", rule),
        mention_verb=_compile(raw, "mention_verb_regex", rule),
        carried=_compile(raw, "carried_regex", rule, flags=regex.MULTILINE),
        carried_header=_compile(raw, "carried_header_regex", rule, flags=regex.MULTILINE),
        joke=_compile(raw, "joke_regex", rule),
        joke_window=_int(raw, "joke_window", 40, 0, 1000, rule),
        list_min_levels=_int(raw, "list_min_levels", 3, 2, 5, rule),
        list_positions=frozenset(list_positions),
        edge_lines=_int(raw, "edge_lines", 3, 1, 50, rule),
        whole_text_roles=frozenset(_str_list(raw, "whole_text_roles", ["subject", "header", "footer", "field"], rule)),
        explain_max_mentions=_int(raw, "explain_max_mentions", 300, 0, 100000, rule),
        max_per_level=_int(raw, "max_per_level", 20, 1, 100000, rule),
        anchor_pattern=_anchor_pattern(classified + restricted, variants, gap),
    )


def known_positions() -> frozenset[str]:
    return frozenset(_POSITIONS)
