"""Who may do what on every endpoint of /api/v1/ (docs/rules.md, Roles): one table of
(role, method, endpoint) → status, over rows of commune A and commune B."""

import pytest

from communes.models import Role
from tests.factories import UserFactory

# Every request of the table is made with scoping enforced: a view or a service it calls that
# queries a commune-owned model without a scope fails here (bmp_comms.scoping).
pytestmark = pytest.mark.scoped

ROLES = ["officer_a", "leader_a", "officer_b", "district_staff", "district_leader", "anonymous"]


def by_role(officer_a, leader_a, officer_b, district_staff, district_leader, anonymous=401):
    return dict(
        zip(
            ROLES,
            [officer_a, leader_a, officer_b, district_staff, district_leader, anonymous],
            strict=True,
        )
    )


READ_ALL = by_role(200, 200, 200, 200, 200)
# A row of commune A: its users and the district read it; commune B's officer does not find it.
READ_A = by_role(200, 200, 404, 200, 200)
# A write on a row of commune A (or under it): the district leader edits nothing.
EDIT_A = by_role(200, 200, 404, 200, 403)
ADD_UNDER_A = by_role(201, 201, 404, 201, 403)
# A new row naming commune A (or its village): B's officer names an id outside its scope → 400.
ADD_TO_A = by_role(201, 201, 400, 201, 403)
NO_DELETE = by_role(405, 405, 405, 405, 403)
STAFF_ONLY_READ = by_role(403, 403, 403, 200, 403)
STAFF_ONLY_ADD = by_role(403, 403, 403, 201, 403)
STAFF_ONLY_EDIT = by_role(403, 403, 403, 200, 403)
# Users are deactivated, never deleted: refused to the staff too, and to the others first.
STAFF_ONLY_NO_DELETE = by_role(403, 403, 403, 405, 403)
READ_ONLY = by_role(405, 405, 405, 405, 403)
# Moving a field to another officer: the commune's leader or the district staff (issue #10).
REASSIGN_A = by_role(403, 200, 404, 200, 403)


def _village(rows):
    return {
        "commune": rows.village.commune_id,
        "name": "Thôn Mới",
        "kind": "thon",
        "households": 150,
        "residents": 600,
        "smartphone_users": 300,
    }


def _group(rows):
    return {
        "village": rows.village.pk,
        "platform": "zalo",
        "name": "Nhóm tin thôn mới",
        "invite_url": "https://zalo.me/g/moi123",
    }


def _user(rows):
    return {
        "username": "xa-moi",
        "password": "Mat-khau-2021!",
        "full_name": "Trần Thị Mới",
        "role": Role.COMMUNE_OFFICER,
        "commune": rows.village.commune_id,
        "fields": ["nong-nghiep"],
    }


# (endpoint label, method, url from A's rows, body from A's rows, expected by role)
ENDPOINTS = [
    ("communes", "get", lambda r: "/api/v1/communes/", None, READ_ALL),
    (
        "communes",
        "post",
        lambda r: "/api/v1/communes/",
        lambda r: {"code": "25999", "name": "Xã Mới"},
        STAFF_ONLY_ADD,
    ),
    ("commune", "get", lambda r: f"/api/v1/communes/{r.village.commune_id}/", None, READ_A),
    ("villages", "get", lambda r: "/api/v1/villages/", None, READ_ALL),
    ("villages", "post", lambda r: "/api/v1/villages/", _village, ADD_TO_A),
    ("village", "get", lambda r: f"/api/v1/villages/{r.village.pk}/", None, READ_A),
    (
        "village",
        "patch",
        lambda r: f"/api/v1/villages/{r.village.pk}/",
        lambda r: {"households": 310},
        EDIT_A,
    ),
    (
        "village",
        "put",
        lambda r: f"/api/v1/villages/{r.village.pk}/",
        lambda r: {**_village(r), "name": "Thôn Đổi Tên"},
        EDIT_A,
    ),
    ("village", "delete", lambda r: f"/api/v1/villages/{r.village.pk}/", None, NO_DELETE),
    ("groups", "get", lambda r: "/api/v1/groups/", None, READ_ALL),
    ("groups", "post", lambda r: "/api/v1/groups/", _group, ADD_TO_A),
    ("group", "get", lambda r: f"/api/v1/groups/{r.group.pk}/", None, READ_A),
    (
        "group",
        "patch",
        lambda r: f"/api/v1/groups/{r.group.pk}/",
        lambda r: {"admin_trained": False},
        EDIT_A,
    ),
    ("group", "delete", lambda r: f"/api/v1/groups/{r.group.pk}/", None, NO_DELETE),
    ("member-counts", "get", lambda r: f"/api/v1/groups/{r.group.pk}/member-counts/", None, READ_A),
    (
        "member-counts",
        "post",
        lambda r: f"/api/v1/groups/{r.group.pk}/member-counts/",
        lambda r: {"date": "2021-08-08", "members": 150},
        ADD_UNDER_A,
    ),
    (
        "member-count",
        "get",
        lambda r: f"/api/v1/groups/{r.group.pk}/member-counts/2021-08-01/",
        None,
        READ_A,
    ),
    (
        "member-count",
        "patch",
        lambda r: f"/api/v1/groups/{r.group.pk}/member-counts/2021-08-01/",
        lambda r: {"members": 125},
        EDIT_A,
    ),
    (
        "bluzone-counts",
        "get",
        lambda r: f"/api/v1/villages/{r.village.pk}/bluzone-counts/",
        None,
        READ_A,
    ),
    (
        "bluzone-counts",
        "post",
        lambda r: f"/api/v1/villages/{r.village.pk}/bluzone-counts/",
        lambda r: {"date": "2021-08-08", "installs": 90},
        ADD_UNDER_A,
    ),
    (
        "bluzone-count",
        "get",
        lambda r: f"/api/v1/villages/{r.village.pk}/bluzone-counts/2021-08-01/",
        None,
        READ_A,
    ),
    (
        "bluzone-count",
        "patch",
        lambda r: f"/api/v1/villages/{r.village.pk}/bluzone-counts/2021-08-01/",
        lambda r: {"installs": 85},
        EDIT_A,
    ),
    ("fields", "get", lambda r: "/api/v1/fields/", None, READ_ALL),
    (
        "fields",
        "post",
        lambda r: "/api/v1/fields/",
        lambda r: {"code": "moi", "name": "Mới"},
        READ_ONLY,
    ),
    ("field", "get", lambda r: "/api/v1/fields/y-te/", None, READ_ALL),
    ("officers", "get", lambda r: "/api/v1/officers/", None, READ_ALL),
    (
        "officers",
        "post",
        lambda r: "/api/v1/officers/",
        lambda r: {
            "commune": r.village.commune_id,
            "full_name": "Lê Văn Cường",
            "fields": ["hanh-chinh"],
        },
        ADD_TO_A,
    ),
    ("officer", "get", lambda r: f"/api/v1/officers/{r.officer.pk}/", None, READ_A),
    (
        "officer",
        "patch",
        lambda r: f"/api/v1/officers/{r.officer.pk}/",
        lambda r: {"phone": "0987654321"},
        EDIT_A,
    ),
    ("field-assignments", "get", lambda r: "/api/v1/field-assignments/", None, READ_ALL),
    (
        "field-assignment",
        "get",
        lambda r: f"/api/v1/field-assignments/{r.assignment.pk}/",
        None,
        READ_A,
    ),
    (
        "field-assignment",
        "patch",
        lambda r: f"/api/v1/field-assignments/{r.assignment.pk}/",
        lambda r: {"officer": r.village.commune.officers.exclude(pk=r.officer.pk).get().pk},
        REASSIGN_A,
    ),
    ("users", "get", lambda r: "/api/v1/users/", None, STAFF_ONLY_READ),
    ("users", "post", lambda r: "/api/v1/users/", _user, STAFF_ONLY_ADD),
    ("user", "get", lambda r: f"/api/v1/users/{r.officer.user_id}/", None, STAFF_ONLY_READ),
    (
        "user",
        "patch",
        lambda r: f"/api/v1/users/{r.officer.user_id}/",
        lambda r: {"full_name": "Trần Thị Đổi Tên", "fields": ["nong-nghiep"]},
        STAFF_ONLY_EDIT,
    ),
    (
        "user",
        "delete",
        lambda r: f"/api/v1/users/{r.officer.user_id}/",
        None,
        STAFF_ONLY_NO_DELETE,
    ),
]

CASES = [
    pytest.param(role, method, url, body, expected[role], id=f"{role}-{method}-{label}")
    for label, method, url, body, expected in ENDPOINTS
    for role in ROLES
]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "method", "url", "body", "expected"), CASES)
def test_permission_table(client_for, rows_a, rows_b, role, method, url, body, expected):
    client = client_for(role)
    response = getattr(client, method)(url(rows_a), body(rows_a) if body else None, format="json")
    assert response.status_code == expected, response.content


@pytest.mark.django_db
def test_anonymous_is_told_to_authenticate_with_a_token(api_client):
    response = api_client.get("/api/v1/villages/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "Chưa cung cấp thông tin xác thực."}


@pytest.mark.django_db
def test_refusal_is_in_vietnamese(client_for, rows_a):
    response = client_for("district_leader").patch(
        f"/api/v1/villages/{rows_a.village.pk}/", {"households": 1}, format="json"
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "Bạn không có quyền thực hiện thao tác này."}


@pytest.mark.django_db
def test_commune_users_list_only_their_commune(client_for, rows_a, rows_b):
    client = client_for("officer_b")
    for endpoint, expected in [
        ("communes", rows_b.village.commune_id),
        ("villages", rows_b.village.pk),
        ("groups", rows_b.group.pk),
        ("field-assignments", rows_b.assignment.pk),
    ]:
        ids = [row["id"] for row in client.get(f"/api/v1/{endpoint}/").json()["results"]]
        assert ids == [expected], endpoint
    officers = client.get("/api/v1/officers/").json()["results"]
    assert {row["commune"] for row in officers} == {rows_b.village.commune_id}


@pytest.mark.django_db
def test_district_users_list_every_commune_of_their_district(client_for, rows_a, rows_b):
    for role in ("district_staff", "district_leader"):
        body = client_for(role).get("/api/v1/villages/").json()
        assert {row["id"] for row in body["results"]} == {rows_a.village.pk, rows_b.village.pk}


@pytest.mark.django_db
def test_users_list_holds_the_district_only(client_for, rows_a, cast):
    usernames = [
        row["username"]
        for row in client_for("district_staff").get("/api/v1/users/").json()["results"]
    ]
    assert "vhtt-khac" not in usernames
    assert set(usernames) == {"xa-a", "ct-a", "xa-b", "vhtt", "chutich"}


# Every detail route (and every route under a row) for a row of another commune: 404 for the
# commune users of B, and for district staff of another district, on reads and writes alike.
DETAIL_ROUTES = [
    ("get", lambda r: f"/api/v1/communes/{r.village.commune_id}/", None),
    ("get", lambda r: f"/api/v1/villages/{r.village.pk}/", None),
    ("patch", lambda r: f"/api/v1/villages/{r.village.pk}/", {"households": 1}),
    ("put", lambda r: f"/api/v1/villages/{r.village.pk}/", {"name": "X", "commune": 1}),
    ("get", lambda r: f"/api/v1/groups/{r.group.pk}/", None),
    ("patch", lambda r: f"/api/v1/groups/{r.group.pk}/", {"name": "X"}),
    ("get", lambda r: f"/api/v1/groups/{r.group.pk}/member-counts/", None),
    (
        "post",
        lambda r: f"/api/v1/groups/{r.group.pk}/member-counts/",
        {"date": "2021-08-08", "members": 1},
    ),
    ("post", lambda r: f"/api/v1/groups/{r.group.pk}/member-counts/", {"members": -1}),
    ("get", lambda r: f"/api/v1/groups/{r.group.pk}/member-counts/2021-08-01/", None),
    ("patch", lambda r: f"/api/v1/groups/{r.group.pk}/member-counts/2021-08-01/", {"members": 1}),
    ("get", lambda r: f"/api/v1/villages/{r.village.pk}/bluzone-counts/", None),
    (
        "post",
        lambda r: f"/api/v1/villages/{r.village.pk}/bluzone-counts/",
        {"date": "2021-08-08", "installs": 1},
    ),
    ("get", lambda r: f"/api/v1/villages/{r.village.pk}/bluzone-counts/2021-08-01/", None),
    (
        "patch",
        lambda r: f"/api/v1/villages/{r.village.pk}/bluzone-counts/2021-08-01/",
        {"installs": 1},
    ),
    ("get", lambda r: f"/api/v1/officers/{r.officer.pk}/", None),
    ("patch", lambda r: f"/api/v1/officers/{r.officer.pk}/", {"phone": "1"}),
    ("get", lambda r: f"/api/v1/field-assignments/{r.assignment.pk}/", None),
    (
        "patch",
        lambda r: f"/api/v1/field-assignments/{r.assignment.pk}/",
        lambda r: {"officer": r.officer.pk},
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "url", "body"), DETAIL_ROUTES)
@pytest.mark.parametrize(
    ("role", "owner"),
    [("officer_b", "a"), ("officer_a", "b"), ("leader_a", "b"), ("other_district_staff", "a")],
)
def test_another_communes_row_is_404(client_for, rows_a, rows_b, role, owner, method, url, body):
    rows = rows_a if owner == "a" else rows_b
    body = body(rows) if callable(body) else body
    response = getattr(client_for(role), method)(url(rows), body, format="json")
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy."}


@pytest.mark.django_db
def test_other_district_staff_cannot_see_users_of_our_district(client_for, officer_a):
    response = client_for("other_district_staff").get(f"/api/v1/users/{officer_a.pk}/")
    assert response.status_code == 404


@pytest.mark.django_db
def test_login_without_a_role_is_refused(api_as, rows_a):
    response = api_as(UserFactory()).get("/api/v1/villages/")
    assert response.status_code == 403
