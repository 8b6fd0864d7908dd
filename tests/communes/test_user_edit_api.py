"""`users/<id>/` PATCH {full_name, role, commune, fields, is_active}: district staff edit and
deactivate the logins of their district; nothing is deleted, nothing is half-saved."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from bulletins.models import Bulletin
from bulletins.selectors import responsible_officer
from communes.models import FieldAssignment, Officer, Role, UserProfile
from tests.factories import (
    PASSWORD,
    CommuneFactory,
    DistrictFactory,
    OfficerFactory,
    make_user,
)

User = get_user_model()

pytestmark = pytest.mark.django_db


def url(user) -> str:
    return f"/api/v1/users/{user.pk}/"


def state(user) -> dict:
    """Every row an edit may touch, as it is in the database."""
    user = User.objects.select_related("profile").get(pk=user.pk)
    return {
        "user": (user.first_name, user.is_active),
        "profile": (user.profile.role, user.profile.commune_id),
        "officers": sorted(
            Officer.objects.unscoped().values_list(
                "pk", "commune_id", "full_name", "position", "user_id"
            )
        ),
        "assignments": sorted(
            FieldAssignment.objects.unscoped().values_list("commune_id", "field_id", "officer_id")
        ),
        "tokens": sorted(Token.objects.values_list("user_id", flat=True)),
    }


def test_a_commune_user_moved_to_another_commune_takes_its_officer_there(
    api_as, district_staff, rows_a, commune_b
):
    officer = rows_a.officer  # officer_a's Officer, responsible for y-te in commune A
    user = officer.user

    response = api_as(district_staff).patch(
        url(user),
        {"full_name": "Lê Thị Mới", "commune": commune_b.pk, "fields": ["nong-nghiep"]},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json() == {
        "id": user.pk,
        "username": "xa-a",
        "full_name": "Lê Thị Mới",
        "role": "commune_officer",
        "commune": commune_b.pk,
        "fields": ["nong-nghiep"],
        "is_active": True,
    }
    officer.refresh_from_db()
    assert (officer.commune, officer.full_name, officer.user) == (commune_b, "Lê Thị Mới", user)
    # Commune A's y-te is free again; the history keeps who held it.
    assert not FieldAssignment.objects.filter(commune=rows_a.village.commune).exists()
    assert FieldAssignment.history.filter(field_id="y-te", history_type="-").count() == 1
    assert list(officer.assignments.values_list("commune_id", "field_id")) == [
        (commune_b.pk, "nong-nghiep")
    ]
    # The officer's history remembers the commune it served.
    assert rows_a.village.commune_id in officer.history.values_list("commune_id", flat=True)


def test_an_officer_made_leader_gets_the_leaders_position_and_keeps_its_fields(
    api_as, district_staff, rows_a
):
    user = rows_a.officer.user
    Officer.objects.unscoped().filter(pk=rows_a.officer.pk).update(
        position=str(Role.COMMUNE_OFFICER.label)
    )

    response = api_as(district_staff).patch(url(user), {"role": "commune_leader"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["fields"] == ["y-te"]
    officer = Officer.objects.unscoped().get(pk=rows_a.officer.pk)
    assert officer.position == "Lãnh đạo UBND xã"
    assert UserProfile.objects.get(user=user).role == Role.COMMUNE_LEADER


def test_a_commune_user_made_district_staff_leaves_its_officer_behind(
    api_as, district_staff, rows_a
):
    user = rows_a.officer.user

    response = api_as(district_staff).patch(url(user), {"role": "district_staff"}, format="json")

    assert response.status_code == 200, response.content
    assert (response.json()["commune"], response.json()["fields"]) == (None, [])
    profile = UserProfile.objects.get(user=user)
    assert (profile.role, profile.commune) == (Role.DISTRICT_STAFF, None)
    officer = Officer.objects.unscoped().get(pk=rows_a.officer.pk)
    # The commune's record of who served stays, without the login and without a field.
    assert (officer.user, officer.assignments.count()) == (None, 0)


def test_a_district_user_made_commune_leader_becomes_its_officer(
    api_as, district_staff, district_leader, commune_a
):
    response = api_as(district_staff).patch(
        url(district_leader),
        {"role": "commune_leader", "commune": commune_a.pk, "fields": ["hanh-chinh"]},
        format="json",
    )

    assert response.status_code == 200, response.content
    officer = Officer.objects.unscoped().get(user=district_leader)
    assert (officer.commune, officer.full_name, officer.position) == (
        commune_a,
        district_leader.first_name,
        "Lãnh đạo UBND xã",
    )
    assert list(officer.assignments.values_list("field_id", flat=True)) == ["hanh-chinh"]


def test_a_deactivated_user_keeps_its_history_and_leaves_its_fields(api_as, district_staff, rows_a):
    user = rows_a.officer.user
    bulletin = Bulletin.objects.create(
        commune=rows_a.village.commune,
        field_id="y-te",
        title="Tiêm chủng",
        body="Nội dung.",
        source="Trạm y tế xã",
        author=user,
    )
    token = Token.objects.create(user=user)

    response = api_as(district_staff).patch(url(user), {"is_active": False}, format="json")

    assert response.status_code == 200, response.content
    assert (response.json()["is_active"], response.json()["fields"]) == (False, [])
    user.refresh_from_db()
    assert not user.is_active
    # Never deleted: the login, its profile, its Officer and what it wrote stay.
    assert UserProfile.objects.filter(user=user, role=Role.COMMUNE_OFFICER).exists()
    assert Officer.objects.unscoped().get(pk=rows_a.officer.pk).user == user
    bulletin.refresh_from_db()
    assert bulletin.author == user
    # No longer the responsible officer of y-te: the field is free for another.
    assert responsible_officer(bulletin) is None
    assert not Token.objects.filter(key=token.key).exists()


def test_a_deactivated_user_cannot_log_in_or_get_a_token(api_as, district_staff, officer_a):
    session = Client()
    session.force_login(officer_a)
    old_token = Token.objects.create(user=officer_a).key

    api_as(district_staff).patch(url(officer_a), {"is_active": False}, format="json")

    anonymous = APIClient()
    answer = anonymous.post(
        "/api/v1/auth/token/", {"username": "xa-a", "password": PASSWORD}, format="json"
    )
    assert answer.status_code == 400
    anonymous.credentials(HTTP_AUTHORIZATION=f"Token {old_token}")
    assert anonymous.get("/api/v1/villages/").status_code == 401
    login = Client().post(reverse("login"), {"username": "xa-a", "password": PASSWORD})
    assert login.status_code == 200  # the form again, not a redirect
    assert "_auth_user_id" not in login.client.session
    # The session opened before is no longer honoured.
    assert session.get(reverse("home")).status_code == 302


def test_reactivating_gives_back_no_field_by_itself(api_as, district_staff, rows_a):
    user = rows_a.officer.user
    client = api_as(district_staff)
    client.patch(url(user), {"is_active": False}, format="json")

    back = client.patch(url(user), {"is_active": True}, format="json")
    assert (back.status_code, back.json()["fields"]) == (200, [])
    again = client.patch(url(user), {"fields": ["y-te"]}, format="json")
    assert (again.status_code, again.json()["fields"]) == (200, ["y-te"])
    assert User.objects.get(pk=user.pk).is_active


def test_a_field_held_by_another_officer_is_a_400_naming_the_holder(
    api_as, district_staff, rows_a, leader_a
):
    before = state(leader_a)

    response = api_as(district_staff).patch(
        url(leader_a), {"full_name": "Tên Mới", "fields": ["y-te"]}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "fields": [
            "Lĩnh vực “Y tế, phòng chống dịch bệnh” đã có cán bộ phụ trách: "
            f"{rows_a.officer.full_name}."
        ]
    }
    assert state(leader_a) == before  # not even the name


def test_a_move_into_a_field_held_in_the_new_commune_is_refused_whole(
    api_as, district_staff, rows_a, rows_b
):
    user = rows_a.officer.user
    before = state(user)

    response = api_as(district_staff).patch(
        url(user), {"commune": rows_b.village.commune_id, "fields": ["y-te"]}, format="json"
    )

    assert response.status_code == 400
    assert rows_b.officer.full_name in response.json()["fields"][0]
    # Commune A's y-te was not released on the way.
    assert state(user) == before


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"role": "admin"}, "role", '"admin" không phải là một lựa chọn hợp lệ.'),
        ({"commune": None}, "commune", "Vai trò cấp xã phải gắn với một xã."),
        (
            {"role": "district_leader", "commune": "A"},
            "commune",
            "Vai trò cấp huyện không gắn với xã nào.",
        ),
        (
            {"role": "district_leader", "fields": ["y-te"]},
            "fields",
            "Chỉ cán bộ xã mới được phân công phụ trách lĩnh vực.",
        ),
        ({"commune": "other district"}, "commune", None),
        ({"fields": ["the-thao"]}, "fields", "Lĩnh vực không tồn tại: the-thao."),
        ({"full_name": ""}, "full_name", "Trường này không được để trống."),
        ({"full_name": "   "}, "full_name", None),
        ({"full_name": "Trần " * 26}, "full_name", "Trường này không được vượt quá 120 ký tự."),
        ({"is_active": "có lẽ"}, "is_active", "Phải là giá trị đúng/sai (boolean) hợp lệ."),
        (
            {"is_active": False, "fields": ["nong-nghiep"]},
            "fields",
            "Tài khoản đã khóa không phụ trách lĩnh vực nào.",
        ),
        ({"password": "Mat-khau-moi-2021!"}, "password", None),
        ({"username": "xa-moi"}, "username", None),
    ],
)
def test_bad_input_is_a_vietnamese_400_with_nothing_saved(
    api_as, district_staff, rows_a, changes, field, message
):
    user = rows_a.officer.user
    other = CommuneFactory(district=DistrictFactory(code="692", name="Bù Đăng"))
    swap = {"A": rows_a.village.commune_id, "other district": other.pk}
    body = {"full_name": "Tên Mới", **changes}
    if isinstance(body.get("commune"), str):
        body["commune"] = swap[body["commune"]]
    before = state(user)

    response = api_as(district_staff).patch(url(user), body, format="json")

    assert response.status_code == 400, response.content
    assert list(response.json()) == [field]
    if message is not None:
        assert response.json()[field] == [message]
    assert state(user) == before


def test_staff_neither_deactivate_themselves_nor_change_their_own_role(api_as, district_staff):
    before = state(district_staff)
    client = api_as(district_staff)

    off = client.patch(url(district_staff), {"is_active": False}, format="json")
    demoted = client.patch(url(district_staff), {"role": "district_leader"}, format="json")

    assert (off.status_code, off.json()) == (
        400,
        {"is_active": ["Bạn không thể tự khóa tài khoản của mình."]},
    )
    assert (demoted.status_code, demoted.json()) == (
        400,
        {"role": ["Bạn không thể tự đổi vai trò của mình."]},
    )
    assert state(district_staff) == before
    # Their own name they may change.
    assert client.patch(url(district_staff), {"full_name": "Phòng VH-TT"}).status_code == 200


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("officer_a", 403),
        ("leader_a", 403),
        ("district_leader", 403),
        ("other_district_staff", 404),
        ("anonymous", 401),
    ],
)
def test_only_the_districts_staff_edit_its_users(client_for, rows_a, role, expected):
    user = rows_a.officer.user
    before = state(user)

    response = client_for(role).patch(url(user), {"is_active": False}, format="json")

    assert response.status_code == expected
    assert state(user) == before


@pytest.mark.parametrize("method", ["put", "delete"])
def test_users_are_neither_replaced_nor_deleted(api_as, district_staff, officer_a, method):
    response = getattr(api_as(district_staff), method)(url(officer_a), {}, format="json")
    assert response.status_code == 405
    assert User.objects.filter(pk=officer_a.pk).exists()


def test_the_officer_list_marks_a_deactivated_login(client, api_as, district_staff, commune_a):
    user = make_user(Role.COMMUNE_OFFICER, commune=commune_a, username="xa-cu")
    make_user(Role.COMMUNE_OFFICER, commune=commune_a, username="xa-moi")
    OfficerFactory(commune=commune_a, full_name="Không có tài khoản")
    api_as(district_staff).patch(url(user), {"is_active": False}, format="json")
    client.force_login(district_staff)

    page = client.get(reverse("officer-list", args=[commune_a.code])).content.decode()

    assert "tài khoản đã khóa" in page
    assert page.count("tài khoản đã khóa") == 1
