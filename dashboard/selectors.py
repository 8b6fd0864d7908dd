"""The dashboard's figures: one row per commune in the user's scope and the district totals.

One selector, `dashboard_rows`, feeds the page, the API and the exports, so the three always
agree. Every figure is as of a date D (docs/rules.md#dashboard, definitions); the number of queries
does not grow with the number of communes: every sum is one statement (dashboard.sql) and
the deadlines add a fixed number of their own.

Deadlines sit on the floor below the dashboard: each row's open deadlines and the board's
deadline panel come from dashboard.deadlines, which reads deadlines.selectors.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from decimal import Decimal
from functools import cached_property
from operator import attrgetter, itemgetter
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext

from bulletins.selectors import NO_POSTING, PostingCounts, posting_counts
from communes.models import DEFAULT_BLUZONE_TARGET_PCT, Commune, District
from communes.names import name_key, search_communes
from dashboard.deadlines import deadline_panel, fill_deadline_status
from dashboard.figures import POSTING_TARGET_PCT, Figures, totals_of
from dashboard.snapshots import QueueFill, kept_commune_sums
from deadlines.selectors import MISSING_SHOWN, CommuneIdentity, RecentDeadline
from deadlines.statuses import CommuneDeadlineStatus, has_open_deadline


class CommuneRow(Figures):
    """One commune's figures as of D, its identity and its open deadlines."""

    def __init__(self, *, id: int, code: str, name: str, kind: str = "xa", **figures) -> None:
        super().__init__(**figures)
        self._identify(id, code, name, kind)

    @classmethod
    def from_sums(cls, sums: dict) -> CommuneRow:
        """A row of dashboard.sql.commune_sums (or of its kept snapshot) as a CommuneRow."""
        row = cls.__new__(cls)
        row._take_sums(sums["bluzone_target_pct"], sums)
        row._identify(sums["id"], sums["code"], sums["name"], sums["kind"])
        return row

    def _identify(self, id: int, code: str, name: str, kind: str) -> None:
        self.id = id
        self.code = code
        self.name = name
        self.kind = kind
        # Its place in alphabetical order (`name_key`), worked out once: every sort reads it.
        self.sort_name = name_key(name)
        # The commune's open deadlines as of D, by due date; None when it has none.
        self.deadline_status: list[CommuneDeadlineStatus] | None = None


@dataclass(kw_only=True)
class Dashboard:
    as_of: datetime.date
    totals: Figures
    rows: list[CommuneRow]
    # The deadlines open or recently due as of D, in the user's scope, by due date, with their
    # figures as of D; empty when the board is built without its panels (the exports).
    deadlines: list[RecentDeadline] = field(default_factory=list)

    # The board's counts are read by the page, the API and the totals; its rows are complete
    # once it is made, so each count is worked out once.
    @cached_property
    def communes_without_bulletins_7d(self) -> int:
        """docs/rules.md#posting-cadence posting cadence: communes that published nothing in the 7
        days to D."""
        return sum(1 for row in self.rows if row.bulletins_7d == 0)

    # The posting proof a commune is expected to reach (the board counts those under it).
    posting_target_pct = POSTING_TARGET_PCT

    @cached_property
    def communes_posting_under_80(self) -> int:
        """docs/rules.md#posting-proof: communes whose posting proof in the 30 days to D is
        under 80 %; a commune with no delivery in them has no percentage and is not counted."""
        return sum(1 for row in self.rows if row.posting_below_target)

    # Set instead by dashboard_rows when the rows' deadlines are not read (statuses=False).
    @cached_property
    def shows_deadline_status(self) -> bool:
        """The column is shown once some commune has an open deadline."""
        return any(row.deadline_status is not None for row in self.rows)


def _rows_and_district_target(
    communes: QuerySet[Commune], as_of: datetime.date, queue_fill: QueueFill | None = None
) -> tuple[list[CommuneRow], int | None]:
    rows = []
    district_target = None
    # The communes' kept sums of the day where stored, else computed from the counts
    # (dashboard.snapshots): either way equal to dashboard.sql.commune_sums.
    for sums in kept_commune_sums(communes, as_of, queue_fill=queue_fill):
        district_target = sums["district_target_pct"]
        rows.append(CommuneRow.from_sums(sums))
    return sort_rows(rows, DEFAULT_SORT), district_target


# The counted figures that bulletins.selectors.posting_counts gives, under their names.
POSTING_NAMES = tuple(posting.name for posting in fields(PostingCounts))
_posting_sums = itemgetter(*POSTING_NAMES)


def commune_rows(*, communes: QuerySet[Commune], as_of: datetime.date) -> list[CommuneRow]:
    """One row per commune of `communes` with its village sums (one query), worst coverage
    first; `fill_bulletin_counts` adds the bulletins where they are shown."""
    return _rows_and_district_target(communes, as_of)[0]


def fill_bulletin_counts(
    rows: list[CommuneRow], as_of: datetime.date, scope: QuerySet[Commune] | None = None
) -> None:
    """Each row's posting cadence (bulletins_7d, bulletins_30d) and posting proof
    (deliveries_30d, deliveries_done_30d, urgent_30d) as bulletins.selectors counts them, one
    query whatever the number of rows; `scope`, the rows' communes as a queryset, spares the
    statement their list of ids."""
    counts = posting_counts(commune_ids=[row.id for row in rows], as_of=as_of, scope=scope)
    for row in rows:
        posting = counts.get(row.id, NO_POSTING)
        # A row's counted figures start at 0: most communes of a nation posted nothing.
        if posting is NO_POSTING and not any(_posting_sums(row.sums)):
            continue
        for name in POSTING_NAMES:
            row.sums[name] = getattr(posting, name)


def dashboard_rows(
    *,
    user,
    as_of: datetime.date,
    panels: bool = True,
    queue_fill: QueueFill | None = None,
    statuses: bool = True,
    missing_first: int | None = None,
) -> Dashboard:
    """The dashboard as of D for `user`: every commune of their district for district users,
    their own commune only for a commune's users (docs/rules.md#dashboard). One query, plus
    one for the communes' open deadlines and, with `panels`, two for the deadline panel (those
    due on or after D minus 30 days, by due date, with their reporting rate, timeliness and
    missing communes as of D: deadlines.selectors.recent_deadline_summaries). `panels=False`
    leaves the board's panels out (the exports carry the table only). The communes whose sums
    of D were not kept are handed to `queue_fill` (a page's caller gives the worker's).

    A page that shows a part of the rows asks for `statuses=False` and fills the open
    deadlines of the rows it shows (`fill_deadline_status`): the board then only knows, in
    one query, whether some commune has one; and for `missing_first`, which names that many
    missing communes per deadline of the panel (their count is each deadline's own)."""
    communes = Commune.objects.for_user(user).serving(as_of)
    rows, district_target = _rows_and_district_target(communes, as_of, queue_fill)
    # The rows are `communes`: the statements read them as a subquery, not as a list of ids.
    if statuses:
        fill_deadline_status(rows, as_of, communes)
    fill_bulletin_counts(rows, as_of, communes)
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
    if not statuses:
        # The table shows the column once some commune in scope has an open deadline.
        board.shows_deadline_status = has_open_deadline(communes, as_of)
    # The totals carry the board's count too, as the API's `totals` gives it.
    board.totals.communes_posting_under_80 = board.communes_posting_under_80
    if panels:
        board.deadlines = deadline_panel(user, as_of, missing_first)
    return board


def _district_target(user) -> int:
    """The target when the user's scope holds no commune yet (one more query)."""
    profile = getattr(user, "profile", None)
    districts = District.objects.filter(pk=profile.district_id) if profile else District.objects
    target = districts.values_list("bluzone_target_pct", flat=True).first()
    return target if target is not None else DEFAULT_BLUZONE_TARGET_PCT


# The dashboard table's columns: the key used in ?sort= and the figure shown and sorted by.
TABLE_COLUMNS = {
    "villages": "villages_count",
    "with_group": "villages_with_group",
    "without_group": "villages_without_group",
    "coverage": "coverage_pct",
    "bluzone": "bluzone_pct",
    "untrained": "untrained_admins",
    "stale": "stale_groups",
    "bulletins": "bulletins_7d",
    "posting": "posting_pct",
}
# Missing percentages (no households, no smartphone users) sort as the worst.
SORT_KEYS: dict[str, Callable[[CommuneRow], Any]] = {
    "name": attrgetter("sort_name"),
    "code": lambda row: row.code,
    **{key: attrgetter(figure) for key, figure in TABLE_COLUMNS.items()},
    "bluzone_gap": attrgetter("bluzone_gap_pct"),
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
    rows = sorted(rows, key=attrgetter("sort_name"))

    def missing_first(row: CommuneRow) -> tuple[bool, Any]:
        value = key(row)  # once a row: a percentage is worked out each time it is read
        return (value is not None, value if value is not None else 0)

    return sorted(rows, key=missing_first, reverse=descending)


# The commune table shows this many rows a page: a district's or a province's communes (a
# hundred or so) fit on one page, a nation's ten thousand do not.
PAGE_SIZE = 200


@dataclass(frozen=True, kw_only=True)
class CommuneTable:
    """One page of the dashboard's commune table: the rows in scope matching the search, in
    the chosen order, cut into pages of PAGE_SIZE."""

    page: Page
    query: str
    # The communes in the user's scope, before the search.
    in_scope: int

    @property
    def rows(self) -> list[CommuneRow]:
        return list(self.page.object_list)

    @property
    def matching(self) -> int:
        return self.page.paginator.count

    @property
    def fits_one_page(self) -> bool:
        """Every commune in scope fits on one page."""
        return self.in_scope <= PAGE_SIZE


def commune_table(
    rows: list[CommuneRow], *, sort: str, query: str, page: str | int | None
) -> CommuneTable:
    """The page `page` of `rows` matching `query` (`communes.names.search_communes`) sorted by
    `sort` (see sort_rows); a page number that is not one falls back to the first page, one
    past the end to the last (Paginator.get_page). No database query: the rows are already
    read."""
    matching = sort_rows(search_communes(rows, query), sort)
    return CommuneTable(
        page=Paginator(matching, PAGE_SIZE).get_page(page), query=query, in_scope=len(rows)
    )


# The coverage bands are this many points wide, from 0 up to 100 (the last band holds 100).
COVERAGE_BAND_POINTS = 10


@dataclass(frozen=True, kw_only=True)
class CoverageBand:
    """Communes whose coverage as of D is from `low` up to `high` percent, both as shown (to
    one decimal); `low` None for the communes with no households, whose coverage is
    undefined (docs/rules.md#percentages)."""

    low: Decimal | None
    high: Decimal | None
    communes: int

    @property
    def label(self) -> str:
        if self.low is None:
            return gettext("No households")
        return f"{number_format(self.low)}–{number_format(self.high)} %"


def coverage_bands(rows: list[CommuneRow]) -> list[CoverageBand]:
    """How many communes of `rows` fall in each coverage band: no households, then 0–9.9 %,
    10–19.9 %, …, 90–100 %, by the percentage the table shows (rounded to one decimal, so
    9.96 % is 10.0 % and counts in 10–19.9 %). Every row is counted once."""
    bands = 100 // COVERAGE_BAND_POINTS
    counts = [0] * bands
    without_households = 0
    for row in rows:
        pct = row.coverage_pct
        if pct is None:
            without_households += 1
        else:
            counts[min(int(pct // COVERAGE_BAND_POINTS), bands - 1)] += 1
    step = Decimal("0.1")
    return [
        CoverageBand(low=None, high=None, communes=without_households),
        *(
            CoverageBand(
                low=Decimal(index * COVERAGE_BAND_POINTS),
                high=Decimal(100)
                if index == bands - 1
                else Decimal((index + 1) * COVERAGE_BAND_POINTS) - step,
                communes=count,
            )
            for index, count in enumerate(counts)
        ),
    ]


@dataclass(frozen=True, kw_only=True)
class DeadlineCard:
    """A deadline of the panel with the first of its missing communes and how many more."""

    deadline: RecentDeadline
    missing_shown: list[CommuneIdentity]
    missing_more: int


def deadline_cards(
    deadlines: list[RecentDeadline], limit: int = MISSING_SHOWN
) -> list[DeadlineCard]:
    """The panel's deadlines, each naming at most `limit` missing communes (in the order
    the panel has them) and counting the rest."""
    return [
        DeadlineCard(
            deadline=line,
            missing_shown=line.missing_communes[:limit],
            missing_more=max(line.missing_count - limit, 0),
        )
        for line in deadlines
    ]
