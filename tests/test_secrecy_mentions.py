"""Issue 13, part 1: a level that is quoted, cited or listed is a mention; a carried document,
an inline handling note, a telegram header and a PRC marking are markings.

Every case is a whole message through ``Scanner`` (the level a gateway acts on). The strings
are written for these tests; none is taken from the blind corpus.
"""

from __future__ import annotations

import pytest

from dlp import Message

MENTIONS = [
    # a reply citing the incoming letter's level
    "主旨：復貴府114年2月3日府授警字第1140023456號函（密等：極機密），本局已完成查復，請查照。",
    "說明：一、復貴署114年1月9日函（來文密等：密）。\n二、本復函不涉機密。",
    "來函密等：機密，本局已依規定登記保管。",
    # declassification notices
    "主旨：本局108年函解除密等，請查照。\n說明：旨揭函原核定機密等級：機密，經檢討已無保密必要。",
    "原核定機密等級：極機密\n變更或註銷情形：■註銷機密等級　□變更為密\n填表人：總務科",
    # legends, checklists, inventories, option lists
    "機密等級：□絕對機密 □極機密 □機密 □密 ■普通\n主旨：檢送會議紀錄。",
    "個資檔案清冊\n欄位說明：保護等級＝公開／限機關內部使用／密\n編號\t檔案名稱\t保護等級\nP-01\t志工名冊\t公開",
    "系統設定：文件分類請自選單選擇：不限、限閱、限機關內部使用。",
    "保密期限上限\n絕對機密：30年\n極機密：20年\n機密：10年",
    # talking about how to mark
    "提醒同仁：簽陳封面請加註（限閱）。",
    "密件封套請至文書科領取，依密件處理。",
    # PRC levels quoted
    "大陸地區文件所標「绝密★」「机密★」「秘密★」與我國制度不同，收文時請勿自行比照。",
]


@pytest.mark.parametrize("text", MENTIONS)
def test_quoted_cited_and_listed_levels_are_mentions(scanner, text: str) -> None:
    assert scanner.scan(Message(text=text)).secrecy_level == "none"


MARKINGS = [
    # the message's own field, stamps, subject-less first lines
    ("發文字號：府授人字第1140012345號\n速別：速件\n密等及解密條件或保密期限：密（本件於公布時解密）", "official_secret"),
    ("速別：最速件　密等：機密\n主旨：檢送名冊。", "confidential"),
    ("第3頁／共4頁　　　　　極機密\n四、兵力部署", "secret"),
    ("－機密－\n附件二、演練腳本", "confidential"),
    # 密件 is 密 (taiwan-rules §1.5)
    ("密件\n\n主任：檢舉人資料如附件。", "official_secret"),
    ("以上報告，敬請核示。\n\n政風室　王小明\n(02)2345-6789\n【密件】", "official_secret"),
    ("密件，勿轉：檢舉人資料如附件，處理時請勿透露。", "official_secret"),
    # self-classifying sentences
    ("說明：一、本演習計畫經本部114年3月5日部務會報核定為絕對機密，保密期限30年。", "top_secret"),
    ("課長：本郵件列為密件處理，請勿轉寄。", "official_secret"),
    ("本信內容僅供內部討論，請勿外流。", "restricted"),
    ("以下名單限閱，僅供組長參考：王小明、林美玲", "restricted"),
    # a ticked checklist box
    ("文件等級：□絕對機密　□極機密　☑機密　□密\n主旨：演練腳本", "confidential"),
    # inline handling notes in chat, exported chat histories
    ("下週議會質詢題目初步有三題，第二題問補助款流向（內部參考，請勿外流）", "restricted"),
    ("新聞稿先傳給大家（僅供內部參考，請勿轉傳）。", "restricted"),
    ("2026/11/20（五）\n09:10\t王小明\t【密件】本週稽查對象：3家\n09:12\t林美玲\t收到", "official_secret"),
    # carried documents: forwarded, quoted, pasted
    ("請參考。\n\n---------- Forwarded message ---------\nFrom: 王小明 <wang@mail.gov.tw>\n"
     "Date: 2026/11/20\nSubject: 訪視紀錄\nTo: <sw@mail.gov.tw>\n\n密件\n\n案家訪視紀錄", "official_secret"),
    ("轉呈。\n\n-----原始郵件-----\n寄件者: 機要室\n主旨: 電報\n\n機密（保密期限：10年）\n主旨：檢送資料。",
     "confidential"),
    ("好的。\n\n> -----Original Message-----\n> From: 林美玲\n> Subject: 【機密】專案進度\n>\n> 請於週四前回覆。",
     "confidential"),
    ("收到。\n> 發文字號：府授人字第1130012345號\n> 密等及解密條件或保密期限：極機密（保密期限：20年）", "secret"),
    # telegrams, anywhere in the text
    ("司長：\n駐處來電全文如下，請核閱。\n\n來電　極機密（保密期限：10年）\n發電：駐○○代表處", "secret"),
    ("去電\t密（本件於公布時解密）\n致：駐新加坡代表處", "official_secret"),
    # PRC markings: 绝密 -> top_secret, 机密 -> secret, 秘密 -> confidential
    ("绝密★启用前\n2026年内部考试试题", "top_secret"),
    ("科長，對岸寄來的文件首頁如下：\n\n机密★ 10年\n关于做好调研工作的意见", "secret"),
    ("研析如下。\n一、文件內容摘要。\n二、研判。\n三、建議。\n\n原文：\n秘密★5年\n关于交流工作的通知", "confidential"),
]


@pytest.mark.parametrize("text,expected", MARKINGS)
def test_markings_keep_their_level(scanner, text: str, expected: str) -> None:
    assert scanner.scan(Message(text=text)).secrecy_level == expected


def test_own_level_wins_over_a_quoted_higher_level(scanner) -> None:
    text = "密件\n\n主旨：復貴局函（來文密等：絕對機密），本府協助事項如說明。"
    assert scanner.scan(Message(text=text)).secrecy_level == "official_secret"


def test_carried_subject_and_subject_prefix_with_a_space(scanner) -> None:
    assert scanner.scan(Message(text="請提供資料。", subject="機密件　國防預算會前資料")).secrecy_level == "confidential"
    assert scanner.scan(Message(text="請提供資料。", subject="機密 文書保管注意事項")).secrecy_level == "none"


def test_list_of_levels_one_per_line_is_discarded_with_a_reason(scanner) -> None:
    from dlp.model import Message as M

    analysis = scanner.analyze(M(text="等級說明\n絕對機密：非常重大損害\n極機密：重大損害\n機密：損害"), explain=True)
    whys = [t.candidate.why for t in analysis.trace if t.candidate.type == "SECRECY_MARKING"]
    assert any("a list of levels" in w for w in whys)
    assert not any(f.kind == "secrecy" for f in analysis.findings)
