"""Words the console shows: from the loaded policy where it has them, else these defaults."""

from __future__ import annotations

import re
from typing import Any

#: "{n} 筆身分證統一編號" -> "身分證統一編號": the policy's count phrase without the count.
_COUNT_WORD = re.compile(r"^\{n\}\s*[筆處個]?")

CHANNELS = {"mail": "電子郵件", "chat": "通訊軟體", "other": "其他"}
STATUSES = {"open": "待分類", "true_positive": "確認外洩風險", "false_positive": "誤判", "benign": "無害（允許的業務）"}
QUARANTINE = {"held": "暫緩中", "release_pending": "待第二位核可者", "released": "已放行", "dropped": "已刪除"}
ACTIONS = {"allow": "允許", "warn": "提醒", "redact": "遮蔽後傳送", "quarantine": "暫緩待審", "block": "阻擋"}
LEVELS = {"none": "無", "restricted": "限閱", "official_secret": "密", "confidential": "機密", "secret": "極機密",
          "top_secret": "絕對機密"}
EVENTS = {"triage": "分類", "suppression": "新增抑制", "release_requested": "申請放行", "released": "放行",
          "dropped": "刪除", "quarantine_failed": "佇列操作失敗", "override_accepted": "寄件者覆寫（已接受）",
          "override_refused": "寄件者覆寫（被拒）"}


def labels(scanner: Any) -> dict[str, dict[str, str]]:
    config = getattr(getattr(scanner, "policy", None), "config", None)
    out = {"channel": CHANNELS, "status": STATUSES, "quarantine": QUARANTINE, "event": EVENTS,
           "action": dict(ACTIONS), "level": dict(LEVELS), "type": {}, "destination": {}}
    if config is not None:
        out["action"].update(config.action_labels)
        out["level"].update(config.level_labels)
        out["type"] = {t: _COUNT_WORD.sub("", text) for t, text in config.type_labels.items()}
        out["destination"] = {c: v[0] for c, v in config.columns.items()}
    return out
