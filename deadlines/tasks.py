"""Celery tasks of the deadlines app: thin, by id, safe to run twice.

The only module that queues: the job and the outbox are handed this module's `delay`s, so they
never import it (deadlines.tasks imports deadlines.reminders and deadlines.outbox, never
the reverse).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable

from celery import shared_task

from bmp_comms.dates import local_today
from deadlines.outbox import (
    EmailDeliveryFailed,
    Enqueue,
    escalation_digest_send,
    outbox_queue,
    reminder_email_send,
    reminder_emails_requeue,
)
from deadlines.reminders import reminders_send_due

logger = logging.getLogger(__name__)

EMAIL_RETRIES = 5
EMAIL_RETRY_BASE_SECONDS = 60


def _queues() -> dict[str, Enqueue]:
    # Looked up at each call, not at import: a test may stand in for the broker.
    return {"email": deliver_reminder_email.delay, "digest": deliver_escalation_digest.delay}


# Task names are pinned to where the tasks were first declared: beat's periodic tasks stored in
# the database and messages already queued name them so.
@shared_task(name="reports.tasks.send_due_reminders")
def send_due_reminders(day: str | None = None) -> dict:
    """Beat runs this daily at 07:00 Asia/Ho_Chi_Minh (settings.CELERY_BEAT_SCHEDULE), and
    `manage.py run_reminders` runs it at once: the job, then the emails and digests it created,
    then those still waiting from earlier runs, each queued after the job's commit."""
    on = datetime.date.fromisoformat(day) if day else local_today()
    job = reminders_send_due(day=on)
    queues = _queues()
    return {
        **job.as_dict(),
        "emails_queued": outbox_queue(job.outbox, **queues),
        "emails_requeued": reminder_emails_requeue(exclude_run=job.run_id, **queues),
    }


def _send_with_retries(task, send: Callable[[], bool], what: str, row_id: int) -> bool:
    """On a mail-server failure retry with exponential backoff (1, 2, 4, 8, 16 minutes). After
    the last retry the row stays failed, and the next daily run queues it again; the in-app
    reminder was never at stake."""
    try:
        return send()
    except EmailDeliveryFailed as exc:
        if task.request.retries >= task.max_retries:
            logger.warning("%s %s failed %s times: %s", what, row_id, EMAIL_RETRIES, exc)
            return False
        raise task.retry(
            exc=exc, countdown=EMAIL_RETRY_BASE_SECONDS * 2**task.request.retries
        ) from exc


@shared_task(
    name="reports.tasks.deliver_reminder_email",
    bind=True,
    max_retries=EMAIL_RETRIES,
    acks_late=True,
)
def deliver_reminder_email(self, delivery_id: int) -> bool:
    """Send one reminder email to a commune's officer or leader."""
    return _send_with_retries(
        self, lambda: reminder_email_send(delivery_id=delivery_id), "reminder email", delivery_id
    )


@shared_task(
    name="reports.tasks.deliver_escalation_digest",
    bind=True,
    max_retries=EMAIL_RETRIES,
    acks_late=True,
)
def deliver_escalation_digest(self, digest_id: int) -> bool:
    """Send a district staff member's digest of the day's escalations."""
    return _send_with_retries(
        self, lambda: escalation_digest_send(digest_id=digest_id), "escalation digest", digest_id
    )
