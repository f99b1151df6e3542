"""The policy's documented edges (docs/policy.md): every reason placeholder, the allowed-level
check, the exception conditions, unknown marking levels, and the decision and summary reports."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_policy import contacts, finding, ids, marking, to_column, write_policy

from dlp.errors import PackError, PackErrors
from dlp.extract.limits import Limits
from dlp.misdirection import DestinationFacts, HistoryFacts, Usage
from dlp.model import Conversation, Message
from dlp.policy import DEFAULT_POLICY_PATH, Policy


def edited(tmp_path: Path, edit: Callable[[dict[str, Any]], None]) -> Policy:
    return Policy.load(write_policy(tmp_path, edit))


def group(allowed_level: str, name: str = "業務群組", members: int = 10) -> Message:
    """A registered group without outsiders whose registry entry allows ``allowed_level``."""
    return Message(channel="chat", conversation=Conversation("g1", name, members, 0, True, allowed_level=allowed_level))


# -- markings --------------------------------------------------------------------------------
@pytest.mark.parametrize("level", [None, "classified"])
def test_a_marking_without_a_known_level_is_taken_as_confidential(level: str | None) -> None:
    d = Policy.default().decide(to_column("internal_mail"), [marking(level)])  # type: ignore[arg-type]
    assert d.secrecy_level == "confidential"
    assert d.action == "block"
    assert d.reasons == ["本訊息標示「機密」，依規定不得寄至機關內部信箱"]


# -- which rows fire ---------------------------------------------------------------------------
def test_exclusive_rows_yield_to_other_personal_data_but_not_to_markings() -> None:
    policy = Policy.default()
    assert [f["row"] for f in policy.decide(to_column("internal_mail"), contacts(3) + ids(1)).fired] == ["identifiers"]
    marked = policy.decide(to_column("internal_mail"), [marking("restricted"), *contacts(2)])
    assert [f["row"] for f in marked.fired] == ["marking-restricted", "contact-only"]


def test_max_distinct_is_inclusive(tmp_path: Path) -> None:
    def edit(d: dict[str, Any]) -> None:
        next(r for r in d["rules"] if r["id"] == "identifiers")["when"]["max_distinct"] = 3

    policy = edited(tmp_path, edit)
    assert policy.decide(to_column("external_mail"), ids(3)).action == "warn"
    assert policy.decide(to_column("external_mail"), ids(4)).action == "allow"


# -- reasons: every placeholder ------------------------------------------------------------
def test_found_lists_every_type_with_its_count() -> None:
    d = Policy.default().decide(to_column("external_mail"), [finding("HEALTH_DATA", "糖尿病"),
                                                             finding("CRIMINAL_RECORD", "竊盜前科"),
                                                             finding("CRIMINAL_RECORD", "詐欺前科", start=40)])
    assert d.reasons == ["本訊息含特種個人資料（1 處病歷、醫療或健康檢查資料、2 處犯罪前科資料），"
                         "已暫緩，須經主管或資安人員審核後才能寄至機關外部信箱"]


def _every_placeholder(d: dict[str, Any]) -> None:
    d["verdicts"]["block"] = "依規定不得{to}（{destination}）"
    special = next(r for r in d["rules"] if r["id"] == "special-categories")
    special["reason"] = "{row}｜{found}｜{count}｜{marking}｜{to}｜{destination}｜{verdict}"


def test_a_row_reason_fills_every_documented_placeholder(tmp_path: Path) -> None:
    policy = edited(tmp_path, _every_placeholder)
    d = policy.decide(to_column("personal_webmail"), [finding("HEALTH_DATA", "糖尿病"), finding("CRIMINAL_RECORD", "前科")])
    assert d.reasons == ["特種個人資料（病歷、醫療、健康檢查、犯罪前科）｜1 處病歷、醫療或健康檢查資料、1 處犯罪前科資料｜2｜無"
                         "｜寄至個人電子信箱｜個人電子信箱｜依規定不得寄至個人電子信箱（個人電子信箱）"]
    marked = policy.decide(to_column("external_mail"), [marking("secret")])
    assert marked.reasons == ["本訊息標示「極機密」，依規定不得寄至機關外部信箱（機關外部電子郵件）"]


# -- the allowed level of a registered conversation ------------------------------------------
def test_above_the_allowed_level_blocks_with_a_reason_naming_the_group() -> None:
    d = Policy.default().decide(group("restricted"), [marking("official_secret")])
    assert d.action == "block"
    assert d.reasons[-1] == "本訊息標示「密」，對話「業務群組」可傳送的最高等級為「限閱」，依規定不得傳送至公務群組「業務群組」"
    assert d.fired[-1] == {"row": "conversation_level", "action": "block", "column": "registered_group",
                           "level": "official_secret", "allowed_level": "restricted"}


def test_the_allowed_level_verdict_fills_to_and_destination(tmp_path: Path) -> None:
    d = edited(tmp_path, _every_placeholder).decide(group("restricted", name=""), [marking("official_secret")])
    assert d.reasons[-1] == ("本訊息標示「密」，對話「g1」可傳送的最高等級為「限閱」，"
                             "依規定不得傳送至公務群組「g1」（已登記的公務群組）")


def test_an_allowed_level_whose_action_has_no_verdict_leaves_no_dangling_comma(tmp_path: Path) -> None:
    def above_allows(d: dict[str, Any]) -> None:
        d["conversation_levels"]["above"] = "allow"  # allow's verdict is "": nothing to add

    d = edited(tmp_path, above_allows).decide(group("restricted"), [marking("official_secret")])
    assert {"row": "conversation_level", "action": "allow", "column": "registered_group",
            "level": "official_secret", "allowed_level": "restricted"} in d.fired
    assert "本訊息標示「密」，對話「業務群組」可傳送的最高等級為「限閱」" in d.reasons
    assert not any(r.endswith("，") for r in d.reasons), d.reasons


@pytest.mark.parametrize(
    ("name", "marked", "would_be", "reason"),
    [
        ("業務群組", "restricted", "warn",
         "本訊息標示「限閱」，對話「業務群組」登記可傳送至「密」，傳送至公務群組「業務群組」前請再確認是否適當"),
        ("", "official_secret", "block",  # no name: the id names the conversation
         "本訊息標示「密」，對話「g1」登記可傳送至「密」，傳送至公務群組「g1」前請再確認是否適當"),
    ],
)
def test_within_the_allowed_level_the_marking_row_warns_with_its_own_reason(name: str, marked: str, would_be: str,
                                                                            reason: str) -> None:
    d = Policy.default().decide(group("official_secret", name=name), [marking(marked)])
    assert d.action == "warn"
    assert d.reasons == [reason]
    (entry,) = d.fired
    assert entry["action"] == "warn" and entry["would_be"] == would_be and entry["allowed_level"] == "official_secret"


def test_within_the_allowed_level_only_the_listed_marking_rows_change() -> None:
    d = Policy.default().decide(group("official_secret"), [marking("restricted"), *ids(1)])
    assert d.action == "redact"  # the identifiers row is not a marking row: it keeps its action
    assert [(f["row"], f["action"], f.get("would_be")) for f in d.fired] == [("marking-restricted", "warn", "warn"),
                                                                            ("identifiers", "redact", None)]


def test_the_allowed_level_can_be_stricter_than_the_table() -> None:
    # a group registered for unmarked material only: 限閱 is above it, although the table only warns
    d = Policy.default().decide(group("none"), [marking("restricted")])
    assert d.action == "block"
    assert d.reasons == ["本訊息標示「限閱」，傳送至公務群組「業務群組」前請再確認是否適當",
                         "本訊息標示「限閱」，對話「業務群組」可傳送的最高等級為「無」，依規定不得傳送至公務群組「業務群組」"]


def test_only_a_chat_has_an_allowed_level() -> None:
    mail = Message(recipients=["a@hl.gov.tw"], conversation=Conversation("g1", "業務群組", 3, 0, True, allowed_level="none"))
    d = Policy.default().decide(mail, [marking("restricted")])
    assert d.action == "allow"
    assert [f["row"] for f in d.fired] == ["marking-restricted"]


def test_an_unmarked_message_is_never_within_a_level(tmp_path: Path) -> None:
    policy = edited(tmp_path, lambda d: d["conversation_levels"]["rules"].append("identifiers"))
    assert policy.decide(group("official_secret"), ids(1)).action == "redact"
    assert policy.decide(group("official_secret"), [marking("restricted"), *ids(1)]).action == "warn"


SAMPLE_ID = finding("TW_NATIONAL_ID", "A123456789", start=300)
SAMPLE_CARD = finding("CREDIT_CARD", "4111111111111111", start=400)


@pytest.mark.parametrize(
    ("message", "findings", "action", "exceptions"),
    [
        (to_column("external_mail"), [SAMPLE_ID, SAMPLE_CARD], "allow",
         ["已知範例值（1 筆身分證統一編號、1 筆信用卡號）不列入計算，處置由「提醒」改為「允許」"]),
        # the allowed level decides both with and without the sample: nothing to say
        (group("none"), [marking("restricted"), SAMPLE_ID], "block", []),
        # within the level the marking row warns; the sample alone would have been redacted
        (group("official_secret"), [marking("restricted"), SAMPLE_ID], "warn",
         ["已知範例值（1 筆身分證統一編號）不列入計算，處置由「遮蔽後傳送」改為「提醒」"]),
    ],
    ids=["two types", "above the level", "within the level"],
)
def test_a_sample_value_note_compares_whole_decisions(message: Message, findings: list[Any], action: str,
                                                      exceptions: list[str]) -> None:
    d = Policy.default().decide(message, findings)
    assert d.action == action
    assert d.exceptions == exceptions


@pytest.mark.parametrize(("name", "label"), [("業務群組", "業務群組"), ("", "g1")])
def test_a_large_group_raise_says_how_large_and_from_what_to_what(name: str, label: str) -> None:
    d = Policy.default().decide(group("official_secret", name=name, members=51), ids(1))
    assert d.action == "quarantine"
    assert d.reasons[-1] == f"對話「{label}」有 51 位成員（超過 50 位），處置由「遮蔽後傳送」提高為「暫緩待審」"
    assert d.fired[-1] == {"row": "large_group", "action": "quarantine", "raised_from": "redact", "members": 51, "limit": 50}
    assert d.destination["large_group"] is True
    at_limit = Policy.default().decide(group("official_secret", name=name, members=50), ids(1))
    assert (at_limit.action, at_limit.destination["large_group"]) == ("redact", False)


def test_a_chat_without_conversation_data_is_other_chat_and_never_a_large_group() -> None:
    d = Policy.default().decide(Message(channel="chat"), ids(1))
    assert d.action == "redact"
    assert d.reasons == ["本訊息含 1 筆身分證統一編號，個人資料遮蔽後才能以通訊軟體傳送至「（未指定對話）」"]
    assert d.destination["column_label"] == "其他通訊軟體對話"
    assert "large_group" not in d.destination


# -- exceptions ------------------------------------------------------------------------------
def _payroll(d: dict[str, Any]) -> None:
    d["exceptions"] = [{"id": "payroll-to-bank", "description": "人事室薪資清冊寄往往來銀行",
                        "rules": ["bulk", "identifiers"], "senders": ["payroll@hl.gov.tw"],
                        "recipient_domains": ["bank.com.tw"]}]


def test_an_exception_note_names_the_exception_its_description_the_row_and_the_action_spared(tmp_path: Path) -> None:
    d = edited(tmp_path, _payroll).decide(Message(sender="payroll@hl.gov.tw", recipients=["ops@bank.com.tw"]), ids(12))
    assert d.action == "allow"
    assert d.exceptions == ["例外「payroll-to-bank」（人事室薪資清冊寄往往來銀行）：免除規則「大量個人資料」，否則處置為「暫緩待審」"]


@pytest.mark.parametrize(
    "message",
    [
        Message(sender="payroll@hl.gov.tw", recipients=[]),
        Message(sender="payroll@hl.gov.tw", recipients=["ops@bank.com.tw", "ops at bank.com.tw"]),
        Message(sender="payroll@hl.gov.tw", recipients=["ops at bank.com.tw", "ops@bank.com.tw"]),
        Message(sender="payroll@hl.gov.tw", channel="other", recipients=["ops@bank.com.tw"]),
        Message(sender="payroll@hl.gov.tw", channel="chat",
                conversation=Conversation("g9", "銀行窗口", 3, 1, False)),
    ],
    ids=["no recipients", "unparseable last", "unparseable first", "other channel", "chat"],
)
def test_recipient_domains_hold_only_for_a_mail_whose_every_recipient_is_parsed_and_inside(
        tmp_path: Path, message: Message) -> None:
    d = edited(tmp_path, _payroll).decide(message, ids(3))
    assert d.exceptions == []
    assert d.action != "allow"
    assert not any("exempted_by" in f for f in d.fired)


def test_an_exempted_row_is_recorded_with_what_it_would_have_done(tmp_path: Path) -> None:
    d = edited(tmp_path, _payroll).decide(Message(sender="payroll@hl.gov.tw", recipients=["ops@bank.com.tw"]), ids(12))
    assert d.fired == [{"row": "bulk", "action": "allow", "column": "external_mail", "counts": {"TW_NATIONAL_ID": 12},
                        "would_be": "quarantine", "exempted_by": "payroll-to-bank"}]


def test_exempting_a_row_that_allows_adds_no_note(tmp_path: Path) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["exceptions"] = [{"id": "case-group", "description": "專案小組", "rules": ["contact-only"],
                            "conversations": ["g1"]}]

    d = edited(tmp_path, edit).decide(group("official_secret"), contacts(3))
    assert d.action == "allow"
    assert d.exceptions == []
    assert [f.get("exempted_by") for f in d.fired] == ["case-group"]


@pytest.mark.parametrize(
    "findings",
    [[SAMPLE_ID, *ids(12)], [*ids(12), *ids(2, "TW_PASSPORT", shadow=True, offset=90)]],
    ids=["with a sample value", "with shadow findings"],
)
def test_the_second_evaluations_see_the_exception_too(tmp_path: Path, findings: list[Any]) -> None:
    d = edited(tmp_path, _payroll).decide(Message(sender="payroll@hl.gov.tw", recipients=["ops@bank.com.tw"]), findings)
    assert d.action == "allow"
    assert [e for e in d.exceptions if "範例值" in e] == []
    assert all(f.get("exempted_by") == "payroll-to-bank" for f in d.fired if not f.get("shadow"))


# -- attachment limits and OCR settings ------------------------------------------------------
def test_the_policy_exposes_its_limits_and_ocr_settings() -> None:
    policy = Policy.default()  # built here: a fixture built elsewhere would hide the constructor from this test
    assert dict(policy.attachment_limits_raw) == dict(policy.config.attachment_limits)
    assert policy.attachment_limits_raw["max_depth"] == 3
    assert policy.attachment_limits == Limits.from_mapping(dict(policy.config.attachment_limits), policy.file)
    assert policy.attachment_limits.max_depth == 3
    assert policy.attachment_limits.max_total_bytes == 25 * 1024 * 1024
    assert policy.ocr_settings is policy.config.ocr
    assert policy.ocr_settings is not None


def test_a_limit_the_schema_admits_but_limits_refuse_is_reported_with_the_file(tmp_path: Path) -> None:
    path = write_policy(tmp_path, lambda d: d["attachment_limits"].update(max_compression_ratio=1.5))
    with pytest.raises((PackError, PackErrors)) as info:
        Policy.load(path)
    errors = info.value.errors if isinstance(info.value, PackErrors) else [info.value]
    assert [e.file for e in errors] == [str(path)]
    assert "壓縮比上限至少為 2" in errors[0].reason


def test_a_limit_too_large_for_the_limits_is_refused_not_raised(tmp_path: Path) -> None:
    path = write_policy(tmp_path, lambda d: d["attachment_limits"].update(max_seconds=10**400))
    with pytest.raises(PackErrors) as info:
        Policy.load(path)
    (err,) = info.value.errors
    assert (err.file, err.rule) == (str(path), "attachment_limits")
    assert err.reason.startswith("附件限制無法使用（")


@pytest.mark.parametrize("key", ["attachment_limits.max_compression_ratio", "attachment_limits.max_seconds",
                                 "scan_limits.body_seconds", "scan_limits.message_seconds"])
def test_a_limit_that_is_not_a_number_is_refused(tmp_path: Path, key: str) -> None:
    # YAML's .nan compares false with everything: a NaN ratio or time limit would never be reached
    section, name = key.split(".")
    path = write_policy(tmp_path, lambda d: d.setdefault(section, {}).update({name: float("nan")}))
    with pytest.raises(PackErrors) as info:
        Policy.load(path)
    assert [e.rule for e in info.value.errors] == [key]


# -- the reports -----------------------------------------------------------------------------
def test_the_policy_summary_lists_domains_bulk_rows_exceptions_and_levels(tmp_path: Path) -> None:
    raw = yaml.safe_load(DEFAULT_POLICY_PATH.read_text(encoding="utf-8"))  # the file, not the loader
    levels = raw["conversation_levels"]
    assert Policy.default().to_dict() == {
        "file": str(DEFAULT_POLICY_PATH),
        "version": raw["version"],
        "internal_domains": raw["internal_domains"],
        "personal_mail_domains": raw["personal_mail_domains"],
        "bulk": raw["bulk"],
        "large_group_members": raw["large_group"]["members"],
        "rules": [{"id": r["id"], "name": r["name"], "actions": r["actions"]} for r in raw["rules"]],
        "exceptions": [],
        "conversation_levels": {"above": levels["above"], "rules": levels["rules"], "within": levels["within"]},
    }
    assert edited(tmp_path, _payroll).to_dict()["exceptions"] == ["payroll-to-bank"]


def test_the_decision_report_has_every_field_and_misdirection_only_when_configured(tmp_path: Path) -> None:
    message = to_column("external_mail")
    d = Policy.default().decide(message, ids(1))
    out = d.to_dict()
    assert list(out) == ["action", "secrecy_level", "reasons", "exceptions", "destination", "fired", "misdirection"]
    assert (out["action"], out["secrecy_level"]) == ("warn", "none")
    assert out["reasons"] == ["本訊息含 1 筆身分證統一編號，寄至機關外部信箱前請再確認是否適當"]
    assert out["exceptions"] == []
    assert out["fired"] == [{"row": "identifiers", "action": "warn", "column": "external_mail",
                             "counts": {"TW_NATIONAL_ID": 1}}]
    assert out["destination"]["column_label"] == "機關外部電子郵件"
    assert out["misdirection"] == d.misdirection and out["misdirection"]["signals"] == []

    without = edited(tmp_path, lambda data: data.pop("misdirection")).decide(message, ids(1)).to_dict()
    assert "misdirection" not in without
    assert without["action"] == "warn"


def test_the_misdirection_rows_get_the_history_and_the_marking() -> None:
    today = date(2025, 3, 10)
    usual = Usage(messages=30, first_seen=today - timedelta(days=63), last_seen=today - timedelta(days=3),
                  max_level="none", identifier_messages=0, senders=1, sensitive_senders=0)
    history = HistoryFacts(today=today, sender_messages=80, sender_domains={"hl.gov.tw": 80}, conversation=None,
                           destinations={"chen@hl.gov.tw": DestinationFacts("mail", by_sender=usual, domain="hl.gov.tw")})
    message = Message(sender="clerk@hl.gov.tw", recipients=["lin@hl.gov.tw"])
    policy = Policy.default()
    d = policy.decide(message, [marking("restricted")], history=history)
    assert d.action == "warn"  # the table allows 限閱 inside; a first-time recipient of it is a warning
    assert d.reasons == ["l***@hl.gov.tw是您第一次傳送敏感內容的對象（首次傳送給此對象），"
                         "本訊息含標示「限閱」的內容，寄至機關內部信箱前請再確認是否適當"]
    assert d.misdirection is not None and d.misdirection["content"]["secrecy_level"] == "restricted"
    assert policy.decide(message, [marking("restricted")]).action == "allow"  # without history: no first-time signal


def test_shadow_findings_list_only_the_rows_they_change() -> None:
    findings = [marking("restricted"), *ids(3), *ids(2, shadow=True, offset=500)]
    d = Policy.default().decide(to_column("external_mail"), findings)
    assert d.action == "quarantine"
    # the marking row is the same with or without them; the identifiers row counts 5 instead of 3
    assert [f for f in d.fired if f.get("shadow")] == [{"row": "identifiers", "action": "warn", "column": "external_mail",
                                                        "counts": {"TW_NATIONAL_ID": 5}, "shadow": True}]
