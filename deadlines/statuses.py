"""Where each commune stands on its deadlines as of D: a commune's status on a deadline, the open
deadlines of each commune (the dashboard's deadline column) and a deadline's table of communes
with their submissions (its page).

docs/rules.md#on-time: on time when submitted_at ≤ 23:59:59 Asia/Ho_Chi_Minh on the due date; as
of D, a submission made after D counts as missing. The open deadlines are one hand-written
statement (deadlines.sql), the table two ORM queries.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Case, OuterRef, QuerySet, Subquery, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from communes.models import Commune
from communes.names import name_key, search_communes
from deadlines.models import Deadline, Submission
from deadlines.schedule import when_text
from deadlines.selectors import CommuneIdentity
from deadlines.sql import (
    IN_FORCE,
    IN_FORCE_JOIN,
    SUBMITTED_BY,
    database_of,
    day_params,
    fetch_rows,
    ids_in,
    local_day_end,
)

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
OPEN_DEADLINES_FROM = """
FROM {{coverage}} dc
JOIN {{deadline}} d ON d.id = dc.deadline_id
{in_force_join}
{submitted_by}
WHERE dc.commune_id IN ({communes}) AND {in_force}
  AND (d.closed_on IS NULL OR d.closed_on > %(as_of)s)
  AND (d.due_date >= %(as_of)s OR s.submitted_at IS NULL)
"""
OPEN_DEADLINES_SQL = (
    "SELECT dc.commune_id, d.id, d.title, d.directive, d.due_date, s.submitted_at"
    + OPEN_DEADLINES_FROM
    + "ORDER BY dc.commune_id, d.due_date, d.id"
)
# Whether any of them has one.
ANY_OPEN_DEADLINE_SQL = "SELECT EXISTS (SELECT 1" + OPEN_DEADLINES_FROM + ")"


def _aware(moment: datetime.datetime) -> datetime.datetime:
    # A backend that stores UTC without its offset (SQLite) reads back a naive datetime.
    return timezone.make_aware(moment, datetime.UTC) if timezone.is_naive(moment) else moment


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
    # Every commune open on a deadline stands on it in one of two ways, submitted or not: each
    # way's status, days, label and url are worked out once, not once per commune. Those that
    # have not submitted share one (frozen) status: nothing in it is the commune's own.
    standings: dict[tuple[int, bool], tuple[str, int, str, str]] = {}
    not_submitted: dict[int, CommuneDeadlineStatus] = {}
    statuses: dict[int, list[CommuneDeadlineStatus]] = {}
    for commune_id, deadline_id, title, directive, due_date, submitted_at in _open_deadlines(
        OPEN_DEADLINES_SQL, communes, as_of
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


def has_open_deadline(communes: QuerySet[Commune] | list[int], as_of: datetime.date) -> bool:
    """Whether any of `communes` has a deadline open as of D (as `deadline_status_by_commune`
    finds them), in one query that stops at the first."""
    return bool(_open_deadlines(ANY_OPEN_DEADLINE_SQL, communes, as_of)[0][0])


def _open_deadlines(
    template: str, communes: QuerySet[Commune] | list[int], as_of: datetime.date
) -> list[tuple]:
    """`template` (OPEN_DEADLINES_SQL or ANY_OPEN_DEADLINE_SQL) over `communes` as of D."""
    scope = ids_in(communes, "commune_")
    using = database_of([scope])
    sql = template.format(
        in_force_join=IN_FORCE_JOIN,
        submitted_by=SUBMITTED_BY,
        communes=scope.sql,
        in_force=IN_FORCE,
    )
    return fetch_rows(sql, day_params(as_of, using), using, [scope])


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
        # docs/rules.md#on-time: on time when submitted by 23:59:59 local on the due date.
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
