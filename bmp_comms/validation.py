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

from bmp_comms.dates import local_today

web_url_validator = URLValidator(
    schemes=["http", "https"], message=_("Enter a valid link that starts with http:// or https://.")
)


FUTURE_DATE = _("The date cannot be in the future.")
# Counts are parsed by the form or the serializer (NOT_A_NUMBER, the same words on both paths)
# and judged by the service (NEGATIVE), so a page and the API answer the same bad number alike.
NOT_A_NUMBER = _("Enter a whole number, for example 250.")
NEGATIVE = _("Enter 0 or a larger number.")


def validate_not_future(value: datetime.date | None, field: str) -> None:
    if value is not None and value > local_today():
        raise ValidationError({field: FUTURE_DATE})


def negative_count_errors(counts: Mapping[str, int]) -> dict[str, str]:
    """The counts among these that are below 0, each with its message; {} when none is."""
    return {name: NEGATIVE for name, value in counts.items() if value < 0}


@contextmanager
def integrity_as_validation(field: str, message: Callable[[], str] | str | Promise):
    """A race that slips past validation hits a database constraint: report it as bad input.
    The block runs in its own savepoint, so the surrounding transaction stays usable."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        raise ValidationError({field: message() if callable(message) else message}) from exc
