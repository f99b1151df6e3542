"""Fake but well-formed Taiwanese values for the evaluation corpus.

Each builder takes a ``random.Random`` (and Faker where its zh_TW output is usable) and
returns the value exactly as it is written into a message. Checksummed values are valid;
"trap" values are made to fail every validator. Faker's zh_TW addresses and phone numbers
are not realistic (no district, ``(00)`` area codes), so those are built here.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from faker import Faker

from dlp.validators import (
    LETTER_CODES,
    VALIDATORS,
    luhn_check_digit,
    national_id_check_digit,
    resident_id_old_check_digit,
    ubn_check_digit,
)

#: Well-known sample values that a filter allow-lists; the corpus never labels them.
SAMPLE_VALUES: frozenset[str] = frozenset({"A123456789", "22099131"})

_ID_LETTERS = "ABCDEFGHJKMNPQTUVWXZIO"  # letters still issued (no L, R, S, Y)
_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_CHINESE_DIGITS = "〇一二三四五六七八九"

COMPOUND_SURNAMES = ("歐陽", "司馬", "張簡", "范姜", "諸葛", "司徒", "上官", "周黃", "江謝", "張廖")
COMMON_SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝洪郭邱曾廖賴徐周葉蘇莊江呂何羅高蕭潘朱簡鍾彭游詹胡施沈余趙盧梁顏柯孫魏翁戴"
ROMANISED_NAMES = (
    "John Smith",
    "Maria Santos",
    "Nguyen Van An",
    "Siti Aminah",
    "Tanaka Hiroshi",
    "Kim Min-jun",
    "Somchai Srisuk",
    "Anna Müller",
    "David Brown",
    "Rina Wulandari",
)


# --- identifiers ---------------------------------------------------------------------------


def national_id(rng: random.Random) -> str:
    while True:
        prefix = rng.choice(_ID_LETTERS) + rng.choice("12") + f"{rng.randrange(10**7):07d}"
        value = prefix + national_id_check_digit(prefix)
        if value not in SAMPLE_VALUES:
            return value


def resident_id(rng: random.Random) -> str:
    """Either format: new (letter + 8/9 + 8 digits) or old (two letters + 8 digits)."""
    if rng.random() < 0.6:
        prefix = rng.choice(_ID_LETTERS) + rng.choice("89") + f"{rng.randrange(10**7):07d}"
        return prefix + national_id_check_digit(prefix)
    prefix = rng.choice(_ID_LETTERS) + rng.choice("ABCD") + f"{rng.randrange(10**7):07d}"
    return prefix + resident_id_old_check_digit(prefix)


def trap_code(rng: random.Random) -> str:
    """An ID-shaped product code or serial that fails every checksum."""
    while True:
        value = rng.choice("ABCDEFGHJKMNPQTUVWXZ") + rng.choice("12ABCD89") + f"{rng.randrange(10**8):08d}"
        if not any(check(value) for check in VALIDATORS.values()):
            return value


def ubn(rng: random.Random) -> str:
    while True:
        prefix = f"{rng.randrange(10**7):07d}"
        value = prefix + ubn_check_digit(prefix)
        if value not in SAMPLE_VALUES:
            return value


def credit_card(rng: random.Random) -> str:
    kind = rng.choice(["visa", "visa", "master", "jcb", "amex"])
    if kind == "amex":
        payload = rng.choice(["34", "37"]) + f"{rng.randrange(10**12):012d}"
        number = payload + luhn_check_digit(payload)
        groups = [number[:4], number[4:10], number[10:]]
    else:
        head = {"visa": "4", "master": rng.choice(["51", "52", "53", "54", "55"]), "jcb": "35"}[kind]
        payload = head + "".join(rng.choice("0123456789") for _ in range(15 - len(head)))
        number = payload + luhn_check_digit(payload)
        groups = [number[i : i + 4] for i in range(0, 16, 4)]
    return rng.choice(["-", " ", ""]).join(groups)


def passport(rng: random.Random) -> str:
    return str(rng.choice([3, 3, 3, 2, 1])) + f"{rng.randrange(10**8):08d}"


def nhi_number(rng: random.Random) -> str:
    digits = "0000" + f"{rng.randrange(10**8):08d}"
    if rng.random() < 0.3:
        return " ".join([digits[:4], digits[4:8], digits[8:]])
    return digits


BANK_CODES = ("004", "005", "006", "007", "008", "009", "012", "013", "017", "700", "803", "808", "812", "822")
BANK_NAMES = {
    "004": "臺灣銀行",
    "005": "土地銀行",
    "006": "合作金庫",
    "007": "第一銀行",
    "008": "華南銀行",
    "009": "彰化銀行",
    "012": "台北富邦",
    "013": "國泰世華",
    "017": "兆豐銀行",
    "700": "中華郵政",
    "803": "聯邦銀行",
    "808": "玉山銀行",
    "812": "台新銀行",
    "822": "中國信託",
}


def bank_account(rng: random.Random) -> str:
    length = rng.choice([10, 11, 12, 12, 13, 14])
    return str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in range(length - 1))


# --- phones ----------------------------------------------------------------------------------

#: (area code, local number length, first digits the local number may start with)
AREA_CODES: tuple[tuple[str, int], ...] = (
    ("02", 8),
    ("03", 7),
    ("037", 6),
    ("04", 8),
    ("04", 7),
    ("049", 7),
    ("05", 7),
    ("06", 7),
    ("07", 7),
    ("08", 7),
    ("089", 6),
    ("082", 6),
    ("0826", 5),
    ("0836", 5),
)


def _local(rng: random.Random, n: int) -> str:
    return str(rng.randint(2, 8)) + "".join(rng.choice("0123456789") for _ in range(n - 1))


def mobile(rng: random.Random) -> str:
    d = "9" + "".join(rng.choice("0123456789") for _ in range(8))
    form = rng.randrange(6)
    if form == 0:
        return f"0{d[:3]}-{d[3:6]}-{d[6:]}"
    if form == 1:
        return f"0{d}"
    if form == 2:
        return f"+886-{d[:3]}-{d[3:6]}-{d[6:]}"
    if form == 3:
        return f"0{d[:3]} {d[3:6]} {d[6:]}"
    if form == 4:
        return f"+886 {d[:3]} {d[3:6]} {d[6:]}"
    return f"0{d[:3]}-{d[3:]}"


def landline(rng: random.Random, extension: bool | None = None) -> str:
    code, n = rng.choice(AREA_CODES)
    local = _local(rng, n)
    split = local[: n - 4] + "-" + local[n - 4 :] if n >= 7 else local
    form = rng.randrange(6)
    if form == 0:
        number = f"({code}){split}"
    elif form == 1:
        number = f"{code}-{local}"
    elif form == 2:
        number = f"{code}-{split}"
    elif form == 3:
        number = f"({code}) {split}"
    elif form == 4:
        number = f"{code} {split.replace('-', ' ')}"
    else:
        number = f"+886-{code[1:]}-{split}"
    if extension is None:
        extension = rng.random() < 0.25
    if extension:
        ext = str(rng.randint(10, 9999))
        number += rng.choice([f"#{ext}", f"分機{ext}", f" 分機{ext}", f"轉{ext}", f" #{ext}"])
    return number


def phone(rng: random.Random) -> str:
    return mobile(rng) if rng.random() < 0.55 else landline(rng)


def hotline(rng: random.Random) -> str:
    """Short codes and toll-free service numbers: never personal data."""
    return rng.choice(
        [
            "1999",
            "110",
            "119",
            "165",
            "1950",
            "113",
            "1966",
            "1922",
            "0800-000-123",
            "0800-211-459",
            "0800-024-099",
            "0800085717",
        ]
    )


# --- e-mail ----------------------------------------------------------------------------------

MAIL_DOMAINS = (
    "gmail.com",
    "yahoo.com.tw",
    "hotmail.com",
    "msa.hinet.net",
    "outlook.com",
    "mail.taipei.gov.tw",
    "ms1.hinet.net",
    "hl.gov.tw",
    "moi.gov.tw",
    "ntpc.gov.tw",
    "ms.tcc.edu.tw",
)


def email(rng: random.Random, fake: Faker) -> str:
    user = fake.user_name().replace("-", rng.choice(["", ".", "_"]))
    if rng.random() < 0.3:
        user += str(rng.randint(1, 99))
    return f"{user}@{rng.choice(MAIL_DOMAINS)}"


# --- names -----------------------------------------------------------------------------------


def person_name(rng: random.Random, fake: Faker) -> str:
    """Mostly Faker's zh_TW names; some compound surnames, 冠夫姓, two-character names."""
    r = rng.random()
    if r < 0.08:
        return rng.choice(COMPOUND_SURNAMES) + fake.first_name()
    if r < 0.13:
        return rng.choice(COMMON_SURNAMES) + rng.choice(COMMON_SURNAMES) + fake.first_name()
    if r < 0.18:
        return rng.choice(COMMON_SURNAMES) + fake.first_name()[0]
    name = fake.name().replace(" ", "")
    return name


def masked_name(rng: random.Random, fake: Faker) -> str:
    """A de-identified name such as 王○明 or 陳○○; never labelled."""
    surname = rng.choice(COMMON_SURNAMES)
    given = fake.first_name()
    mark = rng.choice(["○", "Ｏ", "〇", "O"])
    if rng.random() < 0.5:
        return surname + mark + given[-1]
    return surname + mark * len(given)


def company(rng: random.Random, fake: Faker) -> str:
    """A company name that carries its legal form (Faker sometimes returns bare names)."""
    for _ in range(20):
        name = fake.company()
        if name.endswith(("公司", "銀行", "飯店", "社", "商行", "事務所")):
            return name
    return "宏達資訊股份有限公司"


# --- numbers and dates -------------------------------------------------------------------------


def chinese_number(n: int) -> str:
    """1..999 in Chinese numerals as written in addresses (二十三, 一百零五)."""
    if n < 10:
        return _CHINESE_DIGITS[n]
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += _CHINESE_DIGITS[hundreds] + "百"
        if tens == 0 and ones:
            return out + "零" + _CHINESE_DIGITS[ones]
    if tens:
        out += ("" if tens == 1 and not hundreds else _CHINESE_DIGITS[tens]) + "十"
    if ones:
        out += _CHINESE_DIGITS[ones]
    return out


def number(rng: random.Random, n: int, style: str) -> str:
    if style == "full":
        return str(n).translate(_FULL_WIDTH)
    if style == "chinese":
        return chinese_number(n)
    return str(n)


@dataclass(frozen=True)
class Date:
    year: int
    month: int
    day: int


def random_date(rng: random.Random, first_year: int, last_year: int) -> Date:
    return Date(rng.randint(first_year, last_year), rng.randint(1, 12), rng.randint(1, 28))


def format_date(rng: random.Random, d: Date, two_digit_roc: bool = False) -> str:
    """A date in one of the ROC or AD forms seen in forms and letters."""
    roc = d.year - 1911
    forms = [
        f"民國{roc}年{d.month}月{d.day}日",
        f"中華民國{roc}年{d.month}月{d.day}日",
        f"{roc}年{d.month:02d}月{d.day:02d}日",
        f"{roc}/{d.month:02d}/{d.day:02d}",
        f"{roc}.{d.month}.{d.day}",
        f"{roc:03d}{d.month:02d}{d.day:02d}",
        f"{d.year}-{d.month:02d}-{d.day:02d}",
        f"{d.year}/{d.month}/{d.day}",
        f"{d.year}年{d.month}月{d.day}日",
    ]
    if two_digit_roc and roc < 100:
        forms.append(f"{roc:02d}.{d.month:02d}.{d.day:02d}")
    return rng.choice(forms)


# --- addresses ---------------------------------------------------------------------------------

#: city -> [(postal prefix, district)]; a sample of real pairs.
DISTRICTS: dict[str, tuple[tuple[str, str], ...]] = {
    "臺北市": (
        ("100", "中正區"),
        ("103", "大同區"),
        ("104", "中山區"),
        ("106", "大安區"),
        ("110", "信義區"),
        ("114", "內湖區"),
    ),
    "新北市": (("220", "板橋區"), ("231", "新店區"), ("234", "永和區"), ("241", "三重區"), ("251", "淡水區")),
    "桃園市": (("330", "桃園區"), ("320", "中壢區"), ("324", "平鎮區"), ("333", "龜山區")),
    "臺中市": (("400", "中區"), ("403", "西區"), ("407", "西屯區"), ("420", "豐原區"), ("436", "清水區")),
    "臺南市": (("700", "中西區"), ("701", "東區"), ("710", "永康區"), ("730", "新營區")),
    "高雄市": (("800", "新興區"), ("802", "苓雅區"), ("807", "三民區"), ("830", "鳳山區"), ("811", "楠梓區")),
    "基隆市": (("200", "仁愛區"), ("202", "中正區")),
    "新竹市": (("300", "東區"), ("300", "北區")),
    "嘉義市": (("600", "東區"), ("600", "西區")),
    "新竹縣": (("302", "竹北市"), ("310", "竹東鎮")),
    "苗栗縣": (("360", "苗栗市"), ("351", "頭份市")),
    "彰化縣": (("500", "彰化市"), ("510", "員林市"), ("505", "鹿港鎮")),
    "南投縣": (("540", "南投市"), ("545", "埔里鎮")),
    "雲林縣": (("640", "斗六市"), ("632", "虎尾鎮")),
    "嘉義縣": (("612", "太保市"), ("613", "朴子市")),
    "屏東縣": (("900", "屏東市"), ("920", "潮州鎮")),
    "宜蘭縣": (("260", "宜蘭市"), ("265", "羅東鎮")),
    "花蓮縣": (("970", "花蓮市"), ("973", "吉安鄉")),
    "臺東縣": (("950", "臺東市"), ("953", "延平鄉")),
    "澎湖縣": (("880", "馬公市"),),
    "金門縣": (("893", "金城鎮"), ("891", "金湖鎮")),
    "連江縣": (("209", "南竿鄉"),),
}
ROADS = (
    "中山路",
    "中正路",
    "民生路",
    "民權東路",
    "忠孝東路",
    "仁愛路",
    "信義路",
    "和平東路",
    "復興南路",
    "建國北路",
    "文化路",
    "光復路",
    "成功路",
    "中華路",
    "自由路",
    "博愛路",
    "公園路",
    "大同路",
    "三民路",
    "林森北路",
    "南京東路",
    "市府路",
    "英才路",
    "五福一路",
    "縣府路",
    "府前路",
    "永福街",
    "長春街",
    "和平街",
    "育英街",
    "延平北路",
    "重慶南路",
    "景美街",
    "民族路",
)
_SECTION_ROADS = (
    "忠孝東路",
    "民權東路",
    "和平東路",
    "復興南路",
    "建國北路",
    "信義路",
    "仁愛路",
    "南京東路",
    "中山路",
    "重慶南路",
    "延平北路",
    "林森北路",
)
VILLAGE_SUFFIX = ("里", "村")


def address(rng: random.Random) -> str:
    """A full address from optional postal code and 縣市 down to 號, 樓 or 室 (+之N)."""
    city = rng.choice(list(DISTRICTS))
    postal, district = rng.choice(DISTRICTS[city])
    style = rng.choices(["arabic", "full", "chinese"], weights=[7, 2, 1])[0]
    parts: list[str] = []
    r = rng.random()
    if r < 0.25:
        parts.append(postal)
    elif r < 0.35:
        parts.append(postal + f"{rng.randint(1, 99):02d}")
    elif r < 0.42:
        parts.append(postal + f"{rng.randint(1, 999):03d}")
    if parts and rng.random() < 0.3:
        parts.append(" ")
    if rng.random() < 0.4:
        city = city.replace("臺", "台")
    parts += [city, district]
    if rng.random() < 0.15:
        parts.append(rng.choice("東西南北中仁和平安福德") + rng.choice("興勢正山") + rng.choice(VILLAGE_SUFFIX))
        if rng.random() < 0.5:
            parts.append(number(rng, rng.randint(1, 30), style) + "鄰")
    road = rng.choice(ROADS)
    parts.append(road)
    if road in _SECTION_ROADS and rng.random() < 0.6:
        parts.append(chinese_number(rng.randint(1, 5)) + "段")
    if rng.random() < 0.3:
        parts.append(number(rng, rng.randint(1, 300), style) + "巷")
        if rng.random() < 0.3:
            parts.append(number(rng, rng.randint(1, 30), style) + "弄")
    no = rng.randint(1, 399)
    if rng.random() < 0.1 and style == "arabic":
        parts.append(f"{no}-{rng.randint(1, 9)}號")
    else:
        parts.append(number(rng, no, style) + "號")
        if rng.random() < 0.12:
            parts.append("之" + number(rng, rng.randint(1, 9), style))
    if rng.random() < 0.5:
        parts.append(number(rng, rng.randint(2, 28), style) + "樓")
        r = rng.random()
        if r < 0.2:
            parts.append("之" + number(rng, rng.randint(1, 9), style))
        elif r < 0.3:
            parts.append(number(rng, rng.randint(1, 20), "arabic") + "室")
    return "".join(parts)


def road_only(rng: random.Random) -> str:
    """A road or district mention without a house number: not an address."""
    city = rng.choice(list(DISTRICTS))
    _, district = rng.choice(DISTRICTS[city])
    return rng.choice([city + district, district + rng.choice(ROADS), rng.choice(ROADS), city + rng.choice(ROADS)])


# --- 公文 -------------------------------------------------------------------------------------

AGENCIES = (
    ("臺北市政府教育局", "北市教"),
    ("新北市政府社會局", "新北社"),
    ("內政部", "內授"),
    ("衛生福利部", "衛部"),
    ("法務部", "法"),
    ("花蓮縣政府", "府"),
    ("臺中市政府警察局", "中市警"),
    ("高雄市政府衛生局", "高市衛"),
    ("交通部公路局", "路"),
    ("數位發展部", "數位"),
    ("桃園市政府民政局", "桃民"),
    ("國家發展委員會", "發"),
)


def document_number(rng: random.Random, code: str, roc_year: int) -> str:
    """A 發文字號 such as 北市教字第1140012345號."""
    mid = rng.choice(["字", "授字", "人字", "秘字", "綜字"]) if rng.random() < 0.4 else "字"
    return f"{code}{mid}第{roc_year:03d}{rng.randrange(10**7):07d}號"


def letter_code(rng: random.Random) -> str:
    """Base letters for short codes (A-Z) without I and O."""
    return rng.choice([c for c in LETTER_CODES if c not in "IO"])
