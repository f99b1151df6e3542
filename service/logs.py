"""The service's log lines: one format for every logger (text, or JSON lines), and the access log.

``logging_config`` is a ``logging.config.dictConfig`` document; ``dlp serve`` hands it to uvicorn
(``log_config``), which applies it in the main process and again in every worker process, so
uvicorn's own lines, ours and presidio's all come out in the same format on stderr.

The access log (logger ``dlp.access``) has one line per request: method, path, status, duration,
request id and key id. Never the body, the query string (envelope addresses) or the key itself;
a path that no route knows is written as ``-`` (it is whatever the client typed).
"""

from __future__ import annotations

import logging
import logging.config
from typing import Any

ACCESS = logging.getLogger("dlp.access")
LOG_FORMATS = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
#: Fields every JSON line starts with (renamed: time, level, logger, message); ``extra`` fields follow.
JSON_FIELDS = ["asctime", "levelname", "name", "message"]
ACCESS_FIELDS = ("method", "path", "status", "duration_ms", "request_id", "key_id")


def logging_config(log_format: str = "text", level: str = "info") -> dict[str, Any]:
    """Root on stderr in ``log_format``; uvicorn's loggers hand their records to the root."""
    if log_format not in LOG_FORMATS:
        raise ValueError(f"記錄格式 {log_format!r} 無效，請用 {' 或 '.join(LOG_FORMATS)} (DLP_LOG_FORMAT / --log-format)")
    formatter: dict[str, Any] = {"format": TEXT_FORMAT}
    if log_format == "json":
        formatter = {"()": "service.logs.json_formatter"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"dlp": formatter},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "dlp", "stream": "ext://sys.stderr"}},
        "root": {"handlers": ["stderr"], "level": level.upper()},
        "loggers": {
            **{name: {"handlers": [], "propagate": True} for name in ("uvicorn", "uvicorn.error", "uvicorn.access")},
            "alembic.runtime.plugins": {"level": "WARNING"},  # seven "setup plugin" lines at every start
        },
    }


def json_formatter() -> logging.Formatter:
    """python-json-logger's formatter: time, level, logger, message, then the record's ``extra``."""
    from pythonjsonlogger.core import RESERVED_ATTRS
    from pythonjsonlogger.json import JsonFormatter

    return JsonFormatter(JSON_FIELDS, json_ensure_ascii=False, reserved_attrs=[*RESERVED_ATTRS, "color_message"],
                         rename_fields={"asctime": "time", "levelname": "level", "name": "logger"})


def chosen_format(option: str | None) -> str:
    """``--log-format`` when given, else ``$DLP_LOG_FORMAT``, else text (for the gateways' commands)."""
    import os

    return option or os.environ.get("DLP_LOG_FORMAT", "").strip() or "text"


def configure(log_format: str = "text", level: str = "info") -> None:
    """Apply ``logging_config`` in this process; warnings and jieba's lines go through it too."""
    logging.config.dictConfig(logging_config(log_format, level))
    logging.captureWarnings(True)
    # jieba gives its logger a stderr handler of its own when imported: its lines would bypass
    # the format (a plain-text line in a JSON log). Import it now and send its records to the root.
    try:
        import jieba  # noqa: F401 - imported for its logger
    except ImportError:  # pragma: no cover - jieba is a dependency
        return
    jieba_log = logging.getLogger("jieba")
    for handler in list(jieba_log.handlers):
        jieba_log.removeHandler(handler)
    jieba_log.propagate = True


def log_request(method: str, path: str, status: int, duration_ms: float, request_id: str, key_id: str | None) -> None:
    """One access-log line (the fields also travel as ``extra``: keys of their own in JSON)."""
    fields = {"method": method, "path": path, "status": status, "duration_ms": round(duration_ms, 1),
              "request_id": request_id, "key_id": key_id or "-"}
    ACCESS.info("%s %s %d %.1fms request_id=%s key_id=%s", method, path, status, fields["duration_ms"], request_id,
                fields["key_id"], extra=fields)
