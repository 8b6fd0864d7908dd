import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from dashboard.commune_detail import commune_detail
from dashboard.selectors import dashboard_rows
from tests.charts import chart_in, name_and_description
from tests.dashboard.conftest import D, day


def url(code: str) -> str:
    return reverse("commune-detail", args=[code])


@pytest.fixture
def detail(known):
    return commune_detail(commune=known["a"], as_of=D)


def village(detail, name):
    (line,) = [line for line in detail.villages if line.village.name == name]
    return line


def group(line, name):
    (item,) = [item for item in line.groups if item.group.name == name]
    return item


def test_villages_with_their_figures(detail):
    v1 = village(detail, "Thôn 1")
    assert (v1.village.members, v1.village.covered, v1.coverage_pct) == (150, 150, Decimal("50.0"))
    assert (v1.village.installs, v1.village.installs_date) == (70, day(8, 3))
    v2 = village(detail, "Thôn 2")
    assert (v2.village.members, v2.coverage_pct) == (130, Decimal("100.0"))
    v3 = village(detail, "Thôn 3")
    assert v3.coverage_pct is None  # no households
    assert [v.name for v in detail.villages_without_group] == ["Thôn 3", "Thôn 4"]


def test_village_flags(detail):
    assert village(detail, "Thôn 2").members_above_residents  # 130 > 120
    assert not village(detail, "Thôn 1").members_above_residents
    assert village(detail, "Thôn 3").without_households
    assert [line.flag_count for line in detail.villages] == [0, 3, 1, 0]


def test_group_lines_and_flags(detail):
    v1, v2, v4 = (village(detail, name) for name in ("Thôn 1", "Thôn 2", "Thôn 4"))
    g1 = group(v1, "G1")
    assert (g1.group.latest_members, g1.group.latest_date) == (100, day(8, 1))
    assert not (g1.stale or g1.without_count or g1.fell_by_half)
    g2 = group(v1, "G2")  # latest count exactly 14 days before D: not stale
    assert (g2.counts_as_of, g2.stale) == (True, False)
    g3 = group(v2, "G3")
    assert (g3.fell_by_half, g3.stale, g3.group.previous_members) == (True, True, 300)
    g7 = group(v2, "G7")
    assert (g7.without_count, g7.stale) == (True, True)
    g4 = group(v2, "G4")  # planned: listed with its count, never flagged
    assert g4.group.latest_members == 90
    assert not (g4.counts_as_of or g4.without_count or g4.stale)
    g6 = group(v4, "G6")  # established after D
    assert not (g6.counts_as_of or g6.without_count or g6.stale)
    assert [item.group.name for item in v4.groups] == ["G5", "G6"]


def test_totals_match_the_dashboard_row(known, detail, district_staff):
    (row,) = [r for r in dashboard_rows(user=district_staff, as_of=D).rows if r.code == "25267"]
    assert detail.figures.coverage_pct == row.coverage_pct == Decimal("50.0")
    assert detail.figures.flags == row.flags


def test_page_for_district_staff_with_edit_links(known, client, district_staff):
    client.force_login(district_staff)
    response = client.get(url("25267"), {"date": "2021-08-06"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Số liệu tính đến ngày 06/08/2021" in html
    v1, v3 = known["villages"]["v1"], known["villages"]["v3"]
    g1 = response.context["detail"].villages[0].groups[0].group
    assert f'href="{reverse("village-edit", args=[v1.pk])}"' in html
    assert f'href="{reverse("bluzone-count-create", args=[v1.pk])}"' in html
    assert f'href="{reverse("group-edit", args=[g1.pk])}"' in html
    assert f'href="{reverse("member-count-create", args=[g1.pk])}"' in html
    assert f'href="{reverse("village-create", args=["25267"])}"' in html
    assert f'href="{reverse("group-create")}?village={v3.pk}"' in html
    without = re.search(r'<section[^>]*id="without-group".*?</section>', html, re.S).group(0)
    assert "Thôn 3" in without and "Thôn 4" in without and "Thôn 1" not in without
    for flag in (
        "members_above_residents",
        "village_without_households",
        "count_fell_by_half",
        "active_group_without_count",
    ):
        assert f'data-flag="{flag}"' in html
    assert "Thành viên nhiều hơn nhân khẩu" not in html  # the page says it in its own words
    assert "thành viên nhiều hơn nhân khẩu" in html


def test_district_leader_reads_without_edit_links(known, client, district_leader):
    client.force_login(district_leader)
    response = client.get(url("25267"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "/edit/" not in html
    assert reverse("group-create") not in html
    assert reverse("import-villages", args=["25267"]) not in html


def test_commune_officer_edits_their_own(known, client, officer_a):
    client.force_login(officer_a)
    response = client.get(url("25267"))
    assert response.status_code == 200
    assert response.context["can_edit"]
    html = response.content.decode()
    assert reverse("village-create", args=["25267"]) in html
    assert reverse("import-villages", args=["25267"]) in html
    assert reverse("import-member-counts", args=["25267"]) in html


def test_other_commune_is_not_found(known, client, officer_b):
    client.force_login(officer_b)
    assert client.get(url("25267")).status_code == 404
    assert client.get(url("25231")).status_code == 200


def test_unknown_code_is_not_found(known, client, district_staff):
    client.force_login(district_staff)
    assert client.get(url("99999")).status_code == 404


def test_anonymous_is_sent_to_login(known, client):
    response = client.get(url("25267"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_bad_date_falls_back_to_today(known, client, district_staff):
    client.force_login(district_staff)
    # 01:30 on 07/08 in Ho Chi Minh City while UTC is still on 06/08: "today" is the local day
    with time_machine.travel(
        datetime.datetime(2021, 8, 6, 18, 30, tzinfo=datetime.UTC), tick=False
    ):
        response = client.get(url("25267"), {"date": "2021-13-01"})
    assert response.status_code == 200
    assert response.context["as_of"] == datetime.date(2021, 8, 7)
    assert "Nhập ngày hợp lệ từ 01/01/2000 đến hôm nay" in response.content.decode()


def test_commune_without_villages(known, client, district_staff):
    client.force_login(district_staff)
    response = client.get(url("25222"), {"date": "2021-08-06"})
    assert response.status_code == 200
    assert 'id="no-villages"' in response.content.decode()
    assert response.context["figures"].coverage_pct is None


def test_commune_chart_data(known, client, district_staff):
    client.force_login(district_staff)
    html = client.get(url("25231"), {"date": "2021-08-06"}).content.decode()
    _title, desc = name_and_description(chart_in(html, "series-chart"))
    assert "66,7 % ngày 06/08/2021" in desc
    assert desc.endswith("Chỉ tiêu Bluzone là 40 %.")  # Đa Kia's own target
