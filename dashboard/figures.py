"""Every figure of the dashboard, declared once: its name (the attribute, the API field), its
label (the column heading), and how it is computed — a sum over the village rows as of D
(dashboard.sql), or a percentage of two such sums (docs/rules.md#coverage).

These declarations drive the SQL that sums the villages, the rows and totals (`Figures`), the
API's serializer, the page's table and the exports; adding a figure is one line here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from operator import itemgetter

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from bmp_comms.percent import percent


@dataclass(frozen=True)
class Summed:
    """A count summed over a commune's villages; `village_sql` is the village row's share,
    an SQL expression over the columns of dashboard.sql's village rows."""

    name: str
    label: Promise
    village_sql: str
    flag: bool = False  # a data-quality flag: counted in `flags.total`, nested in the API
    help_text: str = ""
    kind = "count"


@dataclass(frozen=True)
class Ratio:
    """100 × numerator / denominator of two sums, half-up to one decimal; None where the
    denominator is 0 (docs/rules.md#percentages)."""

    name: str
    label: Promise
    numerator: str
    denominator: str
    kind = "percent"


@dataclass(frozen=True)
class Counted:
    """A count per commune read from another area (not a sum over villages); the district's
    total is the sum over its communes."""

    name: str
    label: Promise
    help_text: str = ""
    kind = "count"


@dataclass(frozen=True)
class CountedRatio:
    """100 × numerator / denominator of two counted figures, half-up to one decimal; None where
    the denominator is 0. Of D alone: the series and the snapshots, which follow the village
    sums over time, leave it out."""

    name: str
    label: Promise
    numerator: str
    denominator: str
    kind = "percent"


@dataclass(frozen=True)
class Derived:
    """A figure that follows from the others by a rule of `Figures` (the property of its name)."""

    name: str
    label: Promise
    kind: str  # "count" or "percent"


# In the order of the exports' columns and of the API's fields.
FIGURES: tuple[Summed | Counted | Ratio | CountedRatio | Derived, ...] = (
    Summed("villages_count", _("Villages"), "1"),
    Summed("villages_with_group", _("With a group"), "has_group"),
    Derived("villages_without_group", _("Without a group"), "count"),
    # Coverage counts villages with households only; Bluzone those with smartphone users only.
    Summed("households", _("Households"), "CASE WHEN households > 0 THEN households ELSE 0 END"),
    Summed(
        "covered",
        _("Households reached"),
        "CASE WHEN households > 0 THEN covered ELSE 0 END",
        help_text="Σ min(members, households)",
    ),
    Ratio("coverage_pct", _("Coverage %"), "covered", "households"),
    Summed(
        "smartphone_users",
        _("Smartphone users"),
        "CASE WHEN smartphone_users > 0 THEN smartphone_users ELSE 0 END",
    ),
    Summed(
        "installs", _("Bluzone installs"), "CASE WHEN smartphone_users > 0 THEN installs ELSE 0 END"
    ),
    Ratio("bluzone_pct", _("Bluzone %"), "installs", "smartphone_users"),
    Derived("bluzone_target_pct", _("Bluzone target %"), "count"),
    Derived("bluzone_gap_pct", _("Points to target"), "percent"),
    Summed("untrained_admins", _("Untrained admins"), "untrained_admins"),
    Summed("stale_groups", _("Stale groups"), "stale_groups"),
    # docs/rules.md#posting-cadence: bulletins published in the 7 and 30 days ending on D, by local
    # date.
    Counted("bulletins_7d", _("Bulletins in 7 days"), help_text="published in the 7 days to D"),
    Counted("bulletins_30d", _("Bulletins in 30 days"), help_text="published in the 30 days to D"),
    # docs/rules.md#posting-proof: the deliveries of the bulletins published in the 30 days to D,
    # those of them sent or confirmed by the end of D, and their share.
    Counted(
        "deliveries_30d",
        _("Deliveries in 30 days"),
        help_text="deliveries of the bulletins published in the 30 days to D",
    ),
    Counted(
        "deliveries_done_30d",
        _("Deliveries posted in 30 days"),
        help_text="of deliveries_30d, those sent by a channel or confirmed by an officer with a "
        "link or a picture by the end of D",
    ),
    CountedRatio("posting_pct", _("Posting proof %"), "deliveries_done_30d", "deliveries_30d"),
    # docs/rules.md#approval: approved as urgent by their own author in the 30 days to D.
    Counted(
        "urgent_30d",
        _("Urgent approvals in 30 days"),
        help_text="bulletins approved as urgent by their own author in the 30 days to D",
    ),
    Summed(
        "members_above_residents",
        _("Members above residents"),
        "CASE WHEN members > residents THEN 1 ELSE 0 END",
        flag=True,
    ),
    Summed("count_fell_by_half", _("Count fell by half"), "count_fell_by_half", flag=True),
    Summed(
        "active_group_without_count",
        _("Active group without a count"),
        "active_group_without_count",
        flag=True,
    ),
    Summed(
        "village_without_households",
        _("Village without households"),
        "CASE WHEN households = 0 THEN 1 ELSE 0 END",
        flag=True,
    ),
)
FIGURE_LABELS = {figure.name: figure.label for figure in FIGURES}
SUMMED = tuple(figure for figure in FIGURES if isinstance(figure, Summed))
# The ratios of village sums: the series and the snapshots follow them over time.
RATIOS = {figure.name: figure for figure in FIGURES if isinstance(figure, Ratio)}
COUNTED_RATIOS = {figure.name: figure for figure in FIGURES if isinstance(figure, CountedRatio)}
SUMMED_NAMES = tuple(figure.name for figure in SUMMED)
COUNTED_NAMES = tuple(figure.name for figure in FIGURES if isinstance(figure, Counted))
# What a row holds and the totals add up: the village sums and the per-commune counts.
ADDED_NAMES = SUMMED_NAMES + COUNTED_NAMES
NO_COUNTS = dict.fromkeys(COUNTED_NAMES, 0)
FLAG_NAMES = tuple(figure.name for figure in SUMMED if figure.flag)

# A commune whose posting proof is under this percentage is counted on the board
# (docs/rules.md#posting-proof); one with no delivery in the 30 days is not.
POSTING_TARGET_PCT = 80

# Within this many points under the Bluzone target a commune is "near" it (amber), beyond it
# "far" (red); at or above the target it has met it (green).
BLUZONE_NEAR_TARGET_POINTS = Decimal(10)


class FlagCounts:
    """The data-quality flags of a row: villages or groups whose figures look wrong."""

    def __init__(self, **flags: int) -> None:
        self.counts = {name: int(flags.get(name) or 0) for name in FLAG_NAMES}

    def __getattr__(self, name: str) -> int:
        counts = self.__dict__.get("counts")
        if counts is not None and name in counts:
            return counts[name]
        raise AttributeError(name)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FlagCounts) and self.counts == other.counts

    def __repr__(self) -> str:
        return f"FlagCounts({self.counts})"

    @property
    def total(self) -> int:
        return sum(self.counts.values())


class Figures:
    """The sums of a commune (or of the district) as of D, and what follows from them: each
    declared figure is an attribute (`row.covered`, `row.coverage_pct`)."""

    def __init__(self, *, bluzone_target_pct: int, **sums: int) -> None:
        unknown = set(sums) - set(ADDED_NAMES)
        if unknown:
            raise TypeError(f"unknown figures: {sorted(unknown)}")
        self.bluzone_target_pct = bluzone_target_pct
        self.sums = {name: int(sums.get(name) or 0) for name in ADDED_NAMES}

    def _take_sums(self, bluzone_target_pct: int, row: dict) -> None:
        """What __init__ does, for a row of the dashboard's own statement, whose columns are
        the summed figures' names by construction: a nation's ten thousand rows are made in
        one pass each, without the check for unknown names."""
        self.bluzone_target_pct = bluzone_target_pct
        sums = {name: int(row[name] or 0) for name in SUMMED_NAMES}
        # The counted figures are filled afterwards (dashboard.selectors.fill_bulletin_counts).
        sums.update(NO_COUNTS)
        self.sums = sums

    def __getattr__(self, name: str):
        sums = self.__dict__.get("sums")
        if sums is not None and name in sums:
            return sums[name]
        ratio = RATIOS.get(name)
        if sums is not None and ratio is not None:
            # Worked out once: a table reads each row's percentages to sort, to draw and to
            # band it. Ratios are of summed figures, which nothing changes once read (only the
            # counted ones, the bulletins, are added later: fill_bulletin_counts).
            value = self.__dict__[name] = percent(sums[ratio.numerator], sums[ratio.denominator])
            return value
        counted = COUNTED_RATIOS.get(name)
        if sums is not None and counted is not None:
            # Not kept: its counts are filled after the row is made (fill_bulletin_counts).
            return percent(sums[counted.numerator], sums[counted.denominator])
        raise AttributeError(name)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Figures)
            and self.sums == other.sums
            and self.bluzone_target_pct == other.bluzone_target_pct
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(target={self.bluzone_target_pct}, {self.sums})"

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            bluzone_target_pct=self.bluzone_target_pct,
            **{name: self.sums[name] + other.sums[name] for name in ADDED_NAMES},
        )

    @cached_property
    def flags(self) -> FlagCounts:
        return FlagCounts(**{name: self.sums[name] for name in FLAG_NAMES})

    @property
    def villages_without_group(self) -> int:
        return self.sums["villages_count"] - self.sums["villages_with_group"]

    @property
    def bluzone_gap_pct(self) -> Decimal | None:
        """Points still missing to reach the target (0 or less once it is met)."""
        pct = self.bluzone_pct
        return None if pct is None else Decimal(self.bluzone_target_pct) - pct

    @property
    def posting_below_target(self) -> bool:
        """Its posting proof is known and under POSTING_TARGET_PCT (docs/rules.md#posting-proof)."""
        pct = self.posting_pct
        return pct is not None and pct < POSTING_TARGET_PCT

    @property
    def bluzone_level(self) -> str:
        """Bootstrap's colour for the distance to the target."""
        gap = self.bluzone_gap_pct
        if gap is None:
            return "secondary"
        if gap <= 0:
            return "success"
        return "warning" if gap <= BLUZONE_NEAR_TARGET_POINTS else "danger"


def totals_of(rows, *, bluzone_target_pct: int) -> Figures:
    """The district's figures: sums of the communes' sums (so percentages are weighted by
    households and smartphone users, as docs/rules.md#coverage defines them), never an average of
    them."""
    # A column at a time (a nation has ten thousand rows): each row's figures read in one call,
    # then one sum() per figure.
    figures = map(itemgetter(*ADDED_NAMES), (row.sums for row in rows))
    columns = zip(*figures, strict=True) if rows else [()] * len(ADDED_NAMES)
    sums = dict(zip(ADDED_NAMES, map(sum, columns), strict=True))
    return Figures(bluzone_target_pct=bluzone_target_pct, **sums)
