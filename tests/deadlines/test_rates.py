"""Reporting rate, timeliness and the communes missing as of a date, and each commune's open
deadlines, on known data computed by hand.

The deadline (due 06/08/2021) covers four communes:
  A submitted 05/08 10:00 local (on time)
  B submitted 06/08 23:59 local = 16:59 UTC (on time, last minute)
  C submitted 08/08 09:00 local (late)
  D never submitted
as of 04/08: 0/4 submitted → rate 0.0, timeliness 0.0, missing A B C D
as of 06/08: A, B → rate 2/4 = 50.0, timeliness 2/4 = 50.0, missing C D
as of 08/08: A, B, C → rate 3/4 = 75.0, timeliness 2/4 = 50.0, missing D
"""

import datetime
from decimal import Decimal

import pytest

from dashboard.deadlines import fill_deadline_status
from deadlines.models import Deadline
from deadlines.selectors import (
    CommuneIdentity,
    deadline_figures,
    deadline_summaries,
    missing_communes,
    recent_deadline_summaries,
)
from deadlines.sql import local_day_end, submissions_by
from deadlines.statuses import deadline_status_by_commune, has_open_deadline
from tests.deadlines.conftest import local
from tests.factories import CommuneFactory, DeadlineFactory, SubmissionFactory

SECOND = datetime.timedelta(seconds=1)


@pytest.fixture
def four(district):
    communes = [
        CommuneFactory(district=district, name=name) for name in ("An", "Bình", "Cát", "Dương")
    ]
    deadline = DeadlineFactory(district=district, communes=communes)
    a, b, c, _d = communes
    for commune, moment in (
        (a, local(2021, 8, 5, 10, 0)),
        (b, local(2021, 8, 6, 23, 59)),
        (c, local(2021, 8, 8, 9, 0)),
    ):
        SubmissionFactory(deadline=deadline, commune=commune, submitted_at=moment)
    return deadline, communes


@pytest.mark.parametrize(
    ("as_of", "submitted", "on_time", "rate", "timeliness", "missing"),
    [
        (datetime.date(2021, 8, 4), 0, 0, "0.0", "0.0", ["An", "Bình", "Cát", "Dương"]),
        (datetime.date(2021, 8, 6), 2, 2, "50.0", "50.0", ["Cát", "Dương"]),
        (datetime.date(2021, 8, 7), 2, 2, "50.0", "50.0", ["Cát", "Dương"]),
        (datetime.date(2021, 8, 8), 3, 2, "75.0", "50.0", ["Dương"]),
    ],
)
def test_rate_and_timeliness_as_of(four, as_of, submitted, on_time, rate, timeliness, missing):
    deadline, _communes = four
    deadlines = Deadline.objects.filter(pk=deadline.pk)
    figures = deadline_figures(deadlines, as_of)[deadline.pk]
    assert (figures.expected, figures.submitted, figures.on_time) == (4, submitted, on_time)
    assert figures.late == submitted - on_time
    assert figures.reporting_rate == Decimal(rate)
    assert figures.timeliness == Decimal(timeliness)
    assert [c.name for c in missing_communes(deadlines, as_of)[deadline.pk]] == missing


def test_two_of_three_rounds_half_up_to_one_decimal(district):
    communes = CommuneFactory.create_batch(3, district=district)
    deadline = DeadlineFactory(district=district, communes=communes)
    for commune in communes[:2]:
        SubmissionFactory(deadline=deadline, commune=commune)
    figures = deadline_figures(Deadline.objects.all(), datetime.date(2021, 8, 6))[deadline.pk]
    assert (figures.reporting_rate, figures.timeliness) == (Decimal("66.7"), Decimal("66.7"))


def test_a_deadline_covering_no_commune_has_null_rates(district):
    deadline = DeadlineFactory(district=district)
    figures = deadline_figures(Deadline.objects.all(), datetime.date(2021, 8, 6))[deadline.pk]
    assert (figures.expected, figures.reporting_rate, figures.timeliness) == (0, None, None)


def test_figures_within_the_users_communes(four):
    deadline, communes = four
    own = communes[2]  # Cát, late
    scoped = deadline_figures(Deadline.objects.all(), datetime.date(2021, 8, 8), communes=[own.pk])[
        deadline.pk
    ]
    assert (scoped.expected, scoped.submitted, scoped.on_time) == (1, 1, 0)


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        # Before the due date every commune has it open: submitted or pending, with days left.
        (
            datetime.date(2021, 8, 5),
            {"An": ("on_time", 0), "Bình": ("pending", 1), "Cát": ("pending", 1),
             "Dương": ("pending", 1)},
        ),
        (
            datetime.date(2021, 8, 6),
            {"An": ("on_time", 0), "Bình": ("on_time", 0), "Cát": ("pending", 0),
             "Dương": ("pending", 0)},
        ),
        # After it, only those that have not submitted as of D still have it open.
        (datetime.date(2021, 8, 7), {"Cát": ("overdue", 1), "Dương": ("overdue", 1)}),
        (datetime.date(2021, 8, 9), {"Dương": ("overdue", 3)}),
    ],
)  # fmt: skip
def test_open_deadline_status_by_commune(four, as_of, expected):
    _deadline, communes = four
    statuses = deadline_status_by_commune(communes[0].district.communes.all(), as_of)
    names = {commune.pk: commune.name for commune in communes}
    got = {names[pk]: [(s.status, s.days) for s in found] for pk, found in statuses.items()}
    assert got == {name: [status] for name, status in expected.items()}


def test_whether_any_commune_has_an_open_deadline(four):
    deadline, communes = four
    scope = communes[0].district.communes.all()
    an, _b, _c, duong = communes
    # on the 5th every commune has it open, An's submitted on time
    assert has_open_deadline([an.pk], datetime.date(2021, 8, 5)) is True
    # on the 9th only Dương, who never reported
    assert has_open_deadline(scope, datetime.date(2021, 8, 9)) is True
    assert has_open_deadline(scope.exclude(pk=duong.pk), datetime.date(2021, 8, 9)) is False
    assert has_open_deadline([], datetime.date(2021, 8, 9)) is False
    # closed on the 8th: open for nobody afterwards
    deadline.closed_on = datetime.date(2021, 8, 8)
    deadline.save(update_fields=["closed_on"])
    assert has_open_deadline(scope, datetime.date(2021, 8, 9)) is False
    assert deadline_status_by_commune(scope, datetime.date(2021, 8, 9)) == {}


@pytest.mark.parametrize(
    ("as_of", "missing"),
    [
        (datetime.date(2021, 8, 4), ["An", "Bình", "Cát", "Dương"]),
        (datetime.date(2021, 8, 8), ["Dương"]),
    ],
)
def test_a_list_that_names_the_first_missing_reads_only_those(four, as_of, missing):
    deadline, _communes = four
    everything = recent_deadline_summaries(Deadline.objects.all(), as_of)
    first_two = recent_deadline_summaries(Deadline.objects.all(), as_of, missing_first=2)
    assert [line.id for line in first_two] == [line.id for line in everything] == [deadline.pk]
    assert [commune.name for commune in everything[0].missing_communes] == missing
    assert first_two[0].missing_communes == everything[0].missing_communes[:2]
    # however many are named, all of them are counted
    assert first_two[0].missing_count == everything[0].missing_count == len(missing)


@pytest.mark.parametrize(
    ("closed_on", "as_of", "open_for"),
    [
        # Closed on 08/08: open for those that had not reported until the day before …
        (datetime.date(2021, 8, 8), datetime.date(2021, 8, 7), ["Cát", "Dương"]),
        # … and for nobody from that day on, though Dương never reported.
        (datetime.date(2021, 8, 8), datetime.date(2021, 8, 8), []),
        (datetime.date(2021, 8, 8), datetime.date(2021, 9, 30), []),
        # Closed before its due date: nobody has it open any more, submitted or not.
        (datetime.date(2021, 8, 5), datetime.date(2021, 8, 5), []),
        # Reopened (closed_on emptied): open again.
        (None, datetime.date(2021, 8, 9), ["Dương"]),
    ],
)
def test_a_closed_deadline_is_open_for_nobody_from_its_closing_day(
    four, closed_on, as_of, open_for
):
    deadline, communes = four
    Deadline.objects.filter(pk=deadline.pk).update(closed_on=closed_on)
    statuses = deadline_status_by_commune([c.pk for c in communes], as_of)
    assert sorted(c.name for c in communes if c.pk in statuses) == open_for
    # The closing ends the column's reminders, not the record: the rates still count everyone.
    assert deadline_figures(Deadline.objects.all(), as_of)[deadline.pk].expected == 4


def test_status_labels_and_dashboard_cell(four, district):
    _deadline, communes = four
    statuses = deadline_status_by_commune([c.pk for c in communes], datetime.date(2021, 8, 9))
    (late,) = statuses[communes[3].pk]
    assert late.label == "quá hạn 3 ngày"
    assert late.url == f"/deadlines/{late.deadline_id}/"

    class Row:
        def __init__(self, pk):
            self.id = pk
            self.deadline_status = None

    rows = [Row(c.pk) for c in communes]
    fill_deadline_status(rows, datetime.date(2021, 8, 9))
    assert [row.deadline_status for row in rows] == [None, None, None, [late]]


def test_a_local_day_ends_at_midnight_in_ho_chi_minh(district):
    assert local_day_end(datetime.date(2021, 8, 6)) == datetime.datetime(
        2021, 8, 6, 17, 0, tzinfo=datetime.UTC
    )
    last, first = CommuneFactory.create_batch(2, district=district)
    deadline = DeadlineFactory(district=district, communes=[last, first])
    # 23:59:59 local on 06/08 is still 06/08; midnight starts 07/08.
    SubmissionFactory(
        deadline=deadline, commune=last, submitted_at=local(2021, 8, 6, 23, 59) + SECOND * 59
    )
    SubmissionFactory(deadline=deadline, commune=first, submitted_at=local(2021, 8, 7, 0, 0))
    as_of = datetime.date(2021, 8, 6)
    assert list(submissions_by(as_of).values_list("commune_id", flat=True)) == [last.pk]
    assert [c.id for c in missing_communes([deadline.pk], as_of)[deadline.pk]] == [first.pk]
    statuses = deadline_status_by_commune([last.pk, first.pk], as_of)
    assert [s.status for s in statuses[last.pk] + statuses[first.pk]] == ["on_time", "pending"]


def test_missing_communes_carry_their_code_and_name(four):
    deadline, communes = four
    missing = missing_communes(Deadline.objects.all(), datetime.date(2021, 8, 8))
    dương = communes[3]
    assert missing == {deadline.pk: [CommuneIdentity(dương.pk, dương.code, dương.name)]}


def test_communes_not_submitted_share_their_status_and_the_submitted_keep_their_time(four):
    _deadline, communes = four
    a, b, c, d = communes
    statuses = deadline_status_by_commune([x.pk for x in communes], datetime.date(2021, 8, 6))
    assert statuses[c.pk] == statuses[d.pk]
    assert [(s.status, s.submitted_at, s.label) for s in statuses[c.pk]] == [
        ("pending", None, "hôm nay là hạn")
    ]
    assert [s.submitted_at for s in statuses[a.pk] + statuses[b.pk]] == [
        local(2021, 8, 5, 10, 0),
        local(2021, 8, 6, 23, 59),
    ]


@pytest.mark.parametrize("size", [3, 30])
def test_selectors_run_in_constant_queries(district, django_assert_num_queries, size):
    communes = CommuneFactory.create_batch(size, district=district)
    for due in (datetime.date(2021, 8, 6), datetime.date(2021, 8, 20)):
        deadline = DeadlineFactory(district=district, due_date=due, communes=communes)
        for commune in communes[::2]:
            SubmissionFactory(deadline=deadline, commune=commune)
    deadlines = Deadline.objects.all()
    as_of = datetime.date(2021, 8, 10)
    # One query: deadlines with three counting subqueries.
    with django_assert_num_queries(1):
        assert len(deadline_figures(deadlines, as_of)) == 2
    # One query: coverage rows without a submission as of D, with their commune.
    with django_assert_num_queries(1):
        missing = missing_communes(deadlines, as_of)
    assert sum(len(found) for found in missing.values()) == 2 * (size // 2)
    # One query: coverage rows of open deadlines with the first submission time.
    with django_assert_num_queries(1):
        statuses = deadline_status_by_commune(district.communes.all(), as_of)
    assert sum(len(found) for found in statuses.values()) == size + size // 2
    # Three: the deadlines, their figures, their missing communes.
    with django_assert_num_queries(3):
        assert len(deadline_summaries(deadlines, as_of)) == 2
