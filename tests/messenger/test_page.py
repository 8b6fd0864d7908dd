"""/accounts/messenger/ (docs/rules.md#messenger): where a person stands on each platform, the
button that makes the deep link and shows it, the unlink button; Vietnamese, phone-first, and
reached from the user menu."""

import re

import pytest
from django.urls import reverse

from messenger.models import LinkCode, MessengerLink
from tests.messenger.conftest import CHAT_A
from tests.pages import text_of

pytestmark = pytest.mark.usefixtures("frozen")
URL = "/accounts/messenger/"


def test_the_page_says_where_the_user_stands(client_as, officer_a, telegram):
    response = client_as(officer_a).get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert text_of(response, "messenger-telegram-title") == "Telegram"
    assert "Chưa liên kết" in text_of(response, "messenger-telegram")
    assert "Liên kết với Telegram" in text_of(response, "messenger-telegram")
    # No Zalo Bot is connected in the unit: nothing to press there.
    zalo = text_of(response, "messenger-zalo_bot")
    assert "Chưa có bot thông báo trên nền tảng này." in zalo
    assert "Liên kết với" not in zalo


def test_the_link_button_shows_the_deep_link(client_as, officer_a, telegram):
    client = client_as(officer_a)

    response = client.post(URL, {"platform": "telegram", "action": "link"}, follow=True)

    assert response.redirect_chain == [(URL, 302)]
    code = LinkCode.objects.get().code
    html = response.content.decode()
    assert f'href="https://t.me/bgm_tb_bot?start={code}"' in html
    assert f"/start {code}" in text_of(response, "messenger-telegram")
    assert "đến 08:30 10/08/2021" in text_of(response, "messenger-telegram")
    assert "Đường dẫn liên kết với bot Telegram đã sẵn sàng" in html
    # Reloaded, the page still shows it, with no call to the platform.
    again = client.get(URL)
    assert f"https://t.me/bgm_tb_bot?start={code}" in again.content.decode()
    assert telegram.calls["getMe"] == 1


def test_linked_the_page_offers_to_unlink_and_unlinking_works(
    client_as, officer_a, telegram, link_through_bot
):
    link_through_bot(officer_a, telegram, CHAT_A)
    client = client_as(officer_a)

    card = text_of(client.get(URL), "messenger-telegram")
    assert "Đã liên kết từ 08:00 10/08/2021" in card
    assert "Hủy liên kết" in card

    response = client.post(URL, {"platform": "telegram", "action": "unlink"}, follow=True)

    assert not MessengerLink.objects.exists()
    assert "Thông báo sẽ không còn được gửi qua Telegram." in response.content.decode()
    assert "Chưa liên kết" in text_of(response, "messenger-telegram")


def test_a_refusal_is_a_400_in_the_platforms_card_and_saves_nothing(client_as, officer_a, telegram):
    response = client_as(officer_a).post(URL, {"platform": "zalo_bot", "action": "link"})

    assert response.status_code == 400
    assert (
        text_of(response, "messenger-zalo_bot").count(
            "Chưa có bot thông báo trên Zalo Bot: hãy đề nghị cán bộ Phòng Văn hóa – Thông tin kết "
            "nối bot."
        )
        == 1
    )
    assert not LinkCode.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"platform": "viber", "action": "link"}, "Hãy chọn Telegram hoặc Zalo Bot."),
        ({"platform": "telegram", "action": "delete"}, "Hãy chọn liên kết hoặc hủy liên kết."),
    ],
)
def test_a_bad_button_is_a_400_that_says_so(client_as, officer_a, telegram, data, message):
    response = client_as(officer_a).post(URL, data)

    assert response.status_code == 400
    assert message in text_of(response, "messenger-form-errors")
    assert not LinkCode.objects.exists()


def test_the_user_menu_leads_to_the_page(client_as, officer_a, district_staff):
    for user in (officer_a, district_staff):
        html = client_as(user).get(reverse("bulletin-list")).content.decode()
        assert re.search(rf'href="{URL}" id="nav-messenger">Thông báo qua Telegram, Zalo<', html)


def test_a_visitor_is_sent_to_log_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_api_is_in_the_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    operations = schema["paths"]["/api/v1/messenger/"]
    assert set(operations) >= {"get", "post", "delete"}
    assert set(operations["post"]["responses"]) >= {"201", "400", "401", "403", "503"}
    assert operations["delete"]["parameters"][0]["name"] == "platform"
    link = schema["components"]["schemas"]["DeepLink"]["properties"]
    assert set(link) == {"platform", "link_url", "start_text", "expires_at"}
