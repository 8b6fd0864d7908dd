"""The posting cadence on the dashboard (docs/rules.md: `bulletins_7d`, `bulletins_30d` on each row,
by local date): on the rows, the page, the API, the exports and the commune page, with the
number of communes that published nothing in 7 days. Figures by hand."""

import csv
import datetime
import io
import zoneinfo

import pytest
from django.urls import reverse

from bulletins.models import Bulletin
from dashboard.selectors import dashboard_rows

LOCAL = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
D = datetime.date(2021, 8, 31)


def at(day: int, month: int = 8) -> datetime.datetime:
    return datetime.datetime(2021, month, day, 9, 0, tzinfo=LOCAL)


@pytest.fixture
def published(commune_a, commune_b, officer_a, officer_b):
    def make(commune, author, when, title):
        return Bulletin.objects.create(
            commune=commune,
            field_id="y-te",
            title=title,
            body="Nội dung.",
            source="Trạm Y tế xã",
            author=author,
            status="published",
            published_at=when,
        )

    # Phú Nghĩa: 31/08 and 26/08 in the 7 days, 05/08 in the 30; Đa Kia: 10/08 only.
    make(commune_a, officer_a, at(31), "Tiêm vắc xin đợt 3")
    make(commune_a, officer_a, at(26), "Lịch tiêm chủng")
    make(commune_a, officer_a, at(5), "<b>Phòng dịch</b>")
    make(commune_b, officer_b, at(10), "Họp thôn")
    return {"a": commune_a, "b": commune_b}


@pytest.mark.django_db
def test_rows_and_totals(published, district_staff):
    board = dashboard_rows(user=district_staff, as_of=D)
    rows = {row.code: row for row in board.rows}
    assert (rows["25267"].bulletins_7d, rows["25267"].bulletins_30d) == (2, 3)
    assert (rows["25231"].bulletins_7d, rows["25231"].bulletins_30d) == (0, 1)
    assert (board.totals.bulletins_7d, board.totals.bulletins_30d) == (2, 4)
    assert board.communes_without_bulletins_7d == 1


@pytest.mark.django_db
def test_api_and_exports(published, api_as, client, district_staff):
    body = api_as(district_staff).get("/api/v1/dashboard/", {"date": "2021-08-31"}).json()
    rows = {row["code"]: row for row in body["communes"]}
    assert (rows["25267"]["bulletins_7d"], rows["25267"]["bulletins_30d"]) == (2, 3)
    assert (body["totals"]["bulletins_7d"], body["totals"]["bulletins_30d"]) == (2, 4)
    assert body["communes_without_bulletins_7d"] == 1
    client.force_login(district_staff)
    response = client.get(reverse("dashboard-export", args=["csv"]), {"date": "2021-08-31"})
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    column = lines[0].index("Bản tin 7 ngày")
    by_code = {line[0]: line for line in lines[1:]}
    assert by_code["25267"][column] == "2"
    assert by_code["25231"][column] == "0"
    assert lines[-1][column] == "2"


@pytest.mark.django_db
def test_dashboard_page(published, client, district_staff):
    client.force_login(district_staff)
    html = client.get(reverse("dashboard"), {"date": "2021-08-31"}).content.decode()
    assert 'data-total="communes_without_bulletins_7d">1<' in html
    assert "xã chưa đăng bản tin nào trong 7 ngày" in html
    assert 'data-col="bulletins">2<' in html


@pytest.mark.django_db
def test_commune_page_lists_its_latest_bulletins_escaped(published, client, officer_a):
    client.force_login(officer_a)
    html = client.get(
        reverse("commune-detail", args=["25267"]), {"date": "2021-08-31"}
    ).content.decode()
    section = html[html.index('id="latest-bulletins"') :]
    assert section.index("Tiêm vắc xin đợt 3") < section.index("Lịch tiêm chủng")
    assert "&lt;b&gt;Phòng dịch&lt;/b&gt;" in section
    assert "<b>Phòng dịch</b>" not in html
    assert "2 bản tin trong 7 ngày, 3 trong 30 ngày" in section
