"""The import part of `make bench`, proven small on the tiny dataset: the workbook it builds
names the commune's groups day after day, the import it times writes every row, and each run
is rolled back, so the dataset is as it was. The 5,000-row measure runs only through
`make bench`."""

import datetime
import io
import re

import pytest
from openpyxl import load_workbook

from bench import imports
from bench.dataset import SCALES, build
from communes.models import Commune
from groups.models import MemberCount, MessagingGroup

pytestmark = pytest.mark.django_db


@pytest.fixture
def tiny():
    return build(SCALES["tiny"])


def test_the_busiest_commune_is_the_one_with_the_most_groups(tiny):
    per_commune = {
        commune.pk: MessagingGroup.objects.filter(village__commune=commune).count()
        for commune in Commune.objects.filter(district=tiny.district)
    }

    busiest = imports.busiest_commune(tiny.district)

    assert per_commune[busiest.pk] == max(per_commune.values())
    assert sum(per_commune.values()) == SCALES["tiny"].groups


def test_the_workbook_counts_each_group_in_turn_day_after_day(tiny):
    commune = imports.busiest_commune(tiny.district)
    groups = list(
        MessagingGroup.objects.filter(village__commune=commune)
        .order_by("pk")
        .values_list("village__name", "name")
    )
    n = len(groups)

    upload = imports.upload_for(commune, rows=2 * n + 1)

    rows = list(load_workbook(io.BytesIO(upload.read())).active.iter_rows(values_only=True))
    assert rows[0] == ("village", "group", "date", "members")
    assert len(rows) == 1 + 2 * n + 1
    first_day = datetime.datetime(2010, 1, 1)
    # Row i (from 0) counts group i mod n on day i div n, with 50 + i members.
    assert rows[1] == (*groups[0], first_day, 50)
    assert rows[n] == (*groups[n - 1], first_day, 50 + n - 1)
    assert rows[n + 1] == (*groups[0], first_day + datetime.timedelta(days=1), 50 + n)
    assert rows[2 * n + 1] == (*groups[0], first_day + datetime.timedelta(days=2), 50 + 2 * n)


def test_each_timed_import_writes_every_row_and_is_rolled_back(tiny):
    commune = imports.busiest_commune(tiny.district)
    before = (MemberCount.objects.count(), MemberCount.history.count())

    small = imports.time_import(commune, tiny.user, rows=30, runs=2)
    larger = imports.time_import(commune, tiny.user, rows=90, runs=1)

    # Two runs of the same file: the second would be refused had the first been kept.
    assert (small.rows, larger.rows) == (30, 90)
    assert small.median_seconds > 0 and small.median_cpu_seconds > 0
    assert (MemberCount.objects.count(), MemberCount.history.count()) == before
    # The import's 3 checking queries and the bulk service's 11 (its 8, the snapshots'
    # invalidation and today's kept figures computed again: docs/rules.md#kept-figures),
    # whatever the rows (below SQLite's split of an INSERT at 99 history rows).
    assert small.queries == larger.queries == 3 + 11


def test_the_line_says_the_time_against_the_budget(tiny, capsys):
    assert imports.run_scale("tiny", tiny.district, tiny.user, rows=40, runs=1)

    line = capsys.readouterr().out.strip()
    commune = imports.busiest_commune(tiny.district)
    assert re.fullmatch(
        rf"import of 40 member counts: \d+\.\d\d s "
        rf"\(budget 3 s; \d+\.\d\d s of this process's CPU\), 14 queries, "
        rf"commune {commune.code} at tiny",
        line,
    ), line
