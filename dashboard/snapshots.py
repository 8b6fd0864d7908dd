"""Each commune's summed figures of a day, precomputed, and never stale.

The dashboard's table shows each commune's figures as of D (today by default), and its charts a
district's coverage and Bluzone % at a dozen past dates, each exactly as the dashboard would show
it as of that date. Computing them from the counts on every view costs a read of every count of
the commune's history, so each commune's sums of a day (every figure of
dashboard.figures.SUMMED) are kept in DailyCommuneSnapshot:

- filled by a worker (`snapshots_fill`): every night for today and the days just past, and for
  whatever a page or a write found missing;
- deleted, in the writing transaction itself, by every write that may change them
  (`snapshots_invalidate`, called by dashboard.receivers): a count dated D changes its
  commune's days from D on; a village or a group changes every day, since each day's figures
  read households, smartphone users and the groups' status as they are now. Today's row, the
  one the dashboard shows by default, is computed again there rather than only deleted, so the
  next view reads it instead of the counts;
- read by `kept_commune_sums` (the table) and `series_sums` (the charts), which compute from
  the counts the communes and dates that have no row. So a row is either exact or absent, and a
  reader never sees a stale one. A reader never writes: it hands what it lacked to a worker.

Why the communes' rows are locked on both sides: a fill computes from the data committed when
its statement starts. Without a lock, a write could commit and delete the day's row between
the fill's reading and its insert, and the fill would then store the figures from before the
write. Under the lock (FOR NO KEY UPDATE, which does not block the inserts of villages and
counts that reference the commune), a write's deletion waits for a running fill to commit and
then deletes what it stored, and a fill waiting on a write computes from data that includes it.
The same holds for today's row computed by a write: every write takes the lock after its own
change, so the last to take it computes from data that includes every other write's, committed
by then. SQLite runs one writing transaction at a time, so there the lock is not needed.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db import connections, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from bmp_comms.dates import local_today
from bmp_comms.statements import Statement, compiled
from communes.models import Commune
from dashboard.figures import SUMMED_NAMES
from dashboard.models import DailyCommuneSnapshot
from dashboard.sql import COMMUNE_IDENTITY, RATIO_SUMS, TABLES, commune_sums_statement
from dashboard.sql import (
    series_sums as computed_series_sums,
)

TABLE = DailyCommuneSnapshot._meta.db_table
COMMUNE = Commune._meta.db_table
# The snapshot's columns: every summed figure (dashboard.figures.SUMMED); the series reads
# those behind the ratios only (RATIO_SUMS).
SNAPSHOT_SUMS = SUMMED_NAMES
# The nightly fill keeps this many days before today, the span of the dashboard's series as of
# any day of the last month.
NIGHTLY_DAYS = 7 * 12 + 31

# Hands (dates, commune ids or None for every commune) to a worker; given by the caller, so
# this floor does not import the tasks that call it.
QueueFill = Callable[[list[datetime.date], list[int] | None], object]


def _lock(communes: QuerySet[Commune]) -> list[int]:
    """Lock the communes' rows for the rest of the transaction, in id order (two transactions
    locking several communes then cannot wait on each other)."""
    return list(communes.order_by("pk").select_for_update(no_key=True).values_list("pk", flat=True))


def snapshots_fill(
    *, dates: Iterable[datetime.date], commune_ids: Iterable[int] | None = None, using="default"
) -> int:
    """Store, for each date, the snapshot of every commune (of `commune_ids`, or every commune)
    that has none, computed by the dashboard's own statement (dashboard.sql). Each
    date is one transaction, so a worker stopped half-way keeps the dates it finished and
    leaves nothing claimed; running it twice at once stores each row once (the unique
    constraint, an upsert). Returns the rows written."""
    written = 0
    communes = Commune.objects.using(using)
    if commune_ids is not None:
        communes = communes.filter(pk__in=sorted(set(commune_ids)))
    for date in sorted(set(dates)):
        lacking = communes.filter(
            ~Exists(
                DailyCommuneSnapshot.objects.using(using).filter(commune=OuterRef("pk"), date=date)
            )
        )
        with transaction.atomic(using=using):
            if not _lock(lacking):
                continue
            written += _store(lacking, date, using=using)
    return written


# A fill that wrote this many rows (a night's, for a province or a nation) refreshes the
# table's statistics on PostgreSQL.
ANALYZE_AFTER_ROWS = 1_000


def refresh_statistics(written: int, *, using="default") -> bool:
    """After a fill that wrote ANALYZE_AFTER_ROWS rows or more, PostgreSQL's statistics of the
    snapshots, so that it plans the pages on the days just stored: autovacuum analyzes a table
    once a tenth of it has changed, which a year of a nation's snapshots reaches in weeks, and
    until then it would take the new day for an empty one (and a province's 1,200 rows for a
    nation's, reading 120,000 where it needs 1,200). Whether it ran."""
    connection = connections[using]
    if written < ANALYZE_AFTER_ROWS or connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {TABLE}")
    return True


def _store(communes: QuerySet[Commune], date: datetime.date, *, using="default") -> int:
    """Store (or replace) the snapshot of `date` of every commune of `communes`, computed by the
    dashboard's own statement; the caller holds the communes' locks. Returns the rows written."""
    sums = commune_sums_statement(communes, date, p="fill_")
    columns = ", ".join(SNAPSHOT_SUMS)
    updates = ", ".join(f"{name} = excluded.{name}" for name in SNAPSHOT_SUMS)
    # `WHERE 1 = 1`: SQLite reads ON CONFLICT after a bare SELECT as a join constraint.
    insert = Statement(
        f"INSERT INTO {TABLE} (commune_id, date, {columns}, computed_at) "
        f"SELECT s.id, %(fill_date)s, {', '.join(f's.{n}' for n in SNAPSHOT_SUMS)}, "
        f"%(fill_now)s FROM ({sums.sql}) s WHERE 1 = 1 "
        f"ON CONFLICT (commune_id, date) DO UPDATE SET {updates}, "
        "computed_at = excluded.computed_at",
        {
            **sums.params,
            "fill_date": date,
            "fill_now": connections[using].ops.adapt_datetimefield_value(timezone.now()),
        },
    )
    return insert.execute_write(using)


def snapshots_invalidate(
    *, commune_ids: Iterable[int | None], since: datetime.date | None, queue_fill: QueueFill
) -> int:
    """Delete the snapshots of `commune_ids` from `since` on (every date with None), in the
    current transaction and under the communes' locks (see the module's docstring), compute
    today's again when the write may change it, and hand the other deleted days to `queue_fill`
    once the transaction commits. Returns the rows deleted."""
    ids = sorted({pk for pk in commune_ids if pk is not None})
    if not ids:
        return 0
    # Inside the write's transaction when there is one (no savepoint: the write and this
    # deletion stand or fall together), in a transaction of its own otherwise.
    with transaction.atomic(savepoint=False):
        _lock(Commune.objects.filter(pk__in=ids))
        placeholders = ", ".join(["%s"] * len(ids))
        sql = f"DELETE FROM {TABLE} WHERE commune_id IN ({placeholders})"
        params: list = list(ids)
        if since is not None:
            sql += " AND date >= %s"
            params.append(since)
        with connections["default"].cursor() as cursor:
            cursor.execute(sql + " RETURNING date", params)
            dates = sorted({_as_date(row[0]) for row in cursor.fetchall()})
        today = local_today()
        if since is None or since <= today:
            # After the write, under the lock: exact at once, whoever reads next.
            _store(Commune.objects.filter(pk__in=ids), today)
            dates = [date for date in dates if date != today]
    if dates:
        transaction.on_commit(lambda: queue_fill(dates, ids), robust=True)
    return len(dates)


def _as_date(value) -> datetime.date:
    # SQLite's RETURNING hands back the stored text, not a date.
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def _stored_sums(communes: QuerySet[Commune], dates: list[datetime.date]) -> list[dict]:
    """Per date: how many communes are in scope, how many have a snapshot, and their sums."""
    scope = compiled(communes.order_by().values("id"), "scope_")
    points = " UNION ALL ".join(
        f"SELECT {index} AS point, %(date_{index})s AS date" for index in range(len(dates))
    )
    days = ", ".join(f"%(date_{index})s" for index in range(len(dates)))
    sums = ", ".join(f"SUM(s.{name}) AS {name}" for name in RATIO_SUMS)
    kept = ", ".join(f"COALESCE(k.{name}, 0) AS {name}" for name in RATIO_SUMS)
    # The snapshots of the days summed by day first (one pass over the date index), then put
    # on the points: not a probe per point and commune.
    sql = f"""SELECT d.point, (SELECT COUNT(*) FROM ({scope.sql}) sc) AS scope_size,
       COALESCE(k.stored, 0) AS stored, {kept}
FROM ({points}) d
LEFT JOIN (
    SELECT s.date, COUNT(*) AS stored, {sums}
    FROM {TABLE} s
    WHERE s.date IN ({days}) AND s.commune_id IN ({scope.sql})
    GROUP BY s.date
) k ON k.date = d.date"""
    params = {**scope.params, **{f"date_{i}": date for i, date in enumerate(dates)}}
    return sorted(Statement(sql, params).execute(communes.db), key=lambda row: row["point"])


def _missing(communes: QuerySet[Commune], dates: dict[int, datetime.date]) -> dict[int, list[int]]:
    """Per point, the communes of `communes` without a snapshot of its date."""
    scope = compiled(communes.order_by().values("id"), "scope_")
    points = " UNION ALL ".join(
        f"SELECT {index} AS point, %(date_{index})s AS date" for index in dates
    )
    sql = f"""SELECT d.point, c.id FROM ({points}) d CROSS JOIN ({scope.sql}) c
WHERE NOT EXISTS (SELECT 1 FROM {TABLE} s WHERE s.commune_id = c.id AND s.date = d.date)"""
    params = {**scope.params, **{f"date_{i}": date for i, date in dates.items()}}
    missing: dict[int, list[int]] = defaultdict(list)
    for row in Statement(sql, params).execute(communes.db):
        missing[row["point"]].append(row["id"])
    return missing


def series_sums(
    communes: QuerySet[Commune], dates: list[datetime.date], *, queue_fill: QueueFill | None = None
) -> list[dict]:
    """For each date, the sums behind the percentages over `communes` as of that date: the
    stored snapshots, plus the communes without one computed from the counts. One query when
    every commune has its snapshots, three otherwise, whatever the number of communes; the
    missing days are handed to `queue_fill`, so the next view reads them."""
    if not dates or communes.query.is_empty():
        return [{"point": index, **dict.fromkeys(RATIO_SUMS, 0)} for index in range(len(dates))]
    stored = _stored_sums(communes, dates)
    partial = {
        row["point"]: dates[row["point"]] for row in stored if 0 < row["stored"] < row["scope_size"]
    }
    missing = _missing(communes, partial) if partial else {}
    to_compute = []
    for row in stored:
        point = row["point"]
        if row["stored"] == row["scope_size"]:
            continue
        if row["stored"] == 0:
            to_compute.append((point, communes))
        else:
            to_compute.append((point, communes.filter(pk__in=missing[point])))
    if not to_compute:
        return stored
    computed = computed_series_sums([(dates[point], scope) for point, scope in to_compute])
    for (point, _scope), sums in zip(to_compute, computed, strict=True):
        for name in RATIO_SUMS:
            stored[point][name] = int(stored[point][name] or 0) + int(sums[name] or 0)
    if queue_fill is not None:
        whole = any(row["stored"] == 0 for row in stored)
        ids = None if whole else sorted({pk for ids in missing.values() for pk in ids})
        queue_fill(sorted({dates[point] for point, _scope in to_compute}), ids)
    return stored


# Each commune in scope from its snapshot of the day when it has one (`kept` 1), else from the
# counts (`kept` 0): the columns of dashboard.sql.commune_sums, in its order.
KEPT_SUMS = """SELECT {identity},
       {sums}, 1 AS kept
FROM {commune} c
JOIN {district} d ON d.id = c.district_id
JOIN {snapshot} s ON s.commune_id = c.id AND s.date = %(kept_date)s
WHERE c.id IN ({scope})
UNION ALL
SELECT computed.*, 0 AS kept FROM ({computed}) computed"""


def kept_commune_sums(
    communes: QuerySet[Commune], as_of: datetime.date, *, queue_fill: QueueFill | None = None
) -> list[dict]:
    """dashboard.sql.commune_sums, read from the snapshots of `as_of` where stored and computed
    from the counts for the communes without one, in one statement whatever the number of
    communes; the communes computed are handed to `queue_fill`, so the next view reads them.
    Each row says whether it was `kept`."""
    if communes.query.is_empty():
        return []
    lacking = communes.filter(
        ~Exists(
            DailyCommuneSnapshot.objects.unscoped()
            .using(communes.db)
            .filter(commune=OuterRef("pk"), date=as_of)
        )
    )
    computed = commune_sums_statement(lacking, as_of, p="computed_")
    scope = compiled(communes.order_by().values("id"), "kept_scope_")
    sql = KEPT_SUMS.format(
        identity=COMMUNE_IDENTITY,
        sums=",\n       ".join(f"s.{name}" for name in SNAPSHOT_SUMS),
        snapshot=TABLE,
        scope=scope.sql,
        computed=computed.sql,
        **TABLES,
    )
    params = {**computed.params, **scope.params, "kept_date": as_of}
    rows = Statement(sql, params).execute(communes.db)
    missing = sorted(row["id"] for row in rows if not row["kept"])
    if missing and queue_fill is not None:
        queue_fill([as_of], missing)
    return rows
