"""Core scan speed, side by side with two baselines, in one run (issue 2, part 9).

    .venv/bin/python benchmarks/bench_core.py            # full run (~2 minutes)
    .venv/bin/python benchmarks/bench_core.py --quick    # smaller counts

Workloads are realistic mixes: most messages carry nothing sensitive, the rest a few items,
plus one dense roster. Compared:

* ``ours``       Scanner's analysis of one message (all bundled packs: personal data, names,
                 secrecy markings), including normalization and offset mapping;
* ``ours-no-secrecy`` the same without the secrecy pack (what the secrecy pass costs);
* ``ours-pd``    the same with the personal-data pack only (what the baselines detect);
* ``regex-loop`` a bare loop of the same personal-data regexes: no validation, no context,
                 no normalization (the speed reference);
* ``presidio``   presidio's AnalyzerEngine with the same regexes as PatternRecognizers, their
                 context words, the default context enhancer, and jieba tokenizing the whole
                 text (the straightforward setup).

Throughput is MB/s of UTF-8 input; latency is per message.
"""

from __future__ import annotations

import argparse
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
    return lambda text: analyzer.analyze([Segment("body", text)])


def packs_without(name: str) -> Path:
    """A copy of the bundled packs without one pack (for a side-by-side of its cost)."""
    directory = Path(tempfile.mkdtemp())
    for path in (REPO / "patterns").glob("*.yaml"):
        if path.name != name:
            shutil.copy(path, directory)
    return directory


def personal_rules():
    from dlp.patterns import load_packs

    directory = Path(tempfile.mkdtemp())
    shutil.copy(REPO / "patterns" / "personal_data.yaml", directory)
    return directory, [r for r in load_packs(directory).rules if r.engine == "pattern"]


def build_regex_loop(rules):
    flags = {"IGNORECASE": regex.IGNORECASE}
    compiled = [regex.compile(r.spec["regex"], sum(flags.get(f, 0) for f in r.spec.get("flags", []))) for r in rules]
    return lambda text: [m.span() for p in compiled for m in p.finditer(text)]


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
    p99 = lat_ms[min(len(lat_ms) - 1, int(len(lat_ms) * 0.99))]
    return mbps, statistics.median(lat_ms), p99


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    rng = random.Random(20261127)
    loads = workloads(rng, args.quick)
    pd_dir, rules = personal_rules()
    t0 = time.perf_counter()
    ours = build_ours(None)
    startup = time.perf_counter() - t0
    no_secrecy_dir = packs_without("secrecy.yaml")
    systems = {
        "ours": ours,
        "ours-no-secrecy": build_ours(no_secrecy_dir),
        "ours-pd": build_ours(pd_dir),
        "regex-loop": build_regex_loop(rules),
        "presidio+jieba": build_presidio_jieba(rules),
    }
    for fn in systems.values():  # warm up every system (jieba, fold tables, hyperscan scratch)
        fn(loads["message 1 KB"][0])
    print(f"start-up of Scanner analysis (all packs): {startup:.2f} s")
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
