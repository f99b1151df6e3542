"""The default policy table, exceptions, shadow findings, and refusing broken policy files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from dlp.errors import PackError, PackErrors
from dlp.model import ACTIONS, Conversation, Finding, Message
from dlp.policy import DEFAULT_POLICY_PATH, Policy

COLUMNS = ("internal_mail", "external_mail", "personal_webmail", "registered_group", "other_chat")

# DESIGN.md "Default policy", copied by hand: the test must not read the table from policy.yaml.
TABLE = """
classified      | block | block      | block      | block      | block
official_secret | warn  | block      | block      | block      | block
restricted      | allow | quarantine | block      | warn       | block
special         | warn  | quarantine | block      | redact     | block
bulk            | warn  | quarantine | block      | block      | block
identifiers     | allow | warn       | quarantine | redact     | redact
contact_only    | allow | allow      | allow      | allow      | allow
uninspectable   | warn  | quarantine | quarantine | quarantine | quarantine
document_number | allow | allow      | warn       | allow      | warn
"""
EXPECTED: dict[str, dict[str, str]] = {
    cells[0]: dict(zip(COLUMNS, cells[1:]))
    for cells in ([c.strip() for c in line.split("|")] for line in TABLE.strip().splitlines())
}


# -- building findings and messages --------------------------------------------------------
def finding(type_: str, value: str = "", *, kind: str = "personal_data", level: str | None = None,
            shadow: bool = False, start: int = 0, location: str = "body") -> Finding:
    return Finding(kind=kind, type=type_, location=location, start=start, end=start + max(len(value), 1),
                   score=0.9, rule=f"test-{type_.lower()}", level=level, shadow=shadow, value_key=value)


def marking(level: str, shadow: bool = False) -> Finding:
    return finding("SECRECY_MARKING", kind="secrecy", level=level, shadow=shadow)


def ids(n: int, type_: str = "TW_NATIONAL_ID", shadow: bool = False, offset: int = 0) -> list[Finding]:
    return [finding(type_, f"X{offset + i:09d}", start=20 * i, shadow=shadow) for i in range(n)]


def contacts(n: int) -> list[Finding]:
    types = ("PERSON", "TW_PHONE", "EMAIL_ADDRESS", "TW_ADDRESS", "DATE_OF_BIRTH")
    return [finding(types[i % 5], f"C{i:04d}", start=30 * i) for i in range(n)]


def uninspectable(type_: str = "ENCRYPTED_ATTACHMENT") -> Finding:
    return finding(type_, kind="uninspectable", location="attachment:a.zip")


def doc_number() -> Finding:
    return finding("TW_DOCUMENT_NUMBER", "府授人字第1130012345號", kind="official")


ROW_CASES: dict[str, list[tuple[str, Callable[[], list[Finding]]]]] = {
    "classified": [
        ("confidential", lambda: [marking("confidential")]),
        ("secret", lambda: [marking("secret")]),
        ("top_secret", lambda: [marking("top_secret"), marking("official_secret")]),
    ],
    "official_secret": [("密", lambda: [marking("official_secret")])],
    "restricted": [("限閱", lambda: [marking("restricted")])],
    "special": [
        ("health", lambda: [finding("HEALTH_DATA", "糖尿病")]),
        ("criminal", lambda: [finding("CRIMINAL_RECORD", "竊盜前科")]),
    ],
    "bulk": [
        ("10 IDs", lambda: ids(10)),
        ("10 mixed identifiers", lambda: ids(4) + ids(3, "TW_PASSPORT", offset=100) + ids(3, "CREDIT_CARD", offset=200)),
        ("20 contact items", lambda: contacts(20)),
    ],
    "identifiers": [
        ("1 ID", lambda: ids(1)),
        ("9 identifiers", lambda: ids(5) + ids(4, "TW_BANK_ACCOUNT", offset=50)),
        ("ID plus contacts", lambda: ids(2, "TW_NHI_NUMBER") + contacts(5)),
        ("resident ID", lambda: ids(1, "TW_RESIDENT_ID")),
    ],
    "contact_only": [
        ("names and phones", lambda: contacts(5)),
        ("19 contact items", lambda: contacts(19)),
    ],
    "uninspectable": [
        ("encrypted", lambda: [uninspectable("ENCRYPTED_ATTACHMENT")]),
        ("unreadable", lambda: [uninspectable("UNREADABLE_ATTACHMENT")]),
        ("limit", lambda: [uninspectable("LIMIT_EXCEEDED")]),
    ],
    "document_number": [("發文字號", lambda: [doc_number()])],
}


def to_column(column: str, members: int = 10) -> Message:
    if column == "internal_mail":
        return Message(sender="clerk@hl.gov.tw", recipients=["王小明 <ming@mail.hl.gov.tw>"])
    if column == "external_mail":
        return Message(sender="clerk@hl.gov.tw", recipients=["ming@hl.gov.tw", "lin@example.com.tw"])
    if column == "personal_webmail":
        return Message(sender="clerk@hl.gov.tw", recipients=["ming@hl.gov.tw", "Ming.Wang@GMail.com"])
    if column == "registered_group":
        return Message(channel="chat", conversation=Conversation("g1", "業務群組", members, 0, True))
    return Message(channel="chat", conversation=Conversation("g2", "同學群組", members, 3, False))


def raise_one(action: str) -> str:
    return action if action == "allow" else ACTIONS[min(ACTIONS.index(action) + 1, len(ACTIONS) - 1)]


@pytest.fixture(scope="module")
def policy() -> Policy:
    return Policy.default()


ALL_CASES = [
    pytest.param(row, build, column, id=f"{row}-{label}-{column}")
    for row, cases in ROW_CASES.items()
    for label, build in cases
    for column in COLUMNS
]


# -- the table -----------------------------------------------------------------------------
@pytest.mark.parametrize(("row", "build", "column"), ALL_CASES)
def test_default_table(policy: Policy, row: str, build: Callable[[], list[Finding]], column: str) -> None:
    decision = policy.decide(to_column(column), build())
    expected = EXPECTED[row][column]
    assert decision.action == expected
    assert decision.destination["column"] == column
    if expected == "allow":
        assert decision.reasons == []
    else:
        assert len(decision.reasons) >= 1
        assert all(r.startswith("本訊息") for r in decision.reasons)
    assert decision.fired, "the row that matched is recorded for audit"


@pytest.mark.parametrize(("row", "build", "column"), [
    c for c in ALL_CASES if c.values[2] in ("registered_group", "other_chat")
])
def test_large_group_raises_one_step(policy: Policy, row: str, build: Callable[[], list[Finding]],
                                     column: str) -> None:
    expected = EXPECTED[row][column]
    at_limit = policy.decide(to_column(column, members=50), build())
    assert at_limit.action == expected
    over = policy.decide(to_column(column, members=51), build())
    assert over.action == raise_one(expected)
    if raise_one(expected) != expected:
        assert any("51 位成員" in r for r in over.reasons)
        assert any(f["row"] == "large_group" for f in over.fired)
    assert over.destination["large_group"] is True


def test_mail_is_never_raised_for_large_groups(policy: Policy) -> None:
    msg = Message(recipients=[f"p{i}@example.com" for i in range(200)])
    assert policy.decide(msg, ids(1)).action == "warn"


# -- reasons -------------------------------------------------------------------------------
def test_reasons_name_what_and_where(policy: Policy) -> None:
    d = policy.decide(to_column("personal_webmail"), ids(12))
    assert d.reasons == ["本訊息含大量個人資料（12 筆身分證統一編號），依規定不得寄至個人電子信箱"]
    d = policy.decide(to_column("personal_webmail"), ids(3))
    assert d.reasons == ["本訊息含 3 筆身分證統一編號，已暫緩，須經主管或資安人員審核後才能寄至個人電子信箱"]
    d = policy.decide(to_column("internal_mail"), [marking("confidential")])
    assert d.reasons == ["本訊息標示「機密」，依規定不得寄至機關內部信箱"]
    assert d.secrecy_level == "confidential"


def test_every_firing_row_adds_a_reason_and_the_highest_wins(policy: Policy) -> None:
    findings = [marking("restricted"), *ids(2), finding("HEALTH_DATA", "病歷"), doc_number()]
    d = policy.decide(to_column("external_mail"), findings)
    assert d.action == "quarantine"
    assert len(d.reasons) == 3  # restricted, special, identifiers (發文字號 needs no marking)
    assert {f["row"] for f in d.fired} == {"marking-restricted", "special-categories", "identifiers"}


def test_bulletin_to_a_group_with_outsiders_is_allowed(policy: Policy) -> None:
    # The awareness bulletin talks about 機密 but carries no marking and no personal data:
    # the detectors report at most names mentioned in it.
    msg = Message(channel="chat", text="資安宣導…", conversation=Conversation("c9", "里民群組", 120, 40, False))
    assert policy.decide(msg, []).action == "allow"
    assert policy.decide(msg, contacts(2)).action == "allow"


def test_case_report_marked_secret_to_large_unregistered_group_is_blocked(policy: Policy) -> None:
    msg = Message(channel="chat", text="密\n偵辦進度報告…",
                  conversation=Conversation("c1", "轄區聯防群組", 200, 0, False))
    d = policy.decide(msg, [marking("official_secret"), *contacts(3)])
    assert d.action == "block"
    assert d.reasons[0] == "本訊息標示「密」，依規定不得以通訊軟體傳送至「轄區聯防群組」"


# -- counting ------------------------------------------------------------------------------
def test_the_same_id_ten_times_counts_once(policy: Policy) -> None:
    same = [finding("TW_NATIONAL_ID", "F131104093", start=20 * i) for i in range(10)]
    d = policy.decide(to_column("external_mail"), same)
    assert d.action == "warn"
    assert "1 筆身分證統一編號" in d.reasons[0]
    assert policy.decide(to_column("external_mail"), ids(10)).action == "quarantine"


def test_without_value_key_distinct_places_count(policy: Policy) -> None:
    places = [finding("TW_NATIONAL_ID", start=20 * i) for i in range(10)]
    assert policy.decide(to_column("external_mail"), places).action == "quarantine"
    same_place = [finding("TW_NATIONAL_ID") for _ in range(10)]
    assert policy.decide(to_column("external_mail"), same_place).action == "warn"


def test_sample_values_never_count_and_are_named(policy: Policy) -> None:
    d = policy.decide(to_column("external_mail"), [finding("TW_NATIONAL_ID", "A123456789")])
    assert d.action == "allow"
    assert d.exceptions and "範例值" in d.exceptions[0]
    d = policy.decide(to_column("external_mail"), [finding("TW_NATIONAL_ID", "a-123-456-789"), *ids(1)])
    assert d.action == "warn"
    assert d.exceptions == []  # the sample changed nothing
    assert "1 筆" in d.reasons[0]


# -- shadow findings -----------------------------------------------------------------------
def test_shadow_findings_never_change_the_action(policy: Policy) -> None:
    d = policy.decide(to_column("personal_webmail"), [marking("top_secret", shadow=True)])
    assert d.action == "allow"
    assert d.secrecy_level == "none"
    assert d.reasons == []
    assert any(f.get("shadow") and f["row"] == "marking-classified" and f["action"] == "block" for f in d.fired)

    d = policy.decide(to_column("external_mail"), ids(3) + ids(12, shadow=True, offset=500))
    assert d.action == "warn"
    assert [f["row"] for f in d.fired if not f.get("shadow")] == ["identifiers"]
    assert any(f.get("shadow") and f["row"] == "bulk" for f in d.fired)


# -- destinations inside decisions ---------------------------------------------------------
@pytest.mark.parametrize(
    ("recipients", "column"),
    [
        (["a@gov.tw.evil.com"], "external_mail"),
        (["a@evilgov.tw"], "external_mail"),
        (["a@xn--jh1av9b.gov.tw"], "internal_mail"),
        (["a@花蓮.gov.tw"], "internal_mail"),
        (["王小明 <A@HL.GOV.TW>"], "internal_mail"),
        (["broken address"], "personal_webmail"),
        (["a@hl.gov.tw", "broken address"], "personal_webmail"),
    ],
)
def test_destination_in_decision(policy: Policy, recipients: list[str], column: str) -> None:
    d = policy.decide(Message(recipients=recipients), ids(1))
    assert d.destination["column"] == column
    # the main table's row (gov.tw.evil.com is also a look-alike domain: the misdirection guard, issue 18)
    assert next(f["action"] for f in d.fired if f["row"] == "identifiers") == EXPECTED["identifiers"][column]


def test_unparseable_address_is_reported_with_why(policy: Policy) -> None:
    d = policy.decide(Message(recipients=["a@hl.gov.tw", "王小明 a@hl.gov.tw"]), [marking("restricted")])
    assert d.action == "block"
    assert d.destination["unparseable"][0]["address"] == "王小明 a@hl.gov.tw"
    assert d.destination["unparseable"][0]["why"]


def test_other_channel_uses_personal_webmail_column(policy: Policy) -> None:
    msg = Message(channel="other", recipients=["cloud-drive://personal/備份"])
    d = policy.decide(msg, ids(2))
    assert d.action == "quarantine"
    assert d.reasons[0].endswith("傳送至「cloud-drive://personal/備份」")


# -- editing a copy of policy.yaml ---------------------------------------------------------
def write_policy(tmp_path: Path, edit: Callable[[dict[str, Any]], None], name: str = "policy.yaml") -> Path:
    data = yaml.safe_load(DEFAULT_POLICY_PATH.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_round_trip_copy_decides_like_the_default(tmp_path: Path, policy: Policy) -> None:
    copy = Policy.load(write_policy(tmp_path, lambda d: None))
    for column in COLUMNS:
        assert copy.decide(to_column(column), ids(3)).action == policy.decide(to_column(column), ids(3)).action


def test_changing_a_threshold_changes_the_decision(tmp_path: Path, policy: Policy) -> None:
    assert policy.decide(to_column("external_mail"), ids(5)).action == "warn"

    def edit(d: dict[str, Any]) -> None:
        d["bulk"]["identifiers"] = 5

    lower = Policy.load(write_policy(tmp_path, edit))
    assert lower.decide(to_column("external_mail"), ids(5)).action == "quarantine"
    assert lower.decide(to_column("external_mail"), ids(4)).action == "warn"


def test_changing_a_domain_list_changes_the_decision(tmp_path: Path, policy: Policy) -> None:
    msg = Message(recipients=["lin@example.com.tw"])
    assert policy.decide(msg, ids(1)).action == "warn"

    internal = Policy.load(write_policy(tmp_path, lambda d: d["internal_domains"].append("example.com.tw"), "a.yaml"))
    assert internal.decide(msg, ids(1)).action == "allow"

    personal = Policy.load(write_policy(tmp_path, lambda d: d["personal_mail_domains"].append("com.tw"), "b.yaml"))
    assert personal.decide(msg, ids(1)).action == "quarantine"


def test_changing_the_large_group_size_changes_the_decision(tmp_path: Path) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["large_group"]["members"] = 5

    small = Policy.load(write_policy(tmp_path, edit))
    assert small.decide(to_column("registered_group", members=6), ids(1)).action == "quarantine"
    assert small.large_group_members == 5


def test_mapping_an_other_destination(tmp_path: Path) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["other_channel"]["map"] = [{"prefix": "cloud-drive://agency/", "column": "internal_mail"}]

    mapped = Policy.load(write_policy(tmp_path, edit))
    msg = Message(channel="other", recipients=["cloud-drive://agency/公文"])
    assert mapped.decide(msg, ids(2)).action == "allow"


# -- exceptions ----------------------------------------------------------------------------
@pytest.fixture()
def with_exceptions(tmp_path: Path) -> Policy:
    def edit(d: dict[str, Any]) -> None:
        d["exceptions"] = [
            {"id": "payroll-to-bank", "description": "人事室薪資清冊寄往往來銀行",
             "rules": ["bulk", "identifiers"], "senders": ["Payroll@HL.gov.tw"],
             "recipient_domains": ["bank.com.tw"]},
            {"id": "case-group", "description": "專案小組群組", "rules": ["identifiers"],
             "conversations": ["g2"]},
        ]
    return Policy.load(write_policy(tmp_path, edit))


def test_exception_exempts_and_is_named(with_exceptions: Policy) -> None:
    msg = Message(sender="人事室 <payroll@hl.gov.tw>", recipients=["ops@tw.bank.com.tw"])
    d = with_exceptions.decide(msg, ids(30))
    assert d.action == "allow"
    assert len(d.exceptions) == 1
    assert "payroll-to-bank" in d.exceptions[0] and "大量個人資料" in d.exceptions[0]
    assert any(f.get("exempted_by") == "payroll-to-bank" for f in d.fired)


def test_exception_needs_every_condition(with_exceptions: Policy) -> None:
    other_sender = Message(sender="clerk@hl.gov.tw", recipients=["ops@bank.com.tw"])
    assert with_exceptions.decide(other_sender, ids(30)).action == "quarantine"
    one_outsider = Message(sender="payroll@hl.gov.tw", recipients=["ops@bank.com.tw", "x@gmail.com"])
    d = with_exceptions.decide(one_outsider, ids(30))
    assert d.action == "block"
    assert d.exceptions == []
    lookalike = Message(sender="payroll@hl.gov.tw", recipients=["ops@evilbank.com.tw"])
    assert with_exceptions.decide(lookalike, ids(30)).action == "quarantine"


def test_exception_only_covers_its_rows(with_exceptions: Policy) -> None:
    msg = Message(sender="payroll@hl.gov.tw", recipients=["ops@bank.com.tw"])
    d = with_exceptions.decide(msg, [marking("official_secret"), *ids(3)])
    assert d.action == "block"
    assert len(d.exceptions) == 1  # identifiers was exempted, the marking was not


def test_conversation_exception(with_exceptions: Policy) -> None:
    d = with_exceptions.decide(to_column("other_chat"), ids(2))
    assert d.action == "allow"
    assert "case-group" in d.exceptions[0]
    other = Message(channel="chat", conversation=Conversation("g3", "別的群組", 10, 3, False))
    assert with_exceptions.decide(other, ids(2)).action == "redact"


# -- broken policy files -------------------------------------------------------------------
def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(d: dict[str, Any]) -> None:
        node: Any = d
        keys = path.split("/")
        for k in keys[:-1]:
            node = node[int(k)] if isinstance(node, list) else node[k]
        last = keys[-1]
        if value is _DELETE:
            del node[int(last) if isinstance(node, list) else last]
        elif isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value
    return edit


_DELETE = object()

BROKEN = [
    ("unknown top key", _set("rulez", []), "rulez"),
    ("missing section", _set("verdicts", _DELETE), "verdicts"),
    ("unknown action", _set("rules/4/actions/external_mail", "deny"), "rules.bulk.actions.external_mail"),
    ("missing column", _set("rules/4/actions/other_chat", _DELETE), "rules.bulk.actions.other_chat"),
    ("unknown column", _set("rules/4/actions/fax", "block"), "rules.bulk.actions.fax"),
    ("unknown when key", _set("rules/5/when/minimum", 2), "rules.identifiers.when.minimum"),
    ("unknown level", _set("rules/0/when/secrecy_levels", ["classified"]),
     "rules.marking-classified.when.secrecy_levels[0]"),
    ("unknown type", _set("type_groups/identifiers", ["TW_NATIONAL_ID", "SSN"]), "type_groups.identifiers[1]"),
    ("unknown group in rule", _set("rules/5/when/types", "identifierz"), "rules.identifiers.when.types"),
    ("threshold not a number", _set("bulk/identifiers", "ten"), "bulk.identifiers"),
    ("threshold zero", _set("bulk/identifiers", 0), "bulk.identifiers"),
    ("large group bool", _set("large_group/members", True), "large_group.members"),
    ("unknown destination column", _set("destinations/fax", {"label": "傳真", "to": "傳真"}), "destinations.fax"),
    ("bad placeholder", _set("rules/4/reason", "含{amount}筆"), "rules.bulk.reason"),
    ("unbalanced brace", _set("verdicts/block", "不得{to"), "verdicts.block"),
    ("duplicate rule id", _set("rules/1/id", "marking-classified"), "rules.marking-classified"),
    ("bad internal domain", _set("internal_domains", ["gov..tw"]), "internal_domains[0]"),
    ("overlapping domains", _set("personal_mail_domains", ["gmail.com", "mail.gov.tw"]), "personal_mail_domains"),
    ("empty rules", _set("rules", []), "rules"),
    ("limit negative", _set("attachment_limits/max_depth", -1), "attachment_limits.max_depth"),
    ("limit unknown", _set("attachment_limits/max_pages", 10), "attachment_limits.max_pages"),
    ("exception unknown rule", _set("exceptions", [{"id": "x", "description": "d", "rules": ["nope"],
                                                    "senders": ["a@hl.gov.tw"]}]), "exceptions.x.rules"),
    ("exception without condition", _set("exceptions", [{"id": "x", "description": "d", "rules": ["bulk"]}]),
     "exceptions.x"),
    ("sample value of unknown type", _set("sample_values/SSN", ["1"]), "sample_values.SSN"),
    ("missing type label", _set("labels/types/PERSON", _DELETE), "labels.types.PERSON"),
    ("empty when", _set("rules/4/when", {}), "rules.bulk.when"),
    ("bulk and unless_bulk", _set("rules/4/when/unless_bulk", True), "rules.bulk.when"),
    ("max below min", _set("rules/5/when/max_distinct", 0), "rules.identifiers.when.max_distinct"),
]


def _errors(exc: BaseException) -> list[PackError]:
    return exc.errors if isinstance(exc, PackErrors) else [exc]  # type: ignore[list-item]


@pytest.mark.parametrize(("label", "edit", "key"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_policy_is_refused_naming_file_and_key(tmp_path: Path, policy: Policy, label: str,
                                                      edit: Callable[[dict[str, Any]], None], key: str) -> None:
    path = write_policy(tmp_path, edit)
    with pytest.raises((PackError, PackErrors)) as info:
        Policy.load(path)
    errors = _errors(info.value)
    assert any(e.rule == key for e in errors), [e.to_dict() for e in errors]
    assert all(e.file == str(path) for e in errors)
    assert str(path) in str(info.value)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in e.reason) for e in errors)  # reasons in Chinese
    # the running policy is untouched
    assert policy.decide(to_column("external_mail"), ids(10)).action == "quarantine"


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("version: 1\nrules: [\n", "YAML 格式錯誤"),
        ("version: 1\nversion: 2\n", "重複的欄位"),
        ("- just\n- a list\n", "對照表"),
        ("", "對照表"),
    ],
)
def test_unreadable_policy_files(tmp_path: Path, text: str, needle: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises((PackError, PackErrors)) as info:
        Policy.load(path)
    assert needle in str(info.value)
    assert str(path) in str(info.value)


def test_missing_policy_file(tmp_path: Path) -> None:
    with pytest.raises(PackError) as info:
        Policy.load(tmp_path / "nope.yaml")
    assert "找不到" in info.value.reason


def test_several_problems_are_reported_at_once(tmp_path: Path) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["bulk"]["identifiers"] = "ten"
        d["rules"][0]["actions"]["internal_mail"] = "deny"

    with pytest.raises(PackErrors) as info:
        Policy.load(write_policy(tmp_path, edit))
    assert {e.rule for e in info.value.errors} >= {"bulk.identifiers", "rules.marking-classified.actions.internal_mail"}


def test_default_policy_exposes_attachment_limits(policy: Policy) -> None:
    assert policy.attachment_limits_raw["max_depth"] == 3
    assert policy.attachment_limits.max_depth == 3
    assert policy.attachment_limits.max_total_bytes == 25 * 1024 * 1024
