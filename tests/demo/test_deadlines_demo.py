"""The demo's deadline of 606/UBND-VX: every commune covered, most on time, one late, one
missing; seeding twice changes nothing."""

import datetime
from decimal import Decimal

from deadlines.models import Deadline, Inspection, Submission
from deadlines.selectors import deadline_figures, missing_communes
from demo.deadlines import seed_demo_reports
from tests.factories import CommuneFactory

COMMUNES = [
    ("25222", "Bù Gia Mập"),
    ("25225", "Đak Ơ"),
    ("25228", "Đức Hạnh"),
    ("25229", "Phú Văn"),
    ("25231", "Đa Kia"),
    ("25232", "Phước Minh"),
    ("25234", "Bình Thắng"),
    ("25267", "Phú Nghĩa"),
]


def test_demo_deadline_with_realistic_submissions_idempotent(district, district_staff):
    for code, name in COMMUNES:
        CommuneFactory(district=district, code=code, name=name)
    seed_demo_reports(district=district)
    seed_demo_reports(district=district)

    deadline = Deadline.objects.get(directive="606/UBND-VX")
    assert deadline.due_date == datetime.date(2021, 8, 6)
    assert deadline.communes.count() == 8
    assert Submission.objects.filter(deadline=deadline).count() == 7
    late = [s.commune.name for s in Submission.objects.filter(deadline=deadline) if not s.on_time]
    assert late == ["Phú Văn"]

    only = Deadline.objects.filter(pk=deadline.pk)
    on_due = deadline_figures(only, datetime.date(2021, 8, 6))[deadline.pk]
    after = deadline_figures(only, datetime.date(2021, 8, 31))[deadline.pk]
    # 6 of 8 on time: 75.0; with Phú Văn's late report 7 of 8 submitted: 87.5.
    assert (on_due.reporting_rate, on_due.timeliness) == (Decimal("75.0"), Decimal("75.0"))
    assert (after.reporting_rate, after.timeliness) == (Decimal("87.5"), Decimal("75.0"))
    assert [c.name for c in missing_communes(only, datetime.date(2021, 8, 31))[deadline.pk]] == [
        "Bình Thắng"
    ]

    inspection = Inspection.objects.get()
    assert inspection.commune.name == "Bình Thắng"
    assert inspection.follow_up_deadline.communes.get() == inspection.commune
    assert Deadline.objects.count() == 2


def test_demo_without_communes_does_nothing(district):
    seed_demo_reports(district=district)
    assert not Deadline.objects.exists()
