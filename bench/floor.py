"""The floor: one hand-written query that computes, per commune of a district, exactly the
figures DESIGN.md defines for the dashboard, as of D.

- villages_count: every village of the commune;
- villages_with_group: villages with at least one active group established on or before D
  (registered_on when established_on is empty);
- covered / households: Σ min(members, households) and Σ households over villages with
  households > 0, members being Σ over the village's active groups that exist as of D
  (established, or registered, on or before D) of each group's latest count on or before D;
- installs / smartphone_users: Σ latest Bluzone installs on or before D and Σ smartphone users
  over villages with smartphone users > 0.

Written once, in SQL that PostgreSQL and SQLite both run, so a unit test proves it on SQLite
and the benchmark times it on PostgreSQL.
"""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.db import connection

FLOOR_SQL = """
WITH latest AS (
    -- each group that exists as of D (active, established or registered by then) with its
    -- latest count on or before D, found through the (group, date) index
    SELECT g.village_id,
           (SELECT m.members FROM groups_membercount m
             WHERE m.group_id = g.id AND m.date <= %(as_of)s
             ORDER BY m.date DESC LIMIT 1) AS members
    FROM groups_messaginggroup g
    JOIN communes_village v ON v.id = g.village_id
    JOIN communes_commune c ON c.id = v.commune_id
    WHERE c.district_id = %(district)s AND g.status = 'active'
      AND COALESCE(g.established_on, g.registered_on) <= %(as_of)s
),
per_village AS (
    SELECT village_id, COALESCE(SUM(members), 0) AS members, 1 AS has_group
    FROM latest
    GROUP BY village_id
),
villages AS (
    SELECT v.commune_id, v.households, v.smartphone_users,
           COALESCE(pv.members, 0) AS members,
           COALESCE(pv.has_group, 0) AS has_group,
           COALESCE((SELECT b.installs FROM communes_bluzonecount b
                      WHERE b.village_id = v.id AND b.date <= %(as_of)s
                      ORDER BY b.date DESC LIMIT 1), 0) AS installs
    FROM communes_village v
    JOIN communes_commune c ON c.id = v.commune_id
    LEFT JOIN per_village pv ON pv.village_id = v.id
    WHERE c.district_id = %(district)s
)
SELECT c.id,
       COUNT(vs.commune_id) AS villages_count,
       COUNT(vs.commune_id) FILTER (WHERE vs.has_group = 1) AS villages_with_group,
       COALESCE(SUM(CASE WHEN vs.members < vs.households THEN vs.members
                         ELSE vs.households END) FILTER (WHERE vs.households > 0), 0),
       COALESCE(SUM(vs.households) FILTER (WHERE vs.households > 0), 0),
       COALESCE(SUM(vs.installs) FILTER (WHERE vs.smartphone_users > 0), 0),
       COALESCE(SUM(vs.smartphone_users) FILTER (WHERE vs.smartphone_users > 0), 0)
FROM communes_commune c
LEFT JOIN villages vs ON vs.commune_id = c.id
WHERE c.district_id = %(district)s
GROUP BY c.id
ORDER BY c.id
"""


class Figures(NamedTuple):
    """The six numbers the floor and the dashboard must agree on, per commune."""

    villages_count: int
    villages_with_group: int
    covered: int
    households: int
    installs: int
    smartphone_users: int


def floor_figures(*, district_id: int, as_of: datetime.date) -> dict[int, Figures]:
    params = {
        "district": district_id,
        "as_of": connection.ops.adapt_datefield_value(as_of),
    }
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, params)
        return {row[0]: Figures(*(int(value) for value in row[1:])) for row in cursor.fetchall()}
