"""Coverage and Bluzone % over time: weekly points up to D, each exactly as of its own date."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from bmp_comms.percent import percent
from communes.models import Commune
from reports.dashboard.figures import RATIOS
from reports.dashboard.sql import series_sums

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
    """One query for the whole series: at each date, the dashboard's own village rows as of that
    date, summed over `communes` (households and smartphone users are as they are now)."""
    dates = weekly_dates(end, weeks)
    points = []
    for date, sums in zip(dates, series_sums(communes, dates), strict=True):
        ratios = {
            name: percent(int(sums[ratio.numerator] or 0), int(sums[ratio.denominator] or 0))
            for name, ratio in RATIOS.items()
        }
        points.append(SeriesPoint(date=date, **ratios))
    return points
