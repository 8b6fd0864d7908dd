"""Publishing creates one delivery per active group of the targeted villages (docs/rules.md)."""

import pytest
from django.core.exceptions import ValidationError

from bulletins.channels import channel_connect
from bulletins.models import Channel, DeliveryStatus
from bulletins.publishing import bulletin_publish, delivery_confirm

pytestmark = pytest.mark.usefixtures("frozen")


def deliveries(bulletin):
    return {(d.group.name, d.channel, d.status) for d in bulletin.deliveries.all()}


def test_no_village_named_means_every_village(approved, leader_a, groups_a):
    bulletin = bulletin_publish(bulletin=approved(), actor=leader_a)

    assert deliveries(bulletin) == {
        ("Zalo Phú Tiến", "manual", "awaiting_confirmation"),
        ("Telegram Phú Tiến", "manual", "awaiting_confirmation"),
        ("Facebook Bình Tân", "manual", "awaiting_confirmation"),
    }


def test_named_villages_only(approved, leader_a, groups_a, villages_a):
    bulletin = bulletin_publish(bulletin=approved(villages=[villages_a[1]]), actor=leader_a)

    assert deliveries(bulletin) == {("Facebook Bình Tân", "manual", "awaiting_confirmation")}


def test_a_group_with_a_chat_id_and_an_active_channel_is_sent_automatically(
    approved, leader_a, groups_a, commune_a
):
    channel_connect(commune=commune_a, platform="telegram", credentials={"bot_token": "123:abc"})
    # A Zalo channel exists but the Zalo group has no group_id: posted by hand.
    channel_connect(
        commune=commune_a,
        platform="zalo",
        credentials={"app_id": "1", "secret_key": "s", "access_token": "a", "refresh_token": "r"},
    )

    bulletin = bulletin_publish(bulletin=approved(), actor=leader_a)

    assert deliveries(bulletin) == {
        ("Zalo Phú Tiến", "manual", "awaiting_confirmation"),
        ("Telegram Phú Tiến", "telegram", "pending"),
        ("Facebook Bình Tân", "manual", "awaiting_confirmation"),
    }


def test_an_inactive_channel_sends_nothing(approved, leader_a, groups_a, commune_a):
    channel = channel_connect(
        commune=commune_a, platform="telegram", credentials={"bot_token": "123:abc"}
    )
    Channel.objects.filter(pk=channel.pk).update(active=False)

    bulletin = bulletin_publish(bulletin=approved(), actor=leader_a)

    assert {d.channel for d in bulletin.deliveries.all()} == {"manual"}


def test_an_officer_confirms_a_manual_post_with_its_link(approved, leader_a, officer_a, groups_a):
    bulletin = bulletin_publish(bulletin=approved(), actor=leader_a)
    delivery = bulletin.deliveries.get(group=groups_a["zalo"])

    delivery = delivery_confirm(
        delivery=delivery, actor=officer_a, posted_url="https://zalo.me/g/abc/post/1"
    )

    assert delivery.status == DeliveryStatus.CONFIRMED
    assert delivery.posted_url == "https://zalo.me/g/abc/post/1"
    assert delivery.confirmed_by == officer_a
    with pytest.raises(ValidationError):
        delivery_confirm(delivery=delivery, actor=officer_a, posted_url="https://x.vn/1")


@pytest.mark.parametrize("link", ["", "javascript:alert(1)", "ftp://x.vn/a", "zalo.me/g/abc"])
def test_a_confirmation_needs_a_web_link(approved, leader_a, officer_a, groups_a, link):
    bulletin = bulletin_publish(bulletin=approved(), actor=leader_a)
    delivery = bulletin.deliveries.get(group=groups_a["zalo"])

    with pytest.raises(ValidationError) as refused:
        delivery_confirm(delivery=delivery, actor=officer_a, posted_url=link)

    assert list(refused.value.message_dict) == ["posted_url"]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.AWAITING_CONFIRMATION
