"""Numbers and dates as an official Vietnamese document writes them, whatever the language of
the page that asked for the report: 21.814 households, 66,7 %, 06/08/2021."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

NOTHING = "—"


def vn_int(value: int | None) -> str:
    """21814 → "21.814"."""
    if value is None:
        return NOTHING
    return f"{int(value):,}".replace(",", ".")


def vn_decimal(value: Decimal | float | int | None) -> str:
    """66.7 → "66,7" (one decimal, as the figures are rounded); 1234.5 → "1.234,5"."""
    if value is None:
        return NOTHING
    text = f"{Decimal(value):,.1f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def vn_pct(value: Decimal | float | int | None) -> str:
    """66.7 → "66,7 %"; "—" where there is no denominator."""
    if value is None:
        return NOTHING
    # A no-break space: "66,7 %" never splits across two lines.
    return f"{vn_decimal(value)}\u00a0%"


def vn_date(value: datetime.date | None) -> str:
    return NOTHING if value is None else value.strftime("%d/%m/%Y")


def place_and_date(place: str, day: datetime.date) -> str:
    """ "Bù Gia Mập, ngày 06 tháng 08 năm 2021": day and month with their leading zeros."""
    return _("%(place)s, %(day)s/%(month)s/%(year)s") % {
        "place": place,
        "day": f"{day.day:02d}",
        "month": f"{day.month:02d}",
        "year": day.year,
    }
