"""What ``dlp scan`` / ``explain`` / ``redact`` are asked to read, turned into messages.

Bytes (stdin, files, the bundled samples, and arguments the locale could not decode) are decoded
the way attachments are (``dlp.extract.text.decode_text``: UTF-8 with or without a BOM, UTF-16,
CP950/Big5 by detection); what still cannot be decoded becomes U+FFFD and is reported, never a
crash. An ``.eml`` file is one message (its headers give the envelope unless ``--from``/``--to``
say otherwise); ``--attach`` files go with the body as one message.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dlp.cli_args import CliError, argument_bytes, has_undecodable_bytes, plain_argument, printable, unreadable
from dlp.extract.text import decode_text
from dlp.model import Attachment, Conversation, Finding, Message
from dlp.resources import bundled_dir

MAIL_SUFFIXES = (".eml",)
_REPLACEMENT = "\ufffd"


@dataclass
class ScanInput:
    """One message to scan, before the scanner is loaded (files are read, mail not parsed yet)."""

    name: str
    text: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    #: A whole RFC 822 message (``-f mail.eml``): parsed into the message once the policy's
    #: attachment limits are known.
    raw_mail: bytes | None = None
    #: ``not_inspected`` entries to add to the report (e.g. bytes replaced by U+FFFD).
    notes: list[dict[str, str]] = field(default_factory=list)

    @property
    def size(self) -> int:
        raw = len(self.raw_mail) if self.raw_mail is not None else 0
        return len(self.text) + raw + sum(len(a.content) for a in self.attachments)


Notes = list[dict[str, str]]


def decoded(data: bytes, what: str, location: str = "body") -> tuple[str, Notes]:
    """``data`` as text, plus a ``not_inspected`` note when some bytes could not be decoded.

    As attachments are (``decode_text``), except that UTF-8 with a few stray bytes stays UTF-8
    when that reads with fewer replacements than the detected encoding (detection would take
    the whole text for CP950 and garble it)."""
    text = decode_text(data)
    utf8 = data.decode("utf-8", "replace")
    if utf8.count(_REPLACEMENT) < text.count(_REPLACEMENT):
        text = utf8
    replaced = text.count(_REPLACEMENT) - data.count(_REPLACEMENT.encode())
    if replaced <= 0:
        return text, []
    return text, [{"location": location, "reason": f"{what}有 {replaced} 處無法解碼的位元組，已換成 U+FFFD 後檢查"}]


def argument_text(value: str, what: str = "引數", location: str = "body") -> tuple[str, Notes]:
    """A text argument: bytes the locale could not decode are decoded like a file's."""
    if not has_undecodable_bytes(value):
        return value, []
    return decoded(argument_bytes(value), what, location)


def read_file(name: str) -> bytes:
    try:
        return Path(name).read_bytes()
    except OSError as exc:
        raise unreadable(exc, name) from None


def read_stdin() -> tuple[str, Notes]:
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise CliError("沒有標準輸入可讀")
    try:
        data = stream.read()
    except OSError as exc:
        raise CliError(f"無法讀取標準輸入：{exc.strerror or exc}") from None
    return decoded(data, "標準輸入")


def stdin_is_piped() -> bool:
    stream = sys.stdin
    return stream is not None and not stream.isatty()


def is_mail_file(name: str) -> bool:
    return Path(name).suffix.lower() in MAIL_SUFFIXES


def file_input(name: str) -> ScanInput:
    """``-f FILE``: an .eml is one message; any other file is scanned as an attachment."""
    data = read_file(name)
    shown = printable(Path(name).name)
    if is_mail_file(name):
        return ScanInput(name=shown, raw_mail=data)
    return ScanInput(name=shown, attachments=[Attachment(filename=shown, content=data)])


def body_text(texts: list[str]) -> tuple[str, str, Notes]:
    """The one body of a message: a TEXT argument, '-' or piped stdin (else empty)."""
    if len(texts) > 1:
        raise CliError("一則訊息只能有一段本文：請用引號把本文括成一個引數")
    if texts and texts[0] != "-":
        text, notes = argument_text(texts[0])
        return "argument", text, notes
    if texts or stdin_is_piped():
        text, notes = read_stdin()
        return "stdin", text, notes
    return "attachments", "", []


def scan_inputs(args: argparse.Namespace) -> list[ScanInput]:
    """Every message named on a ``dlp scan`` command line, read (files) but not parsed yet."""
    items: list[ScanInput] = []
    if args.samples:
        for path in sorted(bundled_dir("samples").glob("*.txt")):
            text, notes = decoded(path.read_bytes(), path.name)
            items.append(ScanInput(name=path.name, text=text, notes=notes))
    texts = list(args.text or [])
    if args.attach:
        attachments = [Attachment(filename=printable(Path(n).name), content=read_file(n)) for n in args.attach]
        name, text, notes = body_text(texts)
        items.append(ScanInput(name=name, text=text, attachments=attachments, notes=notes))
        texts = []
    for text in texts:
        if text == "-":
            body, notes = read_stdin()
            items.append(ScanInput(name="stdin", text=body, notes=notes))
        else:
            body, notes = argument_text(text)
            items.append(ScanInput(name="argument", text=body, notes=notes))
    items.extend(file_input(name) for name in args.file or [])
    if not items and stdin_is_piped():
        body, notes = read_stdin()
        if body:
            items.append(ScanInput(name="stdin", text=body, notes=notes))
    return items


def destination_options(args: argparse.Namespace) -> dict[str, Any]:
    """The envelope the command line gives: sender, recipients, channel, conversation."""
    sender = plain_argument(args.sender, "--from")
    to = [plain_argument(t, "--to") or "" for t in args.to or []]
    conversation = None
    if args.channel == "chat":
        group = plain_argument(args.conversation, "--conversation")
        conversation = Conversation(
            id=group or "cli", name=group or "", members=args.members,
            external_members=args.external_members, registered=args.registered,
        )
    return {"sender": sender, "recipients": to, "channel": args.channel, "conversation": conversation}


def subject_option(args: argparse.Namespace) -> tuple[str | None, Notes]:
    if args.subject is None:
        return None, []
    return argument_text(args.subject, "主旨", "subject")


def to_message(item: ScanInput, args: argparse.Namespace, limits: Any) -> tuple[Message, list[Finding]]:
    """The message to scan and the findings made before the scan (broken MIME parts)."""
    envelope = destination_options(args)
    subject, notes = subject_option(args)
    item.notes.extend(notes)
    if item.raw_mail is not None:
        from service.mime import NotAMail
        from service.mime import to_message as mail_to_message

        try:
            mime = mail_to_message(item.raw_mail, limits, envelope["sender"], envelope["recipients"] or None)
        except NotAMail as exc:
            raise CliError(f"{item.name} 不是可以讀取的電子郵件：{exc}") from None
        if subject is not None:
            mime.message.subject = subject
        return mime.message, mime.findings
    message = Message(text=item.text, subject=subject, attachments=item.attachments, **envelope)
    return message, []
