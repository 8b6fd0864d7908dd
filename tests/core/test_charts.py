"""bmp_comms.charts in the pages' look (the report's is held by tests/reports/test_layout.py): well
formed, named and described, every text inside the chart, no value label across a target line,
dates that do not run into each other, bars to scale."""

import datetime
from decimal import Decimal
from itertools import pairwise
from types import SimpleNamespace

import pytest

from bmp_comms import charts
from tests.charts import SVG, at, chart_row, marks, name_and_description, parse, scale, texts

LABELS = {"coverage": "Tỷ lệ bao phủ (%)", "bluzone": "Tỷ lệ cài Bluzone (%)", "target": "Chỉ tiêu"}
PAGE = charts.PAGE


# Values either side of their target, near it and far, the ends of the scale, none at all.
ROWS = [
    chart_row("Bình Thắng", "55.2", "50.1"),
    chart_row("Bù Gia Mập", "59.6", "46.5"),
    chart_row("Đa Kia", "68.8", "48.1"),
    chart_row("Phú Văn", "49.9", "50.0"),
    chart_row("Gần chỉ tiêu", "49.5", "50.6"),
    chart_row("Thấp", "0.4", "1.0", target=2),
    chart_row("Không số liệu", None, None, target=1),
    chart_row("Đủ cả", "100.0", "99.6", target=100),
    chart_row("Chỉ tiêu 0", "0.0", "3.2", target=0),
    chart_row("Phường có một tên rất dài ở cuối danh sách", "97.3", "73.9", target=75),
]
SHARED_TARGET = [chart_row(row.name, row.coverage_pct, row.bluzone_pct) for row in ROWS]


def _box(text) -> tuple[float, float, float, float]:
    """A text's box by the page's own estimate of its width; digits stand 0.72 em tall."""
    size = float(text.get("font-size"))
    width = charts.sans_width(text.text, size)
    x, y = float(text.get("x")), float(text.get("y"))
    start = {"start": x, "middle": x - width / 2, "end": x - width}[text.get("text-anchor")]
    return start, y - 0.72 * size, start + width, y + 0.2 * size


def _stroke(line) -> tuple[float, float, float, float]:
    half = PAGE.target_stroke / 2
    x1, y1, x2, y2 = (float(line.get(name)) for name in ("x1", "y1", "x2", "y2"))
    return min(x1, x2) - half, min(y1, y2) - half, max(x1, x2) + half, max(y1, y2) + half


def _crosses(box, stroke) -> bool:
    return box[0] < stroke[2] and box[2] > stroke[0] and box[1] < stroke[3] and box[3] > stroke[1]


@pytest.mark.parametrize("rows", [ROWS, SHARED_TARGET], ids=["own targets", "one target"])
def test_no_value_label_crosses_a_target_line_and_every_text_is_inside(rows):
    svg = parse(
        charts.commune_bars(
            rows, labels=LABELS, title="Biểu đồ", look=PAGE, desc="Mô tả", chart_id="bars"
        )
    )
    width = float(svg.get("viewBox").split()[2])
    values = marks(svg, "text", "value") + marks(svg, "text", "value inside")
    targets = marks(svg, "line", "target")

    assert len(values) == 2 * len(rows)
    assert len(targets) == (1 if rows is SHARED_TARGET else len(rows))
    for label in values:
        for target in targets:
            assert not _crosses(_box(label), _stroke(target)), (label.text, target.get("x1"))
    for text in svg.iter(f"{SVG}text"):
        box = _box(text)
        assert box[0] >= -0.5 and box[2] <= width + 0.5, text.text
    # a name too long for its column is cut, never drawn over the bars
    (cut,) = [name for name in texts(svg, "") if name.startswith("Phường")]
    assert cut.endswith("…") and ROWS[-1].name.startswith(cut.removesuffix("…"))


def test_bars_are_to_scale_and_none_is_a_dash():
    svg = parse(charts.commune_bars(ROWS, labels=LABELS, title="T", look=PAGE, chart_id="b"))
    zero, hundred = scale(svg, "x")
    coverage = marks(svg, "rect", "coverage")[1:]  # after the legend's swatch
    drawn = [row for row in ROWS if row.coverage_pct is not None]
    assert len(coverage) == len(drawn)
    for bar, row in zip(coverage, drawn, strict=True):
        end = float(bar.get("x")) + float(bar.get("width"))
        assert abs(end - at(float(row.coverage_pct), zero, hundred)) <= 1, row.name
    # "Không số liệu" has no figure: no bars, a dash for each
    values = [text.text for text in svg.iter(f"{SVG}text") if "value" in text.get("class", "")]
    assert values[12:14] == ["—", "—"]
    assert values[:4] == ["55,2", "50,1", "59,6", "46,5"]


def test_a_chart_is_named_and_described_and_escapes_its_text():
    rows = [chart_row('<b>"A" & B', "10.0", "20.0")]
    svg = parse(
        charts.commune_bars(
            rows, labels=LABELS, title="A < B & C", look=PAGE, desc='"x" > y', chart_id="c-1"
        )
    )
    assert svg.get("role") == "img" and svg.get("id") == "c-1"
    assert svg.get("aria-labelledby") == "c-1-title c-1-desc"
    assert name_and_description(svg) == ("A < B & C", '"x" > y')
    assert '<b>"A" & B' in texts(svg, "")


def _series(weeks: int, *, gap: int | None = None):
    start = datetime.date(2021, 5, 21)
    return [
        SimpleNamespace(
            date=start + datetime.timedelta(weeks=week),
            coverage_pct=None if week == gap else Decimal(4 * week),
            bluzone_pct=Decimal(week),
        )
        for week in range(weeks)
    ]


def test_the_weeks_dates_never_run_into_each_other_and_the_last_is_written():
    svg = parse(
        charts.series_lines(
            _series(12), target=50, labels=LABELS, title="T", look=PAGE, chart_id="s"
        )
    )
    dates = [text for text in marks(svg, "text", "axis") if "/" in text.text]
    assert dates[-1].text == "06/08"
    boxes = [_box(text) for text in dates]
    for left, right in pairwise(boxes):
        assert left[2] < right[0]
    assert boxes[0][0] >= 0 and boxes[-1][2] <= PAGE.width
    # 12 weeks on a phone's width: every second date, counted back from the last
    assert len(dates) == 6


def test_a_week_without_a_figure_breaks_the_line():
    svg = parse(
        charts.series_lines(
            _series(12, gap=5), target=50, labels=LABELS, title="T", look=PAGE, chart_id="s"
        )
    )
    assert len(marks(svg, "circle", "coverage")) == 11
    assert len(marks(svg, "polyline", "coverage line")) == 2
    assert len(marks(svg, "polyline", "bluzone line")) == 1
    zero, hundred = scale(svg, "y")
    (target,) = marks(svg, "line", "series target")
    assert abs(float(target.get("y1")) - at(50, zero, hundred)) <= 1


def test_count_bars_on_a_round_scale():
    bars = [
        charts.CountBar("Chưa có số hộ", 3, muted=True),
        charts.CountBar("0–9,9 %", 1900),
        charts.CountBar("10–19,9 %", 100),
        charts.CountBar("20–29,9 %", 0),
    ]
    svg = parse(charts.count_bars(bars, title="T", look=PAGE, desc="D", chart_id="n"))
    assert texts(svg, "axis") == ["0", "500", "1.000", "1.500", "2.000"]
    assert texts(svg, "value") == ["3", "1.900", "100", "0"]
    assert len(marks(svg, "rect", "muted")) == 1
    bars_drawn = marks(svg, "rect", "coverage")
    assert len(bars_drawn) == 2  # none for a band without communes
    grid = marks(svg, "line", "grid")
    zero, top = float(grid[0].get("x1")), float(grid[-1].get("x1"))
    for bar, count in zip(bars_drawn, (1900, 100), strict=True):
        end = float(bar.get("x")) + float(bar.get("width"))
        assert abs(end - (zero + (top - zero) * count / 2000)) <= 1
    for text in svg.iter(f"{SVG}text"):
        assert _box(text)[2] <= PAGE.width + 0.5, text.text
