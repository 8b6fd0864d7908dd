"""Dates people enter stay within the dashboard's range (01/01/2000 to today, or a few years
ahead for what is due): year 1 or 1999 is a 400 naming the field, and nothing is saved."""

import datetime

import pytest
import time_machine

from communes.models import BluzoneCount
from groups.models import MemberCount
from reports.models import Inspection

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
