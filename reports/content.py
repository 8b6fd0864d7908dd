"""What a compliance report says as of D, read from the dashboard's read side.

Every figure is the dashboard's own: the rows and totals of `dashboard.selectors.dashboard_rows`,
the deadlines of its panel with their figures (and, beside them, the older deadlines still open
for a commune that has not reported: a report does not say nothing is pending while a report is
missing), the villages of `commune_detail`, the weekly points of `coverage_series`, each labelled
as `dashboard.figures` declares it. Nothing here computes a figure again; this module only
chooses, orders and labels them.

A report is read as the people it is for see the dashboard: a district report as the district's
staff (every commune of the district), a one-commune report as that commune's own users (its
figures, its own Bluzone target). `ReportReader` stands for them, so a report compiled by beat,
with nobody signed in, shows exactly what their dashboard shows.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from bmp_comms.roles import Role
from communes.models import Commune, District
from dashboard.commune_detail import VillageLine, commune_detail
from dashboard.figures import FIGURES
from dashboard.selectors import CommuneRow, Dashboard, dashboard_rows, sort_rows
from dashboard.series import SeriesPoint, coverage_series
from deadlines.models import Deadline, Inspection
from deadlines.selectors import RECENT_DEADLINE_DAYS, RecentDeadline, reported_deadline_summaries
from deadlines.sql import Coverage, submissions_by
from reports.models import ComplianceReport, Letterhead, ReportStatus

# The period a report speaks of: the 30 days ending on D, as the dashboard's deadline panel
# (RECENT_DEADLINE_DAYS) and its bulletins_30d count them.
PERIOD_DAYS = RECENT_DEADLINE_DAYS


@dataclass(frozen=True)
class Column:
    """A column of a report's table: its name, heading, kind (text, count or percent: the
    XLSX number format and the PDF's separators follow it) and how a row gives its value."""

    name: str
    label: Promise | str
    kind: str
    value: Callable[[Any], Any]


FIGURES_BY_NAME = {figure.name: figure for figure in FIGURES}


def figure_column(name: str, *, kind: str | None = None) -> Column:
    """A figure of the dashboard's rows, under the label dashboard.figures gives it."""
    declared = FIGURES_BY_NAME[name]
    return Column(name, declared.label, kind or declared.kind, attrgetter(name))


# The per-commune table of the PDF and of the XLSX, in this order, from the dashboard's rows.
COMMUNE_COLUMNS: tuple[Column, ...] = (
    Column("name", _("Commune"), "text", attrgetter("name")),
    figure_column("villages_count"),
    figure_column("villages_with_group"),
    figure_column("coverage_pct"),
    figure_column("bluzone_pct"),
    # The target is a whole percentage; it reads as one beside the Bluzone %.
    figure_column("bluzone_target_pct", kind="percent"),
    figure_column("untrained_admins"),
    figure_column("stale_groups"),
    # Bulletins published in the period (the 30 days to as_of), from the dashboard's rows.
    figure_column("bulletins_30d"),
)

# A one-commune report lists its villages (dashboard.commune_detail's lines).
VILLAGE_COLUMNS: tuple[Column, ...] = (
    Column("name", _("Village"), "text", lambda line: line.village.name),
    Column("households", FIGURES_BY_NAME["households"].label, "count",
           lambda line: line.village.households),
    Column("covered", FIGURES_BY_NAME["covered"].label, "count",
           lambda line: line.village.covered),
    Column("coverage_pct", FIGURES_BY_NAME["coverage_pct"].label, "percent",
           attrgetter("coverage_pct")),
    Column("has_group", _("Has a news group"), "text",
           lambda line: str(_("has a group") if line.village.has_group else _("no group yet"))),
    Column("smartphone_users", FIGURES_BY_NAME["smartphone_users"].label, "count",
           lambda line: line.village.smartphone_users),
    Column("installs", FIGURES_BY_NAME["installs"].label, "count",
           lambda line: line.village.installs),
)  # fmt: skip

# A commune's submission for a deadline as of D (docs/rules.md#on-time: on time when submitted by
# 23:59:59 local time on the due date; as of D, a submission made after D counts as missing).
ON_TIME, LATE, MISSING, NOT_DUE = "on_time", "late", "missing", "not_due"
STATE_LABELS = {
    ON_TIME: _("on time"),
    LATE: _("late"),
    MISSING: _("not reported"),
    NOT_DUE: _("not due yet"),
}


@dataclass(frozen=True)
class ScopeProfile:
    district_id: int
    commune_id: int | None
    role: str

    @property
    def is_district_role(self) -> bool:
        return self.commune_id is None

    @property
    def is_commune_role(self) -> bool:
        return self.commune_id is not None


@dataclass(frozen=True)
class ReportReader:
    """The audience of a report, as `for_user` scopes read a user: the district's staff for a
    district report, the commune's users for a one-commune report. Never signed in anywhere."""

    profile: ScopeProfile
    is_authenticated: bool = True
    is_superuser: bool = False

    @classmethod
    def of(cls, *, district_id: int, commune_id: int | None) -> ReportReader:
        role = Role.DISTRICT_STAFF if commune_id is None else Role.COMMUNE_OFFICER
        return cls(ScopeProfile(district_id=district_id, commune_id=commune_id, role=role))


@dataclass(frozen=True)
class InspectionLine:
    inspection: Inspection
    # The state of its follow-up deadline as of D; None when it set no follow-up.
    follow_up_state: str | None

    @property
    def follow_up_label(self) -> str:
        return "" if self.follow_up_state is None else str(STATE_LABELS[self.follow_up_state])


@dataclass(frozen=True)
class Previous:
    """The report of the archive before this one (same district, commune and kind, done, with
    figures as of an earlier day) and the dashboard's totals as of its day."""

    report: ComplianceReport
    totals: Any  # dashboard.figures.Figures


@dataclass
class ReportContent:
    report: ComplianceReport
    letterhead: Letterhead
    district: District
    commune: Commune | None
    board: Dashboard
    columns: tuple[Column, ...]
    states: dict[tuple[int, int], str]
    inspections: list[InspectionLine]
    previous: Previous | None
    series: list[SeriesPoint]
    # The reports due: the dashboard's panel, and every older deadline still open for a commune
    # that has not reported (deadlines.selectors.reported_deadline_summaries).
    deadlines: list[RecentDeadline] = field(default_factory=list)
    villages: list[VillageLine] = field(default_factory=list)
    village_columns: tuple[Column, ...] = VILLAGE_COLUMNS

    @property
    def as_of(self) -> datetime.date:
        return self.report.as_of

    @property
    def period_start(self) -> datetime.date:
        return period_start(self.as_of)

    @property
    def rows(self) -> list[CommuneRow]:
        return self.board.rows

    @property
    def totals(self):
        return self.board.totals

    @property
    def is_one_commune(self) -> bool:
        return self.commune is not None

    def state(self, deadline_id: int, commune_id: int) -> str | None:
        """None where the deadline does not cover the commune."""
        return self.states.get((deadline_id, commune_id))


def period_start(as_of: datetime.date) -> datetime.date:
    return as_of - datetime.timedelta(days=PERIOD_DAYS - 1)


def scope_communes(*, district_id: int, commune_id: int | None) -> QuerySet[Commune]:
    return Commune.objects.for_user(ReportReader.of(district_id=district_id, commune_id=commune_id))


def submission_states(
    deadlines: Iterable[tuple[int, datetime.date]],
    communes: QuerySet[Commune],
    as_of: datetime.date,
) -> dict[tuple[int, int], str]:
    """{(deadline id, commune id): state} for every commune of `communes` each of `deadlines`
    (id, due date) covers, as of D: on time, late, not reported (due before D) or not due yet.
    Two streamed queries, whatever the number of communes."""
    due = dict(deadlines)
    states: dict[tuple[int, int], str] = {}
    if not due:
        return states
    covered = (
        Coverage.objects.filter(deadline_id__in=list(due), commune_id__in=communes)
        .order_by()
        .values_list("deadline_id", "commune_id")
    )
    for deadline_id, commune_id in covered.iterator(chunk_size=5000):
        states[(deadline_id, commune_id)] = MISSING if due[deadline_id] < as_of else NOT_DUE
    submitted = (
        submissions_by(as_of)
        .filter(deadline_id__in=list(due), commune_id__in=communes)
        .order_by()
        .values_list("deadline_id", "commune_id", "submitted_on")
    )
    for deadline_id, commune_id, submitted_on in submitted.iterator(chunk_size=5000):
        if (deadline_id, commune_id) in states:
            # The rule of deadlines.selectors' counts: on time when the local day of the
            # submission is on or before the due date.
            on_time = submitted_on <= due[deadline_id]
            states[(deadline_id, commune_id)] = ON_TIME if on_time else LATE
    return states


def inspections_in_period(communes: QuerySet[Commune], as_of: datetime.date) -> QuerySet:
    """Inspections of `communes` made in the period, and earlier ones whose follow-up falls in
    it or after it, oldest first."""
    start = period_start(as_of)
    return (
        Inspection.objects.filter(commune__in=communes, date__lte=as_of)
        .filter(Q(date__gte=start) | Q(follow_up_due__gte=start))
        .select_related("commune", "follow_up_deadline")
        .order_by("date", "commune__name", "pk")
    )


def previous_report(report: ComplianceReport) -> ComplianceReport | None:
    return (
        ComplianceReport.objects.filter(
            district_id=report.district_id,
            commune_id=report.commune_id,
            kind=report.kind,
            status=ReportStatus.DONE,
            as_of__lt=report.as_of,
        )
        .exclude(pk=report.pk)
        .order_by("-as_of", "-created_at", "-pk")
        .first()
    )


def chart_rows(content: ReportContent, limit: int) -> list[CommuneRow]:
    """The communes drawn in the bar chart: all of them by name, or the `limit` with the lowest
    coverage when there are more."""
    if len(content.rows) <= limit:
        return sort_rows(content.rows, "name")
    return sort_rows(content.rows, "coverage")[:limit]


def report_content(
    *,
    report: ComplianceReport,
    letterhead: Letterhead,
    step: Callable[[int], None] = lambda progress: None,
    charts: bool = True,
) -> ReportContent:
    """Everything the report shows, as of `report.as_of`, for its district or its one commune.
    `step(progress)` is told how far the reading has gone (0–100 of this part)."""
    reader = ReportReader.of(district_id=report.district_id, commune_id=report.commune_id)
    communes = Commune.objects.for_user(reader).serving(report.as_of)
    # The panel is read below with the older deadlines still open, in as many queries.
    board = dashboard_rows(user=reader, as_of=report.as_of, panels=False)
    due = reported_deadline_summaries(Deadline.objects.for_user(reader), report.as_of, communes)
    step(40)
    follow_ups = list(
        inspections_in_period(communes, report.as_of)
        .exclude(follow_up_deadline=None)
        .values_list("follow_up_deadline__pk", "follow_up_deadline__due_date")
    )
    deadlines = [(line.id, line.due_date) for line in due]
    states = submission_states(deadlines + follow_ups, communes, report.as_of)
    inspections = [
        InspectionLine(
            inspection=inspection,
            follow_up_state=(
                states.get((inspection.follow_up_deadline.pk, inspection.commune_id))
                if getattr(inspection, "follow_up_deadline", None) is not None
                else None
            ),
        )
        for inspection in inspections_in_period(communes, report.as_of)
    ]
    step(60)
    earlier = previous_report(report)
    previous = None
    if earlier is not None:
        then = dashboard_rows(user=reader, as_of=earlier.as_of, panels=False)
        previous = Previous(report=earlier, totals=then.totals)
    step(80)
    series = (
        coverage_series(communes=communes, end=report.as_of, end_figures=board.totals)
        if charts
        else []
    )
    villages: list[VillageLine] = []
    commune = None
    if report.commune_id is not None:
        commune = report.commune
        villages = commune_detail(commune=commune, as_of=report.as_of).villages
    step(100)
    return ReportContent(
        report=report,
        letterhead=letterhead,
        district=report.district,
        commune=commune,
        board=board,
        columns=COMMUNE_COLUMNS,
        states=states,
        inspections=inspections,
        previous=previous,
        series=series,
        deadlines=due,
        villages=villages,
    )
