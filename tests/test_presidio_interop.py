"""presidio interop, both ways: the Taiwan recognizers inside a stock presidio AnalyzerEngine next
to presidio's own English recognizers, and Report <-> RecognizerResult."""

from __future__ import annotations

import logging

import pytest
import spacy
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry, RecognizerResult
from presidio_analyzer.nlp_engine import SpacyNlpEngine

from dlp import Message, Scanner
from dlp.presidio import (
    RECOGNIZER_NAME,
    findings_from_recognizer_results,
    report_from_recognizer_results,
    taiwan_recognizers,
    to_recognizer_results,
)

MIXED = ("Contact john.doe@example.com or card 4563 1234 5678 9016. "
         "承辦人王小明，身分證字號 D104553971，手機 0912-345-678")


@pytest.fixture(scope="module")
def stock_engine(scanner: Scanner) -> AnalyzerEngine:
    """presidio as its users set it up, offline: spaCy's blank English and Chinese pipelines (no
    model download), presidio's predefined English recognizers, tldextract on its bundled
    suffix list; then the Taiwan recognizers added to the same registry."""
    import tldextract.tldextract

    tldextract.tldextract.TLD_EXTRACTOR.suffix_list_urls = ()  # = TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS=""
    nlp = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": "blank:en"}, {"lang_code": "zh", "model_name": "blank:zh"}])
    nlp.nlp = {"en": spacy.blank("en"), "zh": spacy.blank("zh")}
    registry = RecognizerRegistry(supported_languages=["en", "zh"])
    registry.load_predefined_recognizers(languages=["en"], nlp_engine=nlp)
    for recognizer in taiwan_recognizers(scanner=scanner):
        registry.add_recognizer(recognizer)
    return AnalyzerEngine(registry=registry, nlp_engine=nlp, supported_languages=["en", "zh"])


def _found(results: list[RecognizerResult], text: str) -> dict[tuple[str, str], str]:
    return {(r.entity_type, text[r.start:r.end]): r.recognition_metadata["recognizer_name"] for r in results}


def test_taiwan_recognizers_run_next_to_presidios_english_ones(stock_engine: AnalyzerEngine) -> None:
    found = _found(stock_engine.analyze(MIXED, language="en"), MIXED)
    assert found[("EMAIL_ADDRESS", "john.doe@example.com")] == "EmailRecognizer"
    assert found[("CREDIT_CARD", "4563 1234 5678 9016")] == "CreditCardRecognizer"
    assert found[("TW_NATIONAL_ID", "D104553971")] == RECOGNIZER_NAME
    assert found[("TW_PHONE", "0912-345-678")] == RECOGNIZER_NAME
    assert found[("PERSON", "王小明")] == RECOGNIZER_NAME


def test_entities_and_languages_select_the_taiwan_findings(stock_engine: AnalyzerEngine) -> None:
    only = stock_engine.analyze(MIXED, language="en", entities=["TW_NATIONAL_ID"])
    assert [(r.entity_type, r.start, r.end) for r in only] == [("TW_NATIONAL_ID", 71, 81)]
    assert only[0].recognition_metadata["dlp_rule"] == "tw-national-id"
    text = "機密 偵辦進度報告：身分證字號 D104553971"
    zh = _found(stock_engine.analyze(text, language="zh"), text)
    assert set(zh) == {("SECRECY_MARKING", "機密"), ("TW_NATIONAL_ID", "D104553971")}
    with pytest.raises(ValueError):
        taiwan_recognizers(entities=["US_SSN"])


def test_a_report_goes_to_recognizer_results_and_back_unchanged(scanner: Scanner) -> None:
    text = "密等及解密條件或保密期限：密（本件於公布時解密）\n承辦人王小明，身分證字號 D104553971，手機 0912-345-678"
    message = Message(text=text, recipients=["partner@example.com.tw"])
    report = scanner.scan(message)
    results = to_recognizer_results(report)
    assert all(isinstance(r, RecognizerResult) for r in results) and len(results) == len(report.findings)
    assert all("D104553971" not in str(r.recognition_metadata) for r in results)
    back = report_from_recognizer_results(results, text, scanner=scanner, message=message)

    def facts(r):
        return [(f.kind, f.type, f.start, f.end, round(f.score, 3), f.rule, f.level) for f in r.findings]

    assert facts(back) == facts(report)
    assert (back.action, back.secrecy_level, back.reasons) == (report.action, report.secrecy_level, report.reasons)
    assert [f.excerpt for f in back.findings] == [f.excerpt for f in report.findings]


def test_presidios_own_results_are_decided_by_the_dlp_policy(stock_engine: AnalyzerEngine, scanner: Scanner) -> None:
    text = "Card 4563 1234 5678 9016, call +886 912 345 678"
    results = stock_engine.analyze(text, language="en", entities=["CREDIT_CARD", "PHONE_NUMBER"])
    report = report_from_recognizer_results(results, text, scanner=scanner, entity_map={"PHONE_NUMBER": "TW_PHONE"},
                                            message=Message(text=text, recipients=["someone@gmail.com"]))
    assert {f.type for f in report.findings} == {"CREDIT_CARD", "TW_PHONE"}
    assert report.action == "quarantine" and "信用卡號" in report.reasons[0]
    assert all("9016" not in f.excerpt or "*" in f.excerpt for f in report.findings)
    foreign = findings_from_recognizer_results([RecognizerResult("US_SSN", 0, 11, 0.85)], "078-05-1120 x")
    assert (foreign[0].type, foreign[0].kind, foreign[0].rule) == ("US_SSN", "personal_data", "presidio:unknown")
    assert "078-05-1120" not in foreign[0].excerpt


def test_loading_packs_does_not_flood_the_log_with_presidio_lines(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        Scanner()
    presidio = [r.getMessage() for r in caplog.records if r.name == "presidio-analyzer"]
    assert not [m for m in presidio if m.startswith("Fetching all recognizers")]
    assert len(presidio) <= 10, presidio
