"""District staff pages: creating communes and users, listing users."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from communes.models import Commune, Role
from tests.factories import DistrictFactory, make_user
from tests.pages import field_error, text_of, vi

User = get_user_model()


@pytest.mark.django_db
def test_staff_create_a_commune_in_their_district(client_as, district_staff, district):
    response = client_as(district_staff).post(
        reverse("commune-create"), {"code": "25225", "name": "Đak Ơ"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("commune-detail", args=["25225"])
    commune = Commune.objects.get(code="25225")
    assert (commune.name, commune.slug, commune.district) == ("Đak Ơ", "dak-o", district)


@pytest.mark.django_db
def test_a_taken_commune_code_is_refused_by_its_field(client_as, district_staff, commune_a):
    response = client_as(district_staff).post(
        reverse("commune-create"), {"code": "25267", "name": "Phú Nghĩa 2"}
    )

    assert response.status_code == 400
    assert "đã tồn tại" in field_error(response, "code")
    assert not Commune.objects.filter(name="Phú Nghĩa 2").exists()


@pytest.mark.django_db
def test_a_taken_commune_name_is_refused_by_the_name_field(client_as, district_staff, commune_a):
    response = client_as(district_staff).post(
        reverse("commune-create"), {"code": "25999", "name": "Phú Nghĩa"}
    )

    assert "đã tồn tại" in field_error(response, "name")  # its slug, made from the name, is taken
    assert text_of(response, "form-errors") is None
    assert not Commune.objects.filter(code="25999").exists()


@pytest.mark.django_db
def test_a_commune_needs_a_code_and_a_name(client_as, district_staff):
    response = client_as(district_staff).post(reverse("commune-create"), {})

    assert field_error(response, "code") == "Vui lòng điền thông tin này."
    assert field_error(response, "name") == "Vui lòng điền thông tin này."


@pytest.mark.django_db
def test_staff_create_a_commune_officer_user(client_as, district_staff, commune_a):
    data = {
        "username": "xa-moi",
        "password": "thon-xom-2021!",
        "full_name": "Vũ Thị Giang",
        "role": "commune_officer",
        "commune": commune_a.pk,
        "fields": ["nong-nghiep"],
    }

    response = client_as(district_staff).post(reverse("user-create"), data)

    assert response.status_code == 302
    assert response["Location"] == reverse("user-list")
    user = User.objects.get(username="xa-moi")
    assert user.check_password("thon-xom-2021!")
    assert (user.profile.role, user.profile.commune) == ("commune_officer", commune_a)
    assert list(user.officer.assignments.values_list("field_id", flat=True)) == ["nong-nghiep"]


@pytest.mark.django_db
def test_user_form_errors_stand_by_their_fields(client_as, district_staff, officer_a):
    data = {
        "username": officer_a.username,
        "password": "123",
        "full_name": "Vũ Thị Giang",
        "role": "commune_officer",
    }

    response = client_as(district_staff).post(reverse("user-create"), data)

    assert response.status_code == 400
    assert field_error(response, "username") == vi("This username is taken.")
    assert field_error(response, "commune") == vi("A commune role needs a commune.")
    assert "Mật khẩu này quá phổ biến." in field_error(response, "password")
    assert not User.objects.filter(first_name="Vũ Thị Giang").exists()


@pytest.mark.django_db
def test_a_commune_of_another_district_is_not_offered(client_as, district_staff):
    from tests.factories import CommuneFactory

    elsewhere = CommuneFactory(district=DistrictFactory(code="692", name="Bù Đăng"))
    data = {
        "username": "xa-khac",
        "password": "thon-xom-2021!",
        "full_name": "Vũ Thị Giang",
        "role": "commune_officer",
        "commune": elsewhere.pk,
    }

    response = client_as(district_staff).post(reverse("user-create"), data)

    assert field_error(response, "commune") == "Hãy chọn một xã của huyện mình."
    assert not User.objects.filter(username="xa-khac").exists()


@pytest.mark.django_db
def test_user_list_shows_the_districts_users(client_as, district_staff, officer_a, officer_b):
    make_user(
        Role.DISTRICT_STAFF, district=DistrictFactory(code="692", name="Bù Đăng"), username="x"
    )

    response = client_as(district_staff).get(reverse("user-list"))

    listing = text_of(response, "user-list")
    assert {u.username for u in response.context["users"]} == {"vhtt", "xa-a", "xa-b"}
    assert "Phú Nghĩa" in listing and "Đa Kia" in listing
