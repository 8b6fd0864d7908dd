"""Every list of /api/v1/ costs the same number of queries at 3 communes and at 30."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communes.models import FieldAssignment, Role
from tests.factories import (
    BluzoneCountFactory,
    CommuneFactory,
    GroupFactory,
    MemberCountFactory,
    VillageFactory,
    make_user,
)

User = get_user_model()

FIELD_CODES = ["an-ninh-trat-tu", "hanh-chinh", "nong-nghiep", "van-hoa-xa-hoi", "y-te"]


@pytest.fixture
def world(district, district_staff):
    """`world(n)`: n communes, each with two villages, a group per village with two member
    counts, a Bluzone count per village, and a commune officer responsible for two fields."""

    def build(n: int):
        groups = []
        villages = []
        for i in range(n):
            commune = CommuneFactory(district=district)
            officer = make_user(Role.COMMUNE_OFFICER, commune=commune).officer
            for code in FIELD_CODES[:2]:
                FieldAssignment.objects.create(commune=commune, field_id=code, officer=officer)
            for _ in range(2):
                village = VillageFactory(commune=commune)
                group = GroupFactory(village=village)
                MemberCountFactory(group=group, date=datetime.date(2021, 8, 1), members=100 + i)
                MemberCountFactory(group=group, date=datetime.date(2021, 8, 8), members=150 + i)
                BluzoneCountFactory(village=village, date=datetime.date(2021, 8, 1))
                villages.append(village)
                groups.append(group)
        # One group and one village with n dated counts, for the lists under a row.
        for day in range(n):
            MemberCountFactory(
                group=groups[0], date=datetime.date(2021, 6, 1) + datetime.timedelta(day)
            )
            BluzoneCountFactory(
                village=villages[0], date=datetime.date(2021, 6, 1) + datetime.timedelta(day)
            )
        return groups[0], villages[0]

    return build


# (list, url, expected queries, what they are)
LISTS = [
    ("communes", "/api/v1/communes/", 3, "count; page of communes with district; figures"),
    ("villages", "/api/v1/villages/", 2, "count; page"),
    ("groups", "/api/v1/groups/", 2, "count; page"),
    ("member-counts", "/api/v1/groups/{group}/member-counts/", 3, "group in scope; count; page"),
    (
        "bluzone-counts",
        "/api/v1/villages/{village}/bluzone-counts/",
        3,
        "village in scope; count; page",
    ),
    ("fields", "/api/v1/fields/", 2, "count; page"),
    ("officers", "/api/v1/officers/", 3, "count; page; their assignments"),
    ("field-assignments", "/api/v1/field-assignments/", 2, "count; page"),
    ("users", "/api/v1/users/", 3, "count; page with profile and officer; assignments"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("communes", [3, 30])
@pytest.mark.parametrize(
    ("url", "queries", "explained"), [pytest.param(*row[1:], id=row[0]) for row in LISTS]
)
def test_list_queries_do_not_grow(
    api_as, district_staff, world, django_assert_num_queries, communes, url, queries, explained
):
    group, village = world(communes)
    client = api_as(district_staff)
    url = url.format(group=group.pk, village=village.pk)

    with django_assert_num_queries(queries):  # see `explained`
        response = client.get(url)

    assert response.status_code == 200
    assert response.json()["count"] >= 3


@pytest.mark.django_db
@pytest.mark.parametrize("communes", [3, 30])
def test_commune_user_lists_cost_the_same(api_as, world, communes, django_assert_num_queries):
    group, village = world(communes)
    # The login as authentication hands it over: with its profile.
    officer = User.objects.select_related("profile").get(officer__commune=village.commune)
    client = api_as(officer)
    for url, queries in [
        # count; page of their commune with district; figures
        ("/api/v1/communes/", 3),
        # count; page
        ("/api/v1/villages/", 2),
        ("/api/v1/groups/", 2),
        # group in scope; count; page
        (f"/api/v1/groups/{group.pk}/member-counts/", 3),
        # count; page; assignments
        ("/api/v1/officers/", 3),
    ]:
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_communes_figures_are_one_query_for_the_page(api_as, district_staff, world):
    world(30)
    with CaptureQueriesContext(connection) as queries:
        api_as(district_staff).get("/api/v1/communes/")
    figures = [q["sql"] for q in queries.captured_queries if "communes_village" in q["sql"]]
    assert len(figures) == 1
