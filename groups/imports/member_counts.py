"""Import member counts of a commune's news groups from a spreadsheet.

A row names the village and the group as the commune page shows them, the date of the count and
the number of members. Counts are history: a count for a group and date that already exists (in
the database or higher up in the file) is an error for that row, never an overwrite; a
correction is an edit of that one count.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from bmp_comms.dates import local_today
from communes.models import Commune
from communes.services import CountsRejected, DatedCountEntry
from groups.imports import cells
from groups.imports.errors import ImportRejected, RowError, errors_from_validation
from groups.imports.reading import RowChecker, read_table
from groups.imports.villages import name_key
from groups.models import MemberCount, MessagingGroup
from groups.services import member_counts_record

COLUMNS = ("village", "group", "date", "members")
TEXT_MAX_LENGTH = 200
COLUMN_HELP = (
    ("village", _lazy("The village's name, as the commune page shows it.")),
    ("group", _lazy("The news group's name, as the commune page shows it.")),
    ("date", _lazy("The day of the count, written dd/mm/yyyy; not a future day.")),
    ("members", _lazy("Members of the group on that day: a whole number, 0 or more.")),
)
EXAMPLE = ("Thôn 1", "Nhóm tin thôn 1", datetime.date(2021, 8, 6), 180)


@dataclass(frozen=True)
class MemberCountsImported:
    created: int
    updated: int = 0  # counts are never overwritten; kept so both imports answer alike


@dataclass(frozen=True)
class _CountRow:
    number: int
    group: MessagingGroup
    date: datetime.date
    members: int


def member_counts_import(*, commune: Commune, upload, actor=None) -> MemberCountsImported:
    """All or nothing, as `villages_import`: the file's rows are checked here (cells, names,
    counts already stored), then written together by `member_counts_record`, which holds the
    rules of a count and refuses the whole file if any row breaks them."""
    table = read_table(upload, columns=COLUMNS)
    today = local_today()
    villages = {name_key(v.name): v for v in commune.villages.all()}
    groups: dict[tuple[int, str], list[MessagingGroup]] = defaultdict(list)
    # Unscoped, here and in `_duplicates`: the commune's own rows, of a commune the caller
    # found in scope.
    for group in MessagingGroup.objects.unscoped().filter(village__commune=commune):
        groups[(group.village_id, name_key(group.name))].append(group)

    errors: list[RowError] = []
    rows: list[_CountRow] = []
    for row in table.rows:
        check = RowChecker(row, table.headers)
        village_name = check("village", lambda v: cells.text(v, max_length=TEXT_MAX_LENGTH))
        group_name = check("group", lambda v: cells.text(v, max_length=TEXT_MAX_LENGTH))
        date = check("date", lambda v: cells.date(v, today=today))
        members = check("members", cells.count)
        group = None
        if village_name is not None and group_name is not None:
            group = _find_group(check, villages, groups, village_name, group_name)
        if check.errors:
            errors.extend(check.errors)
        else:
            rows.append(_CountRow(row.number, group, date, members))

    errors.extend(_duplicates(commune, rows, table.headers))
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: e.row or 0))
    return _write(rows=rows, actor=actor, headers=table.headers)


def _find_group(check, villages, groups, village_name: str, group_name: str):
    village = villages.get(name_key(village_name))
    if village is None:
        check.error("village", _("the commune has no village “%(name)s”.") % {"name": village_name})
        return None
    found = groups.get((village.pk, name_key(group_name)), [])
    if not found:
        check.error(
            "group",
            _("the village “%(village)s” has no group “%(group)s”.")
            % {"village": village.name, "group": group_name},
        )
        return None
    if len(found) > 1:
        check.error(
            "group",
            _("the village “%(village)s” has several groups named “%(group)s”; rename them first.")
            % {"village": village.name, "group": group_name},
        )
        return None
    return found[0]


def _duplicates(commune: Commune, rows: list[_CountRow], headers) -> list[RowError]:
    """One query for the counts already stored on the file's dates, then a pass over the file."""
    stored = set(
        MemberCount.objects.unscoped()
        .filter(group__village__commune=commune, date__in={row.date for row in rows})
        .values_list("group_id", "date")
    )
    errors = []
    first_row: dict[tuple[int, datetime.date], int] = {}
    for row in rows:
        key = (row.group.pk, row.date)
        if key in stored:
            message = _("a count for this group on this date already exists; correct it instead.")
        elif key in first_row:
            message = _("the same group and date are already on row %(row)d.") % {
                "row": first_row[key]
            }
        else:
            first_row[key] = row.number
            continue
        errors.append(RowError(row.number, headers["date"], message))
    return errors


def _write(*, rows: list[_CountRow], actor, headers) -> MemberCountsImported:
    try:
        member_counts_record(
            counts=[DatedCountEntry(row.group, row.date, row.members) for row in rows],
            actor=actor,
        )
    except CountsRejected as exc:
        # The service's own messages, under the row and the column of the field each names.
        raise ImportRejected(
            [
                error
                for index, refusal in sorted(exc.errors.items())
                for error in errors_from_validation(refusal, rows[index].number, headers)
            ]
        ) from exc
    return MemberCountsImported(created=len(rows))
