"""Celery tasks of the messengers: thin, by id, safe to run twice (a notice's message to a chat is
claimed by inserting its outbox row, a retry by a conditional UPDATE, a bot's updates under its
state row's lock)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from messenger import polling, sending


def _retry_later(results: list[sending.SendResult]) -> None:
    # A retry is queued with its wait; were it lost, the every-minute sweep finds it due. Run
    # eagerly (tests) a countdown means nothing, and the sweep stands in for it.
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return
    for result in results:
        if result.retry_in is not None and result.message_id is not None:
            send_direct_message.apply_async((result.message_id,), countdown=result.retry_in)


@shared_task(name="messenger.tasks.send_notices", ignore_result=True, acks_late=True)
def send_notices(notification_ids: list[int]) -> int:
    """Queued on commit of new notices (messenger.receivers) and by the sweep."""
    results = sending.notices_send(notification_ids=notification_ids)
    _retry_later(results)
    return sum(result.status == "sent" for result in results)


@shared_task(name="messenger.tasks.send_direct_message", ignore_result=True, acks_late=True)
def send_direct_message(message_id: int) -> str:
    result = sending.direct_message_send(message_id=message_id)
    _retry_later([result])
    return result.status


@shared_task(name="messenger.tasks.poll_updates", ignore_result=True)
def poll_updates() -> int:
    """Beat, every minute (settings.CELERY_BEAT_SCHEDULE): what people sent the bots."""
    return polling.messenger_updates_poll()


@shared_task(name="messenger.tasks.send_due_direct_messages", ignore_result=True)
def send_due_direct_messages() -> int:
    """Beat, every minute: first those that may not be tried again fail, then the retries that
    are due, then the notices of the last day a linked chat missed."""
    sending.direct_messages_give_up()
    due = sending.direct_messages_due()
    for message_id in due:
        send_direct_message.delay(message_id)
    missed = sending.notices_missed()
    if missed:
        send_notices.delay(missed)
    return len(due) + len(missed)
