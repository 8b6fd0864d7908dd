"""The report's charts as SVG drawn here, inline in the PDF's HTML: no script, no image file, the
same on every machine. Coordinates are in the viewBox's units; the chart takes the width of
the text block (about 165 mm), so one unit is about 0.73 pt and a 13-unit label about 9.5 pt."""

from __future__ import annotations

import functools
from decimal import Decimal

from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from reports.formatting import vn_decimal

WIDTH = 640
FONT = "font-family=\"'Report Serif', serif\""
COVERAGE_COLOUR = "#1f4e79"
BLUZONE_COLOUR = "#6a9f3a"
TARGET_COLOUR = "#c00000"
GRID_COLOUR = "#bfbfbf"
TICKS = (0, 25, 50, 75, 100)
# The font the charts' text is drawn in (the report's, static/fonts), measured to place labels.
REGULAR_FONT = "fonts/LiberationSerif-Regular.ttf"
# A bar's value label: its size, its distance from the bar's end, and the room it leaves on
# each side of a target line, whose stroke it must never touch.
VALUE_SIZE = 9
VALUE_GAP = 3.0
TARGET_STROKE = 1.6
TARGET_CLEARANCE = TARGET_STROKE / 2 + 1.5


@functools.cache
def _advances() -> tuple[dict[int, int], int, int]:
    """The advance width of each character of the report's regular font, its units per em and
    the width of a character it lacks (Liberation Serif 2 covers Vietnamese)."""
    from fontTools.ttLib import TTFont

    path = finders.find(REGULAR_FONT)
    if not path:
        raise ImproperlyConfigured(f"static/{REGULAR_FONT} is missing: the report needs it")
    font = TTFont(path, lazy=True)
    metrics = font["hmtx"].metrics
    widths = {code: metrics[name][0] for code, name in font.getBestCmap().items()}
    return widths, font["head"].unitsPerEm, metrics[".notdef"][0]


def text_width(text: str, size: float) -> float:
    """How wide `text` is drawn at `size`, in the viewBox's units."""
    widths, units_per_em, missing = _advances()
    return sum(widths.get(ord(char), missing) for char in text) * size / units_per_em


def value_label_x(
    *, bar_start: float, bar_end: float, label: str, target_x: float
) -> tuple[float, bool]:
    """Where a bar's value label starts, and whether it sits inside the bar: after the bar's
    end where that leaves the target line clear; else inside the bar, at its end, where it
    fits clear of the line; else just past the line (the bar then ends before it, so the label
    covers no bar). A label never crosses its row's target line."""
    width = text_width(label, VALUE_SIZE)

    def clear(start: float) -> bool:
        return start + width <= target_x - TARGET_CLEARANCE or start >= target_x + TARGET_CLEARANCE

    outside = bar_end + VALUE_GAP
    if clear(outside):
        return outside, False
    inside = bar_end - VALUE_GAP - width
    if inside >= bar_start + VALUE_GAP and clear(inside):
        return inside, True
    return target_x + TARGET_CLEARANCE, False


def _text(x: float, y: float, text: str, *, size: int = 12, anchor: str = "start", **attrs) -> str:
    # `class_` is the attribute `class`; other underscores are hyphens (`font_weight`).
    extra = "".join(
        f' {name.rstrip("_").replace("_", "-")}="{value}"' for name, value in attrs.items()
    )
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" {FONT}{extra}>'
        f"{escape(text)}</text>"
    )


def _legend(y: float, labels: dict[str, str]) -> list[str]:
    """Coverage and Bluzone swatches, then the target's line."""
    parts, x = [], 0.0
    for colour, label in (
        (COVERAGE_COLOUR, labels["coverage"]),
        (BLUZONE_COLOUR, labels["bluzone"]),
    ):
        parts.append(f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="14" height="10" fill="{colour}"/>')
        parts.append(_text(x + 19, y, label))
        x += 30 + 7 * len(label)
    parts.append(
        f'<line x1="{x:.1f}" y1="{y - 4:.1f}" x2="{x + 16:.1f}" y2="{y - 4:.1f}" '
        f'stroke="{TARGET_COLOUR}" stroke-width="2" stroke-dasharray="4 2"/>'
    )
    parts.append(_text(x + 21, y, labels["target"]))
    return parts


def _svg(height: float, parts: list[str], title: str) -> SafeString:
    body = "".join(parts)
    # Every text above went through escape().
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'width="100%" role="img" aria-label="{escape(title)}">{body}</svg>'
    )


def _pct(value: Decimal | None) -> float | None:
    return None if value is None else min(max(float(value), 0.0), 100.0)


def commune_bars(rows, *, labels: dict[str, str], title: str) -> SafeString:
    """For each commune, its coverage % and Bluzone % as two bars on a 0–100 scale, and a tick
    at its Bluzone target."""
    left, right, top, row_height = 150.0, WIDTH - 40.0, 34.0, 24.0
    span = right - left
    height = top + row_height * len(rows) + 26
    parts = _legend(14, labels)
    for tick in TICKS:
        x = left + span * tick / 100
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 4:.1f}" x2="{x:.1f}" '
            f'y2="{top + row_height * len(rows):.1f}" stroke="{GRID_COLOUR}" stroke-width="0.6"/>'
        )
        parts.append(_text(x, height - 8, f"{tick} %", size=11, anchor="middle"))
    for index, row in enumerate(rows):
        y = top + row_height * index
        parts.append(_text(left - 6, y + 15, row.name, anchor="end"))
        target_x = left + span * _pct(Decimal(row.bluzone_target_pct)) / 100
        for offset, value, colour in (
            (3.0, row.coverage_pct, COVERAGE_COLOUR),
            (12.0, row.bluzone_pct, BLUZONE_COLOUR),
        ):
            pct = _pct(value)
            width = 0.0 if pct is None else span * pct / 100
            if pct is not None:
                parts.append(
                    f'<rect x="{left:.1f}" y="{y + offset:.1f}" width="{width:.1f}" height="8" '
                    f'fill="{colour}"/>'
                )
            label = "—" if value is None else vn_decimal(value)
            x, inside = value_label_x(
                bar_start=left, bar_end=left + width, label=label, target_x=target_x
            )
            parts.append(
                _text(
                    x,
                    y + offset + 8,
                    label,
                    size=VALUE_SIZE,
                    fill="#ffffff" if inside else "#000000",
                    class_="value",
                )
            )
        # Drawn last, over the bars; the labels keep clear of it (value_label_x).
        parts.append(
            f'<line class="target" x1="{target_x:.1f}" y1="{y + 1:.1f}" x2="{target_x:.1f}" '
            f'y2="{y + row_height - 2:.1f}" stroke="{TARGET_COLOUR}" '
            f'stroke-width="{TARGET_STROKE}" stroke-dasharray="3 1.5"/>'
        )
    return _svg(height, parts, title)


def series_lines(series, *, target: int, labels: dict[str, str], title: str) -> SafeString:
    """Coverage % and Bluzone % at each weekly point up to D, and the target as a dashed line."""
    left, right, top, bottom = 44.0, WIDTH - 14.0, 30.0, 200.0
    height = bottom + 30
    parts = _legend(14, labels)

    def y_of(pct: float) -> float:
        return bottom - (bottom - top) * pct / 100

    for tick in TICKS:
        y = y_of(tick)
        parts.append(
            f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{right:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID_COLOUR}" stroke-width="0.6"/>'
        )
        parts.append(_text(left - 5, y + 4, f"{tick} %", size=11, anchor="end"))
    count = len(series)
    step = (right - left) / max(count - 1, 1)
    xs = [left + step * index for index in range(count)]
    for x, point in zip(xs, series, strict=True):
        parts.append(_text(x, bottom + 16, point.date.strftime("%d/%m"), size=10, anchor="middle"))
    y = y_of(_pct(Decimal(target)))
    parts.append(
        f'<line class="target" x1="{left:.1f}" y1="{y:.1f}" x2="{right:.1f}" y2="{y:.1f}" '
        f'stroke="{TARGET_COLOUR}" stroke-width="{TARGET_STROKE}" stroke-dasharray="6 3"/>'
    )
    for attribute, colour in (("coverage_pct", COVERAGE_COLOUR), ("bluzone_pct", BLUZONE_COLOUR)):
        # A week with no denominator breaks the line rather than dropping it to 0.
        segment: list[str] = []
        segments = [segment]
        for x, point in zip(xs, series, strict=True):
            pct = _pct(getattr(point, attribute))
            if pct is None:
                segment = []
                segments.append(segment)
                continue
            segment.append(f"{x:.1f},{y_of(pct):.1f}")
            parts.append(f'<circle cx="{x:.1f}" cy="{y_of(pct):.1f}" r="2.6" fill="{colour}"/>')
        for points in segments:
            if len(points) > 1:
                parts.append(
                    f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" '
                    'stroke-width="2"/>'
                )
    return _svg(height, parts, title)
