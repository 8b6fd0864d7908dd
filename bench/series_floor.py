"""The series floor: hand-written SQL that computes the twelve points of the dashboard's chart for
a district in one statement, by the definitions of docs/rules.md#coverage, straight from the
tables (bench.floor is the same for the page's table, deadline column and deadline panel).

At each point, the sums of the table as of that point's date: Σ min(members, households) and
Σ households over villages with households > 0, members being Σ over the village's groups that
exist at that date of each group's latest count on or before it; Σ latest Bluzone installs on or
before it and Σ smartphone users over villages with smartphone users > 0. Households and
smartphone users are as they are now, the same at every point.
"""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.db import connection

SERIES_FLOOR_SQL = """
WITH points (point, day) AS (VALUES {points}),
district_groups AS MATERIALIZED (
    -- the district's active groups, and the day each begins to exist
    SELECT g.id, g.village_id, COALESCE(g.established_on, g.registered_on) AS exists_from
    FROM groups_messaginggroup g
    JOIN communes_village v ON v.id = g.village_id
    JOIN communes_commune c ON c.id = v.commune_id
    WHERE c.district_id = %(district)s AND g.status = 'active'
      AND COALESCE(g.established_on, g.registered_on) <= %(last_day)s
),
member_counts AS (
    -- the counts that can be a point's latest: those after the first point up to the last one,
    -- and each group's latest on or before the first (one backward step in the index)
    SELECT g.village_id, g.exists_from, m.group_id, m.date, m.members
    FROM district_groups g
    JOIN groups_membercount m ON m.group_id = g.id
    WHERE m.date > %(first_day)s AND m.date <= %(last_day)s
    UNION ALL
    SELECT g.village_id, g.exists_from, m.group_id, m.date, m.members
    FROM district_groups g
    JOIN groups_membercount m ON m.group_id = g.id
     AND m.date = (SELECT MAX(f.date) FROM groups_membercount f
                    WHERE f.group_id = g.id AND f.date <= %(first_day)s)
),
member_spans AS (
    -- a count is the group's latest from its date until the next one
    SELECT village_id, exists_from, members, date AS since,
           LEAD(date) OVER (PARTITION BY group_id ORDER BY date) AS until
    FROM member_counts
),
members AS (
    -- at each point, each village's members: Σ over its groups that exist then
    SELECT p.point, s.village_id, SUM(s.members) AS members
    FROM member_spans s
    JOIN points p ON s.since <= p.day AND (s.until IS NULL OR p.day < s.until)
                 AND s.exists_from <= p.day
    GROUP BY p.point, s.village_id
),
district_villages AS MATERIALIZED (
    SELECT v.id, v.households, v.smartphone_users
    FROM communes_village v
    JOIN communes_commune c ON c.id = v.commune_id
    WHERE c.district_id = %(district)s
),
install_counts AS (
    -- likewise the Bluzone counts of each village
    SELECT b.village_id, b.date, b.installs
    FROM district_villages v
    JOIN communes_bluzonecount b ON b.village_id = v.id
    WHERE b.date > %(first_day)s AND b.date <= %(last_day)s
    UNION ALL
    SELECT b.village_id, b.date, b.installs
    FROM district_villages v
    JOIN communes_bluzonecount b ON b.village_id = v.id
     AND b.date = (SELECT MAX(f.date) FROM communes_bluzonecount f
                    WHERE f.village_id = v.id AND f.date <= %(first_day)s)
),
installs AS (
    SELECT p.point, s.village_id, s.installs
    FROM (SELECT village_id, installs, date AS since,
                 LEAD(date) OVER (PARTITION BY village_id ORDER BY date) AS until
          FROM install_counts) s
    JOIN points p ON s.since <= p.day AND (s.until IS NULL OR p.day < s.until)
)
-- households and smartphone users are as they are now, the same at every point
SELECT p.point, COALESCE(cv.covered, 0), t.households, COALESCE(iv.installs, 0),
       t.smartphone_users
FROM points p
CROSS JOIN (
    SELECT COALESCE(SUM(CASE WHEN households > 0 THEN households ELSE 0 END), 0) AS households,
           COALESCE(SUM(CASE WHEN smartphone_users > 0 THEN smartphone_users ELSE 0 END), 0)
               AS smartphone_users
    FROM district_villages
) t
LEFT JOIN (
    SELECT m.point, SUM(CASE WHEN v.households <= 0 THEN 0
                             WHEN m.members < v.households THEN m.members
                             ELSE v.households END) AS covered
    FROM members m JOIN district_villages v ON v.id = m.village_id
    GROUP BY m.point
) cv ON cv.point = p.point
LEFT JOIN (
    SELECT i.point, SUM(i.installs) AS installs
    FROM installs i JOIN district_villages v ON v.id = i.village_id
    WHERE v.smartphone_users > 0
    GROUP BY i.point
) iv ON iv.point = p.point
ORDER BY p.point
"""


class SeriesSums(NamedTuple):
    """The sums behind a point of the chart: coverage is covered / households, Bluzone installs /
    smartphone users."""

    covered: int
    households: int
    installs: int
    smartphone_users: int


def series_floor(*, district_id: int, dates: list[datetime.date]) -> list[SeriesSums]:
    """The chart: at each of `dates`, the district's sums exactly as of that date (groups that
    exist then, each one's latest count on or before it, the latest Bluzone installs on or before
    it; households and smartphone users as they are now). One statement, which reads each count
    that can be a point's latest once rather than looking up every point's."""
    if not dates:
        return []
    ops = connection.ops
    params = {
        "district": district_id,
        "first_day": ops.adapt_datefield_value(min(dates)),
        "last_day": ops.adapt_datefield_value(max(dates)),
    }
    values = []
    for index, day in enumerate(dates):
        params[f"day{index}"] = ops.adapt_datefield_value(day)
        values.append(f"({index}, %(day{index})s)")
    with connection.cursor() as cursor:
        cursor.execute(SERIES_FLOOR_SQL.format(points=", ".join(values)), params)
        rows = cursor.fetchall()
    return [SeriesSums(*(int(value) for value in row[1:])) for row in rows]
