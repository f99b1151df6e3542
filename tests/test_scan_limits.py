"""Bounded work in the library: analysis budget, regex backstop, findings caps, refused regexes, bounded JSON."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import regex
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from dlp.errors import PackError, PackErrors
from dlp.model import Message, Segment
from dlp.patterns import load_packs
from dlp.policy_schema import parse_policy
from dlp.regex_safety import catastrophic_probe, looks_risky
from dlp.safejson import JsonError, TooDeep, loads, nesting_depth_exceeds
from dlp.scan_limits import Budget, ScanLimits
from dlp.scanner import RedactionIncomplete, Scanner

REPO = Path(__file__).resolve().parents[1]
PHONES = "".join(f"09{i % 100:02d}-{i % 1000:03d}-{(i * 7) % 1000:03d}\n" for i in range(30_000))


def _pack_dir(tmp: Path, pack: str, **limits: object) -> Path:
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "p.yaml").write_text(pack, encoding="utf-8")
    text = (REPO / "patterns" / "policy.yaml").read_text(encoding="utf-8")
    for key, value in limits.items():
        text = text.replace(f"  {key}: ", f"  {key}: {value}  # was ", 1)
    doc = yaml.safe_load(text)
    doc.pop("examples", None)  # the bundled decision examples describe the bundled packs, not this one
    (tmp / "policy.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return tmp


PHONE_PACK = """\
pack: {name: t, version: 1}
rules:
  - id: t-phone
    type: TW_PHONE
    regex: '(?<![0-9])(?P<value>09[0-9]{2}-?[0-9]{3}-?[0-9]{3})(?![0-9])'
    examples: {match: ['手機 0912-345-678']}
"""


def test_out_of_time_the_scan_keeps_what_it_found_and_names_what_it_did_not_read(tmp_path: Path) -> None:
    scanner = Scanner(patterns_dir=_pack_dir(tmp_path, PHONE_PACK, body_seconds=1, message_seconds=2))
    text = PHONES * 10
    report = scanner.scan(Message(text=text, channel="mail", recipients=["a@hl.gov.tw"]))
    limit = [f for f in report.findings if f.type == "LIMIT_EXCEEDED"]
    phones = report.finding_counts.get("TW_PHONE", {}).get("count", 0)
    assert len(limit) == 1 and limit[0].location == "body" and limit[0].end == len(text)
    assert 0 < phones < 300_000  # kept what it found, did not read everything
    assert limit[0].detail["limit"] == "body_seconds" and limit[0].detail["stopped"]
    assert report.action != "allow" and any("超過檢查限制" in r for r in report.reasons)
    with pytest.raises(RedactionIncomplete):
        scanner.redact(text)


def test_a_message_over_its_time_leaves_later_parts_unread_with_a_finding_each(tmp_path: Path) -> None:
    scanner = Scanner(patterns_dir=_pack_dir(tmp_path, PHONE_PACK))
    # A clock that moves 5 ms at every reading: the message's 20 ms are spent inside the body,
    # whatever the machine's load (real time made this test depend on how fast the body ran).
    ticks = iter(range(10**9))
    analysis = scanner.state.analyzer.analyze(
        [Segment("body", PHONES * 5, "body"), Segment("attachment:a.txt", "手機 0912-345-678", "body")],
        budget=Budget(ScanLimits(body_seconds=0.02, message_seconds=0.02), now=lambda: next(ticks) * 0.005))
    unread = [f for f in analysis.findings if f.type == "LIMIT_EXCEEDED"]
    assert {f.location for f in unread} == {"body", "attachment:a.txt"}


def test_the_regex_backstop_stops_one_rule_not_the_scan(tmp_path: Path) -> None:
    # A rule that backtracks, built in code (the loader would refuse it): the scan-time timeout
    # turns it into LIMIT_EXCEEDED and the other rule still reports its finding.
    scanner = Scanner(patterns_dir=_pack_dir(tmp_path, PHONE_PACK, regex_timeout_seconds=0.05))
    detector = scanner.state.analyzer.detectors[0]
    slow = detector.compiled[0]
    from dataclasses import replace

    detector.compiled.insert(0, replace(slow, pattern=regex.compile(r"(?P<value>(?:a|aa)+c)(?!x)"),
                                        rule=replace(slow.rule, id="slow-rule")))
    text = "a" * 40 + "cx 手機 0912-345-678"
    report = scanner.scan(Message(text=text, channel="chat"))
    limit = [f for f in report.findings if f.type == "LIMIT_EXCEEDED"]
    assert limit and limit[0].detail["stopped"][0]["limit"] == "regex_timeout_seconds"
    assert limit[0].detail["stopped"][0]["rule"] == "slow-rule"
    assert "TW_PHONE" in {f.type for f in report.findings}


def test_a_message_stops_at_its_maximum_number_of_findings(tmp_path: Path) -> None:
    scanner = Scanner(patterns_dir=_pack_dir(tmp_path, PHONE_PACK, max_findings=10, max_findings_analyzed=500))
    report = scanner.scan(Message(text=PHONES, channel="mail", recipients=["a@gmail.com"]))
    assert report.finding_counts["TW_PHONE"]["count"] == 500 and report.truncated and len(report.findings) == 10
    limit = next(f for f in report.findings if f.type == "LIMIT_EXCEEDED")  # listed first
    assert limit.detail["limit"] == "max_findings_analyzed" and 0 < limit.start < len(PHONES)


def test_excerpts_are_made_only_for_listed_findings(tmp_path: Path) -> None:
    scanner = Scanner(patterns_dir=_pack_dir(tmp_path, PHONE_PACK, max_findings=3))
    analysis = scanner.state.analyzer.analyze([Segment("body", PHONES[:2000], "body")], max_listed=3)
    with_excerpt = [f for f in analysis.findings if f.excerpt]
    assert len(with_excerpt) == 3 and all(f.masked_value and f.masked_value != PHONES[f.start:f.end] for f in with_excerpt)


def test_scan_limits_in_the_policy_are_validated() -> None:
    import yaml

    doc = yaml.safe_load((REPO / "patterns" / "policy.yaml").read_text(encoding="utf-8"))
    assert parse_policy(doc, "policy.yaml").scan_limits == ScanLimits()
    doc["scan_limits"] = {"body_seconds": 30, "message_seconds": 20, "max_findings": 0, "bogus": 1, "regex_timeout_seconds": True}
    doc["audit"] = {"excerpts": "everything"}
    with pytest.raises(PackErrors) as err:
        parse_policy(doc, "policy.yaml")
    keys = {e.rule for e in err.value.errors}
    assert {"scan_limits.body_seconds", "scan_limits.max_findings", "scan_limits.bogus",
            "scan_limits.regex_timeout_seconds", "audit.excerpts"} <= keys


# -- refusing catastrophic regexes at load -----------------------------------------------------

BACKTRACKING = """\
pack: {name: b, version: 1}
rules:
  - id: backtracking-rule
    type: TW_PHONE
    regex: '(?P<value>(?:a|aa)+c)(?!x)'
    examples: {match: ['aac']}
"""


def test_a_pack_with_a_catastrophic_regex_is_refused_with_file_rule_and_reason(tmp_path: Path) -> None:
    directory = _pack_dir(tmp_path, BACKTRACKING)
    with pytest.raises(PackErrors) as err:
        load_packs(directory)
    (e,) = err.value.errors
    assert isinstance(e, PackError) and e.file == "p.yaml" and e.rule == "backtracking-rule"
    assert "災難性回溯" in e.reason and "aaaa" in e.reason


@pytest.mark.parametrize("source, risky", [
    (r"(?:a|aa)+c", True), (r"(\d+)*x", True), (r"(?:[a-z]+\s?)+\.", True), (r"(?:ab|cd){2,3}", True),
    (r"\d{3,4}-?\d{3}", False), (r"(?:ab)?c", False), (r"(?:a|aa)++c", False), (r"[(|]+", False),
    (r"(?i)(?:x|y)", False), (r"\p{Han}{2,4}", False), (r"(?#a comment|with a bar)\d+", False),
])
def test_the_static_screen(source: str, risky: bool) -> None:
    assert looks_risky(source) is risky


def test_suspicious_but_safe_patterns_are_not_refused() -> None:
    for source in (r"(?:[a-z]+\s?)+\.", r"(?:ab|cd){2,3}", r"(?:RE|FW)(?:[ \t]*:[ \t]*)*x", r"(?:\d{3}-)+\d{4}"):
        assert catastrophic_probe(regex.compile(source), ["ab cd.", "RE: FW: x", "123-456-7890"]) is None, source


def test_the_bundled_packs_pass_the_check(tmp_path: Path) -> None:
    directory = tmp_path / "bundled"
    shutil.copytree(REPO / "patterns", directory)
    assert load_packs(directory).rules


# -- JSON with bounded nesting -------------------------------------------------------------------

def _nested(depth: int, width: int) -> object:
    """``depth`` levels of arrays and objects (strings with brackets in them), ``width`` side by side."""
    value: object = 1
    for i in range(depth):
        value = [value, i] if i % 2 else {"k": value, "s": '[{\\"}]'}
    return [value] * width if depth else value


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 60), st.integers(1, 3))
def test_the_depth_check_agrees_with_the_real_nesting(depth: int, width: int) -> None:
    data = json.dumps(_nested(depth, width)).encode()
    real = depth + (1 if depth and width else 0)
    assert nesting_depth_exceeds(data, 32) is (real > 32)
    if real <= 32:
        assert loads(data) == _nested(depth, width)
    else:
        with pytest.raises(TooDeep):
            loads(data)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300) | st.text(alphabet="[]{}\",:\\ a1", max_size=300).map(str.encode))
def test_anything_is_parsed_or_refused_never_a_crash(data: bytes) -> None:
    try:
        loads(data, max_depth=8)
    except JsonError:
        pass
