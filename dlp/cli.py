"""The ``dlp`` command: a thin shell over ``Scanner``.

Exit codes of ``dlp scan`` (the highest over all inputs):
  0 allow · 3 warn · 4 redact · 5 quarantine · 6 block · 1 packs or policy refused · 2 usage error
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dlp.errors import PackError, PackErrors
from dlp.model import Attachment, Conversation, Message, Report

EXIT_BY_ACTION = {"allow": 0, "warn": 3, "redact": 4, "quarantine": 5, "block": 6}
EXIT_BAD_PACKS = 1
EXIT_USAGE = 2
SAMPLES_DIR = Path(__file__).resolve().parent.parent / "samples"


def _scanner(args: argparse.Namespace):
    from dlp.scanner import Scanner

    return Scanner(patterns_dir=getattr(args, "patterns", None), policy_path=getattr(args, "policy", None))


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _pad(s: str, width: int) -> str:
    return s + " " * max(0, width - _width(s))


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(_pad(c, w) for c, w in zip(header, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(_pad(c, w) for c, w in zip(r, widths)).rstrip() for r in rows]
    return "\n".join(lines)


def format_report(name: str, report: Report) -> str:
    head = f"== {name}: action={report.action} secrecy_level={report.secrecy_level}"
    out = [head]
    for reason in report.reasons:
        out.append(f"   理由：{reason}")
    if report.findings:
        rows = [
            [
                f.type + (f"({f.level})" if f.level else "") + (" [shadow]" if f.shadow else ""),
                f"{f.location}:{f.start}-{f.end}",
                f.excerpt,
                f.rule,
                f"{f.score:.2f}",
            ]
            for f in report.findings
        ]
        out.append(_table(rows, ["type", "location", "excerpt", "rule", "score"]))
    else:
        out.append("   (no findings)")
    for item in report.not_inspected:
        out.append(f"   未檢查：{item.get('location', '')} {item.get('reason', '')}")
    return "\n".join(out)


def _message_from_args(args: argparse.Namespace, text: str, attachments: list[Attachment]) -> Message:
    conversation = None
    if args.channel == "chat":
        conversation = Conversation(
            id=args.conversation or "cli",
            name=args.conversation or "",
            members=args.members,
            external_members=args.external_members,
            registered=args.registered,
        )
    return Message(
        text=text, subject=args.subject, channel=args.channel, sender=args.sender,
        recipients=list(args.to or []), conversation=conversation, attachments=attachments,
    )


def _inputs(args: argparse.Namespace) -> list[tuple[str, str, list[Attachment]]]:
    """(name, body text, attachments) for every input named on the command line."""
    items: list[tuple[str, str, list[Attachment]]] = []
    if args.samples:
        for path in sorted(SAMPLES_DIR.glob("*.txt")):
            items.append((path.name, path.read_text(encoding="utf-8"), []))
    for text in args.text or []:
        if text == "-":
            items.append(("stdin", sys.stdin.read(), []))
        else:
            items.append(("argument", text, []))
    for file in args.file or []:
        path = Path(file)
        items.append((path.name, "", [Attachment(filename=path.name, content=path.read_bytes())]))
    if not items and not sys.stdin.isatty():
        items.append(("stdin", sys.stdin.read(), []))
    return items


def cmd_scan(args: argparse.Namespace) -> int:
    try:
        items = _inputs(args)
    except OSError as exc:
        print(f"無法讀取輸入：{exc}", file=sys.stderr)
        return EXIT_USAGE
    if not items:
        print("沒有要掃描的內容：請給文字、--file 檔案、--samples，或由標準輸入傳入", file=sys.stderr)
        return EXIT_USAGE
    scanner = _scanner(args)
    worst = 0
    outputs: list[dict[str, Any]] = []
    for name, text, attachments in items:
        report = scanner.scan(_message_from_args(args, text, attachments))
        worst = max(worst, EXIT_BY_ACTION.get(report.action, 0))
        if args.json:
            outputs.append({"input": name, **report.to_dict()})
        else:
            print(format_report(name, report))
    if args.json:
        doc: Any = outputs[0] if len(outputs) == 1 else outputs
        print(json.dumps(doc, ensure_ascii=False, indent=2))
    return worst


def cmd_explain(args: argparse.Namespace) -> int:
    from dlp.engine import describe

    text = sys.stdin.read() if args.text == "-" else args.text
    scanner = _scanner(args)
    message = Message(text=text, subject=args.subject)
    analysis = scanner.analyze(message, explain=True)
    rows = describe(analysis)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("沒有任何候選（no candidate was considered）")
    for row in rows:
        verdict = "KEEP" if row["accepted"] else "drop"
        level = f" level={row['level']}" if row["level"] else ""
        seg_text = message.subject if row["location"] == "subject" else text
        value = (seg_text or "")[row["start"]:row["end"]]
        print(f"{verdict}  {row['type']}{level}  {row['location']}:{row['start']}-{row['end']}  「{value}」")
        print(f"      rule={row['rule']} score={row['score']:.2f}  {row['why']}")
    report = scanner.scan(message)
    print(f"結果：action={report.action} secrecy_level={report.secrecy_level}")
    for reason in report.reasons:
        print(f"理由：{reason}")
    return 0


def cmd_redact(args: argparse.Namespace) -> int:
    text = sys.stdin.read() if args.text in (None, "-") else args.text
    scanner = _scanner(args)
    masked, findings = scanner.redact_with_findings(text)
    if args.json:
        print(json.dumps({"redacted_text": masked, "findings": [f.to_dict() for f in findings]}, ensure_ascii=False, indent=2))
    else:
        print(masked)
    return 0


def cmd_patterns_test(args: argparse.Namespace) -> int:
    from dlp.patterns import load_packs, run_examples

    try:
        packset = load_packs(args.dir, check_examples=False)
    except PackErrors as exc:
        for err in exc.errors:
            print(f"錯誤：{err}")
        return EXIT_BAD_PACKS
    results = run_examples(packset)
    failed = [r for r in results if not r.passed]
    for r in failed:
        print(f"FAIL {r.rule.file} {r.rule.id}: {r.message}")
    print(f"{len(results) - len(failed)} examples passed, {len(failed)} failed ({len(packset.rules)} rules in {len(packset.packs)} packs)")
    return 1 if failed else 0


def cmd_patterns_list(args: argparse.Namespace) -> int:
    from dlp.patterns import load_packs

    packset = load_packs(args.dir, check_examples=False)
    for pack in packset.packs:
        print(f"{pack.file}  {pack.name} v{pack.version}  rules={pack.rules}  sha256={pack.sha256[:16]}")
    rows = [[r.id, r.type, r.kind, r.engine, r.mode] for r in packset.rules]
    print(_table(rows, ["id", "type", "kind", "engine", "mode"]))
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from dlp.evaluation.gates import GateError, failures, parse_gate
    from dlp.evaluation.metrics import evaluate_records, load_records

    try:
        gates = [parse_gate(spec) for spec in args.fail_under or []]
    except GateError as exc:
        print(f"錯誤：{exc}", file=sys.stderr)
        return 2
    try:
        records = load_records(args.corpus)
    except (OSError, ValueError) as exc:  # missing file, bad JSON, a record that breaks the format
        print(f"錯誤：無法讀取標註語料 {args.corpus}：{exc}", file=sys.stderr)
        return 2
    result = evaluate_records(records, _scanner(args))
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(result.format_table())
        print("\n錯誤（fn 漏報、fp 誤報、level 等級不符）：\n" + (result.format_mistakes() or "（無）"))
    failed = failures(result, gates)
    for line in failed:
        print(f"未達門檻 {line}", file=sys.stderr)
    return 1 if failed else 0


def cmd_corpus(args: argparse.Namespace) -> int:
    from dlp.evaluation.generator import generate

    records = generate(args.n, args.seed)
    out = sys.stdout if args.output in (None, "-") else open(args.output, "w", encoding="utf-8")
    try:
        for rec in records:
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    finally:
        if out is not sys.stdout:
            out.close()
    if out is not sys.stdout:
        print(f"wrote {len(records)} messages to {args.output}", file=sys.stderr)
    return 0


def _add_pack_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--patterns", metavar="DIR", help="pattern packs directory (default: bundled patterns/)")
    p.add_argument("--policy", metavar="FILE", help="policy file (default: policy.yaml beside the packs)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dlp", description="Outbound DLP filter for Taiwanese government agencies")
    sub = parser.add_subparsers(dest="command", required=True)

    scan = sub.add_parser("scan", help="scan text, files or stdin and print what was found")
    scan.add_argument("text", nargs="*", help="text to scan ('-' reads stdin)")
    scan.add_argument("-f", "--file", action="append", help="a file to scan as an attachment (repeatable)")
    scan.add_argument("--samples", action="store_true", help="scan the bundled sample messages")
    scan.add_argument("--json", action="store_true", help="print Report.to_dict() as JSON")
    scan.add_argument("--subject")
    scan.add_argument("--channel", choices=["mail", "chat", "other"], default="mail")
    scan.add_argument("--from", dest="sender")
    scan.add_argument("--to", action="append", help="recipient address or destination (repeatable)")
    scan.add_argument("--conversation", help="chat: group id")
    scan.add_argument("--members", type=int, default=0, help="chat: number of members")
    scan.add_argument("--external-members", type=int, default=0, help="chat: members from outside the agency")
    scan.add_argument("--registered", action="store_true", help="chat: the group is registered")
    _add_pack_options(scan)
    scan.set_defaults(func=cmd_scan)

    explain = sub.add_parser("explain", help="show every candidate considered and why it was kept or dropped")
    explain.add_argument("text", help="text to explain ('-' reads stdin)")
    explain.add_argument("--subject")
    explain.add_argument("--json", action="store_true")
    _add_pack_options(explain)
    explain.set_defaults(func=cmd_explain)

    redact = sub.add_parser("redact", help="print the text with personal data masked")
    redact.add_argument("text", nargs="?", help="text ('-' or nothing reads stdin)")
    redact.add_argument("--json", action="store_true")
    _add_pack_options(redact)
    redact.set_defaults(func=cmd_redact)

    patterns = sub.add_parser("patterns", help="pattern packs: test examples, list rules")
    psub = patterns.add_subparsers(dest="patterns_command", required=True)
    ptest = psub.add_parser("test", help="run every rule's examples; non-zero exit on any failure")
    ptest.add_argument("dir", nargs="?", help="packs directory (default: bundled)")
    ptest.set_defaults(func=cmd_patterns_test)
    plist = psub.add_parser("list", help="list packs and rules")
    plist.add_argument("dir", nargs="?")
    plist.set_defaults(func=cmd_patterns_list)

    ev = sub.add_parser("eval", help="precision, recall and F1 per type against a labeled JSONL corpus")
    ev.add_argument("corpus")
    ev.add_argument("--json", action="store_true")
    ev.add_argument("--fail-under", action="append", metavar="TYPE=F",
                    help="exit 1 when TYPE's F1 (or TYPE.recall=F, TYPE.precision=F, ALL, SECRECY...) is below F (repeatable)")
    _add_pack_options(ev)
    ev.set_defaults(func=cmd_eval)

    corpus = sub.add_parser("corpus", help="generate a labeled evaluation corpus")
    csub = corpus.add_subparsers(dest="corpus_command", required=True)
    gen = csub.add_parser("generate")
    gen.add_argument("-n", type=int, default=2000)
    gen.add_argument("--seed", type=int, default=7)
    gen.add_argument("-o", "--output")
    gen.set_defaults(func=cmd_corpus)

    from service.cli_commands import add_service_commands  # serve, keys add, audit verify

    add_service_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except (PackErrors, PackError) as exc:
        print("規則或政策設定檔有誤，未載入：", file=sys.stderr)
        for line in str(exc).splitlines():
            print(f"  {line}", file=sys.stderr)
        return EXIT_BAD_PACKS
    except BrokenPipeError:  # e.g. `dlp scan ... | head`
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
