import datetime
from decimal import Decimal

import pytest

from communes.models import Commune
from reports.dashboard.coverage import commune_figures
from tests.factories import (
    BluzoneCountFactory,
    GroupFactory,
    MemberCountFactory,
    VillageFactory,
)

D = datetime.date(2021, 8, 6)


@pytest.mark.django_db
def test_coverage_follows_design_definitions(commune_a):
    v1 = VillageFactory(commune=commune_a, households=300, smartphone_users=200)
    v2 = VillageFactory(commune=commune_a, households=100, smartphone_users=0)
    VillageFactory(commune=commune_a, households=0, smartphone_users=50)  # excluded from coverage
    g1 = GroupFactory(village=v1)
    g2 = GroupFactory(village=v1, established_on=datetime.date(2021, 8, 10))  # later, still counts
    MemberCountFactory(group=g1, date=datetime.date(2021, 8, 1), members=100)
    MemberCountFactory(group=g1, date=datetime.date(2021, 8, 7), members=999)  # after D
    MemberCountFactory(group=g2, date=datetime.date(2021, 8, 5), members=50)
    planned = GroupFactory(village=v2, status="planned", invite_url="")
    MemberCountFactory(group=planned, date=datetime.date(2021, 8, 1), members=90)
    g3 = GroupFactory(village=v2)
    MemberCountFactory(group=g3, date=datetime.date(2021, 8, 2), members=150)  # capped at 100
    BluzoneCountFactory(village=v1, date=datetime.date(2021, 8, 1), installs=60)
    BluzoneCountFactory(village=v1, date=datetime.date(2021, 8, 3), installs=70)

    figures = commune_figures(Commune.objects.all(), D)[commune_a.pk]

    assert figures.villages_count == 3
    assert figures.villages_with_group == 2
    # (min(150, 300) + min(150, 100)) / (300 + 100) = 250 / 400
    assert figures.coverage_pct == Decimal("62.5")
    # 70 / (200 + 50): the village without households still counts for Bluzone,
    # the one without smartphone users does not
    assert figures.bluzone_pct == Decimal("28.0")
