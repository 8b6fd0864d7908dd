"""/reports/: the archive, "Compile now" (form#compile-report) with its defaults, the live
progress partial, "compile again", the downloads and the district's letterhead."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from reports import jobs
from reports.models import ComplianceReport, Letterhead, ReportStatus
from tests.reports.conftest import AS_OF, COMPILED_ON, pdf_text

pytestmark = pytest.mark.usefixtures("report_data", "compiling_day")


@pytest.fixture
def client_as():
    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def post_form(client_as, django_capture_on_commit_callbacks):
    def send(user, url, data):
        with django_capture_on_commit_callbacks(execute=True):
            return client_as(user).post(url, data)

    return send


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_compile_now_works_with_its_defaults(post_form, client_as, district_leader):
    response = post_form(district_leader, "/reports/", {})
    report = ComplianceReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/reports/?report={report.pk}"
    assert (report.kind, report.format, report.as_of, report.commune) == (
        "compliance",
        "pdf",
        COMPILED_ON,
        None,
    )
    page = client_as(district_leader).get(response["Location"])
    panel = re.search(
        r'<section[^>]*id="report-progress".*?</section>', page.content.decode(), re.S
    )
    assert 'data-status="done"' in panel[0]
    assert '<progress class="report-bar" max="100" value="100"' in panel[0]
    assert "100 %" in panel[0]
    assert f'href="/reports/{report.pk}/download/"' in panel[0]
    assert "hx-get" not in panel[0]


def test_a_communes_users_compile_their_own_commune_whatever_they_send(
    post_form, officer_a, commune_a, commune_b
):
    post_form(officer_a, "/reports/", {})
    post_form(officer_a, "/reports/", {"commune": commune_b.pk, "format": "xlsx"})
    assert list(ComplianceReport.objects.order_by("pk").values_list("commune", "format")) == [
        (commune_a.pk, "pdf"),
        (commune_a.pk, "xlsx"),
    ]


def test_the_form_offers_the_communes_of_the_district_or_ones_own(
    client_as, district_staff, officer_a
):
    staff = client_as(district_staff).get("/reports/").content.decode()
    assert '<option value="" selected>Toàn huyện</option>' in staff
    assert staff.count("<option value=") == 2 + 4  # pdf, xlsx; the district and 3 communes
    own = client_as(officer_a).get("/reports/").content.decode()
    assert re.search(r'<select name="commune"[^>]*disabled', own)
    assert "Đa Kia</option>" not in own


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"as_of": "2021-08-11"}, "as_of", "Nhập ngày hợp lệ từ 01/01/2000 đến hôm nay"),
        ({"as_of": "1999-12-31"}, "as_of", "Nhập ngày hợp lệ từ 01/01/2000 đến hôm nay"),
        ({"as_of": "ngày mai"}, "as_of", "Nhập ngày theo dạng dd/mm/yyyy."),
        ({"format": "docx"}, "format", "Hãy chọn một lựa chọn hợp lệ."),
    ],
)
def test_bad_input_goes_back_on_the_form_and_nothing_is_saved(
    post_form, district_staff, data, field, message
):
    response = post_form(district_staff, "/reports/", data)
    assert response.status_code == 400
    errors = re.search(
        rf'id="id_{field}_errors">(.*?)</div>\s*</div>', response.content.decode(), re.S
    )
    assert message in errors[1]
    assert not ComplianceReport.objects.exists()


def test_the_archive_lists_every_report_newest_first(
    post_form, client_as, district_staff, officer_a
):
    post_form(district_staff, "/reports/", {"format": "xlsx", "as_of": "2021-08-09"})
    post_form(officer_a, "/reports/", {})
    ComplianceReport.objects.create(district=district_staff.profile.district, as_of=AS_OF)
    page = client_as(district_staff).get("/reports/")
    rows = re.findall(r'<tr id="report-(\d+)"', page.content.decode())
    assert rows == [
        str(pk)
        for pk in ComplianceReport.objects.order_by("-created_at", "-pk").values_list(
            "pk", flat=True
        )
    ]
    body = text(page)
    assert "01/BC-VHTT 10/08/2021 09/08/2021 toàn huyện XLSX" in body
    assert "02/BC-VHTT 10/08/2021 10/08/2021 Phú Nghĩa PDF" in body
    assert "đang chờ" in body
    # A commune's users see their commune's reports only.
    assert re.findall(
        r'<tr id="report-(\d+)"', client_as(officer_a).get("/reports/").content.decode()
    ) == [rows[1]]


def test_an_active_report_is_polled_until_it_is_done(client_as, district, district_staff):
    report = ComplianceReport.objects.create(
        district=district, as_of=AS_OF, status=ReportStatus.RUNNING, progress=40,
        heartbeat_at=timezone.now(), requested_by=district_staff,
    )  # fmt: skip
    client = client_as(district_staff)
    cell = client.get(f"/reports/{report.pk}/progress/").content.decode()
    assert f'hx-get="/reports/{report.pk}/progress/"' in cell
    assert 'hx-trigger="every 1s"' in cell and 'hx-swap="outerHTML"' in cell
    assert '<progress class="report-bar" max="100" value="40"' in cell and "40 %" in cell
    panel = client.get(f"/reports/{report.pk}/progress/?panel=1").content.decode()
    assert (
        panel.startswith("<section") and f'hx-get="/reports/{report.pk}/progress/?panel=1"' in panel
    )
    assert jobs.report_compile(report_id=report.pk) is False  # alive elsewhere
    ComplianceReport.objects.filter(pk=report.pk).update(heartbeat_at=None)
    assert jobs.report_compile(report_id=report.pk)
    done = client.get(f"/reports/{report.pk}/progress/").content.decode()
    assert "hx-get" not in done and 'data-status="done"' in done and "Tải về" in done


def test_a_stalled_or_failed_report_offers_to_compile_again(
    client_as, post_form, district, district_staff
):
    stalled = ComplianceReport.objects.create(
        district=district, as_of=AS_OF, status=ReportStatus.RUNNING, progress=55,
        heartbeat_at=timezone.now() - jobs.STALE_AFTER - datetime.timedelta(minutes=1),
    )  # fmt: skip
    failed = ComplianceReport.objects.create(
        district=district, as_of=AS_OF, status=ReportStatus.FAILED, error="Hết dung lượng đĩa."
    )
    page = client_as(district_staff).get("/reports/").content.decode()
    for report in (stalled, failed):
        cell = re.search(
            rf'<td class="report-status[^"]*" id="report-{report.pk}-status".*?</td>', page, re.S
        )[0]
        assert "hx-get" not in cell
        assert f'action="/reports/{report.pk}/compile-again/"' in cell
    assert "bị gián đoạn" in page and "Hết dung lượng đĩa." in page
    response = post_form(district_staff, f"/reports/{stalled.pk}/compile-again/", {})
    assert response.status_code == 302
    stalled.refresh_from_db()
    assert stalled.status == ReportStatus.DONE


def test_compiling_a_done_report_again_is_refused_with_a_message(
    post_form, client_as, district_staff
):
    post_form(district_staff, "/reports/", {})
    report = ComplianceReport.objects.get()
    client = client_as(district_staff)
    response = client.post(f"/reports/{report.pk}/compile-again/")
    page = client.get(response["Location"])
    assert "không cần lập lại" in text(page)
    assert ComplianceReport.objects.get().attempts == 1


def test_the_downloads_are_attachments(post_form, client_as, district_staff):
    post_form(district_staff, "/reports/", {"format": "xlsx"})
    report = ComplianceReport.objects.get()
    response = client_as(district_staff).get(f"/reports/{report.pk}/download/")
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-01-BC-VHTT-2021.xlsx"'


def test_district_staff_write_the_letterhead_and_the_next_report_carries_it(
    client_as, post_form, district, district_staff
):
    form = client_as(district_staff).get("/reports/letterhead/")
    assert 'value="Lê Văn Minh"' in form.content.decode()
    data = {
        "parent_body": "UBND huyện Bù Gia Mập",
        "issuing_body": "Phòng Văn hóa và Thông tin",
        "short_code": "VHTT",
        "place_name": "Phước Bình",
        "signer_title": "KT. Trưởng phòng",
        "signer_name": "Nguyễn Thị Lan",
        "recipients": "- Sở Thông tin và Truyền thông;\nUBND các xã;\nLưu: VT.",
    }
    assert post_form(district_staff, "/reports/letterhead/", data).status_code == 302
    letterhead = Letterhead.objects.get(district=district)
    assert letterhead.recipient_lines == [
        "Sở Thông tin và Truyền thông;",
        "UBND các xã;",
        "Lưu: VT, VHTT.",
    ]
    assert letterhead.updated_by == district_staff
    post_form(district_staff, "/reports/", {})
    pdf = " ".join(pdf_text(ComplianceReport.objects.get().file).split())
    assert "PHÒNG VĂN HÓA VÀ THÔNG TIN" in pdf
    assert "Phước Bình, ngày 10 tháng 08 năm 2021" in pdf
    assert "KT. TRƯỞNG PHÒNG" in pdf and "Nguyễn Thị Lan" in pdf
    assert "- Sở Thông tin và Truyền thông;" in pdf


def test_a_short_code_with_accents_is_refused(post_form, district_staff, district):
    data = {
        "parent_body": "UBND huyện Bù Gia Mập",
        "issuing_body": "Phòng Văn hóa - Thông tin",
        "short_code": "VHTT đ",
        "place_name": "Bù Gia Mập",
        "signer_title": "Trưởng phòng",
        "signer_name": "Lê Văn Minh",
        "recipients": "UBND các xã;",
    }
    response = post_form(district_staff, "/reports/letterhead/", data)
    assert response.status_code == 400
    assert "Dùng chữ in hoa không dấu" in text(response)
    assert Letterhead.objects.get(district=district).short_code == "VHTT"


def test_the_menu_links_to_the_reports(client_as, officer_a, district_leader):
    for user in (officer_a, district_leader):
        page = client_as(user).get("/deadlines/").content.decode()
        assert '<a class="nav-link" href="/reports/" id="nav-reports">Báo cáo</a>' in page


def test_the_page_needs_no_inline_script_or_style(client_as, district_staff):
    page = client_as(district_staff).get("/reports/").content.decode()
    assert '<script src="/static/vendor/htmx/htmx.min.js"></script>' in page
    assert "includeIndicatorStyles" in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert " style=" not in page and "<style" not in page


@pytest.mark.parametrize("count", [3, 30])
def test_the_archive_takes_the_same_queries_for_3_reports_and_for_30(
    client_as, district, district_staff, count, django_assert_num_queries
):
    for _ in range(count):
        ComplianceReport.objects.create(district=district, as_of=AS_OF, requested_by=district_staff)
    client = client_as(district_staff)
    # session, user (login), profile (scope), the bell's unread count, the communes of the
    # form, the page's count and its reports (with commune and requester).
    with django_assert_num_queries(7):
        assert client.get("/reports/").status_code == 200
