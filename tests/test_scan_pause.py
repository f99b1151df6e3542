"""The collector stays out of a running scan (dlp.heap.ScanPause, issue 14) and comes back after
it, across threads, and collects anyway when scans overlap without a break."""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from dlp.engine import Analyzer
from dlp.heap import ScanPause, scan_pause
from dlp.model import Segment
from dlp.patterns import load_packs


@contextmanager
def collections_seen() -> Iterator[list[int]]:
    seen: list[int] = []

    def callback(phase: str, info: dict) -> None:
        if phase == "start":
            seen.append(info["generation"])

    gc.callbacks.append(callback)
    try:
        yield seen
    finally:
        gc.callbacks.remove(callback)


def roster(rows: int = 400) -> str:
    return "\n".join(f"{i},王小明{i % 10},A1234567{i % 10:02d},0912-345-{i % 1000:03d}" for i in range(rows))


def test_no_collection_runs_inside_a_scan_and_the_collector_is_back_after_it() -> None:
    analyzer = Analyzer(load_packs(None).detectors)
    text = roster()
    analyzer.analyze([Segment("body", text)])  # warm
    assert gc.isenabled()
    in_flight: list[int] = []

    def during(phase: str, info: dict) -> None:  # how many scans were running when a collection started
        if phase == "start":
            in_flight.append(scan_pause._in_flight)

    gc.callbacks.append(during)
    try:
        analysis = analyzer.analyze([Segment("body", text)])
    finally:
        gc.callbacks.remove(during)
    # thousands of objects made and no collection midway: at most the one that the first
    # allocation after the scan brings (of whichever generation the counts have reached)
    assert analysis.findings and len(in_flight) <= 1 and not any(in_flight), in_flight
    assert gc.isenabled()
    with collections_seen() as unpaused:  # the same analysis without the pause
        analyzer._analyze([Segment("body", text)], False, None, None)
    assert len(unpaused) >= 5


def test_a_collector_turned_off_by_someone_else_stays_off() -> None:
    pause = ScanPause()
    gc.disable()
    try:
        with pause():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_overlapping_scans_in_two_threads_keep_it_off_until_the_last_one_ends() -> None:
    pause = ScanPause()
    first_in, second_in, first_may_leave = threading.Event(), threading.Event(), threading.Event()
    states: dict[str, bool] = {}

    def first() -> None:
        with pause():
            first_in.set()
            first_may_leave.wait(5)
        states["after first left"] = gc.isenabled()
        second_in.wait(5)

    def second() -> None:
        first_in.wait(5)
        with pause():
            second_in.set()
            first_may_leave.set()
            time.sleep(0.05)  # the first scan leaves while this one still runs
            states["second still in"] = gc.isenabled()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert states == {"after first left": False, "second still in": False}
    assert gc.isenabled()


def test_scans_that_overlap_without_a_break_still_collect_their_cycles() -> None:
    pause = ScanPause(max_pause_seconds=0.05)
    stop = threading.Event()

    def background_scan() -> None:
        with pause():
            stop.wait(5)

    t = threading.Thread(target=background_scan)
    t.start()
    try:
        time.sleep(0.01)
        cycle = [[]]
        cycle[0].append(cycle)
        del cycle
        time.sleep(0.1)
        with collections_seen() as seen, pause():  # leaves while the other one still runs
            pass
        assert pause.forced_collections == 1 and seen  # one full collection, on this thread
        assert not gc.isenabled()  # the other scan still runs
    finally:
        stop.set()
        t.join(5)
    assert gc.isenabled()


def test_the_process_shares_one_pause() -> None:
    assert isinstance(scan_pause, ScanPause) and scan_pause._in_flight == 0
