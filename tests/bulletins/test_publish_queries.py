"""Publishing costs the same number of queries whatever the number of groups it delivers to
(docs/rules.md#deliveries): a commune of 5 groups and one of 50, half of them sent through the
commune's Telegram bot, the others awaiting an officer; every village, or the villages named."""

import pytest
from kombu.exceptions import OperationalError

from bulletins import outbox, tasks
from bulletins.channels import channel_connect
from bulletins.models import ChannelKind, DeliveryStatus
from bulletins.publishing import bulletin_publish
from groups.models import GroupStatus, Platform
from tests.factories import GroupFactory, VillageFactory

pytestmark = pytest.mark.django_db

TOKEN = "123456789:AAF-secret-bot-token-of-phu-nghia"


@pytest.fixture
def commune_groups(commune_a):
    """`commune_groups(n)` → five villages of commune A holding n active groups in turn (the
    even ones on Telegram with a chat id, the odd ones on Zalo), a closed group, and A's
    Telegram bot."""

    def make(groups: int):
        villages = [VillageFactory(commune=commune_a) for _ in range(5)]
        for number in range(groups):
            telegram = number % 2 == 0
            GroupFactory(
                village=villages[number % 5],
                platform=Platform.TELEGRAM if telegram else Platform.ZALO,
                invite_url=f"https://t.me/+g{number}"
                if telegram
                else f"https://zalo.me/g/{number}",
                channel_id=f"-100{number}" if telegram else "",
            )
        GroupFactory(village=villages[0], status=GroupStatus.CLOSED)
        channel_connect(commune=commune_a, platform="telegram", credentials={"bot_token": TOKEN})
        return villages

    return make


@pytest.mark.parametrize("groups", [5, 50])
def test_publishing_to_every_village_takes_the_same_queries(
    groups,
    commune_groups,
    approved,
    leader_a,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    commune_groups(groups)
    bulletin = approved()
    # savepoint, the commune (is the actor its leader), the bulletin's status, the publishing
    # UPDATE, its audit row, the bulletin read again, the commune's active channels, the target
    # groups (the villages named, or all, in the same query), the deliveries (one INSERT
    # returning their ids), the deliveries' statuses; the notices of publishing (the field's
    # officer, the field, the commune, a savepoint, the recipients, one INSERT, the ids it made,
    # released: docs/rules.md#notifications), savepoint released
    with django_capture_on_commit_callbacks() as queued, django_assert_num_queries(18):
        bulletin_publish(bulletin=bulletin, actor=leader_a)
    deliveries = bulletin.deliveries.all()
    assert deliveries.count() == groups
    pending = deliveries.filter(status=DeliveryStatus.PENDING, channel=ChannelKind.TELEGRAM)
    awaiting = deliveries.filter(
        status=DeliveryStatus.AWAITING_CONFIRMATION, channel=ChannelKind.MANUAL
    )
    # the even groups (0, 2, 4, …) have a chat id
    assert pending.count() == (groups + 1) // 2
    assert awaiting.count() == groups // 2
    # after the commit, one message to the broker queues every automatic delivery
    # one for the deliveries (the other tells the notices' floors above: notifications)
    assert len(_deliveries_callbacks(queued)) == 1


@pytest.mark.parametrize("groups", [5, 50])
def test_publishing_to_named_villages_takes_the_same_queries(
    groups, commune_groups, approved, leader_a, django_assert_num_queries
):
    villages = commune_groups(groups)
    bulletin = approved(villages=villages[:2])
    # as above: the villages named are read in the target groups' query
    with django_assert_num_queries(18):
        bulletin_publish(bulletin=bulletin, actor=leader_a)
    # groups 0, 5, 10, … are in the first village, 1, 6, 11, … in the second
    expected = len(range(0, groups, 5)) + len(range(1, groups, 5))
    assert bulletin.deliveries.count() == expected
    assert set(bulletin.deliveries.values_list("group__village", flat=True)) == {
        village.pk for village in villages[:2]
    }


def test_the_automatic_deliveries_are_queued_by_one_message(
    commune_groups, approved, leader_a, monkeypatch, django_capture_on_commit_callbacks
):
    commune_groups(6)
    queued = []
    monkeypatch.setattr(outbox.send_delivery, "delay", queued.append)
    bulletin = approved()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        bulletin_publish(bulletin=bulletin, actor=leader_a)
    # one callback for the deliveries, whose one task (run at once here) queues each one's own
    assert len(_deliveries_callbacks(callbacks)) == 1
    pending = bulletin.deliveries.filter(status=DeliveryStatus.PENDING)
    assert sorted(queued) == sorted(pending.values_list("pk", flat=True))
    assert len(queued) == 3


def test_with_the_broker_down_the_sweep_queues_them_later(
    commune_groups, approved, leader_a, monkeypatch, django_capture_on_commit_callbacks
):
    commune_groups(6)

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis:6379. Connection refused.")

    queued = []
    monkeypatch.setattr(outbox.send_deliveries, "delay", broker_down)
    monkeypatch.setattr(outbox.send_delivery, "delay", queued.append)
    bulletin = approved()
    with django_capture_on_commit_callbacks(execute=True):
        bulletin = bulletin_publish(bulletin=bulletin, actor=leader_a)
    # published, its deliveries written, none queued
    assert bulletin.status == "published"
    assert queued == []
    assert bulletin.deliveries.filter(status=DeliveryStatus.PENDING).count() == 3
    # the every-minute sweep finds the three
    assert tasks.send_due_deliveries() == 3
    assert len(queued) == 3


def _deliveries_callbacks(callbacks) -> list:
    """The on-commit callbacks that queue deliveries (bulletins.outbox), not the notices'."""
    return [c for c in callbacks if "deliveries_queue_on_commit" in c.__qualname__]
