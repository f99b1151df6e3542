"""Releasing or dropping a held mail, behind one small interface.

``PostfixQuarantine`` runs ``postsuper -H`` (+ ``postqueue -i`` to deliver at once) and
``postsuper -d``, the same operations as ``dlp quarantine release|drop`` of the mail gateway.
``RecordingQuarantine`` only records what it was asked (a console without a mail queue, tests).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from typing import Protocol

_QUEUE_ID = re.compile(r"^[0-9A-Za-z]{5,32}$")


class QuarantineError(Exception):
    """The queue could not do it; the message is for people (Chinese)."""


class QuarantineBackend(Protocol):
    name: str

    def release(self, incident_id: str, queue_id: str) -> None: ...

    def drop(self, incident_id: str, queue_id: str) -> None: ...


def _check(queue_id: str) -> str:
    if not _QUEUE_ID.match(queue_id or ""):
        raise QuarantineError(f"佇列編號格式不正確：{queue_id!r}")
    return queue_id


class PostfixQuarantine:
    name = "postfix"

    def __init__(self, config_dir: str | None = None, timeout: float = 60.0):
        self.config_dir = config_dir
        self.timeout = timeout

    def _run(self, command: str, *args: str) -> str:
        path = shutil.which(command) or f"/usr/sbin/{command}"
        argv = [path, *(["-c", self.config_dir] if self.config_dir else []), *args]
        try:
            done = subprocess.run(argv, capture_output=True, text=True, timeout=self.timeout, check=False)
        except FileNotFoundError:
            raise QuarantineError(f"找不到 {command}：這台主機沒有安裝 Postfix") from None
        except subprocess.TimeoutExpired:
            raise QuarantineError(f"{command} 逾時") from None
        if done.returncode != 0:
            raise QuarantineError(f"{command} {' '.join(args)} 失敗：{(done.stderr or done.stdout).strip()[:300]}")
        return done.stderr + done.stdout

    def _changed(self, output: str, what: str, queue_id: str) -> None:
        # postsuper exits 0 even when the id matched nothing; it says how many it moved.
        m = re.search(rf"{what}:\s*(\d+)\s+message", output)
        if not m or int(m.group(1)) < 1:
            raise QuarantineError(f"postsuper 沒有處理任何郵件：佇列編號 {queue_id} 不在暫緩佇列（hold）中")

    def release(self, incident_id: str, queue_id: str) -> None:
        self._changed(self._run("postsuper", "-H", _check(queue_id)), "Released from hold", queue_id)
        self._run("postqueue", "-i", queue_id)

    def drop(self, incident_id: str, queue_id: str) -> None:
        self._changed(self._run("postsuper", "-d", _check(queue_id), "hold"), "Deleted", queue_id)


@dataclass
class RecordingQuarantine:
    name: str = "recording"
    calls: list[tuple[str, str, str]] = field(default_factory=list)

    def release(self, incident_id: str, queue_id: str) -> None:
        self.calls.append(("release", incident_id, queue_id))

    def drop(self, incident_id: str, queue_id: str) -> None:
        self.calls.append(("drop", incident_id, queue_id))


class NoQuarantine:
    name = "none"

    def release(self, incident_id: str, queue_id: str) -> None:
        raise QuarantineError("此主控台沒有設定郵件佇列（Postfix），無法放行")

    def drop(self, incident_id: str, queue_id: str) -> None:
        raise QuarantineError("此主控台沒有設定郵件佇列（Postfix），無法刪除")


def default_backend(config_dir: str | None = None) -> QuarantineBackend:
    return PostfixQuarantine(config_dir) if shutil.which("postsuper") or shutil.which("/usr/sbin/postsuper") else NoQuarantine()
