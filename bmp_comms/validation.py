"""Small helpers that keep services' validation uniform."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from bmp_comms.dates import EARLIEST_DATE, local_today

web_url_validator = URLValidator(
    schemes=["http", "https"], message=_("Enter a valid link that starts with http:// or https://.")
)


FUTURE_DATE = _("The date cannot be in the future.")
BEFORE_2000 = _("The date cannot be before 01/01/2000.")
# Counts are parsed by the form or the serializer (NOT_A_NUMBER, the same words on both paths)
# and judged by the service (NEGATIVE), so a page and the API answer the same bad number alike.
NOT_A_NUMBER = _("Enter a whole number, for example 250.")
NEGATIVE = _("Enter 0 or a larger number.")
# A due date may be set this far ahead; further is a typing mistake (20211 for 2021).
PLANNED_YEARS_AHEAD = 5


# No group has a million members and no village a million residents: a larger number is a
# typing mistake, and would overflow the dashboard's sums long before it meant anything.
MAX_COUNT = 1_000_000
TOO_LARGE = _("Enter at most 1.000.000; a larger number is surely a typing mistake.")


def happened_on_error(value: datetime.date | None) -> Promise | None:
    """Why a date something happened on is refused: it must be from 01/01/2000 (the
    dashboard's date rule) to today. None when it is fine."""
    if value is None:
        return None
    if value < EARLIEST_DATE:
        return BEFORE_2000
    if value > local_today():
        return FUTURE_DATE
    return None


def validate_not_future(value: datetime.date | None, field: str) -> None:
    error = happened_on_error(value)
    if error is not None:
        raise ValidationError({field: error})


def count_errors(counts: Mapping[str, int]) -> dict[str, Promise]:
    """The counts among these that are below 0 or above MAX_COUNT, each with its message; {}
    when none is."""
    errors = {name: NEGATIVE for name, value in counts.items() if value < 0}
    errors.update({name: TOO_LARGE for name, value in counts.items() if value > MAX_COUNT})
    return errors


def validate_planned(value: datetime.date | None, field: str) -> None:
    """A date something is due or planned on: from 01/01/2000 to a few years ahead."""
    if value is None:
        return
    if value < EARLIEST_DATE:
        raise ValidationError({field: BEFORE_2000})
    today = local_today()
    try:
        latest = today.replace(year=today.year + PLANNED_YEARS_AHEAD)
    except ValueError:  # 29 February, in a year that has none
        latest = today.replace(year=today.year + PLANNED_YEARS_AHEAD, day=28)
    if value > latest:
        raise ValidationError(
            {
                field: _("The date cannot be later than %(date)s.")
                % {"date": latest.strftime("%d/%m/%Y")}
            }
        )


@contextmanager
def integrity_as_validation(field: str, message: Callable[[], str] | str | Promise):
    """A race that slips past validation hits a database constraint: report it as bad input.
    The block runs in its own savepoint, so the surrounding transaction stays usable."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        raise ValidationError({field: message() if callable(message) else message}) from exc
