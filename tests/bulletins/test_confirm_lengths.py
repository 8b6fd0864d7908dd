"""A post's link longer than its column (500 characters) is a 400 beside the field on the API
and on the bulletin's page, and the delivery stays as it was (docs/rules.md#bad-input): before,
PostgreSQL refused it with a 500 and SQLite saved it whole."""

import pytest
from django.test import Client
from django.urls import reverse

from bulletins.models import Delivery
from bulletins.publishing import bulletin_publish

pytestmark = pytest.mark.usefixtures("frozen")

TOO_LONG = "https://zalo.me/p/" + "a" * (600 - len("https://zalo.me/p/"))


@pytest.fixture
def delivery(approved, leader_a, groups_a) -> Delivery:
    return bulletin_publish(bulletin=approved(), actor=leader_a).deliveries.first()


def _unchanged(delivery: Delivery) -> None:
    before = (delivery.status, delivery.posted_url, delivery.confirmed_by_id)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.posted_url, delivery.confirmed_by_id) == before


def test_the_api_refuses_a_link_longer_than_its_column(api_as, officer_a, delivery):
    response = api_as(officer_a).post(
        f"/api/v1/deliveries/{delivery.pk}/confirm/", {"posted_url": TOO_LONG}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"posted_url": ["Trường này không được vượt quá 500 ký tự."]}
    _unchanged(delivery)


def test_the_page_refuses_it_beside_the_field(officer_a, delivery):
    client = Client()
    client.force_login(officer_a)
    response = client.post(
        reverse("delivery-confirm", args=[delivery.pk]), {"posted_url": TOO_LONG}
    )
    assert response.status_code == 400
    assert "Giá trị này chỉ có tối đa 500 kí tự (hiện có 600)" in response.content.decode()
    _unchanged(delivery)
