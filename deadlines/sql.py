"""The local days and the statement parts under the deadlines' reads (deadlines.selectors and
deadlines.statuses).

docs/rules.md#on-time: on time when submitted_at ≤ 23:59:59 Asia/Ho_Chi_Minh on the due date; as
of D, a submission made after D counts as missing. Days are local days: `submitted_at` is cut to
its date in Asia/Ho_Chi_Minh by the database, never in UTC.

The reads are hand-written statements; the scopes they count over (the user's communes and
deadlines) are still written by the ORM, compiled and inlined as the inside of an `IN (…)`.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.functions import TruncDate

from bmp_comms.statements import compiled
from communes.models import Commune
from deadlines.models import Deadline, Inspection, Submission

Coverage = Deadline.communes.through

TABLES = {
    "coverage": Coverage._meta.db_table,
    "deadline": Deadline._meta.db_table,
    "inspection": Inspection._meta.db_table,
    "submission": Submission._meta.db_table,
    "commune": Commune._meta.db_table,
}


def local_day(field_name: str) -> TruncDate:
    return TruncDate(field_name, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


def local_day_end(day: datetime.date) -> datetime.datetime:
    """The instant local day D ends: D + 1 at 00:00 in Asia/Ho_Chi_Minh. A submission made
    before it was made on or before D, by local day."""
    return datetime.datetime.combine(
        day + datetime.timedelta(days=1),
        datetime.time.min,
        tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE),
    )


def submissions_by(as_of: datetime.date) -> QuerySet[Submission]:
    """Submissions made on or before D (local day), with that day as `submitted_on`; a later one
    counts as missing as of D (the rule SUBMITTED_BY applies in the statements)."""
    # Unscoped: the statements that read it keep only the submissions of the communes given.
    return (
        Submission.objects.unscoped()
        .filter(submitted_at__lt=local_day_end(as_of))
        .annotate(submitted_on=local_day("submitted_at"))
    )


# The coverage rows `dc` joined to their submission `s` made by D (see `local_day_end`), if
# any: `s.submitted_at IS NULL` when the commune has not submitted as of D.
SUBMITTED_BY = """LEFT JOIN {submission} s ON s.deadline_id = dc.deadline_id
          AND s.commune_id = dc.commune_id AND s.submitted_at < %(day_end)s"""
# A follow-up deadline `d` does not exist before the date of the inspection that set it.
IN_FORCE_JOIN = "LEFT JOIN {inspection} i ON i.id = d.inspection_id"
IN_FORCE = "(i.date IS NULL OR i.date <= %(as_of)s)"


class Ids(NamedTuple):
    """What goes inside `IN (…)`: a compiled subquery or a list of ids, with named parameters."""

    sql: str
    params: dict
    using: str | None


def ids_in(ids: QuerySet | Iterable[int], prefix: str) -> Ids:
    """`ids` (a queryset, compiled by the ORM as a subquery of its primary keys, or ids) as the
    inside of an `IN (…)`; `NULL`, which matches nothing, when there are none."""
    if isinstance(ids, QuerySet):
        try:
            statement = compiled(ids.order_by().values("pk"), prefix)
        except EmptyResultSet:
            return Ids("NULL", {}, ids.db)
        return Ids(statement.sql, statement.params, ids.db)
    params = {f"{prefix}{index}": pk for index, pk in enumerate(ids)}
    if not params:
        return Ids("NULL", {}, None)
    return Ids(", ".join(f"%({name})s" for name in params), params, None)


def database_of(scopes: Iterable[Ids]) -> str:
    """The database of the scopes' querysets, the default one for lists of ids."""
    return next((scope.using for scope in scopes if scope.using), DEFAULT_DB_ALIAS)


def fetch_rows(sql: str, params: dict, using: str, scopes: Iterable[Ids]) -> list[tuple]:
    """Run `sql` (formatted with TABLES) with `params` and the scopes' parameters."""
    for scope in scopes:
        params.update(scope.params)
    with connections[using].cursor() as cursor:
        cursor.execute(sql.format(**TABLES), params)
        return cursor.fetchall()


def day_params(as_of: datetime.date, using: str) -> dict:
    ops = connections[using].ops
    return {
        "as_of": ops.adapt_datefield_value(as_of),
        "day_end": ops.adapt_datetimefield_value(local_day_end(as_of)),
    }
