"""Issue 14 part 4, fast start: jieba's shared tables, the pack guards checked once per pack set,
compiled secrecy patterns, the Unicode fold tables, libyaml for the packs. Each cache: keyed by content, a damaged entry ignored, never read from a
directory others can write to."""

from __future__ import annotations

import gc
import hashlib
import json
import marshal
import pickle
import shutil
import uuid
from pathlib import Path

import pytest
import regex
import yaml
from test_patterns_loader import GOOD_RULE, write_pack

from dlp import Message, PackErrors, normalize
from dlp import patterns as patterns_module
from dlp import tokenize as tok
from dlp.cache_dir import derived
from dlp.heap import paused_collector
from dlp.patterns import _parse_yaml, _read_pack, load_packs
from dlp.regex_cache import CompiledPatterns, remember_regex_module, seed_regex_module
from dlp.scanner import Scanner

PATTERNS = Path(__file__).resolve().parents[1] / "patterns"


def _entries(directory: Path, pattern: str) -> list[Path]:
    return sorted(directory.glob(pattern))


# -- jieba's tables (their identity with jieba's own: tests/test_word_table.py) -----------------

def test_the_dictionary_is_loaded_once_and_shared_across_scanners_and_reloads(tmp_path):
    shutil.copytree(PATTERNS, tmp_path / "p")
    scanner = Scanner(patterns_dir=tmp_path / "p")
    scanner.scan(Message(text="承辦人王小明，電話0912345678"))
    tokenizer, tagger, loads = tok._get(), tok._get_tagger(), tok.init_count
    scanner.reload()
    Scanner(patterns_dir=tmp_path / "p").scan(Message(text="請洽林美玲小姐"))
    scanner.scan(Message(text="承辦人王小明"))
    assert tok._get() is tokenizer and tok._get_tagger() is tagger and tok.init_count == loads == 1


# -- the pack guards, once per pack set --------------------------------------------------------

def _write(directory: Path, rule: dict) -> None:
    write_pack(directory, [rule])


@pytest.fixture()
def guard_runs(monkeypatch) -> dict[str, int]:
    """Counts the real guards' runs (they still run: this only counts)."""
    import dlp.regex_safety as regex_safety

    runs = {"examples": 0, "regex_safety": 0}
    examples, safety = patterns_module.run_examples, regex_safety.check_detectors

    def counted_examples(packset):
        runs["examples"] += 1
        return examples(packset)

    def counted_safety(detectors):
        runs["regex_safety"] += 1
        return safety(detectors)

    monkeypatch.setattr(patterns_module, "run_examples", counted_examples)
    monkeypatch.setattr(regex_safety, "check_detectors", counted_safety)
    return runs


def test_a_pack_set_that_passed_is_not_checked_again_until_a_byte_changes(tmp_path, monkeypatch, guard_runs):
    monkeypatch.setenv("DLP_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "p").mkdir()
    _write(tmp_path / "p", GOOD_RULE)
    load_packs(tmp_path / "p")
    assert guard_runs == {"examples": 1, "regex_safety": 1}
    assert len(_entries(tmp_path / "cache", "guards-*.json")) == 1
    again = load_packs(tmp_path / "p")
    assert guard_runs == {"examples": 1, "regex_safety": 1} and [r.id for r in again.rules] == ["test-badge"]
    _write(tmp_path / "p", {**GOOD_RULE, "description": "改了一個字"})  # another pack set: checked again
    load_packs(tmp_path / "p")
    assert guard_runs == {"examples": 2, "regex_safety": 2}


def test_a_failing_pack_is_refused_every_time_and_never_remembered(tmp_path, monkeypatch, guard_runs):
    monkeypatch.setenv("DLP_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "p").mkdir()
    _write(tmp_path / "p", {**GOOD_RULE, "examples": {"match": ["型號 B123456"]}})
    for _ in range(2):
        with pytest.raises(PackErrors) as info:
            load_packs(tmp_path / "p")
        assert "應該被這條規則找到" in info.value.errors[0].reason
    assert guard_runs["examples"] == 2 and not _entries(tmp_path / "cache", "guards-*.json")


def test_a_damaged_guard_marker_is_ignored_and_rewritten(tmp_path, monkeypatch, guard_runs):
    monkeypatch.setenv("DLP_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "p").mkdir()
    _write(tmp_path / "p", GOOD_RULE)
    load_packs(tmp_path / "p")
    (marker,) = _entries(tmp_path / "cache", "guards-*.json")
    good = marker.read_bytes()
    other_key = json.dumps({**json.loads(good), "key": "0" * 40}).encode()
    for runs, damaged in enumerate((b"", b"{not json", other_key, json.dumps({"passed": True}).encode()), start=2):
        marker.write_bytes(damaged)
        load_packs(tmp_path / "p")
        assert guard_runs["examples"] == runs and marker.read_bytes() == good


def test_a_guard_marker_is_not_used_from_a_directory_others_can_write_to(tmp_path, monkeypatch, guard_runs):
    from dlp.guard_cache import guards_key

    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("DLP_CACHE_DIR", str(shared))
    (tmp_path / "p").mkdir()
    _write(tmp_path / "p", {**GOOD_RULE, "examples": {"match": ["型號 B123456"]}})  # fails its example
    info = _read_pack(tmp_path / "p" / "test.yaml")
    key = guards_key([("test.yaml", info[1])])
    (shared / f"guards-{key}.json").write_text(
        json.dumps({"format": 1, "key": key, "passed": ["regex_safety", "examples"]}), encoding="utf-8")
    with pytest.raises(PackErrors):  # the planted marker is not believed
        load_packs(tmp_path / "p")
    assert guard_runs == {"examples": 1, "regex_safety": 1}


# -- libyaml for the packs ---------------------------------------------------------------------

def test_libyaml_reads_every_pack_exactly_as_the_pure_python_loader():
    assert getattr(yaml, "CSafeLoader", None) is not None, "PyYAML without libyaml: packs load ~8x slower"
    for path in sorted(PATTERNS.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert _parse_yaml(text) == yaml.safe_load(text), path.name


@pytest.mark.parametrize("broken", [
    "rules: [\n  - id: x\n    regex: 'unterminated\n",
    "pack: {name: a}\nrules:\n\t- id: x\n",  # a tab: refused by both, worded by the pure-Python loader
    "rules:\n  - id: x\n  bad indent: [\n",
])
def test_a_bad_pack_gets_the_pure_python_loaders_error(tmp_path, broken):
    path = tmp_path / "broken.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(yaml.YAMLError) as expected:
        yaml.safe_load(broken)
    mark = expected.value.problem_mark
    with pytest.raises(patterns_module.PackError) as info:
        _read_pack(path)
    assert info.value.reason == f"YAML 格式錯誤（第 {mark.line + 1} 行第 {mark.column + 1} 欄）：{expected.value.problem}"


# -- compiled secrecy patterns -----------------------------------------------------------------

SOURCES = [(r"(?P<level>機密|密)\s*等[:：]", 0), (r"^\s*(?P<level>限閱)\s*$", regex.MULTILINE)]
SAMPLE = "密等：機密\n限閱\n 限閱 \n機密 等：普通"


def _matches(patterns) -> list[list[tuple[int, int]]]:
    return [[m.span("level") for m in p.finditer(SAMPLE)] for p in patterns]


def test_compiled_patterns_come_back_the_same_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("DLP_CACHE_DIR", str(tmp_path))
    first = CompiledPatterns()
    compiled = [first.compile(s, f) for s, f in SOURCES]
    first.save()
    (entry,) = _entries(tmp_path, "regex-*.cache")
    monkeypatch.setattr(regex, "compile", lambda *a, **k: pytest.fail("parsed again"))
    cached = [CompiledPatterns().compile(s, f) for s, f in SOURCES]
    assert _matches(cached) == _matches(compiled) == [[(0, 1), (14, 16)], [(6, 8), (10, 12)]]
    assert [(p.pattern, p.flags, p.groupindex) for p in cached] == [(p.pattern, p.flags, p.groupindex) for p in compiled]


def test_the_pattern_cache_is_keyed_by_source_and_flags(tmp_path, monkeypatch):
    monkeypatch.setenv("DLP_CACHE_DIR", str(tmp_path))
    cache = CompiledPatterns()
    cache.compile(SOURCES[1][0], regex.MULTILINE)
    cache.save()
    other = CompiledPatterns().compile(SOURCES[1][0], 0)  # same source, other flags: its own pattern
    assert not other.flags & regex.MULTILINE and _matches([other]) == [[]]
    with pytest.raises(regex.error):  # a broken pattern fails as it always did, and is not cached
        CompiledPatterns().compile("(?P<level>機密", 0)


def test_a_damaged_or_planted_pattern_entry_is_ignored_and_rewritten(tmp_path, monkeypatch):
    monkeypatch.setenv("DLP_CACHE_DIR", str(tmp_path))
    cache = CompiledPatterns()
    reference = _matches([cache.compile(s, f) for s, f in SOURCES])
    cache.save()
    (entry,) = _entries(tmp_path, "regex-*.cache")
    good = entry.read_bytes()
    evil = pickle.dumps(print)  # names another global than regex._regex.compile
    payload = marshal.dumps({f"{f}\0{s}": evil for s, f in SOURCES})
    planted = json.dumps({"format": 1, "payload_sha256": hashlib.sha256(payload).hexdigest()}).encode() + b"\n" + payload
    for damaged in (b"", b"{}\n\x00", good[:-40], planted):
        entry.write_bytes(damaged)
        again = CompiledPatterns()
        assert _matches([again.compile(s, f) for s, f in SOURCES]) == reference
        again.save()
        assert entry.read_bytes() == good


def test_the_pattern_cache_is_not_used_from_a_directory_others_can_write_to(tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("DLP_CACHE_DIR", str(shared))
    cache = CompiledPatterns()
    cache.compile(*SOURCES[0])
    cache.save()
    assert not _entries(shared, "regex-*.cache")


# -- the regex module's own cache, seeded at start-up ------------------------------------------

def _fresh_sources() -> list[tuple[str, int]]:
    """Patterns no earlier test compiled (the regex module's cache lives as long as the process)."""
    tag = uuid.uuid4().hex
    return [(f"(?P<value>{tag}[0-9]{{2}})", 0), (f"^{tag}|機密(?=文件)", regex.MULTILINE | regex.IGNORECASE)]


def test_patterns_remembered_at_start_up_are_what_regex_compile_answers_in_the_next_process(tmp_path, monkeypatch):
    monkeypatch.setenv("DLP_CACHE_DIR", str(tmp_path))
    sources = _fresh_sources()
    compiled = [regex.compile(s, f) for s, f in sources]  # as presidio's import and the packs do
    remember_regex_module(CompiledPatterns("startup"))
    assert _entries(tmp_path, "regex-startup-*.cache")
    for s, f in sources:  # a new process: the module's cache holds none of them
        regex._main._cache.pop((s, str, f, frozenset(), regex.DEFAULT_VERSION, None))
    assert seed_regex_module(CompiledPatterns("startup")) >= len(sources)
    monkeypatch.setattr(regex._main, "_parse_pattern", lambda *a: pytest.fail("parsed again"))
    seeded = [regex.compile(s, f) for s, f in sources]
    assert seeded != compiled and [(p.pattern, p.flags, p.groupindex) for p in seeded] == \
        [(p.pattern, p.flags, p.groupindex) for p in compiled]
    text = f"x{sources[0][0][10:42]}42 機密文件"
    assert [[m.span() for m in p.finditer(text)] for p in seeded] == [[m.span() for m in p.finditer(text)] for p in compiled]


def test_a_seed_the_regex_module_does_not_answer_from_is_taken_back(tmp_path, monkeypatch):
    monkeypatch.setenv("DLP_CACHE_DIR", str(tmp_path))
    entry = CompiledPatterns("startup")
    for s, f in _fresh_sources():
        entry.keep(s, f, regex.compile(s, f))
        regex._main._cache.pop((s, str, f, frozenset(), regex.DEFAULT_VERSION, None))  # a new process
    entry.save()
    before = dict(regex._main._cache)
    # a regex release whose lookup ignores these entries: compile parses as if nothing were seeded
    monkeypatch.setattr(regex, "compile", lambda s, f=0: regex._main._compile(s, f, False, {}, False))
    assert seed_regex_module(CompiledPatterns("startup")) == 0
    assert regex._main._cache == before


def test_a_regex_module_of_another_shape_is_neither_seeded_nor_read(tmp_path, monkeypatch):
    monkeypatch.setenv("DLP_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(regex._main, "_named_args", None)
    remember_regex_module(CompiledPatterns("startup"))
    assert not _entries(tmp_path, "regex-startup-*.cache")
    assert seed_regex_module(CompiledPatterns("startup")) == 0


def test_a_scanner_start_remembers_presidios_patterns_and_the_packs_then_frees_them(tmp_path, monkeypatch):
    """A fresh process: presidio's import and the packs' load compile, the entry keeps both, and
    the regex module's cache is emptied after the load (presidio kept none of its patterns)."""
    import subprocess
    import sys

    monkeypatch.setenv("DLP_CACHE_DIR", str(tmp_path))
    start = ("import regex, regex._main as m; from dlp.patterns import load_packs; load_packs(None); "
             "print(len(m._cache))")
    left = [int(subprocess.run([sys.executable, "-c", start], check=True, capture_output=True, text=True).stdout)
            for _ in range(2)]  # the second start is seeded from the first one's entry
    assert max(left) < 20  # what load_packs left in the module's cache: not presidio's ~170
    kept = {source for source, _ in CompiledPatterns("startup").stored()}
    from presidio_analyzer.predefined_recognizers import CreditCardRecognizer
    assert {p.regex for p in CreditCardRecognizer.PATTERNS} <= kept
    account = next(r for r in load_packs(None).rules if r.id == "tw-bank-account")
    assert any(account.spec["regex"][:20] in source for source in kept)


# -- derived tables (the Unicode fold tables) --------------------------------------------------

def test_a_derived_table_is_built_once_then_read_and_a_damaged_entry_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("DLP_CACHE_DIR", str(tmp_path))
    builds = []

    def build() -> dict[str, int]:
        builds.append(1)
        return {"機密": 2, "限閱": 1}

    assert derived("t", "k1", build) == {"機密": 2, "限閱": 1} and len(builds) == 1
    assert derived("t", "k1", build) == {"機密": 2, "限閱": 1} and len(builds) == 1  # read back
    derived("t", "k2", build)  # another key: built again
    assert len(builds) == 2
    entry = tmp_path / "t-k1.marshal"
    good = entry.read_bytes()
    for damaged in (b"", good[:-3], good[:40] + bytes([good[40] ^ 1]) + good[41:]):
        entry.write_bytes(damaged)
        assert derived("t", "k1", build) == {"機密": 2, "限閱": 1}
        assert entry.read_bytes() == good
    assert len(builds) == 5


def test_a_derived_table_is_not_read_from_a_directory_others_can_write_to(tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("DLP_CACHE_DIR", str(shared))
    payload = marshal.dumps({"planted": 1})
    (shared / "t-k.marshal").write_bytes(hashlib.sha256(payload).digest() + payload)
    assert derived("t", "k", lambda: {"built": 1}) == {"built": 1}


def test_the_cached_fold_tables_are_the_ones_built_from_the_unicode_database():
    one_to_one, pattern, expansions = normalize._fold_tables()
    built_one_to_one, special, built_expansions = normalize._build_fold_tables()
    assert one_to_one == built_one_to_one and expansions == built_expansions
    assert pattern.pattern == normalize._char_class(set(special))


# -- no collections while the state is built ---------------------------------------------------

def test_the_collector_is_paused_only_inside_the_block_and_its_state_restored():
    assert gc.isenabled()
    with paused_collector():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_collector():
            assert not gc.isenabled()
        assert not gc.isenabled()  # a caller's disabled collector stays disabled
    finally:
        gc.enable()


def test_a_new_scanner_leaves_the_collector_on(tmp_path):
    shutil.copytree(PATTERNS, tmp_path / "p")
    Scanner(patterns_dir=tmp_path / "p")
    assert gc.isenabled()


# -- confusable-homoglyphs' table, reduced to the ASCII prototypes the domain check uses ---------

def test_the_reduced_confusables_answer_as_the_packages_full_table(tmp_path, monkeypatch):
    from confusable_homoglyphs.confusables import confusables_data

    from dlp.misdirection import domains

    monkeypatch.setenv("DLP_CACHE_DIR", str(tmp_path))
    built = domains._confusable_tables()
    (entry,) = _entries(tmp_path, "confusables-*.marshal")
    good = entry.read_bytes()
    entry.write_bytes(good[:-3])  # damaged: ignored, rebuilt and rewritten
    prototypes, singles, pairs = domains._confusable_tables()
    assert (prototypes, singles, pairs) == built and entry.read_bytes() == good
    for ch in [*confusables_data, *map(chr, range(0x20, 0x3000))]:
        assert prototypes.get(ch) == domains._ascii_prototype_in(confusables_data, ch), ch
    assert (singles, pairs) == domains._ascii_folds(confusables_data) and ("rn", "m") in pairs


_FREEZE_PROBE = """
import gc, weakref
from dlp.heap import freeze_heap

class Node:
    pass

def garbage_cycle():
    a, b = Node(), Node()
    a.other, b.other = b, a
    return weakref.ref(a)

first = garbage_cycle()
freeze_heap()                      # the process's first freeze: no collection, the cycle is frozen
print("first", first() is not None, gc.get_freeze_count() > 0)
second = garbage_cycle()
freeze_heap()                      # a later freeze collects first
print("second", second() is not None, first() is not None)
freeze_heap(after_reload=True)     # a reload releases the frozen set, then collects
print("reload", first() is not None)
"""


def test_the_first_freeze_of_a_process_skips_the_collection_and_every_later_one_collects():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", _FREEZE_PROBE], capture_output=True, text=True, timeout=120,
                         cwd=Path(__file__).resolve().parents[1], check=True).stdout.split("\n")
    assert out[:3] == ["first True True", "second False True", "reload False"], out
