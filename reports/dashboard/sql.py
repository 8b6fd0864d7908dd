"""The dashboard's sums per commune, in one SQL statement whatever the number of communes.

Why one hand-written statement: every figure of a commune rests on each group's latest count
on or before D, and the flags on the count before it. Built from ORM annotations, each
reference to such a subquery is evaluated again (the village's members twice, the latest count
three times per group), and composing the query took longer than running it at a province's
scale. Here each group's counts are looked up once, on the unique (group, date) index (an index
scan backward), and every sum is taken from that one reading, group → village → commune.

The definitions are DESIGN.md's, the same as the ORM's in coverage.py (`commune_figures`,
`villages_with_figures`); tests hold the two to the same numbers on PostgreSQL and SQLite.
The scope is the caller's `for_user` queryset, compiled by Django and inlined. The text is
portable but for the lookup of the latest counts (LATEST_COUNTS): no FILTER or LEAST, which
SQLite lacks or spells differently.
"""

from __future__ import annotations

import datetime
import re

from django.db import connections
from django.db.models import QuerySet

from communes.models import BluzoneCount, Commune, District, Village
from groups.models import GroupStatus, MemberCount, MessagingGroup

# A group whose latest count is older than this, as of D, is "stale": the commune has stopped
# following how many residents it reaches.
STALE_AFTER_DAYS = 14

# One row per active group: its admin, whether it exists as of D (established by then, or
# registered by then when it has no established_on) and its counts (LATEST_COUNTS).
GROUP_ROW = """g.admin_trained,
           CASE WHEN COALESCE(g.established_on, g.registered_on) <= %(as_of)s
                THEN 1 ELSE 0 END AS exists_as_of,
           counts.latest, counts.latest_date, counts.previous"""

# A group's latest count on or before D, its date, and the count before it, as the `counts`
# joined to each group `g`. PostgreSQL reads both rows in one backward scan of the unique
# (group, date) index; SQLite, which has no LATERAL, looks them up with three correlated
# subqueries on the same index.
LATEST_COUNTS = {
    "postgresql": """LEFT JOIN LATERAL (
        SELECT MAX(CASE WHEN t.row_number = 1 THEN t.members END) AS latest,
               MAX(CASE WHEN t.row_number = 1 THEN t.date END) AS latest_date,
               MAX(CASE WHEN t.row_number = 2 THEN t.members END) AS previous
        FROM (SELECT mc.members, mc.date,
                     ROW_NUMBER() OVER (ORDER BY mc.date DESC) AS row_number
              FROM {member_count} mc
              WHERE mc.group_id = g.id AND mc.date <= %(as_of)s
              ORDER BY mc.date DESC LIMIT 2) t
    ) counts ON TRUE""",
    "default": """JOIN (
        SELECT id,
               (SELECT mc.members FROM {member_count} mc
                 WHERE mc.group_id = g0.id AND mc.date <= %(as_of)s
                 ORDER BY mc.date DESC LIMIT 1) AS latest,
               (SELECT mc.date FROM {member_count} mc
                 WHERE mc.group_id = g0.id AND mc.date <= %(as_of)s
                 ORDER BY mc.date DESC LIMIT 1) AS latest_date,
               (SELECT mc.members FROM {member_count} mc
                 WHERE mc.group_id = g0.id AND mc.date <= %(as_of)s
                 ORDER BY mc.date DESC LIMIT 1 OFFSET 1) AS previous
        FROM {group} g0
    ) counts ON counts.id = g.id""",
}

# What a village takes from its active groups. The judgements of groups (admin, staleness,
# counts) concern only those that exist as of D: one registered later has nothing to judge yet.
GROUP_SUMS = """SUM(latest) AS members,
           MAX(exists_as_of) AS has_group,
           SUM(CASE WHEN exists_as_of = 1 AND NOT admin_trained THEN 1 ELSE 0 END)
               AS untrained_admins,
           SUM(CASE WHEN exists_as_of = 1
                     AND (latest_date IS NULL OR latest_date < %(stale_before)s)
                    THEN 1 ELSE 0 END) AS stale_groups,
           SUM(CASE WHEN exists_as_of = 1 AND latest IS NULL THEN 1 ELSE 0 END)
               AS active_group_without_count,
           SUM(CASE WHEN exists_as_of = 1 AND previous > 2 * latest THEN 1 ELSE 0 END)
               AS count_fell_by_half"""

# How each village in scope gets its GROUP_SUMS (`m`). PostgreSQL: per village, through the
# index on the groups' village (a province's villages are read once, and only its groups).
# Elsewhere: all the groups in scope at once, grouped by village.
VILLAGE_GROUPS = {
    "postgresql": (
        "",
        """LEFT JOIN LATERAL (
        SELECT {group_sums}
        FROM (SELECT {group_row}
              FROM {group} g
              {latest_counts}
              WHERE g.village_id = v.id AND g.status = %(active)s) village_group
    ) m ON TRUE""",
    ),
    "default": (
        """scope_groups AS (
    SELECT g.village_id, {group_row}
    FROM {group} g
    JOIN {village} gv ON gv.id = g.village_id
    {latest_counts}
    WHERE g.status = %(active)s AND gv.commune_id IN ({scope})
),
village_groups AS (
    SELECT village_id, {group_sums}
    FROM scope_groups
    GROUP BY village_id
),
""",
        "LEFT JOIN village_groups m ON m.village_id = v.id",
    ),
}

STATEMENT = """
WITH {village_groups_cte}scope_villages AS (
    SELECT v.commune_id,
           v.households,
           v.residents,
           v.smartphone_users,
           COALESCE(m.members, 0) AS members,
           COALESCE(m.has_group, 0) AS has_group,
           COALESCE(m.untrained_admins, 0) AS untrained_admins,
           COALESCE(m.stale_groups, 0) AS stale_groups,
           COALESCE(m.active_group_without_count, 0) AS active_group_without_count,
           COALESCE(m.count_fell_by_half, 0) AS count_fell_by_half,
           COALESCE((SELECT b.installs FROM {bluzone_count} b
                      WHERE b.village_id = v.id AND b.date <= %(as_of)s
                      ORDER BY b.date DESC LIMIT 1), 0) AS installs
    FROM {village} v
    {village_groups_join}
    WHERE v.commune_id IN ({scope})
),
village_sums AS (
    SELECT commune_id,
           COUNT(*) AS villages_count,
           SUM(has_group) AS villages_with_group,
           -- coverage: Σ min(members, households) / Σ households, villages with households
           SUM(CASE WHEN households > 0 THEN
                    CASE WHEN members < households THEN members ELSE households END
               ELSE 0 END) AS covered,
           SUM(CASE WHEN households > 0 THEN households ELSE 0 END) AS households,
           -- Bluzone: Σ latest installs / Σ smartphone users, villages with smartphone users
           SUM(CASE WHEN smartphone_users > 0 THEN installs ELSE 0 END) AS installs,
           SUM(CASE WHEN smartphone_users > 0 THEN smartphone_users ELSE 0 END)
               AS smartphone_users,
           SUM(CASE WHEN members > residents THEN 1 ELSE 0 END) AS members_above_residents,
           SUM(CASE WHEN households = 0 THEN 1 ELSE 0 END) AS village_without_households,
           SUM(untrained_admins) AS untrained_admins,
           SUM(stale_groups) AS stale_groups,
           SUM(active_group_without_count) AS active_group_without_count,
           SUM(count_fell_by_half) AS count_fell_by_half
    FROM scope_villages
    GROUP BY commune_id
)
SELECT c.id, c.code, c.name,
       COALESCE(c.bluzone_target_pct, d.bluzone_target_pct) AS bluzone_target_pct,
       d.bluzone_target_pct AS district_target_pct,
       COALESCE(vs.villages_count, 0) AS villages_count,
       COALESCE(vs.villages_with_group, 0) AS villages_with_group,
       COALESCE(vs.covered, 0) AS covered,
       COALESCE(vs.households, 0) AS households,
       COALESCE(vs.installs, 0) AS installs,
       COALESCE(vs.smartphone_users, 0) AS smartphone_users,
       COALESCE(vs.members_above_residents, 0) AS members_above_residents,
       COALESCE(vs.village_without_households, 0) AS village_without_households,
       COALESCE(vs.untrained_admins, 0) AS untrained_admins,
       COALESCE(vs.stale_groups, 0) AS stale_groups,
       COALESCE(vs.active_group_without_count, 0) AS active_group_without_count,
       COALESCE(vs.count_fell_by_half, 0) AS count_fell_by_half
FROM {commune} c
JOIN {district} d ON d.id = c.district_id
LEFT JOIN village_sums vs ON vs.commune_id = c.id
WHERE c.id IN ({scope})
"""

TABLES = {
    "commune": Commune._meta.db_table,
    "district": District._meta.db_table,
    "village": Village._meta.db_table,
    "group": MessagingGroup._meta.db_table,
    "member_count": MemberCount._meta.db_table,
    "bluzone_count": BluzoneCount._meta.db_table,
}
NAMED_PARAMETER = re.compile(r"%\((\w+)\)s")


def _named(sql: str, params: tuple) -> tuple[str, dict]:
    """Django's compiled SQL with its positional parameters named scope_0, scope_1...: the
    scope appears several times in the statement, each time with its parameters."""
    names = iter(range(len(params)))

    def name(match: re.Match) -> str:
        return match.group(0) if match.group(0) == "%%" else f"%(scope_{next(names)})s"

    return POSITIONAL_PARAMETER.sub(name, sql), {f"scope_{i}": p for i, p in enumerate(params)}


POSITIONAL_PARAMETER = re.compile(r"%%|%s")


def _statement(vendor: str) -> str:
    """STATEMENT for a database, every fragment in place; only {scope} is left to fill."""
    cte, join = VILLAGE_GROUPS.get(vendor, VILLAGE_GROUPS["default"])
    latest_counts = LATEST_COUNTS.get(vendor, LATEST_COUNTS["default"]).format(**TABLES)
    fragments = {
        "group_row": GROUP_ROW,
        "group_sums": GROUP_SUMS,
        "latest_counts": latest_counts,
        "scope": "{scope}",
        **TABLES,
    }
    return STATEMENT.format(
        village_groups_cte=cte.format(**fragments),
        village_groups_join=join.format(**fragments),
        scope="{scope}",
        **TABLES,
    )


def commune_sums(communes: QuerySet[Commune], as_of: datetime.date) -> list[dict]:
    """One dict per commune of `communes`: identity, targets and every sum of the dashboard."""
    scope = communes.order_by().values("id")
    scope_sql, values = _named(*scope.query.get_compiler(using=scope.db).as_sql())
    values.update(
        as_of=as_of,
        stale_before=as_of - datetime.timedelta(days=STALE_AFTER_DAYS),
        active=GroupStatus.ACTIVE.value,
    )
    connection = connections[scope.db]
    statement = _statement(connection.vendor).format(scope=scope_sql)
    # Positional for the database driver, in the order the names appear.
    params = [values[name] for name in NAMED_PARAMETER.findall(statement)]
    statement = NAMED_PARAMETER.sub("%s", statement)
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        columns = [column[0] for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
