"""``dlp history import|forget|show|prune|stats`` and the history options of ``dlp explain``.

The history lives in the incident store (``--database-url``, default as ``dlp serve``) and is
keyed by the audit trail's salt (``DLP_AUDIT_SALT``): the same settings as the service, so the
commands see what the gateways wrote. Every mistake is one line in Chinese and exit status 2.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import secrets
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

EXIT_USAGE = 2


class HistoryCliError(Exception):
    """A mistake the operator can fix; ``str()`` is the one line shown."""


def _settings(args: argparse.Namespace) -> Any:
    from service.settings import Settings

    return Settings.from_env(audit_log=getattr(args, "audit_log", None), database_url=getattr(args, "database_url", None),
                             patterns_dir=getattr(args, "patterns", None), policy_path=getattr(args, "policy", None))


def _salt(settings: Any) -> str:
    """``DLP_AUDIT_SALT``, else the salt file the service made beside its keys (never made here:
    a new salt would match nothing)."""
    if settings.audit_salt:
        return settings.audit_salt
    try:
        from dlp.audit.keyfiles import SALT_FILE  # type: ignore[import-not-found]  # the service-hardening work
    except ImportError:
        return ""
    path = Path(settings.keys_file).parent / SALT_FILE
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def _policy(settings: Any) -> Any:
    from dlp.patterns import POLICY_FILE, bundled_patterns_dir
    from dlp.policy import Policy

    if settings.policy_path:
        return Policy.load(settings.policy_path)
    directory = Path(settings.patterns_dir) if settings.patterns_dir else bundled_patterns_dir()
    path = directory / POLICY_FILE
    return Policy.load(path if path.exists() else bundled_patterns_dir() / POLICY_FILE)


def open_history(args: argparse.Namespace) -> Any:
    """The store's ``DestinationHistory`` under the service's settings."""
    from dlp.store import IncidentStore, StoreError
    from dlp.store.history import DestinationHistory
    from dlp.store.history_keys import SaltError
    from service.console import default_database_url

    settings = _settings(args)
    url = settings.database_url or default_database_url(settings.audit_log)
    try:
        store = IncidentStore.open(url)
    except StoreError as exc:
        raise HistoryCliError(str(exc)) from None
    try:
        return DestinationHistory(store, _salt(settings))
    except SaltError as exc:
        store.close()
        raise HistoryCliError(f"{exc}（請設定 DLP_AUDIT_SALT，與 dlp serve 相同）") from None


def _store_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--database-url", help="incident store (default $DLP_DATABASE_URL or SQLite beside the audit log)")
    p.add_argument("--audit-log", help="the service's audit log (default $DLP_AUDIT_LOG or var/audit.jsonl)")


def add_history_commands(subparsers: argparse._SubParsersAction) -> None:
    h = subparsers.add_parser("history", help="destination history of the misdirection guard (import, forget, show, prune)",
                              description="誤寄防護的傳送歷史：只存雜湊、網域、月份計數與日期；見 docs/misdirection.md")
    hsub = h.add_subparsers(dest="history_command", required=True)
    imp = hsub.add_parser("import", help="bootstrap from the audit trail (idempotent)")
    imp.add_argument("files", nargs="*", help="audit logs (default: the service's; rotated FILE.1, FILE.2... are read too)")
    imp.add_argument("--source", help="name of this source (default: the log's path); remembers the last record imported")
    imp.add_argument("--patterns", metavar="DIR")
    imp.add_argument("--policy", metavar="FILE")
    imp.add_argument("--json", action="store_true")
    _store_options(imp)
    imp.set_defaults(func=cmd_import)
    forget = hsub.add_parser("forget", help="delete everything kept about one person (address or its 64-hex hash)")
    forget.add_argument("person")
    forget.add_argument("--only-as-sender", action="store_true", help="keep the rows where the person is a recipient")
    forget.add_argument("--json", action="store_true")
    _store_options(forget)
    forget.set_defaults(func=cmd_forget)
    show = hsub.add_parser("show", help="what is kept about one person as a sender (hashes, domains, counts, dates)")
    show.add_argument("person")
    show.add_argument("--json", action="store_true")
    _store_options(show)
    show.set_defaults(func=cmd_show)
    prune = hsub.add_parser("prune", help="delete months past the policy's retention_days (also done daily while learning)")
    prune.add_argument("--patterns", metavar="DIR")
    prune.add_argument("--policy", metavar="FILE")
    _store_options(prune)
    prune.set_defaults(func=cmd_prune)
    stats = hsub.add_parser("stats", help="rows per history table")
    stats.add_argument("--json", action="store_true")
    _store_options(stats)
    stats.set_defaults(func=cmd_stats)


def add_explain_history_options(p: argparse.ArgumentParser) -> None:
    """``dlp explain --history``: look the sender up in the service's history before explaining."""
    p.add_argument("--history", action="store_true", help="use the destination history (the service's store and salt)")
    p.add_argument("--database-url", help="with --history: the incident store (default as dlp serve)")


def explain_history(args: argparse.Namespace, scanner: Any, message: Any) -> Any:
    """The ``HistoryFacts`` for ``dlp explain --history``, or None."""
    if not getattr(args, "history", False):
        return None
    history = open_history(args)
    try:
        lookup = history.lookup(message, scanner.policy)
    finally:
        history.store.close()
    return lookup.facts if lookup is not None else None


def _run(fn: Any, args: argparse.Namespace) -> int:
    try:
        return int(fn(args))
    except HistoryCliError as exc:
        print(f"dlp history：{exc}", file=sys.stderr)
        return EXIT_USAGE


def _audit_files(args: argparse.Namespace, settings: Any) -> list[Path]:
    from service.audit import rotated_files

    names = args.files or [settings.audit_log]
    out: list[Path] = []
    for name in names:
        path = Path(name)
        found = rotated_files(path) + ([path] if path.exists() else [])
        if not found:
            raise HistoryCliError(f"找不到稽核紀錄檔：{path}")
        out.extend(found)
    return out


def _records(paths: list[Path]) -> Iterator[dict[str, Any]]:
    for path in paths:
        try:
            with path.open("rb") as fh:
                for line in fh:
                    try:
                        record = json.loads(line)
                    except ValueError:
                        yield {}  # a damaged line: counted as unusable, never guessed at
                        continue
                    yield record if isinstance(record, dict) else {}
        except OSError as exc:
            raise HistoryCliError(f"無法讀取稽核紀錄 {path}：{exc.strerror or exc}") from None


def cmd_import(args: argparse.Namespace) -> int:
    return _run(_import, args)


def _import(args: argparse.Namespace) -> int:
    from dlp.errors import PackError, PackErrors
    from dlp.store.history_import import import_records

    settings = _settings(args)
    paths = _audit_files(args, settings)
    try:
        policy = _policy(settings)
    except (PackError, PackErrors) as exc:
        raise HistoryCliError(f"政策檔有誤：{str(exc).splitlines()[0]}") from None
    history = open_history(args)
    try:
        source = args.source or str(Path(paths[-1]).resolve())
        result = import_records(history, _records(paths), policy, source)
    except ValueError as exc:
        raise HistoryCliError(str(exc)) from None
    finally:
        history.store.close()
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(f"讀取 {result.read} 筆，匯入 {result.imported} 筆決策；略過：先前已匯入 {result.already_imported}、"
              f"即時記錄已涵蓋 {result.learned_live}、超過保存期限 {result.too_old}、未送出（暫緩或阻擋）{result.not_sent}、"
              f"非決策紀錄 {result.not_decisions}、無法使用 {result.unusable}")
    return 0


def cmd_forget(args: argparse.Namespace) -> int:
    return _run(_forget, args)


def _forget(args: argparse.Namespace) -> int:
    if not args.person.strip():
        raise HistoryCliError("請指定要刪除的人（電子郵件地址、帳號，或其 64 位十六進位雜湊）")
    history = open_history(args)
    try:
        hashes = sorted(history.hashes_of(args.person))
        counts = history.forget(args.person, as_recipient=not args.only_as_sender)
    finally:
        history.store.close()
    _audit_event(args, "history_forget", subject_sha256=hashes, deleted=counts, as_recipient=not args.only_as_sender)
    if args.json:
        print(json.dumps({"subject_sha256": hashes, "deleted": counts}, ensure_ascii=False, indent=2))
    else:
        print(f"已刪除：寄件月份 {counts['sender_months']} 筆、寄出紀錄 {counts['sent_to']} 筆、"
              f"作為收件者的紀錄 {counts['received_from']} 筆、機關信箱帳號 {counts['address']} 筆")
    return 0


def _audit_event(args: argparse.Namespace, event: str, **detail: Any) -> None:
    """The erasure is itself on record (hashes only) in the service's audit log, when there is one."""
    from dlp.audit import event_record

    settings = _settings(args)
    path = Path(settings.audit_log)
    if not path.parent.exists():
        return
    try:
        settings.open_audit_log().append(event_record(event, "cli-" + secrets.token_hex(8), None,
                                                      actor=_actor(), **detail))
    except OSError as exc:
        print(f"注意：刪除已完成，但稽核紀錄無法寫入（{exc}）", file=sys.stderr)


def _actor() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USER", "unknown")


def cmd_show(args: argparse.Namespace) -> int:
    return _run(_show, args)


def _show(args: argparse.Namespace) -> int:
    history = open_history(args)
    try:
        doc = history.show(args.person)
    finally:
        history.store.close()
    if args.json:
        print(json.dumps(doc, ensure_ascii=False, indent=2, default=str))
        return 0
    print(f"寄件者雜湊：{', '.join(h[:16] + '…' for h in doc['sender_sha256'])}")
    total = sum(m["messages"] for m in doc["months"])
    print(f"寄出訊息：{total} 則（{len(doc['months'])} 個月份）；作為收件者：{doc['received_messages']} 則")
    for d in doc["destinations"]:
        print(f"  {d['destination_sha256'][:16]}…  {d['kind']:<5} {d['domain'] or '-':<24} {d['messages']:>5} 則  "
              f"{d['first_seen']}～{d['last_seen']}  最高密等 {d['max_level']}  識別碼 {d['identifier_messages']}  "
              f"特種 {d['special_messages']}")
    return 0


def cmd_prune(args: argparse.Namespace) -> int:
    return _run(_prune, args)


def _prune(args: argparse.Namespace) -> int:
    from dlp.errors import PackError, PackErrors

    try:
        config = _policy(_settings(args)).config.misdirection
    except (PackError, PackErrors) as exc:
        raise HistoryCliError(f"政策檔有誤：{str(exc).splitlines()[0]}") from None
    if config is None:
        raise HistoryCliError("政策檔沒有 misdirection 區段，不知道保存期限")
    history = open_history(args)
    try:
        counts = history.prune(config.retention_days)
    finally:
        history.store.close()
    print(f"保存期限 {config.retention_days} 天；已刪除 " + "、".join(f"{k} {v} 筆" for k, v in counts.items()))
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    return _run(_stats, args)


def _stats(args: argparse.Namespace) -> int:
    history = open_history(args)
    try:
        counts = history.counts()
    finally:
        history.store.close()
    print(json.dumps(counts, indent=2) if args.json else "\n".join(f"{k}: {v}" for k, v in counts.items()))
    return 0
