"""The notices' emails are queued once the notices are committed (notifications_created), each
by its id. The broker being down costs the page nothing: the rows stay pending, and the
every-minute sweep (notifications.tasks.sweep_notification_emails) queues them when it is back."""

from __future__ import annotations

import logging

from django.dispatch import receiver

from notifications.models import EmailStatus, Notification
from notifications.signals import notifications_created
from notifications.tasks import send_notification_email

logger = logging.getLogger(__name__)


@receiver(notifications_created, dispatch_uid="notifications.queue_emails")
def queue_emails(sender, ids: list[int], **kwargs) -> int:
    """Queue the email of each notice just created that has one. Never raises: another receiver
    (the messengers) hears the same signal. Returns how many were queued."""
    pending = (
        Notification.objects.filter(pk__in=ids, email_status=EmailStatus.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    queued = 0
    for notification_id in pending:
        try:
            send_notification_email.delay(notification_id)
        except Exception:  # kombu raises several types for an unreachable or broken broker
            # One connection attempt is enough to know: the rest wait for the sweep too,
            # rather than each making the page wait for its own attempt.
            logger.warning(
                "broker unavailable; notification emails from %s left pending",
                notification_id,
                exc_info=True,
            )
            break
        queued += 1
    return queued
