"""One commune's numbers cannot take the dashboard down: counts have sane ceilings, and every
sum and comparison in the dashboard's statement is 64-bit, so even a value stored before the
ceilings existed (up to 2³¹ - 1) is summed and compared without overflowing."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from groups.models import MemberCount
from tests.factories import BluzoneCountFactory, GroupFactory, VillageFactory

TOO_LARGE = "Chỉ nhập tối đa 1.000.000; số lớn hơn chắc chắn là nhập nhầm."
LARGEST = 1_000_000
INT_MAX = 2_147_483_647


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2021, 8, 10, 9, tzinfo=datetime.UTC), tick=False):
        yield


def every_page_and_api(client, api, commune) -> dict[str, int]:
    answers = {
        "dashboard": client.get(reverse("dashboard"), {"date": "2021-08-10"}),
        "commune page": client.get(reverse("commune-detail", args=[commune.code])),
        "csv": client.get(reverse("dashboard-export", args=["csv"])),
        "xlsx": client.get(reverse("dashboard-export", args=["xlsx"])),
        "api dashboard": api.get("/api/v1/dashboard/", {"date": "2021-08-10"}),
        "api communes": api.get("/api/v1/communes/"),
        "api commune": api.get(f"/api/v1/communes/{commune.pk}/"),
    }
    return {name: response.status_code for name, response in answers.items()}


@pytest.mark.django_db
def test_the_largest_accepted_values_everywhere(
    client, api_as, district_staff, officer_a, commune_a
):
    api = api_as(officer_a)
    village = api.post(
        "/api/v1/villages/",
        {
            "commune": commune_a.pk,
            "name": "Thôn lớn",
            "households": LARGEST,
            "residents": LARGEST,
            "smartphone_users": LARGEST,
        },
        format="json",
    ).json()["id"]
    groups = [
        api.post(
            "/api/v1/groups/",
            {
                "village": village,
                "platform": "zalo",
                "name": f"Nhóm {n}",
                "invite_url": f"https://zalo.me/g/{n}",
                "established_on": "2021-07-01",
            },
            format="json",
        ).json()["id"]
        for n in range(3)
    ]
    for group in groups:
        for date in ("2021-08-01", "2021-08-02"):
            response = api.post(
                f"/api/v1/groups/{group}/member-counts/",
                {"date": date, "members": LARGEST},
                format="json",
            )
            assert response.status_code == 201
    assert (
        api.post(
            f"/api/v1/villages/{village}/bluzone-counts/",
            {"date": "2021-08-02", "installs": LARGEST},
            format="json",
        ).status_code
        == 201
    )
    client.force_login(district_staff)
    statuses = every_page_and_api(client, api_as(district_staff), commune_a)
    assert set(statuses.values()) == {200}, statuses
    row = api_as(district_staff).get("/api/v1/dashboard/", {"date": "2021-08-10"}).json()
    (mine,) = [line for line in row["communes"] if line["id"] == commune_a.pk]
    # 3 × 1.000.000 members, capped at the village's 1.000.000 households
    assert (mine["covered"], mine["households"], mine["coverage_pct"]) == (LARGEST, LARGEST, 100.0)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        ("/api/v1/villages/", {"households": LARGEST + 1}, "households"),
        ("/api/v1/villages/", {"residents": LARGEST + 1}, "residents"),
        ("/api/v1/villages/", {"smartphone_users": LARGEST + 1}, "smartphone_users"),
        ("/api/v1/groups/{group}/member-counts/", {"members": LARGEST + 1}, "members"),
        ("/api/v1/villages/{village}/bluzone-counts/", {"installs": LARGEST + 1}, "installs"),
        ("/api/v1/groups/{group}/member-counts/", {"members": INT_MAX}, "members"),
    ],
)
def test_above_the_ceiling_is_a_400_saying_why(api_as, officer_a, commune_a, url, body, field):
    village = VillageFactory(commune=commune_a, name="Thôn 1")
    group = GroupFactory(village=village)
    defaults = (
        {"commune": commune_a.pk, "name": "Thôn mới", "households": 1, "residents": 1}
        if url.removeprefix("/api/v1/") == "villages/"
        else {"date": "2021-08-05"}
    )
    before = MemberCount.objects.count()
    response = api_as(officer_a).post(
        url.format(group=group.pk, village=village.pk), {**defaults, **body}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {field: [TOO_LARGE]}
    assert MemberCount.objects.count() == before


@pytest.mark.django_db
def test_values_stored_before_the_ceilings_do_not_overflow(
    client, api_as, district_staff, commune_a
):
    village = VillageFactory(
        commune=commune_a, households=INT_MAX, residents=INT_MAX, smartphone_users=INT_MAX
    )
    for _ in range(2):
        group = GroupFactory(village=village, established_on=datetime.date(2021, 7, 1))
        # Written past the services, as an old row or a direct import could be.
        MemberCount.objects.create(group=group, date=datetime.date(2021, 8, 1), members=INT_MAX)
        MemberCount.objects.create(group=group, date=datetime.date(2021, 8, 2), members=INT_MAX)
    BluzoneCountFactory(village=village, date=datetime.date(2021, 8, 2), installs=INT_MAX)
    VillageFactory(commune=commune_a, households=INT_MAX, residents=1, smartphone_users=INT_MAX)
    client.force_login(district_staff)
    statuses = every_page_and_api(client, api_as(district_staff), commune_a)
    assert set(statuses.values()) == {200}, statuses
    body = api_as(district_staff).get("/api/v1/dashboard/", {"date": "2021-08-10"}).json()
    assert body["totals"]["households"] == 2 * INT_MAX
    assert body["totals"]["covered"] == INT_MAX
