"""Who may do what on the bulletin endpoints (docs/rules.md, Roles and Definitions): one table of
(role, method, endpoint) → status, over bulletins of commune A in every state."""

from dataclasses import dataclass

import pytest

from bulletins import services
from bulletins.channels import channel_connect
from bulletins.models import Bulletin, Channel, Delivery
from bulletins.publishing import bulletin_publish
from communes.models import Commune, Role
from tests.bulletins.conftest import HEALTH_BODY
from tests.factories import CommuneFactory, DistrictFactory, make_user

pytestmark = pytest.mark.usefixtures("frozen")

ROLES = [
    "officer_a",
    "leader_a",
    "officer_b",
    "district_staff",
    "district_leader",
    "other_district_staff",
    "anonymous",
]


def by_role(officer_a, leader_a, officer_b, staff, district_leader, other_staff, anonymous=401):
    return dict(
        zip(
            ROLES,
            [officer_a, leader_a, officer_b, staff, district_leader, other_staff, anonymous],
            strict=True,
        )
    )


LIST = by_role(200, 200, 200, 200, 200, 200)
# Commune users write their own commune's bulletins; district users author none.
DRAFT_NEW = by_role(201, 201, 201, 403, 403, 403)
READ_A = by_role(200, 200, 404, 200, 200, 404)
EDIT_A = by_role(200, 200, 404, 403, 403, 403)
SUBMIT_A = by_role(200, 200, 404, 403, 403, 403)
LEAD_A = by_role(403, 200, 404, 403, 403, 403)
CONFIRM_A = by_role(200, 200, 404, 403, 403, 403)
NO_DELETE = by_role(405, 405, 405, 403, 403, 403)
CHANNELS = by_role(403, 200, 403, 200, 403, 200)
CHANNEL_NEW = by_role(403, 201, 403, 201, 403, 400)
CHANNEL_A = by_role(403, 200, 403, 200, 403, 404)


@dataclass
class Rows:
    commune: Commune
    draft: Bulletin
    submitted: Bulletin
    approved: Bulletin
    delivery: Delivery
    channel: Channel


@pytest.fixture
def rows(write, officer_a, leader_a, health_assignment, groups_a, commune_a):
    fields = {"body": HEALTH_BODY}
    draft = write(officer_a, title="Nháp", **fields)
    submitted = services.bulletin_submit(
        bulletin=write(officer_a, title="Chờ duyệt", field="hanh-chinh", body="Họp thôn."),
        actor=leader_a,
    )
    approved = services.bulletin_approve(
        bulletin=services.bulletin_submit(
            bulletin=write(officer_a, title="Đã duyệt", field="nong-nghiep", body="Phun thuốc."),
            actor=leader_a,
        ),
        actor=leader_a,
    )
    published = services.bulletin_approve(
        bulletin=services.bulletin_submit(
            bulletin=write(officer_a, title="Đã đăng", field="an-ninh-trat-tu", body="Tuần tra."),
            actor=leader_a,
        ),
        actor=leader_a,
    )
    published = bulletin_publish(bulletin=published, actor=leader_a)
    channel = channel_connect(commune=commune_a, platform="zalo", credentials=ZALO)
    return Rows(
        commune=commune_a,
        draft=draft,
        submitted=submitted,
        approved=approved,
        delivery=published.deliveries.first(),
        channel=channel,
    )


ZALO = {"app_id": "1", "secret_key": "s", "access_token": "a", "refresh_token": "r"}

ENDPOINTS = [
    ("bulletins", "get", lambda r: "/api/v1/bulletins/", None, LIST),
    (
        "bulletins",
        "post",
        lambda r: "/api/v1/bulletins/",
        lambda r: {"field": "hanh-chinh", "title": "Mới", "body": "Họp."},
        DRAFT_NEW,
    ),
    ("bulletin", "get", lambda r: f"/api/v1/bulletins/{r.draft.pk}/", None, READ_A),
    (
        "bulletin",
        "patch",
        lambda r: f"/api/v1/bulletins/{r.draft.pk}/",
        lambda r: {"title": "Sửa"},
        EDIT_A,
    ),
    ("bulletin", "delete", lambda r: f"/api/v1/bulletins/{r.draft.pk}/", None, NO_DELETE),
    ("submit", "post", lambda r: f"/api/v1/bulletins/{r.draft.pk}/submit/", None, SUBMIT_A),
    ("approve", "post", lambda r: f"/api/v1/bulletins/{r.submitted.pk}/approve/", None, LEAD_A),
    (
        "reject",
        "post",
        lambda r: f"/api/v1/bulletins/{r.submitted.pk}/reject/",
        lambda r: {"reason": "Chưa rõ."},
        LEAD_A,
    ),
    ("publish", "post", lambda r: f"/api/v1/bulletins/{r.approved.pk}/publish/", None, LEAD_A),
    (
        "deliveries",
        "get",
        lambda r: f"/api/v1/bulletins/{r.delivery.bulletin_id}/deliveries/",
        None,
        READ_A,
    ),
    ("delivery", "get", lambda r: f"/api/v1/deliveries/{r.delivery.pk}/", None, READ_A),
    (
        "confirm",
        "post",
        lambda r: f"/api/v1/deliveries/{r.delivery.pk}/confirm/",
        lambda r: {"posted_url": "https://www.facebook.com/groups/x/posts/1"},
        CONFIRM_A,
    ),
    ("channels", "get", lambda r: "/api/v1/channels/", None, CHANNELS),
    (
        "channels",
        "post",
        lambda r: "/api/v1/channels/",
        lambda r: {
            "commune": r.commune.pk,
            "platform": "telegram",
            "credentials": {"bot_token": "1:x"},
        },
        CHANNEL_NEW,
    ),
    ("channel", "get", lambda r: f"/api/v1/channels/{r.channel.pk}/", None, CHANNEL_A),
    (
        "channel",
        "patch",
        lambda r: f"/api/v1/channels/{r.channel.pk}/",
        lambda r: {"active": False},
        CHANNEL_A,
    ),
]

CASES = [
    pytest.param(role, method, url, body, expected[role], id=f"{role}-{method}-{label}")
    for label, method, url, body, expected in ENDPOINTS
    for role in ROLES
]


@pytest.fixture
def cast(officer_a, leader_a, officer_b, district_staff, district_leader):
    other = DistrictFactory(code="999", name="Huyện khác")
    CommuneFactory(district=other)
    return {
        "officer_a": officer_a,
        "leader_a": leader_a,
        "officer_b": officer_b,
        "district_staff": district_staff,
        "district_leader": district_leader,
        "other_district_staff": make_user(
            Role.DISTRICT_STAFF, district=other, username="vhtt-khac"
        ),
        "anonymous": None,
    }


@pytest.mark.parametrize(("role", "method", "url", "body", "expected"), CASES)
def test_permission_table(api_client, cast, rows, role, method, url, body, expected):
    if cast[role] is not None:
        api_client.force_authenticate(cast[role])
    response = getattr(api_client, method)(url(rows), body(rows) if body else None, format="json")
    assert response.status_code == expected, response.content


def test_lists_hold_only_the_scope(api_client, cast, rows, officer_b):
    api_client.force_authenticate(officer_b)
    assert api_client.get("/api/v1/bulletins/").json()["results"] == []
    assert api_client.get("/api/v1/deliveries/").json()["results"] == []
    api_client.force_authenticate(cast["district_leader"])
    titles = {row["title"] for row in api_client.get("/api/v1/bulletins/").json()["results"]}
    assert titles == {"Nháp", "Chờ duyệt", "Đã duyệt", "Đã đăng"}
    api_client.force_authenticate(cast["other_district_staff"])
    assert api_client.get("/api/v1/bulletins/").json()["results"] == []
    assert api_client.get("/api/v1/channels/").json()["results"] == []


def test_a_leader_cannot_add_a_channel_to_another_commune(api_client, rows, commune_b, leader_a):
    api_client.force_authenticate(leader_a)
    response = api_client.post(
        "/api/v1/channels/",
        {"commune": commune_b.pk, "platform": "telegram", "credentials": {"bot_token": "1:x"}},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["commune"]
    assert not Channel.objects.filter(commune=commune_b).exists()
