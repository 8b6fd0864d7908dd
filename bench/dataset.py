"""Generated datasets for the dashboard benchmark, built in SQL on the database itself.

Every row is computed from its ordinal by integer arithmetic (no Python loop, no random state),
so a scale always builds the same data and builds it fast: INSERT … SELECT over a series. The SQL
runs on PostgreSQL (generate_series) and on SQLite (a recursive series), so the unit tests can
build a tiny dataset on either.

Each scale lives in a district of its own, with one district_staff user who sees all of its
communes, so the dashboard lists every commune of the scale in one page.
"""

from __future__ import annotations

import datetime
import json
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass

from django.db import DatabaseError, connection, transaction

from communes.models import District, Role, UserProfile

AS_OF = datetime.date(2021, 8, 6)
BUILDER_VERSION = 3
MARKER_TABLE = "bench_dataset"
BULK_ROWS = 1_000_000
# Names end in the row's ordinal, from which every other value of the row is computed.
VILLAGE_PREFIX = "Thôn "
GROUP_PREFIX = "Nhóm tin "


@dataclass(frozen=True)
class Scale:
    name: str
    code_prefix: str
    communes: int
    villages: int
    groups: int
    weeks: int  # one member count a week per group (some groups have none)

    @property
    def district_code(self) -> str:
        return f"BENCH-{self.code_prefix}"

    @property
    def username(self) -> str:
        return f"bench-staff-{self.name}"

    def spec(self) -> str:
        return json.dumps({**asdict(self), "version": BUILDER_VERSION}, sort_keys=True)


SCALES = {
    "tiny": Scale("tiny", "T", communes=3, villages=14, groups=19, weeks=6),
    "province": Scale("province", "P", communes=100, villages=1_500, groups=2_000, weeks=52),
    "national": Scale("national", "N", communes=10_000, villages=100_000, groups=130_000, weeks=52),
}


@dataclass(frozen=True)
class Built:
    district: District
    user: object
    reused: bool
    seconds: float
    counts: dict[str, int]


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _series(n: int, alias: str) -> str:
    """0 … n-1 as a FROM item with the column `i`."""
    if _is_postgres():
        return f"generate_series(0, {n - 1}) AS {alias}(i)"
    return (
        f"(WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < {n - 1}) "
        f"SELECT i FROM s) AS {alias}"
    )


def _day(offset_sql: str) -> str:
    """AS_OF plus a number of days given as SQL."""
    if _is_postgres():
        return f"(DATE '{AS_OF.isoformat()}' + CAST({offset_sql} AS integer))"
    return f"date('{AS_OF.isoformat()}', ({offset_sql}) || ' days')"


def _ensure_marker_table(cursor) -> None:
    cursor.execute(
        f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} ("
        "scale varchar(32) PRIMARY KEY, spec text NOT NULL, built_at timestamp NOT NULL)"
    )


def build(scale: Scale, *, force: bool = False, log=lambda line: None) -> Built:
    """The scale's dataset, reused when the marker says it is already built to this spec."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        _ensure_marker_table(cursor)
        cursor.execute(f"SELECT spec FROM {MARKER_TABLE} WHERE scale = %s", [scale.name])
        found = cursor.fetchone()
    district = District.objects.filter(code=scale.district_code).first()
    reused = not force and found is not None and found[0] == scale.spec() and district is not None
    if not reused:
        with transaction.atomic():
            _bulk_session()
            started_drop = time.perf_counter()
            _drop(scale)
            log(f"  earlier data removed: {time.perf_counter() - started_drop:.1f} s")
            district = _insert(scale, log)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {MARKER_TABLE} (scale, spec, built_at) "
                    "VALUES (%s, %s, CURRENT_TIMESTAMP)",
                    [scale.name, scale.spec()],
                )
        started_analyze = time.perf_counter()
        _analyze()
        log(f"  vacuum and analyze: {time.perf_counter() - started_analyze:.1f} s")
    user = (
        UserProfile.objects.select_related("user")
        .get(district=district, role=Role.DISTRICT_STAFF, user__username=scale.username)
        .user
    )
    return Built(district, user, reused, time.perf_counter() - started, _counts(district))


def _drop(scale: Scale) -> None:
    district_ids = "SELECT id FROM communes_district WHERE code = %s"
    communes = f"SELECT id FROM communes_commune WHERE district_id IN ({district_ids})"
    villages = f"SELECT id FROM communes_village WHERE commune_id IN ({communes})"
    groups = f"SELECT id FROM groups_messaginggroup WHERE village_id IN ({villages})"
    statements = [
        f"DELETE FROM {MARKER_TABLE} WHERE scale = %s",
        f"DELETE FROM groups_membercount WHERE group_id IN ({groups})",
        f"DELETE FROM groups_messaginggroup WHERE id IN ({groups})",
        f"DELETE FROM communes_bluzonecount WHERE village_id IN ({villages})",
        f"DELETE FROM communes_village WHERE id IN ({villages})",
        f"DELETE FROM communes_userprofile WHERE district_id IN ({district_ids})",
        f"DELETE FROM communes_commune WHERE id IN ({communes})",
        "DELETE FROM communes_district WHERE code = %s",
    ]
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql, [scale.name if "bench_dataset" in sql else scale.district_code])
        cursor.execute("DELETE FROM auth_user WHERE username = %s", [scale.username])


def _insert(scale: Scale, log) -> District:
    from django.contrib.auth import get_user_model

    district = District.objects.create(
        code=scale.district_code,
        name=f"Benchmark {scale.name}",
        province_name="Benchmark",
        bluzone_target_pct=50,
    )
    user = get_user_model().objects.create(username=scale.username, first_name="Bench staff")
    user.set_unusable_password()
    user.save(update_fields=["password"])
    UserProfile.objects.create(user=user, role=Role.DISTRICT_STAFF, district=district)

    p, c, v, g = scale.code_prefix, scale.communes, scale.villages, scale.groups
    # A group's village is a fixed scramble of the group's ordinal, so villages get uneven
    # numbers of groups; every seventh village gets none (its groups go to its neighbour).
    scrambled = f"((s.i * 2654435761) % {v})"
    group_village = f"(CASE WHEN {scrambled} % 7 = 6 THEN {scrambled} - 1 ELSE {scrambled} END)"
    # The weekly counts end a sixth of the series after D, so "latest on or before D" has
    # later counts to skip.
    last_week_before = scale.weeks - scale.weeks // 6 - 1
    statements = [
        # Communes: one in ten overrides the district's Bluzone target.
        (
            "communes",
            f"""INSERT INTO communes_commune (district_id, code, name, slug, bluzone_target_pct)
            SELECT {district.pk}, '{p}' || s.i, 'Xã {p}' || s.i, 'bench-{p.lower()}-' || s.i,
                   CASE WHEN s.i % 10 = 0 THEN 60 END
            FROM {_series(c, "s")}""",
        ),
        # Villages: one in fifty has no households, one in forty no smartphone users.
        (
            "villages",
            f"""INSERT INTO communes_village
                (commune_id, name, kind, households, residents, smartphone_users)
            SELECT cm.id, '{VILLAGE_PREFIX}' || t.i,
                   CASE t.i % 4 WHEN 0 THEN 'thon' WHEN 1 THEN 'ap' WHEN 2 THEN 'bon'
                        ELSE 'to_dan_pho' END,
                   t.households, t.households * 4 + t.i % 97,
                   CASE WHEN t.i % 40 = 3 THEN 0
                        ELSE (t.households * 4 + t.i % 97) * (35 + t.i % 30) / 100 END
            FROM (SELECT s.i, CASE WHEN s.i % 50 = 7 THEN 0 ELSE 150 + (s.i * 7919) % 451 END
                         AS households
                  FROM {_series(v, "s")}) AS t
            JOIN communes_commune cm ON cm.code = '{p}' || (t.i % {c})""",
        ),
        # Groups: 8 in 10 active, the rest planned or closed; one in nine has no
        # established_on (it counts from registered_on); some were established after D.
        (
            "groups",
            f"""INSERT INTO groups_messaginggroup
                (village_id, platform, name, invite_url, admin_name, admin_phone,
                 admin_trained, admins_only_post, established_on, registered_on, status)
            SELECT vl.id, 'zalo', '{GROUP_PREFIX}' || s.i,
                   CASE WHEN s.i % 10 IN (3, 7) THEN '' ELSE 'https://zalo.me/g/b' || s.i END,
                   'Quản trị ' || s.i, '09' || (10000000 + s.i), s.i % 4 <> 0, s.i % 2 = 0,
                   CASE WHEN s.i % 9 = 0 THEN NULL ELSE {_day("30 - (s.i * 37) % 400")} END,
                   {_day("20 - (s.i * 53) % 200")},
                   CASE s.i % 10 WHEN 3 THEN 'planned' WHEN 7 THEN 'closed' ELSE 'active' END
            FROM {_series(g, "s")}
            JOIN communes_commune cm ON cm.code = '{p}' || ({group_village} % {c})
            JOIN communes_village vl
              ON vl.commune_id = cm.id AND vl.name = '{VILLAGE_PREFIX}' || {group_village}""",
        ),
        # A count a week per group, staggered by group, the last weeks after D; one group in
        # a hundred has none. Members grow, with a dip every 13th week.
        (
            "member counts",
            f"""INSERT INTO groups_membercount (group_id, date, members, created_at)
            SELECT t.id, {_day(f"7 * w.i + t.j % 7 - {7 * last_week_before}")},
                   CASE WHEN w.i % 13 = 12 THEN (t.j * 31) % 150
                        ELSE (t.j * 31) % 200 + w.i * (t.j % 9) END,
                   CURRENT_TIMESTAMP
            FROM (SELECT gr.id, CAST(substr(gr.name, {len(GROUP_PREFIX) + 1}) AS integer) AS j
                  FROM groups_messaginggroup gr
                  JOIN communes_village vl ON vl.id = gr.village_id
                  JOIN communes_commune cm ON cm.id = vl.commune_id
                  WHERE cm.district_id = {district.pk}) AS t
            CROSS JOIN {_series(scale.weeks, "w")}
            WHERE t.j % 100 <> 11""",
        ),
        # Bluzone installs: a count a month per village; one village in thirteen has none.
        (
            "Bluzone counts",
            f"""INSERT INTO communes_bluzonecount (village_id, date, installs, created_at)
            SELECT t.id, {_day("30 * m.i + t.k % 5 - 330")},
                   t.smartphone_users * (10 + 3 * m.i + t.k % 7) / 100, CURRENT_TIMESTAMP
            FROM (SELECT vl.id, vl.smartphone_users,
                         CAST(substr(vl.name, {len(VILLAGE_PREFIX) + 1}) AS integer) AS k
                  FROM communes_village vl
                  JOIN communes_commune cm ON cm.id = vl.commune_id
                  WHERE cm.district_id = {district.pk}) AS t
            CROSS JOIN {_series(12, "m")}
            WHERE t.k % 13 <> 5""",
        ),
    ]
    # Rebuilding a table's indexes once beats updating them row by row only when most of the
    # table is new, as when the national scale is loaded.
    bulky = {"member counts": scale.groups * scale.weeks, "Bluzone counts": scale.villages * 12}
    with connection.cursor() as cursor:
        for label, sql in statements:
            started = time.perf_counter()
            if _is_postgres() and bulky.get(label, 0) >= BULK_ROWS:
                table = sql.split("INSERT INTO ", 1)[1].split()[0]
                with _indexes_rebuilt_after(cursor, table):
                    cursor.execute(sql)
                    rows = cursor.rowcount
            else:
                cursor.execute(sql)
                rows = cursor.rowcount
            log(f"  {label}: {rows:,} rows in {time.perf_counter() - started:.1f} s")
    return district


def _bulk_session() -> None:
    """PostgreSQL settings for this transaction only: the data can be rebuilt at any time."""
    if not _is_postgres():
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO off")
        cursor.execute("SET LOCAL maintenance_work_mem TO '512MB'")
        try:
            # Skips the row-by-row foreign-key triggers (the rows are consistent by
            # construction); allowed to superusers only, so merely attempted.
            with transaction.atomic():
                cursor.execute("SET LOCAL session_replication_role TO replica")
        except DatabaseError:
            pass


@contextmanager
def _indexes_rebuilt_after(cursor, table: str):
    """Drop the table's unique constraints and secondary indexes (the primary key stays), let
    the caller load it, and build them again from their own definitions."""
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid), contype FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('u', 'p')",
        [table],
    )
    constraints = cursor.fetchall()
    uniques = [(name, definition) for name, definition, kind in constraints if kind == "u"]
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes "
        "WHERE schemaname = current_schema() AND tablename = %s",
        [table],
    )
    owned = {name for name, _, _ in constraints}
    indexes = [(name, definition) for name, definition in cursor.fetchall() if name not in owned]
    quote = connection.ops.quote_name
    for name, _ in uniques:
        cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    for name, definition in uniques:
        cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
    for _, definition in indexes:
        cursor.execute(definition)


def _analyze() -> None:
    tables = [
        "communes_commune",
        "communes_village",
        "communes_bluzonecount",
        "groups_messaginggroup",
        "groups_membercount",
    ]
    with connection.cursor() as cursor:
        if _is_postgres() and connection.get_autocommit():
            # VACUUM sets the visibility map, so index-only scans work as on a settled database.
            for table in tables:
                cursor.execute(f"VACUUM ANALYZE {table}")
        else:
            cursor.execute("ANALYZE")


def _counts(district: District) -> dict[str, int]:
    from communes.models import BluzoneCount, Commune, Village
    from groups.models import MemberCount, MessagingGroup

    in_district = {"village__commune__district": district}
    return {
        "communes": Commune.objects.filter(district=district).count(),
        "villages": Village.objects.filter(commune__district=district).count(),
        "groups": MessagingGroup.objects.filter(**in_district).count(),
        "member_counts": MemberCount.objects.filter(
            group__village__commune__district=district
        ).count(),
        "bluzone_counts": BluzoneCount.objects.filter(**in_district).count(),
    }
