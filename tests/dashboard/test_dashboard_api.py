import datetime

import pytest
import time_machine
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests.factories import UserFactory

URL = reverse("api-dashboard")
BAD_DATE = (
    "Nhập ngày hợp lệ từ 01/01/2000 đến hôm nay, dạng ngày/tháng/năm (dd/mm/yyyy) hoặc YYYY-MM-DD."
)
CONTRACT_FIELDS = {
    "id",
    "code",
    "name",
    "villages_count",
    "villages_with_group",
    "coverage_pct",
    "bluzone_pct",
    "bluzone_target_pct",
}


def test_shape_and_figures(known, api_as, district_staff):
    response = api_as(district_staff).get(URL, {"date": "2021-08-06"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "date",
        "totals",
        "communes",
        "deadlines",
        "communes_without_bulletins_7d",
        "communes_posting_under_80",
    }
    assert body["deadlines"] == []  # no deadline in this data
    assert body["date"] == "2021-08-06"
    totals = body["totals"]
    assert totals["coverage_pct"] == 49.1
    assert totals["bluzone_pct"] == 29.9
    assert totals["bluzone_target_pct"] == 50
    assert totals["villages_count"] == 6
    assert totals["villages_without_group"] == 3
    assert totals["flags"] == {
        "members_above_residents": 1,
        "count_fell_by_half": 1,
        "active_group_without_count": 1,
        "village_without_households": 1,
        "total": 4,
    }
    rows = {row["code"]: row for row in body["communes"]}
    assert [row["code"] for row in body["communes"]] == ["25222", "25228", "25267", "25231"]
    for row in body["communes"]:
        assert set(row) >= CONTRACT_FIELDS
    assert rows["25231"]["id"] == known["b"].pk
    assert rows["25231"]["name"] == "Đa Kia"
    assert rows["25231"]["coverage_pct"] == 66.7
    assert rows["25231"]["bluzone_pct"] == 12.5
    assert rows["25231"]["bluzone_target_pct"] == 40
    assert rows["25231"]["bluzone_gap_pct"] == 27.5
    assert rows["25267"]["villages_count"] == 4
    assert rows["25267"]["villages_with_group"] == 2
    assert rows["25267"]["untrained_admins"] == 2
    assert rows["25267"]["stale_groups"] == 2
    assert rows["25228"]["bluzone_pct"] == 6.3
    # a commune without villages: null, not 0
    assert rows["25222"]["coverage_pct"] is None
    assert rows["25222"]["bluzone_pct"] is None
    assert rows["25222"]["villages_count"] == 0


def test_percentages_are_json_numbers(known, api_as, district_staff):
    raw = api_as(district_staff).get(URL, {"date": "2021-08-06"}).content.decode()
    assert '"coverage_pct":66.7' in raw
    assert '"coverage_pct":null' in raw


def test_figures_follow_the_date(known, api_as, district_staff):
    body = api_as(district_staff).get(URL, {"date": "2021-07-16"}).json()
    assert body["date"] == "2021-07-16"
    assert body["totals"]["coverage_pct"] == 19.5
    assert body["totals"]["bluzone_pct"] == 0.0


# 01:30 on 07/08 in Ho Chi Minh City while UTC is still on 06/08: "today" is the local day
@time_machine.travel(datetime.datetime(2021, 8, 6, 18, 30, tzinfo=datetime.UTC), tick=False)
def test_today_by_default(known, api_as, district_staff):
    assert api_as(district_staff).get(URL).json()["date"] == "2021-08-07"


@pytest.mark.parametrize("bad", ["2021-02-30", "06-08-2021x", "1999-12-31", "2999-01-01"])
def test_bad_date_is_a_400_in_vietnamese(known, api_as, district_staff, bad):
    response = api_as(district_staff).get(URL, {"date": bad})
    assert response.status_code == 400
    assert response.json() == {"date": [BAD_DATE]}


def test_commune_user_gets_their_commune_only(known, api_as, officer_a):
    body = api_as(officer_a).get(URL, {"date": "2021-08-06"}).json()
    assert [row["code"] for row in body["communes"]] == ["25267"]
    assert body["totals"]["coverage_pct"] == 50.0


def test_district_leader_reads(known, api_as, district_leader):
    assert api_as(district_leader).get(URL).status_code == 200


def test_token_authentication(known, api_client, district_staff):
    token = Token.objects.create(user=district_staff)
    response = api_client.get(URL, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200


@pytest.mark.django_db
def test_anonymous_gets_401(api_client):
    response = api_client.get(URL)
    assert response.status_code == 401


@pytest.mark.django_db
def test_login_without_a_role_gets_403(api_as):
    assert api_as(UserFactory()).get(URL).status_code == 403


def test_read_only(known, api_as, district_staff):
    assert api_as(district_staff).post(URL, {}).status_code == 405


def test_payload_matches_the_documented_serializer(known, api_as, district_staff):
    """The view builds its JSON directly, for speed; it must say what the schema says."""
    from dashboard.api import DashboardSerializer
    from dashboard.selectors import dashboard_rows
    from tests.dashboard.conftest import D

    payload = api_as(district_staff).get(URL, {"date": "2021-08-06"}).json()
    documented = DashboardSerializer(dashboard_rows(user=district_staff, as_of=D)).data
    assert payload == json_round_trip(documented)


def json_round_trip(data):
    import json

    from rest_framework.utils.encoders import JSONEncoder

    return json.loads(json.dumps(data, cls=JSONEncoder))
