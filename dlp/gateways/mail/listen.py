"""Milter socket specs, as Postfix and Sendmail write them, and the listeners for them.

Accepted: ``inet:HOST:PORT`` (Postfix's form), ``inet:PORT@HOST`` (Sendmail's form),
``inet6:[::1]:PORT`` / ``inet6:PORT@::1``, and ``unix:/path`` (also ``local:/path``).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

import anyio
import anyio.abc


class BadSocketSpec(ValueError):
    pass


@dataclass(frozen=True)
class SocketSpec:
    kind: str  # "inet" | "unix"
    host: str = ""
    port: int = 0
    path: str = ""

    def __str__(self) -> str:
        if self.kind == "unix":
            return f"unix:{self.path}"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"inet:{host}:{self.port}"


def parse_socket_spec(spec: str) -> SocketSpec:
    scheme, sep, rest = spec.strip().partition(":")
    scheme = scheme.lower()
    if not sep or not rest:
        raise BadSocketSpec(f"無法辨識的 socket：{spec!r}（例：inet:127.0.0.1:8899 或 unix:/run/dlp/milter.sock）")
    if scheme in ("unix", "local"):
        if not rest.startswith("/"):
            raise BadSocketSpec(f"unix socket 需要絕對路徑：{spec!r}")
        return SocketSpec("unix", path=rest)
    if scheme not in ("inet", "inet6"):
        raise BadSocketSpec(f"不支援的 socket 類型 {scheme!r}（用 inet: 或 unix:）")
    if "@" in rest:  # Sendmail: PORT@HOST
        port_text, _, host = rest.partition("@")
    elif rest.startswith("["):  # [v6]:PORT
        host, _, port_text = rest[1:].partition("]:")
    else:
        host, _, port_text = rest.rpartition(":")
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise BadSocketSpec(f"socket 的連接埠無效：{spec!r}")
    return SocketSpec("inet", host=host or ("::1" if scheme == "inet6" else "127.0.0.1"), port=int(port_text))


async def open_listener(spec: SocketSpec, mode: int = 0o660) -> anyio.abc.Listener:
    """A listener for ``spec``; a stale UNIX socket left by a crash is replaced."""
    if spec.kind == "inet":
        return await anyio.create_tcp_listener(local_host=spec.host, local_port=spec.port, reuse_port=False)
    path = Path(spec.path)
    if path.exists() or path.is_symlink():
        if not stat.S_ISSOCK(path.lstat().st_mode):
            raise BadSocketSpec(f"{path} 已存在且不是 socket，不覆蓋")
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    listener = await anyio.create_unix_listener(path)
    os.chmod(path, mode)
    return listener
