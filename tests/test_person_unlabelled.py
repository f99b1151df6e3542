"""Issue 13, part 2: names with no label — titles and ranks, verb phrases, ranked lists, padded
labels, exported chat histories, signatures, person-detail brackets — found with the surname
gazetteer, cues and jieba.posseg's ``nr`` tag; ordinary words that start with a surname
character are not names.

Strings are written for these tests (not the pack's examples, not the blind corpus)."""

from __future__ import annotations

import pytest

from dlp import Message
from dlp.recognizers.person_pos import NameTagger


def _names(scanner, text: str) -> list[str]:
    report = scanner.scan(Message(text=text))
    return [text[f.start:f.end] for f in report.findings if f.type == "PERSON" and f.location == "body"]


FOUND = [
    # titles and ranks of the civil service, police, military, schools, courts, glued or spaced
    ("本所課員莊雅芬負責受理", ["莊雅芬"]),
    ("由警務員蔡志明帶隊查緝", ["蔡志明"]),
    ("中士廖國華、下士鄭家豪於營區外滋事", ["廖國華", "鄭家豪"]),
    ("呂志宏少校奉派出國進修", ["呂志宏"]),
    ("本校學務主任　江佩蓉", ["江佩蓉"]),
    ("書記官：曾淑貞", ["曾淑貞"]),
    ("案母蕭美雲表示無力照顧", ["蕭美雲"]),
    ("相對人　簡文彬", ["簡文彬"]),
    ("原　　告　邱淑芬", ["邱淑芬"]),
    # verb phrases and hints, confirmed by jieba.posseg
    ("經查派員陳俊傑前往訪視", ["陳俊傑"]),
    ("鄰居反映黃冠宇最近常晚歸", ["黃冠宇"]),
    ("請通知林佳蓉補件", ["林佳蓉"]),
    ("郭冠廷那件車禍案已經和解", ["郭冠廷"]),
    ("你好，我叫吳宜庭，想問補助", ["吳宜庭"]),
    # ranked lists, person-detail brackets, exported chat histories, signature lines
    ("錄取名單依序為：許家銘（92.5分）、謝佩珊（90分）", ["許家銘", "謝佩珊"]),
    ("關係人何建宏（男，45歲）到場說明", ["何建宏"]),
    ("2026/11/20（五）\n09:10\t蘇怡君\t明天早上開會\n09:12\t楊宗翰\t收到", ["蘇怡君", "楊宗翰"]),
    ("謝謝。\n\n秘書室　葉怡萱（分機1234）", ["葉怡萱"]),
    ("王芳說她明天請假", ["王芳"]),
    # romanised names with a title or their Chinese name right after
    ("本次與Maria Santos教授會談", ["Maria Santos"]),
    # two surnames that spell a word are no married name; a true 冠夫姓 still is
    ("請洽陳林美玲女士", ["陳林美玲"]),
    ("Please contact Mr. David Chen for the visa papers", ["David Chen"]),
]


@pytest.mark.parametrize("text,expected", FOUND)
def test_names_without_a_label_are_found(scanner, text: str, expected: list[str]) -> None:
    assert _names(scanner, text) == expected


NOT_NAMES = [
    "高鐵站與金門縣政府之間的交通車",
    "請依方式辦理，並於期限內完成",
    "本案已查明相關責任",
    "報案人向銀行掛失提款卡",
    "民眾請戴口罩就醫",
    "患者應定期監測血糖",
    "承辦人員應使用公務信箱",
    "有關本校教師解聘案，請依規定辦理",
    "以上，請卓參。",
    "檢察官來電詢問進度",
    "司長：\n\n駐處今晨來電",
    "志明您好：謝謝您的來信",
    "林業署與苗栗縣政府合辦",
    "陳君、A君與王○明均已到場",
    "收到，謝謝淑惠督導。",
]


@pytest.mark.parametrize("text", NOT_NAMES)
def test_ordinary_words_starting_with_a_surname_are_not_names(scanner, text: str) -> None:
    assert _names(scanner, text) == []


def test_weak_cues_need_jiebas_name_tag() -> None:
    text = "請通知林佳蓉補件，帳戶有金流異常"
    tagger = NameTagger(text, frozenset({"nr", "nrfg", "nrt"}), 4)
    s = text.index("林佳蓉")
    assert tagger.agrees(s, s + 3)
    m = text.index("金流")
    assert not tagger.agrees(m, m + 2)  # 金/nr + 流/n: not one name


def test_why_is_explained_for_a_posseg_confirmed_name(scanner) -> None:
    analysis = scanner.analyze(Message(text="鄰居反映林俊毅最近常晚歸"), explain=True)
    kept = [t.candidate for t in analysis.trace if t.candidate.type == "PERSON" and t.candidate.accepted]
    assert kept and "jieba_nr" in kept[0].why


def test_a_long_clean_text_yields_no_names_and_stays_bounded(scanner) -> None:
    text = "各單位應於期限內彙整成果報告，並與本局協調後辦理。高雄市與金門縣將同步舉辦說明會。" * 200
    analysis = scanner.analyze(Message(text=text), explain=True)
    assert not [f for f in analysis.findings if f.type == "PERSON"]
    considered = [t for t in analysis.trace if t.candidate.type == "PERSON"]
    assert len(considered) <= 3 * 200  # a few candidates a sentence at most, each discarded
