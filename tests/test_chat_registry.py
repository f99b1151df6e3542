"""The conversation registry in the library: what a caller claims about a group, what decides."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from chat_helpers import CASE_REPORT, ONE_ID, TEST_REGISTRY, chat_patterns
from hypothesis import given, settings
from hypothesis import strategies as st

from dlp import Conversation, Message
from dlp.conversations import (
    CONVERSATIONS_FILE,
    ConversationRegistry,
    load_registry,
    parse_registry,
)
from dlp.errors import PackError, PackErrors
from dlp.patterns import bundled_patterns_dir, pack_files
from dlp.policy import DEFAULT_POLICY_PATH, Policy
from dlp.policy_schema import parse_policy

BAD = "Cbad00000000000000000000000000001"  # unregistered, 180 members, 150 outsiders, allowed 無
GOOD = "Cgood0000000000000000000000000002"  # registered, allowed 限閱
TEAM = "Cteam0000000000000000000000000003"  # registered 偵查小組, allowed 密


@pytest.fixture(scope="module")
def patterns(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return chat_patterns(tmp_path_factory.mktemp("chat_patterns"))


@pytest.fixture(scope="module")
def chat_scanner(patterns: Path):
    from dlp.scanner import Scanner

    return Scanner(patterns_dir=patterns)


@pytest.fixture(scope="module")
def registry(patterns: Path) -> ConversationRegistry:
    return load_registry(patterns)


def chat(text: str, conv: Conversation) -> Message:
    return Message(text=text, channel="chat", conversation=conv)


def errors_of(doc: dict) -> list[PackError]:
    with pytest.raises(PackErrors) as info:
        parse_registry(doc, CONVERSATIONS_FILE)
    return info.value.errors


def base_doc() -> dict:
    return yaml.safe_load(TEST_REGISTRY)


# -- the Done-when item, in the library -------------------------------------------------------------
def test_a_claim_of_registered_for_a_registry_unregistered_group_is_decided_as_unregistered(chat_scanner) -> None:
    claim = Conversation(BAD, "公務聯繫群組", members=5, external_members=0, registered=True, platform="line")
    report = chat_scanner.scan(chat(ONE_ID, claim))
    dest = report.destination
    assert dest["column"] == "other_chat"
    conv = dest["conversation"]
    assert conv["registered"] is False and conv["source"] == "registry"
    assert conv["members"] == 180 and conv["external_members"] == 150 and conv["name"] == "反年金改革群組"
    assert conv["ignored_claims"] == {"registered": True, "name": "公務聯繫群組", "members": 5}
    assert any("依登記清單判斷：未登記的群組" in n for n in dest["notes"])
    assert all("公務聯繫群組" not in r for r in report.reasons)  # the caller's name is not what the reason says
    assert claim.registered is True  # the caller's object is not changed


def test_the_bulletin_case_report_to_the_listed_unregistered_group_is_blocked_naming_it(chat_scanner) -> None:
    report = chat_scanner.scan(chat(CASE_REPORT, Conversation(BAD, registered=True, platform="line")))
    assert report.action == "block" and report.secrecy_level == "official_secret"
    assert "本訊息標示「密」，對話「反年金改革群組」可傳送的最高等級為「無」，依規定不得以通訊軟體傳送至「反年金改革群組」" in report.reasons


def test_an_unlisted_id_is_other_chat_whatever_it_claims(chat_scanner) -> None:
    report = chat_scanner.scan(chat(ONE_ID, Conversation("Cnot-listed", "自稱公務群組", 4, 0, True, platform="line")))
    conv = report.destination["conversation"]
    assert report.destination["column"] == "other_chat"
    assert conv["source"] == "unlisted" and conv["registered"] is False and conv["ignored_claims"] == {"registered": True}
    assert conv["members"] == 4  # claims that can only make it stricter are kept
    assert report.action == "redact" and "自稱公務群組" in report.reasons[0]


def test_a_listed_registered_group_gets_the_registered_column_without_claiming_it(chat_scanner) -> None:
    report = chat_scanner.scan(chat(ONE_ID, Conversation(GOOD)))  # no platform, no claims
    assert report.destination["column"] == "registered_group"
    assert report.action == "redact" and report.redacted_text is not None and "F235071300" not in report.redacted_text
    assert "公務群組「社福科承辦群組」" in report.reasons[0]


def test_more_outsiders_reported_than_registered_are_kept(chat_scanner) -> None:
    report = chat_scanner.scan(chat(ONE_ID, Conversation(GOOD, external_members=3, members=60, platform="line")))
    conv = report.destination["conversation"]
    assert conv["external_members"] == 3 and conv["members"] == 60
    assert report.destination["column"] == "other_chat"  # a registered group with outsiders is not a registered group
    assert any("採較多者" in n for n in report.destination["notes"])


def test_mail_and_chat_without_conversation_are_untouched(chat_scanner) -> None:
    mail = chat_scanner.scan(Message(text=ONE_ID, recipients=["a@gmail.com"]))
    assert "conversation" not in mail.destination
    bare = chat_scanner.scan(Message(text=ONE_ID, channel="chat"))
    assert bare.destination["column"] == "other_chat" and "conversation" not in bare.destination


# -- the allowed level --------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "conv_id", "action", "reason_part"), [
    ("密\n偵辦進度報告：嫌犯已鎖定兩處落腳地點。", TEAM, "warn", "對話「擄人勒贖案偵查小組」登記可傳送至「密」"),
    ("機密\n本案偵辦計畫", TEAM, "block", "對話「擄人勒贖案偵查小組」可傳送的最高等級為「密」"),
    ("密\n補助案件進度", GOOD, "block", "對話「社福科承辦群組」可傳送的最高等級為「限閱」"),
    ("限閱\n補助案件進度", GOOD, "warn", "對話「社福科承辦群組」登記可傳送至「限閱」"),
])
def test_the_allowed_level_names_the_group(chat_scanner, text: str, conv_id: str, action: str, reason_part: str) -> None:
    report = chat_scanner.scan(chat(text, Conversation(conv_id, platform="line")))
    assert report.action == action, report.reasons
    assert any(reason_part in r for r in report.reasons), report.reasons


def test_a_caller_cannot_claim_an_allowed_level(chat_scanner) -> None:
    forged = Conversation("Cnot-listed", "群組", 3, 0, True, platform="line", allowed_level="top_secret")
    report = chat_scanner.scan(chat("密\n偵辦進度報告：嫌犯已鎖定兩處落腳地點。", forged))
    assert report.action == "block"
    assert report.destination["conversation"]["ignored_claims"]["allowed_level"] == "top_secret"


def test_the_policy_decides_what_within_and_above_mean() -> None:
    doc = yaml.safe_load(DEFAULT_POLICY_PATH.read_text(encoding="utf-8"))
    doc["conversation_levels"]["within"] = "allow"
    doc["conversation_levels"]["above"] = "quarantine"
    policy = Policy(parse_policy(doc, "policy.yaml"))
    within = Conversation("t", "小組", 5, 0, True, allowed_level="official_secret")
    from dlp.model import Finding

    mark = Finding("secrecy", "SECRECY_MARKING", "body", 0, 1, 0.9, "r", level="official_secret")
    assert policy.decide(chat("密", within), [mark]).action == "allow"
    above = Conversation("u", "群組", 5, 0, True, allowed_level="restricted")
    d = policy.decide(chat("密", above), [mark])
    assert d.action == "block"  # the marking row still blocks 密 to a registered group
    assert any(f["row"] == "conversation_level" and f["action"] == "quarantine" for f in d.fired)


def test_conversation_levels_are_validated_like_the_rest_of_the_policy() -> None:
    doc = yaml.safe_load(DEFAULT_POLICY_PATH.read_text(encoding="utf-8"))
    doc["conversation_levels"] = {"above": "explode", "reason": "{nope}", "rules": ["no-such-row"]}
    with pytest.raises(PackErrors) as info:
        parse_policy(doc, "policy.yaml")
    keys = {e.rule for e in info.value.errors}
    assert {"conversation_levels.above", "conversation_levels.reason", "conversation_levels.rules"} <= keys
    del doc["conversation_levels"]  # absent: the check still runs (block above the level)
    policy = Policy(parse_policy(doc, "policy.yaml"))
    assert policy.config.conversation_levels.above == "block"


# -- the file -----------------------------------------------------------------------------------------
def test_the_bundled_registry_loads_and_its_examples_pass(scanner) -> None:
    registry = scanner.state.conversations
    assert registry.file == CONVERSATIONS_FILE and len(registry) >= 3 and registry.examples
    assert any(p.file == CONVERSATIONS_FILE for p in scanner.packset.packs)
    assert CONVERSATIONS_FILE not in {p.name for p in pack_files(bundled_patterns_dir())}


@pytest.mark.parametrize(("change", "key", "words"), [
    (lambda d: d["conversations"][0].update(allowed_level="秘密"), "conversations[0]（Cbad00000000000000000000000000001）.allowed_level", "未知的機密等級"),
    (lambda d: d["conversations"].append(dict(d["conversations"][0])), "conversations[4].id", "重複登記"),
    (lambda d: d["conversations"][1].update(colour="red"), "conversations[1]（Cgood0000000000000000000000000002）.colour", "未知的欄位"),
    (lambda d: d["conversations"][1].update(members=2, external_members=5), "conversations[1]（Cgood0000000000000000000000000002）.external_members", "大於成員數"),
    (lambda d: d["conversations"][2].update(platform="LINE app"), "conversations[2]（Cteam0000000000000000000000000003）.platform", "平台名稱"),
    (lambda d: d["conversations"][2].pop("registered"), "conversations[2]（Cteam0000000000000000000000000003）.registered", "缺少必填欄位"),
    (lambda d: d.update(examples=[]), "examples", "至少要有一個範例"),
    (lambda d: d["examples"][0].update(expect={}), "examples[0].expect", "至少要寫一項預期結果"),
])
def test_a_bad_registry_is_refused_with_file_key_and_reason(change, key: str, words: str) -> None:
    doc = base_doc()
    change(doc)
    errors = errors_of(doc)
    assert any(e.file == CONVERSATIONS_FILE and e.rule == key and words in e.reason for e in errors), \
        [(e.rule, e.reason) for e in errors]


def test_every_problem_is_reported_at_once() -> None:
    doc = base_doc()
    doc["conversations"][0]["allowed_level"] = "x"
    doc["conversations"][1]["members"] = -1
    assert len(errors_of(doc)) == 2


def test_a_failing_example_refuses_the_registry_and_reload_keeps_the_running_one(patterns: Path, tmp_path: Path) -> None:
    from dlp.scanner import Scanner

    mine = tmp_path / "p"
    shutil.copytree(patterns, mine)
    scanner = Scanner(patterns_dir=mine)
    before = scanner.packset.version
    doc = base_doc()
    doc["examples"].append({"name": "錯誤的期待", "conversation": {"id": BAD}, "expect": {"registered": True}})
    (mine / CONVERSATIONS_FILE).write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(PackErrors) as info:
        scanner.reload()
    err = info.value.errors[0]
    assert (err.file, err.rule) == (CONVERSATIONS_FILE, "examples[1]") and "registered 預期 true，實際 false" in err.reason
    assert scanner.packset.version == before  # the running set stays
    # A good change is picked up by reload, and changes the patterns version (the registry decides too).
    doc = base_doc()
    doc["conversations"][0]["registered"] = True
    doc["conversations"][0]["external_members"] = 0
    doc["examples"][0]["expect"] = {"registered": True, "column": "registered_group"}
    (mine / CONVERSATIONS_FILE).write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    scanner.reload()
    assert scanner.packset.version != before
    assert scanner.scan(chat(ONE_ID, Conversation(BAD))).destination["column"] == "registered_group"


def test_no_registry_file_means_every_conversation_is_unlisted(tmp_path: Path) -> None:
    from dlp.scanner import Scanner
    from service.testing import write_test_packs

    scanner = Scanner(patterns_dir=write_test_packs(tmp_path))
    report = scanner.scan(chat("手機 0912-345-678", Conversation("g1", "群組", 3, 0, True)))
    assert report.destination["column"] == "other_chat"
    assert report.destination["conversation"]["source"] == "unlisted"


def test_an_id_listed_on_two_platforms_needs_the_platform(registry: ConversationRegistry) -> None:
    doc = base_doc()
    twin = dict(doc["conversations"][1], platform="rocketchat", registered=False)
    doc["conversations"].append(twin)
    reg = parse_registry(doc, CONVERSATIONS_FILE)
    assert reg.resolve(Conversation(GOOD, registered=True)).source == "unlisted"
    assert "登記於多個平台" in reg.resolve(Conversation(GOOD)).notes[0]
    assert reg.resolve(Conversation(GOOD, platform="LINE")).conversation.registered is True


# -- properties ---------------------------------------------------------------------------------------
claims = st.builds(
    Conversation,
    id=st.sampled_from([BAD, GOOD, TEAM, "Cunlisted", "", " " + BAD]),
    name=st.text(max_size=8),
    members=st.integers(0, 10_000),
    external_members=st.integers(0, 10_000),
    registered=st.booleans(),
    platform=st.sampled_from(["", "line", "LINE", "mattermost"]),
    allowed_level=st.sampled_from([None, "none", "top_secret"]),
)


@settings(max_examples=300, deadline=None)
@given(claim=claims)
def test_no_claim_loosens_what_the_registry_says(registry: ConversationRegistry, claim: Conversation) -> None:
    resolution = registry.resolve(claim)
    conv = resolution.conversation
    entry = resolution.entry
    if entry is None:
        assert conv.registered is False and conv.allowed_level is None
        assert (conv.members, conv.external_members) == (claim.members, claim.external_members)
    else:
        assert conv.registered == entry.registered and conv.allowed_level == entry.allowed_level
        assert conv.members >= (entry.members or 0) and conv.members >= claim.members
        assert conv.external_members >= (entry.external_members or 0) and conv.external_members >= claim.external_members
        assert conv.name == entry.name


@settings(max_examples=60, deadline=None)
@given(claim=claims)
def test_a_group_the_registry_lists_as_unregistered_is_never_a_registered_group(chat_scanner, claim: Conversation) -> None:
    from dataclasses import replace

    report = chat_scanner.scan(chat("", replace(claim, id=BAD, platform="line")))
    assert report.destination["column"] == "other_chat"
