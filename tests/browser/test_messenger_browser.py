"""A person's main path on /accounts/messenger/ (docs/rules.md#messenger), on a 360-px phone:
from the user menu to the page, the button that makes the deep link, the link shown to press,
nothing sticking out sideways, nothing the content security policy forbids."""

import pytest
from django.test import override_settings

from bulletins.channels import notification_bot_connect
from communes.models import Role
from messenger.models import LinkCode
from tests.browser.helpers import fits_the_screen
from tests.factories import CommuneFactory, DistrictFactory, make_user
from tests.messenger.conftest import TELEGRAM_ME, TELEGRAM_TOKEN, FakeBot

pytestmark = pytest.mark.browser


@pytest.fixture
def officer_with_a_bot(live_app, httpserver):
    district = DistrictFactory()
    commune = CommuneFactory(district=district, code="25267", name="Phú Nghĩa", slug="phu-nghia")
    make_user(
        Role.COMMUNE_OFFICER, commune=commune, username="xa-phu-nghia", first_name="Lê Thị Hoa"
    )
    fake = FakeBot(httpserver, TELEGRAM_TOKEN, TELEGRAM_ME)
    notification_bot_connect(
        district=district, platform="telegram", credentials={"bot_token": TELEGRAM_TOKEN}
    )
    with override_settings(TELEGRAM_API_BASE=httpserver.url_for("/").rstrip("/")):
        yield fake


def test_an_officer_makes_a_link_on_a_phone(
    live_app, officer_with_a_bot, phone_page, csp_violations, login, screenshot
):
    page = phone_page
    login(page, live_app, "xa-phu-nghia")

    page.click(".navbar-toggler")
    page.wait_for_selector("#main-nav.show")
    with page.expect_navigation():
        page.click("#nav-messenger")
    assert page.inner_text("h1") == "Thông báo qua Telegram, Zalo"
    assert "Chưa liên kết" in page.inner_text("#messenger-telegram")
    assert fits_the_screen(page)
    screenshot(page, "messenger-01-page")

    with page.expect_navigation():
        page.click("#messenger-telegram button[value=link]")

    code = LinkCode.objects.get().code
    link = page.locator("#messenger-telegram-link")
    assert link.get_attribute("href") == f"https://t.me/bgm_tb_bot?start={code}"
    assert link.inner_text() == "Mở Telegram"
    assert f"/start {code}" in page.inner_text("#messenger-telegram")
    assert fits_the_screen(page)
    assert csp_violations == []
    screenshot(page, "messenger-02-link")
