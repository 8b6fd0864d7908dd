"""Cells of the spreadsheets the portal writes (CSV and XLSX), safe to open.

A text cell that begins with =, +, - or @ (or a tab or carriage return, which some programs
skip before reading one of those) is taken by Excel and LibreOffice for a formula:
`=HYPERLINK(…)` in a commune's name would become a live link in the chairman's spreadsheet.
Every export writes its cells through here, so user text always stays text.

Numbers: an XLSX cell holds the number itself with a number format ("#,##0"), so Excel shows
it with the reader's own separators and can still add it up; a CSV cell is text, written as the
page's language writes numbers (Vietnamese 21.814 and 65,3; English 21,814 and 65.3) by the
portal's one rule, Django's number_format (settings.USE_THOUSAND_SEPARATOR).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.formats import number_format
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
BOLD = Font(bold=True)
# How an XLSX shows a figure of each kind (dashboard.figures): counts grouped by
# thousands, percentages with their one decimal (Excel puts the reader's separators in).
COUNT_FORMAT = "#,##0"
PERCENT_FORMAT = "0.0"
NUMBER_FORMATS = {"count": COUNT_FORMAT, "percent": PERCENT_FORMAT}


def csv_cell(value: Any) -> Any:
    """A CSV cell: None as empty, text that could start a formula behind an apostrophe (the
    spreadsheet convention for "this is text"), numbers as the active language writes them
    (21.814, 65,3, -2,5: a number of ours, never behind an apostrophe)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal):
        return number_format(value)
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def xlsx_cell(
    sheet: WriteOnlyWorksheet,
    value: Any,
    *,
    bold: bool = False,
    number_format: str | None = None,
) -> WriteOnlyCell:
    """An XLSX cell of a write-only sheet: text is stored as a string whatever it begins with;
    Decimals (percentages) as numbers, so the sheet can sort and chart them. `number_format`
    (such as "0.0" or "#,##0") says how a number is shown."""
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, str):
        # XML 1.0 has no place for control characters (a vertical tab pasted into a village's
        # name): openpyxl would refuse the whole workbook for one of them.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        # openpyxl reads a leading "=" as a formula; the type says it is a string.
        cell.data_type = "s"
    if bold:
        cell.font = BOLD
    if number_format is not None:
        cell.number_format = number_format
    return cell
