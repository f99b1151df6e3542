"""``Idempotency-Key``: a retried request is decided and audited once.

The SDK sends one key per message and keeps it across its retries. For a ``POST /v1/...``
carrying one, the first request runs and its 200 answer is kept (``ttl`` seconds); a repeat
with the same key, credentials, path and body gets that answer again with
``Idempotent-Replayed: true`` — no second scan, no second audit record. The same key with
another body is refused (422); a repeat that arrives while the first is still running waits
for it (then 409 if it is still not done). Only 200 answers are kept: after a 4xx or 5xx a
retry runs again.

The store is a small SQLite file in the run directory that the workers of one ``dlp serve``
share (so a retry landing on another worker is still recognised); without a run directory,
in memory. It is a cache: losing it can only mean a retried request is audited twice.
Keys are scoped by a hash of the ``Authorization`` header: one caller never sees another's
answer. A request body over the service's limit passes through untouched (it gets its 413).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")
STALE_SECONDS = 60.0  # a pending row older than this belongs to a worker that died


class IdempotencyStore:
    """(scope key, body hash) -> the kept answer, shared through SQLite."""

    def __init__(self, path: str | None, ttl: float = 600.0, max_body: int = 1024 * 1024):
        self.ttl = ttl
        self.max_body = max_body
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path or ":memory:", timeout=5.0, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=OFF")  # a cache: a lost row costs a second audit record, no more
        self._db.execute("CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, body_sha TEXT NOT NULL, "
                         "state TEXT NOT NULL, status INTEGER, headers TEXT, body BLOB, created REAL NOT NULL)")
        self._ops = 0

    def begin(self, key: str, body_sha: str) -> tuple[str, tuple[int, list[list[str]], bytes] | None]:
        """``execute`` (this request owns the key now), ``replay`` with the kept answer,
        ``mismatch`` (same key, other body) or ``busy`` (the first is still running)."""
        now = time.time()
        with self._lock:
            self._ops += 1
            if self._ops % 256 == 0:
                self._db.execute("DELETE FROM answers WHERE created < ?", (now - self.ttl,))
            self._db.execute("BEGIN IMMEDIATE")
            try:
                row = self._db.execute("SELECT body_sha, state, status, headers, body, created FROM answers WHERE key = ?",
                                       (key,)).fetchone()
                fresh = row is not None and row[5] >= now - self.ttl
                if row is None or not fresh or (row[1] == "pending" and row[5] < now - STALE_SECONDS):
                    self._db.execute("INSERT OR REPLACE INTO answers (key, body_sha, state, created) VALUES (?, ?, 'pending', ?)",
                                     (key, body_sha, now))
                    return "execute", None
                if row[1] == "pending":
                    return "busy", None
                if row[0] != body_sha:
                    return "mismatch", None
                return "replay", (int(row[2]), json.loads(row[3]), bytes(row[4]))
            finally:
                self._db.execute("COMMIT")

    def complete(self, key: str, status: int, headers: list[list[str]], body: bytes) -> None:
        if len(body) > self.max_body:
            self.abandon(key)
            return
        with self._lock:
            self._db.execute("UPDATE answers SET state = 'done', status = ?, headers = ?, body = ? WHERE key = ?",
                             (status, json.dumps(headers), body, key))

    def abandon(self, key: str) -> None:
        with self._lock:
            self._db.execute("DELETE FROM answers WHERE key = ? AND state = 'pending'", (key,))


def _error(status: int, code: str, message: str) -> tuple[int, list[list[str]], bytes]:
    body = json.dumps({"error": {"code": code, "message": message}}, ensure_ascii=False).encode("utf-8")
    return status, [["content-type", "application/json"]], body


class IdempotencyMiddleware:
    """ASGI layer over the service; see the module docstring."""

    def __init__(self, app: ASGIApp, prefix: str = "/v1/", wait_seconds: float = 10.0):
        self.app = app
        self.prefix = prefix
        self.wait_seconds = wait_seconds
        self._store: IdempotencyStore | None = None
        self._max_body = 0

    def _setup(self, scope: Scope) -> IdempotencyStore:
        if self._store is None:
            settings = scope["app"].state.settings
            path = str(Path(settings.run_dir) / "idempotency.sqlite3") if settings.run_dir else None
            self._max_body = settings.max_body_bytes
            self._store = IdempotencyStore(path)
        return self._store

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "POST" or not scope.get("path", "").startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        given = headers.get("idempotency-key")
        if given is None:
            await self.app(scope, receive, send)
            return
        if not _KEY.match(given):
            await _send(send, *_error(400, "bad_idempotency_key",
                                      "Idempotency-Key 必須是 1 至 255 個可見的 ASCII 字元 (invalid Idempotency-Key)"))
            return
        store = self._setup(scope)
        chunks, complete, receive = await _buffer(receive, self._max_body)
        if not complete:  # over the body limit: let the app refuse it
            await self.app(scope, receive, send)
            return
        body = b"".join(chunks)
        scope_key = hashlib.sha256("\0".join((headers.get("authorization", ""), scope["path"], given)).encode()).hexdigest()
        body_sha = hashlib.sha256(body).hexdigest()
        deadline = time.monotonic() + self.wait_seconds
        while True:
            state, kept = store.begin(scope_key, body_sha)
            if state != "busy" or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.02)
        if state == "replay":
            assert kept is not None
            status, stored_headers, stored_body = kept
            await _send(send, status, [*stored_headers, ["idempotent-replayed", "true"]], stored_body)
        elif state == "mismatch":
            await _send(send, *_error(422, "idempotency_key_reused",
                                      "這個 Idempotency-Key 已用於內容不同的請求 (Idempotency-Key reused with another body)"))
        elif state == "busy":
            await _send(send, *_error(409, "idempotency_in_progress",
                                      "相同 Idempotency-Key 的請求仍在處理中 (a request with this key is still running)"))
        else:
            await self._execute(scope, receive, send, store, scope_key)

    async def _execute(self, scope: Scope, receive: Receive, send: Send, store: IdempotencyStore, key: str) -> None:
        captured: dict[str, Any] = {"status": 0, "headers": [], "body": []}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                captured["status"] = message["status"]
                captured["headers"] = [[k.decode("latin-1"), v.decode("latin-1")] for k, v in message.get("headers", [])
                                       if k.lower() not in (b"content-length", b"date", b"server")]
            elif message["type"] == "http.response.body":
                captured["body"].append(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, capture)
        except BaseException:
            store.abandon(key)
            raise
        if captured["status"] == 200:
            store.complete(key, 200, captured["headers"], b"".join(captured["body"]))
        else:
            store.abandon(key)


async def _buffer(receive: Receive, limit: int) -> tuple[list[bytes], bool, Receive]:
    """Read the body up to ``limit`` bytes; returns the chunks, whether it ended, and a receive
    that replays them before reading on."""
    chunks: list[bytes] = []
    size = 0
    more = True
    while more and size <= limit:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        chunks.append(chunk)
        size += len(chunk)
        more = message.get("more_body", False)
    queue = list(chunks)
    ended = not more

    async def replay() -> Message:
        if queue:
            chunk = queue.pop(0)
            return {"type": "http.request", "body": chunk, "more_body": bool(queue) or not ended}
        return await receive()  # the rest of the body, or (once it ended) the disconnect

    return chunks, ended and size <= limit, replay


async def _send(send: Send, status: int, headers: list[list[str]], body: bytes) -> None:
    raw = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers]
    raw.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})
