"""Posting cadence (issue #10, part 6): bulletins published in the 7 and 30 days ending on D,
by local date, one query; and a commune's latest published ones. Figures pinned by hand."""

import datetime

import pytest

from bulletins.models import Bulletin
from bulletins.selectors import last_published, published_counts
from tests.bulletins.conftest import LOCAL

D = datetime.date(2021, 8, 31)


def local(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LOCAL)


@pytest.fixture
def publish(officer_a):
    def make(commune, when, status="published", title="Tin"):
        return Bulletin.objects.create(
            commune=commune,
            field_id="hanh-chinh",
            title=title,
            body="Nội dung.",
            author=officer_a,
            status=status,
            published_at=when,
        )

    return make


@pytest.mark.django_db
def test_published_counts_by_local_day(publish, commune_a, commune_b, django_assert_num_queries):
    a, b = commune_a, commune_b
    # Seven days ending on 31/08 start on 25/08; thirty start on 02/08.
    publish(a, local(D, 23, 59))  # D, late evening: 16:59 UTC, still D locally
    publish(a, local(D - datetime.timedelta(days=6), 0, 0))  # 25/08 00:00: in the 7 days
    publish(a, local(D - datetime.timedelta(days=7), 23, 59))  # 24/08: 30 days only
    publish(a, local(D - datetime.timedelta(days=29), 0, 1))  # 02/08: 30 days only
    publish(a, local(D - datetime.timedelta(days=30), 23, 59))  # 01/08: neither
    publish(a, local(D + datetime.timedelta(days=1), 0, 0))  # 01/09: after D
    publish(a, None, status="approved")  # not published
    publish(b, local(D - datetime.timedelta(days=10), 9))

    with django_assert_num_queries(1):
        counts = published_counts(commune_ids=[a.pk, b.pk, 999_999], as_of=D)

    assert counts == {a.pk: (2, 4), b.pk: (0, 1), 999_999: (0, 0)}


@pytest.mark.django_db
def test_a_utc_evening_is_the_next_local_day(publish, commune_a):
    # 17:30 UTC on 30/08 is 00:30 on 31/08 in Asia/Ho_Chi_Minh.
    publish(commune_a, datetime.datetime(2021, 8, 30, 17, 30, tzinfo=datetime.UTC))

    assert published_counts(commune_ids=[commune_a.pk], as_of=datetime.date(2021, 8, 30)) == {
        commune_a.pk: (0, 0)
    }
    assert published_counts(commune_ids=[commune_a.pk], as_of=D) == {commune_a.pk: (1, 1)}


@pytest.mark.django_db
def test_last_published_newest_first(publish, commune_a, commune_b):
    for n in range(7):
        publish(commune_a, local(D - datetime.timedelta(days=n), 8), title=f"Tin {n}")
    publish(commune_a, None, status="submitted", title="Chưa đăng")
    publish(commune_b, local(D, 9), title="Tin xã khác")

    assert [b.title for b in last_published(commune=commune_a)] == [
        "Tin 0", "Tin 1", "Tin 2", "Tin 3", "Tin 4",
    ]  # fmt: skip
    assert [b.title for b in last_published(commune=commune_a, limit=2)] == ["Tin 0", "Tin 1"]


@pytest.mark.django_db
def test_published_counts_of_no_commune_ask_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert published_counts(commune_ids=[], as_of=D) == {}
