"""A group's `channel_id` (docs/rules.md, groups/): the platform's own id, on the API and the
form."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import GroupFactory, VillageFactory


@pytest.mark.django_db
def test_channel_id_is_read_and_written_on_the_api(api_as, officer_a, commune_a):
    group = GroupFactory(village=VillageFactory(commune=commune_a), platform="telegram")

    response = api_as(officer_a).patch(
        f"/api/v1/groups/{group.pk}/", {"channel_id": "-1001234567890"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["channel_id"] == "-1001234567890"
    group.refresh_from_db()
    assert group.channel_id == "-1001234567890"


@pytest.mark.django_db
def test_the_group_form_has_the_channel_id(officer_a, commune_a):
    group = GroupFactory(village=VillageFactory(commune=commune_a), channel_id="g-42")
    client = Client()
    client.force_login(officer_a)

    html = client.get(reverse("group-edit", args=[group.pk])).content.decode()

    assert 'name="channel_id"' in html
    assert 'value="g-42"' in html
