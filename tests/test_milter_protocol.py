"""The milter protocol, packet by packet: an MTA written with kilter.protocol's messages talks to
the real session loop over loopback TCP (the Postfix tests are the proof; these pin the wire)."""

from __future__ import annotations

import struct
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from ipaddress import IPv4Address

import anyio
import anyio.abc
import pytest
from kilter.protocol.buffer import SimpleBuffer
from kilter.protocol.messages import (
    Abort,
    Accept,
    ActionFlags,
    AddHeader,
    Body,
    Close,
    Connect,
    Continue,
    Data,
    EndOfHeaders,
    EndOfMessage,
    EnvelopeFrom,
    EnvelopeRecipient,
    Header,
    Macro,
    Message,
    Negotiate,
    ProtocolFlags,
    ReplyCode,
)

from dlp.gateways.mail.protocol import ACTIONS, MilterReply, serve_connection, smtp_reply
from dlp.gateways.mail.transaction import MailTransaction

pytestmark = pytest.mark.anyio
ALL_OPTIONS = ProtocolFlags(0x3FFFFF)  # everything Postfix 3.7 offers


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class Mta:
    """The MTA side: packs events, reads the filter's packets."""

    def __init__(self, stream: anyio.abc.ByteStream):
        self.stream = stream
        self.data = b""

    async def send(self, *messages: Message) -> None:
        for message in messages:
            buf = SimpleBuffer(1 << 20)
            message.pack(buf)
            await self.stream.send(buf[:].tobytes())

    async def read(self) -> Message | None:
        while True:
            if len(self.data) >= 5:
                size = struct.unpack("!L", self.data[:4])[0]
                if len(self.data) >= 4 + size:
                    buf = SimpleBuffer(1 << 20)
                    buf[:] = self.data[:4 + size]
                    self.data = self.data[4 + size:]
                    message, _ = Message.unpack(buf)
                    message.freeze()
                    return message
            try:
                self.data += await self.stream.receive()
            except (anyio.EndOfStream, anyio.BrokenResourceError):
                return None

    async def answer(self) -> tuple[list[Message], Message]:
        edits: list[Message] = []
        while True:
            message = await self.read()
            assert message is not None, "the filter closed the connection"
            if isinstance(message, (Accept, ReplyCode, Continue)) or type(message).__name__ == "TemporaryFailure":
                return edits, message
            edits.append(message)

    async def negotiate(self, options: ProtocolFlags = ALL_OPTIONS, actions: ActionFlags = ActionFlags.ALL) -> Negotiate:
        await self.send(Negotiate(6, actions, options, {}))
        reply = await self.read()
        assert isinstance(reply, Negotiate)
        return reply

    async def message(self, sender: bytes, recipients: list[bytes], headers: list[tuple[str, bytes]], body: list[bytes]) -> None:
        await self.send(Macro(EndOfMessage.ident, {"i": "4A1B2C3D"}))
        await self.send(EnvelopeFrom(sender), *[EnvelopeRecipient(r) for r in recipients])
        await self.send(*[Header(n, v) for n, v in headers], *[Body(b) for b in body[:-1]])
        await self.send(EndOfMessage(body[-1] if body else b""))


@asynccontextmanager
async def milter(handler, max_bytes: int = 1 << 20) -> AsyncIterator[int]:
    listener = await anyio.create_tcp_listener(local_host="127.0.0.1")
    port = listener.extra(anyio.abc.SocketAttribute.local_port)
    async with anyio.create_task_group() as tg:
        tg.start_soon(listener.serve, lambda stream: serve_connection(stream, handler, max_bytes))
        yield port
        tg.cancel_scope.cancel()


@asynccontextmanager
async def mta(port: int) -> AsyncIterator[Mta]:
    stream = await anyio.connect_tcp("127.0.0.1", port)
    async with stream:
        yield Mta(stream)


class Recorder:
    """A handler that keeps what it was given and answers what it is told to."""

    def __init__(self, reply: MilterReply | None = None, error: Exception | None = None):
        self.seen: list[MailTransaction] = []
        self.reply = reply or MilterReply(Accept(), [AddHeader("X-DLP-Action", b"allow")])
        self.error = error

    async def __call__(self, txn: MailTransaction) -> MilterReply:
        self.seen.append(txn)
        if self.error:
            raise self.error
        return self.reply


async def test_negotiation_asks_for_our_actions_and_no_replies_before_end_of_message():
    async with milter(Recorder()) as port, mta(port) as client:
        ours = await client.negotiate()
        assert ours.version == 6
        assert ours.action_flags == ACTIONS
        for flag in (ProtocolFlags.NR_SENDER, ProtocolFlags.NR_RECIPIENT, ProtocolFlags.NR_HEADER, ProtocolFlags.NR_BODY,
                     ProtocolFlags.NO_HELO, ProtocolFlags.NO_CONNECT):
            assert flag in ours.protocol_flags
        assert ProtocolFlags.NO_HEADERS not in ours.protocol_flags and ProtocolFlags.NO_BODY not in ours.protocol_flags


async def test_one_message_is_collected_whole_and_answered_once():
    handler = Recorder()
    async with milter(handler) as port, mta(port) as client:
        await client.negotiate()
        await client.message(b"<clerk@hl.gov.tw>", [b"<a@example.com>", b"<b@gmail.com>"],
                             [("Subject", b"hi"), ("X-Folded", b"one\n two")], [b"line 1\r\n", b"line 2\r\n"])
        edits, final = await client.answer()
    assert isinstance(final, Accept) and edits == [AddHeader("X-DLP-Action", b"allow")]
    (txn,) = handler.seen
    assert txn.sender == "clerk@hl.gov.tw" and txn.recipients == ["a@example.com", "b@gmail.com"]
    assert txn.queue_id == "4A1B2C3D"
    assert txn.raw() == b"Subject: hi\r\nX-Folded: one\r\n two\r\n\r\nline 1\r\nline 2\r\n"


async def test_a_refusal_is_a_nul_terminated_reply_code():
    reply = MilterReply(smtp_reply("550", "5.7.1", "Message refused (incident DLP-20250101-ABCDEFGHJK)"))
    async with milter(Recorder(reply)) as port, mta(port) as client:
        await client.negotiate()
        await client.message(b"<a@hl.gov.tw>", [b"<b@gmail.com>"], [("Subject", b"x")], [b"x\r\n"])
        _, final = await client.answer()
    assert isinstance(final, ReplyCode)
    assert bytes(final.content) == b"550 5.7.1 Message refused (incident DLP-20250101-ABCDEFGHJK)\x00"


async def test_smtp_reply_text_is_one_ascii_line():
    content = bytes(smtp_reply("550", "5.7.1", "機密\r\nnext 100%").content)
    assert content.endswith(b"\x00") and b"\r" not in content and b"\n" not in content and b"%" not in content
    content.decode("ascii")


async def test_a_failing_handler_is_a_tempfail_never_an_accept():
    async with milter(Recorder(error=RuntimeError("boom"))) as port, mta(port) as client:
        await client.negotiate()
        await client.message(b"<a@hl.gov.tw>", [b"<b@gmail.com>"], [("Subject", b"x")], [b"x\r\n"])
        _, final = await client.answer()
    assert isinstance(final, ReplyCode) and bytes(final.content).startswith(b"451 4.7.1 ")


async def test_abort_forgets_the_message_and_the_next_one_stands_alone():
    handler = Recorder()
    async with milter(handler) as port, mta(port) as client:
        await client.negotiate()
        await client.send(EnvelopeFrom(b"<first@hl.gov.tw>"), EnvelopeRecipient(b"<x@gmail.com>"), Header("Subject", b"first"), Abort())
        await client.message(b"<second@hl.gov.tw>", [b"<y@example.com>"], [("Subject", b"second")], [b"body\r\n"])
        await client.answer()
        await client.message(b"<third@hl.gov.tw>", [b"<z@example.com>"], [("Subject", b"third")], [b"body\r\n"])
        await client.answer()
        await client.send(Close())
    assert [(t.sender, t.recipients, t.header("Subject")) for t in handler.seen] == [
        ("second@hl.gov.tw", ["y@example.com"], "second"), ("third@hl.gov.tw", ["z@example.com"], "third")]


async def test_an_mta_without_no_reply_options_gets_continue_for_every_event():
    async with milter(Recorder()) as port, mta(port) as client:
        await client.negotiate(options=ProtocolFlags.NONE)
        await client.send(Connect("client", IPv4Address("127.0.0.1"), 25))
        assert isinstance(await client.read(), Continue)
        for event in (EnvelopeFrom(b"<a@hl.gov.tw>"), EnvelopeRecipient(b"<b@x.com>"), Data(), Header("Subject", b"x"), EndOfHeaders(), Body(b"x")):
            await client.send(event)
            assert isinstance(await client.read(), Continue), event
        await client.send(EndOfMessage(b""))
        _, final = await client.answer()
        assert isinstance(final, Accept)


async def test_an_mta_that_cannot_hold_mail_is_refused_at_negotiation():
    async with milter(Recorder()) as port, mta(port) as client:
        await client.send(Negotiate(6, ActionFlags.ADD_HEADERS | ActionFlags.CHANGE_BODY, ALL_OPTIONS, {}))
        assert await client.read() is None  # closed: Postfix then applies milter_default_action


async def test_garbage_closes_that_connection_and_the_milter_keeps_serving():
    handler = Recorder()
    async with milter(handler) as port:
        async with mta(port) as bad:
            await bad.stream.send(b"\x00\x00\x00\x05Zjunk" + b"\xff" * 64)
            await bad.send(EnvelopeFrom(b"<a@b>"))
            await bad.stream.send(b"\x7f\xff\xff\xffX")  # a 2 GiB packet
            assert await bad.read() is None
        async with mta(port) as good:
            await good.negotiate()
            await good.message(b"<a@hl.gov.tw>", [b"<b@x.com>"], [("Subject", b"ok")], [b"ok\r\n"])
            _, final = await good.answer()
    assert isinstance(final, Accept) and len(handler.seen) == 1
