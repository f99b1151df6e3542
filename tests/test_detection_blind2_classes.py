"""The classes of mistakes the second blind corpus (tests/data/blind2.jsonl) showed, each checked
through a whole ``Scanner`` on strings written for these tests (none is a blind2 case):
names as a field's whole value or opening a row, repeated names, romanised names beside their
Chinese form, stamps beside 檔號 or between warning signs, chat-export messages that are only a
level, new health terms and the words that only look like them."""

from __future__ import annotations

import pytest

from dlp import Message


def _found(scanner, text: str, kind: str) -> list[str]:
    report = scanner.scan(Message(text=text))
    return [text[f.start:f.end] for f in report.findings if f.type == kind and f.location == "body"]


NAMES = [
    # the whole value of a field with an unusual label, with the next field on the same line
    ("點交人：段志遠　監交：范雅惠", ["段志遠", "范雅惠"]),
    ("與會：羅世昌、戴佳欣\n議題：預算追加", ["羅世昌", "戴佳欣"]),
    # opening a line or a list item, set apart by a space from the rest of the row
    ("補助核定如下\n(一)顏俊宏 新臺幣5,000元\n(二)邱筱涵 新臺幣3,000元", ["顏俊宏", "邱筱涵"]),
    ("收到，謝謝。\n孫偉倫", ["孫偉倫"]),
    # a title of the justice branch after the name; a colloquial kin word before it
    ("本案由黃郁婷觀護人追蹤", ["黃郁婷"]),
    ("保證人是他爸侯建志", ["侯建志"]),
    # a compound surname at a line start, after a code
    ("代號　聯絡人\nA-12　司馬建國", ["司馬建國"]),
]


@pytest.mark.parametrize(("text", "expected"), NAMES)
def test_names_with_new_cues(scanner, text: str, expected: list[str]) -> None:
    assert _found(scanner, text, "PERSON") == expected


NOT_NAMES = [
    "國二同學請至禮堂集合",
    "陳阿公最近身體還好",
    "澎湖：由區公所受理",
    "曾因颱風停班者不在此限",
    "地點：林口",
    "承攬廠商：黃氏工程行",
    "第五點　申請資格",
    "請向本處調查員洽詢",
    "填表說明\n申請人：張志偉（範例）\n電話：請填市話",
]


@pytest.mark.parametrize("text", NOT_NAMES)
def test_words_that_only_look_like_names(scanner, text: str) -> None:
    assert _found(scanner, text, "PERSON") == []


def test_a_name_proven_once_counts_where_it_occurs_again(scanner) -> None:
    text = "主旨：函送鄭文豪等2人涉嫌竊盜案。\n嫌疑人：鄭文豪，男"
    report = scanner.analyze(Message(text=text), explain=True)
    kept = [t.candidate for t in report.trace if t.candidate.type == "PERSON" and t.candidate.accepted]
    assert sorted(text[c.start:c.end] for c in kept) == ["鄭文豪", "鄭文豪"]
    assert any("occurs again" in c.why for c in kept)


def test_romanised_names_beside_their_chinese_form_and_after_role_words(scanner) -> None:
    assert _found(scanner, "--\n陳怡安 Yi-An Chen\n教育處", "PERSON") == ["陳怡安", "Yi-An Chen"]
    assert _found(scanner, "Anna Kowalska（高安娜）下週到職", "PERSON") == ["Anna Kowalska", "高安娜"]
    assert _found(scanner, "三、個案Nguyen Van Hung：已就業", "PERSON") == ["Nguyen Van Hung"]
    # a cell alone is not enough: a phone on the row vouches for it
    assert _found(scanner, "姓名\t電話\nJohn Miller\t0922-318-406", "PERSON") == ["John Miller"]
    assert _found(scanner, "課程\t時數\nMachine Learning\t3", "PERSON") == []


MARKED = [
    ("檔號：113/0102.1　保存年限：永久　　　　　極機密\n○○部　函\n主旨：檢送名單。", "secret"),
    ("⚠️機密⚠️\n明日勤務分配如下", "confidential"),
    ("內部資料 請勿轉寄\n本季考核初評", "restricted"),
    ("不公開\n家事事件調解通知", "restricted"),
    ("2026/10/02 14:05 張雅筑: 密\n2026/10/02 14:05 張雅筑: 檢舉人資料如下", "official_secret"),
    ("⚠️本群組資料請勿外流⚠️\n本週訪視名單", "restricted"),
]


@pytest.mark.parametrize(("text", "level"), MARKED)
def test_stamps_in_new_positions(scanner, text: str, level: str) -> None:
    assert scanner.scan(Message(text=text)).secrecy_level == level


MENTIONED = [
    "檔號：113/0102.1　保存年限：永久\n機密文書管理要點",
    "少年事件不公開審理，請家長配合。",
    "2026/10/02 14:05 張雅筑: 這份要不要蓋密\n2026/10/02 14:06 王大明: 不用",
    "⚠️公務機密維護宣導⚠️\n請同仁注意",
]


@pytest.mark.parametrize("text", MENTIONED)
def test_the_same_words_in_prose_are_mentions(scanner, text: str) -> None:
    assert scanner.scan(Message(text=text)).secrecy_level == "none"


HEALTH = [
    ("個案邱美琪有網路成癮問題", ["網路成癮"]),
    ("當事人吳志忠診斷為慢性硬腦膜下血腫", ["診斷為慢性硬腦膜下血腫"]),
    ("被害人林佩君左耳鼓膜穿孔", ["左耳鼓膜穿孔"]),
    ("個案陳俊宏已轉介心理治療", ["心理治療"]),
]


@pytest.mark.parametrize(("text", "expected"), HEALTH)
def test_health_terms_of_a_named_person(scanner, text: str, expected: list[str]) -> None:
    assert _found(scanner, text, "HEALTH_DATA") == expected


def test_record_numbers_statistics_and_birthday_leave_are_not_personal_data(scanner) -> None:
    assert _found(scanner, "病患王建民（病歷號 00321456）已出院", "HEALTH_DATA") == []
    assert _found(scanner, "里長王建民報告：本里腸病毒病例3例", "HEALTH_DATA") == []
    assert _found(scanner, "員工生日假於生日當月請休，期間114/01/01至114/12/31", "DATE_OF_BIRTH") == []


def test_a_mobile_number_wrapped_after_a_dash_is_one_phone(scanner) -> None:
    text = "姓名\t手機\n周冠宇\t0928-\n603-511"
    assert _found(scanner, text, "TW_PHONE") == ["0928-\n603-511"]
