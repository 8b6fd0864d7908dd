"""The commune drill-down: every village with its figures, its groups and their flags, as of D.

Two queries whatever the size of the commune (villages, then groups); the commune's own totals
come from `commune_rows`, so they match the dashboard's row for the commune exactly.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    DateField,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)

from bmp_comms.percent import percent
from communes.models import BluzoneCount, Commune, Village
from groups.models import MemberCount, MessagingGroup
from reports.dashboard.coverage import (
    active_group_established_by,
    latest_members_subquery,
    previous_members_subquery,
    villages_with_figures,
)
from reports.dashboard.selectors import CommuneRow, commune_rows
from reports.dashboard.sql import STALE_AFTER_DAYS


def flag(condition: Q) -> Case:
    """A boolean column from a condition (a Q object cannot be selected directly)."""
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


@dataclass
class GroupLine:
    group: MessagingGroup  # with latest_members, latest_date and the flags below annotated
    counts_as_of: bool  # active and established by D: it gives the village a group
    stale: bool
    without_count: bool
    fell_by_half: bool


@dataclass
class VillageLine:
    village: Village  # with members, covered, installs, installs_date and has_group annotated
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
    def villages_without_group(self) -> list[Village]:
        return [line.village for line in self.villages if not line.village.has_group]


def commune_detail(*, commune: Commune, as_of: datetime.date) -> CommuneDetail:
    """Villages, groups and flags of one commune as of D (DESIGN.md, definitions)."""
    villages = (
        villages_with_figures(Village.objects.filter(commune=commune), as_of)
        .annotate(
            installs_date=Subquery(
                BluzoneCount.objects.filter(village=OuterRef("pk"), date__lte=as_of)
                .order_by("-date")
                .values("date")[:1],
                output_field=DateField(),
            ),
            above_residents=flag(Q(members__gt=F("residents"))),
            no_households=flag(Q(households=0)),
        )
        .order_by("name")
    )
    counts = active_group_established_by(as_of)
    groups = (
        MessagingGroup.objects.filter(village__commune=commune)
        .annotate(
            latest_members=latest_members_subquery(as_of),
            previous_members=previous_members_subquery(as_of),
            latest_date=Subquery(
                MemberCount.objects.filter(group=OuterRef("pk"), date__lte=as_of)
                .order_by("-date")
                .values("date")[:1],
                output_field=DateField(),
            ),
            counts_as_of=flag(counts),
            is_stale=flag(
                counts
                & (
                    Q(latest_date__isnull=True)
                    | Q(latest_date__lt=as_of - datetime.timedelta(days=STALE_AFTER_DAYS))
                )
            ),
            is_without_count=flag(counts & Q(latest_members__isnull=True)),
            has_fallen=flag(counts & Q(previous_members__gt=F("latest_members") * 2)),
        )
        .order_by("village_id", "name")
    )
    by_village: dict[int, list[GroupLine]] = {}
    for group in groups:
        by_village.setdefault(group.village_id, []).append(
            GroupLine(
                group=group,
                counts_as_of=group.counts_as_of,
                stale=group.is_stale,
                without_count=group.is_without_count,
                fell_by_half=group.has_fallen,
            )
        )
    lines = [
        VillageLine(
            village=village,
            members_above_residents=village.above_residents,
            without_households=village.no_households,
            groups=by_village.get(village.pk, []),
        )
        for village in villages
    ]
    (figures,) = commune_rows(communes=Commune.objects.filter(pk=commune.pk), as_of=as_of)
    return CommuneDetail(as_of=as_of, figures=figures, villages=lines)
