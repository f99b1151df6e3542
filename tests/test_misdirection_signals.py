"""The misdirection guard in the library: signals from plain history facts, policy rows with modes,
the report's block, validation of the policy section, and ``dlp explain``. No database here:
``Scanner.scan`` gets the facts handed in."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from dlp import Conversation, Message, Scanner
from dlp.errors import PackErrors
from dlp.misdirection import ConversationFacts, DestinationFacts, HistoryFacts, Usage
from dlp.policy import Policy

REPO = Path(__file__).resolve().parents[1]
TODAY = date(2025, 3, 10)
ROSTER = "社會救助名冊：陳美玲 身分證字號 F235071300"
MARKED = "密\n\n主旨：本案偵查進度報告\n說明：嫌疑人已鎖定落腳處。"
SENDER = "clerk@hl.gov.tw"


def used(n: int = 30, last: date = TODAY - timedelta(days=3), level: str = "none", ids: int = 0, senders: int = 1,
         sensitive_senders: int = 0) -> Usage:
    return Usage(messages=n, first_seen=last - timedelta(days=60), last_seen=last, max_level=level, identifier_messages=ids,
                 senders=senders, sensitive_senders=sensitive_senders)


def facts(destinations: dict[str, DestinationFacts], sender_messages: int = 80, domains: dict[str, int] | None = None,
          conversation: ConversationFacts | None = None) -> HistoryFacts:
    return HistoryFacts(today=TODAY, sender_messages=sender_messages, destinations=destinations,
                        sender_domains=domains or {"hl.gov.tw": 80}, conversation=conversation)


def mail(text: str, *to: str, sender: str = SENDER) -> Message:
    return Message(text=text, channel="mail", sender=sender, recipients=list(to))


def signals(report: Any, mode: str = "enforce") -> list[dict[str, Any]]:
    return [s for s in (report.misdirection or {}).get("signals", []) if s["mode"] == mode]


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    return Scanner()


def shadow_scanner(tmp_path: Path, edit) -> Scanner:  # type: ignore[no-untyped-def]
    doc = yaml.safe_load((REPO / "patterns" / "policy.yaml").read_text(encoding="utf-8"))
    edit(doc)
    path = tmp_path / "policy.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return Scanner(policy_path=path)


# -- first time ---------------------------------------------------------------------------------------
def test_first_time_recipient_with_identifiers_is_warned_and_says_so(scanner: Scanner) -> None:
    f = facts({"chen@hl.gov.tw": DestinationFacts("mail", by_sender=used(), domain="hl.gov.tw")})
    report = scanner.scan(mail(ROSTER, "lin@hl.gov.tw"), history=f)
    assert report.action == "warn"
    [s] = signals(report)
    assert s["signal"] == "first_time" and s["destination"] == "l***@hl.gov.tw"
    assert s["evidence"][0]["code"] == "first_time"
    assert any("l***@hl.gov.tw" in r and "第一次" in r for r in report.reasons)
    assert "lin@hl.gov.tw" not in " ".join(report.reasons)  # the reason shows the masked address


def test_the_same_mail_to_the_usual_colleague_is_not_flagged(scanner: Scanner) -> None:
    f = facts({"chen@hl.gov.tw": DestinationFacts("mail", by_sender=used(ids=12), domain="hl.gov.tw")})
    report = scanner.scan(mail(ROSTER, "chen@hl.gov.tw"), history=f)
    assert report.action == "allow" and signals(report) == []


def test_a_destination_unused_for_longer_than_stale_days_counts_as_first_with_its_date(scanner: Scanner) -> None:
    old = TODAY - timedelta(days=200)
    f = facts({"chen@hl.gov.tw": DestinationFacts("mail", by_sender=used(last=old, ids=5), domain="hl.gov.tw")})
    [s] = signals(scanner.scan(mail(ROSTER, "chen@hl.gov.tw"), history=f))
    assert s["evidence"][0] == {"code": "stale", "days": 200, "last_used": old.isoformat(),
                                "text": f"已 200 天未傳送給此對象（上次 {old.isoformat()}）"}


def test_cold_start_turns_the_first_time_signal_off_and_says_why(scanner: Scanner) -> None:
    report = scanner.scan(mail(ROSTER, "lin@hl.gov.tw"), history=facts({}, sender_messages=5))
    assert report.action == "allow" and signals(report) == []
    assert report.misdirection["history"] == "cold_start"
    assert "5 則" in report.misdirection["notes"][0] and "20 則" in report.misdirection["notes"][0]


def test_without_history_only_the_history_free_signals_run(scanner: Scanner) -> None:
    report = scanner.scan(mail(ROSTER, "lin@hl.gov.tw"))
    assert report.misdirection["history"] == "unavailable" and signals(report) == []


def test_non_sensitive_content_to_a_new_recipient_is_not_flagged(scanner: Scanner) -> None:
    report = scanner.scan(mail("明天下午兩點開會", "lin@hl.gov.tw"), history=facts({}))
    assert report.action == "allow" and signals(report) == []
    assert report.misdirection["content"]["sensitive"] is False


def test_an_established_sensitive_recipient_is_not_a_first_time(scanner: Scanner) -> None:
    """The welfare clerk gets rosters from five colleagues: a sixth starting to send them is joining."""
    clerk = DestinationFacts("mail", by_anyone=used(200, ids=150, senders=9, sensitive_senders=5), domain="hl.gov.tw")
    report = scanner.scan(mail(ROSTER, "welfare@hl.gov.tw"), history=facts({"welfare@hl.gov.tw": clerk}))
    assert signals(report) == []


# -- sensitivity jump: the bulletin's case --------------------------------------------------------------
def test_first_marked_report_to_a_200_member_group_names_the_group_and_says_it_is_a_first(scanner: Scanner) -> None:
    group = Conversation(id="C-all", name="全府同仁", members=200, registered=True)
    f = facts({"chat:C-all": DestinationFacts("chat", by_sender=used(14), by_anyone=used(3000, senders=180))})
    report = scanner.scan(Message(text=MARKED, channel="chat", sender="officer@hl.gov.tw", conversation=group), history=f)
    [s] = signals(report)
    assert s["signal"] == "sensitivity_jump" and s["destination"] == "群組「全府同仁」（200 人）"
    codes = [e["code"] for e in s["evidence"]]
    assert codes == ["sender_never", "nobody_sent", "last_used"]
    reason = next(r for r in report.reasons if "全府同仁" in r and "第一次" in r)
    assert "此群組過去未曾收過標示「密」的內容" in reason
    assert report.action == "block"  # and the group rules block a 密 message in a chat anyway


def test_no_jump_where_the_sender_always_sends_that_level(scanner: Scanner) -> None:
    group = Conversation(id="C-task", name="專案小組", members=12, registered=True)
    f = facts({"chat:C-task": DestinationFacts("chat", by_sender=used(40, level="official_secret"))})
    report = scanner.scan(Message(text=MARKED, channel="chat", sender="officer@hl.gov.tw", conversation=group), history=f)
    assert signals(report) == []


# -- look-alike domains and namesakes -------------------------------------------------------------------
def test_id_to_hl_gov_tw_lookalike_is_quarantined_with_the_similar_domain(scanner: Scanner) -> None:
    f = facts({"chen@hl-gov.tw": DestinationFacts("mail", domain="hl-gov.tw", domain_by_anyone=Usage())})
    report = scanner.scan(mail(ROSTER, "chen@hl-gov.tw"), history=f)
    assert report.action == "quarantine"
    s = next(s for s in signals(report) if s["signal"] == "lookalike_domain")
    assert (s["rule"], s["similar_to"], s["domain"]) == ("misdirection-lookalike-sensitive", "hl.gov.tw", "hl-gov.tw")
    assert s["evidence"][0]["text"] == "與 hl.gov.tw 只差 1 個字元"


def test_a_lookalike_without_sensitive_content_is_only_warned(scanner: Scanner) -> None:
    report = scanner.scan(mail("明天開會資料如附", "chen@hl-gov.tw"))
    assert report.action == "warn"
    assert [s["rule"] for s in signals(report)] == ["misdirection-lookalike"]


def test_a_domain_the_agency_writes_to_routinely_is_not_a_lookalike(scanner: Scanner) -> None:
    known = DestinationFacts("mail", domain="hl-gov.tw", domain_by_anyone=used(500, senders=40))
    report = scanner.scan(mail("明天開會資料如附", "chen@hl-gov.tw"), history=facts({"chen@hl-gov.tw": known}))
    assert not any(s["signal"] == "lookalike_domain" for s in signals(report))


def test_webmail_with_the_senders_own_name_is_flagged(scanner: Scanner) -> None:
    report = scanner.scan(mail(ROSTER, "Clerk@Gmail.com"))
    s = next(s for s in signals(report) if s["signal"] == "webmail_namesake")
    assert s["evidence"][0]["code"] == "namesake_sender"


def test_webmail_with_a_colleagues_name_uses_the_history(scanner: Scanner) -> None:
    f = facts({"chen.wei@gmail.com": DestinationFacts("mail", domain="gmail.com", namesake_colleague=True)})
    report = scanner.scan(mail(ROSTER, "chen.wei@gmail.com"), history=f)
    assert any(e["code"] == "namesake_colleague" for s in signals(report) for e in s["evidence"])


# -- mixed audience -------------------------------------------------------------------------------------
def test_one_new_outsider_among_colleagues_is_flagged(scanner: Scanner) -> None:
    f = facts({a: DestinationFacts("mail", by_sender=used(ids=5), domain="hl.gov.tw") for a in ("a@hl.gov.tw", "b@hl.gov.tw")})
    report = scanner.scan(mail(ROSTER, "a@hl.gov.tw", "b@hl.gov.tw", "chen@example.com"), history=f)
    s = next(s for s in signals(report) if s["signal"] == "mixed_audience")
    assert s["destination"] == "c***@example.com"
    assert [e["code"] for e in s["evidence"]] == ["one_outsider", "first_time"]


def test_the_usual_outside_copy_is_not_flagged(scanner: Scanner) -> None:
    usual = {a: DestinationFacts("mail", by_sender=used(ids=5), domain=a.split("@")[1])
             for a in ("a@hl.gov.tw", "b@hl.gov.tw", "chen@example.com")}
    report = scanner.scan(mail(ROSTER, "a@hl.gov.tw", "b@hl.gov.tw", "chen@example.com"), history=facts(usual))
    assert not any(s["signal"] == "mixed_audience" for s in signals(report))


def test_a_group_whose_outsiders_joined_recently_is_flagged(scanner: Scanner) -> None:
    group = Conversation(id="C-p", name="與廠商聯繫", members=12, external_members=3, registered=False)
    f = facts({"chat:C-p": DestinationFacts("chat", by_sender=used(20, ids=3))},
              conversation=ConversationFacts(external_members_before=1, external_increased_on=None))
    report = scanner.scan(Message(text=ROSTER, channel="chat", sender="clerk@hl.gov.tw", conversation=group), history=f)
    s = next(s for s in signals(report) if s["signal"] == "mixed_audience")
    assert s["evidence"][0]["code"] == "external_joined" and s["evidence"][0]["external"] == 3


# -- modes, policy, explain -----------------------------------------------------------------------------
def test_a_shadow_row_is_reported_with_what_it_would_do_and_never_acts(tmp_path: Path) -> None:
    def edit(doc: dict[str, Any]) -> None:
        for row in doc["misdirection"]["rules"]:
            row["mode"] = "shadow"

    shadow = shadow_scanner(tmp_path, edit)
    f = facts({"chen@hl.gov.tw": DestinationFacts("mail", by_sender=used(), domain="hl.gov.tw")})
    report = shadow.scan(mail(ROSTER, "lin@hl.gov.tw"), history=f)
    assert report.action == "allow" and report.reasons == []
    [s] = signals(report, "shadow")
    assert s["rule"] == "misdirection-first-time" and s["action"] == "warn"


def test_per_column_actions_and_content_any(tmp_path: Path) -> None:
    def edit(doc: dict[str, Any]) -> None:
        row = doc["misdirection"]["rules"][0]
        del row["action"]
        row["actions"] = {"internal_mail": "allow", "external_mail": "quarantine", "personal_webmail": "block",
                          "registered_group": "warn", "other_chat": "warn"}
        row["content"] = "any"

    s = shadow_scanner(tmp_path, edit)
    f = facts({})
    assert s.scan(mail("明天開會", "lin@hl.gov.tw"), history=f).action == "allow"
    assert s.scan(mail("明天開會", "lin@example.com"), history=f).action == "quarantine"


@pytest.mark.parametrize(("edit", "key"), [
    (lambda m: m["rules"][0].update(signal="typo"), "misdirection.rules.misdirection-first-time.signal"),
    (lambda m: m["rules"][0].update(mode="sometimes"), "misdirection.rules.misdirection-first-time.mode"),
    (lambda m: m["rules"][0].update(reason="{nonsense}"), "misdirection.rules.misdirection-first-time.reason"),
    (lambda m: m["rules"][0].update(actions={"internal_mail": "warn"}), "misdirection.rules.misdirection-first-time"),
    (lambda m: m.update(learn_from=["allow", "block"]), "misdirection.learn_from"),
    (lambda m: m["lookalike"].update(max_edit_distance=9), "misdirection.lookalike.max_edit_distance"),
    (lambda m: m["texts"]["evidence"].pop("stale"), "misdirection.texts.evidence.stale"),
    (lambda m: m.update(retention_days=0), "misdirection.retention_days"),
    (lambda m: m["sensitive"].update(identifiers=["NO_SUCH_TYPE"]), "misdirection.sensitive.identifiers"),
])
def test_a_bad_section_is_refused_with_the_key(tmp_path: Path, edit, key: str) -> None:  # type: ignore[no-untyped-def]
    doc = yaml.safe_load((REPO / "patterns" / "policy.yaml").read_text(encoding="utf-8"))
    edit(doc["misdirection"])
    path = tmp_path / "policy.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(PackErrors) as info:
        Policy.load(path)
    assert key in [e.rule for e in info.value.errors], [str(e) for e in info.value.errors]


def test_a_policy_without_the_section_has_no_block(tmp_path: Path) -> None:
    s = shadow_scanner(tmp_path, lambda doc: doc.pop("misdirection"))
    report = s.scan(mail(ROSTER, "chen@hl-gov.tw"))
    assert report.misdirection is None and "misdirection" not in report.to_dict()
    assert report.action == "warn"  # the main table alone


def test_dlp_explain_shows_the_signals(capsys: pytest.CaptureFixture[str]) -> None:
    from dlp.cli import main

    assert main(["explain", ROSTER, "--from", SENDER, "--to", "chen@hl-gov.tw"]) == 0
    out = capsys.readouterr().out
    assert "結果：action=quarantine" in out
    assert "誤寄訊號：lookalike_domain → misdirection-lookalike-sensitive quarantine" in out
    assert "與 hl.gov.tw 只差 1 個字元" in out
    assert "說明：沒有提供寄件者的傳送歷史" in out
