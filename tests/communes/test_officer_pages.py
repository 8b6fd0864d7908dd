"""The officers of a commune and the fields each is responsible for (D8)."""

import pytest
from django.urls import reverse

from communes.models import FieldAssignment, Officer
from tests.pages import field_error, text_of, vi


def assigned(officer) -> list[str]:
    return sorted(officer.assignments.values_list("field_id", flat=True))


@pytest.mark.django_db
def test_list_shows_officers_with_their_fields(client_as, district_leader, staff_officer_a):
    FieldAssignment.objects.create(
        commune=staff_officer_a.commune, field_id="y-te", officer=staff_officer_a
    )

    response = client_as(district_leader).get(reverse("officer-list", args=["25267"]))

    listing = text_of(response, "officer-list")
    assert "Trần Thị Bình" in listing
    assert "Y tế, phòng chống dịch bệnh" in listing
    assert reverse("officer-edit", args=[staff_officer_a.pk]) not in response.content.decode()


@pytest.mark.django_db
def test_list_offers_edits_to_those_who_may_edit(client_as, officer_a, staff_officer_a):
    response = client_as(officer_a).get(reverse("officer-list", args=["25267"]))

    html = response.content.decode()
    assert reverse("officer-edit", args=[staff_officer_a.pk]) in html
    assert reverse("officer-create", args=["25267"]) in html


@pytest.mark.django_db
def test_list_shows_only_that_communes_officers(client_as, district_staff, officer_a, officer_b):
    response = client_as(district_staff).get(reverse("officer-list", args=["25267"]))

    assert [o.pk for o in response.context["officers"]] == [officer_a.officer.pk]


@pytest.mark.django_db
def test_officer_adds_an_officer_with_fields(client_as, officer_a, commune_a):
    data = {
        "full_name": "Hoàng Văn Em",
        "position": "Công an xã",
        "phone": "0912000111",
        "fields": ["an-ninh-trat-tu", "hanh-chinh"],
    }

    response = client_as(officer_a).post(reverse("officer-create", args=["25267"]), data)

    assert response.status_code == 302
    assert response["Location"] == reverse("officer-list", args=["25267"])
    officer = Officer.objects.get(full_name="Hoàng Văn Em")
    assert (officer.commune, officer.position, officer.phone) == (
        commune_a,
        "Công an xã",
        "0912000111",
    )
    assert assigned(officer) == ["an-ninh-trat-tu", "hanh-chinh"]


@pytest.mark.django_db
def test_a_field_already_held_is_refused_naming_its_holder(client_as, officer_a, staff_officer_a):
    FieldAssignment.objects.create(
        commune=staff_officer_a.commune, field_id="y-te", officer=staff_officer_a
    )
    data = {"full_name": "Hoàng Văn Em", "fields": ["y-te"]}

    response = client_as(officer_a).post(reverse("officer-create", args=["25267"]), data)

    assert response.status_code == 400
    assert field_error(response, "fields") == vi(
        "The field “%(field)s” already has a responsible officer: %(officer)s.",
        field="Y tế, phòng chống dịch bệnh",
        officer="Trần Thị Bình",
    )
    assert not Officer.objects.filter(full_name="Hoàng Văn Em").exists()


@pytest.mark.django_db
def test_an_unknown_field_is_refused(client_as, officer_a):
    data = {"full_name": "Hoàng Văn Em", "fields": ["the-thao"]}

    response = client_as(officer_a).post(reverse("officer-create", args=["25267"]), data)

    assert field_error(response, "fields") == "Lĩnh vực không có: the-thao."
    assert not Officer.objects.filter(full_name="Hoàng Văn Em").exists()


@pytest.mark.django_db
def test_a_name_is_required(client_as, officer_a):
    response = client_as(officer_a).post(reverse("officer-create", args=["25267"]), {"phone": "1"})

    assert field_error(response, "full_name") == "Vui lòng điền thông tin này."


@pytest.mark.django_db
def test_edit_changes_fields_and_history_records_who(client_as, leader_a, staff_officer_a):
    FieldAssignment.objects.create(
        commune=staff_officer_a.commune, field_id="y-te", officer=staff_officer_a
    )
    url = reverse("officer-edit", args=[staff_officer_a.pk])
    client = client_as(leader_a)
    assert client.get(url).context["form"].initial["fields"] == ["y-te"]

    response = client.post(
        url,
        {"full_name": "Trần Thị Bình", "position": "Phó chủ tịch", "fields": ["van-hoa-xa-hoi"]},
    )

    assert response.status_code == 302
    staff_officer_a.refresh_from_db()
    assert staff_officer_a.position == "Phó chủ tịch"
    assert assigned(staff_officer_a) == ["van-hoa-xa-hoi"]
    assert staff_officer_a.history.first().history_user == leader_a


@pytest.mark.django_db
def test_another_communes_officer_is_404(client_as, officer_b, staff_officer_a):
    url = reverse("officer-edit", args=[staff_officer_a.pk])

    response = client_as(officer_b).post(url, {"full_name": "X"})

    assert response.status_code == 404
    staff_officer_a.refresh_from_db()
    assert staff_officer_a.full_name == "Trần Thị Bình"


@pytest.mark.django_db
def test_district_leader_cannot_add_an_officer(client_as, district_leader, commune_a):
    response = client_as(district_leader).post(
        reverse("officer-create", args=["25267"]), {"full_name": "Hoàng Văn Em"}
    )

    assert response.status_code == 403
    assert not Officer.objects.filter(full_name="Hoàng Văn Em").exists()
