"""The deadlines on the district dashboard: each commune's open deadlines (a column) and the
deadline panel (reporting rate, timeliness and the communes missing per deadline,
docs/rules.md#deadline-status
definitions as deadlines.selectors computes them)."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from communes.models import Commune
from deadlines.models import Deadline
from deadlines.selectors import RecentDeadline, recent_deadline_summaries
from deadlines.statuses import deadline_status_by_commune


def fill_deadline_status(
    rows: list, as_of: datetime.date, scope: QuerySet[Commune] | None = None
) -> None:
    """Each row's `deadline_status`: its open deadlines as of D, by due date (see
    `deadline_status_by_commune`), None when it has none; one query for all rows. `scope`, the
    rows' communes as a queryset, is read as a subquery rather than a list of ids."""
    statuses = deadline_status_by_commune(
        scope if scope is not None else [row.id for row in rows], as_of
    )
    for row in rows:
        row.deadline_status = statuses.get(row.id) or None


def deadline_panel(
    user, as_of: datetime.date, missing_first: int | None = None
) -> list[RecentDeadline]:
    """The deadlines of the user's scope open or recently due as of D (see
    `recent_deadline_summaries`), counted over the user's communes, so a commune's users see
    their own commune's figures only; naming the first `missing_first` missing communes of
    each when given, else all. Two queries."""
    return recent_deadline_summaries(
        Deadline.objects.for_user(user),
        as_of,
        Commune.objects.for_user(user).serving(as_of),
        missing_first=missing_first,
    )
