"""Writes of notices: creating them once per event and recipient, and their read state."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from notifications.models import EmailStatus, Notification
from notifications.signals import notifications_created


@transaction.atomic
def notifications_create(
    *,
    recipients: Iterable,
    kind: str,
    event: str,
    subject: str,
    text: str,
    url: str = "",
    email: bool = True,
) -> list[int]:
    """Tell each active recipient of one event, once (docs/rules.md#notifications): a second
    call for the same event, from this process or another at the same moment, adds nothing
    (the unique (user, event) constraint decides). An email is queued for those with an
    address when `email` is true. Returns the ids of the notices this call created."""
    user_ids = {getattr(user, "pk", user) for user in recipients if user is not None}
    if not user_ids:
        return []
    users = list(
        get_user_model().objects.filter(pk__in=user_ids, is_active=True).only("pk", "email")
    )
    now = timezone.now()
    Notification.objects.bulk_create(
        [
            Notification(
                user=user,
                kind=kind,
                event=event,
                subject=subject[:200],
                text=text,
                url=url,
                created_at=now,
                email_status=EmailStatus.PENDING if email and user.email else EmailStatus.NONE,
            )
            for user in users
        ],
        ignore_conflicts=True,
    )
    # bulk_create with ignore_conflicts gives no ids back: the rows this call inserted are those
    # of this event stamped with this call's moment (a concurrent call's rows lose the insert).
    created = list(
        Notification.objects.filter(event=event, user__in=users, created_at=now).values_list(
            "pk", flat=True
        )
    )
    if created:
        transaction.on_commit(
            lambda: notifications_created.send(sender=Notification, ids=created), robust=True
        )
    return created


def notifications_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark the user's own notices read (all of them when no ids are given); another person's
    are never touched. Returns how many changed."""
    unread = Notification.objects.for_user(user).unread()
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())
