"""Numbers and dates as people type them on a page (docs/rules.md#typed-input).

A number is read as the page's language writes it, by the separators of bmp_comms/formats that
bmp_comms.numbers writes with: in Vietnamese `1.000` and `21.814` are a thousand and 21,814 and
`1,5` is one and a half; in English `1,000` and `1.5`. Digits are grouped by three or not at
all, so a misplaced separator (`1.00`, `1.0000`, `12.34.5`) is refused with a message that
shows how to write the number, never read as another one. Django's IntegerField would have
taken `1.000` for 1 (it drops a trailing ".000") and refused `1.200`.

A date is typed and shown dd/mm/yyyy whatever the page's or the browser's language; ISO
(yyyy-mm-dd), which links and the API use, is read too, as it cannot be mistaken. The inputs
are plain text inputs, so typing is all a page needs; static/js/datepicker.js adds a calendar
beside them where JavaScript runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import get_format, number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bmp_comms.validation import NOT_A_NUMBER

# What a number typed with separators in the wrong places looks like: digits, separators of
# either language, spaces and a sign. Anything else (`một trăm`, `10%`) is not a number at all.
NUMBERISH = re.compile(r"^[+\-\u2212]?[\d.,\s\u00a0'’_]*\d[\d.,\s\u00a0'’_]*$")
# Longer than any number a form takes; also keeps int() far from Python's digit limit.
MAX_NUMBER_LENGTH = 40

WHOLE_NUMBER_HOWTO = _(
    "Write the number like %(thousand)s or %(example)s (digits in groups of three) or "
    "%(plain)s, without decimals."
)
NOT_A_DECIMAL = _("Enter a number.")
DECIMAL_NUMBER_HOWTO = _(
    "Write the number like %(thousand)s, %(example)s or %(decimal)s (digits in groups of "
    "three, then the decimals)."
)

DAY_FORMAT = "%d/%m/%Y"
DAY_TIME_FORMAT = "%d/%m/%Y %H:%M"
# dd/mm/yyyy first: what people type and what the field shows; ISO is what links and older
# pages send, and cannot be read another way.
DAY_INPUT_FORMATS = [DAY_FORMAT, "%Y-%m-%d"]
DAY_TIME_INPUT_FORMATS = [DAY_TIME_FORMAT, "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
DAY_PATTERN = r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}"
DAY_TIME_PATTERN = r"\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}|\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}"
BAD_DAY = _("Enter a date as dd/mm/yyyy.")
BAD_DAY_TIME = _("Enter a time as dd/mm/yyyy hh:mm.")
PICK_A_DAY = _("Choose on a calendar")


@dataclass(frozen=True)
class Separators:
    """How the active language writes a number: the same formats bmp_comms.numbers writes with."""

    thousand: str
    decimal: str

    @classmethod
    def active(cls) -> Separators:
        return cls(get_format("THOUSAND_SEPARATOR"), get_format("DECIMAL_SEPARATOR"))

    def pattern(self, *, decimals: bool) -> str:
        """The number as a regular expression: grouped by three throughout, or not grouped."""
        group, point = _escape(self.thousand), _escape(self.decimal)
        whole = rf"\d{{1,3}}(?:{group}\d{{3}})+|\d+"
        fraction = rf"(?:{point}\d+)?" if decimals else ""
        return rf"-?(?:{whole}){fraction}"


def _escape(separator: str) -> str:
    # Also read by the browser as an input's `pattern` (a `v`-flag expression, where "\," is an
    # error): escape only what the syntax needs.
    return re.escape(separator) if separator in r".^$|?*+()[]{}\/" else separator


def _howto(*, decimals: bool) -> ValidationError:
    examples = {
        "thousand": number_format(1000, force_grouping=True),
        "example": number_format(21814, force_grouping=True),
        "plain": "21814",
        "decimal": number_format(Decimal("1.5")),
    }
    message = DECIMAL_NUMBER_HOWTO if decimals else WHOLE_NUMBER_HOWTO
    return ValidationError(message, code="misplaced", params=examples)


def parse_number(text: str, *, decimals: bool) -> int | Decimal:
    """`text` read by the active language's separators: an int, or a Decimal where decimals
    are allowed. A ValidationError that shows how to write it (code "misplaced") when its
    separators are misplaced, NOT_A_NUMBER (code "invalid") when it is no number at all."""
    text = text.strip()
    if len(text) > MAX_NUMBER_LENGTH or not NUMBERISH.match(text):
        raise ValidationError(NOT_A_NUMBER, code="invalid")
    separators = Separators.active()
    if not re.fullmatch(separators.pattern(decimals=decimals), text):
        raise _howto(decimals=decimals)
    plain = text.replace(separators.thousand, "").replace(separators.decimal, ".")
    if not decimals:
        return int(plain)
    try:
        return Decimal(plain)
    except InvalidOperation:  # pragma: no cover - the pattern admits only what Decimal reads
        raise _howto(decimals=True) from None


class NumberInput(forms.TextInput):
    """A text input for a number: shown as the page's language writes it (`1.000`), with the
    keyboard of digits on a phone and the language's pattern as a hint (forms are checked by
    the server, so every message is in the page's language)."""

    decimals = False

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal" if self.decimals else "numeric", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            return number_format(value, force_grouping=True)
        return super().format_value(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].setdefault(
            "pattern", Separators.active().pattern(decimals=self.decimals)
        )
        return context


class DecimalInput(NumberInput):
    decimals = True


def _typed_number(field: forms.Field, value, *, decimals: bool) -> int | Decimal | None:
    if value in field.empty_values or not str(value).strip():
        return None
    try:
        return parse_number(str(value), decimals=decimals)
    except ValidationError as exc:
        if exc.code == "invalid":
            # No number at all: the form's own words for it, where it has some.
            raise ValidationError(field.error_messages["invalid"], code="invalid") from None
        raise


class IntegerField(forms.IntegerField):
    """A whole number typed on a page, as its language writes it. Bounds, where a form has
    them, are Django's (min_value, max_value); counts are bounded by their services."""

    widget = NumberInput
    default_error_messages = {"invalid": NOT_A_NUMBER}

    def to_python(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        return _typed_number(self, value, decimals=False)


class DecimalField(forms.DecimalField):
    """A number with decimals typed on a page, as its language writes it (`1,5` in Vietnamese)."""

    widget = DecimalInput
    default_error_messages = {"invalid": NOT_A_DECIMAL}

    def to_python(self, value):
        if isinstance(value, Decimal):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return Decimal(value)
        return _typed_number(self, value, decimals=True)


class DayInput(forms.DateInput):
    """A date typed dd/mm/yyyy in a text input, whatever the browser's language: the browser's
    own date input would show it as its language does (12/07/2026 beside 07/12/2026)."""

    input_type = "text"
    picker = "date"
    pattern = DAY_PATTERN
    placeholder = "dd/mm/yyyy"
    display_format = DAY_FORMAT

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=self.display_format)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        for key, default in (
            ("pattern", self.pattern),
            ("placeholder", self.placeholder),
            ("autocomplete", "off"),
            ("data-datepicker", self.picker),
            # The calendar button's name, in the page's language (static/js/datepicker.js).
            ("data-datepicker-label", gettext(PICK_A_DAY)),
        ):
            widget_attrs.setdefault(key, default)
        return context


class DayTimeInput(DayInput):
    picker = "datetime"
    pattern = DAY_TIME_PATTERN
    placeholder = "dd/mm/yyyy hh:mm"
    display_format = DAY_TIME_FORMAT


class DayField(forms.DateField):
    """A date typed dd/mm/yyyy (or ISO). Which dates make sense is each service's rule."""

    widget = DayInput
    input_formats = DAY_INPUT_FORMATS
    default_error_messages = {"invalid": BAD_DAY}


class DayTimeField(forms.DateTimeField):
    """A time typed dd/mm/yyyy hh:mm (or ISO), in the portal's time zone."""

    widget = DayTimeInput
    input_formats = DAY_TIME_INPUT_FORMATS
    default_error_messages = {"invalid": BAD_DAY_TIME}
