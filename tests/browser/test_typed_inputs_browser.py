"""Issue 18, points 5 and 7 (docs/rules.md#typed-input): in a browser that asks for en-US, a
commune officer types a member count of "1.000" and a date on the Vietnamese page; a thousand
members are saved on 7 December, and the date field shows dd/mm/yyyy, typed or picked on its
calendar, never the browser's mm/dd/yyyy. A misplaced separator and an impossible date come
back with the way to write them, and nothing is saved."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from communes.models import Role
from groups.models import MemberCount
from tests.browser.helpers import fits_the_screen
from tests.factories import CommuneFactory, DistrictFactory, GroupFactory, VillageFactory, make_user

pytestmark = pytest.mark.browser

DAY = re.compile(r"\d{2}/\d{2}/\d{4}")
HOWTO = "Viết số như 1.000 hoặc 21.814 (mỗi nhóm ba chữ số) hoặc 21814, không có phần thập phân."


@pytest.fixture
def group(live_app):
    commune = CommuneFactory(
        district=DistrictFactory(), code="25267", name="Phú Nghĩa", slug="phu-nghia"
    )
    village = VillageFactory(commune=commune, name="Thôn Bình Tân", households=1650)
    make_user(Role.COMMUNE_OFFICER, commune=commune, username="xa-phu-nghia")
    return GroupFactory(village=village, name="Zalo thôn Bình Tân")


def open_calendar(page):
    page.click("#field-date .datepicker-toggle")
    page.wait_for_selector(".flatpickr-calendar.open")


def test_a_member_count_of_1_000_on_7_december_in_an_en_us_browser(
    live_app, group, phone_page, csp_violations, login, screenshot
):
    page = phone_page
    assert page.evaluate("navigator.language") == "en-US"
    login(page, live_app, "xa-phu-nghia")
    url = f"{live_app.url}{reverse('member-count-create', args=[group.pk])}"
    page.goto(url)

    # The date is a text field shown dd/mm/yyyy (today), not the browser's own date input.
    field = page.locator("#id_date")
    assert field.get_attribute("type") == "text"
    assert field.input_value() == timezone.localdate().strftime("%d/%m/%Y")
    assert field.get_attribute("placeholder") == "dd/mm/yyyy"
    page.wait_for_selector("#field-date .datepicker-toggle")
    assert fits_the_screen(page)
    screenshot(page, "typed-01-member-count-form")
    # The calendar (flatpickr, 18 KiB) is not part of the page's load: it is fetched when first
    # opened (docs/rules.md#typed-input).
    assert page.evaluate("typeof window.flatpickr") == "undefined"
    assert page.locator("script[src*=flatpickr], link[href*=flatpickr]").count() == 0

    # A misplaced separator is refused, with the way to write the number; nothing is saved.
    page.fill("#id_members", "1.00")
    page.fill("#id_date", "07/12/2021")
    with page.expect_navigation():
        page.click("#portal-form button[type=submit]")
    assert page.inner_text("#id_members_errors") == HOWTO
    assert page.input_value("#id_members") == "1.00"
    assert page.input_value("#id_date") == "07/12/2021"
    assert not MemberCount.objects.exists()
    screenshot(page, "typed-02-misplaced-separator")

    # Typed as Vietnamese writes it: a thousand members on 7 December 2021.
    page.fill("#id_members", "1.000")
    with page.expect_navigation():
        page.click("#portal-form button[type=submit]")
    count = MemberCount.objects.get()
    assert (count.members, count.date) == (1000, datetime.date(2021, 12, 7))
    assert "Đã ghi số thành viên của “Zalo thôn Bình Tân” ngày 07/12/2021." in page.inner_text(
        ".alert-success"
    )
    assert csp_violations == []


def test_the_calendar_writes_dd_mm_yyyy_and_never_rewrites_what_was_typed(
    live_app, group, phone_page, csp_violations, login, screenshot
):
    page = phone_page
    login(page, live_app, "xa-phu-nghia")
    page.goto(f"{live_app.url}{reverse('member-count-create', args=[group.pk])}")
    page.wait_for_selector("#field-date .datepicker-toggle")

    # The calendar opens on the typed day, in Vietnamese, and a day picked on it is written
    # dd/mm/yyyy.
    page.fill("#id_date", "07/12/2021")
    open_calendar(page)
    calendar = page.locator(".flatpickr-calendar.open")
    assert calendar.locator(".flatpickr-day.selected").inner_text() == "7"
    assert "Tháng 12" in calendar.inner_text()
    assert calendar.locator(".cur-year").input_value() == "2021"
    screenshot(page, "typed-03-calendar", full_page=False)
    calendar.locator(
        ".flatpickr-day:not(.prevMonthDay):not(.nextMonthDay)", has_text=re.compile(r"^15$")
    ).click()
    page.wait_for_selector(".flatpickr-calendar.open", state="hidden")
    assert page.input_value("#id_date") == "15/12/2021"
    assert DAY.fullmatch(page.input_value("#id_date"))

    # An impossible day typed stays as typed when the calendar is opened and put away: the
    # server says how to write it, and nothing is saved.
    page.fill("#id_date", "31/02/2021")
    open_calendar(page)
    page.keyboard.press("Escape")
    page.click("#id_members")
    assert page.input_value("#id_date") == "31/02/2021"
    page.fill("#id_members", "120")
    with page.expect_navigation():
        page.click("#portal-form button[type=submit]")
    assert page.inner_text("#id_date_errors") == "Nhập ngày theo dạng dd/mm/yyyy."
    assert not MemberCount.objects.exists()

    page.fill("#id_date", "15/12/2021")
    with page.expect_navigation():
        page.click("#portal-form button[type=submit]")
    assert MemberCount.objects.get().date == datetime.date(2021, 12, 15)
    assert csp_violations == []


def test_without_javascript_the_date_is_typed(live_app, group, browser, login):
    context = browser.new_context(java_script_enabled=False, locale="en-US")
    page = context.new_page()
    try:
        login(page, live_app, "xa-phu-nghia")
        page.goto(f"{live_app.url}{reverse('member-count-create', args=[group.pk])}")
        assert page.locator(".datepicker-toggle").count() == 0
        page.fill("#id_date", "07/12/2021")
        page.fill("#id_members", "21.814")
        with page.expect_navigation():
            page.click("#portal-form button[type=submit]")
        count = MemberCount.objects.get()
        assert (count.members, count.date) == (21814, datetime.date(2021, 12, 7))
    finally:
        context.close()
