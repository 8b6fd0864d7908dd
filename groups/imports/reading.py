"""Turn an uploaded CSV or XLSX file into header-checked rows, numbered as the spreadsheet shows
them (the header is row 1), or refuse the file with a reason a person can act on."""

from __future__ import annotations

import csv
import io
import logging
import zipfile
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError

import openpyxl
from defusedxml import DefusedXmlException
from django.core.exceptions import ImproperlyConfigured
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from groups.imports.archives import check_workbook_archive
from groups.imports.cells import CellError
from groups.imports.errors import ImportRejected, RowError, file_error

logger = logging.getLogger(__name__)

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
# Spreadsheets often carry thousands of formatted but empty rows below the data; they are
# skipped, but a file is not read forever looking for more.
MAX_SCANNED_ROWS = 50_000
ZIP_MAGIC = b"PK\x03\x04"
# An uploaded workbook is XML from anyone: openpyxl must parse it with defusedxml, which refuses
# DTDs and entities (a "billion laughs" file, or one reading the server's files).
if not openpyxl.DEFUSEDXML:
    raise ImproperlyConfigured("defusedxml must be installed for openpyxl to parse uploads")
# What a workbook whose XML is malformed or hostile raises on the way in.
UNREADABLE_XML = (ParseError, DefusedXmlException)
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the binary .xls of Excel 97–2003


@dataclass(frozen=True)
class Row:
    number: int
    cells: dict[str, object]


@dataclass(frozen=True)
class Table:
    headers: dict[str, str]  # column name → the header as written in the file
    rows: list[Row]


def normalise_header(value: object) -> str:
    text = "" if value is None else str(value)
    return "_".join(text.replace("\ufeff", "").strip().lower().split())


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_table(upload, *, columns: tuple[str, ...]) -> Table:
    """Read the first sheet (or the CSV), check that the header names every column, and return
    the non-empty rows below it. Columns the import does not know are ignored."""
    data = _read_upload(upload)
    name = (upload.name or "").lower()
    if name.endswith(".xlsx"):
        physical_rows = _xlsx_rows(data)
    elif name.endswith(".csv"):
        physical_rows = _csv_rows(data)
    else:
        raise file_error(_("The file must be a CSV (.csv) or Excel (.xlsx) file."))
    try:
        header = next(physical_rows)
    except StopIteration:
        raise file_error(_("The file is empty.")) from None
    headers, positions = _read_header(header, columns)
    rows = []
    for number, values in enumerate(physical_rows, start=2):
        if number > MAX_SCANNED_ROWS:
            raise _too_many_rows()
        if all(is_blank(value) for value in values):
            continue
        rows.append(
            Row(
                number=number,
                cells={
                    column: values[index] if index < len(values) else None
                    for column, index in positions.items()
                },
            )
        )
        if len(rows) > MAX_ROWS:
            raise _too_many_rows()
    if not rows:
        raise file_error(_("The file has no data rows below the header."))
    return Table(headers=headers, rows=rows)


def _too_many_rows() -> ImportRejected:
    return file_error(
        ngettext(
            "The file has more than %(max)s data row; split it into several files.",
            "The file has more than %(max)s data rows; split it into several files.",
            MAX_ROWS,
        )
        % {"max": number_format(MAX_ROWS)}
    )


def _read_upload(upload) -> bytes:
    if upload is None:
        raise file_error(_("Choose a CSV or Excel (.xlsx) file to import."))
    if upload.size is not None and upload.size > MAX_BYTES:
        raise file_error(
            _("The file is larger than %(size)d MB.") % {"size": MAX_BYTES // (1024 * 1024)}
        )
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise file_error(
            _("The file is larger than %(size)d MB.") % {"size": MAX_BYTES // (1024 * 1024)}
        )
    if not data.strip():
        raise file_error(_("The file is empty."))
    if data.startswith(OLE_MAGIC):
        raise file_error(
            _("Old Excel files (.xls) cannot be read; save the file as Excel Workbook (.xlsx).")
        )
    return data


def _read_header(header: tuple, columns: tuple[str, ...]) -> tuple[dict[str, str], dict[str, int]]:
    errors = []
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    for index, value in enumerate(header):
        column = normalise_header(value)
        if column not in columns:
            continue
        if column in positions:
            errors.append(RowError(1, str(value).strip(), _("this column appears twice.")))
            continue
        positions[column] = index
        headers[column] = str(value).replace("\ufeff", "").strip()
    for column in columns:
        if column not in positions:
            errors.append(
                RowError(
                    1,
                    column,
                    _("this column is missing from the header row; the header must name: %s.")
                    % ", ".join(columns),
                )
            )
    if errors:
        raise ImportRejected(errors)
    return headers, positions


def _csv_rows(data: bytes):
    if data.startswith(ZIP_MAGIC):
        raise file_error(_("This is not a CSV file; an Excel workbook must end in .xlsx."))
    try:
        # utf-8-sig drops the byte-order mark Excel writes in "CSV UTF-8".
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise file_error(
            _(
                "The CSV file is not UTF-8 text; in Excel save it as “CSV UTF-8 (comma "
                "delimited)”, or upload the .xlsx workbook."
            )
        ) from None
    first_line = text.split("\n", 1)[0]
    # Excel in some locales separates with semicolons; take what the header row uses.
    delimiter = ";" if ";" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return _guard_csv(reader)


def _guard_csv(reader):
    try:
        for record in reader:
            yield tuple(record)
    except csv.Error as exc:
        raise file_error(
            _("The CSV file cannot be read near line %(line)d.") % {"line": reader.line_num}
        ) from exc


def _xlsx_rows(data: bytes):
    if not data.startswith(ZIP_MAGIC):
        raise file_error(_("The file cannot be read as an Excel (.xlsx) workbook."))
    check_workbook_archive(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except (
        zipfile.BadZipFile,
        InvalidFileException,
        KeyError,
        ValueError,
        IndexError,
        OSError,
        *UNREADABLE_XML,
    ):
        logger.info("unreadable workbook upload", exc_info=True)
        raise file_error(_("The file cannot be read as an Excel (.xlsx) workbook.")) from None
    return _guard_xlsx(workbook, sheet)


def _guard_xlsx(workbook, sheet):
    try:
        yield from sheet.iter_rows(values_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, *UNREADABLE_XML):
        logger.info("unreadable workbook upload", exc_info=True)
        raise file_error(_("The file cannot be read as an Excel (.xlsx) workbook.")) from None
    finally:
        workbook.close()


class RowChecker:
    """Parses a row's cells, collecting each cell's problem under the row and column it is in,
    so one pass reports every problem of the row."""

    def __init__(self, row: Row, headers: dict[str, str]):
        self.row = row
        self.headers = headers
        self.errors: list[RowError] = []

    def __call__(self, column: str, parse):
        try:
            return parse(self.row.cells[column])
        except CellError as exc:
            self.error(column, exc.message)
            return None

    def error(self, column: str | None, message: str) -> None:
        header = self.headers.get(column) if column else None
        self.errors.append(RowError(self.row.number, header, message))
