"""`/users/<id>/edit/`: district staff edit and deactivate a login on a page, with the rules of
`users/<id>/` PATCH (communes.accounts.user_update); other roles are refused."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from communes.models import FieldAssignment, Role
from tests.factories import CommuneFactory, DistrictFactory, make_user
from tests.pages import field_error, text_of

User = get_user_model()

pytestmark = pytest.mark.django_db


def edit_url(user) -> str:
    return reverse("user-edit", args=[user.pk])


def form_data(user, **changes) -> dict:
    data = {
        "full_name": user.first_name,
        "role": user.profile.role,
        "commune": user.profile.commune_id or "",
        "fields": list(user.officer.assignments.values_list("field_id", flat=True)),
        "is_active": "on",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def test_the_form_shows_the_user_as_it_is(client_as, district_staff, rows_a):
    user = rows_a.officer.user

    response = client_as(district_staff).get(edit_url(user))

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.fields) == {"full_name", "role", "commune", "fields", "is_active"}
    assert form.initial == {
        "full_name": user.first_name,
        "role": Role.COMMUNE_OFFICER,
        "commune": rows_a.village.commune,
        "fields": ["y-te"],
        "is_active": True,
    }


def test_staff_deactivate_a_user_and_its_fields_are_released(client_as, district_staff, rows_a):
    user = rows_a.officer.user
    # The ticked field beside an unticked "Active" says nothing: it is released.
    data = form_data(user, is_active=None)

    response = client_as(district_staff).post(edit_url(user), data)

    assert response.status_code == 302
    assert response["Location"] == reverse("user-list")
    user.refresh_from_db()
    assert not user.is_active
    assert not FieldAssignment.objects.filter(officer__user=user).exists()
    listing = text_of(client_as(district_staff).get(reverse("user-list")), "user-list")
    assert f"{user.username} · Cán bộ xã · {rows_a.village.commune.name} · đã khóa" in listing


def test_staff_move_a_user_to_another_commune(client_as, district_staff, rows_a, commune_b):
    user = rows_a.officer.user

    response = client_as(district_staff).post(
        edit_url(user), form_data(user, commune=commune_b.pk, fields=["nong-nghiep"])
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.profile.commune, user.officer.commune) == (commune_b, commune_b)


def test_a_refused_edit_stands_by_its_field_and_saves_nothing(
    client_as, district_staff, rows_a, leader_a
):
    data = form_data(leader_a, full_name="Tên Mới", fields=["y-te"])

    response = client_as(district_staff).post(edit_url(leader_a), data)

    assert response.status_code == 200
    assert field_error(response, "fields") == (
        "Lĩnh vực “Y tế, phòng chống dịch bệnh” đã có cán bộ phụ trách: "
        f"{rows_a.officer.full_name}."
    )
    leader_a.refresh_from_db()
    assert leader_a.first_name != "Tên Mới"


def test_a_district_role_with_a_commune_is_refused_on_the_page(
    client_as, district_staff, district_leader, commune_a
):
    data = {"full_name": "Chủ tịch", "role": Role.DISTRICT_LEADER, "commune": commune_a.pk}

    response = client_as(district_staff).post(
        edit_url(district_leader), {**data, "is_active": "on"}
    )

    assert response.status_code == 200
    assert field_error(response, "commune") == "Vai trò cấp huyện không gắn với xã nào."
    district_leader.refresh_from_db()
    assert district_leader.profile.commune is None


@pytest.mark.parametrize("role", ["officer_a", "leader_a", "district_leader"])
def test_other_roles_are_refused(request, client_as, officer_b, role):
    client = client_as(request.getfixturevalue(role))

    assert client.get(edit_url(officer_b)).status_code == 403
    assert (
        client.post(edit_url(officer_b), {"full_name": "X", "role": "commune_officer"}).status_code
        == 403
    )
    officer_b.refresh_from_db()
    assert officer_b.first_name != "X"


def test_staff_of_another_district_do_not_find_the_user(client_as, officer_a):
    other = make_user(Role.DISTRICT_STAFF, district=DistrictFactory(code="692", name="Bù Đăng"))
    CommuneFactory(district=other.profile.district)

    assert client_as(other).get(edit_url(officer_a)).status_code == 404
