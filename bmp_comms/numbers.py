"""Numbers as the active language writes them: the portal's one rule is Django's number_format
with the formats of bmp_comms/formats (settings.USE_THOUSAND_SEPARATOR): 21.814 and 65,3 % in
Vietnamese, 21,814 and 65.3 % in English.

`NumberWriter` applies that rule with the language's formats read once. number_format looks
the three formats up again for every number it writes, which is most of its cost; a page that
writes a thousand numbers (the dashboard's commune table) takes one writer and formats each
number through Django's numberformat with what it read.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.utils import numberformat
from django.utils.formats import get_format

# A percentage is shown to one decimal (docs/rules.md#percentages); where its denominator is 0 it
# is undefined and shown as a dash.
PERCENT_DECIMALS = 1
NO_PERCENT = "—"


class NumberWriter:
    """number_format for the language active when the writer was made."""

    def __init__(self) -> None:
        self.decimal_separator = get_format("DECIMAL_SEPARATOR")
        self.grouping = get_format("NUMBER_GROUPING")
        self.thousand_separator = get_format("THOUSAND_SEPARATOR")
        # Python groups by threes, as numberformat does when the settings ask it to group.
        self._python_groups = settings.USE_THOUSAND_SEPARATOR and self.grouping == 3
        self._separators = str.maketrans(
            {",": self.thousand_separator, ".": self.decimal_separator}
        )

    def number(self, value: int | Decimal, decimal_pos: int | None = None) -> str:
        """`value` as number_format(value, decimal_pos) writes it."""
        # What numberformat writes, at a tenth of its cost, where Python's own grouping by
        # threes says the same: an int, or a Decimal with exactly the decimals asked for (a
        # percentage, quantized to one decimal). A page's counts and percentages are most of
        # what it writes; tests hold the two ways equal.
        if self._python_groups:
            if type(value) is int and decimal_pos is None:
                return f"{value:,}".replace(",", self.thousand_separator)
            if (
                type(value) is Decimal
                and decimal_pos
                and value.as_tuple().exponent == -decimal_pos
                and not value.is_signed()
            ):
                return f"{value:,}".translate(self._separators)
        return numberformat.format(
            value,
            self.decimal_separator,
            decimal_pos,
            self.grouping,
            self.thousand_separator,
            use_l10n=True,
        )

    def percent(self, value: Decimal | None) -> str:
        """66.7 → "66,7 %" in Vietnamese, "66.7 %" in English; "—" for no percentage."""
        if value is None:
            return NO_PERCENT
        return f"{self.number(value, PERCENT_DECIMALS)} %"
