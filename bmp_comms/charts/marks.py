"""The marks a chart is made of, written as SVG in a look (bmp_comms.charts.looks): texts, bars,
lines and points, the legend, and the <svg> element around them. Coordinates are in the
viewBox's units, written to a tenth."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from bmp_comms.charts.looks import Look
from bmp_comms.numbers import NO_PERCENT, NumberWriter

TICKS = (0, 25, 50, 75, 100)
ONE_DECIMAL = Decimal("0.1")


def clamp_pct(value: Decimal | int | None) -> float | None:
    """A percentage on the 0–100 scale of a chart; None stays None (no denominator)."""
    return None if value is None else min(max(float(value), 0.0), 100.0)


class Drawing:
    """The marks of one chart, in order, in one look; `svg()` wraps them up."""

    def __init__(self, look: Look) -> None:
        self.look = look
        self.parts: list[str] = []
        self.numbers = NumberWriter()
        self.places = look.decimals

    def at(self, value: float) -> str:
        """A coordinate, to the look's decimals."""
        return f"{value:.{self.places}f}"

    def size(self, value: float | int) -> str:
        """A width or a height: a whole number as it is, else as a coordinate."""
        return self.at(value) if isinstance(value, float) else str(value)

    def decimal(self, value: Decimal | float | int | None) -> str:
        """A percentage as the active language writes it, rounded half-up to one decimal
        (66,7 in Vietnamese), without its sign; a dash where there is none."""
        if value is None:
            return NO_PERCENT
        rounded = Decimal(str(value)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)
        return self.numbers.number(rounded, 1)

    def text(
        self,
        x: float,
        y: float,
        text: str,
        *,
        size: int | None = None,
        anchor: str = "start",
        role: str = "",
    ) -> None:
        before, after = self.look.mark(role)
        size = self.look.text_size if size is None else size
        self.parts.append(
            f'<text{before} x="{self.at(x)}" y="{self.at(y)}" font-size="{size}" '
            f'text-anchor="{anchor}"{self.look.font}{after}>{escape(text)}</text>'
        )

    def rect(self, x: float, y: float, width: float | int, height: float | int, role: str) -> None:
        before, after = self.look.mark(role)
        self.parts.append(
            f'<rect{before} x="{self.at(x)}" y="{self.at(y)}" width="{self.size(width)}" '
            f'height="{self.size(height)}"{after}/>'
        )

    def line(self, x1: float, y1: float, x2: float, y2: float, role: str) -> None:
        before, after = self.look.mark(role)
        at = self.at
        self.parts.append(
            f'<line{before} x1="{at(x1)}" y1="{at(y1)}" x2="{at(x2)}" y2="{at(y2)}"{after}/>'
        )

    def circle(self, x: float, y: float, role: str) -> None:
        before, after = self.look.mark(role)
        radius = self.look.point_radius
        self.parts.append(
            f'<circle{before} cx="{self.at(x)}" cy="{self.at(y)}" r="{radius}"{after}/>'
        )

    def polyline(self, points: list[str], role: str) -> None:
        before, after = self.look.mark(role)
        self.parts.append(f'<polyline{before} points="{" ".join(points)}"{after}/>')

    def legend(self, y: float, labels: dict[str, str]) -> float:
        """Coverage and Bluzone swatches, then the target's line, from the left edge at `y`,
        going on to a new line where the next one would not fit; the y of the last line."""
        look, x = self.look, 0.0
        for role in ("coverage", "bluzone"):
            advance = 30 + look.legend_width(labels[role])
            if x and x + advance - 11 > look.width:
                x, y = 0.0, y + look.legend_line
            self.rect(x, y - 9, 14, 10, role)
            self.text(x + 19, y, labels[role])
            x += advance
        if x and x + 21 + look.legend_width(labels["target"]) > look.width:
            x, y = 0.0, y + look.legend_line
        self.line(x, y - 4, x + 16, y - 4, "legend target")
        self.text(x + 21, y, labels["target"])
        return y

    def svg(
        self,
        height: float,
        title: str,
        *,
        desc: str | None = None,
        chart_id: str | None = None,
    ) -> SafeString:
        """The <svg> element, as wide as its container. With an id, it is named by its own
        <title> and described by its <desc> (a page's); without, by an aria-label (the
        report's, whose caption under it says the rest)."""
        look = self.look
        opening = (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="{look.frame_class}" '
            f'viewBox="0 0 {look.width} {height:.0f}" width="100%" role="img"'
        )
        if chart_id is None:
            head = f' aria-label="{escape(title)}">'
        else:
            name = escape(chart_id)
            head = (
                f' id="{name}" aria-labelledby="{name}-title {name}-desc">'
                f'<title id="{name}-title">{escape(title)}</title>'
                f'<desc id="{name}-desc">{escape(desc or "")}</desc>'
            )
        # Every text above went through escape(); the marks escape theirs.
        return mark_safe(f"{opening}{head}{''.join(self.parts)}</svg>")
