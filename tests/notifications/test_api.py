"""/api/v1/notifications/ (DESIGN, Contract): the user's own notices of every kind, newest
first, {id, kind, text, url, created_at, read_at}; `?unread=1`; `unread-count/`; `<id>/read/`;
`read-all/`. Another person's notice is a 404 and stays unread; the list costs the same queries
at 3 notices and at 150."""

import datetime

import pytest
from rest_framework.test import APIClient

from communes.models import Role
from notifications.models import Notification
from notifications.services import notifications_create
from tests.factories import UserFactory, make_user
from tests.notifications.conftest import NOW

pytestmark = pytest.mark.usefixtures("frozen")


def notice(user, n: int, kind: str = "bulletin_submitted", *, minutes: int = 0) -> Notification:
    (pk,) = notifications_create(
        recipients=[user],
        kind=kind,
        event=f"test:{n}",
        subject=f"Tiêu đề {n}",
        text=f"Thông báo số {n}",
        url=f"/bulletins/{n}/",
        email=False,
    )
    Notification.objects.filter(pk=pk).update(created_at=NOW + datetime.timedelta(minutes=minutes))
    return Notification.objects.get(pk=pk)


@pytest.fixture
def mine(officer_a):
    """Three of officer A's notices of three kinds, made a minute apart."""
    return [
        notice(officer_a, 1, "overdue", minutes=0),
        notice(officer_a, 2, "bulletin_approved", minutes=1),
        notice(officer_a, 3, "delivery_failed", minutes=2),
    ]


def test_the_list_gives_ones_own_newest_first_in_the_contracts_fields(
    api_as, officer_a, leader_a, mine
):
    notice(leader_a, 9)

    body = api_as(officer_a).get("/api/v1/notifications/").json()

    assert body["count"] == 3
    assert [row["kind"] for row in body["results"]] == [
        "delivery_failed",
        "bulletin_approved",
        "overdue",
    ]
    first = body["results"][0]
    assert set(first) == {"id", "kind", "text", "url", "created_at", "read_at"}
    assert first == {
        "id": mine[2].pk,
        "kind": "delivery_failed",
        "text": "Thông báo số 3",
        "url": "/bulletins/3/",
        "created_at": "2021-08-10T08:02:00+07:00",
        "read_at": None,
    }


def test_unread_read_and_read_all(api_as, officer_a, mine):
    client = api_as(officer_a)
    assert client.get("/api/v1/notifications/unread-count/").json() == {"count": 3}

    assert client.post(f"/api/v1/notifications/{mine[1].pk}/read/").json() == {"read": 1}

    assert client.get("/api/v1/notifications/unread-count/").json() == {"count": 2}
    unread = client.get("/api/v1/notifications/?unread=1").json()
    assert [row["id"] for row in unread["results"]] == [mine[2].pk, mine[0].pk]
    everything = client.get("/api/v1/notifications/").json()["results"]
    assert [row["read_at"] is not None for row in everything] == [False, True, False]

    assert client.post("/api/v1/notifications/read-all/").json() == {"read": 2}
    assert client.get("/api/v1/notifications/unread-count/").json() == {"count": 0}
    assert client.get("/api/v1/notifications/?unread=1").json()["count"] == 0
    assert client.post("/api/v1/notifications/read-all/").json() == {"read": 0}


def test_another_persons_notice_is_404_and_stays_unread(api_as, officer_a, leader_a, mine):
    theirs = notice(leader_a, 9)
    client = api_as(officer_a)

    assert client.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    client.post("/api/v1/notifications/read-all/")

    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert api_as(leader_a).get("/api/v1/notifications/unread-count/").json() == {"count": 1}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/notifications/"),
        ("get", "/api/v1/notifications/unread-count/"),
        ("post", "/api/v1/notifications/read-all/"),
        ("post", "/api/v1/notifications/{pk}/read/"),
    ],
)
def test_anonymous_is_401_and_a_login_without_a_role_403(method, path, officer_a, mine):
    url = path.format(pk=mine[0].pk)
    anonymous = getattr(APIClient(), method)(url)
    assert anonymous.status_code == 401
    no_role = APIClient()
    no_role.force_authenticate(UserFactory())
    assert getattr(no_role, method)(url).status_code == 403


@pytest.mark.parametrize("size", [3, 150])
def test_the_list_costs_the_same_queries_at_any_size(
    api_as, officer_a, django_assert_num_queries, size
):
    for n in range(size):
        notice(officer_a, n, minutes=n)
    # Forced authentication: the user is in hand with its profile (the role) already read.
    client = api_as(officer_a)
    # the count, the page
    with django_assert_num_queries(2):
        body = client.get("/api/v1/notifications/").json()
    assert body["count"] == size
    assert len(body["results"]) == min(size, 100)  # a page
    # the count, from the index of the unread
    with django_assert_num_queries(1):
        assert client.get("/api/v1/notifications/unread-count/").json() == {"count": size}


def test_every_role_reads_its_own(api_as, district_staff, district_leader, leader_a):
    for user in (district_staff, district_leader, leader_a):
        notice(user, user.pk)
        body = api_as(user).get("/api/v1/notifications/").json()
        assert [row["text"] for row in body["results"]] == [f"Thông báo số {user.pk}"]
    # Even district staff, who read every commune, read no one else's notices.
    other = make_user(Role.DISTRICT_STAFF, district=district_staff.profile.district)
    assert api_as(other).get("/api/v1/notifications/").json()["count"] == 0
