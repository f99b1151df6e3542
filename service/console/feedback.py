"""A false positive becomes a rule change: a scoped suppression and a regression case.

The suppression is appended to ``patterns/suppressions.yaml`` (a reviewable diff); the masked
case goes to the local evaluation corpus (``patterns/eval/false_positives.jsonl`` by default)
with ``entities: []``, so ``dlp eval`` keeps counting it until the rule stops firing there.
The corpus never gets the real value (the store does not have it): where the excerpt shows a
masked identifier, a synthetic value of the same type that passes the same checksum takes its
place, so the case still exercises the rule in the context that misled it.
"""

from __future__ import annotations

import fcntl
import json
import os
import random
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from dlp.suppressions_file import append_entry, next_entry_id

SCOPES = {"none": "不抑制", "value": "只抑制這個值", "rule": "抑制整條規則", "pair": "只抑制這位寄件者寄往這些目的地"}
DEFAULT_DAYS = 90
MAX_DAYS = 366
_MASKED = re.compile(r"[0-9A-Za-z＊*]*\*[0-9A-Za-z*＊\-]*")


class FeedbackError(ValueError):
    """Cannot write the suppression as asked; the message is for people (Chinese)."""


def parse_expiry(raw: str | None, today: date | None = None) -> date:
    today = today or date.today()
    if not raw:
        return today + timedelta(days=DEFAULT_DAYS)
    try:
        when = date.fromisoformat(raw.strip())
    except ValueError:
        raise FeedbackError("到期日格式不正確，請用 YYYY-MM-DD") from None
    if when <= today:
        raise FeedbackError("到期日必須在今天之後")
    if when > today + timedelta(days=MAX_DAYS):
        raise FeedbackError(f"到期日最多 {MAX_DAYS} 天後（抑制應定期重新檢視）")
    return when


def suppression_entry(scope: str, incident: dict[str, Any], finding: dict[str, Any], reason: str, expires: date,
                      user: str, entry_id: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": entry_id, "scope": scope}
    if scope == "value":
        if not finding.get("value_sha256"):
            raise FeedbackError("這筆發現沒有值的雜湊（記錄時尚未設定抑制檔的 salt），請改用規則或寄件者範圍")
        entry.update(type=finding["type"], rule=finding["rule"], value_sha256=finding["value_sha256"])
    elif scope == "rule":
        entry.update(rule=finding["rule"])
    elif scope == "pair":
        pair = incident.get("pair_key") or {}
        if not pair.get("sender") or not pair.get("destinations"):
            raise FeedbackError("這個事件沒有寄件者或目的地的雜湊，無法用寄件者範圍抑制")
        entry.update(rule=finding["rule"], sender_sha256=pair["sender"], destinations_sha256=list(pair["destinations"]))
    else:
        raise FeedbackError("抑制範圍不正確")
    entry.update(reason=reason, expires=expires.isoformat(), created=date.today().isoformat(), created_by=user,
                 incident=incident["id"])
    return entry


def write_suppression(patterns_dir: Path, scope: str, incident: dict[str, Any], finding: dict[str, Any], reason: str,
                      expires: date, user: str, known_rules: list[str] | None) -> dict[str, Any]:
    entry_id = next_entry_id(patterns_dir, f"fp-{incident['id'].lower()}")
    entry = suppression_entry(scope, incident, finding, reason, expires, user, entry_id)
    comment = f"{date.today().isoformat()} {user} 將事件 {incident['id']} 的 {finding['type']}（規則 {finding['rule']}）標記為誤判"
    append_entry(patterns_dir, entry, comment, known_rules)
    return entry


# -- the regression case ------------------------------------------------------------------------


def _synthetic(type_: str, rng: random.Random) -> str | None:
    from dlp.evaluation import fakes

    makers = {"TW_NATIONAL_ID": fakes.national_id, "TW_RESIDENT_ID": fakes.resident_id, "TW_PASSPORT": fakes.passport,
              "TW_NHI_NUMBER": fakes.nhi_number, "CREDIT_CARD": fakes.credit_card, "TW_BANK_ACCOUNT": fakes.bank_account,
              "TW_PHONE": fakes.phone}
    make = makers.get(type_)
    return make(rng) if make else None


def regression_text(excerpt: str, type_: str, seed: str) -> str:
    """The excerpt with the masked value nearest its middle replaced by a synthetic one of ``type_``."""
    matches = list(_MASKED.finditer(excerpt))
    value = _synthetic(type_, random.Random(seed))
    if not matches or value is None:
        return excerpt
    middle = len(excerpt) / 2
    m = min(matches, key=lambda m: abs((m.start() + m.end()) / 2 - middle))
    return excerpt[:m.start()] + value + excerpt[m.end():]


def append_case(corpus: Path, incident: dict[str, Any], finding: dict[str, Any], reason: str) -> dict[str, Any]:
    """Append the masked case (with ``entities: []``) to the JSONL corpus; returns the record."""
    case_id = f"fp-{incident['id']}-{finding['position']}"
    record = {
        "id": case_id,
        "text": regression_text(finding.get("excerpt") or "", finding["type"], case_id),
        "entities": [],
        "channel": incident.get("channel"),
        "note": f"誤判回報：事件 {incident['id']}，規則 {finding['rule']}（{finding['type']}）：{reason}",
    }
    corpus.parent.mkdir(parents=True, exist_ok=True)
    with open(corpus, "a+", encoding="utf-8") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        fh.seek(0)
        if any(json.loads(line).get("id") == case_id for line in fh if line.strip()):
            return record
        fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    return record
