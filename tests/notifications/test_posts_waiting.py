"""The daily chase of posts made by hand (docs/rules.md#notifications): an author is told, once a
local day, while a delivery of theirs has awaited confirmation for more than 24 hours."""

import datetime

import pytest
from celery.schedules import crontab
from django.conf import settings

from bulletins import notices, tasks
from bulletins.publishing import bulletin_publish, delivery_confirm
from notifications.models import Notification
from tests.bulletins.conftest import LOCAL

pytestmark = pytest.mark.usefixtures("frozen")


def local(day: int, hour: int) -> datetime.datetime:
    return datetime.datetime(2021, 8, day, hour, 0, tzinfo=LOCAL)


@pytest.fixture
def published(approved, leader_a, groups_a):
    """Published at 08:00 on 10/08 by the leader, written by officer A: three groups, none with a
    channel, so three posts to make by hand."""
    return bulletin_publish(bulletin=approved(title="Lịch tiêm chủng"), actor=leader_a)


def chased(user) -> list[tuple[str, str]]:
    return list(
        Notification.objects.filter(user=user, kind="posts_waiting")
        .order_by("created_at")
        .values_list("event", "text")
    )


def test_an_author_is_told_once_a_day_while_posts_wait(
    published, frozen, officer_a, leader_a, writer_a
):
    frozen.move_to(local(11, 7))  # 23 hours on: not yet
    assert notices.posts_waiting_notify() == []

    frozen.move_to(local(11, 9))  # 25 hours on
    (first,) = notices.posts_waiting_notify()
    frozen.move_to(local(11, 20))  # the same day again: nothing more
    assert notices.posts_waiting_notify() == []

    assert chased(officer_a) == [
        (
            "posts_waiting:2021-08-11",
            "3 bài đăng bản tin của đồng chí đã chờ xác nhận quá 24 giờ: hãy đăng vào nhóm tin "
            "và xác nhận.",
        )
    ]
    notice = Notification.objects.get(pk=first)
    assert notice.url == f"/bulletins/{published.pk}/"
    assert notice.context["titles"] == ["Lịch tiêm chủng"]

    # One post confirmed: the next day tells of the two left.
    zalo = published.deliveries.get(group__name="Zalo Phú Tiến")
    delivery_confirm(delivery=zalo, actor=officer_a, posted_url="https://zalo.me/g/phutien/1")
    frozen.move_to(local(12, 8))
    assert len(notices.posts_waiting_notify()) == 1
    assert [event for event, _text in chased(officer_a)] == [
        "posts_waiting:2021-08-11",
        "posts_waiting:2021-08-12",
    ]
    assert chased(officer_a)[-1][1].startswith("2 bài đăng bản tin của đồng chí")

    # Every post confirmed: nothing more.
    for delivery in published.deliveries.filter(status="awaiting_confirmation"):
        url = {"telegram": "https://t.me/phutien/2", "facebook": "https://facebook.com/p/3"}
        delivery_confirm(
            delivery=delivery, actor=officer_a, posted_url=url[delivery.group.platform]
        )
    frozen.move_to(local(13, 8))
    assert notices.posts_waiting_notify() == []
    # Only the author was ever chased.
    assert not Notification.objects.filter(kind="posts_waiting").exclude(user=officer_a)


def test_a_post_published_less_than_a_day_ago_waits_for_tomorrow(
    approved, leader_a, groups_a, frozen, officer_a
):
    frozen.move_to(local(10, 20))
    bulletin_publish(bulletin=approved(title="Cắt điện"), actor=leader_a)

    frozen.move_to(local(11, 8))  # 12 hours on
    assert notices.posts_waiting_notify() == []
    frozen.move_to(local(12, 8))
    assert len(notices.posts_waiting_notify()) == 1


def test_beat_chases_every_morning_at_eight(published, frozen, officer_a):
    (entry,) = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "bulletins.tasks.notify_posts_waiting"
    ]
    assert entry["schedule"] == crontab(hour=8, minute=0)
    assert tasks.notify_posts_waiting.name == "bulletins.tasks.notify_posts_waiting"

    frozen.move_to(local(11, 8))
    assert tasks.notify_posts_waiting() == 1
    assert tasks.notify_posts_waiting() == 0
