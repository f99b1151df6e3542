"""Deterministic generator of a labelled evaluation corpus (JSONL, see docs/evaluation.md).

Messages are built piece by piece with :class:`Doc`, which records the span of every value it
inserts, so labels are exact by construction. Templates imitate what leaves an agency: forms
(申請表), 公文 with contact blocks, e-mail signatures, rosters (名冊), chat messages, case notes,
payment notices, and clean prose full of traps (product codes, amounts, dates that are not birth
dates, hotlines, surnames inside ordinary words, masked names).

    python -m dlp.evaluation.generator --n 2000 --seed 7 -o corpus.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from faker import Faker

from dlp.evaluation import fakes

# --- building a labelled text -------------------------------------------------------------------


@dataclass
class Doc:
    """Text under construction plus the labels of what was inserted into it."""

    parts: list[str] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    length: int = 0

    def add(self, text: str) -> Doc:
        self.parts.append(text)
        self.length += len(text)
        return self

    def ent(self, type_: str, value: str) -> Doc:
        self.entities.append({"type": type_, "start": self.length, "end": self.length + len(value)})
        return self.add(value)

    @property
    def text(self) -> str:
        return "".join(self.parts)


@dataclass
class Ctx:
    rng: random.Random
    fake: Faker


@dataclass
class Person:
    name: str
    national_id: str
    phone: str
    email: str
    address: str
    birth: fakes.Date


def new_person(ctx: Ctx) -> Person:
    rng = ctx.rng
    return Person(
        name=fakes.person_name(rng, ctx.fake),
        national_id=fakes.national_id(rng),
        phone=fakes.phone(rng),
        email=fakes.email(rng, ctx.fake),
        address=fakes.address(rng),
        birth=fakes.random_date(rng, 1940, 2012),
    )


def _maybe_lower(rng: random.Random, value: str) -> str:
    return value.lower() if rng.random() < 0.03 else value


# --- sentence banks (Traditional Chinese, as people write them) ---------------------------------

DISEASES = (
    ("第二型糖尿病", "E11.9"),
    ("高血壓", "I10"),
    ("憂鬱症", "F32.9"),
    ("思覺失調症", "F20.9"),
    ("乳癌", "C50.9"),
    ("肺腺癌", "C34.90"),
    ("慢性腎臟病", "N18.5"),
    ("失智症", "F03.90"),
    ("氣喘", "J45.909"),
    ("肝硬化", "K74.60"),
    ("躁鬱症", "F31.9"),
    ("自閉症", "F84.0"),
)
CRIMES = ("竊盜", "詐欺", "毒品", "酒駕", "傷害")

CLEAN_SENTENCES = (
    "本案經陳述意見後，林業及自然保育署將另行函復。",
    "黃金週連假期間，請同仁注意交通安全。",
    "相關公告已張貼於各樓層布告欄，請自行參閱。",
    "王道精神在於以民為本，請各單位落實為民服務。",
    "請於{date}前完成線上填報，逾期恕不受理。",
    "本年度預算新臺幣{amount}元，已於{date}簽陳核定。",
    "會議訂於{date}上午10時假本府第一會議室召開。",
    "如遇緊急狀況請撥打{hotline}，勿佔用一般業務電話。",
    "市民當家熱線{hotline}提供24小時服務。",
    "產品型號{code}已停產，請改用新款。",
    "設備序號{code}之保固期限至{date}止。",
    "請購案料號{code}，數量{qty}台，單價{amount}元。",
    "廠商{company}（統一編號{ubn}）已完成履約。",
    "發票買受人統編{ubn}，請於核銷時一併檢附。",
    "{road}路段將於下週進行管線施工，請用路人改道。",
    "個案{masked}已結案，相關資料均已去識別化處理。",
    "申請人{masked}之補件資料尚未送達。",
    "本局將於{date}辦理員工健康檢查，請同仁踴躍參加。",
    "為防範詐騙，165反詐騙專線提供民眾諮詢。",
    "請各單位加強公務機密維護宣導，落實個資保護。",
    "本案涉及個人資料保護法第6條特種個資之蒐集，請審慎辦理。",
    "警方持續查緝通緝犯，民眾如有線索可撥打110報案。",
    "高雄市及金門縣將同步舉辦說明會。",
    "請於方框內勾選同意事項後送出。",
    "附件一為114年度工作計畫書，請查照。",
    "系統維護時間為每週三晚間10時至12時。",
    "本案報名人數共{qty}人，錄取{qty2}人。",
    "統計資料顯示，全市糖尿病盛行率較去年略增。",
    "資訊室分機3305已停用，請改撥總機。",
    "電費帳單金額{amount}元，已於{date}繳納完畢。",
    "請利用ICD-10分類規則整理疾病統計表。",
    "活動地點：{road}旁之市民廣場。",
    "謝謝大家今天的配合，辛苦了！",
    "收到，明天會議資料我再寄給大家。",
    "程序上須先經簽核，再行公告。",
    "本計畫期程自{date}起至{date2}止。",
    "來文字號請填寫於附表第3欄。",
)


def _fill(ctx: Ctx, template: str) -> str:
    rng = ctx.rng
    d = lambda: fakes.format_date(rng, fakes.random_date(rng, 2020, 2026))  # noqa: E731
    values = {
        "date": d(),
        "date2": d(),
        "amount": f"{rng.randint(1, 9999):,}" + rng.choice(["", ",000", "萬"]),
        "hotline": fakes.hotline(rng),
        "code": fakes.trap_code(rng),
        "qty": str(rng.randint(2, 300)),
        "qty2": str(rng.randint(1, 50)),
        "company": fakes.company(rng, ctx.fake),
        "ubn": fakes.ubn(rng),
        "road": fakes.road_only(rng),
        "masked": fakes.masked_name(rng, ctx.fake),
    }
    return template.format(**values)


def clean_prose(ctx: Ctx, doc: Doc, k: int | None = None) -> None:
    for sentence in ctx.rng.sample(CLEAN_SENTENCES, k or ctx.rng.randint(1, 4)):
        doc.add(_fill(ctx, sentence))


def add_dob(ctx: Ctx, doc: Doc, p: Person, label: str | None = None) -> None:
    doc.add((label or ctx.rng.choice(["出生日期", "生日", "出生年月日"])) + ctx.rng.choice(["：", ":", "："]))
    doc.ent("DATE_OF_BIRTH", fakes.format_date(ctx.rng, p.birth, two_digit_roc=True))


def add_phone(ctx: Ctx, doc: Doc, value: str) -> None:
    doc.ent("TW_PHONE", value)


# --- templates ------------------------------------------------------------------------------------


def t_prose(ctx: Ctx, doc: Doc) -> None:
    """Mostly clean text; now and then one contact sentence."""
    clean_prose(ctx, doc)
    if ctx.rng.random() < 0.25:
        p = new_person(ctx)
        doc.add("如有疑問請洽承辦人").ent("PERSON", p.name).add("，電話")
        add_phone(ctx, doc, p.phone)
        doc.add("。")


def t_chat(ctx: Ctx, doc: Doc) -> None:
    rng = ctx.rng
    p = new_person(ctx)
    kind = rng.randrange(9)
    if kind == 0:
        doc.add("@").ent("PERSON", p.name).add(
            rng.choice([" 明天早上的會議記得帶資料", " 收到請回覆", " 公文已經送出了"])
        )
    elif kind == 1:
        doc.ent("PERSON", p.name).add(rng.choice(["的手機是", "手機", " 電話："]))
        add_phone(ctx, doc, fakes.mobile(rng))
        doc.add(rng.choice(["，麻煩回電", "", " 請聯絡"]))
    elif kind == 2:
        doc.add("家訪地址 ").ent("TW_ADDRESS", p.address).add(rng.choice(["，下午兩點出發", "", " 再麻煩確認"]))
    elif kind == 3:
        doc.add("個案").ent("PERSON", p.name).add("身分證")
        doc.ent("TW_NATIONAL_ID", _maybe_lower(rng, p.national_id)).add(" 幫我查一下福利身分")
    elif kind == 4:
        doc.add("信箱寄到 ").ent("EMAIL_ADDRESS", p.email).add(" 就可以")
    elif kind == 5:
        disease, icd = rng.choice(DISEASES)
        doc.add("跟大家說一下，").ent("PERSON", p.name).add("昨天")
        doc.ent("HEALTH_DATA", "住院").add("了，好像是").ent("HEALTH_DATA", disease).add("，這週請假。")
    elif kind == 6:
        doc.add(rng.choice(["好的", "收到", "謝謝", "OK 👍", "晚點回覆", "明天見"]))
    elif kind == 7:
        doc.add("請撥打").add(fakes.hotline(rng)).add(rng.choice(["詢問", "反映", "求助"]))
    else:
        doc.add(fakes.masked_name(rng, ctx.fake)).add(rng.choice(["的案子已經結案了", "資料已補齊"]))


def t_signature(ctx: Ctx, doc: Doc) -> None:
    rng = ctx.rng
    p = new_person(ctx)
    agency, _ = rng.choice(fakes.AGENCIES)
    doc.add(rng.choice(["您好：\n", "各位同仁好，\n", "○○科長鈞鑒：\n"]))
    clean_prose(ctx, doc, rng.randint(1, 3))
    doc.add("\n\n敬祝 順心\n\n--\n")
    doc.ent("PERSON", p.name).add(rng.choice([" 科員", " 專員", " 約聘人員", "", " 社工員"]) + "\n")
    doc.add(agency + rng.choice(["綜合規劃科", "社會救助科", "秘書室", "資訊室"]) + "\n")
    doc.add(rng.choice(["Tel: ", "電話：", "TEL："]))
    add_phone(ctx, doc, fakes.landline(rng))
    if rng.random() < 0.5:
        doc.add("\n" + rng.choice(["手機：", "Mobile: "]))
        add_phone(ctx, doc, fakes.mobile(rng))
    doc.add("\n" + rng.choice(["E-mail: ", "Email：", "信箱："])).ent("EMAIL_ADDRESS", p.email)
    if rng.random() < 0.4:
        doc.add("\n地址：").ent("TW_ADDRESS", fakes.address(rng))
    doc.add("\n")


def t_gongwen(ctx: Ctx, doc: Doc) -> None:
    rng = ctx.rng
    p = new_person(ctx)
    agency, code = rng.choice(fakes.AGENCIES)
    year = rng.randint(110, 115)
    doc.add(f"檔　　號：{year}/0401.99/1\n保存年限：{rng.choice(['5年', '10年', '永久'])}\n")
    doc.add(f"{agency}　函\n")
    doc.add(rng.choice(["地址：", "機關地址：", "地　　址："])).ent("TW_ADDRESS", fakes.address(rng)).add("\n")
    doc.add(rng.choice(["承辦人：", "聯絡人：", "承 辦 人："])).ent("PERSON", p.name).add("\n")
    doc.add(rng.choice(["電話：", "聯絡電話：", "電　　話："]))
    add_phone(ctx, doc, fakes.landline(rng, extension=rng.random() < 0.6))
    doc.add("\n")
    if rng.random() < 0.6:
        doc.add("傳真：")
        add_phone(ctx, doc, fakes.landline(rng, extension=False))
        doc.add("\n")
    doc.add(rng.choice(["電子信箱：", "電子郵件：", "E-mail："])).ent("EMAIL_ADDRESS", p.email).add("\n")
    other, _ = rng.choice(fakes.AGENCIES)
    doc.add(f"受文者：{other}\n")
    sent = fakes.random_date(rng, 1911 + year, 1911 + year)
    doc.add(f"發文日期：中華民國{year}年{sent.month}月{sent.day}日\n發文字號：")
    doc.ent("TW_DOCUMENT_NUMBER", fakes.document_number(rng, code, year)).add("\n")
    doc.add(rng.choice(["速別：普通件\n", "速　　別：速件\n", "速別：最速件\n"]))
    doc.add(
        rng.choice(
            ["密等及解密條件或保密期限：普通\n", "密等及解密條件或保密期限：\n", "密等及解密條件或保密期限：一般\n"]
        )
    )
    doc.add("附件：" + rng.choice(["如說明二", "無", "計畫書1份"]) + "\n主旨：")
    clean_prose(ctx, doc, 1)
    doc.add("\n說明：\n一、依據本府")
    doc.add(f"{year}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日")
    # A cited number is another document's, not this letter's own: not labelled (see docs).
    doc.add(fakes.document_number(rng, code, year)).add("函辦理。\n二、")
    clean_prose(ctx, doc, rng.randint(1, 2))
    doc.add(f"\n正本：{other}\n副本：本府秘書處\n")


def t_form(ctx: Ctx, doc: Doc) -> None:
    rng = ctx.rng
    p = new_person(ctx)
    sep = rng.choice(["：", ":", "　"])
    nl = rng.choice(["\n", "\n", "；"])
    doc.add(rng.choice(["低收入戶補助申請表", "獎學金申請表", "志工報名表", "場地借用申請表", "個人資料表"]) + "\n")
    doc.add(f"{rng.choice(['姓名', '申請人姓名', '中文姓名'])}{sep}").ent("PERSON", p.name).add(nl)
    doc.add(f"{rng.choice(['身分證字號', '身分證統一編號', '國民身分證統一編號'])}{sep}")
    doc.ent("TW_NATIONAL_ID", _maybe_lower(rng, p.national_id)).add(nl)
    add_dob(ctx, doc, p)
    doc.add(nl)
    if rng.random() < 0.7:
        doc.add(f"{rng.choice(['聯絡電話', '手機', '行動電話', '電話'])}{sep}")
        add_phone(ctx, doc, p.phone)
        doc.add(nl)
    if rng.random() < 0.6:
        doc.add(f"{rng.choice(['戶籍地址', '通訊地址', '住址', '聯絡地址'])}{sep}").ent("TW_ADDRESS", p.address).add(nl)
    if rng.random() < 0.5:
        doc.add(f"E-mail{sep}").ent("EMAIL_ADDRESS", p.email).add(nl)
    if rng.random() < 0.15:
        doc.add(f"護照號碼{sep}").ent("TW_PASSPORT", fakes.passport(rng)).add(nl)
    if rng.random() < 0.15:
        doc.add(f"{rng.choice(['健保卡號', '健保卡號碼'])}{sep}").ent("TW_NHI_NUMBER", fakes.nhi_number(rng)).add(nl)
    if rng.random() < 0.2:
        code = rng.choice(fakes.BANK_CODES)
        doc.add(f"匯款銀行{sep}{fakes.BANK_NAMES[code]}（{code}）{nl}帳號{sep}")
        doc.ent("TW_BANK_ACCOUNT", fakes.bank_account(rng)).add(nl)
    if rng.random() < 0.3:
        e = new_person(ctx)
        doc.add(f"緊急聯絡人{sep}").ent("PERSON", e.name).add(
            f"（{rng.choice(['父', '母', '配偶', '兄', '姊'])}）電話{sep}"
        )
        add_phone(ctx, doc, e.phone)
        doc.add(nl)
    doc.add(f"申請日期{sep}{fakes.format_date(rng, fakes.random_date(rng, 2023, 2026))}\n")
    doc.add("本人同意機關依個人資料保護法蒐集、處理及利用上述資料。")


def t_roster(ctx: Ctx, doc: Doc) -> None:
    rng = ctx.rng
    sep = rng.choice(["\t", ",", "｜", " "])
    with_resident = rng.random() < 0.3
    cols = ["編號", "姓名", "身分證字號", "出生日期", "電話"]
    with_address = rng.random() < 0.5
    if with_address:
        cols.append("地址")
    doc.add(rng.choice(["114年度志工名冊", "關懷訪視名冊", "研習學員名冊", "補助核定名冊"]) + "\n")
    doc.add(sep.join(cols) + "\n")
    for i in range(rng.randint(3, 25)):
        p = new_person(ctx)
        doc.add(f"{i + 1}{sep}").ent("PERSON", p.name).add(sep)
        if with_resident and rng.random() < 0.4:
            doc.ent("TW_RESIDENT_ID", fakes.resident_id(rng))
        else:
            doc.ent("TW_NATIONAL_ID", _maybe_lower(rng, p.national_id))
        doc.add(sep).ent("DATE_OF_BIRTH", fakes.format_date(rng, p.birth)).add(sep)
        phone = p.phone
        while sep == " " and " " in phone:  # a space-separated row cannot hold a spaced value
            phone = fakes.phone(rng)
        add_phone(ctx, doc, phone)
        if with_address:
            doc.add(sep).ent("TW_ADDRESS", p.address.replace(" ", "") if sep == " " else p.address)
        doc.add("\n")
    doc.add(f"製表日期：{fakes.format_date(rng, fakes.random_date(rng, 2024, 2026))}")


def t_health(ctx: Ctx, doc: Doc) -> None:
    """Case notes about an identifiable person, with special-category health data."""
    rng = ctx.rng
    p = new_person(ctx)
    disease, icd = rng.choice(DISEASES)
    doc.add(rng.choice(["個案", "案主", "當事人"])).ent("PERSON", p.name)
    if rng.random() < 0.6:
        doc.add("（")
        doc.ent("TW_NATIONAL_ID", _maybe_lower(rng, p.national_id)).add("）")
    doc.add(rng.choice(["於上月", "近日", "本週"]) + "因病")
    doc.ent("HEALTH_DATA", "住院").add("，")
    doc.ent("HEALTH_DATA", f"診斷{rng.choice(['：', '為', ':'])}{disease}")
    if rng.random() < 0.7:
        doc.add("（").ent("HEALTH_DATA", icd).add("）")
    doc.add("。")
    if rng.random() < 0.5:
        doc.add("案家持有").ent("HEALTH_DATA", rng.choice(["身心障礙證明", "重大傷病"])).add("，")
    if rng.random() < 0.4:
        doc.add("請協助調閱").ent("HEALTH_DATA", "病歷").add("。")
    if rng.random() < 0.5:
        doc.add("聯絡電話：")
        add_phone(ctx, doc, p.phone)
        doc.add("。")
    if rng.random() < 0.3:
        doc.add("居住於").ent("TW_ADDRESS", p.address).add("。")


def t_criminal(ctx: Ctx, doc: Doc) -> None:
    rng = ctx.rng
    p = new_person(ctx)
    doc.add(rng.choice(["經查", "查", "據報"]))
    doc.ent("PERSON", p.name)
    if rng.random() < 0.5:
        doc.add("（身分證統一編號").ent("TW_NATIONAL_ID", p.national_id).add("）")
    kind = rng.randrange(4)
    if kind == 0:
        doc.add("有").ent("CRIMINAL_RECORD", f"{rng.choice(CRIMES)}前科").add("，目前遭")
        doc.ent("CRIMINAL_RECORD", "通緝").add("中。")
    elif kind == 1:
        doc.add(f"前因{rng.choice(CRIMES)}案經檢察官為").ent("CRIMINAL_RECORD", "緩起訴").add("處分。")
    elif kind == 2:
        doc.add("申請職缺，查其").ent("CRIMINAL_RECORD", rng.choice(["犯罪紀錄", "刑案紀錄"])).add("：無。")
    else:
        doc.add("為本監").ent("CRIMINAL_RECORD", "受刑人").add("，預定").ent("CRIMINAL_RECORD", "假釋").add(
            "日期另行通知。"
        )
    if rng.random() < 0.4:
        doc.add("戶籍地：").ent("TW_ADDRESS", p.address).add("。")
    clean_prose(ctx, doc, 1)


def t_payment(ctx: Ctx, doc: Doc) -> None:
    rng = ctx.rng
    p = new_person(ctx)
    doc.add(rng.choice(["退費通知：", "補助款撥付：", "報名費退款："]))
    doc.ent("PERSON", p.name).add(rng.choice(["先生", "女士", "君", "同學", ""]) + "您好，")
    kind = rng.randrange(3)
    code = rng.choice(fakes.BANK_CODES)
    if kind == 0:
        doc.add(f"款項將匯入您的{fakes.BANK_NAMES[code]}帳戶，帳號")
        doc.ent("TW_BANK_ACCOUNT", fakes.bank_account(rng)).add("。")
    elif kind == 1:
        doc.add("匯款帳號：").ent("TW_BANK_ACCOUNT", f"{code}-{fakes.bank_account(rng)}").add("。")
    else:
        doc.add(rng.choice(["信用卡號", "信用卡卡號", "刷卡卡號"]) + "：")
        doc.ent("CREDIT_CARD", fakes.credit_card(rng)).add("，退款將於7個工作天內入帳。")
    doc.add(f"金額新臺幣{rng.randint(100, 50000):,}元。")
    doc.add("開立單位統一編號").add(fakes.ubn(rng)).add("。")


def t_resident(ctx: Ctx, doc: Doc) -> None:
    rng = ctx.rng
    name = rng.choice(fakes.ROMANISED_NAMES)
    doc.add(rng.choice(["外籍看護", "移工", "外籍配偶", "交換學生"]))
    doc.ent("PERSON", name).add("，" + rng.choice(["居留證號", "統一證號", "外來人口統一證號"]) + "：")
    doc.ent("TW_RESIDENT_ID", _maybe_lower(rng, fakes.resident_id(rng)))
    doc.add(rng.choice(["，已完成健保投保。", "，居留效期至", "，雇主聯絡電話"]))
    last = doc.parts[-1]
    if last.endswith("至"):
        doc.add(fakes.format_date(rng, fakes.random_date(rng, 2026, 2029)) + "。")
    elif last.endswith("電話"):
        add_phone(ctx, doc, fakes.phone(rng))
        doc.add("。")


Template = Callable[[Ctx, Doc], None]

#: (name, template, weight, channel) — weights give a corpus that is mostly clean or light.
TEMPLATES: tuple[tuple[str, Template, int, str], ...] = (
    ("prose", t_prose, 34, "mail"),
    ("chat", t_chat, 20, "chat"),
    ("signature", t_signature, 10, "mail"),
    ("gongwen", t_gongwen, 9, "mail"),
    ("form", t_form, 8, "mail"),
    ("health", t_health, 5, "chat"),
    ("criminal", t_criminal, 3, "mail"),
    ("payment", t_payment, 5, "mail"),
    ("resident", t_resident, 3, "chat"),
    ("roster", t_roster, 3, "mail"),
)

SUBJECTS = ("會議通知", "資料補件", "114年度計畫說明", "轉知來文", "請協助辦理", "FW: 公文轉寄", "Re: 活動報名")


def _subject(ctx: Ctx) -> tuple[str, list[dict[str, Any]]]:
    doc = Doc()
    rng = ctx.rng
    if rng.random() < 0.15:
        doc.ent("PERSON", fakes.person_name(rng, ctx.fake)).add(rng.choice(["申請資料", " 請假單", "補助案"]))
    else:
        doc.add(rng.choice(SUBJECTS))
    return doc.text, doc.entities


def generate_one(ctx: Ctx, index: int, seed: int) -> dict[str, Any]:
    names = [t[0] for t in TEMPLATES]
    weights = [t[2] for t in TEMPLATES]
    name = ctx.rng.choices(names, weights=weights)[0]
    template = next(t for t in TEMPLATES if t[0] == name)
    doc = Doc()
    template[1](ctx, doc)
    record: dict[str, Any] = {
        "id": f"gen-{seed}-{index:05d}",
        "text": doc.text,
        "subject": None,
        "entities": doc.entities,
        "template": name,
        "channel": template[3],
    }
    if template[3] == "mail" and ctx.rng.random() < 0.6:
        record["subject"], record["subject_entities"] = _subject(ctx)
    return record


def generate(n: int = 2000, seed: int = 7) -> list[dict[str, Any]]:
    """``n`` labelled messages; the same ``(n, seed)`` always gives the same corpus."""
    fake = Faker("zh_TW")
    fake.seed_instance(seed)
    ctx = Ctx(random.Random(seed), fake)
    return [generate_one(ctx, i, seed) for i in range(n)]


def write_jsonl(records: list[dict[str, Any]], out: Any) -> None:
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="產生個資偵測評估用的標註語料 (JSONL)")
    parser.add_argument("--n", type=int, default=2000, help="number of messages (default 2000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("-o", "--output", help="output file (default: stdout)")
    args = parser.parse_args(argv)
    records = generate(args.n, args.seed)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            write_jsonl(records, fh)
    else:
        write_jsonl(records, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
