"""Read and check the ``engine: person`` rules of a pack (``patterns/person.yaml``).

Every knob of the PERSON detector (surname lists, labels, suffixes, blocked words, scores,
windows) comes from the pack; this module turns a rule's raw YAML mapping into frozen,
ready-to-use settings and refuses anything it cannot use with a ``PackError`` whose reason is
in Traditional Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import regex

from dlp.errors import PackError
from dlp.model import FINDING_TYPES
from dlp.recognizers.base import Rule, longest_first

METHODS = ("chinese", "romanised")

_ZH_SCORES = ("base", "label", "suffix", "title", "neighbour", "roster", "table", "speaker",
              "signature", "subject", "given_name", "jieba", "rare_surname", "min",
              "title_before", "unit", "info", "context", "boundary", "jieba_nr", "field", "row")
#: Evidence too weak to stand alone: a name proposed only by these needs jieba's ``nr`` tag.
WEAK_EVIDENCE = frozenset({"context", "boundary"})
_ZH_WINDOWS = ("label_gap", "suffix_gap", "neighbour_before", "neighbour_after", "jieba_margin", "table_rows",
               "boundary_max")
_ROMAN_SCORES = ("neighbour", "weak_neighbour", "label", "title", "min", "strong_label", "cell", "after_name")
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
    #: Boundary words that may still end a given name (男 in 李俊男).
    boundary_words_in_names: frozenset[str]
    blocked_words: frozenset[str]
    masked: tuple[regex.Pattern[str], ...]
    speaker_prefix: regex.Pattern[str]
    signature_prefix: regex.Pattern[str]
    table_headers: frozenset[str]
    organisation_suffixes: tuple[str, ...]
    #: Job titles, ranks and role words written right before a name (科員林志豪, 被　告 柳正宗).
    titles_before: tuple[str, ...]
    #: Unit names (人事室, 文書科 ...) ending with these: a name after them and a space is signed.
    units: tuple[str, ...]
    #: Words before / after a name that only hint at one (調…為, 找…, …說, …那件).
    context_before: tuple[str, ...]
    context_after: tuple[str, ...]
    #: A bracket of person details right after a name: (男，37歲), (91分), (74.02.18).
    info_bracket: regex.Pattern[str]
    #: A speaker column of an exported chat history (group ``name``).
    export_speaker: regex.Pattern[str]
    #: jieba.posseg flags that mark a person's name.
    name_tags: frozenset[str]
    #: The line before a name that is the whole value of a field (清點人：施宏儒　覆核：…), searched
    #: up to the name's start; and what may follow such a value (``row_prefix`` likewise).
    field_prefix: regex.Pattern[str]
    #: The start of a line before a name that opens a list item or a row (2.石金發 …, K-07　司徒振宇).
    row_prefix: regex.Pattern[str]
    value_end: regex.Pattern[str]
    #: A name accepted in a segment is a name at its other occurrences too (names this long or longer).
    repeat_min_length: int
    #: Right after a name: it is a sample on a form or in a manual (王大明（範例）), not a person.
    sample_after: regex.Pattern[str]
    #: A two-character given name that is a dictionary word with another tag and at least this
    #: frequency (使用, 相關, 銀行) is an ordinary word unless a label or title vouches for it.
    ordinary_given_min_frequency: int

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
    #: A name followed at once by a title, an honorific or its Chinese form in brackets.
    titled: regex.Pattern[str] | None = None
    #: Role words that name the person whatever script follows (個案, 案母 …): score ``strong_label``.
    strong_labels: tuple[str, ...] = ()
    #: A name alone in a cell: at a line start or after a Tab (``cell_before``, searched up to the
    #: name) and followed by ``cell_after``: score ``cell``.
    cell_before: regex.Pattern[str] | None = None
    cell_after: regex.Pattern[str] | None = None
    #: A name written right after an accepted Chinese name (郭子瑜 Yu Kuo): score ``after_name``.
    after_name_gap: int = 0
    repeat_min_length: int = 0


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
    non_han = [s for s in common | rare | two_char if not all(is_han(c) for c in s)]
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
    frequency = _positive(r, "ordinary_word_min_frequency")
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
        labels=tuple(longest_first(labels)),
        colon_only_labels=frozenset(colon_only),
        label_tail=r.pattern("label_tail"),
        honorifics=tuple(su.words("suffixes.honorific")),
        titles=tuple(su.words("suffixes.title")),
        given_name_too=frozenset(su.words("suffixes.given_name_too", allow_empty=True)),
        boundary_words=tuple(longest_first(r.words("boundary_words"))),
        boundary_words_in_names=frozenset(r.words("boundary_words_in_names", allow_empty=True)),
        blocked_words=frozenset(r.words("blocked_words", min_len=2)),
        masked=masked,
        speaker_prefix=r.pattern("speaker_prefix"),
        signature_prefix=r.pattern("signature_prefix"),
        table_headers=frozenset(r.words("table_headers")),
        organisation_suffixes=tuple(longest_first(r.words("organisation_suffixes"))),
        titles_before=tuple(longest_first(r.words("titles_before"))),
        units=tuple(longest_first(r.words("units"))),
        context_before=tuple(longest_first(r.words("context_before"))),
        context_after=tuple(longest_first(r.words("context_after"))),
        info_bracket=r.pattern("info_bracket"),
        export_speaker=_named(r, "export_speaker", "name"),
        name_tags=frozenset(r.words("name_tags")),
        ordinary_given_min_frequency=_positive(r, "ordinary_given_min_frequency"),
        field_prefix=r.pattern("field_prefix"),
        row_prefix=r.pattern("row_prefix"),
        value_end=r.pattern("value_end"),
        repeat_min_length=_positive(r, "repeat_min_length"),
        sample_after=r.pattern("sample_after"),
    )


def _named(r: _Reader, key: str, group: str) -> regex.Pattern[str]:
    pattern = r.pattern(key)
    if group not in pattern.groupindex:
        raise r.fail(f"{key} 必須有具名群組 {group}")
    return pattern


def _positive(r: _Reader, key: str) -> int:
    value = r.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise r.fail(f"{key} 必須是正整數")
    return value


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
        titled=_titled(r),
        strong_labels=tuple(r.words("strong_labels")),
        cell_before=r.pattern("cell_before"),
        cell_after=r.pattern("cell_after"),
        after_name_gap=_positive(r, "after_name_gap"),
        repeat_min_length=_positive(r, "repeat_min_length"),
    )


#: A romanised word of a name (as ``name_regex`` reads them) for the titled form: two or three
#: of them, with no further Latin word on either side (not the tail of a longer English phrase).
_ROMAN_WORD = r"(?:\p{Lu}[\p{Latin}'\-]+|\p{Lu}{2,})"


def _titled(r: _Reader) -> regex.Pattern[str] | None:
    """Two or three romanised words followed by one of ``titles`` or by ``bracket_regex`` (the
    person's Chinese name in brackets)."""
    titles = r.words("titles", allow_empty=True)
    if not titles:
        return None
    bracket = r.pattern("bracket_regex").pattern
    words = "|".join(regex.escape(t) for t in longest_first(titles))
    name = f"(?<!\\p{{Latin}}[ ,]{{0,2}}){_ROMAN_WORD}(?:[ ,]{{1,2}}{_ROMAN_WORD}){{1,2}}(?![ ,]{{0,2}}\\p{{Latin}})"
    return r.pattern("titles", f"(?P<name>{name})[ ]?(?P<title>{words}|{bracket})")


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


def is_han(ch: str) -> bool:
    """A CJK ideograph (not 〇, not punctuation). One call, no wrapper: the name finder asks
    about every character around a trigger."""
    return len(ch) == 1 and ("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"
                             or "\uf900" <= ch <= "\ufaff" or "\U00020000" <= ch <= "\U0003134f")

