"""What an import reports back: every problem, each tied to the row and column it is in."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class RowError:
    """`row` is the row number the user sees in the spreadsheet (the header is row 1); `row` and
    `column` are None for a problem with the file as a whole."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.row is not None and self.column:
            return _("Row %(row)d, column %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        if self.row is not None:
            return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}
        return self.message

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


class ImportRejected(Exception):
    """Nothing was written; `errors` says why, row by row."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(str(error) for error in errors[:5]))
        self.errors = errors


def file_error(message: str) -> ImportRejected:
    return ImportRejected([RowError(None, None, message)])


def errors_from_validation(
    exc: ValidationError, number: int, headers: dict[str, str]
) -> list[RowError]:
    """A service's refusal of one row, each message under the column of the field it names."""
    if not hasattr(exc, "error_dict"):
        return [RowError(number, None, message) for message in exc.messages]
    return [
        RowError(number, headers.get(field), message)
        for field, messages in exc.message_dict.items()
        for message in messages
    ]
