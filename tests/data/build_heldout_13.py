#!/usr/bin/env python3
"""Build tests/data/heldout_13.jsonl: held-out checks written AFTER the issue-13 fixes.

Written by the issue-13 session once the rules had changed, as the previous session did for
issue 3: new strings in the genres of the issue (never copied from the blind corpus, the pack
examples or the tests), labelled by hand to docs/evaluation.md's conventions *before* the
scanner was run on them. It is a second, weaker yardstick than the blind corpus (its author
knew the code), reported separately.

Markers: ``[[TYPE|value]]`` with the aliases below; the script strips them, computes offsets and
checks every labelled ID and card checksum.

Usage:  python3 tests/data/build_heldout_13.py [--show]
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from dlp.normalize import compact, normalize  # noqa: E402
from dlp.validators import credit_card, tw_national_id, tw_resident_id_new  # noqa: E402

OUT = Path(__file__).with_name("heldout_13.jsonl")
ALIASES = {
    "P": "PERSON", "NID": "TW_NATIONAL_ID", "RID": "TW_RESIDENT_ID", "PP": "TW_PASSPORT",
    "NHI": "TW_NHI_NUMBER", "TEL": "TW_PHONE", "MAIL": "EMAIL_ADDRESS", "CARD": "CREDIT_CARD",
    "ACCT": "TW_BANK_ACCOUNT", "ADDR": "TW_ADDRESS", "DOB": "DATE_OF_BIRTH", "HEALTH": "HEALTH_DATA",
    "CRIME": "CRIMINAL_RECORD", "DOC": "TW_DOCUMENT_NUMBER",
}
MARK = re.compile(r"\[\[([A-Z_]+)\|(.*?)\]\]", re.S)
CASES: list[dict] = []


def case(cid: str, genre: str, level: str, note: str, text: str, subject: str | None = None, channel: str = "mail") -> None:
    CASES.append(dict(id=cid, genre=genre, level=level, note=note, text=text, subject=subject, channel=channel))


def strip(marked: str) -> tuple[str, list[dict]]:
    out, ents, pos, n = [], [], 0, 0
    for m in MARK.finditer(marked):
        chunk = marked[pos:m.start()]
        out.append(chunk)
        n += len(chunk)
        typ = ALIASES.get(m.group(1), m.group(1))
        ents.append({"type": typ, "start": n, "end": n + len(m.group(2))})
        out.append(m.group(2))
        n += len(m.group(2))
        pos = m.end()
    out.append(marked[pos:])
    return "".join(out), ents


# ---------------------------------------------------------------------------------------------- #
# Secrecy: mentions (none)
# ---------------------------------------------------------------------------------------------- #
case("ho-men-01", "reply-quote", "none", "函 reply citing the incoming letter's level in 說明; own field 普通",
     """新北市政府社會局　函
聯絡人：[[P|侯佩君]]
電話：[[TEL|(02)2960-3456分機3811]]
發文字號：[[DOC|新北社助字第1152231845號]]
密等及解密條件或保密期限：普通
主旨：有關貴署函請協查低收入戶名冊一案，復如說明，請查照。
說明：
一、復貴署115年11月3日署授移字第1150098765號函（密等：密）。
二、本局已完成比對，結果另以紙本雙封套寄送。""")
case("ho-men-02", "declass", "none", "declassification 函: 原列密等 and 解除密等 are about another letter",
     """主旨：本府112年6月1日府授警字第1120045678號函，自即日起解除密等，請查照。
說明：旨揭函原列密等：機密，保密期限屆滿前經檢討已無保密必要。
承辦人：[[P|童家瑜]]""")
case("ho-men-03", "legend", "none", "blank classification checklist in a form template",
     """文件資料表（空白表單）
機密等級：□絕對機密　□極機密　□機密　□密　□普通
解密條件：□本件於公布時解密　□本件至　年　月　日解密""")
case("ho-men-04", "training", "none", "政風 quiz listing the levels, one per line with definitions",
     """公務機密測驗第3題
絕對機密：洩漏後足以使國家安全遭受非常重大損害
極機密：洩漏後足以使國家安全遭受重大損害
機密：洩漏後足以使國家安全遭受損害
請問依上述定義，下列何者正確？""")
case("ho-men-05", "inventory", "none", "個資盤點清冊 whose legend lists classification values",
     """個人資料檔案清冊
說明：保護等級欄填列 公開／限機關內部使用／密
編號	檔案名稱	保管單位	保護等級
PD-01	志工服務名冊	社會科	限機關內部使用
PD-02	研習簽到表	人事室	公開""")
case("ho-men-06", "chat", "none", "chat asking what a stamp means", "請問信封上蓋「密」是什麼意思？要另外登記嗎", channel="chat")
case("ho-men-07", "training", "none", "training slide text citing an example field value with 例如",
     "公文密等欄填寫範例：例如「密等及解密條件或保密期限：機密（本件於公布時解密）」，依核定結果填寫。")
case("ho-men-08", "hard-negative", "none", "prose with 機密文書, 保密, 密件封套 mentions",
     "各單位收發之機密文書應登記於機密文書登記簿，密件封套請至文書科領取，並落實保密義務。")
case("ho-men-09", "reply-quote", "none", "書函 restating the incoming level as 來函密等為「極機密」",
     """主旨：貴部來函密等為「極機密」，本會已依規定登記保管，復請查照。
說明：本書函內容不涉機密，以普通件函復。""")
case("ho-men-10", "prc", "none", "quiz about PRC markings, quoted",
     "問：大陸來件標示「机密★」時，是否等同我國極機密？答：兩岸制度不同，仍依我國規定處理。")
case("ho-men-11", "hard-negative", "none", "a level word inside a longer noun on a line of its own",
     "機密文書檔案清查作業說明\n一、清查範圍為本局各單位。")
case("ho-men-12", "training", "none", "FAQ on forwarding; mentions 原始郵件 and Forwarded message but carries nothing",
     """Q：轉寄公文時，「-----原始郵件-----」以下的內容也要檢查嗎？
A：是的，轉寄或以「---------- Forwarded message ---------」帶出的文件若有密等，仍須依規定處理。""")

# ---------------------------------------------------------------------------------------------- #
# Secrecy: markings
# ---------------------------------------------------------------------------------------------- #
case("ho-mark-01", "field", "secret", "own 密等 field with 極機密 and a 保密期限",
     """發文字號：[[DOC|國作聯戰字第1150034567號]]
速別：最速件
密等及解密條件或保密期限：極機密（保密期限：20年）
主旨：檢送演訓計畫1份。""")
case("ho-mark-02", "stamp", "official_secret", "密件 stamp line at the bottom after the signature",
     """以上報告。

督察室　[[P|鄒佩玲]]
密件""")
case("ho-mark-03", "forwarded", "confidential", "forwarded mail carrying a 機密 stamp line under the header",
     """請參閱。

---------- Forwarded message ---------
From: 作戰科 <[[MAIL|ops@mnd.gov.tw]]>
Date: 2026年11月30日
Subject: 演習檢討

機密

一、本次演習缺失如下。""")
case("ho-mark-04", "forwarded", "official_secret", "quoted reply with a 密 field in quoted lines",
     """收到，會依限辦理。

> 發文字號：[[DOC|府授人字第1150012211號]]
> 密等及解密條件或保密期限：密（本件於公布時解密）
> 主旨：檢送考績評議資料。""")
case("ho-mark-05", "chat-marked", "restricted", "chat with an inline internal note closing the sentence",
     "下週要公布的裁撤名單初稿出來了，先給各組長看（內部參考，請勿外流）", channel="chat")
case("ho-mark-06", "telegram", "confidential", "去電 header with 機密 in a pasted telegram",
     """請核閱。

去電　機密（本件至118年12月31日解密）
致：駐日本代表處""")
case("ho-mark-07", "prc", "secret", "PRC 机密★ on a received file's first line", "机密★5年\n关于加强边境管控的通知")
case("ho-mark-08", "subject", "official_secret", "subject prefix 密件 with a colon",
     "組長好，附件是本月檢舉案件彙整，請核閱。", subject="密件：本月檢舉案件彙整")
case("ho-mark-09", "self-class", "confidential", "self-classifying sentence with the approving body in between",
     "說明：一、本作業計畫經本局115年10月1日局務會議核定為機密，保密期限5年。")
case("ho-mark-10", "legend", "official_secret", "checklist with the box for 密 ticked",
     "機密等級：□絕對機密　□極機密　□機密　☑密\n主旨：人事甄審會議紀錄")
case("ho-mark-11", "chat-export", "official_secret", "exported chat where one message starts with 【密件】",
     "2026/12/01（二）\n14:02\t[[P|賴冠霖]]\t【密件】明天稽查名單已寄到信箱\n14:03\t[[P|溫淑娟]]\t收到", channel="chat")
case("ho-mark-12", "stamp", "secret", "header line with page counter and 極機密", "第2頁／共6頁　　　　極機密\n三、部署說明")
case("ho-mark-13", "self-class", "restricted", "self-referencing 限閱 note in chat",
     "以下內容限閱，只給科長：兩家業者稽查結果都不合格", channel="chat")
case("ho-mark-14", "stamp", "restricted", "handout header 草案 僅供內部討論", "草案　僅供內部討論\n○○自治條例修正草案")

# ---------------------------------------------------------------------------------------------- #
# Names with no label, 公文 and police/court genres
# ---------------------------------------------------------------------------------------------- #
case("ho-per-01", "ling", "none", "令 with transfers: titles glued before names, 調…為",
     "一、調本府財政處科員[[P|潘建宏]]為本府財政處股長。\n二、調本府民政處技士[[P|曹怡婷]]為本府民政處技正。")
case("ho-per-02", "police", "none", "police note: ranks before names, suspect with sex and age bracket",
     "巡佐[[P|蔣志豪]]、警員[[P|羅柏翔]]於巡邏時發現[[P|顏子翔]]（男，33歲）形跡可疑，經盤查查獲毒品。")
case("ho-per-03", "qian", "none", "簽 with a ranked list of candidates and scores",
     "二、甄試結果依序為：[[P|葉承翰]]（88分）、[[P|莊雅筑]]（85.5分）、[[P|吳冠廷]]（80分）。")
case("ho-per-04", "signature", "none", "signature line: unit + space + name + extension",
     "如有疑義請洽詢。\n\n主計室　[[P|彭郁婷]]（分機2105）")
case("ho-per-05", "chat", "none", "chat: 找…, …說 around names",
     "剛剛有人打電話找[[P|許振宇]]，我跟他說[[P|許振宇]]今天請假", channel="chat")
case("ho-per-06", "mediation", "none", "court caption with padded role words",
     "原　　告　[[P|郭淑華]]\n被　　告　[[P|廖志偉]]\n上列當事人間損害賠償事件")
case("ho-per-07", "chat-export", "none", "exported history, speakers in a column",
     "2026/11/28（六）\n09:15\t[[P|柯佳玲]]\t今天活動改到下午\n09:16\t[[P|傅俊宏]]\t好的", channel="chat")
case("ho-per-08", "chat", "none", "chat: hint words 通知/叫 and a two-character name",
     "麻煩通知[[P|連思妤]]明天帶資料，另外那個志工叫[[P|王靜]]，她也會來", channel="chat")
case("ho-per-09", "han", "none", "函 with 承辦人 padded label and 局長 signature",
     """臺中市政府環境保護局　函
承辦人　[[P|楊舒涵]]
電話：[[TEL|04-22289111分機66520]]
發文字號：[[DOC|中市環稽字第1150133456號]]
主旨：貴公司違反空氣污染防制法一案，請查照。

局長　[[P|吳盛忠]]""")
case("ho-per-10", "referral", "none", "轉介單 with relatives as role words",
     "個案：[[P|黎子晴]]（女，10歲）\n主要照顧者：案母[[P|范淑芳]]\n案父[[P|黎志誠]]目前失聯")
case("ho-neg-01", "hard-negative", "none", "surname-initial words in prose: 高雄, 林業, 方式, 金額",
     "高雄港區林業展示館將調整開放方式，門票金額另行公告。")
case("ho-neg-02", "hard-negative", "none", "titles alone, masked names, 陳君",
     "科長表示同意，陳君與王○明均已到場，李O華請假。")
case("ho-neg-03", "hard-negative", "none", "a label inside a longer word followed by a verb",
     "承辦人員應依個人資料保護法辦理，申請人應檢附相關證明文件。")
case("ho-neg-04", "hard-negative", "none", "document serials of 民國9x never phones; cited numbers",
     "依據行政院94年3月2日院授人考字第0940061234號函及本府96年5月1日府人字第0960045678號令辦理。")

# ---------------------------------------------------------------------------------------------- #
# Birth dates, health, criminal records
# ---------------------------------------------------------------------------------------------- #
case("ho-dob-01", "birth", "none", "birth date in prose with 生 after a name and sex",
     "申請人[[P|陳柏宇]]，男，[[DOB|民國79年8月15日]]生，住臺南市。")
case("ho-dob-02", "birth", "none", "移送書 with dates in brackets after names",
     "移送對象：[[P|沈冠宇]]（[[DOB|76.04.09]]）、[[P|鍾雅婷]]（[[DOB|82.11.30]]）")
case("ho-dob-03", "birth", "none", "table with 出生 header below the first lines and 7-digit dates",
     """說明：
一、查詢名單如下。
二、名冊：
序號	姓名	身分證字號	出生
1	[[P|簡志明]]	[[NID|G237940265]]	[[DOB|0680704]]
2	[[P|蔡怡君]]	[[NID|Q270106513]]	[[DOB|0751212]]""")
case("ho-dob-04", "birth", "none", "non-birth dates near a birth field: 應診日期, 生效",
     "出生日期：[[DOB|民國70年3月3日]]\n應診日期：115年12月1日\n本辦法自116年1月1日生效")
case("ho-hea-01", "health", "none", "chat: named colleague with fracture and hospital stay",
     "[[P|胡志偉]]昨天打球[[HEALTH|腳踝骨折]]，要[[HEALTH|住院]][[HEALTH|開刀]]，這週請假", channel="chat")
case("ho-hea-02", "health", "none", "case note: depression and self-harm of a named person",
     "當事人[[P|唐佳蓉]]近期[[HEALTH|憂鬱症]]加劇，家屬表示有[[HEALTH|自傷]]行為，已轉介社工。")
case("ho-hea-03", "health", "none", "infectious disease of a named pupil", "本校學生[[P|施宇恩]]經[[HEALTH|腸病毒]]確診，全班停課一週。")
case("ho-hea-04", "sick-leave", "none", "sick-leave request with diagnosis phrase and surgery",
     "[[P|方俊傑]]因[[HEALTH|腎結石]]於12月3日接受[[HEALTH|體外震波碎石]]，[[HEALTH|診斷：輸尿管結石]]，請病假三日。")
case("ho-hea-05", "health", "none", "衛教 text with no person", "流感季節來臨，出現發燒、咳嗽症狀請戴口罩並儘速就醫，高風險族群應接種疫苗。")
case("ho-hea-06", "roster", "none", "disability roster with categories",
     "姓名\t障別\t等級\n[[P|楊國華]]\t[[HEALTH|智能障礙]]\t中度\n[[P|林素卿]]\t[[HEALTH|聽覺障礙]]\t輕度")
case("ho-cri-01", "criminal", "none", "conviction phrase and 前科 of a named person",
     "[[P|許家豪]]曾於113年因詐欺案經法院[[CRIME|判處有期徒刑8月確定]]，另有[[CRIME|竊盜前科]]。")
case("ho-cri-02", "criminal", "none", "indictment only: not a record", "被告[[P|吳志明]]涉犯詐欺罪嫌，經檢察官提起公訴，現由法院審理中。")
case("ho-cri-03", "criminal", "none", "緩起訴 and 觀察勒戒 of a named person",
     "[[P|黃偉倫]]前經[[CRIME|觀察勒戒]]，本次經檢察官為[[CRIME|緩起訴處分]]。")
case("ho-cri-04", "criminal", "none", "generic 通緝犯 campaign, no person", "本分局加強查緝通緝犯，請民眾踴躍提供線索。")

# ---------------------------------------------------------------------------------------------- #
# Evasion and layout
# ---------------------------------------------------------------------------------------------- #
case("ho-eva-01", "evasion", "none", "phone in Chinese digits with dashes",
     "我的電話是[[TEL|〇九三三－六二五－一八七]]，晚上打")
case("ho-eva-02", "evasion", "none", "e-mail spelled with (at) and (dot)", "回覆請寄[[MAIL|pclin(at)yahoo(dot)com]]")
case("ho-eva-03", "evasion", "none", "ID broken by a line break", "身分證字號：[[NID|W11718\n2278]]")
case("ho-eva-04", "evasion", "none", "ID with a Greek look-alike letter", "證號 [[NID|Ν223124329]]")
case("ho-eva-05", "evasion", "none", "card split by dots", "信用卡號[[CARD|4361.1037.1293.8700]]，請協助退款")
case("ho-eva-06", "evasion", "none", "post-office 局號 and 帳號 (one span)", "補助撥入郵局：局號[[ACCT|0311234　帳號0456789]]")
case("ho-eva-07", "evasion", "none", "NHI-shaped window of a 16-digit test number", "測試卡號 5511 2233 4455 6677 → 授權失敗")
case("ho-eva-08", "evasion", "none", "ID with a bidi control inside", "身分證字號：[[NID|J246\u202e872343]]")

# ---------------------------------------------------------------------------------------------- #
# More of everything (written in a second pass, still before any scan of this file)
# ---------------------------------------------------------------------------------------------- #
case("ho-men-13", "hard-negative", "none", "mail disclaimer mentioning 機密資訊",
     """您好，附件為會議資料。

本郵件可能含有機密或個人資料，若您非指定收件人，請立即刪除並通知寄件者。""")
case("ho-men-14", "hard-negative", "none", "news-style sentence about another document's level",
     "國防部表示，外流的文件屬極機密等級，已移送調查。")
case("ho-men-15", "training", "none", "regulation text about handling levels",
     "依機密文書處理規定，極機密及絕對機密文書不得以電子郵件傳送，機密文書應以雙封套寄送。")
case("ho-men-16", "chat", "none", "chat question about whether something is 機密", "這份名單算機密嗎？可以傳到群組嗎", channel="chat")
case("ho-men-17", "field", "none", "own field 普通 and a 密等 column header in an attachment list",
     "密等及解密條件或保密期限：普通\n附件：機密等級變更通知單1份")
case("ho-men-18", "declass", "none", "notice of a level change: 變更為 and 原核定",
     "主旨：本局113年函之機密等級變更為密，請查照。\n說明：旨揭函原核定為機密，經檢討降低等級。")
case("ho-men-19", "legend", "none", "option list of handling notes", "文件標示選項：不限、限閱、限機關內部使用、請勿外流（請擇一勾選）")
case("ho-men-20", "hard-negative", "none", "詐騙宣導 with 密碼 and 保密", "請勿將提款卡密碼告知他人，並妥善保密個人資料。")
case("ho-mark-15", "stamp", "restricted", "限閱 stamp on the first line", "限閱\n本年度陞遷評分表如附件")
case("ho-mark-16", "chat-marked", "secret", "chat message opening with 【極機密】", "【極機密】明早六點集合，行動代號改為B案", channel="chat")
case("ho-mark-17", "subject", "official_secret", "subject suffix （密）", "請各位審閱。", subject="115年度考績初評名冊（密）")
case("ho-mark-18", "forwarded", "top_secret", "original-message block with a 絕對機密 field",
     """請核示。

-----原始郵件-----
寄件者: 機要科
主旨: 計畫

密等及解密條件或保密期限：絕對機密（保密期限：30年）
主旨：檢送專案計畫。""")
case("ho-mark-19", "self-class", "confidential", "本簡報核定為機密", "本簡報業經核定為機密，會後請收回。")
case("ho-per-11", "police", "none", "police incident report with roles and ranks",
     """一、報案人[[P|邵美玲]]（女，52歲）表示其子[[P|邵冠宇]]於昨晚失聯。
二、本所警員[[P|周柏宏]]調閱監視器，發現[[P|邵冠宇]]與友人[[P|蘇俊豪]]搭乘計程車離開。
三、值班主管：巡官　[[P|唐文傑]]""")
case("ho-per-12", "meeting", "none", "開會通知單 with 主持人 and 聯絡人 with title",
     "主持人：[[P|林正雄]]處長\n聯絡人及電話：專員[[P|何佳穎]]　[[TEL|(07)799-5678分機3102]]")
case("ho-per-13", "gonggao", "none", "公告 listing winners in a roster with 、",
     "本年度模範公務人員當選名單：[[P|陳淑惠]]、[[P|劉冠廷]]、[[P|歐陽志遠]]。")
case("ho-per-14", "form", "none", "form with labels and a romanised name next to a resident ID",
     """申請人：[[P|NGUYEN THI HOA]]
居留證號：[[RID|P987002176]]
聯絡電話：[[TEL|0976-123-458]]
住址：[[ADDR|臺中市北屯區崇德路三段88號5樓]]""")
case("ho-per-15", "chat", "none", "chat: 我是 introduction", "你好我是[[P|張育誠]]，想詢問補助申請進度", channel="chat")
case("ho-per-16", "han", "none", "函 body mentioning a named official by title after name",
     "三、本案聯絡窗口為本局[[P|賴秀玲]]科長，電話[[TEL|(049)222-2106分機301]]。")
case("ho-per-17", "shuhan", "none", "書函 with 受處分人 label and address",
     "受處分人：[[P|鄧志明]]\n地址：[[ADDR|苗栗縣竹南鎮光復路120號]]\n違規事實：未依規定申報。")
case("ho-per-18", "hard-negative", "none", "place and organisation names starting with surname characters",
     "林口長庚醫院與金門縣衛生局、高雄榮總合作辦理義診，方案內容如附件。")
case("ho-hea-07", "referral", "none", "referral with diagnosis and disability certificate of a named child",
     "個案[[P|江宥辰]]（男，8歲）[[HEALTH|診斷為自閉症]]，領有[[HEALTH|身心障礙證明]]，由案母[[P|江淑貞]]照顧。")
case("ho-hea-08", "health", "none", "statistics sentence, no person", "本縣肺結核發生率連續三年下降，防治成效良好。")
case("ho-cri-05", "police", "none", "wanted person of a named suspect and an acquittal of another",
     "嫌疑人[[P|柯建志]]為[[CRIME|通緝]]中人犯；另案被告[[P|葉國華]]判決無罪確定。")
case("ho-dob-05", "birth", "none", "Chinese-numeral birth date in prose", "阿嬤[[P|蔡秀英]]是[[DOB|民國二十九年四月十日]]出生的，今年八十五歲")
case("ho-eva-09", "evasion", "none", "phone with +886 and odd grouping", "聯絡我：[[TEL|+886 9 2234 5671]]")
case("ho-eva-10", "evasion", "none", "ID letter and digits in adjacent cells of a sheet row",
     "姓名\t身分證字號\t\t電話\n[[P|魏志豪]]\t[[NID|X\t124210249]]\t[[TEL|0912-888-321]]")
case("ho-eva-11", "evasion", "none", "e-mail with spaces around @", "信箱是 [[MAIL|hsu_min @ gmail.com]]")
case("ho-eva-12", "evasion", "none", "combining underline marks on the digits of an ID", "證號 [[NID|T1\u03329\u03325214562]]")


def build() -> list[dict]:
    records = []
    for c in CASES:
        text, ents = strip(c["text"])
        rec = {"id": c["id"], "text": text, "subject": c["subject"], "entities": ents,
               "secrecy_level": c["level"], "note": c["note"], "channel": c["channel"], "genre": c["genre"]}
        if c["subject"]:
            subj, sents = strip(c["subject"])
            rec["subject"], rec["subject_entities"] = subj, sents
        for e in ents:
            value = compact(normalize(text[e["start"]:e["end"]]).text)
            if e["type"] == "TW_NATIONAL_ID" and not tw_national_id(value):
                raise ValueError(f"{c['id']}: {value} fails the national-ID checksum")
            if e["type"] == "TW_RESIDENT_ID" and not tw_resident_id_new(value):
                raise ValueError(f"{c['id']}: {value} fails the resident-ID checksum")
            if e["type"] == "CREDIT_CARD" and not credit_card(value):
                raise ValueError(f"{c['id']}: {value} fails Luhn")
        records.append(rec)
    return records


def main(argv: list[str]) -> int:
    records = build()
    with open(OUT, "w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    if "--show" in argv:
        for rec in records:
            print(rec["id"], [(e["type"], rec["text"][e["start"]:e["end"]]) for e in rec["entities"]])
    print(f"{len(records)} records -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
