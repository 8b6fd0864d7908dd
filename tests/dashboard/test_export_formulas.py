"""Text that a spreadsheet would run as a formula comes out of the exports as plain text."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from bmp_comms.spreadsheets import csv_cell
from tests.factories import CommuneFactory, DeadlineFactory, VillageFactory

HOSTILE = '=HYPERLINK("http://evil.example/","Bấm vào đây")'


@pytest.fixture
def hostile(district, district_staff, client):
    commune = CommuneFactory(district=district, code="99001", name=HOSTILE, slug="evil")
    VillageFactory(commune=commune, households=10)
    DeadlineFactory(
        district=district,
        title="+1 cmd",
        directive="@SUM(A1)",
        due_date=datetime.date(2021, 8, 20),
        communes=[commune],
    )
    client.force_login(district_staff)
    return client


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+84 912", "'+84 912"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Phú Nghĩa", "Phú Nghĩa"),
        # A number of ours is written as the page's language writes it, never behind an
        # apostrophe, even with its minus sign (Vietnamese by default).
        (-2, "-2"),
        (21814, "21.814"),
        (Decimal("-27.5"), "-27,5"),
        (Decimal("1234.5"), "1.234,5"),
        (None, ""),
    ],
)
def test_csv_cell(value, written):
    assert csv_cell(value) == written


def test_csv_cell_in_english():
    with translation.override("en"):
        assert csv_cell(21814) == "21,814"
        assert csv_cell(Decimal("65.3")) == "65.3"
        assert csv_cell("-2") == "'-2"


def test_csv_export_neutralises_formulas(hostile):
    response = hostile.get(reverse("dashboard-export", args=["csv"]), {"date": "2021-08-10"})
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    (line,) = [line for line in lines if line[0] == "99001"]
    assert line[1] == "'" + HOSTILE
    assert line[-1].startswith("'@SUM(A1)")


def test_xlsx_export_keeps_formulas_as_text(hostile):
    response = hostile.get(reverse("dashboard-export", args=["xlsx"]), {"date": "2021-08-10"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    (row,) = [row for row in sheet.iter_rows() if row[0].value == "99001"]
    assert row[1].value == HOSTILE
    assert row[1].data_type == "s"
    assert row[-1].data_type == "s" and row[-1].value.startswith("@SUM(A1)")
    # No cell of the sheet is a formula.
    assert not [cell for line in sheet.iter_rows() for cell in line if cell.data_type == "f"]


def test_control_characters_do_not_break_the_workbook(district, district_staff, client):
    CommuneFactory(district=district, code="99002", name="Thôn\x0bMới\x0c", slug="ctrl")
    client.force_login(district_staff)
    response = client.get(reverse("dashboard-export", args=["xlsx"]), {"date": "2021-08-10"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[1].value for row in sheet.iter_rows() if row[0].value == "99002"] == ["ThônMới"]
