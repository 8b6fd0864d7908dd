"""`officers/`, `field-assignments/` and `users/`: one responsible officer per (commune, field)."""

import pytest
from django.contrib.auth import get_user_model

from communes.models import FieldAssignment, Officer, Role, UserProfile
from tests.factories import OfficerFactory

User = get_user_model()


@pytest.mark.django_db
def test_officer_created_with_its_fields(api_as, officer_a, rows_a):
    response = api_as(officer_a).post(
        "/api/v1/officers/",
        {
            "commune": rows_a.village.commune_id,
            "full_name": "Lê Văn Cường",
            "position": "Công chức Văn hóa - Xã hội",
            "phone": "0911222333",
            "fields": ["van-hoa-xa-hoi", "hanh-chinh"],
        },
        format="json",
    )

    assert response.status_code == 201
    officer = Officer.objects.get(full_name="Lê Văn Cường")
    assert response.json() == {
        "id": officer.pk,
        "commune": rows_a.village.commune_id,
        "full_name": "Lê Văn Cường",
        "position": "Công chức Văn hóa - Xã hội",
        "phone": "0911222333",
        "fields": ["hanh-chinh", "van-hoa-xa-hoi"],
    }
    assert set(
        FieldAssignment.objects.filter(officer=officer).values_list("field_id", flat=True)
    ) == {"hanh-chinh", "van-hoa-xa-hoi"}


@pytest.mark.django_db
def test_officer_patch_keeps_fields_unless_named(api_as, officer_a, rows_a):
    client = api_as(officer_a)
    url = f"/api/v1/officers/{rows_a.officer.pk}/"

    assert client.patch(url, {"phone": "0900000000"}, format="json").json()["fields"] == ["y-te"]
    response = client.patch(url, {"fields": ["an-ninh-trat-tu"]}, format="json")
    assert response.json()["fields"] == ["an-ninh-trat-tu"]
    # Giving up y-te frees it for another officer.
    assert not FieldAssignment.objects.filter(field_id="y-te").exists()


@pytest.mark.django_db
def test_officer_cannot_move_to_another_commune(api_as, district_staff, rows_a, rows_b):
    response = api_as(district_staff).patch(
        f"/api/v1/officers/{rows_a.officer.pk}/",
        {"commune": rows_b.village.commune_id},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"commune": ["Không thể chuyển cán bộ sang xã khác."]}


@pytest.mark.django_db
def test_reassigning_a_field_is_an_edit_of_its_assignment(api_as, leader_a, rows_a):
    new_holder = leader_a.officer
    response = api_as(leader_a).patch(
        f"/api/v1/field-assignments/{rows_a.assignment.pk}/",
        {"officer": new_holder.pk, "field": "hanh-chinh"},
        format="json",
    )

    assert response.status_code == 200
    assert response.json() == {
        "id": rows_a.assignment.pk,
        "commune": rows_a.village.commune_id,
        "field": "y-te",
        "officer": new_holder.pk,
    }
    assert FieldAssignment.objects.get(field_id="y-te").officer == new_holder


@pytest.mark.django_db
def test_reassigning_to_an_officer_of_another_commune_is_400(
    api_as, district_staff, rows_a, rows_b
):
    response = api_as(district_staff).patch(
        f"/api/v1/field-assignments/{rows_a.assignment.pk}/",
        {"officer": rows_b.officer.pk},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"officer": ["Cán bộ phải thuộc cùng xã."]}
    assert FieldAssignment.objects.get(pk=rows_a.assignment.pk).officer == rows_a.officer


@pytest.mark.django_db
def test_field_assignments_filter_by_field(api_as, district_staff, rows_a, rows_b):
    OfficerFactory(commune=rows_a.village.commune)
    response = api_as(district_staff).get(
        f"/api/v1/field-assignments/?field=y-te&commune={rows_b.village.commune_id}"
    )
    assert [row["id"] for row in response.json()["results"]] == [rows_b.assignment.pk]


@pytest.mark.django_db
def test_fields_are_addressed_by_code(api_as, officer_b):
    client = api_as(officer_b)
    codes = [row["code"] for row in client.get("/api/v1/fields/").json()["results"]]
    assert codes == ["an-ninh-trat-tu", "hanh-chinh", "nong-nghiep", "van-hoa-xa-hoi", "y-te"]
    assert client.get("/api/v1/fields/y-te/").json() == {
        "code": "y-te",
        "name": "Y tế, phòng chống dịch bệnh",
    }
    assert client.get("/api/v1/fields/the-thao/").status_code == 404


@pytest.mark.django_db
def test_creating_a_commune_officer_user_makes_its_officer(api_as, district_staff, commune_a):
    response = api_as(district_staff).post(
        "/api/v1/users/",
        {
            "username": "xa-moi",
            "password": "Mat-khau-2021!",
            "full_name": "Trần Thị Mới",
            "role": "commune_officer",
            "commune": commune_a.pk,
            "fields": ["nong-nghiep", "y-te"],
        },
        format="json",
    )

    assert response.status_code == 201
    user = User.objects.get(username="xa-moi")
    assert response.json() == {
        "id": user.pk,
        "username": "xa-moi",
        "full_name": "Trần Thị Mới",
        "role": "commune_officer",
        "commune": commune_a.pk,
        "fields": ["nong-nghiep", "y-te"],
        "is_active": True,
    }
    assert "password" not in response.json()
    assert user.check_password("Mat-khau-2021!")
    assert (user.profile.role, user.profile.commune) == (Role.COMMUNE_OFFICER, commune_a)
    officer = Officer.objects.get(user=user)
    assert (officer.commune, officer.full_name) == (commune_a, "Trần Thị Mới")
    assert set(officer.assignments.values_list("field_id", flat=True)) == {"nong-nghiep", "y-te"}


@pytest.mark.django_db
def test_creating_a_district_user(api_as, district_staff, district):
    response = api_as(district_staff).post(
        "/api/v1/users/",
        {
            "username": "pct",
            "password": "Mat-khau-2021!",
            "full_name": "Phó Chủ tịch",
            "role": "district_leader",
        },
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["commune"] is None
    assert UserProfile.objects.get(user__username="pct").district == district
    assert not Officer.objects.filter(user__username="pct").exists()


@pytest.mark.django_db
def test_user_with_a_held_field_is_refused_naming_the_holder(api_as, district_staff, rows_a):
    users, officers = User.objects.count(), Officer.objects.count()

    response = api_as(district_staff).post(
        "/api/v1/users/",
        {
            "username": "xa-moi",
            "password": "Mat-khau-2021!",
            "full_name": "Trần Thị Mới",
            "role": "commune_leader",
            "commune": rows_a.village.commune_id,
            "fields": ["y-te"],
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "fields": [
            "Lĩnh vực “Y tế, phòng chống dịch bệnh” đã có cán bộ phụ trách: "
            f"{rows_a.officer.full_name}."
        ]
    }
    assert (User.objects.count(), Officer.objects.count()) == (users, officers)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"role": "admin"}, "role", '"admin" không phải là một lựa chọn hợp lệ.'),
        ({"commune": None}, "commune", "Vai trò cấp xã phải gắn với một xã."),
        ({"username": "xa-a"}, "username", "Tên đăng nhập này đã có người dùng."),
        ({"password": "12345678"}, "password", "Mật khẩu này quá phổ biến."),
        ({"username": "xã mới"}, "username", None),
        # Fits the login's first name (150), not its officer's name (120).
        ({"full_name": "Trần " * 26}, "full_name", "Trường này không được vượt quá 120 ký tự."),
    ],
)
def test_bad_user_input(api_as, district_staff, commune_a, officer_a, changes, field, message):
    users = User.objects.count()
    body = {
        "username": "xa-moi",
        "password": "Mat-khau-2021!",
        "full_name": "Trần Thị Mới",
        "role": "commune_officer",
        "commune": commune_a.pk,
        **changes,
    }

    response = api_as(district_staff).post("/api/v1/users/", body, format="json")

    assert response.status_code == 400
    if message is not None:
        assert message in response.json()[field]
    else:
        assert response.json()[field][0].startswith("Điền tên đăng nhập hợp lệ.")
    assert User.objects.count() == users
