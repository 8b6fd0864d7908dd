"""The reminders as they went out, read for pages and the API: the reminder log (each reminder
with its deliveries, and the digests that email escalations). The in-app deliveries are the
log's; the notices in the bell are notifications.Notification rows (deadlines.notices)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from deadlines.models import (
    Reminder,
    ReminderDelivery,
    ReminderDeliveryChannel,
    ReminderDeliveryStatus,
)


def reminder_log(reminders: QuerySet[Reminder]) -> QuerySet[Reminder]:
    """The reminder log with its deliveries (and the digests that email escalations), for a
    page or the API: three queries per page. Read each reminder's channels with
    `reminder_channels`."""
    return reminders.select_related("deadline", "commune").prefetch_related(
        Prefetch(
            "deliveries",
            # Only the deliveries of the reminders it is prefetched into, which are in scope.
            queryset=ReminderDelivery.objects.unscoped()
            .select_related("recipient", "digest")
            .order_by("channel", "recipient__username"),
        )
    )


@dataclass(frozen=True)
class ReminderChannel:
    """One way a reminder reached one person: a delivery, or, for an escalation emailed in a
    district staff member's digest of the day, that digest (`digest` is its id)."""

    channel: str
    recipient: AbstractBaseUser
    status: str
    attempts: int
    error: str
    sent_at: datetime.datetime | None
    read_at: datetime.datetime | None
    digest: int | None = None

    @property
    def channel_label(self) -> str:
        if self.digest is not None:
            return _("email (daily digest)")
        return ReminderDeliveryChannel(self.channel).label

    @property
    def status_label(self) -> str:
        return ReminderDeliveryStatus(self.status).label


def reminder_channels(reminder: Reminder) -> list[ReminderChannel]:
    """The channels of a reminder read through `reminder_log` (no query): each delivery, and
    after an escalation's in-app delivery the email that carried it, its recipient's digest."""
    channels = []
    for delivery in reminder.deliveries.all():
        channels.append(
            ReminderChannel(
                channel=delivery.channel,
                recipient=delivery.recipient,
                status=delivery.status,
                attempts=delivery.attempts,
                error=delivery.error,
                sent_at=delivery.sent_at,
                read_at=delivery.read_at,
            )
        )
        digest = delivery.digest
        if digest is not None:
            channels.append(
                ReminderChannel(
                    channel=ReminderDeliveryChannel.EMAIL,
                    recipient=delivery.recipient,
                    status=digest.status,
                    attempts=digest.attempts,
                    error=digest.error,
                    sent_at=digest.sent_at,
                    read_at=None,
                    digest=digest.pk,
                )
            )
    return channels
