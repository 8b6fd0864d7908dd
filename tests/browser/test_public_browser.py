"""Issue #20, done when: a leader publishes a bulletin to a village's Telegram group (a local
server answering as the Bot API does), and anyone who got the message opens its last line on a
360-px phone, without logging in, and reads the bulletin there; the commune's page lists it. The
bulletin's page shows the leader the QR code to print."""

import hashlib
import json
import re

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from bulletins import services
from bulletins.channels import channel_connect
from communes.models import FieldAssignment, Role
from groups.models import Platform
from public.throttle import public_cache
from tests.browser.helpers import PHONE, fits_the_screen
from tests.factories import CommuneFactory, DistrictFactory, GroupFactory, VillageFactory, make_user

pytestmark = pytest.mark.browser

TOKEN = "123456789:AAF-token-of-phu-nghia"
TITLE = "Thông báo tiêm vắc xin Covid-19 mũi 2"
BODY = (
    "Trạm Y tế xã Phú Nghĩa tổ chức tiêm vắc xin phòng Covid-19 mũi 2 cho người từ 18 tuổi "
    "trở lên vào ngày 12/8/2021. Thời gian từ 7 giờ 30 đến 16 giờ tại Hội trường UBND xã. "
    "Người dân mang theo căn cước công dân và giấy mời."
)


@pytest.fixture
def telegram(httpserver):
    """The Bot API, answering every sendMessage with success."""
    httpserver.expect_request(f"/bot{TOKEN}/sendMessage", method="POST").respond_with_json(
        {"ok": True, "result": {"message_id": 7}}
    )
    return httpserver


@pytest.fixture
def approved(live_app, telegram):
    cache.clear()
    public_cache.reset()
    commune = CommuneFactory(
        district=DistrictFactory(), code="25267", name="Phú Nghĩa", slug="phu-nghia"
    )
    village = VillageFactory(commune=commune, name="Thôn Bình Tân", households=410)
    GroupFactory(
        village=village,
        name="Telegram thôn Bình Tân",
        platform=Platform.TELEGRAM,
        invite_url="https://t.me/+binhtan",
        channel_id="-1001234567890",
    )
    channel_connect(commune=commune, platform="telegram", credentials={"bot_token": TOKEN})
    officer = make_user(
        Role.COMMUNE_OFFICER, commune=commune, username="xa-phu-nghia", first_name="Lê Thị Hoa"
    )
    FieldAssignment.objects.create(commune=commune, field_id="y-te", officer=officer.officer)
    leader = make_user(
        Role.COMMUNE_LEADER, commune=commune, username="ct-phu-nghia", first_name="Điểu Văn Lâm"
    )
    bulletin = services.bulletin_create(
        commune=commune,
        author=officer,
        field="y-te",
        title=TITLE,
        body=BODY,
        source="Trung tâm Y tế huyện Bù Gia Mập",
    )
    services.bulletin_submit(bulletin=bulletin, actor=officer)
    return services.bulletin_approve(bulletin=bulletin, actor=leader)


def test_the_last_line_of_the_telegram_message_opens_the_bulletin_without_login(
    live_app, approved, telegram, phone_page, csp_violations, login, screenshot, browser
):
    with override_settings(
        TELEGRAM_API_BASE=telegram.url_for("/").rstrip("/"), PUBLIC_BASE_URL=live_app.url
    ):
        # The leader publishes on the phone; the worker (eager here) sends to the group.
        leader = phone_page
        login(leader, live_app, "ct-phu-nghia")
        leader.goto(f"{live_app.url}{reverse('bulletin-detail', args=[approved.pk])}")
        with leader.expect_navigation():
            leader.click("#publish-form button[type=submit]")
        assert "Đã đăng bản tin." in leader.inner_text(".alert-success")
        assert leader.is_visible("#verify-qr svg")
        assert fits_the_screen(leader)
        leader.locator("#verify-panel").scroll_into_view_if_needed()
        screenshot(leader, "public-01-bulletin-qr", full_page=False)
        with leader.expect_download() as download:
            leader.click("#verify-qr-download")
        assert download.value.suggested_filename == f"ban-tin-{approved.pk}-qr.svg"

        [(request, _response)] = [
            (r, s) for r, s in telegram.log if r.path.endswith("/sendMessage")
        ]
        sent = json.loads(request.data)["text"]
        last_line = sent.splitlines()[-1]
        assert re.fullmatch(rf"Xác thực: {re.escape(live_app.url)}/v/[a-z2-7]{{16}}/", last_line)
        url = last_line.removeprefix("Xác thực: ")

        # A resident of the village: another phone, never logged in.
        resident_context = browser.new_context(
            viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="vi-VN"
        )
        resident = resident_context.new_page()
        violations = []
        resident.on(
            "console",
            lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
        )
        response = resident.goto(url)
        assert response.status == 200
        assert resident.inner_text("#title") == TITLE
        assert resident.inner_text("#body") == BODY
        assert "Được Ủy ban nhân dân xã Phú Nghĩa phê duyệt." in resident.inner_text("#approved")
        # The fingerprint is of the very text the group received.
        assert resident.inner_text("#sha256") == hashlib.sha256(sent.encode()).hexdigest()
        assert fits_the_screen(resident)
        assert "Lê Thị Hoa" not in resident.content()
        assert "Điểu Văn Lâm" not in resident.content()
        screenshot(resident, "public-02-verify-page")

        with resident.expect_navigation():
            resident.click("#commune-link")
        assert resident.url == f"{live_app.url}/c/25267/"
        assert TITLE in resident.inner_text("#bulletins")
        assert fits_the_screen(resident)
        screenshot(resident, "public-03-commune-page")
        # Each row leads back to the bulletin's page.
        with resident.expect_navigation():
            resident.click(f"#bulletins a:has-text('{TITLE}')")
        assert resident.url == url
        resident_context.close()

    assert csp_violations == []
    assert violations == []
