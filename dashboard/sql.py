"""The one statement behind every figure of the dashboard: a row per village as of D.

docs/rules.md#members definitions rest on each group's latest count on or before D and, for the
flags, on
the count before it. This module computes them once, in three layers that every reader shares:

- group rows: each group of a queryset with its latest count on or before D, that count's date,
  the count before it, and the judgements of docs/rules.md#data-quality-flags (untrained admin,
  stale, no count, fell by half), made only of groups that exist as of D
  (`MessagingGroup.objects.with_existence`);
- village rows: each village in scope with the sums of its existing groups (members, has a
  group, the group flags), `covered` = min(members, households), and its latest Bluzone count;
- commune sums: the village rows summed per commune by the declarations of
  dashboard.figures.

The commune page reads the group rows and village rows of its commune, the dashboard, the API
and the exports the commune sums, the charts the same village rows summed at each point of the
series. Why hand-written: composed from ORM annotations, each reference to a latest-count
subquery is evaluated again (a group's latest count three times), and composing the query took
longer than running it at a province's scale. The ORM still writes the parts that carry a rule
of another app (the scope, which groups exist as of D), compiled and inlined here.

The text is portable but for the lookups of the latest counts: PostgreSQL reads a group's two
latest counts in one backward scan of the unique (group, date) index (LATERAL); SQLite, which
has no LATERAL, uses correlated subqueries on the same index. Sums are 64-bit: a count may be
up to 2³¹ - 1, so doubling one, or adding a district's, must not overflow an integer.
"""

from __future__ import annotations

import datetime

from django.db import connections
from django.db.models import QuerySet

from bmp_comms.statements import Statement, compiled
from communes.models import BluzoneCount, Commune, District, Village
from dashboard.figures import RATIOS, SUMMED
from groups.models import MemberCount, MessagingGroup

# A group whose latest count is older than this, as of D, is "stale": the commune has stopped
# following how many residents it reaches.
STALE_AFTER_DAYS = 14

TABLES = {
    "commune": Commune._meta.db_table,
    "district": District._meta.db_table,
    "village": Village._meta.db_table,
    "member_count": MemberCount._meta.db_table,
    "bluzone_count": BluzoneCount._meta.db_table,
}

# A group's latest count on or before D, its date and the count before it, for each group `g`.
LATEST_COUNTS = {
    "postgresql": (
        "counts.latest, counts.latest_date, counts.previous",
        """LEFT JOIN LATERAL (
            SELECT MAX(CASE WHEN t.row_number = 1 THEN t.members END) AS latest,
                   MAX(CASE WHEN t.row_number = 1 THEN t.date END) AS latest_date,
                   MAX(CASE WHEN t.row_number = 2 THEN t.members END) AS previous
            FROM (SELECT mc.members, mc.date,
                         ROW_NUMBER() OVER (ORDER BY mc.date DESC) AS row_number
                  FROM {member_count} mc
                  WHERE mc.group_id = g.id AND mc.date <= %({p}as_of)s
                  ORDER BY mc.date DESC LIMIT 2) t
        ) counts ON TRUE""",
    ),
    "default": (
        """(SELECT mc.members FROM {member_count} mc
             WHERE mc.group_id = g.id AND mc.date <= %({p}as_of)s
             ORDER BY mc.date DESC LIMIT 1) AS latest,
           (SELECT mc.date FROM {member_count} mc
             WHERE mc.group_id = g.id AND mc.date <= %({p}as_of)s
             ORDER BY mc.date DESC LIMIT 1) AS latest_date,
           (SELECT mc.members FROM {member_count} mc
             WHERE mc.group_id = g.id AND mc.date <= %({p}as_of)s
             ORDER BY mc.date DESC LIMIT 1 OFFSET 1) AS previous""",
        "",
    ),
}

# docs/rules.md#data-quality-flags judgements of a group as of D; a group that does not exist yet
# is judged on none.
GROUP_JUDGEMENTS = {
    "untrained": "exists_as_of AND NOT admin_trained",
    "stale": ("exists_as_of AND (latest_date IS NULL OR latest_date < %({p}stale_before)s)"),
    "without_count": "exists_as_of AND latest IS NULL",
    "fell_by_half": "exists_as_of AND previous > 2 * CAST(latest AS BIGINT)",
}

GROUP_ROWS = """SELECT gc.*, {judgements}
FROM (SELECT g.id, g.village_id, g.admin_trained, g.exists_as_of, {latest_columns}
      FROM ({groups}) g
      {latest_join}
      {where}) gc"""

# What a village takes from its groups that exist as of D.
VILLAGE_GROUP_SUMS = """COUNT(*) AS existing_groups,
       SUM(latest) AS members,
       SUM(untrained) AS untrained_admins,
       SUM(stale) AS stale_groups,
       SUM(without_count) AS active_group_without_count,
       SUM(fell_by_half) AS count_fell_by_half"""

# How each village in scope gets its VILLAGE_GROUP_SUMS (`m`): PostgreSQL per village, through
# the index on the groups' village; elsewhere all the existing groups at once, by village.
VILLAGE_GROUPS = {
    "postgresql": """LEFT JOIN LATERAL (
        SELECT {sums} FROM ({group_rows}) gr
    ) m ON TRUE""",
    "default": """LEFT JOIN (
        SELECT village_id, {sums} FROM ({group_rows}) gr GROUP BY village_id
    ) m ON m.village_id = v.id""",
}

# A village's latest Bluzone count on or before D and its date (`b`).
LATEST_INSTALLS = {
    "postgresql": (
        "b.installs AS latest_installs, b.date AS installs_date",
        """LEFT JOIN LATERAL (
        SELECT bc.installs, bc.date FROM {bluzone_count} bc
        WHERE bc.village_id = v.id AND bc.date <= %({p}as_of)s
        ORDER BY bc.date DESC LIMIT 1
    ) b ON TRUE""",
    ),
    "default": (
        """(SELECT bc.installs FROM {bluzone_count} bc
             WHERE bc.village_id = v.id AND bc.date <= %({p}as_of)s
             ORDER BY bc.date DESC LIMIT 1) AS latest_installs,
           (SELECT bc.date FROM {bluzone_count} bc
             WHERE bc.village_id = v.id AND bc.date <= %({p}as_of)s
             ORDER BY bc.date DESC LIMIT 1) AS installs_date""",
        "",
    ),
}

VILLAGE_ROWS = """SELECT vm.*,
       CASE WHEN vm.members < vm.households THEN vm.members ELSE vm.households END AS covered
FROM (SELECT v.id, v.commune_id, v.name, v.households, v.residents, v.smartphone_users,
             COALESCE(m.members, 0) AS members,
             CASE WHEN m.existing_groups > 0 THEN 1 ELSE 0 END AS has_group,
             COALESCE(m.untrained_admins, 0) AS untrained_admins,
             COALESCE(m.stale_groups, 0) AS stale_groups,
             COALESCE(m.active_group_without_count, 0) AS active_group_without_count,
             COALESCE(m.count_fell_by_half, 0) AS count_fell_by_half,
             COALESCE(latest_installs, 0) AS installs, installs_date
      FROM (SELECT v.*, {installs_columns} FROM {village} v {installs_join}
            WHERE v.commune_id IN ({scope})) v
      {village_groups}) vm"""

# A commune's identity and targets, as every reader of its sums gives them (`c`, its district `d`).
COMMUNE_IDENTITY = """c.id, c.code, c.name, c.kind,
       COALESCE(c.bluzone_target_pct, d.bluzone_target_pct) AS bluzone_target_pct,
       d.bluzone_target_pct AS district_target_pct"""

COMMUNE_SUMS = """SELECT {identity},
       {sums}
FROM {commune} c
JOIN {district} d ON d.id = c.district_id
LEFT JOIN (SELECT commune_id, {village_sums} FROM ({village_rows}) vr GROUP BY commune_id) vs
       ON vs.commune_id = c.id
WHERE c.id IN ({scope})"""


def _vendor(queryset: QuerySet) -> str:
    vendor = connections[queryset.db].vendor
    return vendor if vendor == "postgresql" else "default"


def _dates(as_of: datetime.date, p: str) -> dict:
    return {
        f"{p}as_of": as_of,
        f"{p}stale_before": as_of - datetime.timedelta(days=STALE_AFTER_DAYS),
    }


def group_rows(
    groups: QuerySet[MessagingGroup], as_of: datetime.date, *, p: str = "", where: str = ""
) -> Statement:
    """Each group of `groups` with `exists_as_of`, `latest`, `latest_date`, `previous` and the
    judgements of GROUP_JUDGEMENTS as 0 or 1, as of D."""
    vendor = _vendor(groups)
    source = compiled(
        groups.with_existence(as_of)
        .order_by()
        .values("id", "village_id", "admin_trained", "exists_as_of"),
        f"{p}groups_",
    )
    latest_columns, latest_join = LATEST_COUNTS[vendor]
    judgements = ",\n       ".join(
        f"CASE WHEN {condition} THEN 1 ELSE 0 END AS {name}"
        for name, condition in GROUP_JUDGEMENTS.items()
    )
    sql = GROUP_ROWS.format(
        judgements=judgements.format(p=p),
        latest_columns=latest_columns.format(p=p, **TABLES),
        latest_join=latest_join.format(p=p, **TABLES),
        groups=source.sql,
        where=where,
    )
    return Statement(sql, {**source.params, **_dates(as_of, p)})


def village_rows(communes: QuerySet[Commune], as_of: datetime.date, *, p: str = "") -> Statement:
    """Each village of `communes` as of D: its size, `members` (Σ over its groups that exist as
    of D of each one's latest count), `covered`, `has_group`, its groups' flags, `installs`
    (latest on or before D, 0 without one) and `installs_date`."""
    vendor = _vendor(communes)
    scope = compiled(communes.order_by().values("id"), f"{p}scope_")
    # Unscoped: the statement keeps only the groups of the villages of `communes`.
    existing = MessagingGroup.objects.unscoped().using(communes.db).existing_as_of(as_of)
    if vendor == "postgresql":
        groups = group_rows(existing, as_of, p=p, where="WHERE g.village_id = v.id")
    else:
        groups = group_rows(existing.filter(village__commune__in=communes), as_of, p=p)
    installs_columns, installs_join = LATEST_INSTALLS[vendor]
    sql = VILLAGE_ROWS.format(
        installs_columns=installs_columns.format(p=p, **TABLES),
        installs_join=installs_join.format(p=p, **TABLES),
        village_groups=VILLAGE_GROUPS[vendor].format(
            sums=VILLAGE_GROUP_SUMS, group_rows=groups.sql
        ),
        scope=scope.sql,
        **TABLES,
    )
    return Statement(sql, {**scope.params, **groups.params, **_dates(as_of, p)})


def commune_sums_statement(
    communes: QuerySet[Commune], as_of: datetime.date, *, p: str = ""
) -> Statement:
    """The statement of `commune_sums`, for a reader that builds on it (the snapshots)."""
    villages = village_rows(communes, as_of, p=f"{p}v_")
    scope = compiled(communes.order_by().values("id"), f"{p}scope_")
    sql = COMMUNE_SUMS.format(
        identity=COMMUNE_IDENTITY,
        sums=",\n       ".join(f"COALESCE(vs.{f.name}, 0) AS {f.name}" for f in SUMMED),
        village_sums=", ".join(f"SUM({f.village_sql}) AS {f.name}" for f in SUMMED),
        village_rows=villages.sql,
        scope=scope.sql,
        **TABLES,
    )
    return Statement(sql, {**villages.params, **scope.params})


def commune_sums(communes: QuerySet[Commune], as_of: datetime.date) -> list[dict]:
    """One dict per commune of `communes`: identity, targets and every summed figure
    (dashboard.figures.SUMMED), in one statement."""
    if communes.query.is_empty():
        return []
    return commune_sums_statement(communes, as_of).execute(communes.db)


def village_lines(communes: QuerySet[Commune], as_of: datetime.date) -> list[dict]:
    """The village rows of `communes`, by name: the commune page's lines, each with its share of
    every summed figure as `share_<name>` (its flags among them)."""
    if communes.query.is_empty():
        return []
    villages = village_rows(communes, as_of)
    shares = ", ".join(f"{f.village_sql} AS share_{f.name}" for f in SUMMED)
    sql = f"SELECT vr.*, {shares} FROM ({villages.sql}) vr ORDER BY name, id"
    return Statement(sql, villages.params).execute(communes.db)


def group_lines(groups: QuerySet[MessagingGroup], as_of: datetime.date) -> dict[int, dict]:
    """The group rows of `groups` (whatever their status), by group id."""
    if groups.query.is_empty():
        return {}
    rows = group_rows(groups, as_of).execute(groups.db)
    return {row["id"]: row for row in rows}


RATIO_SUMS = tuple(
    dict.fromkeys(
        name for ratio in RATIOS.values() for name in (ratio.numerator, ratio.denominator)
    )
)


def series_sums(points: list[tuple[datetime.date, QuerySet[Commune]]]) -> list[dict]:
    """For each (date, communes), the sums behind the percentages (covered, households,
    installs, smartphone users) over the village rows of those communes as of that date, in
    the order given: one statement."""
    by_name = {figure.name: figure for figure in SUMMED}
    parts, params, using = [], {}, None
    for index, (date, communes) in enumerate(points):
        if communes.query.is_empty():
            parts.append(f"SELECT {index} AS point, " + ", ".join(f"0 AS {n}" for n in RATIO_SUMS))
            continue
        using = communes.db
        villages = village_rows(communes, date, p=f"d{index}_")
        sums = ", ".join(f"SUM({by_name[name].village_sql}) AS {name}" for name in RATIO_SUMS)
        parts.append(f"SELECT {index} AS point, {sums} FROM ({villages.sql}) vr")
        params.update(villages.params)
    if using is None:
        return [{"point": index, **dict.fromkeys(RATIO_SUMS, 0)} for index in range(len(points))]
    rows = Statement("\nUNION ALL\n".join(parts), params).execute(using)
    return sorted(rows, key=lambda row: row["point"])
