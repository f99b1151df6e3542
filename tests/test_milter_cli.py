"""``dlp milter`` and ``dlp quarantine`` at the command line: socket specs, bad input (a one-line
Chinese error, exit 2), a UNIX socket that really serves."""

from __future__ import annotations

import json
import os

import anyio
import pytest
from kilter.protocol.messages import Accept

from dlp.cli import main as dlp_main
from dlp.gateways.mail.listen import BadSocketSpec, SocketSpec, open_listener, parse_socket_spec
from dlp.gateways.mail.protocol import MilterReply, serve_connection


@pytest.mark.parametrize("spec,expected", [
    ("inet:127.0.0.1:8899", SocketSpec("inet", "127.0.0.1", 8899)),
    ("inet:8899@127.0.0.1", SocketSpec("inet", "127.0.0.1", 8899)),
    ("inet6:[::1]:8899", SocketSpec("inet", "::1", 8899)),
    ("inet:localhost:25", SocketSpec("inet", "localhost", 25)),
    ("unix:/run/dlp/milter.sock", SocketSpec("unix", path="/run/dlp/milter.sock")),
    ("local:/run/dlp/milter.sock", SocketSpec("unix", path="/run/dlp/milter.sock")),
])
def test_socket_specs_in_postfix_and_sendmail_forms(spec, expected):
    assert parse_socket_spec(spec) == expected


@pytest.mark.parametrize("spec", ["8899", "inet:127.0.0.1:99999", "inet:127.0.0.1:", "unix:relative.sock", "tcp:1.2.3.4:5"])
def test_bad_socket_specs_are_refused_in_chinese(spec):
    with pytest.raises(BadSocketSpec) as info:
        parse_socket_spec(spec)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(info.value))


@pytest.mark.parametrize("argv,needle", [
    (["milter", "--listen", "tcp:x"], "--listen"),
    (["milter", "--service", "http://127.0.0.1:1"], "--key-file"),
    (["milter", "--service", "http://127.0.0.1:1", "--key-file", "/nonexistent/key"], "金鑰檔"),
    (["milter", "--timeout", "0"], "正數"),
    (["milter", "--database-url", "not a database"], "資料庫網址格式不正確"),
])
def test_milter_usage_errors_exit_2_with_one_line(capsys, argv, needle):
    assert dlp_main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert needle in err and "\n" not in err and "Traceback" not in err


def test_release_without_a_reason_or_of_an_unknown_incident_exits_2(capsys, tmp_path):
    audit = tmp_path / "audit.jsonl"
    audit.write_text("", encoding="utf-8")
    base = ["quarantine", "--audit-log", str(audit)]
    assert dlp_main([*base, "release", "DLP-20250101-ABCDEFGHJK"]) == 2
    assert "--reason" in capsys.readouterr().err
    assert dlp_main([*base, "release", "DLP-20250101-ABCDEFGHJK", "--reason", "ok"]) == 2
    assert "沒有事件" in capsys.readouterr().err
    assert dlp_main([*base, "show", "NOSUCHQID"]) == 2
    assert "不是資料外洩防護暫緩的郵件" in capsys.readouterr().err


def test_a_unix_socket_serves_and_replaces_a_stale_one(tmp_path):
    from test_milter_protocol import Mta  # the MTA side of the protocol tests

    path = tmp_path / "milter.sock"

    async def handler(txn):
        return MilterReply(Accept())

    async def main() -> None:
        for _ in range(2):  # the second start finds the first one's socket file
            listener = await open_listener(parse_socket_spec(f"unix:{path}"), 0o600)
            assert oct(os.stat(path).st_mode & 0o777) == "0o600"
            async with anyio.create_task_group() as tg:
                tg.start_soon(listener.serve, lambda s: serve_connection(s, handler, 1 << 20))
                stream = await anyio.connect_unix(path)
                async with stream:
                    client = Mta(stream)
                    await client.negotiate()
                    await client.message(b"<a@hl.gov.tw>", [b"<b@x.com>"], [("Subject", b"x")], [b"x\r\n"])
                    _, final = await client.answer()
                    assert isinstance(final, Accept)
                tg.cancel_scope.cancel()

    anyio.run(main)


def test_a_regular_file_is_never_replaced_by_the_socket(tmp_path):
    path = tmp_path / "important.txt"
    path.write_text("keep me")

    async def main() -> None:
        await open_listener(parse_socket_spec(f"unix:{path}"))

    with pytest.raises(BadSocketSpec):
        anyio.run(main)
    assert path.read_text() == "keep me"


def test_a_bad_notice_texts_file_stops_the_milter_before_it_listens(capsys, tmp_path):
    bad = tmp_path / "texts.yaml"
    bad.write_text("subject: [", encoding="utf-8")
    assert dlp_main(["milter", "--listen", "inet:127.0.0.1:1", "--notice-texts", str(bad)]) == 2
    assert "通知文字檔有誤" in capsys.readouterr().err


def test_the_milter_writes_json_log_lines_with_log_format_json(tmp_path):
    """``--log-format json``: every line on stderr is one JSON object (time, level, logger, message),
    the decision line of a mail among them, as ``dlp serve --log-format json`` writes them."""
    from test_milter_protocol import Mta

    from dlp.gateways.mail.lab import MilterProcess, free_port

    milter = MilterProcess(free_port(), ["--log-format", "json", "--no-notices", "--audit-log", str(tmp_path / "audit.jsonl")],
                           tmp_path / "milter.log", env={"DLP_CACHE_DIR": str(tmp_path / "cache")})
    milter.start()

    async def one_mail() -> None:
        stream = await anyio.connect_tcp("127.0.0.1", milter.port)
        async with stream:
            client = Mta(stream)
            await client.negotiate()
            await client.message(b"<a@hl.gov.tw>", [b"<b@gmail.com>"], [("Subject", "名冊".encode())],
                                 ["申請人 王小明 身分證字號 F235071300\r\n".encode()])
            await client.answer()

    try:
        anyio.run(one_mail)
    finally:
        milter.stop()
    lines = [line for line in (tmp_path / "milter.log").read_text(encoding="utf-8").splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # a line that is not JSON fails here
    assert all({"time", "level", "logger", "message"} <= r.keys() for r in records)
    assert any(r["logger"] == "dlp.milter" and "action=" in r["message"] for r in records)
    assert "F235071300" not in "\n".join(lines)


def test_a_bad_log_format_in_the_environment_stops_the_milter_with_one_line(capsys, monkeypatch):
    monkeypatch.setenv("DLP_LOG_FORMAT", "xml")
    assert dlp_main(["milter", "--listen", "inet:127.0.0.1:1"]) == 2
    err = capsys.readouterr().err
    assert "記錄格式" in err and "Traceback" not in err
