"""A deadline's communes on its page: alphabetical as Vietnamese has it, searched as the
dashboard searches, filtered by how each stood as of D, a page at a time, within the user's
scope.

The deadline (due 06/08/2021) covers five communes of the district, and Phú Nghĩa (commune A):
  An Phú     submitted 06/08 23:59 local (on time, last minute)
  Bình Minh  submitted 07/08 00:30 local (late: the day after, though 06/08 in UTC)
  Dương Hòa, Đa Kia (commune B), Phú Nghĩa (commune A), Ea Sol: never submitted
Alphabetical order, đ after every d: An Phú, Bình Minh, Dương Hòa, Đa Kia, Ea Sol, Phú Nghĩa.
As of 10/08 every submission counts; as of 06/08 Bình Minh's, made after it, does not.
"""

import datetime
import re

import pytest

from communes.models import Commune
from deadlines import statuses
from deadlines.models import Deadline, Submission
from deadlines.selectors import deadline_figures
from deadlines.statuses import submission_table
from tests.deadlines.conftest import local
from tests.factories import CommuneFactory, DeadlineFactory, SubmissionFactory

ORDER = ["An Phú", "Bình Minh", "Dương Hòa", "Đa Kia", "Ea Sol", "Phú Nghĩa"]
AFTER = datetime.date(2021, 8, 10)
SECOND = datetime.timedelta(seconds=1)


@pytest.fixture
def covered(district, commune_a, commune_b):
    an_phu = CommuneFactory(district=district, name="An Phú", code="25201")
    binh_minh = CommuneFactory(district=district, name="Bình Minh", code="25202")
    others = [
        CommuneFactory(district=district, name=name, code=code)
        for name, code in (("Dương Hòa", "25203"), ("Ea Sol", "25299"))
    ]
    CommuneFactory(district=district, name="An Bình", code="25200")  # not covered
    deadline = DeadlineFactory(
        district=district, communes=[commune_a, commune_b, an_phu, binh_minh, *others]
    )
    SubmissionFactory(deadline=deadline, commune=an_phu, submitted_at=local(2021, 8, 6, 23, 59))
    SubmissionFactory(deadline=deadline, commune=binh_minh, submitted_at=local(2021, 8, 7, 0, 30))
    return deadline


def table(deadline: Deadline, communes=None, as_of=AFTER, **options):
    return submission_table(
        deadline,
        Submission.objects.all(),
        communes if communes is not None else Commune.objects.all(),
        as_of,
        **options,
    )


def names(found) -> list[str]:
    return [commune.name for commune, _submission in found.rows]


def test_every_covered_commune_in_vietnamese_order_with_its_submission(covered):
    found = table(covered)
    assert names(found) == ORDER
    assert (found.covered, found.matching, found.state, found.query) == (6, 6, "", "")
    submitted = {commune.name: submission for commune, submission in found.rows if submission}
    assert sorted(submitted) == ["An Phú", "Bình Minh"]
    assert submitted["An Phú"].on_time and not submitted["Bình Minh"].on_time


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("missing", ["Dương Hòa", "Đa Kia", "Ea Sol", "Phú Nghĩa"]),
        ("late", ["Bình Minh"]),
        ("on_time", ["An Phú"]),
        # anything else is no filter
        ("", ORDER),
        ("overdue", ORDER),
    ],
)
def test_filtered_by_how_each_stands(covered, state, expected):
    found = table(covered, state=state)
    assert names(found) == expected
    assert found.state == (state if state in statuses.SUBMISSION_STATES else "")
    assert found.covered == 6


def test_as_of_d_a_later_submission_is_missing_as_the_figures_count_it(covered):
    d = datetime.date(2021, 8, 6)
    found = table(covered, as_of=d)
    assert [(c.name, s is not None) for c, s in found.rows] == [
        ("An Phú", True),
        ("Bình Minh", False),  # submitted 07/08 00:30: not yet on 06/08
        ("Dương Hòa", False),
        ("Đa Kia", False),
        ("Ea Sol", False),
        ("Phú Nghĩa", False),
    ]
    missing = table(covered, as_of=d, state="missing")
    figures = deadline_figures(Deadline.objects.filter(pk=covered.pk), d)[covered.pk]
    assert missing.matching == figures.missing == 5
    assert names(table(covered, as_of=d, state="late")) == []
    # the next day it counts, late
    assert names(table(covered, as_of=datetime.date(2021, 8, 7), state="late")) == ["Bình Minh"]


@pytest.mark.parametrize(
    ("moment", "state"),
    [
        (local(2021, 8, 6, 23, 59) + 59 * SECOND, "on_time"),  # the due date's last second
        (local(2021, 8, 7, 0, 0), "late"),  # midnight: the day after
    ],
)
def test_on_time_ends_with_the_due_date_in_ho_chi_minh(covered, commune_a, moment, state):
    SubmissionFactory(deadline=covered, commune=commune_a, submitted_at=moment)
    assert "Phú Nghĩa" in names(table(covered, state=state))


@pytest.mark.parametrize(
    ("query", "state", "expected"),
    [
        ("da kia", "", ["Đa Kia"]),
        ("ĐA", "", ["Đa Kia"]),
        ("phu", "", ["An Phú", "Phú Nghĩa"]),
        ("phu", "missing", ["Phú Nghĩa"]),
        ("2520", "", ["An Phú", "Bình Minh", "Dương Hòa"]),
        ("25299", "", ["Ea Sol"]),
        # a commune the deadline does not cover is not found
        ("an binh", "", []),
    ],
)
def test_searched_by_name_without_accents_or_by_code(covered, query, state, expected):
    found = table(covered, query=query, state=state)
    assert names(found) == expected
    assert found.matching == len(expected)


def test_a_page_at_a_time(covered, monkeypatch):
    monkeypatch.setattr(statuses, "SUBMISSIONS_PAGE_SIZE", 4)
    assert names(table(covered)) == ORDER[:4]
    second = table(covered, page="2")
    assert names(second) == ORDER[4:]
    assert (second.page.number, second.page.paginator.num_pages) == (2, 2)
    # not a number: the first page; past the end: the last
    assert names(table(covered, page="x")) == ORDER[:4]
    assert names(table(covered, page=9)) == ORDER[4:]


def test_within_the_users_communes(covered, commune_a, commune_b):
    found = table(covered, Commune.objects.filter(pk=commune_a.pk))
    assert names(found) == ["Phú Nghĩa"]
    assert found.covered == 1
    # a submission outside the user's scoped submissions is not shown
    SubmissionFactory(deadline=covered, commune=commune_b)
    found = submission_table(
        covered,
        Submission.objects.filter(commune=commune_a),
        Commune.objects.filter(pk__in=[commune_a.pk, commune_b.pk]),
        AFTER,
    )
    assert [(c.name, s) for c, s in found.rows] == [("Đa Kia", None), ("Phú Nghĩa", None)]


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize("state", ["", "missing"])
def test_in_constant_queries(district, django_assert_num_queries, size, state):
    communes = CommuneFactory.create_batch(size, district=district)
    deadline = DeadlineFactory(district=district, communes=communes)
    for commune in communes[::2]:
        SubmissionFactory(deadline=deadline, commune=commune)
    # the covered communes with their standing as of D, the page's submissions made by D
    with django_assert_num_queries(2):
        found = table(deadline, state=state)
        assert len(found.rows) == (size // 2 if state else size)


# The page: what district staff see, and the links that keep what they chose.


def row_codes(html: str) -> list[str]:
    return re.findall(r'<tr data-commune="([^"]+)">', html)


def test_the_page_filters_searches_and_pages_keeping_the_date(
    client_as, district_staff, covered, monkeypatch
):
    client = client_as(district_staff)
    html = client.get(f"/deadlines/{covered.pk}/?date=2021-08-10").content.decode()
    assert row_codes(html) == ["25201", "25202", "25203", "25231", "25299", "25267"]
    assert "6 xã phải báo cáo" in html

    html = client.get(f"/deadlines/{covered.pk}/?date=2021-08-10&state=missing&q=phu").content
    html = html.decode()
    assert row_codes(html) == ["25267"]
    assert "Hiển thị 1 trên 6 xã" in html
    assert '<option value="missing" selected>chưa nộp</option>' in html
    assert 'name="q" value="phu"' in html
    assert '<input type="hidden" name="date" value="2021-08-10">' in html
    # a new date keeps the search and the filter
    as_of_form = re.search(r'<form[^>]*id="as-of-form".*?</form>', html, re.S).group(0)
    assert '<input type="hidden" name="q" value="phu">' in as_of_form
    assert '<input type="hidden" name="state" value="missing">' in as_of_form

    html = client.get(f"/deadlines/{covered.pk}/?q=hanoi").content.decode()
    assert row_codes(html) == [] and "Không có xã nào khớp." in html

    monkeypatch.setattr(statuses, "SUBMISSIONS_PAGE_SIZE", 2)
    html = client.get(f"/deadlines/{covered.pk}/?date=2021-08-10&state=missing").content
    html = html.decode()
    assert row_codes(html) == ["25203", "25231"]
    assert "Trang 1/2" in html
    assert 'href="?date=2021-08-10&amp;state=missing&amp;page=2"' in html


def test_the_page_escapes_what_people_typed(client_as, district_staff, covered):
    Commune.objects.filter(code="25299").update(name="<script>alert(1)</script>")
    html = (
        client_as(district_staff)
        .get(f"/deadlines/{covered.pk}/", {"q": '"><b>x</b>'})
        .content.decode()
    )
    assert "<script>alert(1)</script>" not in html
    assert "<b>x</b>" not in html and "&quot;&gt;&lt;b&gt;x&lt;/b&gt;" in html
    html = client_as(district_staff).get(f"/deadlines/{covered.pk}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
