"""The floor: hand-written SQL that computes what the dashboard page shows for a district, as of
D, by the definitions of docs/rules.md#coverage, straight from the tables, as a person who knows
PostgreSQL would write it (the chart's points are bench.series_floor).

The page's table (`floor_figures`, one statement), per commune:
- villages_count: every village of the commune; villages_with_group: villages with at least one
  group that exists as of D (active, established on or before D, or registered by D when
  established_on is empty);
- covered / households: Σ min(members, households) and Σ households over villages with
  households > 0, members being Σ over the village's existing groups of each group's latest
  count on or before D; installs / smartphone_users: Σ latest Bluzone installs on or before D and
  Σ smartphone users over villages with smartphone users > 0;
- untrained_admins and stale_groups (latest count older than 14 days, or none), among the
  existing groups; bulletins_7d / bulletins_30d: published in the 7 and 30 local days to D;
- the four data flags: villages whose members exceed their residents, groups whose latest count
  is under half the one before, existing groups without a count, villages without households;
- bluzone_target_pct: the commune's own target, else the district's.

The deadline column (`floor_deadline_status`, one statement): each commune's open deadlines as
of D, by due date: due on or after D (submitted by D: on_time; else pending, with the days left),
or due before D and not submitted by D (overdue, with the days overdue); a follow-up deadline
counts only from the date of the inspection that set it, and a deadline closed on or before D
is open for nobody. The deadline panel
(`floor_deadline_panel`, two statements): the district's deadlines due on or after D minus 30
days, with the communes expected, submitted by D and on time, and those missing, by name.

A day is a local day (Asia/Ho_Chi_Minh): "submitted by D" compares submitted_at with the instant
D + 1 starts there. Written for PostgreSQL and SQLite alike (the unit tests prove it on both, the
benchmark times it on PostgreSQL) but for the table's village rows, which PostgreSQL reads
through LATERAL lookups and SQLite, which has none, through correlated subqueries (VILLAGE_ROWS),
and two expressions of date arithmetic (DIALECTS).
"""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.conf import settings
from django.db import connection
from django.utils import timezone

# docs/rules.md#data-quality-flags, as dashboard.sql applies it.
STALE_AFTER_DAYS = 14
# The deadline panel keeps a deadline this many days after its due date.
RECENT_DEADLINE_DAYS = 30

# `local_date`: the local day of a timestamp; `days_from`: the days from date `b` to date `a`.
DIALECTS = {
    "postgresql": {
        "local_date": "CAST(timezone(%(time_zone)s, {column}) AS date)",
        "days_from": "({a} - CAST({b} AS date))",
    },
    # SQLite stores a timestamp as UTC text; Asia/Ho_Chi_Minh keeps one offset all year.
    "sqlite": {
        "local_date": "date({column}, %(utc_offset)s)",
        "days_from": "CAST(julianday({a}) - julianday({b}) AS integer)",
    },
}

# What the table sums per commune, over the commune's villages (`commune_villages`).
VILLAGE_SUMS = """COUNT(*) AS villages_count,
           SUM(has_group) AS villages_with_group,
           SUM(CASE WHEN households <= 0 THEN 0
                    WHEN members < households THEN members ELSE households END) AS covered,
           SUM(CASE WHEN households > 0 THEN households ELSE 0 END) AS households,
           SUM(CASE WHEN smartphone_users > 0 THEN installs ELSE 0 END) AS installs,
           SUM(CASE WHEN smartphone_users > 0 THEN smartphone_users ELSE 0 END)
               AS smartphone_users,
           SUM(untrained) AS untrained_admins,
           SUM(stale) AS stale_groups,
           SUM(CASE WHEN members > residents THEN 1 ELSE 0 END) AS members_above_residents,
           SUM(fell_by_half) AS count_fell_by_half,
           SUM(without_count) AS active_group_without_count,
           SUM(CASE WHEN households = 0 THEN 1 ELSE 0 END) AS village_without_households"""

# What a village takes from its groups that exist as of D (`gc`: each with `admin_trained`,
# `latest`, `latest_date`, `previous`).
GROUP_SUMS = """COUNT(*) AS existing,
           SUM(gc.latest) AS members,
           SUM(CASE WHEN gc.admin_trained THEN 0 ELSE 1 END) AS untrained,
           SUM(CASE WHEN gc.latest_date IS NULL OR gc.latest_date < %(stale_before)s
                    THEN 1 ELSE 0 END) AS stale,
           SUM(CASE WHEN gc.latest IS NULL THEN 1 ELSE 0 END) AS without_count,
           SUM(CASE WHEN gc.previous > 2 * CAST(gc.latest AS BIGINT) THEN 1 ELSE 0 END)
               AS fell_by_half"""

# The village rows of the district, each with its latest installs and its groups' sums, as the
# `villages` CTE.
VILLAGE_ROWS = {
    # Per village: its latest Bluzone count, and each of its groups that exists as of D with its
    # two latest counts on or before D, each one backward step in a (…, date) index.
    "postgresql": """villages AS (
    SELECT v.commune_id, v.households, v.residents, v.smartphone_users,
           COALESCE(b.installs, 0) AS installs,
           COALESCE(gs.members, 0) AS members,
           CASE WHEN gs.existing > 0 THEN 1 ELSE 0 END AS has_group,
           gs.untrained, gs.stale, gs.without_count, gs.fell_by_half
    FROM communes_village v
    JOIN communes_commune c ON c.id = v.commune_id
    LEFT JOIN LATERAL (
        SELECT b.installs FROM communes_bluzonecount b
        WHERE b.village_id = v.id AND b.date <= %(as_of)s
        ORDER BY b.date DESC LIMIT 1
    ) b ON TRUE
    LEFT JOIN LATERAL (
        SELECT {group_sums}
        FROM (SELECT g.admin_trained, l.latest, l.latest_date, l.previous
              FROM groups_messaginggroup g
              LEFT JOIN LATERAL (
                  SELECT MAX(t.date) AS latest_date,
                         MAX(CASE WHEN t.n = 1 THEN t.members END) AS latest,
                         MAX(CASE WHEN t.n = 2 THEN t.members END) AS previous
                  FROM (SELECT m.members, m.date,
                               ROW_NUMBER() OVER (ORDER BY m.date DESC) AS n
                        FROM groups_membercount m
                        WHERE m.group_id = g.id AND m.date <= %(as_of)s
                        ORDER BY m.date DESC LIMIT 2) t
              ) l ON TRUE
              WHERE g.village_id = v.id AND g.status = 'active'
                AND COALESCE(g.established_on, g.registered_on) <= %(as_of)s) gc
    ) gs ON TRUE
    WHERE c.district_id = %(district)s
)""",
    # No LATERAL: the district's existing groups at once, each count found by a correlated
    # subquery on the same index, summed by village.
    "sqlite": """existing AS (
    SELECT g.id, g.village_id, g.admin_trained,
           (SELECT MAX(m.date) FROM groups_membercount m
             WHERE m.group_id = g.id AND m.date <= %(as_of)s) AS latest_date
    FROM groups_messaginggroup g
    JOIN communes_village v ON v.id = g.village_id
    JOIN communes_commune c ON c.id = v.commune_id
    WHERE c.district_id = %(district)s AND g.status = 'active'
      AND COALESCE(g.established_on, g.registered_on) <= %(as_of)s
),
per_village AS (
    SELECT gc.village_id, {group_sums}
    FROM (SELECT e.village_id, e.admin_trained, e.latest_date, m.members AS latest,
                 (SELECT p.members FROM groups_membercount p
                   WHERE p.group_id = e.id AND p.date < e.latest_date
                   ORDER BY p.date DESC LIMIT 1) AS previous
          FROM existing e
          LEFT JOIN groups_membercount m ON m.group_id = e.id AND m.date = e.latest_date) gc
    GROUP BY gc.village_id
),
villages AS (
    SELECT v.commune_id, v.households, v.residents, v.smartphone_users,
           COALESCE((SELECT b.installs FROM communes_bluzonecount b
                      WHERE b.village_id = v.id AND b.date <= %(as_of)s
                      ORDER BY b.date DESC LIMIT 1), 0) AS installs,
           COALESCE(pv.members, 0) AS members,
           CASE WHEN pv.existing > 0 THEN 1 ELSE 0 END AS has_group,
           pv.untrained, pv.stale, pv.without_count, pv.fell_by_half
    FROM communes_village v
    JOIN communes_commune c ON c.id = v.commune_id
    LEFT JOIN per_village pv ON pv.village_id = v.id
    WHERE c.district_id = %(district)s
)""",
}

FLOOR_SQL = """
WITH {village_rows},
commune_villages AS (
    SELECT commune_id, {village_sums}
    FROM villages
    GROUP BY commune_id
),
bulletins AS (
    SELECT b.commune_id,
           SUM(CASE WHEN b.published_at >= %(week_starts)s THEN 1 ELSE 0 END) AS bulletins_7d,
           COUNT(*) AS bulletins_30d
    FROM bulletins_bulletin b
    JOIN communes_commune c ON c.id = b.commune_id
    WHERE c.district_id = %(district)s AND b.status = 'published'
      AND b.published_at >= %(month_starts)s AND b.published_at < %(day_after)s
    GROUP BY b.commune_id
)
SELECT c.id,
       COALESCE(cv.villages_count, 0), COALESCE(cv.villages_with_group, 0),
       COALESCE(cv.covered, 0), COALESCE(cv.households, 0),
       COALESCE(cv.installs, 0), COALESCE(cv.smartphone_users, 0),
       COALESCE(cv.untrained_admins, 0), COALESCE(cv.stale_groups, 0),
       COALESCE(b.bulletins_7d, 0), COALESCE(b.bulletins_30d, 0),
       COALESCE(cv.members_above_residents, 0), COALESCE(cv.count_fell_by_half, 0),
       COALESCE(cv.active_group_without_count, 0), COALESCE(cv.village_without_households, 0),
       COALESCE(c.bluzone_target_pct, d.bluzone_target_pct)
FROM communes_commune c
JOIN communes_district d ON d.id = c.district_id
LEFT JOIN commune_villages cv ON cv.commune_id = c.id
LEFT JOIN bulletins b ON b.commune_id = c.id
WHERE c.district_id = %(district)s
ORDER BY c.id
"""


# The deadlines in force as of D: a follow-up deadline exists from its inspection's date.
IN_FORCE = "(i.date IS NULL OR i.date <= %(as_of)s)"

DEADLINE_STATUS_SQL = """
SELECT commune_id, deadline_id, status,
       CASE status WHEN 'overdue' THEN -days_left WHEN 'pending' THEN days_left ELSE 0 END
FROM (
    SELECT dc.commune_id, d.id AS deadline_id, d.due_date,
           CASE WHEN s.submitted_at < %(day_after)s THEN 'on_time'
                WHEN d.due_date < %(as_of)s THEN 'overdue'
                ELSE 'pending' END AS status,
           {days_left} AS days_left
    FROM reports_deadline_communes dc
    JOIN communes_commune c ON c.id = dc.commune_id
    JOIN reports_deadline d ON d.id = dc.deadline_id
    LEFT JOIN reports_inspection i ON i.id = d.inspection_id
    LEFT JOIN reports_submission s
           ON s.deadline_id = dc.deadline_id AND s.commune_id = dc.commune_id
    WHERE c.district_id = %(district)s AND {in_force}
      -- open as of D: not closed by D, and not yet due or due and not submitted by D
      AND (d.closed_on IS NULL OR d.closed_on > %(as_of)s)
      AND (d.due_date >= %(as_of)s OR s.submitted_at IS NULL
           OR s.submitted_at >= %(day_after)s)
) open_deadlines
ORDER BY commune_id, due_date, deadline_id
"""

# The district's deadlines on the panel, and their covered communes within the district.
RECENT_DEADLINES = """recent AS (
    SELECT d.id, d.due_date
    FROM reports_deadline d
    LEFT JOIN reports_inspection i ON i.id = d.inspection_id
    WHERE d.district_id = %(district)s AND d.due_date >= %(since)s AND {in_force}
),
expected AS (
    SELECT dc.deadline_id, dc.commune_id, c.name, s.submitted_at
    FROM reports_deadline_communes dc
    JOIN recent r ON r.id = dc.deadline_id
    JOIN communes_commune c ON c.id = dc.commune_id AND c.district_id = %(district)s
    LEFT JOIN reports_submission s ON s.deadline_id = dc.deadline_id
          AND s.commune_id = dc.commune_id AND s.submitted_at < %(day_after)s
)"""

DEADLINE_PANEL_SQL = """
WITH {recent}
SELECT r.id,
       COUNT(e.commune_id),
       COUNT(e.submitted_at),
       SUM(CASE WHEN {submitted_on} <= r.due_date THEN 1 ELSE 0 END)
FROM recent r
LEFT JOIN expected e ON e.deadline_id = r.id
GROUP BY r.id, r.due_date
ORDER BY r.due_date, r.id
"""

MISSING_SQL = """
WITH {recent}
SELECT deadline_id, commune_id FROM expected WHERE submitted_at IS NULL ORDER BY name
"""


class Figures(NamedTuple):
    """The numbers of a commune's line of the table, which the floor and the dashboard must agree
    on (the percentages follow from them)."""

    villages_count: int
    villages_with_group: int
    covered: int
    households: int
    installs: int
    smartphone_users: int
    untrained_admins: int
    stale_groups: int
    bulletins_7d: int
    bulletins_30d: int
    members_above_residents: int
    count_fell_by_half: int
    active_group_without_count: int
    village_without_households: int
    bluzone_target_pct: int

    @property
    def flags_total(self) -> int:
        return (
            self.members_above_residents
            + self.count_fell_by_half
            + self.active_group_without_count
            + self.village_without_households
        )


class OpenDeadline(NamedTuple):
    """One open deadline of a commune as of D: "on_time", "pending" (days left) or "overdue"
    (days overdue)."""

    deadline_id: int
    status: str
    days: int


class PanelDeadline(NamedTuple):
    """One card of the deadline panel: the communes expected, submitted by D, on time, and the
    ids of those missing, by name."""

    id: int
    expected: int
    submitted: int
    on_time: int
    missing: tuple[int, ...]


class Floor(NamedTuple):
    figures: dict[int, Figures]
    deadline_status: dict[int, list[OpenDeadline]]
    deadline_panel: list[PanelDeadline]


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _params(district_id: int, as_of: datetime.date) -> dict:
    ops = connection.ops
    day_after = _local_midnight(as_of + datetime.timedelta(days=1))
    offset_minutes = int(day_after.utcoffset().total_seconds() // 60)
    return {
        "district": district_id,
        "as_of": ops.adapt_datefield_value(as_of),
        "stale_before": ops.adapt_datefield_value(
            as_of - datetime.timedelta(days=STALE_AFTER_DAYS)
        ),
        "since": ops.adapt_datefield_value(as_of - datetime.timedelta(days=RECENT_DEADLINE_DAYS)),
        "day_after": ops.adapt_datetimefield_value(day_after),
        "week_starts": ops.adapt_datetimefield_value(
            _local_midnight(as_of - datetime.timedelta(days=6))
        ),
        "month_starts": ops.adapt_datetimefield_value(
            _local_midnight(as_of - datetime.timedelta(days=29))
        ),
        "time_zone": settings.TIME_ZONE,
        "utc_offset": f"{offset_minutes:+d} minutes",
    }


def _rows(sql: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _dialect() -> dict[str, str]:
    return DIALECTS[connection.vendor]


def floor_figures(*, district_id: int, as_of: datetime.date) -> dict[int, Figures]:
    """The table: every commune of the district with its figures as of D. One statement."""
    village_rows = VILLAGE_ROWS[connection.vendor].format(group_sums=GROUP_SUMS)
    sql = FLOOR_SQL.format(village_rows=village_rows, village_sums=VILLAGE_SUMS)
    rows = _rows(sql, _params(district_id, as_of))
    return {row[0]: Figures(*(int(value) for value in row[1:])) for row in rows}


def floor_deadline_status(
    *, district_id: int, as_of: datetime.date
) -> dict[int, list[OpenDeadline]]:
    """The deadline column: each commune's open deadlines as of D, by due date; a commune with
    none is absent. One statement."""
    sql = DEADLINE_STATUS_SQL.format(
        days_left=_dialect()["days_from"].format(a="d.due_date", b="%(as_of)s"),
        in_force=IN_FORCE,
    )
    statuses: dict[int, list[OpenDeadline]] = {}
    for commune_id, deadline_id, status, days in _rows(sql, _params(district_id, as_of)):
        statuses.setdefault(commune_id, []).append(OpenDeadline(deadline_id, status, int(days)))
    return statuses


def floor_deadline_panel(*, district_id: int, as_of: datetime.date) -> list[PanelDeadline]:
    """The deadline panel, by due date. Two statements: the counts, and the missing communes."""
    params = _params(district_id, as_of)
    recent = RECENT_DEADLINES.format(in_force=IN_FORCE)
    submitted_on = _dialect()["local_date"].format(column="e.submitted_at")
    counts = _rows(DEADLINE_PANEL_SQL.format(recent=recent, submitted_on=submitted_on), params)
    missing: dict[int, list[int]] = {}
    for deadline_id, commune_id in _rows(MISSING_SQL.format(recent=recent), params):
        missing.setdefault(deadline_id, []).append(commune_id)
    return [
        PanelDeadline(
            pk, int(expected), int(submitted), int(on_time or 0), tuple(missing.get(pk, ()))
        )
        for pk, expected, submitted, on_time in counts
    ]


def floor(*, district_id: int, as_of: datetime.date) -> Floor:
    """What the page shows of the district as of D but the chart: four statements."""
    return Floor(
        floor_figures(district_id=district_id, as_of=as_of),
        floor_deadline_status(district_id=district_id, as_of=as_of),
        floor_deadline_panel(district_id=district_id, as_of=as_of),
    )
