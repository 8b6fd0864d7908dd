"""bmp_comms.numbers: the portal's one rule for numbers is Django's number_format with the
formats of bmp_comms/formats; NumberWriter, which reads those formats once for a whole table,
writes every number exactly as number_format does, in Vietnamese and in English."""

import random
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.formats import number_format

from bmp_comms.numbers import NumberWriter
from bmp_comms.templatetags.percent_tags import pct

INTEGERS = [0, 1, -1, 7, 999, 1000, -1000, 21_814, 33_313, 1_000_000, 2**31 - 1, -(10**12)]
# Percentages as bmp_comms.percent gives them (one decimal), and others that take
# numberformat's own path: no decimals, more decimals than asked for, signed zero.
DECIMALS = ["0.0", "65.3", "100.0", "1234.5", "-12.5", "-0.0", "65", "65.35", "0.05", "1E+3"]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_integers_as_number_format_writes_them(language):
    rng = random.Random(9)
    values = INTEGERS + [rng.randint(-(10**10), 10**10) for _ in range(2_000)]
    with translation.override(language):
        writer = NumberWriter()
        assert [writer.number(value) for value in values] == [number_format(v) for v in values]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("decimal_pos", [None, 0, 1, 2])
def test_decimals_as_number_format_writes_them(language, decimal_pos):
    rng = random.Random(30)
    values = [Decimal(text) for text in DECIMALS] + [
        Decimal(rng.randint(-(10**7), 10**7)) / 10 for _ in range(2_000)
    ]
    with translation.override(language):
        writer = NumberWriter()
        written = [writer.number(value, decimal_pos) for value in values]
        assert written == [number_format(value, decimal_pos) for value in values]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_without_thousand_separators_as_number_format_writes_them(language, settings):
    settings.USE_THOUSAND_SEPARATOR = False
    values = [*INTEGERS, *(Decimal(text) for text in DECIMALS)]
    with translation.override(language):
        writer = NumberWriter()
        assert writer.number(21_814) == "21814"
        assert [writer.number(value) for value in values] == [number_format(v) for v in values]
        assert [writer.number(value, 1) for value in values] == [
            number_format(v, 1) for v in values
        ]


def test_vietnamese_groups_with_dots_and_english_with_commas():
    with translation.override("vi"):
        assert NumberWriter().number(21_814) == "21.814"
        assert NumberWriter().percent(Decimal("1234.5")) == "1.234,5 %"
    with translation.override("en"):
        assert NumberWriter().number(21_814) == "21,814"
        assert NumberWriter().percent(Decimal("1234.5")) == "1,234.5 %"


def test_a_writer_keeps_the_language_it_was_made_in():
    with translation.override("vi"):
        writer = NumberWriter()
    with translation.override("en"):
        assert writer.number(21_814) == "21.814"


def test_the_pct_filter_is_the_writers_percent():
    with translation.override("vi"):
        assert pct(Decimal("65.3")) == "65,3 %"
        assert pct(None) == "—"
        assert pct(Decimal("0.0")) == "0,0 %"
