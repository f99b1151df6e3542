#!/usr/bin/env python3
"""Build tests/data/blind2.jsonl: a second blind evaluation corpus for the outbound DLP filter.

Written 2026-12-01 by a helper session kept blind to the detector (no access to patterns/, dlp/
beyond the signature of load_records, tests/ beyond build_blind_corpus.py / BLIND_CORPUS.md, or
samples/; the scanner was never run on these cases).

Cases are written with inline markers ``[[TYPE|value]]``. This script strips the markers, computes
code-point offsets into the clean text, verifies every labelled national ID, resident ID (new and
old format), credit card (Luhn) and every UBN mentioned in UBN_VALID/UBN_INVALID with its own
implementation of taiwan-rules.md §3, checks that the unlabelled traps in MUST_FAIL really fail,
and writes blind2.jsonl next to itself.

Marker aliases: P=PERSON NID=TW_NATIONAL_ID RID=TW_RESIDENT_ID PP=TW_PASSPORT NHI=TW_NHI_NUMBER
TEL=TW_PHONE MAIL=EMAIL_ADDRESS CARD=CREDIT_CARD ACCT=TW_BANK_ACCOUNT ADDR=TW_ADDRESS
DOB=DATE_OF_BIRTH H=HEALTH_DATA CR=CRIMINAL_RECORD DOC=TW_DOCUMENT_NUMBER

Usage: python3 build_blind2.py [--show]
"""
from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

OUT = Path(__file__).with_name("blind2.jsonl")
ALIASES = {
    "P": "PERSON", "NID": "TW_NATIONAL_ID", "RID": "TW_RESIDENT_ID", "PP": "TW_PASSPORT",
    "NHI": "TW_NHI_NUMBER", "TEL": "TW_PHONE", "MAIL": "EMAIL_ADDRESS", "CARD": "CREDIT_CARD",
    "ACCT": "TW_BANK_ACCOUNT", "ADDR": "TW_ADDRESS", "DOB": "DATE_OF_BIRTH", "H": "HEALTH_DATA",
    "CR": "CRIMINAL_RECORD", "DOC": "TW_DOCUMENT_NUMBER",
}
TYPES = set(ALIASES.values())
LEVELS = {"none", "restricted", "official_secret", "confidential", "secret", "top_secret"}
MARK = re.compile(r"\[\[([A-Z_]+)\|(.*?)\]\]", re.S)

# ---- own checksum implementations (taiwan-rules.md §3.1-3.4) -----------------------------------
LETTERS = "ABCDEFGHJKLMNPQRSTUVXYWZIO"
LETTER_VALUE = {ch: 10 + i for i, ch in enumerate(LETTERS)}


def canon(value: str) -> str:
    s = unicodedata.normalize("NFKC", value)
    s = "".join(ch for ch in s if not ch.isspace() and unicodedata.category(ch) != "Cf")
    return s.replace("-", "").upper()


def tw_id_checksum(value: str) -> bool:
    """National ID (A1/A2), new resident ID (A8/A9), old resident ID (AA-AD)."""
    s = canon(value)
    if not re.fullmatch(r"[A-Z]([1289]|[A-D])\d{8}", s):
        return False
    v = LETTER_VALUE[s[0]]
    total = (v // 10) * 1 + (v % 10) * 9
    second = (LETTER_VALUE[s[1]] % 10) if s[1].isalpha() else int(s[1])
    total += second * 8
    for digit, weight in zip(s[2:9], (7, 6, 5, 4, 3, 2, 1)):
        total += int(digit) * weight
    total += int(s[9])
    return total % 10 == 0


def luhn(value: str) -> bool:
    digits = [int(c) for c in canon(value) if c.isdigit()]
    if not 13 <= len(digits) <= 19:
        return False
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def ubn_ok(value: str) -> bool:
    s = canon(value)
    if not re.fullmatch(r"\d{8}", s):
        return False
    z = 0
    for d, w in zip(s, (1, 2, 1, 2, 1, 2, 4, 1)):
        p = int(d) * w
        z += p // 10 + p % 10
    # 7th digit 7: product 28 -> digit sum 10, which the rule counts as 1 (Z1 = z - 9) or 0
    # (Z2 = z - 10); z here keeps the 10, so valid if z or z + 1 is divisible by 5.
    if s[6] == "7":
        return z % 5 == 0 or (z + 1) % 5 == 0
    return z % 5 == 0


CASES: list[dict] = []


def C(cid, level, note, text, *, channel="mail", subject=None, genre="misc"):
    CASES.append(dict(id=cid, level=level, note=note, text=text, channel=channel, subject=subject, genre=genre))


def strip(marked: str):
    out, ents, n, pos = [], [], 0, 0
    for m in MARK.finditer(marked):
        chunk = marked[pos:m.start()]
        out.append(chunk)
        n += len(chunk)
        typ = ALIASES.get(m.group(1), m.group(1))
        if typ not in TYPES:
            raise ValueError(f"unknown type {m.group(1)}")
        val = m.group(2)
        if not val or "[[" in val:
            raise ValueError(f"bad marker value {val!r}")
        ents.append({"type": typ, "start": n, "end": n + len(val)})
        out.append(val)
        n += len(val)
        pos = m.end()
    out.append(marked[pos:])
    text = "".join(out)
    if "[[" in text or "]]" in text or re.search(r"\[[A-Z_]+\|", text):
        raise ValueError(f"unparsed marker in {text[:80]!r}")
    return text, ents

# =================================================================================================
# A. Secrecy words MENTIONED, nothing marked -> secrecy_level none
# =================================================================================================
C("b2-men-001", "none", "政風 handout quoting the three national levels and 密; signature with name and phone", """【公務機密維護小常識】第12期
依國家機密保護法第4條，國家機密分為「絕對機密」、「極機密」、「機密」三級；另一般公務機密僅一級，標示為「密」。
同仁承辦機密文書時，應以雙封套封裝，內封套蓋密等戳記，外封套不得標示任何密等。
有疑問請洽政風室 科員[[P|蔡承翰]]　[[TEL|(049)222-3456分機318]]""", genre="training")

C("b2-men-002", "none", "chat: asks whether a file is the 機密文書處理 SOP", "欸這份是不是機密文書處理的SOP？我找不到新版的😅", channel="chat", genre="chat")

C("b2-men-003", "none", "函 on dengue statistics: 密切 in prose, 密等 普通; no person named (contact is a unit), so disease words unlabelled", """高雄市政府衛生局　函
地址：[[ADDR|802高雄市苓雅區凱旋二路132-1號]]
承辦單位：疾病管制處
電話：[[TEL|07-7134000#1234]]

受文者：本市各區公所
發文日期：中華民國115年9月3日
發文字號：[[DOC|高市衛疾管字第1154021170號]]
速別：速件
密等及解密條件或保密期限：普通
附件：登革熱本土病例統計表

主旨：本市本週新增登革熱本土病例7例，請加強孳生源清除並與本局密切聯繫，請查照。
說明：
一、截至9月2日累計本土病例42例，以前鎮區、苓雅區為多。
二、請各區公所動員里鄰辦理巡檢。
正本：本市各區公所
副本：本局疾病管制處""", genre="han")

C("b2-men-004", "none", "家暴防治 training text: 親密關係暴力 in prose, statistics only", """115年度家庭暴力防治教育訓練講義（節錄）
一、親密關係暴力係指現有或曾有親密關係之伴侶間之身體、精神或經濟上之騷擾、控制、脅迫。
二、本縣去年通報件數1,284件，其中親密關係暴力占57%。
三、社工人員訪視時應注意自身安全，必要時請轄區派出所陪同。""", genre="training")

C("b2-men-005", "none", "reply mail restating 「來文密等：密」 and saying the reply is 普通件", """主任好：
有關社會處來函（來文密等：密）詢問本所轄內低收入戶複查進度一事，本所已完成複查，復文內容不涉個案資料，已改以普通件上陳，請核示。
附上復文稿，請參考。
承辦　[[P|江宜蓁]]
[[TEL|03-9325-118]]""", subject="RE: 低收入戶複查進度（復社會處）", genre="reply-quote")

C("b2-men-006", "none", "declassification notice: cites a 機密 letter with 函 (not labelled); own 字號 labelled", """國防部後備指揮部　書函
發文日期：中華民國115年10月22日
發文字號：[[DOC|備動員字第1150009876號]]
密等及解密條件或保密期限：普通
主旨：本部103年6月5日備動員字第1030004411號函（原列機密）業已屆保密期限，自即日起解除機密，請查照。
說明：請各單位於原件密等欄以雙線劃除並加蓋職章，另附機密等級變更或註銷紀錄單。
正本：各縣市後備指揮部""", genre="declass")

C("b2-men-007", "none", "blank checklist legend with empty boxes □密 □機密 □極機密 □絕對機密", """文件送印申請單
申請單位：＿＿＿＿　申請人：＿＿＿＿
文件密等：□普通　□密　□機密　□極機密　□絕對機密
份數：＿＿份　用紙：□A4 □A3
※機密以上文件不得送外部廠商印製。""", genre="legend")

C("b2-men-008", "none", "憲法 text: 祕密通訊自由 in prose", "憲法第12條：人民有祕密通訊之自由。本次研習將說明通訊保障及監察法於司法警察實務之適用，歡迎同仁報名。", genre="training")

C("b2-men-009", "none", "quiz question listing levels", """【保密測驗 第3題】
下列何者「不是」國家機密保護法所定之國家機密等級？
(A)絕對機密　(B)極機密　(C)機密　(D)密
答案：(D)，「密」屬一般公務機密。""", genre="training")

C("b2-men-010", "none", "meeting minutes on the bulletin's LINE case; chair and recorder named", """115年第4次公務機密維護會報紀錄
時間：115年11月18日（星期三）下午2時
地點：本局3樓第二會議室
主席：[[P|許國樑]]副局長　　　　記錄：[[P|紀欣妍]]
一、政風室報告：某警察機關員警於偵辦擄人勒贖案時，將偵辦進度報告誤傳至無關LINE群組，經檢察官給予緩起訴處分，請同仁引以為戒。
二、決議：各單位LINE群組應指定管理員，每季檢視成員；機敏公務不得以通訊軟體傳遞。
三、散會：下午3時10分。""", genre="meeting")

C("b2-men-011", "none", "chat reminder citing 機密 as a category", "剛剛政風說Line不能傳機密的東西喔 大家注意一下🙏 有問題私訊我", channel="chat", genre="chat")

C("b2-men-012", "none", "IT notice: 機密檔案管理系統 upgrade; 0800 hotline unlabelled; support landline labelled", """各位同仁：
「機密檔案管理系統」將於12月5日（六）上午8時至12時進行版本更新，期間暫停服務。
如遇登入問題，請撥廠商客服0800-091-580，或洽資訊室[[P|邱子恆]]（[[TEL|02-2720-8889#6402]]）。
資訊室 敬啟""", subject="【系統公告】機密檔案管理系統12/5停機更新", genre="notice")

C("b2-men-013", "none", "ordinary 戶政 函 with 普通 field and a named applicant; ID labelled", """新北市板橋區戶政事務所　函
地址：[[ADDR|220新北市板橋區中山路一段161號4樓]]
承辦人：[[P|翁子涵]]
電話：[[TEL|(02)2968-3761分機20]]

受文者：[[P|黃郁庭]]君
發文日期：中華民國115年11月2日
發文字號：[[DOC|新北板戶字第1155301278號]]
速別：普通件
密等及解密條件或保密期限：普通
附件：戶籍謄本1份

主旨：臺端申請補發戶籍謄本（身分證統一編號[[NID|F213250727]]）一案，檢送謄本1份，請查收。
正本：[[P|黃郁庭]]君
副本：本所戶籍課""", genre="han")

C("b2-men-014", "none", "函 with the 密等 field left blank (label padded with U+3000)", """臺中市政府社會局　函
發文字號：[[DOC|中市社助字第1150198765號]]
速　　別：普通件
密　　等：
附　　件：
主　　旨：函轉衛生福利部「115年度急難救助作業須知」1份，請查照。
正本：本市各區公所""", genre="han")

C("b2-men-015", "none", "law summary: 保密期限 maxima per level", """國家機密保護法第11條重點：
核定國家機密等級時，應併予核定保密期限或解除機密之條件。絕對機密不得逾30年，極機密不得逾20年，機密不得逾10年。
保密期限屆滿時，自動解除機密。""", genre="training")

C("b2-men-016", "none", "文書處理手冊 excerpt on 密件封套, a mention", "依文書處理手冊，密件收發應登錄於機密文書登記簿，密件封套由文書單位統一管理，承辦人不得自行拆封他人之密件。", genre="training")

C("b2-men-017", "none", "機密等級變更通知單: levels before/after listed; original 字號 after 原文件發文字號 unlabelled; own 字號 labelled", """機密文書機密等級變更或註銷通知單
發文字號：[[DOC|屏府秘機字第1150033021號]]
原文件發文字號：屏府秘機字第1080045517號
原文件日期：中華民國108年4月9日
原密等：機密
變更後密等：普通（註銷）
變更理由：保密期限屆滿
通知對象：本府各一級機關""", genre="declass")

C("b2-men-018", "none", "chat: 密碼 contains 密 but is not a marking", "VPN新密碼已經寄到你信箱了，記得第一次登入要改密碼，不要貼在群組裡喔", channel="chat", genre="chat")

C("b2-men-019", "none", "police press release: 秘密蒐證 in prose, suspects given as 姓 + 姓男子 (unlabelled); 165 hotline", """新聞稿　115年11月25日
本分局偵查隊歷經2個月秘密蒐證，日前於北屯區一處民宅查獲詐騙機房，逮捕陳姓、林姓等6名男子，起出手機42支。
警方呼籲民眾接獲可疑電話，請撥打165反詐騙諮詢專線查證。
新聞聯絡人：偵查隊長[[P|賴俊男]]　[[TEL|04-2232-7658]]""", genre="press")

C("b2-men-020", "none", "保密協定 with a vendor; company name and UBN not labelled (UBN valid)", """採購案件保密切結書（草稿確認）
廠商名稱：宏遠資訊系統股份有限公司
統一編號：10458575
廠商應對因履約知悉之機密資訊負保密義務，契約終止後亦同。
機關聯絡人：[[P|潘怡秀]]""", genre="contract")

C("b2-men-021", "none", "job title 機要秘書 contains 機; prose only", "本處機要秘書[[P|歐陽孟哲]]於12月1日到職，辦公室在4樓，分機6010，請多多指教。", genre="notice")

C("b2-men-022", "none", "人事 notice: 考績 described as 機密性質 in prose", "提醒同仁：年終考績評定結果屬個人資料且具機密性質，請勿相互詢問或於群組討論。人事室", channel="chat", genre="notice")

C("b2-men-023", "none", "環保 note: 密度/精密/緊密 words", "本季空氣品質監測站增設精密儀器2套，並依人口密度調整測站位置，與各區公所保持緊密聯繫。", genre="notice")

C("b2-men-024", "none", "retelling of the bulletin: 員警A, 緩起訴 about nobody identifiable", "宣導案例：某分局員警A將偵辦進度報告誤傳到多人群組，被依過失洩密罪送辦，最後獲緩起訴處分、繳交公庫3萬元。大家傳檔前請再三確認群組名稱！", channel="chat", genre="training")

C("b2-men-025", "none", "mail confidentiality disclaimer footer (generic, not a marking)", """[[P|林昱廷]]先生您好：
附件為本次研習簽到表電子檔，請查收。
--
臺北市政府教育局 終身教育科
[[P|賴宛瑜]]　[[TEL|02-2720-8889#1234]]
本電子郵件及附件可能含有機密資訊，如您並非指定收件人，請立即刪除並通知寄件人。""", genre="signature")

C("b2-men-026", "none", "機密檔案清點 inventory: levels listed in a column never count", """機密檔案清點結果（115年下半年）
檔號	案名	密等	保密期限
105/0301	防汛演練計畫	機密	115.12.31
108/0112	通訊保密作業	密	公布時解密
110/0730	演習想定	極機密	130.07.30
清點人：[[P|施宏儒]]　覆核：[[P|鍾曉嵐]]""", genre="inventory")

C("b2-men-027", "none", "checklist with 普通 ticked and secret boxes empty", """公文稿核對表
密等：□密 □機密 ■普通
速別：■普通件 □速件 □最速件
附件：■有　□無""", genre="legend")

C("b2-men-028", "none", "chat: asks for 密件封套", "那個密件封套還有嗎？文書科說沒貨了要等下週", channel="chat", genre="chat")

C("b2-men-029", "none", "reply stating the matter is neither national nor official secret", "經查，貴會申請之會議紀錄非屬國家機密，亦非一般公務機密，依政府資訊公開法第5條規定應主動公開，請逕至本府網站下載。", genre="reply-quote")

C("b2-men-030", "none", "ISMS text: 機密性、完整性、可用性", "資通安全管理制度（ISMS）以確保資訊之機密性、完整性及可用性為目標，本年度內部稽核訂於12月9日辦理。", genre="training")

C("b2-men-031", "none", "簽 with 密等 普通 and 速別 普通件", """簽　於人事室
日期：115年11月30日
速別：普通件
密等：普通
主旨：擬辦理本室同仁115年度保密教育訓練，簽請核示。
說明：訓練時數2小時，講座擬邀請法務部調查局南投縣調查站[[P|莊明哲]]秘書。
擬辦：奉核後辦理。
敬陳　主任秘書　轉陳　局長
承辦人　[[P|卓芳如]]""", genre="qian")

C("b2-men-032", "none", "DI XML fragment with empty <密等/> (no 代碼) -> unclassified", """<?xml version="1.0" encoding="UTF-8"?>
<函>
<發文機關><全銜>彰化縣政府</全銜></發文機關>
<發文字號><字>府社救字</字><文號><年度>115</年度><流水號>0441203</流水號></文號></發文字號>
<速別 代碼="普通件"/>
<密等及解密條件或保密期限><密等/><解密條件或保密期限></解密條件或保密期限></密等及解密條件或保密期限>
<主旨><文字>函轉115年度冬令救濟實施計畫，請查照。</文字></主旨>
</函>""", genre="di")

C("b2-men-033", "none", "school newsletter: film title with 極機密 in prose", "本週五晚間電影欣賞：《極機密任務》（輔導級），地點在活動中心，歡迎高二同學報名，名額80人。學務處", genre="school")

C("b2-men-034", "none", "jokey chat 'tell you an absolute secret' — ordinary speech, not a marking", "跟你們說一個絕對機密😂 今天下午茶主任請客！！3點茶水間集合", channel="chat", genre="chat")

C("b2-men-035", "none", "school: 輔導紀錄屬機密資料 in prose; no student named", "提醒各班導師：學生輔導紀錄屬機密資料，請勿拍照上傳班級群組，紙本請鎖於輔導室櫃內。輔導室 敬上", genre="school")

C("b2-men-036", "none", "juvenile court practice: 審理不公開 in prose (a rule, not a stamp)", "依少年事件處理法第34條，少年事件之調查及審理不公開。媒體詢問時請一律回覆「依法不予評論」，並轉請本院發言人處理。", genre="court")

C("b2-men-037", "none", "team building: 密室逃脫", "尾牙活動投票結果出爐：第一名是密室逃脫（18票），第二名烤肉（11票）。報名請找[[P|鄧文傑]]，截止12/10。", channel="chat", genre="chat")

C("b2-men-038", "none", "list of markings in a rule text, 限閱/請勿外流 named as examples (listed, not applied)", "本局資料分級要點第5點：文件標示「限閱」、「請勿外流」或「限機關內部使用」者，承辦人應依第6點規定管制分送對象，並不得上傳雲端硬碟。", genre="training")

C("b2-men-039", "none", "archives bureau public notice: national-secret archives declassified and open", """公告
主旨：公告本局典藏之國家機密檔案計152案，業經原核定機關解除機密，自即日起開放應用。
依據：國家機密保護法第31條。
公告事項：檔案清單請至本局網站「解密檔案」專區查詢。""", genre="declass")

C("b2-men-040", "none", "subject mentions 機密文書銷毀", """大家好，本年度機密文書銷毀作業訂於12/16上午在B1辦理，請於12/11前將清冊送文書科。
文書科 [[P|柯美君]]""", subject="RE: 機密文書銷毀作業時程", genre="notice")

C("b2-men-041", "none", "chat shorthand 密我 (= PM me)", "有人要團購年菜的密我～ 這次有佛跳牆跟烏魚子🤤", channel="chat", genre="chat")

C("b2-men-042", "none", "health bureau: contact-tracing statistics with 密切接觸者, nobody named", "本週麻疹境外移入1例，匡列密切接觸者32人，均已完成健康監測通知，目前無人出現發燒或出疹症狀。疾管科", genre="health-stats")

C("b2-men-043", "none", "exam papers: 試題屬機密 in prose; 密封 envelope", "期末考試題請於12/20前以密封信封送教務處，試題屬機密，印製期間非相關人員請勿進入印刷室。教務處 [[P|阮志遠]]", genre="school")

C("b2-men-044", "none", "field renamed 機密等級：普通", """會議資料
機密等級：普通
會議名稱：115年第3次道路挖掘管理協調會
時間：115年12月8日上午10時
聯絡人：[[P|孫建安]]　[[TEL|(037)356-128]]""", genre="meeting")

C("b2-men-045", "none", "library: 限閱期刊 is a library term, prose", "館藏公告：部分限閱期刊（如法學期刊合訂本）僅限館內閱覽，不提供外借，請讀者見諒。", genre="notice")

C("b2-men-046", "none", "函 whose 主旨 asks about 機密文書傳遞 ways; field 普通; cited 字號+函 not labelled", """主旨：有關貴府函詢機密文書得否以電子交換方式傳遞一案，復如說明，請查照。
說明：
一、復貴府115年11月12日府秘文字第1150401122號函。
二、依文書處理手冊規定，機密文書不得以電子公文交換，應以密件封套專人遞送。
發文字號：[[DOC|檔應字第1150009231號]]
密等及解密條件或保密期限：普通""", genre="han")

C("b2-men-047", "none", "主旨 sends the revised 一般公務機密維護作業要點", "主旨：檢送本局修正「一般公務機密維護作業要點」1份，自即日生效，請查照並轉知所屬。", genre="han")

C("b2-men-048", "none", "contract clause on 保密期限 after end of contract", "第十八條（保密）乙方對於履約期間知悉之甲方業務資料應予保密，保密期限至契約終止後三年止。", genre="contract")

C("b2-men-049", "none", "secrecy word 機密 inside 公務機密維護 campaign poster text", "🔒公務機密 人人有責🔒\n不傳、不存、不帶回家\n政風室關心您", channel="chat", genre="training")

C("b2-men-050", "none", "PRC-origin quotation in a comparison table (mention)", "兩岸文書密級比較：大陸使用「绝密★」「机密★」「秘密★」三級並加註期限，我國則為絕對機密、極機密、機密及密。", genre="training")

C("b2-men-051", "none", "FAQ on declassifying an expired 密件", "Q：保密期限已屆滿的「密」件，要不要再簽辦解密？\nA：一般公務機密之解密依機關規定辦理；國家機密保密期限屆滿者自動解除，毋須另行核定。", genre="training")

C("b2-men-052", "none", "prose 祕密 in a social-worker note about a child (名字 masked) — no identifiable person", "個案（王○軒，國小三年級）表示「這是我跟阿姨的祕密」，社工已通報並安排兒少保護評估。", genre="welfare")

C("b2-men-053", "none", "mail with 【公告】 prefix and 保密 mention in body", """各位好：
依年度計畫，本處將於12月辦理保密抽查，抽查項目包括機密文書登記簿、密件封套使用紀錄。
受檢單位名單另以電子郵件通知。
政風處 [[P|張簡宏偉]] [[MAIL|jhw0917@ethics.ntpc.gov.tw]]""", subject="【公告】115年12月保密抽查", genre="notice")

C("b2-men-054", "none", "court notice: 秘密證人 in prose, hotline 1999 unlabelled", "臺灣高等法院檢察署提醒：證人保護法規定之秘密證人身分資料應予保密。市民如有陳情事項，請撥打1999市民熱線。", genre="court")

C("b2-men-055", "none", "forwarded mail whose quoted header has subject 機密 training — no carried marking", """---------- 轉寄的郵件 ----------
寄件者：[[P|楊博凱]] <[[MAIL|pkyang@mail.tcpd.gov.tw]]>
日期：2026年11月27日 週五 下午4:12
主旨：機密維護教育訓練簡報
收件者：各分局承辦人

附件為簡報檔，內容為「機密」「極機密」等級區分與實務案例，供各分局自行轉訓使用。""", subject="Fwd: 機密維護教育訓練簡報", genre="forward")

C("b2-men-056", "none", "密 in 密切合作/親密 in a welfare MOU press release", "本府社會局與在地醫院簽署合作備忘錄，將密切合作推動獨居長者關懷，讓長輩與社區維持親密連結。", genre="press")

C("b2-men-057", "none", "tracker table of documents with a 密等 column incl. 普通/密 values (listed)", """公文追蹤表（自動匯出）
文號	主旨摘要	密等	承辦
1150034512	年終工作檢討	普通	[[P|巫俊杰]]
1150034520	人事甄審會議	密	[[P|溫雅琪]]
1150034533	採購驗收	普通	[[P|巫俊杰]]""", genre="inventory")

C("b2-men-058", "none", "chat: 'is this 機密?' question", "這份會議紀錄算機密嗎？還是可以直接貼群組？", channel="chat", genre="chat")

C("b2-men-059", "none", "訓練課程 with 「密等標示」 lesson title", "課程表：09:00 文書處理概論／10:00 密等標示與機密文書處理／11:00 個資保護實務（講師：[[P|蕭宜蓁]]）", genre="training")

C("b2-men-060", "none", "reply describing a stamp seen on another paper (右上角蓋有「機密」戳記) — a mention, nothing carried", """[[P|范姜德明]]科長：
貴科送來的演練資料右上角蓋有「機密」戳記，依規定本課不得影印留存，已於今日上午以密件封套專人送回，請查收。
[[P|倪佩珊]]""", subject="RE: 演練資料", genre="reply-quote")

# =================================================================================================
# B. Genuinely MARKED messages at every level and position
# =================================================================================================
C("b2-mk-001", "official_secret", "chat: the bulletin scenario, a 偵辦進度 report with 【密】 prefix, suspect with 前科, victim's phone", """【密】0412擄人案偵辦進度（第3報）
1. 被害人[[P|簡柏翰]]家屬今早10:20再接到勒贖電話，來電[[TEL|0968-221-507]]，已聲請通訊監察
2. 嫌疑人[[P|侯振南]]（有[[CR|強盜前科]]）車輛疑停放於三重區
3. 監視器調閱請[[P|呂冠廷]]負責，下午5點前回報
勿轉傳""", channel="chat", genre="chat-marked")

C("b2-mk-002", "confidential", "first-line stamp 機密 alone, then a plan; period on next line", """機密
保密期限：本件至118年12月31日解密
115年度重要民生設施防護演練計畫（第二版）
一、演練日期：116年3月上旬
二、參演單位：本府消防局、警察局、自來水公司第十區管理處
三、聯絡窗口：災防辦公室 [[P|湯詠晴]]　[[TEL|05-2254321轉610]]""", genre="stamp")

C("b2-mk-003", "secret", "函 密等 field 極機密 with 保密期限", """國防部　函
發文日期：中華民國115年11月20日
發文字號：[[DOC|國作聯戰字第1150017733號]]
速別：最速件
密等及解密條件或保密期限：極機密（保密期限：20年）
附件：如文
主旨：檢送116年度聯合防空演習兵力部署構想1份，請依限完成協調，請查照。
正本：內政部消防署""", genre="field")

C("b2-mk-004", "top_secret", "絕對機密 field with a 解密條件", """密等及解密條件或保密期限：絕對機密，解密條件：本案情資來源人員離職滿三十年後解密
主旨：陳報本局115年度第四季特定情資來源運用情形，敬請鑒核。
說明：詳附件一（本件不得複製）。""", genre="field")

C("b2-mk-005", "official_secret", "mail subject prefix 【密】; body has a personnel review with names; subject labelled", """各位委員好：
附件為本次甄審會議之評分彙整，[[P|羅宇辰]]、[[P|顏筱婷]]兩位分數相同，請於會中討論排序。
人事室 [[P|汪家銘]]""", subject="【密】115年12月科員甄審評分彙整", genre="subject")

C("b2-mk-006", "confidential", "bracketed title prefix 〔機密〕 in the first line of a meeting handout", """〔機密〕115年第2次國土安全聯繫會議資料
一、轄內重要港口管制作業檢討
二、海巡署與港務警察協調事項
承辦：[[P|黎國棟]]""", genre="stamp")

C("b2-mk-007", "official_secret", "密 stamp as the last line of a 簽", """簽　於政風室　115年12月1日
主旨：檢舉本府工務局技士[[P|馮志堅]]涉嫌收受廠商招待一案，擬請調閱相關採購卷宗，簽請核示。
說明：檢舉人[[P|彭婉婷]]（聯絡電話[[TEL|0937-618-224]]）要求保密身分。
擬辦：奉核後函請工務局提供卷宗。
敬陳　秘書長
密""", genre="qian")

C("b2-mk-008", "restricted", "footer 限機關內部使用 on a duty roster with mobiles", """115年12月份春安工作值勤表
12/1（二）　[[P|曹仁傑]]　[[TEL|0912-603-447]]
12/2（三）　[[P|蔣心怡]]　[[TEL|0921 337 580]]
12/3（四）　[[P|唐志誠]]　[[TEL|+886-955-204-318]]
限機關內部使用""", genre="roster")

C("b2-mk-009", "restricted", "chat note ending with 請勿外流 on a list of households", """里長交來的獨居長者名冊先貼這邊，明天家訪用
1.[[P|董阿滿]] [[ADDR|嘉義市東區民族路六十八巷十二號]]
2.[[P|石金發]] [[ADDR|嘉義市東區光彩街102號之3]]
（請勿外流）""", channel="chat", genre="chat-marked")

C("b2-mk-010", "confidential", "forwarded mail keeps the carried letter's 機密 field; 字號 of the carried letter labelled", """[[P|何柏毅]]組長：轉知如下，請依說明辦理。
> 發文字號：[[DOC|移署專一字第1150088412號]]
> 密等及解密條件或保密期限：機密（本件於專案結束後解密）
> 主旨：請協助查緝逾期居留外籍人士藏匿處所，請查照。
> 說明：涉案人[[P|Nguyen Thi Thanh Huong]]（居留證號[[RID|A904422545]]）最後出現於臺中市西屯區。""", subject="Fwd: 移民署來函（協查[[P|Nguyen Thi Thanh Huong]]）", genre="forward")

C("b2-mk-011", "secret", 'DI XML with <密等 代碼="極機密"/>', """<函>
<發文字號><字>國資字</字><文號><年度>115</年度><流水號>0002281</流水號></文號></發文字號>
<密等及解密條件或保密期限><密等 代碼="極機密"/><解密條件或保密期限>本件至135年12月31日解密</解密條件或保密期限></密等及解密條件或保密期限>
<主旨><文字>檢送資通安全演練情境，請查照。</文字></主旨>
</函>""", genre="di")

C("b2-mk-012", "official_secret", "密件 stamp in its own bracketed line at the top of a referral", """【密件】
高風險家庭轉介單
個案：[[P|温子晴]]（女，[[DOB|民國一〇八年七月二日]]生）
主要照顧者：母[[P|温淑華]]，[[H|酒精成癮]]，114年曾[[H|住院]]兩週
通報單位：[[ADDR|臺東縣臺東市中華路一段684號]]（仁愛國小）""", genre="referral")

C("b2-mk-013", "confidential", "ticked box ■機密 on the checklist line of a cover sheet", """公文封面
密等：□密　■機密　□極機密
保密期限：10年
案由：115年度重要軍事設施周邊土地清查""", genre="legend")

C("b2-mk-014", "restricted", "first line 內部參考 + 草案 for internal discussion", """草案　僅供內部討論
本局組織調整方案（初稿）
一、擬將資訊室與研考科合併為「數位發展科」
二、人員配置：科長1人由[[P|黃冠霖]]代理""", genre="self")

C("b2-mk-015", "official_secret", "密等 field with condition in 全形 parentheses, 函 with a named person's ID", """臺北市政府警察局大安分局　函
地址：[[ADDR|106臺北市大安區新生南路二段86號]]
承辦人：偵查佐[[P|鄭翊群]]
電話：[[TEL|02-2362-1234分機3308]]
受文者：臺灣臺北地方檢察署
發文日期：中華民國115年11月26日
發文字號：[[DOC|北市警安分刑字第1153026814號]]
速別：速件
密等及解密條件或保密期限：密（本件於偵查終結後解密）
附件：調查筆錄影本1份
主旨：函送犯罪嫌疑人[[P|林聖哲]]（身分證統一編號[[NID|A123233213]]）涉嫌詐欺案偵查報告，請鑒核。
說明：嫌疑人係[[CR|通緝]]犯，於115年11月24日於本轄查獲。
正本：臺灣臺北地方檢察署
副本：本分局偵查隊""", genre="field")

C("b2-mk-016", "top_secret", "stamp line 絕對機密 at top and bottom of a page", """絕對機密
附件二：情報來源保護作業名冊（計3頁，第1頁）
代號　聯繫人
K-07　[[P|司徒振宇]]
K-11　[[P|上官明霞]]
絕對機密""", genre="stamp")

C("b2-mk-017", "confidential", "copy (複製物) repeating 機密 and serial number", """複製物　編號：3／共5份
機密（本件至120年6月30日解密）
115年度重大工程防恐評估報告摘要
評估人：[[P|陸冠宇]]、[[P|夏婉菁]]""", genre="stamp")

C("b2-mk-018", "restricted", "限閱 stamp with 限閱人員 list", """限閱
限閱人員：局長、副局長、主任秘書
本局115年度員工申訴案件處理情形
申訴人[[P|童國華]]主張遭主管[[P|袁志明]]言語霸凌，經調查…（詳附件）""", genre="stamp")

C("b2-mk-019", "official_secret", "chat line with 【密】 in the middle of a LINE export (forwarded history)", channel="chat", text="""[LINE] 與「刑事組-監視器小組」的聊天記錄
儲存日期：2026/11/30 21:04

2026/11/30（一）
19:02	[[P|洪啟文]]	【密】嫌犯[[P|卓志豪]]晚上7點出現在新莊，車號BKR-3215
19:05	[[P|余佩玲]]	收到 我調中正路口的
19:40	[[P|洪啟文]]	他手機[[TEL|0975102846]] 已經聲請通聯""", genre="chat-export")

C("b2-mk-020", "secret", "bracket prefix [極機密] in a mail subject; body plain; subject labelled", """附件為演習腳本第三版，請於週五前回覆修正意見。
作戰科 [[P|龔承恩]]""", subject="[極機密] 116年漢光演習兵推腳本v3", genre="subject")

C("b2-mk-021", "confidential", "機密 stamp at the end after signature block", """主旨：本市重要關鍵基礎設施名冊更新，請於12月15日前確認。
說明：名冊計126處，含變電所、淨水場及通訊機房位址。
　　　　　　　　　　　　　　　　　　局長　[[P|嚴啟明]]
機密""", genre="stamp")

C("b2-mk-022", "official_secret", "spaced stamp 密　件 at top of a health-bureau report on a named patient", """密　件
個案：[[P|Sri Wahyuni]]（印尼籍看護，居留證號[[RID|FD84967788]]）
[[H|診斷：開放性肺結核]]
已收治於[[ADDR|臺北市萬華區昆明街100號]]（和平院區），[[H|住院]]隔離中""", genre="stamp")

C("b2-mk-023", "restricted", "不得外流 sentence at the end of a vendor evaluation", """評選委員名單（共7人）
召集人：[[P|白振豪]]
委員：[[P|蘇怡文]]、[[P|康銘宏]]、[[P|尤淑媛]]等
※本名單於評選結束前不得外流""", genre="self")

C("b2-mk-024", "official_secret", "簽 with 密等：密 in its 文號 header block", """簽
文號：1150412210
速別：速件
密等：密（公布時解密）
主旨：本校教師[[P|Tran Van Minh]]（越南籍，統一證號[[RID|E992312627]]）聘任案，擬提教評會審議。""", genre="qian")

C("b2-mk-025", "confidential", "mail carrying a pasted 函 whose field says 機密，本件至…解密", """附上原函內容供參：

海洋委員會海巡署　函
發文字號：[[DOC|署巡情字第1150021567號]]
密等及解密條件或保密期限：機密，本件至116年12月31日解密
主旨：請加強金門海域走私漁船查緝，請查照。

以上，請各組長注意。[[P|魏嘉宏]]""", subject="轉知：海巡署來函", genre="forward")

C("b2-mk-026", "restricted", "【內部資料】 title prefix in a chat post", "【內部資料】明天記者會QA初稿：1.傷者人數以消防局公布為準 2.罹難者家屬不接受採訪 3.追加預算暫不回應", channel="chat", genre="chat-marked")

C("b2-mk-027", "top_secret", "絕對機密 in the 密等 field of a 開會通知單", """國家安全會議　開會通知單
發文字號：[[DOC|國安秘字第1150000412號]]
密等及解密條件或保密期限：絕對機密（保密期限三十年）
開會事由：兩岸情勢專案會議
開會時間：115年12月3日上午9時
主持人：[[P|諸葛宏儒]]""", genre="meeting")

C("b2-mk-028", "official_secret", "subject prefix （密） with half-width brackets variant and a 健康 case", """[[P|莫宜蓁]]護理長：
病人[[P|陶建志]]（病歷號 00587124）今日[[H|自殺未遂]]送[[H|急診]]，家屬要求院內保密。
社工室 [[P|姜曉蘭]] 分機5521""", subject="(密) 急診個案通報", genre="subject")

C("b2-mk-029", "secret", "極機密 first line of a page with page counter", """極機密　　　　　　　　　　　　第1頁／共4頁
115年第四季反滲透情資研析
研析人：[[P|鍾離昊天]]""", genre="stamp")

C("b2-mk-030", "confidential", "ticked ☑機密 on a 收文 stamp line, inside a mail", """收文章
收文號：1150077321
密等：☐密 ☑機密 ☐極機密
承辦：[[P|廖宏達]]
附件掃描檔如附，請勿轉寄。""", genre="legend")

C("b2-mk-031", "secret", "極機密 field in a 書函 with the condition 本件於公布時解密 inside full-width parens without colon", """法務部調查局　書函
發文字號：[[DOC|調國安字第1150034567號]]
密等及解密條件或保密期限：極機密（本件於公布時解密）
主旨：有關境外勢力滲透本縣宮廟案，請貴府民政處指派專人與本局[[P|連昭雄]]調查官聯繫。""", genre="field")

C("b2-mk-032", "top_secret", "subject prefix 【絕對機密】 with empty body except instruction", "請依附件核定名單辦理，完成後原件繳回。", subject="【絕對機密】116年度特種勤務人員核定名單", genre="subject")

C("b2-mk-033", "restricted", "請勿外流 in the subject and a staff contact list", """各位好，附上本科緊急聯絡名冊：
[[P|石博仁]]　[[TEL|0928-771-043]]　[[MAIL|pojen.shih@gmail.com]]
[[P|夏筱涵]]　[[TEL|0918-660-295]]　[[MAIL|hsiaohan0313@yahoo.com.tw]]""", subject="（請勿外流）社會科緊急聯絡名冊", genre="subject")

C("b2-mk-034", "official_secret", "密 in the 密等 field with a filled-in date; social-welfare 函 about a named child", """密等及解密條件或保密期限：密，本件至116年6月30日解密
主旨：兒童[[P|賴品妍]]（[[DOB|108.03.14]]生，身分證統一編號[[NID|K204426066]]）安置案，請貴院協助出具[[H|發展遲緩]]評估報告，請查照。
說明：案母[[P|Le Thi Mai]]（越南籍，居留證號[[RID|HC98066678]]）已同意評估。""", genre="field")

C("b2-mk-035", "confidential", "機密 carried inside a quoted mail chain (> >) keeps its marking", """[[P|杜建勳]]學長：
我把上次那封再轉一次給你
> > 密等：機密（保密期限5年）
> > 主旨：本分局轄區重要人士維安勤務規劃
> > 1. 12/24至12/26三天，每日勤務人員12人
> > 2. 帶班：[[P|方仁德]]巡官 [[TEL|0933-451-286]]
[[P|宋育誠]]""", subject="RE: RE: 維安勤務", genre="forward")

C("b2-mk-036", "secret", "stamp 極　機　密 spaced across the header line, followed by 複製物", """極　機　密
複製物編號：2
國防預算特別條款執行情形（口頭報告稿）
報告人：[[P|皇甫文彬]]次長""", genre="stamp")

C("b2-mk-037", "restricted", "限機關內部使用 as the first line of a chat post with a meeting summary", """限機關內部使用
今天局務會議重點：
1.年終獎金12/20前撥
2.[[P|林宥辰]]科長調任秘書室
3.下週三消防演練，全員參加""", channel="chat", genre="chat-marked")

C("b2-mk-038", "official_secret", "密件 as mail subject prefix (stand-alone) -> official_secret", """[[P|葉秋蓉]]督導：
個案[[P|吳金鳳]]（[[DOB|40年12月8日]]生）已於昨日入住[[ADDR|宜蘭縣羅東鎮中正北路二十號三樓]]養護中心，[[H|失智症]]中度，[[H|身心障礙證明]]重新鑑定中。
[[P|周佳慧]]""", subject="密件：長照個案入住通報", genre="subject")

C("b2-mk-039", "confidential", "DI XML with <密等 代碼=\"機密\"/> and a 10-year period", """<?xml version="1.0" encoding="UTF-8"?>
<函>
<發文機關><全銜>內政部警政署</全銜></發文機關>
<密等及解密條件或保密期限><密等 代碼="機密"/><解密條件或保密期限>保密期限：10年</解密條件或保密期限></密等及解密條件或保密期限>
<主旨><文字>請各警察機關加強重要人士安全維護，請查照。</文字></主旨>
<正本><全銜>各直轄市、縣（市）政府警察局</全銜></正本>
</函>""", genre="di")

C("b2-mk-040", "top_secret", "絕對機密 first-line stamp in a chat that someone pasted by mistake (the risk case)", """絕對機密
情報協調會議紀要 115.11.29
出席：[[P|令狐志剛]]、[[P|東方慧玲]]
（抱歉貼錯群組 請大家刪除🙏🙏）""", channel="chat", genre="chat-marked")

C("b2-mk-041", "official_secret", "密 stamp top right with 檔號 on the same line", """檔號：115/0203.4/2　保存年限：5年　　　　　　　　密
臺南市政府勞工局　函
發文字號：[[DOC|南市勞安字第1151567023號]]
主旨：[[P|顏志豪]]君勞資爭議調解案，檢送調解紀錄1份。
說明：申請人傷勢為[[H|右手食指截肢]]，雇主同意給付補償新臺幣60萬元。""", genre="stamp")

C("b2-mk-042", "restricted", "【限閱】 prefix on a performance memo", "【限閱】[[P|鄒宗翰]]115年度考績初評意見：丙等（曠職3日），請主管於12/10前簽註意見。", genre="stamp")

C("b2-mk-043", "secret", "forwarded mail: carried 極機密 stamp line kept in the forwarded body", """-----Original Message-----
From: 作戰處 [[P|黃中平]]
Sent: Monday, November 30, 2026 9:14 AM
Subject: 防空疏散規劃

極機密
本區防空避難設施容量不足處計17處，清單如附表。""", subject="FW: 防空疏散規劃", genre="forward")

C("b2-mk-044", "confidential", "機密 level in 密等 field with half-width colon and no condition text", """受文者：本府消防局
發文日期：中華民國115年12月1日
發文字號：[[DOC|府授災字第1150278801號]]
密等:機密
主旨：核定本縣災害應變中心備援場址，請查照。""", genre="field")

C("b2-mk-045", "restricted", "內部資料　請勿外流 on a court staff roster with extensions", """內部資料　請勿外流
民事庭書記官分機表
[[P|謝宛庭]]　分機1702
[[P|鄭家瑋]]　分機1705
[[P|郭品萱]]　[[TEL|(04)2223-2311#1708]]""", genre="roster")

C("b2-mk-046", "official_secret", "police chat shorthand with （密） prefix; victim of a sexual assault named and injury", "（密）昨晚性侵案被害人[[P|蔡宜臻]] 17歲 在[[H|驗傷]]中，[[H|右臉瘀傷]]，家屬不希望曝光 拜託大家嘴巴緊一點", channel="chat", genre="chat-marked")

C("b2-mk-047", "top_secret", "絕對機密 in 密等 field; subject prefix plain; forwarded letter inside mail", """轉陳。
發文字號：[[DOC|國情密字第1150000098號]]
密等及解密條件或保密期限：絕對機密，解密條件：另行檢討後辦理解密
主旨：特定人員身分代號更新。""", subject="轉陳：國安局來函", genre="forward")

C("b2-mk-048", "confidential", "機密 as a stamp at the bottom centre after a table pasted from Excel", """重要設施	地址	負責人
第三淨水場	[[ADDR|桃園市龜山區文化一路259號]]	[[P|賴文彬]]
變電所A	[[ADDR|桃園市蘆竹區南崁路一段82巷7號]]	[[P|邵美玲]]
　　　　　　　　　　　　機密""", genre="stamp")

C("b2-mk-049", "official_secret", "mail: 【密】 inside the body title line (not subject) of a school 性平 report", """【密】校園性平事件調查報告（摘要）
行為人：[[P|徐柏翔]]（本校體育老師）
被害學生：[[P|施語彤]]（國二）
調查結果：性騷擾成立，建議解聘。
性平會執秘 [[P|凃雅雯]]""", genre="stamp")

C("b2-mk-050", "restricted", "不公開 as a stamp on its own line in a juvenile court notice", """不公開
少年[[P|蕭凱文]]保護事件
審理期日：115年12月15日上午10時
法定代理人：[[P|蕭國峰]]""", genre="stamp")

C("b2-mk-051", "secret", "極機密 field with date-style condition in a 簽", """簽
密等：極機密（本件至135年11月30日解密）
主旨：擬調派[[P|馬振宇]]上校擔任專案指揮官，簽請鑒核。""", genre="qian")

C("b2-mk-052", "official_secret", "chat: LINE export where a line carries 密件 as a stamp before a pasted table", """2026/12/01 08:31 [[P|田佳穎]]: 密件
2026/12/01 08:31 [[P|田佳穎]]: 姓名 身分證 電話
[[P|巫明德]] [[NID|E191428988]] [[TEL|0987-225-613]]
[[P|塗淑娟]] [[NID|H259846794]] [[TEL|0939-115-602]]
2026/12/01 08:33 [[P|古志偉]]: 收到""", channel="chat", genre="chat-export")

C("b2-mk-053", "confidential", "mail whose first line is 機密（複製物） and a named informant", """機密（複製物，編號1）
線民[[P|韓承翰]]提供情資：毒品交易預定12/5於[[ADDR|新竹市東區光復路二段101號]]附近進行。""", genre="stamp")

C("b2-mk-054", "restricted", "限閱 in the subject with a list of salaries", """附件為本處約聘人員薪資調整表，僅供主管參閱。
[[P|歐永福]]　月支44,650元
[[P|龍采蓉]]　月支41,200元""", subject="限閱：約聘人員薪資調整", genre="subject")

C("b2-mk-055", "official_secret", "密 as the 密等 value in a 開會通知單 with 密（附件抽存後解密）", """臺中市政府　開會通知單
發文字號：[[DOC|府授人考字第1150300215號]]
密等及解密條件或保密期限：密（附件抽存後解密）
開會事由：本府115年度公務人員考績委員會第2次會議
主持人：[[P|柳定國]]秘書長""", genre="meeting")

C("b2-mk-056", "top_secret", "[絕對機密] bracket title prefix in a forwarded memo", """Fwd:
[絕對機密] 第四季情資來源評估
評估人：[[P|慕容振邦]]""", genre="forward")

C("b2-mk-057", "restricted", "草案 stamp + 僅供內部參考 at bottom of a press-release draft", """新聞稿（草稿）
本府將於明年1月起調漲垃圾清運費，每戶每月增加30元。
新聞聯絡人：[[P|侯詩涵]]　[[TEL|03-5216121轉312]]
草案　僅供內部討論""", genre="self")

C("b2-mk-058", "confidential", "機密 stamp with 保密期限 on the same line as last line", """本市114年至115年反恐演練檢討報告
共計6項缺失，詳附表。
機密（保密期限：5年）""", genre="stamp")

C("b2-mk-059", "official_secret", "■密 ticked on a 檢核表 line in a welfare case file", """兒少保護個案檢核表
密等：■密　□機密
個案：[[P|廖苡安]]（身分證[[NID|D124663898]]）
受虐類型：身體虐待，[[H|右前臂骨折]]""", genre="legend")

C("b2-mk-060", "secret", "chat: 極機密 stamp in brackets 〔極機密〕 before a short note", "〔極機密〕明天0600開始部署，指揮所設在[[ADDR|花蓮縣新城鄉嘉里路三段1號]]，聯絡[[P|董承志]]", channel="chat", genre="chat-marked")

# =================================================================================================
# C. Personal data, unmarked -> secrecy_level none
# =================================================================================================
C("b2-pd-001", "none", "戶政 mail: ID with spaces, DOB ROC long form, address with 之 and 樓", """您好，申請人資料如下，麻煩協助查詢是否已辦遷出：
姓名：[[P|鍾佩蓉]]
身分證：[[NID|B 252 211 180]]
出生日期：[[DOB|中華民國七十九年十一月五日]]
戶籍地址：[[ADDR|40457臺中市北區進化北路238巷5弄12號3樓之2]]
謝謝！中區戶所 [[P|莊文彥]]""", genre="form")

C("b2-pd-002", "none", "chat: full-width ID and mobile in one line, lowercase shorthand", "剛剛那位阿伯是[[P|柯清水]] 身分證[[NID|Ｍ１１７０３６１９１]] 手機[[TEL|0933-508-117]] 幫我建檔一下 thx", channel="chat", genre="chat")

C("b2-pd-003", "none", "social welfare 補助 list pasted from Excel: tab columns, 出生日期 header, bank accounts under 帳號 header", """115年12月[[H|身心障礙]]者生活補助撥款明細
姓名	出生日期	障別	帳號
[[P|范文雄]]	[[DOB|0450612]]	[[H|肢體障礙]]	[[ACCT|700-0031245-0612345]]
[[P|彭淑貞]]	[[DOB|0580923]]	[[H|慢性精神病]]	[[ACCT|008-1234567890]]
[[P|張廖宗翰]]	[[DOB|0921101]]	[[H|自閉症]]	[[ACCT|822540123456]]
製表日期：1151201""", genre="roster")

C("b2-pd-004", "none", "police note: rank before name, name before rank, criminal record terms", """報告：本所警員[[P|林宗翰]]於11/29 23時巡邏時，盤查可疑男子[[P|何家樂]]，經查為[[CR|通緝]]人犯（竊盜案），並有[[CR|毒品前科]]，已解送臺中地檢署。帶班：[[P|黃俊彥]]巡佐""", genre="police")

C("b2-pd-005", "none", "health bureau mail: diagnosis phrase, ICD code, NHI number with dashes", """[[P|陳林美鳳]]女士之長照申請資料：
健保卡號：[[NHI|0000-4412-7789]]
[[H|診斷：第二型糖尿病腎病變]]（[[H|E11.22]]），併[[H|雙下肢水腫]]
目前每週[[H|洗腎]]三次。
照專 [[P|Kacaw Lafay]]""", genre="health")

C("b2-pd-006", "none", "court: 判決確定 about a named person, probation and 假釋", """[[CR|受刑人]][[P|曾志雄]]，前因詐欺案經本院[[CR|判處有期徒刑1年6月確定]]，於114年8月入監執行，115年10月[[CR|假釋]]出監，付保護管束。觀護人：[[P|吳姿慧]]""", genre="court")

C("b2-pd-007", "none", "mail signature with +886 number, extension, fax and e-mail", """謝謝協助！
--
[[P|郭子瑜]] [[P|Yu Kuo]]
新竹縣政府 國際產業發展處
Tel: [[TEL|+886-3-551-8101 #3215]]
Fax: [[TEL|03-5513261]]
Email: [[MAIL|kuoyu@hsinchu.gov.tw]]""", genre="signature")

C("b2-pd-008", "none", "外籍移工 list with romanised names, old and new resident IDs, and a Vietnamese passport number (letter + 7 digits) left unlabelled: TW_PASSPORT covers the ROC 9 digits", """本案移工名單：
1. [[P|SANTOS, Maria Lourdes]]　居留證：[[RID|TD25288850]]
2. [[P|Nguyen Van Duc]]　統一證號：[[RID|T829894292]]
3. [[P|Pham Thi Lan]]　護照號碼：C7421093
雇主：[[P|楊添福]]（[[TEL|05-5322156]]）""", genre="form")

C("b2-pd-009", "none", "school: student absence chat with illness, parent named, class shorthand", "老師早安 我是[[P|蘇品睿]]的媽媽 他昨晚[[H|發燒]]到39度 今天請病假一天 謝謝🙏", channel="chat", genre="chat")

C("b2-pd-010", "none", "birthday forms: 生日 with AD slashes and 出生年月日 compact", """新進人員資料
[[P|詹宜臻]]　生日：[[DOB|1993/04/27]]　手機：[[TEL|0910 226 381]]
[[P|游子豪]]　出生年月日：[[DOB|0850108]]　手機：[[TEL|0958-337-102]]
報到日期：115年12月1日""", genre="form")

C("b2-pd-011", "none", "家暴 referral: injuries and treatment of a named woman, address with Chinese numerals", """被害人[[P|方慧君]]（[[DOB|71.05.16]]生），於[[ADDR|新北市三重區重新路四段九十七巷二弄六號二樓]]遭同居人毆打，[[H|頭部撕裂傷]]，驗傷單已取得。相對人[[P|紀志偉]]有[[CR|傷害前科]]。""", genre="referral")

C("b2-pd-012", "none", "bank refund notice: account with bank code apart (not included)", """退費通知：申請人[[P|劉淑娟]]溢繳之房屋稅新臺幣3,218元，將匯入其玉山銀行（808）帳號[[ACCT|0192968754321]]，預計12月8日入帳。""", genre="form")

C("b2-pd-013", "none", "post office account as 局號 + 帳號: one span", "撥款帳戶：中華郵政　局號[[ACCT|0211234　帳號：0345678]]　戶名[[P|杜淑惠]]", genre="form")

C("b2-pd-014", "none", "passport number with label, travel approval", "同意[[P|鄧宇翔]]技正（護照號碼[[PP|358620471]]）於116年1月赴日本大阪參加智慧城市展。", genre="form")

C("b2-pd-015", "none", "credit card with spaces in a fee payment note", "申請人[[P|李慧敏]]以信用卡[[CARD|4909 7202 4736 4729]]繳納罰鍰新臺幣1,800元，授權碼 083721。", genre="form")

C("b2-pd-016", "none", "e-mail with full-width ＠ and a mobile with +886 and spaces", "聯絡人：[[P|黃品瑄]]，E-mail：[[MAIL|pinhsuan.h＠gmail.com]]，手機[[TEL|+886 921 337 880]]", channel="chat", genre="chat")

C("b2-pd-017", "none", "LINE group export with speaker column; speaker names labelled; nicknames not", """[LINE] 與「仁愛里志工隊」的聊天記錄
2026/11/28（六）
08:12	[[P|謝美華]]	今天送餐名單：[[P|陳阿土]]、[[P|林罔市]]兩位，[[P|陳阿土]]剛[[H|開刀]]要吃軟的
08:15	阿凱	好 我負責送
08:16	[[P|謝美華]]	林阿嬤[[H|糖尿病]]，便當不要甜的""", channel="chat", genre="chat-export")

C("b2-pd-018", "none", "old-format resident ID with dashes for a mainland spouse", "申請人[[P|王曉燕]]（大陸地區人民）統一證號[[RID|AB-05541865]]，申請依親居留延期。", genre="form")

C("b2-pd-019", "none", "old foreigner resident ID female (D) no label", "外籍配偶[[P|Lim Siew Ling]] [[RID|KD97783996]] 已完成新住民課程。", genre="form")

C("b2-pd-020", "none", "health: depression and suicide-risk of a named student, counselor note", """[[P|鄭宇彤]]（高一忠班）本學期多次[[H|自傷]]，經醫院[[H|診斷為重度憂鬱症]]，目前持續追蹤中。已通報學校三級輔導。
輔導老師 [[P|黃詩婷]]""", genre="school")

C("b2-pd-021", "none", "criminal record: 緩起訴 and 觀察勒戒 of a named person in a probation roster", """[[P|潘冠廷]]　[[DOB|78.10.02]]生　施用二級毒品　[[CR|觀察勒戒]]完畢
[[P|蔡孟軒]]　[[DOB|83.01.25]]生　竊盜　[[CR|緩起訴]]處分確定""", genre="roster")

C("b2-pd-022", "none", "landline forms: (037) six digits, 0836 Matsu, 082 Kinmen", """各離島聯絡窗口：
苗栗：[[P|饒志明]] [[TEL|(037)331-905]]
馬祖：[[P|曹雅雯]] [[TEL|0836-22157]]
金門：[[P|許家瑋]] [[TEL|082-325148]]""", genre="roster")

C("b2-pd-023", "none", "ID with a dash inside and a line break inside the ID", """請協助查詢下列人員：
[[P|魏子傑]] [[NID|N195-247128]]
[[P|藍佩君]] [[NID|P27341
2937]]""", genre="form")

C("b2-pd-024", "none", "meeting minutes: names in a ranked attendance list", """出席人員：[[P|洪振東]]處長、[[P|簡淑芬]]副處長、[[P|鄭文彬]]科長、[[P|高雅琳]]專員
列席：法制處[[P|羅立德]]
紀錄：[[P|翁婉如]]""", genre="meeting")

C("b2-pd-025", "none", "hospital discharge note: surgery and chemotherapy for a named patient with 病歷 term", """病患[[P|鄧麗卿]]，[[DOB|民國64年2月9日]]出生，於11/20接受[[H|乳房切除手術]]，預計下月開始[[H|化學治療]]。[[H|病歷]]影本已寄交保險公司。""", genre="health")

C("b2-pd-026", "none", "address forms: 6-digit postal code with space; 23-1號 form", """送達地址：[[ADDR|320015 桃園市中壢區中央西路二段15巷3弄7號之2]]
通訊地址：[[ADDR|雲林縣斗六市府前街25-3號]]""", genre="form")

C("b2-pd-027", "none", "NHI with keyword 健保卡號碼 and no separators", "補發：[[P|孔令傑]]健保卡號碼[[NHI|000023451190]]，舊卡作廢。", genre="form")

C("b2-pd-028", "none", "chat: mention @name: the @ excluded, name labelled", "@[[P|朱俊宏]] 你那邊的報案人電話是[[TEL|0955667320]]嗎？我打不通", channel="chat", genre="chat")

C("b2-pd-029", "none", "mail: DOB as 民國 compact with slashes 075/03/02-like and age", "[[P|薛志豪]]先生，出生日期[[DOB|076/08/19]]，現年39歲，申請中低收入戶。", genre="form")

C("b2-pd-030", "none", "criminal check answer: 查無刑案紀錄 for a named applicant", "經查[[P|尤柏勳]]（[[NID|Q228470355]]）[[CR|查無刑案紀錄]]，符合保全人員任用資格。", genre="police")

C("b2-pd-031", "none", "full 函 from a health bureau about a named TB case, all fields, 正本/副本 with a person", """檔　　號：115/0712.3
保存年限：3年
新北市政府衛生局　函
地址：[[ADDR|220242新北市板橋區英士路192之1號]]
承辦人：[[P|鄒佳琪]]
電話：[[TEL|(02)2257-7155分機1532]]
傳真：[[TEL|(02)2258-1310]]
電子信箱：[[MAIL|aj3417@ntpc.gov.tw]]

受文者：[[P|Ramos Joel Bautista]]先生
發文日期：中華民國115年11月27日
發文字號：[[DOC|新北衛疾字第1152298415號]]
速別：速件
密等及解密條件或保密期限：
附件：就醫通知單

主旨：臺端經[[H|診斷為肺結核]]，請依傳染病防治法規定按時接受[[H|都治治療]]，請查照。
說明：
一、依據亞東醫院115年11月20日通報辦理。
二、臺端居留證號[[RID|F988384250]]，雇主為[[P|許明杰]]（[[TEL|0922-118-467]]）。
辦法：請於12月4日前至本局指定醫院回診，逾期將依法處分。
正本：[[P|Ramos Joel Bautista]]先生
副本：亞東紀念醫院、雇主[[P|許明杰]]""", genre="han")

C("b2-pd-032", "none", "forwarded mail chain with quoted headers, names and e-mails in From/To", """---------- Forwarded message ---------
From: [[P|賴怡伶]] <[[MAIL|yilin.lai@mail.moe.gov.tw]]>
Date: 2026年11月30日 下午3:02
Subject: 補助申請
To: [[P|侯建宇]] <[[MAIL|chienyu@tc.edu.tw]]>

[[P|侯建宇]]老師您好，貴校[[P|王柏森]]同學（身分證[[NID|A292101804]]）之清寒獎學金已核定，請通知家長。""", subject="Fwd: 補助申請", genre="forward")

C("b2-pd-033", "none", "press release naming award winners (living persons) and a historical figure (not labelled)", """新聞稿｜本市第十屆孝行楷模表揚
本屆獲獎者包括長期照顧[[H|中風]]母親的[[P|林志成]]先生，以及照顧[[H|身心障礙]]兄長二十年的[[P|歐陽淑芬]]女士。市長表示，孝道自古即有，如孔子所言「父母在，不遠遊」。""", genre="press")

C("b2-pd-034", "none", "戶政 chat: 遷入 with address Chinese numerals, DOB bracket after name", "[[P|凌浩宇]]（[[DOB|74.06.30]]）今天辦遷入，新址[[ADDR|臺南市北區成功路二段一百零五號七樓之三]]，戶長是他爸[[P|凌國禎]]", channel="chat", genre="chat")

C("b2-pd-035", "none", "excel paste with wrapped lines: 緊急聯絡人 and phones", """姓名	關係	緊急聯絡人	電話
[[P|林佳蓉]]	母	[[P|林陳秀琴]]	[[TEL|0912-
558-203]]
[[P|黃晟睿]]	配偶	[[P|Chen Mei-Ling]]	[[TEL|07-3361221]]""", genre="roster")

C("b2-pd-036", "none", "court mediation notice with 案號 docket (not labelled) and party addresses", """臺灣新竹地方法院民事庭調解通知
案號：115年度竹調字第1287號
聲請人：[[P|黃建智]]　住：[[ADDR|新竹市東區食品路二三三號五樓]]
相對人：[[P|江宛蓉]]　住：[[ADDR|新竹縣竹北市光明六路東一段18號之6]]
調解期日：115年12月17日下午2時30分""", genre="court")

C("b2-pd-037", "none", "police chat about missing elderly with dementia, clothes described", "協尋：[[P|古金水]]阿公 82歲 有[[H|失智]] 今早從[[ADDR|苗栗縣頭份市中正路67號]]走失 穿藍色外套 看到請撥[[TEL|037-663015]]", channel="chat", genre="chat")

C("b2-pd-038", "none", "social worker visit record with 身心障礙證明, 障別 content, and family", """訪視紀錄
案主：[[P|許秀鑾]]，領有[[H|身心障礙證明]]（障別：[[H|聽覺障礙]]，中度）
同住：長子[[P|許文龍]]（待業）
經濟：低收入戶第二款
訪視員：[[P|洪婉甄]]""", genre="welfare")

C("b2-pd-039", "none", "school roster with 出生日期 header and AD dash dates", """三年二班緊急聯絡冊
座號	姓名	出生日期	家長手機
01	[[P|丁紹軒]]	[[DOB|2015-03-09]]	[[TEL|0912003418]]
02	[[P|卓語晨]]	[[DOB|2015-07-22]]	[[TEL|0975-661-290]]
03	[[P|Wang Yu-An]]	[[DOB|2015-11-30]]	[[TEL|0935 772 106]]""", genre="roster")

C("b2-pd-040", "none", "criminal: 職權不起訴 and 前科 in a prosecutor's internal note about a named person", "被告[[P|沈冠宇]]無[[CR|前科]]，犯後坦承並與被害人和解，擬予[[CR|職權不起訴]]處分。", genre="court")

C("b2-pd-041", "none", "mixed-width ID with label and hyphen groups", "身分證統一編號：[[NID|Ｃ１２９－２３１－１４４]]，申請人[[P|翟念慈]]", genre="form")

C("b2-pd-042", "none", "HR mail: sick leave with condition of a named staff member", """主管好：
[[P|卓冠宇]]因[[H|椎間盤突出]]需於12/7[[H|住院]][[H|手術]]，預計請假兩週，職務代理人為[[P|陳品妤]]。
人事室 [[P|于懷安]]""", subject="請假通知：[[P|卓冠宇]]（12/7起）", genre="sick")

C("b2-pd-043", "none", "credit cards: Amex 15 digits with dashes and Mastercard glued", """訂房保證：
[[P|彭大維]]　卡號[[CARD|3738-944489-01046]]
[[P|鍾欣怡]]　卡號[[CARD|5327665062207092]]""", genre="form")

C("b2-pd-044", "none", "address with 室 as last unit and 鄰/里", "公所通知：[[P|黃麗雪]]女士現居[[ADDR|臺北市信義區興隆里3鄰松仁路100號20樓2011室]]，里幹事將於下週訪視。", genre="welfare")

C("b2-pd-045", "none", "chat: mobile without dashes after name, emoji, typo", "學長 [[P|謝承恩]]的電話是[[TEL|0911223467]]喔～他說晚點回你😊 他今天[[H|頭痛]]先回家了", channel="chat", genre="chat")

C("b2-pd-046", "none", "household registration form with 出生 keyword and ROC slashes on same line; another date on the next line not labelled", """姓名：[[P|歐陽靜宜]]
出生：[[DOB|80/02/14]]
申請日期：115/11/30""", genre="form")

C("b2-pd-047", "none", "police record: 假釋 and 判決確定 phrase in one note", "[[P|簡志強]]前經[[CR|判決確定]]服刑，於113年[[CR|假釋]]，目前住[[ADDR|屏東縣潮州鎮光春路27號]]，手機[[TEL|0968-334-115]]。", genre="police")

C("b2-pd-048", "none", "e-mail list with corporate and gov addresses", "請將成果報告寄至[[MAIL|report2026@tycg.gov.tw]]，副本給[[P|周韻如]]（[[MAIL|yunju.chou@outlook.com]]）。", genre="notice")

C("b2-pd-049", "none", "medical: 重大傷病 + 癌症 stage of a named person with NHI", "[[P|嚴金龍]]健保卡號[[NHI|0000 8812 3305]]，領有[[H|重大傷病]]卡（[[H|大腸癌第三期]]）。", genre="health")

C("b2-pd-050", "none", "chat: two-character compound surname alone (張簡) not labelled; full compound name labelled", "張簡那邊說下午才能到，[[P|張簡振宏]]課長也會一起來開會", channel="chat", genre="chat")

C("b2-pd-051", "none", "indigenous romanised name and Chinese name in a welfare list", """部落長者送餐名單：
[[P|Lifok Dongi]]（[[P|林玉花]]）[[ADDR|花蓮縣光復鄉大馬村中山路三段45號]]
[[P|Sawmah Tali]]　[[TEL|03-8701562]]""", genre="welfare")

C("b2-pd-052", "none", "resident ID new format with label in a visa note", "聘僱外國專業人員[[P|KIM SEO-YEON]]，居留證統一證號[[RID|A895796772]]，合約至116年12月。", genre="form")

C("b2-pd-053", "none", "court: 判處…確定 phrase with months, named", "被告[[P|羅志成]]因酒後駕車，經本院[[CR|判處有期徒刑4月確定]]，得易科罰金。", genre="court")

C("b2-pd-054", "none", "health: named person with 失眠 and 焦慮症 in an EAP mail", """[[P|鄭羽彤]]您好：
您上次在員工協助方案中提到長期[[H|失眠]]，醫師評估為[[H|焦慮症]]，建議您可多利用本處諮商資源。
EAP專線：[[TEL|02-2389-6611#205]]""", genre="health")

C("b2-pd-055", "none", "national ID lowercase letter in a chat paste", "他身分證是[[NID|u119189585]] 小寫是我打錯的 系統會不會不吃？", channel="chat", genre="chat")

C("b2-pd-056", "none", "birth date with 民國 and full-width digits, 出生日期 label", "出生日期：[[DOB|民國９２年１０月３日]]　姓名：[[P|賀子晴]]", genre="form")

C("b2-pd-057", "none", "signature block with rank after name and 分機 extension glued to landline", """承辦人：[[P|甘志偉]]上尉
連絡電話：[[TEL|02-2311-7001轉5523]]
軍線：996-5523""", genre="signature")

C("b2-pd-058", "none", "meeting minutes: instruction verb phrase '調…為' with names", "人事異動：調[[P|洪雅婷]]為秘書室專員，[[P|吳俊霖]]接任研考科科長，均自12月16日生效。", genre="meeting")

C("b2-pd-059", "none", "national ID with space before check digit and a valid resident ID in one line", "受理人：[[P|章宜萱]] [[NID|V23515791 5]]；同住外籍配偶[[P|Ngo Thi Bich]] [[RID|N803522590]]", genre="form")

C("b2-pd-060", "none", "prisoner transfer note: 受刑人 and 前科 of named people", "本監[[CR|受刑人]][[P|丘仁傑]]（[[CR|竊盜前科]]4犯）及[[P|黎俊男]]預定12/9移監至臺東。", genre="court")

# =================================================================================================
# D. Hard negatives (nothing or little to find)
# =================================================================================================
C("b2-neg-001", "none", "masked ID, masked name, masked phone", "經查申請人王○明（身分證A12****789，電話0912-***-678）資料已更正，如有疑問請洽承辦單位。", genre="hard-negative")

C("b2-neg-002", "none", "ID with a wrong check digit, with label (unlabelled); the name is labelled", "身分證字號：F213250728　申請人：[[P|梁書豪]]（系統顯示檢查碼錯誤，請重新確認）", genre="hard-negative")

C("b2-neg-003", "none", "bare 10-digit 收文號 and a cited 字號 followed by 函 (not labelled)", "依據本府115年3月2日府授人字第1150051234號函辦理，本案收文號1150045210，請於公文系統簽收。", genre="hard-negative")

C("b2-neg-004", "none", "e-invoice number whose letters+digits pass the old resident-ID checksum", "採購核銷：發票號碼NC-22227492，金額新臺幣12,600元，廠商統一編號04595257。", genre="hard-negative")

C("b2-neg-005", "none", "disease statistics, nobody named", "本縣今年1至11月流感併發重症42例、死亡6例；腸病毒重症3例。請民眾勤洗手，出現發燒、咳嗽症狀應儘速就醫。", genre="health-stats")

C("b2-neg-006", "none", "surname characters inside words: 陳述、林業、黃金、張貼、王道", "請於公告張貼後十日內陳述意見。林業試驗所將於黃金週末開放參觀，以王道精神服務民眾。", genre="hard-negative")

C("b2-neg-007", "none", "historical figures in a school notice", "本週國文課介紹諸葛亮〈出師表〉，歷史課介紹鄭成功來臺及孫中山革命事蹟。", genre="school")

C("b2-neg-008", "none", "hotlines and toll-free numbers only", "如需協助：市民熱線1999、反詐騙165、保護專線113、安心專線1925、客服0800-080-123、0809-090-111。", genre="hard-negative")

C("b2-neg-009", "none", "allow-listed textbook ID A123456789 in a form sample", """填寫範例：
姓名：王大明（範例）
身分證統一編號：A123456789
※以上為範例，請勿照抄。""", genre="hard-negative")

C("b2-neg-010", "none", "valid IDs glued to extra letters/digits (unlabelled)", "設備序號XF179896769及批號G1734897341-B，請於驗收單上登載。", genre="hard-negative")

C("b2-neg-011", "none", "masked landline and masked card, last four only", "您的信用卡4909-****-****-4729已扣款成功；客服電話02-2***-5678。卡號末四碼：4729", genre="hard-negative")

C("b2-neg-012", "none", "Luhn-failing card-like number on an order", "訂單編號：4909720247364728，請於三日內付款。", genre="hard-negative")

C("b2-neg-013", "none", "company names and valid UBNs (never labelled)", "得標廠商：大同資訊股份有限公司（統一編號：22099131）、協力廠商：林氏營造有限公司（統一編號：10000004）。", genre="hard-negative")

C("b2-neg-014", "none", "12-digit parcel number without a 健保 keyword; 9-digit receipt number without 護照 keyword", "包裹追蹤碼：600123456789，收據號碼：351276049。", genre="hard-negative")

C("b2-neg-015", "none", "account-like digits without an account keyword", "案件編號0041004458871已結案，請至系統查詢處理結果。", genre="hard-negative")

C("b2-neg-016", "none", "extension alone and road/district without house number", "請洽分機2231，或至臺北市中正區中山南路一段服務台洽詢。", genre="hard-negative")

C("b2-neg-017", "none", "dates that are not birth dates: 生日假, 契約期間, 生效", "員工生日假得於生日當月任一日請休；契約期間115/01/01至115/12/31；本要點自116年1月1日生效。", genre="hard-negative")

C("b2-neg-018", "none", "masked names ○○○, 張*華, 黃xx, 李Ｏ華", "得獎名單：○○○、張*華、黃xx、李Ｏ華（依個資法遮蔽）", genre="hard-negative")

C("b2-neg-019", "none", "surname + title only, A君, 王姓男子", "陳先生來電詢問，A君已到場說明，王姓男子則未出席。", genre="hard-negative")

C("b2-neg-020", "none", "health words with nobody identifiable: building works, 衛教", "本院住院大樓B棟將於12月整修，急診動線調整。衛教專欄：糖尿病患者應定期檢查眼底。", genre="health-stats")

C("b2-neg-021", "none", "criminal words about no one in particular", "本月查緝通緝犯專案成效良好；民眾請小心前科累累的詐騙集團，勿提供帳戶。", genre="hard-negative")

C("b2-neg-022", "none", "indictment, 羈押, not-final and acquittal are not criminal records; the name is labelled", "被告[[P|尹國強]]經檢察官提起公訴並聲請羈押，一審判決尚未確定；共同被告則經判決無罪確定。", genre="court")

C("b2-neg-023", "none", "certificate names with nobody named", "申請保全人員須檢附警察刑事紀錄證明及診斷證明書各1份。", genre="hard-negative")

C("b2-neg-024", "none", "ICD-like code in non-medical text", "本批路燈控制器機型代碼E10.9，韌體版本F32.1，請於月底前更新。", genre="hard-negative")

C("b2-neg-025", "none", "email-like build strings, not addresses", "部署版本：build@v3.2.1，映像檔 registry@sha256:ab12。", genre="hard-negative")

C("b2-neg-026", "none", "court docket numbers are not 發文字號", "本案（115年度訴字第1432號）定於12月10日宣判，相關案件115年度偵字第20871號併案審理。", genre="hard-negative")

C("b2-neg-027", "none", "ID mistyped in chat: checksum fails", "喔剛剛打錯 是E19142898 7 不是我貼的那個", channel="chat", genre="hard-negative")

C("b2-neg-028", "none", "law and agency names containing 身心障礙 with no person", "依身心障礙者權益保障法第50條，本府社會局身心障礙福利科將辦理輔具補助說明會。", genre="hard-negative")

C("b2-neg-029", "none", "statistics about inmates and parole, no one named", "本監115年假釋核准率為34.2%，受刑人總數1,284人，較去年減少3%。", genre="hard-negative")

C("b2-neg-030", "none", "school's own UBN and school name", "收據抬頭：新北市立板橋高級中學，統一編號：45670129，請於備註欄填寫活動名稱。", genre="hard-negative")

C("b2-neg-031", "none", "place names with surname characters: 王功漁港, 林口, 陳厝寮", "自行車路線：王功漁港→林口→陳厝寮，全程42公里，請攜帶飲水。", genre="hard-negative")

C("b2-neg-032", "none", "license plates and an IP address only", "違規車輛：BKR-3215、AB-1234；系統IP 10.20.31.7，請勿外連。", genre="hard-negative")

C("b2-neg-033", "none", "product serial that looks like an ID but has letters in the middle", "印表機S/N：A1B2345678，保固至117年。", genre="hard-negative")

C("b2-neg-034", "none", "population numbers", "本市115年11月底人口數2,734,512人，較上月增加1,203人，出生數1,046人、死亡數1,512人。", genre="hard-negative")

C("b2-neg-035", "none", "birthday party event, not a birth date", "12/18（五）下午3點舉辦11、12月慶生會，壽星請到4樓會議室領蛋糕🎂", channel="chat", genre="hard-negative")

C("b2-neg-036", "none", "resident-ID-shaped string with wrong checksum", "居留證號：FD84967789（查無此號，請當事人重新提供）", genre="hard-negative")

C("b2-neg-037", "none", "護照 keyword with amounts only, no number", "護照規費每本新臺幣1,300元，急件每本加收900元，本月受理12,345件。", genre="hard-negative")

C("b2-neg-038", "none", "phone-shaped prefix of a longer number", "交易序號 0912345678901234 已完成。", genre="hard-negative")

C("b2-neg-039", "none", "original-document number in a change notice (not labelled)", "原文件發文字號：中市警刑字第1080012345號；原文件日期：108年1月15日。", genre="hard-negative")

C("b2-neg-040", "none", "agency names and company names only", "本案由內政部移民署、勞動部勞動力發展署及中華電信股份有限公司共同辦理。", genre="hard-negative")

C("b2-neg-041", "none", "ID-like code in an exam admission ticket with masking", "准考證號碼：11503-0421；身分證末四碼：6789", genre="hard-negative")

C("b2-neg-042", "none", "chat: given names and nicknames only", "柏宇跟阿凱今天都請假，志明說他下午才會到", channel="chat", genre="hard-negative")

C("b2-neg-043", "none", "1950 and 1957 hotlines", "消費者服務專線1950、福利諮詢專線1957，均免付費。", genre="hard-negative")

C("b2-neg-044", "none", "bank code and branch only, no account", "匯款銀行：臺灣銀行（004）南投分行，代號0040556。", genre="hard-negative")

C("b2-neg-045", "none", "NHI word near a 12-digit number that is a batch code (no card)", "健保署本批醫療費用申報批號已收訖，謝謝。", genre="hard-negative")

C("b2-neg-046", "none", "amounts and dates in an Excel paste", """月份	件數	金額
115/09	128	1,245,300
115/10	141	1,388,900
115/11	133	1,302,450""", genre="hard-negative")

C("b2-neg-047", "none", "postal code and district only", "寄送地址請寫到區即可：100 臺北市中正區（詳細地址另行提供）。", genre="hard-negative")

C("b2-neg-048", "none", "a 110/119 emergency reminder", "遇到火災請撥119，治安事件撥110，勿在群組喊人。", channel="chat", genre="hard-negative")

C("b2-neg-049", "none", "title-only references 里長, 科長 without names", "里長說明天會來，科長交代請先準備簽到表。", channel="chat", genre="hard-negative")

C("b2-neg-050", "none", "old-format resident-ID-shaped invoice number on a receipt (passes the checksum, not labelled)", "電子發票號碼：FA-33925132，隨機碼 4821。", genre="hard-negative")

# =================================================================================================
# E. Longer mixed situations
# =================================================================================================
C("b2-mix-001", "none", "LINE export: a case report posted to the wrong group then retracted (the bulletin's risk), no marking", """[LINE] 與「113年同學會🎉」的聊天記錄
2026/11/26（四）
21:40	[[P|蔡欣妤]]	個案[[P|邱振宇]] [[NID|H186759639]] 住[[ADDR|桃園市八德區介壽路二段618巷11號]] 父親[[P|邱文賢]]酒駕[[H|受傷]][[H|住院]] 家裡沒人照顧 明早要安置
21:41	[[P|蔡欣妤]]	啊啊啊傳錯群組了 大家當沒看到😭😭
21:41	[[P|鄭伊婷]]	已讀不回比較好😂
21:43	[[P|蔡欣妤]]	已收回 但你們應該都看到了 拜託不要截圖""", channel="chat", genre="chat-export")

C("b2-mix-002", "none", "long police 函 with 密等 普通 and a suspect table (IDs, DOB column, 前科)", """臺中市政府警察局第一分局　函
地址：[[ADDR|40341臺中市西區民權路588號]]
承辦人：偵查佐[[P|賴冠霖]]
電話：[[TEL|04-22295000轉2311]]
電子信箱：[[MAIL|laigl@taichung.gov.tw]]
受文者：臺灣臺中地方檢察署
發文日期：中華民國115年11月30日
發文字號：[[DOC|中市警一分偵字第1150058832號]]
速別：普通件
密等及解密條件或保密期限：普通
附件：嫌疑人名冊、扣押物品清單
主旨：函送[[P|黃志宏]]等3人涉嫌詐欺案，請鑒核。
說明：
一、依據本分局115年11月2日受理被害人[[P|鄧美珠]]報案辦理。
二、嫌疑人名冊如下：
姓名	身分證統一編號	出生日期	備註
[[P|黃志宏]]	[[NID|E257481827]]	[[DOB|70/04/12]]	[[CR|詐欺前科]]
[[P|孫子翔]]	[[NID|O218740788]]	[[DOB|84/09/30]]	無
[[P|Tran Quoc Bao]]	[[RID|BA61672133]]	[[DOB|1990/01/05]]	[[CR|通緝]]中
三、被害人匯款帳戶：第一銀行帳號[[ACCT|20168123456]]。
正本：臺灣臺中地方檢察署
副本：本分局偵查隊（含附件）""", genre="han")

C("b2-mix-003", "restricted", "個案研討 minutes of a health bureau, names with conditions, 限機關內部使用 at the bottom", """115年第6次精神病人社區關懷個案研討紀錄
時間：115年11月24日　主席：[[P|姚宗賢]]科長　紀錄：[[P|卓怡君]]
一、個案[[P|王志遠]]（[[DOB|65.02.03]]）：[[H|思覺失調症]]，近兩月家訪未遇，建議強制[[H|住院]]評估。
二、個案[[P|林秀英]]：[[H|雙極性情感疾患]]，家屬反映夜間[[H|失眠]]。
三、個案[[P|Tsai Wen-Hsiung]]：已穩定，結案。
限機關內部使用""", genre="meeting")

C("b2-mix-004", "none", "delegation passports list in a chat", """明天出國的護照號碼幫大家再核對一次🙏
[[P|侯柏均]] 護照號碼 [[PP|312845067]]
[[P|歐佳穎]] 護照號碼 [[PP|306119827]]
[[P|范姜立群]] 護照號碼 [[PP|355902184]]
有錯的跟我說""", channel="chat", genre="chat")

C("b2-mix-005", "none", "household registration chat with full-width phone digits", "[[P|沈玉蘭]]阿姨說她家電話改成［[[TEL|０４－２７２３－５５６１]]］，地址一樣在[[ADDR|臺中市豐原區中正路３２１號]]", channel="chat", genre="chat")

C("b2-mix-006", "none", "reply mail quoting an earlier mail with > lines that contain PII, plus signature", """好的，收到。
[[P|古佩珊]]

> [[P|蔣承翰]] 於 2026/11/30 10:12 寫道：
> 申請人[[P|戴美娟]]，手機[[TEL|0921-443-080]]，
> 地址[[ADDR|基隆市仁愛區愛三路二十一號五樓]]，請協助補件通知。""", subject="Re: 補件通知（申請人[[P|戴美娟]]）", genre="reply-quote")

C("b2-mix-007", "none", "school accident report: fracture, ambulance, parents' phones", """校園意外事件通報
學生：[[P|鄧承恩]]（五年三班）
事發：115/12/01 10:20 下課時間於溜滑梯跌落
傷勢：[[H|右腳踝骨折]]，已由救護車送[[ADDR|臺北市中正區常德街1號]]（臺大醫院）[[H|急診]]
家長：父[[P|鄧國豪]] [[TEL|0919-226-471]]、母[[P|阮氏秋]] [[TEL|0972 118 305]]
通報人：衛生組長[[P|楊曉菁]]""", genre="school")

C("b2-mix-008", "none", "refund list: account with glued bank code, account with inner dashes, post office 局號+帳號", """退款名單
1. [[P|卓明宏]]　中國信託　[[ACCT|822-901540123456]]
2. [[P|馮雅芬]]　帳號：[[ACCT|0123-456-789012]]（臺灣銀行）
3. [[P|唐振邦]]　郵局局號[[ACCT|0081234 帳號：0567123]]""", genre="form")

C("b2-mix-009", "restricted", "chat group header 本群組訊息請勿外流 then a 列管 list with names", """⚠️本群組訊息請勿外流⚠️
本週列管治安顧慮人口訪查：
[[P|陳耀坤]] [[ADDR|彰化縣員林市中山路一段99號]]
[[P|許志明]] [[ADDR|彰化縣溪湖鎮員鹿路三段12巷5號]]
訪查完回報""", channel="chat", genre="chat-marked")

C("b2-mix-010", "official_secret", "bottom 密 stamp under a list of HIV cases (health bureau)", """115年11月新通報個案追蹤
[[P|吳秉叡]]　[[DOB|1998-06-17]]生　[[H|HIV感染]]，已轉介[[H|藥物治療]]
[[P|Kim Min-seo]]　[[H|梅毒]]，追蹤中
承辦：[[P|施品妤]]
密""", genre="stamp")

C("b2-mix-011", "none", "citizen complaint in chat with a credit card number typed with spaces", "你們網站繳停車費一直失敗 我卡號[[CARD|4382 3166 4107 3861]] 被扣兩次款 我是[[P|簡俊毅]] 電話[[TEL|0988-120-374]]", channel="chat", genre="chat")

C("b2-mix-012", "none", "公示送達 public notice naming a person and address (public, still personal data)", """臺北市政府　公告
發文字號：[[DOC|府授財稅字第1153012458號]]
主旨：公示送達[[P|曾美華]]君（身分證統一編號[[NID|S213615853]]）114年度房屋稅繳款書。
依據：行政程序法第78條。
公告事項：應受送達人原址[[ADDR|臺北市萬華區西園路二段二百六十一巷十二弄三號]]查無此人。""", genre="gonggao")

C("b2-mix-013", "none", "開會通知單 with 密等 普通 and attendees with phones", """臺南市政府　開會通知單
受文者：如出席者
發文日期：中華民國115年12月2日
發文字號：[[DOC|府社助字第1151598230號]]
速別：速件
密等及解密條件或保密期限：普通
開會事由：研商115年度寒冬送暖物資發放事宜
開會時間：115年12月9日（三）上午9時30分
開會地點：永華市政中心10樓東側第一會議室
主持人：[[P|黃啟明]]副秘書長
聯絡人及電話：[[P|林郁婷]]　[[TEL|06-2991111分機8231]]
出席者：本府社會局、民政局、各區公所""", genre="meeting")

C("b2-mix-014", "none", "attachment said to be 機密 and sent separately as 密件: a citation, the mail itself is plain", """各位好：
會議紀錄如附。另附件三（機密）另以密件寄送各出席機關，不隨本郵件傳送。
秘書室 [[P|郭曉薇]] [[TEL|(02)2351-1711#520]]""", subject="115年第3次跨局處會議紀錄", genre="reply-quote")

C("b2-mix-015", "secret", "LINE chat carrying a photographed 函 as OCR text with 極機密 field", """（照片文字辨識）
密等及解密條件或保密期限：極機密（本件至130年12月31日解密）
主旨：核定本局116年度重要據點防護部署
[[P|謝志遠]]：這張先不要轉出去喔""", channel="chat", genre="chat-marked")

C("b2-mix-016", "confidential", "OCR'd scan: 機 密 header with page counter noise", """機　密　　　　　　　　　　　　　　　　　－1－
關鍵基礎設施防護計畫（水資源領域）
一、本計畫由水利署[[P|鍾文華]]組長督導
機　密""", genre="stamp")

C("b2-mix-017", "none", "NHI card replacement list with dashes and spaces under 健保卡號 header", """健保卡補發名冊
姓名	健保卡號
[[P|蔡秀琴]]	[[NHI|0000 3310 4582]]
[[P|梁志偉]]	[[NHI|0000-5127-0893]]""", genre="roster")

C("b2-mix-018", "none", "court judgment summary: 判決確定 of a named defendant plus a co-defendant acquitted (no label)", """本院115年度易字第512號被告[[P|宋致遠]]竊盜案，[[CR|判處拘役50日確定]]，應移送執行；另被告[[P|陸冠霖]]部分，判決無罪確定。""", genre="court")

# =================================================================================================
# F. More chat messages
# =================================================================================================
C("b2-chat-001", "none", "chat: the allow-listed sample ID in lower case, asked as a test", "測試一下 a123456789 這種範例號碼系統會擋嗎？還是只擋真的", channel="chat", genre="hard-negative")

C("b2-chat-002", "confidential", "chat: 機密‼️ as its own first line (a stamp), then a plan", """機密‼️
明晚22:00擴大臨檢 集合點[[ADDR|高雄市鳳山區光復路二段132號之1五樓]]（分局）
帶隊[[P|莊志銘]]分隊長""", channel="chat", genre="chat-marked")

C("b2-chat-003", "none", "chat: court bailiff, DOB with short ROC slashes after 生日, typo'd shorthand", "法警室：明天提訊[[P|許嘉宏]] 生日[[DOB|76/3/5]] 收押在台北看守所 麻煩準備戒具 thx", channel="chat", genre="chat")

C("b2-chat-004", "none", "chat: +886 landline with area code and dashes", "我們這邊的總機是[[TEL|+886-7-740-1234]]，找[[P|林孟潔]]就可以", channel="chat", genre="chat")

C("b2-chat-005", "none", "chat: health bureau: named dengue case with address", "新個案 [[P|何俊賢]] [[H|登革熱]] 住[[ADDR|臺南市東區崇學路一百二十號]] 明天早上去做孳清 誰有空", channel="chat", genre="chat")

C("b2-chat-006", "restricted", "chat: 內部參考 勿外傳 banner on a list of complainants", """⚠️內部參考 勿外傳⚠️
今天1999轉來的陳情人：
[[P|戴文忠]] [[TEL|0920-118-337]]（噪音）
[[P|簡秀枝]] [[TEL|06-2953318]]（路燈）""", channel="chat", genre="chat-marked")

C("b2-chat-007", "none", "chat: a voice-to-text address with Chinese numerals and 之 after 樓", "阿嬤住在[[ADDR|新北市永和區中正路三百二十一巷五號四樓之一]]，電話[[TEL|02-29251234]]，她兒子叫[[P|陳建宏]]", channel="chat", genre="chat")

C("b2-chat-008", "none", "chat: 通緝 of a named person, rank-after-name and 165 mention", "剛剛165轉來的車手[[P|吳冠霆]]是[[CR|通緝]]的，[[P|蘇文德]]巡佐已經帶回所裡", channel="chat", genre="chat")

# =================================================================================================
# G. Long documents
# =================================================================================================
C("b2-long-001", "official_secret", "long 社會局 函 to a family court, 密等 密 with condition; child, parents, IDs, health and criminal terms; cited 函 number unlabelled", """檔　　號：115/06020301
保存年限：25年
桃園市政府社會局　函
地址：[[ADDR|330206桃園市桃園區縣府路1號7樓]]
承辦人：社工師[[P|游惠雯]]
電話：[[TEL|03-3322101分機6417]]
傳真：[[TEL|03-3319205]]
電子信箱：[[MAIL|10043512@mail.tycg.gov.tw]]

受文者：臺灣桃園地方法院家事法庭
發文日期：中華民國115年11月30日
發文字號：[[DOC|桃社兒字第1150412876號]]
速別：最速件
密等及解密條件或保密期限：密（本件於案件確定後解密）
附件：訪視報告、驗傷診斷書影本各1份

主旨：檢送兒童[[P|葉子睿]]（[[DOB|民國109年4月18日]]生，身分證統一編號[[NID|I187887066]]）緊急安置評估報告，請鈞院准予繼續安置，請查照。
說明：
一、依據兒童及少年福利與權益保障法第57條及鈞院115年11月25日桃院雅家護字第1150028811號函辦理。
二、本案於115年11月22日經幼兒園通報，案童臉部及背部有多處[[H|瘀傷]]，經送[[ADDR|桃園市桃園區中山路1492號]]醫院[[H|急診]][[H|驗傷]]，[[H|診斷為頭皮血腫]]及[[H|左耳鼓膜破裂]]。
三、案父[[P|葉建良]]（[[NID|X185254136]]）有[[CR|毒品前科]]，曾受[[CR|觀察勒戒]]，現無業；案母[[P|Nguyen Thi Lien]]（統一證號[[RID|H885550056]]）表示長期遭案父施暴，目前暫居庇護處所。
四、案童之祖母[[P|葉林金枝]]（[[TEL|0935-208-611]]）有意願擔任親屬寄養，惟其本身[[H|洗腎]]中，照顧能力待評估。
辦法：
一、建請鈞院裁定繼續安置3個月。
二、本局將於安置期間每兩週辦理親子會面，並轉介案父接受[[H|戒癮治療]]。
正本：臺灣桃園地方法院家事法庭
副本：桃園市政府警察局婦幼警察隊、本局兒少保護科""", genre="han")

C("b2-long-002", "restricted", "long forwarded chain: the carried original is marked 【內部資料】; headers with names and mails", """FYI，轉給新聞室參考，請勿再轉出。
[[P|馬文傑]]

-------- 原始郵件 --------
寄件者：[[P|唐婉婷]] <[[MAIL|wanting.tang@mail.ilepb.gov.tw]]>
寄件日期：2026年11月29日 下午6:40
收件者：[[P|馬文傑]] <[[MAIL|wjma@mail.ilepb.gov.tw]]>
主旨：RE: 垃圾車事故回應口徑

文傑：
我把口徑再修一版，主要是第2點改成「駕駛[[P|林德勝]]已停職，靜候調查」，第4點刪掉傷者姓名。

> -------- 原始郵件 --------
> 寄件者：[[P|洪淑惠]] <[[MAIL|shuhui@mail.ilepb.gov.tw]]>
> 主旨：垃圾車事故回應口徑
> 【內部資料】
> 1. 事故時間：115/11/28 07:15，地點宜蘭市復興路二段
> 2. 駕駛停職
> 3. 傷者[[P|游美雲]]（[[DOB|52.08.11]]生）[[H|右腿骨折]]，已[[H|手術]]，[[H|住院]]觀察
> 4. 家屬聯絡人：[[P|游振發]] [[TEL|0910-556-782]]
> 5. 保險理賠由本局與承保公司協調""", subject="Fwd: RE: 垃圾車事故回應口徑", genre="forward")

C("b2-long-003", "none", "long meeting minutes: many names in ranks and a ranked list, hotline, disease stats without names, 機密 and 密切 in prose", """臺中市南屯區115年第4次里長聯繫會報會議紀錄
壹、時間：115年11月27日（星期五）上午9時30分
貳、地點：南屯區公所5樓大禮堂
參、主席：區長[[P|謝明達]]　　　　　　　　　　　　紀錄：[[P|詹佩蓉]]
肆、出席人員：豐樂里[[P|賴清課]]里長、春社里[[P|黃秀鳳]]里長、田心里[[P|廖文進]]里長（請假）、南屯里[[P|林金城]]里長
伍、列席單位：南屯分局、第三清潔隊、衛生所
陸、報告事項：
一、衛生所：本區本年度登革熱病例0例，流感疫苗接種率61.2%，請里長協助宣導65歲以上長者接種。
二、南屯分局：近期詐騙以假投資為大宗，請民眾撥打165查證；獨居長者遭詐案件請與派出所密切聯繫。
三、清潔隊：年底大掃除大型廢棄物收運請撥1999預約。
柒、討論事項：
案由：本區里鄰長名冊是否提供轉交民間團體？
決議：名冊含個人資料，雖非機密文書，仍不得提供予民間團體，如需聯繫請由區公所轉知。
捌、臨時動議：春社里[[P|黃秀鳳]]里長反映文心南路路燈故障，請建設課[[P|鄭博元]]課員（[[TEL|04-23803026]]）會勘。
玖、散會：上午11時5分。""", genre="meeting")

C("b2-long-004", "none", "long LINE export of a police duty group: plates, a masked ID, a valid ID, 密我 shorthand, emoji", """[LINE] 與「南屯所勤務群組👮」的聊天記錄
儲存日期：2026/11/30 08:02

2026/11/29（日）
22:10	[[P|蕭志成]]	大家辛苦了 今晚路檢共攔查47車 酒駕2件
22:11	[[P|蕭志成]]	第一件駕駛[[P|柯建廷]] [[NID|B199185870]] 酒測值0.41 已移送
22:12	[[P|程怡萱]]	第二件的身分證我只抄到B12****870 明天再補
22:15	[[P|蕭志成]]	OK 車號ARX-7732 拖吊保管場在文心南五路
22:30	小胖	明天早班誰可以跟我換 密我🙏
22:31	[[P|程怡萱]]	我可以～ 但我下午要帶我媽去辦事
23:05	[[P|蕭志成]]	收到 早點休息""", channel="chat", genre="chat-export")

# =================================================================================================
# build, check, write
# =================================================================================================
# unlabelled values that must FAIL their checksum (IDs) or Luhn (cards)
MUST_FAIL = ["F213250728", "E191428987", "FD84967789", "4909720247364728", "0912345678901234"]
# unlabelled values that PASS their checksum but are not labelled (glued, e-invoice, allow-listed)
MUST_PASS = ["F179896769", "G173489734", "NC22227492", "FA33925132", "A123456789"]
UBN_VALID = ["10458575", "04595257", "22099131", "10000004", "45670129"]
UBN_INVALID: list[str] = []
ID_TYPES = {"TW_NATIONAL_ID", "TW_RESIDENT_ID"}


def check_span(cid: str, typ: str, val: str) -> None:
    c = canon(val)
    if typ == "TW_NATIONAL_ID":
        if not re.fullmatch(r"[A-Z][12]\d{8}", c) or not tw_id_checksum(val):
            raise ValueError(f"{cid}: national ID {val!r} invalid")
        if c == "A123456789":
            raise ValueError(f"{cid}: allow-listed sample labelled")
    if typ == "TW_RESIDENT_ID":
        if not re.fullmatch(r"[A-Z]([89]\d|[A-D]\d)\d{7}", c) or not tw_id_checksum(val):
            raise ValueError(f"{cid}: resident ID {val!r} invalid")
    if typ == "CREDIT_CARD" and not luhn(val):
        raise ValueError(f"{cid}: card {val!r} fails Luhn")
    if typ == "TW_NHI_NUMBER" and not re.fullmatch(r"\d{12}", c):
        raise ValueError(f"{cid}: NHI {val!r} not 12 digits")
    if typ == "TW_PASSPORT" and not re.fullmatch(r"\d{9}", c):
        raise ValueError(f"{cid}: passport {val!r} not 9 digits")
    if val != val.strip():
        raise ValueError(f"{cid}: span {val!r} has outer whitespace")


def build() -> list[dict]:
    records, seen = [], set()
    for c in CASES:
        if c["id"] in seen:
            raise ValueError(f"duplicate id {c['id']}")
        seen.add(c["id"])
        if c["level"] not in LEVELS or c["channel"] not in ("mail", "chat"):
            raise ValueError(f"{c['id']}: bad level/channel")
        text, ents = strip(c["text"])
        rec = {"id": c["id"], "text": text, "subject": None}
        if c["subject"] is not None:
            subj, sents = strip(c["subject"])
            rec["subject"] = subj
            rec["subject_entities"] = sents
        rec["entities"] = ents
        rec["secrecy_level"] = c["level"]
        rec["channel"] = c["channel"]
        rec["note"] = c["note"]
        rec["genre"] = c["genre"]
        for key, src in (("entities", text), ("subject_entities", rec["subject"] or "")):
            for e in rec.get(key, []):
                check_span(c["id"], e["type"], src[e["start"]:e["end"]])
        records.append(rec)
    for v in MUST_FAIL:
        ok = tw_id_checksum(v) if v[0].isalpha() else luhn(v)
        if ok:
            raise ValueError(f"trap {v} unexpectedly passes")
    for v in MUST_PASS:
        if not tw_id_checksum(v):
            raise ValueError(f"trap {v} should pass its checksum")
    for v in UBN_VALID:
        if not ubn_ok(v):
            raise ValueError(f"UBN {v} should be valid")
    for v in UBN_INVALID:
        if ubn_ok(v):
            raise ValueError(f"UBN {v} should be invalid")
    # self-test of the implementations against taiwan-rules.md examples
    assert tw_id_checksum("A123456789") and not tw_id_checksum("A123456788")
    assert all(tw_id_checksum(x) for x in ("I123456781", "O123456782", "W123456789", "Z123456780"))
    assert tw_id_checksum("F912345678") and tw_id_checksum("A800000014") and not tw_id_checksum("A800000015")
    assert tw_id_checksum("HD12345678") and tw_id_checksum("AC01234567") and not tw_id_checksum("HD12345679")
    assert ubn_ok("04595257") and ubn_ok("10458575") and ubn_ok("19312376") and ubn_ok("10000004")
    assert not ubn_ok("22099132") and not ubn_ok("47217977")
    return records


def main(argv: list[str]) -> int:
    records = build()
    with open(OUT, "w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    if "--show" in argv:
        for rec in records:
            print(f"== {rec['id']} [{rec['secrecy_level']}] {rec['channel']}")
            for key, src in (("subject_entities", rec["subject"] or ""), ("entities", rec["text"])):
                for e in rec.get(key, []):
                    print(f"   {key[:4]} {e['type']:<18} {src[e['start']:e['end']]!r}")
    types = Counter(e["type"] for r in records for k in ("entities", "subject_entities") for e in r.get(k, []))
    print(f"{len(records)} records -> {OUT}")
    print("channels:", dict(Counter(r["channel"] for r in records)))
    print("levels:", dict(sorted(Counter(r["secrecy_level"] for r in records).items())))
    print("types:", dict(sorted(types.items())))
    print("genres:", dict(sorted(Counter(r["genre"] for r in records).items())))
    print("no-entity records:", sum(1 for r in records if not r["entities"] and not r.get("subject_entities")))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
