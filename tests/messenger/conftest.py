"""A local Bot API (pytest-httpserver) that answers as Telegram's and Zalo Bot's do, the top
unit's notification bots connected to it, and a frozen morning of the dispatch's month."""

from __future__ import annotations

import datetime
import json
import zoneinfo
from collections import Counter

import pytest
import time_machine
from django.test import override_settings
from werkzeug import Response

from bulletins.channels import notification_bot_connect
from notifications.services import notifications_create

LOCAL = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime.datetime(2021, 8, 10, 8, 0, tzinfo=LOCAL)

TELEGRAM_TOKEN = "7000000001:AAH-notification-bot-secret-token"
ZALO_TOKEN = "1459232241454765289:zalo-bot-secret-access-token"
TELEGRAM_ME = {
    "id": 7000000001,
    "is_bot": True,
    "first_name": "Thông báo",
    "username": "bgm_tb_bot",
}
ZALO_ME = {
    "id": "1459232241454765289",
    "account_name": "bot.BgmThongBao",
    "account_type": "BASIC",
    "can_join_groups": False,
}
# Zalo Bot's API is answered under this path of the local server, so a call that went to
# Telegram's base instead would find nothing there.
ZALO_PREFIX = "/zalo-bot-api"
# Telegram's chat id of a person is their user id; Zalo Bot's is a hex string.
CHAT_A = 52001
CHAT_B = 52002
ZALO_CHAT = "e4ea2cd5189df1c3a88c"


class FakeBot:
    """One bot on the local server: getMe, getUpdates and sendMessage as the platform answers
    them. `people_send(...)` queues what people wrote; `answers` queues sendMessage's answers
    (ok by default); `sent` is what the bot was asked to send."""

    def __init__(self, server, token: str, me: dict, *, zalo: bool = False, prefix: str = ""):
        self.zalo = zalo
        self.me = me
        self.updates: list[dict] = []
        self.next_update_id = 1000
        self.sent: list[dict] = []
        self.answers: list[tuple[dict, int]] = []
        self.calls: Counter = Counter()
        self.offsets: list[int | None] = []
        # When set, (body, status) answers every call: a platform that refuses everything.
        self.refuse: tuple[dict, int] | None = None
        for method, handler in (
            ("getMe", self._get_me),
            ("getUpdates", self._get_updates),
            ("sendMessage", self._send_message),
        ):
            server.expect_request(
                f"{prefix}/bot{token}/{method}", method="POST"
            ).respond_with_handler(handler)

    def people_send(self, chat_id, text: str, *, private: bool = True) -> None:
        chat = (
            {"id": chat_id, "chat_type": "PRIVATE" if private else "GROUP"}
            if self.zalo
            else {"id": chat_id, "type": "private" if private else "group"}
        )
        message = {"message_id": 1, "date": 1628557200, "chat": chat, "text": text}
        self.next_update_id += 1
        self.updates.append({"update_id": self.next_update_id, "message": message})

    def _json(self, body: dict, status: int = 200) -> Response:
        return Response(json.dumps(body), status=status, content_type="application/json")

    def _get_me(self, request) -> Response:
        self.calls["getMe"] += 1
        if self.refuse:
            return self._json(*self.refuse)
        return self._json({"ok": True, "result": self.me})

    def _get_updates(self, request) -> Response:
        self.calls["getUpdates"] += 1
        if self.refuse:
            return self._json(*self.refuse)
        payload = json.loads(request.data or b"{}")
        if self.zalo:
            # One update a call, consumed as it is given; none: a long poll that timed out.
            if not self.updates:
                return self._json(
                    {"ok": False, "error_code": 408, "description": "Request timeout"}, 408
                )
            update = self.updates.pop(0)
            return self._json(
                {
                    "ok": True,
                    "result": {"event_name": "message.text.received", "message": update["message"]},
                }
            )
        # Telegram: an offset confirms (forgets) every update before it.
        offset = payload.get("offset")
        self.offsets.append(offset)
        if offset is not None:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        return self._json({"ok": True, "result": list(self.updates)})

    def _send_message(self, request) -> Response:
        self.calls["sendMessage"] += 1
        self.sent.append(json.loads(request.data))
        if self.refuse:
            return self._json(*self.refuse)
        if self.answers:
            body, status = self.answers.pop(0)
            return self._json(body, status)
        return self._json({"ok": True, "result": {"message_id": len(self.sent)}})

    def texts_to(self, chat_id) -> list[str]:
        return [m["text"] for m in self.sent if str(m["chat_id"]) == str(chat_id)]


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def bot_api(httpserver):
    base = httpserver.url_for("/").rstrip("/")
    with override_settings(
        TELEGRAM_API_BASE=base,
        ZALO_BOT_API_BASE=base + ZALO_PREFIX,
        PUBLIC_BASE_URL="https://bmp.example.org",
    ):
        yield httpserver


@pytest.fixture
def telegram(bot_api, district):
    """The district's Telegram notification bot, connected, and its fake."""
    fake = FakeBot(bot_api, TELEGRAM_TOKEN, TELEGRAM_ME)
    fake.channel = notification_bot_connect(
        district=district, platform="telegram", credentials={"bot_token": TELEGRAM_TOKEN}
    )
    return fake


@pytest.fixture
def zalo_bot(bot_api, district):
    fake = FakeBot(bot_api, ZALO_TOKEN, ZALO_ME, zalo=True, prefix=ZALO_PREFIX)
    fake.channel = notification_bot_connect(
        district=district, platform="zalo_bot", credentials={"bot_token": ZALO_TOKEN}
    )
    return fake


@pytest.fixture
def tell():
    """`tell(user, event=...)` → the ids of the notices created for that event."""

    def make(*users, event="bulletin:12:submitted", text="Bản tin «Tiêm chủng» chờ duyệt."):
        return notifications_create(
            recipients=users,
            kind="bulletin_submitted",
            event=event,
            subject="Bản tin chờ duyệt",
            text=text,
            url="/bulletins/12/",
        )

    return make


@pytest.fixture
def link_through_bot(api_as):
    """`link_through_bot(user, fake, chat_id)`: the user asks for a deep link, the chat presses
    Start, the poller reads it. Returns the code."""
    from messenger.models import LinkCode
    from messenger.polling import messenger_updates_poll

    def make(user, fake: FakeBot, chat_id) -> str:
        platform = "zalo_bot" if fake.zalo else "telegram"
        response = api_as(user).post("/api/v1/messenger/", {"platform": platform}, format="json")
        assert response.status_code == 201, response.content
        code = LinkCode.objects.filter(user=user, platform=platform).latest("pk").code
        fake.people_send(chat_id, f"/start {code}")
        messenger_updates_poll()
        return code

    return make
