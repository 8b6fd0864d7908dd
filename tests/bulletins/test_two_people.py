"""Two people per bulletin (docs/rules.md#approval): the leader who approves a bulletin is never
its author; where the commune has no other active leader, the author approves it only as
urgent, with a reason, which is recorded and shown. On the API and on the page."""

import pytest
from django.test import Client
from django.urls import reverse

from bulletins import services
from bulletins.models import Bulletin, BulletinTransition
from communes.models import Role
from tests.factories import make_user

pytestmark = pytest.mark.usefixtures("frozen")

REASON = "Mưa lũ đêm nay, cần báo ngay cho các thôn ven suối."


@pytest.fixture
def second_leader(commune_a):
    return make_user(
        Role.COMMUNE_LEADER,
        commune=commune_a,
        username="pct-a",
        first_name="Trần Thị Hoa",
        last_name="",
    )


@pytest.fixture
def leaders_own(write, leader_a):
    """A submitted bulletin written by the leader of A."""
    return services.bulletin_submit(
        bulletin=write(leader_a, field="hanh-chinh", source="", body="Họp thôn lúc 19 giờ."),
        actor=leader_a,
    )


def approve_url(bulletin: Bulletin) -> str:
    return f"/api/v1/bulletins/{bulletin.pk}/approve/"


def unchanged(bulletin: Bulletin) -> bool:
    bulletin.refresh_from_db()
    approvals = BulletinTransition.objects.filter(bulletin=bulletin, to_status="approved")
    return (bulletin.status, bulletin.urgent, approvals.exists()) == ("submitted", False, False)


# --- the API ----------------------------------------------------------------------------------


def test_a_leader_approving_their_own_bulletin_is_told_another_leader_must(
    api_as, leaders_own, leader_a, second_leader
):
    refused = api_as(leader_a).post(approve_url(leaders_own), {}, format="json")

    assert refused.status_code == 400
    [message] = refused.json()["non_field_errors"]
    assert "lãnh đạo khác của xã (Trần Thị Hoa) phải duyệt" in message
    assert unchanged(leaders_own)


def test_another_leader_approves_a_leaders_bulletin(api_as, leaders_own, second_leader):
    answer = api_as(second_leader).post(approve_url(leaders_own), {}, format="json")

    assert answer.status_code == 200
    assert (answer.json()["status"], answer.json()["urgent"]) == ("approved", False)
    assert answer.json()["urgent_reason"] == ""


def test_urgent_is_refused_while_another_leader_can_approve(
    api_as, leaders_own, leader_a, second_leader
):
    refused = api_as(leader_a).post(
        approve_url(leaders_own), {"urgent": True, "reason": REASON}, format="json"
    )

    assert refused.status_code == 400
    assert "Xã còn lãnh đạo khác (Trần Thị Hoa)" in refused.json()["urgent"][0]
    assert unchanged(leaders_own)


@pytest.mark.parametrize("reason", [None, "", "   ", "x" * 501])
def test_urgent_needs_a_reason(api_as, leaders_own, leader_a, reason):
    body = {"urgent": True} if reason is None else {"urgent": True, "reason": reason}

    refused = api_as(leader_a).post(approve_url(leaders_own), body, format="json")

    assert refused.status_code == 400
    assert list(refused.json()) == ["reason"]
    assert unchanged(leaders_own)


def test_the_only_leader_is_told_of_the_urgent_path(api_as, leaders_own, leader_a):
    refused = api_as(leader_a).post(approve_url(leaders_own), {}, format="json")

    assert refused.status_code == 400
    assert "chỉ được duyệt khẩn" in refused.json()["non_field_errors"][0]
    assert unchanged(leaders_own)


def test_the_only_leader_approves_their_own_as_urgent_which_is_recorded(
    api_as, leaders_own, leader_a
):
    client = api_as(leader_a)
    answer = client.post(
        approve_url(leaders_own), {"urgent": True, "reason": f"  {REASON} "}, format="json"
    )

    assert answer.status_code == 200
    row = client.get(f"/api/v1/bulletins/{leaders_own.pk}/").json()
    assert (row["status"], row["urgent"], row["urgent_reason"]) == ("approved", True, REASON)
    step = BulletinTransition.objects.get(bulletin=leaders_own, to_status="approved")
    assert step.actor == leader_a and REASON in step.note and "duyệt khẩn" in step.note
    # Publishing is not the approval: the same leader publishes it.
    published = client.post(f"/api/v1/bulletins/{leaders_own.pk}/publish/", {}, format="json")
    assert (published.status_code, published.json()["status"]) == (200, "published")


def test_an_inactive_leader_is_no_second_leader(api_as, leaders_own, leader_a, second_leader):
    second_leader.is_active = False
    second_leader.save()

    answer = api_as(leader_a).post(
        approve_url(leaders_own), {"urgent": True, "reason": REASON}, format="json"
    )

    assert (answer.status_code, answer.json()["urgent"]) == (200, True)


def test_urgent_by_a_leader_who_is_not_the_author_is_refused(api_as, leaders_own, second_leader):
    refused = api_as(second_leader).post(
        approve_url(leaders_own), {"urgent": True, "reason": REASON}, format="json"
    )

    assert refused.status_code == 400
    assert list(refused.json()) == ["urgent"]
    assert unchanged(leaders_own)


@pytest.mark.parametrize(
    ("role", "status"),
    [("officer_a", 403), ("officer_b", 404), ("district_staff", 403), ("district_leader", 403)],
)
def test_the_other_roles_are_refused_as_before(api_as, cast, leaders_own, role, status):
    body = {"urgent": True, "reason": REASON}

    assert api_as(cast[role]).post(approve_url(leaders_own), body, format="json").status_code == (
        status
    )
    assert unchanged(leaders_own)


# --- the page ---------------------------------------------------------------------------------


@pytest.fixture
def client_as():
    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


def page_approve(client, bulletin: Bulletin, data=None):
    return client.post(reverse("bulletin-action", args=[bulletin.pk, "approve"]), data or {})


def test_the_page_tells_the_author_another_leader_must_approve(
    client_as, leaders_own, leader_a, second_leader
):
    client = client_as(leader_a)
    page = client.get(reverse("bulletin-detail", args=[leaders_own.pk])).content.decode()
    assert 'id="approve-needs-another-leader"' in page and 'name="urgent"' not in page

    refused = page_approve(client, leaders_own, {"urgent": "on", "reason": REASON})

    assert refused.status_code == 400
    assert "lãnh đạo khác của xã (Trần Thị Hoa) phải duyệt" in refused.content.decode()
    assert unchanged(leaders_own)


def test_another_leader_approves_on_the_page_and_is_offered_no_urgent_path(
    client_as, leaders_own, second_leader
):
    client = client_as(second_leader)
    page = client.get(reverse("bulletin-detail", args=[leaders_own.pk])).content.decode()
    assert 'name="urgent"' not in page and 'id="approve-needs-another-leader"' not in page

    assert page_approve(client, leaders_own).status_code == 302
    leaders_own.refresh_from_db()
    assert (leaders_own.status, leaders_own.urgent) == ("approved", False)


def test_the_only_leader_approves_as_urgent_on_the_page(
    client_as, leaders_own, leader_a, district_staff, district_leader, officer_a
):
    client = client_as(leader_a)
    page = client.get(reverse("bulletin-detail", args=[leaders_own.pk])).content.decode()
    assert 'name="urgent"' in page and 'id="approve-urgent-note"' in page

    without_reason = page_approve(client, leaders_own, {"urgent": "on", "reason": " "})
    assert without_reason.status_code == 400
    assert "Hãy ghi lý do duyệt khẩn bản tin." in without_reason.content.decode()
    not_urgent = page_approve(client, leaders_own)
    assert not_urgent.status_code == 400
    assert "chỉ được duyệt khẩn" in not_urgent.content.decode()
    assert unchanged(leaders_own)

    assert page_approve(client, leaders_own, {"urgent": "on", "reason": REASON}).status_code == 302
    leaders_own.refresh_from_db()
    assert (leaders_own.status, leaders_own.urgent, leaders_own.urgent_reason) == (
        "approved",
        True,
        REASON,
    )
    # Shown to the top unit's staff and leaders, and to the commune.
    for reader in (district_staff, district_leader, officer_a, leader_a):
        shown = client_as(reader).get(reverse("bulletin-detail", args=[leaders_own.pk]))
        assert shown.status_code == 200
        html = shown.content.decode()
        assert 'id="urgent-approval"' in html and REASON in html


@pytest.mark.parametrize(
    ("role", "status"),
    [("officer_a", 403), ("officer_b", 404), ("district_staff", 403), ("district_leader", 403)],
)
def test_the_other_roles_are_refused_on_the_page_as_before(
    client_as, cast, leaders_own, role, status
):
    answer = page_approve(client_as(cast[role]), leaders_own, {"urgent": "on", "reason": REASON})

    assert answer.status_code == status
    assert unchanged(leaders_own)
