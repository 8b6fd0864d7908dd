"""The compliance report as an XLSX workbook: a summary sheet, then one sheet per table of the
PDF. Written by openpyxl in write-only mode, so rows go to disk as they are made and a national
report (10,000 communes) stays small in memory; every cell goes through
bmp_comms.spreadsheets.xlsx_cell (no cell can become a formula)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, BinaryIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from bmp_comms.spreadsheets import COUNT_FORMAT, PERCENT_FORMAT, xlsx_cell
from dashboard.figures import FIGURES
from dashboard.selectors import sort_rows
from reports.content import STATE_LABELS, Column, ReportContent
from reports.formatting import place_and_date
from reports.narrative import deadline_name, narrative

NUMBER_FORMATS = {"count": COUNT_FORMAT, "percent": PERCENT_FORMAT, "date": "dd/mm/yyyy"}
# Rows between two signs of life while a long sheet is written.
STEP_ROWS = 1000


class Sheet:
    """A write-only sheet with a bold, frozen heading row and its column widths."""

    def __init__(self, workbook: Workbook, title: str, headings: list[tuple[str, str, int]]):
        self.sheet = workbook.create_sheet(title[:31])
        self.kinds = [kind for _label, kind, _width in headings]
        for index, (_label, _kind, width) in enumerate(headings, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        self.sheet.freeze_panes = "A2"
        self.sheet.append([xlsx_cell(self.sheet, label, bold=True) for label, _k, _w in headings])

    def append(self, values: Iterable[Any], *, bold: bool = False) -> None:
        self.sheet.append(
            [
                xlsx_cell(self.sheet, value, bold=bold, number_format=NUMBER_FORMATS.get(kind))
                for value, kind in zip(values, self.kinds, strict=True)
            ]
        )


def _width(label: str, kind: str) -> int:
    if kind == "text":
        return 28
    return min(max(len(label) + 2, 12), 30)


def _headings(columns: Iterable[Column]) -> list[tuple[str, str, int]]:
    return [
        (str(column.label), column.kind, _width(str(column.label), column.kind))
        for column in columns
    ]


def _summary(workbook: Workbook, content: ReportContent) -> None:
    report, letterhead = content.report, content.letterhead
    sheet = Sheet(
        workbook,
        _("Summary"),
        [(_("Item"), "text", 44), (_("Value"), "text", 90)],
    )
    identity = [
        (_("Issued by"), f"{letterhead.parent_body} - {letterhead.issuing_body}"),
        (_("Number"), report.number),
        (_("Dated"), place_and_date(letterhead.place_name, report.issued_on)),
        (_("Figures as of"), content.as_of.strftime("%d/%m/%Y")),
        (_("Scope"), content.commune.name if content.commune else content.district.name),
    ]
    for label, value in identity:
        sheet.append([label, value])
    sheet.append([None, None])
    # The scope's totals, as the dashboard declares its figures, each with its number format.
    totals = sheet.sheet
    for figure in FIGURES:
        value = getattr(content.totals, figure.name)
        kind = "percent" if figure.kind == "percent" or figure.name.endswith("_pct") else "count"
        totals.append(
            [
                xlsx_cell(totals, str(figure.label)),
                xlsx_cell(totals, value, number_format=NUMBER_FORMATS[kind]),
            ]
        )
    story = narrative(content)
    for heading, lines in (
        (_("Overview"), story.overview),
        (_("Lagging behind"), story.lagging),
        (_("Reports due"), story.deadlines),
        (_("Inspections and follow-ups"), story.inspections),
        (_("Changes since the previous report"), story.changes),
    ):
        sheet.append([None, None])
        sheet.append([heading, None], bold=True)
        for line in lines:
            sheet.append([None, line])


def _communes(workbook: Workbook, content: ReportContent, step: Callable[[int], None]) -> None:
    code = Column("code", _("Code"), "text", lambda row: row.code)
    columns = (code, *content.columns)
    headings = _headings(columns)
    headings[0] = (headings[0][0], "text", 10)
    sheet = Sheet(workbook, _("Figures by commune"), headings)
    rows = sort_rows(content.rows, "name")
    for index, row in enumerate(rows, start=1):
        sheet.append([column.value(row) for column in columns])
        if index % STEP_ROWS == 0:
            step(100 * index // len(rows))
    if not content.is_one_commune:
        sheet.append(
            [
                None if column.name == "code"
                else _("Total") if column.name == "name"
                else column.value(content.totals)
                for column in columns
            ],
            bold=True,
        )  # fmt: skip


def _villages(workbook: Workbook, content: ReportContent) -> None:
    columns = content.village_columns
    sheet = Sheet(workbook, _("Figures by village"), _headings(columns))
    for line in content.villages:
        sheet.append([column.value(line) for column in columns])


def _deadlines(workbook: Workbook, content: ReportContent) -> None:
    sheet = Sheet(
        workbook,
        _("Deadlines"),
        [
            (_("Report due"), "text", 50),
            (_("Directive"), "text", 16),
            (_("Due date"), "date", 12),
            (_("Expected"), "count", 12),
            (_("Reported"), "count", 12),
            (_("On time"), "count", 12),
            (_("Reporting rate %"), "percent", 16),
            (_("Timeliness %"), "percent", 14),
            (_("Not reported yet"), "text", 60),
        ],
    )
    for line in content.deadlines:
        sheet.append(
            [
                line.title,
                line.directive,
                line.due_date,
                line.expected,
                line.submitted,
                line.on_time,
                line.reporting_rate,
                line.timeliness,
                ", ".join(commune.name for commune in line.missing_communes),
            ]
        )


def _states(workbook: Workbook, content: ReportContent, step: Callable[[int], None]) -> None:
    headings = [(_("Code"), "text", 10), (_("Commune"), "text", 28)]
    headings += [(deadline_name(line)[:60], "text", 22) for line in content.deadlines]
    sheet = Sheet(workbook, _("Reporting by commune"), headings)
    rows = sort_rows(content.rows, "name")
    for index, row in enumerate(rows, start=1):
        states = [content.state(line.id, row.id) for line in content.deadlines]
        sheet.append([row.code, row.name, *(str(STATE_LABELS[s]) if s else None for s in states)])
        if index % STEP_ROWS == 0:
            step(100 * index // len(rows))


def _inspections(workbook: Workbook, content: ReportContent) -> None:
    sheet = Sheet(
        workbook,
        _("Inspections"),
        [
            (_("Date"), "date", 12),
            (_("Commune"), "text", 28),
            (_("Inspector"), "text", 24),
            (_("Findings"), "text", 80),
            (_("Follow-up due"), "date", 14),
            (_("Follow-up"), "text", 16),
        ],
    )
    for line in content.inspections:
        inspection = line.inspection
        sheet.append(
            [
                inspection.date,
                inspection.commune.name,
                inspection.inspector,
                inspection.findings,
                inspection.follow_up_due,
                line.follow_up_label or None,
            ]
        )


def write_xlsx(
    content: ReportContent, target: BinaryIO, step: Callable[[int], None] = lambda progress: None
) -> None:
    """Write the workbook to `target`; `step` hears 0–100 of this part as the sheets are made."""
    workbook = Workbook(write_only=True)
    _summary(workbook, content)
    step(10)
    _communes(workbook, content, lambda part: step(10 + part * 40 // 100))
    step(50)
    if content.is_one_commune:
        _villages(workbook, content)
    _deadlines(workbook, content)
    if content.deadlines:
        _states(workbook, content, lambda part: step(50 + part * 30 // 100))
    step(80)
    _inspections(workbook, content)
    workbook.save(target)
    step(100)
