"""What a district does beside counting, added to a scale's dataset for the dashboard's measures:
deadlines with their submissions (two of them follow-ups of inspections) and published
bulletins, so the page's deadline column, its deadline panel and its bulletin counts have rows to
compute and the floor has them to agree on. Removed again after the measures (`remove`), so the
dataset itself, which others reuse, holds none.

As for the dataset, every row follows from the commune's ordinal `k` (its rank by id), in SQL
that PostgreSQL and SQLite both run. As of D (bench.dataset.AS_OF):

- "long overdue", due D-60, every commune: submitted on time but where k % 20 = 1 (overdue);
- "recent", due D-10, every commune, by k % 20: 0 at 00:30 local on D+1 (after D, though still
  D in UTC: overdue, and missing from the panel); 1 at 00:30 local the day after the due date
  (late, though still the due date in UTC); 2 at 23:30 local on the due date (on time); 3 never
  (overdue); any other on time;
- "today", due D, the communes of even k: submitted on D where k % 4 = 0, else pending;
- "next week", due D+7, every commune: submitted the day before D where k % 3 = 0, two days
  after D where k % 3 = 1 (pending as of D), never where k % 3 = 2;
- two follow-ups, of an inspection of commune k = 1 on D-5 (due D+10) and of one of commune
  k = 2 on D+3 (due D+20: it does not exist yet as of D);
- published bulletins, by k: at 20:00 on D (k % 4 = 0), on D-10 (k % 4 = 1), on D-40
  (k % 4 = 2); at 00:00 local on D-6, the first instant of the 7 days (k % 7 = 0); at 23:59
  local on D-7, the last one before them (k % 3 = 2); at 00:30 local on D+1 (k % 5 = 0, after
  D); and a draft (k % 6 = 0).

The tiny scale's three communes (k = 0, 1, 2) meet every status and every edge above.
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings
from django.db import connection

from bench.dataset import AS_OF
from communes.models import District, Field
from deadlines.models import Deadline, Inspection

DIRECTIVE_PREFIX = "BENCH-DASH"
INSPECTOR = "Bench dashboard"
BULLETIN_PREFIX = "Bench: "
FIELD_CODE = "bench-dashboard"


def _at(day_offset: int, hour: int, minute: int = 0):
    """A local moment `day_offset` days from D, as the database stores it."""
    local = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    day = AS_OF + datetime.timedelta(days=day_offset)
    moment = datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=local)
    return connection.ops.adapt_datetimefield_value(moment)


def _ordinals(district: District) -> str:
    return (
        "SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k "
        f"FROM communes_commune WHERE district_id = {int(district.pk)}"
    )


def _deadline(district: District, key: str, title: str, due_offset: int, inspection=None):
    return Deadline.objects.create(
        district=district,
        title=title,
        directive=f"{DIRECTIVE_PREFIX}-{key}",
        due_date=AS_OF + datetime.timedelta(days=due_offset),
        inspection=inspection,
    )


# The tables `add` writes to and `remove` deletes from.
ACTIVITY_TABLES = (
    "reports_deadline, reports_deadline_communes, reports_submission, reports_inspection, "
    "bulletins_bulletin, bulletins_delivery"
)


def add(district: District, author) -> None:
    """The deadlines, submissions, inspections and bulletins above, for `district`."""
    remove(district)
    ordinals = _ordinals(district)
    long_overdue = _deadline(district, "A", "Báo cáo quý II", -60)
    recent = _deadline(district, "B", "Báo cáo kết quả thành lập nhóm", -10)
    today = _deadline(district, "C", "Danh sách quản trị viên", 0)
    next_week = _deadline(district, "D", "Báo cáo số thành viên", 7)
    communes = dict(_fetch(f"SELECT k, id FROM ({ordinals}) o WHERE k IN (1, 2)"))
    follow_ups = []
    for k, (visit, due) in {1: (-5, 10), 2: (3, 20)}.items():
        if k not in communes:
            continue
        # bulk_create: no history row, as `remove` deletes in SQL
        (inspection,) = Inspection.objects.bulk_create(
            [
                Inspection(
                    commune_id=communes[k],
                    date=AS_OF + datetime.timedelta(days=visit),
                    inspector=INSPECTOR,
                    findings="Đo hiệu năng.",
                    follow_up_due=AS_OF + datetime.timedelta(days=due),
                )
            ]
        )
        follow_ups.append(
            (_deadline(district, f"F{k}", "Khắc phục sau kiểm tra", due, inspection), k)
        )
    covered = [
        (long_overdue, "1 = 1"),
        (recent, "1 = 1"),
        (today, "o.k %% 2 = 0"),
        (next_week, "1 = 1"),
        *((deadline, f"o.k = {k}") for deadline, k in follow_ups),
    ]
    with connection.cursor() as cursor:
        for deadline, condition in covered:
            cursor.execute(
                "INSERT INTO reports_deadline_communes (deadline_id, commune_id) "
                f"SELECT %(deadline)s, o.id FROM ({ordinals}) o WHERE {condition}",
                {"deadline": deadline.pk},
            )
        # (deadline, the submission's moment by the commune's ordinal, or NULL for none)
        submissions = [
            (long_overdue, "CASE WHEN o.k %% 20 = 1 THEN NULL ELSE %(a)s END", {"a": _at(-63, 9)}),
            (
                recent,
                "CASE o.k %% 20 WHEN 0 THEN %(after)s WHEN 1 THEN %(late)s "
                "WHEN 2 THEN %(edge)s WHEN 3 THEN NULL ELSE %(early)s END",
                {
                    "after": _at(1, 0, 30),
                    "late": _at(-9, 0, 30),
                    "edge": _at(-10, 23, 30),
                    "early": _at(-11, 9),
                },
            ),
            (
                today,
                "CASE WHEN o.k %% 4 = 0 THEN %(on)s END",
                {"on": _at(0, 10)},
            ),
            (
                next_week,
                "CASE o.k %% 3 WHEN 0 THEN %(before)s WHEN 1 THEN %(after)s END",
                {"before": _at(-1, 15), "after": _at(2, 8)},
            ),
        ]
        now = _at(0, 12)
        for deadline, moment, params in submissions:
            cursor.execute(
                "INSERT INTO reports_submission "
                "(deadline_id, commune_id, submitted_at, note, attachment, updated_at) "
                "SELECT dc.deadline_id, dc.commune_id, t.submitted_at, '', '', %(now)s "
                f"FROM (SELECT o.id, {moment} AS submitted_at FROM ({ordinals}) o) t "
                "JOIN reports_deadline_communes dc ON dc.commune_id = t.id "
                "WHERE dc.deadline_id = %(deadline)s AND t.submitted_at IS NOT NULL",
                {**params, "now": now, "deadline": deadline.pk},
            )
        Field.objects.get_or_create(code=FIELD_CODE, defaults={"name": "Đo hiệu năng"})
        bulletins = [
            ("o.k %% 4 = 0", "published", _at(0, 20)),
            ("o.k %% 4 = 1", "published", _at(-10, 9)),
            ("o.k %% 4 = 2", "published", _at(-40, 9)),
            ("o.k %% 7 = 0", "published", _at(-6, 0)),
            ("o.k %% 3 = 2", "published", _at(-7, 23, 59)),
            ("o.k %% 5 = 0", "published", _at(1, 0, 30)),
            ("o.k %% 6 = 0", "draft", None),
        ]
        for condition, status, published_at in bulletins:
            # A draft has no published_at: the column is left out (an untyped NULL would be
            # text to PostgreSQL).
            published = ", published_at" if published_at else ""
            cursor.execute(
                "INSERT INTO bulletins_bulletin (commune_id, field_id, title, body, source, "
                "status, author_id, duplicate_of, duplicate_override, urgent, urgent_reason, "
                f"created_at, updated_at{published}) "
                "SELECT o.id, %(field)s, %(title)s, 'Nội dung.', '', %(status)s, %(author)s, "
                f"'[]', FALSE, FALSE, '', %(now)s, %(now)s{published and ', %(published_at)s'} "
                f"FROM ({ordinals}) o WHERE {condition}",
                {
                    "field": FIELD_CODE,
                    "title": f"{BULLETIN_PREFIX}{status}",
                    "status": status,
                    "author": author.pk,
                    "now": now,
                    "published_at": published_at,
                },
            )
        if connection.vendor == "postgresql":
            # Fresh tables: statistics, so both sides are planned on what they hold.
            cursor.execute(f"ANALYZE {ACTIVITY_TABLES}")


def remove(district: District) -> None:
    """Everything `add` wrote for `district`, in SQL (the ORM would write a history row for
    each submission it deletes)."""
    deadlines = "SELECT id FROM reports_deadline WHERE district_id = %s AND directive LIKE %s"
    in_district = "SELECT id FROM communes_commune WHERE district_id = %s"
    directive = [district.pk, f"{DIRECTIVE_PREFIX}-%"]
    statements = [
        (f"DELETE FROM reports_submission WHERE deadline_id IN ({deadlines})", directive),
        (f"DELETE FROM reports_deadline_communes WHERE deadline_id IN ({deadlines})", directive),
        ("DELETE FROM reports_deadline WHERE district_id = %s AND directive LIKE %s", directive),
        (
            "DELETE FROM reports_inspection "
            f"WHERE inspector = %s AND commune_id IN ({in_district})",
            [INSPECTOR, district.pk],
        ),
        (
            f"DELETE FROM bulletins_bulletin WHERE title LIKE %s AND commune_id IN ({in_district})",
            [f"{BULLETIN_PREFIX}%", district.pk],
        ),
    ]
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
        if connection.vendor == "postgresql" and connection.get_autocommit():
            # Each run deletes what the previous one added: vacuumed at once, the next run's
            # rows take the room of the deleted instead of growing the tables run after run
            # (a table that is mostly dead rows, as autovacuum would not leave a served
            # database, times the scans of the dead, not the page).
            cursor.execute(f"VACUUM {ACTIVITY_TABLES}")
    if not Field.objects.filter(code=FIELD_CODE, bulletins__isnull=False).exists():
        Field.objects.filter(code=FIELD_CODE).delete()


def _fetch(sql: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()
