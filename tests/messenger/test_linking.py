"""Linking a chat with the top unit's notification bot (docs/rules.md#messenger): a one-time deep
link with the bot's getMe username, Start read by the poller, a reply in the chat; refusals with
nothing saved."""

import datetime

import pytest

from messenger.models import LinkCode, MessengerLink
from messenger.polling import messenger_updates_poll
from tests.messenger.conftest import CHAT_A, NOW

pytestmark = pytest.mark.usefixtures("frozen")

LINKED_A = (
    "Đã liên kết tài khoản xa-a ({name}) với bot thông báo. Từ nay thông báo của cổng thông "
    "tin sẽ được gửi đến bạn tại đây."
)


def ask_link(client, platform="telegram"):
    return client.post("/api/v1/messenger/", {"platform": platform}, format="json")


def test_the_deep_link_has_the_bots_username_from_get_me(api_as, officer_a, telegram):
    client = api_as(officer_a)

    response = ask_link(client)

    assert response.status_code == 201
    code = LinkCode.objects.get()
    assert response.json() == {
        "platform": "telegram",
        "link_url": f"https://t.me/bgm_tb_bot?start={code.code}",
        "start_text": f"/start {code.code}",
        "expires_at": "2021-08-10T08:30:00+07:00",
    }
    # 16 random bytes: 22 characters of Telegram's start parameter, 128 bits.
    assert len(code.code) == 22
    assert code.expires_at == NOW + datetime.timedelta(minutes=30)
    # The username is kept: a new link asks getMe no more, and the earlier link stops working.
    second = ask_link(client).json()
    assert telegram.calls["getMe"] == 1
    assert LinkCode.objects.get(pk=code.pk).expires_at == NOW
    assert client.get("/api/v1/messenger/").json() == [
        {
            "platform": "telegram",
            "linked": False,
            "link_url": second["link_url"],
            "start_text": second["start_text"],
            "expires_at": "2021-08-10T08:30:00+07:00",
            "linked_at": None,
            "available": True,
        },
        {
            "platform": "zalo_bot",
            "linked": False,
            "link_url": None,
            "start_text": None,
            "expires_at": None,
            "linked_at": None,
            "available": False,
        },
    ]


def test_pressing_start_links_the_chat_and_the_bot_says_so(
    api_as, officer_a, telegram, link_through_bot
):
    code = link_through_bot(officer_a, telegram, CHAT_A)

    link = MessengerLink.objects.get()
    assert (link.user, link.platform, link.chat_id, link.linked_at) == (
        officer_a,
        "telegram",
        str(CHAT_A),
        NOW,
    )
    assert telegram.texts_to(CHAT_A) == [LINKED_A.format(name=officer_a.first_name)]
    spent = LinkCode.objects.get(code=code)
    assert (spent.used_at, spent.chat_id) == (NOW, str(CHAT_A))
    status = api_as(officer_a).get("/api/v1/messenger/").json()[0]
    assert (status["linked"], status["link_url"], status["linked_at"]) == (
        True,
        None,
        "2021-08-10T08:00:00+07:00",
    )
    # The update is confirmed: the next poll sends the offset after it and reads nothing again.
    messenger_updates_poll()
    assert telegram.offsets[-1] == telegram.next_update_id + 1
    assert len(telegram.sent) == 1


def test_an_expired_code_is_refused_in_the_chat_and_nothing_is_saved(
    api_as, officer_a, telegram, frozen
):
    ask_link(api_as(officer_a))
    code = LinkCode.objects.get().code

    frozen.move_to(NOW + datetime.timedelta(minutes=30))
    telegram.people_send(CHAT_A, f"/start {code}")
    messenger_updates_poll()

    assert not MessengerLink.objects.exists()
    assert LinkCode.objects.get().used_at is None
    assert telegram.texts_to(CHAT_A) == [
        "Mã liên kết đã hết hạn (đường dẫn chỉ dùng được trong 30 phút). Hãy tạo đường dẫn liên "
        "kết mới trên cổng thông tin."
    ]


def test_a_code_one_minute_before_it_expires_still_links(api_as, officer_a, telegram, frozen):
    ask_link(api_as(officer_a))
    code = LinkCode.objects.get().code

    frozen.move_to(NOW + datetime.timedelta(minutes=29, seconds=59))
    telegram.people_send(CHAT_A, f"/start {code}")
    messenger_updates_poll()

    assert MessengerLink.objects.get().chat_id == str(CHAT_A)


def test_a_used_code_is_refused_for_another_chat_and_nothing_changes(
    officer_a, telegram, link_through_bot
):
    code = link_through_bot(officer_a, telegram, CHAT_A)

    telegram.people_send(99999, f"/start {code}")
    messenger_updates_poll()

    assert list(MessengerLink.objects.values_list("chat_id", flat=True)) == [str(CHAT_A)]
    assert LinkCode.objects.get().chat_id == str(CHAT_A)
    assert telegram.texts_to(99999) == [
        "Mã liên kết này đã được dùng. Hãy tạo đường dẫn liên kết mới trên cổng thông tin."
    ]


def test_a_chat_linked_to_another_account_is_refused_and_the_code_stays_unused(
    api_as, officer_a, officer_b, telegram, link_through_bot
):
    link_through_bot(officer_a, telegram, CHAT_A)

    ask_link(api_as(officer_b))
    code_b = LinkCode.objects.get(user=officer_b)
    telegram.people_send(CHAT_A, f"/start {code_b.code}")
    messenger_updates_poll()

    assert list(MessengerLink.objects.values_list("user__username", "chat_id")) == [
        ("xa-a", str(CHAT_A))
    ]
    code_b.refresh_from_db()
    assert (code_b.used_at, code_b.chat_id) == (None, "")
    assert telegram.texts_to(CHAT_A)[-1] == (
        "Tài khoản Telegram này đã được liên kết với một tài khoản khác của cổng thông tin. "
        "Hãy hủy liên kết ở tài khoản đó trước."
    )


@pytest.mark.parametrize(
    "text",
    ["/start AAAAAAAAAAAAAAAAAAAAAA", "/start", "xin chào", "/start@bgm_tb_bot nope"],
)
def test_an_unknown_code_or_a_stray_message_saves_nothing_and_is_answered(
    officer_a, telegram, text
):
    telegram.people_send(CHAT_A, text)
    messenger_updates_poll()

    assert not MessengerLink.objects.exists()
    [reply] = telegram.texts_to(CHAT_A)
    assert reply.startswith(("Mã liên kết không hợp lệ.", "Bot này gửi thông báo"))


def test_a_code_of_an_account_deactivated_since_links_nothing(api_as, officer_a, telegram):
    ask_link(api_as(officer_a))
    officer_a.is_active = False
    officer_a.save()

    telegram.people_send(CHAT_A, f"/start {LinkCode.objects.get().code}")
    messenger_updates_poll()

    assert not MessengerLink.objects.exists()
    assert LinkCode.objects.get().used_at is None
    assert telegram.texts_to(CHAT_A) == [
        "Mã liên kết không hợp lệ. Hãy tạo đường dẫn liên kết mới trên cổng thông tin."
    ]


def test_a_group_message_is_not_read_as_a_link(api_as, officer_a, telegram):
    ask_link(api_as(officer_a))
    code = LinkCode.objects.get().code

    telegram.people_send(-1001234, f"/start {code}", private=False)
    messenger_updates_poll()

    assert not MessengerLink.objects.exists()
    assert telegram.sent == []


def test_delete_unlinks_and_voids_the_links_not_used(api_as, officer_a, telegram, link_through_bot):
    link_through_bot(officer_a, telegram, CHAT_A)
    client = api_as(officer_a)

    response = client.delete("/api/v1/messenger/?platform=telegram")

    assert response.status_code == 204
    assert not MessengerLink.objects.exists()
    assert client.get("/api/v1/messenger/").json()[0]["linked"] is False
    # Linking again works, to the same chat.
    ask_link(client)
    code = LinkCode.objects.filter(used_at__isnull=True).get().code
    telegram.people_send(CHAT_A, f"/start {code}")
    messenger_updates_poll()
    assert MessengerLink.objects.get().user == officer_a


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({}, {"platform": ["Hãy chọn Telegram hoặc Zalo Bot."]}),
        ({"platform": "zalo"}, {"platform": ["Hãy chọn Telegram hoặc Zalo Bot."]}),
        (
            {"platform": "zalo_bot"},
            {
                "platform": [
                    "Chưa có bot thông báo trên Zalo Bot: hãy đề nghị cán bộ Phòng Văn hóa – "
                    "Thông tin kết nối bot."
                ]
            },
        ),
    ],
)
def test_a_bad_platform_is_a_400_that_saves_nothing(api_as, officer_a, telegram, body, expected):
    response = api_as(officer_a).post("/api/v1/messenger/", body, format="json")

    assert response.status_code == 400
    assert response.json() == expected
    assert not LinkCode.objects.exists()


def test_a_second_link_while_linked_is_a_400(api_as, officer_a, telegram, link_through_bot):
    link_through_bot(officer_a, telegram, CHAT_A)

    response = ask_link(api_as(officer_a))

    assert response.status_code == 400
    assert response.json() == {
        "platform": [
            "Tài khoản của bạn đã được liên kết với Telegram. Hãy hủy liên kết trước nếu muốn "
            "liên kết một tài khoản khác."
        ]
    }
    assert LinkCode.objects.count() == 1


def test_a_bot_that_does_not_answer_is_a_503_and_saves_nothing(api_as, officer_a, telegram):
    telegram.me = {"id": 7000000001}  # no username: not what a deep link needs

    response = ask_link(api_as(officer_a))

    assert response.status_code == 503
    assert response.json() == {
        "detail": "Bot thông báo chưa trả lời: Không đọc được câu trả lời của mạng xã hội. Hãy "
        "thử lại sau vài phút."
    }
    assert not LinkCode.objects.exists()


def test_a_bot_of_another_unit_is_not_offered(api_as, other_district_staff, telegram):
    response = ask_link(api_as(other_district_staff))

    assert response.status_code == 400
    assert api_as(other_district_staff).get("/api/v1/messenger/").json()[0]["available"] is False


def test_the_messenger_api_needs_a_login(api_client):
    assert api_client.get("/api/v1/messenger/").status_code == 401
    assert api_client.post("/api/v1/messenger/", {"platform": "telegram"}).status_code == 401
    assert api_client.delete("/api/v1/messenger/").status_code == 401
