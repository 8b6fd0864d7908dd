"""Celery tasks of the bulletins app: thin, by id, safe to run twice (each delivery is claimed
before it is sent, each scheduled bulletin published by a conditional UPDATE)."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.conf import settings
from django.db import transaction

from bmp_comms.dates import local_today
from bulletins import member_counts, sending, services
from bulletins.models import Bulletin, DeliveryStatus


@shared_task(ignore_result=True, acks_late=True)
def send_delivery(delivery_id: int) -> str:
    result = sending.delivery_send(delivery_id=delivery_id)
    # A retry is queued with its wait; were it lost, the every-minute sweep finds it due. Run
    # eagerly (tests) a countdown means nothing, and the sweep stands in for it.
    if result.retry_in is not None and not settings.CELERY_TASK_ALWAYS_EAGER:
        send_delivery.apply_async((delivery_id,), countdown=result.retry_in)
    return result.status


def queue_deliveries(bulletin: Bulletin) -> None:
    """After publishing: send the bulletin's automatic deliveries once the transaction that
    created them has committed (an outbox: the rows exist before any message is sent)."""
    ids = list(
        bulletin.deliveries.filter(status=DeliveryStatus.PENDING).values_list("pk", flat=True)
    )
    for delivery_id in ids:
        transaction.on_commit(lambda pk=delivery_id: send_delivery.delay(pk))


@shared_task(ignore_result=True)
def publish_due_bulletins() -> list[int]:
    """Beat, every minute (settings.CELERY_BEAT_SCHEDULE): scheduled bulletins whose time came."""
    published = services.bulletins_publish_due()
    for bulletin in Bulletin.objects.filter(pk__in=published):
        queue_deliveries(bulletin)
    return published


@shared_task(ignore_result=True)
def send_due_deliveries() -> int:
    """Beat, every minute: retries that are due, and deliveries whose sender died; first,
    those that may not be tried again fail."""
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
