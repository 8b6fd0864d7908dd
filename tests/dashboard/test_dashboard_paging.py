"""At any scale the dashboard stays a page (issue 9): the commune table searched, sorted and
cut into pages by links and a GET form, while the totals, the charts and the deadline panel
cover every commune in scope; at a nation's 10,000 communes the page stays small."""

import gzip
import re

import pytest
from django.urls import reverse

from communes.models import Commune
from tests.charts import chart_in, table_in, texts
from tests.dashboard.conftest import D, bulk_code, deadline_over, populate_in_bulk

URL = reverse("dashboard")
DATE = D.isoformat()


@pytest.fixture
def staff_client(client, district_staff):
    client.force_login(district_staff)
    return client


def page_codes(response) -> list[str]:
    return [row.code for row in response.context["rows"]]


def tbody(html: str) -> str:
    return re.search(r'<table[^>]*id="commune-table".*?<tbody>(.*?)</tbody>', html, re.S).group(1)


# A province's scale: the known district of four communes fits one page.


def test_a_search_without_accents_finds_the_commune(known, staff_client):
    response = staff_client.get(URL, {"date": DATE, "q": "phu nghia"})
    assert page_codes(response) == ["25267"]
    html = response.content.decode()
    assert "Xã thứ 1–1 trong 1 xã khớp với “phu nghia”." in html
    # the totals, the cards and the bars still cover the four communes: 252 / 513
    assert 'data-total="coverage_pct">49,1 %<' in html
    foot = re.search(r"<tfoot.*?</tfoot>", html, re.S).group(0)
    assert "tất cả các xã" in foot
    _caption, bars = table_in(html, "bars-table")
    assert [row[0] for row in bars] == ["Bù Gia Mập", "Đa Kia", "Đức Hạnh", "Phú Nghĩa"]
    # a district of four communes has no pages
    assert 'id="table-pager"' not in html


def test_a_search_finds_đ_typed_as_d_and_a_code(known, staff_client):
    assert page_codes(staff_client.get(URL, {"date": DATE, "q": "da kia"})) == ["25231"]
    assert page_codes(staff_client.get(URL, {"date": DATE, "q": "DUC"})) == ["25228"]
    assert page_codes(staff_client.get(URL, {"date": DATE, "q": "25222"})) == ["25222"]
    # "252" is in every code: the four communes, worst coverage first
    assert page_codes(staff_client.get(URL, {"date": DATE, "q": "252"})) == [
        "25222",
        "25228",
        "25267",
        "25231",
    ]


def test_nothing_found_says_so_and_keeps_the_totals(known, staff_client):
    response = staff_client.get(URL, {"date": DATE, "q": "Hà Nội"})
    assert page_codes(response) == []
    html = response.content.decode()
    assert "Không có xã nào khớp với “Hà Nội”." in html
    assert 'data-total="villages_without_group">3<' in html
    assert 'id="search-clear"' in html
    assert f'href="?date={DATE}&amp;sort=coverage" id="search-clear"' in html
    # the table's footer still totals the district: 6 villages
    foot = re.search(r"<tfoot.*?</tfoot>", html, re.S).group(0)
    assert '<td class="text-end" data-label="Số thôn">6</td>' in foot


def test_search_sort_and_date_keep_each_other(known, staff_client):
    response = staff_client.get(URL, {"date": DATE, "q": "phu", "sort": "-name"})
    html = response.content.decode()
    # each heading keeps the date and the search and goes back to the first page
    assert f'href="?date={DATE}&amp;sort=name&amp;q=phu" data-sort="name"' in html
    assert f'href="?date={DATE}&amp;sort=coverage&amp;q=phu" data-sort="coverage"' in html
    # the date form keeps the order and the search, the search form the date and the order
    date_form = re.search(r'<form[^>]*id="date-form".*?</form>', html, re.S).group(0)
    assert '<input type="hidden" name="sort" value="-name">' in date_form
    assert '<input type="hidden" name="q" value="phu">' in date_form
    search = re.search(r'<form[^>]*id="commune-search".*?</form>', html, re.S).group(0)
    assert f'<input type="hidden" name="date" value="{DATE}">' in search
    assert '<input type="hidden" name="sort" value="-name">' in search
    assert 'name="q" class="form-control form-control-sm commune-search-input" value="phu"' in (
        search
    )
    # the exports carry every commune: no search in their links
    assert f'href="/dashboard/export.csv?date={DATE}&amp;sort=-name"' in html


def test_a_search_is_shown_as_text_never_as_markup(known, staff_client):
    html = staff_client.get(URL, {"date": DATE, "q": '"><script>x</script>'}).content.decode()
    assert "<script>x</script>" not in html
    assert "Không có xã nào khớp với “&quot;&gt;&lt;script&gt;x&lt;/script&gt;”." in html
    assert 'value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"' in html


def test_the_exports_and_the_api_ignore_the_search(known, staff_client, api_as, district_staff):
    csv = staff_client.get(
        reverse("dashboard-export", args=["csv"]), {"date": DATE, "q": "phu", "page": "2"}
    )
    # the heading, the four communes, the totals
    assert len(csv.content.decode("utf-8-sig").strip().splitlines()) == 6
    body = api_as(district_staff).get(reverse("api-dashboard"), {"date": DATE, "q": "phu"}).json()
    assert len(body["communes"]) == 4


# Past one page: 450 communes, commune i covering i/10 % (tests.dashboard.conftest).


@pytest.fixture
def four_hundred_fifty(district):
    populate_in_bulk(district, 450)


def test_the_table_is_paged_past_two_hundred_communes(four_hundred_fifty, staff_client):
    first = staff_client.get(URL, {"date": DATE})
    # lowest coverage first: communes 0, 1, 2, …
    assert page_codes(first) == [bulk_code(index) for index in range(200)]
    html = first.content.decode()
    assert "Xã thứ 1–200 trong 450 xã." in html
    pager = re.search(r'<nav[^>]*id="table-pager".*?</nav>', html, re.S).group(0)
    assert f'href="?date={DATE}&amp;sort=coverage&amp;page=2" rel="next"' in pager
    assert 'aria-current="page"><span class="page-link">1<' in pager
    assert re.findall(r'data-page="(\d+)"', pager) == ["2", "3"]
    # totals over the 450: Σ i / (450 × 1,000) = 101,025 / 450,000 = 22.45 %, half-up 22.5
    assert 'data-total="coverage_pct">22,5 %<' in html
    assert len(re.findall(r"<tr data-code=", tbody(html))) == 200

    second = staff_client.get(URL, {"date": DATE, "page": "2"})
    assert page_codes(second) == [bulk_code(index) for index in range(200, 400)]
    html = second.content.decode()
    assert "Xã thứ 201–400 trong 450 xã." in html
    assert f'href="?date={DATE}&amp;sort=coverage&amp;page=1" rel="prev"' in html
    assert f'href="?date={DATE}&amp;sort=coverage&amp;page=3" rel="next"' in html


@pytest.mark.parametrize(("asked", "shown"), [("abc", 1), ("", 1), ("7", 3), ("-2", 3)])
def test_a_bad_page_number_falls_back(four_hundred_fifty, staff_client, asked, shown):
    response = staff_client.get(URL, {"date": DATE, "page": asked})
    assert response.status_code == 200
    assert response.context["table"].page.number == shown


def test_sorting_and_paging_keep_each_other(four_hundred_fifty, staff_client):
    response = staff_client.get(URL, {"date": DATE, "sort": "-coverage", "page": "2"})
    # highest coverage first; the second page starts at the 201st: commune 449 - 200
    assert page_codes(response)[:3] == [bulk_code(249), bulk_code(248), bulk_code(247)]
    html = response.content.decode()
    assert f'href="?date={DATE}&amp;sort=-coverage&amp;page=3" rel="next"' in html
    # a heading starts its order from the first page
    assert f'href="?date={DATE}&amp;sort=coverage" data-sort="coverage"' in html
    by_name = staff_client.get(URL, {"date": DATE, "sort": "name", "page": "3"})
    names = [row.name for row in by_name.context["rows"]]
    assert len(names) == 50
    # "Thắng" sorts last of the words, "Tân" before it; ties by the whole name
    assert names[-1].startswith("Thắng ")


def test_search_and_paging_keep_each_other(four_hundred_fifty, staff_client):
    # "binh da": Bình first (i mod 10 = 0) and Đa second (i div 10 mod 10 = 1)
    response = staff_client.get(URL, {"date": DATE, "q": "binh da", "sort": "-coverage"})
    assert page_codes(response) == [bulk_code(i) for i in (410, 310, 210, 110, 10)]
    html = response.content.decode()
    assert "Xã thứ 1–5 trong 5 xã khớp với “binh da”." in html
    assert 'id="table-pager"' not in html
    # codes holding 70044: 700440 to 700449, on one page
    assert page_codes(staff_client.get(URL, {"date": DATE, "q": "70044"})) == [
        bulk_code(index) for index in range(440, 450)
    ]
    # a search matching every commune is paged and its links keep it
    paged = staff_client.get(URL, {"date": DATE, "q": "7", "page": "3"})
    assert page_codes(paged) == [bulk_code(index) for index in range(400, 450)]
    html = paged.content.decode()
    assert "Xã thứ 401–450 trong 450 xã khớp với “7”." in html
    assert f'href="?date={DATE}&amp;sort=coverage&amp;q=7&amp;page=2" rel="prev"' in html


def test_past_one_page_the_bars_give_way_to_coverage_bands(four_hundred_fifty, staff_client):
    html = staff_client.get(URL, {"date": DATE, "q": "binh da"}).content.decode()
    assert 'id="bars-chart"' not in html and 'id="bars-table"' not in html
    # drawn on the server: no inline style or script (the content security policy)
    assert 'style="' not in html
    bands = chart_in(html, "bands-chart")
    # commune i at i/10 %: 0–99 in the first band, 100–199, 200–299, 300–399, then 400–449
    assert texts(bands, "value") == ["0", "100", "100", "100", "100", "50", "0", "0", "0", "0", "0"]
    assert texts(bands, "")[:2] == ["Chưa có số hộ", "0–9,9 %"]
    table = re.search(r'<table[^>]*id="bands-table".*?</table>', html, re.S).group(0)
    assert re.findall(r'data-band="\d+">(\d+)<', table) == [
        "0",
        "100",
        "100",
        "100",
        "100",
        "50",
        "0",
        "0",
        "0",
        "0",
        "0",
    ]


def test_the_exports_and_the_api_carry_every_commune_past_one_page(
    four_hundred_fifty, staff_client, api_as, district_staff
):
    params = {"date": DATE, "q": "binh da", "page": "2"}
    csv = staff_client.get(reverse("dashboard-export", args=["csv"]), params)
    # the heading, the 450 communes, the totals
    assert len(csv.content.decode("utf-8-sig").strip().splitlines()) == 452
    body = api_as(district_staff).get(reverse("api-dashboard"), params).json()
    assert sorted(line["code"] for line in body["communes"]) == [
        bulk_code(index) for index in range(450)
    ]


def test_the_open_deadline_column_reads_the_page_s_rows_and_shows_for_any_commune(
    four_hundred_fifty, district, staff_client
):
    def open_column(response) -> bool:
        return "Hạn báo cáo đang mở" in response.content.decode().split("<tbody>")[0]

    # no deadline: no column
    assert not open_column(staff_client.get(URL, {"date": DATE}))
    # one deadline, over the last commune only, which is on the third page (worst first)
    deadline = deadline_over(district, D)
    last = bulk_code(449)
    deadline.communes.set(Commune.objects.filter(code=last))
    first, third = (staff_client.get(URL, {"date": DATE, "page": n}) for n in ("1", "3"))
    # the column is on every page, as some commune has an open deadline …
    assert open_column(first) and open_column(third)
    # … and filled in the rows shown: empty on the first page, the last commune's on the third
    assert all(row.deadline_status is None for row in first.context["rows"])
    (shown,) = [row for row in third.context["rows"] if row.code == last]
    assert [status.deadline_id for status in shown.deadline_status] == [deadline.pk]
    assert f'href="/deadlines/{deadline.pk}/"' in _row(third.content.decode(), last)


def _row(html: str, code: str) -> str:
    return re.search(rf'<tr data-code="{code}">(.*?)</tr>', html, re.S).group(1)


def test_the_page_count_of_queries_holds_on_every_page(
    four_hundred_fifty, staff_client, django_assert_num_queries
):
    # session, user, profile (role check), the dashboard's sums (one statement), whether any
    # commune has an open deadline, the bulletins published, the deadlines panel (the
    # deadlines with their counts, their first missing communes), the open deadlines of the
    # page's rows, the coverage series (no snapshot stored: their sums, then the past points
    # from the counts), the unread notifications (navigation bar): the same as at 3 and 30
    # communes
    for params in ({}, {"page": "2"}, {"q": "binh", "page": "2", "sort": "-name"}):
        with django_assert_num_queries(12):
            response = staff_client.get(URL, {"date": DATE, **params})
        assert response.status_code == 200


# A nation's scale.


@pytest.fixture
def nation(district):
    """10,000 communes, and a deadline due on D that covers them all and none has met."""
    populate_in_bulk(district, 10_000)
    return deadline_over(district, D)


def test_a_nation_s_dashboard_stays_small(nation, staff_client):
    response = staff_client.get(URL, {"date": DATE})
    assert response.status_code == 200
    raw = response.content
    compressed = len(gzip.compress(raw))
    assert compressed < 150 * 1024, f"{len(raw)} bytes, {compressed} compressed"
    html = raw.decode()
    # the page's rows only, the pager, no figure per commune beyond them
    assert len(re.findall(r"<tr data-code=", tbody(html))) == 200
    assert "Xã thứ 1–200 trong 10000 xã." in html or "Xã thứ 1–200 trong 10.000 xã." in html
    assert 'id="bars-chart"' not in html
    bands = chart_in(html, "bands-chart")
    # the first 1,000 at i/10 %: 100 a band; the 9,000 after at (i mod 500)/10 %: 18 times
    # each of 0.0 … 49.9, so 1,800 in each of the five bands below 50 %
    assert texts(bands, "value") == ["0", *["1.900"] * 5, *["100"] * 5]
    # 10,000 missing: twenty named, the rest counted, linked to the deadline's own page, on its
    # missing communes as of the same day
    card = re.search(rf'<article[^>]*id="deadline-{nation.pk}".*?</article>', html, re.S).group(0)
    assert len(re.findall(r"data-code=", card)) == 20
    assert re.search(r"10\.?000 xã chưa báo cáo", card)
    more = re.search(r'data-field="missing_more"><a href="([^"]+)">([^<]+)</a>', card)
    assert more.group(1) == f"/deadlines/{nation.pk}/?date={DATE}&amp;state=missing"
    assert re.fullmatch(r"và 9\.?980 xã khác \(xem trang hạn báo cáo\)", more.group(2))
