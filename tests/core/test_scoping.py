import threading

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404

from bmp_comms import celery_app
from bmp_comms.models import ScopedModel
from bmp_comms.scoping import ScopedManager, ScopeError, unscoped
from communes.models import Commune, UserProfile, Village
from groups.models import MemberCount, MessagingGroup
from tests.factories import (
    CommuneFactory,
    DistrictFactory,
    GroupFactory,
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


# --- scoping fails closed (bmp_comms.scoping) ------------------------------------------------


def _scoped_models() -> list[type]:
    return [
        model for model in apps.get_models() if isinstance(model._default_manager, ScopedManager)
    ]


def test_every_commune_owned_model_fails_closed():
    names = {model.__name__ for model in _scoped_models()}
    assert names == {
        "Commune",
        "Village",
        "BluzoneCount",
        "MemberCount",
        "MessagingGroup",
        "Officer",
        "FieldAssignment",
        "Bulletin",
        "BulletinTransition",
        "Delivery",
        "Channel",
        "Deadline",
        "Submission",
        "Reminder",
        "ReminderDelivery",
        "Inspection",
        "ComplianceReport",
        "DailyCommuneSnapshot",
    }
    for model in _scoped_models():
        # Their uniqueness checks read every row (full_clean, ModelForms).
        assert issubclass(model, ScopedModel), model
    # A model with a commune of its own is commune-owned, but for a login's profile, which
    # `users_for` scopes, and the change history, read through a row in scope (`row.history`).
    for model in apps.get_models():
        if model is UserProfile or model._meta.auto_created or hasattr(model, "instance_type"):
            continue
        if any(
            getattr(field, "related_model", None) is Commune and not field.auto_created
            for field in model._meta.get_fields()
        ):
            assert model in _scoped_models(), model


@pytest.mark.scoped
@pytest.mark.parametrize("model", _scoped_models(), ids=lambda model: model.__name__)
def test_a_query_without_a_scope_raises(model):
    for build in (
        lambda: model.objects.all(),
        lambda: model.objects.filter(pk=1),
        lambda: model.objects.count(),
        lambda: model.objects.using("default"),
        lambda: get_object_or_404(model, pk=1),
    ):
        with pytest.raises(ScopeError):
            build()


@pytest.mark.scoped
def test_unscoped_says_so_for_one_query_or_a_block(commune_a, commune_b):
    VillageFactory(commune=commune_a)
    VillageFactory(commune=commune_b)
    assert Village.objects.unscoped().count() == 2
    with unscoped():
        assert Village.objects.count() == 2
    # The block ends, and so does the exception.
    with pytest.raises(ScopeError):
        Village.objects.count()


@pytest.mark.scoped
def test_scoped_entry_points_and_relations_work(officer_a, commune_a, commune_b):
    village = VillageFactory(commune=commune_a, name="Thôn 1")
    group = GroupFactory(village=village)
    VillageFactory(commune=commune_b)
    mine = Commune.objects.for_user(officer_a)
    (commune,) = mine.prefetch_related("villages__groups")
    assert [v.name for v in commune.villages.all()] == ["Thôn 1"]
    assert list(commune.villages.all()[0].groups.all()) == [group]
    # A relation from a row the code holds: forward and reverse, and its history.
    found = Village.objects.for_user(officer_a).select_related("commune").get()
    assert found.commune == commune_a
    assert MessagingGroup.objects.for_user(officer_a).get().village.commune == commune_a
    assert list(commune_a.villages.order_by("name")) == [village]
    assert village.history.count() == 1
    # Writes show no row: no scope needed; nor for an empty queryset.
    Village.objects.create(commune=commune_a, name="Thôn 2")
    Village.objects.bulk_create([Village(commune=commune_a, name="Thôn 3")])
    assert not Village.objects.none().exists()
    # Uniqueness is checked over every row (a ModelForm's or a service's full_clean).
    with pytest.raises(ValidationError):
        Village(commune=commune_a, name="Thôn 1").full_clean()


@pytest.mark.scoped
def test_tasks_run_unscoped(commune_a):
    VillageFactory(commune=commune_a)

    @celery_app.task(name="tests.scoping.count_villages")
    def count_villages():
        return Village.objects.count()

    assert count_villages.delay().get() == 1
    assert count_villages() == 1


@pytest.mark.scoped
def test_unscoped_does_not_reach_other_threads(commune_a):
    """A request served while a job runs unscoped is still scoped."""
    seen = []

    def query():
        try:
            Village.objects.exists()
        except ScopeError:
            seen.append("scoped")

    with unscoped():
        thread = threading.Thread(target=query)
        thread.start()
        thread.join()
    assert seen == ["scoped"]
