"""What a report says comes from the dashboard's read side: the same rows, totals and deadline
panel as the dashboard of its audience, the submission states of docs/rules.md, the inspections of
the period, and the previous report of the archive; in a fixed number of queries."""

import datetime

import pytest
from django.utils import translation

from dashboard.selectors import dashboard_rows
from reports.content import (
    COMMUNE_COLUMNS,
    LATE,
    MISSING,
    NOT_DUE,
    ON_TIME,
    report_content,
)
from reports.models import ComplianceReport, Letterhead, ReportStatus
from reports.narrative import narrative
from tests.factories import (
    CommuneFactory,
    GroupFactory,
    InspectionFactory,
    MemberCountFactory,
    VillageFactory,
)
from tests.reports.conftest import AS_OF


def content_of(district, commune=None, as_of=AS_OF, **kw):
    report = ComplianceReport.objects.create(
        district=district, commune=commune, as_of=as_of, number="01/BC-VHTT", **kw
    )
    return report_content(report=report, letterhead=Letterhead.objects.get(district=district))


def figures(row) -> dict:
    return {column.name: column.value(row) for column in COMMUNE_COLUMNS}


def test_a_district_report_reads_the_district_staffs_dashboard(
    report_data, district, district_staff
):
    content = content_of(district)
    board = dashboard_rows(user=district_staff, as_of=AS_OF)
    assert [figures(row) for row in content.rows] == [figures(row) for row in board.rows]
    assert content.totals == board.totals
    # The panel's deadlines, with their figures (and none older is still open here).
    assert [line.id for line in content.deadlines] == [line.id for line in board.deadlines]
    assert [line.figures for line in content.deadlines] == [
        line.figures for line in board.deadlines
    ]


def test_a_one_commune_report_reads_its_users_dashboard(
    report_data, district, commune_a, officer_a
):
    content = content_of(district, commune=commune_a)
    board = dashboard_rows(user=officer_a, as_of=AS_OF)
    assert [row.name for row in content.rows] == ["Phú Nghĩa"]
    assert content.totals == board.totals
    assert [line.figures for line in content.deadlines] == [
        line.figures for line in board.deadlines
    ]
    assert [line.village.name for line in content.villages] == ["Thôn Bình Tân", "Thôn Phú Tiến"]


def test_each_commune_has_the_state_of_its_report_as_of_d(
    report_data, district, deadline, inspection
):
    content = content_of(district)
    a, b, c = report_data["a"], report_data["b"], report_data["c"]
    follow_up = inspection.follow_up_deadline
    assert content.state(deadline.pk, a.pk) == ON_TIME
    assert content.state(deadline.pk, c.pk) == LATE
    assert content.state(deadline.pk, b.pk) == MISSING
    # The follow-up covers Đa Kia only, and is due on 10/08, after D.
    assert content.state(follow_up.pk, b.pk) == NOT_DUE
    assert content.state(follow_up.pk, a.pk) is None


def test_a_submission_made_after_d_counts_as_missing(report_data, district, deadline):
    # As of the due date, Đức Hạnh's submission of 07/08 has not been made yet.
    content = content_of(district, as_of=datetime.date(2021, 8, 6))
    assert content.state(deadline.pk, report_data["c"].pk) == NOT_DUE
    content = content_of(district, as_of=datetime.date(2021, 8, 7))
    assert content.state(deadline.pk, report_data["c"].pk) == LATE


def test_the_inspections_of_the_period_and_their_follow_ups(report_data, district, inspection):
    old = InspectionFactory(commune=report_data["a"], date=datetime.date(2021, 5, 2))
    content = content_of(district)
    assert [line.inspection for line in content.inspections] == [inspection]
    assert content.inspections[0].follow_up_state == NOT_DUE
    assert old not in [line.inspection for line in content.inspections]


def test_the_previous_report_is_the_latest_done_one_of_the_same_scope(
    report_data, district, commune_a, district_staff
):
    earlier = datetime.date(2021, 7, 25)
    done = dict(status=ReportStatus.DONE, progress=100, file="x.pdf")
    previous = ComplianceReport.objects.create(district=district, as_of=earlier, **done)
    ComplianceReport.objects.create(district=district, as_of=datetime.date(2021, 7, 20), **done)
    # Neither a failed report nor another scope's counts.
    ComplianceReport.objects.create(
        district=district, as_of=datetime.date(2021, 8, 1), status=ReportStatus.FAILED
    )
    ComplianceReport.objects.create(
        district=district, commune=commune_a, as_of=datetime.date(2021, 8, 2), **done
    )
    content = content_of(district)
    assert content.previous.report == previous
    assert content.previous.totals == dashboard_rows(user=district_staff, as_of=earlier).totals


def test_the_narrative_says_where_the_district_stands_in_vietnamese(
    report_data, district, deadline, inspection
):
    content = content_of(district)
    with translation.override("vi"):
        story = narrative(content)
    overview = " ".join(story.overview)
    assert "Tính đến ngày 09/08/2021, 4/5 thôn, ấp, bon đã có nhóm tin" in overview
    assert "1.150/23.244 hộ" in overview
    assert "đạt tỷ lệ bao phủ 4,9\u00a0%" in overview
    assert "còn thiếu 47,3 điểm phần trăm" in overview
    lagging = " ".join(story.lagging)
    assert "Đa Kia (0,7\u00a0%, 1 thôn chưa có nhóm)" in lagging
    assert (
        "Phú Nghĩa (43,8\u00a0%, còn thiếu 6,2 điểm phần trăm so với chỉ tiêu 50,0\u00a0%)"
        in lagging
    )
    deadlines = " ".join(story.deadlines)
    assert (
        "hạn 06/08/2021: 2/3 xã đã báo cáo (66,7\u00a0%), 1 xã đúng hạn (33,3\u00a0%)" in deadlines
    )
    assert "Chưa báo cáo (quá hạn 3 ngày): Đa Kia." in deadlines
    assert story.changes == ["Chưa có báo cáo cùng loại nào trước đây trong kho lưu để so sánh."]
    assert "Chưa đến hạn báo cáo khắc phục: Đa Kia (10/08/2021)." in story.inspections


def test_the_narrative_says_what_changed_since_the_previous_report(report_data, district):
    ComplianceReport.objects.create(
        district=district,
        as_of=datetime.date(2021, 7, 25),
        number="05/BC-VHTT",
        status=ReportStatus.DONE,
        progress=100,
        file="x.pdf",
    )
    with translation.override("vi"):
        (changes,) = narrative(content_of(district)).changes
    assert changes.startswith("So với Báo cáo số 05/BC-VHTT (số liệu đến ngày 25/07/2021): ")
    assert "số thôn có nhóm tin không đổi (4)" in changes
    assert "tỷ lệ bao phủ tăng từ 2,5\u00a0% lên 4,9\u00a0%" in changes


def _more_communes(district, deadline, count):
    for n in range(count):
        commune = CommuneFactory(district=district, name=f"Xã Thêm {n}")
        village = VillageFactory(commune=commune)
        group = GroupFactory(village=village)
        MemberCountFactory(group=group, date=datetime.date(2021, 8, 2), members=90)
        deadline.communes.add(commune)


@pytest.mark.parametrize("communes", [3, 30])
def test_the_content_takes_the_same_queries_at_3_communes_and_at_30(
    report_data, district, deadline, inspection, communes, django_assert_num_queries
):
    _more_communes(district, deadline, communes - 3)
    report = ComplianceReport.objects.create(district=district, as_of=AS_OF, number="01/BC-VHTT")
    report = ComplianceReport.objects.select_related("district", "commune").get(pk=report.pk)
    letterhead = Letterhead.objects.get(district=district)
    # 1 the commune sums, 2 their open deadlines, 3 the bulletins published, 4–5 the reports
    # due (the panel's and the older ones still open: figures, missing communes), 6 the
    # follow-ups of the period's inspections, 7–8 the submission states (communes covered,
    # submissions by D), 9 the inspections, 10 the previous report, 11–12 the weekly series (no
    # snapshot stored: their sums, then the past points computed from the counts; the last point
    # is the totals).
    with django_assert_num_queries(12):
        content = report_content(report=report, letterhead=letterhead)
    assert len(content.rows) == communes
