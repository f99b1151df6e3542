"""Checksum validators for Taiwanese identifiers and card numbers.

Every validator takes the raw matched value (as a pattern captured it), strips separators,
spaces, dashes, dots and invisible characters, folds full-width forms and case, and returns
``True`` only for a well-formed value with a correct checksum. Validators never raise.

The ``*_check_digit`` helpers compute check digits; the evaluation corpus generator uses
them to make valid values. Formats and worked examples: ``taiwan-rules.md`` §3.1–3.4.
"""

from __future__ import annotations

import operator
from collections.abc import Callable

import regex

from dlp.normalize import INVISIBLE_CHARS, compact

#: Letter values of the first character of an ID (A=10 ... Z=33, I=34, O=35).
LETTER_CODES: dict[str, int] = {letter: code for code, letter in enumerate("ABCDEFGHJKLMNPQRSTUVXYWZIO", start=10)}

_WEIGHTS_ID = (8, 7, 6, 5, 4, 3, 2, 1)  # for characters 2..9; the check digit has weight 1
_WEIGHTS_UBN = (1, 2, 1, 2, 1, 2, 4, 1)

_NATIONAL_ID = regex.compile(r"[A-Z][12][0-9]{8}")
_RESIDENT_NEW = regex.compile(r"[A-Z][89][0-9]{8}")
_RESIDENT_OLD = regex.compile(r"[A-Z][A-D][0-9]{8}")
_UBN = regex.compile(r"[0-9]{8}")
_DIGITS = regex.compile(r"[0-9]+")
_INVISIBLE = regex.compile("[" + "".join(regex.escape(c) for c in sorted(INVISIBLE_CHARS)) + "]")


def clean(value: str) -> str:
    """The canonical form a validator checks: invisible characters and separators removed,
    NFKC-folded, upper-case."""
    if not isinstance(value, str):
        return ""
    if value.isascii() and value.isalnum():  # no invisible character, nothing to strip or fold
        return value.upper()
    return compact(_INVISIBLE.sub("", value))


def _letter_sum(letter: str) -> int:
    code = LETTER_CODES[letter]
    return code // 10 + (code % 10) * 9


#: What ASCII digits' codes add to the weighted sum over their values ("0" is 48).
_ASCII_ZERO_WEIGHT = ord("0") * sum(_WEIGHTS_ID)


def _id_sum(first: int, digits: str) -> int:
    """Weighted sum of the letter part ``first`` plus digits 2..9 (eight digits)."""
    if len(digits) == len(_WEIGHTS_ID) and digits.isascii() and digits.isdigit():
        # the same sum over the bytes' codes, in C (~3x faster: a roster checks thousands)
        return first + sum(map(operator.mul, digits.encode("ascii"), _WEIGHTS_ID)) - _ASCII_ZERO_WEIGHT
    return first + sum(int(d) * w for d, w in zip(digits, _WEIGHTS_ID))


def _check_for(total: int) -> str:
    return str((10 - total % 10) % 10)


def national_id_check_digit(prefix: str) -> str:
    """Check digit for the first nine characters of a national ID or new-format resident ID
    (``letter + [1289] + 7 digits``)."""
    p = clean(prefix)
    if not regex.fullmatch(r"[A-Z][0-9]{8}", p):
        raise ValueError(f"not a letter + 8 digits prefix: {prefix!r}")
    return _check_for(_id_sum(_letter_sum(p[0]), p[1:9]))


def resident_id_old_check_digit(prefix: str) -> str:
    """Check digit for the first nine characters of an old-format resident ID
    (``letter + [A-D] + 7 digits``)."""
    p = clean(prefix)
    if not regex.fullmatch(r"[A-Z][A-D][0-9]{7}", p):
        raise ValueError(f"not a letter + [A-D] + 7 digits prefix: {prefix!r}")
    second = (LETTER_CODES[p[1]] % 10) * 8
    return _check_for(_id_sum(_letter_sum(p[0]) + second, "0" + p[2:9]))


def luhn_check_digit(payload: str) -> str:
    """The digit that, appended to ``payload``, makes it pass the Luhn check."""
    p = clean(payload)
    if not _DIGITS.fullmatch(p):
        raise ValueError(f"not digits: {payload!r}")
    total = 0
    for i, ch in enumerate(reversed(p)):
        d = int(ch)
        if i % 2 == 0:  # these positions are doubled once the check digit is appended
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return _check_for(total)


#: The letter part of the sum per first letter, and the weights of characters 2..10 (the check
#: digit's is 1) with what their ASCII codes add: a letter and nine ASCII digits are summed in
#: one pass over the bytes (a roster checks thousands of IDs).
_LETTER_SUMS = {letter: _letter_sum(letter) for letter in LETTER_CODES}
_WEIGHTS_ID_CHECK = (*_WEIGHTS_ID, 1)
_ASCII_ZERO_WEIGHT_CHECK = ord("0") * sum(_WEIGHTS_ID_CHECK)


def _valid_id(value: str, shape: regex.Pattern[str]) -> bool:
    v = clean(value)
    if not shape.fullmatch(v):
        return False
    if v[1].isalpha():  # old resident format: the 2nd letter counts (code mod 10) * 8
        first = _letter_sum(v[0]) + (LETTER_CODES[v[1]] % 10) * 8
        return (_id_sum(first, "0" + v[2:9]) + int(v[9])) % 10 == 0
    # the shape is a letter and nine ASCII digits ([0-9], no flags)
    total = _LETTER_SUMS[v[0]] + sum(map(operator.mul, v[1:].encode("ascii"), _WEIGHTS_ID_CHECK))
    return (total - _ASCII_ZERO_WEIGHT_CHECK) % 10 == 0


def tw_national_id(value: str) -> bool:
    """國民身分證統一編號: ``[A-Z][12]`` + 8 digits with the §3.1 checksum."""
    return _valid_id(value, _NATIONAL_ID)


def tw_resident_id_new(value: str) -> bool:
    """New 外來人口統一證號 (since 2021): ``[A-Z][89]`` + 8 digits, same checksum as the ID."""
    return _valid_id(value, _RESIDENT_NEW)


def tw_resident_id_old(value: str) -> bool:
    """Old 外來人口統一證號: ``[A-Z][A-D]`` + 8 digits; the 2nd letter adds (code mod 10) × 8."""
    return _valid_id(value, _RESIDENT_OLD)


def tw_resident_id(value: str) -> bool:
    """Either format of 外來人口統一證號."""
    return tw_resident_id_new(value) or tw_resident_id_old(value)


def _digit_sum(n: int) -> int:
    return n // 10 + n % 10


def tw_ubn(value: str) -> bool:
    """營利事業統一編號 (8 digits) under the rule in force since 2023-04-01 (Z divisible by 5).

    When the 7th digit is 7, its product 28 counts as 10, i.e. 1 or 0: valid if Z or Z+1
    (with 10 kept unreduced) is divisible by 5.
    """
    v = clean(value)
    if not _UBN.fullmatch(v):
        return False
    z = sum(_digit_sum(int(d) * w) for d, w in zip(v, _WEIGHTS_UBN))
    if z % 5 == 0:
        return True
    # _digit_sum(28) is 10, kept unreduced: counting it as 1 or 0 instead gives z - 9 or z - 10,
    # which are divisible by 5 exactly when z + 1 or z is.
    return v[6] == "7" and (z + 1) % 5 == 0


def ubn_check_digit(prefix: str) -> str:
    """A last digit that makes the 7-digit ``prefix`` a valid UBN (the smallest one)."""
    p = clean(prefix)
    if not regex.fullmatch(r"[0-9]{7}", p):
        raise ValueError(f"not 7 digits: {prefix!r}")
    for d in "0123456789":
        if tw_ubn(p + d):
            return d
    raise AssertionError("unreachable: some last digit always satisfies Z mod 5")


def luhn(value: str) -> bool:
    """Luhn (mod 10) check over the digits of ``value`` (at least two digits, nothing else)."""
    v = clean(value)
    if len(v) < 2 or not _DIGITS.fullmatch(v):
        return False
    return luhn_check_digit(v[:-1]) == v[-1]


def credit_card(value: str) -> bool:
    """A payment card number: 13–19 digits, Luhn-valid, not one repeated digit."""
    v = clean(value)
    return 13 <= len(v) <= 19 and len(set(v)) > 1 and luhn(v)


#: Validators by the name pattern packs use in their ``validator:`` field.
VALIDATORS: dict[str, Callable[[str], bool]] = {
    "tw_national_id": tw_national_id,
    "tw_resident_id_new": tw_resident_id_new,
    "tw_resident_id_old": tw_resident_id_old,
    "tw_resident_id": tw_resident_id,
    "tw_ubn": tw_ubn,
    "luhn": luhn,
    "credit_card": credit_card,
}
