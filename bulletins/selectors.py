"""Reads of bulletins: lists in a user's scope, and the posting cadence and proof of the
communes."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from bmp_comms.statements import compiled
from bulletins.models import (
    DUPLICATE_SOURCE_STATUSES,
    Bulletin,
    BulletinStatus,
    BulletinTransition,
    Delivery,
    DeliveryStatus,
)
from bulletins.similarity import repeated
from communes.models import Commune, FieldAssignment, Role


def _local_midnight(day: datetime.date) -> datetime.datetime:
    # Days are Asia/Ho_Chi_Minh days (docs/rules.md#local-day: "today" is the local day, not UTC's).
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# Per commune of {communes}, as of D (docs/rules.md#posting-cadence, #posting-proof): its
# bulletins published in the 30 days ending on D and those of the last 7; the deliveries of those
# bulletins and those of them that are proof by the end of D; its bulletins approved as urgent by
# their author in the 30 days. The deliveries are joined to the published bulletins only, hence
# the bulletins counted DISTINCT. Hand-written: at a province's hundred communes the ORM took
# longer to build the query than the database to run it.
POSTING_COUNTS_SQL = """
SELECT b.commune_id,
       COUNT(DISTINCT CASE WHEN {published} AND b.published_at >= %(start_7)s THEN b.id END),
       COUNT(DISTINCT CASE WHEN {published} THEN b.id END),
       COUNT(d.id),
       COUNT(CASE WHEN {done} THEN d.id END),
       COUNT(DISTINCT CASE WHEN {urgent} THEN b.id END)
FROM {bulletin} b
LEFT JOIN {delivery} d ON d.bulletin_id = b.id AND {published}
WHERE b.commune_id IN ({communes}) AND ({published} OR {urgent})
GROUP BY b.commune_id
"""
PUBLISHED_IN_WINDOW = (
    "(b.status = %(published)s AND b.published_at >= %(start_30)s AND b.published_at < %(end)s)"
)
URGENT_IN_WINDOW = "(b.urgent AND b.approved_at >= %(start_30)s AND b.approved_at < %(end)s)"
# Proof of a post by the end of D: sent by a channel, or confirmed by an officer with the post's
# link or a picture of it; `sent_at` is when either happened (a confirmation sets it too).
DONE_BY_END = (
    "((d.status = %(sent)s OR (d.status = %(confirmed)s AND "
    "(d.posted_url <> '' OR d.evidence <> ''))) AND d.sent_at < %(end)s)"
)


@dataclass(frozen=True)
class PostingCounts:
    """A commune's posting as of D: its cadence (docs/rules.md#posting-cadence) and its proof
    (docs/rules.md#posting-proof)."""

    bulletins_7d: int = 0
    bulletins_30d: int = 0
    deliveries_30d: int = 0
    deliveries_done_30d: int = 0
    urgent_30d: int = 0


NO_POSTING = PostingCounts()


def posting_counts(
    *, commune_ids: list[int], as_of: datetime.date, scope: QuerySet[Commune] | None = None
) -> dict[int, PostingCounts]:
    """Per commune, by local date: bulletins published in the 7 and in the 30 days ending on
    `as_of`; the deliveries of those published in the 30 days, and those of them sent by a
    channel or confirmed with a link or a picture by the end of `as_of`; bulletins approved as
    urgent by their author in the 30 days. Every commune asked for is present. One query.
    `scope`, the communes of `commune_ids` as a queryset, is read in the statement as a
    subquery instead of a list: a nation's ten thousand ids cost PostgreSQL more to plan than
    the counts cost to compute."""
    counts = dict.fromkeys(commune_ids, NO_POSTING)
    if not counts:
        return counts
    ops = connection.ops
    params = {
        "start_7": ops.adapt_datetimefield_value(_local_midnight(as_of - datetime.timedelta(6))),
        "start_30": ops.adapt_datetimefield_value(_local_midnight(as_of - datetime.timedelta(29))),
        "end": ops.adapt_datetimefield_value(_local_midnight(as_of + datetime.timedelta(1))),
        "published": BulletinStatus.PUBLISHED.value,
        "sent": DeliveryStatus.SENT.value,
        "confirmed": DeliveryStatus.CONFIRMED.value,
    }
    if scope is not None:
        subquery = compiled(scope.order_by().values("pk"), "scope_")
        communes = subquery.sql
        params.update(subquery.params)
    else:
        names = []
        for index, pk in enumerate(counts):
            names.append(f"%(c{index})s")
            params[f"c{index}"] = pk
        communes = ", ".join(names)
    sql = POSTING_COUNTS_SQL.format(
        bulletin=Bulletin._meta.db_table,
        delivery=Delivery._meta.db_table,
        communes=communes,
        published=PUBLISHED_IN_WINDOW,
        urgent=URGENT_IN_WINDOW,
        done=DONE_BY_END,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for commune_id, *figures in cursor.fetchall():
            counts[commune_id] = PostingCounts(*(int(value or 0) for value in figures))
    return counts


def published_counts(*, commune_ids: list[int], as_of: datetime.date) -> dict[int, tuple[int, int]]:
    """Bulletins published in the 7 and in the 30 days ending on `as_of`, by local date, per
    commune: {commune_id: (7 days, 30 days)}, every commune asked for present. One query."""
    return {
        pk: (counts.bulletins_7d, counts.bulletins_30d)
        for pk, counts in posting_counts(commune_ids=commune_ids, as_of=as_of).items()
    }


def last_published(*, commune: Commune, limit: int = 5) -> list[Bulletin]:
    """The commune's latest published bulletins, newest first."""
    return list(
        commune.bulletins.filter(status=BulletinStatus.PUBLISHED)
        .select_related("field")
        .order_by("-published_at", "-pk")[:limit]
    )


def bulletins_for(user, *, status: str | None = None) -> QuerySet[Bulletin]:
    """The bulletins a user may see (commune users: their commune; district users: their
    district), newest first, with what a list shows: commune, field, author, villages and the
    count of deliveries still waiting for an officer."""
    bulletins = (
        Bulletin.objects.for_user(user)
        .select_related("commune", "field", "author")
        .prefetch_related("villages")
        .annotate(
            awaiting=Count(
                "deliveries",
                filter=Q(deliveries__status=DeliveryStatus.AWAITING_CONFIRMATION),
            )
        )
        .order_by("-updated_at", "-pk")
    )
    if status:
        bulletins = bulletins.filter(status=status)
    return bulletins


def bulletin_detail(user, pk: int) -> Bulletin:
    """One bulletin in scope with its audit and deliveries (Http404 outside the scope)."""
    return get_object_or_404(
        Bulletin.objects.for_user(user)
        .select_related("commune", "field", "author")
        .prefetch_related(
            "villages",
            # Unscoped: only the rows of the bulletin in scope they are prefetched into.
            Prefetch(
                "transitions",
                queryset=BulletinTransition.objects.unscoped()
                .select_related("actor")
                .order_by("at", "pk"),
            ),
            Prefetch(
                "deliveries",
                queryset=Delivery.objects.unscoped().select_related(
                    "group__village", "confirmed_by"
                ),
            ),
        ),
        pk=pk,
    )


def review_queue(user) -> QuerySet[Bulletin]:
    """What waits for a leader: submitted bulletins, then approved ones not yet published."""
    return (
        bulletins_for(user)
        .filter(status__in=[BulletinStatus.SUBMITTED, BulletinStatus.APPROVED])
        .order_by("status", "submitted_at", "pk")
    )


# The window of docs/rules.md#duplicates: what a bulletin may repeat.
DUPLICATE_WINDOW = datetime.timedelta(days=14)


def responsible_officer(bulletin: Bulletin):
    """The officer assigned to the bulletin's field in its commune, or None."""
    # Unscoped: the bulletin's own commune, whoever asks (the reviewer, a job).
    assignment = (
        FieldAssignment.objects.unscoped()
        .filter(commune_id=bulletin.commune_id, field_id=bulletin.field_id)
        .select_related("officer")
        .first()
    )
    return assignment.officer if assignment else None


def other_leaders(bulletin: Bulletin) -> QuerySet:
    """The commune's active leaders other than the bulletin's author: who may approve it
    (docs/rules.md#approval: two people per bulletin)."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            profile__role=Role.COMMUNE_LEADER,
            profile__commune_id=bulletin.commune_id,
        )
        .exclude(pk=bulletin.author_id)
        .order_by("first_name", "last_name", "username")
    )


def duplicates_of(bulletin: Bulletin, *, now: datetime.datetime | None = None) -> list[int]:
    """The commune's bulletins of the 14 days before that this one repeats (≥ 0.6 similarity
    over title and body): submitted, approved, scheduled or published, by another author
    (docs/rules.md#duplicates). Drafts and rejected ones do not count."""
    since = (now or timezone.now()) - DUPLICATE_WINDOW
    # Unscoped: the bulletin's own commune, whoever submits it.
    candidates = (
        Bulletin.objects.unscoped()
        .filter(commune_id=bulletin.commune_id, status__in=DUPLICATE_SOURCE_STATUSES)
        .filter(Q(submitted_at__gte=since) | Q(approved_at__gte=since) | Q(published_at__gte=since))
        .exclude(pk=bulletin.pk)
        .exclude(author_id=bulletin.author_id)
        .values_list("pk", "title", "body")
    )
    return repeated((bulletin.title, bulletin.body), list(candidates))
