"""`districts/` (docs/rules.md#unit-kinds): the top unit {id, code, name, kind}, read by every role
(each its own), written by administrators only; `communes/` rows carry their kind, and a commune's
kind word is taken off its name."""

import pytest
from django.contrib.auth import get_user_model

from communes.models import Commune, District
from tests.factories import DistrictFactory

ROLES = ["officer_a", "leader_a", "officer_b", "district_staff", "district_leader"]


@pytest.fixture
def admin(db):
    return get_user_model().objects.create_superuser("quantri", password="a-Long-pass-2025")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.django_db
def test_every_role_reads_its_own_top_unit(client_for, district, role, other_district_staff):
    client = client_for(role)

    listed = client.get("/api/v1/districts/")
    own = client.get(f"/api/v1/districts/{district.pk}/")
    other = District.objects.get(code="999")

    assert listed.status_code == 200
    assert listed.json()["results"] == [
        {"id": district.pk, "code": "691", "name": "Bù Gia Mập", "kind": "district"}
    ]
    assert own.status_code == 200
    assert own.json()["kind"] == "district"
    assert client.get(f"/api/v1/districts/{other.pk}/").status_code == 404


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.django_db
def test_no_role_writes_a_top_unit(client_for, district, role):
    client = client_for(role)
    url = f"/api/v1/districts/{district.pk}/"
    before = District.objects.count()

    assert client.post("/api/v1/districts/", {"code": "75", "name": "Đồng Nai"}).status_code == 403
    assert client.patch(url, {"kind": "province"}, format="json").status_code == 403
    assert client.put(url, {"code": "691", "name": "X", "kind": "city"}).status_code == 403
    assert client.delete(url).status_code == 403
    district.refresh_from_db()
    assert (District.objects.count(), district.name, district.kind) == (
        before,
        "Bù Gia Mập",
        "district",
    )


@pytest.mark.django_db
def test_anonymous_reads_nothing(client_for, district):
    assert client_for("anonymous").get("/api/v1/districts/").status_code == 401


@pytest.mark.django_db
def test_an_administrator_creates_renames_and_changes_the_kind(api_as, admin, district):
    client = api_as(admin)

    created = client.post(
        "/api/v1/districts/", {"code": "75", "name": "Đồng Nai", "kind": "province"}, format="json"
    )
    changed = client.patch(
        f"/api/v1/districts/{district.pk}/", {"kind": "city", "name": "Huế"}, format="json"
    )

    assert created.status_code == 201
    province = District.objects.get(code="75")
    assert created.json() == {
        "id": province.pk,
        "code": "75",
        "name": "Đồng Nai",
        "kind": "province",
    }
    assert changed.status_code == 200
    assert changed.json() == {"id": district.pk, "code": "691", "name": "Huế", "kind": "city"}
    # Every top unit is the administrator's; none is removed through the API.
    assert [row["code"] for row in client.get("/api/v1/districts/").json()["results"]] == [
        "691",
        "75",
    ]
    assert client.delete(f"/api/v1/districts/{district.pk}/").status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"code": "691", "name": "Trùng mã"}, "code"),
        ({"code": "76", "name": "Sai loại", "kind": "huyen"}, "kind"),
        ({"code": "77", "name": ""}, "name"),
    ],
)
def test_bad_input_is_a_400_and_nothing_is_saved(api_as, admin, district, data, field):
    response = api_as(admin).post("/api/v1/districts/", data, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert District.objects.count() == 1


@pytest.mark.django_db
def test_a_communes_kind_word_becomes_its_kind(api_as, district_staff, district):
    client = api_as(district_staff)

    ward = client.post(
        "/api/v1/communes/", {"code": "25213", "name": "Phường  Bình Lộc"}, format="json"
    )
    zone = client.post(
        "/api/v1/communes/", {"code": "22915", "name": "Phú Quý", "kind": "dac_khu"}, format="json"
    )
    plain = client.post("/api/v1/communes/", {"code": "25300", "name": "Đăk Ơ"}, format="json")

    assert (ward.json()["name"], ward.json()["kind"]) == ("Bình Lộc", "phuong")
    assert (zone.json()["name"], zone.json()["kind"]) == ("Phú Quý", "dac_khu")
    assert (plain.json()["name"], plain.json()["kind"]) == ("Đăk Ơ", "xa")
    assert Commune.objects.get(code="25213").slug == "binh-loc"
    dashboard = client.get("/api/v1/dashboard/").json()["communes"]
    assert {row["code"]: row["kind"] for row in dashboard} == {
        "25213": "phuong",
        "22915": "dac_khu",
        "25300": "xa",
    }


@pytest.mark.django_db
def test_the_schema_documents_districts(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()

    assert {"get", "post"} <= set(schema["paths"]["/api/v1/districts/"])
    assert {"get", "patch"} <= set(schema["paths"]["/api/v1/districts/{id}/"])
    assert "delete" not in schema["paths"]["/api/v1/districts/{id}/"]
    district = schema["components"]["schemas"]["District"]["properties"]
    assert set(district) == {"id", "code", "name", "kind"}
    assert "kind" in schema["components"]["schemas"]["Commune"]["properties"]


def test_the_factory_top_unit_is_a_district():
    assert DistrictFactory.build().kind == "district"


@pytest.mark.django_db
def test_a_code_taken_is_refused_in_the_words_of_any_kind(api_as, admin, district):
    response = api_as(admin).patch(
        f"/api/v1/districts/{DistrictFactory(code='75', name='Đồng Nai').pk}/",
        {"code": "691"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"code": ["Đã có huyện, tỉnh hoặc thành phố mang mã này."]}
    assert District.objects.get(code="75").name == "Đồng Nai"
