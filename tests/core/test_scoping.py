import pytest

from communes.models import Commune, Village
from groups.models import MemberCount
from tests.factories import (
    CommuneFactory,
    DistrictFactory,
    MemberCountFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db


def test_commune_user_sees_only_its_commune(officer_a, commune_a, commune_b):
    mine = VillageFactory(commune=commune_a)
    VillageFactory(commune=commune_b)
    MemberCountFactory(group__village=mine)
    MemberCountFactory(group__village__commune=commune_b)
    assert list(Village.objects.for_user(officer_a)) == [mine]
    assert list(Commune.objects.for_user(officer_a)) == [commune_a]
    assert MemberCount.objects.for_user(officer_a).get().group.village == mine


def test_district_user_sees_its_district_only(district_staff, commune_a, commune_b):
    other = CommuneFactory(district=DistrictFactory(code="999", name="Khác"))
    VillageFactory(commune=other)
    VillageFactory(commune=commune_a)
    assert set(Commune.objects.for_user(district_staff)) == {commune_a, commune_b}
    assert Village.objects.for_user(district_staff).count() == 1


def test_anonymous_and_profileless_users_see_nothing(django_user_model, commune_a):
    from django.contrib.auth.models import AnonymousUser

    VillageFactory(commune=commune_a)
    plain = django_user_model.objects.create_user("plain", password="x")
    assert not Village.objects.for_user(AnonymousUser()).exists()
    assert not Village.objects.for_user(plain).exists()


def test_only_district_roles_see_the_districts_users(
    district_staff, district_leader, officer_a, officer_b
):
    from bmp_comms.scoping import users_for

    other = DistrictFactory(code="999", name="Khác")
    from communes.models import Role
    from tests.factories import make_user

    outsider = make_user(Role.DISTRICT_STAFF, district=other)
    seen = set(users_for(district_staff))
    assert {district_staff, district_leader, officer_a, officer_b} <= seen
    assert outsider not in seen
    assert not users_for(officer_a).exists()
