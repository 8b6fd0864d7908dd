"""Issue #18, done when: the whole posting loop on a 360-px phone, against a local Bot API that
answers as Telegram's does.

1. an officer drafts and submits a bulletin;
2. the leader sees it in the bell and gets the notification bot's Telegram message;
3. the leader approves and publishes it, and the officer is told (bell and Telegram);
4. the officer posts to a Zalo group with a picture and to a Facebook group with a link;
5. the dashboard shows the commune's posting proof.

The leader links Telegram as a person does: the page's deep link, Start in the chat, the
notification bot's poll. Screenshots are saved as posting-loop-*.png (docs/ shows them)."""

import pytest
from django.test import override_settings
from django.urls import reverse

from bulletins.channels import notification_bot_connect
from bulletins.models import Bulletin, Delivery
from communes.models import FieldAssignment, Role
from messenger.models import LinkCode, MessengerLink
from messenger.polling import messenger_updates_poll
from tests.browser.helpers import PHONE, fits_the_screen
from tests.bulletins.pictures import phone_photo
from tests.factories import CommuneFactory, DistrictFactory, GroupFactory, VillageFactory, make_user
from tests.messenger.conftest import CHAT_A, CHAT_B, TELEGRAM_ME, TELEGRAM_TOKEN, FakeBot

pytestmark = pytest.mark.browser

TITLE = "Thông báo tiêm vắc xin Covid-19 mũi 2"
BODY = (
    "Trạm Y tế xã Phú Nghĩa tổ chức tiêm vắc xin phòng Covid-19 mũi 2 cho người từ 18 tuổi "
    "trở lên vào ngày 12/8/2021, từ 7 giờ 30 đến 16 giờ tại Hội trường UBND xã. Người dân mang "
    "theo căn cước công dân và giấy mời."
)


@pytest.fixture
def phu_nghia(live_app, httpserver):
    district = DistrictFactory()
    commune = CommuneFactory(district=district, code="25267", name="Phú Nghĩa", slug="phu-nghia")
    binh_tan = VillageFactory(commune=commune, name="Thôn Bình Tân", households=410)
    GroupFactory(
        village=binh_tan,
        name="Zalo thôn Bình Tân",
        platform="zalo",
        invite_url="https://zalo.me/g/binhtan",
    )
    phu_lam = VillageFactory(commune=commune, name="Thôn Phú Lâm", households=320)
    GroupFactory(
        village=phu_lam,
        name="Facebook thôn Phú Lâm",
        platform="facebook",
        invite_url="https://www.facebook.com/groups/phulam",
    )
    officer = make_user(
        Role.COMMUNE_OFFICER, commune=commune, username="xa-phu-nghia", first_name="Lê Thị Hoa"
    )
    FieldAssignment.objects.create(commune=commune, field_id="y-te", officer=officer.officer)
    make_user(
        Role.COMMUNE_LEADER, commune=commune, username="ct-phu-nghia", first_name="Điểu Văn Lâm"
    )
    make_user(Role.DISTRICT_STAFF, district=district, username="vhtt", first_name="Trần Thị Hà")
    bot = FakeBot(httpserver, TELEGRAM_TOKEN, TELEGRAM_ME)
    notification_bot_connect(
        district=district, platform="telegram", credentials={"bot_token": TELEGRAM_TOKEN}
    )
    # The officer linked Telegram earlier; the leader links it during the test.
    MessengerLink.objects.create(user=officer, platform="telegram", chat_id=str(CHAT_B))
    with override_settings(TELEGRAM_API_BASE=httpserver.url_for("/").rstrip("/")):
        yield bot


def _sent_to(bot: FakeBot, chat) -> list[str]:
    return [str(m.get("text", "")) for m in bot.sent if str(m.get("chat_id")) == str(chat)]


def _phone(browser):
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="vi-VN"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def test_the_posting_loop_on_a_phone(
    live_app, phu_nghia, phone_page, csp_violations, login, screenshot, browser
):
    bot = phu_nghia

    # The leader links Telegram: the deep link, Start in the chat, the bot's poll.
    leader_context, leader = _phone(browser)
    login(leader, live_app, "ct-phu-nghia")
    leader.goto(f"{live_app.url}/accounts/messenger/")
    with leader.expect_navigation():
        leader.click("#messenger-telegram button[value=link]")
    code = LinkCode.objects.get().code
    assert leader.get_attribute("#messenger-telegram-link", "href").endswith(f"start={code}")
    bot.people_send(CHAT_A, f"/start {code}")
    messenger_updates_poll()
    assert MessengerLink.objects.filter(user__username="ct-phu-nghia").exists()
    assert _sent_to(bot, CHAT_A)  # the bot confirmed the link in the chat

    # 1. The officer drafts and submits.
    page = phone_page
    login(page, live_app, "xa-phu-nghia")
    page.goto(f"{live_app.url}{reverse('bulletin-create')}")
    page.fill("#id_title", TITLE)
    page.select_option("#id_field", "y-te")
    page.fill("#id_body", BODY)
    page.fill("#id_source", "Trung tâm Y tế huyện Bù Gia Mập")
    page.wait_for_selector("#check-verdict:has-text('Đạt các yêu cầu kiểm tra.')")
    screenshot(page, "posting-loop-1-officer-drafts")
    with page.expect_navigation():
        page.click("#bulletin-form button[type=submit]")
    with page.expect_navigation():
        page.click("#submit-form button[type=submit]")
    assert "Đã gửi bản tin chờ duyệt." in page.inner_text(".alert-success")
    bulletin = Bulletin.objects.get()

    # 2. The leader sees the bell and gets the Telegram message.
    leader.goto(f"{live_app.url}{reverse('bulletin-review')}")
    assert leader.inner_text("#notification-count") == "1"
    told = _sent_to(bot, CHAT_A)[-1]
    assert TITLE in told and f"/bulletins/{bulletin.pk}/" in told
    assert fits_the_screen(leader)
    screenshot(leader, "posting-loop-2-leader-bell", full_page=False)

    # 3. The leader approves and publishes; the officer is told.
    with leader.expect_navigation():
        leader.click("#review-list a")
    with leader.expect_navigation():
        leader.click("#approve-form button[type=submit]")
    with leader.expect_navigation():
        leader.click("#publish-form button[type=submit]")
    assert "Đã đăng bản tin." in leader.inner_text(".alert-success")
    screenshot(leader, "posting-loop-3-leader-published", full_page=False)
    leader_context.close()
    officer_told = "\n".join(_sent_to(bot, CHAT_B))
    assert "duyệt" in officer_told and TITLE in officer_told

    # 4. The officer posts to the Zalo group with a picture, the Facebook one with a link.
    page.goto(f"{live_app.url}{reverse('bulletin-detail', args=[bulletin.pk])}")
    assert int(page.inner_text("#notification-count")) >= 1
    page.evaluate("window.stillTheSamePage = true")
    zalo = Delivery.objects.get(group__platform="zalo")
    facebook = Delivery.objects.get(group__platform="facebook")
    page.set_input_files(
        f"#delivery-{zalo.pk} input[name=evidence]",
        {"name": "zalo.jpg", "mimeType": "image/jpeg", "buffer": phone_photo()},
    )
    page.click(f"#delivery-{zalo.pk} button[type=submit]")
    page.wait_for_selector(f"#delivery-{zalo.pk} .status-confirmed")
    page.fill(
        f"#delivery-{facebook.pk} input[name=posted_url]",
        "https://www.facebook.com/groups/phulam/posts/1",
    )
    page.click(f"#delivery-{facebook.pk} button[type=submit]")
    page.wait_for_selector(f"#delivery-{facebook.pk} .status-confirmed")
    assert page.evaluate("window.stillTheSamePage") is True
    assert page.locator("#delivery-list img.evidence-thumb").count() == 1
    assert fits_the_screen(page)
    screenshot(page, "posting-loop-4-officer-posted")
    assert csp_violations == []

    # 5. The dashboard shows the commune's posting proof: 2 of 2 deliveries, 100 %.
    staff_context, staff = _phone(browser)
    login(staff, live_app, "vhtt")
    staff.goto(f"{live_app.url}{reverse('dashboard')}")
    posting = staff.inner_text("tr[data-code='25267'] [data-col='posting']")
    assert "2/2" in posting and "100" in posting
    assert fits_the_screen(staff)
    screenshot(staff, "posting-loop-5-dashboard")
    staff_context.close()
