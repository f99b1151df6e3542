"""Issue 13, parts 4 and 5: identifiers split by layout or spelled out are still found; digits
of a 發文字號, windows of longer digit runs and the field above are not personal data.

Whole messages through the real ``Scanner``; attachments are real files built with openpyxl."""

from __future__ import annotations

import io

import openpyxl
import pytest

from dlp import Attachment, Message


def _found(scanner, text: str, type_: str) -> list[str]:
    report = scanner.scan(Message(text=text))
    return [text[f.start:f.end] for f in report.findings if f.type == type_ and f.location == "body"]


# --- part 5: a 發文字號's serial is never a phone, in any year format ---------------------------

@pytest.mark.parametrize("text", [
    "發文字號：府授人字第0910012175號",            # 民國91: 091 + 7-digit serial = 09xxxxxxxx
    "依據法務部94年5月2日法檢字第0940004721號函辦理。",
    "院授人考字第 0960061234 號函",               # spaced
    "部法二字第0983045678號令",
    "北府秘字第1140012345號",                     # 3-digit years from 民國100
    "府人字第980012345號",                        # a 2-digit year and a 7-digit serial
])
def test_document_serials_are_never_phones(scanner, text: str) -> None:
    assert _found(scanner, text, "TW_PHONE") == []


def test_a_phone_next_to_a_document_number_is_still_a_phone(scanner) -> None:
    text = "發文字號：府授人字第1140012345號\n承辦人電話：0912-345-678"
    assert _found(scanner, text, "TW_PHONE") == ["0912-345-678"]


# --- part 5: an NHI number is a whole 12-digit number, never a window of a longer run ----------

@pytest.mark.parametrize("text", [
    "測試卡號 3113 7316 8676 0571 → 授權失敗",
    "卡號 6821-4381-4148-1541 已停用",
    "健保卡號 4940.3056.6909.3972",
])
def test_nhi_is_not_a_window_of_a_longer_number(scanner, text: str) -> None:
    assert _found(scanner, text, "TW_NHI_NUMBER") == []


def test_a_whole_nhi_number_is_found(scanner) -> None:
    assert _found(scanner, "健保卡號：0000-1187-6542，身分證字號D104553971", "TW_NHI_NUMBER") == ["0000-1187-6542"]


# --- part 4: identifiers split by layout ----------------------------------------------------------

def test_id_broken_by_a_line_break_in_a_mail_body(scanner) -> None:
    assert _found(scanner, "身分證字號是D10455\n3971，麻煩幫我查詢", "TW_NATIONAL_ID") == ["D10455\n3971"]


def test_id_letter_and_digits_in_adjacent_spreadsheet_cells(scanner) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "身分證字號", "", "電話"])
    sheet.append(["王小明", "D", "104553971", "0912-345-678"])
    buf = io.BytesIO()
    book.save(buf)
    report = scanner.scan(Message(text="名冊如附件", attachments=[Attachment("名冊.xlsx", buf.getvalue())]))
    ids = [f for f in report.findings if f.type == "TW_NATIONAL_ID"]
    assert len(ids) == 1 and ids[0].location.startswith("attachment:名冊.xlsx")


def test_post_office_account_written_as_office_and_account_numbers(scanner) -> None:
    found = _found(scanner, "補助款撥入郵局帳戶：局號0001234 帳號0567890。", "TW_BANK_ACCOUNT")
    assert found == ["0001234 帳號0567890"]


def test_card_split_by_dots_or_a_line_break(scanner) -> None:
    assert _found(scanner, "卡號是4563.1234.5678.9016，要取消", "CREDIT_CARD") == ["4563.1234.5678.9016"]
    assert _found(scanner, "卡號如下：4563 1234 5678\n9016\n持卡人本人", "CREDIT_CARD") == ["4563 1234 5678\n9016"]
    assert _found(scanner, "卡號是4563.1234.5678.9016", "TW_NHI_NUMBER") == []


@pytest.mark.parametrize("spelled", [
    "wang.xm [at] gmail [dot] com",
    "wang.xm(at)gmail.com",
    "wang.xm[at]gmail(dot)com",
    "wang_xm @ yahoo.com．tw",
    "wang.xm 小老鼠 gmail 點 com",
])
def test_spelled_out_e_mail_addresses(scanner, spelled: str) -> None:
    assert _found(scanner, f"資料寄到 {spelled} 就可以", "EMAIL_ADDRESS") == [spelled]


def test_spelled_at_needs_an_address_shape(scanner) -> None:
    for text in ("see you at noon", "We meet at the office at 9", "版本 build@v1.2", "@王小明 收到"):
        assert _found(scanner, text, "EMAIL_ADDRESS") == []


def test_phones_in_chinese_digits_and_odd_groupings(scanner) -> None:
    text = "聯絡電話：〇二－二三八一－五五六七\n手機：零九一二 七四五 三八一\n辦公室 (049)2222-106#215\nTel: +886 9 1234 5678"
    assert _found(scanner, text, "TW_PHONE") == [
        "〇二－二三八一－五五六七", "零九一二 七四五 三八一", "(049)2222-106#215", "+886 9 1234 5678"]


def test_a_7_digit_date_before_a_phone_does_not_join_it(scanner) -> None:
    text = "姓名\t身分證字號\t生日\t電話\n王小明\tD104553971\t0360509\t03-3468367"
    assert _found(scanner, text, "TW_PHONE") == ["03-3468367"]


def test_a_bank_keyword_on_the_line_above_does_not_make_a_phone_an_account(scanner) -> None:
    text = "撥款帳戶：822-041540178922\n緊急聯絡人：王大明（父）04-23751836"
    assert _found(scanner, text, "TW_BANK_ACCOUNT") == ["822-041540178922"]
    assert _found(scanner, text, "TW_PHONE") == ["04-23751836"]


def test_addresses_with_directional_and_named_sections(scanner) -> None:
    text = "地址：612009嘉義縣太保市祥和一路東段1號\n戶籍地址：桃園市龍潭區中豐路上林段310號"
    assert _found(scanner, text, "TW_ADDRESS") == ["612009嘉義縣太保市祥和一路東段1號", "桃園市龍潭區中豐路上林段310號"]


def test_cited_document_numbers_are_not_reported(scanner) -> None:
    text = "依本府114年3月2日北市警婦字第1140012345號開會通知單辦理。\n原文件發文字號：府授環字第1080123456號"
    assert _found(scanner, text, "TW_DOCUMENT_NUMBER") == []
