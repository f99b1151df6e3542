"""What the console's buttons do: triage (with suppression and regression case), release, drop.

Every action is written to the audit trail *before* it takes effect; a failed write stops it.
Release and drop are the mail gateway's (``dlp.gateways.mail.quarantine.act_on_held``, the same
checks, ``postsuper`` calls and audit records as ``dlp quarantine``); the console adds the
second approver for mail marked 機密 or higher.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from dlp.errors import PackErrors
from dlp.gateways.mail.quarantine import act_on_held
from dlp.model import ACTIONS
from dlp.review_policy import ReviewPolicy
from dlp.store.filters import VERDICTS
from dlp.store.stats import rule_stats
from dlp.store.store import utcnow
from service.console.config import ConsoleConfig
from service.console.feedback import DEFAULT_DAYS, FeedbackError, append_case, parse_expiry, write_suppression

MAX_REASON_CHARS = 2000
NOTICES = {
    "triaged": "已記錄分類。",
    "suppressed": "已記錄為誤判，並在抑制清單新增一筆（下一次掃描起生效）；案例已加入評估語料。",
    "suppressed_no_reload": "已記錄為誤判並新增抑制；請重新載入服務的規則（POST /v1/patterns/reload）後生效。",
    "release_pending": "已申請放行；此郵件密等較高，須由另一位核可者核准。",
    "released": "已放行郵件。",
    "dropped": "已刪除郵件。",
}


class ActionError(ValueError):
    """An action that cannot be done now; the message is for people (Chinese)."""


def review_policy(scanner: Any) -> ReviewPolicy:
    review = getattr(getattr(getattr(scanner, "policy", None), "config", None), "review", None)
    return review if isinstance(review, ReviewPolicy) else ReviewPolicy()


def default_expiry() -> date:
    return date.today() + timedelta(days=DEFAULT_DAYS)


def _reason(form: Any) -> str:
    reason = " ".join(str(form.get("reason") or "").split())
    if not reason:
        raise ActionError("必須填寫原因")
    return reason[:MAX_REASON_CHARS]


def triage(config: ConsoleConfig, user: str, incident: dict[str, Any], form: Any) -> str:
    verdict = str(form.get("verdict") or "")
    if verdict not in VERDICTS:
        raise ActionError("請選擇分類：確認外洩風險、誤判或無害")
    reason = _reason(form)
    findings = {str(f["id"]): f for f in config.store.findings(incident["id"])}
    chosen = [findings[i] for i in form.getlist("finding") if i in findings] if hasattr(form, "getlist") else []
    scope = str(form.get("scope") or "none")
    if verdict != "false_positive":
        scope = "none"
    if scope != "none" and len(chosen) != 1:
        raise FeedbackError("新增抑制時請只勾選一筆發現")
    expires = parse_expiry(str(form.get("expires") or ""), date.today()) if scope != "none" else None
    rules = _rule_ids(config)
    config.audit.event("console_triage", user, incident_id=incident["id"], verdict=verdict, reason=reason,
                       findings=[f["id"] for f in chosen], scope=scope)
    entry = None
    if scope != "none":
        assert expires is not None
        try:
            entry = write_suppression(config.patterns_dir, scope, incident, chosen[0], reason, expires, user, rules)
        except PackErrors as exc:
            raise FeedbackError(f"抑制清單無法寫入：{exc}") from None
        config.audit.event("console_suppression", user, incident_id=incident["id"], suppression=entry["id"], scope=scope,
                           rule=entry.get("rule"), expires=entry["expires"])
        config.store.add_event(incident["id"], user, "suppression", {"id": entry["id"], "scope": scope, "expires": entry["expires"]})
    config.store.triage(incident["id"], verdict, reason, user, [f["id"] for f in chosen] or None)
    if verdict == "false_positive":
        for f in chosen or [f for f in findings.values() if not f["shadow"]]:
            append_case(config.corpus, incident, f, reason)
    if entry is None:
        return "triaged"
    if config.reload is None:
        return "suppressed_no_reload"
    try:
        config.reload()
    except Exception as exc:  # noqa: BLE001 - the file validated; anything else is the packs' problem
        raise FeedbackError(f"抑制已寫入，但規則重新載入失敗：{exc}") from None
    return "suppressed"


def _rule_ids(config: ConsoleConfig) -> list[str] | None:
    scanner = config.scanner()
    packset = getattr(scanner, "packset", None)
    return [r.id for r in packset.rules] if packset is not None else None


def _held(incident: dict[str, Any]) -> str:
    if incident.get("quarantine_state") not in ("held", "release_pending"):
        raise ActionError("這個事件沒有暫緩中的郵件（可能已放行、已刪除，或不是暫緩的郵件）")
    if not incident.get("queue_id"):
        raise ActionError("這個事件沒有記錄郵件佇列編號，無法從主控台處理；請用 dlp quarantine")
    return str(incident["queue_id"])


def release(config: ConsoleConfig, user: str, incident: dict[str, Any], form: Any) -> str:
    reason = _reason(form)
    incident = config.store.get(incident["id"]) or incident
    queue_id = _held(incident)
    two = review_policy(config.scanner()).needs_two_approvers(incident["secrecy_level"])
    store = config.store
    if two and incident["quarantine_state"] == "held":
        config.audit.event("console_release_requested", user, incident_id=incident["id"], queue_id=queue_id, reason=reason)
        if not store.set_quarantine(incident["id"], "release_pending", user, "release_requested", {"reason": reason},
                                    expect=["held"], release_requested_by=user, release_requested_at=utcnow(), release_reason=reason):
            raise ActionError("事件狀態剛被其他人改變，請重新整理")
        return "release_pending"
    if two and incident["release_requested_by"] == user:
        raise ActionError("標示機密以上的郵件須由另一位核可者核准放行，不能由申請人自己核准")
    approvers = [incident["release_requested_by"], user] if two else [user]
    act_on_held(config.quarantine, config.audit.append, "release", incident["id"], queue_id, user, reason,
                store=store, via="console", approvers=approvers)
    return "released"


def drop(config: ConsoleConfig, user: str, incident: dict[str, Any], form: Any) -> str:
    reason = _reason(form)
    incident = config.store.get(incident["id"]) or incident
    queue_id = _held(incident)
    act_on_held(config.quarantine, config.audit.append, "drop", incident["id"], queue_id, user, reason,
                store=config.store, via="console")
    return "dropped"


def stats_context(config: ConsoleConfig, days: int) -> dict[str, Any]:
    days = min(max(days, 1), 3650)
    since = utcnow() - timedelta(days=days)
    scanner = config.scanner()
    packset = getattr(scanner, "packset", None)
    modes = {r.id: r.mode for r in packset.rules} if packset is not None else {}
    rows = rule_stats(config.store, since)
    known = {s.rule for s in rows}
    from dlp.store.stats import RuleStats

    rows += [RuleStats(rule) for rule in sorted(modes) if rule not in known and modes[rule] == "shadow"]
    return {"rows": rows, "modes": modes, "days": days, "since": since, "actions": ACTIONS, "generated": datetime.now()}
