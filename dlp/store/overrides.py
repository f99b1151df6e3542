"""A sender's override with a written justification (Purview's "override with business justification").

The sender got ``warn`` (or, where the policy allows, ``quarantine``) with an incident id; it
sends the same message again with ``override: {incident_id, justification}``. The override is
accepted only when the incident exists, is recent enough, is the same content from the same
sender, the policy lets this action be overridden for this destination, and the justification
is long enough. Accepted, the decision becomes ``allow`` with an exception saying so; either
way the attempt is an audit record (``fields["override"]``) and a row the console shows. The
justification is kept with personal data masked.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from dlp.model import Report
from dlp.store.ids import normalize_incident_id
from dlp.store.store import IncidentStore, utcnow

MAX_JUSTIFICATION_CHARS = 2000


def _get(obj: Any, name: str) -> str:
    value = obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)
    return value if isinstance(value, str) else ""


def _refusal(store: IncidentStore | None, incident: dict[str, Any] | None, fields: dict[str, Any], report: Report,
             review: Any, justification: str) -> str | None:
    if store is None:
        return "此服務沒有事件資料庫，無法覆寫"
    if incident is None:
        return "找不到這個事件編號"
    if review is None:
        from dlp.review_policy import ReviewPolicy

        review = ReviewPolicy()
    if incident["created_at"] + timedelta(minutes=review.max_age_minutes) < utcnow():
        return f"事件已超過 {review.max_age_minutes} 分鐘，不能再覆寫，請重新寄送"
    if incident.get("content_sha256") != fields.get("content_sha256"):
        return "內容與原事件不同，覆寫只適用於同一份內容"
    if (incident.get("sender_sha256") or None) != ((fields.get("sender") or {}).get("sha256") or None):
        return "寄件者與原事件不同"
    column = str((report.destination or {}).get("column") or "")
    if report.action == "allow":
        return "這次的處置已是允許，不需要覆寫"
    if not review.may_override(column, report.action):
        return f"政策不允許覆寫此目的地（{column}）的「{report.action}」處置"
    if len(justification) < review.min_justification_chars:
        return f"請寫明業務上的理由（至少 {review.min_justification_chars} 個字）"
    return None


def apply_override(store: IncidentStore | None, override: Any, fields: dict[str, Any], report: Report,
                   review: Any = None, redact: Any = None) -> dict[str, Any]:
    """Decide on the override; on acceptance change ``report`` and ``fields`` to allow. Returns
    what the answer adds (``override``, and ``action``/``exceptions`` when accepted)."""
    incident_id = normalize_incident_id(_get(override, "incident_id"))
    justification = " ".join(_get(override, "justification").split())[:MAX_JUSTIFICATION_CHARS]
    masked = redact(justification) if redact is not None and justification else justification
    incident = store.get(incident_id) if store is not None else None
    refusal = _refusal(store, incident, fields, report, review, justification)
    original = report.action
    column = str((report.destination or {}).get("column") or "")
    doc: dict[str, Any] = {"incident_id": incident_id, "accepted": refusal is None, "original_action": original}
    if refusal:
        doc["refusal"] = refusal
    fields["override"] = {**doc, "justification": masked}
    out: dict[str, Any] = {"override": doc}
    if incident is not None:
        out["_override_row"] = {"incident_id": incident_id, "key_id": fields.get("key_id"), "original_action": original,
                                "destination": column, "accepted": refusal is None, "justification": masked, "refusal": refusal}
    if refusal is None:
        note = f"寄件者已寫明理由並覆寫事件 {incident_id} 的處置（原為「{original}」），放行並記錄"
        report.action = "allow"
        report.exceptions.append(note)
        fields["action"] = "allow"
        out["action"] = "allow"
        out["exceptions"] = list(report.exceptions)
    return out
