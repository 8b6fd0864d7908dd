"""A commune's standing on a deadline is judged in one selector (`on_time`, `late`, `pending`,
`overdue`); the deadline list only puts its label and colour on it."""

import re

import pytest

from deadlines.statuses import deadline_status
from tests.deadlines.conftest import local
from tests.factories import SubmissionFactory


@pytest.mark.parametrize(
    ("submitted", "on_time", "days_left", "expected"),
    [
        (True, True, 3, "on_time"),
        (True, True, -5, "on_time"),
        (True, False, -1, "late"),
        (False, False, 2, "pending"),
        (False, False, 0, "pending"),
        (False, False, -1, "overdue"),
    ],
)
def test_the_status_from_the_facts(submitted, on_time, days_left, expected):
    assert deadline_status(submitted=submitted, on_time=on_time, days_left=days_left) == expected


def own_line(client, date: str) -> tuple[str, str]:
    """The commune user's own badge on the deadline list: (colour, text)."""
    html = client.get(f"/deadlines/?date={date}").content.decode()
    ((colour, label),) = re.findall(r'badge text-wrap text-bg-(\w+) mb-1">([^<]+)<', html)
    return colour, label


@pytest.mark.parametrize(
    ("submitted_at", "date", "expected"),
    [
        # 23:59 local on the due day is on time; 00:01 the next day is late.
        (local(2021, 8, 6, 23, 59), "2021-08-10", ("success", "nộp đúng hạn")),
        (local(2021, 8, 7, 0, 1), "2021-08-10", ("warning", "nộp trễ hạn")),
        # As of a day before the late submission it had not submitted yet: overdue then.
        (local(2021, 8, 9, 9, 0), "2021-08-08", ("danger", "quá hạn 2 ngày")),
        (None, "2021-08-04", ("warning", "còn 2 ngày")),
        (None, "2021-08-06", ("warning", "hôm nay là hạn")),
        (None, "2021-08-09", ("danger", "quá hạn 3 ngày")),
    ],
)
def test_the_list_shows_the_commune_its_own_status_in_vietnamese(
    client_as, officer_a, deadline, commune_a, submitted_at, date, expected
):
    if submitted_at is not None:
        SubmissionFactory(deadline=deadline, commune=commune_a, submitted_at=submitted_at)
    assert own_line(client_as(officer_a), date) == expected
