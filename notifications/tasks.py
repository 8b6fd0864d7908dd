"""Celery tasks of the notices' email outbox: thin, by id, safe to run twice (each email is
claimed before it is sent, notifications.outbox)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from notifications import outbox

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True, acks_late=True)
def send_notification_email(notification_id: int) -> str:
    """Send one notice's email; after a failed attempt, queue the next one after its backoff."""
    result = outbox.notification_email_send(notification_id=notification_id)
    # Run eagerly (tests) a countdown means nothing: the sweep stands in for it, as it does for a
    # retry lost with the broker.
    if result.retry_in is not None and not settings.CELERY_TASK_ALWAYS_EAGER:
        try:
            send_notification_email.apply_async((notification_id,), countdown=result.retry_in)
        except Exception:  # kombu raises several types for an unreachable broker
            logger.warning(
                "broker unavailable; notification email %s waits for the sweep",
                notification_id,
                exc_info=True,
            )
    return result.status


@shared_task(ignore_result=True)
def sweep_notification_emails() -> int:
    """Beat, every minute (settings.CELERY_BEAT_SCHEDULE): fail the emails a dead worker held on
    their last attempt, then queue again those pending and due and those a dead worker held."""
    outbox.notification_emails_give_up()
    due = outbox.notification_emails_due()
    for notification_id in due:
        send_notification_email.delay(notification_id)
    return len(due)
