"""The ``dlp`` command as installed: every mistake is one Chinese line and exit 2, never a
traceback; text in any encoding; a mail or a body with attachments as one message; the decision
``explain`` explains; progress only on a terminal; the tuning loop (packs, policy, examples)."""

from __future__ import annotations

import json
import os
import pty
import select
import shutil
import subprocess
from pathlib import Path

import builders
import pytest
from cli_run import DLP, assert_usage_error, has_chinese, run_dlp

import dlp

REPO = Path(__file__).resolve().parents[1]
ID_TEXT = "身分證字號 D104553971"
BIG5_MARKED = "機密 身分證字號 D104553971\n".encode("big5")


# -- mistakes: one line in Chinese, exit 2 ---------------------------------------------------------------


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("cli_inputs")
    bad_json = d / "bad.jsonl"
    bad_json.write_text('{"text": "ok", "entities": []}\n{"text": oops}\n', encoding="utf-8")
    not_object = d / "list.jsonl"
    not_object.write_text('["text"]\n', encoding="utf-8")
    bad_span = d / "span.jsonl"
    bad_span.write_text('{"text": "abc", "entities": [{"type": "TW_PHONE", "start": 1, "end": 9}]}\n', encoding="utf-8")
    not_mail = d / "note.eml"
    not_mail.write_bytes("這不是郵件，只是一段文字\n".encode())
    return {"dir": d, "bad_json": bad_json, "not_object": not_object, "bad_span": bad_span, "not_mail": not_mail}


MISTAKES = [
    ("missing file", ["scan", "-f", "{dir}/missing.txt"], "找不到檔案"),
    ("directory as file", ["scan", "-f", "{dir}"], "是目錄"),
    ("missing attachment", ["scan", "本文", "--attach", "{dir}/missing.docx"], "找不到檔案"),
    ("two bodies with --attach", ["scan", "--attach", "{bad_json}", "--", "一", "二"], "只能有一段本文"),
    ("bad corpus line", ["eval", "{bad_json}"], "bad.jsonl:2"),
    ("corpus line not an object", ["eval", "{not_object}"], "list.jsonl:1"),
    ("corpus span outside the text", ["eval", "{bad_span}"], "span.jsonl:1"),
    ("missing corpus", ["eval", "{dir}/none.jsonl"], "找不到語料檔"),
    ("unwritable output", ["corpus", "generate", "-n", "2", "-o", "{dir}/no/such/dir/out.jsonl"], "無法寫入輸出檔"),
    ("negative -n", ["corpus", "generate", "-n", "-5"], "正整數"),
    ("-n not a number", ["corpus", "generate", "-n", "abc"], "不是整數"),
    ("undecodable --to", ["scan", "--to", b"\xff\xfe@example.com", "本文"], "無法解碼"),
    ("undecodable --from", ["explain", "--from", b"clerk\xa0@hl.gov.tw", "本文"], "無法解碼"),
    ("negative members", ["scan", "--channel", "chat", "--members", "-1", "本文"], "0 以上"),
    ("unknown channel", ["scan", "--channel", "fax", "本文"], "不在可用的選項中"),
    ("unknown option", ["scan", "--bogus", "本文"], "不認得的參數"),
    ("unknown command", ["sacn", "本文"], "不在可用的選項中"),
    ("missing subcommand", ["patterns"], "缺少必要的參數"),
    ("missing packs dir", ["scan", "--patterns", "{dir}/nope", "本文"], "找不到規則目錄"),
    ("missing policy file", ["scan", "--policy", "{dir}/nope.yaml", "本文"], "找不到政策檔"),
    ("missing packs dir to test", ["patterns", "test", "{dir}/nope"], "找不到規則目錄"),
    ("nothing to scan", ["scan"], "沒有要掃描的內容"),
    ("nothing to explain", ["explain"], "沒有要說明的內容"),
    ("nothing to redact", ["redact"], "沒有要遮蔽的內容"),
    ("missing audit log", ["audit", "verify", "{dir}/audit.jsonl"], "找不到稽核紀錄檔"),
    ("zero workers", ["serve", "--workers", "0"], "至少為 1"),
    ("port not a number", ["serve", "--port", "http"], "不是整數"),
    ("port out of range", ["serve", "--port", "99999"], "連接埠"),
]


@pytest.mark.parametrize(("label", "argv", "needle"), MISTAKES, ids=[m[0] for m in MISTAKES])
def test_every_mistake_is_one_chinese_line_and_exit_2(files: dict[str, Path], label: str, argv: list, needle: str) -> None:
    args = [a.format(**files) if isinstance(a, str) else a for a in argv]
    assert_usage_error(run_dlp(*args, cwd=files["dir"]), needle)


def test_a_file_that_is_not_a_mail_is_refused_after_the_packs_load(files: dict[str, Path]) -> None:
    assert_usage_error(run_dlp("scan", "-f", files["not_mail"], cwd=files["dir"]), "不是可以讀取的電子郵件")


def test_bare_dlp_prints_help_and_version_is_the_package_version(tmp_path: Path) -> None:
    bare = run_dlp(cwd=tmp_path)
    assert bare.returncode == 0 and b"usage: dlp" in bare.stdout and b"scan" in bare.stdout
    version = run_dlp("--version", cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.decode().strip() == f"dlp {dlp.__version__}"


def test_output_cut_short_by_a_closed_pipe_is_not_an_error(tmp_path: Path) -> None:
    with subprocess.Popen([str(DLP), "scan", "--samples"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          stdin=subprocess.DEVNULL, cwd=tmp_path) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        first = proc.stdout.readline()
        proc.stdout.close()  # like `| head -1`
        err = proc.stderr.read()
        proc.wait(timeout=120)
    assert first.startswith(b"== ")
    assert b"Traceback" not in err and b"Exception ignored" not in err, err.decode()


# -- text in any encoding --------------------------------------------------------------------------------


def _report(proc: subprocess.CompletedProcess[bytes]) -> dict:
    return json.loads(proc.stdout.decode("utf-8"))


def test_big5_on_stdin_reports_the_marking_and_the_id_and_blocks(tmp_path: Path) -> None:
    # iconv -t big5 <<< '機密 身分證字號 D104553971' | dlp scan -
    table = run_dlp("scan", "-", stdin=BIG5_MARKED, cwd=tmp_path)
    assert table.returncode == 6, table.stderr.decode()
    out = table.stdout.decode()
    assert "SECRECY_MARKING(confidential)" in out and "TW_NATIONAL_ID" in out and "D104553971" not in out
    report = _report(run_dlp("scan", "--json", "-", stdin=BIG5_MARKED, cwd=tmp_path))
    assert {f["type"] for f in report["findings"]} == {"SECRECY_MARKING", "TW_NATIONAL_ID"}
    ids = [f for f in report["findings"] if f["type"] == "TW_NATIONAL_ID"]
    assert "機密 身分證字號 D104553971"[ids[0]["start"]:ids[0]["end"]] == "D104553971"
    assert report["not_inspected"] == []


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "cp950"])
def test_files_and_stdin_in_any_encoding_are_decoded_like_attachments(tmp_path: Path, encoding: str) -> None:
    data = ("承辦人王小明，" + ID_TEXT).encode(encoding)
    (tmp_path / "note.txt").write_bytes(data)
    from_stdin = _report(run_dlp("scan", "--json", stdin=data, cwd=tmp_path))
    from_file = _report(run_dlp("scan", "--json", "-f", "note.txt", cwd=tmp_path))
    assert {f["type"] for f in from_stdin["findings"]} == {"PERSON", "TW_NATIONAL_ID"}
    assert {f["type"] for f in from_file["findings"]} == {"PERSON", "TW_NATIONAL_ID"}
    assert {f["location"] for f in from_file["findings"]} == {"attachment:note.txt#body"}


def test_an_argument_in_big5_bytes_is_decoded_and_junk_bytes_are_replaced_and_reported(tmp_path: Path) -> None:
    big5 = _report(run_dlp("scan", "--json", ID_TEXT.encode("big5"), cwd=tmp_path))
    assert [f["type"] for f in big5["findings"]] == ["TW_NATIONAL_ID"] and big5["not_inspected"] == []
    junk = run_dlp("scan", "--json", b"\xff\xfa\xfb " + ID_TEXT.encode(), cwd=tmp_path)
    report = _report(junk)
    assert [f["type"] for f in report["findings"]] == ["TW_NATIONAL_ID"]
    assert report["not_inspected"] and "U+FFFD" in report["not_inspected"][0]["reason"]
    assert junk.returncode == 5


def test_redact_and_explain_read_big5_stdin(tmp_path: Path) -> None:
    masked = run_dlp("redact", stdin=("手機 0912-345-678，" + ID_TEXT).encode("big5"), cwd=tmp_path)
    assert masked.returncode == 0 and masked.stdout.decode().strip() == "手機 0912-***-678，身分證字號 D10****971"
    explained = run_dlp("explain", "-", stdin=BIG5_MARKED, cwd=tmp_path)
    assert explained.returncode == 0 and "KEEP  SECRECY_MARKING level=confidential" in explained.stdout.decode()


# -- reproducing a gateway decision ------------------------------------------------------------------------


def test_an_eml_is_one_message_with_its_envelope_unless_overridden(tmp_path: Path) -> None:
    mail = builders.eml_big5("承辦人王小明，" + ID_TEXT, attachment=("名冊.txt", "手機 0912-345-678".encode()),
                             subject="[密] 補助名冊")
    (tmp_path / "mail.eml").write_bytes(mail)
    report = _report(run_dlp("scan", "--json", "-f", "mail.eml", cwd=tmp_path))
    assert report["input"] == "mail.eml"
    assert report["destination"]["column"] == "personal_webmail"  # To: someone@gmail.com
    assert report["secrecy_level"] == "official_secret" and report["action"] == "block"
    locations = {f["location"] for f in report["findings"]}
    assert {"subject", "body", "attachment:名冊.txt#body"} <= locations
    inside = run_dlp("scan", "--json", "-f", "mail.eml", "--to", "colleague@hl.gov.tw", cwd=tmp_path)
    assert _report(inside)["destination"]["column"] == "internal_mail"
    assert _report(inside)["action"] == "warn" and inside.returncode == 3  # 密 inside the agency


def test_attach_scans_a_body_and_its_attachments_as_one_message(tmp_path: Path) -> None:
    (tmp_path / "letter.docx").write_bytes(builders.docx(body="主旨：檢送會議紀錄，請查照。", header="機密"))
    (tmp_path / "phones.txt").write_bytes("聯絡人 陳美玲 0912-345-678".encode("cp950"))
    proc = run_dlp("scan", "--json", "請查收附件", "--to", "colleague@hl.gov.tw",
                   "--attach", "letter.docx", "phones.txt", cwd=tmp_path)
    report = _report(proc)
    assert isinstance(report, dict) and report["input"] == "argument"  # one message, not three
    assert {f["location"] for f in report["findings"]} >= {"attachment:letter.docx#header", "attachment:phones.txt#body"}
    assert report["action"] == "block" and proc.returncode == 6


def test_explain_takes_the_destination_and_prints_the_decision_scan_makes(tmp_path: Path) -> None:
    # 社福科承辦群組 is registered in the bundled conversations.yaml (the registry decides that, not a
    # claim); a larger member count than the registry's is kept, so the large-group raise applies.
    args = ["--channel", "chat", "--conversation", "C7e21d4b8a9f0c3e6d5b4a39281706f5e", "--members", "200"]
    scan = run_dlp("scan", *args, ID_TEXT, cwd=tmp_path)
    explain = run_dlp("explain", *args, "--exit-code", ID_TEXT, cwd=tmp_path)
    out = explain.stdout.decode()
    assert explain.returncode == scan.returncode == 5
    assert "結果：action=quarantine" in out
    assert "目的地：已登記的公務群組" in out and "200 位成員" in out
    assert "觸發：identifiers → redact（registered_group）" in out and "觸發：large_group → quarantine" in out
    assert "理由：對話「社福科承辦群組」有 200 位成員" in out
    doc = _report(run_dlp("explain", "--json", *args, ID_TEXT, cwd=tmp_path))
    assert doc["report"]["action"] == "quarantine" and any(c["type"] == "TW_NATIONAL_ID" for c in doc["candidates"])


def _run_on_a_terminal(args: list[str], cwd: Path) -> tuple[int, bytes, bytes]:
    """``dlp ARGS`` with stderr on a pseudo-terminal (stdout a pipe): what a person would see."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([str(DLP), *args], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave, cwd=cwd)
    os.close(slave)
    seen = b""
    while True:
        ready, _, _ = select.select([master], [], [], 120)
        if not ready:
            break
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    out = proc.stdout.read() if proc.stdout else b""
    if proc.stdout:
        proc.stdout.close()
    return proc.wait(timeout=120), out, seen


def test_long_input_shows_progress_on_a_terminal_only(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(("公告事項：請各單位依限辦理。\n" * 12_000).encode())  # > 256 KiB
    code, out, terminal = _run_on_a_terminal(["scan", "-f", "big.txt"], tmp_path)
    assert code == 0 and out.startswith(b"== big.txt")
    assert "掃描 1/1：big.txt".encode() in terminal and b"\x1b[K" in terminal
    assert "掃描".encode() not in out  # never in the output itself
    code, out, terminal = _run_on_a_terminal(["scan", "--json", "-f", "big.txt"], tmp_path)
    assert code == 0 and json.loads(out)["action"] == "allow" and "掃描".encode() not in terminal
    piped = run_dlp("scan", "-f", "big.txt", cwd=tmp_path)
    assert "掃描".encode() not in piped.stderr


# -- the tuning loop ---------------------------------------------------------------------------------------


@pytest.fixture()
def packs(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "patterns", tmp_path / "p")
    return tmp_path / "p"


def test_patterns_test_validates_the_policy_and_names_the_line(packs: Path) -> None:
    policy = packs / "policy.yaml"
    text = policy.read_text(encoding="utf-8")
    rows = text.splitlines()
    start = rows.index("  - id: bulk")
    line = next(i for i in range(start, len(rows)) if rows[i].startswith("    actions:")) + 1  # 1-based
    policy.write_text(text.replace(
        "personal_webmail: block, registered_group: block, other_chat: block}\n    reason: 本訊息含大量",
        "personal_webmail: deny, registered_group: block, other_chat: block}\n    reason: 本訊息含大量", 1), encoding="utf-8")
    proc = run_dlp("patterns", "test", packs)
    out = proc.stdout.decode()
    assert proc.returncode == 1, out
    assert f"policy.yaml 第 {line} 行，規則 rules.bulk.actions.personal_webmail：未知的處置「deny」" in out
    scan = run_dlp("scan", "--patterns", packs, "本文")
    assert scan.returncode == 1 and f"第 {line} 行" in scan.stderr.decode()


def test_a_failing_decision_example_fails_the_test_and_refuses_the_policy(packs: Path) -> None:
    policy = packs / "policy.yaml"
    text = policy.read_text(encoding="utf-8")
    policy.write_text(text.replace("    to: someone@gmail.com\n    expect: quarantine", "    to: someone@gmail.com\n    expect: allow", 1),
                      encoding="utf-8")
    proc = run_dlp("patterns", "test", packs)
    out = proc.stdout.decode()
    assert proc.returncode == 1 and "FAIL policy.yaml 第 " in out and "examples[0]" in out
    assert "預期處置「允許」（allow），實際為「暫緩待審」（quarantine）" in out
    assert "12 個處置範例通過，1 個失敗" in out
    refused = run_dlp("scan", "--patterns", packs, ID_TEXT)
    assert refused.returncode == 1 and "examples[0]" in refused.stderr.decode()


def test_a_broken_pack_names_the_rule_line(packs: Path) -> None:
    pack = packs / "personal_data.yaml"
    text = pack.read_text(encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "- id: tw-national-id" in row)
    pack.write_text(text.replace("- 身分證字號：D104553971", "- 身分證字號：D104553972"), encoding="utf-8")
    proc = run_dlp("patterns", "test", packs)
    assert proc.returncode == 1
    assert f"FAIL personal_data.yaml 第 {line} 行，規則 tw-national-id：範例「身分證字號：D104553972」" in proc.stdout.decode()


def test_patterns_schema_prints_the_published_schema(tmp_path: Path) -> None:
    for kind in ("pack", "policy"):
        proc = run_dlp("patterns", "schema", kind, cwd=tmp_path)
        assert proc.returncode == 0
        published = (REPO / "patterns" / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8")
        assert json.loads(proc.stdout) == json.loads(published)
        assert has_chinese(json.loads(proc.stdout)["description"])
