"""Attachment limits: what one message may cost to inspect, and how they are configured.

The defaults suit a mail gateway; ``patterns/policy.yaml`` can override them under
``attachment_limits:``.

``max_segment_chars`` is not a stop but a split: a sheet whose text is longer is handed to the
classifier as several segments of at most about that many characters, cut at row ends (see
:mod:`dlp.extract.xlsx`), so that no single string of a whole huge sheet is built.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from dlp.errors import PackError

MIB = 1024 * 1024

#: Why each limit exists, shown in findings (Traditional Chinese).
LIMIT_LABELS: dict[str, str] = {
    "max_total_bytes": "郵件附件總大小上限",
    "max_depth": "巢狀層數上限",
    "max_archive_members": "壓縮檔檔案數上限",
    "max_compression_ratio": "壓縮比上限",
    "max_expanded_bytes": "每封訊息解壓縮後合計大小上限",
    "max_text_chars": "每封訊息擷取文字總量上限",
    "max_seconds": "每封訊息處理時間上限",
}


@dataclass(frozen=True)
class Limits:
    """Bounds on the work done for one message.

    ``max_total_bytes``, ``max_expanded_bytes``, ``max_text_chars`` and ``max_seconds`` are
    totals for the whole message (see :mod:`dlp.extract.budget`); ``max_depth``,
    ``max_archive_members`` and ``max_compression_ratio`` apply to each container.
    """

    max_total_bytes: int = 100 * MIB
    max_depth: int = 6
    max_archive_members: int = 5000
    max_compression_ratio: float = 200.0
    max_expanded_bytes: int = 512 * MIB
    max_text_chars: int = 10_000_000
    max_seconds: float = 30.0
    #: A sheet with more text than this is split into parts at row ends (not a limit: no finding).
    max_segment_chars: int = 1_000_000
    #: An inline image of a mail (a signature logo) at most this large that decodes as an image
    #: is listed as not inspected instead of being an UNREADABLE finding (not a limit either).
    signature_image_max_bytes: int = 20 * 1024

    @classmethod
    def from_mapping(cls, mapping: dict[str, Any] | None, file: str) -> Limits:
        """Build limits from a policy file's ``attachment_limits`` mapping.

        Unknown keys and bad values raise :class:`PackError` naming the key.
        """
        if mapping is None:
            return cls()
        if not isinstance(mapping, dict):
            raise PackError(file, "attachment_limits", "必須是「名稱: 數值」的對應表")
        known = {f.name: f for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, raw in mapping.items():
            if key not in known:
                allowed = "、".join(known)
                raise PackError(file, str(key), f"未知的附件限制名稱（可用：{allowed}）")
            want_float = key in ("max_compression_ratio", "max_seconds")
            if isinstance(raw, bool) or not isinstance(raw, (int, float)):
                raise PackError(file, key, "必須是正數")
            if not want_float and (isinstance(raw, float) and not raw.is_integer()):
                raise PackError(file, key, "必須是正整數")
            if raw <= 0:
                raise PackError(file, key, "必須大於 0")
            if key == "max_compression_ratio" and raw < 2:
                raise PackError(file, key, "壓縮比上限至少為 2")
            values[key] = float(raw) if want_float else int(raw)
        return cls(**values)


class LimitReached(Exception):
    """Raised inside extraction when a limit that ends the whole attachment is reached."""

    def __init__(self, limit: str, location: str, reason: str = ""):
        self.limit = limit
        self.location = location
        self.reason = reason or f"超過{LIMIT_LABELS.get(limit, limit)}"
        super().__init__(f"{limit} at {location}")
