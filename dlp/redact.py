"""Masking for the ``redact`` action: personal data hidden, still recognisable to people.

Every style replaces characters one for one, so **the output has exactly the length of the
input** and every offset into the original (findings, spans) stays true in the redacted text.
Text outside the spans is never touched. Where spans overlap, a character is masked when any
span masks it (the first span by start, then by length, chooses the mask character), so
merging can only hide more, never reveal.

Styles (the ``mask:`` field of a pack rule; reference in docs/policy.md): ``keep_ends``,
``phone``, ``name``, ``address``, ``email``, ``date``, ``full``. A missing or broken spec
masks the whole value (``full``) rather than leak it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import regex

from dlp.model import Finding

DEFAULT_COMPOUND_SURNAMES: tuple[str, ...] = (
    "歐陽", "張簡", "范姜", "周黃", "江謝", "張廖", "簡張", "司徒", "上官", "令狐", "赫連", "第五",
    "諸葛", "司馬", "夏侯", "皇甫", "東方", "公孫", "慕容", "端木", "長孫", "鍾離", "尉遲", "宇文",
    "軒轅", "澹臺", "澹台", "呼延", "申屠", "太史",
)
#: Characters of an address kept after the county/city and township/district.
DEFAULT_ADDRESS_KEEP = "村里鄰路街道段巷弄衖號樓之室Ff"
_NAME_SEPARATORS = frozenset(" \u3000·‧•・.．-")
_NUMERALS = frozenset("〇○零一二三四五六七八九十百")
_ADMIN = regex.compile(
    r"^(?P<zip>[0-9０-９]{3,6}\s*)?(?:臺灣省|台灣省)?(?:\p{Han}{1,3}?[縣市])?(?:\p{Han}{1,3}?[鄉鎮市區])?"
)
_PHONE_EXTENSION = regex.compile(r"#|轉|分機|ext|EXT|Ext")
_HAN = regex.compile(r"\p{Han}")

# style -> {option: validator(value) -> problem or None}
_OPTIONS: dict[str, dict[str, Callable[[Any], str | None]]] = {}


def _nonneg_int(v: Any) -> str | None:
    return None if isinstance(v, int) and not isinstance(v, bool) and v >= 0 else "應為 0 以上的整數"


def _pos_int(v: Any) -> str | None:
    return None if isinstance(v, int) and not isinstance(v, bool) and v >= 1 else "應為 1 以上的整數"


def _bool(v: Any) -> str | None:
    return None if isinstance(v, bool) else "應為 true 或 false"


def _char(v: Any) -> str | None:
    if isinstance(v, str) and len(v) == 1 and not v.isspace():
        return None
    return "應為一個非空白的字元（例如 * 或 ○）"


def _text(v: Any) -> str | None:
    return None if isinstance(v, str) and v else "應為非空白的文字"


def _text_list(v: Any) -> str | None:
    ok = isinstance(v, list) and all(isinstance(x, str) and x for x in v)
    return None if ok else "應為文字清單"


_OPTIONS.update({
    "full": {"char": _char},
    "keep_ends": {"char": _char, "keep_start": _nonneg_int, "keep_end": _nonneg_int},
    "phone": {"char": _char, "keep_end": _nonneg_int, "mask_digits": _pos_int},
    "name": {"char": _char, "keep_last": _bool, "compound_surnames": _text_list},
    "address": {"char": _char, "keep": _text},
    "email": {"char": _char, "keep_start": _nonneg_int},
    "date": {"char": _char, "keep_year": _bool},
})
MASK_STYLES: tuple[str, ...] = tuple(_OPTIONS)
_DEFAULT_CHAR = {"name": "○", "address": "○"}


@dataclass(frozen=True)
class RedactSpan:
    """A part of the caller's original text to mask, and how (a pack rule's ``mask`` field)."""

    start: int
    end: int
    type: str = ""
    mask: Mapping[str, Any] | None = None


def check_mask_spec(spec: Any) -> list[str]:
    """Problems with a ``mask:`` spec, in Traditional Chinese (empty when it is usable)."""
    if not isinstance(spec, Mapping):
        return ["mask 應為對照表，例如 {style: keep_ends, keep_start: 3, keep_end: 3}"]
    style = spec.get("style")
    if style not in _OPTIONS:
        return [f"未知的遮蔽方式「{style}」；可用：{'、'.join(MASK_STYLES)}"]
    problems = []
    for key, value in spec.items():
        if key == "style":
            continue
        check = _OPTIONS[style].get(key)
        if check is None:
            problems.append(f"遮蔽方式 {style} 沒有選項「{key}」；可用：{'、'.join(_OPTIONS[style]) or '（無）'}")
        else:
            problem = check(value)
            if problem:
                problems.append(f"mask.{key} {problem}，實際為「{value}」")
    return problems


# -- one value -> which positions to mask -----------------------------------------------------
Plan = list[bool]


def _plan_full(value: str, spec: Mapping[str, Any]) -> Plan:
    return [not ch.isspace() for ch in value]


def _shrink_keep(n: int, keep_start: int, keep_end: int) -> tuple[int, int]:
    """Keep counts that still leave something masked: at least half when the value is short."""
    if keep_start + keep_end < n:
        return keep_start, keep_end
    budget = n - math.ceil(n / 2)
    ks = min(keep_start, (budget + 1) // 2)
    return ks, min(keep_end, budget - ks)


def _plan_keep_ends(value: str, spec: Mapping[str, Any]) -> Plan:
    # every character of an ID or an account number is significant: no list of them to make
    significant: Sequence[int] = range(len(value)) if value.isalnum() else [
        i for i, ch in enumerate(value) if ch.isalnum()]
    ks, ke = _shrink_keep(len(significant), spec.get("keep_start", 3), spec.get("keep_end", 3))
    plan = [False] * len(value)
    for i in significant[ks:len(significant) - ke]:
        plan[i] = True
    return plan


def _phone_extension_at(value: str) -> int:
    """Where ``_PHONE_EXTENSION`` first matches in ``value`` (its length: nowhere). An ASCII value
    cannot hold 轉 or 分機, so four substring tests tell whether it needs the search."""
    if value.isascii() and "#" not in value and "ext" not in value and "EXT" not in value and "Ext" not in value:
        return len(value)
    ext = _PHONE_EXTENSION.search(value)
    return ext.start() if ext else len(value)


def _plan_phone(value: str, spec: Mapping[str, Any]) -> Plan:
    plan = [False] * len(value)
    for i in _phone_positions(value, spec):
        plan[i] = True
    return plan


def _phone_positions(value: str, spec: Mapping[str, Any]) -> list[int]:
    """Where the phone style masks ``value``: digits before the extension, counted from the end."""
    stop = _phone_extension_at(value)
    digits = [i for i, ch in enumerate(value[:stop]) if ch.isdecimal()]
    number = "".join([value[i] for i in digits])
    national = number[3:] if number.startswith("886") and len(number) >= 11 else number
    mobile = national.lstrip("0").startswith("9")
    keep_end = spec.get("keep_end", 3 if mobile else 2)
    mask = spec.get("mask_digits", 3 if mobile else 2)
    n = len(digits)
    if n >= keep_end + mask + 2:
        first = n - keep_end - mask
    else:  # short or odd number: mask the middle half
        mask = math.ceil(n / 2)
        first = (n - mask) // 2
    return digits[first:first + mask]


def _plan_name_parts(value: str) -> Plan:
    """A romanised or multi-part name: the first letter of each part kept."""
    plan = [False] * len(value)
    at_start = True
    for i, ch in enumerate(value):
        if ch in _NAME_SEPARATORS or ch.isspace():
            at_start = True
            continue
        plan[i] = not at_start
        at_start = False
    if len(value) == 1:
        plan[0] = True
    return plan


def _plan_name(value: str, spec: Mapping[str, Any]) -> Plan:
    if not _HAN.search(value) or not _NAME_SEPARATORS.isdisjoint(value.strip()):
        return _plan_name_parts(value)
    words = value.split()
    if len(words) == 1 and len(words[0]) == len(value):  # no space in it (most names)
        return _plan_given_name(value, range(len(value)), value[:2], spec)  # (split and isspace agree)
    chars = [i for i, ch in enumerate(value) if not ch.isspace()]
    return _plan_given_name(value, chars, "".join(value[i] for i in chars[:2]), spec)


def _plan_given_name(value: str, chars: Sequence[int], head: str, spec: Mapping[str, Any]) -> Plan:
    """A Chinese name: the surname (one character, or two of a compound one) kept, and the last
    character unless ``keep_last`` is false; ``chars``: where its characters are (no spaces),
    ``head``: its first two."""
    plan = [False] * len(value)
    n = len(chars)
    compounds = spec.get("compound_surnames", DEFAULT_COMPOUND_SURNAMES)
    surname = 2 if n >= 3 and head in compounds else 1
    if n <= 1:
        masked = chars
    elif surname == 2 or n == 2 or not spec.get("keep_last", True):
        masked = chars[surname:]
    else:
        masked = chars[1:-1]
    for i in masked:
        plan[i] = True
    return plan


def _plan_address(value: str, spec: Mapping[str, Any]) -> Plan:
    keep = set(spec.get("keep", DEFAULT_ADDRESS_KEEP))
    admin_end = _ADMIN.match(value).end()  # type: ignore[union-attr]  # it can match empty
    plan = [False] * len(value)
    for i in range(admin_end, len(value)):
        ch = value[i]
        if ch in keep or ch.isspace():
            continue
        plan[i] = ch.isalnum() or ch in _NUMERALS
    return plan


def _plan_email(value: str, spec: Mapping[str, Any]) -> Plan:
    at = value.rfind("@")
    if at <= 0:
        return _plan_full(value, spec)
    keep = spec.get("keep_start", 1)
    if keep >= at:
        keep = 0
    return [keep <= i < at for i in range(len(value))]


def _year_run(runs: list[tuple[int, int]], value: str) -> tuple[int, int] | None:
    for s, e in runs:
        if value[e:e + 1] == "年":
            return s, e
    for s, e in runs:
        if e - s == 4 and value[s:e].isdecimal():
            return s, e
    if len(runs) == 1 and value[runs[0][0]:runs[0][1]].isdecimal() and runs[0][1] - runs[0][0] in (7, 8):
        s, e = runs[0]  # compact 1140520 (ROC) or 19850312
        return s, s + (e - s - 4)
    return runs[0] if len(runs) > 1 else None


def _plan_date(value: str, spec: Mapping[str, Any]) -> Plan:
    is_num = [ch.isdecimal() or ch in _NUMERALS for ch in value]
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(value):
        if is_num[i]:
            j = i
            while j < len(value) and is_num[j]:
                j += 1
            runs.append((i, j))
            i = j
        else:
            i += 1
    year = _year_run(runs, value) if spec.get("keep_year", True) else None
    plan = list(is_num)
    if year:
        for k in range(*year):
            plan[k] = False
    return plan


_PLANNERS: dict[str, Callable[[str, Mapping[str, Any]], Plan]] = {
    "full": _plan_full,
    "keep_ends": _plan_keep_ends,
    "phone": _plan_phone,
    "name": _plan_name,
    "address": _plan_address,
    "email": _plan_email,
    "date": _plan_date,
}


def _usable(spec: Mapping[str, Any] | None) -> tuple[Mapping[str, Any], Callable[[str, Mapping[str, Any]], Plan], str]:
    """(spec, planner, mask character) for ``spec``, or for ``full`` when it is missing or broken."""
    if spec is None or check_mask_spec(spec):
        spec = {"style": "full"}
    style = spec["style"]
    return spec, _PLANNERS[style], spec.get("char", _DEFAULT_CHAR.get(style, "*"))


def _plan_of(value: str, spec: Mapping[str, Any], planner: Callable[[str, Mapping[str, Any]], Plan]) -> Plan:
    plan = planner(value, spec)
    if not any(plan) and sum(ch.isalnum() for ch in value) >= 2:
        # Fail closed: a value the style finds nothing to mask in (a phone style on letters, an
        # address that is all district, a date that is only a year) still loses its middle.
        plan = _plan_keep_ends(value, {})
    return plan


def _plan(value: str, spec: Mapping[str, Any] | None) -> tuple[Plan, str]:
    spec, planner, char = _usable(spec)
    return _plan_of(value, spec, planner), char


def mask_value(value: str, spec: Mapping[str, Any] | None) -> str:
    """Mask one whole value (same length as ``value``)."""
    plan, char = _plan(value, spec)
    return "".join([char if m else ch for ch, m in zip(value, plan)])  # (a list: faster than a generator)


def value_masker(spec: Mapping[str, Any] | None) -> Callable[[str], str]:
    """``lambda value: mask_value(value, spec)``, with ``spec`` checked once rather than for
    every value (a pack rule's spec, which nothing changes once the packs are loaded)."""
    spec, planner, char = _usable(spec)

    def mask(value: str) -> str:
        return "".join([char if m else ch for ch, m in zip(value, _plan_of(value, spec, planner))])

    direct = _DIRECT.get(spec["style"])
    return mask if direct is None else direct(spec, char, mask)


# -- the usual values of a style, masked without a plan -------------------------------------------
# Each builder takes (spec, mask character, the plan-based masker) and gives a masker with the
# same answer for every value: the string is built from slices where the plan's shape is known
# (an all-letters ID, an all-Han name, a phone's digits), the plan-based one for the rest
# (``tests/test_speed_glue.py`` compares them). A roster masks thousands of values per scan.

_ALL_HAN = regex.compile(r"\p{Han}+")


def _direct_full(spec: Mapping[str, Any], char: str, planned: Callable[[str], str]) -> Callable[[str], str]:
    def mask(value: str) -> str:
        words = value.split()  # one word as long as the value: no space, every character masked
        if len(words) == 1 and len(words[0]) == len(value):
            return char * len(value)
        return planned(value)
    return mask


def _direct_keep_ends(spec: Mapping[str, Any], char: str, planned: Callable[[str], str]) -> Callable[[str], str]:
    keep_start, keep_end = spec.get("keep_start", 3), spec.get("keep_end", 3)

    def mask(value: str) -> str:
        if not value.isalnum():
            return planned(value)
        n = len(value)  # every character significant; the shrunk keeps leave one masked at least
        ks, ke = _shrink_keep(n, keep_start, keep_end)
        return value[:ks] + char * (n - ks - ke) + value[n - ke:]
    return mask


def _direct_name(spec: Mapping[str, Any], char: str, planned: Callable[[str], str]) -> Callable[[str], str]:
    compounds = spec.get("compound_surnames", DEFAULT_COMPOUND_SURNAMES)
    keep_last = spec.get("keep_last", True)
    full = _ALL_HAN.fullmatch

    def mask(value: str) -> str:
        if full(value) is None:  # (all Han: no separator, no space, one word)
            return planned(value)
        n = len(value)
        if n <= 1:
            return char * n
        surname = 2 if n >= 3 and value[:2] in compounds else 1
        if surname == 2 or n == 2 or not keep_last:
            return value[:surname] + char * (n - surname)
        return value[0] + char * (n - 2) + value[-1]
    return mask


def _direct_phone(spec: Mapping[str, Any], char: str, planned: Callable[[str], str]) -> Callable[[str], str]:
    def mask(value: str) -> str:
        positions = _phone_positions(value, spec)
        if not positions:  # nothing to mask: the fail-closed plan decides
            return planned(value)
        out = list(value)
        for i in positions:
            out[i] = char
        return "".join(out)
    return mask


def _direct_email(spec: Mapping[str, Any], char: str, planned: Callable[[str], str]) -> Callable[[str], str]:
    keep_start = spec.get("keep_start", 1)

    def mask(value: str) -> str:
        at = value.rfind("@")
        if at <= 0:
            return planned(value)
        keep = 0 if keep_start >= at else keep_start  # the local part keeps one masked at least
        return value[:keep] + char * (at - keep) + value[at:]
    return mask


def _direct_address(spec: Mapping[str, Any], char: str, planned: Callable[[str], str]) -> Callable[[str], str]:
    keep = frozenset(spec.get("keep", DEFAULT_ADDRESS_KEEP))
    admin = _ADMIN.match

    def mask(value: str) -> str:
        out: list[str] | None = None
        for i in range(admin(value).end(), len(value)):  # type: ignore[union-attr]  # it can match empty
            ch = value[i]
            if ch in keep or ch.isspace():
                continue
            if ch.isalnum() or ch in _NUMERALS:
                if out is None:
                    out = list(value)
                out[i] = char
        return planned(value) if out is None else "".join(out)
    return mask


_DIRECT: dict[str, Callable[[Mapping[str, Any], str, Callable[[str], str]], Callable[[str], str]]] = {
    "full": _direct_full,
    "keep_ends": _direct_keep_ends,
    "name": _direct_name,
    "phone": _direct_phone,
    "email": _direct_email,
    "address": _direct_address,
}


def redact_text(text: str, spans: Iterable[RedactSpan]) -> str:
    """Mask ``spans`` of ``text``; same length as ``text``, nothing outside the spans changes."""
    ordered = sorted(
        (s for s in spans if min(s.end, len(text)) > max(s.start, 0)),
        key=lambda s: (s.start, -(s.end - s.start)),
    )
    if not ordered:
        return text
    replaced: dict[int, str] = {}
    for span in ordered:
        start, end = max(span.start, 0), min(span.end, len(text))
        plan, char = _plan(text[start:end], span.mask)
        for offset, masked in enumerate(plan):
            if masked:
                replaced.setdefault(start + offset, char)
    out = list(text)
    for pos, char in replaced.items():
        out[pos] = char
    return "".join(out)


def spans_from_findings(
    findings: Iterable[Finding],
    masks: Mapping[str, Mapping[str, Any] | None],
    location: str = "body",
    kinds: tuple[str, ...] = ("personal_data",),
    include_shadow: bool = False,
) -> list[RedactSpan]:
    """Spans for the findings of one location; ``masks`` maps a rule id to its ``mask`` spec.

    Shadow findings are left alone by default: a rule on trial must not alter what is sent.
    """
    return [
        RedactSpan(f.start, f.end, f.type, masks.get(f.rule))
        for f in findings
        if f.location == location and f.kind in kinds and (include_shadow or not f.shadow)
    ]


__all__ = [
    "MASK_STYLES",
    "RedactSpan",
    "check_mask_spec",
    "mask_value",
    "redact_text",
    "spans_from_findings",
    "value_masker",
]
