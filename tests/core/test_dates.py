import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from bmp_comms.dates import local_today, parse_as_of

# 18:30 UTC on 6/8 is already 7/8 in Asia/Ho_Chi_Minh (UTC+7).
EVENING_UTC = datetime.datetime(2021, 8, 6, 18, 30, tzinfo=datetime.UTC)


@time_machine.travel(EVENING_UTC, tick=False)
def test_today_is_the_local_day():
    assert local_today() == datetime.date(2021, 8, 7)
    assert parse_as_of(None) == datetime.date(2021, 8, 7)


@time_machine.travel(EVENING_UTC, tick=False)
@pytest.mark.parametrize("text", ["2021-08-07", "07/08/2021", " 7/8/2021 "])
def test_both_formats_up_to_today(text):
    assert parse_as_of(text) == datetime.date(2021, 8, 7)


@time_machine.travel(EVENING_UTC, tick=False)
@pytest.mark.parametrize("text", ["2021-08-08", "31/02/2021", "1999-12-31", "hôm qua"])
def test_future_impossible_or_too_old_dates_are_refused(text):
    with pytest.raises(ValidationError) as exc:
        parse_as_of(text)
    assert "date" in exc.value.message_dict


@pytest.mark.django_db
def test_deadlines_api_refuses_a_future_date_like_the_dashboard(api_as, district_staff):
    for url in ("/api/v1/deadlines/", "/api/v1/dashboard/"):
        response = api_as(district_staff).get(url, {"date": "2999-01-01"})
        assert response.status_code == 400
        assert "01/01/2000" in response.json()["date"][0]
