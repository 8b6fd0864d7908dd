"""The benchmark's comparison, proven small: the dataset builder and the floor query run here on
a tiny dataset (3 communes) on whichever database the suite uses (both are written in SQL that
SQLite and PostgreSQL share), and the floor must equal the dashboard selector exactly. The
benchmark itself runs only through `make bench`."""

import datetime

import pytest

from bench import compare
from bench.dataset import AS_OF, SCALES, build
from bench.floor import Figures, floor_figures
from communes.models import Commune, Village
from groups.models import MemberCount, MessagingGroup
from reports.dashboard.selectors import dashboard_rows
from tests.factories import (
    BluzoneCountFactory,
    CommuneFactory,
    GroupFactory,
    MemberCountFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db

TINY = SCALES["tiny"]


def test_floor_follows_design_definitions_on_hand_computed_data(district, commune_a, commune_b):
    empty = CommuneFactory(district=district)  # a commune with no villages
    v1 = VillageFactory(commune=commune_a, households=300, smartphone_users=200)
    v2 = VillageFactory(commune=commune_a, households=100, smartphone_users=0)
    VillageFactory(commune=commune_a, households=0, smartphone_users=50)
    g1 = GroupFactory(village=v1)
    g2 = GroupFactory(village=v1, established_on=datetime.date(2021, 8, 10))  # after D
    MemberCountFactory(group=g1, date=datetime.date(2021, 8, 1), members=100)
    MemberCountFactory(group=g1, date=datetime.date(2021, 8, 7), members=999)  # after D
    MemberCountFactory(group=g2, date=datetime.date(2021, 8, 5), members=50)
    planned = GroupFactory(village=v2, status="planned", invite_url="")
    MemberCountFactory(group=planned, date=datetime.date(2021, 8, 1), members=90)
    g3 = GroupFactory(village=v2)
    MemberCountFactory(group=g3, date=datetime.date(2021, 8, 2), members=150)
    BluzoneCountFactory(village=v1, date=datetime.date(2021, 8, 1), installs=60)
    BluzoneCountFactory(village=v1, date=datetime.date(2021, 8, 3), installs=70)
    v_b = VillageFactory(commune=commune_b, households=200, smartphone_users=100)
    # No established_on: counts from the day it was registered, here after D.
    late = GroupFactory(village=v_b, established_on=None)
    MessagingGroup.objects.filter(pk=late.pk).update(registered_on=datetime.date(2021, 9, 1))
    MemberCountFactory(group=late, date=datetime.date(2021, 8, 1), members=250)

    figures = floor_figures(district_id=district.pk, as_of=datetime.date(2021, 8, 6))

    assert figures == {
        # 3 villages; v1 (g1) and v2 (g3) have a group established by D; covered
        # min(100, 300) + min(150, 100) = 200 of 300 + 100 households (g2, established after D,
        # counts for nothing yet); 70 installs of 200 + 50 smartphone users (v2 has none, the
        # household-less village counts).
        commune_a.pk: Figures(3, 2, 200, 400, 70, 250),
        # its one group is active but registered after D: no group, and its count of 01/08,
        # dated before the group existed, counts toward nothing.
        commune_b.pk: Figures(1, 0, 0, 200, 0, 100),
        empty.pk: Figures(0, 0, 0, 0, 0, 0),
    }


def test_tiny_dataset_has_the_edge_cases_the_figures_depend_on():
    built = build(TINY)
    villages = Village.objects.filter(commune__district=built.district)
    groups = MessagingGroup.objects.filter(village__in=villages)
    counts = MemberCount.objects.filter(group__in=groups)
    assert built.counts["communes"] == 3
    assert built.counts["villages"] == villages.count() == 14
    assert built.counts["groups"] == groups.count() == 19
    assert villages.filter(households=0).exists()
    assert villages.filter(smartphone_users=0).exists()
    assert villages.filter(groups__isnull=True).exists()
    assert {"active", "planned", "closed"} <= set(groups.values_list("status", flat=True))
    assert groups.filter(established_on__isnull=True).exists()
    assert groups.filter(status="active", established_on__gt=AS_OF).exists()
    assert groups.filter(status="active", established_on__lte=AS_OF).exists()
    assert counts.filter(date__gt=AS_OF).exists() and counts.filter(date__lte=AS_OF).exists()
    assert built.user.profile.role == "district_staff"


def test_floor_equals_the_dashboard_selector_on_the_tiny_dataset():
    built = build(TINY)
    floor = floor_figures(district_id=built.district.pk, as_of=AS_OF)
    selector = compare.selector_figures(dashboard_rows(user=built.user, as_of=AS_OF))

    assert set(floor) == set(
        Commune.objects.filter(district=built.district).values_list("pk", flat=True)
    )
    assert compare.differences(floor, selector) == []
    # Not a comparison of zeros: the dataset has groups, members and installs as of D.
    totals = Figures(*(sum(column) for column in zip(*floor.values(), strict=True)))
    assert totals.villages_count == 14
    assert 0 < totals.villages_with_group < 14
    assert 0 < totals.covered < totals.households
    assert 0 < totals.installs < totals.smartphone_users


def test_the_comparison_reports_a_single_difference():
    built = build(TINY)
    floor = floor_figures(district_id=built.district.pk, as_of=AS_OF)
    pk, figures = next(iter(floor.items()))
    changed = {**floor, pk: figures._replace(covered=figures.covered + 1)}
    assert compare.differences(floor, changed) == [
        f"commune {pk}: floor {figures} ≠ selector {changed[pk]}"
    ]


def test_api_comparison_uses_design_rounding():
    floor = {1: Figures(2, 1, 2, 3, 1, 8)}  # coverage 66.666… → 66.7, Bluzone 12.5
    good = {
        1: {
            "villages_count": 2,
            "villages_with_group": 1,
            "coverage_pct": 66.7,
            "bluzone_pct": 12.5,
        }
    }
    assert compare.api_differences(floor, good) == []
    assert compare.api_differences(floor, {1: {**good[1], "coverage_pct": 66.6}}) != []
    assert compare.api_differences(floor, {}) == ["commune 1: missing from the API"]
    none = {1: Figures(1, 0, 0, 0, 0, 0)}
    assert (
        compare.api_differences(
            none,
            {
                1: {
                    "villages_count": 1,
                    "villages_with_group": 0,
                    "coverage_pct": None,
                    "bluzone_pct": None,
                }
            },
        )
        == []
    )


def test_a_built_dataset_is_reused_and_rebuilt_on_request():
    first = build(TINY)
    again = build(TINY)
    assert (first.reused, again.reused) == (False, True)
    assert again.district.pk == first.district.pk and again.counts == first.counts
    rebuilt = build(TINY, force=True)
    assert not rebuilt.reused
    assert rebuilt.counts == first.counts
    assert Commune.objects.filter(district__code=TINY.district_code).count() == 3
