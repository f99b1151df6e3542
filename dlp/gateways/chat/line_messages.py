"""LINE Messaging API request bodies -> what the filter must read, and redaction back into them.

Every string a recipient could see is read, whatever the message type (text, textV2, image,
video, audio, location, sticker, imagemap, template, flex, and any type added later): the
``text`` of a text message is the body (the only part that can be replaced by a redacted
text); every other string (alt texts, titles, labels, sender names, quick replies, link URIs)
goes to the filter as a plain-text attachment; image, video and audio URLs are fetched and
go through the attachment path. Nothing in a message is skipped because its type is unknown.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

#: Keys whose value is media the recipient sees (fetched and scanned as attachments).
MEDIA_KEYS = frozenset({"originalContentUrl", "previewImageUrl", "thumbnailImageUrl", "iconUrl", "url", "baseUrl"})
#: Message types whose ``text`` is the body and may be replaced by a redacted text.
TEXT_TYPES = frozenset({"text", "textV2"})
#: Keys that are structure, not content (enum values the recipient never reads as text).
_STRUCTURE_KEYS = frozenset({"type", "size", "layout", "align", "gravity", "weight", "style", "decoration", "position",
                             "aspectRatio", "aspectMode", "imageAspectRatio", "imageSize", "direction", "flex",
                             "spacing", "margin", "wrap", "color", "backgroundColor", "imageBackgroundColor",
                             "separatorColor", "cornerRadius", "borderColor", "borderWidth", "height", "width",
                             "maxWidth", "maxHeight", "offsetTop", "offsetBottom", "offsetStart", "offsetEnd",
                             "paddingAll", "paddingTop", "paddingBottom", "paddingStart", "paddingEnd",
                             "justifyContent", "alignItems", "lineSpacing", "adjustMode", "scaling", "animated",
                             "quoteToken", "trackingId", "packageId", "stickerId", "productId", "emojiId",
                             "inputOption", "fillInText", "mode", "initial"})


class BadLineRequest(ValueError):
    """A body that is not a LINE send request; ``str()`` says why (Traditional Chinese)."""


@dataclass
class Bubble:
    """One message object of a send request: what the filter reads."""

    index: int
    type: str
    body: str = ""
    #: every other visible string, one per line
    other_text: list[str] = field(default_factory=list)
    #: (json path, url) of media to fetch
    media: list[tuple[str, str]] = field(default_factory=list)

    @property
    def redactable(self) -> bool:
        return self.type in TEXT_TYPES


def parse_send_request(raw: bytes) -> dict[str, Any]:
    try:
        doc = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise BadLineRequest("請求內容不是有效的 JSON（或巢狀過深），無法檢查，未送出") from None
    if not isinstance(doc, dict):
        raise BadLineRequest("請求內容必須是 JSON 物件，無法檢查，未送出")
    messages = doc.get("messages")
    if not isinstance(messages, list) or not all(isinstance(m, dict) for m in messages):
        raise BadLineRequest("messages 必須是訊息物件的清單，無法檢查，未送出")
    return doc


def bubbles(doc: dict[str, Any]) -> list[Bubble]:
    """What to read in each message object of ``doc["messages"]``."""
    out = []
    for i, message in enumerate(doc["messages"]):
        kind = str(message.get("type", ""))
        bubble = Bubble(index=i, type=kind)
        for path, key, value in _strings(message, f"messages[{i}]"):
            if key == "text" and path == f"messages[{i}].text" and kind in TEXT_TYPES:
                bubble.body = value
            elif key in MEDIA_KEYS and value.startswith(("http://", "https://")):
                bubble.media.append((path, value + "/1040" if key == "baseUrl" else value))
            elif key not in _STRUCTURE_KEYS:
                bubble.other_text.append(value)
        out.append(bubble)
    return out


def _strings(node: Any, path: str, key: str = "") -> Iterator[tuple[str, str, str]]:
    if isinstance(node, str):
        if node.strip():
            yield path, key, node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from _strings(v, f"{path}.{k}", str(k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _strings(v, f"{path}[{i}]", key)


def with_redactions(doc: dict[str, Any], redacted: dict[int, str]) -> bytes:
    """``doc`` with the text of the given messages replaced, serialised for the upstream."""
    messages = [dict(m) for m in doc["messages"]]
    for index, text in redacted.items():
        messages[index]["text"] = text
    return json.dumps({**doc, "messages": messages}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
