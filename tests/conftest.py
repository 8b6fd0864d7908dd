"""The fixed cast: officer and leader of commune A, officer of commune B, district staff and
district leader; every test picks its actors from here."""

import pytest
from rest_framework.test import APIClient

from communes.models import Role
from tests.factories import CommuneFactory, DistrictFactory, make_user
from tests.ids import start_ids_at


@pytest.fixture
def district(db):
    return DistrictFactory()


@pytest.fixture
def commune_a(district):
    return CommuneFactory(district=district, code="25267", name="Phú Nghĩa", slug="phu-nghia")


@pytest.fixture
def commune_b(district):
    return CommuneFactory(district=district, code="25231", name="Đa Kia", slug="da-kia")


@pytest.fixture
def officer_a(commune_a):
    return make_user(Role.COMMUNE_OFFICER, commune=commune_a, username="xa-a")


@pytest.fixture
def leader_a(commune_a):
    return make_user(Role.COMMUNE_LEADER, commune=commune_a, username="ct-a")


@pytest.fixture
def officer_b(commune_b):
    return make_user(Role.COMMUNE_OFFICER, commune=commune_b, username="xa-b")


@pytest.fixture
def district_staff(district):
    return make_user(Role.DISTRICT_STAFF, district=district, username="vhtt")


@pytest.fixture
def district_leader(district):
    return make_user(Role.DISTRICT_LEADER, district=district, username="chutich")


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def api_as(api_client):
    """`api_as(user)` → an APIClient authenticated as that user."""

    def login(user):
        api_client.force_authenticate(user)
        return api_client

    return login


@pytest.fixture
def high_ids(db):
    """Every table's next id is 1234 or more: links and attributes must still carry 1234."""
    undo = start_ids_at()
    yield
    undo()
