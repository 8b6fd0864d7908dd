"""The charts of the dashboard and of a commune's page: bmp_comms.charts in the page's look, the
same drawing as the compliance report's, each named by a title and described by a sentence that
gives its key numbers (read by screen readers; the numbers are in a table beside the chart too).

They are drawn from what the views have already read (the rows, the series, the bands): no
query of their own."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bmp_comms import charts
from bmp_comms.numbers import NumberWriter
from dashboard.selectors import CoverageBand
from dashboard.series import SeriesPoint


@dataclass(frozen=True)
class PageChart:
    """A chart's SVG and its title, which also heads the table of its numbers."""

    svg: SafeString
    title: str


# The most communes drawn a bar each. Taller than that, the chart of a province's hundred
# communes would run to metres on a phone, and its labels alone would take the first load of
# the dashboard past its 70 KiB; the coverage bands tell such a scale better. A district of
# the dispatch's day had a dozen or two communes.
BARS_MAX = 30

SERIES_ID = "series-chart"
BARS_ID = "bars-chart"
BANDS_ID = "bands-chart"


def _day(date: datetime.date) -> str:
    # Dates on pages are dd/mm/yyyy whatever the language (DESIGN, fine print).
    return date.strftime("%d/%m/%Y")


def chart_labels() -> dict[str, str]:
    return {"coverage": _("Coverage %"), "bluzone": _("Bluzone %"), "target": _("Bluzone target %")}


def _measure_course(points: Sequence[SeriesPoint], attribute: str, measure: str) -> str:
    """How one measure went over the weeks: its first figure and its last."""
    percent = NumberWriter().percent
    known = [point for point in points if getattr(point, attribute) is not None]
    if not known:
        return _("%(measure)s has no figure in these weeks.") % {"measure": measure}
    first, last = known[0], known[-1]
    if first is last:
        return _("%(measure)s was %(value)s on %(date)s.") % {
            "measure": measure,
            "value": percent(getattr(last, attribute)),
            "date": _day(last.date),
        }
    return _("%(measure)s went from %(first)s on %(first_date)s to %(last)s on %(last_date)s.") % {
        "measure": measure,
        "first": percent(getattr(first, attribute)),
        "first_date": _day(first.date),
        "last": percent(getattr(last, attribute)),
        "last_date": _day(last.date),
    }


def series_chart(series: Sequence[SeriesPoint], *, target: int) -> PageChart:
    """Coverage and Bluzone % at each weekly point up to D, and the Bluzone target."""
    desc = " ".join(
        (
            _measure_course(series, "coverage_pct", _("Coverage")),
            _measure_course(series, "bluzone_pct", _("Bluzone")),
            _("The Bluzone target is %(target)s %%.") % {"target": target},
        )
    )
    title = _("Coverage and Bluzone week by week, to %(date)s") % {"date": _day(series[-1].date)}
    svg = charts.series_lines(
        series,
        target=target,
        labels=chart_labels(),
        title=title,
        look=charts.PAGE,
        desc=desc,
        chart_id=SERIES_ID,
    )
    return PageChart(svg, title)


def draws_bars(rows) -> bool:
    """Whether the dashboard draws a bar per commune of `rows`, or the coverage bands."""
    return len(rows) <= BARS_MAX


def bars_chart(rows, *, as_of: datetime.date) -> PageChart:
    """A commune's coverage and Bluzone % as two bars, and its Bluzone target, for each of
    `rows` in their order."""
    writer = NumberWriter()
    count = len(rows)
    parts = [
        ngettext("%(count)s commune as of %(date)s.", "%(count)s communes as of %(date)s.", count)
        % {"count": writer.number(count), "date": _day(as_of)}
    ]
    covered = [row for row in rows if row.coverage_pct is not None]
    if covered:
        highest = max(covered, key=lambda row: row.coverage_pct)
        lowest = min(covered, key=lambda row: row.coverage_pct)
        parts.append(
            _(
                "Highest coverage: %(highest)s (%(highest_pct)s); "
                "lowest: %(lowest)s (%(lowest_pct)s)."
            )
            % {
                "highest": highest.name,
                "highest_pct": writer.percent(highest.coverage_pct),
                "lowest": lowest.name,
                "lowest_pct": writer.percent(lowest.coverage_pct),
            }
        )
    meeting = sum(1 for row in rows if row.bluzone_gap_pct is not None and row.bluzone_gap_pct <= 0)
    parts.append(
        _("%(meeting)s of %(count)s meet their Bluzone target.")
        % {"meeting": writer.number(meeting), "count": writer.number(count)}
    )
    title = _("Coverage and Bluzone by commune, as of %(date)s") % {"date": _day(as_of)}
    svg = charts.commune_bars(
        rows,
        labels=chart_labels(),
        title=title,
        look=charts.PAGE,
        desc=" ".join(parts),
        chart_id=BARS_ID,
    )
    return PageChart(svg, title)


def bands_chart(bands: Sequence[CoverageBand], *, as_of: datetime.date) -> PageChart:
    """How many communes fall in each coverage band, a bar for each band; the communes
    without households, whose coverage is undefined, stand apart."""
    number = NumberWriter().number
    communes = sum(band.communes for band in bands)
    filled = "; ".join(f"{band.label}: {number(band.communes)}" for band in bands if band.communes)
    desc = _("Communes by coverage band as of %(date)s, of %(count)s: %(bands)s.") % {
        "date": _day(as_of),
        "count": number(communes),
        "bands": filled,
    }
    title = _("Communes by coverage, as of %(date)s") % {"date": _day(as_of)}
    svg = charts.count_bars(
        [charts.CountBar(band.label, band.communes, muted=band.low is None) for band in bands],
        title=title,
        look=charts.PAGE,
        desc=desc,
        chart_id=BANDS_ID,
    )
    return PageChart(svg, title)
