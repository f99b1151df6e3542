"""The three 200 KB texts of the core benchmark (issue 14, part 6), generated deterministically.

* ``clean``  real-looking 公文 prose (函, 簽, 會議紀錄 paragraphs: 主旨／說明／辦法, laws, agencies,
             dates, amounts) with no personal data at all;
* ``mail``   typical office mail: the same kind of prose with a few findings per KB (a contact
             line, an applicant's ID and phone, an address, a bank account, a named colleague);
* ``dense``  a sign-up roster exported from a spreadsheet: a finding every ~22 characters.

The same seed always gives the same texts (``random.Random`` and the fakes of
``dlp.evaluation.fakes``), so runs before and after a change read the same bytes.
"""

from __future__ import annotations

import random

from dlp.evaluation import fakes

SIZE = 200_000

AGENCIES = [
    "行政院", "內政部", "衛生福利部", "教育部", "經濟部", "數位發展部", "國家發展委員會", "臺北市政府",
    "新北市政府", "臺中市政府", "高雄市政府", "花蓮縣政府", "臺東縣政府", "交通部公路局", "勞動部勞動力發展署",
]
UNITS = ["資訊室", "秘書室", "人事室", "主計室", "政風室", "綜合規劃科", "社會救助科", "工務科", "研考科"]
LAWS = [
    "政府採購法第22條", "資通安全管理法", "個人資料保護法施行細則", "文書處理手冊", "行政程序法第102條",
    "公務員服務法", "檔案法第17條", "預算法", "地方制度法第18條", "政府資訊公開法",
]
TOPICS = [
    "推動數位轉型計畫", "辦理年度資通安全稽核", "強化防災整備工作", "修正採購作業要點", "辦理員工教育訓練",
    "社區關懷據點補助計畫", "公有建築物耐震補強", "提升為民服務品質", "辦理公文線上簽核", "機關檔案清查作業",
    "推動節能減碳措施", "長期照顧服務據點擴充", "偏鄉數位學習推廣", "道路養護工程", "公共運輸轉乘優惠",
]
SENTENCES = [
    "檢送「{topic}」實施計畫1份，請查照並轉知所屬。",
    "依據{law}規定辦理，並請於{month}月{day}日前將辦理情形函復本府{unit}。",
    "本案經費新臺幣{amount}萬元整，由中央補助款支應，請依{law}相關規定辦理。",
    "為{topic}，請各單位依時程配合辦理，如有疑義請洽本府{unit}。",
    "復貴{office}{year}年{month}月{day}日函，有關{topic}一案，本{office}原則同意辦理。",
    "會議決議：一、請{unit}於下次會議提出{topic}之執行進度；二、請{unit2}協助彙整各單位意見。",
    "旨揭計畫業經{agency}核定，請依核定內容確實執行，並定期填報執行進度。",
    "{agency}為落實{law}，訂定「{topic}作業要點」，自即日起實施。",
    "請各區公所於期限內彙整成果報告，並函送本府{unit}憑辦，逾期未送者列入年度考核。",
    "近期社交工程郵件手法翻新，請同仁提高警覺，勿開啟來路不明之附件，並定期更新防毒軟體。",
    "本府{unit}訂於{year}年{month}月{day}日上午{hour}時假本府{floor}樓會議室召開協調會議，請準時出席。",
    "有關{topic}所需經費，請於年度預算內勻支，不足部分另案簽報。",
    "說明：一、依{agency}{year}年{month}月{day}日函辦理。二、請轉知所屬並落實執行。",
    "擬辦：奉核後，函送各機關參辦，並副知{agency}。",
    "各機關辦理{topic}時，應注意資訊安全，確保系統穩定運作，並留存相關紀錄備查。",
    "本次研習課程計{hours}小時，內容包括{law}概要、實務案例研討及分組討論。",
]


def _sentence(rng: random.Random) -> str:
    return rng.choice(SENTENCES).format(
        topic=rng.choice(TOPICS), law=rng.choice(LAWS), unit=rng.choice(UNITS), unit2=rng.choice(UNITS),
        agency=rng.choice(AGENCIES), office=rng.choice("府局處部署"), amount=rng.randint(12, 980),
        year=rng.randint(110, 115), month=rng.randint(1, 12), day=rng.randint(1, 28),
        hour=rng.choice("九十"), floor=rng.randint(2, 12), hours=rng.randint(2, 12),
    )


def _paragraph(rng: random.Random) -> str:
    head = rng.choice(["主旨：", "說明：", "辦法：", "", "", ""])
    return head + "".join(_sentence(rng) for _ in range(rng.randint(2, 5))) + "\n"


def clean_text(seed: int = 1401, size: int = SIZE) -> str:
    rng = random.Random(seed)
    parts: list[str] = []
    total = 0
    while total < size:  # UTF-8 bytes
        p = _paragraph(rng)
        parts.append(p)
        total += len(p.encode())
    return "".join(parts)


SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝洪郭邱曾廖賴徐周葉蘇莊呂江何蕭羅高潘簡朱鍾彭游詹胡施沈余盧梁趙顏柯翁魏孫戴"
GIVEN = "志明美玲淑芬家豪雅婷俊傑怡君建宏宗翰冠宇欣怡佳穎承恩柏翰詩涵子晴宥廷品妤庭瑋思妤彥廷"


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(2))


def _item(rng: random.Random) -> str:
    kind = rng.randrange(6)
    if kind == 0:
        return f"承辦人{_name(rng)}，電話{fakes.landline(rng)}，電子信箱 {_mailbox(rng)}@mail.hl.gov.tw。"
    if kind == 1:
        return f"申請人{_name(rng)}，身分證字號{fakes.national_id(rng)}，手機{fakes.mobile(rng)}。"
    if kind == 2:
        return f"戶籍地址：{fakes.address(rng)}。"
    if kind == 3:
        return f"匯款帳號：{fakes.bank_account(rng)}，戶名{_name(rng)}。"
    if kind == 4:
        return f"請{_name(rng)}科長於會後提供書面意見。"
    return f"聯絡人：{_name(rng)}（{fakes.mobile(rng)}）"


def _mailbox(rng: random.Random) -> str:
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 7)))


def mail_text(seed: int = 1402, size: int = SIZE) -> str:
    """Prose with an item (one to three findings) in every other paragraph: a few findings per KB."""
    rng = random.Random(seed)
    parts: list[str] = []
    total = 0
    while total < size:
        p = _paragraph(rng)
        if rng.random() < 0.5:
            p = _item(rng) + p
        parts.append(p)
        total += len(p.encode())
    return "".join(parts)


def dense_text(seed: int = 1403, size: int = SIZE) -> str:
    """A sign-up roster: name, ID and mobile among unit, title, session and remark columns
    (three findings in a ~66-character row: one every ~22 characters)."""
    rng = random.Random(seed)
    rows = ["編號,姓名,身分證字號,手機,服務單位,職稱,報名場次,研習時數,住宿,備註\n"]
    total = len(rows[0].encode())
    i = 0
    while total < size:
        i += 1
        row = (f"{i},{_name(rng)},{fakes.national_id(rng)},{fakes.mobile(rng)},{rng.choice(AGENCIES)}{rng.choice(UNITS)},"
               f"{rng.choice(['科員', '專員', '科長', '技士', '約僱人員', '視察'])},"
               f"第{rng.randint(1, 12)}場（{rng.choice(['上午', '下午'])}）,{rng.randint(2, 18)}小時,"
               f"{rng.choice(['需要', '不需要', '自理'])},"
               f"{rng.choice(['已報到', '請假', '待確認', '改期', '已繳費', '需素食便當', '搭乘接駁車'])}\n")
        rows.append(row)
        total += len(row.encode())
    return "".join(rows)


def texts() -> dict[str, str]:
    return {"clean": clean_text(), "mail": mail_text(), "dense": dense_text()}
