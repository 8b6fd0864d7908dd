"""Numbers read as Vietnamese write them (issue #9, part 5): the dashboard, the commune page
and the exports group thousands by Django's vi formats (21.814 trên 33.313 hộ), English pages
by its en formats (21,814 of 33,313), while ids stay as they are in every link and attribute,
and the JSON API keeps raw numbers.

Phú Nghĩa as of 06/08/2021, with every id at 1234 or more (`high_ids`):
  V1 households 20,000, residents 60,000, smartphones 12,000; G1 15,000 members (01/08);
     Bluzone 1,234 installs (01/08)
  V2 households 13,313, residents 40,000, smartphones 4,500; G2 6,814 members (02/08);
     Bluzone 5,678 installs (01/08)
  V3 no group, no households, no smartphones
  covered 15,000 + 6,814 = 21,814 of 20,000 + 13,313 = 33,313 households → 65.48 → 65.5 %
  Bluzone (1,234 + 5,678) / (12,000 + 4,500) = 6,912 / 16,500 = 41.89 → 41.9 %
  the deadline 606/UBND-VX, due 06/08, covers the commune.
"""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.dashboard.conftest import day
from tests.factories import (
    BluzoneCountFactory,
    DeadlineFactory,
    GroupFactory,
    MemberCountFactory,
    VillageFactory,
)
from tests.ids import FIRST_ID, grouped_identifiers

DATE = {"date": "2021-08-06"}


@pytest.fixture
def large(high_ids, commune_a, district):
    v1 = VillageFactory(
        commune=commune_a,
        name="Thôn 1",
        households=20_000,
        residents=60_000,
        smartphone_users=12_000,
    )
    g1 = GroupFactory(village=v1, name="G1", established_on=day(7, 1))
    MemberCountFactory(group=g1, date=day(8, 1), members=15_000)
    BluzoneCountFactory(village=v1, date=day(8, 1), installs=1_234)
    v2 = VillageFactory(
        commune=commune_a,
        name="Thôn 2",
        households=13_313,
        residents=40_000,
        smartphone_users=4_500,
    )
    g2 = GroupFactory(village=v2, name="G2", established_on=day(7, 1))
    MemberCountFactory(group=g2, date=day(8, 2), members=6_814)
    BluzoneCountFactory(village=v2, date=day(8, 1), installs=5_678)
    v3 = VillageFactory(
        commune=commune_a, name="Thôn 3", households=0, residents=0, smartphone_users=0
    )
    deadline = DeadlineFactory(
        district=district, due_date=datetime.date(2021, 8, 6), communes=[commune_a]
    )
    return {"v1": v1, "v2": v2, "v3": v3, "g1": g1, "deadline": deadline}


def page(client, user, url, language="vi"):
    client.force_login(user)
    if language != "vi":
        client.cookies["django_language"] = language
    response = client.get(url, DATE)
    assert response.status_code == 200
    return response.content.decode()


def test_every_id_is_above_a_thousand(large):
    assert min(item.pk for item in large.values()) >= FIRST_ID


def test_the_dashboards_cards_group_thousands(large, client, district_staff):
    html = page(client, district_staff, reverse("dashboard"))
    assert "21.814 trên 33.313 hộ" in html
    assert "21814" not in html and "33313" not in html
    assert 'data-total="coverage_pct">65,5 %<' in html
    assert 'data-total="bluzone_pct">41,9 %<' in html


def test_the_dashboard_in_english_groups_with_commas(large, client, district_staff):
    html = page(client, district_staff, reverse("dashboard"), language="en")
    assert "21,814 of 33,313 households" in html
    assert 'data-total="coverage_pct">65.5 %<' in html


def test_the_dashboards_ids_stay_whole(large, client, district_staff):
    html = page(client, district_staff, reverse("dashboard"))
    pk = large["deadline"].pk
    assert f'id="deadline-{pk}"' in html
    assert f'aria-labelledby="deadline-{pk}-rate"' in html
    assert f'href="/deadlines/{pk}/?date=2021-08-06"' in html
    assert grouped_identifiers(html) == []


def test_the_commune_page_groups_its_figures_and_keeps_its_links(large, client, officer_a):
    html = page(client, officer_a, reverse("commune-detail", args=[large["v1"].commune.code]))
    assert "21.814 trên 33.313 hộ" in html
    assert 'data-field="households">20.000<' in html
    assert 'data-field="residents">60.000<' in html
    assert 'data-field="members">15.000<' in html
    assert "15.000 thành viên (ngày 01/08/2021)" in html
    assert 'data-field="installs">1.234 <' in html
    v1, v3, g1 = large["v1"].pk, large["v3"].pk, large["g1"].pk
    assert f'id="village-{v1}"' in html
    assert f'href="/villages/{v1}/edit/"' in html
    assert f'href="/groups/{g1}/edit/"' in html
    # The village without a group: the anchor to its card and the form to register one.
    assert f'href="#village-{v3}"' in html
    assert f'href="/groups/new/?village={v3}"' in html
    assert grouped_identifiers(html) == []


def test_the_commune_page_in_english(large, client, officer_a):
    html = page(client, officer_a, reverse("commune-detail", args=[large["v1"].commune.code]), "en")
    assert 'data-field="households">20,000<' in html
    assert "15,000 members on 01/08/2021" in html
    assert grouped_identifiers(html) == []


def csv_lines(client, user, language="vi"):
    client.force_login(user)
    if language != "vi":
        client.cookies["django_language"] = language
    response = client.get(reverse("dashboard-export", args=["csv"]), DATE)
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    column = {name: index for index, name in enumerate(lines[0])}
    return column, {line[0] or "total": line for line in lines[1:]}


def test_the_csv_writes_numbers_as_the_page_does(large, client, district_staff):
    column, lines = csv_lines(client, district_staff)
    for line in (lines["25267"], lines["total"]):
        assert line[column["Số hộ"]] == "33.313"
        assert line[column["Số hộ được bao phủ"]] == "21.814"
        assert line[column["Tỷ lệ bao phủ (%)"]] == "65,5"
        assert line[column["Số người dùng điện thoại thông minh"]] == "16.500"
        assert line[column["Số lượt cài Bluzone"]] == "6.912"
        assert line[column["Tỷ lệ cài Bluzone (%)"]] == "41,9"
        assert line[column["Số thôn"]] == "3"


def test_the_csv_in_english(large, client, district_staff):
    column, lines = csv_lines(client, district_staff, language="en")
    (households,) = [index for name, index in column.items() if name == "Households"]
    assert lines["25267"][households] == "33,313"
    assert lines["25267"][column["Coverage %"]] == "65.5"


def test_the_xlsx_keeps_numbers_with_their_formats(large, client, district_staff):
    client.force_login(district_staff)
    response = client.get(reverse("dashboard-export", args=["xlsx"]), DATE)
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows())
    column = {cell.value: index for index, cell in enumerate(rows[1])}
    (commune,) = [row for row in rows if row[0].value == "25267"]
    households = commune[column["Số hộ"]]
    assert (households.value, households.number_format) == (33313, "#,##0")
    coverage = commune[column["Tỷ lệ bao phủ (%)"]]
    assert (coverage.value, coverage.number_format) == (65.5, "0.0")
    target = commune[column["Chỉ tiêu Bluzone (%)"]]
    assert (target.value, target.number_format) == (50, "#,##0")
    # Text stays text, with no number format of its own.
    assert commune[column["Xã"]].number_format == "General"
    assert rows[1][column["Số hộ"]].number_format == "General"


def test_the_api_keeps_raw_numbers(large, api_as, district_staff):
    body = api_as(district_staff).get(reverse("api-dashboard"), DATE).json()
    assert body["totals"]["households"] == 33313
    assert body["totals"]["covered"] == 21814
    assert body["totals"]["coverage_pct"] == 65.5
    (row,) = body["communes"]
    assert row["id"] == large["v1"].commune.pk
    assert body["deadlines"][0]["id"] == large["deadline"].pk >= FIRST_ID


def test_a_deadline_long_overdue_counts_its_days_with_thousands(large, client, district_staff):
    DeadlineFactory(
        district=large["deadline"].district,
        directive="12/KH-UBND",
        due_date=datetime.date(2018, 1, 12),
        communes=[large["v1"].commune],
    )
    html = page(client, district_staff, reverse("dashboard"))
    row = re.search(r'<tr data-code="25267">(.*?)</tr>', html, re.S).group(1)
    assert re.search(r">12/KH-UBND</a>: <span[^>]*>quá hạn 1.302 ngày</span>", row)
    english = page(client, district_staff, reverse("dashboard"), language="en")
    assert "1,302 days overdue" in english
