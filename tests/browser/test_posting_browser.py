"""Posting proof on the dashboard (docs/rules.md#posting-proof): district staff see each
commune's posted/all deliveries of the 30 days with the percentage, an urgent self-approval as a
badge on its row, and the communes under 80 %; the commune's page shows its own. On a 360-px
phone and on a 1280-px screen, as of 31/08/2021."""

import datetime
import zoneinfo

import pytest

from bulletins.models import Bulletin, ChannelKind, Delivery, DeliveryStatus
from communes.models import Role
from tests.browser.helpers import fits_the_screen
from tests.factories import CommuneFactory, DistrictFactory, GroupFactory, VillageFactory, make_user

LOCAL = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
DESKTOP = {"width": 1280, "height": 900}


def _published(commune, author, day, statuses, *, urgent=False):
    when = datetime.datetime(2021, 8, day, 9, tzinfo=LOCAL)
    bulletin = Bulletin.objects.create(
        commune=commune,
        field_id="y-te",
        title="Lịch tiêm",
        body="Nội dung.",
        author=author,
        status="published",
        approved_at=when,
        urgent=urgent,
        published_at=when,
    )
    village = VillageFactory(commune=commune, households=100)
    for status in statuses:
        done = status in (DeliveryStatus.SENT, DeliveryStatus.CONFIRMED)
        Delivery.objects.create(
            bulletin=bulletin,
            group=GroupFactory(village=village),
            channel=ChannelKind.MANUAL,
            status=status,
            sent_at=when if done else None,
            posted_url="https://zalo.me/p/1" if status == DeliveryStatus.CONFIRMED else "",
        )


@pytest.fixture
def posting(live_app):
    """Phú Nghĩa: 1 of 4 posted (25,0 %), its bulletin approved as urgent by its author; Đa
    Kia: 4 of 4 (100,0 %)."""
    district = DistrictFactory()
    phu_nghia = CommuneFactory(district=district, code="25267", name="Phú Nghĩa", slug="pn")
    da_kia = CommuneFactory(district=district, code="25231", name="Đa Kia", slug="dk")
    staff = make_user(Role.DISTRICT_STAFF, district=district, username="vhtt")
    waiting = DeliveryStatus.AWAITING_CONFIRMATION
    _published(phu_nghia, staff, 20, [DeliveryStatus.SENT, waiting, waiting, waiting], urgent=True)
    _published(da_kia, staff, 25, [DeliveryStatus.CONFIRMED] * 4)
    return district


@pytest.fixture
def desktop_page(browser):
    context = browser.new_context(viewport=DESKTOP, locale="en-US", timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_district_staff_see_the_posting_proof(
    live_app, posting, request, screen, login, screenshot
):
    page = request.getfixturevalue("phone_page" if screen == "phone" else "desktop_page")
    login(page, live_app, "vhtt")
    page.goto(f"{live_app.url}/dashboard/?date=2021-08-31")
    row = page.locator("#commune-table tr[data-code='25267']")
    assert row.locator("[data-col=posting]").inner_text().split() == [
        "1/4",
        "25,0",
        "%",
        "1",
        "duyệt",
        "khẩn",
    ]
    assert row.locator("[data-urgent]").is_visible()
    other = page.locator("#commune-table tr[data-code='25231'] [data-col=posting]")
    assert other.inner_text().split() == ["4/4", "100,0", "%"]
    assert page.inner_text("[data-total=communes_posting_under_80]") == "1"
    assert "đã đăng 5/8 lượt (62,5 %)" in page.inner_text("#posting-proof")
    if screen == "phone":
        assert fits_the_screen(page)
    screenshot(page, f"posting-{screen}-01-dashboard")

    with page.expect_navigation():
        row.locator("th a").click()
    section = page.locator("#posting-proof")
    assert section.locator("[data-total=posting_pct]").inner_text() == "25,0 %"
    assert "1 trong 4 lượt gửi nhóm của 1 bản tin đã đăng" in section.inner_text()
    assert section.locator("[data-urgent]").inner_text() == "1"
    if screen == "phone":
        assert fits_the_screen(page)
    screenshot(page, f"posting-{screen}-02-commune")
