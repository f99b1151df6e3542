"""``dlp serve``, ``dlp keys add|list|revoke|rotate``, ``dlp audit verify|reanchor``: registered into dlp/cli.py's parser."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from dlp.cli_args import port_number
from service.settings import Settings


def add_service_commands(subparsers: argparse._SubParsersAction) -> None:
    """Register the service's commands on the ``dlp`` parser's subparsers."""
    defaults = Settings()
    serve = subparsers.add_parser("serve", help="run the HTTP service (FastAPI under uvicorn)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=port_number, default=8080)
    serve.add_argument("--workers", type=int, default=1, help="worker processes (each loads packs and jieba once)")
    serve.add_argument("--patterns", metavar="DIR", help="pattern packs directory (default: $DLP_PATTERNS_DIR or bundled patterns/)")
    serve.add_argument("--policy", metavar="FILE", help="policy file (default: policy.yaml beside the packs)")
    serve.add_argument("--keys-file", help=f"hashed API keys (default: $DLP_KEYS_FILE or {defaults.keys_file})")
    serve.add_argument("--audit-log", help=f"audit log, JSON Lines (default: $DLP_AUDIT_LOG or {defaults.audit_log})")
    serve.add_argument("--audit-max-bytes", type=int, help="rotate the audit log past this size")
    serve.add_argument("--max-body-bytes", type=int, help="largest request body (default 30 MiB)")
    serve.add_argument("--scan-threads", type=int, help="scans at once per worker (default 4)")
    serve.add_argument("--database-url", help="incident store (default $DLP_DATABASE_URL or SQLite beside the audit log)")
    serve.add_argument("--console", action="store_true", default=None, help="mount the security team's console at /console")
    serve.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    serve.add_argument("--log-format", choices=["text", "json"], default=None,
                       help="log lines as text or one JSON object per line (default: $DLP_LOG_FORMAT or text)")
    serve.set_defaults(func=cmd_serve)

    keys = subparsers.add_parser("keys", help="API keys of the service")
    ksub = keys.add_subparsers(dest="keys_command", required=True)
    kadd = ksub.add_parser("add", help="create a key; it is printed once and stored only as a hash")
    kadd.add_argument("name", help="key id, e.g. mail-gateway")
    kadd.add_argument("--scope", action="append", choices=["scan", "admin"], help="scan (default) or admin; repeatable")
    kadd.add_argument("--label", help="a human-readable name (default: the id)")
    kadd.add_argument("--expires", help="refuse the key after this: a date (2026-12-31) or a duration (90d, 12h)")
    kadd.add_argument("--keys-file", help=f"default: $DLP_KEYS_FILE or {defaults.keys_file}")
    kadd.set_defaults(func=cmd_keys_add)
    klist = ksub.add_parser("list", help="id, name, scopes, created, last used, expiry, status (never the key)")
    klist.add_argument("--json", action="store_true")
    klist.add_argument("--keys-file", help=f"default: $DLP_KEYS_FILE or {defaults.keys_file}")
    klist.set_defaults(func=cmd_keys_list)
    krevoke = ksub.add_parser("revoke", help="refuse a key from now on (running workers follow within a request)")
    krevoke.add_argument("id")
    krevoke.add_argument("--keys-file", help=f"default: $DLP_KEYS_FILE or {defaults.keys_file}")
    krevoke.set_defaults(func=cmd_keys_revoke)
    krotate = ksub.add_parser("rotate", help="a new secret for a key; the old one keeps working for --grace")
    krotate.add_argument("id")
    krotate.add_argument("--grace", default="24h", help="how long the old secret stays valid (default 24h; 0 = none)")
    krotate.add_argument("--keys-file", help=f"default: $DLP_KEYS_FILE or {defaults.keys_file}")
    krotate.set_defaults(func=cmd_keys_rotate)

    audit = subparsers.add_parser("audit", help="the service's audit log")
    asub = audit.add_subparsers(dest="audit_command", required=True)
    verify = asub.add_parser("verify", help="check the hash chain and anchor; exit 0 intact, 1 tampered, 2 unreadable")
    verify.add_argument("file", help="the active log (rotated FILE.1, FILE.2... are checked too) or one rotated file")
    verify.add_argument("--hmac-key", metavar="FILE", help="key of a keyed log (default: $DLP_AUDIT_HMAC_KEY_FILE, or "
                                                           "audit-hmac.key beside the keys file when it exists)")
    verify.add_argument("--keys-file", help=f"where to look for audit-hmac.key (default: $DLP_KEYS_FILE or {defaults.keys_file})")
    verify.add_argument("--json", action="store_true")
    verify.set_defaults(func=cmd_audit_verify)
    reanchor = asub.add_parser("reanchor", help="accept the log as it is now (after an investigation, or an upgrade) "
                                                "and let the service write again; the decision is itself recorded")
    reanchor.add_argument("file")
    reanchor.add_argument("--reason", required=True, help="why (kept in the log)")
    reanchor.add_argument("--keys-file", help=f"default: $DLP_KEYS_FILE or {defaults.keys_file}")
    reanchor.set_defaults(func=cmd_audit_reanchor)


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(
        patterns_dir=getattr(args, "patterns", None),
        policy_path=getattr(args, "policy", None),
        keys_file=getattr(args, "keys_file", None),
        audit_log=getattr(args, "audit_log", None),
        audit_max_bytes=getattr(args, "audit_max_bytes", None),
        max_body_bytes=getattr(args, "max_body_bytes", None),
        scan_threads=getattr(args, "scan_threads", None),
        database_url=getattr(args, "database_url", None),
        console=getattr(args, "console", None),
        log_format=getattr(args, "log_format", None),
    )


def cmd_serve(args: argparse.Namespace) -> int:
    from dlp.audit import SecretFileError
    from dlp.store import StoreError
    from service.server import serve

    if args.workers < 1:
        print("--workers 至少為 1", file=sys.stderr)
        return 2
    try:
        serve(_settings(args), host=args.host, port=args.port, workers=args.workers, log_level=args.log_level)
    except (SecretFileError, StoreError, ValueError) as exc:  # ValueError: a DLP_* variable with a value it cannot take
        print(f"無法啟動：{exc}", file=sys.stderr)
        return 2
    return 0


def _key_error(action: str, exc: Exception) -> int:
    print(f"無法{action}：{exc}", file=sys.stderr)
    return 2


def _record_key_event(event: str, key_id: str) -> None:
    """Key changes go to the audit log too; a log that cannot take them does not stop the change."""
    from dlp.audit import AuditLog, event_record

    settings = Settings.from_env()
    try:
        from dlp.audit import audit_hmac_key

        key = audit_hmac_key(settings.secrets_dir, settings.audit_hmac_key_file, create=False) if settings.audit_hmac else None
        AuditLog(settings.audit_log, settings.audit_max_bytes, hmac_key=key).append(event_record(event, "cli", key_id))
    except (OSError, ValueError) as exc:
        print(f"# 注意：稽核紀錄未能記下這次變更（{exc}）", file=sys.stderr)


def cmd_keys_add(args: argparse.Namespace) -> int:
    from service.auth import KeyConfigError, add_key, parse_expiry

    path = Path(_settings(args).keys_file)
    try:
        expires = parse_expiry(args.expires) if args.expires else None
        key = add_key(path, args.name, args.scope or ["scan"], name=args.label, expires=expires)
    except (KeyConfigError, OSError, ValueError) as exc:
        return _key_error("新增金鑰", exc)
    _record_key_event("key_added", args.name)
    until = f", expires {expires.isoformat()}" if expires else ""
    print(f"# key {args.name} ({', '.join(args.scope or ['scan'])}{until}) stored as a hash in {path}; shown only this once:",
          file=sys.stderr)
    print(key)
    return 0


def cmd_keys_list(args: argparse.Namespace) -> int:
    from service.auth import KeyConfigError, list_keys, parse_env_keys

    settings = _settings(args)
    try:
        rows = list_keys(Path(settings.keys_file), parse_env_keys(settings.env_keys) if settings.env_keys else [])
    except (KeyConfigError, OSError) as exc:
        return _key_error("列出金鑰", exc)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    from dlp.cli import _table

    print(_table([[r["id"], r["name"], "+".join(r["scopes"]), r["created"] or "-", r["last_used"] or "-",
                   r["expires"] or "-", r["status"] + (f" (old secret until {r['old_secret_valid_until']})"
                                                       if r["old_secret_valid_until"] else ""), r["source"]] for r in rows],
                 ["id", "name", "scopes", "created", "last used", "expires", "status", "source"]))
    return 0


def cmd_keys_revoke(args: argparse.Namespace) -> int:
    from service.auth import KeyConfigError, revoke_key

    try:
        entry = revoke_key(Path(_settings(args).keys_file), args.id)
    except (KeyConfigError, OSError) as exc:
        return _key_error("撤銷金鑰", exc)
    _record_key_event("key_revoked", args.id)
    print(f"金鑰 {args.id} 已於 {entry['revoked']} 撤銷；執行中的服務自下一個請求起拒絕它。")
    return 0


def cmd_keys_rotate(args: argparse.Namespace) -> int:
    from service.auth import KeyConfigError, parse_duration, rotate_key

    try:
        grace = parse_duration(args.grace)
        key = rotate_key(Path(_settings(args).keys_file), args.id, grace)
    except (KeyConfigError, OSError) as exc:
        return _key_error("輪替金鑰", exc)
    _record_key_event("key_rotated", args.id)
    print(f"# key {args.id} rotated; the old secret stays valid for {args.grace}. New key, shown only this once:", file=sys.stderr)
    print(key)
    return 0


def _hmac_key_for_verify(args: argparse.Namespace) -> bytes | None:
    import os

    from dlp.audit import audit_hmac_key
    from dlp.audit.keyfiles import HMAC_KEY_FILE

    explicit = args.hmac_key or os.environ.get("DLP_AUDIT_HMAC_KEY_FILE")
    settings = _settings(args)
    if explicit:
        return audit_hmac_key(settings.secrets_dir, explicit, create=False)
    if (settings.secrets_dir / HMAC_KEY_FILE).exists():
        return audit_hmac_key(settings.secrets_dir, create=False)
    return None


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from dlp.audit import SecretFileError, verify

    path = Path(args.file)
    if not path.exists() and not list(path.parent.glob(path.name + ".*")):
        print(f"找不到稽核紀錄檔：{path}", file=sys.stderr)
        return 2
    try:
        result = verify(path, key=_hmac_key_for_verify(args))
    except SecretFileError as exc:
        print(f"無法讀取 HMAC 金鑰：{exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"無法讀取稽核紀錄：{exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - verify must never end in a traceback
        print(f"無法檢查稽核紀錄（{type(exc).__name__}: {exc}）", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        for p in result.problems:
            print(f"竄改 {p.kind}: {p.file}:{p.line} {p.message}")
        if result.problem_count > len(result.problems):
            print(f"……另有 {result.problem_count - len(result.problems)} 處問題未列出")
        for w in result.warnings:
            print(f"注意 {w.kind}: {w.file}:{w.line} {w.message}")
        if result.needs_key:
            print("紀錄以 HMAC 金鑰保護，沒有金鑰無法驗證（--hmac-key FILE）", file=sys.stderr)
        verdict = "完整 (intact)" if result.ok else f"發現 {result.problem_count} 處竄改 (TAMPERED)"
        print(f"{verdict}: {result.records} records in {len(result.files)} file(s); last seq {result.last_seq}, last hash {result.last_hash}")
    if result.needs_key and result.problem_count == 0:
        return 2
    return 0 if result.ok else 1


def cmd_audit_reanchor(args: argparse.Namespace) -> int:
    from dlp.audit import AuditLog, SecretFileError, audit_hmac_key, event_record, verify

    settings = _settings(args)
    try:
        key = audit_hmac_key(settings.secrets_dir, settings.audit_hmac_key_file, create=False) if settings.audit_hmac else None
        before = verify(args.file, key=key)
        record = AuditLog(args.file, settings.audit_max_bytes, hmac_key=key).reanchor(
            event_record("chain_restarted", "cli", None, reason=args.reason, problems_before=before.problem_count))
    except (OSError, SecretFileError) as exc:
        print(f"無法重設錨點：{exc}", file=sys.stderr)
        return 2
    print(f"已接受目前的稽核紀錄（檢查時有 {before.problem_count} 處問題），並寫入第 {record['seq']} 筆 chain_restarted；服務可再寫入。")
    return 0
