"""Text folding with an exact offset map back to the caller's original text.

What it folds (so that patterns are written once, for the plain form):

* NFKC, one character at a time: full-width letters and digits (``Ａ１`` -> ``A1``), CJK
  compatibility ideographs, Kangxi radicals (``⾝`` -> ``身``), full-width punctuation
  (``：（）`` -> ``:()``), U+3000 and the other spaces -> `` ``;
* every dash-like character -> ``-``; U+2028/U+2029 and CR (of CRLF: mail, Windows files) -> a
  line break;
* Cyrillic and Greek capitals that look like Latin ones (С, Е, Н, Α, Ε ...) -> the Latin letter,
  so an ID whose letter is a look-alike (С171516930) is still an ID;
* a run of seven or more Chinese digits (零〇○一二三四五六七八九, spaces or dashes between
  groups, four of them 一 to 九) -> ASCII digits, in a text that has a Chinese zero somewhere:
  「零九三八 二七五 一六四」 is a phone number. Counting words use 十/百, so ordinary numbers in
  prose are never such a run;
* invisible characters are removed: zero-width space and joiners, U+2060 and the other
  format characters, BOM, soft hyphen, variation selectors, bidi controls, NUL and the other
  C0/C1 control characters (except tab, line feed, carriage return, form feed);
* combining marks (the diacritical and symbol blocks) right after an ASCII letter or digit are
  removed (W1̲6̲3̲0̲…: an underline drawn with U+0332 on each digit).

Separators *inside* identifiers (``A 1 2 3 4 5 6 7 8 9``, ``A-123-456-789``, ``0912.345.678``)
are kept in the text, because a space or a dash is real content elsewhere; identifier patterns
allow them with the pack's ``{sep}`` definition, and :func:`compact` strips them from a matched
value before validation and counting.

Most folds keep the length (one character in, one out) and are done by ``str.translate`` at C
speed with no offset bookkeeping; only deletions and expansions (``㍿`` -> ``株式会社``) are
recorded, so a clean message costs almost nothing.
"""

from __future__ import annotations

import bisect
import hashlib
import platform
import re
import sys
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import regex

_INVISIBLE_RANGES: tuple[tuple[int, int], ...] = (
    (0x00AD, 0x00AD),  # soft hyphen
    (0x034F, 0x034F),  # combining grapheme joiner
    (0x061C, 0x061C),  # Arabic letter mark
    (0x115F, 0x1160),  # Hangul fillers
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),  # Mongolian free variation selectors, vowel separator
    (0x200B, 0x200F),  # zero-width space, ZWNJ, ZWJ, LRM, RLM
    (0x202A, 0x202E),  # bidi embeddings and overrides
    (0x2060, 0x2064),  # word joiner, invisible operators
    (0x2066, 0x206F),  # bidi isolates, deprecated format characters
    (0x3164, 0x3164),  # Hangul filler
    (0xFE00, 0xFE0F),  # variation selectors
    (0xFEFF, 0xFEFF),  # BOM / zero-width no-break space
    (0xFFA0, 0xFFA0),
    (0x1BCA0, 0x1BCA3),
    (0xE0000, 0xE007F),  # tags
    (0xE0100, 0xE01EF),  # variation selectors supplement
)
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d\u30fc"
_LINE_BREAKS = "\u2028\u2029\u0085\r"
#: Control characters that are content: tab, line feed, carriage return, form feed (page break).
_KEPT_CONTROLS = "\t\n\f"
_CONTROLS = frozenset(chr(cp) for cp in (*range(0x00, 0x20), *range(0x7F, 0xA0))) - set(_KEPT_CONTROLS) - set(_LINE_BREAKS)

#: Cyrillic and Greek letters a reader takes for Latin capitals (and a few lower-case ones).
LOOKALIKES: dict[str, str] = {
    "А": "A", "В": "B", "С": "C", "Е": "E", "Н": "H", "І": "I", "Ј": "J", "К": "K", "М": "M",
    "О": "O", "Р": "P", "Ѕ": "S", "Т": "T", "Х": "X", "У": "Y",
    "а": "a", "е": "e", "і": "i", "ј": "j", "о": "o", "р": "p", "с": "c", "ѕ": "s", "х": "x", "у": "y",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "ο": "o",
}

INVISIBLE_CHARS: frozenset[str] = frozenset(
    chr(cp) for lo, hi in _INVISIBLE_RANGES for cp in range(lo, hi + 1)
) | _CONTROLS

#: The blocks of combining marks that decorate Latin letters and digits (a few ranges keep the
#: matcher as fast as before; marks of other scripts are content anyway).
_MARK_BLOCKS = ((0x0300, 0x036F), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF), (0xFE20, 0xFE2F))

#: Chinese digits (〇 U+3007, ○ U+25CB as people type it, 零) and their values.
CHINESE_DIGITS: dict[str, str] = {
    "〇": "0", "○": "0", "零": "0", "一": "1", "二": "2", "三": "3", "四": "4",
    "五": "5", "六": "6", "七": "7", "八": "8", "九": "9",
}
_CN_DIGIT = "[" + "".join(CHINESE_DIGITS) + "]"
#: Seven or more Chinese digits, groups separated by one space or dash (a phone, an ID's digits).
_CN_DIGIT_RUN = re.compile(f"{_CN_DIGIT}(?:[ -]?{_CN_DIGIT}){{6,}}")
_CN_NONZERO = frozenset("一二三四五六七八九")
_CN_TABLE = str.maketrans(CHINESE_DIGITS)


@lru_cache(maxsize=1)
def _fold_tables() -> tuple[dict[int, str], re.Pattern[str], dict[str, str]]:
    """Build once per process: the 1:1 translate table and the matcher for the rest.

    Returns (one_to_one table, pattern of characters that delete or expand, expansions). The
    tables (a pass over every code point, ~0.15 s) are cached by :func:`dlp.cache_dir.derived`,
    keyed by this file and the Unicode database's version.
    """
    from dlp.cache_dir import derived

    key = hashlib.sha256(Path(__file__).read_bytes() + f"|{unicodedata.unidata_version}|{sys.version}".encode())
    one_to_one, special_chars, expansions = derived("fold-tables", key.hexdigest()[:32], _build_fold_tables)
    special = set(special_chars)
    _SPECIAL.update(special)
    return one_to_one, re.compile(_char_class(special)), expansions


def _build_fold_tables() -> tuple[dict[int, str], str, dict[str, str]]:
    one_to_one: dict[int, str] = {}
    expansions: dict[str, str] = {}
    for cp in range(0x110000):
        if 0xD800 <= cp < 0xE000:
            continue
        ch = chr(cp)
        if ch in INVISIBLE_CHARS:
            continue
        folded = unicodedata.normalize("NFKC", ch)
        if folded == ch:
            continue
        if len(folded) == 1:
            one_to_one[cp] = folded
        else:
            expansions[ch] = folded
    for ch in _DASHES:
        one_to_one[ord(ch)] = "-"
    for ch in _LINE_BREAKS:
        one_to_one[ord(ch)] = "\n"
    for ch, latin in LOOKALIKES.items():
        one_to_one[ord(ch)] = latin
    # NFKC of ideographic full stop etc. is left alone; U+30FC (katakana long mark) is only a
    # dash look-alike inside identifiers, which is where we see it in practice.
    marks = {chr(cp) for lo, hi in _MARK_BLOCKS for cp in range(lo, hi + 1)
             if unicodedata.category(chr(cp)) in ("Mn", "Me")} - INVISIBLE_CHARS
    special = INVISIBLE_CHARS | set(expansions) | marks
    return one_to_one, "".join(sorted(special)), expansions


def _char_class(chars: set[str] | frozenset[str]) -> str:
    """A character class of ranges: stdlib ``re`` scans it ~20x faster than a long list."""
    ranges: list[list[int]] = []
    for cp in sorted(map(ord, chars)):
        if ranges and cp == ranges[-1][1] + 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    body = "".join(
        re.escape(chr(lo)) if lo == hi else f"{re.escape(chr(lo))}-{re.escape(chr(hi))}" for lo, hi in ranges
    )
    return f"[{body}]"


@dataclass
class NormalizedText:
    """Folded text plus the map from its offsets back to ``original``.

    The map is a list of pieces ``(norm_start, orig_start, norm_len, orig_len)``. A piece with
    ``norm_len == orig_len`` maps character by character; any other piece (an expansion) maps as
    a whole. Characters removed from the original simply fall between pieces. No pieces at all:
    nothing was removed or expanded, an offset is the same in both texts.
    """

    original: str
    text: str
    _pieces: list[tuple[int, int, int, int]] = field(default_factory=list, repr=False)
    _starts: list[int] = field(default_factory=list, repr=False)

    @property
    def is_identity_map(self) -> bool:
        """Every offset is the same in both texts: no pieces, or one piece that maps character by
        character over the whole text (not a same-length expansion such as 「㎏」+ZWSP → "kg")."""
        if not self._pieces:
            return len(self.text) == len(self.original)
        n = len(self.text)
        return len(self._pieces) == 1 and n == len(self.original) and self._pieces[0] == (0, 0, n, n)

    def _piece_at(self, pos: int) -> tuple[int, int, int, int]:
        idx = bisect.bisect_right(self._starts, pos) - 1
        return self._pieces[idx]

    def to_original_start(self, pos: int) -> int:
        if not self._pieces or pos >= len(self.text):
            return len(self.original) if pos >= len(self.text) else pos
        n0, o0, nlen, olen = self._piece_at(pos)
        return o0 + (pos - n0) if nlen == olen else o0

    def to_original_end(self, pos: int) -> int:
        """Map an exclusive end offset: the end of the original text of character ``pos - 1``."""
        if pos <= 0:
            return 0
        if not self._pieces:
            return pos
        n0, o0, nlen, olen = self._piece_at(pos - 1)
        return o0 + (pos - n0) if nlen == olen else o0 + olen

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the folded text to the span of the original that produced it."""
        if end <= start:
            o = self.to_original_start(start)
            return o, o
        return self.to_original_start(start), self.to_original_end(end)


def _fold_chinese_digits(text: str) -> str:
    """Runs of Chinese digits that spell a number (see the module docstring), one for one.

    Only texts with a Chinese zero are searched (a phone number always has one): three
    substring tests keep clean text at C speed."""
    if "零" not in text and "〇" not in text and "○" not in text:
        return text
    out = None
    for m in _CN_DIGIT_RUN.finditer(text):
        run = m.group()
        if sum(ch in _CN_NONZERO for ch in run) < 4:
            continue
        if out is None:
            out = list(text)
        out[m.start():m.end()] = run.translate(_CN_TABLE)
    return text if out is None else "".join(out)


def _is_ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


_FEW = 40


def _fold_one_to_one(text: str, table: dict[int, str], keys: frozenset[str], chars: set[str] | None = None) -> str:
    """``text.translate(table)``, faster for the usual text: a Chinese message holds a few dozen
    distinct characters to fold at most (，：（）、０-９ ...), and replacing just those runs at C
    speed while ``translate`` looks every character up (a 200 KB mail with 15 of them: 3.1 ms
    with ``translate``, 0.2 ms with ``replace``). The replacements give ``translate``'s text
    exactly when no replaced character's fold is itself a character being replaced: a few folds
    are (ｰ → ー, which folds to -; 𝚳 → Μ, a look-alike of M), and a text holding one of those
    or its target is translated instead. ``chars``: the set of the text's characters, when the
    caller has it already."""
    present = keys.intersection(text) if chars is None else keys & chars
    if len(present) > _FEW or not _chained_keys().isdisjoint(present):
        return text.translate(table)
    for ch in present:
        text = text.replace(ch, table[ord(ch)])
    return text


@lru_cache(maxsize=1)
def _fold_keys() -> frozenset[str]:
    return frozenset(chr(cp) for cp in _fold_tables()[0])


@lru_cache(maxsize=1)
def _chained_keys() -> frozenset[str]:
    """The characters to fold whose fold holds a character that is folded too (ｰ → ー → -), and
    those characters: a text without any of them gets the same text from chained ``replace``
    calls, in any order, as from one ``translate``."""
    table, keys = _fold_tables()[0], _fold_keys()
    chained = {k for k in keys if not keys.isdisjoint(table[ord(k)])}
    return frozenset(chained | {ch for k in chained for ch in table[ord(k)] if ch in keys})


#: Characters that are removed or expanded (filled by ``_fold_tables``; the one-to-one fold
#: never produces one).
_SPECIAL: set[str] = set()


def _special_chars() -> set[str]:
    _fold_tables()
    return _SPECIAL


#: Below this length ``set(text)`` is cheaper than a hyperscan pass.
_PROBE_FROM = 256


class _FoldProbe:
    """What ``set(text)`` tells ``normalize`` — which characters to fold a text holds, and
    whether it holds one to remove or expand — in one hyperscan pass for the usual text.

    Each *common* character to fold (the full-width forms of ASCII, the ideographic space,
    dashes, line breaks: what Chinese prose and mail hold) is an expression of its own, and every
    *other* character to fold, remove or expand is one character class; all of them
    ``HS_FLAG_SINGLEMATCH`` (reported once at most). A text with none of the others holds, of
    the characters to fold, exactly the common ones reported: the very set ``keys & set(text)``
    — 0.45 ms per 200 KB instead of 1.7 ms. A text holding any other gets ``None`` (the caller
    takes the set), as does one hyperscan cannot take (a lone surrogate is no UTF-8).
    The compiled database (~0.6 MB, ~0.1 s to compile) is kept by :func:`dlp.cache_dir.derived`.
    """

    def __init__(self, common: list[str], others: set[str], digit_run: bytes):
        import hyperscan

        from dlp.cache_dir import derived

        self._hs = hyperscan
        expressions = [_hs_char(ch) for ch in common] + [_hs_class(others), digit_run]
        flags = hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_UCP | hyperscan.HS_FLAG_SINGLEMATCH
        key = hashlib.sha256(b"\0".join(expressions) + f"|{getattr(hyperscan, '__version__', '')}|"
                             f"{platform.machine()}".encode()).hexdigest()[:32]

        def build() -> bytes:
            db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
            db.compile(expressions=expressions, ids=list(range(len(expressions))), elements=len(expressions),
                       flags=[flags] * len(expressions))
            return hyperscan.dumpb(db)

        try:
            self._db = hyperscan.loadb(derived("fold-probe", key, build), hyperscan.HS_MODE_BLOCK)
        except Exception:  # an entry of another hyperscan build: compile here
            self._db = hyperscan.loadb(build(), hyperscan.HS_MODE_BLOCK)
        self._common = common
        self._others = len(common)
        self._local = threading.local()

    def present(self, text: str) -> set[str] | None:
        """The characters to fold ``text`` holds, or None when it may hold any but the common ones."""
        return self.probe(text)[0]

    def probe(self, text: str) -> tuple[set[str] | None, bool]:
        """``present(text)``, and whether the folded text may hold a run of Chinese digits
        (False: ``_fold_chinese_digits`` would leave it as it is — the probe's last expression
        is ``_CN_DIGIT_RUN`` over the characters that fold to its digits and separators)."""
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:
            return None, True
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = self._hs.Scratch(self._db)
        found: list[int] = []
        self._db.scan(data, match_event_handler=lambda idx, _f, _t, _fl, _c: found.append(idx), scratch=scratch)
        digit_run = self._others + 1 in found
        if self._others in found:
            return None, digit_run
        return {self._common[i] for i in found if i < self._others}, digit_run


def _hs_char(ch: str) -> bytes:
    return f"\\x{{{ord(ch):x}}}".encode("ascii")


def _hs_class(chars: set[str]) -> bytes:
    """A hyperscan character class of ``chars`` (ranges; surrogates are no UTF-8 and left out)."""
    ranges: list[list[int]] = []
    for cp in sorted(ord(ch) for ch in chars if not 0xD800 <= ord(ch) < 0xE000):
        if ranges and cp == ranges[-1][1] + 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return ("[" + "".join(f"\\x{{{lo:x}}}" if lo == hi else f"\\x{{{lo:x}}}-\\x{{{hi:x}}}" for lo, hi in ranges)
            + "]").encode("ascii")


def _folding_to(targets: set[str], table: dict[int, str]) -> set[str]:
    """The characters the one-to-one fold turns into one of ``targets``."""
    return {ch for ch in targets if table.get(ord(ch), ch) in targets} | {
        chr(cp) for cp, folded in table.items() if folded in targets}


def _hs_digit_run(table: dict[int, str]) -> bytes:
    """``_CN_DIGIT_RUN`` as a hyperscan expression over the original text: its digits and its
    separators (space, dash) widened to every character that folds to one of them."""
    digits, separators = _hs_class(_folding_to(set(CHINESE_DIGITS), table)), _hs_class(_folding_to({" ", "-"}, table))
    return digits + b"(?:" + separators + b"?" + digits + b"){6,}"


@lru_cache(maxsize=1)
def _fold_probe() -> _FoldProbe | None:
    """The probe, or None without hyperscan (``set(text)`` then, as before)."""
    try:
        import hyperscan  # noqa: F401
    except ImportError:  # pragma: no cover - the wheel is a dependency
        return None
    keys, special = _fold_keys(), _special_chars()
    wide = [chr(cp) for cp in range(0xFF01, 0xFF5F)]  # the full-width forms of ASCII
    common = [ch for ch in [*wide, "\u3000", *_DASHES, *_LINE_BREAKS] if ch in keys and ch not in special]
    try:
        return _FoldProbe(common, (set(keys) | special) - set(common), _hs_digit_run(_fold_tables()[0]))
    except Exception:  # pragma: no cover - a hyperscan that cannot build it: the set, as before
        return None


def normalize(original: str) -> NormalizedText:
    """Fold ``original`` for matching; see the module docstring for what is folded."""
    one_to_one, special, expansions = _fold_tables()
    probe = _fold_probe() if len(original) >= _PROBE_FROM else None
    present, digit_run = probe.probe(original) if probe is not None else (None, True)
    if present is not None:  # only common characters to fold, nothing removed or expanded
        folded = _fold_one_to_one(original, one_to_one, _fold_keys(), present)
        return NormalizedText(original, _fold_chinese_digits(folded) if digit_run else folded)
    chars = set(original)  # one C-speed pass decides both folds below for the usual text
    translated = _fold_chinese_digits(_fold_one_to_one(original, one_to_one, _fold_keys(), chars))
    if _special_chars().isdisjoint(chars):  # every fold kept the length: offsets are the same
        return NormalizedText(original, translated)

    out: list[str] = []
    pieces: list[tuple[int, int, int, int]] = []
    norm_pos = 0
    orig_pos = 0
    last_kept = ""  # the last character written to the folded text
    for m in special.finditer(translated):
        i = m.start()
        ch = m.group()
        if ch not in INVISIBLE_CHARS and ch not in expansions:  # a combining mark
            prev = translated[i - 1] if i > orig_pos else last_kept
            if not _is_ascii_alnum(prev):
                continue  # a mark on anything but an ASCII letter or digit is content: keep it
        if i > orig_pos:  # a verbatim run
            run = i - orig_pos
            out.append(translated[orig_pos:i])
            pieces.append((norm_pos, orig_pos, run, run))
            norm_pos += run
            last_kept = translated[i - 1]
        replacement = expansions.get(ch)
        if replacement:  # an expansion; invisible characters and removed marks add nothing
            out.append(replacement)
            pieces.append((norm_pos, i, len(replacement), 1))
            norm_pos += len(replacement)
            last_kept = replacement[-1]
        orig_pos = i + 1
    if orig_pos < len(translated):
        run = len(translated) - orig_pos
        out.append(translated[orig_pos:])
        pieces.append((norm_pos, orig_pos, run, run))
    return NormalizedText(original, "".join(out), pieces, [p[0] for p in pieces])


def warm_up() -> None:
    """Build the fold tables now (service start-up) rather than on the first message."""
    _fold_tables()
    _fold_keys()
    _chained_keys()
    _special_chars()
    _fold_probe()


_SEPARATORS = regex.compile(r"[\s\-.．/()（）#]+")
#: The ASCII characters ``_SEPARATORS`` strips, for ``bytes.translate`` to delete (taken from
#: the pattern itself, so the two cannot disagree).
_ASCII_SEPARATORS = bytes(cp for cp in range(128) if _SEPARATORS.fullmatch(chr(cp)))


def compact(value: str) -> str:
    """Strip separators and fold case: the form validators check and findings are counted by.

    An ASCII value (IDs, phones, accounts: most of a roster's values) is its own NFKC form, so
    deleting the ASCII separators from its bytes gives the same text as the NFKC pass and the
    regex substitution (``tests/test_speed_glue.py``): 0.1 µs instead of 0.7."""
    if value.isascii():
        if value.isalnum():
            return value.upper()
        return value.encode("ascii").translate(None, _ASCII_SEPARATORS).decode("ascii").upper()
    folded = unicodedata.normalize("NFKC", value)
    if folded.isalnum():  # a name: no separator is a letter or a digit, so none to strip
        return folded.upper()
    return _SEPARATORS.sub("", folded).upper()
