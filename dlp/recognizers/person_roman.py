"""Romanised names (NGUYEN VAN AN, Maria Santos): next to a resident ID, or followed by a title.

Latin words are everywhere in mail (product names, English sentences), so a romanised name
counts only within a small window of an accepted resident-ID finding (the ID is what makes
the person identifiable), or when a Chinese title or honorific, or the person's Chinese name
in brackets, follows it at once (Daniel Kowalski參事, Kevin Chang（張凱文）: the bracketed Chinese
name is reported too), or a role word that names a person comes right before it (個案, 案母 …),
or an accepted Chinese name does (郭子瑜 Yu Kuo). A label such as 英文姓名 or Name raises the
score, and so does standing alone in a cell (a line start or after a Tab), which with a phone or
an ID on the row is enough.
"""

from __future__ import annotations

import bisect
import re

import regex

from dlp.recognizers.base import Candidate, ScanContext
from dlp.recognizers.person_config import RomanisedNameConfig

#: A cheap C-speed pre-check before the whole-text pass: a capital followed by a letter. Rosters
#: (F235071300 …) and Chinese prose have none, and then the ``regex`` scan is skipped.
_MAY_HOLD_NAME = re.compile(r"[A-ZÀ-ÞĀ-ž][A-Za-zÀ-ÿĀ-ž'\-]")
#: The pack's name pattern (``name_regex`` in patterns/person.yaml), as shipped. Each of its
#: matches opens with a romanised word (``person_config._ROMAN_WORD``: a capital, then a Latin
#: letter, an apostrophe, a hyphen or another capital), and so does each match of the titled form,
#: which is built from the same word; a pack that writes another pattern gets no shortcut.
SHIPPED_NAME_REGEX = regex.compile(
    r"(?<!\p{Latin})(?:\p{Lu}[\p{Latin}'\-]+|\p{Lu}{2,})(?:[ ,]{1,2}(?:\p{Lu}[\p{Latin}'\-]+|\p{Lu}{2,})){1,4}(?!\p{Latin})")
#: The first two characters of a romanised word: no match of either pattern without them.
_WORD_OPENING = regex.compile(r"\p{Lu}[\p{Latin}'\-\p{Lu}]")


def shipped_name_regex(pattern: regex.Pattern[str]) -> bool:
    """Whether ``pattern`` is the shipped name pattern (the same source and flags)."""
    return pattern.pattern == SHIPPED_NAME_REGEX.pattern and pattern.flags == SHIPPED_NAME_REGEX.flags


def word_openings(text: str) -> list[int]:
    """Every position where a romanised word can open (``_WORD_OPENING``), in order: one pass of
    the text at C speed (overlapping: every start, not only the non-overlapping ones)."""
    return [m.start() for m in _WORD_OPENING.finditer(text, overlapped=True)]


def opening_within(openings: list[int], a: int, b: int) -> bool:
    """Whether a romanised word can open inside [a, b) with its two first characters there.

    A search of the name pattern with ``pos=a, endpos=b`` reads no character at or past ``b``
    (the text is as if it ended there; a lookbehind may read before ``a``, a lookahead none past
    ``b``), so a match it finds is ``text[p:q]`` with ``a <= p < q <= b`` and opens with a word:
    ``text[p:p + 2]`` matches ``_WORD_OPENING``, which has no lookaround, so ``p`` is in
    ``openings`` of the whole text with ``p + 2 <= b``. The smallest opening ``>= a`` is the one
    to test. False therefore means the search finds nothing."""
    i = bisect.bisect_left(openings, a)
    return i < len(openings) and openings[i] + 2 <= b


class RomanisedNameFinder:
    """Finds romanised names for one ``method: romanised`` rule."""

    def __init__(self, cfg: RomanisedNameConfig):
        self.cfg = cfg
        self.rule = cfg.rule
        #: the shipped name pattern: a window with no word opening holds no match (``opening_within``)
        self.openings_decide = shipped_name_regex(cfg.name_regex)
        #: the titled form opens with a word too, unless a flag of the pack's bracket pattern made
        #: it ignore case (then a small letter could open it)
        self.openings_decide_titled = cfg.titled is not None and not cfg.titled.flags & regex.IGNORECASE

    def detect(self, ctx: ScanContext, names: list[Candidate] | None = None) -> list[Candidate]:
        """``names``: the Chinese names already accepted in the segment (郭子瑜 Yu Kuo)."""
        cfg, text = self.cfg, ctx.text
        chinese = {c.end: c for c in names or () if c.accepted}  # by end: 郭子瑜 Yu Kuo
        kinds = cfg.neighbour_types | cfg.weak_neighbour_types
        ids = [c for c in ctx.accepted if c.accepted and c.type in kinds]
        out: list[Candidate] = []
        seen: set[tuple[int, int]] = set()
        # where a romanised word can open, once per segment: a roster's IDs and phones (and the
        # whole-text passes) need not search where no word opens (most texts hold none)
        openings = word_openings(text) if self.openings_decide or self.openings_decide_titled else None
        if cfg.titled is not None and not (self.openings_decide_titled and not openings):
            for m in cfg.titled.finditer(text):
                span = self._trim(text, m.start("name"), m.end("name"))
                if span is None or span in seen:
                    continue
                seen.add(span)
                cand = self._judge(ctx, span, None, m.group("title"), chinese)
                ctx.record(cand)
                if cand.accepted:
                    out.append(cand)
                    inner = self._bracketed(ctx, m.start("title"), m.end("title"), chinese)
                    if inner is not None:
                        out.append(inner)
        search = cfg.name_regex.search
        before, after, size = cfg.windows["neighbour_before"], cfg.windows["neighbour_after"], len(text)
        if self.openings_decide and not openings:
            ids = []  # no window holds a word opening: none holds a match (``opening_within``)
        for n in ids:
            s, e = n.start, n.end
            # the windows clipped to the text by comparisons (a roster has thousands: no min/max
            # calls); most windows hold none: a search costs less than an empty finditer, and no
            # pair of windows is built for a neighbour whose windows hold none
            lo, hi = s - before if s > before else 0, e + after if e + after < size else size
            if openings is not None and self.openings_decide:  # no opening: the search finds none
                left = opening_within(openings, lo, s) and search(text, lo, s) is not None
                right = opening_within(openings, e, hi) and search(text, e, hi) is not None
            else:
                left, right = search(text, lo, s) is not None, search(text, e, hi) is not None
            if not left:
                if not right:
                    continue
                windows: tuple[tuple[int, int], ...] = ((e, hi),)
            else:
                windows = ((lo, s), (e, hi)) if right else ((lo, s),)
            for a, b in windows:
                for m in cfg.name_regex.finditer(text, a, b):
                    span = self._trim(text, m.start(), m.end())
                    if span is None or span in seen:
                        continue
                    seen.add(span)
                    cand = self._judge(ctx, span, n, names=chinese)
                    ctx.record(cand)
                    if cand.accepted:
                        out.append(cand)
        # names with no identifier nearby: a role word before them, a Chinese name right before
        # them, or alone in a cell with a weaker neighbour (scored in _judge; cells alone are not enough)
        # (with the shipped pattern the openings answer exactly: the pre-check misses Ș, Α …)
        if (cfg.strong_labels or chinese) and (
                bool(openings) if self.openings_decide else _MAY_HOLD_NAME.search(text) is not None):
            for m in cfg.name_regex.finditer(text):
                span = self._trim(text, m.start(), m.end())
                if span is None or span in seen:
                    continue
                seen.add(span)
                cand = self._judge(ctx, span, None, names=chinese)
                if cand.score > 0:
                    ctx.record(cand)
                if cand.accepted:
                    out.append(cand)
        return sorted(out, key=lambda c: c.start)

    def _bracketed(self, ctx: ScanContext, s: int, e: int, chinese: dict[int, Candidate]) -> Candidate | None:
        """The Chinese name in the brackets after an accepted romanised name (Lifok Dongi（林玉花）)
        is the same person's name, unless the Chinese finder already has it."""
        text = ctx.text
        if text[s] != "(" or text[e - 1] != ")":
            return None
        a, b = s + 1, e - 1
        if any(c.start < b and a < c.end for c in [*chinese.values(), *ctx.accepted]):
            return None
        cand = Candidate(
            type="PERSON", kind="personal_data", start=a, end=b, score=self.cfg.scores["title"],
            rule=self.rule.id, why=f"Chinese name {text[a:b]!r} in brackets after a romanised name",
            shadow=self.rule.shadow, value_key=text[a:b],
        )
        ctx.record(cand)
        return cand

    def _trim(self, text: str, s: int, e: int) -> tuple[int, int] | None:
        """Drop stop words (ID, Name, ARC …) from either end; two words must remain."""
        words = [(s + i, s + i + len(w)) for i, w in _split(text[s:e])]
        while words and text[words[0][0]:words[0][1]] in self.cfg.stop_words:
            words.pop(0)
        while words and text[words[-1][0]:words[-1][1]] in self.cfg.stop_words:
            words.pop()
        if len(words) < 2:
            return None
        return words[0][0], words[-1][1]

    def _judge(self, ctx: ScanContext, span: tuple[int, int], n: Candidate | None, title: str = "",
               names: dict[int, Candidate] | None = None) -> Candidate:
        cfg, text = self.cfg, ctx.text
        s, e = span
        sc = cfg.scores
        if n is None and title:
            score = sc["title"]
            notes = [f"followed by {title!r}"]
        elif n is None:
            score, notes = 0.0, []
        else:
            weak = n.type not in cfg.neighbour_types
            score = sc["weak_neighbour" if weak else "neighbour"]
            notes = [f"next to {n.type}"]
        before = text[max(0, s - 12):s]
        gap = cfg.windows["label_gap"]
        strong = next((w for w in cfg.strong_labels if w in before[-(len(w) + gap):]), None)
        label = None if strong else next((w for w in cfg.labels if w in before[-(len(w) + gap):]), None)
        if strong:
            score += sc["strong_label"]
            notes.append(f"role word {strong!r} before it")
        elif label:
            score += sc["label"]
            notes.append(f"label {label!r} before it")
        ends = names or {}
        chinese = next((ends[k] for k in range(s, s - cfg.after_name_gap - 1, -1)
                        if k in ends and not text[k:s].strip()), None)
        if chinese is not None:
            score += sc["after_name"]
            notes.append(f"written right after the Chinese name {text[chinese.start:chinese.end]!r}")
        if cfg.cell_before is not None and cfg.cell_after is not None and cfg.cell_after.match(text, e):
            ls = text.rfind("\n", max(0, s - 64), s) + 1
            if (ls or s <= 64) and cfg.cell_before.search(text, ls, s):
                score += sc["cell"]
                notes.append("alone in a cell or at the start of a line")
        overlap = any(c.start < e and s < c.end for c in ctx.accepted)
        accepted = score >= sc["min"] and not overlap
        if overlap:
            notes.append("overlaps another finding")
        score = min(1.0, score)
        why = f"romanised name {text[s:e]!r}; {'; '.join(notes)}; score {score:.2f}"
        return Candidate(
            type="PERSON", kind="personal_data", start=s, end=e, score=round(score, 3),
            rule=self.rule.id, accepted=accepted, why=why, shadow=self.rule.shadow,
            value_key=" ".join(text[s:e].upper().replace(",", " ").split()),
        )


def _split(chunk: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    i = 0
    for part in chunk.replace(",", " ").split(" "):
        if part:
            out.append((i, part))
        i += len(part) + 1
    return out
