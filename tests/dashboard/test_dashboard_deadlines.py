"""Reporting rate, timeliness and the communes missing per deadline on the dashboard, its API
and its exports, on known data computed by hand.

The deadline 606/UBND-VX, due 06/08/2021, covers four communes (times Asia/Ho_Chi_Minh):
  Phú Nghĩa (A)  submitted 05/08 10:00  on time
  Đa Kia (B)     submitted 06/08 23:59  on time, the last minute
  Bù Gia Mập (C) submitted 07/08 00:01  late
  Đức Hạnh (D)   never
as of 06/08: submitted A, B → rate 2/4 = 50.0, timeliness 2/4 = 50.0; C's report is made after
  D so it counts as missing: missing C, D
as of 10/08: submitted A, B, C → rate 3/4 = 75.0, timeliness 2/4 = 50.0, missing D
Commune A's users see A alone: as of 06/08 expected 1, submitted 1 → 100.0, 100.0, none missing.
"""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse

from dashboard.selectors import dashboard_rows
from tests.deadlines.conftest import local
from tests.factories import CommuneFactory, DeadlineFactory, DistrictFactory, SubmissionFactory

API = reverse("api-dashboard")
PAGE = reverse("dashboard")


@pytest.fixture
def four(district, commune_a, commune_b):
    commune_c = CommuneFactory(district=district, code="25222", name="Bù Gia Mập", slug="bgm")
    commune_d = CommuneFactory(district=district, code="25228", name="Đức Hạnh", slug="dh")
    deadline = DeadlineFactory(
        district=district, communes=[commune_a, commune_b, commune_c, commune_d]
    )
    for commune, moment in (
        (commune_a, local(2021, 8, 5, 10, 0)),
        (commune_b, local(2021, 8, 6, 23, 59)),
        (commune_c, local(2021, 8, 7, 0, 1)),
    ):
        SubmissionFactory(deadline=deadline, commune=commune, submitted_at=moment)
    return {"deadline": deadline, "a": commune_a, "b": commune_b, "c": commune_c, "d": commune_d}


def identity(commune) -> dict:
    return {"id": commune.pk, "code": commune.code, "name": commune.name}


@pytest.mark.parametrize(
    ("date", "submitted", "rate", "missing"),
    [("2021-08-06", 2, 50.0, ["c", "d"]), ("2021-08-10", 3, 75.0, ["d"])],
)
def test_api_rate_timeliness_and_missing_as_of_d(
    four, api_as, district_staff, date, submitted, rate, missing
):
    body = api_as(district_staff).get(API, {"date": date}).json()
    assert body["deadlines"] == [
        {
            "id": four["deadline"].pk,
            "title": "Báo cáo kết quả thành lập nhóm tin",
            "directive": "606/UBND-VX",
            "due_date": "2021-08-06",
            "expected": 4,
            "submitted": submitted,
            "on_time": 2,
            "reporting_rate": rate,
            "timeliness": 50.0,
            "missing_communes": [identity(four[key]) for key in missing],
        }
    ]


def test_commune_users_see_their_own_commune_only(four, api_as, officer_a):
    body = api_as(officer_a).get(API, {"date": "2021-08-06"}).json()
    (line,) = body["deadlines"]
    assert (line["expected"], line["submitted"], line["on_time"]) == (1, 1, 1)
    assert (line["reporting_rate"], line["timeliness"], line["missing_communes"]) == (
        100.0,
        100.0,
        [],
    )


def test_commune_users_of_the_late_commune(four, api_as):
    from communes.models import Role
    from tests.factories import make_user

    officer_c = make_user(Role.COMMUNE_OFFICER, commune=four["c"], username="xa-c")
    as_of_due = api_as(officer_c).get(API, {"date": "2021-08-06"}).json()["deadlines"]
    assert [(d["submitted"], d["reporting_rate"], d["timeliness"]) for d in as_of_due] == [
        (0, 0.0, 0.0)
    ]
    assert as_of_due[0]["missing_communes"] == [identity(four["c"])]
    later = api_as(officer_c).get(API, {"date": "2021-08-10"}).json()["deadlines"]
    assert [
        (d["submitted"], d["on_time"], d["reporting_rate"], d["timeliness"]) for d in later
    ] == [(1, 0, 100.0, 0.0)]


def test_another_districts_deadline_is_not_shown(four, api_as, district_staff):
    elsewhere = CommuneFactory(district=DistrictFactory(code="692", name="Bù Đăng"))
    DeadlineFactory(district=elsewhere.district, communes=[elsewhere])
    body = api_as(district_staff).get(API, {"date": "2021-08-06"}).json()
    assert [line["id"] for line in body["deadlines"]] == [four["deadline"].pk]


def test_which_deadlines_the_panel_holds(district, commune_a, district_staff):
    """Due on or after D − 30 days (so 07/07 is in as of 06/08, 06/07 out), by due date."""
    as_of = datetime.date(2021, 8, 6)
    due = {
        "later": datetime.date(2021, 9, 1),
        "today": as_of,
        "30 days ago": datetime.date(2021, 7, 7),
        "31 days ago": datetime.date(2021, 7, 6),
    }
    for title, due_date in due.items():
        DeadlineFactory(district=district, title=title, due_date=due_date, communes=[commune_a])
    empty = DeadlineFactory(
        district=district, title="no commune", due_date=datetime.date(2021, 8, 7)
    )
    board = dashboard_rows(user=district_staff, as_of=as_of)
    assert [line.title for line in board.deadlines] == [
        "30 days ago",
        "today",
        "no commune",
        "later",
    ]
    no_commune = next(line for line in board.deadlines if line.id == empty.pk)
    assert (no_commune.expected, no_commune.reporting_rate, no_commune.timeliness) == (
        0,
        None,
        None,
    )


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        # on the due day the deadline is open for all: submitted or still to come
        (
            "2021-08-06",
            {"25267": ("on_time", 0, "2021-08-05T10:00:00+07:00"),
             "25231": ("on_time", 0, "2021-08-06T23:59:00+07:00"),
             "25222": ("pending", 0, None), "25228": ("pending", 0, None)},
        ),
        # once past, it stays open only for the commune that has not reported
        ("2021-08-10", {"25228": ("overdue", 4, None)}),
    ],
)  # fmt: skip
def test_api_deadline_status_per_commune(four, api_as, district_staff, date, expected):
    body = api_as(district_staff).get(API, {"date": date}).json()
    got = {}
    for row in body["communes"]:
        if row["deadline_status"] is None:
            continue
        (status,) = row["deadline_status"]
        assert status["deadline"] == four["deadline"].pk
        assert (status["directive"], status["due_date"]) == ("606/UBND-VX", "2021-08-06")
        got[row["code"]] = (status["status"], status["days"], status["submitted_at"])
    assert got == expected


def test_page_shows_the_deadlines_panel(four, client, district_staff):
    client.force_login(district_staff)
    html = client.get(PAGE, {"date": "2021-08-06"}).content.decode()
    card = re.search(
        rf'<article[^>]*id="deadline-{four["deadline"].pk}"(.*?)</article>', html, re.S
    )
    card = card.group(1)
    assert "606/UBND-VX" in card
    assert "hạn 06/08/2021" in card
    assert 'data-field="reporting_rate">50,0 %<' in card
    assert 'data-field="timeliness">50,0 %<' in card
    assert 'value="50.0"' in card  # the progress bars read a plain number
    assert "2 trên 4 xã đã báo cáo" in card
    assert "2 xã chưa báo cáo" in card
    missing = re.findall(r'<a href="([^"]+)" data-code="(\d+)">([^<]+)</a>', card)
    assert missing == [
        ("/communes/25222/?date=2021-08-06", "25222", "Bù Gia Mập"),
        ("/communes/25228/?date=2021-08-06", "25228", "Đức Hạnh"),
    ]
    assert 'style="' not in html


def test_page_renders_each_communes_status_readably(four, client, district_staff):
    client.force_login(district_staff)
    html = client.get(PAGE, {"date": "2021-08-10"}).content.decode()
    row = re.search(r'<tr data-code="25228">(.*?)</tr>', html, re.S).group(1)
    assert re.search(r">606/UBND-VX</a>: <span[^>]*>quá hạn 4 ngày</span>", row)
    on_time = re.search(r'<tr data-code="25267">(.*?)</tr>', html, re.S).group(1)
    assert 'data-col="deadline_status">—</td>' in on_time


def test_page_in_english(four, client, district_staff, settings):
    client.force_login(district_staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(PAGE, {"date": "2021-08-10"}).content.decode()
    assert "Reporting rate" in html and "Timeliness" in html
    assert "75.0 %" in html
    assert "3 of 4 communes reported" in html
    assert "1 commune has not reported" in html
    assert "4 days overdue" in html


def test_page_without_a_deadline(client, district_staff, commune_a):
    client.force_login(district_staff)
    html = client.get(PAGE, {"date": "2021-08-06"}).content.decode()
    assert 'id="no-deadlines"' in html


def test_csv_export_keeps_the_status_readable(four, client, district_staff):
    client.force_login(district_staff)
    response = client.get(reverse("dashboard-export", args=["csv"]), {"date": "2021-08-10"})
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    column = lines[0].index("Hạn báo cáo đang mở")
    by_code = {line[0]: line[column] for line in lines[1:-1]}
    assert by_code == {
        "25222": "",
        "25228": "606/UBND-VX: quá hạn 4 ngày",
        "25231": "",
        "25267": "",
    }


@pytest.mark.parametrize(("date", "listed"), [("2021-08-11", False), ("2021-08-12", True)])
def test_a_follow_up_appears_from_the_day_of_its_inspection(
    district_staff, commune_a, api_as, date, listed
):
    from deadlines.services import inspection_record

    inspection_record(
        actor=district_staff,
        commune=commune_a,
        date=datetime.date(2021, 8, 12),
        inspector="Trần Thị Thu Hà",
        findings="Hai thôn chưa có nhóm tin.",
        follow_up_due=datetime.date(2021, 8, 20),
    )
    body = api_as(district_staff).get(API, {"date": date}).json()
    row = next(row for row in body["communes"] if row["id"] == commune_a.pk)
    assert bool(body["deadlines"]) is listed
    assert bool(row["deadline_status"]) is listed
