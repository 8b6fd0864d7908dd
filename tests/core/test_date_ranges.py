"""Dates people enter stay within the dashboard's range (01/01/2000 to today, or a few years
ahead for what is due): year 1 or 1999 is a 400 naming the field, and nothing is saved."""

import datetime

import pytest
import time_machine

from communes.models import BluzoneCount
from deadlines.models import Inspection
from groups.models import MemberCount

BEFORE_2000 = "Ngày không được trước 01/01/2000."
TODAY = datetime.datetime(2021, 8, 10, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.mark.django_db
@pytest.mark.parametrize("date", ["0001-01-01", "1999-12-31"])
def test_member_count_before_2000(api_as, officer_a, rows_a, date):
    before = MemberCount.objects.count()
    response = api_as(officer_a).post(
        f"/api/v1/groups/{rows_a.group.pk}/member-counts/",
        {"date": date, "members": 10},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"date": [BEFORE_2000]}
    assert MemberCount.objects.count() == before


@pytest.mark.django_db
def test_bluzone_count_before_2000(api_as, officer_a, rows_a):
    before = BluzoneCount.objects.count()
    response = api_as(officer_a).post(
        f"/api/v1/villages/{rows_a.village.pk}/bluzone-counts/",
        {"date": "0001-01-01", "installs": 10},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"date": [BEFORE_2000]}
    assert BluzoneCount.objects.count() == before


@pytest.mark.django_db
def test_count_on_the_first_day_accepted(api_as, officer_a, rows_a):
    response = api_as(officer_a).post(
        f"/api/v1/groups/{rows_a.group.pk}/member-counts/",
        {"date": "2000-01-01", "members": 10},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["date"] == "2000-01-01"


@pytest.mark.django_db
def test_inspection_before_2000(api_as, district_staff, commune_a):
    response = api_as(district_staff).post(
        "/api/v1/inspections/",
        {
            "commune": commune_a.pk,
            "date": "0001-01-01",
            "inspector": "Phòng VH-TT",
            "findings": "Đủ nhóm tin",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"date": [BEFORE_2000]}
    assert not Inspection.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("due_date", "message"),
    [("0001-01-01", BEFORE_2000), ("2100-01-01", "Ngày không được sau 10/08/2026.")],
)
def test_deadline_due_date_out_of_range(api_as, district_staff, commune_a, due_date, message):
    from deadlines.models import Deadline

    response = api_as(district_staff).post(
        "/api/v1/deadlines/",
        {"title": "Báo cáo", "directive": "606/UBND-VX", "due_date": due_date},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"due_date": [message]}
    assert not Deadline.objects.exists()


@pytest.mark.django_db
def test_deadline_due_date_corrected_out_of_range(api_as, district_staff, commune_a):
    from tests.factories import DeadlineFactory

    deadline = DeadlineFactory(district=commune_a.district, due_date=datetime.date(2021, 8, 6))
    response = api_as(district_staff).patch(
        f"/api/v1/deadlines/{deadline.pk}/", {"due_date": "1999-12-31"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"due_date": [BEFORE_2000]}
    deadline.refresh_from_db()
    assert deadline.due_date == datetime.date(2021, 8, 6)


@pytest.mark.django_db
def test_inspection_follow_up_too_far_ahead(api_as, district_staff, commune_a):
    response = api_as(district_staff).post(
        "/api/v1/inspections/",
        {
            "commune": commune_a.pk,
            "date": "2021-08-09",
            "inspector": "Phòng VH-TT",
            "findings": "Thiếu nhóm tin",
            "follow_up_due": "9999-12-31",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"follow_up_due": ["Ngày không được sau 10/08/2026."]}
    assert not Inspection.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "established_on", "message"),
    [
        ("active", "0001-01-01", BEFORE_2000),
        ("planned", "1999-01-01", BEFORE_2000),
        ("planned", "2100-01-01", "Ngày không được sau 10/08/2026."),
    ],
)
def test_group_established_out_of_range(api_as, officer_a, rows_a, status, established_on, message):
    from groups.models import MessagingGroup

    before = MessagingGroup.objects.count()
    response = api_as(officer_a).post(
        "/api/v1/groups/",
        {
            "village": rows_a.village.pk,
            "platform": "zalo",
            "name": "Nhóm mới",
            "invite_url": "https://zalo.me/g/new",
            "status": status,
            "established_on": established_on,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"established_on": [message]}
    assert MessagingGroup.objects.count() == before


@pytest.mark.django_db
def test_a_planned_group_may_name_its_day_ahead(api_as, officer_a, rows_a):
    response = api_as(officer_a).post(
        "/api/v1/groups/",
        {
            "village": rows_a.village.pk,
            "platform": "zalo",
            "name": "Nhóm sắp lập",
            "status": "planned",
            "established_on": "2021-09-01",
        },
        format="json",
    )
    assert response.status_code == 201


def test_the_planning_range_from_29_february():
    from django.core.exceptions import ValidationError

    from bmp_comms.validation import validate_planned

    with time_machine.travel(datetime.datetime(2024, 2, 29, 9, tzinfo=datetime.UTC), tick=False):
        validate_planned(datetime.date(2029, 2, 28), "due_date")
        with pytest.raises(ValidationError):
            validate_planned(datetime.date(2029, 3, 1), "due_date")
