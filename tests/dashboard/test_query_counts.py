"""The number of queries does not depend on the number of communes."""

import pytest
from django.urls import reverse

from tests.dashboard.conftest import populate


@pytest.fixture(params=[3, 30])
def communes(request, district):
    populate(district, request.param)
    return request.param


def test_dashboard_page(communes, client, district_staff, django_assert_num_queries):
    client.force_login(district_staff)
    # session, user, profile (role check), the dashboard's sums (one statement), the open
    # deadlines of every commune (the reports' row extension), the coverage series (one
    # statement), the unread notifications (navigation bar)
    with django_assert_num_queries(7):
        response = client.get(reverse("dashboard"), {"date": "2021-08-06"})
    assert response.status_code == 200
    assert len(response.context["rows"]) == communes


def test_dashboard_api(communes, api_as, district_staff, django_assert_num_queries):
    client = api_as(district_staff)
    # the dashboard's sums (one statement), the open deadlines of every commune (the reports'
    # row extension); the profile is already on the authenticated user
    with django_assert_num_queries(2):
        response = client.get(reverse("api-dashboard"), {"date": "2021-08-06"})
    assert response.status_code == 200
    assert len(response.json()["communes"]) == communes


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports(communes, fmt, client, district_staff, django_assert_num_queries):
    client.force_login(district_staff)
    # session, user, profile (role check), the dashboard's sums (one statement), the open
    # deadlines of every commune (the reports' row extension)
    with django_assert_num_queries(5):
        response = client.get(reverse("dashboard-export", args=[fmt]), {"date": "2021-08-06"})
    assert response.status_code == 200


def test_commune_page(communes, client, district_staff, django_assert_num_queries):
    from communes.models import Commune

    commune = Commune.objects.order_by("pk").last()
    client.force_login(district_staff)
    # session, user, profile, the commune (with its district), its groups, its villages, the
    # commune's sums (one statement), its series (one statement), the unread notifications
    with django_assert_num_queries(9):
        response = client.get(reverse("commune-detail", args=[commune.code]))
    assert response.status_code == 200
