"""Done when (issue 2): a commune officer logs in on a 360-px phone, registers a news group at
/groups/new/ and sees it on the commune page."""

import pytest
from django.urls import reverse

from communes.models import Role
from groups.models import MessagingGroup
from tests.browser.helpers import fits_the_screen
from tests.factories import CommuneFactory, DistrictFactory, VillageFactory, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def phu_nghia(live_app):
    """Phú Nghĩa as the demo has it, with two villages and its officer `xa-phu-nghia`."""
    commune = CommuneFactory(
        district=DistrictFactory(), code="25267", name="Phú Nghĩa", slug="phu-nghia"
    )
    VillageFactory(commune=commune, name="Thôn Phú Tiến", households=320, residents=1280)
    village = VillageFactory(commune=commune, name="Thôn Bình Tân", households=410, residents=1650)
    make_user(
        Role.COMMUNE_OFFICER, commune=commune, username="xa-phu-nghia", first_name="Lê Thị Hoa"
    )
    return village


def test_officer_registers_a_group_on_a_phone(
    live_app, phu_nghia, phone_page, csp_violations, login, screenshot
):
    page = phone_page
    page.goto(f"{live_app.url}/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.inner_text("label[for=id_username]") == "Tên đăng nhập"
    screenshot(page, "register-group-01-login")

    login(page, live_app, "xa-phu-nghia")
    assert page.url.endswith(reverse("commune-detail", args=["25267"]))
    screenshot(page, "register-group-02-commune-page")

    page.click(".navbar-toggler")
    page.wait_for_selector("#main-nav.show")
    assert page.is_visible("#main-nav >> text=Đăng ký nhóm tin")
    assert page.get_attribute(".navbar-toggler", "aria-expanded") == "true"
    screenshot(page, "register-group-03-menu")
    # the same button folds it away again
    page.click(".navbar-toggler")
    assert not page.is_visible("#main-nav >> text=Đăng ký nhóm tin")
    assert page.get_attribute(".navbar-toggler", "aria-expanded") == "false"

    page.goto(f"{live_app.url}{reverse('group-create')}")
    assert page.inner_text("h1") == "Đăng ký nhóm tin"
    assert fits_the_screen(page)
    screenshot(page, "register-group-04-form")

    page.select_option("#id_village", str(phu_nghia.pk))
    page.select_option("#id_platform", "zalo")
    page.fill("#id_name", "Zalo thôn Bình Tân")
    page.fill("#id_invite_url", "javascript:alert(1)")
    page.fill("#id_admin_name", "Trần Văn Minh")
    page.fill("#id_admin_phone", "0912345678")
    page.check("#id_admin_trained")
    page.check("#id_admins_only_post")
    page.fill("#id_established_on", "2021-07-20")
    with page.expect_navigation():
        page.click("#portal-form button[type=submit]")
    # Refused by the server, the message stands under the link, in Vietnamese.
    error = page.locator("#id_invite_url_errors")
    assert error.inner_text() == "Nhập đường liên kết hợp lệ, bắt đầu bằng http:// hoặc https://."
    assert "is-invalid" in page.get_attribute("#id_invite_url", "class")
    assert page.input_value("#id_name") == "Zalo thôn Bình Tân"
    assert not MessagingGroup.objects.exists()
    error.scroll_into_view_if_needed()
    screenshot(page, "register-group-05-error")

    page.fill("#id_invite_url", "https://zalo.me/g/binhtan-pn")
    with page.expect_navigation():
        page.click("#portal-form button[type=submit]")

    assert page.url.endswith(reverse("commune-detail", args=["25267"]))
    assert "Đã đăng ký nhóm “Zalo thôn Bình Tân”." in page.inner_text(".alert-success")
    assert page.is_visible("main >> text=Zalo thôn Bình Tân")
    assert fits_the_screen(page)
    screenshot(page, "register-group-06-commune-page-with-group")
    # the message's close button puts it away
    page.click(".alert-success .btn-close")
    assert page.locator(".alert-success").count() == 0

    group = MessagingGroup.objects.get()
    assert (group.village, group.platform, group.status) == (phu_nghia, "zalo", "active")
    assert group.invite_url == "https://zalo.me/g/binhtan-pn"
    assert group.admin_trained and group.admins_only_post
    assert group.created_by.username == "xa-phu-nghia"
    assert csp_violations == []


def test_district_staff_pages_fit_a_phone(
    live_app, phu_nghia, phone_page, csp_violations, login, screenshot
):
    make_user(Role.DISTRICT_STAFF, district=phu_nghia.commune.district, username="vhtt")
    page = phone_page
    login(page, live_app, "vhtt")

    page.goto(f"{live_app.url}{reverse('user-create')}")
    page.select_option("#id_role", "district_leader")
    # A district role has no commune: the page hides what does not apply (static/js/app.js).
    assert not page.is_visible("#field-commune")
    assert not page.is_visible("#field-fields")
    page.select_option("#id_role", "commune_officer")
    assert page.is_visible("#field-commune")
    assert page.is_visible("label:has-text('Y tế, phòng chống dịch bệnh')")
    assert fits_the_screen(page)
    screenshot(page, "staff-01-user-form")

    page.goto(f"{live_app.url}{reverse('officer-list', args=['25267'])}")
    assert page.is_visible("#officer-list >> text=Lê Thị Hoa")
    assert fits_the_screen(page)
    screenshot(page, "staff-02-officer-list")
    assert csp_violations == []
