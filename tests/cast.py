"""Rows of commune A and commune B that the API tests act on, for the fixed cast (a plugin of
tests/conftest.py)."""

import datetime
from dataclasses import dataclass

import pytest

from communes.models import BluzoneCount, FieldAssignment, Officer, Role, Village
from groups.models import MemberCount, MessagingGroup
from tests.factories import (
    BluzoneCountFactory,
    CommuneFactory,
    DistrictFactory,
    GroupFactory,
    MemberCountFactory,
    VillageFactory,
    make_user,
)

COUNT_DATE = datetime.date(2021, 8, 1)


@dataclass
class Rows:
    village: Village
    group: MessagingGroup
    member_count: MemberCount
    bluzone_count: BluzoneCount
    officer: Officer
    assignment: FieldAssignment


def _rows_of(user) -> Rows:
    commune = user.profile.commune
    village = VillageFactory(commune=commune, households=300, smartphone_users=200)
    group = GroupFactory(village=village)
    officer = user.officer
    return Rows(
        village=village,
        group=group,
        member_count=MemberCountFactory(group=group, date=COUNT_DATE, members=120),
        bluzone_count=BluzoneCountFactory(village=village, date=COUNT_DATE, installs=80),
        officer=officer,
        assignment=FieldAssignment.objects.create(
            commune=commune, field_id="y-te", officer=officer
        ),
    )


@pytest.fixture
def rows_a(officer_a, leader_a):
    return _rows_of(officer_a)


@pytest.fixture
def rows_b(officer_b):
    return _rows_of(officer_b)


@pytest.fixture
def other_district_staff(db):
    """Staff of another district: every row of ours is outside its scope."""
    district = DistrictFactory(code="999", name="Huyện khác")
    CommuneFactory(district=district)
    return make_user(Role.DISTRICT_STAFF, district=district, username="vhtt-khac")


@pytest.fixture
def cast(officer_a, leader_a, officer_b, district_staff, district_leader, other_district_staff):
    """Role name → user; "anonymous" is None."""
    return {
        "officer_a": officer_a,
        "leader_a": leader_a,
        "officer_b": officer_b,
        "district_staff": district_staff,
        "district_leader": district_leader,
        "other_district_staff": other_district_staff,
        "anonymous": None,
    }


@pytest.fixture
def client_for(api_client, cast):
    """`client_for("officer_a")` → an APIClient acting as that member of the cast."""

    def pick(role: str):
        user = cast[role]
        if user is not None:
            api_client.force_authenticate(user)
        return api_client

    return pick
