import pytest
from rest_framework.test import APIClient

from communes.models import Village
from groups.models import MemberCount
from tests.factories import GroupFactory, MemberCountFactory, VillageFactory
from tests.groups.import_files import COUNT_HEADER, VILLAGE_HEADER, csv_upload, xlsx_upload

pytestmark = pytest.mark.django_db


def villages_url(commune):
    return f"/api/v1/communes/{commune.pk}/import/villages/"


def counts_url(commune):
    return f"/api/v1/communes/{commune.pk}/import/member-counts/"


def good_villages():
    return csv_upload([VILLAGE_HEADER, ["Thôn 1", "thôn", 250, 1000, 600]])


@pytest.mark.parametrize("actor", ["officer_a", "leader_a", "district_staff"])
def test_villages_created_and_updated(api_as, request, commune_a, actor):
    VillageFactory(commune=commune_a, name="Thôn 2", households=10)
    upload = xlsx_upload(
        [VILLAGE_HEADER, ["Thôn 1", "thôn", 250, 1000, 600], ["Thôn 2", "ấp", 20, 80, 40]]
    )
    response = api_as(request.getfixturevalue(actor)).post(
        villages_url(commune_a), {"file": upload}, format="multipart"
    )
    assert response.status_code == 201
    assert response.json() == {"created": 1, "updated": 1, "unchanged": 0}
    assert Village.objects.get(commune=commune_a, name="Thôn 2").kind == "ap"


def test_member_counts_created(api_as, officer_a, commune_a):
    village = VillageFactory(commune=commune_a, name="Thôn 1")
    GroupFactory(village=village, name="Nhóm 1")
    GroupFactory(village=village, name="Nhóm 2")
    upload = csv_upload(
        [
            COUNT_HEADER,
            ["Thôn 1", "Nhóm 1", "01/08/2021", 100],
            ["Thôn 1", "Nhóm 2", "01/08/2021", 50],
            ["Thôn 1", "Nhóm 1", "06/08/2021", 120],
        ]
    )
    response = api_as(officer_a).post(counts_url(commune_a), {"file": upload}, format="multipart")
    assert response.status_code == 201
    assert response.json() == {"created": 3, "updated": 0}
    assert sum(MemberCount.objects.values_list("members", flat=True)) == 270


def test_errors_name_row_and_column_and_nothing_is_saved(api_as, officer_a, commune_a):
    village = VillageFactory(commune=commune_a, name="Thôn 1")
    group = GroupFactory(village=village, name="Nhóm 1")
    MemberCountFactory(group=group, date="2021-08-01", members=90)
    upload = csv_upload(
        [
            COUNT_HEADER,
            ["Thôn 1", "Nhóm 1", "02/08/2021", 100],
            ["Thôn 1", "Nhóm 1", "01/08/2021", 100],
            ["Thôn 1", "Nhóm 1", "03/08/2021", "một trăm"],
        ]
    )
    response = api_as(officer_a).post(counts_url(commune_a), {"file": upload}, format="multipart")
    assert response.status_code == 400
    assert response.json()["file"] == [
        "Dòng 3, cột date: nhóm này đã có số liệu của ngày này; "
        "hãy sửa số liệu đó thay vì nhập mới.",
        "Dòng 4, cột members: phải là số nguyên không âm.",
    ]
    assert response.json() == {
        "file": response.json()["file"],
        "errors": [
            {
                "row": 3,
                "column": "date",
                "message": "nhóm này đã có số liệu của ngày này; "
                "hãy sửa số liệu đó thay vì nhập mới.",
            },
            {"row": 4, "column": "members", "message": "phải là số nguyên không âm."},
        ],
    }
    assert MemberCount.objects.count() == 1


def test_a_nul_character_in_a_cell_is_named_and_nothing_is_saved(api_as, officer_a, commune_a):
    # PostgreSQL can neither store nor compare a string holding NUL: the cell is refused.
    village = VillageFactory(commune=commune_a, name="Thôn 1")
    GroupFactory(village=village, name="Nhóm 1")
    client = api_as(officer_a)
    villages = csv_upload([VILLAGE_HEADER, ["Thôn\x001", "thôn", 250, 1000, 600]])
    response = client.post(villages_url(commune_a), {"file": villages}, format="multipart")
    assert response.status_code == 400
    assert response.json()["file"] == ["Dòng 2, cột name: không được chứa ký tự null."]
    counts = csv_upload([COUNT_HEADER, ["Thôn 1", "Nhóm\x001", "02/08/2021", 100]])
    response = client.post(counts_url(commune_a), {"file": counts}, format="multipart")
    assert response.status_code == 400
    assert response.json()["file"] == ["Dòng 2, cột group: không được chứa ký tự null."]
    assert list(Village.objects.values_list("name", flat=True)) == ["Thôn 1"]
    assert not MemberCount.objects.exists()


def test_file_problems_have_no_row(api_as, officer_a, commune_a):
    client = api_as(officer_a)
    response = client.post(villages_url(commune_a), {}, format="multipart")
    assert response.status_code == 400
    assert response.json() == {
        "file": ["Hãy chọn tệp CSV hoặc Excel (.xlsx) để nhập."],
        "errors": [
            {"row": None, "column": None, "message": "Hãy chọn tệp CSV hoặc Excel (.xlsx) để nhập."}
        ],
    }
    response = client.post(
        villages_url(commune_a), {"file": csv_upload([["name", "kind"]])}, format="multipart"
    )
    assert [(e["row"], e["column"]) for e in response.json()["errors"]] == [
        (1, "households"),
        (1, "residents"),
        (1, "smartphone_users"),
    ]


@pytest.mark.parametrize("url", [villages_url, counts_url])
def test_district_leader_reads_but_may_not_import(api_as, district_leader, commune_a, url):
    response = api_as(district_leader).post(url(commune_a), {"file": good_villages()})
    assert response.status_code == 403
    assert not Village.objects.exists()


@pytest.mark.parametrize("url", [villages_url, counts_url])
def test_officer_of_another_commune_gets_404(api_as, officer_b, commune_a, url):
    response = api_as(officer_b).post(url(commune_a), {"file": good_villages()})
    assert response.status_code == 404
    assert not Village.objects.exists()


def test_unknown_commune_is_404(api_as, district_staff):
    response = api_as(district_staff).post("/api/v1/communes/999999/import/villages/", {})
    assert response.status_code == 404


@pytest.mark.parametrize("url", [villages_url, counts_url])
def test_anonymous_is_refused(commune_a, url):
    response = APIClient().post(url(commune_a), {"file": good_villages()})
    # The project's token authentication comes first: 401 with its challenge.
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "Chưa cung cấp thông tin xác thực."}
    assert not Village.objects.exists()


def test_token_auth_works(commune_a, officer_a):
    from rest_framework.authtoken.models import Token

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=officer_a).key}")
    response = client.post(villages_url(commune_a), {"file": good_villages()})
    assert response.status_code == 201


def test_get_is_not_allowed(api_as, officer_a, commune_a):
    assert api_as(officer_a).get(villages_url(commune_a)).status_code == 405


def test_the_schema_describes_the_imports(client):
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/communes/{id}/import/villages/" in schema
    assert "communes_import_member_counts" in schema


def test_a_workbook_with_a_dtd_entity_is_a_400(api_as, officer_a, commune_a):
    from tests.groups.import_files import raw_upload
    from tests.groups.test_import_files import workbook_with_entity

    response = api_as(officer_a).post(
        villages_url(commune_a),
        {"file": raw_upload(workbook_with_entity('"boom"'), "v.xlsx")},
        format="multipart",
    )
    assert response.status_code == 400
    assert "Excel (.xlsx)" in str(response.json())
    assert not Village.objects.filter(commune=commune_a).exists()
