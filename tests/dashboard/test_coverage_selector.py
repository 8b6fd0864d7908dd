"""the rules' coverage and Bluzone definitions on a small commune, by hand, on the one statement
behind every figure: members count only groups that exist as of D."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from communes.models import Commune
from dashboard.commune_detail import commune_detail
from dashboard.selectors import commune_rows
from tests.factories import (
    BluzoneCountFactory,
    GroupFactory,
    MemberCountFactory,
    VillageFactory,
)

D = datetime.date(2021, 8, 6)


def row_of(commune, as_of=D):
    (row,) = commune_rows(communes=Commune.objects.filter(pk=commune.pk), as_of=as_of)
    return row


@pytest.fixture
def village_data(commune_a):
    v1 = VillageFactory(commune=commune_a, name="V1", households=300, smartphone_users=200)
    v2 = VillageFactory(commune=commune_a, name="V2", households=100, smartphone_users=0)
    VillageFactory(commune=commune_a, name="V3", households=0, smartphone_users=50)
    g1 = GroupFactory(village=v1, name="G1", established_on=datetime.date(2021, 7, 1))
    MemberCountFactory(group=g1, date=datetime.date(2021, 8, 1), members=100)
    MemberCountFactory(group=g1, date=datetime.date(2021, 8, 7), members=999)  # after D
    # Established after D, with a count dated before it existed: history, counting for nothing
    # until 10/08.
    later = GroupFactory(village=v1, name="Later", established_on=datetime.date(2021, 8, 10))
    MemberCountFactory(group=later, date=datetime.date(2021, 8, 5), members=50)
    planned = GroupFactory(village=v2, name="Planned", status="planned", invite_url="")
    MemberCountFactory(group=planned, date=datetime.date(2021, 8, 1), members=90)
    g3 = GroupFactory(village=v2, name="G3", established_on=datetime.date(2021, 7, 1))
    MemberCountFactory(group=g3, date=datetime.date(2021, 8, 2), members=150)  # capped at 100
    BluzoneCountFactory(village=v1, date=datetime.date(2021, 8, 1), installs=60)
    # A Bluzone count dated on the as-of day itself counts that day.
    BluzoneCountFactory(village=v1, date=D, installs=70)
    return commune_a


@pytest.mark.django_db
def test_coverage_follows_design_definitions(village_data):
    row = row_of(village_data)
    assert row.villages_count == 3
    assert row.villages_with_group == 2
    # (min(100, 300) + min(150, 100)) / (300 + 100) = 200 / 400: the later group's 50 is left out
    assert (row.covered, row.households) == (200, 400)
    assert row.coverage_pct == Decimal("50.0")
    # 70 (dated D itself) / (200 + 50): the village without households still counts for
    # Bluzone, the one without smartphone users does not
    assert row.bluzone_pct == Decimal("28.0")


@pytest.mark.django_db
def test_bluzone_count_of_the_day_before_is_the_latest_the_day_before(village_data):
    row = row_of(village_data, D - datetime.timedelta(days=1))
    assert row.installs == 60


@pytest.mark.django_db
def test_count_before_the_group_existed_counts_from_its_first_day(village_data):
    # From 10/08 the later group exists: its count of 05/08 is its latest, and V1 has 100 + 50.
    row = row_of(village_data, datetime.date(2021, 8, 10))
    assert row.covered == min(999 + 50, 300) + 100


@pytest.mark.django_db
def test_commune_page_leaves_out_a_count_before_its_group_existed(
    village_data, client, district_staff
):
    detail = commune_detail(commune=village_data, as_of=D)
    (v1,) = [line for line in detail.villages if line.village.name == "V1"]
    assert v1.village.members == 100
    (later,) = [line for line in v1.groups if line.group.name == "Later"]
    assert not later.counts_as_of
    # The count stays visible as history on its group's line.
    assert later.group.latest_members == 50
    client.force_login(district_staff)
    page = client.get(reverse("commune-detail", args=[village_data.code]), {"date": "2021-08-06"})
    html = page.content.decode()
    assert 'data-field="members">100<' in html
    assert "thành lập sau ngày này" in html
