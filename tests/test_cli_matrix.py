"""The ``dlp`` commands through the installed entry point, one case per surface and exit code
that ``tests/test_cli.py`` does not already run (issue 19, part 3).

``tests/test_cli.py`` has the exit-2 mistakes, exit 1 for refused packs and policy, and exits 3, 5
and 6 from mails, Big5 stdin and ``explain``. Here: ``scan`` exit 0 and 4, a text argument with
``--json``, ``-f`` with the chat destination flags, stdin with the mail destination flags; ``redact``
and ``patterns list``/``test`` on the bundled packs; ``eval`` with floors on the hard cases and on a
generated corpus (exit 0, and exit 1 naming the one floor missed); ``corpus generate`` to stdout;
``keys``; ``audit verify`` exit 0, 1 (a full forgery: edit, rehash, relink) and 2 (a keyed log and
no key).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from cli_run import run_dlp
from test_detection_corpora import FLOORS

from dlp.audit import AuditLog, record_hash

REPO = Path(__file__).resolve().parents[1]
PATTERNS = REPO / "patterns"
HARD_CASES = REPO / "tests" / "data" / "hard_cases.jsonl"
ID_TEXT = "身分證字號 D104553971"


def _json(proc) -> dict:
    assert proc.stderr == b"", proc.stderr.decode()
    return json.loads(proc.stdout)


# -- scan: every decision exit code the other file does not run ----------------------------------------


def test_scan_text_argument_json_allow_exits_0(tmp_path: Path) -> None:
    proc = run_dlp("scan", "--json", "會議改到下午三點，請準時出席。", cwd=tmp_path)
    assert proc.returncode == 0
    report = _json(proc)
    assert report["action"] == "allow" and report["reasons"] == [] and report["findings"] == []


def test_scan_file_to_an_outside_chat_group_redacts_and_exits_4(tmp_path: Path) -> None:
    path = tmp_path / "名單.txt"
    path.write_text(ID_TEXT + "\n", encoding="utf-8")
    proc = run_dlp("scan", "-f", path, "--channel", "chat", "--conversation", "g1", "--members", "5",
                   "--external-members", "2", cwd=tmp_path)
    out = proc.stdout.decode()
    assert proc.returncode == 4, out + proc.stderr.decode()
    assert "action=redact" in out
    assert "理由：本訊息含 1 筆身分證統一編號，個人資料遮蔽後才能以通訊軟體傳送至「g1」" in out
    assert "TW_NATIONAL_ID  attachment:名單.txt#body:6-16  身分證字號 D10****971" in out
    assert "D104553971" not in out  # the table shows the masked excerpt only


def test_scan_stdin_with_mail_destination_flags_quarantines_and_exits_5(tmp_path: Path) -> None:
    proc = run_dlp("scan", "-", "--json", "--from", "clerk@hl.gov.tw", "--to", "someone@gmail.com", "--subject", "名冊",
                   stdin=ID_TEXT.encode(), cwd=tmp_path)
    assert proc.returncode == 5
    report = _json(proc)
    assert report["action"] == "quarantine"
    assert report["reasons"] == ["本訊息含 1 筆身分證統一編號，已暫緩，須經主管或資安人員審核後才能寄至個人電子信箱"]
    assert report["destination"]["column"] == "personal_webmail"
    assert [(f["type"], f["start"], f["end"]) for f in report["findings"]] == [("TW_NATIONAL_ID", 6, 16)]


def test_redact_a_text_argument(tmp_path: Path) -> None:
    proc = run_dlp("redact", "手機0912-345-678，身分證字號 D104553971", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout.decode().strip() == "手機0912-***-678，身分證字號 D10****971"


# -- patterns ------------------------------------------------------------------------------------------


def test_patterns_list_names_every_bundled_pack_with_its_content_hash(tmp_path: Path) -> None:
    proc = run_dlp("patterns", "list", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    out = proc.stdout.decode()
    for name in ("person.yaml", "personal_data.yaml", "secrecy.yaml"):
        digest = hashlib.sha256((PATTERNS / name).read_bytes()).hexdigest()[:16]
        assert any(line.startswith(name + " ") and f"sha256={digest}" in line for line in out.splitlines()), (name, out)
    rows = {line.split()[0] for line in out.splitlines() if line.split() and "-" in line.split()[0]}
    assert {"tw-national-id", "tw-phone-mobile", "person-name-zh"} <= rows


def test_patterns_test_passes_on_the_bundled_packs_and_policy(tmp_path: Path) -> None:
    proc = run_dlp("patterns", "test", cwd=tmp_path)
    out = proc.stdout.decode()
    assert proc.returncode == 0, out + proc.stderr.decode()
    assert " 0 failed " in out and "0 個失敗" in out


# -- eval with floors ----------------------------------------------------------------------------------


def _floor_args(specs: list[str]) -> list[str]:
    return [arg for spec in specs for arg in ("--fail-under", spec)]


def test_eval_of_the_hard_cases_meets_its_floors(tmp_path: Path) -> None:
    proc = run_dlp("eval", HARD_CASES, *_floor_args(FLOORS["hard_cases.jsonl"]), cwd=tmp_path)
    out = proc.stdout.decode()
    assert proc.returncode == 0, out[-3000:] + proc.stderr.decode()
    assert "未達門檻" not in out + proc.stderr.decode()


def test_eval_of_a_generated_corpus_meets_its_floors_and_a_missed_floor_exits_1(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    made = run_dlp("corpus", "generate", "-n", "150", "--seed", "19", "-o", corpus, cwd=tmp_path)
    assert made.returncode == 0 and len(corpus.read_text(encoding="utf-8").splitlines()) == 150
    # One label that no detector can find: TW_PHONE's recall is then below 1, everything else stays.
    with corpus.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "sabotage", "text": "今天天氣很好",
                             "entities": [{"type": "TW_PHONE", "start": 0, "end": 2}]}, ensure_ascii=False) + "\n")
    floors = ["PII.precision=0.97", "PII.recall=0.97", "TW_NATIONAL_ID=0.98", "TW_PHONE.recall=1.0"]
    proc = run_dlp("eval", corpus, *_floor_args(floors), cwd=tmp_path)
    out = proc.stdout.decode() + proc.stderr.decode()
    assert proc.returncode == 1, out[-3000:]
    missed = [line for line in out.splitlines() if line.startswith("未達門檻")]
    assert len(missed) == 1 and missed[0].startswith("未達門檻 TW_PHONE.recall>=1："), missed
    assert "sabotage  fn  TW_PHONE  body:0-2  「今天」" in out


def test_corpus_generate_to_stdout_is_deterministic_per_seed(tmp_path: Path) -> None:
    first = run_dlp("corpus", "generate", "-n", "7", "--seed", "3", cwd=tmp_path)
    again = run_dlp("corpus", "generate", "-n", "7", "--seed", "3", cwd=tmp_path)
    assert first.returncode == again.returncode == 0
    records = [json.loads(line) for line in first.stdout.decode().splitlines()]
    assert len(records) == 7 and first.stdout == again.stdout
    assert all(set(r) >= {"id", "text", "entities"} for r in records)


# -- keys ----------------------------------------------------------------------------------------------


def test_keys_add_prints_the_key_once_and_list_never_shows_it(tmp_path: Path) -> None:
    env = {"DLP_KEYS_FILE": str(tmp_path / "keys.json")}
    added = run_dlp("keys", "add", "ops-console", "--scope", "admin", cwd=tmp_path, env=env)
    assert added.returncode == 0, added.stderr.decode()
    key = added.stdout.decode().strip()
    assert len(key) >= 24 and "\n" not in key
    assert key not in (tmp_path / "keys.json").read_text(encoding="utf-8")  # kept hashed
    listed = run_dlp("keys", "list", cwd=tmp_path, env=env)
    assert listed.returncode == 0
    line = next(line for line in listed.stdout.decode().splitlines() if "ops-console" in line)
    assert "admin" in line and key not in listed.stdout.decode()


# -- audit verify: 0 intact, 1 tampered, 2 unreadable --------------------------------------------------


@pytest.fixture()
def audit_log(tmp_path: Path) -> Path:
    path = tmp_path / "audit.jsonl"
    log = AuditLog(path)
    for i in range(5):
        log.append({"event": "decision", "request_id": f"r{i}", "action": "block"})
    return path


def test_audit_verify_an_intact_log_exits_0(audit_log: Path) -> None:
    proc = run_dlp("audit", "verify", audit_log, cwd=audit_log.parent)
    assert proc.returncode == 0, proc.stdout.decode() + proc.stderr.decode()
    assert "5 records in 1 file(s); last seq 4" in proc.stdout.decode()


def test_audit_verify_a_full_forgery_exits_1_and_names_the_line(audit_log: Path) -> None:
    records = [json.loads(line) for line in audit_log.read_text(encoding="utf-8").splitlines()]
    records[1]["action"] = "allow"                    # edit
    records[1]["hash"] = record_hash(records[1])      # rehash
    records[2]["prev"] = records[1]["hash"]           # relink
    audit_log.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    proc = run_dlp("audit", "verify", audit_log, cwd=audit_log.parent)
    out = proc.stdout.decode()
    assert proc.returncode == 1, out + proc.stderr.decode()
    tampered = [line for line in out.splitlines() if line.startswith("竄改 ")]
    assert tampered and all(f"{audit_log.name}:3 " in line for line in tampered), out


def test_audit_verify_a_keyed_log_without_its_key_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    AuditLog(path, hmac_key=b"k" * 32).append({"event": "decision", "action": "block"})
    proc = run_dlp("audit", "verify", path, cwd=tmp_path, env={"DLP_SECRETS_DIR": str(tmp_path / "no-secrets")})
    assert proc.returncode == 2, proc.stdout.decode() + proc.stderr.decode()
    assert "沒有金鑰無法驗證" in proc.stderr.decode()


# -- conversations check, and serve's refusal to start -------------------------------------------------


def test_conversations_check_passes_on_the_bundled_registry_and_a_bad_key_exits_1(tmp_path: Path) -> None:
    ok = run_dlp("conversations", "check", cwd=tmp_path)
    assert ok.returncode == 0 and "全部通過" in ok.stdout.decode(), ok.stdout.decode() + ok.stderr.decode()
    packs = tmp_path / "packs"
    packs.mkdir()
    for pack in PATTERNS.glob("*.yaml"):
        (packs / pack.name).write_bytes(pack.read_bytes())
    registry = packs / "conversations.yaml"
    text = registry.read_text(encoding="utf-8")
    registry.write_text(text.replace("registry:\n  version: 1", "registry:\n  version: 1\n  colour: blue", 1), encoding="utf-8")
    bad = run_dlp("conversations", "check", packs, cwd=tmp_path)
    err = bad.stdout.decode() + bad.stderr.decode()
    assert bad.returncode == 1, err
    assert "conversations.yaml，規則 registry.colour：未知的欄位「colour」" in err


def test_serve_refuses_a_short_audit_salt_with_one_line_and_exit_2(tmp_path: Path) -> None:
    proc = run_dlp("serve", "--port", "1", cwd=tmp_path,
                   env={"DLP_AUDIT_SALT": "short", "DLP_KEYS_FILE": str(tmp_path / "keys.json")})
    lines = [line for line in proc.stderr.decode().splitlines() if line.strip()]
    assert proc.returncode == 2 and len(lines) == 1, lines
    assert "DLP_AUDIT_SALT" in lines[0] and "至少 16 個字元" in lines[0]


def test_serve_refuses_an_unreachable_store_with_one_line_and_exit_2(tmp_path: Path) -> None:
    # the schema is brought up to date once, before any worker starts: a store it cannot reach
    # stops dlp serve at once (not N workers crashing one after the other)
    proc = run_dlp("serve", "--port", "1", cwd=tmp_path,
                   env={"DLP_DATABASE_URL": "postgresql://nobody:x@127.0.0.1:1/none",
                        "DLP_KEYS_FILE": str(tmp_path / "keys.json"), "DLP_AUDIT_LOG": str(tmp_path / "audit.jsonl")})
    lines = [line for line in proc.stderr.decode().splitlines() if line.strip()]
    assert proc.returncode == 2 and len(lines) == 1, lines
    assert lines[0].startswith("無法啟動：無法連上事件資料庫") and "x@" not in lines[0], lines
