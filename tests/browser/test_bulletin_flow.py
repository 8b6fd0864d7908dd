"""Issue #10, done when: an officer drafts a bulletin on a 360-px phone, watching the checks as
they type, and submits it; the leader approves and publishes it; the officer confirms the post
made by hand in the village's group."""

import pytest
from django.urls import reverse

from bulletins.models import Bulletin, Delivery
from communes.models import FieldAssignment, Role
from tests.browser.helpers import fits_the_screen
from tests.factories import CommuneFactory, DistrictFactory, GroupFactory, VillageFactory, make_user

pytestmark = pytest.mark.browser

BODY = (
    "Trạm Y tế xã Phú Nghĩa tổ chức tiêm vắc xin phòng Covid-19 mũi 2 cho người từ 18 tuổi "
    "trở lên vào ngày 12/8/2021. Thời gian từ 7 giờ 30 đến 16 giờ tại Hội trường UBND xã. "
    "Người dân mang theo căn cước công dân và giấy mời."
)


@pytest.fixture
def phu_nghia(live_app):
    commune = CommuneFactory(
        district=DistrictFactory(), code="25267", name="Phú Nghĩa", slug="phu-nghia"
    )
    village = VillageFactory(commune=commune, name="Thôn Bình Tân", households=410)
    GroupFactory(village=village, name="Zalo thôn Bình Tân")
    officer = make_user(
        Role.COMMUNE_OFFICER, commune=commune, username="xa-phu-nghia", first_name="Lê Thị Hoa"
    )
    FieldAssignment.objects.create(commune=commune, field_id="y-te", officer=officer.officer)
    make_user(
        Role.COMMUNE_LEADER, commune=commune, username="ct-phu-nghia", first_name="Điểu Văn Lâm"
    )
    return commune


def test_officer_drafts_leader_publishes_officer_confirms(
    live_app, phu_nghia, phone_page, csp_violations, login, screenshot, browser
):
    page = phone_page
    login(page, live_app, "xa-phu-nghia")
    page.goto(f"{live_app.url}{reverse('bulletin-create')}")
    assert page.inner_text("h1") == "Soạn bản tin"

    page.fill("#id_title", "Thông báo tiêm vắc xin Covid-19 mũi 2")
    page.select_option("#id_field", "y-te")
    page.fill("#id_body", BODY)
    # The panel follows the typing, from the server's own checks.
    page.wait_for_selector("#check-words:has-text('Số từ: 50 / 300')")
    page.wait_for_selector("#check-source")
    assert "Chưa đạt" in page.inner_text("#check-verdict")
    page.fill("#id_source", "Trung tâm Y tế huyện Bù Gia Mập")
    page.wait_for_selector("#check-verdict:has-text('Đạt các yêu cầu kiểm tra.')")
    assert fits_the_screen(page)
    screenshot(page, "bulletin-01-editor")

    with page.expect_navigation():
        page.click("#bulletin-form button[type=submit]")
    with page.expect_navigation():
        page.click("#submit-form button[type=submit]")
    assert "Đã gửi bản tin chờ duyệt." in page.inner_text(".alert-success")
    bulletin = Bulletin.objects.get()
    assert bulletin.status == "submitted"

    leader_context = browser.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True
    )
    leader = leader_context.new_page()
    leader.set_default_timeout(15_000)
    login(leader, live_app, "ct-phu-nghia")
    leader.goto(f"{live_app.url}{reverse('bulletin-review')}")
    assert "Thông báo tiêm vắc xin Covid-19 mũi 2" in leader.inner_text("#review-list")
    assert fits_the_screen(leader)
    screenshot(leader, "bulletin-02-review-queue")
    with leader.expect_navigation():
        leader.click("#review-list a")
    with leader.expect_navigation():
        leader.click("#approve-form button[type=submit]")
    with leader.expect_navigation():
        leader.click("#publish-form button[type=submit]")
    assert "Đã đăng bản tin." in leader.inner_text(".alert-success")
    leader_context.close()

    page.goto(f"{live_app.url}{reverse('bulletin-detail', args=[bulletin.pk])}")
    assert "Zalo thôn Bình Tân" in page.inner_text("#delivery-list")
    assert fits_the_screen(page)
    screenshot(page, "bulletin-03-deliveries")
    page.fill(".confirm-form input[name=posted_url]", "https://zalo.me/g/binhtan/post/1")
    # The row confirms itself in place (htmx), without loading the page again.
    page.click(".confirm-form button[type=submit]")
    page.wait_for_selector("#delivery-list .status-confirmed")
    assert "Đã xác nhận" in page.inner_text("#delivery-list")
    screenshot(page, "bulletin-04-confirmed")

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.posted_url) == (
        "confirmed",
        "https://zalo.me/g/binhtan/post/1",
    )
    assert [t.to_status for t in Bulletin.objects.get().transitions.all()] == [
        "draft", "submitted", "approved", "published",
    ]  # fmt: skip
    assert csp_violations == []
