"""The report's charts: bmp_comms.charts in the report's look (Liberation Serif, measured; colours
inline), inline in the PDF's HTML. Coordinates are in the viewBox's units; the chart takes the
width of the text block (about 165 mm), so one unit is about 0.73 pt and a 13-unit label about
9.5 pt."""

from __future__ import annotations

from django.utils.safestring import SafeString

from bmp_comms import charts


def commune_bars(rows, *, labels: dict[str, str], title: str) -> SafeString:
    """For each commune, its coverage % and Bluzone % as two bars on a 0–100 scale, and a tick
    at its Bluzone target."""
    return charts.commune_bars(rows, labels=labels, title=title, look=charts.REPORT)


def series_lines(series, *, target: int, labels: dict[str, str], title: str) -> SafeString:
    """Coverage % and Bluzone % at each weekly point up to D, and the target as a dashed line."""
    return charts.series_lines(
        series, target=target, labels=labels, title=title, look=charts.REPORT
    )
