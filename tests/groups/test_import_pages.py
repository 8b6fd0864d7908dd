import io

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from openpyxl import load_workbook

from communes.models import Village
from groups.models import MemberCount
from tests.factories import GroupFactory, VillageFactory
from tests.groups.import_files import COUNT_HEADER, VILLAGE_HEADER, csv_upload, xlsx_upload

pytestmark = pytest.mark.django_db


def villages_url(commune):
    return reverse("import-villages", kwargs={"code": commune.code})


def counts_url(commune):
    return reverse("import-member-counts", kwargs={"code": commune.code})


def good_villages():
    return csv_upload([VILLAGE_HEADER, ["Thôn 1", "thôn", 250, 1000, 600]])


@pytest.mark.parametrize("actor", ["officer_a", "leader_a", "district_staff"])
def test_the_page_shows_the_form_and_the_columns(client, request, commune_a, actor):
    client.force_login(request.getfixturevalue(actor))
    response = client.get(villages_url(commune_a))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nhập danh sách thôn" in page
    assert 'enctype="multipart/form-data"' in page
    assert "<code>smartphone_users</code>" in page
    assert reverse("import-template", kwargs={"kind": "villages", "fmt": "xlsx"}) in page


@pytest.mark.parametrize(
    ("actor", "status"),
    [("district_leader", 403), ("officer_b", 404)],
)
@pytest.mark.parametrize("url", [villages_url, counts_url])
def test_refused_roles(client, request, commune_a, actor, status, url):
    client.force_login(request.getfixturevalue(actor))
    assert client.get(url(commune_a)).status_code == status
    response = client.post(url(commune_a), {"file": good_villages()})
    assert response.status_code == status
    assert not Village.objects.exists()


def test_district_staff_of_another_district_gets_404(client, commune_a):
    from communes.models import Role
    from tests.factories import DistrictFactory, make_user

    outsider = make_user(Role.DISTRICT_STAFF, district=DistrictFactory(code="999", name="Khác"))
    client.force_login(outsider)
    assert client.get(villages_url(commune_a)).status_code == 404


def test_anonymous_is_sent_to_login(client, commune_a):
    response = client.post(villages_url(commune_a), {"file": good_villages()})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not Village.objects.exists()


@pytest.mark.parametrize("actor", ["officer_a", "district_staff"])
def test_success_goes_to_the_commune_page_with_the_counts(client, request, commune_a, actor):
    VillageFactory(commune=commune_a, name="Thôn 2", households=10)
    client.force_login(request.getfixturevalue(actor))
    upload = xlsx_upload(
        [VILLAGE_HEADER, ["Thôn 1", "thôn", 250, 1000, 600], ["Thôn 2", "thôn", 20, 80, 40]]
    )
    response = client.post(villages_url(commune_a), {"file": upload})
    assert response.status_code == 302
    assert response.url == reverse("commune-detail", kwargs={"code": commune_a.code})
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Đã nhập thôn: 1 thôn mới, 1 thôn được cập nhật, 0 thôn không đổi."
    ]
    assert Village.objects.filter(commune=commune_a).count() == 2


def test_member_counts_page_success(client, officer_a, commune_a):
    GroupFactory(village=VillageFactory(commune=commune_a, name="Thôn 1"), name="Nhóm 1")
    client.force_login(officer_a)
    upload = csv_upload([COUNT_HEADER, ["Thôn 1", "Nhóm 1", "06/08/2021", 120]], bom=True)
    response = client.post(counts_url(commune_a), {"file": upload})
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Đã nhập số thành viên: 1 số liệu."
    ]
    assert MemberCount.objects.get().members == 120


def test_errors_are_listed_by_row_and_column_and_nothing_is_saved(client, officer_a, commune_a):
    client.force_login(officer_a)
    upload = csv_upload(
        [
            VILLAGE_HEADER,
            ["Thôn 1", "thôn", 250, 1000, 600],
            ["Thôn 2", "thôn", 250, 1000, 600],
            ["Thôn 3", "thôn", 250, 1000, 600],
            ["Thôn 4", "thôn", -3, 1000, 600],
        ]
    )
    response = client.post(villages_url(commune_a), {"file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Chưa nhập dữ liệu nào: tệp có 1 lỗi." in page
    assert (
        "<td>5</td>\n            <td>households</td>\n"
        "            <td>phải là số nguyên không âm.</td>"
    ) in page
    assert not Village.objects.exists()


def test_posting_without_a_file_says_so(client, officer_a, commune_a):
    client.force_login(officer_a)
    response = client.post(villages_url(commune_a), {})
    assert "Hãy chọn tệp CSV hoặc Excel (.xlsx) để nhập." in response.content.decode()


def test_the_page_comes_out_in_english_when_chosen(client, officer_a, commune_a, settings):
    client.force_login(officer_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    upload = csv_upload([VILLAGE_HEADER, ["Thôn 1", "thôn", "x", 1, 1]])
    page = client.post(villages_url(commune_a), {"file": upload}).content.decode()
    assert "Import villages" in page
    assert "must be a non-negative whole number." in page


def test_csv_template_has_the_header_and_an_example(client, officer_a):
    client.force_login(officer_a)
    response = client.get(reverse("import-template", kwargs={"kind": "villages", "fmt": "csv"}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="villages-template.csv"'
    assert response.content.decode("utf-8") == (
        "\ufeffname,kind,households,residents,smartphone_users\r\nThôn 1,thôn,250,1000,600\r\n"
    )


def test_xlsx_template_has_the_example_and_a_sheet_of_instructions(client, officer_a):
    client.force_login(officer_a)
    response = client.get(
        reverse("import-template", kwargs={"kind": "member-counts", "fmt": "xlsx"})
    )
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    data, guide = workbook.worksheets
    rows = list(data.iter_rows(values_only=True))
    assert rows[0] == ("village", "group", "date", "members")
    assert rows[1][:2] == ("Thôn 1", "Nhóm tin thôn 1")
    assert rows[1][2].date().isoformat() == "2021-08-06"
    assert guide.title == "Hướng dẫn"
    assert [row[0] for row in guide.iter_rows(min_row=2, max_row=5, values_only=True)] == list(
        COUNT_HEADER
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_filled_template_imports(client, officer_a, commune_a, fmt):
    """The template as downloaded is a valid file: its example row is imported."""
    client.force_login(officer_a)
    template = client.get(reverse("import-template", kwargs={"kind": "villages", "fmt": fmt}))
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(f"villages.{fmt}", template.content)
    response = client.post(villages_url(commune_a), {"file": upload})
    assert response.status_code == 302
    village = Village.objects.get(commune=commune_a)
    assert (village.name, village.kind, village.households) == ("Thôn 1", "thon", 250)


def test_unknown_template_kind_is_404(client, officer_a):
    client.force_login(officer_a)
    assert client.get("/import/templates/officers.csv").status_code == 404
    assert client.get("/import/templates/villages.ods").status_code == 404


def test_templates_need_a_login(client):
    response = client.get(reverse("import-template", kwargs={"kind": "villages", "fmt": "csv"}))
    assert response.status_code == 302
