"""Who answers for each field of a commune, with the history of reassignments; reassigning is
an explicit edit by the commune's leader or the district staff (issue #10, part 1)."""

import pytest
from django.test import Client
from django.urls import reverse

from communes.models import FieldAssignment, Role
from tests.factories import make_user


def client_as(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def second(commune_a):
    return make_user(
        Role.COMMUNE_OFFICER, commune=commune_a, username="xa-a2", first_name="Lò Văn Hai"
    )


@pytest.mark.django_db
def test_the_page_shows_who_answers_for_each_field(
    health_assignment, officer_a, district_staff, commune_a, officer_b
):
    url = reverse("field-responsibility", args=[commune_a.code])
    for user in (officer_a, district_staff):
        html = client_as(user).get(url).content.decode()
        assert "Y tế, phòng chống dịch bệnh" in html
        assert officer_a.first_name in html
        assert "Chưa có cán bộ phụ trách" in html  # the four other fields
    assert client_as(officer_b).get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["leader_a", "district_staff"])
def test_a_leader_or_the_staff_reassign_and_the_history_keeps_it(
    request, who, health_assignment, second, commune_a, officer_a
):
    actor = request.getfixturevalue(who)
    client = client_as(actor)

    response = client.post(
        reverse("field-assignment-edit", args=[health_assignment.pk]),
        {"officer": second.officer.pk},
    )

    assert response.status_code == 302
    health_assignment.refresh_from_db()
    assert health_assignment.officer == second.officer
    change = FieldAssignment.history.filter(history_type="~").get()
    assert (change.officer_id, change.history_user) == (second.officer.pk, actor)
    html = client.get(reverse("field-responsibility", args=[commune_a.code])).content.decode()
    assert "giao lại cho Lò Văn Hai" in html


@pytest.mark.django_db
def test_an_officer_may_not_reassign(health_assignment, second, officer_a):
    client = client_as(officer_a)
    url = reverse("field-assignment-edit", args=[health_assignment.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"officer": second.officer.pk}).status_code == 403
    health_assignment.refresh_from_db()
    assert health_assignment.officer == officer_a.officer


@pytest.mark.django_db
def test_the_api_patch_is_for_leaders_and_staff_and_is_recorded(
    api_as, health_assignment, second, officer_a, leader_a
):
    url = f"/api/v1/field-assignments/{health_assignment.pk}/"
    assert (
        api_as(officer_a).patch(url, {"officer": second.officer.pk}, format="json").status_code
        == 403
    )

    response = api_as(leader_a).patch(url, {"officer": second.officer.pk}, format="json")

    assert response.status_code == 200
    change = FieldAssignment.history.filter(history_type="~").get()
    assert change.history_user == leader_a
