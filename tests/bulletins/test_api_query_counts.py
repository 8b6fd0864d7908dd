"""The bulletin API lists cost the same number of queries for 3 bulletins as for 30."""

import pytest

from bulletins import services
from bulletins.models import Bulletin
from bulletins.publishing import bulletin_publish
from tests.factories import VillageFactory

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def many(write, officer_a, leader_a, villages_a, commune_a):
    def make(n):
        village = VillageFactory(commune=commune_a)
        for i in range(n):
            bulletin = write(
                officer_a, title=f"Tin {i}", field="hanh-chinh", body=f"Họp thôn số {i}."
            )
            bulletin.villages.set([village, villages_a[0]])
            if i % 3 == 0:
                services.bulletin_submit(bulletin=bulletin, actor=leader_a)
        return Bulletin.objects.count()

    return make


@pytest.mark.parametrize("rows", [3, 30])
def test_bulletin_list_queries(api_as, many, district_leader, rows, django_assert_num_queries):
    assert many(rows) == rows
    client = api_as(type(district_leader).objects.get(pk=district_leader.pk))

    # user's profile (scope), count for the page, bulletins with their commune, their villages
    with django_assert_num_queries(4):
        response = client.get("/api/v1/bulletins/")

    assert response.json()["count"] == rows
    assert all(len(row["villages"]) == 2 for row in response.json()["results"])


@pytest.mark.parametrize("rows", [3, 30])
def test_delivery_list_queries(
    api_as, approved, leader_a, commune_a, rows, django_assert_num_queries
):
    from tests.factories import GroupFactory

    for _ in range(rows):
        GroupFactory(village=VillageFactory(commune=commune_a))
    bulletin = bulletin_publish(bulletin=approved(), actor=leader_a)
    client = api_as(type(leader_a).objects.get(pk=leader_a.pk))

    # profile (permission), profile (scope), the bulletin, count, deliveries
    with django_assert_num_queries(5):
        response = client.get(f"/api/v1/bulletins/{bulletin.pk}/deliveries/")
    assert response.json()["count"] == rows

    # count, deliveries (the user's profile is loaded by now)
    with django_assert_num_queries(2):
        response = client.get("/api/v1/deliveries/")
    assert response.json()["count"] == rows
