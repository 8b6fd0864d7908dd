"""The list pages cost the same number of queries for 3 rows as for 30."""

import pytest
from django.urls import reverse

from communes.models import FieldAssignment, Role
from tests.factories import CommuneFactory, OfficerFactory, make_user

FIELD_CODES = ["y-te", "an-ninh-trat-tu", "nong-nghiep", "van-hoa-xa-hoi", "hanh-chinh"]


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [3, 30])
def test_officer_list_queries(client_as, officer_a, commune_a, rows, django_assert_num_queries):
    for n in range(rows):
        officer = OfficerFactory(commune=commune_a)
        if n < len(FIELD_CODES):
            FieldAssignment.objects.create(
                commune=commune_a, field_id=FIELD_CODES[n], officer=officer
            )
    client = client_as(officer_a)

    # session, user, profile, the user's commune (menu), the commune of the URL, unread
    # notifications (bell), officers with their logins, their assignments, those fields
    with django_assert_num_queries(9):
        response = client.get(reverse("officer-list", args=["25267"]))

    assert len(response.context["officers"]) == rows + 1


@pytest.mark.django_db
@pytest.mark.parametrize("communes", [3, 30])
def test_user_list_queries(
    client_as, district_staff, district, communes, django_assert_num_queries
):
    for _ in range(communes):
        make_user(Role.COMMUNE_OFFICER, commune=CommuneFactory(district=district))
    client = client_as(district_staff)

    # session, user, profile, unread notifications (bell), users with profile and commune
    with django_assert_num_queries(5):
        response = client.get(reverse("user-list"))

    assert len(response.context["users"]) == communes + 1
