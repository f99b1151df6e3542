"""What a console needs: its store, the audit trail, the packs directory, the mail queue."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dlp.gateways.mail.quarantine import HoldQueue, default_queue


@dataclass
class ConsoleConfig:
    store: Any                                   # dlp.store.IncidentStore
    audit: Any                                   # service.console.audit_adapter.ConsoleAudit
    patterns_dir: Path
    corpus_path: Path | None = None              # default: <patterns_dir>/eval/false_positives.jsonl
    #: the mail gateway's hold queue (``dlp.gateways.mail.quarantine``: the one release/drop)
    quarantine: HoldQueue = field(default_factory=default_queue)
    #: The loaded scanner's packs and policy (rule ids, modes, review policy, labels).
    scanner: Callable[[], Any] = lambda: None
    #: Called after the suppressions file changed, so that the next scan honours it.
    reload: Callable[[], Any] | None = None
    secure_cookies: bool = False
    session_hours: float = 8.0
    idle_minutes: float = 30.0
    prefix: str = "/console"

    @property
    def corpus(self) -> Path:
        return self.corpus_path or self.patterns_dir / "eval" / "false_positives.jsonl"
