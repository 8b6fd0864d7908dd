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


def deliveries_queue_on_commit(delivery_ids: Iterable[int]) -> None:
    """Queue each delivery's task after the commit. Robust: with the broker down the commit
    stands and the caller answers as usual; the pending rows wait for the every-minute sweep
    (tasks.send_due_deliveries)."""
    for delivery_id in delivery_ids:
        transaction.on_commit(lambda pk=delivery_id: send_delivery.delay(pk), robust=True)
