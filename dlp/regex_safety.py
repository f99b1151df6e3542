"""Refuse pack regexes that backtrack catastrophically, before they reach a scan.

A pattern such as ``(?:a|aa)+c`` or ``(\\d+)*x`` takes time exponential in the length of an
input that *almost* matches: 40 characters can stall a worker for hours. Reading the pattern
shows where that can happen (a repeated group whose body can match the same text in more than
one way: an alternation or a repeat inside a repeat); adversarial probes built from the pattern
and the rule's own examples then show whether it does, each run with the regex module's
``timeout=``. Only a probe that actually runs out of time refuses the rule (file, rule, the
probe and the reason), so a pattern that merely looks suspicious is never refused.

The scan itself keeps a backstop (``scan_limits.regex_timeout_seconds``) for what probes miss.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import regex

from dlp.errors import PackError
from dlp.recognizers.base import Rule

#: A probe still running after this long is catastrophic (a safe pattern takes microseconds).
PROBE_TIMEOUT = 0.25
PUMP_LENGTHS = (40, 80)
_MAX_PROBES = 1500
_SUFFIXES = ("", "!", "\n", " ", "x", "0", "a", "中", "-", "\x00")
_CLASS_SAMPLES = {"d": "0", "w": "a", "s": " ", "D": "a", "W": "!", "S": "a", "h": " ", "b": "", "B": ""}
_PROPERTY_SAMPLES = {"han": "中", "l": "a", "lu": "A", "ll": "a", "n": "1", "nd": "1", "latin": "a", "p": ",", "z": " "}


@dataclass
class _Frame:
    alternation: bool = False
    repeat_inside: bool = False
    atomic: bool = False


def looks_risky(source: str) -> bool:
    """True when a repeated group can match the same text in more than one way.

    Reads the syntax only (escapes, sets, groups, quantifiers); possessive quantifiers and
    atomic groups are safe. False positives are fine: probes decide.
    """
    stack = [_Frame()]
    i, n = 0, len(source)
    while i < n:
        c = source[i]
        if c == "\\":
            i = _skip_escape(source, i)
            i = _after_atom(source, i, stack)
            continue
        if c == "[":
            i = _skip_set(source, i)
            i = _after_atom(source, i, stack)
            continue
        if c == "(":
            if source.startswith("(?#", i):
                i = source.find(")", i) + 1 or n
                continue
            header = regex.match(r"\(\?(?:[a-zA-Z^-]*\)|[a-zA-Z^-]*:|P?<[A-Za-z_]\w*>|'[A-Za-z_]\w*'|>|=|!|<=|<!|\||P=\w+\)|\d+\)|R\))?",
                                 source[i:])
            if header and header.group().endswith(")") and header.group() != "(":
                i += header.end()  # inline flags or a back-reference: no group
                i = _after_atom(source, i, stack)
                continue
            stack.append(_Frame(atomic=bool(header and header.group() == "(?>")))
            i += header.end() if header else 1
            continue
        if c == ")":
            frame = stack.pop() if len(stack) > 1 else _Frame()
            i += 1
            repeats, possessive, i = _quantifier(source, i)
            if repeats and not possessive and not frame.atomic and (frame.alternation or frame.repeat_inside):
                return True
            stack[-1].repeat_inside |= (frame.repeat_inside and not frame.atomic) or (repeats and not possessive)
            continue
        if c == "|":
            stack[-1].alternation = True
            i += 1
            continue
        i = _after_atom(source, i + 1, stack)
    return False


def _skip_escape(source: str, i: int) -> int:
    if i + 1 < len(source) and source[i + 1] in "pPNxuU" and i + 2 < len(source) and source[i + 2] == "{":
        end = source.find("}", i + 2)
        return end + 1 if end >= 0 else len(source)
    return i + 2


def _skip_set(source: str, i: int) -> int:
    depth, j = 0, i
    n = len(source)
    while j < n:
        c = source[j]
        if c == "\\":
            j += 2
            continue
        if c == "[":
            depth += 1
            j += 1
            if j < n and source[j] == "^":
                j += 1
            if j < n and source[j] == "]":
                j += 1  # a leading ] is a literal
            continue
        if c == "]":
            depth -= 1
            j += 1
            if depth == 0:
                return j
            continue
        j += 1
    return n


def _quantifier(source: str, i: int) -> tuple[bool, bool, int]:
    """(repeats more than once, possessive, index after it) for a quantifier at ``i``, if any."""
    m = regex.match(r"(?:([*+])|\?|\{(\d*)(?:(,)(\d*))?\})([?+]?)", source[i:])
    if not m:
        return False, False, i
    if m.group(1):
        repeats = True
    elif m.group(0).startswith("{"):
        lo, comma, hi = m.group(2), m.group(3), m.group(4)
        repeats = (comma and (not hi or int(hi) > 1)) or (not comma and lo and int(lo) > 1)
    else:
        repeats = False
    return bool(repeats), m.group(5) == "+", i + m.end()


def _after_atom(source: str, i: int, stack: list[_Frame]) -> int:
    repeats, possessive, i = _quantifier(source, i)
    if repeats and not possessive:
        stack[-1].repeat_inside = True
    return i


def alphabet(source: str, examples: Iterable[str]) -> list[str]:
    """Characters a probe is built from: the pattern's literals and class samples, the examples'."""
    chars: dict[str, None] = {}
    for m in regex.finditer(r"\\[pP]\{(\w+)\}|\\([dwsDWSh])|\[(\^?)(\\?.)|\\(.)|([^\\()\[\]{}|*+?.^$])", source):
        prop, cls, neg, first, escaped, literal = m.groups()
        if prop:
            chars[_PROPERTY_SAMPLES.get(prop.lower(), "a")] = None
        elif cls:
            chars[_CLASS_SAMPLES[cls]] = None
        elif first is not None:
            if not neg:
                chars[first[-1]] = None
        elif escaped:
            if not escaped.isalnum():
                chars[escaped] = None
        elif literal:
            chars[literal] = None
    for text in examples:
        for ch in text[:80]:
            chars[ch] = None
    chars.pop("", None)
    return list(chars)[:40]


def probes(source: str, examples: list[str]) -> Iterator[str]:
    """Inputs that make an ambiguous repetition try every way of splitting a run, then fail."""
    letters = alphabet(source, examples)
    suffixes = list(dict.fromkeys([*_SUFFIXES, *letters]))
    count = 0
    for n in PUMP_LENGTHS:
        for ch in letters:
            for suffix in suffixes:
                yield ch * n + suffix
                count += 1
        for ex in examples[:3]:
            ex = ex[:60]
            for i in range(len(ex)):
                for width in (1, 2):
                    piece = ex[i:i + width]
                    if len(piece) < width:
                        continue
                    for suffix in suffixes[:12]:
                        yield ex[:i] + piece * (n // width) + ex[i + width:] + suffix
                        count += 1
                        if count >= _MAX_PROBES * len(PUMP_LENGTHS):
                            return


def catastrophic_probe(pattern: regex.Pattern[str], examples: list[str], timeout: float = PROBE_TIMEOUT) -> str | None:
    """The first probe on which ``pattern`` runs out of time, or None."""
    if not looks_risky(pattern.pattern):
        return None
    for probe in probes(pattern.pattern, examples):
        try:
            pattern.search(probe, timeout=timeout)
        except TimeoutError:
            return probe
    return None


def pack_patterns(detectors: Iterable[Any]) -> Iterator[tuple[Rule, str, regex.Pattern[str]]]:
    """Every compiled pattern a detector built from a pack rule: (rule, field, pattern)."""
    seen: set[int] = set()
    for det in detectors:
        for item in [*getattr(det, "compiled", []), *getattr(det, "finders", [])]:
            rule = getattr(item, "rule", None)
            if not isinstance(rule, Rule):
                continue
            for name, pattern in _patterns_in(item, depth=2):
                if id(pattern) not in seen:
                    seen.add(id(pattern))
                    yield rule, name, pattern


def _patterns_in(obj: Any, depth: int, prefix: str = "") -> Iterator[tuple[str, regex.Pattern[str]]]:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        items: Iterable[tuple[str, Any]] = ((f.name, getattr(obj, f.name, None)) for f in dataclasses.fields(obj))
    else:
        items = vars(obj).items() if hasattr(obj, "__dict__") else ()
    for name, value in items:
        if isinstance(value, regex.Pattern):
            yield prefix + name, value
        elif isinstance(value, (tuple, list)):
            for k, v in enumerate(value):
                if isinstance(v, regex.Pattern):
                    yield f"{prefix}{name}[{k}]", v
        elif depth > 0 and value is not None and not isinstance(value, (str, bytes, int, float, bool, dict, Rule)):
            yield from _patterns_in(value, depth - 1, f"{prefix}{name}.")


def check_detectors(detectors: Iterable[Any], timeout: float = PROBE_TIMEOUT) -> list[PackError]:
    """A ``PackError`` for every pack pattern that backtracks catastrophically on a probe."""
    errors: list[PackError] = []
    refused: set[str] = set()
    for rule, name, pattern in pack_patterns(detectors):
        if rule.id in refused:
            continue
        examples = [ex if isinstance(ex, str) else ex["text"] for ex in [*rule.examples_match, *rule.examples_no_match]]
        probe = catastrophic_probe(pattern, examples, timeout)
        if probe is not None:
            refused.add(rule.id)
            shown = probe if len(probe) <= 50 else probe[:24] + "…" + probe[-12:]
            errors.append(PackError(rule.file, rule.id, (
                f"正規表示式（{_field_name(name)}）會發生災難性回溯：輸入「{shown!s}」（{len(probe)} 字）比對超過 "
                f"{timeout} 秒仍未結束。請改寫：重複的群組裡不要有可以比對到相同文字的選項或另一層重複"
                f"（例如把 (?:a|aa)+ 寫成 a+，或用佔有量詞 ++、*+）")))
    return errors


def _field_name(name: str) -> str:
    return {"pattern": "regex", "discard": "discard_regex"}.get(name, name)


__all__ = ["PROBE_TIMEOUT", "catastrophic_probe", "check_detectors", "looks_risky", "pack_patterns", "probes"]
