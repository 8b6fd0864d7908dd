"""Who is told of what in a bulletin's life (docs/rules.md#notifications): each event becomes
notices through notifications.services, once per event and recipient, in the transaction that
made the event happen (a rolled-back approval tells nobody).

- `bulletin_submitted` → the commune's active leaders, but not the one who submitted it;
- `bulletin_approved`, `bulletin_rejected` (with the reason), `bulletin_published` → the author
  and the officer responsible for the bulletin's field in its commune;
- `delivery_failed` → the author and the commune's leaders, once per delivery;
- `posts_waiting` → the author, once a (local) day while a delivery of theirs has awaited
  confirmation for more than 24 hours.

An event's key names its round: a bulletin rejected and submitted again is a new round, told
again (`bulletin:<id>:submitted:<round>`, the round being how many times it has been
submitted), while the same step raised twice in one round tells nobody twice.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db.models import F
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from bulletins import selectors
from bulletins.models import Bulletin, BulletinStatus, Delivery, DeliveryStatus
from communes.models import Role
from notifications.models import NotificationKind
from notifications.services import Notice, notifications_create_many, notifications_tell

# docs/rules.md#notifications: a post awaiting confirmation this long is chased, once a day.
POSTS_WAITING_AFTER = datetime.timedelta(hours=24)
# The titles a posts_waiting email lists; the count covers them all.
POSTS_WAITING_TITLES = 10


def _moment(at: datetime.datetime | None) -> str:
    return timezone.localtime(at or timezone.now()).strftime("%H:%M %d/%m/%Y")


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def commune_leaders(commune_id: int) -> list[int]:
    """The ids of the commune's active leaders."""
    return list(
        get_user_model()
        .objects.filter(
            is_active=True, profile__role=Role.COMMUNE_LEADER, profile__commune_id=commune_id
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _author_and_officer(bulletin: Bulletin) -> list[int]:
    officer = selectors.responsible_officer(bulletin)
    officer_user = officer.user_id if officer is not None else None
    return [user_id for user_id in (bulletin.author_id, officer_user) if user_id is not None]


def _round(bulletin: Bulletin) -> int:
    """How many times the bulletin has been submitted: its rounds of review."""
    return bulletin.transitions.filter(to_status=BulletinStatus.SUBMITTED).count()


def _context(bulletin: Bulletin) -> dict:
    return {
        "bulletin": bulletin.pk,
        "title": bulletin.title,
        "field": bulletin.field.name,
        "commune": bulletin.commune.name,
    }


def _page(bulletin_id: int) -> str:
    return reverse("bulletin-detail", args=[bulletin_id])


def bulletin_submitted_notify(*, bulletin: Bulletin, actor) -> list[int]:
    """Tell the commune's leaders, but not the one who submitted it, that it awaits approval."""
    leaders = [pk for pk in commune_leaders(bulletin.commune_id) if pk != actor.pk]
    return notifications_tell(
        recipients=leaders,
        kind=NotificationKind.BULLETIN_SUBMITTED,
        event=f"bulletin:{bulletin.pk}:submitted:{_round(bulletin)}",
        context={
            **_context(bulletin),
            "submitter": _name(actor),
            "submitted": _moment(bulletin.submitted_at),
            "repeats": bool(bulletin.duplicate_of),
        },
        url=_page(bulletin.pk),
    )


def bulletin_approved_notify(*, bulletin: Bulletin, actor) -> list[int]:
    """Tell the author and the field's responsible officer that it was approved."""
    return notifications_tell(
        recipients=_author_and_officer(bulletin),
        kind=NotificationKind.BULLETIN_APPROVED,
        event=f"bulletin:{bulletin.pk}:approved:{_round(bulletin)}",
        context={
            **_context(bulletin),
            "approver": _name(actor),
            "approved": _moment(bulletin.approved_at),
        },
        url=_page(bulletin.pk),
    )


def bulletin_rejected_notify(*, bulletin: Bulletin, actor, reason: str) -> list[int]:
    """Tell the author and the field's responsible officer that it was sent back, and why."""
    return notifications_tell(
        recipients=_author_and_officer(bulletin),
        kind=NotificationKind.BULLETIN_REJECTED,
        event=f"bulletin:{bulletin.pk}:rejected:{_round(bulletin)}",
        context={
            **_context(bulletin),
            "rejecter": _name(actor),
            "rejected": _moment(bulletin.updated_at),
            "reason": reason,
        },
        url=_page(bulletin.pk),
    )


def bulletin_published_notify(*, bulletin: Bulletin) -> list[int]:
    """Tell the author and the field's responsible officer that it went out, to how many
    groups, and how many posts are theirs to make by hand."""
    statuses = list(bulletin.deliveries.values_list("status", flat=True))
    return notifications_tell(
        recipients=_author_and_officer(bulletin),
        kind=NotificationKind.BULLETIN_PUBLISHED,
        event=f"bulletin:{bulletin.pk}:published",
        context={
            **_context(bulletin),
            "published": _moment(bulletin.published_at),
            "groups": len(statuses),
            "by_hand": statuses.count(DeliveryStatus.AWAITING_CONFIRMATION),
        },
        url=_page(bulletin.pk),
    )


def delivery_failed_notify(*, delivery_id: int) -> list[int]:
    """Tell the author and the commune's leaders that a delivery failed: once per delivery,
    however often its failure is recorded (the event is the delivery's)."""
    delivery = (
        Delivery.objects.unscoped()
        .select_related("bulletin__commune", "bulletin__field", "group__village")
        .get(pk=delivery_id)
    )
    bulletin = delivery.bulletin
    return notifications_tell(
        recipients=[bulletin.author_id, *commune_leaders(bulletin.commune_id)],
        kind=NotificationKind.DELIVERY_FAILED,
        event=f"delivery:{delivery.pk}:failed",
        context={
            **_context(bulletin),
            "delivery": delivery.pk,
            "group": delivery.group.name,
            "village": delivery.group.village.name,
        },
        url=_page(bulletin.pk),
    )


def posts_waiting_notify(*, now: datetime.datetime | None = None) -> list[int]:
    """The daily chase: each author with a delivery awaiting confirmation for more than 24 hours
    (since it was published, or since its channel handed it over to be posted by hand) is told
    how many, once that local day (`posts_waiting:<date>`), however often the job runs."""
    now = now or timezone.now()
    day = timezone.localtime(now).date()
    waiting = (
        Delivery.objects.unscoped()
        .filter(
            status=DeliveryStatus.AWAITING_CONFIRMATION,
            bulletin__status=BulletinStatus.PUBLISHED,
        )
        .annotate(since=Coalesce(F("last_attempt_at"), F("created_at")))
        .filter(since__lte=now - POSTS_WAITING_AFTER)
        .order_by("bulletin__author_id", "bulletin__published_at", "bulletin_id")
        .values_list("bulletin__author_id", "bulletin_id", "bulletin__title")
    )
    by_author: dict[int, dict[int, str]] = {}
    counts: dict[int, int] = {}
    for author_id, bulletin_id, title in waiting:
        by_author.setdefault(author_id, {})[bulletin_id] = title
        counts[author_id] = counts.get(author_id, 0) + 1
    notices = []
    for author_id, bulletins in by_author.items():
        ids = list(bulletins)
        notices.append(
            Notice(
                user_ids=(author_id,),
                kind=NotificationKind.POSTS_WAITING,
                event=f"posts_waiting:{day.isoformat()}",
                context={
                    "count": counts[author_id],
                    "day": day.strftime("%d/%m/%Y"),
                    "titles": list(bulletins.values())[:POSTS_WAITING_TITLES],
                },
                url=_page(ids[0]) if len(ids) == 1 else reverse("bulletin-list"),
            )
        )
    return notifications_create_many(notices=notices, email=True)
