"""``dlp.client`` against a real ``dlp serve`` on loopback, and against servers that misbehave."""

from __future__ import annotations

import asyncio
import json
import logging
import random
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from chat_helpers import SCAN_KEY, audit_records, running_service
from hypothesis import given, settings
from hypothesis import strategies as st

from dlp import Attachment, Conversation, Message
from dlp.client import (
    FAIL_OPEN_REASON,
    UNREACHABLE_REASON,
    AsyncDLPClient,
    DLPClient,
    Override,
    Retry,
    ServiceUnavailable,
    Timeout,
    is_unavailable,
)
from dlp.client._core import Answer, ClientCore, Send, Sleep
from service.testing import write_test_packs

PII = "承辦人身分證字號 D104553971，手機 0912-345-678"
MAIL = ("From: clerk@hl.gov.tw\r\nTo: someone@gmail.com\r\nSubject: list\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n" + PII + "\r\n").encode()
#: Scheduling on a shared machine: how late "within its timeout" may be observed.
SLACK = 1.5


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_test_packs(tmp_path_factory.mktemp("client_packs"))


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, packs: Path) -> Iterator[tuple[str, Path]]:
    tmp = tmp_path_factory.mktemp("client_live")
    with running_service(tmp, packs, workers=2) as srv:  # two workers: retries may land on either
        yield srv.url, tmp


def mail_message() -> Message:
    return Message(text=PII, subject="名冊", sender="clerk@hl.gov.tw", recipients=["someone@gmail.com"],
                   attachments=[Attachment("note.txt", "手機 0912-345-678".encode(), "text/plain")])


# -- against the real service ----------------------------------------------------------------------
def test_scan_returns_the_same_report_as_the_library(service: tuple[str, Path], packs: Path) -> None:
    from dlp.scanner import Scanner

    url, _ = service
    message = mail_message()
    with DLPClient(url, SCAN_KEY) as dlp:
        report = dlp.scan(message)
    expected = Scanner(patterns_dir=packs).scan(message)
    # The library's Report (a ServiceReport is one, plus the service's request and incident ids)
    assert isinstance(report, type(expected)) and type(report).__mro__[1] is type(expected)
    assert report.request_id and report.incident_id and report.incident_id.startswith("DLP-")
    served, local = report.to_dict(), expected.to_dict()
    # The service looks the sender's destination history up (a new store: cold start); the bare
    # library has none. Everything else is the one model, field for field.
    assert served.pop("misdirection")["history"] == "cold_start"
    local.pop("misdirection", None)
    assert served == local
    assert report.action == "quarantine" and {f.type for f in report.findings} == {"TW_NATIONAL_ID", "TW_PHONE"}
    assert not is_unavailable(report)


def test_scan_mime_redact_and_check_chat(service: tuple[str, Path]) -> None:
    url, _ = service
    with DLPClient(url, SCAN_KEY) as dlp:
        report = dlp.scan_mime(MAIL, sender="clerk@hl.gov.tw", recipients=["someone@gmail.com"])
        assert report.destination["column"] == "personal_webmail" and report.findings
        masked = dlp.redact(PII)
        assert "D104553971" not in masked and len(masked) == len(PII)
        verdict = dlp.check_chat(Conversation("g1", "群組", 3, 0, True), PII, platform="line", sender="bot")
        assert verdict.action == "redact" and "D104553971" not in (verdict.redacted_text or "")
        assert verdict.conversation["source"] == "unlisted" and verdict.incident_id


def test_a_retry_with_the_same_idempotency_key_is_audited_once(service: tuple[str, Path]) -> None:
    url, tmp = service
    with DLPClient(url, SCAN_KEY) as dlp:
        before = len(audit_records(tmp))
        first = dlp.scan(mail_message(), idempotency_key="gateway-msg-42")
        second = dlp.scan(mail_message(), idempotency_key="gateway-msg-42")
        assert first.to_dict() == second.to_dict()
        assert len(audit_records(tmp)) == before + 1
        dlp.scan(mail_message())  # a new key per call by default
        assert len(audit_records(tmp)) == before + 2


def test_repeats_on_fresh_connections_are_audited_once_across_workers(service: tuple[str, Path]) -> None:
    url, tmp = service
    before = len(audit_records(tmp))
    answers = set()
    for _ in range(12):  # a new connection each time: the kernel spreads them over both workers
        with DLPClient(url, SCAN_KEY) as dlp:
            answers.add(json.dumps(dlp.scan(mail_message(), idempotency_key="cross-worker-1").to_dict()))
    assert len(answers) == 1
    assert len(audit_records(tmp)) == before + 1


def test_async_client_against_the_service(service: tuple[str, Path]) -> None:
    url, _ = service

    async def run() -> list[Any]:
        async with AsyncDLPClient(url, SCAN_KEY) as dlp:
            return await asyncio.gather(dlp.scan(mail_message()), dlp.redact(PII),
                                        dlp.scan_mime(MAIL, recipients=["someone@gmail.com"]))

    report, masked, mime = asyncio.run(run())
    assert report.action == "quarantine" and "D104553971" not in masked and mime.findings


def test_a_wrong_key_is_refused_and_blocks_even_when_failing_open(service: tuple[str, Path]) -> None:
    url, _ = service
    for mode in ("closed", "open"):
        with DLPClient(url, "not-a-key", fail_mode=mode) as dlp:  # type: ignore[arg-type]
            report = dlp.scan(mail_message())
        assert report.action == "block" and "HTTP 401" in report.reasons[0] and is_unavailable(report)


def test_the_service_stopped_mid_test_gives_block_within_the_timeout(tmp_path: Path, packs: Path) -> None:
    timeout = Timeout(total=2.0, connect=0.5)
    with running_service(tmp_path, packs) as srv, DLPClient(srv.url, SCAN_KEY, timeout=timeout) as dlp:
        assert dlp.scan(mail_message()).action == "quarantine"  # a live, pooled connection
        srv.stop()
        started = time.monotonic()
        report = dlp.scan(mail_message())
        elapsed = time.monotonic() - started

        async def async_scan() -> Any:
            async with AsyncDLPClient(srv.url, SCAN_KEY, timeout=timeout) as adlp:
                return await adlp.check_chat(Conversation("g"), PII, platform="line")

        verdict = asyncio.run(async_scan())
        with pytest.raises(ServiceUnavailable):
            dlp.redact(PII)
    assert report.action == "block" and report.reasons == [UNREACHABLE_REASON]
    assert report.findings == [] and is_unavailable(report)
    assert elapsed < timeout.total + SLACK
    assert verdict.action == "block" and verdict.unavailable and verdict.policy_tip == UNREACHABLE_REASON


# -- servers that misbehave ---------------------------------------------------------------------------
class Scripted:
    """A loopback HTTP server answering from a script: (status, headers, body) per request."""

    def __init__(self, script: list[tuple[int, dict[str, str], bytes]]):
        self.script = list(script)
        self.requests: list[tuple[float, dict[str, str]]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                outer.requests.append((time.monotonic(), {k.lower(): v for k, v in self.headers.items()}))
                status, headers, body = outer.script.pop(0) if outer.script else (500, {}, b"{}")
                self.send_response(status)
                for k, v in {"Content-Type": "application/json", "Content-Length": str(len(body)), **headers}.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


REPORT_BODY = json.dumps({"action": "warn", "secrecy_level": "none", "reasons": ["r"], "findings": [],
                          "redacted_text": None, "destination": {}, "exceptions": [], "not_inspected": []}).encode()


@pytest.fixture()
def scripted() -> Iterator[Any]:
    made: list[Scripted] = []

    def make(*script: tuple[int, dict[str, str], bytes]) -> Scripted:
        made.append(Scripted(list(script)))
        return made[-1]

    yield make
    for s in made:
        s.close()


def test_503_with_retry_after_is_honoured_with_one_idempotency_key(scripted: Any) -> None:
    srv = scripted((503, {"Retry-After": "1"}, b'{"error":{"message":"busy"}}'), (200, {}, REPORT_BODY))
    with DLPClient(srv.url, timeout=Timeout(total=3.0)) as dlp:
        report = dlp.scan(Message(text="x"))
    assert report.action == "warn" and len(srv.requests) == 2
    (t1, h1), (t2, h2) = srv.requests
    assert t2 - t1 >= 0.95  # waited as asked (only load can make it longer)
    assert h1["idempotency-key"] == h2["idempotency-key"]


@pytest.mark.parametrize("status", [408, 429, 500, 502, 504])
def test_retryable_statuses_are_retried(scripted: Any, status: int) -> None:
    srv = scripted((status, {}, b"{}"), (200, {}, REPORT_BODY))
    with DLPClient(srv.url) as dlp:
        assert dlp.scan(Message(text="x")).action == "warn"
    assert len(srv.requests) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 413, 422])
def test_other_4xx_are_not_retried_and_block(scripted: Any, status: int) -> None:
    srv = scripted((status, {}, b'{"error":{"message":"\xe6\xa0\xbc\xe5\xbc\x8f\xe9\x8c\xaf\xe8\xaa\xa4"}}'))
    with DLPClient(srv.url) as dlp:
        report = dlp.scan(Message(text="x"))
    assert len(srv.requests) == 1
    assert report.action == "block" and f"HTTP {status}" in report.reasons[0] and "格式錯誤" in report.reasons[0]


def test_retries_stop_after_the_configured_attempts(scripted: Any) -> None:
    srv = scripted(*[(500, {}, b"{}")] * 5)
    with DLPClient(srv.url, retry=Retry(attempts=3, backoff=0.01)) as dlp:
        report = dlp.scan(Message(text="x"))
    assert report.action == "block" and report.reasons == [UNREACHABLE_REASON] and len(srv.requests) == 3


def test_a_retry_after_beyond_the_budget_ends_the_call_at_once(scripted: Any) -> None:
    srv = scripted((429, {"Retry-After": "30"}, b"{}"), (200, {}, REPORT_BODY))
    with DLPClient(srv.url, timeout=Timeout(total=2.0)) as dlp:
        started = time.monotonic()
        report = dlp.scan(Message(text="x"))
    assert report.action == "block" and len(srv.requests) == 1
    assert time.monotonic() - started < 2.0 + SLACK


@pytest.mark.parametrize("body", [b"not json", b'{"action":"ship-it"}', b"[]", b'{"action":"allow","findings":[{"x":1}]}'])
def test_a_garbled_answer_is_never_taken_for_a_decision(scripted: Any, body: bytes) -> None:
    srv = scripted((200, {}, body))
    with DLPClient(srv.url, fail_mode="open") as dlp:
        report = dlp.scan(Message(text="x"))
    assert report.action == "block" and len(srv.requests) == 1


def test_a_service_that_accepts_but_never_answers_blocks_within_the_timeout() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])  # read nothing, answer nothing
            except OSError:
                continue

    threading.Thread(target=accept, daemon=True).start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    timeout = Timeout(total=1.0, connect=0.5)
    try:
        with DLPClient(url, timeout=timeout) as dlp:
            started = time.monotonic()
            report = dlp.scan(Message(text="x"))
            sync_elapsed = time.monotonic() - started

        async def run() -> tuple[Any, float]:
            async with AsyncDLPClient(url, timeout=timeout) as adlp:
                t0 = time.monotonic()
                return await adlp.scan(Message(text="x")), time.monotonic() - t0

        areport, async_elapsed = asyncio.run(run())
    finally:
        stop.set()
        for s in held:
            s.close()
        listener.close()
    assert report.action == areport.action == "block"
    assert "timed out" in report.not_inspected[0]["detail"] or "Timeout" in report.not_inspected[0]["detail"]
    assert sync_elapsed < timeout.total + SLACK and async_elapsed < timeout.total + SLACK


def test_fail_open_allows_only_when_unreachable_and_says_so_loudly(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="dlp.client"):
        dlp = DLPClient("http://127.0.0.1:9", fail_mode="open", retry=Retry(attempts=1))
        assert any("UNSAFE" in r.message for r in caplog.records)
        report = dlp.scan(Message(text="x"))
        dlp.close()
    assert report.action == "allow" and report.reasons == [FAIL_OPEN_REASON] and is_unavailable(report)
    assert any(r.levelno == logging.CRITICAL and "FAIL-OPEN" in r.message for r in caplog.records)


def test_configuration_is_explicit_and_checked() -> None:
    with pytest.raises(ValueError):
        Timeout(total=0.5, connect=1.0)
    with pytest.raises(ValueError):
        Retry(attempts=0)
    with pytest.raises(ValueError):
        DLPClient("http://127.0.0.1:9", fail_mode="maybe")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        DLPClient("http://127.0.0.1:9", timeout=2.0)  # type: ignore[arg-type]


# -- the sans-I/O core: properties of the retry loop --------------------------------------------------
outcomes = st.one_of(
    st.builds(lambda s, ra: Answer(s, {"retry-after": ra} if ra else {}, b"ok"),
              st.sampled_from([200, 201, 204, 400, 401, 404, 408, 409, 422, 429, 500, 502, 503, 504, 301]),
              st.sampled_from([None, "0", "1", "bogus", "99999"])),
    st.sampled_from([httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("reset"),
                     ValueError("odd")]),
)


@settings(max_examples=400, deadline=None)
@given(script=st.lists(outcomes, min_size=1, max_size=8), attempts=st.integers(1, 5), seed=st.integers(0, 2**32))
def test_the_retry_loop_never_invents_an_answer(script: list[Any], attempts: int, seed: int) -> None:
    core = ClientCore("http://dlp", None, Timeout(total=60.0), Retry(attempts=attempts), "closed", random.Random(seed))
    steps = core.attempts(core.scan_request(Message(text="x"), None))
    fed, slept, result, outcome = [], 0.0, None, None
    try:
        while True:
            step = steps.send(outcome)
            if isinstance(step, Sleep):
                assert step.seconds >= 0
                slept += step.seconds
                outcome = None
            else:
                assert isinstance(step, Send) and step.remaining > 0
                outcome = script[len(fed) % len(script)]
                fed.append(outcome)
    except StopIteration as stop:
        result = stop.value
    assert len(fed) <= attempts and slept <= 60.0
    if isinstance(result, bytes):
        assert isinstance(fed[-1], Answer) and 200 <= fed[-1].status < 300
    else:
        report = core.fallback_report(result)
        assert report.action == "block" and is_unavailable(report)
    for earlier in fed[:-1]:  # only retryable outcomes were retried
        assert not isinstance(earlier, Answer) or earlier.status in (408, 429) or 500 <= earlier.status < 600
        assert not isinstance(earlier, ValueError)


# -- overrides (issue 16 part 4) ------------------------------------------------------------------


def test_an_override_through_the_sdk_lets_a_warned_message_go_and_is_audited(service: tuple[str, Path]) -> None:
    """``scan(message, override=Override(incident_id, justification))`` against the real service:
    a warn and its incident, a refused override (justification too short), an accepted one."""
    url, tmp = service
    message = Message(text="申請人身分證字號 D104553971，請協助辦理。", channel="mail", sender="clerk@hl.gov.tw",
                      recipients=["officer@bank.example.com"])
    with DLPClient(url, SCAN_KEY) as dlp:
        warned = dlp.scan(message)
        assert warned.action == "warn" and warned.incident_id and warned.override is None
        short = dlp.scan(message, override=Override(warned.incident_id, "急"))
        allowed = dlp.scan(message, override={"incident_id": warned.incident_id,
                                              "justification": "合作銀行需核對申請人資料，主管已同意"})
    assert short.action == "warn" and short.override["accepted"] is False and "理由" in short.override["refusal"]
    assert allowed.action == "allow" and allowed.incident_id is None
    assert allowed.override == {"incident_id": warned.incident_id, "accepted": True, "original_action": "warn"}
    assert any(warned.incident_id in e for e in allowed.exceptions)
    (record,) = [r for r in audit_records(tmp) if r.get("request_id") == allowed.request_id]
    assert record["action"] == "allow" and record["override"]["accepted"] is True
    assert record["override"]["incident_id"] == warned.incident_id and "D104553971" not in json.dumps(record)


def test_the_async_client_overrides_too(service: tuple[str, Path]) -> None:
    url, tmp = service
    message = Message(text="身分證字號 D104553971 請轉承辦。", channel="mail", sender="aide@hl.gov.tw",
                      recipients=["desk@bank.example.com"])

    async def run() -> tuple[Any, Any]:
        async with AsyncDLPClient(url, SCAN_KEY) as dlp:
            warned = await dlp.scan(message)
            return warned, await dlp.scan(message, override=Override(warned.incident_id, "對方為委辦廠商，已簽保密切結"))

    warned, allowed = asyncio.run(run())
    assert warned.action == "warn" and allowed.action == "allow" and allowed.override["accepted"] is True
    assert any(r.get("request_id") == allowed.request_id and r["override"]["accepted"] for r in audit_records(tmp))


def test_a_malformed_override_is_refused_before_anything_is_sent() -> None:
    with DLPClient("http://127.0.0.1:9", SCAN_KEY) as dlp, pytest.raises(TypeError, match="override"):
        dlp.scan(Message(text="x"), override={"incident_id": "DLP-20250301-7K3QX9TZ4M"})
