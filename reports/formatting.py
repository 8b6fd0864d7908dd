"""Numbers and dates of the compliance report, by the portal's one rule for numbers: Django's
number_format with the formats of bmp_comms/formats (settings.USE_THOUSAND_SEPARATOR). The
report is written under Vietnamese (reports.jobs.REPORT_LANGUAGE), whatever the
language of the page that asked for it, so it reads 21.814 households, 66,7 %, 06/08/2021."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

NOTHING = "—"
ONE_DECIMAL = Decimal("0.1")


def vn_int(value: int | None) -> str:
    """21814 → "21.814"."""
    if value is None:
        return NOTHING
    return number_format(int(value))


def vn_decimal(value: Decimal | float | int | None) -> str:
    """66.7 → "66,7" (one decimal, as the figures are rounded); 1234.5 → "1.234,5"."""
    if value is None:
        return NOTHING
    # number_format cuts the decimals it does not show; the figures are rounded half-up.
    rounded = Decimal(str(value)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)
    return number_format(rounded, decimal_pos=1)


def vn_pct(value: Decimal | float | int | None) -> str:
    """66.7 → "66,7 %"; "—" where there is no denominator."""
    if value is None:
        return NOTHING
    # A no-break space: "66,7 %" never splits across two lines.
    return f"{vn_decimal(value)}\u00a0%"


def vn_points(value: Decimal | float | int | None) -> str:
    """A gap between two percentages, in percentage points: 6.2 → "6,2 điểm phần trăm". The
    one wording of a gap in the whole report, whichever section speaks of it."""
    if value is None:
        return NOTHING
    return _("%(points)s percentage points") % {"points": vn_decimal(value)}


def vn_date(value: datetime.date | None) -> str:
    return NOTHING if value is None else value.strftime("%d/%m/%Y")


def place_and_date(place: str, day: datetime.date) -> str:
    """ "Bù Gia Mập, ngày 06 tháng 08 năm 2021": day and month with their leading zeros, the
    year as it is written (an identifier, never grouped)."""
    return _("%(place)s, %(day)s/%(month)s/%(year)s") % {
        "place": place,
        "day": f"{day.day:02d}",
        "month": f"{day.month:02d}",
        "year": day.year,
    }
