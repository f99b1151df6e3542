"""Multi-pattern prefilter: one pass over the text says where each rule could match.

Most outgoing messages carry nothing sensitive, so what a clean message costs decides the
average. With the hyperscan wheel (which bundles Vectorscan) every rule's regex is compiled in
*prefilter* mode (a superset: lookarounds and other constructs are relaxed, never tightened) into
one database, and a single scan over the UTF-8 bytes reports where each rule may end. Detectors
then run the exact `regex` pattern only in small windows around those places.

Without hyperscan, or for a rule hyperscan cannot compile, the rule runs over the whole text:
slower, never less accurate.

Compiling the database is most of start-up (~0.5 s and more); the compiled database is cached
(``hyperscan.dumpb``) in the user's cache directory (:mod:`dlp.cache_dir`, never ``patterns/``),
keyed by a hash of every expression, its flags and the hyperscan version, and loads in a
millisecond. A cache that cannot be read or written is simply not used.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import logging
import operator
import platform
import threading
import time
from array import array
from dataclasses import dataclass, field

import numpy as np

from dlp.cache_dir import cache_dir, write_atomically

log = logging.getLogger(__name__)

try:  # optional accelerator
    import hyperscan
except ImportError:  # pragma: no cover - exercised where the wheel is absent
    hyperscan = None

_SPAN_START, _SPAN_END = operator.itemgetter(0), operator.itemgetter(1)
_HS_FLAG_NAMES = {"IGNORECASE": "HS_FLAG_CASELESS", "MULTILINE": "HS_FLAG_MULTILINE", "DOTALL": "HS_FLAG_DOTALL"}


@dataclass
class PrefilterResult:
    """Windows (character offsets) per rule id; rules absent from ``known`` run everywhere."""

    text_length: int
    #: windows made so far (see ``pending``); ``windows`` makes them all
    made: dict[str, list[tuple[int, int]]]
    known: frozenset[str]
    #: The scan stopped at its deadline: only text before this offset was looked at, so rules it
    #: knows get no window beyond it (the caller reports the rest as not read).
    complete_until: int = -1
    #: Per literal key, every occurrence of its words as (start, end) character offsets, sorted
    #: by start then longest first (see ``Prefilter``'s ``literals``).
    occurrences: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    #: Keys whose windows are made when first asked for: (the character offsets of the first and
    #: of the last hit of each run of hits, the key's reach). A rule no keyword vouches for never
    #: asks (a roster's bank-account, passport and birth-date hits: ~40% of its runs), nor does a
    #: rule no detector runs.
    pending: dict[str, tuple[np.ndarray | list[int], np.ndarray | list[int], int]] = field(default_factory=dict)
    #: Literal keys of words only (no regex of their own), none longer than the key's reach + 1,
    #: whose hits were reported in order: each occurrence then lies inside the window of the run
    #: that holds its hit (``literal_matches``).
    inside_windows: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if self.complete_until < 0:
            self.complete_until = self.text_length

    @property
    def windows(self) -> dict[str, list[tuple[int, int]]]:
        """The windows of every key with hits."""
        for key in list(self.pending):
            self._windows_of(key)
        return self.made

    def regions(self, rule_id: str) -> list[tuple[int, int]]:
        if rule_id not in self.known:
            return [(0, self.text_length)]
        return self._windows_of(rule_id)

    def _windows_of(self, key: str) -> list[tuple[int, int]]:
        found = self.made.get(key)
        if found is None:
            runs = self.pending.pop(key, None)
            if runs is None:
                return []
            found = self.made[key] = _run_windows(*runs, self.text_length)
        return found

    def literal_matches(self, key: str) -> list[tuple[int, int]] | None:
        """What ``re.finditer`` of the longest-first alternation of ``key``'s words finds in its
        regions (leftmost, the longest word at a position, no overlaps), from the occurrences the
        scan reported; None when the scan cannot say (no hyperscan, a word it could not take, a
        scan stopped at its deadline): the caller then searches the regions itself."""
        found = self.occurrences.get(key)
        if found is None or key not in self.known or self.complete_until < self.text_length:
            return None
        out: list[tuple[int, int]] = []
        if key in self.inside_windows:
            # Every occurrence lies inside the window of its own hit, and windows are apart
            # (merged where they touch): the pass over the windows keeps what one pass over the
            # occurrences keeps, and the windows need not be made.
            pos = 0
            for span in found:
                if span[0] >= pos:
                    out.append(span)
                    pos = span[1]
            return out
        i = 0
        for lo, hi in self._windows_of(key):
            i = bisect.bisect_left(found, (lo, -1), i)
            pos = lo
            while i < len(found) and found[i][0] < hi:
                start, end = found[i]
                i += 1
                if start >= pos and end <= hi:  # the first fitting at a start is the longest
                    out.append((start, end))
                    pos = end
        return out


class Prefilter:
    """Built once per pack set; ``scan`` is safe to call from several threads."""

    def __init__(self, rules: dict[str, str], flags: dict[str, list[str]], max_lengths: dict[str, int],
                 literals: dict[str, list[str]] | None = None, deferred: dict[str, str] | None = None):
        """``literals``: keys whose words are each their own expression, so that the scan reports
        every occurrence of every word (``PrefilterResult.literal_matches``: a trigger list found
        at C speed, not by a Python-level alternation); their windows are as for a rule.

        ``deferred``: rule id -> the key (another expression) without whose hits the rule's
        windows are not wanted (a keyword-gated rule and its keywords). Each such rule is a
        database of its own, scanned only when its key has hits (or hyperscan could not take the
        key), or for every rule with ``scan(..., every_rule=True)``; a rule not scanned is
        unknown to that result (``regions``: the whole text). A roster's passport, bank-account
        and birth-date hits (6,800 of its 15,300 reports, none near a keyword) are then never
        reported, nor are clean prose's 859 birth-date ones."""
        deferred = {rid: key for rid, key in (deferred or {}).items() if rid in rules}
        #: rule id -> (its key, the rule's own prefilter)
        self._deferred: dict[str, tuple[str, Prefilter]] = {
            rid: (key, Prefilter({rid: rules[rid]}, flags, max_lengths)) for rid, key in deferred.items()
        }
        rules = {rid: source for rid, source in rules.items() if rid not in deferred}
        self.max_lengths = max_lengths
        self._ids: list[str] = []
        #: expression index -> the length in characters of its literal word (0: a rule's regex)
        self._literal_chars: list[int] = []
        self._literal_keys: frozenset[str] = frozenset()
        self._inside_windows: frozenset[str] = frozenset()
        self._known: frozenset[str] = frozenset()
        self._db = None
        self._local = threading.local()
        self._keys: list[str] = []  # the keys of the expressions, each once
        self._slot: list[int] = []  # expression index -> index of its key in _keys
        self.unsupported: list[str] = []
        if hyperscan is None:
            self.unsupported = sorted(rules)
            return
        base = hyperscan.HS_FLAG_PREFILTER | hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_UCP | hyperscan.HS_FLAG_ALLOWEMPTY
        candidates: list[tuple[str, bytes, int]] = []
        for rule_id, source in rules.items():
            f = base
            for name in flags.get(rule_id, []):
                f |= getattr(hyperscan, _HS_FLAG_NAMES[name])
            candidates.append((rule_id, source.encode("utf-8"), f))
        words_of = {key: list(words) for key, words in (literals or {}).items() if words and all(words)}
        for key, words in words_of.items():  # exact words: the escaped literal, no flags
            candidates.extend((key, _hs_literal(w), base) for w in words)
        cached = _load_cached(candidates)
        if cached is not None:
            self._db, self._ids, self.unsupported = cached
        else:
            self._compile_all(candidates, rules)
            _store_cached(candidates, self._db, self._ids, self.unsupported)
        self._keys = list(dict.fromkeys(self._ids))
        index = {key: j for j, key in enumerate(self._keys)}
        self._slot = [index[rule_id] for rule_id in self._ids]
        self._literal_chars = _literal_lengths(self._ids, words_of)
        # the same tables as arrays, indexed by the reports' expression numbers all at once
        self._slot_array = np.array(self._slot, dtype=np.intp)
        self._gap_array = np.array([2 * max_lengths.get(key, 120) + 2 for key in self._keys], dtype=np.int64)
        self._widest_gap = int(self._gap_array.max()) if self._keys else 0
        self._gaps = self._gap_array.tolist()
        self._literal_array = np.array(self._literal_chars, dtype=np.int64)
        self._literal_keys = frozenset(rid for rid, n in zip(self._ids, self._literal_chars) if n)
        self._literal_slots = sorted({self._slot[i] for i, n in enumerate(self._literal_chars) if n})
        self._inside_windows = frozenset(key for key in self._literal_keys if key not in rules
                                         and max(map(len, words_of[key])) <= max_lengths.get(key, 120) + 1)
        # a literal key hyperscan did not take whole runs over the whole text, as a rule it refused
        self._known = frozenset(self._ids) - (set(words_of) - self._literal_keys)
        self.unsupported = sorted([*self.unsupported, *(u for _, sub in self._deferred.values() for u in sub.unsupported)])
        if self.unsupported:
            log.info("prefilter: rules run over the whole text: %s", ", ".join(self.unsupported))

    def databases(self) -> list:
        """Every compiled database: the main one and each deferred rule's (the benchmark's limit
        scans them all)."""
        own = [self._db] if self._db is not None else []
        return own + [db for _, sub in self._deferred.values() for db in sub.databases()]

    def _compile_all(self, candidates: list[tuple[str, bytes, int]], rules: dict[str, str]) -> None:
        # One compile of everything is the usual case; only when it fails is each rule tried
        # alone to find the ones hyperscan cannot take (compiling is most of start-up time).
        self._db = self._compile(candidates)
        if self._db is None:
            good = [c for c in candidates if self._compile([c]) is not None]
            self.unsupported = sorted(set(rules) - {c[0] for c in good})
            candidates = good
            self._db = self._compile(candidates) if candidates else None
        self._ids = [c[0] for c in candidates] if self._db is not None else []

    @staticmethod
    def _compile(candidates: list[tuple[str, bytes, int]]):
        """A block-mode database of ``(rule id, expression, flags)``, or None if any is refused."""
        db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        try:
            db.compile(
                expressions=[c[1] for c in candidates], ids=list(range(len(candidates))),
                elements=len(candidates), flags=[c[2] for c in candidates],
            )
        except Exception:  # hyperscan.error or an unsupported construct
            return None
        return db

    @property
    def active(self) -> bool:
        return self._db is not None

    def _scratch(self):
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = hyperscan.Scratch(self._db)
            self._local.scratch = scratch
        return scratch

    def scan(self, text: str, deadline: float | None = None, every_rule: bool = False) -> PrefilterResult:
        """Windows per rule. With ``deadline`` (``time.monotonic()``), a scan still running then
        stops (checked every few thousand matches) and says how far it got. ``every_rule``: the
        deferred rules too, whatever their keys' hits (``dlp explain``)."""
        data = text.encode("utf-8")
        chars = _CharMap(data)  # one encoding, one character map for all the scans of a text
        result = self._scan(text, deadline, data, chars)
        for key, sub in self._deferred.values():
            if every_rule or key not in result.known or key in result.pending:
                part = sub._scan(text, deadline, data, chars)
                result.known = result.known | part.known
                result.pending.update(part.pending)
                result.complete_until = min(result.complete_until, part.complete_until)
        return result

    def _scan(self, text: str, deadline: float | None, data: bytes | None = None,
              chars: _CharMap | None = None) -> PrefilterResult:
        """``data``: ``text`` in UTF-8, if already encoded; ``chars``: its character map, if
        already made (the scans of the deferred rules share the first scan's)."""
        if self._db is None:
            return PrefilterResult(len(text), {}, frozenset())
        if data is None:
            data = text.encode("utf-8")
        # The callback only notes each report (expression, byte end) in C arrays: hyperscan calls
        # Python once per report, and whatever runs there runs thousands of times on a roster.
        # Everything else is done after the scan, over all the reports at once, in array passes
        # over the very same memory (``_runs_and_occurrences``).
        exprs = array("q")
        tos = array("q")
        note_expr, note_to = exprs.append, tos.append
        stopped: list[int] = []
        if deadline is None:
            def on_match(idx: int, _from: int, to: int, _flags: int, _ctx: object) -> None:
                note_expr(idx)
                note_to(to)
        else:
            clock = time.monotonic

            def on_match(idx: int, _from: int, to: int, _flags: int, _ctx: object) -> bool | None:
                note_expr(idx)
                note_to(to)
                if not len(tos) & 4095 and clock() >= deadline:  # every 4,096 reports
                    stopped.append(to)
                    return True  # hyperscan stops scanning
                return None

        try:
            self._db.scan(data, match_event_handler=on_match, scratch=self._scratch())
        except hyperscan.ScanTerminated:
            pass
        n = len(text)
        if len(tos) <= _FEW_REPORTS and not stopped:  # a chat message: array calls cost more than they save
            pending, occurrences, in_order, literals_in_order = self._few_runs_and_occurrences(exprs, tos, data)
            inside = self._inside_windows if in_order or literals_in_order else frozenset()
            return PrefilterResult(n, {}, self._known, -1, occurrences, pending, inside)
        ends = np.frombuffer(tos, dtype=np.int64) if tos else np.zeros(0, dtype=np.int64)
        if chars is None:
            chars = _CharMap(data)
        char_ends = chars.of(ends) if tos else ends
        in_order = not bool((ends[1:] < ends[:-1]).any())  # (hyperscan does not promise it)
        expr = np.frombuffer(exprs, dtype=np.int64) if exprs else np.zeros(0, dtype=np.int64)
        pending, occurrences, literals_in_order = self._runs_and_occurrences(expr, ends, char_ends)
        complete = -1
        if stopped:
            # Matches end at most a rule's reach after they start: a window that starts before
            # the stop could still be cut short, so the unread part begins a reach earlier.
            stop = int(chars.of(np.array(stopped[:1], dtype=np.int64))[0])
            complete = max(0, stop - max(self.max_lengths.values(), default=120) - 1)
        # A literal key's occurrences are matched window by window unless its hits came in order.
        inside = self._inside_windows if in_order or literals_in_order else frozenset()
        return PrefilterResult(n, {}, self._known, complete, occurrences, pending, inside)

    def _few_runs_and_occurrences(self, exprs: array, tos: array, data: bytes):
        """What ``_runs_and_occurrences`` makes (the runs as lists), and whether all the reports
        and the literal ones came in order, by one pass over the reports in Python: the runs as
        the callback once built them, a report at most the key's gap past its run's furthest end
        extending the run (the same rule as the array passes, one report at a time)."""
        to_char = _char_offsets(data, sorted(set(tos))) if tos else {}
        slot, gaps, literal_chars, keys = self._slot, self._gaps, self._literal_chars, self._keys
        runs: dict[int, tuple[list[int], list[int], list[int]]] = {}  # key -> (firsts, lasts, [furthest byte end])
        occurrences: dict[str, list[tuple[int, int]]] = {key: [] for key in self._literal_keys}
        in_order = literals_in_order = True
        last_to = last_word_to = -1
        for idx, to in zip(exprs, tos):
            if to < last_to:
                in_order = False
            last_to = to
            j = slot[idx]
            end = to_char[to]
            run = runs.get(j)
            if run is not None and to - run[2][0] <= gaps[j]:
                if to > run[2][0]:
                    run[2][0] = to
                    run[1][-1] = end
            elif run is None:
                runs[j] = ([end], [end], [to])
            else:
                run[0].append(end)
                run[1].append(end)
                run[2][0] = to
            length = literal_chars[idx]
            if length:
                if to < last_word_to:
                    literals_in_order = False
                last_word_to = to
                occurrences[keys[j]].append((end - length, end))
        for found in occurrences.values():
            found.sort(key=_shorter_last)  # by start, then longest first (the array passes' lexsort)
        pending = {keys[j]: (firsts, lasts, self.max_lengths.get(keys[j], 120)) for j, (firsts, lasts, _) in runs.items()}
        return pending, occurrences, in_order, literals_in_order

    def _runs_and_occurrences(self, expr: np.ndarray, ends: np.ndarray, char_ends: np.ndarray):
        """From every report (expression, byte end, character end), in the order they came: per
        key with hits, its runs of hits as (character offset of each run's first hit, of its
        last, reach); per literal key, its words' occurrences as (start, end) character offsets,
        sorted by start then longest first; and whether the literal reports came in order.

        A run is what one pass over a key's reports in their order makes: a report that ends at
        most the key's gap (2 × reach + 2 bytes, so at most that many characters) after the
        run's furthest end extends it, any other starts a new one — so dense text makes a run,
        not a window, per hit, and the runs' windows (± reach characters) are the merged windows
        of every hit (when the reports come in order). Here the same runs come from array
        operations over all the reports of a key: a new run starts where a report ends more than
        the gap after the furthest end before it (a running maximum), and a run's last offset is
        that running maximum at its end (the character map keeps the order of byte offsets).
        All keys at once: each key's offsets are lifted by its number times a span larger than
        any offset and gap, so that one running maximum over the reports sorted by key never
        carries one key's ends into the next's."""
        occurrences: dict[str, list[tuple[int, int]]] = {key: [] for key in self._literal_keys}
        if not ends.size:
            return {}, occurrences, True
        slots = self._slot_array[expr]
        order = np.argsort(slots, kind="stable")  # by key, each key's reports in their order
        by_key = slots[order]
        span = int(ends.max()) + self._widest_gap + 1
        lifted = ends[order] + by_key * span
        furthest = np.maximum.accumulate(lifted)
        new = np.flatnonzero((lifted[1:] - furthest[:-1] > self._gap_array[by_key[1:]]) | (by_key[1:] != by_key[:-1])) + 1
        starts = np.concatenate(([0], new))
        stops = np.concatenate((new - 1, [len(order) - 1]))
        sorted_chars = char_ends[order]
        char_span = int(sorted_chars.max()) + 1
        firsts = sorted_chars[starts]
        lasts = np.maximum.accumulate(sorted_chars + by_key * char_span)[stops] - by_key[stops] * char_span
        run_keys = by_key[starts]
        cuts = (np.flatnonzero(run_keys[1:] != run_keys[:-1]) + 1).tolist()
        pending: dict[str, tuple[np.ndarray, np.ndarray, int]] = {}
        for a, b, j in zip([0, *cuts], [*cuts, len(run_keys)], run_keys[[0, *cuts]].tolist()):
            key = self._keys[j]
            pending[key] = (firsts[a:b], lasts[a:b], self.max_lengths.get(key, 120))
        literal_in_order = True
        if self._literal_keys:
            lengths = self._literal_array[expr]
            words = np.flatnonzero(lengths)
            if words.size:
                word_ends = ends[words]
                literal_in_order = not bool((word_ends[1:] < word_ends[:-1]).any())
                stop_at, key_of = char_ends[words], slots[words]
                start_at = stop_at - lengths[words]
                for j in self._literal_slots:
                    if len(self._literal_slots) == 1:  # (every word reported is this key's)
                        key_starts, key_stops = start_at, stop_at
                    else:
                        own = key_of == j
                        if not own.any():
                            continue
                        key_starts, key_stops = start_at[own], stop_at[own]
                    ranked = np.lexsort((-key_stops, key_starts))  # by start, then longest first
                    occurrences[self._keys[j]] = list(zip(key_starts[ranked].tolist(), key_stops[ranked].tolist()))
        return pending, occurrences, literal_in_order


class _CharMap:
    """Byte offset -> character offset in one UTF-8 text, for arrays of offsets in any order:
    the character starts (``_CHARACTER_STARTS``) before every byte offset, counted once by a
    prefix sum (4 bytes per byte of text). A text above ``_PREFIX_SUM_BYTES`` is counted
    stretch by stretch between the offsets asked for instead (``_char_offsets``)."""

    def __init__(self, data: bytes):
        self.data = data
        self.prefix: np.ndarray | None = None  # made when first asked (a text without hits never is)

    def of(self, ends: np.ndarray) -> np.ndarray:
        """The character offset of each byte offset in ``ends`` (an offset inside a character
        maps past it), as int64."""
        data = self.data
        if self.prefix is None and len(data) <= _PREFIX_SUM_BYTES:
            prefix = np.zeros(len(data) + 1, dtype=np.int32)
            np.cumsum(np.frombuffer(data.translate(_CHARACTER_STARTS), dtype=np.uint8), dtype=np.int32, out=prefix[1:])
            self.prefix = prefix
        if self.prefix is not None:
            return self.prefix[ends].astype(np.int64)
        to_char = _char_offsets(self.data, sorted(set(ends.tolist())))
        return np.array([to_char[b] for b in ends.tolist()], dtype=np.int64)


#: Texts up to this many bytes get a prefix sum of character starts (``_CharMap``).
_PREFIX_SUM_BYTES = 4 << 20


#: Runs up to this many are merged without array operations (``_run_windows``).
_FEW_RUNS = 12
#: A scan with at most this many reports makes its runs in one Python pass (a chat message's
#: dozens: ~20 numpy calls of 1–3 µs each would cost more than the pass).
_FEW_REPORTS = 256


def _shorter_last(span: tuple[int, int]) -> tuple[int, int]:
    """Sort key: by start, then longest first."""
    return span[0], -span[1]


def _run_windows(firsts: np.ndarray, lasts: np.ndarray, reach: int, n: int) -> list[tuple[int, int]]:
    """The merged character windows of one key's runs of hits (tests/plain_windows.py, from the
    runs' character offsets): each run widened by ``reach`` on both sides, within the text, and
    merged where they touch — a window ends where the next run's start lies beyond the furthest
    end so far (in the order of the starts). A few runs are merged by ``_merge`` (array calls
    cost more than they save there)."""
    if isinstance(firsts, list) or len(firsts) <= _FEW_RUNS:
        if not isinstance(firsts, list):
            firsts, lasts = firsts.tolist(), lasts.tolist()
        return _merge([(max(0, f - reach - 1), min(n, e + reach + 1)) for f, e in zip(firsts, lasts)])
    lo = np.maximum(firsts - (reach + 1), 0)
    hi = np.minimum(lasts + (reach + 1), n)
    if lo.size > 1 and bool((lo[1:] < lo[:-1]).any()):  # (runs out of order: by start)
        by_start = np.argsort(lo, kind="stable")
        lo, hi = lo[by_start], hi[by_start]
    furthest = np.maximum.accumulate(hi)
    new = np.flatnonzero(lo[1:] > furthest[:-1]) + 1
    return list(zip(lo[np.concatenate(([0], new))].tolist(), furthest[np.concatenate((new - 1, [lo.size - 1]))].tolist()))


def _hs_literal(word: str) -> bytes:
    """``word`` as a hyperscan expression that matches exactly it (every character escaped)."""
    return "".join(f"\\x{{{ord(ch):x}}}" for ch in word).encode("ascii")


def _literal_lengths(ids: list[str], words_of: dict[str, list[str]]) -> list[int]:
    """Per expression, the character length of its literal word (0 for a rule's regex). The
    words of a key follow its regex, if any, in the order given; a key hyperscan did not take
    whole gets no literal reports (its matches are then searched for by the caller)."""
    out = [0] * len(ids)
    for key, words in words_of.items():
        positions = [i for i, rid in enumerate(ids) if rid == key]
        if len(positions) != len(words):
            continue
        for i, word in zip(positions, words):
            out[i] = len(word)
    return out


def _cache_key(candidates: list[tuple[str, bytes, int]]) -> str:
    digest = hashlib.sha256()
    digest.update(f"{getattr(hyperscan, '__version__', '')}|{platform.machine()}|".encode())
    for rule_id, source, flags in candidates:
        digest.update(f"{rule_id}\0{flags}\0".encode() + source + b"\0\0")
    return digest.hexdigest()[:32]


def _cache_path(candidates: list[tuple[str, bytes, int]]):
    directory = cache_dir()
    return None if directory is None else directory / f"hyperscan-{_cache_key(candidates)}.db"


#: Compiled databases kept (each pack set that ran recently: ~3 MB each); older ones are removed.
_CACHE_ENTRIES = 12


def _prune(directory, keep: int) -> None:
    entries = sorted(directory.glob("hyperscan-*.db"), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in entries[keep:]:
        try:
            stale.unlink()
        except OSError:
            pass


def _load_cached(candidates: list[tuple[str, bytes, int]]):
    """(database, ids, unsupported) from the cache, or None (absent, unreadable, other rules)."""
    path = _cache_path(candidates)
    if path is None:
        return None
    try:
        raw = path.read_bytes()
        header, _, blob = raw.partition(b"\n")
        meta = json.loads(header)
        db = hyperscan.loadb(blob, hyperscan.HS_MODE_BLOCK) if blob else None
    except Exception:  # absent, truncated, another hyperscan build: compile instead
        return None
    known = {c[0] for c in candidates}
    ids, unsupported = meta.get("ids"), meta.get("unsupported")
    if not isinstance(ids, list) or not isinstance(unsupported, list) or set(ids) | set(unsupported) != known \
            or (db is None) != (not ids):
        return None
    return db, ids, unsupported


def _store_cached(candidates, db, ids: list[str], unsupported: list[str]) -> None:
    path = _cache_path(candidates)
    if path is None:
        return
    try:
        blob = hyperscan.dumpb(db) if db is not None else b""
        write_atomically(path, json.dumps({"ids": ids, "unsupported": unsupported}).encode() + b"\n" + blob)
        _prune(path.parent, keep=_CACHE_ENTRIES)
    except Exception as exc:  # a full disk or a read-only home: start-up is slower, nothing else
        log.info("prefilter: compiled database not cached (%s)", exc)


#: UTF-8 continuation bytes (10xxxxxx) -> 0, every other byte -> 1: the characters before a
#: byte offset are the 1s before it.
_CHARACTER_STARTS = bytes(0 if 0x80 <= b < 0xC0 else 1 for b in range(256))


def _char_offsets(data: bytes, byte_offsets: list[int]) -> dict[int, int]:
    """Map sorted UTF-8 byte offsets to character offsets: the characters that start before
    each (an offset inside a character counts that character, i.e. maps past it). One
    ``translate`` marks the bytes that start a character and ``bytes.count`` counts them
    stretch by stretch, at C speed (no decoding, no slices)."""
    out: dict[int, int] = {}
    if not byte_offsets:
        return out
    starts = data.translate(_CHARACTER_STARTS)
    count = starts.count
    chars = 0
    prev = 0
    for b in byte_offsets:
        if b > prev:
            chars += count(1, prev, b)
            prev = b
        out[b] = chars
    return out


def _merge(spans) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(spans):
        if merged and lo <= merged[-1][1]:
            if hi > merged[-1][1]:
                merged[-1] = (merged[-1][0], hi)
        else:
            merged.append((lo, hi))
    return merged
