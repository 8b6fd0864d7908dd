"""The benchmark's comparison, proven small: the dataset builder, the floor and the series floor
run here on hand-made data and on a tiny dataset (3 communes) on whichever database the suite
uses (all are written in SQL that SQLite and PostgreSQL share), and the floor must equal the
dashboard selector, the API and the series exactly. The benchmark itself runs only through
`make bench`."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.urls import reverse

from bench import activity, compare
from bench.dataset import AS_OF, SCALES, build
from bench.floor import (
    Figures,
    Floor,
    OpenDeadline,
    PanelDeadline,
    floor,
    floor_deadline_panel,
    floor_deadline_status,
    floor_figures,
)
from bench.series_floor import SeriesSums, series_floor
from bulletins.models import Bulletin
from communes.models import Commune, Field, Village
from dashboard.selectors import dashboard_rows
from dashboard.series import coverage_series, weekly_dates
from groups.models import MemberCount, MessagingGroup
from tests.factories import (
    BluzoneCountFactory,
    CommuneFactory,
    DeadlineFactory,
    GroupFactory,
    InspectionFactory,
    MemberCountFactory,
    SubmissionFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db

TINY = SCALES["tiny"]
D = datetime.date(2021, 8, 6)
LOCAL = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime.datetime:
    """A moment of 2021, local time."""
    return datetime.datetime(2021, month, day, hour, minute, tzinfo=LOCAL)


def figures(**values: int) -> Figures:
    return Figures(**{**dict.fromkeys(Figures._fields, 0), **values})


@pytest.fixture
def counted(district, commune_a, commune_b, district_staff):
    """Villages, groups and counts of communes A and B, an empty commune, and bulletins."""
    empty = CommuneFactory(district=district)  # a commune with no villages
    commune_b.bluzone_target_pct = 60
    commune_b.save()
    v1 = VillageFactory(commune=commune_a, households=300, smartphone_users=200)
    v2 = VillageFactory(commune=commune_a, households=100, residents=120, smartphone_users=0)
    v3 = VillageFactory(commune=commune_a, households=0, smartphone_users=50)
    g1 = GroupFactory(village=v1)
    MemberCountFactory(group=g1, date=datetime.date(2021, 8, 1), members=100)
    MemberCountFactory(group=g1, date=datetime.date(2021, 8, 7), members=999)  # after D
    g2 = GroupFactory(village=v1, established_on=datetime.date(2021, 8, 10))  # after D
    MemberCountFactory(group=g2, date=datetime.date(2021, 8, 5), members=50)
    # untrained, its latest count (20/07) older than 14 days and under half the one before
    g4 = GroupFactory(village=v1, admin_trained=False)
    MemberCountFactory(group=g4, date=datetime.date(2021, 7, 1), members=80)
    MemberCountFactory(group=g4, date=datetime.date(2021, 7, 20), members=30)
    planned = GroupFactory(village=v2, status="planned", invite_url="")
    MemberCountFactory(group=planned, date=datetime.date(2021, 8, 1), members=90)
    g3 = GroupFactory(village=v2)
    MemberCountFactory(group=g3, date=datetime.date(2021, 8, 2), members=150)
    GroupFactory(village=v3)  # no count at all
    BluzoneCountFactory(village=v1, date=datetime.date(2021, 8, 1), installs=60)
    BluzoneCountFactory(village=v1, date=datetime.date(2021, 8, 3), installs=70)
    v_b = VillageFactory(commune=commune_b, households=200, smartphone_users=100)
    # No established_on: counts from the day it was registered, here after D.
    late = GroupFactory(village=v_b, established_on=None)
    MessagingGroup.objects.filter(pk=late.pk).update(registered_on=datetime.date(2021, 9, 1))
    MemberCountFactory(group=late, date=datetime.date(2021, 8, 1), members=250)

    field = Field.objects.create(code="tin-tuc", name="Tin tức")

    def bulletin(commune, published_at, status="published"):
        Bulletin.objects.create(
            commune=commune,
            field=field,
            title="Tin",
            body="Nội dung",
            author=district_staff,
            status=status,
            published_at=published_at,
        )

    bulletin(commune_a, at(8, 6, 20))  # on D
    bulletin(commune_a, at(7, 31, 0))  # the first instant of the 7 days to D
    bulletin(commune_a, at(7, 30, 23, 59))  # just before them: 30 days only
    bulletin(commune_a, at(7, 8, 0))  # the first instant of the 30 days to D
    bulletin(commune_a, at(7, 7, 23, 59))  # just before them
    bulletin(commune_a, None, status="draft")
    bulletin(commune_b, at(8, 7, 0, 30))  # after D in local time, still D in UTC
    return empty


def test_floor_follows_design_definitions_on_hand_computed_data(
    district, commune_a, commune_b, counted, district_staff
):
    result = floor_figures(district_id=district.pk, as_of=D)

    assert result == {
        # 3 villages, each with a group that exists as of D (g2 is established after D, the
        # planned one is not active); members: v1 100 (g1) + 30 (g4), v2 150 (g3), v3 none;
        # covered min(130, 300) + min(150, 100) = 230 of 300 + 100 households (v3 has none);
        # 70 installs (v1's latest) of 200 + 50 smartphone users (v2 has none); g4 untrained;
        # g4 (20/07) and the countless group of v3 stale; g4 fell by half (80 → 30); v3's group
        # has no count; v2's 150 members above its 120 residents; v3 without households;
        # bulletins on D and at the start of the 7 days (2), and two more in the 30 days (4).
        commune_a.pk: figures(
            villages_count=3,
            villages_with_group=3,
            covered=230,
            households=400,
            installs=70,
            smartphone_users=250,
            untrained_admins=1,
            stale_groups=2,
            bulletins_7d=2,
            bulletins_30d=4,
            members_above_residents=1,
            count_fell_by_half=1,
            active_group_without_count=1,
            village_without_households=1,
            bluzone_target_pct=50,
        ),
        # its one group is active but registered after D: no group, and its count of 01/08,
        # dated before the group existed, counts toward nothing; its bulletin is published
        # after D (local time); its own target.
        commune_b.pk: figures(
            villages_count=1, households=200, smartphone_users=100, bluzone_target_pct=60
        ),
        counted.pk: figures(bluzone_target_pct=50),
    }
    board = dashboard_rows(user=district_staff, as_of=D)
    assert compare.differences(result, compare.selector_figures(board)) == []


@pytest.fixture
def deadlines(district, commune_a, commune_b, counted):
    """Deadlines of communes A, B and the empty one, with submissions around D."""
    old = DeadlineFactory(
        district=district, due_date=datetime.date(2021, 7, 1), communes=[commune_a, commune_b]
    )
    # 00:30 local on the day after the due date: late, though still the due date in UTC
    SubmissionFactory(deadline=old, commune=commune_a, submitted_at=at(7, 2, 0, 30))
    passed = DeadlineFactory(
        district=district,
        due_date=datetime.date(2021, 8, 1),
        communes=[commune_a, commune_b, counted],
    )
    SubmissionFactory(deadline=passed, commune=commune_a, submitted_at=at(7, 31, 10))
    SubmissionFactory(deadline=passed, commune=counted, submitted_at=at(8, 2, 0, 30))  # late
    today = DeadlineFactory(district=district, due_date=D, communes=[commune_a, commune_b])
    SubmissionFactory(deadline=today, commune=commune_a, submitted_at=at(8, 6, 23, 30))
    # 00:30 local on D+1: after D, though still D in UTC
    SubmissionFactory(deadline=today, commune=commune_b, submitted_at=at(8, 7, 0, 30))
    ahead = DeadlineFactory(
        district=district, due_date=datetime.date(2021, 8, 9), communes=[commune_a]
    )
    # a follow-up of an inspection made after D does not exist yet; one made before D does
    later = InspectionFactory(commune=commune_b, date=datetime.date(2021, 8, 10))
    DeadlineFactory(
        district=district,
        due_date=datetime.date(2021, 8, 20),
        inspection=later,
        communes=[commune_b],
    )
    earlier = InspectionFactory(commune=commune_a, date=datetime.date(2021, 8, 2))
    follow_up = DeadlineFactory(
        district=district,
        due_date=datetime.date(2021, 8, 12),
        inspection=earlier,
        communes=[commune_a],
    )
    SubmissionFactory(deadline=follow_up, commune=commune_a, submitted_at=at(8, 3, 9))
    # B never reported to either; one was closed on D, the other the day after
    DeadlineFactory(
        district=district, due_date=datetime.date(2021, 7, 5), communes=[commune_b], closed_on=D
    )
    closed_later = DeadlineFactory(
        district=district,
        due_date=datetime.date(2021, 7, 5),
        communes=[commune_b],
        closed_on=D + datetime.timedelta(days=1),
    )
    return {
        "old": old,
        "passed": passed,
        "today": today,
        "ahead": ahead,
        "follow_up": follow_up,
        "closed_later": closed_later,
    }


def test_deadline_floor_follows_design_definitions_on_hand_computed_data(
    district, commune_a, commune_b, counted, deadlines, district_staff
):
    ids = {name: deadline.pk for name, deadline in deadlines.items()}

    statuses = floor_deadline_status(district_id=district.pk, as_of=D)
    panel = floor_deadline_panel(district_id=district.pk, as_of=D)

    assert statuses == {
        # submitted by D, due on D or later: on time; not submitted, due in 3 days: pending;
        # the deadlines it submitted to before D passed are not open any more.
        commune_a.pk: [
            OpenDeadline(ids["today"], "on_time", 0),
            OpenDeadline(ids["ahead"], "pending", 3),
            OpenDeadline(ids["follow_up"], "on_time", 0),
        ],
        # never submitted: overdue by 36, 32 and 5 days; submitted after D: pending on its due
        # day; the follow-up of an inspection after D, and the deadline closed on D, are not
        # listed.
        commune_b.pk: [
            OpenDeadline(ids["old"], "overdue", 36),
            OpenDeadline(ids["closed_later"], "overdue", 32),
            OpenDeadline(ids["passed"], "overdue", 5),
            OpenDeadline(ids["today"], "pending", 0),
        ],
        # its one deadline, reported late before D, is closed: no open deadline
    }
    # due on or after 07/07 (30 days before D), by due date; the follow-up set after D, and
    # the deadline of 01/07, left out
    assert panel == [
        # A on time, the empty commune late (00:30 local the day after), B missing
        PanelDeadline(ids["passed"], 3, 2, 1, (commune_b.pk,)),
        # B's report came after D: missing as of D
        PanelDeadline(ids["today"], 2, 1, 1, (commune_b.pk,)),
        PanelDeadline(ids["ahead"], 1, 0, 0, (commune_a.pk,)),
        PanelDeadline(ids["follow_up"], 1, 1, 1, ()),
    ]
    board = dashboard_rows(user=district_staff, as_of=D)
    assert (
        compare.board_differences(
            Floor(floor_figures(district_id=district.pk, as_of=D), statuses, panel), board
        )
        == []
    )


def test_series_floor_follows_design_definitions_on_hand_computed_data(
    district, counted, district_staff
):
    dates = weekly_dates(D, weeks=4)  # 16/07, 23/07, 30/07, 06/08

    sums = series_floor(district_id=district.pk, dates=dates)

    assert sums == [
        # 16/07: g4's count of 01/07 (80) alone; no Bluzone count yet
        SeriesSums(covered=80, households=600, installs=0, smartphone_users=350),
        # 23/07 and 30/07: g4's count of 20/07 (30)
        SeriesSums(covered=30, households=600, installs=0, smartphone_users=350),
        SeriesSums(covered=30, households=600, installs=0, smartphone_users=350),
        # as on the table as of D: 230 covered, 70 installs
        SeriesSums(covered=230, households=600, installs=70, smartphone_users=350),
    ]
    series = coverage_series(communes=Commune.objects.for_user(district_staff), end=D, weeks=4)
    assert compare.series_differences(sums, dates, series) == []
    assert [point.coverage_pct for point in series] == [
        Decimal(v) for v in ["13.3", "5.0", "5.0", "38.3"]
    ]


def test_floor_and_series_floor_query_counts(
    district, counted, deadlines, django_assert_num_queries
):
    # the table, the deadline column, the panel's counts, its missing communes
    with django_assert_num_queries(4):
        floor(district_id=district.pk, as_of=D)
    # the twelve points in one statement
    with django_assert_num_queries(1):
        series_floor(district_id=district.pk, dates=weekly_dates(D))


def test_tiny_dataset_has_the_edge_cases_the_figures_depend_on():
    built = build(TINY)
    villages = Village.objects.filter(commune__district=built.district)
    groups = MessagingGroup.objects.filter(village__in=villages)
    counts = MemberCount.objects.filter(group__in=groups)
    assert built.counts["communes"] == 3
    assert built.counts["villages"] == villages.count() == 14
    assert built.counts["groups"] == groups.count() == 19
    assert villages.filter(households=0).exists()
    assert villages.filter(smartphone_users=0).exists()
    assert villages.filter(groups__isnull=True).exists()
    assert {"active", "planned", "closed"} <= set(groups.values_list("status", flat=True))
    assert groups.filter(established_on__isnull=True).exists()
    assert groups.filter(status="active", established_on__gt=AS_OF).exists()
    assert groups.filter(status="active", established_on__lte=AS_OF).exists()
    assert counts.filter(date__gt=AS_OF).exists() and counts.filter(date__lte=AS_OF).exists()
    assert built.user.profile.role == "district_staff"


@pytest.fixture
def tiny():
    built = build(TINY)
    activity.add(built.district, built.user)
    return built


def test_floor_equals_the_dashboard_selector_on_the_tiny_dataset(tiny):
    result = floor(district_id=tiny.district.pk, as_of=AS_OF)
    board = dashboard_rows(user=tiny.user, as_of=AS_OF)

    assert set(result.figures) == set(
        Commune.objects.filter(district=tiny.district).values_list("pk", flat=True)
    )
    assert compare.board_differences(result, board) == []
    # Not a comparison of zeros: the dataset has groups, members, installs and bulletins as
    # of D, and its deadlines every status and every figure of the panel.
    totals = Figures(*(sum(column) for column in zip(*result.figures.values(), strict=True)))
    assert totals.villages_count == 14
    assert 0 < totals.villages_with_group < 14
    assert 0 < totals.covered < totals.households
    assert 0 < totals.installs < totals.smartphone_users
    assert 0 < totals.bulletins_7d < totals.bulletins_30d
    statuses = [s.status for line in result.deadline_status.values() for s in line]
    assert set(statuses) == {"on_time", "pending", "overdue"}
    assert len(result.deadline_panel) == 4
    assert any(0 < line.on_time < line.submitted < line.expected for line in result.deadline_panel)


def test_floor_equals_the_api_on_the_tiny_dataset(tiny, api_as):
    response = api_as(tiny.user).get(reverse("api-dashboard"), {"date": AS_OF.isoformat()})
    assert response.status_code == 200

    result = floor(district_id=tiny.district.pk, as_of=AS_OF)
    assert compare.api_board_differences(result, response.json()) == []


def test_series_floor_equals_the_coverage_series_on_the_tiny_dataset(tiny):
    dates = weekly_dates(AS_OF)
    sums = series_floor(district_id=tiny.district.pk, dates=dates)
    series = coverage_series(communes=Commune.objects.for_user(tiny.user), end=AS_OF)

    assert compare.series_differences(sums, dates, series) == []
    # the points differ from one another: the dataset's counts change over the 12 weeks
    assert len({point.coverage_pct for point in series}) > 3
    assert len({point.bluzone_pct for point in series}) > 1


def test_the_comparison_reports_a_single_difference(tiny):
    result = floor(district_id=tiny.district.pk, as_of=AS_OF)
    pk, figures_of = next(iter(result.figures.items()))
    changed = {**result.figures, pk: figures_of._replace(covered=figures_of.covered + 1)}
    assert compare.differences(result.figures, changed) == [
        f"commune {pk}: floor {figures_of} ≠ selector {changed[pk]}"
    ]
    commune, statuses = next(iter(result.deadline_status.items()))
    moved = {**result.deadline_status, commune: statuses[1:]}
    assert compare.deadline_differences(result.deadline_status, moved) == [
        f"commune {commune} deadlines: floor {statuses} ≠ selector {statuses[1:]}"
    ]
    first = result.deadline_panel[0]
    late = [first._replace(on_time=first.on_time - 1), *result.deadline_panel[1:]]
    assert compare.panel_differences(result.deadline_panel, late) == [
        f"deadline {first.id}: floor {first} ≠ selector {late[0]}"
    ]
    assert compare.panel_differences(result.deadline_panel, late[1:]) != []


def test_series_comparison_uses_design_rounding():
    dates = [datetime.date(2021, 7, 30), D]
    sums = [SeriesSums(2, 3, 1, 8), SeriesSums(0, 0, 0, 0)]  # 66.666… → 66.7, 12.5; none

    class Point:
        def __init__(self, date, coverage_pct, bluzone_pct):
            self.date, self.coverage_pct, self.bluzone_pct = date, coverage_pct, bluzone_pct

    good = [Point(dates[0], Decimal("66.7"), Decimal("12.5")), Point(D, None, None)]
    assert compare.series_differences(sums, dates, good) == []
    wrong = [Point(dates[0], Decimal("66.6"), Decimal("12.5")), good[1]]
    assert len(compare.series_differences(sums, dates, wrong)) == 1
    assert compare.series_differences(sums, dates, good[:1]) != []


def test_api_comparison_uses_design_rounding():
    # coverage 66.666… → 66.7, Bluzone 12.5
    floor_row = figures(
        villages_count=2,
        villages_with_group=1,
        covered=2,
        households=3,
        installs=1,
        smartphone_users=8,
        stale_groups=1,
        bluzone_target_pct=50,
        village_without_households=1,
    )
    row = {
        **{name: getattr(floor_row, name) for name in Figures._fields},
        "flags": {name: getattr(floor_row, name) for name in compare.FLAG_FIELDS} | {"total": 1},
        "coverage_pct": 66.7,
        "bluzone_pct": 12.5,
    }
    for name in compare.FLAG_FIELDS:
        del row[name]
    assert compare.api_differences({1: floor_row}, {1: row}) == []
    assert compare.api_differences({1: floor_row}, {1: {**row, "coverage_pct": 66.6}}) != []
    assert compare.api_differences({1: floor_row}, {1: {**row, "stale_groups": 0}}) != []
    assert compare.api_differences({1: floor_row}, {}) == ["commune 1: missing from the API"]
    none = figures(villages_count=1)
    empty = {
        **row,
        "villages_count": 1,
        "villages_with_group": 0,
        "covered": 0,
        "households": 0,
        "installs": 0,
        "smartphone_users": 0,
        "stale_groups": 0,
        "bluzone_target_pct": 0,
        "coverage_pct": None,
        "bluzone_pct": None,
        "flags": dict.fromkeys(compare.FLAG_FIELDS, 0) | {"total": 0},
    }
    assert compare.api_differences({1: none}, {1: empty}) == []


def test_a_built_dataset_is_reused_and_rebuilt_on_request():
    first = build(TINY)
    again = build(TINY)
    assert (first.reused, again.reused) == (False, True)
    assert again.district.pk == first.district.pk and again.counts == first.counts
    rebuilt = build(TINY, force=True)
    assert not rebuilt.reused
    assert rebuilt.counts == first.counts
    assert Commune.objects.filter(district__code=TINY.district_code).count() == 3
