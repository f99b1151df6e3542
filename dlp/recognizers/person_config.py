"""Read and check the ``engine: person`` rules of a pack (``patterns/person.yaml``).

Every knob of the PERSON detector (surname lists, labels, suffixes, blocked words, scores,
windows) comes from the pack; this module turns a rule's raw YAML mapping into frozen,
ready-to-use settings and refuses anything it cannot use with a ``PackError`` whose reason is
in Traditional Chinese.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import regex

from dlp.errors import PackError
from dlp.model import FINDING_TYPES
from dlp.recognizers.base import Rule

METHODS = ("chinese", "romanised")

_ZH_SCORES = ("base", "label", "suffix", "title", "neighbour", "roster", "table", "speaker",
              "signature", "subject", "given_name", "jieba", "rare_surname", "min")
_ZH_WINDOWS = ("label_gap", "suffix_gap", "neighbour_before", "neighbour_after", "jieba_margin", "table_rows")
_ROMAN_SCORES = ("neighbour", "weak_neighbour", "label", "min")
_ROMAN_WINDOWS = ("neighbour_before", "neighbour_after", "label_gap")


@dataclass(frozen=True)
class ChineseNameConfig:
    """Settings of a ``method: chinese`` rule."""

    rule: Rule
    scores: dict[str, float]
    windows: dict[str, int]
    ordinary_word_min_frequency: int
    neighbour_types: frozenset[str]
    weak_neighbour_types: frozenset[str]
    common_surnames: frozenset[str]
    rare_surnames: frozenset[str]
    two_char_surnames: frozenset[str]  # compound (歐陽) and double (張簡) together
    excluded_given_chars: frozenset[str]
    given_names: frozenset[str]
    labels: tuple[str, ...]
    colon_only_labels: frozenset[str]
    label_tail: regex.Pattern[str]
    honorifics: tuple[str, ...]
    titles: tuple[str, ...]
    given_name_too: frozenset[str]
    boundary_words: tuple[str, ...]
    blocked_words: frozenset[str]
    masked: tuple[regex.Pattern[str], ...]
    speaker_prefix: regex.Pattern[str]
    signature_prefix: regex.Pattern[str]
    table_headers: frozenset[str]
    organisation_suffixes: tuple[str, ...]

    @property
    def single_surnames(self) -> frozenset[str]:
        return self.common_surnames | self.rare_surnames


@dataclass(frozen=True)
class RomanisedNameConfig:
    """Settings of a ``method: romanised`` rule."""

    rule: Rule
    scores: dict[str, float]
    windows: dict[str, int]
    neighbour_types: frozenset[str]
    weak_neighbour_types: frozenset[str]
    name_regex: regex.Pattern[str]
    labels: tuple[str, ...]
    stop_words: frozenset[str]


class _Reader:
    """Typed access to one rule's spec; every failure names the rule and the field."""

    def __init__(self, rule: Rule):
        self.rule = rule
        self.spec = rule.spec

    def fail(self, reason: str) -> PackError:
        return PackError(self.rule.file, self.rule.id, reason)

    def get(self, key: str) -> Any:
        if key not in self.spec:
            raise self.fail(f"缺少欄位 {key}")
        return self.spec[key]

    def mapping(self, key: str) -> dict[str, Any]:
        value = self.get(key)
        if not isinstance(value, dict):
            raise self.fail(f"{key} 必須是對照表（key: value）")
        return value

    def numbers(self, key: str, names: tuple[str, ...], integer: bool) -> dict[str, Any]:
        raw = self.mapping(key)
        unknown = sorted(set(raw) - set(names))
        if unknown:
            raise self.fail(f"{key} 有不認得的項目：{', '.join(map(str, unknown))}（可用：{', '.join(names)}）")
        out: dict[str, Any] = {}
        for name in names:
            if name not in raw:
                raise self.fail(f"{key} 缺少 {name}")
            value = raw[name]
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise self.fail(f"{key}.{name} 必須是數字，目前是 {value!r}")
            if integer:
                if not isinstance(value, int) or value < 0:
                    raise self.fail(f"{key}.{name} 必須是不小於 0 的整數，目前是 {value!r}")
            elif not -1.0 <= float(value) <= 1.0:
                raise self.fail(f"{key}.{name} 必須介於 -1 與 1 之間，目前是 {value!r}")
            out[name] = value if integer else float(value)
        return out

    def words(self, key: str, *, min_len: int = 1, max_len: int = 20, allow_empty: bool = False) -> list[str]:
        """A YAML list of strings, or one string of words separated by white space."""
        value = self.get(key)
        if isinstance(value, str):
            items = value.split()
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            items = [v.strip() for v in value]
        else:
            raise self.fail(f"{key} 必須是字串清單，或以空白分隔詞語的字串")
        if not items and not allow_empty:
            raise self.fail(f"{key} 不可為空")
        for item in items:
            if not min_len <= len(item) <= max_len:
                raise self.fail(f"{key} 中的「{item}」長度必須在 {min_len} 到 {max_len} 字之間")
        return items

    def chars(self, key: str) -> frozenset[str]:
        """A string of single characters (white space ignored)."""
        value = self.get(key)
        if not isinstance(value, str):
            raise self.fail(f"{key} 必須是一串單字（例如「陳林黃」）")
        return frozenset(ch for ch in value if not ch.isspace())

    def pattern(self, key: str, value: Any | None = None) -> regex.Pattern[str]:
        source = self.get(key) if value is None else value
        if not isinstance(source, str) or not source:
            raise self.fail(f"{key} 必須是正規表示式字串")
        try:
            return regex.compile(source)
        except regex.error as exc:
            raise self.fail(f"{key} 的正規表示式無法編譯：{exc}") from None

    def types(self, key: str) -> frozenset[str]:
        items = self.words(key)
        unknown = [t for t in items if t not in FINDING_TYPES]
        if unknown:
            raise self.fail(f"{key} 有不認得的發現類型：{', '.join(unknown)}")
        return frozenset(items)


def _check_mask(r: _Reader) -> None:
    mask = r.spec.get("mask")
    if mask is not None and not (isinstance(mask, dict) and isinstance(mask.get("style"), str)):
        raise r.fail("mask 必須是像 {style: name} 的對照表")


def read_chinese(rule: Rule) -> ChineseNameConfig:
    r = _Reader(rule)
    _check_mask(r)
    surnames = r.mapping("surnames")
    sr = _Reader(Rule(rule.id, rule.type, rule.kind, rule.engine, rule.mode, rule.file,
                      {f"surnames.{k}": v for k, v in surnames.items()}))
    common = sr.chars("surnames.common")
    rare = sr.chars("surnames.rare")
    if not common:
        raise r.fail("surnames.common 不可為空")
    two_char = set(sr.words("surnames.compound", min_len=2, max_len=2))
    two_char |= set(sr.words("surnames.double", min_len=2, max_len=2))
    non_han = [s for s in common | rare | two_char if not all(_is_han(c) for c in s)]
    if non_han:
        raise r.fail(f"surnames 只能包含漢字，這些不是：{'、'.join(sorted(non_han))}")
    suffixes = r.mapping("suffixes")
    su = _Reader(Rule(rule.id, rule.type, rule.kind, rule.engine, rule.mode, rule.file,
                      {f"suffixes.{k}": v for k, v in suffixes.items()}))
    labels = r.words("labels")
    colon_only = set(r.words("colon_only_labels", allow_empty=True))
    stray = sorted(colon_only - set(labels))
    if stray:
        raise r.fail(f"colon_only_labels 中的詞必須也列在 labels：{'、'.join(stray)}")
    masked_raw = r.get("masked_patterns")
    if not isinstance(masked_raw, list) or not masked_raw:
        raise r.fail("masked_patterns 必須是正規表示式清單")
    masked = tuple(r.pattern("masked_patterns", m) for m in masked_raw)
    frequency = r.get("ordinary_word_min_frequency")
    if isinstance(frequency, bool) or not isinstance(frequency, int) or frequency < 1:
        raise r.fail("ordinary_word_min_frequency 必須是正整數")
    return ChineseNameConfig(
        rule=rule,
        scores=r.numbers("scores", _ZH_SCORES, integer=False),
        windows=r.numbers("windows", _ZH_WINDOWS, integer=True),
        ordinary_word_min_frequency=frequency,
        neighbour_types=r.types("neighbour_types"),
        weak_neighbour_types=r.types("weak_neighbour_types"),
        common_surnames=common,
        rare_surnames=rare - common,
        two_char_surnames=frozenset(two_char),
        excluded_given_chars=r.chars("given_name_chars_excluded"),
        given_names=frozenset(r.words("given_names", min_len=1, max_len=2)),
        labels=tuple(sorted(set(labels), key=len, reverse=True)),
        colon_only_labels=frozenset(colon_only),
        label_tail=r.pattern("label_tail"),
        honorifics=tuple(su.words("suffixes.honorific")),
        titles=tuple(su.words("suffixes.title")),
        given_name_too=frozenset(su.words("suffixes.given_name_too", allow_empty=True)),
        boundary_words=tuple(sorted(set(r.words("boundary_words")), key=len, reverse=True)),
        blocked_words=frozenset(r.words("blocked_words", min_len=2)),
        masked=masked,
        speaker_prefix=r.pattern("speaker_prefix"),
        signature_prefix=r.pattern("signature_prefix"),
        table_headers=frozenset(r.words("table_headers")),
        organisation_suffixes=tuple(sorted(set(r.words("organisation_suffixes")), key=len, reverse=True)),
    )


def read_romanised(rule: Rule) -> RomanisedNameConfig:
    r = _Reader(rule)
    _check_mask(r)
    return RomanisedNameConfig(
        rule=rule,
        scores=r.numbers("scores", _ROMAN_SCORES, integer=False),
        windows=r.numbers("windows", _ROMAN_WINDOWS, integer=True),
        neighbour_types=r.types("neighbour_types"),
        weak_neighbour_types=r.types("weak_neighbour_types"),
        name_regex=r.pattern("name_regex"),
        labels=tuple(r.words("labels")),
        stop_words=frozenset(r.words("stop_words", allow_empty=True)),
    )


def read_rule(rule: Rule) -> ChineseNameConfig | RomanisedNameConfig:
    """Check one ``engine: person`` rule and return its settings."""
    if rule.type != "PERSON":
        raise PackError(rule.file, rule.id, f"engine: person 只能用於 PERSON 類型，不能用於 {rule.type}")
    method = rule.spec.get("method")
    if method == "chinese":
        return read_chinese(rule)
    if method == "romanised":
        return read_romanised(rule)
    raise PackError(rule.file, rule.id, f"method 必須是 {' 或 '.join(METHODS)}，目前是 {method!r}")


_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def _is_han(ch: str) -> bool:
    return bool(_HAN.fullmatch(ch))


def is_han(ch: str) -> bool:
    """A CJK ideograph (not 〇, not punctuation)."""
    return _is_han(ch)
