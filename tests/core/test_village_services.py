import pytest

from communes.services import village_create, village_update
from tests.factories import VillageFactory

pytestmark = pytest.mark.django_db


def test_a_village_is_created_with_the_model_defaults(commune_a):
    village = village_create(commune=commune_a, name="Thôn Phú Lợi")

    village.refresh_from_db()
    assert (village.commune, village.name, village.kind) == (commune_a, "Thôn Phú Lợi", "thon")
    assert (village.households, village.residents, village.smartphone_users) == (0, 0, 0)


def test_an_update_changes_only_what_it_names(commune_a):
    village = VillageFactory(commune=commune_a, name="Thôn 1", kind="ap", households=300)

    village_update(village=village, residents=1200)

    village.refresh_from_db()
    assert (village.name, village.kind, village.households, village.residents) == (
        "Thôn 1",
        "ap",
        300,
        1200,
    )
    assert [h.residents for h in village.history.order_by("history_date")][-1] == 1200


def test_a_village_keeps_its_own_name_when_edited(commune_a):
    village = VillageFactory(commune=commune_a, name="Thôn 1")
    village_update(village=village, name="Thôn 1", households=12)
    village.refresh_from_db()
    assert village.households == 12
