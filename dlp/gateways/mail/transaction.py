"""One message as the MTA hands it to the milter: envelope, headers, body, macros."""

from __future__ import annotations

from dataclasses import dataclass, field

#: Our own headers; a sender's copies are removed so no one can forge a verdict.
OWN_HEADER_PREFIX = "x-dlp-"


def envelope_address(raw: bytes | str) -> str:
    """``<clerk@hl.gov.tw>`` -> ``clerk@hl.gov.tw``; the null sender ``<>`` -> ``""``."""
    text = raw.decode("utf-8", "surrogateescape") if isinstance(raw, bytes) else raw
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    return text.strip()


@dataclass
class MailTransaction:
    sender: str = ""  # "" is the null sender <>
    recipients: list[str] = field(default_factory=list)
    headers: list[tuple[str, bytes]] = field(default_factory=list)
    macros: dict[str, str] = field(default_factory=dict)
    max_bytes: int = 64 * 1024 * 1024
    _body: list[bytes] = field(default_factory=list)
    size: int = 0
    #: The message grew past ``max_bytes``; the rest was not kept.
    overflow: bool = False

    @property
    def queue_id(self) -> str | None:
        return self.macros.get("i") or None

    def add_header(self, name: str, value: bytes) -> None:
        self.size += len(name) + len(value) + 4
        self.headers.append((name, bytes(value)))

    def add_body(self, chunk: bytes | memoryview) -> None:
        if not chunk:
            return
        self.size += len(chunk)
        if self.size > self.max_bytes:
            self.overflow = True
            self._body.clear()
            return
        self._body.append(bytes(chunk))

    @property
    def body(self) -> bytes:
        return b"".join(self._body)

    def header(self, name: str) -> str | None:
        for n, v in self.headers:
            if n.lower() == name.lower():
                return v.decode("utf-8", "replace")
        return None

    def header_indexes(self, name: str) -> list[int]:
        return [i + 1 for i, _ in enumerate(n for n, _ in self.headers if n.lower() == name.lower())]

    def raw(self) -> bytes:
        """The message as RFC 822 bytes (CRLF), headers as the MTA passed them."""
        lines = []
        for name, value in self.headers:
            value = value.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
            lines.append(name.encode("ascii", "replace") + b": " + value + b"\r\n")
        return b"".join(lines) + b"\r\n" + self.body
