"""Who may open and post each page of the foundation: one table of (role, method, url, status).

Objects belong to commune A; commune B's officer does not find them (404), the district leader
reads but does not write (403), and an anonymous visitor is sent to the login page.
"""

import pytest
from django.urls import reverse

ROLES = ["officer_a", "leader_a", "officer_b", "district_staff", "district_leader", None]

# page → (how to build its url from the objects, expected GET status per role)
OK, FORBIDDEN, NOT_FOUND, LOGIN = 200, 403, 404, 302
COMMUNE_WRITE = {
    "officer_a": OK,
    "leader_a": OK,
    "officer_b": NOT_FOUND,
    "district_staff": OK,
    "district_leader": FORBIDDEN,
    None: LOGIN,
}
DISTRICT_STAFF_ONLY = {
    "officer_a": FORBIDDEN,
    "leader_a": FORBIDDEN,
    "officer_b": FORBIDDEN,
    "district_staff": OK,
    "district_leader": FORBIDDEN,
    None: LOGIN,
}
PAGES = {
    "village-create": (
        lambda o: reverse("village-create", args=[o["commune"].code]),
        COMMUNE_WRITE,
    ),
    "village-edit": (lambda o: reverse("village-edit", args=[o["village"].pk]), COMMUNE_WRITE),
    "bluzone-count-create": (
        lambda o: reverse("bluzone-count-create", args=[o["village"].pk]),
        COMMUNE_WRITE,
    ),
    "group-edit": (lambda o: reverse("group-edit", args=[o["group"].pk]), COMMUNE_WRITE),
    "member-count-create": (
        lambda o: reverse("member-count-create", args=[o["group"].pk]),
        COMMUNE_WRITE,
    ),
    "officer-create": (
        lambda o: reverse("officer-create", args=[o["commune"].code]),
        COMMUNE_WRITE,
    ),
    "officer-edit": (lambda o: reverse("officer-edit", args=[o["officer"].pk]), COMMUNE_WRITE),
    "group-create-for-village": (
        lambda o: reverse("group-create") + f"?village={o['village'].pk}",
        COMMUNE_WRITE,
    ),
    "group-create": (
        lambda o: reverse("group-create"),
        {**COMMUNE_WRITE, "officer_b": OK},  # every commune user registers its own groups
    ),
    "officer-list": (
        lambda o: reverse("officer-list", args=[o["commune"].code]),
        {**COMMUNE_WRITE, "district_leader": OK},  # a read page: the district leader reads
    ),
    "commune-create": (lambda o: reverse("commune-create"), DISTRICT_STAFF_ONLY),
    "user-list": (lambda o: reverse("user-list"), DISTRICT_STAFF_ONLY),
    "user-create": (lambda o: reverse("user-create"), DISTRICT_STAFF_ONLY),
    "user-edit": (lambda o: reverse("user-edit", args=[o["login"].pk]), DISTRICT_STAFF_ONLY),
}
READ_ONLY_PAGES = {"officer-list", "user-list"}

GET_TABLE = [
    (role, page_name, status)
    for page_name, (_, statuses) in PAGES.items()
    for role, status in statuses.items()
]
# An empty POST: a role that may write gets the form back (200, with its errors), the others
# the same refusal as on GET, and the district leader a 403 even where it may read.
POST_TABLE = [
    (role, page_name, FORBIDDEN if role == "district_leader" and status == OK else status)
    for page_name, (_, statuses) in PAGES.items()
    if page_name not in READ_ONLY_PAGES
    for role, status in statuses.items()
]


@pytest.fixture
def objects(commune_a, village_a, group_a, staff_officer_a, officer_b):
    return {
        "commune": commune_a,
        "village": village_a,
        "group": group_a,
        "officer": staff_officer_a,
        "login": officer_b,
    }


def actor(request, role):
    return request.getfixturevalue(role) if role else None


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "page_name", "status"), GET_TABLE)
def test_get(request, client_as, objects, role, page_name, status):
    user = actor(request, role)
    url = PAGES[page_name][0](objects)

    response = client_as(user).get(url)

    assert response.status_code == status
    if status == LOGIN:
        assert response["Location"].startswith(reverse("login") + "?next=")


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "page_name", "status"), POST_TABLE)
def test_post(request, client_as, objects, role, page_name, status):
    user = actor(request, role)
    url = PAGES[page_name][0](objects)

    response = client_as(user).post(url, {})

    assert response.status_code == status
    if status == OK:
        assert response.context["form"].errors  # re-rendered with its errors, nothing saved
    if status == LOGIN:
        assert response["Location"].startswith(reverse("login") + "?next=")


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_refused(client_as, officer_a, village_a, method):
    response = getattr(client_as(officer_a), method)(reverse("village-edit", args=[village_a.pk]))

    assert response.status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize(
    "page_name",
    ["village-edit", "bluzone-count-create", "group-create-for-village"],
)
def test_officer_of_other_commune_gets_404_for_its_village(
    client_as, officer_a, village_b, page_name
):
    url = PAGES[page_name][0]({"village": village_b})

    assert client_as(officer_a).get(url).status_code == 404
    assert client_as(officer_a).post(url, {}).status_code == 404


@pytest.mark.django_db
def test_group_create_with_a_village_id_that_is_not_a_number_is_404(client_as, officer_a):
    response = client_as(officer_a).get(reverse("group-create") + "?village=abc")

    assert response.status_code == 404


@pytest.mark.django_db
def test_staff_of_another_district_gets_404(client_as, group_a, staff_officer_a):
    from communes.models import Role
    from tests.factories import DistrictFactory, make_user

    other = make_user(Role.DISTRICT_STAFF, district=DistrictFactory(code="692", name="Bù Đăng"))
    client = client_as(other)

    assert client.get(reverse("group-edit", args=[group_a.pk])).status_code == 404
    assert client.get(reverse("officer-edit", args=[staff_officer_a.pk])).status_code == 404
    assert client.get(reverse("officer-list", args=["25267"])).status_code == 404
