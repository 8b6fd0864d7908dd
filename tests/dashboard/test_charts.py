"""The dashboard's and the commune page's charts (issue 21): SVG drawn on the server, named by a
title and described by a sentence with the key numbers, its numbers in a table beside it, from
the data the views already read. Figures of the known district (tests/dashboard/conftest.py)."""

import re

import pytest
from django.urls import reverse

from dashboard.charts import BARS_MAX
from tests.charts import at, chart_in, marks, name_and_description, scale, table_in, texts
from tests.dashboard.conftest import D, populate_in_bulk

URL = reverse("dashboard")
DATE = D.isoformat()


@pytest.fixture
def staff_client(client, district_staff):
    client.force_login(district_staff)
    return client


def commune_url(code: str) -> str:
    return reverse("commune-detail", args=[code])


def test_the_district_series_is_an_svg_with_its_numbers_beside_it(known, staff_client):
    response = staff_client.get(URL, {"date": DATE})
    html = response.content.decode()
    svg = chart_in(html, "series-chart")

    assert svg.get("role") == "img"
    assert svg.get("viewBox").startswith("0 0 360 ") and svg.get("width") == "100%"
    title, desc = name_and_description(svg)
    assert title == "Tỷ lệ bao phủ và tỷ lệ cài đặt Bluzone theo từng tuần, đến ngày 06/08/2021"
    # 252 / 513 households and 82 / 274 smartphone users as of D (conftest)
    assert "đến 49,1 % ngày 06/08/2021" in desc
    assert "đến 29,9 % ngày 06/08/2021" in desc
    assert desc.endswith("Chỉ tiêu Bluzone là 50 %.")
    # a point per week that has a figure, on each line
    series = response.context["series"]
    assert len(series) == 12
    coverage = marks(svg, "circle", "coverage")
    bluzone = marks(svg, "circle", "bluzone")
    assert len(coverage) == sum(point.coverage_pct is not None for point in series)
    assert len(bluzone) == sum(point.bluzone_pct is not None for point in series)
    assert len(marks(svg, "polyline", "coverage line")) == 1
    # the table beside it: a row a week, the same numbers at the same heights
    caption, rows = table_in(html, "series-chart-table")
    assert caption == title
    assert rows[-1] == ["06/08/2021", "49,1 %", "29,9 %", "50 %"]
    zero, hundred = scale(svg, "y")
    for point, row in zip(coverage, rows, strict=True):
        pct = float(row[1].removesuffix(" %").replace(",", "."))
        assert abs(float(point.get("cy")) - at(pct, zero, hundred)) <= 1, row
    # the target at 50 %: halfway between the 0 % and the 100 % lines
    (target,) = marks(svg, "line", "series target")
    assert target.get("y1") == target.get("y2")
    assert abs(float(target.get("y1")) - (zero + hundred) / 2) <= 1


def test_the_commune_page_draws_its_own_series_and_target(known, staff_client):
    html = staff_client.get(commune_url("25231"), {"date": DATE}).content.decode()
    svg = chart_in(html, "series-chart")
    _title, desc = name_and_description(svg)
    # Đa Kia: 2 of 3 households from 02/08, 1 of 8 smartphone users; its own target, 40 %
    assert "66,7 % ngày 06/08/2021" in desc and "12,5 % ngày 06/08/2021" in desc
    assert desc.endswith("Chỉ tiêu Bluzone là 40 %.")
    zero, hundred = scale(svg, "y")
    (target,) = marks(svg, "line", "series target")
    assert abs(float(target.get("y1")) - at(40, zero, hundred)) <= 1
    _caption, rows = table_in(html, "series-chart-table")
    assert rows[-1] == ["06/08/2021", "66,7 %", "12,5 %", "40 %"]
    # before 01/08 its one group did not exist: coverage 0 of 3, still a figure
    assert len(marks(svg, "circle", "coverage")) == 12


def test_the_bars_carry_each_communes_numbers_as_the_table_beside_them(known, staff_client):
    html = staff_client.get(URL, {"date": DATE}).content.decode()
    svg = chart_in(html, "bars-chart")

    title, desc = name_and_description(svg)
    assert title == "Tỷ lệ bao phủ và tỷ lệ cài đặt Bluzone của từng xã, đến ngày 06/08/2021"
    assert desc == (
        "4 xã, số liệu đến ngày 06/08/2021. Tỷ lệ bao phủ cao nhất: Đa Kia (66,7 %); thấp "
        "nhất: Đức Hạnh (0,0 %). 0 trên 4 xã đạt chỉ tiêu Bluzone."
    )
    caption, rows = table_in(html, "bars-table")
    assert caption == title
    names = ["Bù Gia Mập", "Đa Kia", "Đức Hạnh", "Phú Nghĩa"]
    assert [row[0] for row in rows] == names
    assert [text for text in texts(svg, "") if text in names] == names
    # a bar for each figure there is (Bù Gia Mập has no village: no bar, a dash)
    assert len(marks(svg, "rect", "coverage")) == 1 + 3  # the legend's swatch and 3 bars
    assert len(marks(svg, "rect", "bluzone")) == 1 + 3
    values = [
        mark.text for mark in svg.iter() if (mark.get("class") or "") in ("value", "value inside")
    ]
    # the same numbers as the table, commune by commune, coverage then Bluzone
    assert values == [cell.removesuffix(" %") for row in rows for cell in row[1:]]
    assert values[2:4] == ["66,7", "12,5"]
    # bars to scale: Đa Kia's coverage 66.7 %
    zero, hundred = scale(svg, "x")
    bar = marks(svg, "rect", "coverage")[1]
    assert abs(float(bar.get("x")) + float(bar.get("width")) - at(66.7, zero, hundred)) <= 1
    # the targets differ (Đa Kia's 40 %): a line on each row, Đa Kia's at 40 %
    targets = marks(svg, "line", "target")
    assert len(targets) == 4
    assert abs(float(targets[1].get("x1")) - at(40, zero, hundred)) <= 1
    assert abs(float(targets[0].get("x1")) - at(50, zero, hundred)) <= 1


def test_one_target_for_every_commune_is_one_line_through_the_bars(known, staff_client):
    known["b"].bluzone_target_pct = 50
    known["b"].save()
    svg = chart_in(staff_client.get(URL, {"date": DATE}).content.decode(), "bars-chart")
    (target,) = marks(svg, "line", "target")
    zero, hundred = scale(svg, "x")
    assert abs(float(target.get("x1")) - (zero + hundred) / 2) <= 1
    # from the top of the first row to the bottom of the last
    grid = marks(svg, "line", "grid")[0]
    assert (target.get("y1"), target.get("y2")) == (grid.get("y1"), grid.get("y2"))


def test_the_charts_speak_the_pages_language(known, staff_client):
    staff_client.cookies["django_language"] = "en"
    html = staff_client.get(URL, {"date": DATE}).content.decode()
    title, desc = name_and_description(chart_in(html, "bars-chart"))
    assert title == "Coverage and Bluzone by commune, as of 06/08/2021"
    assert "Highest coverage: Đa Kia (66.7 %)" in desc
    assert "66.7" in texts(chart_in(html, "bars-chart"), "value")
    _title, desc = name_and_description(chart_in(html, "series-chart"))
    assert "to 49.1 % on 06/08/2021" in desc


@pytest.fixture
def past_the_bars(district):
    """One commune more than the bars are drawn for: commune i covers i of 1,000 households
    (0,0 %, 0,1 % … 3,0 %), so every one of them is in the first band."""
    populate_in_bulk(district, BARS_MAX + 1)


def test_past_the_bars_a_bar_per_coverage_band(past_the_bars, staff_client):
    html = staff_client.get(URL, {"date": DATE}).content.decode()
    assert 'id="bars-chart"' not in html and 'id="bars-table"' not in html
    svg = chart_in(html, "bands-chart")
    title, desc = name_and_description(svg)
    assert title == "Số xã theo mức bao phủ, đến ngày 06/08/2021"
    assert (
        desc == f"Số xã theo mức bao phủ đến ngày 06/08/2021, trên {BARS_MAX + 1} xã: 0–9,9 %: 31."
    )
    caption, rows = table_in(html, "bands-table")
    assert caption == title
    # a band with communes gets a bar; each band, its count, in the table's order
    assert [row[1] for row in rows] == ["0", "31", *["0"] * 9]
    assert len(marks(svg, "rect", "coverage")) == 1
    assert texts(svg, "value") == [row[1] for row in rows]
    assert [text for text in texts(svg, "") if "%" in text or "hộ" in text] == [
        row[0] for row in rows
    ]


def test_no_script_no_inline_style_no_chart_library(known, staff_client):
    for url in (URL, commune_url("25231")):
        html = staff_client.get(url, {"date": DATE}).content.decode()
        assert "chartjs" not in html.lower() and "<canvas" not in html
        scripts = re.findall(r"<script[^>]*>", html)
        # the page's own behaviour, then the calendar's loader: neither draws a chart
        assert [re.search(r'src="/static/([^"]+)"', tag).group(1) for tag in scripts] == [
            "js/app.js",
            "js/datepicker.js",
        ]
        # the content security policy forbids style=""; the charts are styled by class
        assert 'style="' not in html
        assert 'fill="#' not in html and "font-family" not in html
