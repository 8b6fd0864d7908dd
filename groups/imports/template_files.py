"""The template files offered for download: the header, one example row, and in the workbook a
second sheet that says what each column takes."""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from groups.imports import member_counts, villages

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Kind:
    columns: tuple[str, ...]
    column_help: tuple
    example: tuple


KINDS = {
    "villages": Kind(villages.COLUMNS, villages.COLUMN_HELP, villages.EXAMPLE),
    "member-counts": Kind(member_counts.COLUMNS, member_counts.COLUMN_HELP, member_counts.EXAMPLE),
}


def template_file(kind: str, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the template of `kind` in `fmt` (csv or xlsx)."""
    spec = KINDS[kind]
    filename = f"{kind}-template.{fmt}"
    if fmt == "csv":
        return _csv(spec), CSV_TYPE, filename
    return _xlsx(spec), XLSX_TYPE, filename


def _cell_text(value) -> str:
    return value.strftime("%d/%m/%Y") if isinstance(value, datetime.date) else str(value)


def _csv(spec: Kind) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(spec.columns)
    writer.writerow([_cell_text(value) for value in spec.example])
    # The byte-order mark makes Excel open the file as UTF-8, so diacritics survive.
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def _xlsx(spec: Kind) -> bytes:
    workbook = Workbook()
    data = workbook.active
    data.title = _("Data")
    data.append(spec.columns)
    data.append(list(spec.example))
    for cell in data[1]:
        cell.font = Font(bold=True)
    for cell in data[2]:
        if isinstance(cell.value, datetime.date):
            cell.number_format = "DD/MM/YYYY"
    for index, column in enumerate(spec.columns):
        data.column_dimensions[chr(ord("A") + index)].width = max(14, len(column) + 4)

    guide = workbook.create_sheet(_("Instructions"))
    guide.append([_("Column"), _("What to write")])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for column, help_text in spec.column_help:
        guide.append([column, str(help_text)])
    guide.append([])
    guide.append([_("Fill in the first sheet from row 2 on and keep its header row as it is.")])
    guide.append([_("The file is imported only if every row is correct.")])
    guide.column_dimensions["A"].width = 20
    guide.column_dimensions["B"].width = 90
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
