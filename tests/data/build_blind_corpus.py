#!/usr/bin/env python3
"""Build tests/data/blind_corpus.jsonl: a blind evaluation corpus for issue 13.

Written on 2026-12-01 by a helper session that was kept away from the detector (no access to
patterns/, dlp/recognizers/, the generator, the fakes, tests/ or samples/, and no scanner run on
these cases). Only docs/evaluation.md (label format, span conventions), taiwan-rules.md, DESIGN.md,
the awareness bulletin and issue 13 were read.

Cases are written with inline markers ``[[TYPE|value]]``; this script strips the markers, computes
code-point offsets into the clean text and checks every labelled identifier with its own checksum
implementation (taiwan-rules.md §3: national ID, new and old resident IDs, Luhn for cards).

Short type names accepted in markers (the full names work too):
  P=PERSON  NID=TW_NATIONAL_ID  RID=TW_RESIDENT_ID  PP=TW_PASSPORT  NHI=TW_NHI_NUMBER
  TEL=TW_PHONE  MAIL=EMAIL_ADDRESS  CARD=CREDIT_CARD  ACCT=TW_BANK_ACCOUNT  ADDR=TW_ADDRESS
  DOB=DATE_OF_BIRTH  HEALTH=HEALTH_DATA  CRIME=CRIMINAL_RECORD  DOC=TW_DOCUMENT_NUMBER

Usage:  python3 tests/data/build_blind_corpus.py [--show]   (--show prints every span for review)
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

OUT = Path(__file__).with_name("blind_corpus.jsonl")

ALIASES = {
    "P": "PERSON",
    "NID": "TW_NATIONAL_ID",
    "RID": "TW_RESIDENT_ID",
    "PP": "TW_PASSPORT",
    "NHI": "TW_NHI_NUMBER",
    "TEL": "TW_PHONE",
    "MAIL": "EMAIL_ADDRESS",
    "CARD": "CREDIT_CARD",
    "ACCT": "TW_BANK_ACCOUNT",
    "ADDR": "TW_ADDRESS",
    "DOB": "DATE_OF_BIRTH",
    "HEALTH": "HEALTH_DATA",
    "CRIME": "CRIMINAL_RECORD",
    "DOC": "TW_DOCUMENT_NUMBER",
}
TYPES = set(ALIASES.values())
LEVELS = {"none", "restricted", "official_secret", "confidential", "secret", "top_secret"}
MARK = re.compile(r"\[\[([A-Z_]+)\|(.*?)\]\]", re.S)

# --- independent checksum implementation (taiwan-rules.md §3) --------------------------------------

_ORDER = "ABCDEFGHJKLMNPQRSTUVXYWZIO"
_CODE = {c: 10 + i for i, c in enumerate(_ORDER)}
# look-alike letters a reader would take for Latin capitals (Cyrillic, Greek)
_LOOKALIKE = str.maketrans(
    {
        "А": "A",
        "В": "B",
        "С": "C",
        "Е": "E",
        "Н": "H",
        "К": "K",
        "М": "M",
        "О": "O",
        "Р": "P",
        "Т": "T",
        "Х": "X",
        "Α": "A",
        "Β": "B",
        "Ε": "E",
        "Ζ": "Z",
        "Η": "H",
        "Ι": "I",
        "Κ": "K",
        "Μ": "M",
        "Ν": "N",
        "Ο": "O",
        "Ρ": "P",
        "Τ": "T",
        "Χ": "X",
        "Υ": "Y",
    }
)


def fold(value: str) -> str:
    """What a reader sees: NFKC, look-alikes to Latin, no controls/marks/separators, upper case."""
    s = unicodedata.normalize("NFKC", value).translate(_LOOKALIKE)
    s = "".join(ch for ch in s if unicodedata.category(ch) not in ("Cc", "Cf", "Mn", "Zs", "Zl", "Zp"))
    s = re.sub(r"[\s\-.．/]", "", s)
    return s.upper()


def id_ok(value: str) -> bool:
    s = fold(value)
    if not re.fullmatch(r"[A-Z][A-D1289]\d{8}", s):
        return False
    v = _CODE[s[0]]
    second = _CODE[s[1]] % 10 if s[1].isalpha() else int(s[1])
    total = v // 10 + (v % 10) * 9 + second * 8
    total += sum(int(ch) * w for ch, w in zip(s[2:9], range(7, 0, -1)))
    total += int(s[9])
    return total % 10 == 0


def luhn_ok(value: str) -> bool:
    digits = re.sub(r"\D", "", fold(value))
    if not 13 <= len(digits) <= 19:
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


CASES: list[dict] = []


def case(
    cid: str, genre: str, level: str, note: str, text: str, *, channel: str = "mail", subject: str | None = None
) -> None:
    CASES.append(dict(id=cid, genre=genre, level=level, note=note, text=text, channel=channel, subject=subject))


def strip(marked: str) -> tuple[str, list[dict]]:
    out, ents, pos = [], [], 0
    clean_len = 0
    for m in MARK.finditer(marked):
        chunk = marked[pos : m.start()]
        out.append(chunk)
        clean_len += len(chunk)
        typ = ALIASES.get(m.group(1), m.group(1))
        if typ not in TYPES:
            raise ValueError(f"unknown type {m.group(1)!r} in {marked[:60]!r}")
        val = m.group(2)
        if not val or "[[" in val:
            raise ValueError(f"bad marker value {val!r}")
        ents.append({"type": typ, "start": clean_len, "end": clean_len + len(val)})
        out.append(val)
        clean_len += len(val)
        pos = m.end()
    out.append(marked[pos:])
    text = "".join(out)
    if "[[" in text or "]]" in text:
        raise ValueError(f"unparsed marker in {text[:80]!r}")
    return text, ents


# =====================================================================================================
# 1. Secrecy MENTIONS: replies quoting a level, declassification, legends, inventories, training.
#    All secrecy_level none: the message itself is not marked.
# =====================================================================================================

case(
    "bc-quote-001",
    "reply-quote",
    "none",
    "reply to a 機密 letter: the incoming level is quoted in 主旨 (「（密等：機密）」); own 密等 field 普通; cited 字號 + 函 not labelled",
    """檔　　號：115/070203
保存年限：10年
臺南市政府警察局　函
地址：[[ADDR|70146臺南市東區林森路一段418號]]
承辦人：偵查佐　[[P|洪偉倫]]
電話：[[TEL|06-2371234分機5216]]
傳真：[[TEL|06-2377890]]
電子信箱：[[MAIL|hwl5216@tnpd.gov.tw]]

受文者：高雄市政府警察局

發文日期：中華民國115年11月4日
發文字號：[[DOC|南市警刑偵字第1150612345號]]
速別：速件
密等及解密條件或保密期限：普通
附件：無

主旨：復貴局115年10月28日高市警刑字第1157123450號函（密等：機密），有關協查車輛行蹤一案，本局已完成調閱，詳如說明，請查照。

說明：
一、依據貴局前揭函辦理。
二、本局已於115年11月2日調閱轄內路口監視器畫面，未發現該車輛出入紀錄。
三、所需影像資料如仍有需要，請逕洽本局刑事警察大隊偵查佐[[P|洪偉倫]]。
四、另貴局來函所附協查名單（機密）係以雙封套寄送，本局已依規定登錄機密文書登記簿，並於使用完畢後以雙封套掛號寄還貴局刑事警察大隊，請查收。
五、經再次比對，該車輛於115年10月20日曾出現於本市安南區，惟該處監視器畫面保存期限僅30日，已逾期覆蓋。
六、嗣後類此協查案件，如僅需查復有無紀錄，建請以普通件辦理，以簡化雙方作業。
七、如貴局仍需本局協助調閱其他路段之監視器畫面，請提供確切之時間及地點範圍，本局將儘速配合辦理。

正本：高雄市政府警察局
副本：本局刑事警察大隊
局長　[[P|方正宏]]
""",
)

case(
    "bc-quote-002",
    "reply-quote",
    "none",
    "書函 reply: 「來文密等：密」 restated in 說明; own field blank; no person other than the contact",
    """交通部公路局　書函
地址：[[ADDR|11503臺北市南港區忠孝東路七段372號]]
聯絡人：[[P|許文雄]]
聯絡電話：[[TEL|(02)2782-1234#6621]]
電子郵件：[[MAIL|wenhsiung@thb.gov.tw]]

受文者：新北市政府交通局

發文日期：中華民國115年10月16日
發文字號：[[DOC|路規運字第1151012345號]]
速別：普通件
密等及解密條件或保密期限：
附件：

主旨：有關貴局函詢大客車業者違規資料提供方式一案，復如說明，請查照。

說明：
一、復貴局115年10月2日新北交運字第1151876543號函（來文密等：密）。
二、違規資料涉及個人資料，請依個人資料保護法第15條規定於執行法定職務必要範圍內利用。
三、本書函未涉機密，得以一般公文方式傳遞。

正本：新北市政府交通局
副本：本局運輸管理組
""",
)

case(
    "bc-quote-003",
    "reply-quote",
    "none",
    "reply citing an incoming 極機密 letter inline (「貴部…函（極機密）」); the reply itself says 密等：普通",
    """主旨：貴部115年9月30日國作聯戰字第1150012001號函（極機密）所詢本處協助事項，因涉及他機關權責，建請逕洽內政部消防署辦理，請查照。
說明：
一、來函所附計畫書本處未予留存影本，原件已隨函退還。
二、本案聯絡人：本處[[P|鍾國榮]]科長，電話[[TEL|02-8195-2201]]。
密等及解密條件或保密期限：普通
""",
)

case(
    "bc-quote-004",
    "reply-quote",
    "none",
    "mail body reporting on a received classified letter: 收文登記 lists its level in a table; the mail is not marked",
    """各位同仁好：

本週收文登記摘要如下，請各承辦人至公文系統簽收：

收文號　　　來文機關　　　　密等　　件數
1150045210　國防部　　　　　機密　　1
1150045233　法務部調查局　　密　　　2
1150045301　外交部　　　　　普通　　1

機密文書請依規定至文書科以密件封套領取，勿自行影印。

文書科　[[P|呂秀蘭]]　分機2231
""",
)

case(
    "bc-quote-005",
    "reply-quote",
    "none",
    "long reply 函 that discusses the incoming 機密 letter's level and period twice; own field 普通; several persons in 說明",
    """檔　　號：115/0302
保存年限：5年
桃園市政府民政局　函
地址：[[ADDR|33001桃園市桃園區縣府路一段2號8樓]]
承辦人：科員　[[P|廖婉婷]]
電話：[[TEL|03-3322101分機5812]]
傳真：[[TEL|03-3344510]]
電子信箱：[[MAIL|liaoww@mail.tycg.gov.tw]]

受文者：內政部移民署北區事務大隊

發文日期：中華民國115年11月11日
發文字號：[[DOC|桃民戶字第1150289012號]]
速別：普通件
密等及解密條件或保密期限：普通
附件：戶籍資料查復表1份

主旨：有關貴大隊函請協查外籍配偶在臺居留期間戶籍異動資料一案，復如說明，請查照。

說明：
一、復貴大隊115年10月30日移署北桃字第1158234567號函。來函密等為「機密（保密期限：5年）」，本局已依來文等級於機密文書登記簿登錄並由專人保管，惟本復函內容不涉及國家機密，爰以普通件函復。
二、經查所詢對象於本市之戶籍異動紀錄，計有遷入1筆、同戶變更1筆，詳如附件查復表，附件已依個人資料保護法規定僅提供必要欄位。
三、貴大隊來函所附之機密附件（機密等級：機密）已於本局簽收後原封退還，請查收；如需本局派員說明，請洽本局戶政科科員[[P|廖婉婷]]。
四、另提醒，依國家機密保護法第11條規定，機密等級之核定應同時核定保密期限或解除機密之條件，來函附件未載明保密期限，建請貴大隊補正。
五、本案副知本市桃園區戶政事務所主任[[P|邱淑貞]]，請該所依來函等級妥善保管相關申請書影本。

正本：內政部移民署北區事務大隊
副本：桃園市桃園區戶政事務所、本局戶政科
局長　[[P|林建宇]]
""",
)

case(
    "bc-quote-006",
    "reply-quote",
    "none",
    "開會通知單 whose 開會事由 cites a classified plan by its level; own field 普通",
    """臺中市政府消防局　開會通知單

受文者：如出列席者
發文日期：中華民國115年11月19日
發文字號：[[DOC|中市消救字第1150072310號]]
速別：普通件
密等及解密條件或保密期限：普通
附件：議程1份

開會事由：研商「臺中市重大災害應變計畫」（原計畫列為密件）修正草案公開版本事宜
開會時間：115年11月26日（星期四）下午2時30分
開會地點：本局4樓第二會議室
主持人：[[P|彭振興]]副局長
聯絡人及電話：[[P|詹家禎]]　[[TEL|04-23811119分機6203]]

出席者：本局救災救護指揮中心、災害搶救科、火災預防科
列席者：臺中市政府災害防救辦公室

備註：原計畫之密件版本不於會中發放，與會人員請勿攜帶。
""",
)

case(
    "bc-quote-007",
    "reply-quote",
    "none",
    "chat: colleague asks about the level printed on a letter they received; talking about the level only",
    "請問一下，早上收到調查局那份函，密等寫「密」，我們回函也要用密件嗎？還是普通就可以？",
    channel="chat",
)

case(
    "bc-quote-008",
    "reply-quote",
    "none",
    "chat answer explaining the reply's own level; quotes levels but marks nothing",
    "不用跟著來文定，回函的密等看你自己內容。沒寫到機密內容的話填普通就好，來文是機密就在說明欄寫「復貴局…函（機密）」就可以了",
    channel="chat",
)

case(
    "bc-quote-009",
    "reply-quote",
    "none",
    "簽 reporting that a 絕對機密 document was received and returned; 簽 itself unmarked",
    """簽　於秘書處文書科　115年11月6日

主旨：國家安全局送達本府之絕對機密文件1件，已依規定原封退還，謹簽請核備。

說明：
一、旨揭文件於115年11月5日下午由專人送達，封套標示「絕對機密」，依國家機密保護法施行細則規定不得複製，本科未予拆封。
二、經洽來文機關，該文件係誤送，已於當日由原送件人員取回，並於機密文書收發登記簿註記。

擬辦：陳閱後存查。

敬陳
科長
秘書長

承辦人　[[P|顏秀琴]]
""",
)

case(
    "bc-quote-010",
    "reply-quote",
    "none",
    "函 that cites a 發文字號 of a 91-year letter (serial 091…-style) followed by 函: no phone, no doc number; own 字號 labelled",
    """主旨：有關本部91年2月8日法檢字第0910004721號函（密）之解釋是否仍有適用一案，復如說明，請查照。
說明：
一、前揭91年函釋原列密件，業於101年依規定解密，現已公開於本部法規資料庫。
二、其見解與現行規定並無牴觸，仍得參照。
發文字號：[[DOC|法檢決字第1150453312號]]
密等及解密條件或保密期限：普通
""",
)

# --- declassification notices ---------------------------------------------------------------------

case(
    "bc-declass-001",
    "declass",
    "none",
    "declassification notice 函: 「原核定機密等級：密」 and 「解除密等」; the notice itself is ordinary",
    """法務部矯正署臺中監獄　函
地址：[[ADDR|40861臺中市南屯區培德路9號]]
承辦人：[[P|羅玉珍]]
電話：[[TEL|04-23804600#3105]]

受文者：本監各科室

發文日期：中華民國115年11月2日
發文字號：[[DOC|中監戒字第1156100345號]]
速別：普通件
密等及解密條件或保密期限：普通
附件：機密文書機密等級變更或註銷通知單1份

主旨：本監105年11月1日中監戒字第1056100234號函解除密等，請查照。

說明：
一、旨揭函原核定機密等級：密，解密條件：保存年限屆滿後解密。
二、經檢討已無保密必要，自即日起解除密等，各單位持有之影本請於密等欄劃雙線並加蓋職章。
""",
)

case(
    "bc-declass-002",
    "declass",
    "none",
    "機密文書機密等級變更或註銷通知單 laid out as a form: levels appear as 原/變更後 values; the form is not marked",
    """機密文書機密等級變更或註銷通知單

原文件發文日期：中華民國108年6月3日
原文件發文字號：府授環字第1080123456號
原核定機密等級：機密
原保密期限：10年
變更或註銷情形：■註銷機密等級　□變更為極機密　□變更為密
註銷理由：計畫已執行完畢並公開
生效日期：中華民國115年12月1日
核定人：環境保護局局長
填表人：[[P|沈郁芬]]
""",
)

case(
    "bc-declass-003",
    "declass",
    "none",
    "public 公告 of declassified archives (國家機密保護法 Art. 31 notice); lists former levels",
    """國防部政治作戰局　公告

發文日期：中華民國115年10月20日
發文字號：[[DOC|國政保防字第1150002981號]]

主旨：公告本局已解除機密之檔案目錄。
依據：國家機密保護法第31條。
公告事項：
一、下列檔案原核定為「機密」或「極機密」，保密期限業已屆滿，依法解除機密，自公告日起得依檔案法申請應用：
（一）76年度保防工作檢討報告（原列極機密）
（二）80年度心戰計畫執行成果（原列機密）
二、解密檔案之原密等標示已依規定劃線註銷。
""",
)

case(
    "bc-declass-004",
    "declass",
    "none",
    "chat about a declassified file: 「已經解除密等了」",
    "剛問過文書科，那份107年的專案報告已經解除密等了，原本是機密，現在可以當一般公文調閱，不用再跑機密室",
    channel="chat",
)

case(
    "bc-declass-005",
    "declass",
    "none",
    "long declassification review 簽 listing several files with 原密等 and proposed changes; nothing marks the 簽 itself",
    """簽　於政風室　115年11月24日

主旨：辦理本局115年度機密檔案清查及解密檢討，擬解除下列文件之密等，簽請核示。

說明：
一、依國家機密保護法第10條及本局機密維護作業規定，每年應檢討已核定之機密等級。本年度清查範圍為本局110年以前核定之機密文書，計32件，其中國家機密7件、一般公務機密25件。
二、清查結果：
（一）原核定機密等級「機密」者5件，保密期限均已屆滿，依法自動解除機密，已於原件密等欄劃雙線加蓋職章，並附機密等級變更或註銷紀錄單。
（二）原核定機密等級「極機密」者2件，經原核定機關國防部函復（115年10月8日國人管理字第1150223344號函）同意維持原等級，仍存機密室。
（三）原列「密」之一般公務機密25件中，已無保密必要者21件，擬自即日起解除密等；其餘4件涉及訴訟進行中之個案，擬維持密等至判決確定後再行檢討。
三、解密後之文件得依檔案法規定申請應用，惟其內容含有個人資料者，仍應依個人資料保護法遮蔽後提供。
四、另有原核定機密等級「密」之採購底價文件3件，因採購案已決標並公告，依文書處理手冊規定應即解除密等，已一併列入清冊。
五、本次清查由政風室[[P|蕭宇翔]]、文書科[[P|呂秀蘭]]會同辦理，清冊如附件。
六、前揭維持密等之4件，預定於116年6月再行檢討。

擬辦：
一、奉核後通知各原承辦單位於持有之影本上註記「解除密等」。
二、清冊副本送檔案室更新檔案目錄之應用限制欄位。

敬陳
主任秘書
局長

政風室主任　[[P|孫耀中]]
""",
)

case(
    "bc-declass-006",
    "declass",
    "none",
    "mail reminding staff how to mark declassified paper copies; quotes 「密」 as text to strike out",
    """主旨：已解密文件之標示方式

各位好，
已解密之文件請在原「密等」欄之「密」字上劃雙線，加蓋承辦人職章，並於旁註記「115.12.01解密」，不要用立可白塗改。掃描歸檔時系統仍會讀到「密」字，屬正常現象。

檔案管理科　[[P|潘怡萱]]
""",
    subject="已解密文件之標示方式（文書科提醒）",
)

# --- legends and checklists -----------------------------------------------------------------------

case(
    "bc-legend-001",
    "legend",
    "none",
    "blank checklist listing all four levels with empty boxes: a legend, not a marking",
    """公文簽核檢核表

一、速別：□最速件　□速件　□普通件
二、機密等級：□絕對機密　□極機密　□機密　□密　□普通
三、解密條件或保密期限：＿＿＿＿＿＿
四、附件：□有（＿件）　□無
五、是否涉及個人資料：□是　□否

承辦人簽章：＿＿＿＿　　單位主管：＿＿＿＿
""",
)

case(
    "bc-legend-002",
    "legend",
    "none",
    "form legend with 機密等級 options in a row and nothing ticked; 填表說明 explains the levels",
    """填表說明：
1.「機密等級」欄請依國家機密保護法及文書處理手冊勾選：絕對機密、極機密、機密（以上為國家機密）或密（一般公務機密）；非機密文書免填。
2.勾選機密等級者，應同時填寫保密期限或解密條件。
3.本表填妥後以一般公文傳送即可，毋須以密件處理。
""",
)

case(
    "bc-legend-003",
    "legend",
    "none",
    "checklist with the box for 普通 ticked (■普通): the document is explicitly ordinary",
    """文件等級：□絕對機密　□極機密　□機密　□密　■普通
保存年限：5年
製表：總務科　[[P|徐詩涵]]　115.11.18
""",
)

case(
    "bc-legend-004",
    "legend",
    "none",
    "table legend explaining codes A/B/C/D for levels in a 機密檔案管理 register header; no row is this message",
    """機密檔案目錄（欄位說明）
等級代碼：A＝絕對機密　B＝極機密　C＝機密　D＝密
期限代碼：1＝保密期限　2＝解密條件
應用限制：開放／限制開放／不開放
本目錄各欄位定義如上，實際目錄另以系統產出。
""",
)

case(
    "bc-legend-005",
    "legend",
    "none",
    "電子公文系統 user guide: menu listing level options; mentions 密 in instructions",
    """操作步驟：
(1) 於「密等」下拉選單選擇「密」、「機密」、「極機密」或「絕對機密」；一般公文請選「普通」。
(2) 選擇機密等級後，系統將要求輸入「解密條件或保密期限」，例如「本件於公布時解密」。
(3) 密件不得以電子交換傳送，請改以紙本雙封套遞送。
如有操作問題請洽資訊室[[P|簡士傑]]，分機6115。
""",
)

case(
    "bc-legend-006",
    "legend",
    "none",
    "chat: someone pastes the legend line to ask which box to tick",
    "這張申請單上面有一行「機密等級：□絕對機密 □極機密 □機密 □密」，我們這種一般補助申請要勾哪個？還是都不要勾？",
    channel="chat",
)

# --- asset inventories with a column legend ---------------------------------------------------------

case(
    "bc-inventory-001",
    "inventory",
    "none",
    "資訊資產清冊 whose column legend lists 「限機關內部使用」 as one classification value; rows are ordinary",
    """資訊資產清冊（115年度）
欄位說明：資產分級＝公開／限機關內部使用／密／機密；CIA評等1–3

編號	資產名稱	類別	保管人	資產分級	C	I	A
IA-001	公文管理系統主機	硬體	[[P|胡建成]]	公開	2	3	3
IA-002	員工差勤系統	軟體	[[P|胡建成]]	公開	2	2	2
IA-003	網站內容管理系統	軟體	[[P|游雅筑]]	公開	1	2	2
""",
)

case(
    "bc-inventory-002",
    "inventory",
    "none",
    "個資盤點清冊 header with a legend of 分級 values including 限機關內部使用 and 密; data category codes C001/C003",
    """個人資料檔案盤點清冊

說明：「保護等級」欄請填「普」「限機關內部使用」「密」三者之一；類別代碼依法務部個人資料之類別（C001辨識個人者、C003政府資料中之辨識者）。

檔案名稱　　　　　　　個資類別　　　保護等級　　保管單位
志工名冊　　　　　　　C001　　　　　普　　　　　社會科
低收入戶審查資料　　　C001、C003　　普　　　　　社會科
""",
)

case(
    "bc-inventory-003",
    "inventory",
    "none",
    "mail asking units to fill the classification column; explains the values; not itself marked",
    """各單位窗口您好：

請於11月30日前完成資產清冊更新。資產分級欄請依下列原則填列：
1. 對外公開之網站資料：公開
2. 僅供本所同仁使用之系統或文件：限機關內部使用
3. 涉及一般公務機密者：密（請另以紙本送政風室）

資訊室　[[P|魏欣妤]]　[[TEL|(049)2222-106#215]]
""",
    subject="資訊資產清冊更新（請於11/30前回覆）",
)

case(
    "bc-inventory-004",
    "inventory",
    "none",
    "chat about the inventory legend",
    "資產清冊那欄「限機關內部使用」是選項之一而已，不是說整份清冊都限內部喔，清冊本身可以寄給稽核的廠商",
    channel="chat",
)

# --- training / 政風 / awareness ---------------------------------------------------------------------

case(
    "bc-training-001",
    "training",
    "none",
    "政風 awareness text with example markings in quotes (「極機密」「密件」), a case story with an anonymous officer",
    """【公務機密維護宣導】

案例：某機關承辦人員將標示「機密」之公文掃描後，以私人電子郵件寄回家中加班，致檔案遭木馬程式外洩。該員經法院依洩漏國防以外秘密罪判刑確定。

提醒：
一、文件上方或下方蓋有「絕對機密」「極機密」「機密」或「密」戳記者，均不得以電子郵件、通訊軟體傳送。
二、封套標示「密件」者，應由收件人親自拆封。
三、如發現疑似洩密情事，請立即通報政風室。

政風室關心您
""",
)

case(
    "bc-training-002",
    "training",
    "none",
    "quiz in a 保密教育 course: the options are levels; the quiz is not marked",
    """保密教育測驗（第3題）
依國家機密保護法，國家機密之等級不包括下列何者？
(A) 絕對機密　(B) 極機密　(C) 機密　(D) 密
答案：(D)。「密」屬一般公務機密，非國家機密之等級。
""",
)

case(
    "bc-training-003",
    "training",
    "none",
    "long training handout on 機密等級 and markings, with the PRC scale compared; statistics and anonymised cases only",
    """公務機密維護教育訓練講義（節錄）

壹、機密等級之區分
一、國家機密依國家機密保護法第4條區分為「絕對機密」、「極機密」及「機密」三級，其保密期限分別不得逾30年、20年及10年。
二、一般公務機密僅有「密」一級，依文書處理手冊之規定辦理。
三、大陸地區文件所用之「绝密」、「机密」、「秘密」等級及「★」符號，與我國制度不同，於收受大陸地區來件時應特別注意，惟不得自行比照標示。

貳、標示位置
一、機密文書應於首頁及每頁上下方中央標示機密等級，首頁並應標示保密期限或解密條件。
二、雙封套之內封套應標示機密等級並於封口加蓋「密」戳，外封套不得標示任何機密等級。
三、機密文書之複製物應標示「複製物」字樣及編號。

參、常見缺失
一、於LINE群組轉傳標有「密」字之公文照片。（近3年本府政風處查獲11件）
二、離職人員未繳回機密文書。（近3年查獲4件）
三、將「限閱」文件交由非限閱人員閱覽。
四、密等欄誤填「普通件」（速別之值）致文件等級不明。

肆、案例
A君為某局科員，於104年間將標示「極機密」之演習計畫存於私人雲端硬碟，經檢方偵查後起訴。B君為某所約僱人員，誤將「密件」公文寄送民眾，經機關懲處申誡二次。

伍、傳遞方式
一、機密文書之傳遞應由專人親送或以雙封套郵寄，並以掛號方式寄送。
二、不得以電子郵件、傳真、通訊軟體或雲端硬碟傳送任何機密文書之全部或一部。

陸、結語
機密維護人人有責，請同仁於處理公務時確實依規定標示與傳遞，遇有疑問請洽政風室（分機3601）。
""",
)

case(
    "bc-training-004",
    "training",
    "none",
    "chat: an officer jokes about the word 機密 in a non-document context",
    "哈哈今天午餐吃什麼是極機密，等下再公布",
    channel="chat",
)

case(
    "bc-training-005",
    "training",
    "none",
    "e-mail announcing a 保密 training; uses the words 機密文書, 密件封套, 限閱 in prose",
    """各位同仁：

本府訂於12月10日上午9時假5樓大禮堂辦理「機密文書處理暨個資保護」講習，課程內容包括密件封套之使用、限閱文件之傳閱方式、以及機密等級之核定與解除。請各單位指派1至2人參加，並於12月5日前至線上報名系統登錄。

人事處訓練科　敬啟
""",
    subject="12/10 機密文書處理暨個資保護講習報名",
)

case(
    "bc-training-006",
    "training",
    "none",
    "training slide text showing an example stamp line inside a quoted sample (「例：機密（保密期限：10年）」)",
    """投影片第12頁：標示範例
正確寫法（例）：機密（保密期限：10年）
正確寫法（例）：密（本件於公布時解密）
錯誤寫法（例）：普通件（速別與密等混淆）
說明：以上為講義範例，並非本講義之等級。
""",
)

case(
    "bc-training-007",
    "training",
    "none",
    "news clipping pasted into mail about a leak case; a named public figure is NOT present, only 「A員」; words 絕對機密 as subject matter",
    """轉貼新聞供參：
〔記者綜合報導〕國防部今證實，一名A姓士官涉嫌將列為「絕對機密」之作戰計畫拍照外流，全案已移送軍事檢察機關偵辦。國防部表示，將全面檢討機密文件管制流程。
——
請各單位加強宣導。
""",
)

case(
    "bc-training-008",
    "training",
    "none",
    "政風 bulletin that lists handling notes (限閱、內部參考、請勿外流) as vocabulary, not as this message's own note",
    """用語說明：
「限閱」：指定特定人員始得閱覽之文件。
「內部參考」、「請勿外流」：常見於機關內部簽陳或會議資料之提示文字，惟非法定機密等級。
「限機關內部使用」：資訊資產分級之一種，使用範圍限於本機關。
以上用語如出現於文件本身之標示處，即應依各該規定處理。
""",
)

case(
    "bc-training-009",
    "training",
    "none",
    "chat quoting the PRC marking as trivia, not marking a received file",
    "對岸的考卷上面印「绝密★启用前」是考試前保密用的，跟我們的絕對機密不是同一回事啦",
    channel="chat",
)

case(
    "bc-training-010",
    "training",
    "none",
    "mail: 文書處理手冊 excerpt pasted for a colleague; contains the 密等 field format as an example line in prose",
    """你問的格式在文書處理手冊裡有，我把那段貼給你：
「密等及解密條件或保密期限」欄位，機密文書應填列機密等級並同時填列保密期限或解密條件；非機密文書免填或填「普通」。
所以一般函稿那欄留空就好。
""",
)

# =====================================================================================================
# 2. MARKED documents: the 密等 field with a real level, stamp lines, subject prefixes,
#    self-classifying sentences, carried (forwarded/quoted) marked letters, telegram headers,
#    PRC-style markings, internal-tier notes in chat, 【密件】 under a signature.
# =====================================================================================================

case(
    "bc-field-001",
    "field",
    "official_secret",
    "函 with 密等 field 「密（本件於公布時解密）」; also the own 發文字號 and a contact",
    """檔　　號：115/010405
保存年限：10年
新北市政府警察局　函
地址：[[ADDR|22041新北市板橋區文化路一段237號]]
承辦人：[[P|葉書豪]]
電話：[[TEL|(02)8952-1234分機6623]]
傳真：[[TEL|(02)8952-1299]]

受文者：新北市政府社會局

發文日期：中華民國115年11月17日
發文字號：[[DOC|新北警婦字第1152290334號]]
速別：最速件
密等及解密條件或保密期限：密（本件於公布時解密）
附件：如說明二

主旨：檢送本局115年第3季婦幼安全聯繫會報會議紀錄1份，請查照。

說明：
一、依據本局115年10月30日新北警婦字第1152101234號開會通知單辦理。
二、會議紀錄涉及個案資料，請依規定限於承辦人員閱覽。

正本：新北市政府社會局
副本：本局婦幼警察隊
""",
)

case(
    "bc-field-002",
    "field",
    "confidential",
    "函 with 「機密（保密期限：10年）」 in the field; 說明 mentions another level (密) of an attachment — highest is the field's own 機密",
    """國防部後備指揮部　函
地址：[[ADDR|10462臺北市中山區北安路409號]]
承辦人：[[P|孫耀中]]中校
電話：[[TEL|02-25331234轉502]]

受文者：各縣市後備指揮部

發文日期：中華民國115年11月3日
發文字號：[[DOC|國後動員字第1150008812號]]
速別：速件
密等及解密條件或保密期限：機密（保密期限：10年）
附件：動員演練計畫（密）1份

主旨：頒「115年度後備動員演練實施計畫」乙份，請依計畫執行。

說明：
一、本計畫附件之人員編組表列為密，請妥慎保管。
二、各單位應於演練結束後15日內將執行成果報部。

正本：各縣市後備指揮部
副本：國防部參謀本部作戰及計畫參謀次長室
""",
)

case(
    "bc-field-003",
    "field",
    "secret",
    "padded label 「密　　等：極機密」 plus a date-bound condition; 簽 genre",
    """簽　於國際事務處　115年11月20日

密　　等：極機密（本件至135年12月31日解密）
速　　別：最速件

主旨：有關本部與友邦洽簽合作備忘錄之談判底線，簽請核示。

說明：
一、對方於第二輪磋商提出之條件，詳如附件比較表。
二、建議我方底線如下：……（略）

擬辦：奉核後依擬辦理。

敬陳
次長
部長

承辦人　[[P|趙文傑]]
""",
)

case(
    "bc-field-004",
    "field",
    "top_secret",
    "函 field 「絕對機密（保密期限：30年）」, short letter; no personal data",
    """發文字號：[[DOC|國安二字第1150000217號]]
速別：最速件
密等及解密條件或保密期限：絕對機密（保密期限：30年）
附件：如文

主旨：檢送情資研析報告1份，請親閱後原件退還。
說明：本件不得複製，閱畢請以雙封套送還。
""",
)

case(
    "bc-field-005",
    "field",
    "official_secret",
    "開會通知單 with 密等 「密，附件抽存後解密」",
    """臺北市政府社會局　開會通知單

受文者：如出列席單位
發文日期：中華民國115年11月12日
發文字號：[[DOC|北市社婦幼字第1153087654號]]
速別：速件
密等及解密條件或保密期限：密，附件抽存後解密
附件：個案摘要表

開會事由：高風險家庭個案跨網絡研商會議
開會時間：115年11月19日（星期四）上午10時
開會地點：本局12樓第三會議室
主持人：[[P|何淑芳]]科長
聯絡人及電話：社工督導[[P|沈柏宇]]　[[TEL|(02)2720-8889分機1723]]

出席者：臺北市家庭暴力暨性侵害防治中心、臺北市政府警察局婦幼警察隊、衛生局心理健康科
""",
)

case(
    "bc-field-006",
    "field",
    "confidential",
    "書函 with 「機密，本件至120年6月30日解密」 (comma form)",
    """外交部　書函
發文日期：中華民國115年10月27日
發文字號：[[DOC|外條二字第1151234567號]]
密等及解密條件或保密期限：機密，本件至120年6月30日解密

主旨：有關雙邊司法互助協定草案之我方修正意見，請於11月10日前提供貴部意見。
說明：草案第5條及第9條之修正理由詳附件，請勿對外提供。
""",
)

case(
    "bc-field-007",
    "field",
    "official_secret",
    "令 (personnel order) carrying 密 in its 密等 field: 「密（保存年限屆滿後解密）」; names glued to titles",
    """彰化縣政府　令

發文日期：中華民國115年11月23日
發文字號：[[DOC|府人考字第1150456789號]]
密等及解密條件或保密期限：密（保存年限屆滿後解密）

主旨：本府建設處技士[[P|黃志遠]]因辦理採購業務違失，核予記過一次處分。
依據：公務人員考績法第12條。
""",
)

case(
    "bc-field-008",
    "field",
    "secret",
    "long 函 with field 極機密 and a 保密期限 of 20 years; a classified plan described in detail",
    """檔　　號：115/A0103
保存年限：永久
內政部警政署　函
地址：[[ADDR|100009臺北市中正區忠孝東路一段7號]]
聯絡人：[[P|盧育德]]
電話：[[TEL|(02)2321-9011#2410]]

受文者：各直轄市、縣（市）政府警察局

發文日期：中華民國115年11月26日
發文字號：[[DOC|警署保字第1150188771號]]
速別：最速件
密等及解密條件或保密期限：極機密（保密期限：20年）
附件：如說明三

主旨：頒發「重要人士安全維護勤務計畫」，請依計畫妥慎執行並加強保密。

說明：
一、為因應年底重要國際會議期間之安全維護需求，本署訂定旨揭計畫，自115年12月1日起實施。
二、本計畫規範警衛勤務之編組、路線及交通管制時間，各單位應依核定之勤務表執行，不得擅自變更，亦不得以電話、傳真或通訊軟體傳遞勤務內容。
三、附件計有：（一）勤務編組表；（二）路線及替代路線圖；（三）通訊代號表。附件與本文同列極機密，每份均標有複製物編號，各單位收文後應立即登錄機密文書登記簿。
四、勤務執行完畢後，附件應於7日內以雙封套專人繳回本署保安組，不得自行銷毀。
五、本計畫各單位聯絡窗口請於12月1日前以密件函報本署，窗口人員應具備機密資格。
六、如有洩密或遺失情事，應立即通報本署保安組及政風室，並依國家機密保護法及相關規定追究責任。
七、本計畫之執行成果，請各單位於勤務結束後10日內以極機密件函報本署，並副知本署政風室。

正本：各直轄市、縣（市）政府警察局
副本：本署保安組、政風室
署長　[[P|戴仁和]]
""",
)

case(
    "bc-field-009",
    "field",
    "official_secret",
    "field written with a half-width colon and the condition in full-width parentheses after a space",
    """發文字號：[[DOC|竹市教特字第1150034567號]]
速別：普通件
密等及解密條件或保密期限:密 （本件至117年12月31日解密）
主旨：檢送本市115學年度特殊教育學生鑑定安置結果名冊，請依名冊辦理入學，請查照。
""",
)

case(
    "bc-field-010",
    "field",
    "confidential",
    'DI-like XML pasted into the body: <密等 代碼="機密"/>',
    """<函>
<發文機關><全銜>經濟部產業發展署</全銜></發文機關>
<發文字號><字>產署電</字><文號><年度>115</年度><流水號>0045612</流水號></文號></發文字號>
<速別 代碼="速件"/>
<密等及解密條件或保密期限><密等 代碼="機密"/><解密條件或保密期限>保密期限：5年</解密條件或保密期限></密等及解密條件或保密期限>
<主旨><文字>檢送半導體供應鏈韌性評估報告，請查照。</文字></主旨>
</函>
""",
)

case(
    "bc-field-011",
    "field",
    "official_secret",
    "簽 with 「密等：密」 in a compact header; includes a personnel matter about a named staff member",
    """簽　於人事室　115年11月9日
密等：密
主旨：本所約僱人員[[P|柯佩君]]申請留職停薪案，簽請核示。
說明：
一、[[P|柯佩君]]因育嬰需要，申請自115年12月1日起留職停薪1年。
二、經核符合規定，擬予同意。
擬辦：奉核後發布。
人事室　[[P|邱柏均]]（分機2861）
""",
)

case(
    "bc-field-012",
    "field",
    "official_secret",
    "field value 「密」 followed by the text 「（其他特別條件或另行檢討後辦理解密）」",
    """密等及解密條件或保密期限：密（其他特別條件或另行檢討後辦理解密）
主旨：有關本局辦理檢舉案件之處理情形，復請查照。
說明：檢舉人身分依法保密，本函不得提供予被檢舉人。
""",
)

case(
    "bc-field-013",
    "field",
    "top_secret",
    "開會通知單 with 絕對機密 field and 保密期限; hand-copied into a mail body",
    """以下為會議通知內容（紙本已另送）：

發文字號：[[DOC|國防情字第1150000093號]]
速別：最速件
密等及解密條件或保密期限：絕對機密（保密期限：30年，期滿後依法檢討）
開會事由：年度情報合作協調會議
開會時間：115年12月8日上午9時
開會地點：另行通知
""",
)

case(
    "bc-field-014",
    "field",
    "confidential",
    "函 where field has 機密 and 主旨 also cites an incoming 密 letter; own level 機密 governs",
    """發文日期：中華民國115年11月25日
發文字號：[[DOC|調保字第1150501234號]]
速別：速件
密等及解密條件或保密期限：機密（保密期限：5年）
主旨：復貴府115年11月10日府政字第1150233221號函（密），所詢廉政風險人員名單一事，詳如附件，請查照。
""",
)

case(
    "bc-field-015",
    "field",
    "official_secret",
    "reply that quotes an incoming 機密 letter but is itself marked 密: own field wins (not the quoted level)",
    """主旨：復貴部115年10月5日國資規字第1150055123號函（機密），本府配合事項辦理情形如說明，請查照。
說明：
一、本府已指定資訊中心為聯繫窗口。
二、相關系統盤點資料另以密件封套寄送。
密等及解密條件或保密期限：密（本件於公布時解密）
發文字號：[[DOC|府授資字第1150311456號]]
""",
)

case(
    "bc-field-016",
    "field",
    "secret",
    "函 field 極機密 with the condition on the next line (wrapped)",
    """速別：最速件
密等及解密條件或保密期限：極機密
　　　　　　　　　　　　　（保密期限：15年）
主旨：檢送反制境外滲透工作計畫，請依限辦理。
""",
)

# --- stamp lines -------------------------------------------------------------------------------

case(
    "bc-stamp-001",
    "stamp",
    "confidential",
    "stamp line 「機密」 alone at the top of a pasted document, 保密期限 on the next line",
    """機密
保密期限：10年

國軍115年度聯合後勤支援演習想定概要
一、演習期程：115年12月15日至19日。
二、參演單位：後勤指揮部、各作戰區支援指揮部。
""",
)

case(
    "bc-stamp-002",
    "stamp",
    "official_secret",
    "stand-alone 「密件」 stamp line at the top of a mail body (settled: 密件 stamp = 密)",
    """密件

組長您好：
附件為本組本月份線報彙整，計12筆，請核閱。
""",
)

case(
    "bc-stamp-003",
    "stamp",
    "secret",
    "stamp at the BOTTOM: document ends with 「極機密」 on its own line",
    """三、各勤務單位應於12月3日前完成人員編組，並回報聯絡窗口。
四、本計畫奉核後實施，修正時亦同。

極機密
""",
)

case(
    "bc-stamp-004",
    "stamp",
    "top_secret",
    "stamp line at top and bottom: 「絕對機密」 with 保密期限 at top; repeated at the bottom",
    """絕對機密（保密期限：30年）

第一頁
情報來源保護作業要點（草案）
一、本要點所稱情報來源，指……
（以下略）

絕對機密
""",
)

case(
    "bc-stamp-005",
    "stamp",
    "restricted",
    "stamp line 「限閱」 at the top of a meeting record, followed by 限閱人員",
    """限閱
限閱人員：局長、副局長、主任秘書、人事室主任

115年度第4次考績委員會會議紀錄
一、時間：115年11月20日下午3時
二、出席委員：（略）
""",
)

case(
    "bc-stamp-006",
    "stamp",
    "confidential",
    "stamp printed as a centered header line with spaces 「　　　　機　密　　　　」 (spaced-out stamp)",
    """　　　　　　　　機　密\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000
115年度國防預算執行檢討報告（第3季）
一、本季執行率為71.3%。
""",
)

case(
    "bc-stamp-007",
    "stamp",
    "official_secret",
    "page header line 「第1頁／共3頁　　密」 then body; the stamp shares the header line with a page counter",
    """第1頁／共3頁　　　　　　　　　　密
調查報告
一、案由：民眾檢舉某里辦公處補助款核銷不實。
二、調查經過：本室於115年10月間調閱相關憑證……
""",
)

case(
    "bc-stamp-008",
    "stamp",
    "official_secret",
    "stamp 「密」 with a 解密 condition on its own line at the top: 「密（本件於公布時解密）」",
    """密（本件於公布時解密）

115年度都市更新審議會委員名單（草案）
""",
)

case(
    "bc-stamp-009",
    "stamp",
    "restricted",
    "header line 「限機關內部使用」 on a document: own restricted marking",
    """限機關內部使用

115年度資通安全稽核發現彙整
一、弱點掃描發現高風險弱點3項，已限期修補。
二、備份主機未落實異地存放。
""",
)

case(
    "bc-stamp-010",
    "stamp",
    "restricted",
    "title line closed by a bracketed handling note: 「急難救助名冊（請勿外流）」 (restricted), with personal data rows",
    """115年11月急難救助核定名冊（請勿外流）

編號	姓名	身分證字號	核定金額
1	[[P|魏聖文]]	[[NID|W185870445]]	10,000
2	[[P|呂明哲]]	[[NID|D186562383]]	15,000
3	[[P|羅美蘭]]	[[NID|F206952476]]	10,000
""",
)

# --- subject prefixes --------------------------------------------------------------------------

case(
    "bc-subject-001",
    "subject",
    "confidential",
    "subject prefix 【機密】; body has no marking",
    """組長：
附件為明日專案會議簡報，請先行審閱。
""",
    subject="【機密】專案會議簡報（12/2）",
)

case(
    "bc-subject-002",
    "subject",
    "official_secret",
    "subject prefix 「密件：」",
    """股長好，
這是本週陳情案件處理進度，陳情人資料請勿轉寄。
""",
    subject="密件：陳情案件處理進度表",
)

case(
    "bc-subject-003",
    "subject",
    "secret",
    "subject 【極機密】 with a person named in the subject (subject_entities labelled)",
    """部長：
謹檢陳雙方會談紀錄，請核閱。
""",
    subject="【極機密】與[[P|Daniel Kowalski]]參事會談紀錄",
)

case(
    "bc-subject-004",
    "subject",
    "restricted",
    "subject prefix 【限閱】",
    """人事室主任您好：
附件為本年度考績初評名單，請核閱。
""",
    subject="【限閱】115年考績初評名單",
)

case(
    "bc-subject-005",
    "subject",
    "official_secret",
    "subject prefix 「[密]」 with half-width brackets",
    """各位委員：
檢送本次調解委員會議討論資料，請於會前詳閱。
""",
    subject="[密] 11月調解委員會議資料",
)

case(
    "bc-subject-006",
    "subject",
    "top_secret",
    "subject 「絕對機密－」 prefix with a dash",
    """附件如主旨，請於閱後刪除本信。
""",
    subject="絕對機密－情資交換備忘錄修正版",
)

case(
    "bc-subject-007",
    "subject",
    "restricted",
    "subject 【內部參考】 prefix",
    """各位長官：
以下為本週輿情摘要，供內部參考。
""",
    subject="【內部參考】本週輿情摘要",
)

case(
    "bc-subject-008",
    "subject",
    "confidential",
    "subject prefix 「機密件」 with a fullwidth space, body is a short question",
    """請問這份要不要另外送政風室備查？
""",
    subject="機密件　國土安全會報會前資料",
)

# --- self-classifying sentences ----------------------------------------------------------------

case(
    "bc-self-001",
    "self-class",
    "confidential",
    "self-classifying sentence 「本報告列為機密，保密期限5年」",
    """本報告列為機密，保密期限5年，未經核准不得複製或對外提供。

壹、前言
本局於115年間針對關鍵基礎設施之資安韌性進行評估……
""",
)

case(
    "bc-self-002",
    "self-class",
    "official_secret",
    "self-classification in prose: 「本簽屬一般公務機密（密），閱後請退還」",
    """本簽屬一般公務機密（密），閱後請退還人事室。

主旨：本局115年度職務出缺遞補人選，簽請核示。
說明：擬由本局科員[[P|余政憲]]升任股長。
""",
)

case(
    "bc-self-003",
    "self-class",
    "restricted",
    "mail ends with 「本信內容僅供內部討論，請勿外流。」",
    """各位：
附上我整理的組織調整方案初稿，三個方案的優缺點都列在後面，週五會議再討論。

本信內容僅供內部討論，請勿外流。
""",
)

case(
    "bc-self-004",
    "self-class",
    "secret",
    "self-classification: 「本計畫核定為極機密，保密期限20年」 inside a 簽 body",
    """說明：
一、本計畫經本部115年11月18日部務會報核定為極機密，保密期限20年。
二、計畫內容包括……
""",
)

case(
    "bc-self-005",
    "self-class",
    "restricted",
    "self-marking in a chat: 「以下資料限閱，只給組長看」",
    "以下資料限閱，只給組長看：本月查核名單3家，附件是現場照片",
    channel="chat",
)

case(
    "bc-self-006",
    "self-class",
    "official_secret",
    "mail: 「本郵件列為密件處理」 — a self-classifying sentence (distinct from 「依密件處理」 about another paper)",
    """課長：
本郵件列為密件處理，附件為民眾檢舉某議員服務處的原始檢舉書，請勿轉寄。
""",
)

# --- carried (forwarded / quoted) marked documents ------------------------------------------------

case(
    "bc-fwd-001",
    "forwarded",
    "confidential",
    "Outlook 「-----原始郵件-----」 block carries a letter whose 密等 field is 機密: the message leaves with that marking",
    """志明，這封你看一下，下午開會要用。

-----原始郵件-----
寄件者: [[P|江宗憲]] <[[MAIL|jiangzx@mofa.gov.tw]]>
寄件日期: 2026年11月27日 上午 09:14
收件者: [[P|莊志明]] <[[MAIL|zhuangzm@mofa.gov.tw]]>
主旨: 會前資料

發文字號：[[DOC|外亞太一字第1150089012號]]
密等及解密條件或保密期限：機密（保密期限：5年）
主旨：檢送雙邊會談我方談參，請查照。
""",
)

case(
    "bc-fwd-002",
    "forwarded",
    "official_secret",
    "Gmail-style 「---------- Forwarded message ---------」 carrying a 密件 (stamp line) memo",
    """FYI

---------- Forwarded message ---------
From: [[P|楊承恩]] <[[MAIL|chengen.yang@ntpc.gov.tw]]>
Date: Thu, Nov 26, 2026 at 4:10 PM
Subject: 訪視紀錄
To: <[[MAIL|socialwork03@ntpc.gov.tw]]>

密件

案家訪視紀錄（115.11.25）
案主：[[P|劉品萱]]（女，9歲）
案母表示……
""",
)

case(
    "bc-fwd-003",
    "forwarded",
    "secret",
    "「> 」 quoted lines carrying a 極機密 field; the reply text itself is short",
    """收到，會依限辦理。

[[P|鄧志宏]] 於 2026/11/24 寫道：
> 發文字號：[[DOC|國規劃字第1150003321號]]
> 密等及解密條件或保密期限：極機密（保密期限：15年）
> 主旨：頒布戰備整備計畫修正條文，請依限辦理。
""",
)

case(
    "bc-fwd-004",
    "forwarded",
    "top_secret",
    "forwarded PRC-origin file with 「绝密★启用前」 pasted in a forwarded block",
    """轉寄給組長參考。

---------- Forwarded message ---------
From: 陸委會聯絡窗口
Subject: 取得之對岸文件（翻拍）

绝密★启用前
关于……的工作部署（节选）
""",
)

case(
    "bc-fwd-005",
    "forwarded",
    "none",
    "forwarded block that only QUOTES a level in a 主旨 citing another letter (「貴局…函（機密）」): still a mention, nothing carried is marked",
    """轉知。

-----原始郵件-----
寄件者: 文書科
主旨: 收文通知

您好，本局已於今日收到國安局115年11月20日函（機密）1件，請承辦人至文書科簽收。
""",
)

case(
    "bc-fwd-006",
    "forwarded",
    "restricted",
    "forwarded chain where the inner message carries the note 「（內部參考，請勿外流）」 at the end of its last sentence",
    """給你參考，週一我們再討論。

---------- Forwarded message ---------
From: [[P|蘇昱廷]] <[[MAIL|su.yuting@kcg.gov.tw]]>
Subject: 預算刪減方案

各位，財主單位初步建議各局處業務費刪減8%，確定版下週二公布（內部參考，請勿外流）。
""",
)

case(
    "bc-fwd-007",
    "forwarded",
    "confidential",
    "a marked letter pasted into the body without a forward header: 「以下為來文全文：」 then the letter with its 機密 field (carried, not cited)",
    """組長，以下為來文全文，原件已放您桌上：

發文字號：[[DOC|國情處字第1150021345號]]
速別：最速件
密等及解密條件或保密期限：機密（保密期限：10年）
主旨：請協助查復可疑人員出入境紀錄。
""",
)

case(
    "bc-fwd-008",
    "forwarded",
    "official_secret",
    "reply mail that quotes the previous mail with 「> 」; the quoted mail had subject prefix 【密件】 in its quoted header",
    """好的，我會在會前準備。

> -----Original Message-----
> From: [[P|施俊男]]
> Subject: 【密件】申訴案調查進度
>
> 請於週四前提供申訴人[[P|李佩蓉]]之訪談紀錄。
""",
)

case(
    "bc-fwd-009",
    "forwarded",
    "official_secret",
    "LINE: someone pastes the header of a 密 letter into a chat (carried)",
    """這是剛剛收到的函，先貼給大家看：
發文字號：[[DOC|府社助字第1150398765號]]
密等及解密條件或保密期限：密（本件於公布時解密）
主旨：115年度冬令救濟名冊審核結果""",
    channel="chat",
)

case(
    "bc-fwd-010",
    "forwarded",
    "secret",
    "forwarded 來電 telegram header 「來電　極機密」 inside a forwarded block",
    """轉呈。

-----原始郵件-----
寄件者: 機要室
主旨: 電報

來電　極機密（保密期限：10年）
駐○○代表處致部：○○國國會預計下週審議對臺友好法案，建請……
""",
)

# --- telegram headers ------------------------------------------------------------------------

case(
    "bc-tele-001",
    "telegram",
    "secret",
    "來電 header with 極機密 and period",
    """來電　極機密（保密期限：15年）
發電單位：駐日代表處
收電單位：外交部亞東關係協會
日期：115年11月28日
內容：日方表示將於下月派員來臺磋商，建議我方……
""",
)

case(
    "bc-tele-002",
    "telegram",
    "confidential",
    "去電 header with 機密",
    """去電　機密（本件至120年12月31日解密）
發電：外交部
受電：駐美國代表處
本部擬於12月中旬邀請美方人員訪臺，請先行探詢對方意願。
""",
)

case(
    "bc-tele-003",
    "telegram",
    "official_secret",
    "去電 header with 密 and 本件於公布時解密",
    """去電　密（本件於公布時解密）
致：駐新加坡代表處
請於本月底前回報當地臺商投資動態。
""",
)

case(
    "bc-tele-004",
    "telegram",
    "top_secret",
    "來電 with 絕對機密; tab between keyword and level",
    """來電	絕對機密（保密期限：30年）
發電：○○站
事由：人員安全
""",
)

# --- PRC-style markings on received files ----------------------------------------------------------

case(
    "bc-prc-001",
    "prc",
    "confidential",
    "PRC 「秘密★5年」 at the top of a received document: 秘密 maps to confidential",
    """秘密★5年

关于加强对台经贸交流工作的通知
各有关单位：
为进一步……
""",
)

case(
    "bc-prc-002",
    "prc",
    "secret",
    "PRC 「机密★」 with a space and a period",
    """机密★ 10年
××省对台工作领导小组办公室
关于做好年度涉台调研工作的意见
""",
)

case(
    "bc-prc-003",
    "prc",
    "top_secret",
    "PRC 「绝密★启用前」 on an exam-like internal document received by the agency",
    """绝密★启用前
2026年××系统内部业务考试试题
注意事项：……
""",
)

case(
    "bc-prc-004",
    "prc",
    "confidential",
    "mail body: an officer describes and pastes the first lines of a received PRC file with 「秘密★ 1年」",
    """科長，對岸寄來的交流活動文件第一頁原文如下：

秘密★ 1年
关于邀请台湾青年参访团的安排

後面都是行程，我們要怎麼處理？
""",
)

case(
    "bc-prc-005",
    "prc",
    "secret",
    "PRC 机密 with ★ placed after a document number line (上方右角)",
    """                                            机密★3年
×办发〔2026〕17号
关于……的补充通知
""",
)

# --- internal-tier notes in chat; 【密件】 under a signature -------------------------------------

case(
    "bc-chat-mark-001",
    "chat-marked",
    "restricted",
    "chat: inline 「（內部參考，請勿外流）」 closing the sentence",
    "明天議會質詢的題目初步有三題，第二題是問補助款流向（內部參考，請勿外流）",
    channel="chat",
)

case(
    "bc-chat-mark-002",
    "chat-marked",
    "restricted",
    "chat: 「(內部參考 請勿外流)」 half-width brackets, no comma",
    "市長下週三要宣布新的育兒津貼方案，金額還在喬 (內部參考 請勿外流)",
    channel="chat",
)

case(
    "bc-chat-mark-003",
    "chat-marked",
    "restricted",
    "chat: 「【內部資料】」 prefix on a message",
    "【內部資料】本週登革熱防治稽查預定名單：東區3處、南區5處，請各隊先排班",
    channel="chat",
)

case(
    "bc-chat-mark-004",
    "chat-marked",
    "official_secret",
    "chat message starting with 【密件】 stamp",
    "【密件】檢舉人資料：[[P|黃淑惠]]，[[TEL|0935-218-664]]，請勿讓被檢舉單位知悉",
    channel="chat",
)

case(
    "bc-chat-mark-005",
    "chat-marked",
    "confidential",
    "chat: a photo caption pasted with 「機密」 first line (photo of a classified page transcribed by OCR)",
    """機密
保密期限：5年
演習兵力部署一覽表（第2頁）""",
    channel="chat",
)

case(
    "bc-chat-mark-006",
    "chat-marked",
    "restricted",
    "chat: trailing 「（僅供內部參考，請勿轉傳）」",
    "環保局下午會發布空污紫爆的新聞稿，先給大家稿子（僅供內部參考，請勿轉傳）",
    channel="chat",
)

case(
    "bc-sig-001",
    "signature-marked",
    "official_secret",
    "【密件】 under the signature block of a mail",
    """處長您好：
有關本處人員涉嫌收受廠商招待一事，初步查證結果如附件，請核示是否移送。

政風室　[[P|蔡佩珊]]
[[TEL|(03)9251000#3602]]
【密件】
""",
)

case(
    "bc-sig-002",
    "signature-marked",
    "official_secret",
    "【密件】 under the signature, after a dashed separator",
    """主任：
檢舉人要求身分保密，相關資料我只寄給您。
--
[[P|郭信宏]]　科員
宜蘭縣政府政風處
【密件】
""",
)

case(
    "bc-sig-003",
    "signature-marked",
    "official_secret",
    "「密件」 as the last line after a signature, without brackets",
    """以上訪談要點請參考。

社會處　[[P|余宜庭]]
[[TEL|037-559-688]]
密件
""",
)

# =====================================================================================================
# 3. Ordinary (unmarked) 公文 of every genre, personnel orders, ranked lists, signature blocks.
#    Field 密等 is 普通 / blank / 一般 / 無 or absent: secrecy none.
# =====================================================================================================

case(
    "bc-han-001",
    "han",
    "none",
    "long 函 to a citizen replying to a 陳情: citizen named in 受文者 with address; officials in header; 密等 blank",
    """檔　　號：115/020301
保存年限：3年
高雄市政府環境保護局　函
地址：[[ADDR|83347高雄市鳥松區澄清路834號]]
承辦人：稽查員　[[P|翁嘉隆]]
電話：[[TEL|07-7351500轉2311]]
傳真：[[TEL|07-7315432]]
電子信箱：[[MAIL|wengjl@ksepb.gov.tw]]

[[ADDR|80756高雄市三民區建興路118巷7號3樓]]
受文者：[[P|蔡宗祐]]先生

發文日期：中華民國115年11月10日
發文字號：[[DOC|高市環局稽字第1154123450號]]
速別：普通件
密等及解密條件或保密期限：
附件：稽查紀錄照片3張

主旨：臺端陳情本市三民區建興路某餐廳油煙異味影響居住品質一案，復如說明，請查照。

說明：
一、復臺端115年10月29日於本府「1999話務中心」之陳情案件（案件編號：KS1151029-0456）。
二、本局於115年11月3日及11月6日派員至現場稽查，該餐廳已裝設油煙處理設備，惟濾網未定期更換，當場開立勸導單，限期於115年11月30日前改善。
三、本局將於改善期限屆滿後再行複查，如仍未改善，將依空氣污染防制法第31條處新臺幣5千元以上10萬元以下罰鍰。
四、臺端如有其他意見，請逕洽本局稽查員[[P|翁嘉隆]]，或撥打本局24小時陳情專線，本局將儘速處理。
五、依個人資料保護法規定，臺端之個人資料僅供本案處理使用，不對外公開，陳情人身分亦予保密。

正本：[[P|蔡宗祐]]先生
副本：本局稽查科、高雄市三民區公所
局長　[[P|梁世杰]]
""",
)

case(
    "bc-han-002",
    "han",
    "none",
    "函 with 「密等及解密條件或保密期限：普通」 and 速別 普通件; standard header; agency contact only",
    """嘉義縣政府　函
地址：[[ADDR|612009嘉義縣太保市祥和一路東段1號]]
承辦人：[[P|簡美珠]]
電話：[[TEL|05-3620123分機8215]]
電子信箱：[[MAIL|mei0215@mail.cyhg.gov.tw]]

受文者：本縣各國民中小學

發文日期：中華民國115年11月16日
發文字號：[[DOC|府教國字第1150278114號]]
速別：普通件
密等及解密條件或保密期限：普通
附件：實施計畫1份

主旨：檢送「115學年度嘉義縣國民中小學校園食材登錄抽查實施計畫」1份，請依計畫辦理。

說明：依據教育部115年10月20日臺教國署學字第1150123456號函辦理。

正本：本縣各國民中小學
副本：本府教育處
縣長　[[P|余宏達]]
""",
)

case(
    "bc-han-003",
    "han",
    "none",
    "函 to court: a 受刑人 named with ID and 假釋 — CRIMINAL_RECORD in a labelled 公文; 密等 「一般」 (not a level)",
    """法務部矯正署屏東監獄　函
地址：[[ADDR|90090屏東縣屏東市長春街88號]]
承辦人：[[P|鍾佳蓉]]
電話：[[TEL|08-7662231#331]]

受文者：臺灣屏東地方檢察署

發文日期：中華民國115年11月21日
發文字號：[[DOC|屏監教字第1156003712號]]
速別：普通件
密等及解密條件或保密期限：一般

主旨：本監[[CRIME|受刑人]][[P|潘志偉]]（身分證統一編號：[[NID|U124853225]]）[[CRIME|假釋]]出監日期，請查照。
說明：
一、旨揭[[CRIME|受刑人]]經法務部核准[[CRIME|假釋]]，訂於115年11月28日出監。
二、其[[CRIME|假釋]]期間付保護管束，請貴署指派觀護人辦理。
""",
)

case(
    "bc-han-004",
    "han",
    "none",
    "long 函 to 戶政: subject person's birth date labelled 出生日期, national ID, address; 說明 uses 當事人 + name",
    """臺北市政府警察局大安分局　函
地址：[[ADDR|10678臺北市大安區新生南路二段86號]]
聯絡人：警務員　[[P|徐子軒]]
電話：[[TEL|(02)2362-2540]]
傳真：[[TEL|(02)2362-9913]]

受文者：臺北市大安區戶政事務所

發文日期：中華民國115年11月18日
發文字號：[[DOC|北市警安分刑字第1153078122號]]
速別：速件
密等及解密條件或保密期限：
附件：當事人資料表1份

主旨：請協助查詢當事人[[P|吳承翰]]之戶籍遷徙紀錄及同戶人員資料，以利本分局偵辦竊盜案件，請查照。

說明：
一、本分局偵辦轄內115年11月間連續竊盜案，經調閱監視器比對，鎖定犯嫌一名，需確認其住居所以便通知到案說明。
二、當事人資料如下：
　　姓名：[[P|吳承翰]]
　　出生日期：[[DOB|民國84年7月12日]]
　　身分證統一編號：[[NID|K136038945]]
　　戶籍地址：[[ADDR|臺北市大安區和平東路二段96巷17弄3號4樓]]
三、依個人資料保護法第15條及第16條規定，本分局係為執行法定職務所必要，請惠予提供當事人自100年起之遷徙紀錄。
四、查詢結果請以密件封套寄送本分局偵查隊，或逕以公文電子交換傳送。
五、本案尚在偵查中，請貴所勿將查詢事由告知當事人或其家屬。
六、聯絡人：偵查隊警務員[[P|徐子軒]]。
七、本案係依刑事訴訟法第229條及警察職權行使法規定辦理，如貴所認須另行補具公文或申請書，請逕洽聯絡人。

正本：臺北市大安區戶政事務所
副本：本分局偵查隊
分局長　[[P|宋家銘]]
""",
)

case(
    "bc-han-005",
    "han",
    "none",
    "函 whose 發文字號 is a 91-year serial (民國91 09… serial style); no phone in the serial; cited 字號 with 函 unlabelled",
    """發文日期：中華民國91年3月12日
發文字號：[[DOC|公秘法字第0910031428號]]
速別：普通件
密等及解密條件或保密期限：普通
主旨：函轉法務部91年2月26日法律字第0910006417號函釋，請查照。
""",
)

case(
    "bc-shu-001",
    "shuhan",
    "none",
    "書函 to a citizen about 國家賠償: 請求權人 unusual label; amount; 密等 absent",
    """臺南市政府　書函
地址：[[ADDR|708201臺南市安平區永華路二段7號]]
聯絡人：[[P|羅正義]]
聯絡電話：[[TEL|06-2991111#7742]]

受文者：[[P|林秀鳳]]女士

發文日期：中華民國115年11月8日
發文字號：[[DOC|府法賠字第1151456321號]]

主旨：請求權人[[P|林秀鳳]]女士請求國家賠償事件，本府訂於115年11月25日上午10時召開協議會議，請準時出席。
說明：
一、請攜帶國民身分證及相關單據正本。
二、請求權人如委任代理人出席，應提出委任書。
""",
)

case(
    "bc-shu-002",
    "shuhan",
    "none",
    "long 書函 between agencies asking for a 受處分人's address; IDs and birth date in a table with a 出生 header and 7-digit dates",
    """勞動部勞工保險局　書函
地址：[[ADDR|10013臺北市中正區羅斯福路一段4號]]
聯絡人：[[P|朱芳儀]]
電話：[[TEL|(02)2396-1266分機2765]]
電子郵件：[[MAIL|fangyi.chu@mail.bli.gov.tw]]

受文者：內政部戶政司

發文日期：中華民國115年11月13日
發文字號：[[DOC|保納行二字第1156032145號]]
速別：普通件
密等及解密條件或保密期限：普通
附件：查址名冊1份

主旨：為催繳勞工保險費及滯納金，請協助查復下列受處分人之最新戶籍地址，請查照。

說明：
一、下列投保單位負責人積欠勞工保險費，經本局多次以原址寄送繳款單均遭退回，爰請協助查址。
二、查址名冊：
編號	受處分人	身分證字號	出生	積欠金額
1	[[P|陳冠霖]]	[[NID|J125492834]]	[[DOB|0740623]]	48,320
2	[[P|黃怡蓁]]	[[NID|O240786585]]	[[DOB|0811107]]	12,906
3	[[P|許家榮]]	[[NID|M152888562]]	[[DOB|0690214]]	103,455
三、查復資料請以公文電子交換方式傳送本局納費行政組，並請勿以電子郵件傳送。
四、本案依個人資料保護法第16條規定，為執行法定職務必要範圍內利用，本局於取得資料後僅用於寄送繳款單，不作其他用途，並於催繳完成後依規定銷毀。
五、前揭受處分人如已死亡或遷出國外，亦請於查復表備註欄註明，以利本局辦理後續註銷或移送執行作業。
六、如有疑義，請洽本局承辦人[[P|朱芳儀]]。

正本：內政部戶政司
副本：本局納費行政組
""",
)

case(
    "bc-kai-001",
    "meeting",
    "none",
    "開會通知單 with named 出席者 (委員 names with titles after them) and 聯絡人; 密等 普通",
    """苗栗縣政府　開會通知單

受文者：如出席者
發文日期：中華民國115年11月20日
發文字號：[[DOC|府勞資字第1150231122號]]
速別：普通件
密等及解密條件或保密期限：普通
附件：

開會事由：本縣115年度第6次勞資爭議調解委員會
開會時間：115年12月2日（星期三）下午2時
開會地點：本府第一辦公大樓3樓301會議室
主持人：勞動及青年發展處處長　[[P|黃俊傑]]
聯絡人及電話：[[P|戴欣妍]]　[[TEL|037-559-123]]

出席者：[[P|鄭雅文]]委員、[[P|江佩玲]]委員、[[P|詹凱文]]律師、[[P|高嘉宏]]會計師
列席者：申請人[[P|廖文彬]]、相對人宏○實業有限公司代表人

備註：請申請人攜帶勞動契約、薪資單等相關資料。
""",
)

case(
    "bc-kai-002",
    "meeting",
    "none",
    "long 開會通知單 for a 身心障礙 needs-assessment meeting naming a person: HEALTH terms about an identified person",
    """新竹市政府社會處　開會通知單

受文者：如出列席者
發文日期：中華民國115年11月24日
發文字號：[[DOC|府社障字第1150188456號]]
速別：速件
密等及解密條件或保密期限：
附件：個案摘要

開會事由：召開個案[[P|張簡文彥]]先生日間照顧服務需求評估會議
開會時間：115年12月1日（星期二）上午9時30分
開會地點：本府社會處2樓小會議室
主持人：[[P|蘇美琪]]科長
聯絡人及電話：個管員[[P|胡雅雯]]　[[TEL|03-5216121分機420]]

出席者：新竹市身心障礙者家庭資源中心、國立臺灣大學醫學院附設醫院新竹臺大分院社工室、案家代表
列席者：本處身心障礙福利科

個案摘要：
一、[[P|張簡文彥]]先生，58歲，領有[[HEALTH|身心障礙證明]]（[[HEALTH|肢體障礙]]，重度），115年8月因[[HEALTH|腦中風]][[HEALTH|住院]]治療，出院後左側肢體無力，目前由配偶[[P|張簡林美華]]女士照顧。
二、案家經濟來源為配偶之兼職收入及案主之生活補助，照顧負荷沉重，案妻表示已出現[[HEALTH|失眠]]情形。
三、案家育有一子，目前在外縣市工作，每月返家一次，表示無法辭職返家照顧。
四、本次會議擬討論：（一）日間照顧中心之轉介可行性；（二）居家復健及輔具評估；（三）喘息服務時數。
五、請各出席單位先行評估可提供之服務資源及時數，並於會議中提出；如需案家代表說明，由本處社工陪同出席。
六、會後將由本處彙整各單位意見，於一週內完成個案服務計畫，並函送各相關單位執行。

備註：會議資料涉及個案隱私，會後請交由承辦人統一銷毀。
""",
)

case(
    "bc-gong-001",
    "gonggao",
    "none",
    "公告 公示送達 to 受處分人 (named, with last-known address); 公告 genre",
    """臺中市政府交通局　公告

發文日期：中華民國115年11月5日
發文字號：[[DOC|中市交裁管字第1150067788號]]

主旨：公示送達受處分人[[P|賴冠宇]]違反道路交通管理事件裁決書。
依據：行政程序法第78條、第80條、第81條。
公告事項：
一、受處分人[[P|賴冠宇]]，原址：[[ADDR|臺中市北屯區崇德路三段55巷12號]]，因應受送達處所不明，裁決書無從送達。
二、請受處分人於公告之日起20日內至本局裁決處領取，逾期即發生送達效力。
""",
)

case(
    "bc-gong-002",
    "gonggao",
    "none",
    "公告 of exam results (ranked list with scores): names in a ranked list 「前三名依序為…（分）」",
    """國立○○高級中學　公告

主旨：公告本校115學年度第一學期代理教師甄選錄取名單。
公告事項：
一、國文科錄取1名：[[P|吳欣怡]]（總成績85.6分）。
二、數學科錄取2名，依序為：[[P|鄭凱元]]（88.2分）、[[P|廖婉如]]（84.9分）；備取1名：[[P|石宏達]]（80.1分）。
三、錄取人員請於115年12月3日上午9時攜帶證件至人事室報到。
""",
)

case(
    "bc-gong-003",
    "gonggao",
    "none",
    "公告 about a public hearing — no person, no PII; dates are not birth dates; 密等 absent",
    """雲林縣政府　公告
發文日期：中華民國115年11月27日
發文字號：[[DOC|府城都字第1152614455號]]
主旨：公告「變更斗六都市計畫（第四次通盤檢討）案」自115年12月1日起公開展覽30天，並於115年12月15日下午2時假斗六市公所3樓禮堂舉行說明會。
公告事項：
一、公開展覽地點：本府城鄉發展處及斗六市公所。
二、任何公民或團體對本案如有意見，得於公開展覽期間內以書面載明姓名或名稱及地址，向本府提出。
""",
)

case(
    "bc-ling-001",
    "ling",
    "none",
    "令 personnel transfer: 「調…為…」 verb phrase with names glued to titles; 密等 absent",
    """屏東縣政府　令
發文日期：中華民國115年11月30日
發文字號：[[DOC|屏府人力字第1150345678號]]

主旨：調本府農業處技正[[P|賴明輝]]為本府農業處簡任技正；調本府社會處專員[[P|葉雅萍]]為本府社會處科長；均自115年12月1日生效。
""",
)

case(
    "bc-ling-002",
    "ling",
    "none",
    "令 with a list of appointees in a table (姓名 column) and 職稱; one two-character name",
    """交通部　令
發文日期：中華民國115年11月12日
發文字號：[[DOC|交人字第1150032176號]]
主旨：茲派下列人員職務如下，自115年11月16日生效。

姓名	原職	新職
[[P|林傑]]	路政司科長	路政司專門委員
[[P|彭靜怡]]	會計處專員	會計處科長
[[P|溫柏源]]	人事處科員	人事處專員
""",
)

case(
    "bc-ling-003",
    "ling",
    "none",
    "令 with a 懲處 that quotes a final conviction: 酒駕 公共危險罪 判決確定 (CRIMINAL_RECORD)",
    """花蓮縣政府　令
發文日期：中華民國115年11月4日
發文字號：[[DOC|府人考字第1150213009號]]
主旨：本府工務處約僱人員[[P|邱建豪]]因酒後駕車涉犯公共危險罪，經臺灣花蓮地方法院[[CRIME|判處有期徒刑3月確定]]，依規定核予大過一次。
""",
)

case(
    "bc-qian-001",
    "qian",
    "none",
    "long 簽 about a staff member's sick leave with diagnosis, surgery and hospital stay (HEALTH_DATA in prose); unmarked",
    """簽　於人事室　115年11月19日

主旨：本局科員[[P|曾國華]]申請延長病假，簽請核示。

說明：
一、[[P|曾國華]]科員於115年10月6日因[[HEALTH|急性闌尾炎]]併[[HEALTH|腹膜炎]]送[[HEALTH|急診]]，於同日接受[[HEALTH|腹腔鏡闌尾切除手術]]，[[HEALTH|住院]]10日後出院。
二、據其檢附之醫院診斷證明書記載：「[[HEALTH|診斷：急性穿孔性闌尾炎併局部腹膜炎]]，術後宜休養六週」。
三、依公務人員請假規則第3條規定，病假每年准給28日，[[P|曾國華]]科員本年度已請病假21日，所餘7日不足其休養期間，擬准其以事假及延長病假併計。
四、其所遺業務由同科科員[[P|蔡佩珊]]職務代理，代理期間自115年11月20日至115年12月31日止。
五、本案涉及當事人健康資料，簽核後請退回人事室存查，勿影印留存。

擬辦：奉核後通知當事人及其單位主管。

敬陳
主任秘書
局長

人事室主任　[[P|邱柏均]]
""",
)

case(
    "bc-qian-002",
    "qian",
    "none",
    "簽 for 甄選 results: 「前三名依序為：…（分）」 ranked list with names and scores",
    """簽　於秘書室　115年11月26日
主旨：本所115年度約僱人員甄選結果，簽請核定。
說明：
一、本次甄選報名12人，到考10人。
二、經筆試及口試，總成績前三名依序為：[[P|周品萱]]（89分）、[[P|方睿哲]]（86分）、[[P|連韋婷]]（83分）。
三、擬錄取第一名[[P|周品萱]]為正取，第二名、第三名為備取。
擬辦：奉核後通知錄取人員報到。
""",
)

case(
    "bc-qian-003",
    "qian",
    "none",
    "簽 with a 受處分人 and a 緩起訴 (CRIMINAL_RECORD) in prose; also 起訴 of another officer — NOT a record (indictment alone)",
    """簽　於政風室　115年11月12日
主旨：本局員工涉訟案件處理情形，簽請鑒核。
說明：
一、本局技士[[P|黃柏霖]]涉犯業務過失傷害案，經臺灣新北地方檢察署為[[CRIME|緩起訴]]處分，[[CRIME|緩起訴]]期間1年，並應向公庫支付新臺幣5萬元，處分已確定。
二、本局技佐[[P|林聖凱]]涉犯偽造文書案，經檢察官提起公訴，現由法院審理中，尚未判決。
三、依公務員懲戒法規定，[[P|林聖凱]]部分俟判決確定後再行檢討。
擬辦：陳閱後存查。
""",
)

case(
    "bc-sig-block-001",
    "signature",
    "none",
    "e-mail signature block: 「人事室　name（分機NNNN）」 plus full phone, e-mail, address",
    """課長您好：
附件為本年度員工協助方案滿意度調查結果，請參考。

敬祝　順心
人事室　[[P|邱柏均]]（分機2861）
[[TEL|(02)2960-3456分機2861]]
[[MAIL|chiu.pochun@ntpc.gov.tw]]
[[ADDR|22001新北市板橋區中山路一段161號]]
""",
)

case(
    "bc-sig-block-002",
    "signature",
    "none",
    "signature block with a job title after the name and a mobile; English name line; no marking",
    """謝謝您的協助，資料我收到了。

---
[[P|賴靜宜]] 專員
經濟部中小及新創企業署　創業創新組
Tel: [[TEL|+886-2-2368-6858 #218]]
Mobile: [[TEL|0920-566-318]]
Email: [[MAIL|chingyi.lai@sme.gov.tw]]
""",
)

case(
    "bc-sig-block-003",
    "signature",
    "none",
    "signature block with name on its own line (no title) and a 分機 after the landline with one space",
    """以上，請卓參。

[[P|戴文彬]]
臺東縣政府財政及經濟發展處
[[TEL|089-326141 分機371]]
""",
)

case(
    "bc-sig-block-004",
    "signature",
    "none",
    "signature block where the title precedes the name with an ideographic space: 「科長　鄧淑華」 and 「承辦人　陳奕廷」",
    """敬請　核示

承辦人　[[P|陳奕廷]]
科長　[[P|鄧淑華]]
""",
)

case(
    "bc-han-006",
    "han",
    "none",
    "long 函 from a school: student referral for 中輟, with student name (two-character), parent name with 案父 label, DOB, address, phone",
    """臺南市立○○國民中學　函
地址：[[ADDR|709臺南市安南區長和路二段201號]]
承辦人：輔導主任　[[P|石惠君]]
電話：[[TEL|06-2567812分機800]]
傳真：[[TEL|06-2561154]]

受文者：臺南市政府教育局

發文日期：中華民國115年11月23日
發文字號：[[DOC|南市○國中輔字第1150008125號]]
速別：速件
密等及解密條件或保密期限：普通
附件：中輟學生通報單1份

主旨：陳報本校學生[[P|王翔]]中途輟學，請協尋並轉介相關單位協助，請鑒核。

說明：
一、本校八年級學生[[P|王翔]]（男，14歲，出生日期：[[DOB|101年3月18日]]）自115年11月10日起未到校上課，經導師多次電話聯繫案父[[P|王志成]]（[[TEL|0963-112-504]]）均未接聽。
二、本校於115年11月16日及11月20日二度家訪，戶籍地址[[ADDR|臺南市安南區海佃路一段382巷6號]]無人應門，據鄰居表示案家已搬離約一個月。
三、案母[[P|阮氏蘭]]為越南籍配偶，案父母於114年間離婚，學生原由案父監護。
四、依強迫入學條例及中途輟學學生通報及復學輔導辦法規定，本校已於115年11月17日完成通報，並請轄區派出所協尋。
五、該生於七年級時曾有中輟紀錄1次，經輔導後復學，出席情形良好，本次中輟原因初判與家庭變故有關。
六、本案聯絡人：輔導主任[[P|石惠君]]。
七、如貴局或社會局查得案家新址，請惠予通知本校，以利後續家訪及復學輔導。

正本：臺南市政府教育局
副本：臺南市政府警察局第三分局、臺南市政府社會局、本校學務處
校長　[[P|鐘明德]]
""",
)

case(
    "bc-han-007",
    "han",
    "none",
    "long 函 from 衛生局 about a 登革熱 case: confirmed disease of a named person with address and phone; 密等 「無」",
    """臺南市政府衛生局　函
地址：[[ADDR|70403臺南市北區東豐路418號]]
承辦人：[[P|黃佩琪]]
電話：[[TEL|06-2679751分機212]]

受文者：臺南市北區區公所

發文日期：中華民國115年9月14日
發文字號：[[DOC|南市衛疾字第1150198876號]]
速別：最速件
密等及解密條件或保密期限：無
附件：防治工作分工表

主旨：本市北區出現本土[[HEALTH|登革熱]]確診個案，請貴所協助里鄰孳生源清除工作，請查照。

說明：
一、個案[[P|許淑娟]]（女，52歲），居住於[[ADDR|臺南市北區公園路321巷5號]]，115年9月9日出現[[HEALTH|發燒]]、[[HEALTH|頭痛]]及[[HEALTH|骨頭痠痛]]等症狀，9月12日經醫院通報，9月13日經疾病管制署檢驗確診為[[HEALTH|登革熱]]第二型，現於[[HEALTH|住院]]治療中。
二、本局已於個案住家周圍半徑50公尺進行化學防治及孳生源清除，並對其同住家屬[[P|許家豪]]（[[TEL|0912-773-058]]）進行防疫衛教並請其配合孳生源清除。
三、請貴所轉知公園里里長協助動員里民清除積水容器，並於9月16日前回報清除情形。
四、個案資料係依傳染病防治法所取得，請勿對外公開個案姓名及住址。
五、本局將於9月15日及9月18日晚間於公園里活動中心辦理防疫說明會，請貴所協助廣播周知。
六、另請貴所協助於里辦公處張貼防疫海報，並提醒里民如出現發燒症狀應儘速就醫並告知旅遊史及接觸史。
七、本案聯絡人：本局疾病管制科[[P|黃佩琪]]。

正本：臺南市北區區公所
副本：衛生福利部疾病管制署南區管制中心、本局疾病管制科
局長　[[P|杜美英]]
""",
)

case(
    "bc-han-008",
    "han",
    "none",
    "short 函 with 承辦人員應使用 wording: 「承辦人員」 is not 承辦人 + a name; no persons at all",
    """主旨：為落實個人資料保護，承辦人員應使用本府公務電子郵件傳送公務資料，請查照。
說明：
一、承辦人員應使用機關核發之帳號，不得以私人信箱收發公文。
二、承辦人應於每年12月完成個資保護教育訓練3小時。
發文字號：[[DOC|府資安字第1150402211號]]
密等及解密條件或保密期限：普通
""",
)

case(
    "bc-han-009",
    "han",
    "none",
    "函 with 電話 given as 「(037)331-256」 (037 + 6 digits) and a 0800 hotline that is not a phone label",
    """苗栗縣政府社會處　函
承辦人：[[P|江俊毅]]
電話：[[TEL|(037)331-256]]
諮詢專線：0800-211-459
主旨：本縣115年度中低收入老人生活津貼複查作業，請查照。
說明：請民眾撥打諮詢專線或至各鄉鎮市公所洽詢。
發文字號：[[DOC|府社助字第1150205533號]]
""",
)

case(
    "bc-kai-003",
    "meeting",
    "none",
    "開會通知單 with padded labels 「主　持　人」 and 「聯絡人及電話」 with a name glued to 科員",
    """開會事由：研商本府公有零售市場攤位租金調整案
開會時間：115年12月4日上午10時
開會地點：本府401會議室
主　持　人：[[P|何麗華]]副秘書長
聯絡人及電話：科員[[P|呂政宏]]　[[TEL|(03)932-2154]]
出　席　者：財政處、經濟發展處、法制處
""",
)

case(
    "bc-gong-004",
    "gonggao",
    "none",
    "公告 of a 廢止 of a doctor's license: 受處分人 label, named physician; no health data (about the doctor's conduct)",
    """衛生福利部　公告
發文日期：中華民國115年10月30日
發文字號：[[DOC|衛部醫字第1151667890號]]
主旨：公告廢止[[P|顏志強]]醫師之醫師證書。
依據：醫師法第25條之2。
公告事項：受處分人[[P|顏志強]]，醫師證書字號：台醫字第012345號，經本部醫事審議委員會決議廢止其醫師證書。
""",
)

# =====================================================================================================
# 4. LINE-style chat messages and exported chat histories (channel chat, subject null).
# =====================================================================================================

case(
    "bc-chat-001",
    "chat",
    "none",
    "chat: name glued to a title before it (科員+name) and a mobile number",
    "科員[[P|林冠廷]]今天支援櫃台，有民眾找他請打[[TEL|0958-330-217]]",
    channel="chat",
)

case(
    "bc-chat-002",
    "chat",
    "none",
    "chat: name followed by a military rank (name+上士); no colon label",
    "[[P|周建志]]上士明天帶隊去營區，車輛已經借好了",
    channel="chat",
)

case(
    "bc-chat-003",
    "chat",
    "none",
    "chat: 「我是…」 self-introduction; extension alone (分機) is not a phone",
    "您好，我是社會局的[[P|陳雅婷]]，想找負責長照補助的承辦，分機是1234嗎？",
    channel="chat",
)

case(
    "bc-chat-004",
    "chat",
    "none",
    "chat: colleague's hospital stay and fracture in prose (HEALTH_DATA about a named person)",
    "跟大家說一下，[[P|蔡宗諭]]昨天騎車摔倒[[HEALTH|骨折]]，現在在署立醫院[[HEALTH|住院]]，這兩週他的案子先由我代理",
    channel="chat",
)

case(
    "bc-chat-005",
    "chat",
    "none",
    "chat: 「找 + name」 and 「name + 說」",
    "剛剛有人打來找[[P|許雅筠]]，[[P|許雅筠]]說她下午才進辦公室",
    channel="chat",
)

case(
    "bc-chat-006",
    "chat",
    "none",
    "chat: 「name + 表示」 and a 2-character name",
    "[[P|王芳]]表示明天的會議改到三樓，請大家互相轉告",
    channel="chat",
)

case(
    "bc-chat-007",
    "chat",
    "none",
    "chat: surname + title alone (陳先生) and masked name (王○明): nothing to label",
    "陳先生剛剛又來電問王○明的補助進度，我說還在審",
    channel="chat",
)

case(
    "bc-chat-008",
    "chat",
    "none",
    "chat hard negatives: words starting with surname characters (高鐵, 周末, 何時, 許可, 金流, 施工); no person",
    "高鐵票我買好了，周末出差，何時出發再跟大家講；許可證和金流資料我下午看，施工廠商那邊也會到",
    channel="chat",
)

case(
    "bc-chat-009",
    "chat",
    "none",
    "chat: @mention of a person — PERSON excludes the @",
    "@[[P|鄭宇翔]] 下午兩點的會議記錄可以先給我嗎",
    channel="chat",
)

case(
    "bc-chat-010",
    "chat",
    "none",
    "chat: ID requested for lookup (national ID in chat) plus a name with (性別，年齡) bracket",
    "麻煩幫查一下 [[P|張志強]]（男，45歲）[[NID|C150480293]] 有沒有領過急難救助",
    channel="chat",
)

case(
    "bc-chat-011",
    "chat",
    "none",
    "chat: mobile in Chinese numerals with 零 and spaces",
    "案家電話是[[TEL|零九三六 五八二 一四七]]，晚上比較找得到人",
    channel="chat",
)

case(
    "bc-chat-012",
    "chat",
    "none",
    "chat: mobile in Chinese numerals with 〇 and full-width dashes",
    "里長的手機[[TEL|〇九二七－三一五－八六〇]]，有事直接打給他",
    channel="chat",
)

case(
    "bc-chat-013",
    "chat",
    "none",
    "chat: depression and suicide attempt of a named client (HEALTH_DATA), with 當事人 + name",
    "當事人[[P|黃郁婷]]上週[[HEALTH|自殺未遂]]，目前有[[HEALTH|憂鬱症]]在精神科回診，社工這週會再家訪",
    channel="chat",
)

case(
    "bc-chat-014",
    "chat",
    "none",
    "chat: 通緝 of a named person (CRIMINAL_RECORD) with a location",
    "注意，[[P|洪志明]]有[[CRIME|通緝]]在身，線報說今晚會出現在中正路那間網咖",
    channel="chat",
)

case(
    "bc-chat-015",
    "chat",
    "none",
    "chat: 毒品前科 and 觀察勒戒 of a named person",
    "那個[[P|李冠宇]]有[[CRIME|毒品前科]]，去年才剛[[CRIME|觀察勒戒]]出來，訪視的時候兩個人一起去比較好",
    channel="chat",
)

case(
    "bc-chat-016",
    "chat",
    "none",
    "chat: 提起公訴 alone is NOT a criminal record (PDPA 施行細則 §4); person named",
    "[[P|郭明宏]]那件詐欺案檢察官已經提起公訴了，之後開庭我們要出庭作證",
    channel="chat",
)

case(
    "bc-chat-017",
    "chat",
    "none",
    "chat: a bank account with 帳號 keyword and bank code written apart",
    "[[P|楊淑娟]]的退費帳號：玉山銀行（808）帳號[[ACCT|0902-940-123456]]，戶名本人",
    channel="chat",
)

case(
    "bc-chat-018",
    "chat",
    "none",
    "chat: e-mail in `name [at] gmail [dot] com` form",
    "她說資料寄到 [[MAIL|yuting.liao [at] gmail [dot] com]] 就可以",
    channel="chat",
)

case(
    "bc-chat-019",
    "chat",
    "none",
    "chat: e-mail in `name(at)gmail.com` form",
    "案主女兒的信箱 [[MAIL|shuhui0921(at)gmail.com]]，通知單可以寄電子檔給她",
    channel="chat",
)

case(
    "bc-chat-020",
    "chat",
    "none",
    "chat: address of a home visit with 之N and 樓",
    "明天家訪地址：[[ADDR|新北市三重區重新路四段97巷8號之2 5樓]]，按門鈴沒人就打電話",
    channel="chat",
)

case(
    "bc-chat-021",
    "chat",
    "none",
    "chat: 「其子 + name + 於」 verb phrase; 失智 diagnosis of the mother (HEALTH_DATA)",
    "阿嬤有[[HEALTH|失智症]]，其子[[P|張家銘]]於上個月搬回來同住，照顧上比較沒問題了",
    channel="chat",
)

case(
    "bc-chat-022",
    "chat",
    "none",
    "chat: 「將 + name + 調整」 verb phrase",
    "下週起將[[P|楊佩玲]]調整到第二組，第一組的個案請[[P|楊佩玲]]這週交接",
    channel="chat",
)

case(
    "bc-chat-023",
    "chat",
    "none",
    "chat: hard negatives — 陳述, 林業, 黃金, 張貼, 王牌, 江湖, 游泳, 方案, 曾經; no person",
    "陳述書已經收到，林業保育署那邊說黃金週前會張貼公告；我們的王牌方案曾經被退過一次，江湖傳言是游泳池那案的關係",
    channel="chat",
)

case(
    "bc-chat-024",
    "chat",
    "none",
    "chat: 陳君 and A君 (title-only / anonymous): not persons",
    "報告寫陳君、A君就好，不要寫全名",
    channel="chat",
)

case(
    "bc-chat-025",
    "chat",
    "none",
    "chat: titles alone (組長, 科長, 里長) with no name",
    "組長說科長下午要找里長開會，大家先不要外出",
    channel="chat",
)

case(
    "bc-chat-026",
    "chat",
    "none",
    "chat: a Vietnamese worker's romanised name and new-format resident ID (9 = female)",
    "移工[[P|Nguyen Thi Hoa]]的居留證號[[RID|G996265765]]，雇主說她護照在仲介那邊",
    channel="chat",
)

case(
    "bc-chat-027",
    "chat",
    "none",
    "chat: an old-format resident ID (two letters) of a named Filipino worker",
    "[[P|SANTOS MARIA CLARA]] 統一證號 [[RID|ZD95484901]]，下週要辦展延",
    channel="chat",
)

case(
    "bc-chat-028",
    "chat",
    "none",
    "chat: 思覺失調 of a named person and hospitalisation",
    "鄰居反映[[P|鄭志鴻]]最近又停藥，他有[[HEALTH|思覺失調症]]，之前強制[[HEALTH|住院]]過兩次，今晚派出所會陪同",
    channel="chat",
)

case(
    "bc-chat-029",
    "chat",
    "none",
    "chat: statistics with disease names and no person — no HEALTH_DATA",
    "本週全市登革熱確診12例、流感住院23例，比上週少，衛生局說下週會再更新",
    channel="chat",
)

case(
    "bc-chat-030",
    "chat",
    "none",
    "chat: 查緝通緝犯宣導 — 通緝 about nobody in particular",
    "明天分局辦查緝通緝犯宣導，各所派兩人支援，服裝整齊",
    channel="chat",
)

case(
    "bc-chat-031",
    "chat",
    "none",
    "chat: birth date in prose without label 「67.10.23生」 after name and sex",
    "申請人[[P|謝明達]]，男，[[DOB|67.10.23]]生，住在我們轄區，他問敬老卡什麼時候可以辦",
    channel="chat",
)

case(
    "bc-chat-032",
    "chat",
    "none",
    "chat: 「N年N月N日生」 birth date in prose; plus 年齡 stated",
    "阿公[[P|簡順發]]是[[DOB|37年11月20日]]生的，今年78歲，可以申請重陽禮金",
    channel="chat",
)

case(
    "bc-chat-033",
    "chat",
    "none",
    "chat: a date that is not a birth date (申請日期, 開會日期); no DOB",
    "補助申請日期是115年11月3日，審查會議訂12月8日，到時候再通知",
    channel="chat",
)

case(
    "bc-chat-034",
    "chat",
    "none",
    "chat: 生日禮金 announcement — a 生日 keyword but not a birth date",
    "福委會通知：員工生日禮金於每月5日統一發放，11月壽星請到福委會簽收",
    channel="chat",
)

case(
    "bc-chat-035",
    "chat",
    "none",
    "chat: credit card number split by dots (evasion)",
    "他說卡號是[[CARD|4349.3276.5182.4830]]，要幫他取消那筆規費的自動扣款",
    channel="chat",
)

case(
    "bc-chat-036",
    "chat",
    "none",
    "chat: a Luhn-invalid 16-digit number presented as a test card — not a card, not an NHI number",
    "測試環境用這組就好 9793-2700-2999-4898，是假的卡號不會扣款",
    channel="chat",
)

case(
    "bc-chat-037",
    "chat",
    "none",
    "chat: name before 小姐 and before 先生 (title excluded from span)",
    "[[P|林怡萱]]小姐跟[[P|曾志偉]]先生下午三點會來補件，櫃台幫忙留意一下",
    channel="chat",
)

case(
    "bc-chat-038",
    "chat",
    "none",
    "chat: 冠夫姓 name and a landline with area code in brackets",
    "案母[[P|陳林秀蓮]]的家裡電話[[TEL|(04)2452-7781]]，手機常常沒開",
    channel="chat",
)

case(
    "bc-chat-039",
    "chat",
    "none",
    "chat: compound surname 歐陽 and 范姜",
    "[[P|歐陽慧君]]跟[[P|范姜承宇]]這次都有報名志工訓練，名單我晚點上傳",
    channel="chat",
)

case(
    "bc-chat-040",
    "chat",
    "none",
    "chat: a passport number with the 護照 keyword",
    "他的護照號碼是[[PP|318574926]]，出國進修的申請表還缺這個",
    channel="chat",
)

case(
    "bc-chat-041",
    "chat",
    "none",
    "chat: NHI card number with the 健保卡 keyword",
    "健保卡號[[NHI|0000 4527 8813]]，卡片背面有寫，幫她登錄到系統",
    channel="chat",
)

case(
    "bc-chat-042",
    "chat",
    "none",
    "chat: a national ID split by a line break (message wrapped)",
    """身分證是[[NID|H2657
10509]]，上面那個是她姊姊的""",
    channel="chat",
)

case(
    "bc-chat-043",
    "chat",
    "none",
    "chat: zero-width space inside a national ID",
    "她身分證字號[[NID|B285\u200b349653]]，幫我看一下是不是低收",
    channel="chat",
)

case(
    "bc-chat-044",
    "chat",
    "none",
    "chat: full-width national ID",
    "補件的身分證號碼：[[NID|Ｐ１７５４０６７４８]]",
    channel="chat",
)

case(
    "bc-chat-045",
    "chat",
    "none",
    "chat: a case summary with 前科 glued to an offence (竊盜前科) and 刑案紀錄",
    "查了一下[[P|呂建宏]]有[[CRIME|竊盜前科]]兩筆，[[CRIME|刑案紀錄]]最近一筆是112年",
    channel="chat",
)

case(
    "bc-chat-046",
    "chat",
    "none",
    "chat: the 0800 toll-free line and hotlines (1999, 113, 1925) are not phones",
    "民眾如果問，就給他0800-000-123或撥1999；家暴的話請撥113，心理諮詢1925",
    channel="chat",
)

case(
    "bc-chat-047",
    "chat",
    "none",
    "chat: masked phone and masked ID — nothing to label",
    "系統上只看得到 0912-***-678 跟 F2****735，要完整的要去調紙本",
    channel="chat",
)

case(
    "bc-chat-048",
    "chat",
    "none",
    "chat: 判刑確定 of a named person and 假釋",
    "[[P|施文彬]]那件毒品案二審[[CRIME|判決確定]]了，要入監執行，之前是[[CRIME|假釋]]中再犯",
    channel="chat",
)

case(
    "bc-chat-049",
    "chat",
    "none",
    "chat: 登革熱確診 of a named colleague",
    "[[P|莊雅惠]]昨天[[HEALTH|登革熱]]確診，這週居家休養，辦公室下午消毒",
    channel="chat",
)

case(
    "bc-chat-050",
    "chat",
    "none",
    "chat: general health education (衛教) text with disease names and no person",
    "【衛教小叮嚀】流感好發季節，出現發燒、咳嗽請戴口罩就醫；糖尿病、高血壓患者屬高風險族群，請儘速接種疫苗",
    channel="chat",
)

case(
    "bc-chat-051",
    "chat",
    "none",
    "chat: name at the start of a line in a list (no label) with phone numbers",
    """今天值班：
[[P|林志遠]] [[TEL|0932-118-406]]
[[P|黃淑芬]] [[TEL|0919-554-237]]
[[P|吳建良]] [[TEL|0975-260-813]]""",
    channel="chat",
)

case(
    "bc-chat-052",
    "chat",
    "none",
    "chat: an e-invoice number and a product code with ID-like shape — not IDs",
    "發票號碼 QA-07313011，料號 E123456-789，退貨單號 RA20261130001",
    channel="chat",
)

case("bc-chat-053", "chat", "none", "chat: 「叫 + name」", "那個志工叫[[P|卓明哲]]，每週三下午來", channel="chat")

case(
    "bc-chat-054",
    "chat",
    "none",
    "chat: a legal 緩起訴 mention about the bulletin's anonymous officer — no identifiable person",
    "之前那個傳錯群組的員警後來好像是緩起訴，要繳三萬",
    channel="chat",
)

case(
    "bc-chat-055",
    "chat",
    "none",
    "chat: name + 君 (title excluded) and 同學",
    "[[P|邵文凱]]君的獎學金已經核下來了，[[P|倪若涵]]同學的還在審",
    channel="chat",
)

# --- exported chat histories ----------------------------------------------------------------------

case(
    "bc-export-001",
    "chat-export",
    "none",
    "exported LINE history with tab-separated time/speaker/content columns; speakers are persons; one hospitalisation of a named client",
    """[LINE] 與北區社工群組的聊天記錄
儲存日期：2026/11/30 18:22

2026/11/30（一）
09:02	[[P|謝怡君]]	早安，今天下午兩點要去[[P|廖美雲]]家訪視
09:04	[[P|林冠宏]]	收到，我一起去
09:05	[[P|謝怡君]]	她上週[[HEALTH|住院]]剛出院，記得帶血壓計
09:31	[[P|陳姿穎]]	[照片]
09:32	[[P|陳姿穎]]	這是她家的位置圖
10:15	[[P|林冠宏]]	好""",
    channel="chat",
)

case(
    "bc-export-002",
    "chat-export",
    "none",
    "exported chat history, speakers with two-character names and a 冠夫姓 name; no PII beyond names and a phone",
    """2026/11/27（五）
14:20	[[P|劉敏]]	明天的活動場地借好了嗎
14:22	[[P|張瑋]]	借好了，活動中心二樓
14:23	[[P|王張美月]]	我負責報到，報名表我印30份
14:30	[[P|劉敏]]	有問題打我手機[[TEL|0921-336-870]]""",
    channel="chat",
)

case(
    "bc-export-003",
    "chat-export",
    "restricted",
    "exported history where one line carries 「（內部參考，請勿外流）」: the export carries that marking",
    """2026/11/25（三）
16:40	[[P|方柏翰]]	下週議會預算審查，刪減項目初步是觀光活動跟委外（內部參考，請勿外流）
16:41	[[P|沈怡伶]]	了解
16:45	[[P|方柏翰]]	細節週五會議再說""",
    channel="chat",
)

case(
    "bc-export-004",
    "chat-export",
    "none",
    "exported history with criminal record of a named suspect in a police group",
    """2026/11/22（日）
22:10	[[P|簡偉誠]]	剛剛臨檢那台車駕駛是[[P|游文傑]]，查有[[CRIME|通緝]]
22:11	[[P|蕭建民]]	什麼案
22:12	[[P|簡偉誠]]	竊盜，還有[[CRIME|酒駕前科]]三次
22:15	[[P|蕭建民]]	帶回所裡，我通知偵查隊""",
    channel="chat",
)

case(
    "bc-export-005",
    "chat-export",
    "none",
    "exported history with a time then speaker separated by two spaces (not tabs); ID typed in a message",
    """下午 3:05  [[P|黃建華]]  申請人身分證 [[NID|V184718720]]
下午 3:06  [[P|何佩珊]]  收到，我查一下
下午 3:12  [[P|何佩珊]]  他已經有領中低收入老人津貼了""",
    channel="chat",
)

case(
    "bc-export-006",
    "chat-export",
    "official_secret",
    "exported history where a speaker pastes a stamp 【密件】 before a list: the export carries 密",
    """2026/11/19（四）
08:55	[[P|柯文傑]]	【密件】本週查察對象：3家業者，名單見附件
08:57	[[P|龔雅玲]]	收到""",
    channel="chat",
)

case(
    "bc-export-007",
    "chat-export",
    "none",
    "exported chat history that only TALKS about a 機密 document (no carried marking)",
    """2026/11/18（三）
11:02	[[P|溫家豪]]	那份機密公文不要拍照傳群組喔
11:03	[[P|馬欣怡]]	了解，我會去機密室看
11:05	[[P|溫家豪]]	密件封套在文書科""",
    channel="chat",
)

case(
    "bc-export-008",
    "chat-export",
    "none",
    "exported history with a ranked list pasted by a speaker",
    """2026/11/16（一）
17:30	[[P|唐國棟]]	里民運動會成績出爐，前三名依序為：[[P|紀雅婷]]（12.8秒）、[[P|石家豪]]（13.1秒）、[[P|汪子晴]]（13.4秒）
17:31	[[P|董美慧]]	恭喜！""",
    channel="chat",
)

# =====================================================================================================
# 5. Personal-data-heavy documents: police notes, referrals, rosters and sign-in sheets, sick-leave
#    certificates, 調解 records, court excerpts, birth dates in prose, health and criminal prose, forms.
# =====================================================================================================

case(
    "bc-police-001",
    "police",
    "none",
    "long 派出所 工作紀錄: complainant with (性別，年齡), ID, phone, address; suspect with 前科; 受理 narrative",
    """新北市政府警察局三重分局○○派出所　受理各類案件紀錄表

受理時間：115年11月28日21時40分
受理人：警員　[[P|孫志豪]]
報案人：[[P|蔡明修]]（男，52歲）
身分證統一編號：[[NID|F171868549]]
聯絡電話：[[TEL|0988-207-314]]
住址：[[ADDR|新北市三重區仁愛街152巷3弄9號2樓]]

案情摘要：
報案人稱於當日20時許，將機車停放於住處樓下，返回時發現置物箱遭撬開，箱內皮夾（內有現金約新臺幣3千元及健保卡、提款卡各1張）遭竊。經調閱巷口監視器，發現一名身穿黑色外套男子於20時12分撬開置物箱後騎乘自行車離去。
經比對轄區治安顧慮人口資料，疑似為轄內居民[[P|游志成]]（男，38歲），其有[[CRIME|竊盜前科]]4筆，曾於113年間因竊盜案[[CRIME|判處有期徒刑6月確定]]，114年5月執行完畢。

處置情形：
一、已開立受理報案證明單交報案人收執。
二、通報偵查隊及鄰近派出所協查。
三、提醒報案人向銀行掛失提款卡，並至健保署申請補發健保卡。
四、本案列為轄區重點查察案件，請各巡邏班加強巷弄及停車處所之巡查。
五、報案人另表示其鄰居[[P|葛春梅]]女士（[[TEL|02-29851167]]）當晚曾看見可疑男子在巷口徘徊，已留下聯絡方式，偵查隊將另行訪談。
六、經查報案人遺失之健保卡及提款卡如遭冒用，將依詐欺或偽造文書案件另案處理，已請報案人如接獲可疑通知，立即向本所或165反詐騙專線反映。
七、本案受理報案e化平臺編號另行登錄，報案人如有新事證，請逕洽承辦警員[[P|孫志豪]]。

值班主管：巡佐　[[P|鄧家祥]]
""",
)

case(
    "bc-police-002",
    "police",
    "none",
    "police note with 「嫌疑人 name（性別，年齡）」 and an indictment only (起訴): no CRIMINAL_RECORD for the indictment",
    """偵查報告（摘要）
嫌疑人[[P|馮俊傑]]（男，29歲）涉嫌以投資詐騙手法詐取被害人[[P|姚美玲]]（女，61歲）新臺幣120萬元，經本隊於115年10月7日移請臺灣臺北地方檢察署偵辦，檢察官於115年11月20日提起公訴。
被害人聯絡電話：[[TEL|02-27695512]]
""",
)

case(
    "bc-police-003",
    "police",
    "none",
    "long police 刑案 note with multiple persons, a 通緝 and 緩起訴; names glued to ranks (name+巡佐, 警員+name)",
    """臺中市政府警察局第一分局　偵辦刑案經過報告

一、案由：[[P|卓俊男]]等3人涉嫌違反毒品危害防制條例案。
二、查獲經過：
（一）本分局警員[[P|范承翰]]、[[P|石宏志]]巡佐於115年11月21日1時許，在臺中市中區中山路與成功路口執行巡邏勤務，發現自用小客車違規停車，上前盤查時，駕駛[[P|卓俊男]]神情緊張，經其同意搜索，於車內查獲第二級毒品甲基安非他命1包（毛重3.2公克）。
（二）經查，[[P|卓俊男]]（男，33歲）有[[CRIME|毒品前科]]，前於112年間經法院裁定[[CRIME|觀察勒戒]]；同車乘客[[P|唐宇辰]]（男，27歲）為臺灣臺中地方檢察署發布之[[CRIME|通緝]]犯，當場解送；另一乘客[[P|陸心怡]]（女，24歲）前於114年間涉犯詐欺案經檢察官為[[CRIME|緩起訴]]處分。
（三）現場另查扣[[P|唐宇辰]]隨身背包內之改造手槍子彈2顆，經詢其表示係友人寄放，已依槍砲彈藥刀械管制條例另案偵辦。
（四）[[P|陸心怡]]供稱當晚僅係搭便車，對車內藏有毒品不知情，經檢視其手機亦無相關對話紀錄。
三、處置：
（一）[[P|卓俊男]]依違反毒品危害防制條例移送臺灣臺中地方檢察署偵辦。
（二）[[P|唐宇辰]]解送[[CRIME|通緝]]機關。
（三）[[P|陸心怡]]經詢問後飭回。
四、查扣物品：甲基安非他命1包、吸食器1組、手機3支。
五、[[P|卓俊男]]經採尿送驗，結果另案陳報；其所持手機經同意後檢視，發現與上游藥頭之聯繫紀錄，已另案追查。
六、本案另發現[[P|卓俊男]]所駕車輛之車主為其胞兄[[P|卓俊宏]]，經電話聯繫[[P|卓俊宏]]表示車輛借予其弟使用，不知車內藏有毒品，已通知其到案說明。
七、承辦人：偵查佐[[P|彭冠霖]]，電話[[TEL|04-22204192]]。
""",
)

case(
    "bc-police-004",
    "police",
    "none",
    "家暴 通報 note: victim injuries (骨折, 挫傷) and 驗傷; named persons; address; 保護令",
    """家庭暴力事件通報紀錄
被害人：[[P|洪靜怡]]（女，35歲）
相對人：[[P|黃振宇]]（男，37歲），與被害人為配偶關係
發生地點：[[ADDR|高雄市前鎮區瑞隆路488巷12號3樓]]
事件概述：相對人酒後與被害人發生爭執，徒手毆打被害人頭部及左手，被害人經送醫[[HEALTH|驗傷]]，[[HEALTH|診斷為左側橈骨骨折]]、頭部[[HEALTH|挫傷]]，已協助聲請緊急保護令。
""",
)

case(
    "bc-police-005",
    "police",
    "none",
    "交通事故 note: a driver's DUI conviction history described as 酒駕前科 and a current 移送 (移送 left unlabelled as ambiguous—see note)",
    """交通事故初步分析
肇事駕駛[[P|林建宏]]（男，46歲，[[DOB|58年9月30日]]生）呼氣酒精濃度每公升0.62毫克，依刑法第185條之3移送法辦。
查其有[[CRIME|酒駕前科]]2次，前次於113年經法院[[CRIME|判決有期徒刑4月確定]]並易科罰金。
""",
)

case(
    "bc-referral-001",
    "referral",
    "none",
    "long 兒少保護轉介單 from a school: child with DOB, ID, address; parent; injuries; 轉介人 with phone",
    """兒童及少年保護個案轉介單

轉介日期：115年11月20日
轉介單位：新竹縣○○國民小學輔導室
轉介人：輔導教師　[[P|劉怡伶]]　電話：[[TEL|03-5551234分機15]]　E-mail：[[MAIL|yiling.liu@edu.hcc.gov.tw]]

個案基本資料
姓名：[[P|陳宥辰]]　　性別：男　　出生日期：[[DOB|106年5月27日]]
身分證字號：[[NID|J102157369]]
戶籍地址：[[ADDR|新竹縣竹北市光明六路東一段245號12樓之3]]
主要照顧者：案母　[[P|高雅君]]　手機：[[TEL|0910-664-215]]

轉介原因：
個案於115年11月19日上學時，導師發現其右臂及背部有多處[[HEALTH|瘀傷]]，個案表示係前一晚因功課未寫完遭案母同居人以衣架抽打。校護檢查後紀錄右上臂[[HEALTH|瘀傷]]3處、背部條狀[[HEALTH|瘀傷]]2處，未見開放性傷口。個案另表示最近常[[HEALTH|失眠]]、不想回家。
學校已於115年11月19日16時完成責任通報（通報編號略），並轉介貴中心評估後續處遇。

學校處置：
一、安排輔導教師每週晤談2次。
二、請導師留意個案出缺席及情緒狀況。
三、案母同居人之資料：[[P|江志鴻]]（男，約40歲），聯絡方式不詳。

校方評估：
個案在校人際關係尚可，學業表現中下，近兩週上課常趴睡，導師表示其午餐常吃得特別多，疑似在家未獲適當照顧。案母於學校聯繫時態度配合，但表示工作忙碌，無法每日接送。

期待協助事項：
一、評估個案之安全及是否需要緊急安置。
二、協助案母連結親職教育及相關資源。

備註：本轉介單含個人資料，請依個人資料保護法及兒童及少年福利與權益保障法妥善保管。
""",
)

case(
    "bc-referral-002",
    "referral",
    "none",
    "長照轉介: elderly person with 失智症 and 糖尿病 (diagnosis phrase), birth date in Chinese numerals",
    """長期照顧服務轉介單
個案姓名：[[P|莊阿桃]]
出生日期：[[DOB|民國二十九年三月十五日]]
聯絡地址：[[ADDR|彰化縣鹿港鎮中山路221號]]
聯絡人：長子[[P|莊明德]]（[[TEL|04-7771235]]）
健康狀況：[[HEALTH|診斷為阿茲海默型失智症]]（中度），另有[[HEALTH|第二型糖尿病]]，需協助用藥
轉介需求：居家服務、交通接送
""",
)

case(
    "bc-referral-003",
    "referral",
    "none",
    "醫院社工 referral by mail: patient named, 病歷 term, 重大傷病 card; phone with 轉 extension",
    """社會局長照科　您好：

本院病人[[P|黃進財]]先生（男，71歲）因[[HEALTH|肝癌]]末期[[HEALTH|住院]]中，已領有[[HEALTH|重大傷病]]證明，預計下週出院返家，案家照顧人力不足，需申請居家護理及喘息服務。相關[[HEALTH|病歷]]摘要已請病人家屬簽署同意書後附上。
家屬聯絡人：長女[[P|黃惠雯]]，[[TEL|0930-451-662]]

○○醫院社會服務室　社工師[[P|許瑞芬]]
[[TEL|(06)235-3535轉2161]]
""",
)

case(
    "bc-referral-004",
    "referral",
    "none",
    "精神衛生 referral: a named person's 思覺失調症 (ICD-10 F20.0) and 自殺意念; ICD code labelled",
    """社區精神病人轉介單
姓名：[[P|邱俊賢]]　性別：男　年齡：42
[[HEALTH|診斷：思覺失調症]]（[[HEALTH|F20.0]]）
近況：近一個月未規律返診，家屬表示其有[[HEALTH|自殺意念]]，曾於115年10月[[HEALTH|自殺未遂]]
聯絡電話：[[TEL|037-271-865]]
""",
)

case(
    "bc-roster-001",
    "roster",
    "none",
    "sign-in sheet as a text table: 姓名 / 單位 / 聯絡電話; names in the first column",
    """115年度個資保護教育訓練簽到表
日期：115年11月27日　地點：本府第一會議室

編號	姓名	單位	聯絡電話	簽名
1	[[P|卓佳慧]]	秘書處	[[TEL|02-2958-3601]]\t
2	[[P|邵建國]]	財政局	[[TEL|02-2958-4122]]\t
3	[[P|宋怡婷]]	工務局	[[TEL|02-2958-5310]]\t
4	[[P|韓志偉]]	社會局	[[TEL|02-2958-6221]]\t
5	[[P|藍詩婷]]	資訊中心	[[TEL|02-2958-7015]]\t
""",
)

case(
    "bc-roster-002",
    "roster",
    "none",
    "long 志工名冊: names, sex, birth dates in 出生年月日 column (ROC dotted), IDs, mobiles, addresses",
    """○○區公所115年度志工隊名冊

序號	姓名	性別	出生年月日	身分證字號	手機	住址
1	[[P|賴秀琴]]	女	[[DOB|52.08.14]]	[[NID|Q215088549]]	[[TEL|0935-112-408]]	[[ADDR|臺中市大里區德芳南路88號]]
2	[[P|洪文卿]]	男	[[DOB|48.12.02]]	[[NID|B179869419]]	[[TEL|0928-663-019]]	[[ADDR|臺中市大里區成功路420巷5號]]
3	[[P|施淑貞]]	女	[[DOB|60.03.21]]	[[NID|D298251628]]	[[TEL|0919-040-736]]	[[ADDR|臺中市大里區東榮路31號7樓]]
4	[[P|鍾清泉]]	男	[[DOB|45.05.30]]	[[NID|D115109541]]	[[TEL|0912-890-125]]	[[ADDR|臺中市大里區國光路二段500號]]
5	[[P|杜麗珠]]	女	[[DOB|57.10.09]]	[[NID|C223543889]]	[[TEL|0937-554-802]]	[[ADDR|臺中市大里區中興路一段121之3號]]
6	[[P|廖金水]]	男	[[DOB|43.01.17]]	[[NID|W141348262]]	[[TEL|0920-331-647]]	[[ADDR|臺中市大里區塗城路612號]]
7	[[P|范姜宏達]]	男	[[DOB|50.07.07]]	[[NID|B154986240]]	[[TEL|0921-774-560]]	[[ADDR|臺中市大里區仁化路376巷9號]]
8	[[P|黃阿滿]]	女	[[DOB|41.09.03]]	[[NID|G218585084]]	[[TEL|0932-665-018]]	[[ADDR|臺中市大里區永隆路65巷2號]]
9	[[P|周春雄]]	男	[[DOB|55.11.25]]	[[NID|Z182768618]]	[[TEL|0910-437-229]]	[[ADDR|臺中市大里區益民路二段118號之1]]

備註：志工保險以本名冊為準，資料如有異動請於每月5日前通知志工隊長。
製表日期：115年11月30日　製表人：[[P|紀佩君]]
""",
)

case(
    "bc-roster-003",
    "roster",
    "none",
    "roster with a 「出生：」 header and AD dates (1985-03-02 form); header 出生 is the keyword",
    """報名名單
姓名｜出生｜電話
[[P|蔣宜臻]]｜[[DOB|1991-07-15]]｜[[TEL|0952-178-306]]
[[P|唐家豪]]｜[[DOB|1988-11-03]]｜[[TEL|0963-420-915]]
[[P|溫若瑜]]｜[[DOB|1995-02-28]]｜[[TEL|0916-735-204]]
""",
)

case(
    "bc-roster-004",
    "roster",
    "none",
    "roster: an ID whose letter and digits are in adjacent table cells (tab between letter and digits)",
    """序號	姓名	身分證字號(英文字母)	身分證字號(數字)	電話
1	[[P|曹立群]]	[[NID|W\t105929814]]	[[TEL|0911-205-337]]
2	[[P|田佳玲]]	[[NID|C\t210806957]]	[[TEL|0975-338-120]]
""",
)

case(
    "bc-roster-005",
    "roster",
    "none",
    "low-income roster with disability category column (障別) for named persons: HEALTH per cell",
    """115年度[[HEALTH|身心障礙]]者生活補助名冊（第3批）
姓名	障別	等級	補助金額
[[P|連志明]]	[[HEALTH|肢體障礙]]	中度	5,065
[[P|古淑惠]]	[[HEALTH|視覺障礙]]	重度	8,836
[[P|鄒國峰]]	[[HEALTH|慢性精神病]]	輕度	3,772
""",
)

case(
    "bc-roster-006",
    "roster",
    "none",
    "roster of attendees with 7-digit birth dates in a 出生日期 column and masked IDs (masked not labelled)",
    """姓名	出生日期	身分證字號
[[P|葉宗霖]]	[[DOB|0790514]]	A12****678
[[P|蘇品妍]]	[[DOB|0860417]]	F22****411
""",
)

case(
    "bc-roster-007",
    "roster",
    "none",
    "long 名冊 for a 急難救助 review: applicants with new and old resident IDs (foreign spouses), IDs, household addresses",
    """115年度外籍配偶家庭急難救助審查名冊

編號	申請人	國籍	證號	出生日期	居住地址	核定
1	[[P|Nguyen Thi Lan]]	越南	[[RID|K927371915]]	[[DOB|1990/04/12]]	[[ADDR|桃園市中壢區中華路二段415巷21號]]	核准
2	[[P|Siti Rahayu]]	印尼	[[RID|UD63414391]]	[[DOB|1987/09/30]]	[[ADDR|桃園市平鎮區延平路三段77號5樓]]	核准
3	[[P|TRAN VAN HUNG]]	越南	[[RID|N801641814]]	[[DOB|1983/01/05]]	[[ADDR|桃園市八德區介壽路一段888號]]	補件
4	[[P|阮氏梅]]	越南	[[RID|FD12106179]]	[[DOB|1992/12/24]]	[[ADDR|桃園市龍潭區中豐路上林段310號]]	核准
5	[[P|王秀英]]	中國大陸	[[RID|OB43271356]]	[[DOB|1979/06/18]]	[[ADDR|桃園市楊梅區新農街252號]]	核准
6	[[P|Maria Lopez Reyes]]	菲律賓	[[RID|M998491785]]	[[DOB|1994/08/02]]	[[ADDR|桃園市蘆竹區南崁路一段99巷3號2樓]]	不核准

審查說明：
一、第3案申請人之配偶[[P|陳國輝]]（[[NID|H177594586]]）因工傷[[HEALTH|住院]]，家庭經濟陷困，惟缺醫院證明，請補件後再審。
二、第6案申請人戶內人口所得超過標準，不予核准。
三、第5案申請人已於115年9月取得臺灣地區定居證，戶政資料尚未更新，請承辦人於撥款前再次確認。
四、本名冊含個人資料，僅供審查會議使用，會後收回。
五、核准案件之救助金將於審查會議後10個工作日內撥入申請人帳戶，不另行通知。

承辦人：[[P|潘雅雯]]　[[TEL|03-3322101#6314]]
""",
)

case(
    "bc-sick-001",
    "sick-leave",
    "none",
    "診斷證明書 text: name, sex, birth date, ID, diagnosis phrase, advice; issuing doctor",
    """診斷證明書

姓名：[[P|宋佩璇]]　　性別：女
出生日期：[[DOB|民國78年2月11日]]
身分證統一編號：[[NID|I266234558]]
應診日期：115年11月17日
[[HEALTH|診斷：急性腸胃炎]]
醫師囑言：宜休養三日（115年11月17日至11月19日）。

醫師：[[P|孫永昌]]
""",
)

case(
    "bc-sick-002",
    "sick-leave",
    "none",
    "mail to personnel with a sick-leave request: diagnosis in prose with 「診斷為」, ICD code, surgery",
    """人事室您好，
我因[[HEALTH|椎間盤突出]]需於12月2日[[HEALTH|住院]]接受[[HEALTH|手術]]，醫師[[HEALTH|診斷為腰椎第四五節椎間盤突出]]（[[HEALTH|M51.26]]），預計請病假兩週，診斷證明書如附件。
職務代理人為[[P|馬志誠]]。

[[P|董欣怡]]　敬上
""",
)

case(
    "bc-sick-003",
    "sick-leave",
    "none",
    "LINE message asking for leave: a named person's 流感 with fever; title after name",
    "報告組長，[[P|翁佳蓉]]專員今天[[HEALTH|發燒]]到39度，醫生說是[[HEALTH|A型流感]]，要請病假三天",
    channel="chat",
)

case(
    "bc-sick-004",
    "sick-leave",
    "none",
    "請假單 as text form: 假別 病假, 事由 with disease; name label padded 「姓　　名」",
    """請　假　單
姓　　名：[[P|鄒佳蓉]]
職　　稱：書記
假　　別：病假
期　　間：115年12月1日至115年12月3日
事　　由：[[HEALTH|帶狀皰疹]]就醫
代理人：[[P|韓正宇]]
""",
)

case(
    "bc-mediation-001",
    "mediation",
    "none",
    "long 調解筆錄: 聲請人, 對造人 with IDs, birth dates, addresses; 調解委員 names; injury in the dispute",
    """臺北市中山區調解委員會調解筆錄

聲請人：[[P|楊國棟]]　男　出生日期：[[DOB|民國61年4月8日]]
　　　　身分證統一編號：[[NID|A174396161]]
　　　　住：[[ADDR|臺北市中山區民生東路二段147巷11號2樓]]
對造人：[[P|馬慧珍]]　女　出生日期：[[DOB|民國74年10月19日]]
　　　　身分證統一編號：[[NID|O288202131]]
　　　　住：[[ADDR|新北市新莊區中正路338號5樓之1]]
調解委員：[[P|黎明輝]]、[[P|袁淑卿]]
調解日期：115年11月26日下午3時
調解地點：本會調解室

調解事由：雙方於115年10月15日在臺北市中山區林森北路與南京東路口發生交通事故，聲請人因而受有左膝[[HEALTH|挫傷]]及[[HEALTH|左手腕骨折]]，經送[[HEALTH|急診]]治療，請求對造人賠償醫療費用、工作損失及精神慰撫金。

調解成立內容：
一、對造人願給付聲請人新臺幣18萬元整（含醫療費用3萬2千元、工作損失9萬元、精神慰撫金5萬8千元），於115年12月10日前匯入聲請人指定帳戶：中華郵政（700）帳號[[ACCT|00012340567890]]。
二、聲請人其餘請求拋棄，並不再就本件事故對對造人提出刑事告訴。
三、調解程序費用由各自負擔。
四、對造人如未依期限給付，聲請人得持本調解書經法院核定後聲請強制執行。
五、雙方同意就本件事故之其他爭議，包括機車修理費用，由對造人另行給付新臺幣8千元，併入第一項金額一次匯款。
六、本調解書經法院核定後，與民事確定判決有同一之效力。

以上筆錄經當場朗讀，雙方均無異議後簽名。

聲請人：　　　　　對造人：　　　　　調解委員：
""",
)

case(
    "bc-mediation-002",
    "mediation",
    "none",
    "court-style excerpt with padded role labels 「原　　告」「被　　告」 and a 法定代理人",
    """臺灣士林地方法院民事調解筆錄（節本）
原　　告　[[P|邵子涵]]
被　　告　[[P|柳正宗]]
法定代理人　[[P|柳陳秀英]]
兩造同意以新臺幣6萬元成立調解。
""",
)

case(
    "bc-mediation-003",
    "mediation",
    "none",
    "調解 notice 函 with 聲請人 and 相對人 labels and a post-office account written as 局號 + 帳號 (one span, see note)",
    """主旨：[[P|巫明山]]與[[P|尤淑娟]]間損害賠償事件，調解成立，請依調解內容履行。
說明：相對人應於115年12月15日前將新臺幣3萬元匯入聲請人郵局帳戶：局號[[ACCT|0041234 帳號0876543]]。
""",
)

case(
    "bc-birth-001",
    "birth",
    "none",
    "birth date in prose 「於民國90年10月2日出生」",
    """申請人[[P|林俊佑]]於[[DOB|民國90年10月2日]]出生，現就讀國立臺北科技大學，符合本市青年租金補貼申請資格。""",
)

case(
    "bc-birth-002",
    "birth",
    "none",
    "birth date 「45年2月14日生」 in a personnel summary with 年齡 and a 到職日期 (not birth)",
    """[[P|王秋月]]女士，[[DOB|45年2月14日]]生，現年70歲，自85年3月1日到職，擔任本所清潔隊員迄今。""",
)

case(
    "bc-birth-003",
    "birth",
    "none",
    "ROC date in brackets right after a name 「（77.11.05）」",
    """移送人犯：[[P|吳振宇]]（[[DOB|77.11.05]]）、[[P|黃思涵]]（[[DOB|80.06.21]]）""",
)

case(
    "bc-birth-004",
    "birth",
    "none",
    "birth date after name and sex: 「name，女，民國79年3月22日生」",
    """被害人[[P|鄭雅芳]]，女，[[DOB|民國79年3月22日]]生，住[[ADDR|高雄市苓雅區三多二路64號8樓]]。""",
)

case(
    "bc-birth-005",
    "birth",
    "none",
    "Chinese-numeral birth date in a 戶籍謄本-style line with 出生",
    """[[P|簡玉蘭]]　[[DOB|民國六十三年八月二十一日]]出生　出生地：臺灣省雲林縣""",
)

case(
    "bc-birth-006",
    "birth",
    "none",
    "full-width birth date with label 出生日期",
    """姓名：[[P|藍偉哲]]
出生日期：[[DOB|８０年１月９日]]""",
)

case(
    "bc-birth-007",
    "birth",
    "none",
    "AD birth date 「1986年3月2日出生」 in an English-Chinese mixed sentence; a passport with keyword",
    """[[P|Kevin Chang]]（[[P|張凱文]]），[[DOB|1986年3月2日]]出生，護照號碼[[PP|302517846]]，申請延長停留。""",
)

case(
    "bc-birth-008",
    "birth",
    "none",
    "dates that are NOT birth dates: 發文日期, 契約期間, 製表日期, 到職日 — no DOB",
    """契約期間：115年1月1日至115年12月31日
到職日：113年7月15日
製表日期：115.11.30
會議日期：115/12/08""",
)

case(
    "bc-birth-009",
    "birth",
    "none",
    "生日 keyword with a date in a form (生日：) and an age",
    """會員資料
姓名：[[P|葛宇倫]]
生日：[[DOB|1993/05/21]]
年齡：33""",
)

case(
    "bc-health-001",
    "health",
    "none",
    "health case note about a named person: cancer, chemotherapy, hospital stay",
    """個案[[P|余美華]]女士於115年8月經[[HEALTH|診斷為乳癌]]第二期，9月接受[[HEALTH|乳房部分切除手術]]，目前於醫院接受[[HEALTH|化學治療]]，每三週[[HEALTH|住院]]一次。案夫表示家中經濟因此陷入困難。""",
)

case(
    "bc-health-002",
    "health",
    "none",
    "general health-education text: disease names, no person — no HEALTH_DATA",
    """【衛教資訊】認識糖尿病
糖尿病是一種慢性代謝疾病，第二型糖尿病約占九成。患者應定期監測血糖，並注意視網膜病變、腎病變等併發症。如有多喝、多尿、體重減輕等症狀，請儘速就醫。本局每月第一週週六於衛生所提供免費血糖檢測。""",
)

case(
    "bc-health-003",
    "health",
    "none",
    "statistics with diseases and 住院 counts, no person",
    """本縣115年第44週法定傳染病統計：登革熱本土病例3例、境外移入2例；腸病毒重症0例；流感併發重症住院8例。""",
)

case(
    "bc-health-004",
    "health",
    "none",
    "a named employee's disability category and 身心障礙證明 in an HR mail",
    """人事室：
本所新進約僱人員[[P|薛宏仁]]領有[[HEALTH|身心障礙證明]]（[[HEALTH|聽覺障礙]]，中度），依身心障礙者權益保障法進用，請協助申請職務再設計補助。
""",
)

case(
    "bc-health-005",
    "health",
    "none",
    "hospital name and 住院大樓 with no person: no HEALTH",
    """本院住院大樓自12月1日起進行電梯更新工程，住院病患家屬請改由B棟電梯出入。""",
)

case(
    "bc-health-006",
    "health",
    "none",
    "healthcheck result of a named staffer: 健康檢查, abnormal values, 高血壓",
    """[[P|侯志明]]同仁115年度[[HEALTH|健康檢查]]結果顯示[[HEALTH|高血壓]]及[[HEALTH|高血脂]]，建議至家醫科追蹤。""",
)

case(
    "bc-health-007",
    "health",
    "none",
    "named patient with HIV mentioned in an 疾管 note (sensitive), plus ID",
    """個案[[P|沈俊宇]]（[[NID|X121947963]]）為[[HEALTH|HIV感染者]]，已轉介指定醫院個管師追蹤服藥。""",
)

case(
    "bc-crime-001",
    "criminal",
    "none",
    "職權不起訴 of a named person is a criminal record (施行細則 §4)",
    """查[[P|龔志豪]]前涉犯傷害案，業經臺灣桃園地方檢察署檢察官為[[CRIME|職權不起訴處分]]確定。""",
)

case(
    "bc-crime-002",
    "criminal",
    "none",
    "indictment only (提起公訴, 起訴書) of a named person: NOT a criminal record; PERSON labelled",
    """被告[[P|姜明哲]]涉犯貪污治罪條例案件，經臺灣臺南地方檢察署於115年10月提起公訴，現由臺南地院審理中，尚未判決。""",
)

case(
    "bc-crime-003",
    "criminal",
    "none",
    "警察刑事紀錄證明 (良民證) application of a named person: 刑案紀錄 term in 「無刑案紀錄」",
    """申請人[[P|施宜君]]申請警察刑事紀錄證明，經查無[[CRIME|刑案紀錄]]。""",
)

case(
    "bc-crime-004",
    "criminal",
    "none",
    "前科累累的詐騙集團 — criminal words about nobody in particular",
    """近來前科累累的詐騙集團假冒檢察官來電，要求民眾交付存摺及提款卡，請民眾提高警覺，如有疑問請撥165反詐騙專線。""",
)

case(
    "bc-crime-005",
    "criminal",
    "none",
    "受刑人 and 假釋 in a 觀護 note of a named person with 判決確定",
    """[[CRIME|受刑人]][[P|姚冠廷]]因違反毒品危害防制條例案，經[[CRIME|判決確定]]執行有期徒刑2年，於115年6月[[CRIME|假釋]]出監，現由本署觀護人[[P|倪家慧]]執行保護管束。""",
)

case(
    "bc-crime-006",
    "criminal",
    "none",
    "a court judgment line with 「判決…確定」 separated by words; names with 被告 label",
    """被告[[P|熊立仁]]犯詐欺取財罪，經臺灣高等法院臺中分院[[CRIME|判處有期徒刑1年2月，於115年9月3日確定]]。""",
)

case(
    "bc-crime-007",
    "criminal",
    "none",
    "通緝 of a named person in a 通緝書-style notice with ID",
    """[[CRIME|通緝]]書
被[[CRIME|通緝]]人：[[P|莫志雄]]，男，[[DOB|民國70年5月6日]]生，身分證統一編號[[NID|T194402175]]
案由：詐欺
""",
)

case(
    "bc-form-001",
    "form",
    "none",
    "application form with unusual label 申請人 and emergency contact; NHI card; bank account with glued bank code",
    """115年度租金補貼申請書
申請人：[[P|鄔佳穎]]
身分證字號：[[NID|G253653212]]
出生日期：[[DOB|民國83年12月6日]]
行動電話：[[TEL|0965-280-473]]
E-mail：[[MAIL|wu.chiaying@yahoo.com.tw]]
戶籍地址：[[ADDR|40341臺中市西區民權路234號6樓]]
健保卡號：[[NHI|0000-1187-6542]]
撥款帳戶：[[ACCT|822-041540178922]]
緊急聯絡人：[[P|鄔國強]]（父）[[TEL|04-23751836]]
""",
)

case(
    "bc-form-002",
    "form",
    "none",
    "form with 受處分人 label and a passport + e-mail with full-width ＠",
    """受處分人：[[P|冉紹宇]]
護照號碼：[[PP|311462598]]
電子郵件：[[MAIL|ran.shaoyu＠outlook.com]]
違規事實：於禁菸場所吸菸
""",
)

case(
    "bc-form-003",
    "form",
    "none",
    "credit card on a 規費 payment form with dashes; expiry; cardholder",
    """信用卡繳納規費授權書
持卡人：[[P|傅凱翔]]
卡號：[[CARD|5463-1635-3613-6166]]
有效期限：08/29
授權金額：新臺幣1,500元
""",
)

# =====================================================================================================
# 6. Evasions a person can read and identifiers split by layout.
# =====================================================================================================

case(
    "bc-evade-001",
    "evasion",
    "none",
    "mail body: a national ID broken by a line break (wrapped mail), span includes the break",
    """承辦人您好，我的身分證字號是[[NID|F14465
5527]]，麻煩幫我查詢補助進度。
[[P|溫宗翰]]""",
)

case(
    "bc-evade-002",
    "evasion",
    "none",
    "ID letter and digits in adjacent spreadsheet cells pasted as tab-separated text",
    """姓名	國民身分證統一編號		電話
[[P|梅雅文]]	[[NID|Q	263575731]]		[[TEL|02-2771-6359]]""",
)

case(
    "bc-evade-003",
    "evasion",
    "none",
    "post-office account as 局號 + 帳號 on one line (one span from 局號 digits to 帳號 digits)",
    """退費請匯入申請人郵局帳戶：
局號：[[ACCT|0021458　帳號：0335167]]
戶名：[[P|葛明珠]]""",
)

case(
    "bc-evade-004",
    "evasion",
    "none",
    "post-office account written 局帳號 with a dash between the two parts",
    """中華郵政 局帳號 [[ACCT|0081234-0457812]]
戶名 [[P|衛志豪]]""",
)

case(
    "bc-evade-005",
    "evasion",
    "none",
    "landline in Chinese numerals with 〇 and dashes, plus a mobile spelled with 零",
    """聯絡電話：[[TEL|〇二－二三八一－五五六七]]
手機：[[TEL|零九一二－七四五－三八一]]
聯絡人：[[P|祁佩瑩]]""",
)

case(
    "bc-evade-006",
    "evasion",
    "none",
    "e-mail written `name at gmail dot com` with [at]/(dot) mixed",
    """有問題可以寄信給我：[[MAIL|chen.yufang[at]gmail(dot)com]]
[[P|陳郁芳]]""",
)

case(
    "bc-evade-007",
    "evasion",
    "none",
    "e-mail with spaced ` @ ` and full-width dot",
    """回信請寄 [[MAIL|lin_hsiu @ yahoo.com．tw]]""",
)

case(
    "bc-evade-008",
    "evasion",
    "none",
    "credit card split across a line break in a mail body",
    """卡號如下：[[CARD|4575 7856 3706
2491]]
持卡人：[[P|應嘉宏]]""",
)

case(
    "bc-evade-009",
    "evasion",
    "none",
    "credit card with dots and a space mixed",
    """付款卡號 [[CARD|5755.5050 9100.6324]] 有效月年 11/28""",
)

case("bc-evade-010", "evasion", "none", "NUL character inside a national ID", """身分證字號：[[NID|K170853\x00735]]""")

case(
    "bc-evade-011",
    "evasion",
    "none",
    "bidi override U+202E inserted inside a national ID (the logical character order is the real ID)",
    """申請人身分證：[[NID|O117\u202e666754]]""",
)

case(
    "bc-evade-012",
    "evasion",
    "none",
    "Cyrillic look-alike letter (С, U+0421) as the ID letter",
    """[[P|仇志遠]] 身分證 [[NID|\u0421171516930]]""",
)

case(
    "bc-evade-013",
    "evasion",
    "none",
    "Greek look-alike (Ε, U+0395) ID letter in a form",
    """身分證統一編號：[[NID|\u0395275469392]]
姓名：[[P|廉淑華]]""",
)

case(
    "bc-evade-014",
    "evasion",
    "none",
    "combining marks (U+0332 low line) on digits inside a national ID",
    """證號 [[NID|W1\u03326\u03323\u03320\u033246472]]""",
)

case(
    "bc-evade-015",
    "evasion",
    "none",
    "zero-width joiner and non-joiner inside a mobile number",
    """手機 [[TEL|0956\u200d184\u200c337]] 晚上可以打""",
)

case(
    "bc-evade-016",
    "evasion",
    "none",
    "full-width mobile and full-width ID in a chat-like mail",
    """電話：[[TEL|０９２８－４１５－６０３]]
身分證：[[NID|Ｔ１７８６７０８９７]]""",
)

case("bc-evade-017", "evasion", "none", "ID spaced out digit by digit", """身分證號碼 [[NID|Z 1 7 2 2 5 1 4 4 6]]""")

case("bc-evade-018", "evasion", "none", "lower-case national ID", """id: [[NID|x187257751]] 幫我查戶籍""")

case(
    "bc-evade-019",
    "evasion",
    "none",
    "resident ID with a hyphen after the letters (new format) and an old-format ID with a space",
    """居留證號：[[RID|C-867076098]]
舊證號：[[RID|GC 58569831]]
姓名：[[P|Ahmad Fauzi]]""",
)

case(
    "bc-evade-020",
    "evasion",
    "none",
    "e-mail obfuscated with Chinese words 「小老鼠」「點」 — a person can read it",
    """我的信箱是 [[MAIL|hsu.peiyu 小老鼠 gmail 點 com]]""",
)

case(
    "bc-evade-021",
    "evasion",
    "none",
    "phone written with spaces between every digit group and +886 country code",
    """Tel: [[TEL|+886 9 3211 4758]]""",
)

case(
    "bc-evade-022",
    "evasion",
    "none",
    "bank account with the 帳號 keyword and spaces inside",
    """匯款帳號：[[ACCT|0123 4567 8901 23]]（台新銀行812）""",
)

case(
    "bc-evade-023",
    "evasion",
    "none",
    "NHI number with dashes after the 健保卡號 keyword, next to a phone",
    """健保卡號 [[NHI|0000-6631-2207]]，電話 [[TEL|07-5532198]]""",
)

case(
    "bc-evade-024",
    "evasion",
    "none",
    "chat: ID typed in Chinese-keyboard full-width with a zero-width space after the letter",
    "[[P|卜雅婷]] [[NID|Ｄ\u200b２３６１２６５４４]] 請幫她登記",
    channel="chat",
)

case(
    "bc-evade-025",
    "evasion",
    "none",
    "chat: phone spelled with Chinese numerals without separators (一 for 1, 〇 for 0)",
    "打[[TEL|〇九七五二一八六四〇]]找他",
    channel="chat",
)

# =====================================================================================================
# 7. Hard negatives: document-number serials, label words inside longer words, surname words,
#    陳君 / A君 / titles / masked names, checksum failures, product codes, invoices, non-birth dates,
#    statistics, samples, glued IDs, hotlines, organisation names, historical figures.
# =====================================================================================================

case(
    "bc-neg-001",
    "hard-negative",
    "none",
    "發文字號 serials of 民國93–99 start with 09…: the serial is never a mobile number (own number labelled DOC only)",
    """發文日期：中華民國95年7月4日
發文字號：[[DOC|府授人考字第0951234567號]]
主旨：檢送本府95年度公務人員考績評定作業須知，請查照。""",
)

case(
    "bc-neg-002",
    "hard-negative",
    "none",
    "cited 09… serials followed by 函 / 令 inside prose: not phones and not this document's number",
    """說明：
一、依據行政院96年3月2日院授人考字第0960061234號函及銓敘部98年5月1日部法二字第0983045678號令辦理。
二、前揭函令迄今仍有適用。""",
)

case(
    "bc-neg-003",
    "hard-negative",
    "none",
    "label words inside longer words: 承辦人員, 聯絡人員, 申請人應 — no name follows",
    """承辦人員應使用本府核發之公務帳號處理案件；聯絡人員名冊每半年更新一次；申請人應檢附身分證明文件影本。""",
)

case(
    "bc-neg-004",
    "hard-negative",
    "none",
    "place names and words starting with surname characters: 高雄, 林口, 楊梅, 黃昏, 陳列, 許多, 周邊, 簡報, 施打, 温度",
    """簡報檔請於明日上午前上傳，內容包括高雄港區周邊施工方案、林口及楊梅溫度監測結果、黃昏市場攤商陳列規範，以及許多民眾關心的疫苗施打時程。""",
)

case(
    "bc-neg-005",
    "hard-negative",
    "none",
    "more surname-initial words: 王牌, 江湖, 何況, 羅盤, 馬上, 石油, 董事, 紀錄, 連結, 古蹟, 田野, 白天, 金額, 夏季, 童年, 錢包, 黎明, 嚴重, 韓國",
    """這次的王牌計畫是古蹟田野調查，何況夏季白天太熱，馬上要改到黎明出發；石油公司董事會的紀錄連結、韓國考察的金額，以及童年回憶展的錢包失竊事件都很嚴重，江湖上說要準備羅盤。""",
)

case(
    "bc-neg-006",
    "hard-negative",
    "none",
    "陳君, A君, 某甲, 王姓男子 — anonymised persons, not names",
    """據報，陳君與A君於案發當日在公園發生口角，某甲上前勸架，一名王姓男子則在旁錄影。""",
)

case(
    "bc-neg-007",
    "hard-negative",
    "none",
    "masked names in several styles: 王○明, 李Ｏ華, ○○○, 張*華, 黃xx, 林OO",
    """得獎名單：王○明、李Ｏ華、○○○、張*華、黃xx、林OO（依報名順序，姓名已遮蔽）""",
)

case(
    "bc-neg-008",
    "hard-negative",
    "none",
    "titles alone with no name: 局長, 科長, 承辦人, 里長, 委員, 主任秘書",
    """局長指示，請科長轉知承辦人於本週內聯繫里長，並邀請委員及主任秘書出席下週說明會。""",
)

case(
    "bc-neg-009",
    "hard-negative",
    "none",
    "16-digit Luhn-invalid test numbers (also not NHI windows) in a test plan",
    """金流測試案例：
TC-01 卡號 3113 7316 8676 0571 → 預期：拒絕（檢查碼錯誤）
TC-02 卡號 6821-4381-4148-1541 → 預期：拒絕
TC-03 卡號 0690651985459033 → 預期：拒絕""",
)

case(
    "bc-neg-010",
    "hard-negative",
    "none",
    "product codes and serial numbers with ID-like shapes (wrong checksums), and an e-invoice number with a valid checksum shape",
    """採購明細：
料號 P225289580（伺服器機櫃）
料號 H126754120（UPS電池）
序號 E297818119-TW
發票號碼：FC-37004272""",
)

case(
    "bc-neg-011",
    "hard-negative",
    "none",
    "IDs glued to longer codes: a valid ID inside XF…/…1 codes is not labelled",
    """批號 XF171868549、條碼 F1718685491、工單 WO-G1121890047""",
)

case(
    "bc-neg-012",
    "hard-negative",
    "none",
    "the allow-listed sample A123456789 in a form instruction, upper and lower case",
    """填寫範例：身分證字號請填10碼，例如 A123456789（大寫）；系統亦接受小寫 a123456789。""",
)

case(
    "bc-neg-013",
    "hard-negative",
    "none",
    "wrong-checksum national IDs in a validation error report",
    """以下身分證字號檢核未通過，請承辦人確認：T134409521、B280748828、H202610619（檢查碼不符）""",
)

case(
    "bc-neg-014",
    "hard-negative",
    "none",
    "company 統一編號 (valid and invalid) are never labelled",
    """廠商名稱：宏○科技股份有限公司　統一編號：89693504
買受人統編：92589913
賣方統一編號：12345678""",
)

case(
    "bc-neg-015",
    "hard-negative",
    "none",
    "roads and districts without a house number: not addresses",
    """集合地點在中山北路二段與南京東路口，活動範圍為臺北市信義區及大安區，遊行沿忠孝東路四段前進。""",
)

case(
    "bc-neg-016",
    "hard-negative",
    "none",
    "ICD-like codes in non-medical text (model numbers, firmware)",
    """設備型號J45.0、韌體版本E11.9，相容於F20.0規格之控制器。""",
)

case(
    "bc-neg-017",
    "hard-negative",
    "none",
    "historical figures and organisation names containing surnames (諸葛亮, 鄭成功, 孫中山; 林業及自然保育署, 王品集團)",
    """本次文化講座主題為諸葛亮的治國之道與鄭成功來臺史蹟，地點在國父紀念館孫中山銅像旁；協辦單位為林業及自然保育署及王品集團。""",
)

case(
    "bc-neg-018",
    "hard-negative",
    "none",
    "phone-shaped prefixes of longer digit runs (order number, tracking number) are not phones",
    """訂單編號 091234567890123
物流追蹤碼 02234567891234567""",
)

case(
    "bc-neg-019",
    "hard-negative",
    "none",
    "12 digits without an NHI keyword and 9 digits without a passport keyword",
    """交易序號 123456789012，授權碼 987654321，請保留收據。""",
)

case(
    "bc-neg-020",
    "hard-negative",
    "none",
    "digits without an account keyword (amount, 案號)",
    """核撥金額新臺幣1,234,567元，案號1150001234567，請於期限內完成核銷。""",
)

case(
    "bc-neg-021",
    "hard-negative",
    "none",
    "non-e-mail @ uses: chat mentions without a name shape, build@v1.2, @all",
    """@all 系統已部署 build@v1.2，問題回報請在群組 @資訊室""",
)

case(
    "bc-neg-022",
    "hard-negative",
    "none",
    "short codes and hotlines only: 110, 119, 165, 1999, 1950, 113, 1925, 0800 toll-free",
    """緊急狀況請撥110或119；反詐騙165；市民專線1999；消費者服務1950；保護專線113；安心專線1925；免付費諮詢0800-507-272。""",
)

case(
    "bc-neg-023",
    "hard-negative",
    "none",
    "masked phone and extension alone: 02-2***-5678, 分機2231",
    """如有疑問請洽本科，電話02-2***-5678或本府總機轉分機2231。""",
)

case(
    "bc-neg-024",
    "hard-negative",
    "none",
    "dates that are not birth dates in a meeting notice (發文日期, 會議日期, 申請期間)",
    """發文日期：中華民國115年11月30日
會議日期：115年12月8日
申請期間：115年12月1日至116年1月31日""",
)

case(
    "bc-neg-025",
    "hard-negative",
    "none",
    "生日 keyword not about a person's birth date: 生日禮金 policy",
    """依本府員工福利要點，生日禮金於每年9月1日統一發放，每人新臺幣1,000元。""",
)

case(
    "bc-neg-026",
    "hard-negative",
    "none",
    "health education (衛教) text: diseases, surgery, hospitalisation with no person",
    """【骨質疏鬆衛教】
骨質疏鬆症容易造成髖部骨折，嚴重者需住院接受手術。65歲以上女性及70歲以上男性建議每兩年接受骨密度檢查。憂鬱症、失智症也常伴隨長者出現，家人應多加關心。""",
)

case(
    "bc-neg-027",
    "hard-negative",
    "none",
    "crime words about no one: 查緝通緝犯, 毒品前科者再犯率, 受刑人 statistics",
    """本年度查緝通緝犯計1,203人；統計顯示毒品前科者3年內再犯率約五成；全國受刑人數較去年減少2%。""",
)

case(
    "bc-neg-028",
    "hard-negative",
    "none",
    "「本院住院大樓」 and disease names in a hospital notice with no person",
    """本院住院大樓7樓病房因應流感疫情，即日起每床限1名陪病者，請配合量測體溫。""",
)

case(
    "bc-neg-029",
    "hard-negative",
    "none",
    "word 普通件 and 密等 value 普通 in a short header — urgency and unclassified",
    """速　　別：普通件
密等及解密條件或保密期限：普通
附　　件：""",
)

case(
    "bc-neg-030",
    "hard-negative",
    "none",
    "prose mentions of 機密: 公務機密維護, 機密文書, 保密, 密碼 — no marking",
    """為落實公務機密維護，請同仁妥善保管機密文書，電腦密碼每90天更換一次，離開座位時請鎖定螢幕並注意保密。""",
)

case(
    "bc-neg-031",
    "hard-negative",
    "none",
    "密件 inside prose: 「密件封套」「依密件處理」「密件收發」 are mentions",
    """文書科提醒：密件收發請使用密件封套，並依密件處理程序登記，勿放置於一般收文籃。""",
)

case(
    "bc-neg-032",
    "hard-negative",
    "none",
    "agency switchboards are phones (a phone is a phone), but hotlines in the same sentence are not",
    """本所總機[[TEL|(05)532-3941]]，服務時間外請撥1999或110。""",
)

case(
    "bc-neg-033",
    "hard-negative",
    "none",
    "surname + 先生/小姐/女士 alone, no given name",
    """陳先生、林小姐及黃女士已於上午完成報名。""",
)

case(
    "bc-neg-034",
    "hard-negative",
    "none",
    "a 機密 word as part of an organisation or program name (國家機密保護法, 機密資訊管理系統) in a procurement notice",
    """採購標的：機密資訊管理系統建置案，依國家機密保護法及資通安全管理法辦理。""",
)

case(
    "bc-neg-035",
    "hard-negative",
    "none",
    "an ordinary 書函 whose 密等 field is 「無」 and 速別 普通件; no personal data besides the agency",
    """發文字號：[[DOC|農授林務字第1151745201號]]
速別：普通件
密等及解密條件或保密期限：無
主旨：檢送115年度林業及自然保育宣導活動成果，請查照。""",
)

case(
    "bc-neg-036",
    "hard-negative",
    "none",
    "e-invoice number whose digits form a valid old resident ID shape (QA-07313011) — invoice, not ID",
    """電子發票 QA-07313011 已開立，金額新臺幣2,350元，買方統編19803649。""",
)

case(
    "bc-neg-037",
    "hard-negative",
    "none",
    "license plates and 案件編號 — not personal data types labelled here",
    """違規車號ABC-1235、車號RAA-8612，案件編號TPD1151128000456。""",
)

# =====================================================================================================
# 8. Long (600-2,000 character) 公文 and mail bodies: marked, mention-only and personal-data-heavy.
# =====================================================================================================

case(
    "bc-long-001",
    "field",
    "official_secret",
    "long 函 marked 密 from 社會局 to police about a child-protection case; many persons, IDs, addresses, injuries",
    """檔　　號：115/050102
保存年限：15年
臺中市政府社會局　函
地址：[[ADDR|420臺中市豐原區陽明街36號]]
承辦人：社工督導　[[P|魏靜宜]]
電話：[[TEL|04-25152740分機611]]
傳真：[[TEL|04-25152933]]
電子信箱：[[MAIL|weijy@taichung.gov.tw]]

受文者：臺中市政府警察局豐原分局

發文日期：中華民國115年11月25日
發文字號：[[DOC|中市社家字第1150198745號]]
速別：最速件
密等及解密條件或保密期限：密（保存年限屆滿後解密）
附件：個案資料表、驗傷診斷證明影本各1份

主旨：請協助查訪兒少保護個案[[P|林子晴]]之相對人行蹤並協助安置事宜，請查照。

說明：
一、本局於115年11月22日接獲○○國小責任通報，該校五年級學生[[P|林子晴]]（女，11歲，身分證統一編號[[NID|H265710509]]）遭其父[[P|林宏達]]（男，41歲，身分證統一編號[[NID|H131947858]]）以皮帶毆打，經送醫[[HEALTH|驗傷]]，[[HEALTH|診斷為背部及四肢多處挫傷]]。
二、本局社工於11月23日訪視，個案目前暫由外祖母[[P|陳阿雪]]照顧，住[[ADDR|臺中市豐原區中正路588巷2弄7號]]。外祖母表示相對人近日多次前往要求帶回個案，並揚言對家屬不利。
三、經查相對人有[[CRIME|傷害前科]]，曾因對配偶施暴經法院核發通常保護令，現無固定住所，最後使用之手機號碼為[[TEL|0987-652-013]]。
四、本局已向法院聲請緊急保護令，並評估於必要時將個案緊急安置。請貴分局協助：
（一）查訪相對人之行蹤，必要時依家庭暴力防治法執行保護令。
（二）加強外祖母住處周邊巡邏。
五、本案涉及兒童及少年個人資料，依兒童及少年福利與權益保障法第69條，不得揭露足以識別其身分之資訊，請貴分局依密件方式處理。

正本：臺中市政府警察局豐原分局
副本：臺中市家庭暴力及性侵害防治中心、本局兒少福利科
局長　[[P|彭秀玲]]
""",
)

case(
    "bc-long-002",
    "qian",
    "confidential",
    "long 簽 marked 機密 (密等 field) about a procurement's reserve price and the evaluation committee",
    """簽　於國防部軍備局採購中心　115年11月13日

密等：機密（本件至116年6月30日解密）
速別：速件

主旨：「○○型無人機系統籌購案」底價訂定及評選委員會組成，簽請核定。

說明：
一、本案預算金額新臺幣18億6,500萬元，採最有利標方式辦理，業於115年10月20日公告招標，計有3家廠商投標。
二、底價訂定：參考市場訪價資料、廠商報價及前案決標紀錄，擬訂底價為新臺幣17億9,800萬元，約為預算金額之96.4%。
三、評選委員會組成：委員7人，其中外聘專家學者4人，名單如下：
（一）召集人：本局副局長[[P|鄧立群]]少將
（二）內聘委員：[[P|侯建良]]上校、[[P|曹雅惠]]中校
（三）外聘委員：國立○○大學航太系教授[[P|梁文瀚]]、○○科技研究院研究員[[P|傅俊豪]]、[[P|薛美娟]]會計師、[[P|丁國章]]律師
四、評選委員名單於評選完成前依政府採購法第94條規定保密，本簽及附件應依機密文書規定處理，不得複製。
五、評選會議訂於115年12月4日上午9時於本中心第1會議室召開，工作小組由本中心採購官[[P|汪子豪]]中校負責。
六、本案評選項目及配分為：技術能力40%、履約管理20%、價格25%、簡報及答詢15%，評選委員評分表及會議紀錄均併同本簽列為機密，評選完成後依規定檢討解密。
七、前案（○○型無人機研改案）決標金額為預算金額之97.1%，本案底價訂定已參考前案決標紀錄及市場價格變動。

擬辦：
一、奉核後依底價辦理開標，底價表密封後交監標人員。
二、評選委員聘函另以密件寄送。

敬陳
副局長
局長

承辦人　採購官[[P|汪子豪]]（分機52113）
""",
)

case(
    "bc-long-003",
    "meeting",
    "secret",
    "long 開會通知單 with 極機密 field and a detailed agenda; attendees by title only",
    """國家安全會議　開會通知單

受文者：如出列席者
發文日期：中華民國115年11月28日
發文字號：[[DOC|國安秘字第1150001187號]]
速別：最速件
密等及解密條件或保密期限：極機密（保密期限：20年）
附件：會議資料（會中分發，會後收回）

開會事由：研商年底區域安全情勢及應變整備事宜
開會時間：115年12月3日（星期四）上午8時30分
開會地點：另以電話通知
主持人：秘書長
聯絡人及電話：機要室（電話另行告知）

出席者：國防部部長、外交部部長、內政部部長、大陸委員會主任委員、海洋委員會主任委員、國家安全局局長
列席者：國防部參謀總長、國家安全會議副秘書長、諮詢委員

議程：
一、區域軍事動態研判（國家安全局）。
二、外交因應作為（外交部）。
三、海域執法及灰色地帶行動因應（海洋委員會）。
四、社會安定及關鍵基礎設施防護（內政部）。
五、兩岸交流管理措施（大陸委員會）。
六、綜合討論及指示。

備註：
一、本會議資料列為極機密，請與會人員勿攜帶手機、錄音及錄影設備進入會場。
二、與會人員請於會議開始前15分鐘完成報到及安全檢查。
三、會議資料於會後當場收回，不得攜出會場或以任何方式記錄。
四、會議期間如有緊急狀況須對外聯繫，請透過機要室保密電話辦理，不得使用個人行動電話或通訊軟體。
五、會議紀錄由本會機要室製作，經秘書長核定後以極機密件分送出席機關首長，不另行分送列席人員。
六、如因故無法出席，請指派副首長代理出席，並於12月1日中午前告知機要室。
""",
)

case(
    "bc-long-004",
    "forwarded",
    "confidential",
    "long mail thread: two replies on top, then a 「-----原始郵件-----」 block carrying a letter with 密等 機密; only the carried letter is marked",
    """柏宇您好：

依昨天電話所談，附上經濟部的來文給您參考，簡報第三頁的數字請以來文為準。另外提醒，這份來文是機密件，我已經在系統做機密文書登記，請不要再轉寄出去。

[[P|鍾佳穎]]
國家發展委員會產業發展處
[[TEL|(02)2316-5300#6732]]

-----原始郵件-----
寄件者: [[P|鍾佳穎]]
寄件日期: 2026年11月26日 下午 05:32
收件者: 產業處全體
主旨: RE: 半導體供應鏈評估

各位，經濟部來文內容如下，請參考。

-----原始郵件-----
寄件者: 經濟部產業發展署
主旨: 來文

經濟部產業發展署　函
發文日期：中華民國115年11月26日
發文字號：[[DOC|產署電字第1150045612號]]
速別：速件
密等及解密條件或保密期限：機密（保密期限：5年）
附件：評估報告1份

主旨：檢送「半導體供應鏈韌性評估報告」1份，請查照。

說明：
一、本報告彙整國內半導體產業關鍵原物料、設備及人才之供應風險，並提出因應策略，供貴會研擬產業政策參考。
二、報告中有關特定廠商之產能及庫存資料係廠商以保密方式提供，請勿對外公開或轉知第三人。
三、報告摘要：關鍵氣體及化學品之國內自給率約為三成，若主要進口來源中斷，現有庫存約可支應45日至60日；設備零組件之替代供應來源評估中。
四、本署聯絡人：[[P|江承翰]]科長，電話[[TEL|(02)2754-1255分機2813]]。

正本：國家發展委員會
副本：本署電子資訊產業組
""",
)

case(
    "bc-long-005",
    "telegram",
    "secret",
    "long 來電 telegram (極機密, 保密期限) with a situation report; the officer's cover note before it",
    """司長：

駐處今晨來電全文如下，已列管，請核閱。

來電　極機密（保密期限：10年）
來電編號：第1150287號
發電：駐○○代表處
收電：外交部
日期：中華民國115年11月29日

一、本處昨（28）日晚間拜會○○國外交部亞太司長，就該國國會預計下週審議之「對臺關係強化法案」交換意見。司長表示，執政黨黨團已初步同意將法案排入議程，惟在野黨部分議員受中方遊說，可能提出修正案刪除有關高層互訪之條文。
二、司長私下透露，中方駐該國大使館近日密集約見國會議員，並以經貿合作為籌碼施壓，該國政府內部對於是否公開表態支持法案仍有分歧。
三、本處建議：（一）請部內評估邀請該國國會友臺小組成員於明年初訪臺；（二）加強與該國智庫及媒體之聯繫，說明法案之正面意義；（三）本處將持續密切掌握審議進度，隨時電陳。
四、以上情資來源敏感，請勿對外引述。
五、另據該國友臺議員透露，中方駐該國大使近日在私人餐敘中表示，如法案通過，將「重新評估」雙邊經貿合作計畫，包括已簽署之農產品採購意向書。本處將持續查證此說法之可信度，並評估對我方之影響。
六、本處近期拜會行程：12月1日拜會國會外交委員會主席；12月3日出席智庫座談；12月5日與該國外交部次長餐敘。相關情形將隨時電陳。
七、本處建議部內預擬法案通過及未通過兩種情況之對外說帖，並協調總統府及行政院發言人口徑一致。
八、本電已副知本部北美司及國際傳播司參考。

駐○○代表處
""",
)

case(
    "bc-long-006",
    "prc",
    "confidential",
    "long mail: officer's cover note, then a received PRC file whose first line is 「秘密★5年」 (carried marking; 秘密 → confidential)",
    """處長鈞鑒：

本會於115年11月間經由交流管道取得對岸「關於進一步做好對臺青年交流工作的通知」文件影本一份，經初步研析，摘陳如下：
一、文件由對岸某省對臺辦公室於2026年10月印發，發放對象為該省各市對臺辦及相關單位。
二、文件要求擴大邀請臺灣青年參訪、實習及就業，並以補助機票、住宿及實習津貼方式吸引參與。
三、文件特別指示「避免以官方名義出面」，改由民間協會及企業辦理，以降低臺灣方面之警覺。
四、建議：本會研擬宣導資料，提醒國人參與相關活動應注意兩岸人民關係條例規定。

文件首頁原文照錄如下：

秘密★5年
××省人民政府台湾事务办公室文件
×台办发〔2026〕23号
关于进一步做好对台青年交流工作的通知
各市台办、有关单位：
为深入贯彻……，现就进一步做好对台青年交流工作通知如下：
一、扩大交流规模……
二、创新交流形式……

（以下略）

研析意見：
一、文件所稱「避免以官方名義出面」，與本會近期掌握之多起由民間協會具名邀請之參訪團情形相符，研判係有系統之統戰作為。
二、文件第三部分要求各市台辦「建立臺灣青年聯繫名冊」，並定期回報參與者之就學及就業情形，涉及蒐集我國人民個人資料，建請相關機關注意。
三、原件已依規定登記並存放於本處機密文件櫃。
四、建議將本文件摘要提供教育部及各大專校院參考，以提醒學生參加相關活動應注意之事項。

以上，敬請鑒核。

企劃處研究員　[[P|賴怡廷]]　敬陳
""",
)

case(
    "bc-long-007",
    "stamp",
    "restricted",
    "long 會議紀錄 stamped 限閱 at top and bottom, with 限閱人員; personnel decisions about named staff",
    """限閱
限閱人員：考績委員會委員、人事室承辦人

○○市政府工務局115年度第3次考績委員會會議紀錄

一、時間：115年11月24日（星期二）下午2時
二、地點：本局5樓會議室
三、主席：[[P|柯志遠]]副局長　　　　　　　　　　紀錄：[[P|石佩珍]]
四、出席委員：[[P|黃國勳]]、[[P|呂淑芬]]、[[P|蔡志仁]]、[[P|林秀娥]]、[[P|王建智]]
五、報告事項：人事室報告本年度考績作業時程及甲等比例限制。
六、討論事項：
案由一：本局技士[[P|游家瑋]]因辦理工程督導不實，擬核予記過一次，提請討論。
說明：[[P|游家瑋]]於115年6月辦理○○路人行道改善工程督導時，未實地查驗即於督導紀錄簽認合格，經政風室查核屬實。
決議：照案通過，核予記過一次。
案由二：本局科員[[P|許嘉文]]協助辦理颱風災後搶修，表現優異，擬核予記功二次，提請討論。
決議：修正通過，核予記功一次、嘉獎二次。
案由三：本局約僱人員[[P|陳怡潔]]申請考績覆核，提請討論。
說明：[[P|陳怡潔]]本年度請病假累計25日，經單位主管評定考績乙等，當事人以其係因[[HEALTH|甲狀腺癌]][[HEALTH|手術]]請假為由申請覆核。
決議：請人事室查明相關規定後，提下次會議討論。
案由四：本局[[P|王建智]]委員因任期屆滿，擬由本局副總工程司[[P|詹文華]]遞補，提請討論。
決議：照案通過，自116年1月1日起聘任。
案由五：本局技工[[P|簡阿明]]擬於116年2月屆齡退休，其考績依規定併同辦理，提請討論。
決議：照案通過，考列甲等。
（人事室補充：本次會議決議事項將於12月1日前簽陳局長核定後發布。）
七、臨時動議：無。
八、散會：下午3時40分。

限閱
""",
)

case(
    "bc-long-008",
    "self-class",
    "official_secret",
    "long mail whose last paragraph self-classifies: 「本郵件內容屬一般公務機密（密）」; a 陳情 investigation with named persons",
    """主任您好：

有關民眾陳情本所清潔隊員收受回收商回扣一案，本室初步查證結果如下：

一、陳情人[[P|郭美玲]]女士（[[TEL|0921-338-457]]）於115年11月5日以電子郵件陳情，指稱本所清潔隊第三分隊隊員[[P|陳志豪]]、[[P|李宗霖]]二人長期將資源回收物私下賣給特定回收商，並收取現金。
二、本室於11月10日至11月20日間調閱該分隊之回收物過磅紀錄，發現115年7月至10月間，該分隊回收之廢紙及廢金屬重量較去年同期減少約42%，其他分隊則無明顯變化。
三、經訪談分隊長[[P|吳建志]]，其表示對此不知情，惟承認近半年未落實回收物清點。另訪談回收商○○資源回收場負責人，其否認有給付回扣情事。
四、[[P|陳志豪]]於訪談中否認收取回扣，[[P|李宗霖]]則拒絕受訪。
五、初步研判本案有進一步調查之必要，建議：
（一）將全案函送法務部廉政署偵辦。
（二）調整第三分隊人員勤務，避免影響調查。
（三）全面檢討資源回收物清點及過磅作業流程。
六、另查[[P|陳志豪]]曾於113年間因類似情形遭前任分隊長口頭告誡，惟未留存書面紀錄；[[P|李宗霖]]則為115年3月新進人員，到職後即與[[P|陳志豪]]同組執勤。陳情人另提供疑似交易之照片3張，經比對照片中之車輛，為本所清潔隊第三分隊之資源回收車。
七、本室已請總務單位保全115年7月至10月之車輛GPS軌跡資料及過磅站監視器影像，以利後續調查。

陳情人要求身分保密，本室已依規定辦理。本郵件內容屬一般公務機密（密），請勿轉寄，紙本已另以密件封套送達。

政風室　[[P|廖俊宏]]
""",
)

case(
    "bc-long-009",
    "han",
    "top_secret",
    "long 函 with 絕對機密 in the 密等 field and a 保密期限; intelligence-protection instructions",
    """國家安全局　函

受文者：法務部調查局

發文日期：中華民國115年11月30日
發文字號：[[DOC|國安一字第1150000352號]]
速別：最速件
密等及解密條件或保密期限：絕對機密（保密期限：30年）
附件：如說明三（專人遞送）

主旨：有關境外情報來源保護及聯繫作業調整事宜，請依說明辦理。

說明：
一、依國家情報工作法第7條及第8條規定辦理。
二、近期研判境外敵對勢力已加強對我情報人員及來源之反制作為，為確保情報來源安全，本局決定自115年12月15日起調整聯繫作業方式，並請貴局配合辦理。
三、調整後之聯繫代號、聯繫時段及緊急聯繫程序詳如附件，附件僅製作正本1份，由本局專人遞送貴局局長親收，閱後原件退還本局，不得複製、拍照或摘錄。
四、貴局承辦本案之人員以2人為限，並請於115年12月10日前將人員名單以絕對機密件函送本局，本局將辦理安全查核。
五、本案如有洩密之虞，請立即通報本局，本局將依國家機密保護法及國家情報工作法追究相關人員責任。
六、本函不得以電子公文交換或任何電子方式傳遞，並不得於一般公文系統登錄內容摘要。
七、貴局如對本案調整事項有疑義，請由局長或其指定之副局長以保密電話與本局聯繫，並請勿於公文中詢問具體聯繫內容。
八、本函閱後請即登記於貴局機密文書登記簿，並依規定存放於保險櫃內。
九、本案聯絡事宜，請由貴局指定之專責人員直接與本局第一處處長聯繫，聯繫方式另以專人告知。

正本：法務部調查局
副本：（無）
""",
)

case(
    "bc-long-010",
    "stamp",
    "restricted",
    "long internal report with a 「限機關內部使用」 header line (own marking) and a 個資 incident summary naming affected people",
    """限機關內部使用

○○市政府資訊中心　資安事件調查報告（初稿）

一、事件概述
115年11月18日上午10時許，本府社會局一名約僱人員誤將含有個人資料之Excel檔案寄送至外部民眾信箱。檔案內容為115年度中低收入戶名冊，計382筆，欄位包括姓名、身分證字號、地址、電話及補助金額。

二、影響範圍
經比對寄送紀錄，收件者共3人，其中1人已回覆表示已刪除；另2人尚未回應。受影響當事人包括名冊上之382位民眾，其中已有[[P|黃麗卿]]女士、[[P|周文雄]]先生2人來電詢問。

三、處置經過
（一）11月18日11時：社會局通報資訊中心，啟動資安事件應變程序。
（二）11月18日14時：以電話及電子郵件請求收件者刪除檔案並簽署切結書。
（三）11月19日：依個人資料保護法第12條規定，以書面通知受影響之當事人。
（四）11月20日：於國家資通安全通報應變網站完成通報，事件等級評定為2級。

四、原因分析
（一）該員於郵件收件人欄輸入名稱時，郵件系統自動帶入外部聯絡人。
（二）檔案未加密，亦未以去識別化方式處理。
（三）本府郵件系統尚未導入外寄郵件個資檢查機制。

五、改善措施
（一）本府郵件系統將於116年1月導入外寄郵件內容檢查，含個資之郵件寄送外部時須經主管核准。
（二）各局處傳送含個資之檔案應一律加密，密碼另以其他管道告知。
（三）社會局將於12月辦理全員個資保護教育訓練。

報告人：資安科　[[P|葉承翰]]　[[TEL|02-2720-8889分機7731]]
""",
)

case(
    "bc-long-011",
    "training",
    "none",
    "long 政風 awareness piece about LINE misuse, modelled on agency bulletins: anonymous cases, level names as vocabulary, statute excerpts",
    """公務機密維護宣導：通訊軟體使用注意事項

一、前言
通訊軟體便利即時，已成為公務聯繫的重要工具，然而其雲端儲存及群組轉傳的特性，也使公務資料外洩的風險大幅提高。近年來各機關發生之洩密案件中，約有四成與通訊軟體有關。

二、案例
（一）誤傳群組：某分局偵查佐將偵辦中之刑案進度照片，誤傳至社區家長群組，致偵查內容外流，經檢察官依過失洩漏國防以外秘密罪偵辦，後獲緩起訴處分，須向公庫支付新臺幣3萬元。
（二）截圖外流：某局承辦人將標示「密」字之簽呈拍照傳送予同學詢問意見，遭轉傳至網路論壇，經機關懲處記過一次。
（三）公事家辦：某部會科長將列為「機密」之計畫草案存於私人雲端硬碟，因帳號遭盜用而外洩。

三、相關規定
（一）刑法第132條：公務員洩漏或交付關於中華民國國防以外應秘密之文書、圖畫、消息或物品者，處3年以下有期徒刑、拘役或3百元以下罰金；因過失犯前項之罪者，處1年以下有期徒刑、拘役或3百元以下罰金。
（二）國家機密保護法：國家機密分為「絕對機密」、「極機密」及「機密」三等級，洩漏者依該法第32條至第34條處罰。
（三）文書處理手冊：機密文書不得以電子郵件或通訊軟體傳送；一般公務機密文書以「密」為等級。

四、注意事項
（一）標有「絕對機密」、「極機密」、「機密」或「密」等字樣之文件，一律不得以通訊軟體傳送或拍照。
（二）群組應指定管理者，定期檢視成員，離職或調職人員應立即退出。
（三）傳送前請再次確認對象；誤傳時立即收回並通報單位主管及政風單位。
（四）非機敏公務始得使用通訊軟體，且不得傳送含個人資料之檔案。

五、結語
機密維護人人有責，一時疏忽可能造成無法挽回之損害。如有疑義，請洽本府政風處（[[TEL|03-8227171分機388]]）。
""",
)

case(
    "bc-long-012",
    "reply-quote",
    "none",
    "long reply 函 that quotes the incoming letter's 密等 and its attachment's level several times; own field 普通",
    """檔　　號：115/090304
保存年限：5年
經濟部水利署　函
地址：[[ADDR|40873臺中市南屯區黎明路二段501號]]
聯絡人：[[P|翁偉倫]]
電話：[[TEL|04-22501234轉3215]]
傳真：[[TEL|04-22501635]]
電子信箱：[[MAIL|wlweng@wra.gov.tw]]

受文者：國防部

發文日期：中華民國115年11月27日
發文字號：[[DOC|經水保字第1155312340號]]
速別：速件
密等及解密條件或保密期限：普通
附件：無

主旨：有關貴部函詢本署所轄重要水利設施之防護能量一案，復如說明，請查照。

說明：
一、復貴部115年11月12日國作聯戰字第1150012345號函（密等：機密；保密期限：10年）。
二、來函所附「重要水利設施防護需求調查表」列為機密，本署已依規定登錄並由專人填復，填復之調查表仍依來函等級以機密件另案專人遞送，本函僅說明辦理情形，不含調查表內容。
三、本署所轄水庫、堰壩及重要抽水站之一般性資料，已公開於本署網站，貴部如需參考，可逕行下載。
四、另貴部來函說明三所提「各設施警戒人力及勤務時段」，因涉及各管理單位之勤務安排，建請貴部另以密件函請各管理單位提供。
五、本署刻正辦理所轄設施之防護演練，演練成果報告將依貴部來函等級另以機密件陳送，預定於116年2月底前完成。
六、本案聯絡人：本署保育事業組[[P|翁偉倫]]正工程司。

正本：國防部
副本：本署保育事業組、北區水資源分署、中區水資源分署、南區水資源分署
署長　[[P|詹啟明]]
""",
)

case(
    "bc-long-013",
    "training",
    "none",
    "long regulation text (機密文書管理要點) listing levels, markings and handling; nothing is this document's marking",
    """○○縣政府機密文書管理要點

一、本府為加強機密文書之管理，特訂定本要點。
二、本要點所稱機密文書，指國家機密文書及一般公務機密文書。國家機密文書之等級分為「絕對機密」、「極機密」及「機密」；一般公務機密文書之等級為「密」。
三、機密文書之標示：
（一）機密文書應於文件首頁及每頁上下方中央標示機密等級。
（二）國家機密文書應於首頁標示保密期限或解除機密之條件。
（三）機密文書之封套應採雙封套，內封套標示機密等級，封口加蓋「密」戳，外封套不得標示任何機密等級。
四、機密文書之收發：
（一）機密文書應由各單位指定專人收發，並於機密文書登記簿登記。
（二）收文人員收到標示機密等級之封套，不得拆封，應送交收件人親自拆閱。
五、機密文書之傳遞：機密文書不得以電子郵件、傳真或通訊軟體傳遞；必要時應以專人遞送或以雙封套掛號郵寄。
六、機密文書之保管：機密文書應存放於保險櫃或加鎖之鐵櫃內，非經核准不得攜出辦公處所。
七、機密文書之複製：絕對機密文書不得複製；其他機密文書之複製應經核定機關同意，並於複製物標示「複製物」字樣及編號。
八、機密文書之解密：
（一）國家機密之保密期限屆滿或解除機密之條件成就時，即自動解除機密。
（二）一般公務機密文書經檢討無保密必要者，應即解除密等，並於原件密等欄劃雙線並加蓋職章。
九、違反本要點者，依公務員服務法及相關規定議處；涉及刑事責任者，移送司法機關偵辦。
十、本要點自發布日施行。
""",
)

case(
    "bc-long-014",
    "training",
    "none",
    "long 政風 annual statistics report on leak cases by level; numbers and level names only",
    """115年度公務機密維護工作執行成果報告（摘要）

一、機密文書清查
本年度清查各局處機密文書計1,286件，其中國家機密文書42件（絕對機密0件、極機密3件、機密39件），一般公務機密文書（密）1,244件。經檢討解除密等者計688件，變更機密等級者5件。

二、洩密案件
本年度發生疑似洩密案件6件，均屬一般公務機密：
（一）以通訊軟體傳送標示「密」字公文照片者3件。
（二）以電子郵件寄送含個資檔案至錯誤對象者2件。
（三）會議資料未收回致外流者1件。
上述案件均已查明責任，懲處記過1人、申誡4人，另1件因無法查明行為人而未懲處。

三、教育訓練
辦理公務機密維護講習8場次，參訓人數共1,352人次；另辦理保密測驗，平均成績86.4分。

四、檢討與策進
（一）部分單位仍有將「普通件」誤填於密等欄之情形，將於明年度公文稽核加強抽查。
（二）各單位使用之「限閱」、「內部參考」等標示用語不一，將研擬統一規範。
（三）電子郵件外寄個資檢查機制預計於116年導入。

五、明年度重點工作
（一）配合本府郵件系統導入外寄郵件檢查，訂定含機密或個資郵件之處理程序。
（二）辦理機密文書管理實地查核，每季至少抽查3個局處。
（三）編印公務機密維護案例彙編，供新進人員訓練使用。

六、附表
附表一：各局處機密文書件數統計
附表二：洩密案件態樣分析
附表三：教育訓練辦理情形
（附表另以電子檔提供，不含個案當事人資料）

政風處　製表
""",
)

case(
    "bc-long-015",
    "meeting",
    "none",
    "long meeting minutes discussing misuse of the 密等 field; level names discussed; attendee names",
    """本局115年度第2次公文品質檢討會議紀錄

時間：115年11月20日上午10時
地點：本局3樓會議室
主席：[[P|簡國榮]]主任秘書　　　記錄：[[P|馮欣怡]]
出席：各科室公文管理人員（簽到表如附）

壹、主席致詞：（略）

貳、報告事項
一、文書科報告：本年度1至10月公文抽查計450件，發現密等欄填列錯誤者27件，其中將「普通件」填入密等欄者19件、非機密文書誤填「密」者6件、機密文書漏填保密期限者2件。
二、政風室報告：誤填「密」之公文將導致收文機關依密件處理，增加雙方作業負擔；漏填保密期限之機密文書，依國家機密保護法第11條規定，應由原核定機關補正。

參、討論事項
案由：如何減少密等欄位填列錯誤。
決議：
一、請資訊室於公文系統增加檢核功能：選擇「機密」以上等級時，保密期限欄為必填；速別與密等欄位以不同顏色區隔。
二、請各科於每月科務會議宣導正確填列方式。
三、文書科每季抽查結果於主管會報提出。

肆、臨時動議
[[P|游淑芬]]科長建議將「密等及解密條件或保密期限」欄之預設值由空白改為「普通」。
決議：請資訊室評估可行性後再議。

[[P|紀志豪]]專員補充，部分單位將會議資料之「內部參考」字樣填入密等欄，亦應一併檢討；主席裁示由文書科整理常見錯誤態樣，於下次會議報告。
決議：照主席裁示辦理。

[[P|游淑芬]]科長再補充，收文登記時如發現來文密等與實際內容明顯不符，應聯繫來文機關確認，不得自行變更來文之機密等級。

伍、散會：上午11時20分
""",
)

case(
    "bc-long-016",
    "training",
    "none",
    "long FAQ on the 密等 field and on forwarding: mentions 原始郵件 and forwarding rules, no carried document",
    """公文系統常見問題（FAQ）

Q1：一般公文的「密等及解密條件或保密期限」欄要怎麼填？
A1：非機密文書免填，系統會顯示空白或「普通」。請勿填「普通件」，那是速別的選項。

Q2：收到標示「機密」的來文，回文也要列機密嗎？
A2：不一定。回文之機密等級應依回文本身內容核定。如回文僅說明辦理情形、未引述來文之機密內容，得以普通件函復，並於說明欄載明來文字號即可。

Q3：可以用電子郵件轉寄機密公文嗎？
A3：不可以。不論是以「轉寄」（Forwarded message）或將來文貼在「-----原始郵件-----」下方回覆，只要郵件內容含有機密文書的全部或一部，即屬以電子方式傳遞機密文書，違反規定。

Q4：會議資料上寫「內部參考，請勿外流」算機密嗎？
A4：「內部參考」不是法定機密等級，但表示資料限於機關內部使用，仍不得對外提供。

Q5：大陸地區寄來的文件上有「秘密★」字樣，要怎麼處理？
A5：此係大陸地區之密級標示，請依本府大陸地區文件處理規定，送交政風處登記後再行處理。

Q6：我在LINE群組看到同事轉傳的公文照片上有「密」字，該怎麼辦？
A6：請勿再轉傳，並通知傳送者收回訊息，同時通報單位主管及政風處，由政風處評估是否屬洩密事件。

Q7：電子郵件主旨加註「【限閱】」有什麼作用？
A7：提醒收件者該郵件限指定人員閱覽，不得轉寄。

如有其他問題，請洽文書科（分機2231）或資訊室（分機6115）。
""",
)

case(
    "bc-long-017",
    "reply-quote",
    "none",
    "long mail about forwarding etiquette that quotes a reply header (「> 寫道」) of an ORDINARY mail with no marking",
    """各位同仁好：

最近發現有同仁回覆外部廠商郵件時，把內部討論的串信一併帶出去，以下是實際例子（已去識別化）：

> ○○科技股份有限公司 於 2026/11/20 寫道：
> 您好，想請問貴局明年度的系統維護案預計何時公告招標？
>
> > 本局同仁 於 2026/11/19 寫道：
> > 這家廠商去年履約有逾期，明年評選要注意。

像這樣把內部意見一起回覆給廠商，容易引起爭議。請大家回覆外部郵件前，先刪除串信中的內部討論內容，必要時另開新信。

另外提醒，含個人資料或機密內容的郵件，請依本局資訊安全規定辦理，不要用私人信箱處理公務。

資訊室　[[P|莫佳琪]]
""",
)

case(
    "bc-long-018",
    "inventory",
    "none",
    "long audit report discussing 限閱 documents handling in the third person; mentions levels; no own marking",
    """115年度文書檔案管理稽核報告（摘要）

一、稽核範圍：本府秘書處、人事處、政風處及社會局之公文處理與檔案管理作業。
二、稽核發現
（一）人事處將標示「限閱」之考績資料存放於一般檔案櫃，未加鎖，且未登記閱覽紀錄。建議改存加鎖鐵櫃並建立閱覽登記。
（二）社會局個案資料夾封面標示「限機關內部使用」，惟資料夾放置於櫃台後方開放空間，民眾可能看見。建議移至辦公室內側。
（三）秘書處機密文書登記簿之最後登記日期為115年8月，9月以後收受之密件2件未登記。建議補登並每月由主管核章。
（四）政風處機密文書之保存及銷毀作業符合規定，值得各單位參考。
（五）人事處之員工考績資料及獎懲令稿，部分以電子郵件傳送予非承辦人員，郵件主旨雖加註「限閱」，惟收件人範圍過廣，建議改以公文系統之限閱功能傳送。
（六）社會局委外辦理之個案管理系統，廠商人員可直接下載個案資料，未設定存取權限分級，建議修正契約並要求廠商提出個資保護計畫。
（七）檔案室借調紀錄顯示，115年度有4件檔案逾期未歸還，其中1件為列管之密件，借調人已於稽核期間歸還。
（八）各單位對於「限閱」文件之定義及處理方式認知不一，建議由秘書處訂定統一作業規定。

三、追蹤事項
前次稽核所列之5項缺失，已改善4項，尚待改善1項（社會局檔案室溫濕度控制）。

四、結論
本次稽核整體結果為「良」，請受稽核單位於116年1月31日前將改善情形函報秘書處。

稽核小組：秘書處、政風處、資訊中心
""",
)

case(
    "bc-long-019",
    "police",
    "none",
    "long 調查筆錄 (Q&A) with a suspect: ID, birth date, address, phone, prior convictions (前科, 判刑確定), and an indictment that is not a record",
    """調查筆錄

詢問時間：115年11月26日14時10分起至15時30分止
詢問地點：高雄市政府警察局苓雅分局偵查隊
案由：詐欺
受詢問人：[[P|江俊傑]]
性別：男
出生日期：[[DOB|民國81年8月14日]]
身分證統一編號：[[NID|E192220904]]
戶籍地址：[[ADDR|高雄市苓雅區青年一路215巷6號]]
現住地址：同戶籍地址
聯絡電話：[[TEL|0930-617-552]]
詢問人：偵查佐[[P|蔣文翔]]　記錄人：警員[[P|白家豪]]

問：你今日因涉嫌詐欺案到隊說明，是否同意接受詢問？
答：同意。
問：你是否有前案紀錄？
答：我之前有[[CRIME|詐欺前科]]，110年在臺南被判6個月，已經易科罰金；另外112年有一件毒品案[[CRIME|緩起訴]]。
問：經查你於113年間另涉犯洗錢防制法案件，經檢察官提起公訴，現由法院審理中，是否屬實？
答：是，那件還在審。
問：被害人[[P|陳淑貞]]指稱你於115年9月間以「投資虛擬貨幣保證獲利」為由，要求其匯款新臺幣50萬元至你提供之帳戶，有何意見？
答：那個帳戶是我借給朋友阿凱使用的，我不知道他拿去做什麼。
問：你所稱之朋友真實姓名及聯絡方式為何？
答：我只知道他叫阿凱，電話已經打不通了。
問：你提供之帳戶是哪一家銀行？存摺及提款卡現在何處？
答：是郵局的帳戶，存摺跟提款卡都交給阿凱了，他說要用來收貨款，一個月給我5千元。
問：你是否知悉提供帳戶給他人使用可能涉及幫助詐欺及洗錢？
答：我現在知道了，當時沒有想那麼多。
問：以上所述是否實在？
答：實在。

受詢問人：（簽名）
""",
)

case(
    "bc-long-020",
    "referral",
    "none",
    "long 社工訪視紀錄 with family members, health conditions, disability, hospitalisation, school; names in prose with 案父/案母 roles",
    """個案訪視紀錄

訪視日期：115年11月23日下午2時至3時30分
訪視地點：案家（[[ADDR|屏東縣潮州鎮光華路133巷8號]]）
訪視社工：[[P|李佩芬]]
受訪者：案母[[P|潘麗娟]]、案主[[P|潘宇翔]]

一、家庭概況
案家為單親家庭，案母[[P|潘麗娟]]（45歲）獨力撫養案主[[P|潘宇翔]]（國中二年級）及案妹[[P|潘宇婕]]（國小四年級）。案父[[P|李明坤]]於113年間因[[CRIME|竊盜前科]]累犯入監服刑，現為屏東監獄[[CRIME|受刑人]]，預計117年出監。

二、健康狀況
（一）案母患有[[HEALTH|類風濕性關節炎]]，雙手關節變形，無法久站，目前於屏東基督教醫院風濕免疫科規律回診，領有[[HEALTH|身心障礙證明]]（[[HEALTH|肢體障礙]]，輕度）。
（二）案主於115年10月因在校與同學衝突，經學校轉介至兒童心智科，[[HEALTH|診斷為注意力不足過動症]]，目前服藥中，學校反映上課專注力有改善。
（三）案妹健康狀況良好。

三、經濟狀況
案母從事家庭代工，月收入約1萬2千元，另領有低收入戶生活扶助及[[HEALTH|身心障礙]]者生活補助，合計每月約2萬5千元，仍不敷支出，積欠房租2個月。

四、社工評估與處遇
（一）案家經濟困難，擬協助申請急難救助及民間慈善團體物資。
（二）案母照顧壓力大，擬轉介家庭支持服務及心理諮商。
（三）持續與學校輔導室聯繫，了解案主在校情形。

五、其他
案家住處為租屋，屋況老舊，浴室地板濕滑，已建議房東加裝扶手及止滑條；社工並協助案母向區公所申請住宅修繕補助。案主表示希望參加學校的籃球隊，但擔心球鞋費用，社工將協助連結課後資源。

下次訪視：115年12月下旬
""",
)

case(
    "bc-long-021",
    "han",
    "none",
    "long 陳情 mail from a citizen to an agency: the citizen's own ID, DOB, address, phone, bank account for a refund",
    """市政府地政局您好：

我是住在北屯區的[[P|賴韋廷]]，想陳情有關我去年申請的土地重劃地價補償費至今尚未撥款的問題。

我於114年9月15日依通知填寫補償費領取申請書，並檢附身分證影本、土地登記謄本及存摺影本，當時承辦人告訴我約三個月內會撥款，但到現在已經超過一年，我打了五次電話到貴局，每次都說在處理中，也沒有人能告訴我進度。

我的資料如下，請協助查明：
姓名：[[P|賴韋廷]]
身分證字號：[[NID|G112189004]]
出生年月日：[[DOB|民國66年6月6日]]
聯絡地址：[[ADDR|406臺中市北屯區松竹路二段162巷18號]]
手機：[[TEL|0911-842-306]]
電子郵件：[[MAIL|weiting.lai1977@gmail.com]]
補償費撥款帳戶：臺灣銀行（004）北屯分行，帳號[[ACCT|015004271836]]，戶名[[P|賴韋廷]]

另外，我母親[[P|賴林玉梅]]也是同一重劃區的地主，她今年初因[[HEALTH|中風]][[HEALTH|住院]]，目前行動不便，無法親自到貴局辦理，請問是否可以由我代為申請？需要準備哪些文件？

附帶一提，去年承辦的許小姐說補償費是依公告現值加四成計算，但我拿到的通知書上寫的是加兩成，兩者差距約新臺幣8萬元，也請一併說明計算方式。

我也想知道，如果補償費遲延撥付，是否依規定加計利息？當初申請書上的聯絡電話是我家裡的市話[[TEL|04-22451937]]，現在已經停用，請改用上面的手機聯絡我。

如果這個月底前還是沒有消息，我會向市長信箱及議員服務處陳情。謝謝。

[[P|賴韋廷]]　敬上
115年11月28日
""",
)

case(
    "bc-long-022",
    "qian",
    "none",
    "long 簽 with a ranked selection list, birth dates in brackets after names, and a 2-character name",
    """簽　於人事室　115年11月17日

主旨：本處115年度第2次專員職缺內陞甄審結果，簽請核定。

說明：
一、本處專員職缺1名，依公務人員陞遷法及本處陞遷序列表辦理內陞甄審，符合資格並報名者計6人。
二、甄審委員會於115年11月14日召開，就資績、考績、獎懲、訓練進修及面談項目評分，總分前三名依序為：
（一）[[P|沈家瑜]]（[[DOB|73.08.26]]），現職科員，總分86.5分。
（二）[[P|林凱]]（[[DOB|78.09.30]]），現職科員，總分84.0分。
（三）[[P|鍾雅惠]]（[[DOB|72.12.03]]），現職辦事員，總分81.25分。
三、其餘3人依序為[[P|黃奕翔]]、[[P|蘇郁涵]]、[[P|何俊毅]]，總分均未達80分。
四、第一名[[P|沈家瑜]]科員任職本處已8年，歷年考績均列甲等，曾獲記功2次，具備專員職務所需之專業能力。
五、第二名[[P|林凱]]科員本年度曾因[[HEALTH|手術]]請病假30日，惟依規定病假不影響陞遷評分。
六、依本處陞遷作業規定，由首長就前三名中圈選1人陞任。
七、本次甄審程序均依規定辦理，甄審委員會會議紀錄及各候選人評分表均存人事室備查，候選人如對評分有疑義，得於公告後5日內以書面申請複查。
八、另第四名以下候選人之總分及名次不予公開，僅通知本人。
九、前揭人員之出生日期係依銓敘部審定資料登載，僅供核定陞遷年資參考。
十、本處另有科員職缺1名，擬俟本案陞任人員發布後，再行辦理遞補甄審。

擬辦：
一、擬陞任第一名[[P|沈家瑜]]為本處專員。
二、奉核後發布人事命令，並公告甄審結果。

敬陳
副處長
處長

人事室主任　[[P|龔雅琪]]
""",
)

case(
    "bc-long-023",
    "chat-export",
    "none",
    "long exported LINE group history of a 區公所 team: speakers, a sick colleague with diagnosis, an ID, phones, an address, a masked name",
    """[LINE] 與民政課群組的聊天記錄
儲存日期：2026/11/27 20:05

2026/11/26（四）
08:31	[[P|曾郁婷]]	早安～今天課長請假
08:33	[[P|何建宏]]	怎麼了？
08:35	[[P|曾郁婷]]	課長說他昨天[[HEALTH|腎結石]]痛到去[[HEALTH|急診]]，醫生要他休息兩天
08:36	[[P|何建宏]]	天啊保重
09:10	[[P|楊子萱]]	有民眾來問重陽禮金，[[P|鄭阿水]]伯伯，他說他沒收到
09:12	[[P|曾郁婷]]	身分證給我查一下
09:13	[[P|楊子萱]]	[[NID|N138702726]]
09:20	[[P|曾郁婷]]	查到了，他戶籍在[[ADDR|高雄市鳳山區和平里12鄰中正路45號]]，禮金10月已經匯到郵局
09:21	[[P|楊子萱]]	好我跟他說
10:45	[[P|何建宏]]	王○華那個低收案子複查結果出來了嗎
10:47	[[P|曾郁婷]]	還沒，社會局說下週
13:30	[[P|楊子萱]]	里長打來說明天的里民大會改到活動中心二樓
13:31	[[P|楊子萱]]	里長手機[[TEL|0936-502-118]]，大家有事可以直接聯絡
14:02	[[P|何建宏]]	收到
16:50	[[P|曾郁婷]]	明天早上我會晚到，要帶小孩去註冊
16:51	[[P|何建宏]]	OK
17:02	[[P|楊子萱]]	對了，明天里民大會的簽到表我印好了，放在課長桌上
17:05	[[P|曾郁婷]]	謝謝～另外提醒大家，重陽禮金的名冊不要拍照傳到群組，有個資
17:06	[[P|何建宏]]	了解
17:10	[[P|楊子萱]]	那我把名冊改成用公務信箱寄給大家
17:11	[[P|曾郁婷]]	好，記得加密

2026/11/27（五）
08:40	[[P|何建宏]]	早
08:41	[[P|楊子萱]]	早安""",
)

case(
    "bc-long-024",
    "mediation",
    "none",
    "long 判決 excerpt with padded 被　　告 label, 選任辯護人, birth date, ID, address, and a final conviction",
    """臺灣新北地方法院刑事判決　　115年度審交易字第1234號

公　訴　人　臺灣新北地方檢察署檢察官
被　　　告　[[P|侯承志]]　男　[[DOB|民國76年3月9日]]生
　　　　　　身分證統一編號：[[NID|P104721245]]
　　　　　　住[[ADDR|新北市板橋區文化路二段182巷9弄14號]]
選任辯護人　[[P|姚立德]]律師

上列被告因公共危險案件，經檢察官提起公訴（115年度偵字第5678號），本院判決如下：

主　文
[[P|侯承志]]駕駛動力交通工具而吐氣所含酒精濃度達每公升零點二五毫克以上，處有期徒刑肆月，如易科罰金，以新臺幣壹仟元折算壹日。

事實及理由
一、被告於115年8月2日晚間在新北市板橋區某餐廳飲用啤酒後，於同日23時許駕駛自用小客車上路，行經文化路一段時為警攔查，測得其吐氣所含酒精濃度為每公升0.58毫克。
二、被告前因酒後駕車之公共危險案件，經本院以113年度交簡字第987號[[CRIME|判處有期徒刑2月確定]]，於113年12月易科罰金執行完畢，5年內再犯本罪，爰依刑法第47條第1項規定加重其刑。
三、被告犯後坦承犯行，態度尚可，兼衡其自述高職畢業、從事物流業、月收入約3萬元、需扶養母親之家庭經濟狀況，量處如主文所示之刑。
四、本件經檢察官聲請以簡易判決處刑，惟本院認不宜以簡易判決處刑，改依通常程序審理，並依刑事訴訟法第273條之1第1項裁定進行簡式審判程序。
五、如不服本判決，應於收受判決書後20日內向本院提出上訴狀。

中華民國115年11月20日
刑事第二十庭　法　官　[[P|卓怡伶]]
""",
)

case(
    "bc-long-025",
    "roster",
    "none",
    "long 教育訓練 sign-in sheet / roster: names, units, mobile numbers, e-mails, one with an ID in a notes column",
    """115年度第2梯次防災士培訓班學員名冊

編號	姓名	服務單位	行動電話	電子郵件
01	[[P|羅文豪]]	新屋區公所	[[TEL|0912-335-481]]	[[MAIL|lo.wenhao@xinwu.tycg.gov.tw]]
02	[[P|翁淑華]]	觀音區公所	[[TEL|0921-448-503]]	[[MAIL|weng0418@gmail.com]]
03	[[P|包志明]]	大園區公所	[[TEL|0933-106-728]]	[[MAIL|pao.cm@dayuan.tycg.gov.tw]]
04	[[P|金美玲]]	蘆竹區公所	[[TEL|0955-216-904]]	[[MAIL|meiling.chin@yahoo.com.tw]]
05	[[P|呂冠霖]]	龜山區公所	[[TEL|0918-552-017]]	[[MAIL|lu.kuanlin@hotmail.com]]
06	[[P|潘俊宏]]	八德區公所	[[TEL|0975-883-240]]	[[MAIL|pan.chunhung@bade.tycg.gov.tw]]
07	[[P|高郁雯]]	大溪區公所	[[TEL|0963-724-115]]	[[MAIL|kao.yuwen@gmail.com]]
08	[[P|涂建忠]]	復興區公所	[[TEL|0926-310-657]]	[[MAIL|tu.chienchung@fuxing.tycg.gov.tw]]
09	[[P|Yapu Watan]]	復興區公所	[[TEL|0987-204-339]]	[[MAIL|yapu.watan@fuxing.tycg.gov.tw]]
10	[[P|嚴佳慧]]	中壢區公所	[[TEL|0910-552-784]]	[[MAIL|yen.chiahui@zhongli.tycg.gov.tw]]

備註：
一、學員請於115年12月5日上午8時30分前至桃園市政府消防局訓練中心報到。
二、第09號學員身分證字號補登：[[NID|H142621294]]。
三、本名冊僅供培訓使用。
""",
)

case(
    "bc-long-026",
    "health",
    "none",
    "long 個案研討會議紀錄 in a public-health center: several named clients, diseases, hospitalisations, ICD codes",
    """○○區衛生所115年11月個案研討會議紀錄

時間：115年11月19日下午2時
主席：[[P|童淑芬]]主任
出席：公衛護理師4人、個管師2人

一、結核病個案
（一）[[P|白志成]]（男，67歲）：[[HEALTH|肺結核]]（[[HEALTH|A15.0]]）個案，服藥第4個月，近兩週未依約接受都治關懷，經家訪發現其因[[HEALTH|肝功能異常]]自行停藥，已轉介胸腔科評估調整處方。
（二）[[P|夏美蓮]]（女，54歲）：接觸者檢查[[HEALTH|潛伏結核感染]]，同意接受預防性治療。

二、精神疾病個案
（一）[[P|尤建民]]（男，39歲）：[[HEALTH|雙相情緒障礙症]]，115年10月曾因[[HEALTH|躁症]]發作[[HEALTH|住院]]2週，出院後由個管師每週電話關懷，目前情緒穩定。
（二）[[P|康雅琳]]（女，28歲）：[[HEALTH|憂鬱症]]，家屬表示近日有[[HEALTH|自傷]]言語，已通報自殺防治中心並安排每週訪視。

三、慢性病個案
[[P|阮清松]]（男，72歲）：[[HEALTH|第二型糖尿病]]合併[[HEALTH|慢性腎臟病]]第三期，血糖控制不佳，建議轉介營養師及腎臟科。

四、兒童發展個案
[[P|侯品希]]（女，3歲）：幼兒園通報疑似[[HEALTH|語言發展遲緩]]，已轉介兒童發展聯合評估中心，預約於115年12月15日評估，案母[[P|侯林雅惠]]表示願意配合。

五、長期照顧個案
[[P|夏阿玉]]（女，86歲）：[[HEALTH|髖關節骨折]]術後返家，行動需助行器，獨居，其子[[P|夏文斌]]居住外縣市，每週返家一次。已連結居家復健及送餐服務，並建議申請緊急救援通報系統。

（會中[[P|童淑芬]]主任提醒，各個案之聯絡電話及住址異動，請於系統即時更新。）

六、決議
（一）各個案依上述處置辦理，下次會議追蹤。
（二）個案資料屬特種個資，會議紀錄僅限本所同仁閱覽，不得影印攜出。
""",
)

case(
    "bc-long-027",
    "han",
    "none",
    "long 函 of a 國家賠償 decision with 請求權人 (unusual label), injury, a bank account, the claimant's ID and address",
    """新北市政府工務局　函
地址：[[ADDR|22001新北市板橋區中山路一段161號10樓]]
承辦人：[[P|魯志剛]]
電話：[[TEL|(02)2960-3456分機8812]]
電子信箱：[[MAIL|AK5678@ms.ntpc.gov.tw]]

受文者：[[P|殷美惠]]女士

發文日期：中華民國115年11月19日
發文字號：[[DOC|新北工養字第1152233445號]]
速別：普通件
密等及解密條件或保密期限：
附件：國家賠償協議書

主旨：請求權人[[P|殷美惠]]女士請求國家賠償事件，業經本局國家賠償事件處理小組決議，准予賠償新臺幣12萬8千元，請查照。

說明：
一、請求權人[[P|殷美惠]]（身分證統一編號[[NID|U299814972]]，住[[ADDR|新北市永和區永貞路296巷5號3樓]]）主張於115年5月12日騎乘機車行經永和區竹林路時，因路面坑洞跌倒，致受有[[HEALTH|右側鎖骨骨折]]，[[HEALTH|住院]]5日並接受[[HEALTH|鋼板固定手術]]，請求賠償醫療費用、看護費用及精神慰撫金計新臺幣35萬元。
二、經本局查明，該路段坑洞於事故前已有民眾通報，惟養護廠商未於規定期限內修補，本局就路面管理確有欠缺，爰依國家賠償法第3條負賠償責任。
三、經審酌請求權人所提醫療單據及診斷證明書等資料，核定賠償項目如下：醫療費用5萬2千元、看護費用3萬6千元、精神慰撫金4萬元，合計12萬8千元。
四、賠償金將於協議書簽署後30日內匯入請求權人指定之帳戶：合作金庫（006）永和分行帳號[[ACCT|0890-717-326459]]。
五、請求權人如不同意本協議內容，得依國家賠償法第11條規定向法院提起損害賠償之訴。

正本：[[P|殷美惠]]女士
副本：本局養護工程處
局長　[[P|郝建忠]]
""",
)

case(
    "bc-long-028",
    "signature",
    "none",
    "long HR mail to a colleague about 考績 appeals with several names glued to titles, and a full signature block",
    """凱文科長您好：

有關本年度考績覆審案件，整理如下供您參考：

一、秘書室科員[[P|謝宛臻]]：初評乙等，本人申請覆審，理由為本年度承辦市長信箱案件量為全室最多。經查其承辦案件數確為全室第一，惟有3件逾期回復，建議維持乙等。
二、財政科技士[[P|褚建廷]]：初評甲等，惟其於8月間因公務車違規遭罰，單位主管建議改列乙等，本人無意見。
三、社會科社工員[[P|紀欣妤]]：初評甲等，無異議。
四、工務科技佐[[P|施振宇]]：本年度請事假及病假合計超過規定日數，依考績法施行細則第4條規定不得考列甲等，已通知本人。
五、會計室佐理員[[P|權志明]]：本年度7月始由他機關調入，依規定應併計前機關之考核結果，已函請前機關提供，預計12月5日前回復。
六、另依本府規定，考績甲等人數比例不得超過75%，目前初評甲等比例為78%，請各單位主管再行檢討，並於12月8日前將修正後之初評結果送人事室。
七、秘書室約僱人員[[P|覃雅琴]]本年度留職停薪6個月，依規定不予考績，僅辦理另予考績。
八、考績委員會預定於12月15日召開，會議資料請各單位於12月10日前送齊，屆時請科長協助出席說明。

另外，民政科科長[[P|翟慧君]]下週一起請產假，她的考績初評請由副科長[[P|梅志偉]]代為處理。

以上如有問題再跟我說，謝謝。

----
人事室　專員　[[P|聶佳玲]]
臺中市○○區公所
[[TEL|04-25261180分機261]]
[[MAIL|nieh.chialing@taichung.gov.tw]]
[[ADDR|42041臺中市豐原區中正路288號]]
""",
)

# =====================================================================================================
# 9. More marked documents: ticked checklists, bracketed levels closing a title, DI XML, copies,
#    marked chats, carried markings in quoted lines, mixed cases.
# =====================================================================================================

case(
    "bc-mark-001",
    "field",
    "official_secret",
    "書函 with 密 field and a 陳情人 named: the field marks it",
    """行政院環境部　書函
發文日期：中華民國115年11月21日
發文字號：[[DOC|環部督字第1151089932號]]
速別：普通件
密等及解密條件或保密期限：密（本件於公布時解密）
主旨：陳情人[[P|涂志明]]檢舉○○工業區業者夜間偷排廢水一案，請貴局依權責查處並將結果逕復陳情人，請查照。
說明：陳情人身分請予保密，聯絡電話[[TEL|0937-421-583]]。""",
)

case(
    "bc-mark-002",
    "legend",
    "official_secret",
    "checklist with the box for 密 TICKED (■密): the checklist marks this 簽 as 密 (contrast bc-legend-003 ■普通)",
    """文件等級：□絕對機密　□極機密　□機密　■密　□普通
解密條件：■本件於公布時解密

簽　於工務局　115年11月16日
主旨：○○路拓寬工程用地徵收補償標準（草案），簽請核示。""",
)

case(
    "bc-mark-003",
    "legend",
    "confidential",
    "checklist with ☑機密 ticked and a 保密期限 filled in",
    """機密等級：☐絕對機密　☐極機密　☑機密　☐密
保密期限：5年
主旨：關鍵基礎設施防護演練腳本""",
)

case(
    "bc-mark-004",
    "stamp",
    "official_secret",
    "title line closed by a bracketed level 「（密）」: the title line marks the document",
    """115年11月份市政會議討論資料（密）

一、捷運延伸線財務計畫修正案
二、公有土地標售案""",
)

case(
    "bc-mark-005",
    "stamp",
    "confidential",
    "title line 「…查核計畫（機密）」 at the top",
    """115年度重要設施安全查核計畫（機密）
一、查核對象：轄內變電所6處、淨水場2處
二、查核期間：115年12月""",
)

case(
    "bc-mark-006",
    "stamp",
    "restricted",
    "title line with 「（限閱）」 and personal data below",
    """115年度評選委員名單（限閱）
召集人：[[P|黎宗翰]]
委員：[[P|薛佳琪]]、[[P|湯志成]]、[[P|尹美華]]""",
)

case(
    "bc-mark-007",
    "subject",
    "official_secret",
    "subject ending with a bracketed level 「（密）」",
    """各位委員好，
附件為本月會議討論資料，請勿轉寄。
""",
    subject="11月份會議資料（密）",
)

case(
    "bc-mark-008",
    "field",
    "secret",
    'DI XML <密等 代碼="極機密"/> with a 保密期限 element',
    """<?xml version="1.0" encoding="utf-8"?>
<函>
<發文字號><文字>[[DOC|國作聯戰字第1150022451號]]</文字></發文字號>
<速別 代碼="最速件"/>
<密等及解密條件或保密期限><密等 代碼="極機密"/><解密條件或保密期限>保密期限：20年</解密條件或保密期限></密等及解密條件或保密期限>
<主旨><文字>頒發聯合防空作戰計畫修正版，請依限完成整備。</文字></主旨>
</函>""",
)

case(
    "bc-mark-009",
    "field",
    "none",
    "DI XML with an EMPTY <密等/> (no 代碼) and free text 普通: unclassified",
    """<函>
<發文字號><文字>[[DOC|北市教小字第1153012344號]]</文字></發文字號>
<速別 代碼="普通件"/>
<密等及解密條件或保密期限><密等/><解密條件或保密期限>普通</解密條件或保密期限></密等及解密條件或保密期限>
<主旨><文字>轉知115學年度校外教學注意事項，請查照。</文字></主旨>
</函>""",
)

case(
    "bc-mark-010",
    "stamp",
    "confidential",
    "copy marking: 「複製物　編號：3／5」 with the level 「機密」 and period on the cover page",
    """機密（保密期限：10年）
複製物　編號：3／5

國軍115年度戰備訓練成效評估報告""",
)

case(
    "bc-mark-011",
    "stamp",
    "confidential",
    "header line 「－機密－」 with dashes around the stamp",
    """－機密－
第2頁
三、兵力部署調整方案（略）""",
)

case(
    "bc-mark-012",
    "stamp",
    "official_secret",
    "密件 stamp after 敬陳 at the bottom of a 簽",
    """主旨：本所員工[[P|尹志遠]]涉嫌違反公務員服務法，簽請移送懲戒。
說明：詳如調查報告。
敬陳
所長

密件""",
)

case(
    "bc-mark-013",
    "field",
    "confidential",
    "簽 where 密等 is 機密 and the body notes the old level was 密 (upgraded): own field governs",
    """密等：機密（保密期限：5年）
主旨：本案原核定機密等級「密」，因涉及國防設施配置，擬提升為機密，簽請核定。""",
)

case(
    "bc-mark-014",
    "field",
    "official_secret",
    "field with extra spaces 「密等及解密條件或保密期限：　密　（本件於公布時解密）」",
    """發文字號：[[DOC|高市社救字第1154077612號]]
密等及解密條件或保密期限：　密　（本件於公布時解密）
主旨：檢送115年度弱勢家庭脫貧方案參與者名冊，請查照。""",
)

case(
    "bc-mark-015",
    "chat-marked",
    "confidential",
    "chat: 【機密】 prefix on an operational message",
    "【機密】明天收網時間改早上6點，集合地點不變，不要在群組討論細節",
    channel="chat",
)

case(
    "bc-mark-016",
    "chat-marked",
    "official_secret",
    "chat: 「密件，勿轉」 prefix",
    "密件，勿轉：檢舉人是[[P|應美玲]]，住在社區B棟，處理時不要透露",
    channel="chat",
)

case(
    "bc-mark-017",
    "chat-marked",
    "secret",
    "chat: a pasted 開會通知單 header with 極機密 field (carried)",
    """轉貼通知：
發文字號：[[DOC|國安秘字第1150001190號]]
密等及解密條件或保密期限：極機密（保密期限：20年）
開會時間：12/3 08:30""",
    channel="chat",
)

case(
    "bc-mark-018",
    "forwarded",
    "official_secret",
    "reply with `> ` quoted lines carrying a 密 field",
    """已收到，謝謝。

> 發文字號：[[DOC|府民宗字第1150221874號]]
> 密等及解密條件或保密期限：密（本件於公布時解密）
> 主旨：宗教團體捐款收支查核結果""",
)

case(
    "bc-mark-019",
    "forwarded",
    "restricted",
    "Outlook 「-----Original Message-----」 carrying a memo with a 限閱 stamp line",
    """供參。

-----Original Message-----
From: [[P|巫家寧]] <[[MAIL|wu.chianing@mail.moe.gov.tw]]>
Sent: Monday, November 23, 2026 10:41 AM
Subject: 評鑑初稿

限閱
115年度大學校務評鑑初稿（第一版）
一、受評學校：○○大學""",
)

case(
    "bc-mark-020",
    "forwarded",
    "secret",
    "forwarded PRC file with 「机密★1年」 in the forwarded block",
    """請研析。

---------- Forwarded message ---------
From: 情報研析科
Subject: 對岸文件

机密★1年
关于加强海峡西岸安全管控的部署""",
)

case(
    "bc-mark-021",
    "prc",
    "confidential",
    "PRC 「秘密★」 with no period, on the first line",
    """秘密★
关于组织赴台交流人员行前教育的通知""",
)

case(
    "bc-mark-022",
    "telegram",
    "secret",
    "telegram pasted into chat: 「來電　極機密」",
    """來電　極機密（保密期限：10年）
駐處回報：對方同意下週會面""",
    channel="chat",
)

case(
    "bc-mark-023",
    "stamp",
    "official_secret",
    "roster with a 「密」 stamp line on its own at the top and personal data",
    """密
115年度特殊境遇家庭扶助名冊
[[P|楊淑婷]]	[[NID|A265576662]]	[[TEL|0952-613-708]]
[[P|蔡宜蓁]]	[[NID|P211683510]]	[[TEL|0918-205-446]]""",
)

case(
    "bc-mark-024",
    "stamp",
    "restricted",
    "handout header 「草案　僅供內部討論」",
    """草案　僅供內部討論
○○市青年住宅出租辦法修正草案對照表
第五條　申請人資格……""",
)

case(
    "bc-mark-025",
    "training",
    "restricted",
    "a 政風 training handout that is ITSELF stamped 限閱 at the top, though its content lists example levels",
    """限閱
保密檢查作業手冊（稽核人員用）
一、檢查重點：標示「絕對機密」「極機密」「機密」「密」之文件是否依規定存放。
二、抽查比例：每單位至少10件。""",
)

case(
    "bc-mark-026",
    "self-class",
    "confidential",
    "mail self-classification 「本件列為機密（保密期限：5年），請閱後銷毀」 at the top of a body",
    """本件列為機密（保密期限：5年），請閱後銷毀。

組長：
明日專案行動之人員分組及車輛調度如附件，請核閱。""",
)

case(
    "bc-mark-027",
    "field",
    "confidential",
    "開會通知單 with 機密 field and named attendees",
    """海洋委員會海巡署　開會通知單
發文字號：[[DOC|署巡情字第1150014452號]]
速別：最速件
密等及解密條件或保密期限：機密（本件至118年12月31日解密）
開會事由：研商東沙海域執法勤務調整
主持人：[[P|呂宗憲]]副署長
聯絡人及電話：[[P|單佩玲]]　[[TEL|(02)2239-9201#3305]]""",
)

case(
    "bc-mark-028",
    "reply-quote",
    "official_secret",
    "reply that quotes 「來文密等：機密」 but whose own stamp line is 密件 at the top: own marking 密 (not the quoted 機密)",
    """密件

主旨：復貴局函（來文密等：機密），本府協助事項辦理情形如說明。
說明：本府已指派專人配合。""",
)

case(
    "bc-mark-029",
    "chat-marked",
    "restricted",
    "chat: trailing 「（限閱）」 on a message with a list of names",
    "考績甲等初步名單：[[P|倪志明]]、[[P|溫雅雯]]、[[P|游振宇]]（限閱）",
    channel="chat",
)

case(
    "bc-mark-030",
    "signature-marked",
    "official_secret",
    "mail with 【密件】 under the signature and a named complainant above",
    """科長：
民眾[[P|甘明德]]（[[TEL|0963-227-019]]）檢舉本所員工上班時間從事私人業務，檢舉內容如附。

廉政科　[[P|鄒宏毅]]
【密件】""",
)

# =====================================================================================================
# 10. More mention-only messages (secrecy none): quoted, cited, listed or discussed levels.
# =====================================================================================================

case(
    "bc-mention-001",
    "reply-quote",
    "none",
    "函 說明 quotes 「來文密等：極機密」 and the own field is left blank",
    """發文字號：[[DOC|內授警字第1150873321號]]
速別：速件
密等及解密條件或保密期限：
主旨：有關貴署請本部協助提供重要設施名冊一案，復如說明，請查照。
說明：
一、復貴署115年11月6日函（來文密等：極機密）。
二、所需名冊涉及他機關業管，已轉請經濟部逕復貴署。""",
)

case(
    "bc-mention-002",
    "reply-quote",
    "none",
    "chat: staff mention that a partner's file is 絕對機密 (talking about another document)",
    "他們那份是絕對機密，我們這層級看不到，開會時只能聽口頭報告",
    channel="chat",
)

case(
    "bc-mention-003",
    "reply-quote",
    "none",
    "mail from 文書科 saying an incoming letter with 密等 機密 was routed; this mail only reports it",
    """承辦人您好：
貴科今日收文1件（來文機關：國防部，密等：機密），已依規定以密件封套置於機密文書收發櫃，請攜帶職員證親自簽收。
文書科""",
    subject="收文通知（請親自簽收）",
)

case(
    "bc-mention-004",
    "training",
    "none",
    "公告-like notice about the 2023 amendment: 永久保密 abolished, levels listed with maximum periods",
    """法規異動通知
國家機密保護法部分條文修正業於112年12月公布施行，重點如下：
一、廢除「永久保密」，原核定永久保密者應於2年內重新核定，逾期視為解除機密。
二、絕對機密、極機密、機密之保密期限上限分別為30年、20年及10年。
三、涉及情報來源或管道者，保密期限得逾上限，每次延長以10年為限。""",
)

case(
    "bc-mention-005",
    "legend",
    "none",
    "Word template header placeholder 「機密等級：（請勾選）」 with empty options",
    """【範本】
機密等級：（請勾選）□密　□機密　□極機密　□絕對機密
保密期限／解密條件：（請填寫）
※ 非機密文書請刪除本欄""",
)

case(
    "bc-mention-006",
    "inventory",
    "none",
    "個資 inventory instructions with 限閱 as an option in a drop-down",
    """「存取限制」欄請自下拉選單選擇：不限、限閱、限機關內部使用。
選擇「限閱」者，請於備註欄填寫限閱人員職稱。""",
)

case(
    "bc-mention-007",
    "training",
    "none",
    "quiz on PRC marking equivalence — a mention of 绝密/机密/秘密",
    """測驗第8題：大陸地區文件上之「绝密」「机密」「秘密」，依序相當於我國之何種等級？
參考答案：絕對機密、極機密、機密（僅供比較，兩岸制度不同）。""",
)

case(
    "bc-mention-008",
    "declass",
    "none",
    "函 whose 主旨 says a former 極機密 document has been declassified; own field 普通",
    """發文字號：[[DOC|國資安字第1150004567號]]
密等及解密條件或保密期限：普通
主旨：本部105年核定為「極機密」之「資通安全防護計畫」，業已屆滿保密期限，自115年11月1日起解除機密，請查照。""",
)

case(
    "bc-mention-009",
    "reply-quote",
    "none",
    "chat: a clerk confirms she filled 普通 in the 密等 field",
    "密等欄我填普通了，速別填速件，這樣可以嗎？",
    channel="chat",
)

case(
    "bc-mention-010",
    "legend",
    "none",
    "audit checklist items that name level words as things to check",
    """機密文書管理自評表
□ 機密文書是否標示機密等級及保密期限
□ 標示「密」之文書是否存放於加鎖之櫃內
□ 「限閱」文件是否登記閱覽人員
□ 絕對機密文書是否未經複製""",
)

case(
    "bc-mention-011",
    "training",
    "none",
    "政風 mail asking units to check for documents marked 限機關內部使用 that were posted online; a mention",
    """各單位：
近期發現部分網站公開之檔案封面仍標示「限機關內部使用」或「內部參考」，請各單位於12月15日前自行清查已上網之檔案，如有此類標示應立即下架並通報政風室。""",
    subject="請清查網站上標示內部使用之檔案",
)

case(
    "bc-mention-012",
    "han",
    "none",
    "函 附件 line names a register form with 機密 in its title; nothing marked",
    """發文字號：[[DOC|府秘文字第1150298813號]]
密等及解密條件或保密期限：普通
附件：機密文書登記簿格式、密件封套樣式各1份
主旨：檢送本府修正之機密文書登記簿格式，自116年1月1日起適用，請查照。""",
)

case(
    "bc-mention-013",
    "reply-quote",
    "none",
    "e-mail reply that quotes the ORIGINAL subject prefix 【機密】 in prose, saying the attachment never arrived and no document is carried",
    """組長您好：
您昨天寄的那封主旨有「【機密】」的信，我這邊沒有收到附件，請問是不是改走紙本了？
[[P|范宇軒]]""",
)

case(
    "bc-mention-014",
    "training",
    "none",
    "chat: someone asks what 「密」 means on an envelope stamp — a mention",
    "請問信封封口蓋一個「密」字是什麼意思？要不要交給主管拆？",
    channel="chat",
)

# =====================================================================================================
# 11. More keyword-bound identifiers: cards, NHI numbers, passports, resident IDs, bank accounts.
# =====================================================================================================

case(
    "bc-id-001",
    "form",
    "none",
    "規費 refund notice: JCB card number with spaces, cardholder, last-four digits elsewhere (not labelled)",
    """退費通知
申請人[[P|冷佳樺]]於115年11月20日以信用卡（卡號[[CARD|3528 4369 4109 3752]]）繳納之證照規費新臺幣750元，因重複繳納，將於7個工作日內退回原卡；對帳單將顯示末四碼3752之退款紀錄。""",
)

case(
    "bc-id-002",
    "form",
    "none",
    "外籍看護 roster: new and old resident IDs with romanised names; employer named",
    """外籍看護工名冊（雇主：[[P|鄭秀蘭]]）
1. [[P|Dewi Lestari]]　居留證號：[[RID|F965291163]]
2. [[P|Maria Santos Cruz]]　居留證號：[[RID|ID46289380]]
3. [[P|PHAM THI THU]]　統一證號：[[RID|C925458369]]""",
)

case(
    "bc-id-003",
    "form",
    "none",
    "出國 application with passport number and label 護照號碼; 2 persons",
    """因公出國人員名冊
[[P|柴志偉]]　護照號碼：[[PP|351864027]]
[[P|伍淑芳]]　護照號碼：[[PP|349201576]]
出國期間：115年12月7日至12月12日""",
)

case(
    "bc-id-004",
    "health",
    "none",
    "健保 note: NHI card number labelled 健保卡號 with a 重大傷病 status of a named person",
    """[[P|管文忠]]先生健保卡號：[[NHI|0000 2214 9031]]，已領有[[HEALTH|重大傷病]]卡（[[HEALTH|洗腎]]），門診免部分負擔。""",
)

case(
    "bc-id-005",
    "form",
    "none",
    "補助 payment list with bank accounts (帳號 column header), bank names in their own column",
    """115年11月份育兒津貼撥款清冊
姓名	銀行	帳號	金額
[[P|葉佳玲]]	臺灣銀行	[[ACCT|041004458871]]	5,000
[[P|呂振宏]]	郵局	[[ACCT|00312456789012]]	5,000
[[P|胡淑卿]]	國泰世華	[[ACCT|012506339481]]	7,000""",
)

case(
    "bc-id-006",
    "chat",
    "none",
    "chat: credit card given over chat with dashes, then a Luhn-invalid number someone mistyped (not labelled)",
    "他剛剛念的卡號是[[CARD|4940-3056-6909-3971]]，不對，第一次他說成4940-3056-6909-3972，以第一個為準",
    channel="chat",
)

case(
    "bc-id-007",
    "form",
    "none",
    "resident ID with a 居留證 keyword and the old two-letter format, for a mainland spouse (A = male)",
    """申請人[[P|李建軍]]（大陸地區人民），統一證號[[RID|ZA89545791]]，申請長期居留。""",
)

case(
    "bc-id-008",
    "form",
    "none",
    "bank account with glued bank code and dash, under 帳戶 label; card number last four only",
    """撥款帳戶：[[ACCT|808-0902968754321]]（玉山銀行）
信用卡末四碼：6166""",
)

# Values that appear UNLABELLED as traps; the build checks that they really behave as the note says.
MUST_FAIL: list[str] = [
    "P225289580",
    "H126754120",
    "E297818119",
    "T134409521",
    "B280748828",
    "H202610619",  # bad checksums
    "3113731686760571",
    "6821438141481541",
    "0690651985459033",
    "9793270029994898",  # Luhn failures
    "4940305669093972",  # the mistyped card in bc-id-006
]
MUST_PASS: list[str] = [
    "FC37004272",
    "QA07313011",  # e-invoice numbers whose letters+digits pass the resident-ID checksum
    "F171868549",
    "G112189004",  # valid IDs glued inside longer codes (XF171868549, WO-G1121890047)
]

# =====================================================================================================
# build, check, write
# =====================================================================================================

ID_TYPES = {"TW_NATIONAL_ID", "TW_RESIDENT_ID"}


def build() -> list[dict]:
    records, seen = [], set()
    for c in CASES:
        if c["id"] in seen:
            raise ValueError(f"duplicate id {c['id']}")
        seen.add(c["id"])
        if c["level"] not in LEVELS:
            raise ValueError(f"{c['id']}: bad level {c['level']}")
        if c["channel"] not in ("mail", "chat"):
            raise ValueError(f"{c['id']}: bad channel")
        text, ents = strip(c["text"])
        rec = {"id": c["id"], "text": text}
        if c["channel"] == "chat":
            rec["subject"] = None
        elif c["subject"] is not None:
            subj, sents = strip(c["subject"])
            rec["subject"] = subj
            rec["subject_entities"] = sents
        else:
            rec["subject"] = None
        rec["entities"] = ents
        rec["secrecy_level"] = c["level"]
        rec["note"] = c["note"]
        rec["channel"] = c["channel"]
        rec["genre"] = c["genre"]
        for key, src in (("entities", text), ("subject_entities", rec.get("subject") or "")):
            for e in rec.get(key, []):
                val = src[e["start"] : e["end"]]
                if e["type"] in ID_TYPES and not id_ok(val):
                    raise ValueError(f"{c['id']}: {e['type']} {val!r} fails its checksum")
                if e["type"] == "TW_NATIONAL_ID" and not re.fullmatch(r"[A-Z][12]\d{8}", fold(val)):
                    raise ValueError(f"{c['id']}: {val!r} is not national-ID shaped")
                if e["type"] == "TW_RESIDENT_ID" and not re.fullmatch(r"[A-Z]([89]\d|[A-D]\d)\d{7}", fold(val)):
                    raise ValueError(f"{c['id']}: {val!r} is not resident-ID shaped")
                if e["type"] == "CREDIT_CARD" and not luhn_ok(val):
                    raise ValueError(f"{c['id']}: card {val!r} fails Luhn")
                if fold(val) == "A123456789":
                    raise ValueError(f"{c['id']}: the allow-listed sample is labelled")
                if val != val.strip() and e["type"] != "TW_NATIONAL_ID":
                    raise ValueError(f"{c['id']}: span {val!r} has outer whitespace")
        records.append(rec)
    for value in MUST_FAIL:
        if id_ok(value) if value[:1].isalpha() else luhn_ok(value):
            raise ValueError(f"negative {value!r} unexpectedly passes its checksum")
    for value in MUST_PASS:
        if not (id_ok(value) if value[:1].isalpha() else luhn_ok(value)):
            raise ValueError(f"{value!r} is meant to pass its checksum (an unlabelled trap) but fails")
    return records


def main(argv: list[str]) -> int:
    records = build()
    with open(OUT, "w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    if "--show" in argv:
        for rec in records:
            print(f"== {rec['id']} [{rec['secrecy_level']}] {rec['channel']} len={len(rec['text'])}")
            for key, src in (("subject_entities", rec.get("subject") or ""), ("entities", rec["text"])):
                for e in rec.get(key, []):
                    print(f"   {key[:4]} {e['type']:<18} {src[e['start'] : e['end']]!r}")
    types = Counter(e["type"] for r in records for k in ("entities", "subject_entities") for e in r.get(k, []))
    levels = Counter(r["secrecy_level"] for r in records)
    genres = Counter(r["genre"] for r in records)
    chans = Counter(r["channel"] for r in records)
    long_ = sum(1 for r in records if 600 <= len(r["text"]) <= 2000)
    print(f"{len(records)} records -> {OUT}")
    print("channels:", dict(chans), "| long (600-2000 chars):", long_)
    print("levels:", dict(sorted(levels.items())))
    print("types:", dict(sorted(types.items())))
    print("genres:", dict(sorted(genres.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
