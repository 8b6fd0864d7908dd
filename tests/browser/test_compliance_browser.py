"""Done when (issue 11): the chairman (district_leader) logs in, compiles the compliance report,
watches its progress and downloads both files, the PDF and the XLSX, on the demo of Bù Gia Mập.

The worker runs eagerly in the tests, so a report asked for from the page is done by the time
the page comes back; the progress bar is watched moving on a report whose job the test drives
step by step, the page polling it through htmx as it would a worker's."""

import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone, translation

from reports import jobs
from reports.models import ComplianceReport, ReportStatus
from tests.reports.conftest import pdf_text

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def demo(live_app, settings):
    from demo.communes import seed_demo

    seed_demo(password=settings.DEMO_PASSWORD)
    return settings.DEMO_PASSWORD


@pytest.fixture
def desktop_page(browser, csp_violations):
    context = browser.new_context(
        viewport=DESKTOP, locale="en-US", timezone_id="Asia/Ho_Chi_Minh", accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.on(
        "console",
        lambda message: (
            csp_violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    context.close()


def compile_from_the_page(page, fmt: str) -> None:
    page.fill("#id_as_of", "2021-08-06")
    page.select_option("#id_format", fmt)
    with page.expect_navigation():
        page.click("#compile-submit")


def download(page, tmp_path) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.click("#report-progress .report-download")
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return info.value.suggested_filename, path.read_bytes()


def test_the_chairman_compiles_watches_and_downloads_both_files(
    live_app, demo, desktop_page, csp_violations, login, screenshot, tmp_path
):
    page = desktop_page
    login(page, live_app, "chutich", demo)
    with page.expect_navigation():
        page.click("#nav-reports")
    assert page.url.endswith(reverse("report-list"))
    assert page.inner_text("h1") == "Báo cáo kết quả"
    assert not page.is_visible("#edit-letterhead")  # the letterhead is district staff's
    screenshot(page, "compliance-01-archive")

    compile_from_the_page(page, "pdf")
    panel = page.locator("#report-progress")
    assert panel.get_attribute("data-status") == "done"
    assert panel.locator(".report-percent").inner_text() == "100 %"
    assert panel.locator("progress").get_attribute("value") == "100"
    assert "Báo cáo số 01/BC-VHTT" in panel.inner_text()
    screenshot(page, "compliance-02-pdf-done")
    name, content = download(page, tmp_path)
    # Dated the day it is compiled: today.
    year = timezone.localdate().year
    assert name == f"bao-cao-01-BC-VHTT-{year}.pdf"
    assert content.startswith(b"%PDF-")
    text = pdf_text(tmp_path / name)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Bình Thắng" in text

    compile_from_the_page(page, "xlsx")
    assert page.locator("#report-progress").get_attribute("data-status") == "done"
    name, content = download(page, tmp_path)
    assert name == f"bao-cao-02-BC-VHTT-{year}.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert "Các xã" in book.sheetnames
    rows = [row[1].value for row in book["Các xã"].iter_rows(min_row=2)]
    assert "Phước Minh" in rows and "Tổng cộng" in rows
    table = page.locator("#report-table tbody tr")
    assert table.count() == 2
    assert "02/BC-VHTT" in table.first.inner_text()
    screenshot(page, "compliance-03-xlsx-done")
    assert csp_violations == []


def test_the_progress_bar_moves_as_the_worker_goes(
    live_app, demo, desktop_page, csp_violations, login, screenshot
):
    """A worker's report, driven here step by step: the page polls the partial every second
    and the bar follows, then the download appears."""
    page = desktop_page
    chairman = get_user_model().objects.get(username="chutich")
    report = ComplianceReport.objects.create(
        district=chairman.profile.district, as_of="2021-08-06", requested_by=chairman
    )
    claim = jobs.report_claim(report.pk)
    progress = jobs.Progress(report.pk, claim)
    progress(20)
    login(page, live_app, "chutich", demo)
    page.goto(f"{live_app.url}{reverse('report-list')}?report={report.pk}")
    panel = page.locator("#report-progress")
    assert panel.get_attribute("data-status") == "running"
    assert panel.locator(".report-percent").inner_text() == "20 %"
    screenshot(page, "compliance-04-running-20")

    progress(65)
    page.wait_for_selector("#report-progress .report-percent:text-is('65 %')")
    assert page.locator(f"#report-{report.pk}-status .report-percent").inner_text() == "65 %"
    screenshot(page, "compliance-05-running-65")

    with translation.override("vi"):
        assert jobs.report_compile_claimed(report_id=report.pk, claim=claim)
    page.wait_for_selector("#report-progress[data-status=done]")
    assert page.locator("#report-progress .report-percent").inner_text() == "100 %"
    assert page.is_visible("#report-progress .report-download")
    assert ComplianceReport.objects.get(pk=report.pk).status == ReportStatus.DONE
    screenshot(page, "compliance-06-done")
    assert csp_violations == []
