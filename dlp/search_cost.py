"""What searching costs, measured once per rule when its pack is compiled.

Nearby windows of one rule may be searched in one call instead of one call each
(:func:`dlp.recognizers.pattern.window_spans`): the same matches, fewer calls. A call with a
timeout costs a few microseconds of its own (the regex module reads the process clock when it
starts and at its first check), while searching the text between two windows costs what the
rule's pattern spends per character: under a nanosecond for a pattern the regex module can skip
ahead with (a required ``@``), two microseconds for one it must try at every position. So the
gap worth searching through is measured, not guessed: the cost of a call over the cost of a
character, both on this machine at load time. A busy machine makes both slower together; a
wrong estimate only costs speed, never a finding.
"""

from __future__ import annotations

import time

import regex

#: Text between findings, as in mail and rosters: prose, digits, Latin letters, punctuation.
_SAMPLE = (
    "檢送本府年度資通安全稽核實施計畫1份，請查照並轉知所屬。聯絡人：資訊室 王小姐，電話分機1234，"
    "傳真（02）2345-678，會議訂於115年3月18日上午10時假本府5樓會議室召開，請準時出席。\n"
    "序號\t姓名\t單位\t備註\n1\t陳志明\t綜合規劃科\t已報名\n2\t林美玲\t社會救助科\t候補\n"
    "Ref. No. 2026-0318-A, see item 12 (page 3); total NT$ 45,000 元整。"
) * 2
#: Longest gap searched through, whatever the measure says.
MAX_GAP = 200
_ROUNDS = 2


def _best_seconds(run, rounds: int = _ROUNDS) -> float:
    best = float("inf")
    for _ in range(rounds):
        t0 = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - t0)
    return best


def _call_seconds() -> float:
    """What searching a window by itself costs beyond its characters: one timed call that
    finds nothing (a pattern that skips ahead at once), its timeout worked out per call."""
    probe = regex.compile("\x00")
    text = _SAMPLE
    clock = time.monotonic

    def calls() -> None:
        for _ in range(100):
            probe.search(text, 0, 70, timeout=max(0.001, min(1.0, clock() + 1.0 - clock())))

    return _best_seconds(calls) / 100


_CALL_SECONDS: float | None = None
#: A pattern searched slower than this many characters per call's worth of time is tried
#: behind its first-character hint (compiling one costs ~1 ms: only where it may pay).
SLOW_GAP = 40


#: A pattern still searching the sample after this long is slow beyond measure (a safe one takes
#: well under a millisecond); the pack's regex-safety check then says what is wrong with it.
_PROBE_TIMEOUT = 0.05


def per_character(pattern: regex.Pattern[str], text: str = _SAMPLE) -> float:
    """Seconds ``pattern`` spends per character of text like the sample (best of two); infinite
    for one that runs out of ``_PROBE_TIMEOUT`` (no hint, no stretch: searched window by
    window, each call with the scan's own backstop). Loading never fails here."""
    try:
        return _best_seconds(lambda: pattern.findall(text, timeout=_PROBE_TIMEOUT)) / max(1, len(text))
    except TimeoutError:
        return float("inf")


def call_seconds() -> float:
    """What a timed call costs by itself (measured once per process)."""
    global _CALL_SECONDS
    if _CALL_SECONDS is None:
        _CALL_SECONDS = _call_seconds()
    return _CALL_SECONDS


def gap_for(per_char: float) -> int:
    """How many characters between two windows of a pattern that spends ``per_char`` seconds
    per character cost less to search than a call (0: search each window alone)."""
    if per_char <= 0:
        return MAX_GAP
    if per_char == float("inf"):
        return 0
    return max(0, min(MAX_GAP, int(call_seconds() / per_char)))


def is_slow(per_char: float) -> bool:
    """Whether searching ``SLOW_GAP`` characters costs more than a call: worth trying a hint."""
    return gap_for(per_char) < SLOW_GAP


def faster_of(plain: regex.Pattern[str], plain_per_char: float,
              hinted: regex.Pattern[str]) -> tuple[regex.Pattern[str], float]:
    """``hinted`` (the same matches, see :func:`dlp.regex_shape.first_character_hint`) and its
    cost when it searches clearly faster than ``plain``, else ``plain``'s: a hint that saves
    nothing costs ~10%."""
    hinted_per_char = per_character(hinted)
    if hinted_per_char < 0.8 * plain_per_char:
        return hinted, hinted_per_char
    return plain, plain_per_char
