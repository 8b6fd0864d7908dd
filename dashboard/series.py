"""Coverage and Bluzone % over time: weekly points up to D, each exactly as of its own date."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from bmp_comms.percent import percent
from communes.models import Commune
from dashboard.figures import RATIOS, Figures
from dashboard.snapshots import series_sums
from dashboard.sql import RATIO_SUMS
from dashboard.tasks import queue_fill_on_commit

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
    *,
    communes: QuerySet[Commune],
    end: datetime.date,
    weeks: int = DEFAULT_WEEKS,
    end_figures: Figures | None = None,
) -> list[SeriesPoint]:
    """At each date, the dashboard's own village rows as of that date summed over `communes`
    (households and smartphone users are as they are now): the past dates from the daily
    snapshots (dashboard.snapshots; one query when all are stored), the last one from
    `end_figures`, the figures as of `end` that the caller has already computed, if given."""
    dates = weekly_dates(end, weeks)
    past = dates[:-1] if end_figures is not None else dates
    sums = series_sums(communes, past, queue_fill=queue_fill_on_commit)
    if end_figures is not None:
        sums.append({name: end_figures.sums[name] for name in RATIO_SUMS})
    points = []
    for date, point in zip(dates, sums, strict=True):
        ratios = {
            name: percent(int(point[ratio.numerator] or 0), int(point[ratio.denominator] or 0))
            for name, ratio in RATIOS.items()
        }
        points.append(SeriesPoint(date=date, **ratios))
    return points
