"""uvicorn's httptools protocol with the size of a request's head bounded while it is read.

httptools keeps every byte of the request line and headers until they are complete (a 50 MB
header cost ~400 MB of RSS), and the app sees them only then, too late to refuse. Here each
chunk that arrives before the head is complete is counted; past ``DLP_MAX_HEADER_BYTES``
(default 64 KiB) the answer is 431 and the connection is closed, before any authentication,
with at most one read chunk (≤ 256 KiB) beyond the limit ever held.
"""

from __future__ import annotations

import json
import os
from typing import Any

import httptools
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

DEFAULT_MAX_HEADER_BYTES = 64 * 1024


def max_header_bytes() -> int:
    try:
        return max(1024, int(os.environ.get("DLP_MAX_HEADER_BYTES", DEFAULT_MAX_HEADER_BYTES)))
    except ValueError:
        return DEFAULT_MAX_HEADER_BYTES


class _HeadTooLarge(Exception):
    pass


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    """Refuses a request whose line and headers exceed the limit: 431, connection closed.

    Two counts: every chunk received while the head is incomplete (httptools holds those bytes
    before it reports a header, so this is what bounds memory), and the exact size of the
    request line and headers once parsed (a head that arrived in one chunk).
    """

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._limit = max_header_bytes()
        self._head_bytes = 0
        self._head_exact = 0
        self._in_body = False
        self._refused = False

    def data_received(self, data: bytes) -> None:
        # uvicorn's data_received, plus the two counts.
        if self._refused:
            return
        self._unset_keepalive_if_required()
        if not self._in_body:
            self._head_bytes += len(data)
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError:
            if self._refused:
                return
            msg = "Invalid HTTP request received."
            self.logger.warning(msg)
            self.send_400_response(msg)
            return
        except httptools.HttpParserUpgrade:
            if self._should_upgrade():
                self.handle_websocket_upgrade()
            else:
                self._unsupported_upgrade_warning()
            return
        # Still in the head after this chunk: all of it was head.
        if not self._in_body and self._head_bytes > self._limit and not self._refused:
            self._refuse()

    def on_message_begin(self) -> None:
        self._head_exact = 0
        super().on_message_begin()

    def on_url(self, url: bytes) -> None:
        self._head_exact += len(url)
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._head_exact += len(name) + len(value) + 4
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        if self._head_exact > self._limit:
            self._refuse()
            raise _HeadTooLarge  # stops the parser; data_received sees _refused and returns
        self._in_body = True
        self._head_bytes = 0
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._in_body = False

    def _refuse(self) -> None:
        self._refused = True
        body = json.dumps({"error": {"code": "headers_too_large",
                                     "message": f"請求的標頭超過 {self._limit} 位元組上限 (request line and headers over {self._limit} bytes)"},
                           "request_id": None}, ensure_ascii=False).encode("utf-8")
        head = (b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: application/json\r\n"
                b"content-length: " + str(len(body)).encode() + b"\r\nconnection: close\r\n\r\n")
        self.logger.warning("request head over %d bytes refused (431)", self._limit)
        self.transport.write(head + body)
        self.transport.close()


PROTOCOL = f"{__name__}:BoundedHttpToolsProtocol"
