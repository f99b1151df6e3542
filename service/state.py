"""The worker's scanner: loaded once at start-up, reloaded on request, kept in step across workers.

``POST /v1/patterns/reload`` reaches one worker. After a successful reload that worker writes a
*reload stamp* in the run directory shared by the workers of one ``dlp serve``; the others poll
it (every ``reload_poll_seconds``) and reload too, so all workers converge on the new set.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from pathlib import Path
from typing import Any

from dlp.errors import PackError, PackErrors
from dlp.heap import freeze_heap
from service import metrics
from service.settings import Settings

log = logging.getLogger("dlp.service")


def pack_errors(exc: Exception) -> list[dict[str, Any]]:
    if isinstance(exc, (PackErrors, PackError)):
        out = exc.to_dict()
        return out if isinstance(out, list) else [out]
    return [{"file": None, "rule": None, "reason": f"{type(exc).__name__}: {exc}"}]


def warm_up() -> None:
    """Build normalisation tables and load jieba now, not on the first message."""
    for name in ("dlp.normalize", "dlp.tokenize"):
        try:
            module = __import__(name, fromlist=["warm_up"])
        except ImportError:
            continue
        fn = getattr(module, "warm_up", None)
        if fn is not None:
            fn()


class ScannerHolder:
    """Owns the Scanner of this worker and says whether it is ready."""

    def __init__(self, settings: Settings, scanner: Any = None):
        self.settings = settings
        self.scanner = scanner
        self.error: list[dict[str, Any]] | None = None
        self.loading = scanner is None
        self._reload_lock = threading.Lock()
        self.generation = self._read_stamp()[0]
        if scanner is not None:
            metrics.set_patterns_version(None, scanner.packset.version)
            metrics.READY.set(1)

    @property
    def ready(self) -> bool:
        return self.scanner is not None

    @property
    def version(self) -> str | None:
        return self.scanner.packset.version if self.scanner is not None else None

    def load(self) -> None:
        """Start-up: packs, policy, then jieba. Runs in a thread; errors leave the worker not ready."""
        from dlp.scanner import Scanner

        started = time.perf_counter()
        try:
            scanner = Scanner(patterns_dir=self.settings.patterns_dir, policy_path=self.settings.policy_path)
            warm_up()
        except Exception as exc:  # noqa: BLE001 - reported by /readyz
            self.error = pack_errors(exc)
            self.loading = False
            log.error("patterns failed to load: %s", exc)
            return
        self.scanner = scanner
        self.loading = False
        self.error = None
        freeze_heap()
        metrics.set_patterns_version(None, scanner.packset.version)
        metrics.READY.set(1)
        log.info("worker %d ready: patterns %s in %.2fs", os.getpid(), scanner.packset.version, time.perf_counter() - started)

    def reload(self, announce: bool = True) -> tuple[str | None, str]:
        """Reload from disk; raises PackErrors/PackError and keeps the old set on failure."""
        if self.scanner is None:
            raise RuntimeError("scanner not loaded")
        with self._reload_lock:
            old = self.scanner.packset.version
            try:
                state = self.scanner.reload()
            except Exception as exc:
                metrics.RELOADS.labels("refused").inc()
                problems = pack_errors(exc)
                log.warning("patterns reload refused, still serving patterns %s: %s", old,
                            "; ".join(f"{p.get('file')} {p.get('rule') or '-'}: {p.get('reason')}" for p in problems),
                            extra={"event": "reload", "result": "refused", "patterns_version": old, "errors": problems})
                raise
            metrics.RELOADS.labels("ok").inc()
            log.info("patterns reloaded: %s -> %s (policy %s; %s)", old, state.version, state.policy_version,
                     ", ".join(f"{p.file} {p.sha256[:16]}" for p in state.packset.packs),
                     extra={"event": "reload", "result": "ok", "previous_version": old, "patterns_version": state.version,
                            "policy_version": state.policy_version,
                            "packs": [{"file": p.file, "sha256": p.sha256} for p in state.packset.packs]})
            metrics.set_patterns_version(old, state.version)
            freeze_heap(after_reload=True)
            if announce:
                self.generation = self._write_stamp(state.version)
            return old, state.version

    # -- cross-worker reload --------------------------------------------------------------------
    @property
    def _stamp_path(self) -> Path | None:
        return Path(self.settings.run_dir) / "reload-stamp.json" if self.settings.run_dir else None

    def _read_stamp(self) -> tuple[int, str | None]:
        path = self._stamp_path
        if path is None:
            return 0, None
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            return int(doc["generation"]), str(doc.get("version"))
        except (OSError, ValueError, KeyError, TypeError):
            return 0, None

    def _write_stamp(self, version: str) -> int:
        path = self._stamp_path
        if path is None:
            return self.generation + 1
        generation = max(self._read_stamp()[0], self.generation) + 1
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"generation": generation, "version": version, "pid": os.getpid()}), encoding="utf-8")
        os.replace(tmp, path)
        return generation

    def follow_stamp(self) -> bool:
        """Reload if another worker announced a newer set; True when this worker reloaded."""
        generation, _ = self._read_stamp()
        if generation <= self.generation or self.scanner is None:
            return False
        self.generation = generation
        try:
            self.reload(announce=False)
        except Exception as exc:  # noqa: BLE001 - the files changed again since; keep serving
            log.error("worker %d could not follow reload %d: %s", os.getpid(), generation, exc)
            return False
        return True
