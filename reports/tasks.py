"""Celery tasks of the reports app: thin, by id, safe to run twice."""

from __future__ import annotations

import datetime
import logging

from celery import shared_task

from bmp_comms.dates import local_today
from reports.reminders import EmailDeliveryFailed, reminder_email_send, reminders_send_due

logger = logging.getLogger(__name__)

EMAIL_RETRIES = 5
EMAIL_RETRY_BASE_SECONDS = 60


@shared_task
def send_due_reminders(day: str | None = None) -> dict:
    """Beat runs this daily at 07:00 Asia/Ho_Chi_Minh (settings.CELERY_BEAT_SCHEDULE)."""
    on = datetime.date.fromisoformat(day) if day else local_today()
    return reminders_send_due(day=on).as_dict()


@shared_task(bind=True, max_retries=EMAIL_RETRIES, acks_late=True)
def deliver_reminder_email(self, delivery_id: int) -> bool:
    """Send one reminder email; on a mail-server failure retry with exponential backoff
    (1, 2, 4, 8, 16 minutes). After the last retry the delivery stays failed, and the next
    daily run queues it again; the in-app reminder was never at stake."""
    try:
        return reminder_email_send(delivery_id=delivery_id)
    except EmailDeliveryFailed as exc:
        if self.request.retries >= self.max_retries:
            logger.warning("reminder email %s failed %s times: %s", delivery_id, EMAIL_RETRIES, exc)
            return False
        raise self.retry(
            exc=exc, countdown=EMAIL_RETRY_BASE_SECONDS * 2**self.request.retries
        ) from exc
