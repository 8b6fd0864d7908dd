"""`communes/`: figures as of today (docs/rules.md, Definitions), computed by hand below."""

import datetime

import pytest
import time_machine

from communes.models import Commune
from tests.factories import (
    BluzoneCountFactory,
    GroupFactory,
    MemberCountFactory,
    VillageFactory,
)

TODAY = datetime.datetime(2021, 8, 10, 9, 0, tzinfo=datetime.UTC)


def d(day: int, month: int = 8) -> datetime.date:
    return datetime.date(2021, month, day)


@pytest.fixture
def figures_data(commune_a, commune_b):
    v1 = VillageFactory(commune=commune_a, households=300, smartphone_users=200)
    g1 = GroupFactory(village=v1, established_on=d(1, 7))
    MemberCountFactory(group=g1, date=d(1), members=100)
    MemberCountFactory(group=g1, date=d(5), members=180)
    MemberCountFactory(group=g1, date=d(12), members=999)  # after today: not yet
    BluzoneCountFactory(village=v1, date=d(1), installs=60)
    BluzoneCountFactory(village=v1, date=d(9), installs=90)

    v2 = VillageFactory(commune=commune_a, households=100, smartphone_users=0)
    g2 = GroupFactory(village=v2, established_on=d(15, 7))
    MemberCountFactory(group=g2, date=d(2), members=150)  # capped at 100 households
    planned = GroupFactory(village=v2, status="planned", invite_url="")
    MemberCountFactory(group=planned, date=d(2), members=90)  # not active: not counted

    v3 = VillageFactory(commune=commune_a, households=0, smartphone_users=50)
    BluzoneCountFactory(village=v3, date=d(3), installs=10)

    v4 = VillageFactory(commune=commune_a, households=200, smartphone_users=100)
    closed = GroupFactory(village=v4, status="closed")
    MemberCountFactory(group=closed, date=d(2), members=50)

    commune_b.bluzone_target_pct = 65
    commune_b.save()


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_figures_as_of_today(api_as, district_staff, commune_a, commune_b, figures_data):
    response = api_as(district_staff).get("/api/v1/communes/")

    assert response.status_code == 200
    rows = {row["id"]: row for row in response.json()["results"]}
    assert rows[commune_a.pk] == {
        "id": commune_a.pk,
        "code": "25267",
        "name": "Phú Nghĩa",
        "kind": "xa",
        "villages_count": 4,
        # v1 and v2; v4's only group is closed, v3 has none
        "villages_with_group": 2,
        # (min(180, 300) + min(150, 100) + 0) / (300 + 100 + 200) = 280 / 600
        "coverage_pct": 46.7,
        # (90 + 10 + 0) / (200 + 50 + 100) = 100 / 350; v2 has no smartphone users
        "bluzone_pct": 28.6,
        "bluzone_target_pct": 50,
        "merged_into": None,
        "merged_on": None,
    }
    assert rows[commune_b.pk] == {
        "id": commune_b.pk,
        "code": "25231",
        "name": "Đa Kia",
        "kind": "xa",
        "villages_count": 0,
        "villages_with_group": 0,
        "coverage_pct": None,
        "bluzone_pct": None,
        "bluzone_target_pct": 65,
        "merged_into": None,
        "merged_on": None,
    }
    assert b'"coverage_pct":46.7,' in response.content  # a JSON number, not a string


@pytest.mark.django_db
@time_machine.travel(TODAY, tick=False)
def test_commune_detail_has_the_same_figures(api_as, officer_a, commune_a, figures_data):
    body = api_as(officer_a).get(f"/api/v1/communes/{commune_a.pk}/").json()
    assert (body["coverage_pct"], body["bluzone_pct"], body["villages_with_group"]) == (
        46.7,
        28.6,
        2,
    )


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2021, 8, 4, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_figures_follow_the_day(api_as, leader_a, commune_a, figures_data):
    body = api_as(leader_a).get("/api/v1/communes/").json()
    assert body["count"] == 1
    # On 4 August: g1 had 100, g2 150 → (100 + 100) / 600; installs 60 + 10 of 350
    assert (body["results"][0]["coverage_pct"], body["results"][0]["bluzone_pct"]) == (33.3, 20.0)


@pytest.mark.django_db
def test_district_staff_creates_a_commune_in_their_district(api_as, district_staff, district):
    response = api_as(district_staff).post(
        "/api/v1/communes/", {"code": " 25300 ", "name": "Đăk Ơ"}, format="json"
    )

    assert response.status_code == 201
    commune = Commune.objects.get(code="25300")
    assert (commune.district, commune.slug) == (district, "dak-o")
    assert response.json() == {
        "id": commune.pk,
        "code": "25300",
        "name": "Đăk Ơ",
        "kind": "xa",
        "villages_count": 0,
        "villages_with_group": 0,
        "coverage_pct": None,
        "bluzone_pct": None,
        "bluzone_target_pct": 50,
        "merged_into": None,
        "merged_on": None,
    }


@pytest.mark.django_db
def test_commune_code_is_unique(api_as, district_staff, commune_a):
    response = api_as(district_staff).post(
        "/api/v1/communes/", {"code": "25267", "name": "Xã Trùng"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"code": ["Xã có Mã đơn vị hành chính đã tồn tại."]}
    assert Commune.objects.count() == 1


@pytest.mark.django_db
def test_commune_needs_a_name(api_as, district_staff, commune_a):
    response = api_as(district_staff).post("/api/v1/communes/", {"code": "25301"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"name": ["Trường này là bắt buộc."]}
