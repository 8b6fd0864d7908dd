"""The deadlines on the district dashboard: each commune's open deadlines (a column) and the
deadline panel (reporting rate, timeliness and the communes missing per deadline, DESIGN.md's
definitions as reports.selectors computes them)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from communes.models import Commune
from reports.models import Deadline
from reports.selectors import (
    CommuneIdentity,
    DeadlineFigures,
    RecentDeadline,
    deadline_status_by_commune,
    recent_deadline_summaries,
)


def fill_deadline_status(rows: list, as_of: datetime.date) -> None:
    """Each row's `deadline_status`: its open deadlines as of D, by due date (see
    `deadline_status_by_commune`), None when it has none; one query for all rows."""
    statuses = deadline_status_by_commune([row.id for row in rows], as_of)
    for row in rows:
        row.deadline_status = statuses.get(row.id) or None


@dataclass(frozen=True, kw_only=True)
class DashboardDeadline:
    """One card of the deadlines panel: a deadline and its figures as of D."""

    id: int
    title: str
    directive: str
    due_date: datetime.date
    figures: DeadlineFigures
    missing_communes: list[CommuneIdentity]

    @classmethod
    def of(cls, recent: RecentDeadline) -> DashboardDeadline:
        return cls(
            id=recent.id,
            title=recent.title,
            directive=recent.directive,
            due_date=recent.due_date,
            figures=recent.figures,
            missing_communes=recent.missing,
        )

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


def deadline_panel(user, as_of: datetime.date) -> list[DashboardDeadline]:
    """The deadlines of the user's scope open or recently due as of D (see
    `recent_deadline_summaries`), counted over the user's communes, so a commune's users see
    their own commune's figures only. Two queries."""
    summaries = recent_deadline_summaries(
        Deadline.objects.for_user(user), as_of, Commune.objects.for_user(user)
    )
    return [DashboardDeadline.of(summary) for summary in summaries]
