"""The dashboard reads each commune's figures of a day from the kept sums (dashboard.snapshots)
when stored, today's kept exact by every write: equal to the figures from the counts, and a
write is seen by the very next read, in this process and in another one."""

import datetime

import pytest
import time_machine

from communes.models import BluzoneCount, Commune, Village
from communes.places import village_update
from communes.services import dated_count_record
from dashboard.models import DailyCommuneSnapshot
from dashboard.selectors import dashboard_rows
from dashboard.snapshots import kept_commune_sums, snapshots_fill
from groups.models import GroupStatus, MemberCount, MessagingGroup
from groups.services import group_update
from tests.dashboard.conftest import D
from tests.processes import run_role

# Noon in Hồ Chí Minh city on D: "today" is D.
NOON_OF_D = datetime.datetime(2021, 8, 6, 5, 0, tzinfo=datetime.UTC)


def row_of(board, commune):
    return next(row for row in board.rows if row.id == commune.pk)


def by_hand_a(row) -> tuple:
    return (
        row.villages_count,
        row.villages_with_group,
        row.covered,
        row.households,
        row.installs,
        row.smartphone_users,
        row.untrained_admins,
        row.stale_groups,
        row.flags.total,
    )


# Phú Nghĩa as of D (tests/dashboard/conftest.py): 4 villages, 2 with a group, 250 of 500
# households, 80 of 250 smartphone users, 2 untrained admins, 2 stale groups, 4 flags.
A_AS_OF_D = (4, 2, 250, 500, 80, 250, 2, 2, 4)


def kept_flags() -> set:
    return {bool(row["kept"]) for row in kept_commune_sums(Commune.objects.all(), D)}


def test_figures_are_equal_computed_or_kept(known, commune_a, district_staff):
    DailyCommuneSnapshot.objects.filter(date=D).delete()
    assert kept_flags() == {False}
    computed = dashboard_rows(user=district_staff, as_of=D, panels=False)
    assert by_hand_a(row_of(computed, commune_a)) == A_AS_OF_D
    assert snapshots_fill(dates=[D]) == 4
    assert kept_flags() == {True}
    kept = dashboard_rows(user=district_staff, as_of=D, panels=False)
    assert by_hand_a(row_of(kept, commune_a)) == A_AS_OF_D
    assert [row.id for row in kept.rows] == [row.id for row in computed.rows]
    assert kept.rows == computed.rows
    assert kept.totals == computed.totals
    assert (kept.totals.covered, kept.totals.households) == (252, 513)


def _member_count():
    group = MessagingGroup.objects.get(name="G2")
    dated_count_record(model=MemberCount, owner=group, date=D, value=80)


def _bluzone_count():
    village = Village.objects.get(name="Thôn 1")
    dated_count_record(model=BluzoneCount, owner=village, date=D, value=100)


def _village_edit():
    village_update(village=Village.objects.get(name="Thôn 2"), households=150)


def _group_closed():
    group_update(group=MessagingGroup.objects.get(name="G7"), status=GroupStatus.CLOSED)


def _count_deleted():
    MemberCount.objects.get(group__name="G1", date=datetime.date(2021, 8, 1)).delete()


@pytest.mark.parametrize(
    ("write", "expected"),
    [
        # G2 80 on D: V1 100 + 80 = 180 members, min(180, 300) = 180; 250 - 150 + 180 = 280
        pytest.param(_member_count, (4, 2, 280, 500, 80, 250, 2, 2, 4), id="member count"),
        # V1 100 installs on D instead of 70: 80 - 70 + 100 = 110
        pytest.param(_bluzone_count, (4, 2, 250, 500, 110, 250, 2, 2, 4), id="bluzone count"),
        # V2 150 households: min(130, 150) = 130 covered instead of 100, 500 - 100 + 150 = 550
        # households; its 130 members still above its 120 residents: 4 flags
        pytest.param(_village_edit, (4, 2, 280, 550, 80, 250, 2, 2, 4), id="village edit"),
        # G7 closed: no longer stale nor without a count (2 - 1 stale, 4 - 1 flags)
        pytest.param(_group_closed, (4, 2, 250, 500, 80, 250, 2, 1, 3), id="group status"),
        # G1's count of 01/08 deleted: its latest is 120 of 20/07, stale (before 23/07): V1
        # 120 + 50 = 170 covered, 250 - 150 + 170 = 270, 3 stale groups
        pytest.param(_count_deleted, (4, 2, 270, 500, 80, 250, 2, 3, 4), id="count deleted"),
    ],
)
def test_a_write_of_today_is_read_at_once_from_the_kept_row(
    known, commune_a, district_staff, write, expected
):
    with time_machine.travel(NOON_OF_D, tick=False):
        snapshots_fill(dates=[D])
        assert by_hand_a(row_of(dashboard_rows(user=district_staff, as_of=D), commune_a)) == (
            A_AS_OF_D
        )
        write()
        # Today's row was computed again by the write, not deleted: the next read takes it.
        assert kept_flags() == {True}
        board = dashboard_rows(user=district_staff, as_of=D)
    assert by_hand_a(row_of(board, commune_a)) == expected
    # The kept row is the figures from the counts: the same row computed afresh.
    DailyCommuneSnapshot.objects.filter(date=D).delete()
    computed = dashboard_rows(user=district_staff, as_of=D, panels=False)
    assert row_of(computed, commune_a) == row_of(board, commune_a)


def test_a_write_in_one_process_is_read_by_the_next_in_another(postgres_database, tmp_path):
    module = "tests.dashboard.kept_race"
    assert run_role(module, "setup", tmp_path, postgres_database) == {"kept_today": 1}
    # Before: 40 members of 100 households, read from the kept row of today.
    assert run_role(module, "read", tmp_path, postgres_database) == {"covered": 40, "kept": True}
    run_role(module, "write", tmp_path, postgres_database)
    assert run_role(module, "read", tmp_path, postgres_database) == {"covered": 70, "kept": True}
