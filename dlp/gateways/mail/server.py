"""``dlp milter``: load the decider, listen, serve every MTA connection until SIGTERM."""

from __future__ import annotations

import logging
import signal
import socket
from dataclasses import dataclass
from typing import Any

import anyio

from dlp.gateways.mail.gateway import GatewayConfig, MailGateway
from dlp.gateways.mail.listen import SocketSpec, open_listener, parse_socket_spec
from dlp.gateways.mail.notices import NoticeTexts, load_notice_texts
from dlp.gateways.mail.outbox import NoticeOutbox
from dlp.gateways.mail.protocol import serve_connection
from dlp.gateways.mail.scanning import Decider, LocalDecider
from dlp.gateways.mail.shared import AuditLog, audit_hmac_key, audit_salt, freeze_heap, warm_up
from dlp.store import IncidentRecorder, IncidentStore, default_database_url
from dlp.store.history import open_history

log = logging.getLogger("dlp.milter")


@dataclass(frozen=True)
class MilterOptions:
    listen: str = "inet:127.0.0.1:8899"
    socket_mode: int = 0o660
    service_url: str | None = None
    service_key: str | None = None
    service_timeout: float = 30.0
    patterns_dir: str | None = None
    policy_path: str | None = None
    scan_threads: int = 2
    budget_seconds: float = 60.0
    max_message_bytes: int = 64 * 1024 * 1024
    audit_log: str = "var/audit.jsonl"
    audit_max_bytes: int = 64 * 1024 * 1024
    audit_fsync: bool = False
    audit_salt: str = ""
    #: where the salt (``audit-salt``) and the HMAC key live: the service's keys directory
    secrets_dir: str = "var"
    audit_hmac: bool = False
    audit_hmac_key_file: str | None = None
    notices: bool = True
    notice_smtp: str = "127.0.0.1:25"
    notice_from: str = ""
    notice_texts: str | None = None
    metrics_listen: str | None = None
    #: the incident store (in-process mode; with ``service_url`` the service records)
    database_url: str | None = None


def host_port(value: str, default_port: int) -> tuple[str, int]:
    host, sep, port = value.rpartition(":")
    if not sep:
        return value, default_port
    if not port.isdigit():
        raise ValueError(f"無效的位址：{value!r}（例：127.0.0.1:25）")
    return host.strip("[]") or "127.0.0.1", int(port)


def open_store(opts: MilterOptions) -> IncidentStore | None:
    """In-process: the incident store, as ``dlp serve`` opens it (same default: an SQLite file
    beside the audit log); None with ``--service`` (the service records). Raises ``StoreError``."""
    if opts.service_url:
        return None
    return IncidentStore.open(opts.database_url or default_database_url(opts.audit_log))


def open_recorder(store: IncidentStore | None, salt: str) -> IncidentRecorder | None:
    """The recorder every in-process decision goes through, with the store's destination history."""
    # learns written behind, lookups cached (dlp.store.history_buffer); written at exit (run, atexit)
    return IncidentRecorder(store, history=open_history(store, salt, buffered=True)) if store is not None else None


def make_decider(opts: MilterOptions, recorder: IncidentRecorder | None = None) -> Decider:
    if opts.service_url:
        from dlp.gateways.mail.service_client import ServiceDecider

        return ServiceDecider(opts.service_url, opts.service_key or "", timeout=min(opts.service_timeout, opts.budget_seconds))
    from dlp.scanner import Scanner
    scanner = Scanner(patterns_dir=opts.patterns_dir, policy_path=opts.policy_path)
    warm_up()
    freeze_heap()
    return LocalDecider(scanner, opts.scan_threads, history=recorder.history if recorder is not None else None)


def trail_salt(opts: MilterOptions) -> str:
    """The service's salt: one trail, whoever writes it (SecretFileError, an OSError, when unusable)."""
    return audit_salt(opts.secrets_dir, opts.audit_salt)


def make_gateway(opts: MilterOptions, decider: Decider, texts: NoticeTexts | None,
                 recorder: IncidentRecorder | None = None) -> tuple[MailGateway, NoticeOutbox | None]:
    # The service's salt and (when keyed) HMAC key: one trail, whoever writes it. Refuses to start
    # (SecretFileError, an OSError) with an empty salt or an unreadable key.
    salt = trail_salt(opts)
    hmac_key = audit_hmac_key(opts.secrets_dir, opts.audit_hmac_key_file) if opts.audit_hmac else None
    audit = AuditLog(opts.audit_log, opts.audit_max_bytes, opts.audit_fsync, hmac_key=hmac_key)
    config = GatewayConfig(budget_seconds=opts.budget_seconds, audit_salt=salt,
                           notice_from=opts.notice_from or f"postmaster@{socket.getfqdn()}")
    if texts is None:
        return MailGateway(decider, audit, config, recorder=recorder), None
    gateway = MailGateway(decider, audit, config, texts=texts, recorder=recorder)
    host, port = host_port(opts.notice_smtp, 25)
    gateway.outbox = NoticeOutbox(host, port, on_result=gateway.notice_result)
    return gateway, gateway.outbox


async def serve(opts: MilterOptions, gateway: MailGateway, outbox: NoticeOutbox | None, spec: SocketSpec) -> None:
    listener = await open_listener(spec, opts.socket_mode)

    async def handle(stream: Any) -> None:
        await serve_connection(stream, gateway, opts.max_message_bytes)

    async with anyio.create_task_group() as tg:
        tg.start_soon(_on_signals, tg.cancel_scope, gateway)
        if outbox is not None:
            tg.start_soon(outbox.run)
        log.info("listening on %s (mode %s)", spec, gateway.decider.mode)
        await listener.serve(handle, tg)


async def _on_signals(scope: anyio.CancelScope, gateway: MailGateway) -> None:
    """SIGTERM/SIGINT stop; SIGHUP reloads packs and policy (a bad set is refused, the old stays)."""
    with anyio.open_signal_receiver(signal.SIGTERM, signal.SIGINT, signal.SIGHUP) as signals:
        async for signum in signals:
            if signum == signal.SIGHUP:
                await gateway.reload()
                continue
            log.info("signal %s: stopping (open sessions are dropped; Postfix tempfails them)", signum)
            scope.cancel()
            return


def run(opts: MilterOptions) -> None:
    spec = parse_socket_spec(opts.listen)
    texts = load_notice_texts(opts.notice_texts) if opts.notices else None  # a bad file stops us before the slow part
    store = open_store(opts)  # a store that cannot be opened stops us here too
    recorder = open_recorder(store, trail_salt(opts))
    decider = make_decider(opts, recorder)
    gateway, outbox = make_gateway(opts, decider, texts, recorder)
    if opts.metrics_listen:
        from prometheus_client import start_http_server

        host, port = host_port(opts.metrics_listen, 9899)
        start_http_server(port, addr=host)
    try:
        anyio.run(serve, opts, gateway, outbox, spec)
    finally:
        if recorder is not None and hasattr(recorder.history, "close"):
            recorder.history.close()
