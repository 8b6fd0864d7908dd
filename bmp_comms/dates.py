import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


def local_today() -> datetime.date:
    """Today in Asia/Ho_Chi_Minh (docs/rules.md#local-day: "today" is the local day, not UTC's)."""
    return timezone.localdate()


# Figures before this day would predate every group the dispatch speaks of; the bound also
# keeps date arithmetic (14 days, N weeks back) far from datetime's limits.
EARLIEST_DATE = datetime.date(2000, 1, 1)


def parse_as_of(value: str | None) -> datetime.date:
    """`?date=` as YYYY-MM-DD (or dd/mm/yyyy), from 01/01/2000 to today; today when absent."""
    today = local_today()
    if not value:
        return today
    for date_format in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            parsed = datetime.datetime.strptime(value.strip(), date_format).date()
        except ValueError:
            continue
        if EARLIEST_DATE <= parsed <= today:
            return parsed
        break
    raise ValidationError(
        {"date": _("Enter a valid date from 01/01/2000 to today, as dd/mm/yyyy or YYYY-MM-DD.")}
    )
