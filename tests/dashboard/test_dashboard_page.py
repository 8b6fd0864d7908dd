import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from tests.charts import chart_in, marks, texts
from tests.dashboard.conftest import D
from tests.factories import UserFactory

URL = reverse("dashboard")
# 01:30 on 07/08 in Ho Chi Minh City while UTC is still on 06/08: "today" must be the local day
NOW = datetime.datetime(2021, 8, 6, 18, 30, tzinfo=datetime.UTC)
LOCAL_TODAY = datetime.date(2021, 8, 7)
BAD_DATE = (
    "Nhập ngày hợp lệ từ 01/01/2000 đến hôm nay, dạng ngày/tháng/năm (dd/mm/yyyy) hoặc YYYY-MM-DD."
)


@pytest.fixture
def staff_client(client, district_staff):
    client.force_login(district_staff)
    return client


def test_figures_as_of_the_chosen_date(known, staff_client):
    response = staff_client.get(URL, {"date": "2021-08-06"})
    assert response.status_code == 200
    assert response.context["as_of"] == D
    html = response.content.decode()
    assert "Số liệu tính đến ngày 06/08/2021" in html
    assert 'value="06/08/2021"' in html
    assert 'data-total="coverage_pct">49,1 %<' in html
    assert 'data-total="villages_without_group">3<' in html
    names = [row.name for row in response.context["rows"]]
    assert names == ["Bù Gia Mập", "Đức Hạnh", "Phú Nghĩa", "Đa Kia"]  # worst coverage first


def test_changing_the_date_changes_the_figures(known, staff_client):
    earlier = staff_client.get(URL, {"date": "2021-07-16"}).context["board"].totals
    assert earlier.coverage_pct is not None and str(earlier.coverage_pct) == "19.5"


def test_row_links_and_colours(known, staff_client):
    html = staff_client.get(URL, {"date": "2021-08-06"}).content.decode()
    # villages without a group link to the drill-down's list of them
    assert 'href="/communes/25267/?date=2021-08-06#without-group">2</a>' in html
    assert 'href="/communes/25267/?date=2021-08-06">Phú Nghĩa</a>' in html
    # Phú Nghĩa 32.0 % against 50 %: more than 10 points short
    row = re.search(r'<tr data-code="25267">(.*?)</tr>', html, re.S).group(1)
    assert "text-bg-danger" in row and "32,0 %" in row and "/ 50 %" in row
    # the commune without villages: no percentage at all
    row = re.search(r'<tr data-code="25222">(.*?)</tr>', html, re.S).group(1)
    assert "text-bg-secondary" in row and "—" in row


@time_machine.travel(NOW, tick=False)
def test_today_by_default(known, staff_client):
    response = staff_client.get(URL)
    assert response.context["as_of"] == LOCAL_TODAY
    assert "Số liệu tính đến ngày 07/08/2021" in response.content.decode()
    assert response.context["date_error"] is None


@pytest.mark.parametrize("bad", ["2021-02-30", "yesterday", "1999-12-31", "2999-01-01", "6/8"])
@time_machine.travel(NOW, tick=False)
def test_bad_date_falls_back_to_today_with_a_message(known, staff_client, bad):
    response = staff_client.get(URL, {"date": bad})
    assert response.status_code == 200
    assert response.context["as_of"] == LOCAL_TODAY
    assert BAD_DATE in response.content.decode()


def test_date_as_shown_is_accepted(known, staff_client):
    assert staff_client.get(URL, {"date": "06/08/2021"}).context["as_of"] == D


def test_sorting_by_a_heading(known, staff_client):
    response = staff_client.get(URL, {"date": "2021-08-06", "sort": "-coverage"})
    assert [row.code for row in response.context["rows"]] == ["25231", "25267", "25228", "25222"]
    html = response.content.decode()
    assert 'aria-sort="descending"' in html
    # the heading now offers the other direction, and the date is kept
    assert 'href="?date=2021-08-06&amp;sort=coverage" data-sort="coverage"' in html
    unknown = staff_client.get(URL, {"date": "2021-08-06", "sort": "password"})
    assert unknown.context["sort"] == "coverage"


def test_charts_are_drawn_on_the_server_without_script(known, staff_client):
    html = staff_client.get(URL, {"date": "2021-08-06"}).content.decode()
    series = chart_in(html, "series-chart")
    assert len(marks(series, "circle", "coverage")) == 12
    bars = chart_in(html, "bars-chart")
    names = ["Bù Gia Mập", "Đa Kia", "Đức Hạnh", "Phú Nghĩa"]
    assert [text for text in texts(bars, "") if text in names] == names
    # every script is a file: the content security policy allows nothing inline
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag
    assert "chartjs" not in html and "js/dashboard.js" not in html
    assert 'style="' not in html
    # the numbers are in tables too
    assert 'id="series-chart-table"' in html and 'id="bars-table"' in html


def test_open_deadline_column_from_the_reports_extension(known, staff_client):
    from deadlines.models import Deadline

    deadline = Deadline.objects.create(
        district=known["a"].district, title="Báo cáo", directive="606/UBND-VX", due_date=D
    )
    deadline.communes.set([known["a"]])
    html = staff_client.get(URL, {"date": "2021-08-06"}).content.decode()
    row = re.search(r'<tr data-code="25267">(.*?)</tr>', html, re.S).group(1)
    assert "606/UBND-VX" in row


def test_district_leader_reads(known, client, district_leader):
    client.force_login(district_leader)
    assert client.get(URL).status_code == 200


def test_commune_users_go_to_their_commune(known, client, officer_a):
    client.force_login(officer_a)
    response = client.get(URL, {"date": "2021-08-06"})
    assert response.status_code == 302
    assert response["Location"] == "/communes/25267/?date=2021-08-06"


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_login_without_a_role_is_refused(client):
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 403


def test_english_when_the_user_picks_it(known, staff_client, settings):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = staff_client.get(URL, {"date": "2021-08-06"}).content.decode()
    assert "District dashboard" in html
    assert "Figures as of 06/08/2021" in html
    assert "Villages without a group" in html
