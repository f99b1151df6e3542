"""The ``misdirection`` block of a report as lines for ``dlp explain`` (and ``dlp scan``)."""

from __future__ import annotations

from typing import Any

_HISTORY = {"used": "已使用寄件者的歷史紀錄", "cold_start": "寄件者的歷史紀錄還不夠（冷啟動）",
            "unavailable": "沒有歷史紀錄可查"}


def explain_lines(block: dict[str, Any] | None) -> list[str]:
    if not block:
        return []
    content = block.get("content") or {}
    sensitive = "是" if content.get("sensitive") else "否"
    count = block.get("sender_messages")
    known = f"，寄件者已有 {count} 則訊息" if isinstance(count, int) else ""
    lines = [f"誤寄檢查：{_HISTORY.get(block.get('history', ''), block.get('history', ''))}{known}；敏感內容：{sensitive}"]
    for s in block.get("signals") or []:
        shadow = "（shadow，未生效）" if s.get("mode") == "shadow" else ""
        evidence = "；".join(e.get("text", e.get("code", "")) for e in s.get("evidence") or [])
        lines.append(f"誤寄訊號：{s['signal']} → {s['rule']} {s['action']}{shadow}　{s['destination']}：{evidence}")
    if not block.get("signals"):
        lines.append("誤寄訊號：無")
    lines.extend(f"說明：{note}" for note in block.get("notes") or [])
    return lines
