"""Celery tasks of the bulletins app: thin, by id, safe to run twice (each delivery is claimed
before it is sent, each scheduled bulletin published by a conditional UPDATE). The task sending
one delivery is bulletins.outbox.send_delivery."""

from __future__ import annotations

import datetime

from celery import shared_task

from bmp_comms.dates import local_today
from bulletins import member_counts, notices, sending
from bulletins.outbox import send_delivery
from bulletins.publishing import bulletins_publish_due


@shared_task(ignore_result=True)
def publish_due_bulletins() -> list[int]:
    """Beat, every minute (settings.CELERY_BEAT_SCHEDULE): scheduled bulletins whose time came;
    publishing queues their deliveries."""
    return bulletins_publish_due()


@shared_task(ignore_result=True)
def send_due_deliveries() -> int:
    """Beat, every minute: retries that are due, deliveries whose task was lost (the broker was
    down) or whose sender died; first, those that may not be tried again fail."""
    sending.deliveries_give_up()
    due = sending.deliveries_due()
    for delivery_id in due:
        send_delivery.delay(delivery_id)
    return len(due)


@shared_task(ignore_result=True)
def record_channel_member_counts(day: str | None = None) -> int:
    """Beat, daily at 06:00: each Telegram group's member count of the day."""
    on = datetime.date.fromisoformat(day) if day else local_today()
    return member_counts.channel_member_counts_record(day=on)


@shared_task(ignore_result=True)
def notify_posts_waiting() -> int:
    """Beat, daily at 08:00: each author whose posts have awaited confirmation for more than
    24 hours is told so, once that day. Returns how many were told."""
    return len(notices.posts_waiting_notify())
