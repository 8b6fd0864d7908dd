"""The dashboard's figures: one row per commune in the user's scope and the district totals.

One selector, `dashboard_rows`, feeds the page, the API and the exports, so the three always
agree. Every figure is as of a date D (DESIGN.md, definitions); the number of queries does not
grow with the number of communes: every sum is one statement (dashboard_sql.py), and each
extension adds a fixed number of queries of its own.

Deadlines sit on the floor below the dashboard: each row's open deadlines and the board's
deadline panel come from reports.dashboard.deadlines, which reads reports.selectors.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from bmp_comms.percent import percent
from communes.models import DEFAULT_BLUZONE_TARGET_PCT, Commune, District
from reports.dashboard.deadlines import DashboardDeadline, deadline_panel, fill_deadline_status
from reports.dashboard.sql import commune_sums
from reports.selectors import CommuneDeadlineStatus

# Within this many points under the Bluzone target a commune is "near" it (amber), beyond it
# "far" (red); at or above the target it has met it (green).
BLUZONE_NEAR_TARGET_POINTS = Decimal(10)


@dataclass(kw_only=True)
class FlagCounts:
    """Data-quality flags as of D: villages or groups whose figures look wrong."""

    members_above_residents: int = 0  # villages whose members exceed their residents
    count_fell_by_half: int = 0  # groups whose latest count is under half the one before
    active_group_without_count: int = 0  # active groups with no count on or before D
    village_without_households: int = 0

    @property
    def total(self) -> int:
        return (
            self.members_above_residents
            + self.count_fell_by_half
            + self.active_group_without_count
            + self.village_without_households
        )

    def __add__(self, other: FlagCounts) -> FlagCounts:
        return FlagCounts(
            **{name: getattr(self, name) + getattr(other, name) for name in FLAG_NAMES}
        )


FLAG_NAMES = tuple(FlagCounts.__dataclass_fields__)


@dataclass(kw_only=True)
class Figures:
    """The sums behind a commune's (or the district's) percentages, as of D."""

    bluzone_target_pct: int
    villages_count: int = 0
    villages_with_group: int = 0
    covered: int = 0  # Σ min(members, households) over villages with households > 0
    households: int = 0  # Σ households over the same villages
    installs: int = 0  # Σ latest installs over villages with smartphone users > 0
    smartphone_users: int = 0
    untrained_admins: int = 0  # active groups whose admin is not trained
    stale_groups: int = 0  # active groups with no count in the STALE_AFTER_DAYS before D
    flags: FlagCounts = field(default_factory=FlagCounts)

    @property
    def villages_without_group(self) -> int:
        return self.villages_count - self.villages_with_group

    @property
    def coverage_pct(self) -> Decimal | None:
        return percent(self.covered, self.households)

    @property
    def bluzone_pct(self) -> Decimal | None:
        return percent(self.installs, self.smartphone_users)

    @property
    def bluzone_gap_pct(self) -> Decimal | None:
        """Points still missing to reach the target (0 or less once it is met)."""
        pct = self.bluzone_pct
        return None if pct is None else Decimal(self.bluzone_target_pct) - pct

    @property
    def bluzone_level(self) -> str:
        """Bootstrap's colour for the distance to the target."""
        gap = self.bluzone_gap_pct
        if gap is None:
            return "secondary"
        if gap <= 0:
            return "success"
        return "warning" if gap <= BLUZONE_NEAR_TARGET_POINTS else "danger"


@dataclass(kw_only=True)
class CommuneRow(Figures):
    id: int
    code: str
    name: str
    # The commune's open deadlines as of D, by due date; None when it has none.
    deadline_status: list[CommuneDeadlineStatus] | None = None


@dataclass(kw_only=True)
class Dashboard:
    as_of: datetime.date
    totals: Figures
    rows: list[CommuneRow]
    # The deadlines open or recently due as of D, in the user's scope, by due date, with their
    # figures as of D; empty when the board is built without its panels (the exports).
    deadlines: list[DashboardDeadline] = field(default_factory=list)

    @property
    def shows_deadline_status(self) -> bool:
        """The column is shown once some commune has an open deadline."""
        return any(row.deadline_status is not None for row in self.rows)


def _rows_and_district_target(
    communes: QuerySet[Commune], as_of: datetime.date
) -> tuple[list[CommuneRow], int | None]:
    rows = []
    district_target = None
    for sums in commune_sums(communes, as_of):
        # PostgreSQL gives SUM(bigint) as numeric: every sum is an integer count.
        number = {name: int(sums[name]) for name in NUMBER_COLUMNS}
        district_target = sums["district_target_pct"]
        rows.append(
            CommuneRow(
                id=sums["id"],
                code=sums["code"],
                name=sums["name"],
                flags=FlagCounts(**{name: number.pop(name) for name in FLAG_NAMES}),
                **number,
            )
        )
    return sort_rows(rows, DEFAULT_SORT), district_target


def commune_rows(*, communes: QuerySet[Commune], as_of: datetime.date) -> list[CommuneRow]:
    """One row per commune of `communes` (one query), worst coverage first."""
    return _rows_and_district_target(communes, as_of)[0]


NUMBER_COLUMNS = (
    "bluzone_target_pct",
    "villages_count",
    "villages_with_group",
    "covered",
    "households",
    "installs",
    "smartphone_users",
    "untrained_admins",
    "stale_groups",
    *FLAG_NAMES,
)


def totals_of(rows: Iterable[Figures], *, bluzone_target_pct: int) -> Figures:
    """The district's figures: sums of the communes' sums (so percentages are weighted by
    households and smartphone users, as DESIGN.md defines them), never an average of them."""
    totals = Figures(bluzone_target_pct=bluzone_target_pct)
    for row in rows:
        for name in SUMMED_FIELDS:
            setattr(totals, name, getattr(totals, name) + getattr(row, name))
        totals.flags = totals.flags + row.flags
    return totals


SUMMED_FIELDS = (
    "villages_count",
    "villages_with_group",
    "covered",
    "households",
    "installs",
    "smartphone_users",
    "untrained_admins",
    "stale_groups",
)


def dashboard_rows(*, user, as_of: datetime.date, panels: bool = True) -> Dashboard:
    """The dashboard as of D for `user`: every commune of their district for district users,
    their own commune only for a commune's users (DESIGN.md, fine print). One query, plus
    one for the communes' open deadlines and, with `panels`, two for the deadline panel (those
    due on or after D minus 30 days, by due date, with their reporting rate, timeliness and
    missing communes as of D: reports.selectors.recent_deadline_summaries). `panels=False`
    leaves the board's panels out (the exports carry the table only)."""
    rows, district_target = _rows_and_district_target(Commune.objects.for_user(user), as_of)
    fill_deadline_status(rows, as_of)
    if district_target is None:
        district_target = _district_target(user)
    profile = getattr(user, "profile", None)
    # A commune's users see their commune alone: its totals are its own, target included.
    if profile is not None and profile.is_commune_role and len(rows) == 1:
        district_target = rows[0].bluzone_target_pct
    board = Dashboard(
        as_of=as_of,
        totals=totals_of(rows, bluzone_target_pct=district_target),
        rows=rows,
    )
    if panels:
        board.deadlines = deadline_panel(user, as_of)
    return board


def _district_target(user) -> int:
    """The target when the user's scope holds no commune yet (one more query)."""
    profile = getattr(user, "profile", None)
    districts = District.objects.filter(pk=profile.district_id) if profile else District.objects
    target = districts.values_list("bluzone_target_pct", flat=True).first()
    return target if target is not None else DEFAULT_BLUZONE_TARGET_PCT


def name_key(name: str) -> str:
    """Vietnamese alphabetical order, near enough for a list of communes: accents ignored,
    and đ after every other d (as the alphabet has it) rather than after z."""
    folded = unicodedata.normalize("NFD", name.casefold().replace("đ", "d{"))
    return "".join(char for char in folded if not unicodedata.combining(char))


# Sort keys of the dashboard table: the name used in ?sort= and the row's value. Missing
# percentages (no households, no smartphone users) sort as the worst.
SORT_KEYS: dict[str, Callable[[CommuneRow], Any]] = {
    "name": lambda row: name_key(row.name),
    "code": lambda row: row.code,
    "villages": lambda row: row.villages_count,
    "with_group": lambda row: row.villages_with_group,
    "without_group": lambda row: row.villages_without_group,
    "coverage": lambda row: row.coverage_pct,
    "bluzone": lambda row: row.bluzone_pct,
    "bluzone_gap": lambda row: row.bluzone_gap_pct,
    "untrained": lambda row: row.untrained_admins,
    "stale": lambda row: row.stale_groups,
    "flags": lambda row: row.flags.total,
}
DEFAULT_SORT = "coverage"


def parse_sort(value: str | None) -> str:
    """A known `?sort=` value (`key` ascending, `-key` descending), else the default."""
    if value and value.removeprefix("-") in SORT_KEYS:
        return value
    return DEFAULT_SORT


def sort_rows(rows: list[CommuneRow], sort: str) -> list[CommuneRow]:
    """Sort by `sort` (see parse_sort); ties by name. Missing values first when ascending."""
    descending = sort.startswith("-")
    key = SORT_KEYS[sort.removeprefix("-")]
    rows = sorted(rows, key=lambda row: name_key(row.name))
    return sorted(
        rows,
        key=lambda row: (key(row) is not None, key(row) if key(row) is not None else 0),
        reverse=descending,
    )
