"""Issue 14 part 4, memory: jieba's dictionary in a marisa trie (dlp.word_table) cuts, tags and
looks words up exactly as jieba's own tables, on every window of the corpora; its cache entry is
hash-checked (a damaged one is ignored and rebuilt) and never read from a shared directory."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jieba
import jieba.posseg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlp import jieba_tables, word_table
from dlp import tokenize as tok

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def jiebas_own() -> jieba.Tokenizer:
    """jieba's own tokenizer of its default dictionary (``gen_pfdict``, prefixes and all, no cache)."""
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total = tokenizer.gen_pfdict(tokenizer.get_dict_file())
    tokenizer.initialized = True
    return tokenizer


@pytest.fixture(scope="module")
def jiebas_tags() -> dict[str, str]:
    """jieba.posseg's own tag table of the default dictionary (``load_word_tag``)."""
    tagger = jieba.posseg.POSTokenizer.__new__(jieba.posseg.POSTokenizer)
    tagger.load_word_tag(jieba.Tokenizer().get_dict_file())
    return tagger.word_tag_tab


@pytest.fixture(scope="module")
def jiebas_tagger(jiebas_own, jiebas_tags) -> jieba.posseg.POSTokenizer:
    tagger = jieba.posseg.POSTokenizer.__new__(jieba.posseg.POSTokenizer)
    tagger.tokenizer, tagger.word_tag_tab = jiebas_own, jiebas_tags
    return tagger


def _corpus_windows() -> list[str]:
    """Every 24-character window (step 7) of every text of every corpus in tests/data."""
    out = []
    for path in sorted(DATA.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                for value in json.loads(line).values():
                    if isinstance(value, str) and len(value) > 1:
                        out.extend(value[i:i + 24] for i in range(0, len(value), 7))
    return out


WINDOWS = _corpus_windows()
ODD = ["", "T恤與卡拉OK", "ＡＢＣ一二三", "中華人民共和國國務院", "王\udcff小明", "abc 123.5 ，。", "\x00一"]


def test_every_word_frequency_and_tag_is_jiebas(jiebas_own, jiebas_tags):
    table = jieba_tables.default_table()
    words_only = {w: f for w, f in jiebas_own.FREQ.items() if w in jiebas_tags}
    assert not any(f for w, f in jiebas_own.FREQ.items() if w not in jiebas_tags)  # the rest: prefixes
    freqs, tags = word_table.Frequencies(table), word_table.Tags(table)
    assert len(table) == len(words_only) == len(jiebas_tags) > 340000
    assert dict(freqs.items()) == words_only and dict(tags.items()) == jiebas_tags
    assert table.total == jiebas_own.total
    assert table.max_word_length == max(map(len, jiebas_tags))


def test_the_mappings_answer_like_dicts():
    table = jieba_tables.default_table()
    freqs, tags = word_table.Frequencies(table), word_table.Tags(table)
    assert freqs.get("北京") == freqs["北京"] > 0 and "北京" in freqs and tags["北京"] == tags.get("北京") == "ns"
    for missing in ("北京市政", "不是詞也不是前綴", "\udcff", ""):
        assert freqs.get(missing) is None and tags.get(missing, "x") == "x" and missing not in freqs
        with pytest.raises(KeyError):
            freqs[missing]
    assert 42 not in freqs  # not a string: not a word


def test_tokenize_pos_tags_and_lookups_are_jiebas_on_every_corpus_window(jiebas_own, jiebas_tags, jiebas_tagger):
    assert len(WINDOWS) > 15000
    differ = []
    for window in WINDOWS + ODD:
        text = tok._simplify_chars(window)
        ours = tok.pos_tags(window)
        theirs = [(p.word, p.flag) for p in jiebas_tagger.cut(text, HMM=True)]
        if [(text[s:e], f) for _, f, s, e in ours] != theirs:
            differ.append(("pos_tags", window))
        for hmm in (False, True):
            cut = [text[s:e] for _, s, e in tok.tokenize(window, hmm=hmm)]
            if cut != list(jiebas_own.cut(text, HMM=hmm)):
                differ.append((f"tokenize hmm={hmm}", window))
        if tok._get().cut(text, HMM=False) and list(tok._get().cut(text, HMM=False)) != list(jiebas_own.cut(text, HMM=False)):
            differ.append(("jieba's cut over the table", window))
        for word, _, _ in tok.tokenize(window):
            simple = tok._simplify_chars(word)
            if tok.word_frequency(word) != jiebas_own.FREQ.get(simple, 0) or tok.word_tag(word) != jiebas_tags.get(simple, ""):
                differ.append(("lookup", word))
    assert not differ, f"{len(differ)} differences, e.g. {differ[:5]}"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("中华民国人共和务院王小明林美玲台北市政府机密文件ABC123 ，。\udcff\x00")), max_size=30))
def test_the_dag_is_jiebas_on_any_text(jiebas_own, text):
    assert tok._get().get_DAG(text) == jiebas_own.get_DAG(text)


# -- the cache entry ------------------------------------------------------------------------------

def _entries(directory: Path) -> list[Path]:
    return sorted(directory.glob("jieba-words-*.table"))


def test_a_second_load_reads_the_cache_entry(tmp_path, monkeypatch, jiebas_tags):
    monkeypatch.setenv("DLP_CACHE_DIR", str(tmp_path))
    built = jieba_tables.default_table()
    (entry,) = _entries(tmp_path)
    monkeypatch.setattr(word_table, "build", lambda opener: pytest.fail("rebuilt from dict.txt"))
    cached = jieba_tables.default_table()
    assert cached.trie.tobytes() == built.trie.tobytes() and cached.freqs == built.freqs
    assert dict(word_table.Tags(cached).items()) == jiebas_tags


def test_a_damaged_entry_is_ignored_and_rewritten(tmp_path, monkeypatch, jiebas_own):
    monkeypatch.setenv("DLP_CACHE_DIR", str(tmp_path))
    jieba_tables.default_table()
    (entry,) = _entries(tmp_path)
    good = entry.read_bytes()
    header, _, payload = good.partition(b"\n")
    meta = json.loads(header)
    damaged_entries = []
    for offset in (100, meta["trie_bytes"] + 8 * 500, len(payload) - 1):  # the trie, a frequency, a tag
        flipped = bytearray(payload)
        flipped[offset] ^= 0x01
        damaged_entries.append(header + b"\n" + bytes(flipped))
    forged = json.dumps({**meta, "words": meta["words"] + 1}).encode()  # a header that lies
    damaged_entries += [b"", b"not json\n\x00", good[: len(good) // 2], forged + b"\n" + payload]
    for damaged in damaged_entries:
        entry.write_bytes(damaged)
        table = jieba_tables.default_table()
        assert table.total == jiebas_own.total and word_table.Frequencies(table)["北京"] == jiebas_own.FREQ["北京"]
        assert entry.read_bytes() == good  # rebuilt and rewritten


def test_the_entry_is_not_used_from_a_directory_others_can_write_to(tmp_path, monkeypatch, jiebas_own):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("DLP_CACHE_DIR", str(shared))
    planted = shared / f"jieba-words-{word_table.dictionary_key(jieba_tables.default_dictionary)}.table"
    planted.write_bytes(b"{}\n")
    table = jieba_tables.default_table()
    assert table.total == jiebas_own.total
    assert planted.read_bytes() == b"{}\n" and _entries(shared) == [planted]


def test_the_entry_is_keyed_by_the_dictionarys_content(tmp_path):
    edited = tmp_path / "dict.txt"
    edited.write_bytes(jieba_tables.default_dictionary().read().replace("一".encode(), "二".encode(), 1))
    assert word_table.dictionary_key(lambda: edited.open("rb")) != word_table.dictionary_key(jieba_tables.default_dictionary)


def test_a_bad_dictionary_line_is_refused_with_its_line_number(tmp_path):
    bad = tmp_path / "dict.txt"
    bad.write_bytes("北京 100 ns\n上海 ns\n".encode())
    with pytest.raises(ValueError, match="line 2"):
        word_table.build(lambda: bad.open("rb"))


# -- jieba.posseg without its own copy of the tag table ----------------------------------------

POSSEG_IN_A_FRESH_PROCESS = """
import jieba, sys
from dlp import tokenize as tok
tok.pos_tags("找王小明")
import jieba.posseg
from collections import ChainMap
own = jieba.posseg.POSTokenizer(jieba.Tokenizer())
assert isinstance(jieba.posseg.dt.word_tag_tab, ChainMap), type(jieba.posseg.dt.word_tag_tab)
texts = ["我爱北京天安门", "承办人王小明，电话0912345678", "请洽林美玲小姐"]
assert [jieba.posseg.lcut(t) for t in texts] == [own.lcut(t) for t in texts]
jieba.add_word("巧克力蛋糕店", freq=50000, tag="nz")
assert ("巧克力蛋糕店", "nz") in [tuple(p) for p in jieba.posseg.lcut("我去巧克力蛋糕店")]
assert tok.word_tag("巧克力蛋糕店") == ""  # our own tagger keeps jieba's default dictionary
print("ok")
"""


def test_jieba_posseg_imported_through_the_table_tags_as_jieba_and_takes_user_words():
    out = subprocess.run([sys.executable, "-c", POSSEG_IN_A_FRESH_PROCESS], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[1], timeout=120)
    assert out.stdout.strip() == "ok", out.stderr
