"""Core scan speed against the limit of its own patterns, in one run (issue 2 part 9, issue 14 part 6).

    .venv/bin/python benchmarks/bench_core.py            # full run (a few minutes)
    .venv/bin/python benchmarks/bench_core.py --quick    # smaller counts

Three 200 KB texts (``benchmarks/texts.py``: clean 公文 prose, typical mail with a few findings
per KB, a dense roster), each read by:

* ``scanner``        the Scanner's analysis of one segment (all bundled packs: personal data,
                     names, secrecy markings), normalization and offset mapping included, no
                     time budget;
* ``hyperscan``      a raw hyperscan scan of the same rule set (the prefilter's database, a
                     callback that only counts): the limit of the patterns themselves;
* ``regex-loop``     a bare loop of every pattern rule's regex over the whole text: no
                     validation, no context, no normalization, no names, no markings;
* ``presidio+jieba`` presidio's AnalyzerEngine with the same regexes as PatternRecognizers,
                     their context words, the default context enhancer, and jieba tokenizing the
                     whole text (the straightforward setup);

with the ratios scanner : hyperscan and scanner : regex-loop. Then chat latency (200 characters
and 1 KB, a fifth of them with personal data; 5,000 calls each through ``Scanner.scan``, the
garbage collector left on: its pauses are part of the tail; by the wall clock and by the
thread's CPU time, which a busy machine's scheduler does not inflate), the cold start of ``Scanner()`` in a fresh process (imports included) with its RSS; with ``--mixed``, the older mixed workloads
(what each pack costs).

Throughput is MB/s of UTF-8 input (the median of the repeats), by the wall clock and, for the
scanner and hyperscan, by CPU time (what an idle core gives); latency is per call. The machine
may be shared: compare runs made back to back (``--src DIR`` runs another checkout's code, e.g.
``git archive main | tar -x -C /tmp/main-src``, with this script).
"""

from __future__ import annotations

import argparse
import gc
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import regex

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

PROSE = [
    "本府為推動數位轉型，已於本年度完成公文線上簽核系統之建置，請各單位依時程配合辦理教育訓練。",
    "有關本局辦理之社區關懷據點計畫，請各區公所於期限內彙整成果報告，並函送本局憑辦。",
    "會議決議：一、請資訊室於下週提出系統弱點修補進度；二、請秘書室協助安排場地。",
    "近期詐騙手法翻新，請同仁提高警覺，勿點擊來路不明之連結，並定期更新防毒軟體。",
    "本案經費新臺幣三百萬元整，由中央補助款支應，請依政府採購法相關規定辦理。",
    "依據行政院函示，各機關應落實資通安全責任等級分級辦法，並於年底前完成稽核。",
    "謝謝大家今天的協助，活動圓滿結束，照片已上傳至共用資料夾，請自行下載。",
    "明天上午十點在三樓會議室開會，請記得帶筆電，會後一起用餐。",
]
ITEMS = [
    "承辦人王小明，電話(03)822-7171分機123，電子信箱 wang.xm@mail.hl.gov.tw。",
    "申請人陳美玲，身分證字號F235071300，手機0933-123-456。",
    "戶籍地址：花蓮縣花蓮市府前路17號3樓，出生日期：75年3月2日。",
    "匯款帳號：012-3456789012，戶名林志明。",
    "居留證號 A900000016，護照號碼：312345678。",
]
ROSTER_ROW = "{i},陳美玲,F235071300,0933-123-456,花蓮縣花蓮市府前路{i}號,75/03/02\n"


def make_message(rng: random.Random, size: int, dirty: bool) -> str:
    parts: list[str] = []
    while sum(len(p) for p in parts) < size:
        parts.append(rng.choice(PROSE))
    if dirty:
        for _ in range(rng.randint(1, 3)):
            parts.insert(rng.randrange(len(parts) + 1), rng.choice(ITEMS))
    return "".join(parts)[: max(size, 1)] if not dirty else "".join(parts)


def workloads(rng: random.Random, quick: bool) -> dict[str, list[str]]:
    n_small = 300 if quick else 1500
    n_mail = 100 if quick else 400
    return {
        "chat 200 chars": [make_message(rng, 200, rng.random() < 0.2) for _ in range(n_small)],
        "message 1 KB": [make_message(rng, 340, rng.random() < 0.2) for _ in range(n_small)],
        "mail 4 KB": [make_message(rng, 1360, rng.random() < 0.3) for _ in range(n_mail)],
        "text 200 KB": ["".join(make_message(rng, 1360, rng.random() < 0.1) for _ in range(50))],
        "roster 200 KB": ["姓名,身分證字號,電話,地址,生日\n" + "".join(ROSTER_ROW.format(i=i) for i in range(2600))],
    }


def timed(fn, texts: list[str], repeat: int) -> list[float]:
    lat: list[float] = []
    for _ in range(repeat):
        for text in texts:
            t0 = time.perf_counter()
            fn(text)
            lat.append(time.perf_counter() - t0)
    return lat


def build_ours(patterns_dir: Path | None):
    from dlp.engine import Analyzer
    from dlp.model import Segment
    from dlp.patterns import load_packs

    analyzer = Analyzer(load_packs(patterns_dir).detectors)
    return analyzer, (lambda text: analyzer.analyze([Segment("body", text)]))


def packs_without(name: str) -> Path:
    """A copy of the bundled packs without one pack (for a side-by-side of its cost)."""
    directory = Path(tempfile.mkdtemp())
    for path in (REPO / "patterns").glob("*.yaml"):
        if path.name != name:
            shutil.copy(path, directory)
    return directory


def pattern_rules():
    """Every ``pattern`` rule of the bundled packs (what presidio's PatternRecognizer can hold)."""
    from dlp.patterns import load_packs

    return [r for r in load_packs(None).rules if r.engine == "pattern"]


def all_regexes(analyzer) -> list[regex.Pattern[str]]:
    """Every regex the prefilter holds (all engines' rules), compiled as the detectors do."""
    flags = {"IGNORECASE": regex.IGNORECASE, "MULTILINE": regex.MULTILINE, "DOTALL": regex.DOTALL}
    out = []
    for det in analyzer.detectors:
        rule_flags = getattr(det, "prefilter_flags", dict)()
        for rule_id, source in det.prefilter_regexes().items():
            out.append(regex.compile(source, sum(flags[f] for f in rule_flags.get(rule_id, []))))
    return out


def build_regex_loop(compiled: list[regex.Pattern[str]]):
    return lambda text: [m.span() for p in compiled for m in p.finditer(text)]


def _one_database(analyzer):
    """Every expression of the prefilter in one database (the prefilter may keep some rules in
    databases of their own, scanned only when needed: the limit is one pass over all of them)."""
    from dlp import engine
    from dlp.prefilter import Prefilter

    inputs = getattr(engine, "prefilter_inputs", None)
    if inputs is None:  # code from before deferred databases: its one database is all of them
        return analyzer.prefilter._db
    regexes, flags, lengths, literals, _deferred = inputs(analyzer.detectors)
    return Prefilter(regexes, flags, lengths, literals)._db


def build_hyperscan(analyzer):
    """The prefilter's own database, scanned with a callback that only counts (the limit)."""
    import hyperscan

    db = _one_database(analyzer)
    scratch = hyperscan.Scratch(db)
    count = [0]

    def on_match(*_args) -> None:
        count[0] += 1

    def scan(text: str) -> int:
        count[0] = 0
        db.scan(text.encode("utf-8"), match_event_handler=on_match, scratch=scratch)
        return count[0]

    return scan


def build_presidio_jieba(rules):
    import jieba
    from presidio_analyzer import AnalyzerEngine, Pattern, PatternRecognizer, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NlpArtifacts, NlpEngine
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    jieba.setLogLevel(60)
    jieba.initialize()
    vocab = Vocab()

    class JiebaEngine(NlpEngine):
        def load(self):
            return None

        def is_loaded(self):
            return True

        def process_text(self, text, language):
            words = [w for w, _, _ in jieba.tokenize(text)]
            doc = Doc(vocab, words=words, spaces=[False] * len(words))
            return NlpArtifacts([], doc, [t.idx for t in doc], words, self, language)

        def process_batch(self, texts, language, **kwargs):
            for t in texts:
                yield t, self.process_text(t, language)

        def is_stopword(self, word, language):
            return False

        def is_punct(self, word, language):
            return False

        def get_supported_entities(self):
            return []

        def get_supported_languages(self):
            return ["zh"]

    registry = RecognizerRegistry(supported_languages=["zh"])
    for r in rules:
        registry.add_recognizer(PatternRecognizer(
            supported_entity=r.type, name=r.id, supported_language="zh",
            patterns=[Pattern(r.id, r.spec["regex"], float(r.spec.get("score", 0.5)))],
            context=list(r.spec.get("context", [])),
        ))
    engine = AnalyzerEngine(registry=registry, nlp_engine=JiebaEngine(), supported_languages=["zh"])
    return lambda text: engine.analyze(text=text, language="zh")


def summarize(lat: list[float], texts: list[str], repeat: int) -> tuple[float, float, float]:
    total_bytes = sum(len(t.encode("utf-8")) for t in texts) * repeat
    mbps = total_bytes / sum(lat) / 1e6
    lat_ms = sorted(x * 1000 for x in lat)
    return mbps, statistics.median(lat_ms), _quantile(lat_ms, 0.99)


def _quantile(sorted_values: list[float], q: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * q))]


def throughput(fn, text: str, repeat: int) -> tuple[float, float]:
    """(wall, CPU) MB/s of ``text`` through ``fn``: the medians of ``repeat`` runs. On a shared
    machine the CPU figure is what an idle core would give; the wall one includes waiting."""
    size = len(text.encode("utf-8"))
    walls, cpus = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn(text)
        walls.append(time.perf_counter() - t0)
        cpus.append(max(time.process_time() - c0, 1e-9))
    return size / statistics.median(walls) / 1e6, size / statistics.median(cpus) / 1e6


def big_texts_table(fns: dict[str, object], repeats: dict[str, int]) -> dict[str, dict[str, float]]:
    sys.path.insert(0, str(Path(__file__).resolve().parent))  # the texts are this script's, whatever --src says
    import texts as bench_texts

    table: dict[str, dict[str, float]] = {}
    print(f"{'200 KB':<6} {'bytes':>7} {'scanner':>8} {'(CPU)':>7} {'hyperscan':>10} {'(CPU)':>7} {'regex-loop':>11}"
          f" {'presidio+jieba':>15} {'× hyperscan':>12} {'(CPU)':>7} {'× regex-loop':>13}   (MB/s, wall unless CPU)")
    for name, text in bench_texts.texts().items():
        row = {}
        for sys_name, fn in fns.items():
            row[sys_name], row[sys_name + " cpu"] = throughput(fn, text, repeats[sys_name])
        table[name] = row
        print(f"{name:<6} {len(text.encode()):>7} {row['scanner']:>8.2f} {row['scanner cpu']:>7.2f}"
              f" {row['hyperscan']:>10.1f} {row['hyperscan cpu']:>7.1f} {row['regex-loop']:>11.2f}"
              f" {row['presidio+jieba']:>15.3f} {row['hyperscan'] / row['scanner']:>11.1f}×"
              f" {row['hyperscan cpu'] / row['scanner cpu']:>6.1f}× {row['regex-loop'] / row['scanner']:>12.2f}×")
    return table


def chat_latency(rng: random.Random, calls: int) -> None:
    """p50/p99/p99.9/max of ``Scanner.scan`` on chat messages (a fifth carry personal data)."""
    from dlp import Scanner
    from dlp.model import Message

    scanner = Scanner()
    print(f"{'chat':<10} {'calls':>6} {'p50 ms':>8} {'p99 ms':>8} {'p99.9 ms':>9} {'max ms':>8}"
          f" {'CPU p99':>8} {'CPU p99.9':>9} {'CPU max':>8}")
    for label, size in (("200 chars", 200), ("1 KB", 340)):
        messages = [Message(text=make_message(rng, size, rng.random() < 0.2), channel="chat") for _ in range(calls)]
        for m in messages[:50]:
            scanner.scan(m)
        lat, cpu = [], []
        for m in messages:
            t0, c0 = time.perf_counter(), time.thread_time()
            scanner.scan(m)
            lat.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.thread_time() - c0) * 1000)
        lat.sort()
        cpu.sort()
        print(f"{label:<10} {calls:>6} {statistics.median(lat):>8.3f} {_quantile(lat, 0.99):>8.3f}"
              f" {_quantile(lat, 0.999):>9.3f} {lat[-1]:>8.2f} {_quantile(cpu, 0.99):>8.3f}"
              f" {_quantile(cpu, 0.999):>9.3f} {cpu[-1]:>8.2f}")


# The peak RSS is the child's own high-water mark (VmHWM): its ru_maxrss would also carry the
# parent's (Linux folds the peak of the memory image an exec replaces into it, and subprocess
# forks with vfork: the benchmark's own ~300 MB after the big-text runs).
COLD_START = """
import resource, time
t0 = time.perf_counter()
from dlp import Scanner
t1 = time.perf_counter()
Scanner()
t2 = time.perf_counter()
try:
    peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:")) / 1024
except (OSError, StopIteration):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(t1 - t0, t2 - t1, peak, time.process_time())
"""


def cold_start(runs: int) -> None:
    """``Scanner()`` in a fresh process, imports included (the median of ``runs``), and its RSS."""
    import subprocess

    rows = []
    for _ in range(runs):
        t0 = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", COLD_START], capture_output=True, text=True, check=True, cwd=REPO)
        wall = time.perf_counter() - t0
        imports, build, rss, cpu = map(float, out.stdout.split())
        rows.append((wall, imports, build, rss, cpu))
    wall, imports, build, rss, cpu = (statistics.median(col) for col in zip(*rows))
    print(f"cold start of Scanner() in a fresh process (median of {runs}): {wall:.2f} s wall"
          f" (interpreter + imports {imports:.2f} s + Scanner() {build:.2f} s), {cpu:.2f} s CPU, max RSS {rss:.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--mixed", action="store_true", help="also the older mixed workloads (what each pack costs)")
    ap.add_argument("--src", type=Path, help="measure the dlp package of another checkout (a baseline)")
    ap.add_argument("--chat-only", action="store_true", help="only the chat latency")
    ap.add_argument("--cold-only", action="store_true", help="only the cold start")
    args = ap.parse_args()
    if args.src is not None:
        global REPO
        REPO = args.src.resolve()
        sys.path.insert(0, str(REPO))
        sys.modules.pop("dlp", None)
    print(f"code measured: {REPO}")
    rng = random.Random(20261127)
    if args.chat_only:
        chat_latency(rng, 1000 if args.quick else 5000)
        return
    if args.cold_only:
        cold_start(3 if args.quick else 5)
        return
    analyzer, ours = build_ours(None)
    big = {
        "scanner": ours,
        "hyperscan": build_hyperscan(analyzer),
        "regex-loop": build_regex_loop(all_regexes(analyzer)),
        "presidio+jieba": build_presidio_jieba(pattern_rules()),
    }
    for fn in big.values():  # warm up every system (jieba, fold tables, hyperscan scratch)
        fn(make_message(rng, 340, True))
    # What is built stays out of the collector's sight, as Scanner() and the service have it
    # (dlp.heap): unfrozen, full collections walking jieba's dictionaries cost the dense text 20%.
    gc.collect()
    gc.freeze()
    quick = args.quick
    big_texts_table(big, {"scanner": 3 if quick else 7, "hyperscan": 20 if quick else 50,
                          "regex-loop": 2 if quick else 3, "presidio+jieba": 1})
    print()
    chat_latency(rng, 1000 if quick else 5000)
    print()
    cold_start(3 if quick else 5)
    if args.mixed:
        print()
        mixed_workloads(rng, quick)


def mixed_workloads(rng: random.Random, quick: bool) -> None:
    """The older side by side on realistic mixes (issue 2, part 9): what each pack costs."""
    loads = workloads(rng, quick)
    pd_dir = Path(tempfile.mkdtemp())
    shutil.copy(REPO / "patterns" / "personal_data.yaml", pd_dir)
    no_secrecy_dir = packs_without("secrecy.yaml")
    rules = [r for r in pattern_rules() if r.file.endswith("personal_data.yaml")]
    systems = {
        "ours": build_ours(None)[1],
        "ours-no-secrecy": build_ours(no_secrecy_dir)[1],
        "ours-pd": build_ours(pd_dir)[1],
        "regex-loop": build_regex_loop([regex.compile(r.spec["regex"], sum(
            regex.IGNORECASE for f in r.spec.get("flags", []) if f == "IGNORECASE")) for r in rules]),
        "presidio+jieba": build_presidio_jieba(rules),
    }
    for fn in systems.values():
        fn(loads["message 1 KB"][0])
    print(f"{'workload':<16} {'system':<16} {'MB/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for name, texts in loads.items():
        for sys_name, fn in systems.items():
            big = len(texts) == 1
            if sys_name == "presidio+jieba" and not big and len(texts) > 200:
                sample = texts[:200]  # presidio+jieba is slow; a sample of the same mix
            else:
                sample = texts
            repeat = 1 if sys_name == "presidio+jieba" else (5 if big else 1)
            lat = timed(fn, sample, repeat)
            mbps, p50, p99 = summarize(lat, sample, repeat)
            print(f"{name:<16} {sys_name:<16} {mbps:>8.2f} {p50:>8.2f} {p99:>8.2f}")
    shutil.rmtree(pd_dir, ignore_errors=True)
    shutil.rmtree(no_secrecy_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
