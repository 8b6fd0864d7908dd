"""Reads of deadlines: reporting rate and timeliness, the communes missing, each commune's open
deadlines, the reminder log and the notifications, computed in SQL.

DESIGN.md, Definitions: reporting rate = communes submitted / communes expected; timeliness = on
time / expected; on time when submitted_at ≤ 23:59:59 Asia/Ho_Chi_Minh on the due date; as of D,
a submission made after D counts as missing. Days are local days: `submitted_at` is cut to its
date in Asia/Ho_Chi_Minh by the database, never in UTC.
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils.translation import gettext as _

from bmp_comms.percent import percent
from communes.models import Commune
from reports.models import (
    Channel,
    Deadline,
    DeliveryStatus,
    Reminder,
    ReminderDelivery,
    Submission,
    local_date_of,
    when_text,
)

Coverage = Deadline.communes.through


def local_day(field_name: str) -> TruncDate:
    return TruncDate(field_name, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


def submissions_by(as_of: datetime.date) -> QuerySet[Submission]:
    """Submissions made on or before D (local day); a later one counts as missing as of D."""
    return Submission.objects.annotate(submitted_on=local_day("submitted_at")).filter(
        submitted_on__lte=as_of
    )


def _count(queryset: QuerySet, group_by: str) -> Coalesce:
    counted = queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


@dataclass(frozen=True)
class DeadlineFigures:
    expected: int
    submitted: int
    on_time: int

    @property
    def late(self) -> int:
        return self.submitted - self.on_time

    @property
    def missing(self) -> int:
        return self.expected - self.submitted

    @property
    def reporting_rate(self) -> Decimal | None:
        return percent(self.submitted, self.expected)

    @property
    def timeliness(self) -> Decimal | None:
        return percent(self.on_time, self.expected)


def _within(queryset: QuerySet, communes: QuerySet[Commune] | None) -> QuerySet:
    return queryset if communes is None else queryset.filter(commune_id__in=communes)


def deadline_figures(
    deadlines: QuerySet[Deadline],
    as_of: datetime.date,
    communes: QuerySet[Commune] | None = None,
) -> dict[int, DeadlineFigures]:
    """Per deadline, in one query: communes expected, submitted and on time as of D, counted over
    `communes` when given (a commune's users see their own commune's figures), else all covered."""
    rows = _with_counts(deadlines.order_by(), as_of, communes).values_list(
        "pk", "n_expected", "n_submitted", "n_on_time"
    )
    return {pk: DeadlineFigures(*figures) for pk, *figures in rows}


def _with_counts(
    deadlines: QuerySet[Deadline], as_of: datetime.date, communes: QuerySet[Commune] | None
) -> QuerySet[Deadline]:
    """`deadlines` annotated with n_expected, n_submitted and n_on_time as of D."""
    by_as_of = _within(submissions_by(as_of), communes).filter(deadline=OuterRef("pk"))
    covered = _within(Coverage.objects, communes).filter(deadline=OuterRef("pk"))
    return deadlines.annotate(
        n_expected=_count(covered, "deadline"),
        n_submitted=_count(by_as_of, "deadline"),
        n_on_time=_count(by_as_of.filter(submitted_on__lte=OuterRef("due_date")), "deadline"),
    )


def missing_communes(
    deadlines: QuerySet[Deadline],
    as_of: datetime.date,
    communes: QuerySet[Commune] | None = None,
) -> dict[int, list[Commune]]:
    """Per deadline, in one query, the covered communes (of `communes` when given) with no
    submission as of D, by name."""
    rows = (
        _within(Coverage.objects, communes)
        .filter(deadline__in=deadlines)
        .exclude(
            Exists(
                submissions_by(as_of).filter(
                    deadline_id=OuterRef("deadline_id"), commune_id=OuterRef("commune_id")
                )
            )
        )
        .select_related("commune")
        .order_by("commune__name")
    )
    missing: dict[int, list[Commune]] = {}
    for row in rows:
        missing.setdefault(row.deadline_id, []).append(row.commune)
    return missing


@dataclass(frozen=True)
class DeadlineSummary:
    deadline: Deadline
    figures: DeadlineFigures
    missing: list[Commune] = field(default_factory=list)


def deadline_summaries(
    deadlines: QuerySet[Deadline],
    as_of: datetime.date,
    communes: QuerySet[Commune] | None = None,
) -> list[DeadlineSummary]:
    """Each deadline with its figures and missing communes as of D, in three queries."""
    listed = list(deadlines)
    chosen = Deadline.objects.filter(pk__in=[deadline.pk for deadline in listed])
    figures = deadline_figures(chosen, as_of, communes)
    missing = missing_communes(chosen, as_of, communes)
    return [
        DeadlineSummary(
            deadline=deadline,
            figures=figures.get(deadline.pk, DeadlineFigures(0, 0, 0)),
            missing=missing.get(deadline.pk, []),
        )
        for deadline in listed
    ]


# A deadline stays on the dashboard this many days after its due date, so the district still
# sees who reported late or not at all once it has passed.
RECENT_DEADLINE_DAYS = 30


def recent_deadline_summaries(
    deadlines: QuerySet[Deadline],
    as_of: datetime.date,
    communes: QuerySet[Commune] | None = None,
) -> list[DeadlineSummary]:
    """The deadlines of `deadlines` open or recently due as of D: due on or after D minus
    RECENT_DEADLINE_DAYS (so every future one too), by due date, each with its figures and
    missing communes as of D (over `communes` when given). Two queries, whatever their number."""
    since = as_of - datetime.timedelta(days=RECENT_DEADLINE_DAYS)
    # A follow-up deadline does not exist before the inspection that set it.
    recent = (
        deadlines.filter(due_date__gte=since)
        .exclude(inspection__date__gt=as_of)
        .order_by("due_date", "pk")
    )
    listed = list(_with_counts(recent, as_of, communes))
    missing = missing_communes(recent, as_of, communes)
    return [
        DeadlineSummary(
            deadline=deadline,
            figures=DeadlineFigures(deadline.n_expected, deadline.n_submitted, deadline.n_on_time),
            missing=missing.get(deadline.pk, []),
        )
        for deadline in listed
    ]


ON_TIME, LATE, PENDING, OVERDUE = "on_time", "late", "pending", "overdue"


def deadline_status(*, submitted: bool, on_time: bool, days_left: int) -> str:
    """A commune's standing on one deadline as of D, from its facts as of D: `on_time`
    (submitted, by the end of the due date in Asia/Ho_Chi_Minh), `late` (submitted after it),
    `pending` (not submitted, due on D or later) or `overdue` (not submitted, due before D).
    `days_left` is the due date minus D. Pages and APIs only put a label or a colour on it."""
    if submitted:
        return ON_TIME if on_time else LATE
    return OVERDUE if days_left < 0 else PENDING


@dataclass(frozen=True)
class CommuneDeadlineStatus:
    """One open deadline of one commune as of D.

    status: "on_time" (submitted on or before D, and the deadline has not passed yet),
    "pending" (not submitted, due on or after D) or "overdue" (not submitted, due before D).
    days: days left for "pending" (0 on the due day), days overdue for "overdue", else 0.
    """

    deadline_id: int
    title: str
    directive: str
    due_date: datetime.date
    status: str
    submitted_at: datetime.datetime | None
    days: int

    @property
    def url(self) -> str:
        return reverse("deadline-detail", args=[self.deadline_id])

    @property
    def label(self) -> str:
        if self.status == ON_TIME:
            return _("submitted")
        return when_text(-self.days if self.status == OVERDUE else self.days)


def deadline_status_by_commune(
    communes: QuerySet[Commune] | list[int], as_of: datetime.date
) -> dict[int, list[CommuneDeadlineStatus]]:
    """The open deadline submission status of each commune as of D, in one query.

    `communes` is a queryset of communes (already scoped to the user) or a list of their ids.
    Returns {commune_id: [CommuneDeadlineStatus, ...]} ordered by due date, listing every
    deadline covering the commune that is still open for it as of D: due on or after D (whether
    or not it has submitted: "on_time" or "pending"), or due before D and not submitted as of D
    ("overdue"). A submission made after D counts as not submitted. A commune with no open
    deadline is absent: read it with `.get(commune.pk, [])`. Each status has `label` (a short
    translated text such as "3 days overdue") and `url` (the deadline's page).
    """
    first_submission = Submission.objects.filter(
        deadline_id=OuterRef("deadline_id"), commune_id=OuterRef("commune_id")
    )
    rows = (
        Coverage.objects.filter(commune_id__in=communes)
        .annotate(
            submitted_at=Subquery(first_submission.values("submitted_at")[:1]),
            submitted_by_as_of=Exists(
                submissions_by(as_of).filter(
                    deadline_id=OuterRef("deadline_id"), commune_id=OuterRef("commune_id")
                )
            ),
        )
        .filter(Q(deadline__due_date__gte=as_of) | Q(submitted_by_as_of=False))
        .exclude(deadline__inspection__date__gt=as_of)
        .order_by("commune_id", "deadline__due_date", "deadline_id")
        .values_list(
            "commune_id",
            "deadline_id",
            "deadline__title",
            "deadline__directive",
            "deadline__due_date",
            "submitted_at",
            "submitted_by_as_of",
        )
    )
    statuses: dict[int, list[CommuneDeadlineStatus]] = {}
    for commune_id, deadline_id, title, directive, due_date, submitted_at, submitted in rows:
        days_left = (due_date - as_of).days
        # An open deadline submitted by D is due on or after D, so it was submitted on time.
        status = deadline_status(
            submitted=submitted,
            on_time=submitted and local_date_of(submitted_at) <= due_date,
            days_left=days_left,
        )
        days = {OVERDUE: -days_left, PENDING: days_left}.get(status, 0)
        statuses.setdefault(commune_id, []).append(
            CommuneDeadlineStatus(
                deadline_id=deadline_id,
                title=title,
                directive=directive,
                due_date=due_date,
                status=status,
                submitted_at=submitted_at if submitted else None,
                days=days,
            )
        )
    return statuses


def submission_rows(
    deadline: Deadline, submissions: QuerySet[Submission], communes: QuerySet[Commune]
) -> list[tuple[Commune, Submission | None]]:
    """The covered communes of a deadline within the user's `communes`, each with its submission
    (from the user's scoped `submissions`) or None, in two queries."""
    visible = {
        submission.commune_id: submission
        for submission in submissions.filter(deadline=deadline).select_related(
            "deadline", "submitted_by"
        )
    }
    covered = deadline.communes.filter(pk__in=communes).order_by("name")
    return [(commune, visible.get(commune.pk)) for commune in covered]


def reminder_log(reminders: QuerySet[Reminder]) -> QuerySet[Reminder]:
    """The reminder log with its deliveries (and the digests that email escalations), for a
    page or the API: three queries per page. Read each reminder's channels with
    `reminder_channels`."""
    return reminders.select_related("deadline", "commune").prefetch_related(
        Prefetch(
            "deliveries",
            queryset=ReminderDelivery.objects.select_related("recipient", "digest").order_by(
                "channel", "recipient__username"
            ),
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
        return Channel(self.channel).label

    @property
    def status_label(self) -> str:
        return DeliveryStatus(self.status).label


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
                    channel=Channel.EMAIL,
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


def notifications_for(user) -> QuerySet[ReminderDelivery]:
    """The user's in-app reminders, newest first."""
    return (
        ReminderDelivery.objects.filter(recipient=user, channel=Channel.IN_APP)
        .select_related("reminder__deadline", "reminder__commune")
        .order_by("-created_at", "-pk")
    )


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return ReminderDelivery.objects.filter(
        recipient=user, channel=Channel.IN_APP, read_at__isnull=True
    ).count()
