import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from communes.models import Village
from communes.places import village_create, village_update
from tests.factories import VillageFactory

pytestmark = pytest.mark.django_db


def vietnamese(exc: ValidationError) -> dict[str, list[str]]:
    with translation.override("vi"):
        return exc.message_dict


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


def test_a_name_the_commune_has_is_refused_by_the_name(commune_a, commune_b):
    VillageFactory(commune=commune_a, name="Thôn 1")
    village_create(commune=commune_b, name="Thôn 1")  # another commune's name is free

    with pytest.raises(ValidationError) as exc:
        village_create(commune=commune_a, name="Thôn 1")

    assert vietnamese(exc.value) == {"name": ["Xã đã có thôn mang tên này."]}
    assert Village.objects.filter(commune=commune_a).count() == 1


def test_a_village_keeps_its_own_name_when_edited(commune_a):
    village = VillageFactory(commune=commune_a, name="Thôn 1")
    village_update(village=village, name="Thôn 1", households=12)
    village.refresh_from_db()
    assert village.households == 12


def test_negative_sizes_are_told_by_their_fields_and_nothing_changes(commune_a):
    village = VillageFactory(commune=commune_a, households=300, residents=1000)

    with pytest.raises(ValidationError) as exc:
        village_update(village=village, households=-1, residents=-2)

    assert vietnamese(exc.value) == {
        "households": ["Nhập số 0 hoặc lớn hơn."],
        "residents": ["Nhập số 0 hoặc lớn hơn."],
    }
    village.refresh_from_db()
    assert (village.households, village.residents) == (300, 1000)


def test_a_name_taken_meanwhile_is_the_same_400(commune_a, monkeypatch):
    """The check saw the name free; a village of that name stored before the insert (another
    officer, the same minute) is caught by the unique constraint and answered alike."""
    queryset_class = type(Village.objects.all())
    real_exists = queryset_class.exists

    def taken_meanwhile(queryset):
        seen = real_exists(queryset)
        if not Village.objects.filter(commune=commune_a, name="Thôn 1").values("pk")[:1]:
            VillageFactory(commune=commune_a, name="Thôn 1")
        return seen

    monkeypatch.setattr(queryset_class, "exists", taken_meanwhile)
    with pytest.raises(ValidationError) as exc:
        village_create(commune=commune_a, name="Thôn 1")
    monkeypatch.undo()

    assert vietnamese(exc.value) == {"name": ["Xã đã có thôn mang tên này."]}
