"""Where a message is going: address parsing and the destination columns."""

from __future__ import annotations

import pytest

from dlp.destinations import (
    AddressError,
    DestinationRules,
    OtherMapping,
    canonical_domain,
    classify,
    classify_address,
    parse_address,
)
from dlp.model import Conversation, Message

RULES = DestinationRules(
    internal_domains=("gov.tw",),
    personal_mail_domains=("gmail.com", "yahoo.com.tw", "msa.hinet.net"),
    other_mappings=(OtherMapping("cloud-drive://agency/", "internal_mail"),),
)


@pytest.mark.parametrize(
    ("address", "column"),
    [
        ("clerk@hl.gov.tw", "internal_mail"),
        ("clerk@mail.hl.gov.tw", "internal_mail"),
        ("clerk@gov.tw", "internal_mail"),
        ("CLERK@HL.GOV.TW", "internal_mail"),
        ("Clerk@Mail.Hl.Gov.Tw.", "internal_mail"),
        ("王小明 <a@b.gov.tw>", "internal_mail"),
        ('"王, 小明" <a@b.gov.tw>', "internal_mail"),
        ("<a@b.gov.tw>", "internal_mail"),
        ("mailto:a@b.gov.tw", "internal_mail"),
        ("a@花蓮.gov.tw", "internal_mail"),  # Unicode IDN
        ("a@xn--jh1av9b.gov.tw", "internal_mail"),  # the same in punycode
        ("a@ｈｌ．gov．tw", "internal_mail"),  # full-width, folded by UTS 46
        ("a@gov.tw.evil.com", "external_mail"),
        ("a@evilgov.tw", "external_mail"),
        ("a@gov.tw-evil.com", "external_mail"),
        ("a@example.com.tw", "external_mail"),
        ("a@花蓮.tw", "external_mail"),
        ("someone@gmail.com", "personal_webmail"),
        ("Someone@GMail.COM", "personal_webmail"),
        ("王小明 <someone@yahoo.com.tw>", "personal_webmail"),
        ("x@msa.hinet.net", "personal_webmail"),
        ("x@ms1.hinet.net", "external_mail"),
    ],
)
def test_parsed_addresses(address: str, column: str) -> None:
    result = classify_address(address, RULES)
    assert result["parsed"] is True
    assert result["column"] == column


@pytest.mark.parametrize(
    "address",
    [
        "",
        "   ",
        "not an address",
        "a@",
        "@hl.gov.tw",
        "a b@hl.gov.tw",
        "a@hl.gov.tw, b@gmail.com",
        "a@hl.gov.tw <b@gmail.com",
        "王小明 <a@b.gov.tw> extra",
        "a＠hl.gov.tw",  # full-width at sign: not an address a mail system would deliver
        "a@[10.0.0.1]",
        "a@10.0.0.1",
        "a@localhost",
        "a@-bad-.gov.tw",
        "a@xn--zzzz-.gov.tw",
        "a@hl..gov.tw",
    ],
)
def test_unparseable_addresses_count_as_personal_webmail(address: str) -> None:
    result = classify_address(address, RULES)
    assert result["parsed"] is False
    assert result["column"] == "personal_webmail"
    assert result["why"]  # says why, in words


def test_parse_keeps_display_name_and_canonical_domain() -> None:
    p = parse_address("王小明 <Ming.Wang@Mail.HL.gov.tw>")
    assert p.display_name == "王小明"
    assert p.local == "Ming.Wang"
    assert p.domain == "mail.hl.gov.tw"
    assert canonical_domain("花蓮.GOV.TW") == "xn--jh1av9b.gov.tw"
    with pytest.raises(AddressError):
        parse_address("two@at@signs")


def test_mail_goes_to_the_worst_recipient_and_names_unparseable_ones() -> None:
    dest = classify(Message(recipients=["a@hl.gov.tw", "b@example.com", "oops"]), RULES)
    assert dest.column == "personal_webmail"
    assert dest.columns == ["internal_mail", "external_mail", "personal_webmail"]
    out = dest.to_dict()
    assert out["unparseable"] == [{"address": "oops", "why": "找不到 @ 符號"}]

    dest = classify(Message(recipients=["a@hl.gov.tw", "b@example.com"]), RULES)
    assert dest.column == "external_mail"
    dest = classify(Message(recipients=["a@hl.gov.tw", "王 <b@kn.gov.tw>"]), RULES)
    assert dest.columns == ["internal_mail"]


def test_mail_without_recipients_is_strictest() -> None:
    dest = classify(Message(recipients=[]), RULES)
    assert dest.column == "personal_webmail"
    assert dest.notes


@pytest.mark.parametrize(
    ("conversation", "column"),
    [
        (Conversation("g1", "公務群組", 10, 0, True), "registered_group"),
        (Conversation("g2", "有外部成員", 10, 1, True), "other_chat"),
        (Conversation("g3", "未登記", 10, 0, False), "other_chat"),
        (None, "other_chat"),
    ],
)
def test_chat_columns(conversation: Conversation | None, column: str) -> None:
    dest = classify(Message(channel="chat", conversation=conversation), RULES)
    assert dest.column == column
    assert dest.columns == [column]


@pytest.mark.parametrize(
    ("targets", "column"),
    [
        (["cloud-drive://personal/備份"], "personal_webmail"),
        (["cloud-drive://agency/公文"], "internal_mail"),
        (["cloud-drive://agency/公文", "https://paste.example/x"], "personal_webmail"),
        ([], "personal_webmail"),
    ],
)
def test_other_channel_is_strictest_mail_column_unless_mapped(targets: list[str], column: str) -> None:
    dest = classify(Message(channel="other", recipients=targets), RULES)
    assert dest.column == column


def test_unknown_channel_is_treated_as_other() -> None:
    dest = classify(Message(channel="fax", recipients=["02-1234"]), RULES)
    assert dest.channel == "other"
    assert dest.column == "personal_webmail"
    assert dest.notes
