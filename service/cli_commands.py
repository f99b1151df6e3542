"""``dlp serve``, ``dlp keys add``, ``dlp audit verify``: registered into dlp/cli.py's parser."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from service.settings import Settings


def add_service_commands(subparsers: argparse._SubParsersAction) -> None:
    """Register the service's commands on the ``dlp`` parser's subparsers."""
    defaults = Settings()
    serve = subparsers.add_parser("serve", help="run the HTTP service (FastAPI under uvicorn)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8080)
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
    serve.set_defaults(func=cmd_serve)

    keys = subparsers.add_parser("keys", help="API keys of the service")
    ksub = keys.add_subparsers(dest="keys_command", required=True)
    kadd = ksub.add_parser("add", help="create a key; it is printed once and stored only as a hash")
    kadd.add_argument("name", help="key id, e.g. mail-gateway")
    kadd.add_argument("--scope", action="append", choices=["scan", "admin"], help="scan (default) or admin; repeatable")
    kadd.add_argument("--keys-file", help=f"default: $DLP_KEYS_FILE or {defaults.keys_file}")
    kadd.set_defaults(func=cmd_keys_add)

    audit = subparsers.add_parser("audit", help="the service's audit log")
    asub = audit.add_subparsers(dest="audit_command", required=True)
    verify = asub.add_parser("verify", help="check the hash chain; exit 0 intact, 1 tampered, 2 unreadable")
    verify.add_argument("file", help="the active log (rotated FILE.1, FILE.2... are checked too) or one rotated file")
    verify.add_argument("--json", action="store_true")
    verify.set_defaults(func=cmd_audit_verify)


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
    )


def cmd_serve(args: argparse.Namespace) -> int:
    from service.server import serve

    if args.workers < 1:
        print("--workers 至少為 1", file=sys.stderr)
        return 2
    serve(_settings(args), host=args.host, port=args.port, workers=args.workers, log_level=args.log_level)
    return 0


def cmd_keys_add(args: argparse.Namespace) -> int:
    from service.auth import KeyConfigError, add_key

    path = Path(_settings(args).keys_file)
    try:
        key = add_key(path, args.name, args.scope or ["scan"])
    except (KeyConfigError, OSError, ValueError) as exc:
        print(f"無法新增金鑰：{exc}", file=sys.stderr)
        return 2
    print(f"# key {args.name} ({', '.join(args.scope or ['scan'])}) stored as a hash in {path}; shown only this once:", file=sys.stderr)
    print(key)
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from service.audit import verify

    path = Path(args.file)
    if not path.exists() and not list(path.parent.glob(path.name + ".*")):
        print(f"找不到稽核紀錄檔：{path}", file=sys.stderr)
        return 2
    try:
        result = verify(path)
    except OSError as exc:
        print(f"無法讀取稽核紀錄：{exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        for p in result.problems:
            print(f"竄改 {p.kind}: {p.file}:{p.line} {p.message}")
        for w in result.warnings:
            print(f"注意 {w.kind}: {w.file}:{w.line} {w.message}")
        verdict = "完整 (intact)" if result.ok else f"發現 {len(result.problems)} 處竄改 (TAMPERED)"
        print(f"{verdict}: {result.records} records in {len(result.files)} file(s); last seq {result.last_seq}, last hash {result.last_hash}")
    return 0 if result.ok else 1
