"""The Celery side of the deliveries: a task per delivery, queued once the transaction that
created the rows has committed (an outbox: the rows exist before any message is sent)."""

from __future__ import annotations

from collections.abc import Iterable

from celery import shared_task
from django.conf import settings
from django.db import transaction

from bulletins import sending


# Named as it was when it lived in bulletins/tasks.py: queued messages carry the name.
@shared_task(name="bulletins.tasks.send_delivery", ignore_result=True, acks_late=True)
def send_delivery(delivery_id: int) -> str:
    result = sending.delivery_send(delivery_id=delivery_id)
    # A retry is queued with its wait; were it lost, the every-minute sweep finds it due. Run
    # eagerly (tests) a countdown means nothing, and the sweep stands in for it.
    if result.retry_in is not None and not settings.CELERY_TASK_ALWAYS_EAGER:
        send_delivery.apply_async((delivery_id,), countdown=result.retry_in)
    return result.status


@shared_task(name="bulletins.tasks.send_deliveries", ignore_result=True, acks_late=True)
def send_deliveries(delivery_ids: list[int]) -> int:
    """Queue each delivery's own task, in a worker: a publishing to hundreds of groups costs
    the leader's request one message to the broker, not one per group (and one attempt, not
    hundreds, while the broker is away). Any left unqueued are pending, due, and found by the
    every-minute sweep."""
    for delivery_id in delivery_ids:
        send_delivery.delay(delivery_id)
    return len(delivery_ids)


def deliveries_queue_on_commit(delivery_ids: Iterable[int]) -> None:
    """Queue the deliveries' sending after the commit: a lone delivery's own task, several at
    once through send_deliveries. Robust: with the broker down the commit stands and the
    caller answers as usual; the pending rows wait for the every-minute sweep
    (tasks.send_due_deliveries)."""
    ids = list(delivery_ids)
    if len(ids) == 1:
        transaction.on_commit(lambda: send_delivery.delay(ids[0]), robust=True)
    elif ids:
        transaction.on_commit(lambda: send_deliveries.delay(ids), robust=True)
