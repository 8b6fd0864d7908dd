"""The bell follows without a reload (docs/rules.md#notifications): a leader's page is open when
an officer submits a bulletin in another browser; the leader's bell counts it within the next
poll, on the same page, and opens the notice."""

import pytest
from django.urls import reverse

from bulletins import services
from communes.models import FieldAssignment, Role
from tests.factories import CommuneFactory, DistrictFactory, make_user

pytestmark = pytest.mark.browser

BODY = (
    "Trạm Y tế xã Phú Nghĩa tổ chức tiêm vắc xin phòng Covid-19 mũi 2 cho người từ 18 tuổi "
    "trở lên vào ngày 12/8/2021. Người dân mang theo căn cước công dân."
)


@pytest.fixture
def draft(live_app):
    commune = CommuneFactory(
        district=DistrictFactory(), code="25267", name="Phú Nghĩa", slug="phu-nghia"
    )
    officer = make_user(
        Role.COMMUNE_OFFICER, commune=commune, username="xa-phu-nghia", first_name="Lê Thị Hoa"
    )
    FieldAssignment.objects.create(commune=commune, field_id="y-te", officer=officer.officer)
    make_user(
        Role.COMMUNE_LEADER, commune=commune, username="ct-phu-nghia", first_name="Điểu Văn Lâm"
    )
    return services.bulletin_create(
        commune=commune,
        author=officer,
        field="y-te",
        title="Thông báo tiêm vắc xin Covid-19 mũi 2",
        body=BODY,
        source="Trung tâm Y tế huyện Bù Gia Mập",
    )


def test_the_leaders_bell_counts_a_submission_without_a_reload(
    live_app, draft, phone_page, csp_violations, login, screenshot, browser, settings
):
    settings.NOTIFICATION_BELL_POLL_SECONDS = 1
    leader = phone_page
    login(leader, live_app, "ct-phu-nghia")
    leader.goto(f"{live_app.url}{reverse('bulletin-list')}")
    assert leader.locator("#notification-count").count() == 0
    # A mark on this very page: a reload or a navigation would lose it.
    leader.evaluate("window.stillTheSamePage = true")

    officer_context = browser.new_context(viewport={"width": 360, "height": 740})
    officer = officer_context.new_page()
    officer.set_default_timeout(15_000)
    login(officer, live_app, "xa-phu-nghia")
    officer.goto(f"{live_app.url}{reverse('bulletin-detail', args=[draft.pk])}")
    with officer.expect_navigation():
        officer.click("#submit-form button[type=submit]")
    assert "Đã gửi bản tin chờ duyệt." in officer.inner_text(".alert-success")
    officer_context.close()

    # Within a poll or two, on the same page.
    leader.wait_for_selector("#notification-count:has-text('1')", timeout=10_000)
    assert leader.evaluate("window.stillTheSamePage") is True
    assert "1 thông báo chưa đọc" in leader.inner_text("#notification-bell")
    screenshot(leader, "bell-01-counted-without-reload", full_page=False)

    with leader.expect_navigation():
        leader.click("#notification-bell")
    notices = leader.inner_text("#notifications")
    assert "Lê Thị Hoa đã trình duyệt bản tin “Thông báo tiêm vắc xin Covid-19 mũi 2”" in notices
    screenshot(leader, "bell-02-notifications")
    with leader.expect_navigation():
        leader.click("#notifications a")
    assert leader.url.endswith(reverse("bulletin-detail", args=[draft.pk]))
    assert csp_violations == []
