"""How a chart is written on each medium: its width in the viewBox's units, the sizes of its text,
how wide a text is drawn, and how each mark says its colour.

The compliance report's PDF (REPORT) carries its colours and font as attributes, since the PDF
has no stylesheet of its own for them, and measures its labels in its own font (Liberation
Serif, with fonttools). The pages (PAGE) give each mark a CSS class, styled in
static/css/dashboard.css, and write their text in the page's font, which the browser picks
among the system's: its widths are estimated from a sans-serif's proportions, a little wide."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured

# The font the report's charts are drawn in (static/fonts), measured to place labels.
REPORT_FONT = "fonts/LiberationSerif-Regular.ttf"


@functools.cache
def _serif_advances() -> tuple[dict[int, int], int, int]:
    """The advance width of each character of the report's regular font, its units per em and
    the width of a character it lacks (Liberation Serif 2 covers Vietnamese)."""
    from fontTools.ttLib import TTFont

    path = finders.find(REPORT_FONT)
    if not path:
        raise ImproperlyConfigured(f"static/{REPORT_FONT} is missing: the report needs it")
    font = TTFont(path, lazy=True)
    metrics = font["hmtx"].metrics
    widths = {code: metrics[name][0] for code, name in font.getBestCmap().items()}
    return widths, font["head"].unitsPerEm, metrics[".notdef"][0]


def serif_width(text: str, size: float) -> float:
    """How wide `text` is drawn at `size` in the report's font, in the viewBox's units."""
    widths, units_per_em, missing = _serif_advances()
    return sum(widths.get(ord(char), missing) for char in text) * size / units_per_em


# Advances of a sans-serif (Arial's and Liberation Sans's, per 1000 em) by base letter; a
# Vietnamese letter is as wide as its letter without marks. Other system fonts (Roboto,
# Segoe UI, San Francisco, DejaVu Sans) run up to a tenth wider: SANS_MARGIN covers them.
_SANS = {
    **dict.fromkeys("0123456789", 556),
    **dict.fromkeys(" ,.:;/!'|", 278),
    **dict.fromkeys("ijl", 222),
    **dict.fromkeys("ftI", 278),
    **dict.fromkeys("r-()", 333),
    **dict.fromkeys("cksvxyz", 500),
    **dict.fromkeys("mM", 833),
    **dict.fromkeys("wCDĐGHNOQRU", 722),
    **dict.fromkeys("W%", 944),
    "J": 500,
    "–": 556,
    "—": 1000,
    "…": 1000,
}
_SANS_LOWER, _SANS_UPPER, _SANS_OTHER = 556, 667, 600
SANS_MARGIN = 1.1


def _sans_advance(char: str) -> int:
    base = unicodedata.normalize("NFD", char)[:1] or char
    if base in _SANS:
        return _SANS[base]
    if base.islower():
        return _SANS_LOWER
    if base.isupper():
        return _SANS_UPPER
    return _SANS_OTHER


def sans_width(text: str, size: float) -> float:
    """About how wide `text` is drawn at `size` in the page's font, erring wide."""
    return sum(_sans_advance(char) for char in text) * size * SANS_MARGIN / 1000


# Each mark's paint: what its element carries right after its name (a class) and after its
# geometry (presentation attributes).
Paint = tuple[str, str]


@dataclass(frozen=True, kw_only=True)
class Look:
    width: int
    measure: Callable[[str, float], float]
    # Added to every <text> after its geometry: the report's font; the page's comes from CSS.
    font: str
    paint: Mapping[str, Paint]
    frame_class: str
    # How wide the legend reckons a label to be.
    legend_width: Callable[[str], float]
    text_size: int
    tick_size: int
    date_size: int
    value_size: int
    legend_line: int
    # Bars: the names' column (None: as wide as the longest name, measured), the room kept
    # right of the scale for a value label (None: as wide as 100,0's, measured), each row's
    # height, its two bars' offsets in it, their height; whether rows sharing one target get
    # one line through them all.
    bars_left: float | None
    bars_right: float | None
    bars_top: float
    row_height: float
    bar_offsets: tuple[float, float]
    bar_height: int
    joined_target: bool
    # Lines: the plot's left edge (None: just past the widest tick, measured), right margin,
    # top and bottom.
    lines_left: float | None
    lines_right: float
    lines_top: float
    lines_bottom: float
    point_radius: str
    # Decimals of a coordinate: a tenth in the PDF; a whole unit on a page, where a unit is
    # about a pixel and every digit is sent to a phone.
    decimals: int = 1
    # A value label's distance from its bar's end; the target line's stroke, which a label
    # keeps clear of on each side.
    value_gap: float = 3.0
    target_stroke: float = 1.6

    @property
    def target_clearance(self) -> float:
        return self.target_stroke / 2 + 1.5

    def mark(self, role: str) -> Paint:
        return self.paint.get(role, ("", ""))


COVERAGE_COLOUR = "#1f4e79"
BLUZONE_COLOUR = "#6a9f3a"
TARGET_COLOUR = "#c00000"
GRID_COLOUR = "#bfbfbf"


def _report_paint() -> dict[str, Paint]:
    target = f' stroke="{TARGET_COLOUR}"'
    return {
        "coverage": ("", f' fill="{COVERAGE_COLOUR}"'),
        "bluzone": ("", f' fill="{BLUZONE_COLOUR}"'),
        "coverage line": ("", f' fill="none" stroke="{COVERAGE_COLOUR}" stroke-width="2"'),
        "bluzone line": ("", f' fill="none" stroke="{BLUZONE_COLOUR}" stroke-width="2"'),
        "grid": ("", f' stroke="{GRID_COLOUR}" stroke-width="0.6"'),
        "legend target": ("", f'{target} stroke-width="2" stroke-dasharray="4 2"'),
        "target": (' class="target"', f'{target} stroke-width="1.6" stroke-dasharray="3 1.5"'),
        "series target": (' class="target"', f'{target} stroke-width="1.6" stroke-dasharray="6 3"'),
        "value": ("", ' fill="#000000" class="value"'),
        "value inside": ("", ' fill="#ffffff" class="value"'),
    }


REPORT = Look(
    width=640,
    measure=serif_width,
    font=" font-family=\"'Report Serif', serif\"",
    paint=_report_paint(),
    frame_class="chart",
    # The report's legend was spaced by its labels' length; kept, so its PDF does not move.
    legend_width=lambda label: 7 * len(label),
    text_size=12,
    tick_size=11,
    date_size=10,
    value_size=9,
    legend_line=16,
    bars_left=150.0,
    bars_right=40.0,
    bars_top=34.0,
    row_height=24.0,
    bar_offsets=(3.0, 12.0),
    bar_height=8,
    joined_target=False,
    lines_left=44.0,
    lines_right=14.0,
    lines_top=30.0,
    lines_bottom=200.0,
    point_radius="2.6",
)

# Roles whose class is their name on the page (static/css/dashboard.css styles them).
_PAGE_ROLES = (
    "coverage",
    "bluzone",
    "coverage line",
    "bluzone line",
    "grid",
    "legend target",
    "target",
    "series target",
    "value",
    "value inside",
    "axis",
    "muted",
)

# 360 units: a phone's width in CSS pixels, so a 14-unit text reads at 13 px on the narrowest
# phone the portal serves (336 px inside its margins), and at 17 px on a wide screen, where
# static/css/dashboard.css lets a chart grow to 28rem.
PAGE = Look(
    width=360,
    measure=sans_width,
    font="",
    paint={role: (f' class="{role}"', "") for role in _PAGE_ROLES},
    frame_class="chart",
    legend_width=lambda label: sans_width(label, 14),
    text_size=14,
    tick_size=13,
    date_size=13,
    value_size=13,
    legend_line=18,
    bars_left=None,
    bars_right=None,
    bars_top=36.0,
    row_height=36.0,
    bar_offsets=(3.0, 19.0),
    bar_height=14,
    joined_target=True,
    lines_left=None,
    lines_right=10.0,
    lines_top=34.0,
    lines_bottom=194.0,
    point_radius="3",
    decimals=0,
)
