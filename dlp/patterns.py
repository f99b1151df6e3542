"""Load and validate the security team's pattern packs (``patterns/*.yaml``, all but policy.yaml).

Loading is all-or-nothing: every problem in every pack is collected and reported at once with
its file, rule id and a reason in plain words (``PackErrors``); nothing half-loaded is returned,
so a caller that already holds a ``PackSet`` keeps serving it.
"""

from __future__ import annotations

import hashlib
import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex
import yaml

from dlp.errors import PackError, PackErrors
from dlp.guard_cache import guards_key, passed_before, remember_passed
from dlp.model import FINDING_TYPES
from dlp.recognizers.base import Detector, Rule
from dlp.regex_cache import remember_regex_module, startup_patterns
from dlp.resources import bundled_dir

POLICY_FILE = "policy.yaml"
#: Not detection packs: the policy, and the security team's suppressions (dlp/suppressions.py).
#: YAML files in a patterns directory that are not detection packs (each has its own loader).
NOT_PACKS = frozenset({POLICY_FILE, "conversations.yaml", "suppressions.yaml"})

_TOP_KEYS = {"pack", "definitions", "defaults", "allow_list", "rules"}
_COMMON_RULE_KEYS = {
    "id", "type", "kind", "engine", "mode", "description", "examples",
    # Sigma-style metadata: how far the security team may trust a rule.
    "status", "falsepositives", "references", "severity", "author",
}
_RULE_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{1,80}$")
_MACRO = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


def bundled_patterns_dir() -> Path:
    """The packs shipped with the package: its package data once installed from a wheel,
    ``patterns/`` at the repository root in a checkout (see ``dlp.resources``)."""
    return bundled_dir("patterns")


@dataclass
class PackInfo:
    name: str
    file: str
    version: str
    sha256: str
    rules: int
    description: str = ""


@dataclass
class PackSet:
    """A validated set of packs, ready to analyze with."""

    directory: Path
    packs: list[PackInfo]
    rules: list[Rule]
    detectors: list[Detector]
    rule_masks: dict[str, dict[str, Any]] = field(default_factory=dict)
    _analyzer: Any = field(default=None, repr=False, compare=False)

    def analyzer(self) -> Any:
        """The ``dlp.engine.Analyzer`` over these packs, built once: compiling its prefilter is
        most of start-up, so the example run and the scanner share it."""
        if self._analyzer is None:
            from dlp.engine import Analyzer

            self._analyzer = Analyzer(self.detectors)
        return self._analyzer

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    @property
    def version(self) -> str:
        """One hash over every pack's content: changes whenever any pack changes."""
        digest = hashlib.sha256("".join(p.sha256 for p in self.packs).encode()).hexdigest()
        return digest[:16]


def _detector_factories() -> dict[str, Callable[[list[Rule], dict[str, Any]], Detector]]:
    from dlp.recognizers.pattern import PatternDetector

    factories: dict[str, Callable[[list[Rule], dict[str, Any]], Detector]] = {
        "pattern": lambda rules, packs: PatternDetector(rules, packs["defaults"], packs["allow_lists"]),
    }
    for engine, module, builder in (
        ("person", "dlp.recognizers.person", "build_person_detector"),
        ("secrecy", "dlp.recognizers.secrecy", "build_secrecy_detector"),
    ):
        try:
            build = getattr(importlib.import_module(module), builder)
        except ModuleNotFoundError as exc:  # an engine not installed; any other error is a bug
            if exc.name != module:
                raise
            continue
        factories[engine] = lambda rules, packs, build=build: build(rules)
    return factories


def _substitute(value: Any, definitions: dict[str, str], file: str, rule_id: str) -> Any:
    """Replace {{name}} macros inside every string of a *regex field."""
    if isinstance(value, str):
        def repl(m: re.Match[str]) -> str:
            name = m.group(1)
            if name not in definitions:
                raise PackError(file, rule_id, f"正規表示式用了未定義的巨集 {{{{{name}}}}}（請在 definitions 中定義）")
            return definitions[name]

        return _MACRO.sub(repl, value)
    if isinstance(value, list):
        return [_substitute(v, definitions, file, rule_id) for v in value]
    if isinstance(value, dict):
        return {k: _substitute(v, definitions, file, rule_id) for k, v in value.items()}
    return value


def _resolve_definitions(definitions: dict[str, str], file: str) -> dict[str, str]:
    """Expand macros used inside other macros; a cycle is an error."""
    resolved = dict(definitions)
    for _ in range(len(resolved) + 1):
        changed = False
        for name, value in resolved.items():
            new = _substitute(value, resolved, file, f"definitions.{name}")
            if new != value:
                resolved[name] = new
                changed = True
        if not changed:
            return resolved
    raise PackError(file, None, "definitions 中的巨集互相引用，形成循環")


def _expand_macros(spec: dict[str, Any], definitions: dict[str, str], file: str, rule_id: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in spec.items():
        out[key] = _substitute(value, definitions, file, rule_id) if key.endswith("regex") or key == "regexes" else value
    return out


def _examples(raw: Any, file: str, rule_id: str) -> tuple[list[Any], list[Any]]:
    if raw is None:
        raise PackError(file, rule_id, "缺少 examples（每條規則都要附上 match 與 no_match 範例）")
    if not isinstance(raw, dict) or set(raw) - {"match", "no_match"}:
        raise PackError(file, rule_id, "examples 必須是含 match、no_match 兩個清單的對照表")
    match = raw.get("match") or []
    no_match = raw.get("no_match") or []
    for ex in [*match, *no_match]:
        ok = isinstance(ex, str) or (isinstance(ex, dict) and isinstance(ex.get("text"), str) and set(ex) <= {"text", "role"})
        if not ok:
            raise PackError(file, rule_id, f"範例必須是字串或 {{text: ..., role: ...}}，目前是 {ex!r}")
    if not match:
        raise PackError(file, rule_id, "examples.match 至少要有一個應該被找到的範例")
    return match, no_match


def _parse_yaml(text: str) -> Any:
    """``yaml.safe_load`` through libyaml when PyYAML has it (~8x faster on the packs). Whatever
    libyaml refuses is read again by the pure-Python loader, so what is accepted and the error
    shown for a bad pack (its line and problem) are the pure-Python loader's."""
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is not None:
        try:
            return yaml.load(text, Loader=loader)
        except yaml.YAMLError:
            pass
    return yaml.safe_load(text)


def _read_pack(path: Path) -> tuple[dict[str, Any], str]:
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    try:
        doc = _parse_yaml(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise PackError(path.name, None, "檔案不是 UTF-8 編碼") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        where = f"（第 {mark.line + 1} 行第 {mark.column + 1} 欄）" if mark else ""
        raise PackError(path.name, None, f"YAML 格式錯誤{where}：{problem}", mark.line + 1 if mark else None) from None
    if not isinstance(doc, dict):
        raise PackError(path.name, None, "檔案內容必須是一個對照表（含 pack 與 rules）")
    unknown = set(doc) - _TOP_KEYS
    if unknown:
        raise PackError(path.name, None, f"不認得的最上層欄位：{', '.join(sorted(map(str, unknown)))}")
    if not isinstance(doc.get("rules"), list) or not doc["rules"]:
        raise PackError(path.name, None, "rules 必須是至少含一條規則的清單")
    for key in ("definitions", "defaults", "allow_list"):
        if key in doc and not isinstance(doc[key], dict):
            raise PackError(path.name, None, f"{key} 必須是對照表")
    for name, value in (doc.get("definitions") or {}).items():
        if not isinstance(value, str):
            raise PackError(path.name, None, f"definitions.{name} 必須是字串")
    for type_, values in (doc.get("allow_list") or {}).items():
        if type_ not in FINDING_TYPES or not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise PackError(path.name, None, f"allow_list.{type_} 必須是已知類型下的字串清單")
    return doc, digest


def _parse_rule(raw: Any, file: str, definitions: dict[str, str], engines: set[str]) -> Rule:
    if not isinstance(raw, dict):
        raise PackError(file, None, f"規則必須是對照表，目前是 {raw!r}")
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not _RULE_ID.match(rule_id):
        raise PackError(file, str(rule_id), "id 必須是小寫英數字與 . _ - 組成的名稱")
    type_ = raw.get("type")
    if type_ not in FINDING_TYPES:
        raise PackError(file, rule_id, f"type {type_!r} 不是已知的發現類型（見 DESIGN.md）")
    kind = raw.get("kind", FINDING_TYPES[type_])
    if kind != FINDING_TYPES[type_]:
        raise PackError(file, rule_id, f"類型 {type_} 屬於 {FINDING_TYPES[type_]}，不是 {kind}")
    engine = raw.get("engine", "pattern")
    if engine not in engines:
        raise PackError(file, rule_id, f"沒有名為 {engine!r} 的偵測引擎；可用的有：{', '.join(sorted(engines))}")
    mode = raw.get("mode", "enforce")
    if mode not in ("enforce", "shadow"):
        raise PackError(file, rule_id, f"mode 只能是 enforce 或 shadow，目前是 {mode!r}")
    match, no_match = _examples(raw.get("examples"), file, rule_id)
    spec = {k: v for k, v in raw.items() if k not in _COMMON_RULE_KEYS}
    spec = _expand_macros(spec, definitions, file, rule_id)
    return Rule(
        id=rule_id, type=type_, kind=kind, engine=engine, mode=mode, file=file, spec=spec,
        examples_match=match, examples_no_match=no_match,
    )


#: YAML files beside the packs that are not detection packs (each has its own loader).

def pack_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.yaml") if p.name not in NOT_PACKS and not p.name.startswith("_"))


def load_packs(directory: str | Path | None = None, check_examples: bool = True) -> PackSet:
    """Load, validate and build every pack in ``directory`` (default: the bundled packs).

    Raises ``PackErrors`` with every problem found; returns a ready ``PackSet`` otherwise.
    """
    root = Path(directory) if directory is not None else bundled_patterns_dir()
    if not root.is_dir():
        raise PackErrors([PackError(str(root), None, "找不到規則目錄")])
    factories = _detector_factories()
    errors: list[PackError] = []
    packs: list[PackInfo] = []
    rules: list[Rule] = []
    context: dict[str, Any] = {"defaults": {}, "allow_lists": {}}
    seen: dict[str, str] = {}
    files = pack_files(root)
    if not files:
        raise PackErrors([PackError(str(root), None, "目錄中沒有任何規則檔（*.yaml）")])
    for path in files:
        try:
            doc, digest = _read_pack(path)
        except PackError as exc:
            errors.append(exc)
            continue
        meta = doc.get("pack") or {}
        try:
            definitions = _resolve_definitions(doc.get("definitions") or {}, path.name)
        except PackError as exc:
            errors.append(exc)
            continue
        context["defaults"][path.name] = doc.get("defaults") or {}
        context["allow_lists"][path.name] = doc.get("allow_list") or {}
        count = 0
        for raw in doc["rules"]:
            try:
                rule = _parse_rule(raw, path.name, definitions, set(factories))
            except PackError as exc:
                errors.append(exc)
                continue
            if rule.id in seen:
                errors.append(PackError(path.name, rule.id, f"規則 id 重複（已見於 {seen[rule.id]}）"))
                continue
            seen[rule.id] = path.name
            rules.append(rule)
            count += 1
        packs.append(PackInfo(
            name=str(meta.get("name", path.stem)), file=path.name, version=str(meta.get("version", "")),
            sha256=digest, rules=count, description=str(meta.get("description", "")),
        ))
    detectors: list[Detector] = []
    if not errors:
        by_engine: dict[str, list[Rule]] = {}
        for rule in rules:
            by_engine.setdefault(rule.engine, []).append(rule)
        for engine, engine_rules in by_engine.items():
            try:
                detectors.append(factories[engine](engine_rules, context))
            except PackError as exc:
                errors.append(exc)
            except PackErrors as exc:
                errors.extend(exc.errors)
    # The guards (regex safety, then the examples) ran on this exact pack set and code before:
    # not again (dlp.guard_cache; only a pass is remembered, from a private directory only).
    guards = guards_key((p.file, p.sha256) for p in packs) if not errors else ""
    checked = bool(guards) and passed_before(guards)
    if not errors and not checked:
        from dlp.regex_safety import check_detectors

        errors.extend(check_detectors(detectors))  # before the examples, which could hang on such a rule
    if errors:
        raise PackErrors(_with_lines(errors, root))
    masks = {r.id: r.spec["mask"] for r in rules if isinstance(r.spec.get("mask"), dict)}
    packset = PackSet(root, packs, rules, detectors, masks)
    if check_examples and not checked:
        failures = [f for f in run_examples(packset) if not f.passed]
        if failures:
            raise PackErrors(_with_lines([PackError(f.rule.file, f.rule.id, f.message) for f in failures], root))
        remember_passed(guards)
    remember_regex_module(startup_patterns)  # presidio's and these packs' patterns, for the next start
    # presidio validated its ~170 patterns at import and kept none: only the regex module's cache
    # still holds them (and what other imports compiled and dropped), ~2.5 MB of every process;
    # the packs' compiled patterns are held by their rules
    regex.purge()
    return packset


def _with_lines(errors: list[PackError], root: Path) -> list[PackError]:
    """Each error with the line of its rule in its pack (``dlp.yaml_lines``)."""
    from dlp.yaml_lines import with_lines

    out: list[PackError] = []
    for file in dict.fromkeys(e.file for e in errors):
        mine = [e for e in errors if e.file == file]
        try:
            text = (root / file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            out.extend(mine)
            continue
        out.extend(with_lines(mine, text, rules_by_id=True))
    return out


@dataclass
class ExampleResult:
    rule: Rule
    text: str
    expected: bool
    passed: bool

    @property
    def message(self) -> str:
        shown = self.text if len(self.text) <= 60 else self.text[:57] + "…"
        if self.expected:
            return f"範例「{shown}」應該被這條規則找到，但沒有找到"
        return f"範例「{shown}」不應該被這條規則找到，但被找到了"


def run_examples(packset: PackSet) -> list[ExampleResult]:
    """Run every rule's examples through the whole analysis; one result per example."""
    from dlp.model import Segment

    analyzer = packset.analyzer()
    results: list[ExampleResult] = []
    for rule in packset.rules:
        for expected, examples in ((True, rule.examples_match), (False, rule.examples_no_match)):
            for ex in examples:
                text = ex if isinstance(ex, str) else ex["text"]
                role = "body" if isinstance(ex, str) else ex.get("role", "body")
                analysis = analyzer.analyze([Segment(location=role, text=text, role=role)])
                found = any(f.rule == rule.id for f in analysis.findings)
                results.append(ExampleResult(rule, text, expected, found == expected))
    return results
