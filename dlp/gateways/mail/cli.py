"""``dlp milter`` and ``dlp quarantine list|show|release|drop``: registered into dlp/cli.py's parser."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from datetime import UTC, datetime
from typing import Any

from dlp.gateways.mail.shared import Settings

EXIT_USAGE = 2


def add_mail_commands(subparsers: argparse._SubParsersAction) -> None:
    defaults = Settings()
    m = subparsers.add_parser("milter", help="mail gateway: a milter for Postfix/Sendmail (smtpd_milters)",
                              description="Postfix 在寄出郵件前詢問的 milter；設定見 docs/mail-gateway.md")
    m.add_argument("--listen", default="inet:127.0.0.1:8899", help="inet:HOST:PORT or unix:/path (default inet:127.0.0.1:8899)")
    m.add_argument("--socket-mode", default="660", help="permissions of a unix socket, octal (default 660)")
    m.add_argument("--service", metavar="URL", help="ask the HTTP service (POST /v1/scan/mime) instead of scanning in-process")
    m.add_argument("--key-file", help="file holding the service's API key (with --service)")
    m.add_argument("--patterns", metavar="DIR", help="pattern packs (in-process mode; default $DLP_PATTERNS_DIR or bundled)")
    m.add_argument("--policy", metavar="FILE", help="policy file (in-process mode)")
    m.add_argument("--scan-threads", type=int, default=2, help="scans at once (default 2)")
    m.add_argument("--timeout", type=float, default=60.0,
                   help="seconds from end of message to a decision, then 451 4.7.1 (default 60; keep below milter_content_timeout)")
    m.add_argument("--max-message-bytes", type=int, default=64 * 1024 * 1024, help="larger mails are refused with 552 5.3.4 (default 64 MiB)")
    m.add_argument("--audit-log", help=f"audit log (default $DLP_AUDIT_LOG or {defaults.audit_log})")
    m.add_argument("--database-url", metavar="URL",
                   help="incident store, as dlp serve (default $DLP_DATABASE_URL or incidents.sqlite3 beside the audit log; "
                        "postgresql://... for several nodes). With --service the service records incidents")
    m.add_argument("--no-notices", action="store_true", help="send no notices to senders")
    m.add_argument("--notice-smtp", default="127.0.0.1:25", help="where notices are submitted, HOST:PORT (default 127.0.0.1:25)")
    m.add_argument("--notice-from", default="", help="From address of notices (default postmaster@<this host>)")
    m.add_argument("--notice-texts", metavar="FILE", help="the notices' texts (default: dlp/gateways/mail/notice_texts.yaml)")
    m.add_argument("--metrics-listen", metavar="HOST:PORT", help="serve Prometheus metrics there (e.g. 127.0.0.1:9899)")
    m.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    m.add_argument("--log-format", choices=["text", "json"], default=None,
                   help="log lines as text or JSON lines, as dlp serve (default $DLP_LOG_FORMAT or text)")
    m.set_defaults(func=cmd_milter)

    q = subparsers.add_parser("quarantine", help="mail held by the milter (Postfix hold queue)")
    q.add_argument("--audit-log", help=f"the milter's audit log (default $DLP_AUDIT_LOG or {defaults.audit_log})")
    q.add_argument("--postfix-config", metavar="DIR", default=os.environ.get("DLP_POSTFIX_CONFIG"),
                   help="Postfix config directory, passed as -c (default $DLP_POSTFIX_CONFIG or Postfix's own)")
    q.add_argument("--database-url", metavar="URL",
                   help="the incident store whose state follows a release or drop (default $DLP_DATABASE_URL, "
                        "or incidents.sqlite3 beside the audit log when it exists)")
    qsub = q.add_subparsers(dest="quarantine_command", required=True)
    ql = qsub.add_parser("list", help="held mails and their incidents")
    ql.add_argument("--all", action="store_true", help="also incidents already released or dropped")
    ql.add_argument("--json", action="store_true")
    ql.set_defaults(func=cmd_quarantine_list)
    qs = qsub.add_parser("show", help="one incident (incident id or queue id)")
    qs.add_argument("id")
    qs.add_argument("--json", action="store_true")
    qs.set_defaults(func=cmd_quarantine_show)
    for name, help_text in (("release", "deliver a held mail"), ("drop", "delete a held mail")):
        p = qsub.add_parser(name, help=help_text)
        p.add_argument("id", help="incident id (DLP-...) or Postfix queue id")
        p.add_argument("--reason", default="", help="why (required; written to the audit trail)")
        p.add_argument("--by", default="", help="who (default: the login name)")
        p.set_defaults(func=cmd_quarantine_act, action_name=name)


def _error(text: str) -> int:
    print(text, file=sys.stderr)
    return EXIT_USAGE


def cmd_milter(args: argparse.Namespace) -> int:
    import logging

    from dlp.gateways.mail.listen import BadSocketSpec, parse_socket_spec
    from dlp.gateways.mail.notices import NoticeTextsError
    from dlp.gateways.mail.server import MilterOptions, run
    from dlp.store import StoreError
    from service.logs import chosen_format, configure

    try:
        configure(chosen_format(args.log_format), args.log_level)
    except ValueError as exc:  # a bad DLP_LOG_FORMAT
        return _error(str(exc))
    # presidio logs a line per scan at INFO; one line per mail is ours to write.
    logging.getLogger("presidio-analyzer").setLevel(max(logging.WARNING, logging.getLogger().level))
    settings = Settings.from_env(patterns_dir=args.patterns, policy_path=args.policy, audit_log=args.audit_log)
    try:
        parse_socket_spec(args.listen)
        mode = int(args.socket_mode, 8)
    except (BadSocketSpec, ValueError) as exc:
        return _error(f"--listen/--socket-mode 有誤：{exc}")
    key = None
    if args.service:
        if not args.key_file:
            return _error("--service 需要 --key-file（存放 API 金鑰的檔案）")
        from dlp.gateways.mail.service_client import read_key_file

        try:
            key = read_key_file(args.key_file)
        except (OSError, ValueError) as exc:
            return _error(f"無法讀取金鑰檔：{exc}")
    if args.timeout <= 0 or args.scan_threads < 1 or args.max_message_bytes < 1:
        return _error("--timeout、--scan-threads、--max-message-bytes 必須是正數")
    opts = MilterOptions(
        listen=args.listen, socket_mode=mode, service_url=args.service, service_key=key,
        service_timeout=args.timeout, patterns_dir=settings.patterns_dir, policy_path=settings.policy_path,
        scan_threads=args.scan_threads, budget_seconds=args.timeout, max_message_bytes=args.max_message_bytes,
        audit_log=settings.audit_log, audit_max_bytes=settings.audit_max_bytes, audit_fsync=settings.audit_fsync,
        audit_salt=settings.audit_salt, secrets_dir=str(settings.secrets_dir), audit_hmac=settings.audit_hmac,
        audit_hmac_key_file=settings.audit_hmac_key_file, notices=not args.no_notices, notice_smtp=args.notice_smtp,
        notice_from=args.notice_from, notice_texts=args.notice_texts, metrics_listen=args.metrics_listen,
        database_url=args.database_url or settings.database_url,
    )
    try:
        run(opts)
    except NoticeTextsError as exc:
        return _error(f"通知文字檔有誤：{exc}")
    except StoreError as exc:
        return _error(f"milter 無法啟動：{exc}")
    except OSError as exc:
        return _error(f"milter 無法啟動：{exc}")
    except KeyboardInterrupt:
        pass
    return 0


def _quarantine(args: argparse.Namespace) -> Any:
    from dlp.gateways.mail.quarantine import PostfixQueue, Quarantine
    settings = Settings.from_env(audit_log=args.audit_log)
    return Quarantine(settings.audit_log, PostfixQueue(args.postfix_config), hmac_key=settings.audit_hmac_key(),
                      store=_store(args.database_url or settings.database_url, settings.audit_log))


def _store(url: str | None, audit_log: str) -> Any:
    """The store named, or the milter's default one if it exists (never a new empty file)."""
    from pathlib import Path

    from dlp.store import IncidentStore, default_database_url

    if url is None:
        url = default_database_url(audit_log)
        if not Path(url.removeprefix("sqlite:///")).exists():
            return None
    return IncidentStore.open(url)


def _when(row: dict[str, Any]) -> str:
    if row.get("time"):
        return str(row["time"])[:19].replace("T", " ")
    if row.get("arrival_time"):
        return datetime.fromtimestamp(int(row["arrival_time"]), UTC).strftime("%Y-%m-%d %H:%M:%S")
    return ""


def cmd_quarantine_list(args: argparse.Namespace) -> int:
    from dlp.gateways.mail.quarantine import QuarantineError
    from dlp.store import StoreError

    try:
        rows = _quarantine(args).listing(include_done=args.all)
    except (QuarantineError, StoreError) as exc:
        return _error(str(exc))
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("沒有暫緩待審的郵件")
        return 0
    from dlp.cli import _table

    table = [[r.get("incident_id") or "-", r.get("queue_id") or "-", r.get("state", ""), _when(r), r.get("sender") or "",
              str(r.get("recipient_count") or ""), (r.get("reasons") or [""])[0]] for r in rows]
    print(_table(table, ["incident", "queue id", "state", "time (UTC)", "sender", "rcpts", "reason"]))
    return 0


def cmd_quarantine_show(args: argparse.Namespace) -> int:
    from dlp.gateways.mail.quarantine import QuarantineError
    from dlp.store import StoreError

    try:
        doc = _quarantine(args).show(args.id)
    except (QuarantineError, StoreError) as exc:
        return _error(str(exc))
    if args.json:
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return 0
    print(f"事件 {doc['incident_id']}  佇列編號 {doc.get('queue_id') or '-'}  狀態 {doc['state']}"
          f"{'（在暫緩佇列中）' if doc.get('in_hold_queue') else ''}")
    print(f"時間 {_when(doc)}  處置 {doc.get('action')}  密等 {doc.get('secrecy_level')}")
    print(f"寄件者 {doc.get('sender') or '-'}  收件者 {', '.join(r for r in doc.get('recipients') or [] if r)}")
    for reason in doc.get("reasons") or []:
        print(f"  理由：{reason}")
    for ex in doc.get("excerpts") or []:
        print(f"  {ex.get('type')} @ {ex.get('location')}: {ex.get('excerpt')}")
    for e in doc.get("events") or []:
        print(f"  {e.get('time')} {e.get('event')} by {e.get('by')}: {e.get('reason')}{' — ' + e['error'] if e.get('error') else ''}")
    return 0


def cmd_quarantine_act(args: argparse.Namespace) -> int:
    from dlp.gateways.mail.quarantine import PostfixError, QuarantineError
    from dlp.store import StoreError

    if not args.reason.strip():
        return _error(f"{args.action_name} 必須以 --reason 說明原因（會寫入稽核紀錄）")
    by = args.by.strip() or os.environ.get("SUDO_USER") or getpass.getuser()
    try:
        quarantine = _quarantine(args)
    except StoreError as exc:
        return _error(str(exc))
    try:
        record = (quarantine.release if args.action_name == "release" else quarantine.drop)(args.id, by, args.reason)
    except PostfixError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except QuarantineError as exc:
        return _error(str(exc))
    except OSError as exc:
        print(f"稽核紀錄無法寫入，未處理：{exc}", file=sys.stderr)
        return 1
    verb = "已放行" if args.action_name == "release" else "已刪除"
    print(f"{verb}：事件 {record['incident_id']}（佇列編號 {record['queue_id']}），by {record['by']}")
    return 0
