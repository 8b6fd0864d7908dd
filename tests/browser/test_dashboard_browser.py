"""Done when (issue 3): district staff log in, open the dashboard, change the date and see the
figures change, then open a commune; on a 360-px phone and on a 1280-px screen."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from communes.models import Role
from tests.browser.helpers import chart_drawn, fits_the_screen
from tests.factories import (
    BluzoneCountFactory,
    CommuneFactory,
    DistrictFactory,
    GroupFactory,
    MemberCountFactory,
    VillageFactory,
    make_user,
)

DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def district_data(live_app):
    """Three communes; Phú Nghĩa's counts grow between 25/07 and 06/08/2021."""
    district = DistrictFactory()
    phu_nghia = CommuneFactory(district=district, code="25267", name="Phú Nghĩa", slug="pn")
    da_kia = CommuneFactory(district=district, code="25231", name="Đa Kia", slug="dk")
    CommuneFactory(district=district, code="25222", name="Bù Gia Mập", slug="bgm")
    tien = VillageFactory(commune=phu_nghia, name="Phú Tiến", households=320, residents=1280)
    VillageFactory(commune=phu_nghia, name="Bình Tân", households=410, residents=1650)
    group = GroupFactory(village=tien, name="Zalo thôn Phú Tiến")
    MemberCountFactory(group=group, date=datetime.date(2021, 7, 20), members=80)
    MemberCountFactory(group=group, date=datetime.date(2021, 8, 1), members=240)
    BluzoneCountFactory(village=tien, date=datetime.date(2021, 8, 1), installs=150)
    bon = VillageFactory(commune=da_kia, name="Bon Bù Dinh", kind="bon", households=200)
    da_kia_group = GroupFactory(village=bon, name="Zalo bon Bù Dinh", admin_trained=False)
    MemberCountFactory(group=da_kia_group, date=datetime.date(2021, 7, 15), members=150)
    make_user(Role.DISTRICT_STAFF, district=district, username="vhtt", first_name="Phòng VH-TT")
    return phu_nghia


@pytest.fixture
def desktop_page(browser):
    context = browser.new_context(viewport=DESKTOP, locale="en-US", timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def show_date(page, value: str) -> None:
    page.fill("#id_date", value)
    with page.expect_navigation():
        page.click("#date-submit")


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_district_staff_follow_the_dashboard(
    live_app, district_data, request, screen, csp_violations, login, screenshot
):
    page = request.getfixturevalue("phone_page" if screen == "phone" else "desktop_page")
    if screen == "desktop":
        page.on(
            "console",
            lambda message: (
                csp_violations.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
    login(page, live_app, "vhtt")
    assert page.url.endswith(reverse("dashboard"))
    assert page.inner_text("h1") == "Bảng tổng hợp toàn huyện"
    screenshot(page, f"dashboard-{screen}-01-today")

    assert page.input_value("#id_date") == timezone.localdate().strftime("%d/%m/%Y")
    show_date(page, "06/08/2021")
    assert page.inner_text("#as-of") == "Số liệu tính đến ngày 06/08/2021"
    # (min(240, 320) + 0 + min(150, 200)) / (320 + 410 + 200) = 390 / 930
    assert page.inner_text("[data-total=coverage_pct]") == "41,9 %"
    first_row = page.locator("#commune-table tbody tr").first
    assert first_row.get_attribute("data-code") == "25222"  # no villages: worst first
    assert chart_drawn(page, "series-chart") and chart_drawn(page, "bars-chart")
    if screen == "phone":
        assert fits_the_screen(page)
    screenshot(page, f"dashboard-{screen}-02-06-08-2021")

    show_date(page, "25/07/2021")
    assert page.inner_text("#as-of") == "Số liệu tính đến ngày 25/07/2021"
    # (80 + 150) / 930
    assert page.inner_text("[data-total=coverage_pct]") == "24,7 %"
    assert page.inner_text("[data-total=bluzone_pct]") == "0,0 %"
    screenshot(page, f"dashboard-{screen}-03-25-07-2021")

    # the chart's numbers: folded under it on a phone, open beside it on a wide screen
    if screen == "phone":
        assert not page.is_visible("#series-chart-table")
        page.click("#series-chart ~ details summary")
        assert page.is_visible("#series-chart-table")
        assert fits_the_screen(page)
    else:
        assert page.is_visible("#series-chart-table")
        chart = page.locator("#series-chart").bounding_box()
        table = page.locator("#series-chart-table").bounding_box()
        assert table["x"] >= chart["x"] + chart["width"] and table["y"] < chart["y"] + 50
    # 25/07/2021 is the twelfth week: (80 + 150) / 930 = 24,7 %
    assert page.locator("#series-chart-table tbody tr").last.inner_text().split("\t")[:2] == [
        "25/07/2021",
        "24,7 %",
    ]
    screenshot(page, f"dashboard-{screen}-03b-chart-numbers")

    with page.expect_navigation():
        page.click("#commune-table a:text('Phú Nghĩa')")
    assert page.url.endswith(f"{reverse('commune-detail', args=['25267'])}?date=2021-07-25")
    assert page.input_value("#id_date") == "25/07/2021"
    assert page.inner_text("h1").startswith("Xã Phú Nghĩa")
    assert page.is_visible("#without-group >> text=Bình Tân")
    tien = district_data.villages.get(name="Phú Tiến")
    assert page.inner_text(f"#village-{tien.pk} [data-field=members]") == "80"
    assert chart_drawn(page, "series-chart")
    if screen == "phone":
        assert fits_the_screen(page)
    screenshot(page, f"dashboard-{screen}-04-commune")
    assert csp_violations == []


@pytest.fixture
def demo(live_app, settings):
    """The seeded demo of Bù Gia Mập: 606/UBND-VX due 06/08/2021 covers its 8 communes; Phú
    Văn reports on 09/08 (late) and Bình Thắng not at all, the six others on time."""
    from demo.communes import seed_demo

    seed_demo(password=settings.DEMO_PASSWORD)
    return settings.DEMO_PASSWORD


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_district_staff_follow_the_deadlines_on_the_demo(
    live_app, demo, request, screen, csp_violations, login, screenshot
):
    page = request.getfixturevalue("phone_page" if screen == "phone" else "desktop_page")
    if screen == "desktop":
        page.on(
            "console",
            lambda message: (
                csp_violations.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
    login(page, live_app, "vhtt", demo)
    page.goto(f"{live_app.url}{reverse('dashboard')}?date=2021-08-06")
    card = page.locator("#deadlines article", has_text="606/UBND-VX")
    # as of the due day: 6 of 8 reported, all on time; Phú Văn's report of 09/08 is missing yet
    assert card.locator("[data-field=reporting_rate]").inner_text() == "75,0 %"
    assert card.locator("[data-field=timeliness]").inner_text() == "75,0 %"
    assert card.locator("[data-field=missing_communes] a").all_inner_texts() == [
        "Bình Thắng",
        "Phú Văn",
    ]
    if screen == "phone":
        assert fits_the_screen(page)
    screenshot(page, f"dashboard-deadlines-{screen}-06-08-2021")

    page.goto(f"{live_app.url}{reverse('dashboard')}?date=2021-08-10")
    card = page.locator("#deadlines article", has_text="606/UBND-VX")
    # 7 of 8 reported, 6 of 8 on time
    assert card.locator("[data-field=reporting_rate]").inner_text() == "87,5 %"
    assert card.locator("[data-field=timeliness]").inner_text() == "75,0 %"
    assert card.locator("[data-field=missing_communes] a").all_inner_texts() == ["Bình Thắng"]
    if screen == "phone":
        assert fits_the_screen(page)
    screenshot(page, f"dashboard-deadlines-{screen}-10-08-2021")

    with page.expect_navigation():
        card.locator("[data-field=missing_communes] a").first.click()
    assert page.url.endswith(f"{reverse('commune-detail', args=['25234'])}?date=2021-08-10")
    assert page.inner_text("h1").startswith("Xã Bình Thắng")
    assert csp_violations == []
