"""The bulletin pages cost the same number of queries for 3 rows as for 30."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from bulletins import services
from bulletins.publishing import bulletin_publish
from tests.factories import GroupFactory, VillageFactory

pytestmark = pytest.mark.usefixtures("frozen")


def client_as(user):
    client = Client()
    client.force_login(get_user_model().objects.get(pk=user.pk))
    return client


@pytest.fixture
def bulletins(write, officer_a, leader_a, villages_a):
    def make(n):
        for i in range(n):
            bulletin = write(officer_a, title=f"Tin {i}", field="hanh-chinh", body=f"Họp {i}.")
            bulletin.villages.set(villages_a)
            if i % 2:
                services.bulletin_submit(bulletin=bulletin, actor=leader_a)

    return make


@pytest.mark.parametrize("rows", [3, 30])
def test_bulletin_list_queries(bulletins, district_leader, rows, django_assert_num_queries):
    bulletins(rows)
    client = client_as(district_leader)

    # session, user, profile, unread notifications (bell), count for the page, bulletins with
    # commune, field, author and the deliveries awaiting, their villages
    with django_assert_num_queries(7):
        response = client.get(reverse("bulletin-list"))

    assert len(response.context["bulletins"]) == min(rows, 25)


@pytest.mark.parametrize("rows", [3, 30])
def test_review_queue_queries(bulletins, leader_a, rows, django_assert_num_queries):
    bulletins(rows)
    client = client_as(leader_a)

    # session, user, profile, the user's commune (menu), notifications, bulletins, villages
    with django_assert_num_queries(7):
        response = client.get(reverse("bulletin-review"))

    assert len(response.context["bulletins"]) == rows // 2


@pytest.mark.parametrize("rows", [3, 30])
def test_bulletin_detail_queries(
    approved, leader_a, officer_a, commune_a, rows, django_assert_num_queries
):
    for _ in range(rows):
        GroupFactory(village=VillageFactory(commune=commune_a))
    bulletin = bulletin_publish(bulletin=approved(), actor=leader_a)
    client = client_as(officer_a)

    # session, user, profile, the bulletin, its villages, its audit with actors, its deliveries
    # with groups, villages and confirmers, the responsible officer, the user's commune (menu),
    # notifications (no duplicates: no query for them)
    with django_assert_num_queries(10):
        response = client.get(reverse("bulletin-detail", args=[bulletin.pk]))

    assert len(response.context["deliveries"]) == rows
