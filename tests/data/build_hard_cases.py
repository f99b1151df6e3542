"""Build tests/data/hard_cases.jsonl from inline markup: [[TYPE|value]] marks a labelled span."""
import json
import re
import sys

sys.path.insert(0, "/work/main")
from dlp.validators import clean, luhn, tw_national_id, tw_resident_id

MARK = re.compile(r"\[\[([A-Z_]+)\|(.*?)\]\]", re.S)
ZW, BOM, ZWJ = "\u200b", "\ufeff", "\u200d"

CASES = [
# --- A. checksum traps in product codes / serials
("trap-code-1", "本批貨品料號A123456788，請倉管確認數量。", "ID-shaped code, wrong checksum"),
("trap-code-2", "設備序號F194580736已報廢，請辦理財產除帳。", "one digit off a valid ID"),
("trap-code-3", "訂單編號：H197220031，出貨日114年3月5日。", "wrong checksum"),
("trap-code-4", "型號K132364052之印表機碳粉已缺貨。", "wrong checksum"),
("trap-code-5", "車輛識別碼TB23574164已登錄於系統。", "old-resident shape, wrong checksum"),
("trap-code-6", "發票號碼：FC-79287753，金額新臺幣3,200元。", "e-invoice number that happens to pass the old resident-ID checksum; 發票 says it is not an ID"),
("trap-code-7", "產品序號F1945807351（11碼）請勿拆封。", "a valid ID followed by another digit: not an ID"),
("trap-code-8", "物流追蹤碼XF194580735已寄出。", "a valid ID preceded by a letter: part of a longer code"),
("trap-code-9", "批號 F19458073 之疫苗已配送。", "9 characters only"),
("trap-code-10", "商品條碼4710088412343，請掃描入庫。", "13-digit barcode, not a card"),
("trap-code-11", "報修單號A8000000141，請於三日內回覆。", "resident shape followed by a digit"),
# --- B. 統一編號 (company numbers are not personal data)
("ubn-1", "廠商統編：22099131（台灣積體電路製造股份有限公司）", "sample UBN"),
("ubn-2", "買受人統一編號04595257，發票金額新臺幣12,600元。", "valid UBN"),
("ubn-3", "請填寫扣繳單位統一編號10458575，以利年度申報。", "valid UBN, 7th digit 7"),
("ubn-4", "賣方統編 10000004，已於112年4月後核發。", "valid only under the 2023 rule"),
("ubn-5", "統編22099132有誤，請廠商再確認。", "invalid UBN"),
("ubn-6", "本校統一編號：19312376，請開立收據。", "an agency's or school's UBN"),
# --- C. dates that are not birth dates, and birth dates in odd forms
("date-1", "發文日期：中華民國114年5月20日", "letter date"),
("date-2", "會議日期：114/06/03（星期二）下午2時。", "meeting date"),
("date-3", "本案於1986年3月2日立案，迄今尚未結案。", "case date"),
("date-4", "契約期間：113.01.01至113.12.31", "contract period"),
("date-5", "他的生日派對在下週六舉行，大家記得準時。", "birth keyword, no date"),
("date-6", "員工生日禮金於每年9月1日統一發放。", "birth keyword next to a date that is not a birth date"),
("date-7", "申請人[[PERSON|陳建宏]]，出生年月日：[[DATE_OF_BIRTH|民國七十五年三月二日]]。", "Chinese-numeral birth date"),
("date-8", "姓名：[[PERSON|林雅婷]]　生日：[[DATE_OF_BIRTH|75.03.02]]", "two-digit ROC year"),
("date-9", "出生日期：[[DATE_OF_BIRTH|１９８６／０３／０２]]", "full-width digits and slashes"),
("date-10", "出生日期：[[DATE_OF_BIRTH|0750302]]（民國年月日七碼）", "compact 7-digit ROC date"),
# --- D. hotlines and short codes
("hotline-1", "如遇緊急事故請撥110或119。", "emergency numbers"),
("hotline-2", "接到可疑電話請撥165反詐騙諮詢專線。", "short code"),
("hotline-3", "市民熱線1999，外縣市請撥[[TW_PHONE|02-27208889]]。", "a full subscriber number is a phone even when it is an organisation's"),
("hotline-4", "消費爭議請撥1950消費者服務專線。", "short code"),
("hotline-5", "免付費專線0800-000-123，服務時間週一至週五。", "toll-free number"),
("hotline-6", "安心專線1925提供24小時心理諮詢。", "short code"),
("hotline-7", "請撥0800211459洽詢，或以手機撥打*123。", "toll-free, compact"),
("hotline-8", "資訊室分機1234已停用，請改撥分機5678。", "extensions alone"),
("hotline-9", "總機[[TW_PHONE|(02)2345-6789轉1234]]，請轉人事室。", "extension attached with 轉"),
("hotline-10", "報案請撥113保護專線，或洽1957福利諮詢專線。", "short codes"),
# --- E. surnames inside ordinary words
("word-1", "當事人已到場陳述意見，本案擇期再議。", "陳述"),
("word-2", "林業及自然保育署將另行函復。", "林業"),
("word-3", "黃金價格再創新高，民眾搶購金飾。", "黃金"),
("word-4", "請將公告張貼於各樓層布告欄。", "張貼"),
("word-5", "王道銀行將於下月舉辦說明會。", "王道"),
("word-6", "李子盛產季節，農會辦理促銷活動。", "李子"),
("word-7", "周邊道路將於週末封閉施工。", "周邊"),
("word-8", "議員高度關切本案進度，何時可以完成？", "高度, 何時"),
("word-9", "陳列館開放時間為上午9時至下午5時。", "陳列"),
("word-10", "石門水庫蓄水率已達八成，方向盤鎖請勿遺失。", "石門, 方向"),
("word-11", "吳郭魚養殖戶可申請天然災害救助。", "吳郭魚"),
# --- F. de-identified names
("masked-1", "申請人王○明已完成補件。", "masked name"),
("masked-2", "受文者：○○○君", "placeholder"),
("masked-3", "個案李Ｏ華（F2****735）已轉介社福中心。", "masked name and masked ID"),
("masked-4", "陳〇〇與林OO兩位同學獲獎。", "masked names"),
("masked-5", "聯絡人：張*華，電話：02-2***-5678。", "masked name and phone"),
("masked-6", "黃xx先生反映路燈故障。", "masked name"),
# --- G. allow-listed samples
("sample-1", "範例：身分證字號 A123456789（請勿填寫真實資料）", "textbook sample, allow-listed"),
("sample-2", "填寫範例：A123456789，英文字母請大寫。", "textbook sample"),
("sample-3", "身分證字號：a123456789（範例）", "lower-case sample, allow-listed after compact"),
# --- H. roads without a number; addresses in odd forms
("road-1", "中山北路二段今日封街，請改道行駛。", "road, no number"),
("road-2", "臺北市信義區松仁路一帶交通管制。", "district and road, no number"),
("road-3", "車輛往忠孝東路方向行駛時請注意。", "road"),
("road-4", "台中市西屯區台灣大道沿線將增設公車站。", "road"),
("addr-1", "住址：[[TW_ADDRESS|台北市中正區重慶南路一段一二二號]]", "Chinese numerals without 十/百"),
("addr-2", "送達地址：[[TW_ADDRESS|臺中市西屯區臺灣大道三段９９號]]", "full-width number"),
("addr-3", "地址：[[TW_ADDRESS|10058臺北市中正區忠孝東路一段23巷4弄5號7樓之2]]", "full structure"),
("addr-4", "東西寄到[[TW_ADDRESS|新北市板橋區中山路一段161號]]給我", "chat, no label"),
("addr-5", "戶籍地址：[[TW_ADDRESS|花蓮縣吉安鄉南昌村10鄰南昌路12-1號]]", "村, 鄰 and 12-1號"),
("addr-6", "通訊地址：[[TW_ADDRESS|臺南市東區大學路1號3樓305室]]", "ends at 室"),
("addr-7", "現居地：[[TW_ADDRESS|高雄市苓雅區四維三路二十三號十二樓之一]]", "Chinese numerals with 十"),
# --- J. ICD-like codes outside medicine
("icd-1", "韌體版本E11.9已釋出，請更新。", "ICD-like version string"),
("icd-2", "電路圖編號F32.9，請工務課確認。", "ICD-like drawing number"),
("icd-3", "座位區C50.9至C50.12保留給貴賓。", "ICD-like seat codes"),
("icd-4", "國道一號I10交流道附近車多。", "ICD-like road sign"),
# --- K. special-category words with and without a person
("health-1", "本院住院大樓整修，病歷室暫停服務。", "health words, no person"),
("health-2", "依身心障礙者權益保障法第16條規定辦理。", "law name"),
("health-3", "[[PERSON|王大明]]（身分證[[TW_NATIONAL_ID|F194580735]]）經[[HEALTH_DATA|診斷為第二型糖尿病]]（[[HEALTH_DATA|E11.9]]）。", "diagnosis phrase and ICD code"),
("health-4", "請提供[[PERSON|蔡宜蓁]]的[[HEALTH_DATA|病歷]]影本，以利申請[[HEALTH_DATA|重大傷病]]。", "terms about a named person"),
("crime-1", "前科累累的詐騙集團遭警方瓦解。", "criminal word, no identifiable person"),
("crime-2", "警方加強協助查緝通緝犯宣導。", "no person"),
("crime-3", "緩起訴處分金撥補公益團體名單已公告。", "no person"),
("crime-4", "據查[[PERSON|黃志明]]有[[CRIMINAL_RECORD|毒品前科]]，目前遭[[CRIMINAL_RECORD|通緝]]中。", "terms about a named person"),
("crime-5", "[[PERSON|許家豪]]（[[TW_NATIONAL_ID|E199095141]]）曾受[[CRIMINAL_RECORD|緩起訴]]處分。", "ID and term"),
# --- L. lower-case IDs
("lower-1", "身分證字號：[[TW_NATIONAL_ID|f202157368]]", "lower-case, valid"),
("lower-2", "id: [[TW_NATIONAL_ID|h197220032]] 請協助查詢", "lower-case, valid"),
("lower-3", "身分證字號：f202157369", "lower-case, wrong checksum"),
("lower-4", "居留證號 [[TW_RESIDENT_ID|fc79287753]]", "lower-case old resident ID"),
# --- M. full-width
("fw-1", "身分證字號：[[TW_NATIONAL_ID|Ｄ１８１９３０３６３]]", "full-width ID"),
("fw-2", "手機：[[TW_PHONE|０９１２－３４５－６７８]]", "full-width mobile"),
("fw-3", "電話：[[TW_PHONE|（０２）２３４５－６７８９]]", "full-width landline"),
("fw-4", "信用卡號：[[CREDIT_CARD|４３８０　６７５６　９１９３　３５０２]]", "full-width card with ideographic spaces"),
# --- N. invisible characters inside values
("zw-1", "身分證[[TW_NATIONAL_ID|F194" + ZW + "580735]]", "zero-width space inside"),
("zw-2", "手機[[TW_PHONE|09" + ZWJ + "12345678]]", "zero-width joiner inside"),
("zw-3", "統一證號：[[TW_RESIDENT_ID|A96" + BOM + "8275219]]", "BOM inside a new resident ID"),
# --- O. split IDs
("split-1", "身分證字號 [[TW_NATIONAL_ID|D 242 621 292]]", "spaces"),
("split-2", "ID：[[TW_NATIONAL_ID|K-262-241-545]]", "dashes"),
("split-3", "身分證：[[TW_NATIONAL_ID|N120 405 601]]", "spaced groups"),
("split-4", "身分證字號：[[TW_NATIONAL_ID|P1029\n31378]]", "line wrap inside (PDF text)"),
("split-5", "身分證字號：[[TW_NATIONAL_ID|T195.406.131]]", "dots"),
# --- P. romanised names with resident IDs
("foreign-1", "外籍移工[[PERSON|Nguyen Van An]]，居留證號[[TW_RESIDENT_ID|F932926124]]", "romanised name"),
("foreign-2", "[[PERSON|Maria Santos]]（統一證號：[[TW_RESIDENT_ID|AC59045843]]）已到職。", "romanised name, old ARC"),
("foreign-3", "Name: [[PERSON|KIM MIN-JUN]] / ARC No.: [[TW_RESIDENT_ID|HC27558283]]", "English form"),
("foreign-4", "看護[[PERSON|Siti Aminah]]聯絡電話[[TW_PHONE|0987-654-321]]", "romanised name and mobile"),
("foreign-5", "外籍配偶[[PERSON|Rina Wulandari]]，新式統一證號[[TW_RESIDENT_ID|K884032971]]，居留效期至117年5月31日。", "new ARC, male digit 8"),
# --- Q. 冠夫姓
("married-1", "申請人：[[PERSON|陳林美玲]]", "冠夫姓"),
("married-2", "承辦人 [[PERSON|張李淑芬]] 分機 2231", "冠夫姓; extension alone is not a phone"),
("married-3", "家屬[[PERSON|黃吳秀琴]]女士表示將提出申訴。", "冠夫姓 with title"),
# --- R. compound surnames
("compound-1", "[[PERSON|歐陽志明]]先生請於週五前回覆。", "歐陽"),
("compound-2", "聯絡人：[[PERSON|司馬晴]]，電話[[TW_PHONE|(037)123-456]]", "司馬; Miaoli 037 + 6 digits"),
("compound-3", "[[PERSON|張簡雅婷]]同學榮獲市長獎。", "張簡"),
("compound-4", "[[PERSON|范姜文雄]]里長協助發放物資。", "范姜"),
("compound-5", "國文課介紹諸葛亮的出師表。", "historical figure: not a living person"),
# --- S. phone forms
("phone-1", "公司電話[[TW_PHONE|+886 2 2345 6789]]", "international landline"),
("phone-2", "馬祖辦公室[[TW_PHONE|0836-22345]]", "0836 + 5 digits"),
("phone-3", "臺東服務處[[TW_PHONE|(089)345-678]]", "089 + 6 digits"),
("phone-4", "訂單0912345678001已出貨。", "mobile-shaped prefix of a longer number"),
("phone-5", "電話：[[TW_PHONE|02-23456789#123]]", "extension with #"),
("phone-6", "金門縣政府[[TW_PHONE|082-318823]]", "082 + 6 digits"),
("phone-7", "請撥[[TW_PHONE|049-2345678]]洽南投辦公室。", "049 + 7"),
("phone-8", "手機[[TW_PHONE|+886912345678]]", "international compact"),
# --- T. e-mail
("mail-1", "請寄至 [[EMAIL_ADDRESS|chen.xiaoming+dlp@gmail.com]]。", "plus addressing"),
("mail-2", "@[[PERSON|王小明]] 看一下這份資料", "chat mention is not an e-mail"),
("mail-3", "客服信箱：[[EMAIL_ADDRESS|service＠example.com.tw]]", "full-width at sign"),
("mail-4", "請執行 build@v1.2 版本的部署腳本。", "at sign in a version tag"),
# --- U. keyword-bound identifiers
("kw-1", "護照號碼：[[TW_PASSPORT|312345678]]", "passport"),
("kw-2", "訂單編號312345678已取消。", "9 digits, no passport keyword"),
("kw-3", "健保卡號：[[TW_NHI_NUMBER|0000 1234 5678]]", "NHI card"),
("kw-4", "流水號000012345678已作廢。", "12 digits, no NHI keyword"),
("kw-5", "郵局帳號：[[TW_BANK_ACCOUNT|0001234-5678901]]", "post office 局號 + 帳號"),
("kw-6", "請轉帳至玉山銀行（808）帳號[[TW_BANK_ACCOUNT|0123456789012]]", "bank code apart from the account"),
("kw-7", "發文字號：[[TW_DOCUMENT_NUMBER|府授人字第1130012345號]]", "document number"),
("kw-8", "依據本部114年5月1日內授字第1140001234號函辦理。", "a cited document number (followed by 函) is another document's, not this message's own: not labelled"),
("kw-9", "本案受理編號1140001234，請妥善保存。", "10 digits, not a document number"),
# --- V. cards
("card-1", "卡號 [[CREDIT_CARD|4564-6185-0894-1480]] 有效期限 12/28", "Luhn-valid card"),
("card-2", "訂單號碼 4564618508941481 已成立。", "Luhn-invalid 16 digits"),
("card-3", "信用卡末四碼1480，請核對。", "last four digits only"),
# --- Y. names with titles
("person-1", "[[PERSON|王小明]]先生您好，您的申請已受理。", "title not included"),
("person-2", "請[[PERSON|林志玲]]小姐回電[[TW_PHONE|0912-345-678]]。", "name, title, mobile"),
("person-3", "陳先生來電詢問補助進度。", "surname + title only: not labelled"),
]

SUBJECT_CASES = [
    ("subject-1", "[[PERSON|劉怡君]] 請假單", "請協助簽核，謝謝。", "name in the subject"),
    ("subject-2", "Re: 會議通知", "收到，謝謝。", "clean subject"),
]

CHECKS = {
    "TW_NATIONAL_ID": tw_national_id,
    "TW_RESIDENT_ID": tw_resident_id,
    "CREDIT_CARD": luhn,
}


def unmark(marked: str):
    out, ents, pos, last = [], [], 0, 0
    for m in MARK.finditer(marked):
        out.append(marked[last:m.start()])
        pos += m.start() - last
        typ, val = m.group(1), m.group(2)
        ents.append({"type": typ, "start": pos, "end": pos + len(val)})
        out.append(val)
        pos += len(val)
        last = m.end()
    out.append(marked[last:])
    text = "".join(out)
    for e in ents:
        val = text[e["start"]:e["end"]]
        check = CHECKS.get(e["type"])
        if check and not check(val):
            raise SystemExit(f"invalid labelled value {val!r}")
        if e["type"] == "TW_NATIONAL_ID" and clean(val) == "A123456789":
            raise SystemExit("sample value labelled")
    return text, ents


def main(path):
    seen = set()
    with open(path, "w", encoding="utf-8") as fh:
        for cid, marked, note in CASES:
            assert cid not in seen, cid
            seen.add(cid)
            text, ents = unmark(marked)
            fh.write(json.dumps({"id": cid, "text": text, "subject": None, "entities": ents, "note": note}, ensure_ascii=False) + "\n")
        for cid, subj, body, note in SUBJECT_CASES:
            s_text, s_ents = unmark(subj)
            text, ents = unmark(body)
            fh.write(json.dumps({"id": cid, "text": text, "subject": s_text, "entities": ents, "subject_entities": s_ents, "note": note}, ensure_ascii=False) + "\n")
    print(len(seen) + len(SUBJECT_CASES), "cases")


if __name__ == "__main__":
    main(sys.argv[1])
