"""Reads of deadlines: reporting rate and timeliness, and the communes missing, per deadline,
computed in SQL.

docs/rules.md#reporting-rate: reporting rate = communes submitted / communes expected;
timeliness = on time / expected; on time when submitted_at ≤ 23:59:59 Asia/Ho_Chi_Minh on the
due date; as of D, a submission made after D counts as missing (the days and statements of
deadlines.sql).

The figures and the missing communes are hand-written statements (below): composed from ORM
subqueries, the dashboard's took several times longer to build and compile than to run at a
province's scale, and read a model instance per missing commune. The scopes (the user's communes
and deadlines) are still written by the ORM and inlined. Where each commune stands on its open
deadlines is deadlines.statuses; the reminder log deadlines.deliveries.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby
from operator import itemgetter
from typing import NamedTuple

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

from bmp_comms.percent import percent
from bmp_comms.statements import named
from communes.models import Commune
from deadlines.models import Deadline
from deadlines.sql import (
    IN_FORCE,
    IN_FORCE_JOIN,
    SUBMITTED_BY,
    Ids,
    database_of,
    day_params,
    fetch_rows,
    ids_in,
)


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
{having}
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
ORDER BY dc.deadline_id, c.name, c.id
"""
# The first %(first)s of each deadline's missing communes, in MISSING_SQL's order.
FIRST_MISSING_SQL = """
SELECT m.deadline_id, m.id, m.code, m.name FROM (
    SELECT dc.deadline_id, c.id, c.code, c.name,
           ROW_NUMBER() OVER (PARTITION BY dc.deadline_id ORDER BY c.name, c.id) AS place
    FROM {{coverage}} dc
    JOIN {{commune}} c ON c.id = dc.commune_id
    {submitted_by}
    WHERE dc.deadline_id IN ({deadlines}){communes} AND s.submitted_at IS NULL
) m
WHERE m.place <= %(first)s
ORDER BY m.deadline_id, m.place
"""


class _Chosen(NamedTuple):
    """Which deadlines `d` a statement reads: a condition on `d` (and `i`, when it joins the
    inspection), the join it needs, its parameters and its scopes."""

    where: str
    join: str
    params: dict
    scopes: tuple[Ids, ...]
    # A condition on each deadline's counts (`dc`, `s`), or nothing.
    having: str = ""


def _chosen(deadlines: QuerySet[Deadline] | Iterable[int]) -> _Chosen:
    ids = ids_in(deadlines, "deadline_")
    return _Chosen(f"d.id IN ({ids.sql})", "", {}, (ids,))


def _recent(
    deadlines: QuerySet[Deadline], as_of: datetime.date, *, open_too: bool = False
) -> _Chosen:
    """The deadlines of `deadlines` in force as of D and due on or after D minus
    RECENT_DEADLINE_DAYS; with `open_too`, also the older ones still open as of D (not closed
    on or before D) for a covered commune that has not reported by D."""
    ids = ids_in(deadlines, "deadline_")
    since = as_of - datetime.timedelta(days=RECENT_DEADLINE_DAYS)
    recent, having = "d.due_date >= %(since)s", ""
    if open_too:
        recent = f"({recent} OR d.closed_on IS NULL OR d.closed_on > %(as_of)s)"
        having = "HAVING d.due_date >= %(since)s OR COUNT(dc.commune_id) > COUNT(s.submitted_at)"
    return _Chosen(
        f"d.id IN ({ids.sql}) AND {recent} AND {IN_FORCE}",
        IN_FORCE_JOIN,
        {"since": connections[ids.using or DEFAULT_DB_ALIAS].ops.adapt_datefield_value(since)},
        (ids,),
        having,
    )


class _Within(NamedTuple):
    """The condition that keeps the coverage rows `dc` of the communes counted, and its scope."""

    sql: str
    scopes: tuple[Ids, ...]


def _within(communes: QuerySet[Commune] | Iterable[int] | None) -> _Within:
    """Every covered commune when `communes` is None, else those of `communes`."""
    if communes is None:
        return _Within("", ())
    ids = ids_in(communes, "commune_")
    return _Within(f" AND dc.commune_id IN ({ids.sql})", (ids,))


def _figure_rows(chosen: _Chosen, as_of: datetime.date, within: _Within) -> list[tuple]:
    """(id, title, directive, due date, expected, submitted, on time) of each chosen deadline
    as of D, by due date: one statement."""
    scopes = (*chosen.scopes, *within.scopes)
    using = database_of(scopes)
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
        having=chosen.having,
    )
    params = {
        **day_params(as_of, using),
        **chosen.params,
        **submitted_on.params,
    }
    return fetch_rows(sql, params, using, scopes)


def _missing(
    deadlines: QuerySet[Deadline] | Iterable[int],
    as_of: datetime.date,
    within: _Within,
    first: int | None = None,
) -> dict[int, list[CommuneIdentity]]:
    """The missing communes of each deadline as of D (its `first` only, when given): one
    statement."""
    chosen = ids_in(deadlines, "deadline_")
    scopes = (chosen, *within.scopes)
    using = database_of(scopes)
    template = MISSING_SQL if first is None else FIRST_MISSING_SQL
    sql = template.format(submitted_by=SUBMITTED_BY, deadlines=chosen.sql, communes=within.sql)
    params = day_params(as_of, using)
    if first is not None:
        params["first"] = first
    rows = fetch_rows(sql, params, using, scopes)
    # A nation's deadline misses thousands of communes: each list is made in one pass.
    return {
        deadline_id: list(map(CommuneIdentity._make, map(_IDENTITY, group)))
        for deadline_id, group in groupby(rows, key=itemgetter(0))
    }


# A missing commune's row without its deadline: (id, code, name).
_IDENTITY = itemgetter(1, 2, 3)


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
    # The communes missing as of D, by name; only the first of them when the summaries were
    # asked for `missing_first` (missing_count counts them all).
    missing_communes: list[CommuneIdentity]

    @property
    def missing_count(self) -> int:
        """How many covered communes had not submitted by D."""
        return self.figures.expected - self.figures.submitted

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
    *,
    missing_first: int | None = None,
) -> list[RecentDeadline]:
    """The deadlines of `deadlines` open or recently due as of D: due on or after D minus
    RECENT_DEADLINE_DAYS (so every future one too), and in force as of D (a follow-up deadline
    does not exist before the inspection that set it), by due date, each with its figures and
    missing communes as of D (over `communes` when given; the first `missing_first` of them
    when given, for a list that names only those). Two queries, whatever their number."""
    return _summaries(_recent(deadlines, as_of), as_of, communes, missing_first)


def reported_deadline_summaries(
    deadlines: QuerySet[Deadline],
    as_of: datetime.date,
    communes: QuerySet[Commune] | None = None,
) -> list[RecentDeadline]:
    """The deadlines a compliance report speaks of as of D: those of
    `recent_deadline_summaries`, and every older one still open for a commune of `communes`
    that has not reported by D (not closed on or before D: docs/rules.md#deadline-status), so
    a report never says nothing is pending while a commune's report is missing. Figures and
    missing communes as `recent_deadline_summaries` gives them; two queries."""
    return _summaries(_recent(deadlines, as_of, open_too=True), as_of, communes)


def _summaries(
    chosen: _Chosen,
    as_of: datetime.date,
    communes: QuerySet[Commune] | None,
    missing_first: int | None = None,
) -> list[RecentDeadline]:
    within = _within(communes)
    rows = _figure_rows(chosen, as_of, within)
    # The deadlines are known by now: their ids spare the statement their conditions.
    missing = _missing([row[0] for row in rows], as_of, within, missing_first)
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
