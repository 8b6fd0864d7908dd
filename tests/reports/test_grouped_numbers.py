"""The compliance report writes numbers by the portal's one rule (Django's number_format with
bmp_comms/formats): 1.150/23.244 hộ in the Vietnamese document whatever the language of the
page that asked for it; the archive keeps report ids above a thousand whole in its rows, its
polling and its links."""

import io
import re

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone, translation

from reports.models import ComplianceReport, ReportStatus
from reports.narrative import narrative
from tests.ids import FIRST_ID, grouped_identifiers
from tests.reports.conftest import AS_OF
from tests.reports.test_content import content_of

pytestmark = pytest.mark.usefixtures("compiling_day")


def test_a_report_asked_for_in_english_writes_vietnamese_numbers(
    report_data, compile_report, district_staff
):
    with translation.override("en"):
        report = compile_report(district_staff, fmt="xlsx")
    assert report.status == ReportStatus.DONE
    sheet = openpyxl.load_workbook(io.BytesIO(report.file.read()))["Tổng hợp"]
    rows = [[cell for cell in row] for row in sheet.iter_rows()]
    lines = [row[1].value for row in rows if row[0].value is None and row[1].value]
    assert any("1.150/23.244 hộ" in line for line in lines)
    (households,) = [row[1] for row in rows if row[0].value == "Số hộ"]
    assert (households.value, households.number_format) == (23244, "#,##0")
    (coverage,) = [row[1] for row in rows if row[0].value == "Tỷ lệ bao phủ (%)"]
    assert (coverage.value, coverage.number_format) == (4.9, "0.0")


def test_the_narrative_follows_the_language_it_is_written_in(report_data, district):
    content = content_of(district)
    with translation.override("vi"):
        vietnamese = " ".join(narrative(content).overview)
    with translation.override("en"):
        english = " ".join(narrative(content).overview)
    assert "1.150/23.244 hộ" in vietnamese and "tỷ lệ bao phủ 4,9\u00a0%" in vietnamese
    assert "reach 1,150 of 23,244 households, a coverage of 4.9\u00a0%" in english


def test_the_archive_keeps_report_ids_whole(high_ids, district, district_staff):
    running = ComplianceReport.objects.create(
        district=district, as_of=AS_OF, status=ReportStatus.RUNNING, progress=40,
        heartbeat_at=timezone.now(), requested_by=district_staff,
    )  # fmt: skip
    failed = ComplianceReport.objects.create(
        district=district, as_of=AS_OF, status=ReportStatus.FAILED, error="Hết dung lượng đĩa."
    )
    assert running.pk >= FIRST_ID and failed.pk > running.pk
    client = Client()
    client.force_login(district_staff)
    page = client.get("/reports/").content.decode()
    assert re.findall(r'<tr id="report-(\d+)" data-report="(\d+)">', page) == [
        (str(failed.pk), str(failed.pk)),
        (str(running.pk), str(running.pk)),
    ]
    assert f'id="report-{running.pk}-status"' in page
    assert f'hx-get="/reports/{running.pk}/progress/"' in page
    assert f'action="/reports/{failed.pk}/compile-again/"' in page
    assert grouped_identifiers(page) == []
    panel = client.get(f"/reports/{running.pk}/progress/?panel=1").content.decode()
    assert f'data-report="{running.pk}"' in panel and 'hx-trigger="every 1s"' in panel
    assert grouped_identifiers(panel) == []
