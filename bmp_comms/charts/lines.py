"""Coverage and Bluzone % week by week, and the Bluzone target, as lines (the report's and the
dashboard's)."""

from __future__ import annotations

import math
from decimal import Decimal

from django.utils.safestring import SafeString

from bmp_comms.charts.looks import REPORT, Look
from bmp_comms.charts.marks import TICKS, Drawing, clamp_pct

LEGEND_Y = 14
DATE_FORMAT = "%d/%m"
# The room a date label keeps from the next one.
DATE_GAP = 4


def series_lines(
    series,
    *,
    target: int,
    labels: dict[str, str],
    title: str,
    look: Look = REPORT,
    desc: str | None = None,
    chart_id: str | None = None,
) -> SafeString:
    """Coverage % and Bluzone % at each point of `series` (date, coverage_pct, bluzone_pct),
    oldest first, and the target as a dashed line. Every date is written under its point
    where they fit; else every second (third…), counted back from the last."""
    drawing = Drawing(look)
    legend_end = drawing.legend(LEGEND_Y, labels)
    shift = legend_end - LEGEND_Y
    left = look.lines_left
    if left is None:
        left = round(look.measure("100 %", look.tick_size) + 9)
    right = look.width - look.lines_right
    top, bottom = look.lines_top + shift, look.lines_bottom + shift
    height = bottom + 30

    def y_of(pct: float) -> float:
        return bottom - (bottom - top) * pct / 100

    for tick in TICKS:
        y = y_of(tick)
        drawing.line(left, y, right, y, "grid")
        drawing.text(left - 5, y + 4, f"{tick} %", size=look.tick_size, anchor="end", role="axis")
    count = len(series)
    step = (right - left) / max(count - 1, 1)
    xs = [left + step * index for index in range(count)]
    widest = look.measure("00/00", look.date_size) + DATE_GAP
    every = max(math.ceil(widest / step), 1)
    for index, (x, point) in enumerate(zip(xs, series, strict=True)):
        if (count - 1 - index) % every == 0:
            label = point.date.strftime(DATE_FORMAT)
            # Centred under its point, but never closer to either edge than to the next date.
            half = look.measure(label, look.date_size) / 2 + DATE_GAP / 2
            drawing.text(
                min(max(x, half), look.width - half),
                bottom + 16,
                label,
                size=look.date_size,
                anchor="middle",
                role="axis",
            )
    y = y_of(clamp_pct(Decimal(target)))
    drawing.line(left, y, right, y, "series target")
    for attribute, role in (("coverage_pct", "coverage"), ("bluzone_pct", "bluzone")):
        # A week with no denominator breaks the line rather than dropping it to 0.
        segment: list[str] = []
        segments = [segment]
        for x, point in zip(xs, series, strict=True):
            pct = clamp_pct(getattr(point, attribute))
            if pct is None:
                segment = []
                segments.append(segment)
                continue
            segment.append(f"{drawing.at(x)},{drawing.at(y_of(pct))}")
            drawing.circle(x, y_of(pct), role)
        for points in segments:
            if len(points) > 1:
                drawing.polyline(points, f"{role} line")
    return drawing.svg(height, title, desc=desc, chart_id=chart_id)
