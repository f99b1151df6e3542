"""Excel number formats that add text: what a cell *shows*, not only what it stores.

A cell storing ``104553971`` with the format ``"身分證字號 D"0`` shows ``身分證字號 D104553971``
(ECMA-376 part 1, 18.8.31). Only formats that carry literal text (quoted strings, ``\\x``
escapes, ``[$NT$-404]`` currency) are rendered here; plain numeric formats keep the reader's
usual output. Digit placeholders (``0 # ?``), thousands separators, decimals and ``%`` are
handled; digits fill the placeholders from the right, as Excel does (``000-00-0000``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

_TOKEN = re.compile(r'"([^"]*)"|\\(.)|\[\$([^\]-]*)(?:-[^\]]*)?\]|\[[^\]]*\]|_(.)|\*(.)|([0#?])|([.,%])|(E[+-])|(@)|(.)', re.S)
_DATE_CODES = re.compile(r"[ymdhs]", re.I)


def literal_formatter(code: str) -> Callable[[str], str] | None:
    """A function rendering a stored value with ``code``, or None when ``code`` adds no text."""
    sections = [_tokens(s) for s in _sections(code)]
    tokens = sections[0]
    if not any(kind == "lit" and value.strip() for section in sections for kind, value in section):
        return None
    if any(kind == "code" for section in sections for kind, _ in section):
        return None  # a date/time or unknown code: not rendered here
    negative = sections[1] if len(sections) > 1 else None

    def show(value: str) -> str:
        if negative is not None and value.strip().startswith("-"):
            return render(negative, value.strip()[1:])
        return render(tokens, value)

    return show


def _sections(code: str) -> list[str]:
    """Sections split by unquoted ';' (positive; negative; zero; text)."""
    out: list[str] = []
    quoted = False
    start = 0
    for i, ch in enumerate(code):
        if ch == '"':
            quoted = not quoted
        elif ch == ";" and not quoted and (i == 0 or code[i - 1] != "\\"):
            out.append(code[start:i])
            start = i + 1
    out.append(code[start:])
    return out


def _tokens(section: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for m in _TOKEN.finditer(section):
        quoted, escaped, currency, pad, _fill, digit, punct, exp, at, other = m.groups()
        if quoted is not None:
            out.append(("lit", quoted))
        elif escaped is not None:
            out.append(("lit", escaped))
        elif currency is not None:
            out.append(("lit", currency))
        elif pad is not None:
            out.append(("lit", " "))
        elif digit is not None:
            out.append(("digit", digit))
        elif punct is not None:
            out.append(("punct", punct))
        elif exp is not None:
            out.append(("code", exp))
        elif at is not None:
            out.append(("text", "@"))
        elif other is not None:
            if _DATE_CODES.match(other):
                out.append(("code", other))
            elif other in " -+/():$!^&'~{}<>=":
                out.append(("lit", other))
            elif other.isalpha() and other.upper() in "GENRAL":
                out.append(("code", other))  # "General" and its like
            else:
                out.append(("lit", other))
    return out


def render(tokens: list[tuple[str, str]], value: str) -> str:
    """``value`` (a cell's stored text) shown with the tokens of one format section."""
    try:
        number = float(value)
    except ValueError:
        return "".join(v if k == "lit" else value if k == "text" else "" for k, v in tokens)
    if any(k == "punct" and v == "%" for k, v in tokens):
        number *= 100
    point = next((i for i, (k, v) in enumerate(tokens) if k == "punct" and v == "."), len(tokens))
    decimals = sum(1 for k, _ in tokens[point:] if k == "digit")
    grouped = any(k == "punct" and v == "," for k, v in tokens[:point])
    text = f"{abs(number):.{decimals}f}"
    whole, _, frac = text.partition(".")
    whole = whole.lstrip("0")
    int_tokens = _fill_digits(tokens[:point], whole, grouped)
    frac_tokens = _fill_fraction(tokens[point + 1 :], frac) if point < len(tokens) else ""
    sign = "-" if number < 0 else ""
    dot = "." if point < len(tokens) and decimals else ""
    return sign + int_tokens + dot + frac_tokens


def _fill_digits(tokens: list[tuple[str, str]], digits: str, grouped: bool) -> str:
    """Fill integer placeholders from the right; extra digits go to the leftmost placeholder."""
    if grouped and digits:
        digits = f"{int(digits):,}"
    slots = [i for i, (k, _) in enumerate(tokens) if k == "digit"]
    out = [v if k == "lit" else "" for k, v in tokens]
    rest = digits
    for n, i in enumerate(reversed(slots)):
        placeholder = tokens[i][1]
        if n == len(slots) - 1:  # the leftmost placeholder takes every remaining digit
            out[i] = rest or ("0" if placeholder == "0" else " " if placeholder == "?" else "")
            rest = ""
            continue
        if rest:
            out[i], rest = rest[-1], rest[:-1]
            while rest and rest[-1] == ",":  # a separator travels with its digits
                out[i], rest = rest[-1] + out[i], rest[:-1]
        else:
            out[i] = "0" if placeholder == "0" else " " if placeholder == "?" else ""
    if not slots:
        return "".join(out) + rest
    return "".join(out)


def _fill_fraction(tokens: list[tuple[str, str]], frac: str) -> str:
    out: list[str] = []
    digits = iter(frac)
    for kind, value in tokens:
        if kind == "digit":
            out.append(next(digits, "0"))
        elif kind == "lit":
            out.append(value)
    return "".join(out)
