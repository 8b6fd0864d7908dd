"""Issue #18, item 6, done when: on a 360-px phone each page's key figure is on screen without
scrolling sideways, no table cell is laid out one word per line, and every action (download,
confirm, compile, submit) can be reached; on the dashboard, the deadlines, a deadline's page,
the inspections and the report archive, with long commune names and several rows; the
commune page and the bulletins are checked the same way.

What the page looks like is measured in the browser (tests/browser/layout.js) and kept as a
screenshot of the whole page (test-artifacts/screenshots/phone-tables-*.png)."""

import datetime
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from bulletins import services as bulletins
from bulletins.publishing import bulletin_publish
from communes.models import FieldAssignment, Role
from deadlines.models import Submission
from deadlines.reminders import reminders_send_due
from deadlines.services import inspection_record
from reports.models import ComplianceReport, ReportFormat, ReportStatus
from tests.browser.helpers import PHONE
from tests.factories import (
    BluzoneCountFactory,
    CommuneFactory,
    DeadlineFactory,
    DistrictFactory,
    GroupFactory,
    MemberCountFactory,
    VillageFactory,
    make_user,
)

pytestmark = pytest.mark.browser

MEASURE = (Path(__file__).parent / "layout.js").read_text()
# The longest names a district may give, and a few short ones: a table's worst and its usual.
NAMES = [
    "Đắk Ơ Biên Giới Phía Bắc Sông Bé",
    "Bình Thắng Liên Kết Ba Bon Đồng Bào",
    "Phú Nghĩa Thượng Nguồn Mở Rộng",
    "Bù Gia Mập Đông Nam Vùng Cao",
    "Đức Hạnh Nam Sông Bé",
    "Thị trấn Thanh Bình",
    "Phước Minh",
    "Đa Kia",
    "Phú Văn",
]
LONG = NAMES[0]
NOTE = (
    "Đã thành lập đủ nhóm tin cho các thôn, ấp, bon; hai quản trị viên chờ tập huấn đợt sau, "
    "số liệu Bluzone cập nhật đến hết tuần."
)
FINDINGS = (
    "Ba thôn chưa có nhóm tin chính thức; quản trị viên nhóm bon Bù Dinh chưa được tập huấn; "
    "số hộ tham gia nhóm thấp hơn báo cáo của xã."
)


def local(day: int, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2021, 8, day, hour, 15))


@pytest.fixture
def district(live_app, settings, tmp_path):
    """Nine communes, most with long names, their villages and groups; a deadline of 606/UBND-VX
    (three on time, three late, one with an attachment) and the reminders of 09/08 to the three
    missing, a closed one nobody reported to, four inspections, an archive of five reports and
    three bulletins of the first commune."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    district = DistrictFactory()
    communes = []
    for n, name in enumerate(NAMES):
        commune = CommuneFactory(district=district, code=f"252{n:02d}", name=name, slug=f"c{n}")
        communes.append(commune)
        for v in range(2 + n % 2):
            village = VillageFactory(
                commune=commune, name=f"Thôn {name.split()[0]} {v + 1}", households=150 + 40 * v
            )
            if (n + v) % 3:
                group = GroupFactory(village=village, admin_trained=bool(v % 2))
                MemberCountFactory(group=group, date=datetime.date(2021, 8, 1), members=90 + n)
                BluzoneCountFactory(village=village, date=datetime.date(2021, 8, 1), installs=60)
    staff = make_user(
        Role.DISTRICT_STAFF, district=district, username="vhtt", first_name="Phòng VH-TT"
    )
    chairman = make_user(
        Role.DISTRICT_LEADER, district=district, username="chutich", first_name="Chủ tịch"
    )
    officer = make_user(
        Role.COMMUNE_OFFICER, commune=communes[0], username="xa-dak-o", first_name="Lê Thị Hoa"
    )

    deadline = DeadlineFactory(
        district=district,
        title="Báo cáo kết quả thành lập nhóm tin thôn, ấp, bon và cài đặt Bluzone quý III",
        communes=communes,
    )
    DeadlineFactory(
        district=district,
        title="Báo cáo số lượt cài đặt Bluzone tháng 8 năm 2021",
        directive="",
        due_date=datetime.date(2021, 8, 9),
        closed_on=datetime.date(2021, 8, 10),
        communes=communes,
    )
    for n, commune in enumerate(communes[1:7]):
        submission = Submission.objects.create(
            deadline=deadline,
            commune=commune,
            submitted_at=local(4 + n, 9),  # 04/08 … 09/08: the last three late
            note=NOTE,
            submitted_by=staff if n % 2 else None,
        )
        if n == 0:
            submission.attachment.save("bao-cao.pdf", ContentFile(b"%PDF-1.4\n"))

    for n, commune in enumerate(communes[:4]):
        inspection_record(
            actor=staff,
            commune=commune,
            date=datetime.date(2021, 8, 10 + n),
            inspector="Nguyễn Thị Thanh Hương, Phòng Văn hóa – Thông tin",
            findings=FINDINGS,
            follow_up_due=datetime.date(2021, 9, 10) if n % 2 == 0 else None,
        )

    reminders_send_due(day=datetime.date(2021, 8, 9))

    FieldAssignment.objects.create(commune=communes[0], field_id="y-te", officer=officer.officer)
    for n in range(3):
        bulletin = bulletins.bulletin_create(
            commune=communes[0],
            author=officer,
            field="y-te",
            title=f"Thông báo lịch tiêm vắc xin phòng Covid-19 mũi {n + 1} tại Trạm Y tế xã",
            body="Trạm Y tế xã tiêm vắc xin ngày 12/8/2021 tại Hội trường UBND xã.",
            source="Trung tâm Y tế huyện Bù Gia Mập",
        )
        if n:
            bulletins.bulletin_submit(bulletin=bulletin, actor=officer)
    # The last, published to the commune's two groups by hand: two posts to confirm.
    GroupFactory(
        village=communes[0].villages.first(),
        name="Nhóm Zalo thông tin chính thức thôn Đắk Ơ Biên Giới",
        invite_url="https://zalo.me/g/dakobiengioi",
    )
    leader = make_user(Role.COMMUNE_LEADER, commune=communes[0], username="ct-dak-o")
    bulletins.bulletin_approve(bulletin=bulletin, actor=leader)
    bulletin_publish(bulletin=bulletin, actor=leader)

    today = timezone.localdate()
    for n, (fmt, status, commune) in enumerate(
        [
            (ReportFormat.PDF, ReportStatus.DONE, None),
            (ReportFormat.XLSX, ReportStatus.DONE, None),
            (ReportFormat.PDF, ReportStatus.DONE, communes[1]),
            (ReportFormat.PDF, ReportStatus.FAILED, None),
            (ReportFormat.XLSX, ReportStatus.PENDING, communes[0]),
        ],
        start=1,
    ):
        report = ComplianceReport(
            district=district,
            commune=commune,
            format=fmt,
            status=status,
            as_of=datetime.date(2021, 8, 6),
            requested_by=chairman,
            number_year=today.year,
            number_seq=n,
            number=f"{n:02d}/BC-VHTT",
            issued_on=today,
            created_at=timezone.now() - datetime.timedelta(hours=n),
        )
        if status == ReportStatus.DONE:
            report.progress = 100
            report.file.save(f"bao-cao-{n}.{fmt}", ContentFile(b"report"), save=False)
        if status == ReportStatus.FAILED:
            report.error = "Máy chủ lập báo cáo đã dừng khi đang ghi tệp PDF; hãy lập lại báo cáo."
        report.save()
    return {"communes": communes, "deadline": deadline, "bulletin": bulletin}


def dashboard(district):
    return f"{reverse('dashboard')}?date=2021-08-06"


def deadlines(district):
    return f"{reverse('deadline-list')}?date=2021-08-10"


def deadline(district):
    return f"{reverse('deadline-detail', args=[district['deadline'].pk])}?date=2021-08-10"


def inspections(district):
    return reverse("inspection-list")


def reports(district):
    return f"{reverse('report-list')}?report={ComplianceReport.objects.order_by('pk')[0].pk}"


def commune(district):
    return f"{reverse('commune-detail', args=[district['communes'][0].code])}?date=2021-08-06"


def reminders(district):
    return f"{reverse('reminder-list')}?deadline={district['deadline'].pk}"


def bulletin_list(district):
    return reverse("bulletin-list")


def bulletin(district):
    return reverse("bulletin-detail", args=[district["bulletin"].pk])


# Whatever a person taps in the page: every one of them must be on screen, wherever it is.
EVERY_ACTION = "main a.btn, main button, main table a, main .page-link"
# (screenshot name, who, page, the key figures, the actions it must have, rows shown, a figure
# and what it reads)
PAGES = [
    (
        "dashboard",
        "vhtt",
        dashboard,
        "#commune-table tbody [data-col=without_group], #commune-table tbody [data-col=coverage],"
        " #commune-table tbody [data-col=bluzone]",
        "#export-csv, #export-xlsx, #date-submit, #search-submit",
        ("#commune-table tbody tr", len(NAMES)),
        # Đắk Ơ: 90 members of 150 + 190 households
        ("#commune-table [data-code='25200'] [data-col=coverage]", "26,5 %"),
    ),
    (
        "deadlines-district",
        "vhtt",
        deadlines,
        "#deadline-table [data-col=rate], #deadline-table [data-col=timeliness]",
        "#new-deadline, #as-of-form button",
        ("#deadline-table tbody tr", 4),
        # 606/UBND-VX as of 10/08: 6 of 9 reported, the 3 of 04, 05 and 06/08 on time
        ("#deadline-table tr:has-text('Bluzone quý III') [data-col=timeliness]", "33,3 %\n3/9"),
    ),
    (
        "deadlines-commune",
        "xa-dak-o",
        deadlines,
        "#deadline-table [data-col=missing] .badge",
        "#deadline-table [data-col=missing] a.btn",
        ("#deadline-table tbody tr", 3),
        ("#deadline-table tr:has-text('quý III') [data-col=missing] .badge", "quá hạn 4 ngày"),
    ),
    (
        "deadline-district",
        "vhtt",
        deadline,
        "#submission-table tbody th, #submission-table tbody [data-col=on_time],"
        " #submission-table tbody td[colspan]",
        "#close-deadline, #submission-filter button, #submission-table a",
        ("#submission-table tbody tr", len(NAMES)),
        ("#submission-table [data-commune='25206'] [data-col=on_time]", "trễ hạn"),
    ),
    (
        "deadline-commune",
        "xa-dak-o",
        deadline,
        "#submission-table tbody th, #submission-table tbody td[colspan]",
        "#submit-report",
        ("#submission-table tbody tr", 1),
        ("#submission-table [data-commune='25200'] td", "chưa nộp"),
    ),
    (
        "inspections",
        "vhtt",
        inspections,
        "#inspection-table tbody [data-col=commune], #inspection-table tbody [data-col=follow_up]",
        "#new-inspection, #inspection-table a",
        ("#inspection-table tbody tr", 4),
        ("#inspection-table tbody tr >> nth=0 >> [data-col=commune]", NAMES[3]),
    ),
    (
        "reports",
        "chutich",
        reports,
        "#report-table tbody th, #report-table .report-state",
        "#report-progress .report-download, #report-table .report-download,"
        " #report-table .compile-again button, #compile-submit",
        ("#report-table tbody tr", 5),
        ("#report-table tbody tr >> nth=0 >> .report-download", "Tải về PDF"),
    ),
    (
        "reminders",
        "vhtt",
        reminders,
        "#reminder-table tbody [data-col=commune], #reminder-table tbody [data-col=kind]",
        "#reminder-filter button, #reminder-table a",
        ("#reminder-table tbody tr", 6),
        ("#reminder-table [data-kind=overdue] >> nth=0 >> [data-col=kind]", "quá hạn"),
    ),
    (
        "commune",
        "vhtt",
        commune,
        "#totals [data-total]",
        "#date-submit",
        ("#totals .col", 6),
        ("[data-total=coverage_pct]", "26,5 %"),
    ),
    (
        "bulletins",
        "xa-dak-o",
        bulletin_list,
        "#bulletin-list .bulletin-status",
        "#new-bulletin, .status-filter a",
        ("#bulletin-list li", 3),
        ("#bulletin-list li >> nth=2 >> .bulletin-status", "Bản nháp"),
    ),
    (
        "bulletin",
        "xa-dak-o",
        bulletin,
        ".delivery-row .delivery-status",
        ".confirm-form button, .delivery-row .open-group",
        (".delivery-row", 2),
        (".delivery-row >> nth=0 >> .delivery-status", "Chờ xác nhận"),
    ),
]


@pytest.mark.parametrize(
    ("name", "username", "url", "key_figures", "actions", "rows", "figure"),
    PAGES,
    ids=[page[0] for page in PAGES],
)
def test_a_page_reads_on_a_phone(
    live_app,
    district,
    phone_page,
    login,
    screenshot,
    name,
    username,
    url,
    key_figures,
    actions,
    rows,
    figure,
):
    page = phone_page
    login(page, live_app, username)
    page.goto(f"{live_app.url}{url(district)}")
    row_selector, row_count = rows
    assert page.locator(row_selector).count() == row_count
    assert page.locator(actions).count() >= 1
    selector, text = figure
    assert page.locator(selector).inner_text().strip() == text
    screenshot(page, f"phone-tables-{name}")
    found = page.evaluate(MEASURE, {"keys": key_figures, "actions": f"{actions}, {EVERY_ACTION}"})

    assert found["viewport"] == PHONE["width"]
    assert found["keys"] >= 1 and found["keys_hidden"] == []
    assert found["actions"] >= 1 and found["actions_hidden"] == []
    # Nothing to scroll sideways: neither the page nor a table's own scrolling box.
    assert found["scroll_width"] <= PHONE["width"], found["scroll_width"]
    assert found["wide_boxes"] == []
    # The key figures and every action lie between 0 and 360 px.
    assert found["keys_off_screen"] == []
    assert found["actions_off_screen"] == []
    # No text of two words or more laid out a word per line, in a cell or a text of one.
    assert found["word_per_line"] == []
    # On a phone a table's row reads as a card: every figure carries its column's name.
    assert found["unlabelled_cells"] == []


@pytest.mark.parametrize("width", [576, 1280])
def test_from_576_px_a_table_stays_a_table(live_app, district, browser, login, width):
    """The cards are for phones: from 576 px the rows are a table's rows again, under their
    headings, and the dashboard's commune column stays put while the figures scroll."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-US")
    page = context.new_page()
    login(page, live_app, "vhtt")
    page.goto(f"{live_app.url}{dashboard(district)}")
    layout = page.evaluate(
        """() => {
          const table = document.getElementById("commune-table");
          const name = table.querySelector("tbody th");
          return {
            head: getComputedStyle(table.tHead).display,
            row: getComputedStyle(table.tBodies[0].rows[0]).display,
            name: getComputedStyle(name).position,
            label: getComputedStyle(table.querySelector("tbody td"), "::before").content,
          };
        }"""
    )
    context.close()
    assert layout == {
        "head": "table-header-group",
        "row": "table-row",
        "name": "sticky",
        "label": "none",
    }
