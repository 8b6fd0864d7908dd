"""Zalo Bot takes the same path as Telegram's bot, at ZALO_BOT_API_BASE, with Zalo's own
answers: getMe names the bot by id, getUpdates gives one update (no offset) or 408 when there
is none, a message holds 2,000 characters (docs/rules.md#notification-bot)."""

import pytest

from messenger import tasks
from messenger.models import DirectMessage, LinkCode, MessengerLink
from messenger.polling import messenger_updates_poll
from tests.messenger.conftest import ZALO_CHAT

pytestmark = pytest.mark.usefixtures("frozen")


def test_a_zalo_link_opens_the_bot_and_start_with_the_code_links(api_as, officer_a, zalo_bot):
    response = api_as(officer_a).post("/api/v1/messenger/", {"platform": "zalo_bot"}, format="json")

    assert response.status_code == 201
    code = LinkCode.objects.get().code
    assert response.json()["link_url"] == "https://zalo.me/1459232241454765289"
    assert response.json()["start_text"] == f"/start {code}"

    zalo_bot.people_send(ZALO_CHAT, f"/start {code}")
    messenger_updates_poll()

    link = MessengerLink.objects.get()
    assert (link.user, link.platform, link.chat_id) == (officer_a, "zalo_bot", ZALO_CHAT)
    assert zalo_bot.texts_to(ZALO_CHAT) == [
        f"Đã liên kết tài khoản xa-a ({officer_a.first_name}) với bot thông báo. Từ nay thông "
        "báo của cổng thông tin sẽ được gửi đến bạn tại đây."
    ]
    # The update it gave, then the empty poll (408) that ended the run.
    assert zalo_bot.calls["getUpdates"] == 2


def test_the_code_alone_links_too(api_as, officer_a, zalo_bot):
    api_as(officer_a).post("/api/v1/messenger/", {"platform": "zalo_bot"}, format="json")

    zalo_bot.people_send(ZALO_CHAT, LinkCode.objects.get().code)
    messenger_updates_poll()

    assert MessengerLink.objects.get().chat_id == ZALO_CHAT


def test_a_used_zalo_code_is_refused(officer_a, zalo_bot, link_through_bot):
    code = link_through_bot(officer_a, zalo_bot, ZALO_CHAT)

    zalo_bot.people_send("0000aaaa1111bbbb2222", f"/start {code}")
    messenger_updates_poll()

    assert MessengerLink.objects.count() == 1
    assert zalo_bot.texts_to("0000aaaa1111bbbb2222") == [
        "Mã liên kết này đã được dùng. Hãy tạo đường dẫn liên kết mới trên cổng thông tin."
    ]


def test_a_notice_goes_to_the_zalo_chat_once_cut_to_2000(
    officer_a, zalo_bot, link_through_bot, tell
):
    link_through_bot(officer_a, zalo_bot, ZALO_CHAT)
    zalo_bot.sent.clear()
    ids = tell(officer_a, text="Nội dung dài " * 400)

    tasks.send_notices(ids)
    tasks.send_notices(ids)

    [sent] = zalo_bot.texts_to(ZALO_CHAT)
    assert len(sent) <= 2000
    assert sent.endswith("…\n\nhttps://bmp.example.org/bulletins/12/")
    assert DirectMessage.objects.get().status == "sent"
