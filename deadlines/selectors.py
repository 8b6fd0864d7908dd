"""Reads of deadlines: reporting rate and timeliness, the communes missing, each commune's open
deadlines, the reminder log and the notifications, computed in SQL.

DESIGN.md, Definitions: reporting rate = communes submitted / communes expected; timeliness = on
time / expected; on time when submitted_at ≤ 23:59:59 Asia/Ho_Chi_Minh on the due date; as of D,
a submission made after D counts as missing. Days are local days: `submitted_at` is cut to its
date in Asia/Ho_Chi_Minh by the database, never in UTC.

The figures, the missing communes and the open deadlines are hand-written statements (below):
composed from ORM subqueries, the dashboard's three took several times longer to build and
compile than to run at a province's scale, and read a model instance per missing commune. The
scopes (the user's communes and deadlines) are still written by the ORM and inlined.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Case, OuterRef, Prefetch, QuerySet, Subquery, Value, When
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bmp_comms.percent import percent
from bmp_comms.statements import compiled, named
from communes.models import Commune
from communes.names import name_key, search_communes
from deadlines.models import (
    Channel,
    Deadline,
    DeliveryStatus,
    Inspection,
    Reminder,
    ReminderDelivery,
    Submission,
    when_text,
)

Coverage = Deadline.communes.through

TABLES = {
    "coverage": Coverage._meta.db_table,
    "deadline": Deadline._meta.db_table,
    "inspection": Inspection._meta.db_table,
    "submission": Submission._meta.db_table,
    "commune": Commune._meta.db_table,
}


def local_day(field_name: str) -> TruncDate:
    return TruncDate(field_name, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


def local_day_end(day: datetime.date) -> datetime.datetime:
    """The instant local day D ends: D + 1 at 00:00 in Asia/Ho_Chi_Minh. A submission made
    before it was made on or before D, by local day."""
    return datetime.datetime.combine(
        day + datetime.timedelta(days=1),
        datetime.time.min,
        tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE),
    )


def submissions_by(as_of: datetime.date) -> QuerySet[Submission]:
    """Submissions made on or before D (local day), with that day as `submitted_on`; a later one
    counts as missing as of D (the rule SUBMITTED_BY applies in the statements below)."""
    # Unscoped: the statements that read it keep only the submissions of the communes given.
    return (
        Submission.objects.unscoped()
        .filter(submitted_at__lt=local_day_end(as_of))
        .annotate(submitted_on=local_day("submitted_at"))
    )


# The coverage rows `dc` joined to their submission `s` made by D (see `local_day_end`), if
# any: `s.submitted_at IS NULL` when the commune has not submitted as of D.
SUBMITTED_BY = """LEFT JOIN {submission} s ON s.deadline_id = dc.deadline_id
          AND s.commune_id = dc.commune_id AND s.submitted_at < %(day_end)s"""
# A follow-up deadline `d` does not exist before the date of the inspection that set it.
IN_FORCE_JOIN = "LEFT JOIN {inspection} i ON i.id = d.inspection_id"
IN_FORCE = "(i.date IS NULL OR i.date <= %(as_of)s)"


class _Ids(NamedTuple):
    """What goes inside `IN (…)`: a compiled subquery or a list of ids, with named parameters."""

    sql: str
    params: dict
    using: str | None


def _ids(ids: QuerySet | Iterable[int], prefix: str) -> _Ids:
    """`ids` (a queryset, compiled by the ORM as a subquery of its primary keys, or ids) as the
    inside of an `IN (…)`; `NULL`, which matches nothing, when there are none."""
    if isinstance(ids, QuerySet):
        try:
            statement = compiled(ids.order_by().values("pk"), prefix)
        except EmptyResultSet:
            return _Ids("NULL", {}, ids.db)
        return _Ids(statement.sql, statement.params, ids.db)
    params = {f"{prefix}{index}": pk for index, pk in enumerate(ids)}
    if not params:
        return _Ids("NULL", {}, None)
    return _Ids(", ".join(f"%({name})s" for name in params), params, None)


def _using(scopes: Iterable[_Ids]) -> str:
    """The database of the scopes' querysets, the default one for lists of ids."""
    return next((scope.using for scope in scopes if scope.using), DEFAULT_DB_ALIAS)


def _rows(sql: str, params: dict, using: str, scopes: Iterable[_Ids]) -> list[tuple]:
    """Run `sql` (formatted with TABLES) with `params` and the scopes' parameters."""
    for scope in scopes:
        params.update(scope.params)
    with connections[using].cursor() as cursor:
        cursor.execute(sql.format(**TABLES), params)
        return cursor.fetchall()


def _dates(as_of: datetime.date, using: str) -> dict:
    ops = connections[using].ops
    return {
        "as_of": ops.adapt_datefield_value(as_of),
        "day_end": ops.adapt_datetimefield_value(local_day_end(as_of)),
    }


def _aware(moment: datetime.datetime) -> datetime.datetime:
    # A backend that stores UTC without its offset (SQLite) reads back a naive datetime.
    return timezone.make_aware(moment, datetime.UTC) if timezone.is_naive(moment) else moment


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


class CommuneIdentity(NamedTuple):
    """A commune as a list of names shows it: what the pages link to and print."""

    id: int
    code: str
    name: str


# Per deadline `d` chosen by {deadlines}: the communes covered (of {communes} when given),
# those that submitted by D, and those whose submission's local day is on or before the due
# date (on time).
FIGURES_SQL = """
SELECT d.id, d.title, d.directive, d.due_date,
       COUNT(dc.commune_id), COUNT(s.submitted_at),
       COUNT(CASE WHEN {submitted_on} <= d.due_date THEN 1 END)
FROM {{deadline}} d
{in_force_join}
LEFT JOIN {{coverage}} dc ON dc.deadline_id = d.id{communes}
{submitted_by}
WHERE {deadlines}
GROUP BY d.id, d.title, d.directive, d.due_date
ORDER BY d.due_date, d.id
"""

# The covered communes (of {communes} when given) of each deadline of {deadlines} that have
# not submitted by D, by name.
MISSING_SQL = """
SELECT dc.deadline_id, c.id, c.code, c.name
FROM {{coverage}} dc
JOIN {{commune}} c ON c.id = dc.commune_id
{submitted_by}
WHERE dc.deadline_id IN ({deadlines}){communes} AND s.submitted_at IS NULL
ORDER BY c.name, c.id
"""


class _Chosen(NamedTuple):
    """Which deadlines `d` a statement reads: a condition on `d` (and `i`, when it joins the
    inspection), the join it needs, its parameters and its scopes."""

    where: str
    join: str
    params: dict
    scopes: tuple[_Ids, ...]


def _chosen(deadlines: QuerySet[Deadline] | Iterable[int]) -> _Chosen:
    ids = _ids(deadlines, "deadline_")
    return _Chosen(f"d.id IN ({ids.sql})", "", {}, (ids,))


def _recent(deadlines: QuerySet[Deadline], as_of: datetime.date) -> _Chosen:
    """The deadlines of `deadlines` in force as of D and due on or after D minus
    RECENT_DEADLINE_DAYS."""
    ids = _ids(deadlines, "deadline_")
    since = as_of - datetime.timedelta(days=RECENT_DEADLINE_DAYS)
    return _Chosen(
        f"d.id IN ({ids.sql}) AND d.due_date >= %(since)s AND {IN_FORCE}",
        IN_FORCE_JOIN,
        {"since": connections[ids.using or DEFAULT_DB_ALIAS].ops.adapt_datefield_value(since)},
        (ids,),
    )


class _Within(NamedTuple):
    """The condition that keeps the coverage rows `dc` of the communes counted, and its scope."""

    sql: str
    scopes: tuple[_Ids, ...]


def _within(communes: QuerySet[Commune] | Iterable[int] | None) -> _Within:
    """Every covered commune when `communes` is None, else those of `communes`."""
    if communes is None:
        return _Within("", ())
    ids = _ids(communes, "commune_")
    return _Within(f" AND dc.commune_id IN ({ids.sql})", (ids,))


def _figure_rows(chosen: _Chosen, as_of: datetime.date, within: _Within) -> list[tuple]:
    """(id, title, directive, due date, expected, submitted, on time) of each chosen deadline
    as of D, by due date: one statement."""
    scopes = (*chosen.scopes, *within.scopes)
    using = _using(scopes)
    # The local day of a submission, as TruncDate (`local_day`) writes it.
    submitted_on = named(
        *connections[using].ops.datetime_cast_date_sql("s.submitted_at", (), settings.TIME_ZONE),
        "tz_",
    )
    sql = FIGURES_SQL.format(
        submitted_on=submitted_on.sql,
        in_force_join=chosen.join,
        communes=within.sql,
        submitted_by=SUBMITTED_BY,
        deadlines=chosen.where,
    )
    params = {
        **_dates(as_of, using),
        **chosen.params,
        **submitted_on.params,
    }
    return _rows(sql, params, using, scopes)


def _missing(
    deadlines: QuerySet[Deadline] | Iterable[int], as_of: datetime.date, within: _Within
) -> dict[int, list[CommuneIdentity]]:
    """The missing communes of each deadline as of D: one statement."""
    chosen = _ids(deadlines, "deadline_")
    scopes = (chosen, *within.scopes)
    using = _using(scopes)
    sql = MISSING_SQL.format(submitted_by=SUBMITTED_BY, deadlines=chosen.sql, communes=within.sql)
    missing: dict[int, list[CommuneIdentity]] = {}
    for deadline_id, *commune in _rows(sql, _dates(as_of, using), using, scopes):
        missing.setdefault(deadline_id, []).append(CommuneIdentity(*commune))
    return missing


def deadline_figures(
    deadlines: QuerySet[Deadline] | Iterable[int],
    as_of: datetime.date,
    communes: QuerySet[Commune] | Iterable[int] | None = None,
) -> dict[int, DeadlineFigures]:
    """Per deadline (a queryset or ids), in one query: communes expected, submitted and on time
    as of D, counted over `communes` when given (a commune's users see their own commune's
    figures), else all covered."""
    return {
        pk: DeadlineFigures(*figures)
        for pk, _title, _directive, _due, *figures in _figure_rows(
            _chosen(deadlines), as_of, _within(communes)
        )
    }


def missing_communes(
    deadlines: QuerySet[Deadline] | Iterable[int],
    as_of: datetime.date,
    communes: QuerySet[Commune] | Iterable[int] | None = None,
) -> dict[int, list[CommuneIdentity]]:
    """Per deadline (a queryset or ids), in one query, the covered communes (of `communes` when
    given) with no submission as of D, by name."""
    return _missing(deadlines, as_of, _within(communes))


# A list of deadlines (the dashboard's panel, the deadlines page) names this many missing
# communes per deadline and counts the others; the deadline's own page lists them all, a page
# at a time (the lists link to it asking for the missing).
MISSING_SHOWN = 20


@dataclass(frozen=True)
class DeadlineSummary:
    deadline: Deadline
    figures: DeadlineFigures
    missing: list[CommuneIdentity] = field(default_factory=list)

    @property
    def missing_shown(self) -> list[CommuneIdentity]:
        return self.missing[:MISSING_SHOWN]

    @property
    def missing_more(self) -> int:
        return max(len(self.missing) - MISSING_SHOWN, 0)


def deadline_summaries(
    deadlines: QuerySet[Deadline],
    as_of: datetime.date,
    communes: QuerySet[Commune] | None = None,
) -> list[DeadlineSummary]:
    """Each deadline with its figures and missing communes as of D, in three queries."""
    listed = list(deadlines)
    chosen = [deadline.pk for deadline in listed]
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


@dataclass(frozen=True, kw_only=True)
class RecentDeadline:
    """A deadline open or recently due, with its figures and missing communes as of D: a card
    of the dashboard's deadline panel, a line of the compliance report."""

    id: int
    title: str
    directive: str
    due_date: datetime.date
    figures: DeadlineFigures
    missing_communes: list[CommuneIdentity]

    @property
    def expected(self) -> int:
        return self.figures.expected

    @property
    def submitted(self) -> int:
        return self.figures.submitted

    @property
    def on_time(self) -> int:
        return self.figures.on_time

    @property
    def reporting_rate(self) -> Decimal | None:
        return self.figures.reporting_rate

    @property
    def timeliness(self) -> Decimal | None:
        return self.figures.timeliness


def recent_deadline_summaries(
    deadlines: QuerySet[Deadline],
    as_of: datetime.date,
    communes: QuerySet[Commune] | None = None,
) -> list[RecentDeadline]:
    """The deadlines of `deadlines` open or recently due as of D: due on or after D minus
    RECENT_DEADLINE_DAYS (so every future one too), and in force as of D (a follow-up deadline
    does not exist before the inspection that set it), by due date, each with its figures and
    missing communes as of D (over `communes` when given). Two queries, whatever their
    number."""
    within = _within(communes)
    rows = _figure_rows(_recent(deadlines, as_of), as_of, within)
    # The deadlines are known by now: their ids spare the statement their conditions.
    missing = _missing([row[0] for row in rows], as_of, within)
    return [
        RecentDeadline(
            id=pk,
            title=title,
            directive=directive,
            due_date=due_date,
            figures=DeadlineFigures(*figures),
            missing_communes=missing.get(pk, []),
        )
        for pk, title, directive, due_date, *figures in rows
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


def status_label(status: str, days: int) -> str:
    """The short text of an open deadline's status: "submitted", "3 days left", "due today"
    or "4 days overdue"."""
    if status == ON_TIME:
        return _("submitted")
    return when_text(-days if status == OVERDUE else days)


@dataclass(frozen=True)
class CommuneDeadlineStatus:
    """One open deadline of one commune as of D.

    status: "on_time" (submitted on or before D, and the deadline has not passed yet),
    "pending" (not submitted, due on or after D) or "overdue" (not submitted, due before D).
    days: days left for "pending" (0 on the due day), days overdue for "overdue", else 0.
    label: `status_label`; url: the deadline's page.
    """

    deadline_id: int
    title: str
    directive: str
    due_date: datetime.date
    status: str
    submitted_at: datetime.datetime | None
    days: int
    label: str
    url: str


# Every deadline `d` covering a commune of {communes} that is open for it as of D: in force,
# and due on or after D, or not submitted by D.
OPEN_DEADLINES_SQL = """
SELECT dc.commune_id, d.id, d.title, d.directive, d.due_date, s.submitted_at
FROM {{coverage}} dc
JOIN {{deadline}} d ON d.id = dc.deadline_id
{in_force_join}
{submitted_by}
WHERE dc.commune_id IN ({communes}) AND {in_force}
  AND (d.closed_on IS NULL OR d.closed_on > %(as_of)s)
  AND (d.due_date >= %(as_of)s OR s.submitted_at IS NULL)
ORDER BY dc.commune_id, d.due_date, d.id
"""


def _standing(
    deadline_id: int, due_date: datetime.date, submitted: bool, as_of: datetime.date
) -> tuple[str, int, str, str]:
    """The status, days, label and url of an open deadline for a commune as of D."""
    days_left = (due_date - as_of).days
    # An open deadline submitted by D is due on or after D, so it was submitted on time:
    # on or before D, hence on or before its due date.
    status = deadline_status(submitted=submitted, on_time=submitted, days_left=days_left)
    days = {OVERDUE: -days_left, PENDING: days_left}.get(status, 0)
    return status, days, status_label(status, days), reverse("deadline-detail", args=[deadline_id])


def deadline_status_by_commune(
    communes: QuerySet[Commune] | list[int], as_of: datetime.date
) -> dict[int, list[CommuneDeadlineStatus]]:
    """The open deadline submission status of each commune as of D, in one query.

    `communes` is a queryset of communes (already scoped to the user) or a list of their ids.
    Returns {commune_id: [CommuneDeadlineStatus, ...]} ordered by due date, listing every
    deadline covering the commune that is still open for it as of D: due on or after D (whether
    or not it has submitted: "on_time" or "pending"), or due before D and not submitted as of D
    ("overdue"). A submission made after D counts as not submitted. A follow-up deadline does
    not exist before the inspection that set it. A deadline closed on or before D (`closed_on`,
    the day its reminders stop) is open for nobody. A commune with no open deadline is absent:
    read it with `.get(commune.pk, [])`. Each status has `label` (a short translated text such
    as "3 days overdue") and `url` (the deadline's page).
    """
    scope = _ids(communes, "commune_")
    using = _using([scope])
    sql = OPEN_DEADLINES_SQL.format(
        in_force_join=IN_FORCE_JOIN,
        submitted_by=SUBMITTED_BY,
        communes=scope.sql,
        in_force=IN_FORCE,
    )
    # Every commune open on a deadline stands on it in one of two ways, submitted or not: each
    # way's status, days, label and url are worked out once, not once per commune. Those that
    # have not submitted share one (frozen) status: nothing in it is the commune's own.
    standings: dict[tuple[int, bool], tuple[str, int, str, str]] = {}
    not_submitted: dict[int, CommuneDeadlineStatus] = {}
    statuses: dict[int, list[CommuneDeadlineStatus]] = {}
    for commune_id, deadline_id, title, directive, due_date, submitted_at in _rows(
        sql, _dates(as_of, using), using, [scope]
    ):
        submitted = submitted_at is not None
        line = None if submitted else not_submitted.get(deadline_id)
        if line is None:
            standing = standings.get((deadline_id, submitted))
            if standing is None:
                standing = standings[deadline_id, submitted] = _standing(
                    deadline_id, due_date, submitted, as_of
                )
            status, days, label, url = standing
            line = CommuneDeadlineStatus(
                deadline_id=deadline_id,
                title=title,
                directive=directive,
                due_date=due_date,
                status=status,
                submitted_at=_aware(submitted_at) if submitted else None,
                days=days,
                label=label,
                url=url,
            )
            if not submitted:
                not_submitted[deadline_id] = line
        statuses.setdefault(commune_id, []).append(line)
    return statuses


# What a deadline's page filters its communes by: not submitted, submitted after the due date,
# submitted by it.
SUBMISSION_STATES = ("missing", "late", "on_time")
# A deadline's page lists this many communes a page: a district's fit on one, a nation's do not.
SUBMISSIONS_PAGE_SIZE = 100


@dataclass(frozen=True, kw_only=True)
class SubmissionTable:
    """One page of a deadline's communes as of D, each as (CommuneIdentity, Submission | None):
    None for a commune that had not submitted by D."""

    page: Page
    query: str
    state: str
    # The communes the deadline covers within the user's scope, before the search and filter.
    covered: int

    @property
    def rows(self) -> list[tuple[CommuneIdentity, Submission | None]]:
        return list(self.page.object_list)

    @property
    def matching(self) -> int:
        return self.page.paginator.count


def submission_table(
    deadline: Deadline,
    submissions: QuerySet[Submission],
    communes: QuerySet[Commune],
    as_of: datetime.date,
    *,
    query: str = "",
    state: str = "",
    page: str | int | None = None,
) -> SubmissionTable:
    """The communes a deadline covers within the user's `communes`, in alphabetical order
    (`communes.names.name_key`), each with its submission made by D (from the user's scoped
    `submissions`) or None, as the deadline's figures as of D count them: a submission made
    after D is missing. Those whose name or code holds `query` (as the dashboard's search
    finds them) and, for a `state` of SUBMISSION_STATES, that stood so as of D; page `page` of
    SUBMISSIONS_PAGE_SIZE (Paginator.get_page). Two queries whatever the number of communes
    (one when none is listed): the covered communes with their standing as of D, the page's
    submissions made by D."""
    by_d = submissions.filter(deadline=deadline, submitted_at__lt=local_day_end(as_of))
    covered = deadline.communes.filter(pk__in=communes).annotate(
        submitted_at=Subquery(by_d.filter(commune=OuterRef("pk")).values("submitted_at")[:1]),
        # DESIGN.md: on time when submitted by 23:59:59 local on the due date.
        standing=Case(
            When(submitted_at__isnull=True, then=Value("missing")),
            When(submitted_at__lt=local_day_end(deadline.due_date), then=Value("on_time")),
            default=Value("late"),
        ),
    )
    standings = {
        CommuneIdentity(pk, code, name): standing
        for pk, code, name, standing in covered.values_list("id", "code", "name", "standing")
    }
    if state not in SUBMISSION_STATES:
        state = ""
    listed = sorted(
        (commune for commune, standing in standings.items() if state in ("", standing)),
        key=lambda commune: (name_key(commune.name), commune.id),
    )
    shown = Paginator(search_communes(listed, query), SUBMISSIONS_PAGE_SIZE).get_page(page)
    on_page = {
        submission.commune_id: submission
        for submission in by_d.filter(
            commune_id__in=[commune.id for commune in shown.object_list]
        ).select_related("deadline", "submitted_by")
    }
    shown.object_list = [(commune, on_page.get(commune.id)) for commune in shown.object_list]
    return SubmissionTable(page=shown, query=query, state=state, covered=len(standings))


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
    """The user's in-app reminders, newest first: their own, reached through them."""
    return (
        user.reminder_deliveries.filter(channel=Channel.IN_APP)
        .select_related("reminder__deadline", "reminder__commune")
        .order_by("-created_at", "-pk")
    )


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return user.reminder_deliveries.filter(channel=Channel.IN_APP, read_at__isnull=True).count()
