"""The reminder log follows its notices: an in-app reminder delivery is marked read when its
recipient marks the reminder's notice read (the notices' read state is the notifications app's;
the log's `read_at` in reminders/ keeps telling the same)."""

from __future__ import annotations

from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.dispatch import receiver

from deadlines.models import ReminderDelivery, ReminderDeliveryChannel
from notifications.models import Notification
from notifications.signals import notifications_read


@receiver(notifications_read, dispatch_uid="deadlines.mirror_read_reminders")
def mirror_read_reminders(sender, user, read_at, **kwargs) -> int:
    """One UPDATE: the user's unread in-app deliveries whose notice (`reminder:<id>`) was
    stamped read at this very moment."""
    read_now = Notification.objects.filter(
        user=user,
        read_at=read_at,
        event=Concat(Value("reminder:"), Cast(OuterRef("reminder_id"), CharField())),
    )
    # Unscoped: the reader's own deliveries, reached through them.
    return (
        ReminderDelivery.objects.unscoped()
        .filter(recipient=user, channel=ReminderDeliveryChannel.IN_APP, read_at__isnull=True)
        .filter(Exists(read_now))
        .update(read_at=read_at)
    )
