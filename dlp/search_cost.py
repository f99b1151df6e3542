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


def per_character(pattern: regex.Pattern[str]) -> float:
    """Seconds ``pattern`` spends per character of text like the sample (best of two)."""
    text = _SAMPLE
    return _best_seconds(lambda: pattern.findall(text, timeout=1.0)) / len(text)


def the_faster(plain: regex.Pattern[str], hinted: regex.Pattern[str]) -> regex.Pattern[str]:
    """``hinted`` (the same matches, see :func:`dlp.regex_shape.first_character_hint`) when it
    searches clearly faster than ``plain``: a hint that saves nothing costs ~10%."""
    return hinted if per_character(hinted) < 0.8 * per_character(plain) else plain


def worth_searching_through(pattern: regex.Pattern[str]) -> int:
    """How many characters between two windows of ``pattern`` cost less to search than a call
    (0: search each window alone)."""
    global _CALL_SECONDS
    if _CALL_SECONDS is None:
        _CALL_SECONDS = _call_seconds()
    per_char = per_character(pattern)
    if per_char <= 0:
        return MAX_GAP
    return max(0, min(MAX_GAP, int(_CALL_SECONDS / per_char)))
