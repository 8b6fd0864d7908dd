"""The commune table's search, pages and coverage bands, and the deadline panel's short list
of missing communes: pure functions over rows already read, no database."""

from decimal import Decimal

from django.utils import translation

from communes.names import parse_query, search_communes
from dashboard.selectors import (
    PAGE_SIZE,
    CommuneRow,
    commune_table,
    coverage_bands,
    deadline_cards,
)


def row(index: int, *, name: str = "", code: str = "", covered: int = 0, households: int = 1000):
    return CommuneRow(
        id=index,
        code=code or f"{index:05d}",
        name=name or f"Xã {index:05d}",
        bluzone_target_pct=50,
        villages_count=1,
        households=households,
        covered=covered,
    )


NAMED = [
    row(1, name="Phú Nghĩa", code="25267"),
    row(2, name="Đa Kia", code="25231"),
    row(3, name="Bù Gia Mập", code="25222"),
    row(4, name="Đức Hạnh", code="25228"),
    row(5, name="Phú  Văn", code="25234"),
]


def names(rows) -> list[str]:
    return [row.name for row in rows]


def test_search_ignores_accents_case_and_spaces():
    assert names(search_communes(NAMED, "phu nghia")) == ["Phú Nghĩa"]
    assert names(search_communes(NAMED, "PHÚ NGHĨA")) == ["Phú Nghĩa"]
    assert names(search_communes(NAMED, "  phu   van ")) == ["Phú  Văn"]
    assert names(search_communes(NAMED, "phu")) == ["Phú Nghĩa", "Phú  Văn"]


def test_search_takes_d_for_đ_both_ways():
    assert names(search_communes(NAMED, "da kia")) == ["Đa Kia"]
    assert names(search_communes(NAMED, "duc")) == ["Đức Hạnh"]
    assert names(search_communes(NAMED, "Đa")) == ["Đa Kia"]


def test_search_by_code():
    assert names(search_communes(NAMED, "25228")) == ["Đức Hạnh"]
    # part of a code: every code holding it
    assert names(search_communes(NAMED, "2523")) == ["Đa Kia", "Phú  Văn"]


def test_no_search_keeps_every_row_and_nothing_found_is_empty():
    assert search_communes(NAMED, "") == NAMED
    assert search_communes(NAMED, "   ") == NAMED
    assert search_communes(NAMED, "hà nội") == []
    assert parse_query("  phu nghia  ") == "phu nghia"
    assert parse_query(None) == ""
    assert len(parse_query("x" * 500)) == 100


# 450 rows, row i covering i of 1,000 households (i/10 %).
MANY = [row(index, covered=index) for index in range(450)]


def codes(rows) -> list[str]:
    return [row.code for row in rows]


def test_pages_of_200_in_the_chosen_order():
    assert PAGE_SIZE == 200
    first = commune_table(MANY, sort="-coverage", query="", page=None)
    assert (first.matching, first.in_scope, first.fits_one_page) == (450, 450, False)
    assert first.page.paginator.num_pages == 3  # 200 + 200 + 50
    assert codes(first.rows[:2]) == ["00449", "00448"]
    assert len(first.rows) == 200
    second = commune_table(MANY, sort="-coverage", query="", page="2")
    # the 201st highest coverage: row 449 - 200
    assert codes(second.rows[:1]) == ["00249"]
    assert (second.page.start_index(), second.page.end_index()) == (201, 400)
    last = commune_table(MANY, sort="-coverage", query="", page="3")
    assert codes(last.rows) == [f"{index:05d}" for index in range(49, -1, -1)]


def test_a_bad_page_number_falls_back():
    assert commune_table(MANY, sort="coverage", query="", page="abc").page.number == 1
    assert commune_table(MANY, sort="coverage", query="", page="-1").page.number == 3
    assert commune_table(MANY, sort="coverage", query="", page="99").page.number == 3
    assert commune_table(MANY, sort="coverage", query="", page="0").page.number == 3


def test_search_then_pages_count_the_matching_rows_only():
    # codes holding "0044": 00044 and 00440–00449
    table = commune_table(MANY, sort="coverage", query="0044", page="2")
    assert table.matching == 11
    assert table.page.number == 1  # one page only: page 2 falls back to the last
    assert codes(table.rows) == ["00044", *(f"{index:05d}" for index in range(440, 450))]
    assert table.in_scope == 450
    assert not table.page.has_other_pages()


def test_two_hundred_communes_fit_one_page():
    table = commune_table(MANY[:200], sort="coverage", query="", page=None)
    assert table.fits_one_page
    assert not table.page.has_other_pages()
    assert not commune_table(MANY[:201], sort="coverage", query="", page=None).fits_one_page


def test_coverage_bands_by_hand():
    rows = [
        row(1, households=0),  # no households: no coverage
        row(2, households=0, covered=0),
        row(3, covered=0),  # 0.0
        row(4, covered=99),  # 9.9
        row(5, households=10000, covered=995),  # 9.95 shows as 10.0: the 10 band
        row(6, covered=100),  # 10.0
        row(7, covered=499),  # 49.9
        row(8, covered=500),  # 50.0
        row(9, covered=900),  # 90.0
        row(10, households=10000, covered=9995),  # 99.95 shows as 100.0
        row(11, covered=1000),  # 100.0
    ]
    bands = coverage_bands(rows)
    assert [(band.low, band.high, band.communes) for band in bands] == [
        (None, None, 2),
        (Decimal(0), Decimal("9.9"), 2),
        (Decimal(10), Decimal("19.9"), 2),
        (Decimal(20), Decimal("29.9"), 0),
        (Decimal(30), Decimal("39.9"), 0),
        (Decimal(40), Decimal("49.9"), 1),
        (Decimal(50), Decimal("59.9"), 1),
        (Decimal(60), Decimal("69.9"), 0),
        (Decimal(70), Decimal("79.9"), 0),
        (Decimal(80), Decimal("89.9"), 0),
        (Decimal(90), Decimal(100), 3),
    ]
    assert sum(band.communes for band in bands) == len(rows)
    with translation.override("vi"):
        assert [band.label for band in bands[:3]] == ["Chưa có số hộ", "0–9,9 %", "10–19,9 %"]
        assert bands[-1].label == "90–100 %"
    with translation.override("en"):
        assert [band.label for band in bands[:2]] == ["No households", "0–9.9 %"]


def test_coverage_bands_of_no_commune_are_empty():
    assert [band.communes for band in coverage_bands([])] == [0] * 11


class Line:
    """A deadline of the panel, as many missing communes as `missing` names (the panel reads
    only the first of them: missing_count counts them all)."""

    def __init__(self, missing, count=None):
        self.missing_communes = missing
        self.missing_count = len(missing) if count is None else count


def test_deadline_cards_name_twenty_missing_communes_and_count_the_rest():
    many, few = Line(list(range(25))), Line(["a", "b"])
    cards = deadline_cards([many, few, Line([])])
    assert cards[0].deadline is many
    assert (cards[0].missing_shown, cards[0].missing_more) == (list(range(20)), 5)
    assert (cards[1].missing_shown, cards[1].missing_more) == (["a", "b"], 0)
    assert (cards[2].missing_shown, cards[2].missing_more) == ([], 0)
    assert deadline_cards([Line(list(range(20)))])[0].missing_more == 0
    # the panel read the first twenty of 9,980 missing: the rest is counted, not read
    card = deadline_cards([Line(list(range(20)), count=9_980)])[0]
    assert (card.missing_shown, card.missing_more) == (list(range(20)), 9_960)
