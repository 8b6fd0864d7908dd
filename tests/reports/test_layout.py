"""The report fit to sign: the closing paragraph goes with the recipients and the signer, every
table has a caption, the charts' value labels keep clear of the target line, and a gap between
two percentages is worded one way everywhere. The PDF is read back with poppler."""

import datetime
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django.contrib.staticfiles import finders
from django.utils import translation
from fontTools.ttLib import TTFont

from reports import charts
from reports.content import report_content
from reports.models import ComplianceReport
from reports.pdf import render_html, write_pdf
from tests.charts import chart_row
from tests.factories import CommuneFactory, GroupFactory, MemberCountFactory, VillageFactory
from tests.reports.conftest import AS_OF, COMPILED_ON, pdf_text

pytestmark = pytest.mark.usefixtures("report_data")

SIGNER_TITLE = "TRƯỞNG PHÒNG"
CLOSING = "Trên đây là báo cáo"
LAST_SECTION = "V. SO VỚI BÁO CÁO TRƯỚC"


def _more_communes(district, deadline, count: int) -> None:
    for n in range(count):
        commune = CommuneFactory(district=district, name=f"Xã Thêm {n:02d}")
        village = VillageFactory(commune=commune, households=200, smartphone_users=150)
        group = GroupFactory(village=village)
        MemberCountFactory(group=group, date=datetime.date(2021, 8, 2), members=90 + n)
        deadline.communes.add(commune)


def _report(district, commune=None) -> ComplianceReport:
    report = ComplianceReport.objects.create(
        district=district,
        commune=commune,
        as_of=AS_OF,
        number="01/BC-VHTT",
        issued_on=COMPILED_ON,
    )
    return ComplianceReport.objects.select_related("district", "commune").get(pk=report.pk)


def _pages(path) -> list[str]:
    """The text of each page (pdftotext ends each page with a form feed)."""
    return pdf_text(path).split("\f")[:-1]


def _page_of(pages: list[str], text: str) -> int:
    found = [number for number, page in enumerate(pages, start=1) if text in page]
    assert len(found) == 1, (text, found)
    return found[0]


def test_the_closing_paragraph_is_on_the_signers_page_when_the_block_is_pushed_over(
    district, deadline, letterhead, tmp_path
):
    """Forty communes run the tables over pages; then `Nơi nhận` lines are added one by one
    (found by halving) until the closing block no longer fits under section V and is pushed
    to the next page: the closing paragraph must go with it, never stay behind alone."""
    _more_communes(district, deadline, 40)

    def render(lines: int) -> list[str]:
        letterhead.recipients = "\n".join(f"Nơi nhận số {n};" for n in range(lines))
        letterhead.save()
        path = tmp_path / f"report-{lines}.pdf"
        with translation.override("vi"), path.open("wb") as out:
            write_pdf(report_content(report=_report(district), letterhead=letterhead), out)
        return _pages(path)

    def pushed(pages: list[str]) -> bool:
        return _page_of(pages, SIGNER_TITLE) > _page_of(pages, LAST_SECTION)

    fewest, most = 0, 45
    assert not pushed(render(fewest)) and pushed(render(most))
    while most - fewest > 1:
        middle = (fewest + most) // 2
        if pushed(render(middle)):
            most = middle
        else:
            fewest = middle

    on_the_edge = render(most)  # the fewest lines that push the block over
    signer_page = _page_of(on_the_edge, SIGNER_TITLE)
    assert _page_of(on_the_edge, CLOSING) == signer_page
    assert _page_of(on_the_edge, "Nơi nhận:") == signer_page
    # The block starts its page: the last section's text stayed on the page before.
    assert "Chưa có báo cáo cùng loại" in on_the_edge[signer_page - 2]
    assert len(on_the_edge) >= 3


class _Tables(HTMLParser):
    """Each <table>'s first child element and the text of its <caption>."""

    def __init__(self):
        super().__init__()
        self.tables: list[dict] = []
        self._open: list[dict] = []
        self._in_caption = False

    def handle_starttag(self, tag, attrs):
        if self._open and self._open[-1]["first"] is None:
            self._open[-1]["first"] = tag
        if tag == "table":
            table = {"id": dict(attrs).get("id"), "first": None, "caption": ""}
            self.tables.append(table)
            self._open.append(table)
        elif tag == "caption":
            self._in_caption = True

    def handle_endtag(self, tag):
        if tag == "table":
            self._open.pop()
        elif tag == "caption":
            self._in_caption = False

    def handle_data(self, data):
        if self._in_caption:
            self._open[-1]["caption"] += data


@pytest.mark.parametrize("one_commune", [False, True])
def test_every_table_has_a_caption(district, letterhead, commune_b, one_commune):
    report = _report(district, commune_b if one_commune else None)
    with translation.override("vi"):
        html, _fonts = render_html(report_content(report=report, letterhead=letterhead))
    parser = _Tables()
    parser.feed(html)

    ids = {table["id"] for table in parser.tables}
    expected = {"commune-table", "deadline-table", "state-table", "inspection-table"}
    assert ids == expected | ({"village-table"} if one_commune else set())
    for table in parser.tables:
        assert table["first"] == "caption", table
        assert table["caption"].strip(), table
    captions = {table["id"]: " ".join(table["caption"].split()) for table in parser.tables}
    assert captions["deadline-table"] == "Các báo cáo theo hạn và số liệu tính đến ngày 09/08/2021"


def test_a_gap_in_points_is_worded_one_way_in_every_section(written):
    text = " ".join(pdf_text(written(write_pdf)).split())
    # I. the district's gap, II. the communes' gaps: "điểm phần trăm" each time, never "điểm".
    gaps = re.findall(r"\d điểm(?: phần trăm)?", text)
    assert len(gaps) >= 3
    assert all(gap.endswith("điểm phần trăm") for gap in gaps), gaps
    assert "còn thiếu 47,3 điểm phần trăm." in text
    assert "Phú Nghĩa (43,8 %, còn thiếu 6,2 điểm phần trăm so với chỉ tiêu 50,0 %)" in text


# The geometry of the charts' SVG: each text's box from the font's own metrics (fontTools,
# independently of reports.charts), and the target line's stroke.


@pytest.fixture(scope="module")
def font():
    face = TTFont(finders.find("fonts/LiberationSerif-Regular.ttf"))
    widths = face["hmtx"].metrics
    return {
        "cmap": face.getBestCmap(),
        "widths": widths,
        "em": face["head"].unitsPerEm,
        "ascent": face["hhea"].ascent,
        "descent": -face["hhea"].descent,
    }


def _box(text, font) -> tuple[float, float, float, float]:
    size = float(text.get("font-size"))
    scale = size / font["em"]
    width = sum(font["widths"][font["cmap"].get(ord(c), ".notdef")][0] for c in text.text) * scale
    x, y = float(text.get("x")), float(text.get("y"))
    start = {"start": x, "middle": x - width / 2, "end": x - width}[text.get("text-anchor")]
    return start, y - font["ascent"] * scale, start + width, y + font["descent"] * scale


def _stroke(line) -> tuple[float, float, float, float]:
    half = float(line.get("stroke-width")) / 2
    x1, y1, x2, y2 = (float(line.get(name)) for name in ("x1", "y1", "x2", "y2"))
    return min(x1, x2) - half, min(y1, y2) - half, max(x1, x2) + half, max(y1, y2) + half


def _crosses(box, stroke) -> bool:
    return box[0] < stroke[2] and box[2] > stroke[0] and box[1] < stroke[3] and box[3] > stroke[1]


def _svg(markup) -> ET.Element:
    return ET.fromstring(str(markup))


SVG = "{http://www.w3.org/2000/svg}"
LABELS = {"coverage": "Tỷ lệ bao phủ (%)", "bluzone": "Tỷ lệ Bluzone (%)", "target": "Chỉ tiêu"}


# Values on both sides of their target, close to it and far, the ends of the scale, none at all,
# and targets at the ends too: the demo's Bù Gia Mập 46,5 and Đa Kia 48,1 against 50 among them.
ROWS = [
    chart_row("Bình Thắng", "55.2", "50.1"),
    chart_row("Bù Gia Mập", "59.6", "46.5"),
    chart_row("Đa Kia", "68.8", "48.1"),
    chart_row("Đức Hạnh", "81.5", "48.0"),
    chart_row("Phú Văn", "49.9", "50.0"),
    chart_row("Gần chỉ tiêu", "49.5", "50.6"),
    chart_row("Thấp", "0.4", "1.0", target=2),
    chart_row("Không số liệu", None, None, target=1),
    chart_row("Đủ cả", "100.0", "99.6", target=100),
    chart_row("Chỉ tiêu 0", "0.0", "3.2", target=0),
    chart_row("Cao", "97.3", "73.9", target=75),
]


def test_no_value_label_of_the_commune_chart_crosses_a_target_line(font):
    svg = _svg(charts.commune_bars(ROWS, labels=LABELS, title="Biểu đồ"))
    labels = [text for text in svg.iter(f"{SVG}text") if text.get("class") == "value"]
    targets = [line for line in svg.iter(f"{SVG}line") if line.get("class") == "target"]
    width = float(svg.get("viewBox").split()[2])

    assert (len(labels), len(targets)) == (2 * len(ROWS), len(ROWS))
    for label in labels:
        box = _box(label, font)
        assert box[0] >= 0 and box[2] <= width, label.text
        for target in targets:
            assert not _crosses(box, _stroke(target)), (label.text, target.get("x1"))
    # Each value is written once, as the report writes numbers.
    assert [label.text for label in labels[:4]] == ["55,2", "50,1", "59,6", "46,5"]


def test_no_text_of_the_weekly_chart_crosses_the_target_line(font):
    series = [
        SimpleNamespace(
            date=datetime.date(2021, 7, 5) + datetime.timedelta(weeks=n),
            coverage_pct=Decimal(40 + n),
            bluzone_pct=Decimal(45 + n),
        )
        for n in range(10)
    ]
    svg = _svg(charts.series_lines(series, target=50, labels=LABELS, title="Biểu đồ"))
    (target,) = [line for line in svg.iter(f"{SVG}line") if line.get("class") == "target"]
    for text in svg.iter(f"{SVG}text"):
        assert not _crosses(_box(text, font), _stroke(target)), text.text
