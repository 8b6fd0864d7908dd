"""Small helpers that keep services' validation uniform."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from bmp_comms.dates import local_today

web_url_validator = URLValidator(
    schemes=["http", "https"], message=_("Enter a valid link that starts with http:// or https://.")
)


def validate_not_future(value: datetime.date | None, field: str) -> None:
    if value is not None and value > local_today():
        raise ValidationError({field: _("The date cannot be in the future.")})


@contextmanager
def integrity_as_validation(field: str, message: Callable[[], str] | str):
    """A race that slips past validation hits a database constraint: report it as bad input.
    The block runs in its own savepoint, so the surrounding transaction stays usable."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        raise ValidationError({field: message() if callable(message) else message}) from exc
