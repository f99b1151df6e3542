"""The ``dlp`` command: a thin shell over ``Scanner``.

Exit codes of ``dlp scan`` (the highest over all inputs):
  0 allow · 3 warn · 4 redact · 5 quarantine · 6 block · 1 packs or policy refused ·
  2 usage or input error (nothing was decided)

Every mistake ends with one line in Chinese on stderr and exit 2, never a traceback
(``DLP_DEBUG=1`` shows the traceback of an unexpected error).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from dlp import __version__
from dlp.cli_args import (
    EXIT_USAGE,
    ChineseArgumentParser,
    CliError,
    non_negative_int,
    positive_int,
    printable,
    unreadable,
)
from dlp.cli_inputs import body_text, destination_options, scan_inputs, subject_option, to_message
from dlp.cli_progress import Progress, wanted
from dlp.errors import PackError, PackErrors
from dlp.model import Message, Report

EXIT_BY_ACTION = {"allow": 0, "warn": 3, "redact": 4, "quarantine": 5, "block": 6}
EXIT_BAD_PACKS = 1
EXIT_INTERRUPTED = 130


def _scanner(args: argparse.Namespace):
    from dlp.scanner import Scanner

    patterns = getattr(args, "patterns", None)
    policy = getattr(args, "policy", None)
    if patterns is not None and not Path(patterns).is_dir():
        raise CliError(f"找不到規則目錄：{printable(patterns)}")
    if policy is not None and not Path(policy).is_file():
        raise CliError(f"找不到政策檔：{printable(policy)}")
    return Scanner(patterns_dir=patterns, policy_path=policy)


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
    for exception in report.exceptions:
        out.append(f"   例外：{exception}")
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


def format_destination(destination: dict[str, Any]) -> str:
    """``目的地：個人電子信箱（someone@gmail.com → personal_webmail）`` for ``dlp explain``."""
    label = destination.get("column_label") or destination.get("column", "")
    parts = [f"{r.get('address', '')} → {r.get('column', '')}" for r in destination.get("recipients", [])]
    conversation = destination.get("conversation")
    if conversation:
        parts.append(f"對話 {conversation.get('name') or conversation.get('id')}，{conversation.get('members')} 位成員，"
                     f"{conversation.get('external_members')} 位外部成員"
                     + ("，已登記" if conversation.get("registered") else "，未登記"))
    detail = "；".join(parts) or "（沒有收件者：視為個人電子信箱）"
    return f"目的地：{label}（{destination.get('channel', '')}：{detail}）"


def cmd_scan(args: argparse.Namespace) -> int:
    items = scan_inputs(args)
    if not items:
        raise CliError("沒有要掃描的內容：請給文字、-f 檔案、--attach 附件、--samples，或由標準輸入傳入")
    scanner = _scanner(args)
    limits = getattr(scanner.policy, "attachment_limits", None)
    messages = [to_message(item, args, limits) for item in items]  # every mail parsed before any scan
    progress = Progress(len(items), sys.stderr, wanted(sys.stderr, [i.size for i in items], args.json))
    worst = 0
    outputs: list[dict[str, Any]] = []
    for index, (item, (message, extra)) in enumerate(zip(items, messages), start=1):
        with progress.step(index, item.name, item.size):
            report = scanner.scan(message, extra_findings=extra)
        report.not_inspected.extend(item.notes)
        worst = max(worst, EXIT_BY_ACTION.get(report.action, 0))
        if args.json:
            outputs.append({"input": item.name, **report.to_dict()})
        else:
            print(format_report(item.name, report), flush=True)
    if args.json:
        doc: Any = outputs[0] if len(outputs) == 1 else outputs
        print(json.dumps(doc, ensure_ascii=False, indent=2))
    return worst


def cmd_explain(args: argparse.Namespace) -> int:
    from dlp.engine import describe
    from dlp.misdirection import explain_lines
    from service.history_cli import HistoryCliError, explain_history

    _, text, notes = body_text([args.text] if args.text is not None else [])
    subject, subject_notes = subject_option(args)
    if not text and not subject:
        raise CliError("沒有要說明的內容：請給文字，或由標準輸入傳入")
    scanner = _scanner(args)
    message = Message(text=text, subject=subject, **destination_options(args))
    try:
        history = explain_history(args, scanner, message)  # issue 18: --history
    except HistoryCliError as exc:
        raise CliError(str(exc)) from None
    analysis = scanner.analyze(message, explain=True)
    rows = describe(analysis)
    report = scanner.scan(message, history=history)
    report.not_inspected.extend(notes + subject_notes)
    # The rows that fired, for the message as the scan decided it (the registry's chat facts).
    decided, _ = scanner.state.conversations.resolve_message(message)
    decision = scanner.policy.decide(decided, report.findings, history=history) if scanner.policy is not None else None
    if args.json:
        doc = {"candidates": rows, "report": report.to_dict(), "fired": decision.fired if decision else []}
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return EXIT_BY_ACTION.get(report.action, 0) if args.exit_code else 0
    if not rows:
        print("沒有任何候選（no candidate was considered）")
    for row in rows:
        verdict = "KEEP" if row["accepted"] else "drop"
        level = f" level={row['level']}" if row["level"] else ""
        seg_text = message.subject if row["location"] == "subject" else text
        value = (seg_text or "")[row["start"]:row["end"]]
        print(f"{verdict}  {row['type']}{level}  {row['location']}:{row['start']}-{row['end']}  「{value}」")
        print(f"      rule={row['rule']} score={row['score']:.2f}  {row['why']}")
    print(f"結果：action={report.action} secrecy_level={report.secrecy_level}")
    if report.destination:
        print(format_destination(report.destination))
    for entry in decision.fired if decision else []:
        if entry.get("row") == "large_group":
            print(f"觸發：large_group → {entry['action']}（由 {entry['raised_from']} 提高）")
        else:
            shadow = "（shadow，未生效）" if entry.get("shadow") else ""
            would = f"（例外 {entry['exempted_by']}，否則 {entry['would_be']}）" if entry.get("exempted_by") else ""
            print(f"觸發：{entry['row']} → {entry['action']}（{entry.get('column', '')}）{would}{shadow}")
    for reason in report.reasons:
        print(f"理由：{reason}")
    for exception in report.exceptions:
        print(f"例外：{exception}")
    for item in report.not_inspected:
        print(f"未檢查：{item.get('location', '')} {item.get('reason', '')}")
    for line in explain_lines(report.misdirection):  # issue 18
        print(line)
    return EXIT_BY_ACTION.get(report.action, 0) if args.exit_code else 0


def cmd_redact(args: argparse.Namespace) -> int:
    _, text, notes = body_text([args.text] if args.text is not None else [])
    if not text:
        raise CliError("沒有要遮蔽的內容：請給文字，或由標準輸入傳入")
    scanner = _scanner(args)
    masked, findings = scanner.redact_with_findings(text)
    for note in notes:
        print(f"注意：{note['reason']}", file=sys.stderr)
    if args.json:
        print(json.dumps({"redacted_text": masked, "findings": [f.to_dict() for f in findings]}, ensure_ascii=False, indent=2))
    else:
        print(masked)
    return 0


def cmd_patterns_test(args: argparse.Namespace) -> int:
    from dlp.patterns import load_packs, run_examples
    from dlp.policy_examples import policy_for_packs, run_decision_examples

    if args.dir is not None and not Path(args.dir).is_dir():
        raise CliError(f"找不到規則目錄：{printable(args.dir)}")
    try:
        packset = load_packs(args.dir, check_examples=False)
    except PackErrors as exc:
        for err in exc.errors:
            print(f"錯誤：{err}")
        return EXIT_BAD_PACKS
    results = run_examples(packset)
    failed = [r for r in results if not r.passed]
    for err in _example_failures(failed, packset.directory):
        print(f"FAIL {err}")
    print(f"{len(results) - len(failed)} examples passed, {len(failed)} failed ({len(packset.rules)} rules in {len(packset.packs)} packs)")
    try:
        policy, beside_packs = policy_for_packs(packset.directory, args.policy)
    except (PackErrors, PackError) as exc:
        print("政策檔有誤，不會被載入：")
        for err in getattr(exc, "errors", [exc]):
            print(f"錯誤：{err}")
        return EXIT_BAD_PACKS
    if not beside_packs:
        print(f"政策：{policy.file} 格式正確（目錄中沒有 policy.yaml，掃描時使用內建政策；它的處置範例只對內建規則檢查）")
        return EXIT_BAD_PACKS if failed else 0
    decisions = run_decision_examples(packset, policy)
    bad = [d for d in decisions if not d.passed]
    for d in bad:
        print(f"FAIL {d.where}: {d.message}")
    print(f"政策 {policy.file}：格式正確，{len(decisions) - len(bad)} 個處置範例通過，{len(bad)} 個失敗")
    return EXIT_BAD_PACKS if failed or bad else 0


def _example_failures(failed: list[Any], directory: Path) -> list[PackError]:
    """Failed pack examples as errors that name the file, the rule's line and the rule."""
    from dlp.yaml_lines import with_lines

    out: list[PackError] = []
    for file in dict.fromkeys(r.rule.file for r in failed):
        errors = [PackError(r.rule.file, r.rule.id, r.message) for r in failed if r.rule.file == file]
        try:
            out.extend(with_lines(errors, (directory / file).read_text(encoding="utf-8"), rules_by_id=True))
        except (OSError, UnicodeDecodeError):
            out.extend(errors)
    return out


def cmd_patterns_list(args: argparse.Namespace) -> int:
    from dlp.patterns import load_packs

    if args.dir is not None and not Path(args.dir).is_dir():
        raise CliError(f"找不到規則目錄：{printable(args.dir)}")
    packset = load_packs(args.dir, check_examples=False)
    for pack in packset.packs:
        print(f"{pack.file}  {pack.name} v{pack.version}  rules={pack.rules}  sha256={pack.sha256[:16]}")
    rows = [[r.id, r.type, r.kind, r.engine, r.mode] for r in packset.rules]
    print(_table(rows, ["id", "type", "kind", "engine", "mode"]))
    return 0


def cmd_patterns_schema(args: argparse.Namespace) -> int:
    from dlp.json_schemas import schema_for

    print(json.dumps(schema_for(args.format), ensure_ascii=False, indent=2))
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from dlp.evaluation.gates import GateError, failures, parse_gate
    from dlp.evaluation.metrics import evaluate_records, load_records

    try:
        gates = [parse_gate(spec) for spec in args.fail_under or []]
    except GateError as exc:
        raise CliError(str(exc)) from None
    try:
        records = load_records(args.corpus)
    except OSError as exc:
        raise unreadable(exc, args.corpus, "語料檔") from None
    except UnicodeDecodeError:
        raise CliError(f"語料檔 {printable(args.corpus)} 不是 UTF-8 編碼") from None
    except ValueError as exc:
        raise CliError(f"語料檔有誤：{exc}") from None
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


def _open_output(name: str | None) -> IO[str]:
    if name in (None, "-"):
        return sys.stdout
    try:
        return open(name, "w", encoding="utf-8")
    except OSError as exc:
        raise CliError(f"無法寫入輸出檔 {printable(name)}：{exc.strerror or exc}") from None


def cmd_corpus(args: argparse.Namespace) -> int:
    if importlib.util.find_spec("faker") is None:
        raise CliError("產生語料需要 Faker：請安裝 pip install 'dlp[corpus]'")
    from dlp.evaluation.generator import generate

    out = _open_output(args.output)  # before generating: a bad path fails at once
    try:
        records = generate(args.n, args.seed)
        for rec in records:
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    except OSError as exc:
        raise CliError(f"無法寫入輸出檔 {printable(args.output or '-')}：{exc.strerror or exc}") from None
    finally:
        if out is not sys.stdout:
            out.close()
    if out is not sys.stdout:
        print(f"wrote {len(records)} messages to {printable(args.output)}", file=sys.stderr)
    return 0


def _add_pack_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--patterns", metavar="DIR", help="pattern packs directory (default: bundled patterns/)")
    p.add_argument("--policy", metavar="FILE", help="policy file (default: policy.yaml beside the packs)")


def _add_destination_options(p: argparse.ArgumentParser) -> None:
    """Where the message goes: the same options for ``scan`` and ``explain``."""
    p.add_argument("--subject")
    p.add_argument("--channel", choices=["mail", "chat", "other"], default="mail")
    p.add_argument("--from", dest="sender", metavar="ADDRESS")
    p.add_argument("--to", action="append", metavar="ADDRESS", help="recipient address or destination (repeatable)")
    p.add_argument("--conversation", help="chat: group id")
    p.add_argument("--members", type=non_negative_int, default=0, help="chat: number of members")
    p.add_argument("--external-members", type=non_negative_int, default=0, help="chat: members from outside the agency")
    p.add_argument("--registered", action="store_true", help="chat: claim the group is registered (conversations.yaml decides)")


def build_parser() -> argparse.ArgumentParser:
    from service.history_cli import add_explain_history_options

    parser = ChineseArgumentParser(prog="dlp", description="Outbound DLP filter for Taiwanese government agencies")
    parser.add_argument("--version", action="version", version=f"dlp {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    scan = sub.add_parser("scan", help="scan text, files or stdin and print what was found")
    scan.add_argument("text", nargs="*", help="text to scan ('-' reads stdin)")
    scan.add_argument("-f", "--file", action="append", metavar="FILE",
                      help="a file to scan as an attachment of its own message; an .eml is scanned as one mail (repeatable)")
    scan.add_argument("--attach", nargs="+", action="extend", metavar="FILE",
                      help="files attached to the one message whose body is TEXT (or stdin)")
    scan.add_argument("--samples", action="store_true", help="scan the bundled sample messages")
    scan.add_argument("--json", action="store_true", help="print Report.to_dict() as JSON")
    _add_destination_options(scan)
    _add_pack_options(scan)
    scan.set_defaults(func=cmd_scan)

    explain = sub.add_parser("explain", help="show every candidate considered, why it was kept or dropped, and the decision")
    explain.add_argument("text", nargs="?", help="text to explain ('-' or nothing reads stdin)")
    explain.add_argument("--json", action="store_true")
    explain.add_argument("--exit-code", action="store_true", help="exit with the decision's code, as dlp scan does")
    _add_destination_options(explain)
    add_explain_history_options(explain)  # issue 18: --history
    _add_pack_options(explain)
    explain.set_defaults(func=cmd_explain)

    redact = sub.add_parser("redact", help="print the text with personal data masked")
    redact.add_argument("text", nargs="?", help="text ('-' or nothing reads stdin)")
    redact.add_argument("--json", action="store_true")
    _add_pack_options(redact)
    redact.set_defaults(func=cmd_redact)

    patterns = sub.add_parser("patterns", help="pattern packs: test examples, list rules, JSON Schema")
    psub = patterns.add_subparsers(dest="patterns_command", required=True, metavar="{test,list,schema}")
    ptest = psub.add_parser("test", help="validate packs and policy.yaml, run every rule's and decision's examples")
    ptest.add_argument("dir", nargs="?", help="packs directory (default: bundled)")
    ptest.add_argument("--policy", metavar="FILE", help="policy file (default: policy.yaml in DIR)")
    ptest.set_defaults(func=cmd_patterns_test)
    plist = psub.add_parser("list", help="list packs and rules")
    plist.add_argument("dir", nargs="?")
    plist.set_defaults(func=cmd_patterns_list)
    pschema = psub.add_parser("schema", help="print the JSON Schema of a pack or of policy.yaml (for editors)")
    pschema.add_argument("format", choices=["pack", "policy", "conversations", "suppressions"])
    pschema.set_defaults(func=cmd_patterns_schema)

    ev = sub.add_parser("eval", help="precision, recall and F1 per type against a labeled JSONL corpus")
    ev.add_argument("corpus")
    ev.add_argument("--json", action="store_true")
    ev.add_argument("--fail-under", action="append", metavar="TYPE=F",
                    help="exit 1 when TYPE's F1 (or TYPE.recall=F, TYPE.precision=F, ALL, SECRECY...) is below F (repeatable)")
    _add_pack_options(ev)
    ev.set_defaults(func=cmd_eval)

    corpus = sub.add_parser("corpus", help="generate a labeled evaluation corpus (needs dlp[corpus])")
    csub = corpus.add_subparsers(dest="corpus_command", required=True, metavar="{generate}")
    gen = csub.add_parser("generate")
    gen.add_argument("-n", type=positive_int, default=2000, help="number of messages (default 2000)")
    gen.add_argument("--seed", type=int, default=7)
    gen.add_argument("-o", "--output", help="output file (default: stdout)")
    gen.set_defaults(func=cmd_corpus)

    from service.cli_commands import add_service_commands  # serve, keys add, audit verify

    add_service_commands(sub)
    from dlp.gateways.mail.cli import add_mail_commands  # milter, quarantine

    add_mail_commands(sub)

    from dlp.gateways.chat.cli import add_chat_commands  # chat-proxy, conversations check/list

    add_chat_commands(sub)

    from service.console.cli import add_console_commands  # console, users (issue 16)

    add_console_commands(sub)
    from service.history_cli import add_history_commands  # history import/forget/show/prune (issue 18)

    add_history_commands(sub)
    return parser


def _tolerant_streams() -> None:
    """Never crash on printing: characters the terminal cannot show are escaped."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):
                pass


def _print_pack_errors(exc: PackErrors | PackError) -> None:
    print("規則或政策設定檔有誤，未載入：", file=sys.stderr)
    for line in str(exc).splitlines():
        print(f"  {line}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    _tolerant_streams()
    parser = build_parser()
    args = parser.parse_args(argv)  # usage mistakes: one Chinese line and SystemExit(2)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return int(args.func(args))
    except CliError as exc:
        print(f"dlp {args.command}：{exc}", file=sys.stderr)
        return EXIT_USAGE
    except (PackErrors, PackError) as exc:
        _print_pack_errors(exc)
        return EXIT_BAD_PACKS
    except BrokenPipeError:  # e.g. `dlp scan ... | head`: stop quietly, and quietly at exit too
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print(f"dlp {args.command}：已中斷", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # a bug: still one line, and a decision-less exit status
        if os.environ.get("DLP_DEBUG"):
            raise
        print(f"dlp {args.command}：未預期的錯誤（{type(exc).__name__}：{printable(str(exc))}）；"
              "設定 DLP_DEBUG=1 可看完整的錯誤追蹤", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
