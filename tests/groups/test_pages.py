"""Registering and editing a news group through /groups/new/ and /groups/<id>/edit/."""

import datetime

import pytest
from django.urls import reverse

from groups.models import MessagingGroup
from tests.pages import Theirs, expected, field_error, invalid_controls

VALID = {
    "platform": "zalo",
    "name": "Zalo thôn 2 Phú Nghĩa",
    "invite_url": "https://zalo.me/g/thon2pn",
    "admin_name": "Lê Văn Cường",
    "admin_phone": "0987654321",
    "admin_trained": "on",
    "admins_only_post": "on",
    "established_on": "20/07/2021",
    "status": "active",
}


def post_group(client, village, **changes):
    data = {**VALID, "village": village.pk, **changes}
    return client.post(reverse("group-create"), {k: v for k, v in data.items() if v is not None})


@pytest.mark.django_db
def test_officer_registers_a_group_and_lands_on_the_commune_page(client_as, officer_a, village_a):
    response = post_group(client_as(officer_a), village_a)

    assert response.status_code == 302
    assert response["Location"] == reverse("commune-detail", args=["25267"])
    group = MessagingGroup.objects.get()
    assert (group.village, group.platform, group.name) == (village_a, "zalo", VALID["name"])
    assert group.invite_url == "https://zalo.me/g/thon2pn"
    assert (group.admin_name, group.admin_phone) == ("Lê Văn Cường", "0987654321")
    assert group.admin_trained is True
    assert group.admins_only_post is True
    assert group.established_on == datetime.date(2021, 7, 20)  # typed dd/mm/yyyy
    assert group.created_by == officer_a
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Đã đăng ký nhóm “Zalo thôn 2 Phú Nghĩa”."]


@pytest.mark.django_db
def test_a_planned_group_needs_no_link_and_its_date_comes_from_a_date_input(
    client_as, district_staff, village_a
):
    response = post_group(
        client_as(district_staff),
        village_a,
        status="planned",
        invite_url="",
        established_on="2021-08-02",
        admin_trained=None,
        admins_only_post=None,
    )

    assert response.status_code == 302
    group = MessagingGroup.objects.get()
    assert (group.status, group.invite_url) == ("planned", "")
    assert group.established_on == datetime.date(2021, 8, 2)
    assert (group.admin_trained, group.admins_only_post) == (False, False)


@pytest.mark.django_db
def test_the_form_offers_only_the_users_own_villages(client_as, officer_a, village_a, village_b):
    response = client_as(officer_a).get(reverse("group-create"))

    choices = list(response.context["form"].fields["village"].queryset)
    assert choices == [village_a]
    assert "Thôn Đắk Côn" not in response.content.decode()


@pytest.mark.django_db
def test_district_staff_choose_among_their_districts_villages(
    client_as, district_staff, village_a, village_b
):
    response = client_as(district_staff).get(reverse("group-create"))

    assert set(response.context["form"].fields["village"].queryset) == {village_a, village_b}
    assert "Đa Kia – Thôn Đắk Côn" in response.content.decode()


@pytest.mark.django_db
def test_village_in_the_query_string_is_preselected(client_as, officer_a, village_a):
    response = client_as(officer_a).get(reverse("group-create") + f"?village={village_a.pk}")

    assert response.status_code == 200
    assert f'<option value="{village_a.pk}" selected>' in response.content.decode()


BAD_INPUT = [
    # (what, changes, field, Vietnamese message)
    (
        "malformed link",
        {"invite_url": "zalo nhóm thôn 2"},
        "invite_url",
        "Nhập đường liên kết hợp lệ, bắt đầu bằng http:// hoặc https://.",
    ),
    (
        "javascript: link",
        {"invite_url": "javascript:alert(document.cookie)"},
        "invite_url",
        "Nhập đường liên kết hợp lệ, bắt đầu bằng http:// hoặc https://.",
    ),
    (
        "active group without a link",
        {"invite_url": ""},
        "invite_url",
        Theirs("An active group needs its invite link."),
    ),
    (
        "unknown platform",
        {"platform": "myspace"},
        "platform",
        "Hãy chọn một nền tảng trong danh sách.",
    ),
    ("no name", {"name": ""}, "name", "Vui lòng điền thông tin này."),
    (
        "malformed date",
        {"established_on": "32/07/2021"},
        "established_on",
        "Nhập ngày theo dạng dd/mm/yyyy.",
    ),
    (
        "established in the future",
        {"established_on": "01/01/2099"},
        "established_on",
        Theirs("An active group cannot be established in the future."),
    ),
    ("unknown status", {"status": "deleted"}, "status", "Hãy chọn một trạng thái trong danh sách."),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("what", "changes", "field", "message"), BAD_INPUT, ids=[b[0] for b in BAD_INPUT]
)
def test_bad_input_is_shown_by_its_field_and_nothing_is_saved(
    client_as, officer_a, village_a, what, changes, field, message
):
    response = post_group(client_as(officer_a), village_a, **changes)

    assert response.status_code == 400
    assert field_error(response, field) == expected(message)
    assert invalid_controls(response) == {field}
    assert not MessagingGroup.objects.exists()


@pytest.mark.django_db
def test_a_village_of_another_commune_is_refused_by_the_village_field(
    client_as, officer_a, village_a, village_b
):
    response = post_group(client_as(officer_a), village_b)

    assert response.status_code == 400
    assert field_error(response, "village") == "Hãy chọn một thôn trong danh sách."
    assert not MessagingGroup.objects.exists()


@pytest.mark.django_db
def test_a_village_that_is_not_a_number_is_refused(client_as, officer_a, village_a):
    response = client_as(officer_a).post(reverse("group-create"), {**VALID, "village": "abc"})

    assert field_error(response, "village") == "Hãy chọn một thôn trong danh sách."
    assert not MessagingGroup.objects.exists()


@pytest.mark.django_db
def test_edit_saves_and_history_records_who(client_as, leader_a, group_a):
    client = client_as(leader_a)
    page = client.get(reverse("group-edit", args=[group_a.pk]))
    data = {
        name: value
        for name, value in page.context["form"].initial.items()
        if value not in (None, False)
    }
    data.update(village=group_a.village_id, admin_name="Phạm Thị Dung", established_on="2021-07-01")
    data["admin_trained"] = "on"

    response = client.post(reverse("group-edit", args=[group_a.pk]), data)

    assert response.status_code == 302
    group_a.refresh_from_db()
    assert group_a.admin_name == "Phạm Thị Dung"
    latest = group_a.history.first()
    assert latest.history_type == "~"
    assert latest.history_user == leader_a


@pytest.mark.django_db
def test_edit_can_move_a_group_to_another_village_of_the_commune(client_as, officer_a, group_a):
    from tests.factories import VillageFactory

    other = VillageFactory(commune=group_a.village.commune, name="Thôn 5")
    data = {**VALID, "village": other.pk, "name": group_a.name, "invite_url": group_a.invite_url}

    response = client_as(officer_a).post(reverse("group-edit", args=[group_a.pk]), data)

    assert response.status_code == 302
    group_a.refresh_from_db()
    assert group_a.village == other


@pytest.mark.django_db
def test_edit_cannot_move_a_group_into_another_commune(client_as, officer_a, group_a, village_b):
    before = group_a.village_id
    data = {**VALID, "village": village_b.pk, "name": group_a.name}

    response = client_as(officer_a).post(reverse("group-edit", args=[group_a.pk]), data)

    assert field_error(response, "village") == "Hãy chọn một thôn trong danh sách."
    group_a.refresh_from_db()
    assert group_a.village_id == before


@pytest.mark.django_db
def test_a_refused_edit_changes_nothing(client_as, officer_a, group_a):
    data = {**VALID, "village": group_a.village_id, "invite_url": "javascript:alert(1)"}

    response = client_as(officer_a).post(reverse("group-edit", args=[group_a.pk]), data)

    assert response.status_code == 400
    saved = type(group_a).objects.get(pk=group_a.pk)
    assert (saved.name, saved.invite_url) == (group_a.name, group_a.invite_url)
    assert saved.history.count() == 1  # only its creation
    assert f"Sửa nhóm {group_a.name}" in response.content.decode()


@pytest.mark.django_db
def test_another_communes_group_is_404(client_as, officer_b, group_a):
    assert client_as(officer_b).get(reverse("group-edit", args=[group_a.pk])).status_code == 404


@pytest.mark.django_db
def test_district_leader_cannot_register(client_as, district_leader, village_a):
    response = post_group(client_as(district_leader), village_a)

    assert response.status_code == 403
    assert not MessagingGroup.objects.exists()
