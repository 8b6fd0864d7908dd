"""The import of 5,000 member counts, end to end, at each scale: an XLSX workbook built in
memory for the groups of one commune of the dataset (the one with the most groups), read,
checked and written by `member_counts_import` as the import page calls it, as the scale's
district staff user.

Each run is inside a transaction rolled back afterwards, so the dataset is unchanged and the
bench can run again. On PostgreSQL the foreign keys are checked as each row is written
(`SET CONSTRAINTS ALL IMMEDIATE`) rather than at the commit that never comes, so their cost is
timed too. The issue's budget: 3 s.
"""

from __future__ import annotations

import datetime
import io
import statistics
import time
from dataclasses import dataclass

ROWS = 5_000
BUDGET_SECONDS = 3.0
RUNS = 3
# Before the dataset's counts (which start in 2020), so no row repeats a stored count.
FIRST_DAY = datetime.date(2010, 1, 1)


@dataclass(frozen=True)
class Timed:
    rows: int
    median_seconds: float
    # This process's CPU time (the database's is not in it): on a shared machine, the part
    # of the wall time that is the import's own work.
    median_cpu_seconds: float
    queries: int


class _RolledBack(Exception):
    pass


def upload_for(commune, *, rows: int = ROWS):
    """The workbook a commune would upload: row i counts the (i mod n)-th of its n groups on
    the (i div n)-th day from FIRST_DAY."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    from groups.imports.member_counts import COLUMNS
    from groups.models import MessagingGroup

    groups = list(
        MessagingGroup.objects.filter(village__commune=commune)
        .order_by("pk")
        .values_list("village__name", "name")
    )
    if not groups:
        raise SystemExit(f"bench: commune {commune.code} has no groups")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS))
    for i in range(rows):
        village, group = groups[i % len(groups)]
        day = FIRST_DAY + datetime.timedelta(days=i // len(groups))
        sheet.append(
            [village, group, datetime.datetime.combine(day, datetime.time()), 50 + i % 400]
        )
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(
        "so-thanh-vien.xlsx",
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def busiest_commune(district):
    from django.db.models import Count

    from communes.models import Commune

    return (
        Commune.objects.filter(district=district)
        .annotate(group_count=Count("villages__groups"))
        .order_by("-group_count", "code")
        .first()
    )


def time_import(commune, actor, *, rows: int = ROWS, runs: int = RUNS) -> Timed:
    """The median of `runs` imports of `rows` counts, each rolled back, and the queries of one."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from groups.imports import member_counts_import

    def once() -> tuple[float, float, int]:
        upload = upload_for(commune, rows=rows)
        try:
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                with CaptureQueriesContext(connection) as captured:
                    started, cpu_started = time.perf_counter(), time.process_time()
                    result = member_counts_import(commune=commune, upload=upload, actor=actor)
                    seconds = time.perf_counter() - started
                    cpu_seconds = time.process_time() - cpu_started
                if result.created != rows:
                    raise SystemExit(f"bench: the import wrote {result.created} of {rows} counts")
                raise _RolledBack
        except _RolledBack:
            pass
        return seconds, cpu_seconds, len(captured)

    measured = [once() for _ in range(runs)]
    return Timed(
        rows,
        statistics.median(seconds for seconds, _, _ in measured),
        statistics.median(cpu for _, cpu, _ in measured),
        measured[-1][2],
    )


def run_scale(name: str, district, actor, *, rows: int = ROWS, runs: int = RUNS) -> bool:
    """Print the import's time at this scale; False when it is over the budget."""
    commune = busiest_commune(district)
    timed = time_import(commune, actor, rows=rows, runs=runs)
    within = timed.median_seconds < BUDGET_SECONDS
    print(
        f"import of {timed.rows:,} member counts: {timed.median_seconds:.2f} s "
        f"(budget {BUDGET_SECONDS:g} s; {timed.median_cpu_seconds:.2f} s of this process's CPU), "
        f"{timed.queries} queries, commune {commune.code} at {name}"
        + ("" if within else " OVER THE BUDGET"),
        flush=True,
    )
    return within
