"""The demo's bulletins (demo/bulletins.py): every status, twice written, once created."""

import pytest

from bulletins.models import Bulletin, Delivery
from communes.models import FieldAssignment, Role
from demo.bulletins import BULLETINS, seed_demo_bulletins
from tests.factories import GroupFactory, VillageFactory, make_user


@pytest.mark.django_db
def test_every_status_once_and_idempotent(commune_a, commune_b, district):
    for commune in (commune_a, commune_b):
        officer = make_user(Role.COMMUNE_OFFICER, commune=commune, username=f"xa-{commune.slug}")
        make_user(Role.COMMUNE_LEADER, commune=commune, username=f"ct-{commune.slug}")
        for code in ("y-te", "an-ninh-trat-tu", "nong-nghiep", "van-hoa-xa-hoi", "hanh-chinh"):
            FieldAssignment.objects.create(commune=commune, field_id=code, officer=officer.officer)
        GroupFactory(village=VillageFactory(commune=commune))

    assert seed_demo_bulletins(district=district) == 2 * len(BULLETINS)
    assert seed_demo_bulletins(district=district) == 0

    statuses = sorted(Bulletin.objects.filter(commune=commune_a).values_list("status", flat=True))
    assert statuses == sorted(
        ["draft", "submitted", "approved", "scheduled", "published", "rejected"]
    )
    assert set(Delivery.objects.values_list("channel", "status")) == {("manual", "confirmed")}
