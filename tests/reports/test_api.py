"""/api/v1/reports/ (docs/rules.md, Contract): POST → 202 {id, status}; the archive newest first;
a report's fields; the download by token or session, as an attachment; bad input → 400 in
Vietnamese, nothing saved."""

import datetime

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from reports.models import ComplianceReport, ReportStatus
from tests.reports.conftest import AS_OF, COMPILED_ON

pytestmark = pytest.mark.usefixtures("report_data", "compiling_day")


@pytest.fixture
def post(api_as, django_capture_on_commit_callbacks):
    def send(user, body):
        with django_capture_on_commit_callbacks(execute=True):
            return api_as(user).post("/api/v1/reports/", body, format="json")

    return send


def test_the_chairman_asks_for_a_report_and_gets_202(post, district_leader):
    response = post(district_leader, {"kind": "compliance", "format": "pdf", "as_of": "2021-08-09"})
    assert response.status_code == 202
    report = ComplianceReport.objects.get()
    # Queued once the request's transaction commits: the answer says it waits for a worker.
    assert response.json() == {"id": report.pk, "status": "pending"}
    assert (report.requested_by, report.as_of, report.commune) == (district_leader, AS_OF, None)
    assert report.status == "done"


def test_a_report_says_how_it_is_getting_on(post, api_as, district_staff):
    report_id = post(district_staff, {"format": "xlsx", "as_of": "2021-08-09"}).json()["id"]
    body = api_as(district_staff).get(f"/api/v1/reports/{report_id}/").json()
    assert body == {
        "id": report_id,
        "kind": "compliance",
        "format": "xlsx",
        "as_of": "2021-08-09",
        "commune": None,
        "number": "01/BC-VHTT",
        "status": "done",
        "progress": 100,
        "requested_by": district_staff.pk,
        "created_at": body["created_at"],
        "download_url": f"http://testserver/api/v1/reports/{report_id}/download/",
        "issued_on": COMPILED_ON.isoformat(),
        "error": "",
    }
    assert body["created_at"].startswith("2021-08-10T15:30")


def test_a_pending_report_has_no_download_yet(api_as, district, district_staff):
    report = ComplianceReport.objects.create(district=district, as_of=AS_OF)
    body = api_as(district_staff).get(f"/api/v1/reports/{report.pk}/").json()
    assert (body["status"], body["progress"], body["download_url"], body["number"]) == (
        "pending",
        0,
        None,
        "",
    )


def test_the_archive_is_listed_newest_first(post, api_as, district_staff):
    ids = [post(district_staff, {"format": fmt}).json()["id"] for fmt in ("pdf", "xlsx", "pdf")]
    body = api_as(district_staff).get("/api/v1/reports/").json()
    assert [row["id"] for row in body["results"]] == ids[::-1]
    assert body["count"] == 3


def test_the_defaults_are_a_pdf_of_the_district_as_of_today(post, district_staff):
    assert post(district_staff, {}).status_code == 202
    report = ComplianceReport.objects.get()
    assert (report.kind, report.format, report.as_of, report.commune) == (
        "compliance",
        "pdf",
        COMPILED_ON,
        None,
    )


def test_a_communes_users_get_their_own_communes_report(post, officer_a, commune_a):
    assert post(officer_a, {"format": "pdf"}).status_code == 202
    assert post(officer_a, {"format": "pdf", "commune": commune_a.pk}).status_code == 202
    assert set(ComplianceReport.objects.values_list("commune", flat=True)) == {commune_a.pk}


def test_district_staff_compile_one_communes_report(post, district_staff, commune_b):
    assert post(district_staff, {"commune": commune_b.pk}).status_code == 202
    assert ComplianceReport.objects.get().commune == commune_b


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"format": "docx"}, "format", '"docx" không phải là một lựa chọn hợp lệ.'),
        ({"kind": "budget"}, "kind", '"budget" không phải là một lựa chọn hợp lệ.'),
        ({"as_of": "2021-08-11"}, "as_of", "Nhập ngày hợp lệ từ 01/01/2000 đến hôm nay"),
        ({"as_of": "1999-12-31"}, "as_of", "Nhập ngày hợp lệ từ 01/01/2000 đến hôm nay"),
        ({"as_of": "09/08/2021x"}, "as_of", "Ngày sai định dạng"),
        ({"commune": 999999}, "commune", "không hợp lệ - đối tượng không tồn tại"),
    ],
)
def test_bad_input_is_a_400_in_vietnamese_and_nothing_is_saved(
    post, district_staff, body, field, message
):
    response = post(district_staff, body)
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert message in response.json()[field][0]
    assert not ComplianceReport.objects.exists()


def test_another_communes_report_is_refused_to_a_communes_user(post, officer_a, commune_b):
    response = post(officer_a, {"commune": commune_b.pk})
    assert response.status_code == 400
    assert "không hợp lệ - đối tượng không tồn tại" in response.json()["commune"][0]
    assert not ComplianceReport.objects.exists()


def test_a_commune_of_another_district_is_refused(post, district_staff):
    from tests.factories import CommuneFactory, DistrictFactory

    elsewhere = CommuneFactory(district=DistrictFactory(code="692", name="Bù Đăng"))
    response = post(district_staff, {"commune": elsewhere.pk})
    assert response.status_code == 400
    assert list(response.json()) == ["commune"]


@pytest.mark.parametrize("auth", ["token", "session"])
def test_the_download_answers_token_and_session_auth_as_an_attachment(post, district_leader, auth):
    report_id = post(district_leader, {"format": "pdf"}).json()["id"]
    client = APIClient()
    if auth == "token":
        token, _ = Token.objects.get_or_create(user=district_leader)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    else:
        client.force_login(district_leader)
    response = client.get(f"/api/v1/reports/{report_id}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-01-BC-VHTT-2021.pdf"'
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_the_xlsx_downloads_with_its_type(post, district_staff, api_as):
    report_id = post(district_staff, {"format": "xlsx"}).json()["id"]
    response = api_as(district_staff).get(f"/api/v1/reports/{report_id}/download/")
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].startswith("attachment; ")


def test_a_report_without_its_file_yet_is_not_found_for_download(api_as, district, district_staff):
    report = ComplianceReport.objects.create(district=district, as_of=AS_OF)
    assert api_as(district_staff).get(f"/api/v1/reports/{report.pk}/download/").status_code == 404


def test_a_failed_report_shows_its_reason_and_is_compiled_again(
    api_as, district, district_staff, django_capture_on_commit_callbacks
):
    report = ComplianceReport.objects.create(
        district=district, as_of=AS_OF, status=ReportStatus.FAILED, error="Hết dung lượng đĩa."
    )
    client = api_as(district_staff)
    assert client.get(f"/api/v1/reports/{report.pk}/").json()["error"] == "Hết dung lượng đĩa."
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/reports/{report.pk}/compile-again/")
    assert response.status_code == 202
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE
    # A done report has nothing to compile again.
    again = client.post(f"/api/v1/reports/{report.pk}/compile-again/")
    assert again.status_code == 400
    assert "không cần lập lại" in again.json()["non_field_errors"][0]


def test_a_pdf_beyond_the_bound_is_a_400_that_points_to_the_xlsx(post, district_staff, monkeypatch):
    from reports import jobs

    monkeypatch.setattr(jobs, "PDF_MAX_COMMUNES", 2)
    response = post(district_staff, {"format": "pdf"})
    assert response.status_code == 400
    assert "XLSX" in response.json()["format"][0]
    assert post(district_staff, {"format": "xlsx"}).status_code == 202


def test_the_schema_describes_the_reports(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    assert "/api/v1/reports/" in schema["paths"]
    assert "/api/v1/reports/{id}/download/" in schema["paths"]
    assert "202" in schema["paths"]["/api/v1/reports/"]["post"]["responses"]


def test_an_old_date_is_fine(post, district_staff):
    assert post(district_staff, {"as_of": "2000-01-01"}).status_code == 202
    assert ComplianceReport.objects.get().as_of == datetime.date(2000, 1, 1)
