"""Personal-data recognizers: what a user expects of each type (issue 2, part 5)."""

from __future__ import annotations

import pytest

from dlp.model import Segment


def found(analyzer, text, type_=None):
    findings = analyzer.analyze([Segment("body", text)]).findings
    return [(f.type, text[f.start:f.end], f.score) for f in findings if type_ is None or f.type == type_]


def values(analyzer, text, type_):
    return [v for _, v, _ in found(analyzer, text, type_)]


def test_ids_next_to_cjk_characters_without_word_boundaries(personal_analyzer):
    assert values(personal_analyzer, "身分證字號D104553971號", "TW_NATIONAL_ID") == ["D104553971"]


def test_lower_case_ids_are_found(personal_analyzer):
    assert values(personal_analyzer, "申請人身分證 f235071300", "TW_NATIONAL_ID") == ["f235071300"]


def test_checksum_alone_is_medium_and_keyword_makes_it_high(personal_analyzer):
    alone = found(personal_analyzer, "序號 D104553971 已登錄", "TW_NATIONAL_ID")
    near = found(personal_analyzer, "身分證字號 D104553971", "TW_NATIONAL_ID")
    assert alone and near and alone[0][2] < 0.7 <= near[0][2]


def test_wrong_checksums_and_sample_values_are_not_reported(personal_analyzer):
    assert found(personal_analyzer, "身分證字號 D104553972", "TW_NATIONAL_ID") == []
    assert found(personal_analyzer, "身分證字號 A123456789（範例）", "TW_NATIONAL_ID") == []


def test_resident_ids_in_both_formats(personal_analyzer):
    text = "居留證號 A900000016，舊式統一證號 HD12345687"
    assert values(personal_analyzer, text, "TW_RESIDENT_ID") == ["A900000016", "HD12345687"]


@pytest.mark.parametrize(
    "phone",
    [
        "0912-345-678", "0912345678", "0912 345 678", "+886-912-345-678", "+886 912 345 678",
        "(02)2345-6789", "02-23456789#123", "02-2345-6789分機123", "03-8227171", "(037)333-456",
        "04-2345-6789", "049-2345678", "05-2345678", "06-2345678", "07-2345678", "08-7654321",
        "089-345678", "082-345678", "0826-12345", "0836-25678",
    ],
)
def test_every_taiwan_phone_form(personal_analyzer, phone):
    assert values(personal_analyzer, f"聯絡電話：{phone}。", "TW_PHONE") == [phone]


@pytest.mark.parametrize("text", ["報案請撥110，火警119，反詐騙165", "市民專線1999、1950消費者專線", "免付費電話0800-000-123"])
def test_short_codes_and_toll_free_are_not_personal(personal_analyzer, text):
    assert found(personal_analyzer, text, "TW_PHONE") == []


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("戶籍地址：10058臺北市中正區仁愛里5鄰仁愛路一段23巷4弄5號7樓之2", "10058臺北市中正區仁愛里5鄰仁愛路一段23巷4弄5號7樓之2"),
        ("寄到台中市西屯區台灣大道三段９９號１２樓", "台中市西屯區台灣大道三段９９號１２樓"),
        ("住址：新北市板橋區中山路一段一百六十一號", "新北市板橋區中山路一段一百六十一號"),
        ("地址：中山路二段100巷3號", "中山路二段100巷3號"),
        ("花蓮縣吉安鄉中正路23-1號", "花蓮縣吉安鄉中正路23-1號"),
        # the last digits of a phone or an account before the address are not its postal code
        ("江美玲 0932-118-457 高雄市三民區建國二路15號3樓", "高雄市三民區建國二路15號3樓"),
        ("帳號 012.345.678 台中市西屯區台灣大道三段99號", "台中市西屯區台灣大道三段99號"),
    ],
)
def test_addresses_down_to_the_house_number(personal_analyzer, text, address):
    assert values(personal_analyzer, text, "TW_ADDRESS") == [address]


def test_a_road_without_a_number_is_not_an_address(personal_analyzer):
    assert found(personal_analyzer, "臺北市中正區仁愛路一段今日封路施工", "TW_ADDRESS") == []


@pytest.mark.parametrize(
    ("text", "type_"),
    [
        ("護照號碼：312345678", "TW_PASSPORT"),
        ("健保卡號 0000 1234 5678", "TW_NHI_NUMBER"),
        ("匯款帳號：012-3456789012", "TW_BANK_ACCOUNT"),
        ("出生日期：75年3月2日", "DATE_OF_BIRTH"),
    ],
)
def test_types_without_checksum_need_their_keyword(personal_analyzer, text, type_):
    assert [t for t, _, _ in found(personal_analyzer, text)] == [type_]
    bare = text.split("：")[-1] if "：" in text else text.split(" ", 1)[-1]
    assert found(personal_analyzer, f"參考編號 {bare}", type_) == []


def test_dates_that_are_not_birth_dates(personal_analyzer):
    assert found(personal_analyzer, "發文日期：中華民國114年5月20日，出生地：花蓮", "DATE_OF_BIRTH") == []


def test_special_categories_need_an_identifiable_person(personal_analyzer):
    prose = "衛生局提醒民眾定期健康檢查，糖尿病與憂鬱症都可能需要住院治療。"
    assert found(personal_analyzer, prose, "HEALTH_DATA") == []
    case = "身分證字號 D104553971 之個案，診斷為憂鬱症，目前住院治療。"
    assert {v for v in values(personal_analyzer, case, "HEALTH_DATA")} >= {"診斷為憂鬱症", "住院治療"}
    assert found(personal_analyzer, "公務員過失洩密者可處緩起訴處分", "CRIMINAL_RECORD") == []
    assert values(personal_analyzer, "被告 D104553971 有竊盜前科", "CRIMINAL_RECORD") == ["竊盜前科"]


def test_special_category_across_segments_of_one_message(personal_analyzer):
    segments = [Segment("subject", "個案 D104553971", "subject"), Segment("body", "主診斷為思覺失調，請協助轉介。")]
    findings = personal_analyzer.analyze(segments).findings
    assert {(f.location, f.type) for f in findings} >= {("subject", "TW_NATIONAL_ID"), ("body", "HEALTH_DATA")}


def test_credit_cards_need_luhn(personal_analyzer):
    assert values(personal_analyzer, "卡號 4563-1234-5678-9016", "CREDIT_CARD") == ["4563-1234-5678-9016"]
    assert found(personal_analyzer, "卡號 4563-1234-5678-9012", "CREDIT_CARD") == []


def test_offsets_point_into_the_original_text(personal_analyzer):
    text = "承辦人王小明，身分證字號Ｄ１０４５５３９７１，手機0912-345-678"
    got = {f.type: (f.start, f.end) for f in personal_analyzer.analyze([Segment("body", text)]).findings}
    assert text[slice(*got["TW_NATIONAL_ID"])] == "Ｄ１０４５５３９７１"
    assert text[slice(*got["TW_PHONE"])] == "0912-345-678"


def test_excerpts_never_show_a_raw_value(personal_analyzer):
    text = "身分證字號D104553971，手機0912345678，信箱 wang@mail.hl.gov.tw"
    findings = personal_analyzer.analyze([Segment("body", text)]).findings
    assert sorted(f.type for f in findings) == ["EMAIL_ADDRESS", "TW_NATIONAL_ID", "TW_PHONE"]  # the loop has work
    for f in findings:
        for raw in ("D104553971", "0912345678", "wang@mail.hl.gov.tw"):
            assert raw not in f.excerpt


def test_explain_records_discarded_candidates(personal_analyzer):
    analysis = personal_analyzer.analyze([Segment("body", "產品序號 D104553972，手機 0912345678")], explain=True)
    dropped = [t for t in analysis.trace if not t.candidate.accepted]
    assert any("checksum" in t.candidate.why for t in dropped)
