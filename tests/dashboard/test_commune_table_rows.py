"""The dashboard's commune table, whose rows dashboard.templatetags.dashboard_table writes in
Python: every text a user typed is escaped, every link is the one reverse() gives, and the
cells are the figures of `known` (tests/dashboard/conftest.py) as of 06/08/2021."""

import re

import pytest
from django.urls import reverse

from communes.models import Commune
from dashboard.templatetags.dashboard_table import CommunePages
from tests.dashboard.conftest import D
from tests.factories import CommuneFactory, DeadlineFactory, VillageFactory

URL = reverse("dashboard")
DATE = {"date": "2021-08-06"}


@pytest.fixture
def staff_client(client, district_staff):
    client.force_login(district_staff)
    return client


def _row(html: str, code: str) -> str:
    match = re.search(rf'<tr data-code="{re.escape(code)}">.*?</tr>', html, re.S)
    assert match, f"no row for {code}"
    return match.group(0)


def test_a_row_holds_its_figures_and_links(known, staff_client):
    DeadlineFactory(
        district=known["a"].district,
        title="Báo cáo",
        directive="606/UBND-VX",
        due_date=D,
        communes=[known["a"]],
    )
    html = staff_client.get(URL, DATE).content.decode()
    row = _row(html, known["a"].code)
    page = reverse("commune-detail", kwargs={"code": known["a"].code}) + "?date=2021-08-06"
    assert f'<a href="{page}">Phú Nghĩa</a>' in row
    cells = dict(re.findall(r'data-col="(\w+)">(.*?)</td>', row, re.S))
    assert cells["villages"] == "4"
    assert cells["with_group"] == "2"
    assert (
        cells["without_group"]
        == f'<a class="link-danger fw-semibold" href="{page}#without-group">2</a>'
    )
    assert cells["coverage"] == "50,0 %"
    assert 'title="Chỉ tiêu 50 %">32,0 %</span>' in cells["bluzone"]
    assert cells["untrained"] == "2"
    assert cells["stale"] == "2"
    assert cells["bulletins"] == '<span class="badge text-bg-warning">0</span>'
    assert cells["flags"] == '<span class="badge text-bg-warning">4</span>'
    deadline = re.search(r'data-col="deadline_status">(.*?)</td>', row, re.S).group(1)
    assert "606/UBND-VX</a>" in deadline
    assert 'data-status="pending"' in deadline
    assert "text-bg-secondary" in deadline


def test_user_text_is_escaped(district, staff_client):
    hostile = '<img src=x onerror="alert(1)">&'
    commune = CommuneFactory(district=district, code='9"<b>', name=hostile)
    VillageFactory(commune=commune, households=10)
    DeadlineFactory(
        district=district,
        title=hostile,
        directive="",
        due_date=D,
        communes=[commune],
    )
    html = staff_client.get(URL, DATE).content.decode()
    assert "<img src=x" not in html
    assert '9"<b>' not in html
    row = _row(html, "9&quot;&lt;b&gt;")
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;" in row
    # The deadline's card names it among the communes that have not reported.
    missing = re.search(r'<ul class="list-inline mb-0 deadline-missing">(.*?)</ul>', html, re.S)
    page = reverse("commune-detail", kwargs={"code": '9"<b>'}) + "?date=2021-08-06"
    assert missing.group(1).strip() == (
        f'<li class="list-inline-item"><a href="{page}" data-code="9&quot;&lt;b&gt;">'
        "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;</a></li>"
    )


@pytest.mark.parametrize("code", ["25222", "XA 01", "Đak-Ơ", "a&b", "x?y#z", "100%", "~:@!$"])
def test_each_link_is_the_one_reverse_gives(db, code):
    expected = reverse("commune-detail", kwargs={"code": code}) + "?date=2021-08-06"
    assert CommunePages(D).url(code) == expected.replace("&", "&amp;")


def test_the_page_writes_a_row_per_commune_in_scope(known, staff_client):
    html = staff_client.get(URL, DATE).content.decode()
    codes = re.findall(r'<tr data-code="([^"]+)">', html)
    assert sorted(codes) == sorted(Commune.objects.values_list("code", flat=True))
