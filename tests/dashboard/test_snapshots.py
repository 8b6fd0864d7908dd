"""The daily snapshots behind the series: each point equals the dashboard's own figures as of its
date, stored or not, and every write that may change a stored day deletes it in its own
transaction (tests/dashboard/conftest.py's known data)."""

import datetime
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from bmp_comms.dates import local_today
from communes.models import BluzoneCount, Commune, Village
from communes.places import village_update
from communes.services import dated_count_correct, dated_count_record
from communes.signals import figures_changed
from dashboard import tasks
from dashboard.models import DailyCommuneSnapshot
from dashboard.selectors import dashboard_rows
from dashboard.series import coverage_series, weekly_dates
from dashboard.snapshots import refresh_statistics, snapshots_fill
from groups.models import GroupStatus, MemberCount, MessagingGroup
from groups.services import group_update
from tests.dashboard.conftest import D, day, populate_in_bulk
from tests.factories import VillageFactory

ROOT = Path(__file__).resolve().parents[2]
# A dozen dates across the known data's history, each a point of the series ending on D.
SERIES = weekly_dates(D)


def past_rows():
    """The snapshots of past days: every write also keeps today's row of its commune
    (tests/dashboard/test_kept_figures.py), which these tests of the past days leave aside."""
    return DailyCommuneSnapshot.objects.filter(date__lt=local_today())


def stored_days(commune) -> list[datetime.date]:
    return sorted(past_rows().filter(commune=commune).values_list("date", flat=True))


def dashboard_points(user, dates) -> list[tuple]:
    points = []
    for date in dates:
        totals = dashboard_rows(user=user, as_of=date, panels=False).totals
        points.append((date, totals.coverage_pct, totals.bluzone_pct))
    return points


def series_points(dates_end=D) -> list[tuple]:
    series = coverage_series(communes=Commune.objects.all(), end=dates_end)
    return [(point.date, point.coverage_pct, point.bluzone_pct) for point in series]


def test_each_point_equals_the_dashboard_as_of_its_date_stored_or_not(known, district_staff):
    expected = dashboard_points(district_staff, SERIES)
    # By hand, two of them: 16/07 only G3 counts (300 → min(300, 100) = 100 of 513 households);
    # at D, 252 of 513 and Bluzone 82 of 274.
    assert expected[-4] == (day(7, 16), Decimal("19.5"), Decimal("0.0"))
    assert expected[-1] == (D, Decimal("49.1"), Decimal("29.9"))
    assert series_points() == expected  # nothing stored: every point from the counts
    assert snapshots_fill(dates=SERIES[:-1]) == 4 * 11
    assert series_points() == expected  # every past point from the snapshots


def test_a_correction_deletes_its_communes_days_from_its_date_and_the_series_stays_exact(
    known, commune_a, commune_b, district_staff
):
    snapshots_fill(dates=SERIES[:-1])
    count = MemberCount.objects.get(group__name="G3", date=day(7, 20))
    dated_count_correct(count=count, value=30)
    # Phú Nghĩa's days from 20/07 are gone, the ones before stay; Đa Kia is untouched.
    assert stored_days(commune_a) == [d for d in SERIES[:-1] if d < day(7, 20)]
    assert stored_days(commune_b) == SERIES[:-1]
    # Just after the correction, 23/07: V1 has G1 120 + G2 50 = 170 of 300 households, V2 has
    # G3's 30 of 100 → 200 of 513 = 39.0 % (52.6 % before).
    after = dashboard_points(district_staff, SERIES)
    assert after[-3] == (day(7, 23), Decimal("39.0"), Decimal("0.0"))
    assert series_points() == after
    # Once a worker filled them again, the stored days give the same points.
    snapshots_fill(dates=SERIES[:-1])
    assert series_points() == after


def test_the_deleted_days_are_queued_again_once_the_write_commits(
    known, commune_a, django_capture_on_commit_callbacks
):
    snapshots_fill(dates=SERIES[:-1])
    group = MessagingGroup.objects.get(name="G1")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        dated_count_record(model=MemberCount, owner=group, date=day(7, 28), value=40)
    assert len(callbacks) == 1
    # The test settings run tasks at once: the days are back, recomputed with the new count.
    assert stored_days(commune_a) == SERIES[:-1]
    row = DailyCommuneSnapshot.objects.get(commune=commune_a, date=day(7, 30))
    # V1: G1 40 (28/07) + G2 50 → 90; V2: G3 130 → min(130, 100) = 100; V4 0.
    assert (row.covered, row.households) == (190, 500)


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda: village_update(village=Village.objects.get(name="Thôn 2"),
                                            households=150), id="village sizes"),
        pytest.param(lambda: group_update(group=MessagingGroup.objects.get(name="G7"),
                                          status=GroupStatus.CLOSED), id="group status"),
        pytest.param(lambda: MessagingGroup.objects.get(name="G4").delete(), id="group deleted"),
        pytest.param(lambda: VillageFactory(commune=Commune.objects.get(code="25267"),
                                            households=5), id="village added"),
    ],
)  # fmt: skip
def test_a_village_or_group_edit_deletes_every_day_of_its_commune(
    known, commune_a, commune_b, write, district_staff
):
    snapshots_fill(dates=SERIES[:-1])
    write()
    assert stored_days(commune_a) == []
    assert stored_days(commune_b) == SERIES[:-1]
    assert series_points() == dashboard_points(district_staff, SERIES)


def test_a_group_moved_to_another_commune_deletes_both_communes_days(
    known, commune_a, commune_b, district_staff
):
    snapshots_fill(dates=SERIES[:-1])
    group_update(
        group=MessagingGroup.objects.get(name="G1"), village=Village.objects.get(name="Thôn 5")
    )
    assert stored_days(commune_a) == []
    assert stored_days(commune_b) == []
    assert stored_days(Commune.objects.get(code="25228")) == SERIES[:-1]
    assert series_points() == dashboard_points(district_staff, SERIES)


def test_a_count_deleted_or_moved_to_another_date_deletes_from_the_earlier_date(
    known, commune_a, district_staff
):
    snapshots_fill(dates=SERIES[:-1])
    count = BluzoneCount.objects.get(village__name="Thôn 1", date=day(8, 1))
    count.date = day(7, 2)  # as the admin site can
    count.save()
    assert stored_days(commune_a) == [d for d in SERIES[:-1] if d < day(7, 2)]
    snapshots_fill(dates=SERIES[:-1])
    MemberCount.objects.get(group__name="G3", date=day(7, 10)).delete()
    assert stored_days(commune_a) == [d for d in SERIES[:-1] if d < day(7, 10)]
    assert series_points() == dashboard_points(district_staff, SERIES)


def test_a_bulk_write_announces_its_communes_and_earliest_date(known, commune_a, commune_b):
    snapshots_fill(dates=SERIES[:-1])
    with transaction.atomic():
        figures_changed.send(sender=MemberCount, commune_ids={commune_b.pk}, since=day(7, 9))
    assert stored_days(commune_a) == SERIES[:-1]
    assert stored_days(commune_b) == [d for d in SERIES[:-1] if d < day(7, 9)]


def test_filling_twice_writes_each_day_once(known):
    assert snapshots_fill(dates=SERIES[:-1]) == 44
    assert snapshots_fill(dates=SERIES[:-1]) == 0
    assert past_rows().count() == 44


def _planned_rows() -> float:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE relname = %s",
            [DailyCommuneSnapshot._meta.db_table],
        )
        return cursor.fetchone()[0]


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="PostgreSQL's statistics",
)
def test_a_fill_of_a_thousand_rows_refreshes_postgresql_s_statistics(district):
    populate_in_bulk(district, 100)
    # 100 communes × 10 days (the rows of today that each write keeps aside)
    written = snapshots_fill(dates=SERIES[:10])
    assert written == 1_000
    before = _planned_rows()
    assert before != DailyCommuneSnapshot.objects.count()
    # under the threshold the statistics are left alone; at it, the planner learns the rows
    assert refresh_statistics(written - 1) is False
    assert _planned_rows() == before
    assert refresh_statistics(written) is True
    assert _planned_rows() == DailyCommuneSnapshot.objects.count()


def test_the_fill_task_refreshes_the_statistics_after_what_it_wrote(district, monkeypatch):
    populate_in_bulk(district, 3)
    analyzed = []
    monkeypatch.setattr(tasks, "refresh_statistics", lambda written: analyzed.append(written))
    tasks.fill_snapshots([SERIES[0].isoformat(), SERIES[1].isoformat()])
    tasks.fill_snapshots([SERIES[0].isoformat()])
    assert analyzed == [6, 0]


def test_a_commune_without_villages_is_stored_with_zeros(known):
    snapshots_fill(dates=[D])
    empty = DailyCommuneSnapshot.objects.get(commune__code="25222", date=D)
    assert (empty.covered, empty.households, empty.installs, empty.smartphone_users) == (0,) * 4


def test_the_page_queues_the_days_it_computed(
    known, district_staff, client, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(tasks, "queue_fill", lambda dates, ids: queued.append((dates, ids)))
    snapshots_fill(dates=SERIES[:-1])
    DailyCommuneSnapshot.objects.filter(commune__code="25231", date=SERIES[3]).delete()
    client.force_login(district_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/dashboard/", {"date": D.isoformat()})
    assert response.status_code == 200
    # The table's communes as of D, none of them kept, then the series' missing day.
    communes = sorted(Commune.objects.values_list("pk", flat=True))
    assert queued == [([D], communes), ([SERIES[3]], [Commune.objects.get(code="25231").pk])]


def test_with_the_broker_down_the_page_still_shows_the_exact_series(
    known, district_staff, client, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("no broker")

    monkeypatch.setattr(tasks.fill_snapshots, "delay", broker_down)
    client.force_login(district_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/dashboard/", {"date": D.isoformat()})
    assert response.status_code == 200
    series = response.context["series"]
    assert [(p.date, p.coverage_pct, p.bluzone_pct) for p in series] == dashboard_points(
        district_staff, SERIES
    )


def test_the_nightly_job_fills_each_recent_day_in_a_task_of_its_own(known, monkeypatch):
    queued = []
    monkeypatch.setattr(tasks, "queue_fill", lambda dates, ids: queued.append((dates, ids)))
    with_clock = datetime.datetime(2021, 8, 7, 0, 30, tzinfo=datetime.UTC)
    with time_machine.travel(with_clock, tick=False):
        assert tasks.fill_nightly_snapshots() == tasks.NIGHTLY_DAYS + 1
    # 00:30 UTC is 07:30 in Hà Nội: today there is 07/08, yesterday 06/08.
    assert queued[:2] == [([D + datetime.timedelta(days=1)], None), ([D], None)]
    assert len(queued) == tasks.NIGHTLY_DAYS + 1
    assert all(ids is None and len(dates) == 1 for dates, ids in queued)


def test_the_command_fills_a_range_of_days(known):
    call_command("fill_snapshots", "--from", "2021-08-01", "--to", "2021-08-06")
    assert past_rows().count() == 4 * 6
    row = DailyCommuneSnapshot.objects.get(commune__code="25231", date=D)
    # Đa Kia as of D: 2 of 3 households, 1 of 8 smartphone users.
    assert (row.covered, row.households, row.installs, row.smartphone_users) == (2, 3, 1, 8)


def test_beat_fills_the_snapshots_every_night_after_midnight():
    entry = settings.CELERY_BEAT_SCHEDULE["reports-fill-nightly-snapshots"]
    assert entry["task"] == "reports.dashboard.tasks.fill_nightly_snapshots"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({0}, {30})
    assert settings.CELERY_TIMEZONE == "Asia/Ho_Chi_Minh"


def test_the_worker_registers_the_snapshot_tasks():
    # A fresh process, as a worker starts: only the modules Celery imports itself count.
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
        "'bmp_comms.settings.test'); django.setup(); from bmp_comms.celery import app; "
        "app.loader.import_default_modules(); "
        "print(sorted(n for n in app.tasks if n.startswith('reports.dashboard')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == (
        "['reports.dashboard.tasks.fill_nightly_snapshots', "
        "'reports.dashboard.tasks.fill_snapshots']"
    )
