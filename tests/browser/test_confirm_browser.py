"""Issue #18, item 3, done when: on a 360-px phone an officer copies the text, opens each group
and confirms eleven posts made by hand, pictures and links mixed, each in its own row without
the page loading again or jumping to the top; a refused link stays in its row, typed as it was."""

import pytest
from django.urls import reverse

from bulletins import services
from bulletins.models import Delivery
from bulletins.publishing import bulletin_publish
from communes.models import FieldAssignment, Role
from tests.browser.helpers import fits_the_screen
from tests.bulletins.pictures import phone_photo, picture
from tests.factories import CommuneFactory, DistrictFactory, GroupFactory, VillageFactory, make_user

pytestmark = pytest.mark.browser

PLATFORMS = ["zalo", "facebook", "telegram", "zalo", "viber", "facebook", "zalo", "other"]
LINKS = {
    "zalo": "https://zalo.me/g/{n}/post/1",
    "facebook": "https://m.facebook.com/groups/{n}/posts/1",
    "telegram": "https://t.me/c/{n}/1",
    "viber": "https://invite.viber.com/?g={n}",
    "other": "https://xa-phunghia.gov.vn/tin/{n}",
}
INVITES = {
    "zalo": "https://zalo.me/g/{n}",
    "facebook": "https://www.facebook.com/groups/{n}",
    "telegram": "https://t.me/+{n}",
    "viber": "https://invite.viber.com/?g={n}",
    "other": "https://xa-phunghia.gov.vn/nhom/{n}",
}


@pytest.fixture
def published(live_app):
    """A published bulletin of Phú Nghĩa with eleven groups posted by hand."""
    commune = CommuneFactory(
        district=DistrictFactory(), code="25267", name="Phú Nghĩa", slug="phu-nghia"
    )
    for n in range(11):
        platform = PLATFORMS[n % len(PLATFORMS)]
        village = VillageFactory(commune=commune, name=f"Thôn {n + 1:02d}", households=300)
        GroupFactory(
            village=village,
            name=f"{platform.title()} thôn {n + 1:02d}",
            platform=platform,
            invite_url=INVITES[platform].format(n=n),
        )
    officer = make_user(
        Role.COMMUNE_OFFICER, commune=commune, username="xa-phu-nghia", first_name="Lê Thị Hoa"
    )
    FieldAssignment.objects.create(commune=commune, field_id="y-te", officer=officer.officer)
    leader = make_user(Role.COMMUNE_LEADER, commune=commune, username="ct-phu-nghia")
    bulletin = services.bulletin_create(
        commune=commune,
        author=officer,
        field="y-te",
        title="Thông báo tiêm vắc xin Covid-19 mũi 2",
        body="Trạm Y tế xã tiêm vắc xin mũi 2 ngày 12/8/2021 tại Hội trường UBND xã.",
        source="Trung tâm Y tế huyện Bù Gia Mập",
    )
    services.bulletin_submit(bulletin=bulletin, actor=officer)
    services.bulletin_approve(bulletin=bulletin, actor=leader)
    return bulletin_publish(bulletin=bulletin, actor=leader)


def test_an_officer_confirms_eleven_posts_in_place(
    live_app, published, phone_page, csp_violations, login, screenshot
):
    page = phone_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    login(page, live_app, "xa-phu-nghia")
    page.goto(f"{live_app.url}{reverse('bulletin-detail', args=[published.pk])}")
    loads = []
    page.on("load", lambda: loads.append(page.url))
    page.evaluate("window.stillTheSamePage = true")
    assert fits_the_screen(page)
    screenshot(page, "confirm-01-to-post", full_page=False)

    page.click("#copy-text")
    page.wait_for_selector("#copy-status:has-text('Đã sao chép')")
    assert "UBND xã Phú Nghĩa" in page.evaluate("navigator.clipboard.readText()")

    deliveries = list(Delivery.objects.filter(bulletin=published).select_related("group"))
    assert len(deliveries) == 11
    first = deliveries[0]
    row = f"#delivery-{first.pk}"
    assert page.get_attribute(f"{row} a.open-group", "target") == "_blank"
    assert page.get_attribute(f"{row} a.open-group", "rel") == "noopener"

    # A link off the group's platform: refused in the row, the typed link kept.
    wrong = "https://www.facebook.com/groups/1/posts/1"
    page.fill(f"{row} input[name=posted_url]", wrong)
    page.click(f"{row} button[type=submit]")
    page.wait_for_selector(f"{row} .confirm-error")
    assert "Nhóm này ở trên Zalo" in page.inner_text(row)
    assert page.input_value(f"{row} input[name=posted_url]") == wrong
    screenshot(page, "confirm-02-refused-in-the-row", full_page=False)

    for n, delivery in enumerate(deliveries):
        row = f"#delivery-{delivery.pk}"
        page.locator(row).scroll_into_view_if_needed()
        if n % 2:
            content = phone_photo() if n % 4 == 1 else picture("PNG", (300, 500))
            page.set_input_files(
                f"{row} input[name=evidence]",
                {"name": f"post-{n}.jpg", "mimeType": "image/jpeg", "buffer": content},
            )
        else:
            link = LINKS[delivery.group.platform].format(n=n)
            page.fill(f"{row} input[name=posted_url]", link)
        scrolled = page.evaluate("window.scrollY")
        page.click(f"{row} button[type=submit]")
        page.wait_for_selector(f"{row} .status-confirmed")
        if n % 2:
            page.wait_for_function(
                "selector => { const img = document.querySelector(selector);"
                " return img && img.complete && img.naturalWidth > 0; }",
                arg=f"{row} img.evidence-thumb",
            )
        # Still where the officer was: no jump to the top of the page.
        assert abs(page.evaluate("window.scrollY") - scrolled) < 80
        if n == 5:
            screenshot(page, "confirm-03-halfway", full_page=False)

    assert page.evaluate("window.stillTheSamePage") is True
    assert loads == []
    assert page.locator("#delivery-list .status-confirmed").count() == 11
    assert page.locator("#delivery-list img.evidence-thumb").count() == 5
    assert page.locator(".confirm-form").count() == 0
    assert fits_the_screen(page)
    screenshot(page, "confirm-04-all-confirmed")
    assert csp_violations == []

    stored = {d.pk: d for d in Delivery.objects.filter(bulletin=published)}
    assert {d.status for d in stored.values()} == {"confirmed"}
    assert sum(bool(d.evidence) for d in stored.values()) == 5
    assert sum(bool(d.posted_url) for d in stored.values()) == 6
