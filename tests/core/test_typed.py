"""bmp_comms.typed: a number is read as the page's language writes it, digits grouped by three
or not at all, and a misplaced separator is refused with a message that shows how to write
it; a date is dd/mm/yyyy whatever the language (docs/rules.md#typed-input)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from bmp_comms import typed
from bmp_comms.numbers import NumberWriter

WHOLE_VI = "Viết số như 1.000 hoặc 21.814 (mỗi nhóm ba chữ số) hoặc 21814, không có phần thập phân."
WHOLE_EN = (
    "Write the number like 1,000 or 21,814 (digits in groups of three) or 21814, without decimals."
)
DECIMAL_VI = "Viết số như 1.000, 21.814 hoặc 1,5 (mỗi nhóm ba chữ số, phần thập phân sau dấu phẩy)."
NOT_A_NUMBER_VI = "Nhập một số nguyên, ví dụ 250."


def clean(field, text, language):
    with translation.override(language):
        try:
            return field.clean(text)
        except ValidationError as exc:
            return exc.messages


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.000", 1000),
        ("21.814", 21814),
        ("1000", 1000),
        ("21814", 21814),
        ("0", 0),
        ("1.000.000", 1_000_000),
        (" 33.313 ", 33313),
        ("-5", -5),  # parsed; a count below 0 is its service's to refuse
    ],
)
def test_vietnamese_whole_numbers(text, value):
    assert clean(typed.IntegerField(), text, "vi") == value


@pytest.mark.parametrize(
    "text", ["1.00", "1.0000", "12.34.5", "1,000", "1,5", "1.000,0", "1 000", ".100", "100.", "+5"]
)
def test_vietnamese_misplaced_separators_show_how_to_write_the_number(text):
    assert clean(typed.IntegerField(), text, "vi") == [WHOLE_VI]


@pytest.mark.parametrize(("text", "value"), [("1,000", 1000), ("21,814", 21814), ("1000", 1000)])
def test_english_whole_numbers(text, value):
    assert clean(typed.IntegerField(), text, "en") == value


@pytest.mark.parametrize("text", ["1.000", "21.814", "1,00", "1,0000", "12,34,5", "1.5"])
def test_english_misplaced_separators_show_how_to_write_the_number(text):
    assert clean(typed.IntegerField(), text, "en") == [WHOLE_EN]


@pytest.mark.parametrize("text", ["một trăm", "10%", "1e3", "0x10", "1" * 41])
def test_no_number_at_all_gets_the_forms_own_words(text):
    assert clean(typed.IntegerField(), text, "vi") == [NOT_A_NUMBER_VI]


def test_empty_is_required_or_nothing():
    assert clean(typed.IntegerField(required=False), "  ", "vi") is None
    assert clean(typed.IntegerField(), "", "vi") == ["Trường này là bắt buộc."]


@pytest.mark.parametrize(
    ("language", "text", "value"),
    [
        ("vi", "1,5", Decimal("1.5")),
        ("vi", "1.000,25", Decimal("1000.25")),
        ("vi", "21.814", Decimal("21814")),
        ("en", "1.5", Decimal("1.5")),
        ("en", "1,000.25", Decimal("1000.25")),
    ],
)
def test_decimals_where_a_decimal_is_allowed(language, text, value):
    assert clean(typed.DecimalField(), text, language) == value


@pytest.mark.parametrize("text", ["1.00", "1.0000", "12.34.5", "1,5,0", "1.5"])
def test_vietnamese_decimals_with_misplaced_separators_are_refused(text):
    assert clean(typed.DecimalField(), text, "vi") == [DECIMAL_VI]


def test_a_decimal_field_refuses_text_in_its_own_words():
    assert clean(typed.DecimalField(), "nhiều", "vi") == ["Nhập một số."]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_number_written_by_the_pages_reads_back_as_itself(language):
    # The rule that writes numbers (bmp_comms.numbers) and the one that reads them agree.
    values = [0, 7, 999, 1000, 21_814, 33_313, 999_999, 1_000_000, 123_456_789]
    with translation.override(language):
        writer = NumberWriter()
        field = typed.IntegerField()
        assert [field.clean(writer.number(value)) for value in values] == values
        decimals = [Decimal("1.5"), Decimal("65.3"), Decimal("1234.5")]
        assert [typed.DecimalField().clean(writer.number(v, 1)) for v in decimals] == decimals


@pytest.mark.parametrize(
    ("language", "shown", "pattern"),
    [
        ("vi", 'value="21.814"', r'pattern="-?(?:\d{1,3}(?:\.\d{3})+|\d+)"'),
        ("en", 'value="21,814"', r'pattern="-?(?:\d{1,3}(?:,\d{3})+|\d+)"'),
    ],
)
def test_a_number_is_shown_as_its_language_writes_it(language, shown, pattern):
    with translation.override(language):
        html = typed.NumberInput().render("households", 21814)
    assert '<input type="text" name="households"' in html
    assert shown in html and pattern in html and 'inputmode="numeric"' in html


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_inputs_pattern_is_the_parsers_rule(language):
    # What the browser is told to expect is what the server reads (as a whole match).
    with translation.override(language):
        html = typed.NumberInput().render("n", None)
        pattern = re.search(r'pattern="([^"]+)"', html)[1].replace("&#x27;", "'")
        for text in ["1.000", "1,000", "1.00", "21814", "12.34.5", "1,5"]:
            field = typed.IntegerField()
            try:
                field.clean(text)
                read = True
            except ValidationError:
                read = False
            assert bool(re.fullmatch(pattern, text)) == read, text


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("text", ["07/12/2026", "7/12/2026", "2026-12-07", " 07/12/2026 "])
def test_a_day_is_dd_mm_yyyy_in_either_language(language, text):
    assert clean(typed.DayField(), text, language) == datetime.date(2026, 12, 7)


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("text", ["31/02/2026", "12/31/2026", "07/12/26", "07-12-2026", "hôm qua"])
def test_a_day_that_is_not_dd_mm_yyyy_is_refused(language, text):
    message = {"vi": "Nhập ngày theo dạng dd/mm/yyyy.", "en": "Enter a date as dd/mm/yyyy."}
    assert clean(typed.DayField(), text, language) == [message[language]]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_day_is_shown_dd_mm_yyyy_with_its_calendar(language):
    with translation.override(language):
        html = typed.DayInput().render("due_date", datetime.date(2026, 12, 7))
        label = translation.gettext("Choose on a calendar")
    assert '<input type="text" name="due_date" value="07/12/2026"' in html
    assert 'placeholder="dd/mm/yyyy"' in html and 'data-datepicker="date"' in html
    assert f'data-datepicker-label="{label}"' in html
    assert 'type="date"' not in html


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_time_is_dd_mm_yyyy_hh_mm(language):
    field = typed.DayTimeField()
    with translation.override(language):
        moment = field.clean("07/12/2026 08:30")
        html = typed.DayTimeInput().render("publish_at", field.prepare_value(moment))
    assert moment.strftime("%d/%m/%Y %H:%M %Z") == "07/12/2026 08:30 +07"
    assert 'value="07/12/2026 08:30"' in html and 'data-datepicker="datetime"' in html
    message = {
        "vi": "Nhập thời điểm theo dạng dd/mm/yyyy hh:mm.",
        "en": "Enter a time as dd/mm/yyyy hh:mm.",
    }
    assert clean(typed.DayTimeField(), "12/31/2026 08:30", language) == [message[language]]
