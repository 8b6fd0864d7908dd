"""Section III, the reports due: its sentences agree with the deadlines' figures
(deadlines.selectors), and a commune that never reported is named as missing however long ago
the deadline fell due, until the deadline is closed."""

import datetime

import pytest
from django.utils import translation

from deadlines.selectors import deadline_figures, missing_communes
from reports.content import MISSING, report_content
from reports.models import ComplianceReport
from reports.narrative import narrative
from reports.pdf import write_pdf
from tests.reports.conftest import pdf_text

pytestmark = pytest.mark.usefixtures("report_data")

# Eight weeks after the due date of 06/08/2021: the deadline is no longer recently due.
LONG_AFTER = datetime.date(2021, 10, 1)


def content_of(district, letterhead, as_of, commune=None):
    report = ComplianceReport.objects.create(
        district=district, commune=commune, as_of=as_of, number="01/BC-VHTT", issued_on=as_of
    )
    report = ComplianceReport.objects.select_related("district", "commune").get(pk=report.pk)
    return report_content(report=report, letterhead=letterhead)


def section_three(text: str) -> str:
    words = " ".join(text.split())
    return words[words.index("III. TÌNH HÌNH BÁO CÁO") : words.index("IV. KIỂM TRA")]


def test_a_commune_that_never_reported_is_named_long_after_the_due_date(
    district, letterhead, deadline, inspection, commune_b, tmp_path
):
    """Đa Kia (B) never reported: eight weeks on, section III still names it, with the figures
    the deadlines' selectors give, in the PDF as in the narrative."""
    content = content_of(district, letterhead, LONG_AFTER)
    figures = deadline_figures([deadline.pk], LONG_AFTER)[deadline.pk]
    missing = missing_communes([deadline.pk], LONG_AFTER)[deadline.pk]
    assert [commune.name for commune in missing] == ["Đa Kia"]
    assert (figures.expected, figures.submitted, figures.on_time) == (3, 2, 1)

    line = next(line for line in content.deadlines if line.id == deadline.pk)
    assert line.figures == figures
    assert [commune.name for commune in line.missing_communes] == ["Đa Kia"]
    assert content.state(deadline.pk, commune_b.pk) == MISSING

    path = tmp_path / "report.pdf"
    with translation.override("vi"), path.open("wb") as out:
        write_pdf(content, out)
    section = section_three(pdf_text(path))
    assert (
        "Báo cáo kết quả thành lập nhóm tin (606/UBND-VX), hạn 06/08/2021: "
        f"{figures.submitted}/{figures.expected} xã đã báo cáo (66,7 %), "
        f"{figures.on_time} xã đúng hạn (33,3 %). "
        "Chưa báo cáo (quá hạn 56 ngày): Đa Kia."
    ) in section
    assert "không có báo cáo nào" not in section
    # The deadline's row of the table, and Đa Kia's state in the table of communes.
    assert "06/08/2021 3 2 1 66,7 33,3" in section
    assert "Đa Kia chưa báo cáo" in section


def test_a_closed_deadline_falls_out_once_no_longer_recent(
    district, letterhead, deadline, inspection
):
    follow_up = inspection.follow_up_deadline
    for closed in (deadline, follow_up):
        closed.closed_on = datetime.date(2021, 9, 1)
        closed.save()

    content = content_of(district, letterhead, LONG_AFTER)

    assert content.deadlines == []
    with translation.override("vi"):
        assert narrative(content).deadlines == [
            "Trong kỳ không có báo cáo nào đến hạn và không có báo cáo nào đang chờ nộp."
        ]


def test_an_old_deadline_every_commune_reported_is_not_repeated(
    district, letterhead, deadline, inspection, commune_b
):
    from tests.factories import SubmissionFactory

    SubmissionFactory(
        deadline=deadline,
        commune=commune_b,
        submitted_at=datetime.datetime(2021, 8, 20, 9, 0, tzinfo=datetime.UTC),
    )

    content = content_of(district, letterhead, LONG_AFTER)

    # Everyone reported 606/UBND-VX; Đa Kia's follow-up of the inspection is still missing.
    assert [line.id for line in content.deadlines] == [inspection.follow_up_deadline.pk]
    assert [c.name for c in content.deadlines[0].missing_communes] == ["Đa Kia"]


def test_a_one_commune_report_names_only_its_own_missing_report(
    district, letterhead, deadline, inspection, commune_a, commune_b
):
    # Phú Nghĩa (A) reported on time: nothing is pending for it.
    assert content_of(district, letterhead, LONG_AFTER, commune=commune_a).deadlines == []
    # Đa Kia's own report names its missing reports, counted over Đa Kia alone.
    own = content_of(district, letterhead, LONG_AFTER, commune=commune_b)
    assert [(line.id, line.expected, line.submitted) for line in own.deadlines] == [
        (deadline.pk, 1, 0),
        (inspection.follow_up_deadline.pk, 1, 0),
    ]
