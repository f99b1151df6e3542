"""Issue 13, part 3: birth dates in prose and without a label, and the special categories
(health, criminal records) in prose about a named person — following PDPA 施行細則 §4 for
criminal records — while general health education and indictments stay out."""

from __future__ import annotations

import pytest

from dlp import Message


def _found(scanner, text: str, type_: str) -> list[str]:
    report = scanner.scan(Message(text=text))
    return [text[f.start:f.end] for f in report.findings if f.type == type_ and f.location == "body"]


@pytest.mark.parametrize("text,expected", [
    ("申請人王大明，男，71.05.30生，住本里", ["71.05.30"]),
    ("林美玲女士於民國65年7月4日出生，現居花蓮", ["民國65年7月4日"]),
    ("被告　陳志明　男　民國80年1月9日生", ["民國80年1月9日"]),
    ("阿嬤黃秀英是三十八年五月六日生的", ["三十八年五月六日"]),
    ("移送人犯：王大明（69.12.01）、林美玲（77.03.15）", ["69.12.01", "77.03.15"]),
    ("三、名冊：\n序號\t姓名\t身分證字號\t出生\n1\t王大明\tD104553971\t0690214", ["0690214"]),
])
def test_birth_dates_in_prose_brackets_and_table_columns(scanner, text: str, expected: list[str]) -> None:
    assert _found(scanner, text, "DATE_OF_BIRTH") == expected


@pytest.mark.parametrize("text", [
    "本要點自115年1月1日生效",
    "召開個案王大明先生日間照顧會議\n開會時間：115年12月1日",
    "姓名：王大明\n出生日期：民國78年2月11日\n應診日期：115年11月17日",
    "學生王大明（出生日期：101年3月18日）自115年11月10日起未到校",
    "會議（114.05.20）改期",
])
def test_other_dates_are_not_birth_dates(scanner, text: str) -> None:
    found = _found(scanner, text, "DATE_OF_BIRTH")
    assert "115年1月1日" not in found and "115年12月1日" not in found and "115年11月17日" not in found
    assert "115年11月10日" not in found and "114.05.20" not in found


@pytest.mark.parametrize("text,term", [
    ("個案王大明昨天登革熱確診，這週居家隔離", "登革熱"),
    ("當事人林美玲上週自殺未遂，目前在醫院", "自殺未遂"),
    ("王大明騎機車摔倒，右側鎖骨骨折", "右側鎖骨骨折"),
    ("王大明因椎間盤突出需住院接受手術", "椎間盤突出"),
    ("姓名\t障別\t等級\n王大明\t視覺障礙\t重度", "視覺障礙"),
    ("個案王大明（男，57歲）：肺結核（A15.0），服藥中", "A15.0"),
    # the person named at the top of a case note is the one meant by 個案 further down
    ("個案：王大明，男，45歲\n" + "訪視時案家環境尚可，案妻負責照顧三名子女，經濟來源為臨時工收入。" * 2
     + "\n個案表示最近常失眠", "失眠"),
])
def test_health_terms_about_a_named_person(scanner, text: str, term: str) -> None:
    assert term in _found(scanner, text, "HEALTH_DATA")


@pytest.mark.parametrize("text", [
    "流感好發季節，民眾如出現發燒、咳嗽請戴口罩就醫",
    "全市糖尿病盛行率較去年略增",
    "王大明依身心障礙者權益保障法進用",
    "王大明檢附診斷證明書請病假",
    "本院急診室整修，請王大明科長協助",
])
def test_health_education_statistics_and_names_of_things_are_not_health_data(scanner, text: str) -> None:
    assert _found(scanner, text, "HEALTH_DATA") == []


@pytest.mark.parametrize("text,term", [
    ("科員王大明經地方法院判處有期徒刑6月確定", "判處有期徒刑6月確定"),
    ("王大明前年經法院裁定觀察勒戒", "觀察勒戒"),
    ("被告王大明經檢察官為職權不起訴處分", "職權不起訴處分"),
    ("王大明為地方檢察署發布之通緝犯", "通緝"),
    ("王大明有毒品前科", "毒品前科"),
])
def test_criminal_records_follow_pdpa_rules_article_4(scanner, text: str, term: str) -> None:
    assert term in _found(scanner, text, "CRIMINAL_RECORD")


@pytest.mark.parametrize("text", [
    "被告王大明經檢察官提起公訴",          # an indictment alone is not a record
    "被告王大明一審判決尚未確定",
    "被告王大明判決無罪確定",
    "王大明部分俟判決確定後再行檢討",
    "王大明申請警察刑事紀錄證明",          # the certificate's name is not its content
    "警方持續查緝通緝犯，王大明里長協助宣導",
])
def test_indictments_pending_judgments_and_acquittals_are_not_records(scanner, text: str) -> None:
    assert _found(scanner, text, "CRIMINAL_RECORD") == []
