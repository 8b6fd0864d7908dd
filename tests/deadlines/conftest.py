"""Deadlines of the dispatch's date for the fixed cast, a clock in Asia/Ho_Chi_Minh, and clients.

D = 06/08/2021, the due date of 606/UBND-VX. Times are local unless they say UTC: 23:59 on
06/08 local is 16:59 UTC and 00:01 on 07/08 local is 17:01 UTC, the same UTC day.
"""

import datetime
import zoneinfo

import pytest
import time_machine
from django.test import Client

from tests.factories import DeadlineFactory

LOCAL = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
D = datetime.date(2021, 8, 6)


def local(year: int, month: int, day: int, hour: int = 7, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LOCAL)


def at(moment: datetime.datetime):
    """Freeze the clock at an aware moment."""
    return time_machine.travel(moment, tick=False)


def day(offset: int) -> datetime.date:
    return D + datetime.timedelta(days=offset)


@pytest.fixture
def deadline(district, commune_a, commune_b):
    """606/UBND-VX, due 06/08/2021, covering communes A and B."""
    return DeadlineFactory(district=district, communes=[commune_a, commune_b])


@pytest.fixture
def with_emails(officer_a, leader_a, officer_b, district_staff, district_leader):
    for user in (officer_a, leader_a, officer_b, district_staff, district_leader):
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])


@pytest.fixture
def client_as():
    def make(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make
