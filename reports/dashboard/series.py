"""Coverage and Bluzone % over time: weekly points up to D, each exactly as of its own date."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Least

from bmp_comms.percent import percent
from communes.models import Commune, Village
from reports.dashboard.coverage import latest_installs_subquery, village_members_subquery

DEFAULT_WEEKS = 12


@dataclass(frozen=True)
class SeriesPoint:
    date: datetime.date
    coverage_pct: Decimal | None
    bluzone_pct: Decimal | None


def weekly_dates(end: datetime.date, weeks: int = DEFAULT_WEEKS) -> list[datetime.date]:
    """`weeks` dates a week apart, oldest first, the last one being `end`."""
    return [end - datetime.timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]


def coverage_series(
    *, communes: QuerySet[Commune], end: datetime.date, weeks: int = DEFAULT_WEEKS
) -> list[SeriesPoint]:
    """One query for the whole series: for each date, one pair of sums over the villages of
    `communes`, each computed from the counts on or before that date (households and smartphone
    users are as they are now, so their sums are shared by every point)."""
    dates = weekly_dates(end, weeks)
    sums = {
        "households_sum": Sum("households", filter=Q(households__gt=0)),
        "smartphone_users_sum": Sum("smartphone_users", filter=Q(smartphone_users__gt=0)),
    }
    for index, date in enumerate(dates):
        members = Coalesce(village_members_subquery(date), Value(0))
        installs = Coalesce(latest_installs_subquery(date), Value(0))
        sums[f"covered_{index}"] = Sum(
            Least(members, "households", output_field=IntegerField()),
            filter=Q(households__gt=0),
        )
        sums[f"installs_{index}"] = Sum(installs, filter=Q(smartphone_users__gt=0))
    row = Village.objects.filter(commune__in=communes.order_by()).aggregate(**sums)
    return [
        SeriesPoint(
            date=date,
            coverage_pct=percent(row[f"covered_{index}"], row["households_sum"]),
            bluzone_pct=percent(row[f"installs_{index}"], row["smartphone_users_sum"]),
        )
        for index, date in enumerate(dates)
    ]
