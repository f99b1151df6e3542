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


_IDNA = "（"  # a why ending here goes on with the idna library's own words: only the start is pinned


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("", "收件者是空的"),
        ("   ", "收件者是空的"),
        ("not an address", "找不到 @ 符號"),
        ("a@", "網域是空的"),
        ("a@.", "網域是空的"),
        ("@hl.gov.tw", "@ 前面沒有帳號"),
        ("a b@hl.gov.tw", "帳號部分含有空白、逗號、多個 @ 或其他不允許的字元（可能是多個地址寫在一起）"),
        ("a@hl.gov.tw, b@gmail.com", "帳號部分含有空白、逗號、多個 @ 或其他不允許的字元（可能是多個地址寫在一起）"),
        # two @: the last one splits, so the local part holds the other and is refused
        ("a@b@hl.gov.tw", "帳號部分含有空白、逗號、多個 @ 或其他不允許的字元（可能是多個地址寫在一起）"),
        ("a@hl.gov.tw <b@gmail.com", "角括號 < > 不成對或位置不對"),
        ("<a@hl.gov.tw", "角括號 < > 不成對或位置不對"),
        ("a>b@hl.gov.tw", "角括號 < > 不成對或位置不對"),
        ("王小明 <a@b.gov.tw> extra", "角括號 < > 不成對或位置不對"),
        ("a＠hl.gov.tw", "找不到 @ 符號"),  # full-width at sign: not an address a mail system would deliver
        ("a@[10.0.0.1]", "網域是 IP 位址，無法判斷屬於哪個單位"),
        ("a@[IPv6:::1]", "網域是 IP 位址，無法判斷屬於哪個單位"),
        ("a@10.0.0.1", "網域是 IP 位址，無法判斷屬於哪個單位"),
        ("a@localhost", "網域「localhost」缺少頂級網域（例如 .tw）"),
        ("a@-bad-.gov.tw", "網域「-bad-.gov.tw」不是有效的網域名稱" + _IDNA),
        ("a@xn--zzzz-.gov.tw", "網域「xn--zzzz-.gov.tw」不是有效的網域名稱" + _IDNA),
        ("a@hl..gov.tw", "網域「hl..gov.tw」不是有效的網域名稱" + _IDNA),
        # only one trailing dot is ignored: the second leaves an empty label
        ("a@hl.gov.tw..", "網域「hl.gov.tw..」含有不合格的部分「」"),
    ],
)
def test_unparseable_addresses_count_as_personal_webmail(address: str, why: str) -> None:
    result = classify_address(address, RULES)
    assert result == {"address": address, "column": "personal_webmail", "parsed": False, "why": result["why"]}
    if why.endswith(_IDNA):
        assert result["why"].startswith(why)
    else:
        assert result["why"] == why


def test_a_recipient_that_is_not_text_is_refused_with_why() -> None:
    with pytest.raises(AddressError) as info:
        parse_address(12)  # type: ignore[arg-type]
    assert str(info.value) == "收件者不是文字"
    assert classify_address(12, RULES)["why"] == "收件者不是文字"  # type: ignore[arg-type]


@pytest.mark.parametrize("dot", [".", "．", "。"])
def test_one_trailing_dot_of_any_width_is_ignored(dot: str) -> None:
    assert canonical_domain("hl.gov.tw" + dot) == "hl.gov.tw"
    assert classify_address(f"a@hl.gov.tw{dot}", RULES)["column"] == "internal_mail"


def test_the_last_at_sign_splits_a_quoted_local_part() -> None:
    p = parse_address('"a@b"@HL.gov.tw')
    assert (p.local, p.domain) == ('"a@b"', "hl.gov.tw")


@pytest.mark.parametrize(
    ("raw", "display_name", "local"),
    [
        ("a@hl.gov.tw", "", "a"),
        ("  a@hl.gov.tw  ", "", "a"),
        ("<a@hl.gov.tw>", "", "a"),
        ('"ALEX" <alex@hl.gov.tw>', "ALEX", "alex"),  # only the quotes go, never a letter of the name
        (' " 王, 小明 " <a@b.gov.tw>', "王, 小明", "a"),
        ("王小明 < mailto:a@b.gov.tw >", "王小明", "a"),
    ],
)
def test_parse_keeps_the_raw_text_and_the_display_name_without_quotes(raw: str, display_name: str, local: str) -> None:
    p = parse_address(raw)
    assert p.raw == raw
    assert p.display_name == display_name
    assert p.local == local


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


# -- the destination report (docs/policy.md, "destination"): every field, exactly -------------
TWO_MAPS = DestinationRules(
    internal_domains=("gov.tw",),
    personal_mail_domains=("gmail.com",),
    # external before internal: the report must still list the columns in table order
    other_mappings=(OtherMapping("https://partner.example/", "external_mail"),
                    OtherMapping("cloud-drive://agency/", "internal_mail")),
)


def test_mail_report_lists_every_recipient_and_the_first_of_each_column() -> None:
    dest = classify(Message(recipients=["王小明 <a@hl.gov.tw>", "b@Example.com", "c@kn.gov.tw", "oops"]), RULES)
    assert dest.targets == {"internal_mail": "王小明 <a@hl.gov.tw>", "external_mail": "b@Example.com",
                            "personal_webmail": "oops"}
    assert dest.to_dict() == {
        "channel": "mail",
        "column": "personal_webmail",
        "columns": ["internal_mail", "external_mail", "personal_webmail"],
        "recipients": [
            {"address": "王小明 <a@hl.gov.tw>", "domain": "hl.gov.tw", "column": "internal_mail", "parsed": True,
             "why": "機關內部網域 gov.tw"},
            {"address": "b@Example.com", "domain": "example.com", "column": "external_mail", "parsed": True,
             "why": "不屬於機關內部網域"},
            {"address": "c@kn.gov.tw", "domain": "kn.gov.tw", "column": "internal_mail", "parsed": True,
             "why": "機關內部網域 gov.tw"},
            {"address": "oops", "column": "personal_webmail", "parsed": False, "why": "找不到 @ 符號"},
        ],
        "unparseable": [{"address": "oops", "why": "找不到 @ 符號"}],
    }
    assert classify_address("x@GMail.com", RULES)["why"] == "個人電子信箱網域 gmail.com"


def test_mail_without_recipients_says_so() -> None:
    dest = classify(Message(recipients=[]), RULES)
    assert dest.targets == {"personal_webmail": "（沒有收件者）"}
    assert dest.to_dict() == {"channel": "mail", "column": "personal_webmail", "columns": ["personal_webmail"],
                              "recipients": [], "unparseable": [], "notes": ["沒有收件者，視為寄至個人電子信箱"]}


def test_chat_report_names_the_conversation() -> None:
    conv = Conversation("g7", "", 3, 0, True, platform="line")
    dest = classify(Message(channel="chat", conversation=conv), RULES)
    assert dest.targets == {"registered_group": "g7"}  # no name: the id names it
    assert dest.to_dict() == {
        "channel": "chat", "column": "registered_group", "columns": ["registered_group"], "recipients": [],
        "unparseable": [],
        "conversation": {"id": "g7", "name": "", "members": 3, "external_members": 0, "registered": True,
                         "platform": "line"},
    }
    named = classify(Message(channel="chat", conversation=Conversation("g8", "業務群組", 3, 1, True)), RULES)
    assert named.targets == {"other_chat": "業務群組"}


def test_chat_without_conversation_says_so() -> None:
    dest = classify(Message(channel="chat"), RULES)
    assert dest.targets == {"other_chat": "（未指定對話）"}
    assert dest.to_dict() == {"channel": "chat", "column": "other_chat", "columns": ["other_chat"],
                              "recipients": [], "unparseable": [], "notes": ["沒有對話資料，視為其他通訊軟體對話"]}


def test_other_report_names_the_mapping_of_each_target() -> None:
    targets = ["https://partner.example/up", "cloud-drive://agency/公文", "ftp://x", "https://partner.example/2"]
    dest = classify(Message(channel="other", recipients=targets), TWO_MAPS)
    assert dest.targets == {"external_mail": "https://partner.example/up", "internal_mail": "cloud-drive://agency/公文",
                            "personal_webmail": "ftp://x"}
    assert dest.to_dict() == {
        "channel": "other",
        "column": "personal_webmail",
        "columns": ["internal_mail", "external_mail", "personal_webmail"],
        "recipients": [
            {"address": "https://partner.example/up", "column": "external_mail",
             "why": "符合對應規則「https://partner.example/」"},
            {"address": "cloud-drive://agency/公文", "column": "internal_mail", "why": "符合對應規則「cloud-drive://agency/」"},
            {"address": "ftp://x", "column": "personal_webmail", "why": "未對應的目的地，適用預設欄"},
            {"address": "https://partner.example/2", "column": "external_mail",
             "why": "符合對應規則「https://partner.example/」"},
        ],
        "unparseable": [],
    }


def test_other_without_targets_uses_the_default_column_and_says_so() -> None:
    rules = DestinationRules(internal_domains=("gov.tw",), personal_mail_domains=(), other_default_column="external_mail")
    dest = classify(Message(channel="other"), rules)
    assert dest.targets == {"external_mail": "（未指定目的地）"}
    assert dest.to_dict() == {"channel": "other", "column": "external_mail", "columns": ["external_mail"],
                              "recipients": [], "unparseable": [], "notes": ["沒有指定目的地，適用預設欄"]}


def test_only_an_unknown_channel_gets_a_note() -> None:
    assert classify(Message(channel="other", recipients=["02-1234"]), RULES).notes == []
    dest = classify(Message(channel="fax", recipients=["02-1234"]), RULES)
    assert dest.notes == ["未知的傳送管道「fax」，依「其他」處理"]
    assert dest.targets == {"personal_webmail": "02-1234"}
