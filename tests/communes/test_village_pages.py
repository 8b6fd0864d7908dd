"""Adding and editing villages: /communes/<code>/villages/new/ and /villages/<id>/edit/."""

import pytest
from django.urls import reverse

from communes.models import Village
from tests.pages import field_error, invalid_controls

VALID = {
    "name": "Thôn Phú Lợi",
    "kind": "thon",
    "households": "312",
    "residents": "1240",
    "smartphone_users": "650",
}


def post_village(client, commune, **changes):
    return client.post(reverse("village-create", args=[commune.code]), {**VALID, **changes})


@pytest.mark.django_db
def test_officer_adds_a_village(client_as, officer_a, commune_a):
    response = post_village(client_as(officer_a), commune_a)

    assert response.status_code == 302
    assert response["Location"] == reverse("commune-detail", args=[commune_a.code])
    village = Village.objects.get()
    assert (village.commune, village.name, village.kind) == (commune_a, "Thôn Phú Lợi", "thon")
    assert (village.households, village.residents, village.smartphone_users) == (312, 1240, 650)
    assert [str(m) for m in response.wsgi_request._messages] == ["Đã thêm Thôn Phú Lợi."]


@pytest.mark.django_db
def test_district_staff_add_a_village_to_any_commune_of_their_district(
    client_as, district_staff, commune_b
):
    response = post_village(client_as(district_staff), commune_b, kind="bon", name="Bon Bù Dốt")

    assert response.status_code == 302
    assert Village.objects.get().commune == commune_b


BAD_INPUT = [
    ("negative households", {"households": "-5"}, "households", "Nhập số 0 hoặc lớn hơn."),
    ("negative residents", {"residents": "-1"}, "residents", "Nhập số 0 hoặc lớn hơn."),
    (
        "non-number",
        {"smartphone_users": "nhiều"},
        "smartphone_users",
        "Nhập một số nguyên, ví dụ 250.",
    ),
    (
        "decimal",
        {"households": "12.5"},
        "households",
        "Viết số như 1.000 hoặc 21.814 (mỗi nhóm ba chữ số) hoặc 21814, không có phần thập phân.",
    ),
    ("missing name", {"name": ""}, "name", "Vui lòng điền thông tin này."),
    ("missing households", {"households": ""}, "households", "Vui lòng điền thông tin này."),
    ("unknown kind", {"kind": "khom"}, "kind", "Hãy chọn một loại trong danh sách."),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("what", "changes", "field", "message"), BAD_INPUT, ids=[b[0] for b in BAD_INPUT]
)
def test_bad_input_is_shown_by_its_field_and_nothing_is_saved(
    client_as, officer_a, commune_a, what, changes, field, message
):
    response = post_village(client_as(officer_a), commune_a, **changes)

    assert response.status_code == 400
    assert field_error(response, field) == message
    assert invalid_controls(response) == {field}
    assert not Village.objects.exists()


@pytest.mark.django_db
def test_a_second_village_of_the_same_name_is_refused(client_as, officer_a, village_a):
    response = post_village(client_as(officer_a), village_a.commune, name=village_a.name)

    assert response.status_code == 400
    assert field_error(response, "name") == "Xã đã có thôn mang tên này."
    assert Village.objects.count() == 1


@pytest.mark.django_db
def test_edit_saves_and_history_records_who(client_as, officer_a, village_a):
    data = {**VALID, "name": village_a.name, "households": "333"}

    response = client_as(officer_a).post(reverse("village-edit", args=[village_a.pk]), data)

    assert response.status_code == 302
    village_a.refresh_from_db()
    assert village_a.households == 333
    latest = village_a.history.first()
    assert (latest.history_type, latest.history_user, latest.households) == ("~", officer_a, 333)


@pytest.mark.django_db
def test_edit_form_shows_the_current_values(client_as, officer_a, village_a):
    response = client_as(officer_a).get(reverse("village-edit", args=[village_a.pk]))

    html = response.content.decode()
    assert 'name="households" value="300"' in html
    assert 'value="Thôn 1"' in html


@pytest.mark.django_db
def test_a_refused_edit_saves_nothing(client_as, officer_a, village_a):
    data = {**VALID, "households": "-1"}

    response = client_as(officer_a).post(reverse("village-edit", args=[village_a.pk]), data)

    assert field_error(response, "households") == "Nhập số 0 hoặc lớn hơn."
    village_a.refresh_from_db()
    assert (village_a.name, village_a.households) == ("Thôn 1", 300)
    assert village_a.history.count() == 1


@pytest.mark.django_db
def test_another_communes_village_is_404(client_as, officer_b, village_a):
    client = client_as(officer_b)

    assert client.get(reverse("village-edit", args=[village_a.pk])).status_code == 404
    assert client.post(reverse("village-edit", args=[village_a.pk]), VALID).status_code == 404
    village_a.refresh_from_db()
    assert village_a.name == "Thôn 1"


@pytest.mark.django_db
def test_another_communes_village_list_is_404(client_as, officer_b, commune_a):
    response = post_village(client_as(officer_b), commune_a)

    assert response.status_code == 404
    assert not Village.objects.exists()


@pytest.mark.django_db
def test_district_leader_cannot_add_a_village(client_as, district_leader, commune_a):
    response = post_village(client_as(district_leader), commune_a)

    assert response.status_code == 403
    assert not Village.objects.exists()
