"""Reading charts back (bmp_comms.charts): the SVG as XML, its marks by class, where its scale
puts a value, and the table of numbers a page shows beside a chart."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from html.parser import HTMLParser
from types import SimpleNamespace

SVG = "{http://www.w3.org/2000/svg}"


def chart_row(name: str, coverage: str | None, bluzone: str | None, target: int = 50):
    """A commune's row as the bar charts read it: its name, its coverage and Bluzone (percent
    as text, None for none) and its own Bluzone target."""

    def as_pct(value):
        return None if value is None else Decimal(value)

    return SimpleNamespace(
        name=name,
        coverage_pct=as_pct(coverage),
        bluzone_pct=as_pct(bluzone),
        bluzone_target_pct=target,
    )


def parse(markup) -> ET.Element:
    """The chart as XML: a chart that is not well-formed fails here."""
    return ET.fromstring(str(markup))


def chart_in(html: str, chart_id: str) -> ET.Element:
    """The <svg id=chart_id> of a page, parsed."""
    found = re.search(rf'<svg\b[^>]*\bid="{re.escape(chart_id)}".*?</svg>', html, re.S)
    assert found, f"the page has no <svg id={chart_id}>"
    return parse(found.group(0))


def marks(svg: ET.Element, tag: str, role: str) -> list[ET.Element]:
    """The `tag` elements whose classes are exactly `role` (a page's chart)."""
    return [mark for mark in svg.iter(f"{SVG}{tag}") if (mark.get("class") or "") == role]


def texts(svg: ET.Element, role: str) -> list[str]:
    return [mark.text for mark in marks(svg, "text", role)]


def name_and_description(svg: ET.Element) -> tuple[str, str]:
    """The texts of the title and the desc that aria-labelledby names, in that order."""
    title_id, desc_id = svg.get("aria-labelledby").split()
    by_id = {element.get("id"): element for element in svg}
    title, desc = by_id[title_id], by_id[desc_id]
    assert (title.tag, desc.tag) == (f"{SVG}title", f"{SVG}desc")
    return title.text, desc.text


def scale(svg: ET.Element, axis: str) -> tuple[float, float]:
    """Where the chart puts 0 % and 100 % along `axis` ("x" for bars, "y" for lines): its
    first and last grid lines, which the ticks 0 % … 100 % label."""
    grid = marks(svg, "line", "grid")
    assert [text for text in texts(svg, "axis") if text.endswith("%")][::4] == ["0 %", "100 %"]
    return float(grid[0].get(f"{axis}1")), float(grid[-1].get(f"{axis}1"))


def at(pct: float, zero: float, hundred: float) -> float:
    return zero + (hundred - zero) * pct / 100


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.caption = ""
        self._in: str | None = None
        self._body = False

    def handle_starttag(self, tag, attrs):
        if tag == "tbody":
            self._body = True
        elif tag == "tr" and self._body:
            self.rows.append([])
        elif (tag in ("td", "th") and self._body) or tag == "caption":
            self._in = tag
            if tag != "caption":
                self.rows[-1].append("")

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in == "caption":
            self.caption += data
        elif self._in:
            self.rows[-1][-1] += data.strip()


def table_in(html: str, table_id: str) -> tuple[str, list[list[str]]]:
    """A table of the page: its caption and the cells of its body, row by row."""
    found = re.search(rf'<table\b[^>]*\bid="{re.escape(table_id)}".*?</table>', html, re.S)
    assert found, f"the page has no <table id={table_id}>"
    cells = _Cells()
    cells.feed(found.group(0))
    return cells.caption.strip(), cells.rows
