"""The XLSX: a summary sheet and one sheet per table, every figure the dashboard selector's own,
numbers as numbers with their formats, a frozen heading row, and no cell a formula."""

import io

import openpyxl
import pytest

from dashboard.figures import FIGURES
from dashboard.selectors import dashboard_rows, sort_rows
from reports.content import COMMUNE_COLUMNS
from reports.xlsx import write_xlsx
from tests.reports.conftest import AS_OF

pytestmark = pytest.mark.usefixtures("report_data")


def read(path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(path.read_bytes()))


@pytest.fixture
def workbook(written):
    return read(written(write_xlsx, suffix="xlsx"))


def values(sheet) -> list[list]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def expected(value):
    return None if value is None else float(value) if not isinstance(value, str) else value


def test_the_sheets(workbook):
    assert workbook.sheetnames == ["Tổng hợp", "Các xã", "Hạn báo cáo", "Tình hình nộp", "Kiểm tra"]
    for sheet in workbook:
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.b for cell in sheet[1])


def test_the_commune_cells_equal_the_dashboard_selectors_figures(workbook, district_staff):
    board = dashboard_rows(user=district_staff, as_of=AS_OF)
    heading, *rows = values(workbook["Các xã"])
    assert heading == ["Mã", *(str(column.label) for column in COMMUNE_COLUMNS)]
    *communes, total = rows
    assert communes == [
        [row.code, *(expected(column.value(row)) for column in COMMUNE_COLUMNS)]
        for row in sort_rows(board.rows, "name")
    ]
    assert total == [
        None,
        "Tổng cộng",
        *(expected(c.value(board.totals)) for c in COMMUNE_COLUMNS[1:]),
    ]


def test_numbers_carry_their_formats_and_columns_their_widths(workbook):
    sheet = workbook["Các xã"]
    formats = {
        sheet.cell(row=1, column=i).value: sheet.cell(row=2, column=i).number_format
        for i in range(1, sheet.max_column + 1)
    }
    assert formats["Số thôn"] == "#,##0"
    assert formats["Tỷ lệ bao phủ (%)"] == "0.0"
    assert formats["Chỉ tiêu Bluzone (%)"] == "0.0"
    assert sheet.column_dimensions["B"].width == 28
    due = workbook["Hạn báo cáo"]
    assert due.cell(row=2, column=3).number_format == "dd/mm/yyyy"


def test_the_summary_holds_the_number_the_totals_and_the_narrative(workbook, district_staff):
    rows = values(workbook["Tổng hợp"])
    as_dict = {row[0]: row[1] for row in rows if row[0]}
    assert as_dict["Số"] == "01/BC-VHTT"
    assert as_dict["Ngày ban hành"] == "Bù Gia Mập, ngày 10 tháng 08 năm 2021"
    totals = dashboard_rows(user=district_staff, as_of=AS_OF).totals
    for figure in FIGURES:
        assert as_dict[str(figure.label)] == expected(getattr(totals, figure.name))
    narrative = [row[1] for row in rows if row[0] is None and row[1]]
    assert any("1.150/23.244 hộ" in line for line in narrative)


def test_the_reporting_and_inspection_sheets(workbook, report_data):
    states = {row[1]: row[2:] for row in values(workbook["Tình hình nộp"])[1:]}
    assert states == {
        "Đa Kia": ["chưa báo cáo", "chưa đến hạn"],
        "Đức Hạnh": ["trễ hạn", None],
        "Phú Nghĩa": ["đúng hạn", None],
    }
    (inspection,) = values(workbook["Kiểm tra"])[1:]
    assert inspection[1:3] == ["Đa Kia", "Trần Thị Thu Hà"]
    assert inspection[5] == "chưa đến hạn"


def test_a_commune_named_like_a_formula_stays_text(commune_a, written):
    commune_a.name = '=HYPERLINK("http://example.org","Phú Nghĩa")'
    commune_a.save()
    book = read(written(write_xlsx, suffix="xlsx"))
    cell = next(c for row in book["Các xã"].iter_rows() for c in row if c.value == commune_a.name)
    assert cell.data_type == "s"


def test_a_one_commune_workbook_has_its_villages(written, commune_a):
    book = read(written(write_xlsx, commune=commune_a, suffix="xlsx"))
    assert "Các thôn" in book.sheetnames
    names = [row[0] for row in values(book["Các thôn"])[1:]]
    assert names == ["Thôn Bình Tân", "Thôn Phú Tiến"]
    assert [row[1] for row in values(book["Các xã"])[1:]] == ["Phú Nghĩa"]
