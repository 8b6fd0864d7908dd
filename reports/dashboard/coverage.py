"""Reads of coverage and Bluzone figures, exactly as DESIGN.md defines them, computed in SQL.

Every figure is "as of" a date D: only counts are historical; villages and group statuses are
as they are now.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Least

from bmp_comms.percent import percent
from communes.models import BluzoneCount, Commune, Village
from groups.models import GroupStatus, MemberCount, MessagingGroup


def active_group_established_by(as_of: datetime.date) -> Q:
    """A group counts from established_on, or from the day it was registered when it has none."""
    return Q(status=GroupStatus.ACTIVE) & (
        Q(established_on__lte=as_of) | Q(established_on__isnull=True, registered_on__lte=as_of)
    )


def latest_members_subquery(as_of: datetime.date, group_ref: str = "pk") -> Subquery:
    return Subquery(
        MemberCount.objects.filter(group=OuterRef(group_ref), date__lte=as_of)
        .order_by("-date")
        .values("members")[:1],
        output_field=IntegerField(),
    )


def village_members_subquery(as_of: datetime.date) -> Subquery:
    """Σ over the village's active groups of each group's latest count on or before D."""
    per_village = (
        MessagingGroup.objects.filter(village=OuterRef("pk"), status=GroupStatus.ACTIVE)
        # No ordering: the model's default one would join the villages table for nothing.
        .order_by()
        .annotate(latest=latest_members_subquery(as_of))
        .values("village_id")
        .annotate(total=Sum("latest"))
        .values("total")
    )
    return Subquery(per_village, output_field=IntegerField())


def previous_members_subquery(as_of: datetime.date, group_ref: str = "pk") -> Subquery:
    """The count before the latest one on or before D (the second row of the same index scan)."""
    return Subquery(
        MemberCount.objects.filter(group=OuterRef(group_ref), date__lte=as_of)
        .order_by("-date")
        .values("members")[1:2],
        output_field=IntegerField(),
    )


def latest_installs_subquery(as_of: datetime.date) -> Subquery:
    return Subquery(
        BluzoneCount.objects.filter(village=OuterRef("pk"), date__lte=as_of)
        .order_by("-date")
        .values("installs")[:1],
        output_field=IntegerField(),
    )


def villages_with_figures(villages: QuerySet[Village], as_of: datetime.date) -> QuerySet[Village]:
    """Annotate each village with `members`, `covered` (min(members, households)), `installs`
    and `has_group`, as of D."""
    return villages.annotate(
        members=Coalesce(village_members_subquery(as_of), Value(0)),
        installs=Coalesce(latest_installs_subquery(as_of), Value(0)),
        has_group=Exists(
            MessagingGroup.objects.filter(village=OuterRef("pk")).filter(
                active_group_established_by(as_of)
            )
        ),
    ).annotate(covered=Least("members", "households", output_field=IntegerField()))


@dataclass(frozen=True)
class CommuneFigures:
    villages_count: int
    villages_with_group: int
    covered: int
    households: int
    installs: int
    smartphone_users: int

    @property
    def villages_without_group(self) -> int:
        return self.villages_count - self.villages_with_group

    @property
    def coverage_pct(self) -> Decimal | None:
        return percent(self.covered, self.households)

    @property
    def bluzone_pct(self) -> Decimal | None:
        return percent(self.installs, self.smartphone_users)


EMPTY_FIGURES = CommuneFigures(0, 0, 0, 0, 0, 0)


def commune_figures(communes: QuerySet[Commune], as_of: datetime.date) -> dict[int, CommuneFigures]:
    """Per commune, in one query: villages, villages with a group, and the sums behind coverage
    % (over villages with households > 0) and Bluzone % (over villages with smartphone users)."""
    rows = (
        villages_with_figures(Village.objects.filter(commune__in=communes), as_of)
        .order_by()
        .values("commune_id")
        .annotate(
            villages_count=Count("pk"),
            villages_with_group=Count("pk", filter=Q(has_group=True)),
            covered_sum=Sum("covered", filter=Q(households__gt=0)),
            households_sum=Sum("households", filter=Q(households__gt=0)),
            installs_sum=Sum("installs", filter=Q(smartphone_users__gt=0)),
            smartphones_sum=Sum("smartphone_users", filter=Q(smartphone_users__gt=0)),
        )
    )
    return {
        row["commune_id"]: CommuneFigures(
            villages_count=row["villages_count"],
            villages_with_group=row["villages_with_group"],
            covered=row["covered_sum"] or 0,
            households=row["households_sum"] or 0,
            installs=row["installs_sum"] or 0,
            smartphone_users=row["smartphones_sum"] or 0,
        )
        for row in rows
    }
