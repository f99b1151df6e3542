"""Every issue's "Done when", through the public entry points: Scanner and the real CLI."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import builders
import yaml

from dlp import Attachment, Conversation, Message, Scanner

REPO = Path(__file__).resolve().parents[1]
BULLETIN = Path(__file__).resolve().parent / "data" / "awareness-bulletin.md"
DONE_WHEN = "承辦人王小明，身分證字號Ｄ１０４５５３９７１，手機0912-345-678"


def test_cli_scan_json_reports_person_id_and_phone_with_original_offsets():
    proc = subprocess.run(
        [sys.executable, "-m", "dlp.cli", "scan", "--json", DONE_WHEN],
        capture_output=True, text=True, cwd=REPO, timeout=120,
    )
    report = json.loads(proc.stdout)
    spans = {f["type"]: DONE_WHEN[f["start"]:f["end"]] for f in report["findings"]}
    assert spans == {"PERSON": "王小明", "TW_NATIONAL_ID": "Ｄ１０４５５３９７１", "TW_PHONE": "0912-345-678"}
    assert proc.returncode == 5  # no recipient: the strictest column, 1 identifier -> quarantine
    assert all("D104553971" not in f["excerpt"] and "Ｄ１０４５５３９７１" not in f["excerpt"] for f in report["findings"])


def test_cli_patterns_test_passes_on_the_bundled_packs_and_fails_on_a_broken_one(tmp_path):
    ok = subprocess.run([sys.executable, "-m", "dlp.cli", "patterns", "test"], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert ok.returncode == 0 and " 0 failed" in ok.stdout
    shutil.copytree(REPO / "patterns", tmp_path / "p")
    pack = tmp_path / "p" / "personal_data.yaml"
    pack.write_text(pack.read_text(encoding="utf-8").replace("- 身分證字號：D104553971", "- 身分證字號：D104553972"), encoding="utf-8")
    bad = subprocess.run([sys.executable, "-m", "dlp.cli", "patterns", "test", str(tmp_path / "p")], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert bad.returncode == 1 and "tw-national-id" in bad.stdout and "D104553972" in bad.stdout


def test_bulletin_is_unmarked_and_allowed_to_a_chat_group_with_outsiders(scanner):
    text = BULLETIN.read_text(encoding="utf-8")
    report = scanner.scan(Message(
        text=text, channel="chat",
        conversation=Conversation(id="g1", name="跨局處聯繫群組", members=120, external_members=15, registered=False),
    ))
    assert report.secrecy_level == "none"
    assert not [f for f in report.findings if f.type == "SECRECY_MARKING"]
    assert report.action == "allow"


def test_case_report_marked_mi_to_a_large_unregistered_group_is_blocked(scanner):
    text = (
        "密等及解密條件或保密期限：密（本件於公布時解密）\n"
        "主旨：擄人勒贖案偵辦進度報告\n說明：一、監視器調閱進度如附件。二、被害人家屬聯絡窗口另案通知。"
    )
    report = scanner.scan(Message(
        text=text, channel="chat",
        conversation=Conversation(id="g2", name="反年金改革群組", members=200, external_members=180, registered=False),
    ))
    assert report.secrecy_level == "official_secret"
    marking = next(f for f in report.findings if f.type == "SECRECY_MARKING")
    assert text[marking.start:marking.end] == "密" and marking.start == text.index("：密") + 1
    assert report.action == "block"
    assert any("密" in r and "通訊軟體" in r for r in report.reasons)


def test_vertical_simplified_stamp_with_zero_width_space(scanner):
    report = scanner.scan(Message(text="机\u200b密\n主旨：檢送計畫草案，請查照。"))
    assert report.secrecy_level == "confidential"


def test_redact_to_a_registered_group_masks_and_keeps_offsets(scanner):
    text = "申請人陳美玲，身分證字號F235071300，請協助補件。"
    report = scanner.scan(Message(
        text=text, channel="chat",
        conversation=Conversation(id="g3", name="社福科承辦群組", members=8, external_members=0, registered=True),
    ))
    assert report.action == "redact"
    assert report.redacted_text is not None and len(report.redacted_text) == len(text)
    assert "F235071300" not in report.redacted_text and "陳美玲" not in report.redacted_text
    assert report.redacted_text.startswith("申請人陳○玲，身分證字號F23")


def test_internal_mail_allows_what_personal_webmail_quarantines(scanner):
    text = "身分證字號 D104553971"
    inside = scanner.scan(Message(text=text, recipients=["王小明 <wang@mail.hl.gov.tw>"]))
    outside = scanner.scan(Message(text=text, recipients=["wang@mail.hl.gov.tw", "someone@GMAIL.com"]))
    spoofed = scanner.scan(Message(text=text, recipients=["x@gov.tw.evil.com"]))
    # gov.tw.evil.com: external (warn by the table) and a look-alike of gov.tw with an ID (issue 18: quarantine)
    assert (inside.action, outside.action, spoofed.action) == ("allow", "quarantine", "quarantine")
    assert any("gov.tw.evil.com" in r and "gov.tw" in r for r in spoofed.reasons)


def test_policy_threshold_change_changes_the_decision_without_code(tmp_path):
    shutil.copytree(REPO / "patterns", tmp_path / "p")
    ids = "、".join(["D104553971", "F235071300", "A900000016"])
    message = Message(text=f"身分證字號：{ids}", recipients=["a@example.org"])
    before = Scanner(patterns_dir=tmp_path / "p").scan(message).action
    policy_file = tmp_path / "p" / "policy.yaml"
    policy = yaml.safe_load(policy_file.read_text(encoding="utf-8"))
    text = policy_file.read_text(encoding="utf-8")
    assert policy["bulk"]["identifiers"] == 10 and text.count("identifiers: 10") == 1  # the edit below is that key
    policy_file.write_text(text.replace("identifiers: 10", "identifiers: 3", 1), encoding="utf-8")
    after = Scanner(patterns_dir=tmp_path / "p").scan(message).action
    assert (before, after) == ("warn", "quarantine")


def test_marking_only_in_a_docx_header_inside_a_zip():
    letter = builders.docx(body="主旨：檢送會議紀錄，請查照。", header="機密")
    bundle = builders.zip_of({"公文/會議紀錄.docx": letter})
    report = Scanner().scan(Message(
        text="請參閱附件。", recipients=["a@mail.hl.gov.tw"],
        attachments=[Attachment(filename="資料.zip", content=bundle)],
    ))
    assert report.secrecy_level == "confidential"
    marking = next(f for f in report.findings if f.type == "SECRECY_MARKING")
    assert marking.location == "attachment:資料.zip/公文/會議紀錄.docx#header"
    assert report.action == "block"


def test_encrypted_zip_and_bomb_are_findings_not_silent_allows(scanner):
    locked = builders.zip_encrypted({"名冊.xlsx": builders.xlsx_residents(3)})
    bomb = builders.zip_bomb()
    report = scanner.scan(Message(
        text="附件請查收", recipients=["a@example.org"],
        attachments=[Attachment("locked.zip", locked), Attachment("big.zip", bomb), Attachment("note.txt", "手機0912-345-678".encode())],
    ))
    types = {f.type for f in report.findings}
    assert {"ENCRYPTED_ATTACHMENT", "LIMIT_EXCEEDED", "TW_PHONE"} <= types
    assert report.action == "quarantine"


_WITHOUT_HYPERSCAN = """
import json, sys
sys.modules["hyperscan"] = None  # the wheel is absent: importing it fails
from dlp import Scanner, Message
from dlp.prefilter import hyperscan
assert hyperscan is None
scanner = Scanner()
assert not scanner.state.analyzer.prefilter.active
text = sys.argv[1]
report = scanner.scan(Message(text=text))
print(json.dumps(sorted((f.type, f.start, f.end) for f in report.findings)))
"""


def test_the_pure_python_path_without_hyperscan_finds_the_same(scanner):
    text = DONE_WHEN + "\n機密\n地址：花蓮縣花蓮市府前路17號，出生日期：75年3月2日，信用卡號 4563-1234-5678-9016"
    proc = subprocess.run(
        [sys.executable, "-c", _WITHOUT_HYPERSCAN, text], capture_output=True, text=True, cwd=REPO, timeout=180
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    without = [tuple(x) for x in json.loads(proc.stdout.strip().splitlines()[-1])]
    with_hs = sorted((f.type, f.start, f.end) for f in scanner.scan(Message(text=text)).findings)
    assert scanner.state.analyzer.prefilter.active
    assert without == with_hs and len(with_hs) >= 7


def test_findings_made_before_the_scan_take_part_in_the_decision(scanner):
    from dlp import Finding

    broken = Finding(kind="uninspectable", type="UNREADABLE_ATTACHMENT", location="attachment:part-2",
                     start=0, end=0, score=1.0, rule="extract.unreadable", excerpt="MIME 部分無法解析")
    message = Message(text="會議改到下午三點。", recipients=["a@example.org"])
    assert scanner.scan(message).action == "allow"
    report = scanner.scan(message, extra_findings=[broken])
    assert report.action == "quarantine" and report.findings[0] is broken
