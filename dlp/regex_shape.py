"""What a pack pattern's text says about how it can match, for searching it faster (the
matches never change).

* :func:`lookahead_reach`: how far past the end of its match a pattern reads. The pattern
  detector may search several nearby prefilter windows of one rule in a single call
  (:func:`dlp.recognizers.pattern.window_spans`). That finds exactly what searching each window
  alone finds when nothing the pattern checks can reach the edge of a window from a match
  inside it: a window ends ``max_length + 1`` characters past the last place the prefilter saw a
  possible match end, so a rule qualifies when its lookaheads (the only part of a match that
  reads past its end) are at most ``max_length`` characters wide, and it has no end anchor or
  word boundary (hyperscan, which drew the windows, keeps those exact instead of relaxing them,
  so a window's edge could pass for the end of the text).
* :func:`first_character_hint`: the characters a match can start with, as a character class.
  The regex module skips ahead to the next such character at C speed when the pattern begins
  with a lookahead of that class, where a pattern opening with an optional group or a
  lookbehind is tried at every position: the bank-account rule's 170 ns per character becomes
  ~25. A match consumes at least one character (the hint is only given for patterns that cannot
  match empty), and that character is in the class, so ``(?=[class])(?:pattern)`` matches
  exactly where and how ``pattern`` does.

Anything this module cannot read (syntax of the ``regex`` module only, backreferences, fuzzy
matching, inline flags) gets no answer: those rules are searched as written.
"""

from __future__ import annotations

import functools
import re
import re._constants as sre
import re._parser as sre_parse
from typing import Any

#: Anchors that look only at what is before them (the same whatever the window's right edge).
_LEFT_ANCHORS = frozenset({sre.AT_BEGINNING, sre.AT_BEGINNING_LINE, sre.AT_BEGINNING_STRING})
#: Nodes that consume or test characters inside the match only.
_PLAIN = frozenset({sre.LITERAL, sre.NOT_LITERAL, sre.IN, sre.ANY, sre.RANGE, sre.CATEGORY, sre.NEGATE})
_ZERO_WIDTH = frozenset({sre.AT, sre.ASSERT, sre.ASSERT_NOT})
_REPEATS = frozenset({sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT})
#: The ``regex`` module's fuzzy constraints (``{e<=1}``), which ``re`` would read as literals.
_FUZZY = re.compile(r"\{[^{}]*[eids]\s*[<>=]")
#: Inline flags (``(?i)``, ``(?x:...)``): they would change how a wrapped pattern reads.
_INLINE_FLAGS = re.compile(r"\(\?[a-zA-Z^-]+[:)]")
#: A Unicode property (``\p{Han}``, ``\PL``; not after an escaped backslash), which ``re``
#: cannot parse: read as one character of its own (the same width), which no hint may contain.
_PROPERTY = re.compile(r"(?<!\\)((?:\\\\)*)\\[pP](?:\{[^{}]*\}|[A-Za-z])")
_STAND_IN = 0xE000
_CATEGORIES = {
    sre.CATEGORY_DIGIT: r"\d", sre.CATEGORY_NOT_DIGIT: r"\D", sre.CATEGORY_SPACE: r"\s",
    sre.CATEGORY_NOT_SPACE: r"\S", sre.CATEGORY_WORD: r"\w", sre.CATEGORY_NOT_WORD: r"\W",
}


class _Unreadable(Exception):
    """Something the hint cannot say exactly."""


@functools.lru_cache(maxsize=512)
def _parse(source: str) -> Any | None:
    """The pattern's tree (read-only: both questions below read the same one), or None."""
    if _FUZZY.search(source):
        return None
    try:
        return sre_parse.parse(_PROPERTY.sub(lambda m: m.group(1) + chr(_STAND_IN), source))
    except Exception:  # regex-only syntax (branch reset, \m, ...): no answer, still correct
        return None


def lookahead_reach(source: str) -> int | None:
    """The widest stretch past a position that any lookahead of ``source`` reads (0: none),
    or None when it cannot be bounded (or the pattern is not one this module can read)."""
    tree = _parse(source)
    return None if tree is None else _reach(tree)


def _reach(items: Any) -> int | None:
    worst = 0
    for op, av in items:
        if op in _PLAIN:
            continue
        if op is sre.AT:
            if av not in _LEFT_ANCHORS:
                return None
            continue
        inner: int | None
        if op in (sre.ASSERT, sre.ASSERT_NOT):
            direction, sub = av
            inner = _reach(sub)
            if inner is None:
                return None
            if direction == 1:  # a lookahead reads its own width, then what its inside reads past it
                width = sub.getwidth()[1]
                if width >= sre.MAXREPEAT - 1:
                    return None
                inner += width
        elif op is sre.BRANCH:
            inner = 0
            for branch in av[1]:
                one = _reach(branch)
                if one is None:
                    return None
                inner = max(inner, one)
        elif op in _REPEATS:
            inner = _reach(av[2])
        elif op is sre.SUBPATTERN:
            inner = _reach(av[3])
        elif op is sre.ATOMIC_GROUP:
            inner = _reach(av)
        else:  # backreferences, conditionals, anything unforeseen
            return None
        if inner is None:
            return None
        worst = max(worst, inner)
    return worst


def first_character_hint(source: str) -> str | None:
    """A character class (``[...]``) holding every character a match of ``source`` can start
    with, or None (the pattern can match empty, can start with any character, or is not one
    this module can read). Compile it with the pattern's own flags: case folding then applies
    to both alike."""
    if _INLINE_FLAGS.search(source):
        return None
    tree = _parse(source)
    if tree is None:
        return None
    items: list[str] = []
    try:
        if _first(tree, items):
            return None  # it can match empty
    except _Unreadable:
        return None
    return "[" + "".join(dict.fromkeys(items)) + "]"


def _char(code: int) -> str:
    if code == _STAND_IN:
        raise _Unreadable
    return f"\\U{code:08x}"


def _class_items(members: Any, items: list[str]) -> None:
    for op, av in members:
        if op is sre.LITERAL:
            items.append(_char(av))
        elif op is sre.RANGE:
            lo, hi = av
            if lo <= _STAND_IN <= hi:
                raise _Unreadable
            items.append(f"{_char(lo)}-{_char(hi)}")
        elif op is sre.CATEGORY and av in _CATEGORIES:
            items.append(_CATEGORIES[av])
        else:  # a negated class, a category with no class escape
            raise _Unreadable


def _first(seq: Any, items: list[str]) -> bool:
    """Add to ``items`` what a match of ``seq`` can start with; True when ``seq`` can match
    without consuming a character (then what follows it can start the match too)."""
    for op, av in seq:
        if op in _ZERO_WIDTH:
            continue
        if op is sre.LITERAL:
            items.append(_char(av))
            return False
        if op is sre.IN:
            _class_items(av, items)
            return False
        if op is sre.CATEGORY and av in _CATEGORIES:
            items.append(_CATEGORIES[av])
            return False
        if op is sre.BRANCH:
            empty = False
            for branch in av[1]:
                empty = _first(branch, items) or empty
            if not empty:
                return False
        elif op in _REPEATS:
            low, high, sub = av
            if high == 0:
                continue
            if not _first(sub, items) and low > 0:
                return False
        elif op is sre.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            if add_flags or del_flags:
                raise _Unreadable
            if not _first(sub, items):
                return False
        elif op is sre.ATOMIC_GROUP:
            if not _first(av, items):
                return False
        else:  # any character, a negated literal, a backreference, ...
            raise _Unreadable
    return True
