"""Bar charts: coverage and Bluzone % of each commune against its Bluzone target (the report's and
the dashboard's), and how many communes fall in each band of a scale (the dashboard's past one
page of communes)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.safestring import SafeString

from bmp_comms.charts.looks import REPORT, Look
from bmp_comms.charts.marks import TICKS, Drawing, clamp_pct

LEGEND_Y = 14
# The names' column never takes more than this share of the width; a longer name is cut.
NAMES_SHARE = 0.4
ELLIPSIS = "…"
# A digit's height, in ems (about 0.72 in common fonts).
DIGIT_HEIGHT = 0.72


def value_label_x(
    *, bar_start: float, bar_end: float, label: str, target_x: float, look: Look = REPORT
) -> tuple[float, bool]:
    """Where a bar's value label starts, and whether it sits inside the bar: after the bar's
    end where that leaves the target line clear; else inside the bar, at its end, where it
    fits clear of the line; else just past the line (the bar then ends before it, so the label
    covers no bar). A label never crosses its row's target line."""
    width = look.measure(label, look.value_size)
    clearance = look.target_clearance

    def clear(start: float) -> bool:
        return start + width <= target_x - clearance or start >= target_x + clearance

    outside = bar_end + look.value_gap
    if clear(outside):
        return outside, False
    inside = bar_end - look.value_gap - width
    if inside >= bar_start + look.value_gap and clear(inside):
        return inside, True
    return target_x + clearance, False


def _fitted(name: str, room: float, look: Look) -> str:
    """`name`, cut with an ellipsis where it is wider than `room`."""
    if look.measure(name, look.text_size) <= room:
        return name
    while name and look.measure(name + ELLIPSIS, look.text_size) > room:
        name = name[:-1]
    return name.rstrip() + ELLIPSIS


def _names_column(names: Sequence[str], look: Look) -> float:
    """Where the bars start: the look's fixed column, or just past the widest name."""
    if look.bars_left is not None:
        return look.bars_left
    widest = max((look.measure(name, look.text_size) for name in names), default=0.0)
    return round(min(widest + 10, look.width * NAMES_SHARE), 1)


def commune_bars(
    rows,
    *,
    labels: dict[str, str],
    title: str,
    look: Look = REPORT,
    desc: str | None = None,
    chart_id: str | None = None,
) -> SafeString:
    """For each row (name, coverage_pct, bluzone_pct, bluzone_target_pct), its coverage % and
    Bluzone % as two bars on a 0–100 scale, each with its value, and a line at its Bluzone
    target."""
    drawing = Drawing(look)
    legend_end = drawing.legend(LEGEND_Y, labels)
    left = _names_column([row.name for row in rows], look)
    right = look.width - (
        look.bars_right
        if look.bars_right is not None
        else round(look.value_gap + look.measure(drawing.decimal(100), look.value_size) + 2)
    )
    top = look.bars_top + (legend_end - LEGEND_Y)
    row_height, bar_height = look.row_height, look.bar_height
    span = right - left
    bottom = top + row_height * len(rows)
    height = bottom + 26
    for tick in TICKS:
        x = left + span * tick / 100
        drawing.line(x, top - 4, x, bottom, "grid")
        drawing.text(x, height - 8, f"{tick} %", size=look.tick_size, anchor="middle", role="axis")
    targets = {row.bluzone_target_pct for row in rows}
    # One line through every row where they share a target; else a line for each row.
    joined = look.joined_target and len(targets) == 1
    # A name centred on its row's two bars.
    name_baseline = (sum(look.bar_offsets) + bar_height) / 2 + look.text_size * 7 / 24
    # A value's digits centred on its bar's height, never lower than the bar's bottom.
    value_baseline = min(bar_height, (bar_height + DIGIT_HEIGHT * look.value_size) / 2 + 1)
    for index, row in enumerate(rows):
        y = top + row_height * index
        name = row.name if look.bars_left is not None else _fitted(row.name, left - 8, look)
        drawing.text(left - 6, y + name_baseline, name, anchor="end")
        target_x = left + span * clamp_pct(Decimal(row.bluzone_target_pct)) / 100
        for offset, value, role in (
            (look.bar_offsets[0], row.coverage_pct, "coverage"),
            (look.bar_offsets[1], row.bluzone_pct, "bluzone"),
        ):
            pct = clamp_pct(value)
            width = 0.0 if pct is None else span * pct / 100
            if pct is not None:
                drawing.rect(left, y + offset, width, bar_height, role)
            label = drawing.decimal(value)
            x, inside = value_label_x(
                bar_start=left, bar_end=left + width, label=label, target_x=target_x, look=look
            )
            drawing.text(
                x,
                y + offset + value_baseline,
                label,
                size=look.value_size,
                role="value inside" if inside else "value",
            )
        # Drawn last, over the bars; the labels keep clear of it (value_label_x).
        if not joined:
            drawing.line(target_x, y + 1, target_x, y + row_height - 2, "target")
    if joined and rows:
        target_x = left + span * clamp_pct(Decimal(targets.pop())) / 100
        drawing.line(target_x, top - 4, target_x, bottom, "target")
    return drawing.svg(height, title, desc=desc, chart_id=chart_id)


@dataclass(frozen=True)
class CountBar:
    """A bar of `count_bars`: its label, its count, and whether it stands apart from the scale
    (drawn muted: communes without households have no coverage at all)."""

    label: str
    count: int
    muted: bool = False


def _count_step(highest: int) -> int:
    """A round step (1, 2 or 5 times a power of ten) that marks the scale at most four times."""
    if highest <= 4:
        return 1
    power = 10 ** int(math.log10(highest / 4))
    return next(power * factor for factor in (1, 2, 5, 10) if highest / (power * factor) <= 4)


def count_bars(
    bars: Sequence[CountBar],
    *,
    title: str,
    look: Look,
    desc: str | None = None,
    chart_id: str | None = None,
) -> SafeString:
    """A horizontal bar for each of `bars`, its count after it, on a scale from 0 marked at
    round steps."""
    drawing = Drawing(look)
    number = drawing.numbers.number
    left = _names_column([bar.label for bar in bars], look)
    top, row_height = 10.0, look.row_height * 0.75
    bar_height = look.bar_height + 2
    step = _count_step(max((bar.count for bar in bars), default=0))
    scale = step * max(math.ceil(max((bar.count for bar in bars), default=0) / step), 1)
    # Room on the right for the value of a bar as long as the scale.
    right = look.width - look.value_gap - look.measure(number(scale), look.value_size) - 2
    span = right - left
    bottom = top + row_height * len(bars)
    height = bottom + 26
    for tick in range(0, scale + 1, step):
        x = left + span * tick / scale
        drawing.line(x, top - 4, x, bottom, "grid")
        drawing.text(x, height - 8, number(tick), size=look.tick_size, anchor="middle", role="axis")
    baseline = (row_height + look.text_size * 0.7) / 2
    for index, bar in enumerate(bars):
        y = top + row_height * index
        drawing.text(left - 6, y + baseline, _fitted(bar.label, left - 8, look), anchor="end")
        width = span * bar.count / scale
        if bar.count:
            bar_y = y + (row_height - bar_height) / 2
            drawing.rect(left, bar_y, width, bar_height, "muted" if bar.muted else "coverage")
        drawing.text(
            left + width + look.value_gap,
            y + baseline,
            number(bar.count),
            size=look.value_size,
            role="value",
        )
    return drawing.svg(height, title, desc=desc, chart_id=chart_id)
