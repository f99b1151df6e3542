"""``dlp chat-proxy`` as an agency's bot runs it: the real line-bot-sdk v3 (sync and async) pointed
at a real proxy process, a real ``dlp serve`` deciding, a loopback LINE platform recording what
arrives. Each test says what the SDK gets and what the platform receives (or not)."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from chat_helpers import (
    BOT_TOKEN,
    CASE_REPORT,
    CHANNEL_SECRET,
    ONE_ID,
    FakeLinePlatform,
    ProxyProcess,
    audit_records,
    chat_patterns,
    running_service,
)
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    AsyncApiClient,
    AsyncMessagingApi,
    BroadcastRequest,
    Configuration,
    FlexBox,
    FlexBubble,
    FlexMessage,
    FlexText,
    ImageMessage,
    MessagingApi,
    MulticastRequest,
    PushMessageRequest,
    ReplyMessageRequest,
    StickerMessage,
    TextMessage,
)
from ocr_images import Stamp, page_image, scanned

from dlp.gateways.chat.line_signature import sign
from service.audit import verify
from service.testing import free_port

BAD = "Cbad00000000000000000000000000001"  # listed: unregistered, 150 outsiders, allowed 無
GOOD = "Cgood0000000000000000000000000002"  # listed: registered, allowed 限閱
TEAM = "Cteam0000000000000000000000000003"  # listed: registered 偵查小組, allowed 密
MARKED_MI = "密\n偵辦進度報告：嫌犯已鎖定兩處落腳地點。"
#: Pictures a bot sends (drawn with Pillow and the CJK font, read by OCR in the service): a
#: harmless notice, and the same notice with a red 機密 stamp (above the group's 限閱).
PHOTO = scanned(page_image(["會議室借用登記表", "第二會議室　星期三上午"], size=(800, 420), text_size=36), seed=21, fmt="PNG")
STAMPED = scanned(page_image(["會議室借用登記表", "第二會議室　星期三上午"], size=(800, 420), text_size=36,
                             stamps=[Stamp("機密", angle=-12, at=(0.62, 0.45), size=64)]), seed=22)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("chat_proxy")
    patterns = chat_patterns(tmp / "patterns")
    with running_service(tmp, patterns) as service, FakeLinePlatform().running() as platform:
        platform.media["photo.png"] = (PHOTO, "image/png")
        platform.media["stamped.jpg"] = (STAMPED, "image/jpeg")
        proxy = ProxyProcess(platform.url, service.url, env={"LINE_CHANNEL_SECRET": CHANNEL_SECRET},
                             args=["--relay-to", platform.url + "/bot/callback", "--log-level", "debug"],
                             log_path=tmp / "proxy.log")
        try:
            yield {"tmp": tmp, "service": service, "platform": platform, "proxy": proxy}
        finally:
            proxy.stop()
    assert verify(tmp / "audit.jsonl").ok


@pytest.fixture()
def platform(stack: dict[str, Any]) -> FakeLinePlatform:
    stack["platform"].clear()
    return stack["platform"]


@pytest.fixture()
def bot(stack: dict[str, Any]) -> Iterator[MessagingApi]:
    with ApiClient(Configuration(host=stack["proxy"].url, access_token=BOT_TOKEN)) as api:
        yield MessagingApi(api)


def error_of(info: pytest.ExceptionInfo[ApiException]) -> dict[str, Any]:
    return json.loads(info.value.body)


# -- the Done-when scenarios ---------------------------------------------------------------------------
def test_the_case_report_to_the_listed_unregistered_group_is_refused_and_nothing_arrives(
        bot: MessagingApi, platform: FakeLinePlatform, stack: dict[str, Any]) -> None:
    with pytest.raises(ApiException) as info:
        bot.push_message(PushMessageRequest(to=BAD, messages=[TextMessage(text=CASE_REPORT)]))
    assert info.value.status == 403
    error = error_of(info)
    assert error["message"].startswith("訊息未送出：本訊息標示「密」，依規定不得以通訊軟體傳送至「反年金改革群組」")
    assert "對話「反年金改革群組」可傳送的最高等級為「無」" in error["message"]
    incident = error["dlp"]["incident_ids"][0]
    assert f"事件編號 {incident}" in error["message"] and error["details"][0]["property"] == "messages[0]"
    assert platform.sends() == []
    record = next(r for r in audit_records(stack["tmp"]) if r.get("incident_id") == incident)
    assert record["action"] == "block" and record["endpoint"] == "/v1/chat/check"
    assert record["conversation"]["registered"] is False and record["conversation"]["external_members"] == 150


def test_one_id_to_a_registered_group_arrives_masked(bot: MessagingApi, platform: FakeLinePlatform) -> None:
    answer = bot.push_message_with_http_info(PushMessageRequest(to=GOOD, messages=[TextMessage(text=ONE_ID)]))
    assert answer.status_code == 200 and answer.data.sent_messages[0].id == "461230966842064897"
    assert answer.headers["x-dlp-action"] == "redact" and answer.headers["x-dlp-incident"]
    [sent] = platform.sends()
    text = sent.json()["messages"][0]["text"]
    assert "F235071300" not in text and "F23****300" in text and len(text) == len(ONE_ID)
    assert sent.json()["to"] == GOOD
    assert sent.headers["authorization"] == f"Bearer {BOT_TOKEN}"  # the token goes upstream untouched


def test_a_bot_cannot_make_a_group_registered(bot: MessagingApi, platform: FakeLinePlatform) -> None:
    # Through the proxy a bot has no way to claim anything: the id alone, and the registry decides.
    with pytest.raises(ApiException) as info:
        bot.push_message(PushMessageRequest(to=BAD, messages=[TextMessage(text=ONE_ID)]))
    assert info.value.status == 403  # one ID to a group of 180 with outsiders: redact raised to block
    assert "180 位成員" in error_of(info)["message"] and platform.sends() == []


def test_with_the_service_down_nothing_is_sent(stack: dict[str, Any], platform: FakeLinePlatform) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    proxy = ProxyProcess(platform.url, dead, log_path=stack["tmp"] / "proxy-dead.log")
    try:
        with ApiClient(Configuration(host=proxy.url, access_token=BOT_TOKEN)) as api, \
                pytest.raises(ApiException) as info:
            MessagingApi(api).push_message(PushMessageRequest(to=GOOD, messages=[TextMessage(text="會議改到三點")]))
    finally:
        proxy.stop()
    assert info.value.status == 503
    assert error_of(info)["message"] == "檢查服務無法連線，訊息暫不送出"
    assert platform.sends() == []


def test_the_proxy_writes_json_log_lines_with_log_format_json(stack: dict[str, Any], platform: FakeLinePlatform) -> None:
    """``--log-format json``: ours and uvicorn's lines, each one JSON object, as ``dlp serve`` writes them."""
    log_path = stack["tmp"] / "proxy-json.log"
    proxy = ProxyProcess(platform.url, f"http://127.0.0.1:{free_port()}", args=["--log-format", "json", "--log-level", "info"],
                         log_path=log_path)
    try:
        with ApiClient(Configuration(host=proxy.url, access_token=BOT_TOKEN)) as api, pytest.raises(ApiException):
            MessagingApi(api).push_message(PushMessageRequest(to=GOOD, messages=[TextMessage(text="會議改到三點")]))
    finally:
        proxy.stop()
    lines = [line for line in log_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # a line that is not JSON fails here
    assert all({"time", "level", "logger", "message"} <= r.keys() for r in records)
    assert {"dlp.chat_proxy", "uvicorn.error"} <= {r["logger"] for r in records}
    assert BOT_TOKEN not in "\n".join(lines)


# -- the other actions ---------------------------------------------------------------------------------
def test_allow_forwards_the_request_byte_for_byte(stack: dict[str, Any], platform: FakeLinePlatform) -> None:
    raw = '{ "to" : "' + GOOD + '",\n  "messages": [ {"type":"text", "text":"明天上午十點開會"} ] }'
    r = httpx.post(stack["proxy"].url + "/v2/bot/message/push", content=raw.encode(),
                   headers={"Authorization": f"Bearer {BOT_TOKEN}", "Content-Type": "application/json"})
    assert r.status_code == 200 and r.headers["x-dlp-action"] == "allow" and "x-dlp-incident" not in r.headers
    [sent] = platform.sends()
    assert sent.body == raw.encode()


def test_warn_forwards_unchanged_with_a_header_and_an_audit_record(bot: MessagingApi, platform: FakeLinePlatform,
                                                                  stack: dict[str, Any]) -> None:
    answer = bot.push_message_with_http_info(PushMessageRequest(to=TEAM, messages=[TextMessage(text=MARKED_MI)]))
    assert answer.status_code == 200 and answer.headers["x-dlp-action"] == "warn"
    incident = answer.headers["x-dlp-incident"]
    assert platform.sends()[0].json()["messages"][0]["text"] == MARKED_MI
    record = next(r for r in audit_records(stack["tmp"]) if r.get("incident_id") == incident)
    assert record["action"] == "warn" and "登記可傳送至「密」" in record["reasons"][0]


def test_the_async_sdk_gets_the_same_answers(stack: dict[str, Any], platform: FakeLinePlatform) -> None:
    async def run() -> tuple[Any, Any]:
        async with AsyncApiClient(Configuration(host=stack["proxy"].url, access_token=BOT_TOKEN)) as api:
            bot = AsyncMessagingApi(api)
            try:
                await bot.push_message(PushMessageRequest(to=BAD, messages=[TextMessage(text=CASE_REPORT)]))
            except ApiException as exc:
                refused = exc
            else:
                refused = None
            sent = await bot.push_message(PushMessageRequest(to=GOOD, messages=[TextMessage(text=ONE_ID)]))
            return refused, sent

    refused, sent = asyncio.run(run())
    assert refused is not None and refused.status == 403 and "反年金改革群組" in json.loads(refused.body)["message"]
    assert sent.sent_messages
    assert [s.json()["to"] for s in platform.sends()] == [GOOD]
    assert "F235071300" not in platform.sends()[0].body.decode()


def test_only_the_messages_that_need_it_are_redacted(bot: MessagingApi, platform: FakeLinePlatform) -> None:
    bot.push_message(PushMessageRequest(to=GOOD, messages=[TextMessage(text="請協助補件"), TextMessage(text=ONE_ID),
                                                           StickerMessage(package_id="446", sticker_id="1988")]))
    messages = platform.sends()[0].json()["messages"]
    assert messages[0]["text"] == "請協助補件" and "F235071300" not in messages[1]["text"]
    assert messages[2] == {"type": "sticker", "packageId": "446", "stickerId": "1988"}


def test_one_refused_message_stops_the_whole_request(bot: MessagingApi, platform: FakeLinePlatform) -> None:
    with pytest.raises(ApiException) as info:
        bot.push_message(PushMessageRequest(to=GOOD, messages=[TextMessage(text="會議通知"), TextMessage(text=MARKED_MI)]))
    assert info.value.status == 403 and error_of(info)["details"][0]["property"] == "messages[1]"
    assert platform.sends() == []


def test_text_inside_a_flex_message_is_read_and_cannot_be_redacted(bot: MessagingApi, platform: FakeLinePlatform) -> None:
    flex = FlexMessage(alt_text="補件通知", contents=FlexBubble(body=FlexBox(layout="vertical", contents=[
        FlexText(text=ONE_ID)])))
    with pytest.raises(ApiException) as info:
        bot.push_message(PushMessageRequest(to=GOOD, messages=[flex]))
    assert info.value.status == 403 and "無法遮蔽" in error_of(info)["message"]
    assert platform.sends() == []


def test_images_go_through_the_attachment_path(bot: MessagingApi, platform: FakeLinePlatform,
                                               stack: dict[str, Any]) -> None:
    url = platform.url + "/media/photo.png"
    answer = bot.push_message_with_http_info(PushMessageRequest(to=GOOD, messages=[
        ImageMessage(original_content_url=url, preview_image_url=url)]))
    assert answer.status_code == 200
    assert platform.sends()[0].json()["messages"][0]["originalContentUrl"] == url
    missing = platform.url + "/media/gone.png"
    with pytest.raises(ApiException) as info:
        bot.push_message(PushMessageRequest(to=GOOD, messages=[
            ImageMessage(original_content_url=missing, preview_image_url=missing)]))
    assert info.value.status == 400 and "HTTP 404" in error_of(info)["message"]
    stamped = platform.url + "/media/stamped.jpg"  # OCR reads the red stamp: above what the group may get
    with pytest.raises(ApiException) as info:
        bot.push_message(PushMessageRequest(to=GOOD, messages=[
            ImageMessage(original_content_url=stamped, preview_image_url=url)]))
    assert info.value.status == 403 and "機密" in error_of(info)["message"]
    assert len(platform.sends()) == 1  # neither of the others left


def test_multicast_and_broadcast_are_checked(bot: MessagingApi, platform: FakeLinePlatform) -> None:
    with pytest.raises(ApiException) as info:
        bot.broadcast(BroadcastRequest(messages=[TextMessage(text=MARKED_MI)]))
    assert info.value.status == 403 and "所有好友（廣播）" in error_of(info)["message"]
    bot.multicast(MulticastRequest(to=[f"U{i:032x}" for i in range(3)], messages=[TextMessage(text=ONE_ID)]))
    [sent] = platform.sends()
    assert sent.path == "/v2/bot/message/multicast" and "F235071300" not in sent.body.decode()


def test_every_spelling_of_a_send_path_is_intercepted(stack: dict[str, Any], platform: FakeLinePlatform) -> None:
    body = json.dumps({"to": BAD, "messages": [{"type": "text", "text": CASE_REPORT}]}, ensure_ascii=False).encode()
    for path in ("//v2/bot/message/push", "/v2/bot/message/push/", "/v2/bot/message/%70ush", "/V2/Bot/Message/Push"):
        r = httpx.post(stack["proxy"].url + path, content=body, headers={"Content-Type": "application/json"})
        assert r.status_code == 403, path
    assert platform.sends() == []


@pytest.mark.parametrize(("body", "status"), [
    (b"{not json", 400), (b'{"to": "C1", "messages": "hello"}', 400), (b'{"messages": [{"type":"text","text":"x"}]}', 400),
    (b'{"to": "C1", "messages": [{"type": "flex", "contents": ' + b"[" * 100_000 + b"]" * 100_000 + b"}]}", 400),
    (b'{"to": "C1", "messages": [{"type": "text", "text": "x"}]}'.ljust(3 * 1024 * 1024), 413),
])
def test_what_cannot_be_read_is_not_sent(stack: dict[str, Any], platform: FakeLinePlatform, body: bytes, status: int) -> None:
    r = httpx.post(stack["proxy"].url + "/v2/bot/message/push", content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == status and r.json()["message"]
    assert platform.sends() == []


# -- X-Line-Retry-Key ----------------------------------------------------------------------------------
def test_a_retried_refusal_is_decided_once(bot: MessagingApi, platform: FakeLinePlatform, stack: dict[str, Any]) -> None:
    key = str(uuid.uuid4())
    request = PushMessageRequest(to=BAD, messages=[TextMessage(text=CASE_REPORT)])
    with pytest.raises(ApiException) as first:
        bot.push_message(request, x_line_retry_key=key)
    records = len(audit_records(stack["tmp"]))
    with pytest.raises(ApiException) as again:
        bot.push_message(request, x_line_retry_key=key)
    assert again.value.status == 403 and error_of(again) == error_of(first)  # the same incident id
    assert dict(again.value.headers)["x-dlp-replayed"] == "true"
    assert len(audit_records(stack["tmp"])) == records and platform.sends() == []


def test_a_retried_send_keeps_the_platforms_semantics(bot: MessagingApi, platform: FakeLinePlatform,
                                                     stack: dict[str, Any]) -> None:
    key = str(uuid.uuid4())
    request = PushMessageRequest(to=GOOD, messages=[TextMessage(text=ONE_ID)])
    bot.push_message(request, x_line_retry_key=key)
    records = len(audit_records(stack["tmp"]))
    with pytest.raises(ApiException) as info:  # the platform already accepted this key: 409, as from LINE itself
        bot.push_message(request, x_line_retry_key=key)
    assert info.value.status == 409 and dict(info.value.headers)["x-line-accepted-request-id"]
    first, second = platform.sends()
    assert first.body == second.body and second.headers["x-line-retry-key"] == key  # the same decided body again
    assert len(audit_records(stack["tmp"])) == records  # not decided twice
    with pytest.raises(ApiException) as other:
        bot.push_message(PushMessageRequest(to=GOOD, messages=[TextMessage(text="別的內容")]), x_line_retry_key=key)
    assert other.value.status == 409 and "內容不同" in error_of(other)["message"]
    assert len(platform.sends()) == 2


# -- pass-through and the inbound direction ------------------------------------------------------------
def test_everything_else_passes_through_and_the_token_is_never_logged(bot: MessagingApi, platform: FakeLinePlatform,
                                                                      stack: dict[str, Any]) -> None:
    info = bot.get_bot_info()
    assert info.display_name == "機關機器人"
    [seen] = platform.received
    assert (seen.method, seen.path, seen.headers["authorization"]) == ("GET", "/v2/bot/info", f"Bearer {BOT_TOKEN}")
    log = (stack["tmp"] / "proxy.log").read_text(encoding="utf-8", errors="replace")
    assert "line push" in log  # decisions are logged (debug level here) ...
    assert BOT_TOKEN not in log and "F235071300" not in log  # ... never the token, never content


def test_webhooks_are_relayed_only_with_a_valid_signature(stack: dict[str, Any], platform: FakeLinePlatform) -> None:
    url = stack["proxy"].url + "/webhook"
    body = json.dumps({"destination": "Ubot", "events": [{"type": "message", "replyToken": "rt-team-1",
                       "source": {"type": "group", "groupId": TEAM, "userId": "Uabc"},
                       "message": {"type": "text", "id": "1", "text": "請回報進度"}}]}).encode()
    for signature in (None, "bm90LXRoZS1zaWduYXR1cmU=", sign("another-secret", body), "!!"):
        headers = {"Content-Type": "application/json", **({"x-line-signature": signature} if signature else {})}
        assert httpx.post(url, content=body, headers=headers).status_code == 401
    assert platform.received == []
    good = httpx.post(url, content=body, headers={"Content-Type": "application/json", "x-line-signature": sign(CHANNEL_SECRET, body)})
    assert good.status_code == 200 and good.json() == {"relayed": True}
    [relayed] = platform.received
    assert relayed.path == "/bot/callback" and relayed.body == body
    assert relayed.headers["x-line-signature"] == sign(CHANNEL_SECRET, body)


def test_a_reply_is_decided_for_the_group_it_answers(bot: MessagingApi, stack: dict[str, Any],
                                                     platform: FakeLinePlatform) -> None:
    body = json.dumps({"destination": "Ubot", "events": [{"type": "message", "replyToken": "rt-team-2",
                       "source": {"type": "group", "groupId": TEAM}, "message": {"type": "text", "id": "2", "text": "?"}}]}).encode()
    httpx.post(stack["proxy"].url + "/webhook", content=body,
               headers={"Content-Type": "application/json", "x-line-signature": sign(CHANNEL_SECRET, body)})
    platform.clear()
    answer = bot.reply_message_with_http_info(ReplyMessageRequest(reply_token="rt-team-2", messages=[TextMessage(text=MARKED_MI)]))
    assert answer.headers["x-dlp-action"] == "warn"  # the 偵查小組 may receive 密
    with pytest.raises(ApiException) as info:  # a reply token the proxy never saw: where it goes is unknown
        bot.reply_message(ReplyMessageRequest(reply_token="rt-unknown", messages=[TextMessage(text=MARKED_MI)]))
    assert info.value.status == 403 and "回覆對象不明" in error_of(info)["message"]
    assert [s.path for s in platform.sends()] == ["/v2/bot/message/reply"]
