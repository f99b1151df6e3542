"""Service settings: defaults, overridden by ``DLP_*`` environment variables (what workers inherit)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

MIB = 1024 * 1024

#: setting name -> environment variable
ENV_NAMES: dict[str, str] = {
    "patterns_dir": "DLP_PATTERNS_DIR",
    "policy_path": "DLP_POLICY",
    "keys_file": "DLP_KEYS_FILE",
    "env_keys": "DLP_API_KEYS",
    "audit_log": "DLP_AUDIT_LOG",
    "audit_max_bytes": "DLP_AUDIT_MAX_BYTES",
    "audit_fsync": "DLP_AUDIT_FSYNC",
    "audit_salt": "DLP_AUDIT_SALT",
    "audit_hmac": "DLP_AUDIT_HMAC",
    "audit_hmac_key_file": "DLP_AUDIT_HMAC_KEY_FILE",
    "max_body_bytes": "DLP_MAX_BODY_BYTES",
    "max_header_bytes": "DLP_MAX_HEADER_BYTES",
    "scan_threads": "DLP_SCAN_THREADS",
    "large_scan_threads": "DLP_LARGE_SCAN_THREADS",
    "large_request_bytes": "DLP_LARGE_REQUEST_BYTES",
    "inline_scan_bytes": "DLP_INLINE_SCAN_BYTES",
    "small_queue": "DLP_SMALL_QUEUE",
    "large_queue": "DLP_LARGE_QUEUE",
    "queue_timeout_seconds": "DLP_QUEUE_TIMEOUT_SECONDS",
    "key_concurrency": "DLP_KEY_CONCURRENCY",
    "key_large_concurrency": "DLP_KEY_LARGE_CONCURRENCY",
    "run_dir": "DLP_RUN_DIR",
    "reload_poll_seconds": "DLP_RELOAD_POLL_SECONDS",
    "database_url": "DLP_DATABASE_URL",  # incident store (issue 16)
    "history_cache_seconds": "DLP_HISTORY_CACHE_SECONDS",  # issue 14: dlp.store.history_buffer
    "history_linger_seconds": "DLP_HISTORY_LINGER_SECONDS",
    "history_max_queued": "DLP_HISTORY_MAX_QUEUED",
    "console": "DLP_CONSOLE",
    "log_format": "DLP_LOG_FORMAT",
    "docs": "DLP_DOCS",
}


@dataclass(frozen=True)
class Settings:
    """Everything the app needs to know; immutable once built."""

    #: Pattern packs; None = the bundled ``patterns/``.
    patterns_dir: str | None = None
    #: Policy file; None = ``policy.yaml`` beside the packs.
    policy_path: str | None = None
    #: JSON file of hashed API keys (``dlp keys add`` writes it).
    keys_file: str = "var/keys.json"
    #: Extra keys from the environment: ``id:scope[+scope]:key,...`` (kept only as hashes).
    env_keys: str = field(default="", repr=False)
    #: JSON Lines audit log; rotated files get ``.1``, ``.2``... suffixes.
    audit_log: str = "var/audit.jsonl"
    audit_max_bytes: int = 64 * MIB
    audit_fsync: bool = False
    #: Salt for the hashes of addresses in the audit log (keeps them comparable, not readable);
    #: empty: the ``audit-salt`` file in the keys directory, made on first start.
    audit_salt: str = field(default="", repr=False)
    #: Chain the audit log with HMAC-SHA256 (key: ``audit-hmac.key`` in the keys directory).
    audit_hmac: bool = False
    audit_hmac_key_file: str | None = None
    #: Largest request body accepted; bigger ones get 413 while being read.
    max_body_bytes: int = 30 * MIB
    #: Largest request line + headers; bigger ones get 431 while being read (service.http).
    max_header_bytes: int = 64 * 1024
    #: Scan threads per worker for small requests (≤ large_request_bytes), and for large ones.
    scan_threads: int = 4
    large_scan_threads: int = 1
    large_request_bytes: int = 256 * 1024
    #: A JSON scan or chat check of at most this many bytes, without attachments, is decided on
    #: the worker's event loop itself, not in a scan thread: the hop (and the GIL handoffs it
    #: brings) cost a 1 KB chat message about a quarter of its CPU. 0: always a thread. Never
    #: with ``audit_fsync`` (the fsync would stall the loop).
    inline_scan_bytes: int = 4096
    #: Requests that may wait for a thread, per lane and worker; more get 503 with Retry-After.
    small_queue: int = 256
    large_queue: int = 8
    #: A request that waited this long for a thread gets 503 with Retry-After.
    queue_timeout_seconds: float = 30.0
    #: Requests (all, and large ones) one API key may have in flight per worker; more get 429.
    key_concurrency: int = 64
    key_large_concurrency: int = 4
    #: Directory shared by the workers of one ``dlp serve`` (reload stamp); None = single process.
    run_dir: str | None = None
    reload_poll_seconds: float = 1.0
    #: False: a worker loads packs before it accepts connections (a restarted worker takes no
    #: traffic until ready). True: it answers at once, /readyz says 503 until loaded.
    load_in_background: bool = False
    #: Incident store (service/console): None = SQLite ``incidents.sqlite3`` beside the audit log.
    database_url: str | None = field(default=None, repr=False)
    #: Destination history (misdirection guard): how long a worker keeps what it read (0: off;
    #: other workers' learns show after at most this long), how long its writer gathers learns
    #: for one transaction, and how many learns may wait to be written (more are dropped).
    history_cache_seconds: float = 5.0
    history_linger_seconds: float = 0.2
    history_max_queued: int = 20_000
    #: Mount the security team's console at /console.
    console: bool = False
    #: Log lines: ``text`` or ``json`` (one JSON object per line; service.logs).
    log_format: str = "text"
    #: Serve /openapi.json, /docs and /redoc (public on purpose: they describe the API, no data).
    docs: bool = True

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Defaults, then ``DLP_*`` variables, then ``overrides``."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        types = {f.name: f.type for f in fields(cls)}
        for name, var in ENV_NAMES.items():
            raw = env.get(var)
            if raw is None or raw == "":
                continue
            values[name] = _convert(raw, str(types[name]), var)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return replace(cls(), **values)

    def to_env(self) -> dict[str, str]:
        """The environment variables that reproduce these settings in a worker process."""
        out: dict[str, str] = {}
        for name, var in ENV_NAMES.items():
            value = getattr(self, name)
            if value is None:
                continue
            out[var] = ("1" if value else "0") if isinstance(value, bool) else str(value)
        return out

    def decides_inline(self, body_bytes: int) -> bool:
        """May a request body of this size be decided on the event loop (see ``inline_scan_bytes``)?"""
        return 0 < body_bytes <= self.inline_scan_bytes and not self.audit_fsync

    @property
    def audit_path(self) -> Path:
        return Path(self.audit_log)

    @property
    def secrets_dir(self) -> Path:
        """Where the audit salt and HMAC key live: beside the keys file."""
        return Path(self.keys_file).parent

    def audit_hmac_key(self) -> bytes | None:
        """The HMAC key of a keyed trail (``DLP_AUDIT_HMAC``), else None."""
        from dlp.audit import audit_hmac_key

        return audit_hmac_key(self.secrets_dir, self.audit_hmac_key_file) if self.audit_hmac else None

    def open_audit_log(self) -> Any:
        """The service's audit log as every writer must open it (one chain: same file, same key)."""
        from dlp.audit import AuditLog

        return AuditLog(self.audit_log, self.audit_max_bytes, self.audit_fsync, hmac_key=self.audit_hmac_key())


def _convert(raw: str, type_name: str, var: str) -> Any:
    try:
        if type_name.startswith("int"):
            return int(raw)
        if type_name.startswith("float"):
            return float(raw)
        if type_name.startswith("bool"):
            return raw.strip().lower() in ("1", "true", "yes", "on")
    except ValueError as exc:
        raise ValueError(f"環境變數 {var} 的值無效：{raw!r}") from exc
    return raw
