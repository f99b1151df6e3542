"""Issue 14's building blocks: the cached hyperscan database, rjieba beside jieba, gc.freeze."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dlp import cache_dir as cache_dir_module
from dlp.prefilter import Prefilter, hyperscan

RULES = {"phone": r"09[0-9]{8}", "odd": r"\p{Script=Han}市"}
TEXT = "手機0912345678，" + "清" * 300 + "臺北市 0987654321"


def _cache_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("hyperscan-*.db"))


@pytest.mark.skipif(hyperscan is None, reason="the hyperscan wheel is not installed here")
def test_the_compiled_database_is_cached_and_a_second_build_reads_it(tmp_path, monkeypatch):
    monkeypatch.setenv("DLP_CACHE_DIR", str(tmp_path / "cache"))
    first = Prefilter(RULES, {}, {"phone": 12})
    files = _cache_files(tmp_path / "cache")
    assert len(files) == 1 and (tmp_path / "cache").stat().st_mode & 0o077 == 0
    compiled = first._compile
    monkeypatch.setattr(Prefilter, "_compile", staticmethod(lambda c: pytest.fail("compiled again")))
    second = Prefilter(RULES, {}, {"phone": 12})
    monkeypatch.setattr(Prefilter, "_compile", staticmethod(compiled))
    assert second.unsupported == first.unsupported == ["odd"]
    assert second.scan(TEXT).windows == first.scan(TEXT).windows != {}
    # another rule set gets its own entry, never the first one's database
    Prefilter({"phone": r"09[0-9]{8}", "mail": r"\w+@\w+"}, {}, {})
    assert len(_cache_files(tmp_path / "cache")) == 2


@pytest.mark.skipif(hyperscan is None, reason="the hyperscan wheel is not installed here")
def test_a_damaged_or_foreign_cache_entry_is_ignored_and_rewritten(tmp_path, monkeypatch):
    monkeypatch.setenv("DLP_CACHE_DIR", str(tmp_path))
    reference = Prefilter(RULES, {}, {"phone": 12}).scan(TEXT).windows
    (path,) = _cache_files(tmp_path)
    for damaged in (b"not json\n\x00\x01", json.dumps({"ids": ["other"], "unsupported": []}).encode() + b"\n",
                    path.read_bytes()[:200]):
        path.write_bytes(damaged)
        assert Prefilter(RULES, {}, {"phone": 12}).scan(TEXT).windows == reference
    assert Prefilter(RULES, {}, {"phone": 12}).scan(TEXT).windows == reference


def test_a_cache_directory_others_can_write_to_is_not_used(tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("DLP_CACHE_DIR", str(shared))
    assert cache_dir_module.cache_dir() is None
    monkeypatch.setenv("DLP_CACHE_DIR", str(tmp_path / "mine"))
    assert cache_dir_module.cache_dir() == tmp_path / "mine"


def test_a_checkout_stays_clean_the_cache_is_not_written_under_patterns(tmp_path):
    env = {**os.environ, "DLP_CACHE_DIR": "", "HOME": str(tmp_path), "XDG_CACHE_HOME": ""}
    repo = Path(__file__).resolve().parents[1]
    before = sorted(p.name for p in (repo / "patterns").iterdir())
    subprocess.run([sys.executable, "-c", "from dlp import Scanner; Scanner()"], check=True, env=env, cwd=repo)
    assert sorted(p.name for p in (repo / "patterns").iterdir()) == before
    if hyperscan is not None:
        assert _cache_files(tmp_path / ".cache" / "dlp")


def _windows_of_corpora() -> list[str]:
    from findings_snapshot import CORPORA, DATA

    out = []
    for name in CORPORA:
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            text = json.loads(line)["text"]
            out.extend(text[i:i + 24] for i in range(0, len(text), 7))
    return out


def test_rjieba_cuts_the_same_tokens_as_jieba_on_every_corpus_window():
    pytest.importorskip("rjieba", reason="rjieba is a declared dependency; install it")
    import dlp.tokenize as tok

    windows = _windows_of_corpora()
    assert len(windows) > 15000
    jieba_tk = tok._get()
    differ = [w for w in windows if tok.tokenize(w) != _jieba_tokens(jieba_tk, tok._simplify_chars, w)]
    assert not differ, f"{len(differ)} windows cut differently, e.g. {differ[:3]}"


def _jieba_tokens(tk, simplify, text: str) -> list[tuple[str, int, int]]:
    out, pos = [], 0
    for word in tk.cut(simplify(text), HMM=False):
        out.append((text[pos:pos + len(word)], pos, pos + len(word)))
        pos += len(word)
    return out


def test_scanner_freezes_its_state_out_of_the_collectors_sight():
    from dlp import Scanner

    gc.unfreeze()
    scanner = Scanner()
    frozen = gc.get_freeze_count()
    assert frozen > 100000  # the packs, presidio, the analyzer
    scanner.reload()
    assert gc.get_freeze_count() > 100000


def test_a_rule_that_needs_a_keyword_is_not_matched_where_none_can_vouch_but_explain_still_shows_it(personal_analyzer):
    from dlp.model import Segment

    far = "會議紀錄" * 200
    text = f"訂單 0123456789012 已出貨。{far}匯款帳號：012-3456789012"
    analysis = personal_analyzer.analyze([Segment("body", text)])
    assert [f.type for f in analysis.findings] == ["TW_BANK_ACCOUNT"]
    quiet = personal_analyzer.analyze([Segment("body", f"訂單 0123456789012 已出貨。{far}")], explain=True)
    assert not quiet.findings
    assert any(t.candidate.rule == "tw-bank-account" and "required" in t.candidate.why for t in quiet.trace)


def test_the_services_answers_are_the_same_bytes_with_orjson(scanner):
    from findings_snapshot import records

    from dlp.model import Message
    from service.app import _encode

    pytest.importorskip("orjson", reason="orjson is a declared dependency; install it")
    for _, rec in records()[::25]:
        doc = {"request_id": "r-1", **scanner.scan(Message(text=rec["text"], subject=rec.get("subject"))).to_dict()}
        assert _encode(doc) == json.dumps(doc, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()
    assert _encode({"big": 2**70, 1: "non-string key"}) == b'{"big":1180591620717411303424,"1":"non-string key"}'


def test_the_prefilter_expressions_are_the_same_in_every_process():
    """The cache is keyed by the expressions' text: set order must not leak into it."""
    script = ("import json; from dlp.patterns import load_packs; "
              "print(json.dumps({k: v for d in load_packs(None).detectors for k, v in d.prefilter_regexes().items()}))")
    outs = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert len(outs) == 1


@pytest.mark.skipif(hyperscan is None, reason="the hyperscan wheel is not installed here")
def test_old_cache_entries_are_pruned(tmp_path, monkeypatch):
    from dlp import prefilter

    monkeypatch.setenv("DLP_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(prefilter, "_CACHE_ENTRIES", 2)
    for n in range(4):
        Prefilter({"phone": f"09[0-9]{{{n + 6}}}"}, {}, {})
    assert len(_cache_files(tmp_path)) == 2
