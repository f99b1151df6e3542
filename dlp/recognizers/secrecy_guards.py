"""Guards that tell a mention of a level from a marking, and the zones where stamps sit.

Every guard looks at a few characters or one or two lines around a candidate, never at the
whole text, so the cost is per candidate and bounded. Each returns the reason (English, for
``dlp explain``) when the candidate is only a mention, else None.
"""

from __future__ import annotations

import regex

from dlp.recognizers.secrecy_vocab import CLASSIFIED_LEVELS, Vocabulary

_LOOK_BEHIND = 8
#: Guards never look further than this along a line: a longer line is prose anyway, and the
#: bound keeps a 200 KB one-line text with many candidates linear.
LINE_REACH = 400


def line_start(text: str, pos: int) -> int:
    """Start of the line holding ``pos``, or ``pos - LINE_REACH`` on a very long line."""
    lo = max(0, pos - LINE_REACH)
    return text.rfind("\n", lo, pos) + 1 or lo


def line_end(text: str, pos: int) -> int:
    """End of the line holding ``pos``, or ``pos + LINE_REACH`` on a very long line."""
    hi = min(len(text), pos + LINE_REACH)
    end = text.find("\n", pos, hi)
    return hi if end < 0 else end


def word_guard(vocab: Vocabulary, text: str, start: int, end: int, glued_only: bool = False) -> str | None:
    """The level word is glued to a longer word: 公務機密, 保密, 機密文書, 密碼, 機密性.

    ``glued_only``: a space after the word ends it (a field's value: 「密等：機密　會議紀錄」 is the
    level 機密, then the next item of the line)."""
    if vocab.mention_before is not None:
        before = vocab.mention_before.search(text, max(0, start - _LOOK_BEHIND), start)
        if before is not None:
            return f"part of the word 「{before.group()}{text[start:end]}」 (prose mention)"
    if vocab.mention_after is not None:
        nxt = end
        while not glued_only and nxt < len(text) and nxt - end < 3 and text[nxt] in " \t":  # 「機密 文書」 is still one word
            nxt += 1
        after = vocab.mention_after.match(text, nxt)
        if after is not None:
            return f"part of 「{text[start:end]}{after.group()}」 (generic noun or prose)"
    return _wrapped_guard(vocab, text, start, end)


_WRAP_LABEL = 8


def _wrapped_guard(vocab: Vocabulary, text: str, start: int, end: int) -> str | None:
    """A word wrapped onto the next line (機密 / 檔案清查作業說明), unless that line is a label."""
    nxt = end
    while nxt < len(text) and text[nxt] in " \t":
        nxt += 1
    if vocab.mention_after is not None and nxt < len(text) and text[nxt] == "\n":
        lo = nxt + 1
        while lo < len(text) and text[lo] in " \t":
            lo += 1
        after = vocab.mention_after.match(text, lo)
        if after is not None and ":" not in text[lo:min(line_end(text, lo), lo + _WRAP_LABEL)]:
            return f"continues on the next line as 「{text[start:end]}{after.group()}」 (a wrapped title or prose)"
    prev = start
    while prev > 0 and text[prev - 1] in " \t":
        prev -= 1
    if vocab.mention_before is not None and prev > 0 and text[prev - 1] == "\n":
        hi = prev - 1
        while hi > 0 and text[hi - 1] in " \t":
            hi -= 1
        before = vocab.mention_before.search(text, max(0, hi - _LOOK_BEHIND), hi)
        if before is not None:
            return f"continues from the line above as 「{before.group()}{text[start:end]}」 (a wrapped title or prose)"
    return None


def unticked_guard(vocab: Vocabulary, text: str, start: int) -> str | None:
    if vocab.unticked is None:
        return None
    box = vocab.unticked.search(text, line_start(text, start), start)
    if box is not None:
        return "an unticked box on a blank form"
    return None


def quoted_guard(vocab: Vocabulary, text: str, m_start: int, m_end: int) -> str | None:
    """The whole marking sits inside quotes, with other words on the line: a cited example."""
    lo = line_start(text, m_start)
    hi = line_end(text, m_end)
    for open_q, close_q in vocab.quote_pairs:
        if open_q == close_q:
            before = text[lo:m_start]
            if before.count(open_q) % 2 == 0:
                continue
            q_open = before.rfind(open_q) + lo
        else:
            q_open = text.rfind(open_q, lo, m_start)
            if q_open < 0 or text.find(close_q, q_open + 1, m_start) >= 0:
                continue
        q_close = text.find(close_q, m_end, hi)
        if q_close < 0:
            continue
        outside = (text[lo:q_open] + text[q_close + 1:hi]).strip()
        if outside:
            return f"quoted inside {open_q}…{close_q} in a sentence (an example or a citation)"
    return None


_PREVIOUS_LINES = 4


def _previous_line(text: str, lo: int) -> str:
    """The nearest non-blank line before the line starting at ``lo``."""
    pos = lo - 1
    for _ in range(_PREVIOUS_LINES):
        if pos <= 0:
            break
        start = line_start(text, pos)
        line = text[start:pos]
        if line.strip():
            return line
        pos = start - 1
    return ""


def example_guard(vocab: Vocabulary, text: str, m_start: int) -> str | None:
    """An example keyword before the marking on its line, or closing the line above it."""
    if vocab.example is None:
        return None
    lo = line_start(text, m_start)
    hit = vocab.example.search(text, lo, m_start)
    if hit is not None:
        return f"introduced as an example by 「{hit.group()}」"
    prev = _previous_line(text, lo).strip()
    if prev:
        tail = prev[-12:]
        hits = list(vocab.example.finditer(tail))
        hit = hits[-1] if hits else None  # the last one: the word that closes the line
        if hit is not None and len(tail) - hit.end() <= 4:
            return f"introduced as an example by 「{hit.group()}」 on the line above"
    return None


_LINE_LEAD = regex.compile(r"[ \t>*#\-=~【\[(「『〔0-9.、一二三四五六七八九十]*")


def _leading_level(vocab: Vocabulary, text: str, lo: int, hi: int) -> tuple[int, str | None]:
    """Where a line's head level word starts (after bullets, numbering, brackets) and its
    classified level, if the line starts with one."""
    lead = _LINE_LEAD.match(text, lo, hi)
    pos = lead.end() if lead else lo
    m = vocab.mark.match(text, pos, hi)
    if m is None:
        return pos, None
    level = vocab.level_of(m.group())
    return pos, level if level in CLASSIFIED_LEVELS else None


def listed_lines_guard(vocab: Vocabulary, text: str, start: int, end: int, level: str | None) -> str | None:
    """The line next to it starts with another classified level: a list of levels, one a line
    (「絕對機密：30年」「極機密：20年」), not a marking."""
    if level not in CLASSIFIED_LEVELS:
        return None
    lo = line_start(text, start)
    if _leading_level(vocab, text, lo, line_end(text, start))[0] != start:
        return None  # the level is not at the head of its line
    neighbours: list[tuple[int, int]] = []
    prev = lo - 1
    while prev > 0:  # nearest non-blank line above
        start = line_start(text, prev)
        if text[start:prev].strip():
            neighbours.append((start, prev))
            break
        prev = start - 1
    nxt = line_end(text, end) + 1  # a vertical stamp (機 / 密) spans two lines
    while nxt < len(text):  # nearest non-blank line below
        end = line_end(text, nxt)
        if text[nxt:end].strip():
            neighbours.append((nxt, end))
            break
        nxt = end + 1
    for a, b in neighbours:
        other = _leading_level(vocab, text, a, b)[1]
        if other is not None and other != level:
            return f"the next line starts with another level ({other}): a list of levels"
    return None


_VERB_REACH = 12


def verb_guard(vocab: Vocabulary, text: str, m_start: int) -> str | None:
    """A verb about marking right before it: 「請加註（限閱）」「蓋上『密』戳」 talk about a marking."""
    if vocab.mention_verb is None:
        return None
    lo = max(line_start(text, m_start), m_start - _VERB_REACH)
    hit = vocab.mention_verb.search(text, lo, m_start)
    if hit is not None:
        return f"after 「{hit.group()}」 (talks about a marking)"
    return None


def joke_guard(vocab: Vocabulary, text: str, start: int, end: int) -> str | None:
    if vocab.joke is None or vocab.joke_window == 0:
        return None
    hit = vocab.joke.search(text, max(0, start - vocab.joke_window), min(len(text), end + vocab.joke_window))
    if hit is not None:
        return f"a chat joke (「{hit.group()}」 nearby)"
    return None


def line_length_guard(text: str, m_start: int, m_end: int, max_chars: int | None) -> str | None:
    """The marking's line(s) must be short: a stamp stands alone, prose runs on."""
    if max_chars is None:
        return None
    lo = line_start(text, m_start)
    hi = line_end(text, m_end)
    if hi - lo > 4 * max_chars:
        return f"line longer than {max_chars} characters (running text, not a stamp)"
    length = len("".join(text[lo:hi].split()))
    if length > max_chars:
        return f"line of {length} characters, longer than {max_chars} (running text, not a stamp)"
    return None


# --- zones ------------------------------------------------------------------------------


def _end_after_lines(text: str, pos: int, n: int) -> int:
    """End of the n-th non-blank line from ``pos`` (or the end of the text)."""
    count = 0
    length = len(text)
    while pos < length:
        end = text.find("\n", pos)
        if end < 0:
            end = length
        if text[pos:end].strip():
            count += 1
            if count >= n:
                return end
        pos = end + 1
    return length


def _start_before_lines(text: str, end: int, n: int) -> int:
    """Start of the n-th non-blank line counting back from ``end`` (or 0)."""
    count = 0
    while end > 0:
        start = text.rfind("\n", 0, end) + 1
        if text[start:end].strip():
            count += 1
            if count >= n:
                return start
        end = start - 1
    return 0


def carried_zones(vocab: Vocabulary, text: str, lines: int) -> list[tuple[int, int]]:
    """The first ``lines`` non-blank lines of every carried document (a forwarded message, a
    quoted mail), after its header lines (From:, 主旨: ...): a carried document keeps its stamp."""
    if vocab.carried is None:
        return []
    zones: list[tuple[int, int]] = []
    for m in vocab.carried.finditer(text):
        pos = m.end()
        if pos < len(text) and text[pos] == "\n":
            pos += 1
        while pos < len(text):  # skip the carried message's header and blank lines
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end
            line = text[pos:end]
            is_header = vocab.carried_header is not None and vocab.carried_header.match(text, pos, end)
            if line.strip(" \t>") and not is_header:
                break
            pos = end + 1
        if pos < len(text):
            zones.append((pos, _end_after_lines(text, pos, lines)))
    return zones


def merge_zones(zones: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for a, b in sorted(zones):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def edge_zones(text: str, lines: int, top_only: bool = False) -> list[tuple[int, int]]:
    """The first and last ``lines`` non-blank lines, merged when they meet."""
    top = (0, _end_after_lines(text, 0, lines))
    if top_only:
        return [top]
    bottom_start = _start_before_lines(text, len(text), lines)
    if bottom_start <= top[1]:
        return [(0, len(text))]
    return [top, (bottom_start, len(text))]
