"""``dlp chat-proxy`` and ``dlp conversations check|list``: registered into dlp/cli.py's parser."""

from __future__ import annotations

import argparse
import json
import os
import sys
from urllib.parse import urlsplit

EXIT_USAGE = 2


def add_chat_commands(subparsers: argparse._SubParsersAction) -> None:
    proxy = subparsers.add_parser("chat-proxy", help="LINE Messaging API proxy: every message is checked before it is sent")
    proxy.add_argument("--upstream", default="https://api.line.me", help="the LINE platform (default https://api.line.me)")
    proxy.add_argument("--listen", default="127.0.0.1:8090", metavar="HOST:PORT", help="where bots connect (default 127.0.0.1:8090)")
    proxy.add_argument("--service", default="http://127.0.0.1:8080", metavar="URL", help="the dlp serve that decides")
    proxy.add_argument("--api-key-env", default="DLP_API_KEY", metavar="NAME",
                       help="environment variable holding the service's API key (default DLP_API_KEY)")
    proxy.add_argument("--channel-secret-env", default="LINE_CHANNEL_SECRET", metavar="NAME",
                       help="environment variable holding the channel secret (webhook signatures)")
    proxy.add_argument("--relay-to", metavar="URL", help="inbound: relay verified webhooks to the bot at this URL")
    proxy.add_argument("--webhook-path", default="/webhook", help="inbound: the path LINE posts webhooks to")
    proxy.add_argument("--timeout", type=float, default=2.0, help="seconds for a decision, retries included (default 2)")
    proxy.add_argument("--media-check-timeout", type=float, default=30.0,
                       help="seconds for a decision on a message with an image, video or audio (OCR), retries included (default 30)")
    proxy.add_argument("--connect-timeout", type=float, default=0.5, help="seconds to connect to the service (default 0.5)")
    proxy.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    proxy.add_argument("--log-format", choices=["text", "json"], default=None,
                       help="log lines as text or JSON lines, as dlp serve (default $DLP_LOG_FORMAT or text)")
    proxy.set_defaults(func=cmd_chat_proxy)

    conv = subparsers.add_parser("conversations", help="the conversation registry (conversations.yaml)")
    csub = conv.add_subparsers(dest="conversations_command", required=True)
    check = csub.add_parser("check", help="validate conversations.yaml and run its examples; exit 1 when refused")
    check.add_argument("dir", nargs="?", help="patterns directory (default: bundled)")
    check.set_defaults(func=cmd_conversations_check)
    listing = csub.add_parser("list", help="list the registered conversations")
    listing.add_argument("dir", nargs="?")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=cmd_conversations_list)


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return EXIT_USAGE


def cmd_chat_proxy(args: argparse.Namespace) -> int:
    from dlp.client import Timeout
    from dlp.gateways.chat.proxy import ProxyConfig, serve

    host, _, port = args.listen.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        return _fail(f"--listen 應為 主機:埠，例如 127.0.0.1:8090（目前是「{args.listen}」）")
    for name, url in (("--upstream", args.upstream), ("--service", args.service), ("--relay-to", args.relay_to)):
        if url is not None and (urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname):
            return _fail(f"{name} 應為 http:// 或 https:// 網址（目前是「{url}」）")
    api_key = os.environ.get(args.api_key_env, "").strip()
    if not api_key:
        return _fail(f"缺少 DLP 服務的 API 金鑰：請設定環境變數 {args.api_key_env}（以 dlp keys add 建立）")
    secret = os.environ.get(args.channel_secret_env, "").strip() or None
    if args.relay_to and not secret:
        return _fail(f"--relay-to 需要頻道密鑰才能驗證 webhook 簽章：請設定環境變數 {args.channel_secret_env}")
    try:
        timeout = Timeout(total=args.timeout, connect=args.connect_timeout)
        media_timeout = Timeout(total=args.media_check_timeout, connect=args.connect_timeout)
    except ValueError as exc:
        return _fail(f"逾時設定不正確：{exc}")
    from service.logs import LOG_FORMATS, chosen_format

    log_format = chosen_format(args.log_format)
    if log_format not in LOG_FORMATS:
        return _fail(f"記錄格式 {log_format!r} 無效，請用 {' 或 '.join(LOG_FORMATS)}（DLP_LOG_FORMAT / --log-format）")
    config = ProxyConfig(upstream=args.upstream, service_url=args.service, api_key=api_key, channel_secret=secret,
                         relay_to=args.relay_to, webhook_path=args.webhook_path, timeout=timeout,
                         media_check_timeout=media_timeout)
    serve(config, host.strip("[]"), int(port), args.log_level, log_format)
    return 0


def cmd_conversations_check(args: argparse.Namespace) -> int:
    from dlp.scanner import Scanner

    scanner = Scanner(patterns_dir=args.dir)  # PackErrors -> exit 1 with file, key and reason (dlp/cli.py)
    registry = scanner.state.conversations
    if registry.file is None:
        print(f"{scanner.patterns_dir} 中沒有 conversations.yaml：所有對話都視為其他通訊軟體對話")
        return 0
    print(f"conversations.yaml：{len(registry)} 個對話、{len(registry.examples)} 個範例全部通過")
    return 0


def cmd_conversations_list(args: argparse.Namespace) -> int:
    from dlp.conversations import load_registry
    from dlp.patterns import bundled_patterns_dir

    registry = load_registry(args.dir or bundled_patterns_dir())
    entries = list(registry.entries.values())
    if args.json:
        print(json.dumps([e.__dict__ for e in entries], ensure_ascii=False, indent=2))
        return 0
    for e in entries:
        counts = f"{'?' if e.members is None else e.members} 人／外部 {'?' if e.external_members is None else e.external_members}"
        print(f"{e.platform}:{e.id}  {e.name}  {'已登記' if e.registered else '未登記'}  "
              f"最高等級 {e.allowed_level or '（未設定）'}  {counts}")
    return 0
