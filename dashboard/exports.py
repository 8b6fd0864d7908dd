"""The dashboard table as a file: CSV (UTF-8 with a BOM, so Excel reads Vietnamese) or XLSX.

Both come from the same `Dashboard` the page shows, one row per commune then the totals. The
CSV writes the numbers as the page does (21.814; 65,3 in Vietnamese); the XLSX keeps them
numbers, each column with its figure's number format (bmp_comms.spreadsheets).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from bmp_comms.spreadsheets import NUMBER_FORMATS, csv_cell, xlsx_cell
from dashboard.figures import FIGURES
from dashboard.selectors import Dashboard

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMATS = tuple(CONTENT_TYPES)


def _deadline_text(statuses: Any) -> str:
    """A commune's open deadlines, for people: "606/UBND-VX: 2 days overdue; …"."""
    return "; ".join(
        f"{status.directive or status.title}: {status.label}" for status in statuses or []
    )


def table(board: Dashboard) -> list[list[Any]]:
    """Heading, one line per commune, then the district totals."""
    heading = [_("Code"), _("Commune")] + [str(figure.label) for figure in FIGURES]
    heading += [_("Open deadline")]
    lines = [heading]
    for row in board.rows:
        figures = [getattr(row, figure.name) for figure in FIGURES]
        extra = [_deadline_text(row.deadline_status)]
        lines.append([row.code, row.name, *figures, *extra])
    totals = [getattr(board.totals, figure.name) for figure in FIGURES]
    lines.append(["", _("Total"), *totals, ""])
    return lines


def to_csv(board: Dashboard) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in table(board):
        writer.writerow([csv_cell(cell) for cell in line])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(board: Dashboard) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(board.as_of.strftime("%d-%m-%Y"))
    sheet.freeze_panes = "C3"
    sheet.column_dimensions["B"].width = 24
    title = _("Figures as of %(date)s") % {"date": board.as_of.strftime("%d/%m/%Y")}
    sheet.append([xlsx_cell(sheet, title)])
    lines = table(board)
    last = len(lines) - 1
    # Code and commune, the figures, then the deadlines' text: the same columns as `table`.
    formats = [None, None, *(NUMBER_FORMATS[figure.kind] for figure in FIGURES), None]
    for index, line in enumerate(lines):
        # The heading and the totals in bold.
        bold = index in (0, last)
        sheet.append(
            [
                xlsx_cell(sheet, cell, bold=bold, number_format=None if index == 0 else fmt)
                for cell, fmt in zip(line, formats, strict=True)
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def dashboard_response(board: Dashboard, fmt: str) -> HttpResponse:
    content = to_csv(board) if fmt == "csv" else to_xlsx(board)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    filename = f"dashboard-{board.as_of.isoformat()}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
