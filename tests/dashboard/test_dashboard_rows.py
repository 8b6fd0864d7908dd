from decimal import Decimal

import pytest

from dashboard.selectors import dashboard_rows, parse_sort, sort_rows
from tests.dashboard.conftest import D, day


@pytest.fixture
def board(known, district_staff):
    return dashboard_rows(user=district_staff, as_of=D)


def row_of(board, commune):
    (row,) = [row for row in board.rows if row.id == commune.pk]
    return row


def test_commune_a_follows_the_definitions(known, board):
    row = row_of(board, known["a"])
    assert (row.code, row.name) == ("25267", "Phú Nghĩa")
    assert row.villages_count == 4
    assert row.villages_with_group == 2
    assert row.villages_without_group == 2
    # (min(150, 300) + min(130, 100) + 0) / (300 + 100 + 100); the village without households
    # is left out
    assert (row.covered, row.households) == (250, 500)
    assert row.coverage_pct == Decimal("50.0")
    # (70 + 10) / (200 + 50): later counts ignored, villages without smartphone users left out
    assert (row.installs, row.smartphone_users) == (80, 250)
    assert row.bluzone_pct == Decimal("32.0")
    assert row.bluzone_target_pct == 50
    assert row.bluzone_gap_pct == Decimal("18.0")
    assert row.bluzone_level == "danger"
    assert row.untrained_admins == 2
    assert row.stale_groups == 2
    assert row.flags.members_above_residents == 1
    assert row.flags.count_fell_by_half == 1
    assert row.flags.active_group_without_count == 1
    assert row.flags.village_without_households == 1
    assert row.flags.total == 4


def test_rounding_half_up_and_commune_target(known, board):
    row = row_of(board, known["b"])
    assert row.coverage_pct == Decimal("66.7")  # 2/3
    assert row.bluzone_pct == Decimal("12.5")  # 1/8
    assert row.bluzone_target_pct == 40
    assert row.bluzone_gap_pct == Decimal("27.5")
    assert row.villages_with_group == 1  # G8 counts from its registration day, 01/08
    assert row.untrained_admins == 0
    assert row.stale_groups == 0
    assert row.flags.total == 0
    row_d = row_of(board, known["d"])
    assert row_d.bluzone_pct == Decimal("6.3")  # 1/16 = 6.25, half-up
    assert row_d.coverage_pct == Decimal("0.0")


def test_group_registered_after_the_date_does_not_count_yet(known, board, district_staff):
    row = row_of(board, known["d"])
    assert row.villages_with_group == 0
    assert (row.untrained_admins, row.stale_groups, row.flags.total) == (0, 0, 0)

    later = row_of(dashboard_rows(user=district_staff, as_of=day(8, 7)), known["d"])
    assert later.villages_with_group == 1
    assert (later.untrained_admins, later.stale_groups) == (1, 1)
    assert later.flags.active_group_without_count == 1


def test_commune_without_villages_has_null_percentages(known, board):
    row = row_of(board, known["c"])
    assert (row.villages_count, row.villages_with_group, row.households) == (0, 0, 0)
    assert row.coverage_pct is None
    assert row.bluzone_pct is None
    assert row.bluzone_gap_pct is None
    assert row.bluzone_level == "secondary"


def test_district_totals_weight_by_households(known, board):
    totals = board.totals
    assert totals.villages_count == 6
    assert totals.villages_with_group == 3
    assert (totals.covered, totals.households) == (252, 513)
    assert totals.coverage_pct == Decimal("49.1")
    assert (totals.installs, totals.smartphone_users) == (82, 274)
    assert totals.bluzone_pct == Decimal("29.9")
    assert totals.bluzone_target_pct == 50
    assert totals.untrained_admins == 2
    assert totals.stale_groups == 2
    assert totals.flags.total == 4


def test_worst_coverage_first_by_default(known, board):
    # Bù Gia Mập has no coverage at all (null), then 0.0, 50.0, 66.7
    assert [row.name for row in board.rows] == ["Bù Gia Mập", "Đức Hạnh", "Phú Nghĩa", "Đa Kia"]


def test_sorting(known, board):
    assert [row.code for row in sort_rows(board.rows, "-coverage")] == [
        "25231",
        "25267",
        "25228",
        "25222",
    ]
    assert sort_rows(board.rows, "-villages")[0].name == "Phú Nghĩa"
    assert parse_sort("-flags") == "-flags"
    assert parse_sort("password") == "coverage"
    assert parse_sort(None) == "coverage"


def test_figures_on_an_earlier_date(known, district_staff):
    board = dashboard_rows(user=district_staff, as_of=day(7, 21))
    row = row_of(board, known["a"])
    # G1 120 (20/07), G2 registered 15/07 without a count yet, G3 130 (20/07); G7 no count
    assert (row.covered, row.households) == (120 + 100, 500)
    assert row.coverage_pct == Decimal("44.0")
    assert row.installs == 0
    assert row.bluzone_pct == Decimal("0.0")
    # G3 fell from 300 to 130 on 20/07; G2 and G7 have no count; none is stale yet but those
    assert row.flags.count_fell_by_half == 1
    assert row.flags.active_group_without_count == 2
    assert row.stale_groups == 2


def test_commune_user_sees_only_their_commune(known, officer_a):
    board = dashboard_rows(user=officer_a, as_of=D)
    assert [row.name for row in board.rows] == ["Phú Nghĩa"]
    assert board.totals.coverage_pct == Decimal("50.0")


def test_fall_of_exactly_half_is_not_flagged(commune_a, district_staff):
    from tests.factories import GroupFactory, MemberCountFactory, VillageFactory

    village = VillageFactory(commune=commune_a, households=500, residents=900)
    group = GroupFactory(village=village, established_on=day(7, 1))
    MemberCountFactory(group=group, date=day(8, 1), members=100)
    MemberCountFactory(group=group, date=day(8, 2), members=50)
    (row,) = dashboard_rows(user=district_staff, as_of=D).rows
    assert row.flags.count_fell_by_half == 0
    MemberCountFactory(group=group, date=day(8, 3), members=24)
    (row,) = dashboard_rows(user=district_staff, as_of=D).rows
    assert row.flags.count_fell_by_half == 1


# By hand from the docstring of tests/dashboard/conftest.py, per commune code: villages, with a
# group, covered, households, installs, smartphone users, coverage %, Bluzone %.
BY_HAND = {
    # Before any count: G1, G3 and G7 exist (est. 01/07) but have no count yet; G2 (registered
    # 15/07), G8 (01/08) and G9 (07/08) do not exist yet; no Bluzone count yet.
    day(7, 9): {
        "25267": (4, 2, 0, 500, 0, 250, Decimal("0.0"), Decimal("0.0")),
        "25231": (1, 0, 0, 3, 0, 8, Decimal("0.0"), Decimal("0.0")),
        "25228": (1, 0, 0, 10, 0, 16, Decimal("0.0"), Decimal("0.0")),
    },
    # V1: G1 999 (07/08) + G2 50 → min(1049, 300) = 300; V2 min(130, 100) = 100; V4 0: 400/500.
    # Bluzone V1 70 + V3 10 = 80/250. G9 registered today: Đức Hạnh's village has a group.
    day(8, 7): {
        "25267": (4, 2, 400, 500, 80, 250, Decimal("80.0"), Decimal("32.0")),
        "25231": (1, 1, 2, 3, 1, 8, Decimal("66.7"), Decimal("12.5")),
        "25228": (1, 1, 0, 10, 1, 16, Decimal("0.0"), Decimal("6.3")),
    },
    # G6 established today: V4 has a group (no count, 0 members); Bluzone V1 200 + V3 10 = 210.
    day(8, 20): {
        "25267": (4, 3, 400, 500, 210, 250, Decimal("80.0"), Decimal("84.0")),
        "25231": (1, 1, 2, 3, 1, 8, Decimal("66.7"), Decimal("12.5")),
        "25228": (1, 1, 0, 10, 1, 16, Decimal("0.0"), Decimal("6.3")),
    },
}


@pytest.mark.parametrize("as_of", sorted(BY_HAND))
def test_figures_by_hand_on_other_dates(known, district_staff, as_of):
    expected = BY_HAND[as_of]
    rows = {row.code: row for row in dashboard_rows(user=district_staff, as_of=as_of).rows}
    assert set(rows) == {*expected, "25222"}
    assert rows["25222"].villages_count == 0
    assert (rows["25222"].coverage_pct, rows["25222"].bluzone_pct) == (None, None)
    for code, numbers in expected.items():
        row = rows[code]
        assert (
            row.villages_count,
            row.villages_with_group,
            row.covered,
            row.households,
            row.installs,
            row.smartphone_users,
            row.coverage_pct,
            row.bluzone_pct,
        ) == numbers, code


@pytest.mark.parametrize(
    ("installs", "level"),
    [
        (None, "secondary"),
        (50, "success"),
        (62, "success"),
        (40, "warning"),  # exactly 10 points short
        (45, "warning"),
        (39, "danger"),
        (0, "danger"),
    ],
)
def test_bluzone_colour_by_distance_to_target(installs, level):
    from dashboard.selectors import Figures

    figures = Figures(
        bluzone_target_pct=50,
        installs=installs or 0,
        smartphone_users=0 if installs is None else 100,
    )
    assert figures.bluzone_level == level


def test_empty_scope_keeps_the_district_target(district, district_staff):
    board = dashboard_rows(user=district_staff, as_of=D)
    assert board.rows == []
    assert board.totals.bluzone_target_pct == district.bluzone_target_pct
    assert board.totals.coverage_pct is None


def test_commune_user_totals_use_their_commune_target(known, officer_b):
    board = dashboard_rows(user=officer_b, as_of=D)
    assert [row.code for row in board.rows] == ["25231"]
    assert board.totals.bluzone_target_pct == 40
    assert board.totals.bluzone_gap_pct == Decimal("27.5")


def test_scope_parameters_are_named_and_escaped_percents_kept():
    from bmp_comms.statements import compiled
    from communes.models import Commune

    statement = compiled(Commune.objects.filter(name__contains="%", code="x").values("id"), "s_")
    assert "%(s_0)s" in statement.sql and "%(s_1)s" in statement.sql
    assert "%s" not in statement.sql.replace("%%", "")
    assert set(statement.params) == {"s_0", "s_1"}
