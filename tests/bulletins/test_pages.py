"""The bulletin pages: list by scope, the editor and its live checks, a bulletin with its
actions, audit and deliveries, the review queue; text always escaped."""

import pytest
from django.test import Client
from django.urls import reverse

from bulletins import services
from bulletins.models import Bulletin
from tests.bulletins.conftest import HEALTH_BODY

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def client_as():
    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


FORM = {
    "title": "Thông báo tiêm vắc xin",
    "field": "y-te",
    "body": HEALTH_BODY,
    "source": "Trung tâm Y tế huyện",
}


def test_an_officer_drafts_on_the_editor(client_as, officer_a, villages_a):
    client = client_as(officer_a)
    page = client.get(reverse("bulletin-create"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'hx-post="/bulletins/checks/"' in html
    assert "vendor/htmx/htmx.min.js" in html

    response = client.post(reverse("bulletin-create"), {**FORM, "villages": [villages_a[0].pk]})

    bulletin = Bulletin.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("bulletin-detail", args=[bulletin.pk])
    assert list(bulletin.villages.all()) == [villages_a[0]]


def test_a_bad_draft_shows_the_message_by_its_field(client_as, officer_a):
    response = client_as(officer_a).post(reverse("bulletin-create"), {**FORM, "body": "  "})

    assert response.status_code == 400
    assert "Vui lòng" in response.content.decode() or "Hãy" in response.content.decode()
    assert not Bulletin.objects.exists()


def test_the_live_checks_are_the_apis_figures(client_as, officer_a):
    response = client_as(officer_a).post(
        reverse("bulletin-checks"), {"field": "y-te", "body": HEALTH_BODY, "source": ""}
    )

    html = response.content.decode()
    assert "Số từ: 50 / 300" in html
    assert "Độ dài câu trung bình: 16,7 từ" in html
    assert "Câu dài nhất: 25 từ" in html
    assert "Tin y tế phải ghi rõ nguồn." in html


def test_district_staff_cannot_open_the_editor(client_as, district_staff):
    assert client_as(district_staff).get(reverse("bulletin-create")).status_code == 403


def test_the_list_by_scope_and_status(client_as, write, officer_a, officer_b, district_leader):
    write(officer_a, title="Tin của A")
    write(officer_b, title="Tin của B")

    own = client_as(officer_a).get(reverse("bulletin-list")).content.decode()
    assert "Tin của A" in own and "Tin của B" not in own
    district = client_as(district_leader).get(reverse("bulletin-list")).content.decode()
    assert "Tin của A" in district and "Tin của B" in district
    assert reverse("bulletin-create") not in district
    filtered = client_as(district_leader).get(reverse("bulletin-list") + "?status=published")
    assert "Tin của A" not in filtered.content.decode()


def test_bulletin_text_is_escaped_on_every_page(client_as, write, officer_a):
    bulletin = write(
        officer_a,
        title="<script>alert(1)</script>",
        body="Dòng một <b>đậm</b>\nDòng hai <img src=x onerror=alert(1)>",
        source="<i>nguồn</i>",
    )
    client = client_as(officer_a)
    for url in (
        reverse("bulletin-detail", args=[bulletin.pk]),
        reverse("bulletin-list"),
        reverse("bulletin-edit", args=[bulletin.pk]),
    ):
        html = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "<img src=x" not in html
        assert "<b>đậm</b>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    detail = client.get(reverse("bulletin-detail", args=[bulletin.pk])).content.decode()
    assert "Dòng một &lt;b&gt;đậm&lt;/b&gt;<br>Dòng hai" in detail


def test_submit_approve_publish_and_confirm_on_the_pages(
    client_as, write, officer_a, leader_a, health_assignment, groups_a
):
    bulletin = write(officer_a)
    officer, leader = client_as(officer_a), client_as(leader_a)

    officer.post(reverse("bulletin-action", args=[bulletin.pk, "submit"]))
    assert Bulletin.objects.get().status == "submitted"
    queue = leader.get(reverse("bulletin-review")).content.decode()
    assert bulletin.title in queue
    leader.post(reverse("bulletin-action", args=[bulletin.pk, "approve"]))
    leader.post(reverse("bulletin-action", args=[bulletin.pk, "publish"]), {"publish_at": ""})
    assert Bulletin.objects.get().status == "published"

    page = officer.get(reverse("bulletin-detail", args=[bulletin.pk])).content.decode()
    for name in ("Zalo Phú Tiến", "Telegram Phú Tiến", "Facebook Bình Tân"):
        assert name in page
    assert page.count('name="posted_url"') == 3
    assert [t.to_status for t in bulletin.transitions.all()] == [
        "draft", "submitted", "approved", "published",
    ]  # fmt: skip
    for status in ("Bản nháp", "Chờ duyệt", "Đã duyệt", "Đã đăng"):
        assert status in page

    delivery = bulletin.deliveries.get(group__platform="zalo")
    bad = officer.post(reverse("delivery-confirm", args=[delivery.pk]), {"posted_url": "abc"})
    assert bad.status_code == 400
    assert "http:// hoặc https://" in bad.content.decode()
    good = officer.post(
        reverse("delivery-confirm", args=[delivery.pk]), {"posted_url": "https://zalo.me/p/1"}
    )
    assert good.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == "confirmed"


def test_an_officer_sees_no_approval_buttons_and_cannot_approve(
    client_as, write, officer_a, health_assignment
):
    bulletin = services.bulletin_submit(bulletin=write(officer_a), actor=officer_a)
    client = client_as(officer_a)

    page = client.get(reverse("bulletin-detail", args=[bulletin.pk])).content.decode()
    assert 'id="approve-form"' not in page
    assert client.post(reverse("bulletin-action", args=[bulletin.pk, "approve"])).status_code == 403
    assert client.get(reverse("bulletin-review")).status_code == 403


def test_a_refused_action_says_why_with_400(client_as, write, officer_a, leader_a):
    bulletin = write(officer_a)

    response = client_as(leader_a).post(reverse("bulletin-action", args=[bulletin.pk, "publish"]))

    assert response.status_code == 400
    assert "không thể đăng lúc này" in response.content.decode()


def test_a_duplicate_shows_a_link_and_needs_the_override(
    client_as, write, officer_a, leader_a, health_assignment
):
    earlier = services.bulletin_submit(bulletin=write(leader_a), actor=leader_a)
    copy = services.bulletin_submit(bulletin=write(officer_a), actor=officer_a)
    leader = client_as(leader_a)

    page = leader.get(reverse("bulletin-detail", args=[copy.pk])).content.decode()
    assert f'href="/bulletins/{earlier.pk}/"' in page
    officer_page = client_as(officer_a).get(reverse("bulletin-detail", args=[copy.pk]))
    assert f'href="/bulletins/{earlier.pk}/"' in officer_page.content.decode()

    refused = leader.post(reverse("bulletin-action", args=[copy.pk, "approve"]))
    assert refused.status_code == 400
    assert "override_duplicate" in refused.content.decode()
    leader.post(reverse("bulletin-action", args=[copy.pk, "approve"]), {"override_duplicate": "on"})
    copy.refresh_from_db()
    assert (copy.status, copy.duplicate_override) == ("approved", True)


def test_another_communes_bulletin_is_404(client_as, write, officer_a, officer_b):
    bulletin = write(officer_a)
    client = client_as(officer_b)
    assert client.get(reverse("bulletin-detail", args=[bulletin.pk])).status_code == 404
    assert client.post(reverse("bulletin-action", args=[bulletin.pk, "submit"])).status_code == 404


def test_the_menu_leads_to_bulletins(client_as, officer_a, district_staff):
    for user in (officer_a, district_staff):
        html = client_as(user).get(reverse("bulletin-list")).content.decode()
        assert 'id="nav-bulletins"' in html
