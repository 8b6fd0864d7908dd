"""On an office's screen the menu bar stays two lines: the person's tools (name, notices,
language, log out) on a line of their own above the links, whatever the width from 1200px,
where the menu stops folding, even for a district's staff and their nine links."""

import pytest

from communes.models import Role
from tests.factories import CommuneFactory, DistrictFactory, make_user

pytestmark = pytest.mark.browser

# Two lines of a link's height and the bar's padding; three lines would be about 150px.
TWO_LINES_PX = 100


@pytest.mark.parametrize("width", [1200, 1280, 1366, 1920])
def test_a_district_staff_s_menu_bar_is_two_lines(live_app, browser, login, screenshot, width):
    district = DistrictFactory()
    CommuneFactory(district=district, code="25267", name="Phú Nghĩa")
    make_user(
        Role.DISTRICT_STAFF,
        district=district,
        username="huyen-staff",
        first_name="Nguyễn Thị",
        last_name="Lan",
    )
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="vi-VN")
    page = context.new_page()
    login(page, live_app, "huyen-staff")
    page.goto(f"{live_app.url}/dashboard/")

    assert page.is_visible("#main-nav >> text=Báo cáo")
    assert not page.is_visible(".navbar-toggler")
    bar = page.locator("nav.navbar").bounding_box()
    assert bar["height"] <= TWO_LINES_PX, f"{width}px: the bar is {bar['height']}px high"
    # the tools on one line, above the first link, all inside the screen
    tools = [
        page.locator(selector).bounding_box()
        for selector in ("#current-user", "#nav-messenger", ".language-form", ".logout-form")
    ]
    middles = [box["y"] + box["height"] / 2 for box in tools]
    assert max(middles) - min(middles) <= 4, middles
    link = page.locator("#main-nav .nav-link").first.bounding_box()
    assert tools[0]["y"] + tools[0]["height"] <= link["y"] + 1
    assert max(box["x"] + box["width"] for box in tools) <= width
    screenshot(page, f"navbar-desktop-{width}", full_page=False)
    context.close()
