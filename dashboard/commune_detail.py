"""The commune drill-down: every village with its figures, its groups and their flags, as of D.

The village lines are the village rows of dashboard.sql, the group lines its group rows
and the totals the commune's own dashboard row, so the page and the dashboard agree by
construction. Five queries whatever the size of the commune.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from bmp_comms.percent import percent
from communes.models import Commune
from dashboard.selectors import CommuneRow, commune_rows, fill_bulletin_counts
from dashboard.sql import group_lines, village_lines
from groups.models import MessagingGroup


@dataclass
class GroupLine:
    group: MessagingGroup  # with latest_members, latest_date and previous_members set
    counts_as_of: bool  # exists as of D: it gives the village a group, its count counts
    stale: bool
    without_count: bool
    fell_by_half: bool


@dataclass
class VillageFigures:
    """A village row as of D (dashboard.sql.village_rows)."""

    pk: int
    name: str
    households: int
    residents: int
    smartphone_users: int
    members: int
    covered: int
    installs: int
    installs_date: datetime.date | None
    has_group: bool

    def __str__(self) -> str:
        return self.name


@dataclass
class VillageLine:
    village: VillageFigures
    members_above_residents: bool
    without_households: bool
    groups: list[GroupLine] = field(default_factory=list)

    @property
    def coverage_pct(self) -> Decimal | None:
        return percent(self.village.covered, self.village.households)

    @property
    def flag_count(self) -> int:
        own = int(self.members_above_residents) + int(self.without_households)
        return own + sum(int(line.without_count) + int(line.fell_by_half) for line in self.groups)


@dataclass
class CommuneDetail:
    as_of: datetime.date
    figures: CommuneRow
    villages: list[VillageLine]

    @property
    def villages_without_group(self) -> list[VillageFigures]:
        return [line.village for line in self.villages if not line.village.has_group]


def _date(value) -> datetime.date | None:
    # SQLite hands dates back as text from a raw statement.
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value)


def commune_detail(*, commune: Commune, as_of: datetime.date) -> CommuneDetail:
    """Villages, groups and flags of one commune as of D (docs/rules.md#data-quality-flags,
    definitions)."""
    # The commune given, which the caller found in the user's scope, and its own groups.
    communes = Commune.objects.unscoped().filter(pk=commune.pk)
    groups = MessagingGroup.objects.unscoped().filter(village__commune=commune)
    figures = group_lines(groups, as_of)
    by_village: dict[int, list[GroupLine]] = {}
    for group in groups.order_by("village_id", "name", "pk"):
        row = figures[group.pk]
        group.latest_members = row["latest"]
        group.latest_date = _date(row["latest_date"])
        group.previous_members = row["previous"]
        by_village.setdefault(group.village_id, []).append(
            GroupLine(
                group=group,
                counts_as_of=bool(row["exists_as_of"]),
                stale=bool(row["stale"]),
                without_count=bool(row["without_count"]),
                fell_by_half=bool(row["fell_by_half"]),
            )
        )
    lines = [
        VillageLine(
            village=VillageFigures(
                pk=row["id"],
                name=row["name"],
                households=row["households"],
                residents=row["residents"],
                smartphone_users=row["smartphone_users"],
                members=int(row["members"]),
                covered=int(row["covered"]),
                installs=row["installs"],
                installs_date=_date(row["installs_date"]),
                has_group=bool(row["has_group"]),
            ),
            members_above_residents=bool(row["share_members_above_residents"]),
            without_households=bool(row["share_village_without_households"]),
            groups=by_village.get(row["id"], []),
        )
        for row in village_lines(communes, as_of)
    ]
    (totals,) = commune_rows(communes=communes, as_of=as_of)
    fill_bulletin_counts([totals], as_of)
    return CommuneDetail(as_of=as_of, figures=totals, villages=lines)
