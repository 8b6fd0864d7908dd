"""Done when (issue 9): at a nation's 10,000 communes the dashboard's table is paged, sorted by
a heading and searched by a name typed without accents or by a code, on a 360-px phone and
on a 1280-px screen, while the totals and the coverage bands count every commune."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from bmp_comms.dates import local_today
from communes.models import Commune, Role
from tests.browser.helpers import chart_drawn, fits_the_screen
from tests.dashboard.conftest import (
    BULK_PHU_NGHIA,
    bulk_code,
    bulk_members,
    deadline_over,
    populate_in_bulk,
)
from tests.factories import DistrictFactory, SubmissionFactory, make_user

DESKTOP = {"width": 1280, "height": 900}
COMMUNES = 10_000


@pytest.fixture
def nation(live_app):
    """10,000 communes, and a deadline due today over the first 300 that none has met yet.
    tests/dashboard/test_dashboard_paging.py reads the page with a deadline over all 10,000;
    here that would only slow every step."""
    district = DistrictFactory()
    populate_in_bulk(district, COMMUNES)
    make_user(Role.DISTRICT_STAFF, district=district, username="vhtt")
    return deadline_over(district, local_today(), communes=300)


@pytest.fixture
def desktop_page(browser):
    context = browser.new_context(viewport=DESKTOP, locale="en-US", timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def coverage_text(index: int) -> str:
    """Commune `index`'s coverage as the table shows it: its members of 1,000 households."""
    return f"{bulk_members(index) / 10:.1f} %".replace(".", ",")


def row_codes(page) -> list[str]:
    return page.locator("#submission-table tbody tr[data-commune]").evaluate_all(
        "rows => rows.map(row => row.dataset.commune)"
    )


def codes(page, count: int) -> list[str]:
    return page.locator("#commune-table tbody tr").evaluate_all(
        f"rows => rows.slice(0, {count}).map(row => row.dataset.code)"
    )


def follow(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def search(page, text: str) -> None:
    page.fill("#id_q", text)
    follow(page, "#search-submit")


def scroll_to(page, element_id: str) -> None:
    # at once: Bootstrap scrolls smoothly, and a screenshot taken meanwhile shows the way there
    page.evaluate(
        "id => document.getElementById(id).scrollIntoView({block: 'center', behavior: 'instant'})",
        element_id,
    )


def shot_of_the_table(page, name: str, screenshot) -> None:
    """What the screen shows around the search form, then around the pager: a page of 200
    rows is too long to look at whole."""
    scroll_to(page, "commune-search")
    screenshot(page, f"{name}-top", full_page=False)
    if page.locator("#table-pager").count():
        scroll_to(page, "table-pager")
        screenshot(page, f"{name}-pager", full_page=False)


def test_district_staff_page_sort_and_search_a_nation(
    live_app, nation, phone_page, desktop_page, csp_violations, login, screenshot
):
    desktop_page.on(
        "console",
        lambda message: (
            csp_violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    login(phone_page, live_app, "vhtt")
    page = phone_page
    # signing in opens the dashboard as of today, the counts of 01/08/2021 the latest
    assert page.url == f"{live_app.url}{reverse('dashboard')}"
    # the pager, and the totals over every commune: the first 1,000 cover i of 1,000
    # households, the 9,000 after i mod 500, so Σ = 499,500 + 18 × 124,750 = 2,745,000 of
    # 10,000,000 households
    assert page.is_visible("#table-pager")
    assert re.fullmatch(r"Xã thứ 1–200 trong 10\.?000 xã\.", page.inner_text("#table-range"))
    assert page.inner_text("[data-total=coverage_pct]") == "27,5 %"
    assert page.locator("#commune-table tbody tr").count() == 200
    assert chart_drawn(page, "bands-chart")
    scroll_to(page, "bands-chart")
    screenshot(page, "dashboard-paging-phone-00-bands", full_page=False)
    # the deadline names twenty of its 300 missing communes and links to the rest
    card = page.locator(f"#deadline-{nation.pk}")
    assert card.locator("[data-field=missing_communes] a[data-code]").count() == 20
    assert re.fullmatch(
        r"và 280 xã khác \(xem trang hạn báo cáo\)",
        card.locator("[data-field=missing_more] a").inner_text(),
    )
    assert fits_the_screen(page)
    scroll_to(page, f"deadline-{nation.pk}")
    screenshot(page, "dashboard-paging-phone-00-deadline", full_page=False)
    shot_of_the_table(page, "dashboard-paging-phone-01-first-page", screenshot)

    # lowest coverage first; its heading turns it round: highest first, commune 999 at 99.9 %,
    # then 998, 997…
    follow(page, "#commune-table thead a[data-sort=coverage]")
    assert "sort=-coverage" in page.url
    assert codes(page, 5) == [bulk_code(index) for index in range(999, 994, -1)]
    first = page.locator("#commune-table tbody tr").first
    assert first.locator("[data-col=coverage]").inner_text() == coverage_text(999)
    assert page.get_attribute("#commune-table th[aria-sort]", "aria-sort") == "descending"

    # the next page keeps the order: the 201st highest is commune 799
    follow(page, "#page-next")
    assert "page=2" in page.url and "sort=-coverage" in page.url
    assert codes(page, 3) == [bulk_code(799), bulk_code(798), bulk_code(797)]
    assert page.inner_text("#table-range").startswith("Xã thứ 201–400")
    assert fits_the_screen(page)
    shot_of_the_table(page, "dashboard-paging-phone-02-sorted-page-2", screenshot)

    # a name typed without accents, keeping the date and the order
    search(page, "phu nghia")
    assert "q=phu+nghia" in page.url and f"date={local_today().isoformat()}" in page.url
    assert "sort=-coverage" in page.url
    assert codes(page, 10) == [bulk_code(BULK_PHU_NGHIA)]
    row = page.locator("#commune-table tbody tr").first
    assert row.locator("th").inner_text() == "Phú Nghĩa"
    assert row.locator("[data-col=coverage]").inner_text() == coverage_text(BULK_PHU_NGHIA)
    assert not page.is_visible("#table-pager")
    # the totals still count the nation
    assert page.inner_text("[data-total=coverage_pct]") == "27,5 %"
    assert fits_the_screen(page)
    screenshot(page, "dashboard-paging-phone-03-search-name")

    # a code: commune 9876, named by its last digit and the one before (BULK_WORDS[6], [7])
    search(page, bulk_code(9876))
    assert codes(page, 10) == [bulk_code(9876)]
    assert page.locator("#commune-table tbody th").inner_text() == "Đức Minh 9876"

    # the same pages on a desktop screen, for the same person signed in already
    desktop_page.context.add_cookies(phone_page.context.cookies())
    desktop_page.goto(f"{live_app.url}{reverse('dashboard')}?sort=-coverage&page=2")
    assert codes(desktop_page, 1) == [bulk_code(799)]
    shot_of_the_table(desktop_page, "dashboard-paging-desktop-01-sorted-page-2", screenshot)
    assert chart_drawn(desktop_page, "bands-chart")
    scroll_to(desktop_page, "bands-chart")
    screenshot(desktop_page, "dashboard-paging-desktop-00-bands", full_page=False)
    search(desktop_page, "phu nghia")
    assert codes(desktop_page, 10) == [bulk_code(BULK_PHU_NGHIA)]
    screenshot(desktop_page, "dashboard-paging-desktop-02-search-name")
    assert csp_violations == []


def test_district_staff_chase_the_missing_communes_of_a_nation_s_deadline(
    live_app, nation, phone_page, login, screenshot
):
    # commune 5 reported on time, the 299 other communes the deadline covers have not
    SubmissionFactory(
        deadline=nation,
        commune=Commune.objects.get(code=bulk_code(5)),
        submitted_at=timezone.now(),
    )
    login(phone_page, live_app, "vhtt")
    page = phone_page
    today = local_today().isoformat()
    # the card's link opens the communes that have not reported, a page of 100 of the 299
    follow(page, f"#deadline-{nation.pk} [data-field=missing_more] a")
    deadline_page = reverse("deadline-detail", args=[nation.pk])
    assert page.url == f"{live_app.url}{deadline_page}?date={today}&state=missing"
    assert page.input_value("#submission-state") == "missing"
    assert page.inner_text("#submission-count") == "Hiển thị 299 trên 300 xã"
    first_page = row_codes(page)
    assert len(first_page) == 100 and bulk_code(5) not in first_page
    assert "Trang 1/3" in page.inner_text("nav[aria-label] .pagination")
    assert fits_the_screen(page)
    screenshot(page, "deadline-paging-phone-01-missing", full_page=False)

    # the next page keeps the filter and the date
    follow(page, "nav[aria-label] .pagination a:has-text('Sau')")
    assert "state=missing" in page.url and "page=2" in page.url
    assert f"date={today}" in page.url
    assert len(set(row_codes(page)) & set(first_page)) == 0

    # one of them, by its code
    page.fill("#submission-search", bulk_code(123))
    follow(page, "#submission-filter button[type=submit]")
    assert row_codes(page) == [bulk_code(123)]
    assert page.locator("#submission-table tbody .badge").inner_text() == "chưa nộp"
    assert fits_the_screen(page)
    screenshot(page, "deadline-paging-phone-02-missing-by-code")

    # every covered commune, and the one that reported
    page.fill("#submission-search", "")
    page.select_option("#submission-state", "")
    follow(page, "#submission-filter button[type=submit]")
    assert page.inner_text("#submission-count") == "300 xã phải báo cáo"
    assert page.locator("#submission-table tbody tr").count() == 100
    page.select_option("#submission-state", "on_time")
    follow(page, "#submission-filter button[type=submit]")
    assert row_codes(page) == [bulk_code(5)]
    assert page.inner_text("#submission-count") == "Hiển thị 1 trên 300 xã"
