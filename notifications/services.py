"""Writes of notices: creating them once per event and recipient, and their read state."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from notifications.messages import Words, notice_words
from notifications.models import EmailStatus, Notification
from notifications.signals import notifications_created, notifications_read


def _announce(created: list[int]) -> None:
    """Tell the floors above (and this app's email outbox, notifications.receivers) of the
    notices created, once the transaction that created them has committed."""
    if created:
        transaction.on_commit(
            lambda: notifications_created.send(sender=Notification, ids=created), robust=True
        )


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
    context: dict | None = None,
) -> list[int]:
    """Tell each active recipient of one event, once (docs/rules.md#notifications): a second
    call for the same event, from this process or another at the same moment, adds nothing
    (the unique (user, event) constraint decides). An email is queued for those with an
    address when `email` is true. Returns the ids of the notices this call created."""
    user_ids = {getattr(user, "pk", user) for user in recipients if user is not None}
    if not user_ids:
        return []
    # In one order for every caller: two processes raising the same event at once then wait on
    # each other's rows in the same order, and cannot deadlock on PostgreSQL.
    users = list(
        get_user_model()
        .objects.filter(pk__in=user_ids, is_active=True)
        .only("pk", "email")
        .order_by("pk")
    )
    now = timezone.now()
    batch = uuid.uuid4()
    Notification.objects.bulk_create(
        [
            Notification(
                user=user,
                kind=kind,
                event=event,
                subject=subject[:200],
                text=text,
                url=url,
                context=context or {},
                created_at=now,
                batch=batch,
                email_status=EmailStatus.PENDING if email and user.email else EmailStatus.NONE,
            )
            for user in users
        ],
        ignore_conflicts=True,
    )
    # bulk_create with ignore_conflicts gives no ids back: the rows this call inserted are those
    # of this event stamped with this call's batch (a concurrent call's rows lose the insert).
    created = list(
        Notification.objects.filter(event=event, user__in=users, batch=batch).values_list(
            "pk", flat=True
        )
    )
    _announce(created)
    return created


def notifications_tell(
    *,
    recipients: Iterable,
    kind: str,
    event: str,
    context: dict,
    url: str = "",
    email: bool = True,
) -> list[int]:
    """`notifications_create` with the kind's own words: its subject and short text rendered
    from `context` by templates/notifications/<kind>/, which the email is rendered from too."""
    words = notice_words(kind=kind, context=context)
    return notifications_create(
        recipients=recipients,
        kind=kind,
        event=event,
        subject=words.subject,
        text=words.text,
        url=url,
        email=email,
        context=context,
    )


@dataclass(frozen=True)
class Notice:
    """One notice of a batch (`notifications_create_many`): an event told to some users."""

    user_ids: tuple[int, ...]
    kind: str
    event: str
    context: dict = field(default_factory=dict)
    url: str = ""


@transaction.atomic
def notifications_create_many(
    *,
    notices: Iterable[Notice],
    email: bool = False,
    created_at: datetime.datetime | None = None,
) -> list[int]:
    """Many events at once (the reminder job's hundreds, the daily chase of waiting posts),
    each told once per active recipient as by `notifications_create`, in one insert, stamped
    `created_at` (now by default); an email is queued for those with an address when `email` is
    true. Returns the ids of the notices this call created."""
    notices = list(notices)
    user_ids = {user_id for notice in notices for user_id in notice.user_ids}
    if not user_ids:
        return []
    emails = dict(
        get_user_model().objects.filter(pk__in=user_ids, is_active=True).values_list("pk", "email")
    )
    now = created_at or timezone.now()
    batch = uuid.uuid4()
    rows = []
    events = set()
    # The same words for every recipient of an event, and often for several events.
    words: dict[tuple, Words] = {}
    for notice in notices:
        events.add(notice.event)
        key = (notice.kind, repr(sorted(notice.context.items())))
        if key not in words:
            words[key] = notice_words(kind=notice.kind, context=notice.context)
        said = words[key]
        rows += [
            Notification(
                user_id=user_id,
                kind=notice.kind,
                event=notice.event,
                subject=said.subject,
                text=said.text,
                url=notice.url,
                context=notice.context,
                created_at=now,
                batch=batch,
                email_status=(
                    EmailStatus.PENDING if email and emails[user_id] else EmailStatus.NONE
                ),
            )
            for user_id in sorted(set(notice.user_ids))
            if user_id in emails
        ]
    if not rows:
        return []
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    # As in notifications_create: this call's rows are those stamped with its batch.
    created = list(
        Notification.objects.filter(user__in=sorted(emails), event__in=sorted(events), batch=batch)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    _announce(created)
    return created


@transaction.atomic
def notifications_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark the user's own notices read (all of them when no ids are given); another person's
    are never touched. Returns how many changed."""
    unread = Notification.objects.for_user(user).unread()
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    now = timezone.now()
    changed = unread.update(read_at=now)
    if changed:
        notifications_read.send(sender=Notification, user=user, read_at=now)
    return changed
