"""Read one spreadsheet cell as the value a column needs. Each parser returns the value or
raises `CellError` with a message that completes "Row 5, column households: …"."""

from __future__ import annotations

import datetime
import re

from django.utils.translation import gettext as _

MAX_COUNT = 2_147_483_647  # PositiveIntegerField's ceiling on every database
# 1.234 and 1,234 (and 1 234): thousands separators as Excel prints them in vi and en.
GROUPED_THOUSANDS = re.compile(r"^\d{1,3}(?:([.,\s])\d{3})(?:\1\d{3})*$")
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")


class CellError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def text(value: object, *, max_length: int) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    result = " ".join(str(value).split()) if value is not None else ""
    if not result:
        raise CellError(_("must not be empty."))
    # A CSV may carry one (a binary file renamed); PostgreSQL can neither store nor compare it.
    if "\x00" in result:
        raise CellError(_("must not contain a null character."))
    if len(result) > max_length:
        raise CellError(_("must be at most %(max)d characters.") % {"max": max_length})
    return result


def count(value: object) -> int:
    """A non-negative whole number: households, residents, members…"""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise CellError(_("must not be empty."))
    if isinstance(value, bool):
        raise CellError(_("must be a non-negative whole number."))
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise CellError(_("must be a non-negative whole number."))
        number = int(value)
    else:
        raw = str(value).strip()
        if raw.isdigit() and raw.isascii():
            number = int(raw)
        elif GROUPED_THOUSANDS.match(raw):
            number = int(re.sub(r"\D", "", raw))
        else:
            raise CellError(_("must be a non-negative whole number."))
    if number < 0:
        raise CellError(_("must be a non-negative whole number."))
    if number > MAX_COUNT:
        raise CellError(_("is too large."))
    return number


def date(value: object, *, today: datetime.date) -> datetime.date:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise CellError(_("must not be empty."))
    if isinstance(value, datetime.datetime):
        result = value.date()
    elif isinstance(value, datetime.date):
        result = value
    else:
        result = _parse_date(str(value).strip())
    if result > today:
        raise CellError(_("cannot be in the future."))
    return result


def _parse_date(raw: str) -> datetime.date:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise CellError(_("must be a date written dd/mm/yyyy."))
