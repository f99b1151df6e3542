"""``dlp console`` and ``dlp users add|list|passwd|disable|enable|first-login``: registered into dlp/cli.py."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

EXIT_USAGE = 2


def _database_url(args: argparse.Namespace) -> str:
    from service.console import default_database_url

    return args.database_url or os.environ.get("DLP_DATABASE_URL") or default_database_url(
        args.audit_log or os.environ.get("DLP_AUDIT_LOG") or "var/audit.jsonl")


def _add_store_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--database-url", help="incident store: sqlite:///FILE or postgresql://user:pw@host/db "
                                          "(default $DLP_DATABASE_URL or SQLite incidents.sqlite3 beside the audit log)")
    p.add_argument("--audit-log", help="audit log (default $DLP_AUDIT_LOG or var/audit.jsonl)")


def add_console_commands(subparsers: argparse._SubParsersAction) -> None:
    c = subparsers.add_parser("console", help="the security team's web console (incidents, triage, releases)",
                              description="資安主控台：事件佇列、分類、誤判抑制、暫緩郵件放行；見 docs/console.md")
    c.add_argument("--host", default="127.0.0.1")
    c.add_argument("--port", type=int, default=8081)
    _add_store_options(c)
    c.add_argument("--patterns", metavar="DIR", help="pattern packs (suppressions.yaml is written there)")
    c.add_argument("--postfix-config", metavar="DIR", help="Postfix config directory for releases (postsuper -c)")
    c.add_argument("--secure-cookies", action="store_true", help="mark cookies Secure (behind HTTPS)")
    c.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    c.set_defaults(func=cmd_console)

    u = subparsers.add_parser("users", help="console users and roles (viewer, triager, approver)")
    _add_store_options(u)
    usub = u.add_subparsers(dest="users_command", required=True)
    add = usub.add_parser("add", help="create a user; a random password is printed unless --password-stdin")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=["viewer", "triager", "approver"])
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.set_defaults(func=cmd_users_add)
    usub.add_parser("list", help="users, roles, last login").set_defaults(func=cmd_users_list)
    pw = usub.add_parser("passwd", help="set a new password (random unless --password-stdin); ends the user's sessions")
    pw.add_argument("name")
    pw.add_argument("--password-stdin", action="store_true")
    pw.set_defaults(func=cmd_users_passwd)
    for name, disabled in (("disable", True), ("enable", False)):
        p = usub.add_parser(name, help=f"{name} a user" + (" (ends the user's sessions)" if disabled else ""))
        p.add_argument("name")
        p.set_defaults(func=cmd_users_disable, disabled=disabled)
    first = usub.add_parser("first-login", help="when there is no user yet: create approver 'admin' and print its password")
    first.add_argument("--name", default="admin")
    first.set_defaults(func=cmd_users_first)


def _error(text: str) -> int:
    print(text, file=sys.stderr)
    return EXIT_USAGE


def _accounts(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from dlp.store import IncidentStore
    from dlp.store.accounts import Accounts

    return Accounts(IncidentStore.open(_database_url(args)))


def _password(args: argparse.Namespace) -> tuple[str, bool]:
    from dlp.store.accounts import new_password

    if args.password_stdin:
        return (sys.stdin.readline().rstrip("\n") if not sys.stdin.isatty() else getpass.getpass("密碼：")), False
    return new_password(), True


def _store_errors(fn):  # type: ignore[no-untyped-def]
    def run(args: argparse.Namespace) -> int:
        from dlp.store import StoreError
        from dlp.store.accounts import AccountError

        try:
            return int(fn(args))
        except (StoreError, AccountError) as exc:
            return _error(f"錯誤：{exc}")
    return run


@_store_errors
def cmd_users_add(args: argparse.Namespace) -> int:
    accounts = _accounts(args)
    password, generated = _password(args)
    accounts.add_user(args.name, password, args.role)
    print(f"已建立帳號 {args.name}（{args.role}）" + ("，密碼（只顯示這一次）：" if generated else ""), file=sys.stderr)
    if generated:
        print(password)
    return 0


@_store_errors
def cmd_users_list(args: argparse.Namespace) -> int:
    for u in _accounts(args).list():
        last = u["last_login_at"].isoformat(timespec="minutes") if u["last_login_at"] else "-"
        print(f"{u['username']}\t{u['role']}\t{'停用' if u['disabled'] else '啟用'}\t最後登入 {last}")
    return 0


@_store_errors
def cmd_users_passwd(args: argparse.Namespace) -> int:
    password, generated = _password(args)
    _accounts(args).set_password(args.name, password)
    print(f"已更新 {args.name} 的密碼" + ("（只顯示這一次）：" if generated else ""), file=sys.stderr)
    if generated:
        print(password)
    return 0


@_store_errors
def cmd_users_disable(args: argparse.Namespace) -> int:
    _accounts(args).set_disabled(args.name, args.disabled)
    print(f"已{'停用' if args.disabled else '啟用'} {args.name}", file=sys.stderr)
    return 0


@_store_errors
def cmd_users_first(args: argparse.Namespace) -> int:
    from dlp.store.accounts import new_password

    accounts = _accounts(args)
    if accounts.count():
        print("主控台已有帳號（沒有新建）；忘記密碼請用 dlp users passwd 帳號", file=sys.stderr)
        return 0
    password = new_password()
    accounts.add_user(args.name, password, "approver")
    print(f"主控台第一個帳號：{args.name}（核可者），密碼：{password}")
    print("請登入後另外為每位同仁建立帳號（dlp users add），並用 dlp users passwd 更換這組密碼。")
    return 0


def cmd_console(args: argparse.Namespace) -> int:
    import uvicorn

    from dlp.store import StoreError

    try:
        app = build_standalone(args)
    except StoreError as exc:
        return _error(f"錯誤：{exc}")
    print(f"資安主控台：http://{args.host}:{args.port}/console/", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)
    return 0


def build_standalone(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from pathlib import Path

    from fastapi import FastAPI
    from fastapi.responses import RedirectResponse

    from dlp.gateways.mail.quarantine import default_queue
    from dlp.patterns import bundled_patterns_dir
    from dlp.scanner import Scanner
    from dlp.store import IncidentStore
    from dlp.suppressions_file import ensure_salt
    from service.console.app import create_console_app
    from service.console.audit_adapter import ConsoleAudit
    from service.console.config import ConsoleConfig

    patterns = Path(args.patterns or os.environ.get("DLP_PATTERNS_DIR") or bundled_patterns_dir())
    ensure_salt(patterns)
    scanner = Scanner(patterns_dir=patterns)
    from service.settings import Settings

    settings = Settings.from_env()  # the service's trail: same file, and the same HMAC key when keyed
    hmac_key = settings.audit_hmac_key()
    config = ConsoleConfig(store=IncidentStore.open(_database_url(args)),
                           audit=ConsoleAudit.open(args.audit_log or settings.audit_log, hmac_key=hmac_key),
                           patterns_dir=patterns, quarantine=default_queue(args.postfix_config),
                           scanner=lambda: scanner, secure_cookies=args.secure_cookies)
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    app.mount("/console", create_console_app(config))

    @app.get("/", include_in_schema=False)
    async def root() -> RedirectResponse:
        return RedirectResponse("/console/")

    return app
