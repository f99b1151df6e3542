"""Is a recipient's domain a look-alike of a domain the sender trusts?

Three tests against each reference domain (the agency's own, the sender's, the ones the sender
writes to often):

* **homoglyph** — the two look the same once each character is replaced by its Unicode
  prototype (UTS #39 confusables, from the ``confusable-homoglyphs`` package: Cyrillic ``о``
  for ``o``, ``0`` for ``o``, ``rn`` for ``m``; IDN domains are compared in Unicode);
* **edit distance** — Damerau-Levenshtein distance (``rapidfuzz``) of at most
  ``max_edit_distance`` (one more for references of ``long_domain_chars`` or more), on those
  prototypes (``hl-gov.tw`` is one edit from ``hl.gov.tw``);
* **embedded** — the reference's labels, in order, inside a longer domain that is not under
  the reference (``gov.tw.example.com``, ``hl.gov.tw.mail-service.com``).
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import idna
from rapidfuzz.distance import DamerauLevenshtein

from dlp.cache_dir import derived

_SEPARATORS = re.compile(r"[.\-]+")


@dataclass(frozen=True)
class Lookalike:
    domain: str          # the reference it resembles
    how: str             # "homoglyph" | "embedded" | "edit_distance"
    distance: int = 0


def _ascii_prototype_in(data: dict, ch: str) -> str | None:
    for entry in data.get(ch, ()):
        proto = entry.get("c", "")
        if len(proto) == 1 and proto.isascii() and (proto.isalnum() or proto in ".-"):
            return proto.lower()
    return None


def _ascii_folds(data: dict) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """From the same data: digits that look like letters (0 -> o, 1 -> l), and ASCII
    letter pairs that look like one letter (rn -> m)."""
    singles: dict[str, str] = {}
    pairs: list[tuple[str, str]] = []
    for code in range(0x21, 0x7F):
        ch = chr(code).lower()
        for entry in data.get(chr(code), ()):
            proto = entry.get("c", "")
            if not proto.isascii() or not proto.isalpha():
                continue
            if ch.isdigit() and len(proto) == 1:
                singles.setdefault(ch, proto.lower())
            elif ch.isalpha() and len(proto) > 1:
                pairs.append((proto.lower(), ch))
    return singles, pairs


def _reduce_confusables() -> tuple[dict[str, str], dict[str, str], list[tuple[str, str]]]:
    from confusable_homoglyphs.confusables import confusables_data

    prototypes = {ch: proto for ch in confusables_data if (proto := _ascii_prototype_in(confusables_data, ch))}
    return (prototypes, *_ascii_folds(confusables_data))


def _confusable_tables() -> tuple[dict[str, str], dict[str, str], list[tuple[str, str]]]:
    """(character -> ASCII prototype, digit folds, letter-pair folds) from confusable-homoglyphs'
    table. Its full table is ~11 MB of every process (a Python object per entry of a 0.9 MB
    JSON file) for the ~2,000 characters used here: it is read only when the cache entry
    (:func:`dlp.cache_dir.derived`, keyed by the data file's SHA-256) is missing or damaged."""
    spec = importlib.util.find_spec("confusable_homoglyphs")
    if spec is None or spec.origin is None:
        raise ImportError("confusable-homoglyphs is not installed")
    data = (Path(spec.origin).parent / "confusables.json").read_bytes()
    key = hashlib.sha256(b"ascii-prototypes-1\n" + data).hexdigest()[:32]
    prototypes, singles, pairs = derived("confusables", key, _reduce_confusables)
    return prototypes, singles, [tuple(pair) for pair in pairs]  # type: ignore[misc]


_PROTOTYPES, _DIGIT_FOLDS, _PAIR_FOLDS = _confusable_tables()


def _ascii_prototype(ch: str) -> str | None:
    return _PROTOTYPES.get(ch)


def unicode_form(domain: str) -> str:
    try:
        return idna.decode(domain)
    except (idna.IDNAError, UnicodeError, ValueError):
        return domain


@lru_cache(maxsize=8192)
def skeleton(domain: str) -> str:
    """What ``domain`` looks like: NFKC, lower case, every confusable as its ASCII prototype."""
    text = unicodedata.normalize("NFKC", unicode_form(domain)).lower()
    chars = []
    for ch in text:
        if not ch.isascii():
            ch = _ascii_prototype(ch) or ch
        chars.append(_DIGIT_FOLDS.get(ch, ch))
    out = "".join(chars)
    for pair, single in _PAIR_FOLDS:
        out = out.replace(pair, single)
    return out


def _under(domain: str, parent: str) -> bool:
    return domain == parent or domain.endswith("." + parent)


def _embedded(domain: str, reference: str) -> bool:
    """The reference's labels, in order, inside a longer domain (``gov.tw.example.com``)."""
    tokens = [t for t in _SEPARATORS.split(skeleton(domain)) if t]
    ref = [t for t in _SEPARATORS.split(skeleton(reference)) if t]
    if not ref or len(ref) >= len(tokens):
        return False  # the same labels with other separators (hl-gov.tw) count as edits
    return any(tokens[i:i + len(ref)] == ref for i in range(len(tokens) - len(ref) + 1))


def resembles(domain: str, reference: str, max_edit_distance: int, long_domain_chars: int) -> Lookalike | None:
    """How ``domain`` resembles ``reference``, or None (equal, or under it, is not resembling)."""
    if _under(domain, reference):
        return None
    if skeleton(domain) == skeleton(reference):
        return Lookalike(reference, "homoglyph")
    if _embedded(domain, reference):
        return Lookalike(reference, "embedded")
    limit = max_edit_distance + (1 if len(reference) >= long_domain_chars else 0)
    if limit <= 0:
        return None
    # The fewer edits of the two spellings: as typed, and as read (skeletons). A skeleton alone
    # would hide a real one-letter slip behind a multi-letter confusable (rn.gov.tw -> m.gov.tw).
    distance = min(DamerauLevenshtein.distance(domain, reference, score_cutoff=limit),
                   DamerauLevenshtein.distance(skeleton(domain), skeleton(reference), score_cutoff=limit))
    if distance <= limit:
        return Lookalike(reference, "edit_distance", int(distance))
    return None


_STRENGTH = {"homoglyph": 0, "edit_distance": 1, "embedded": 2}


def best_lookalike(domain: str, references: list[str], max_edit_distance: int, long_domain_chars: int) -> Lookalike | None:
    """The strongest resemblance of ``domain`` to any reference: a homoglyph, then the fewest
    edits, then an embedding; among equals the longer (more specific) reference."""
    found = [m for r in references if (m := resembles(domain, r, max_edit_distance, long_domain_chars)) is not None]
    return min(found, key=lambda m: (_STRENGTH[m.how], m.distance, -len(m.domain)), default=None)
