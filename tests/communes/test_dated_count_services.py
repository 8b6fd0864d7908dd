"""`dated_count_record` and `dated_count_correct`: the one pair of services behind member counts
of groups and Bluzone installs of villages, with the same rules for both."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from communes.models import BluzoneCount
from communes.services import dated_count_correct, dated_count_record
from groups.models import MemberCount
from tests.factories import BluzoneCountFactory, GroupFactory, MemberCountFactory, VillageFactory

pytestmark = pytest.mark.django_db

# 10:00 on 6 August 2021 in Hà Nội: today is the 6th, tomorrow the 7th.
NOW = datetime.datetime(2021, 8, 6, 3, 0, tzinfo=datetime.UTC)
DAY = datetime.date(2021, 8, 5)

# (model, factory of its owner, factory of a count, its duplicate message in Vietnamese)
KINDS = [
    pytest.param(
        MemberCount,
        GroupFactory,
        MemberCountFactory,
        "Nhóm này đã có số liệu của ngày này; hãy sửa số liệu đó thay vì nhập mới.",
        id="member count",
    ),
    pytest.param(
        BluzoneCount,
        VillageFactory,
        BluzoneCountFactory,
        "Thôn này đã có số liệu của ngày này.",
        id="bluzone count",
    ),
]


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def vietnamese(exc: ValidationError) -> dict[str, list[str]]:
    with translation.override("vi"):
        return exc.message_dict


def owned_by(model, owner):
    return model.objects.filter(**{model.owner_field: owner})


@pytest.mark.parametrize(("model", "owner_factory", "count_factory", "duplicate"), KINDS)
def test_a_count_is_recorded_for_its_owner_and_date(
    officer_a, model, owner_factory, count_factory, duplicate
):
    owner = owner_factory()

    count = dated_count_record(model=model, owner=owner, date=DAY, value=187, actor=officer_a)

    count.refresh_from_db()
    assert (count.owner, count.date, count.value) == (owner, DAY, 187)
    assert count.recorded_by == officer_a
    assert count.history.count() == 1


@pytest.mark.parametrize(("model", "owner_factory", "count_factory", "duplicate"), KINDS)
def test_today_is_allowed(model, owner_factory, count_factory, duplicate):
    count = dated_count_record(
        model=model, owner=owner_factory(), date=datetime.date(2021, 8, 6), value=0
    )
    assert count.value == 0


@pytest.mark.parametrize(("model", "owner_factory", "count_factory", "duplicate"), KINDS)
def test_a_second_count_for_the_same_owner_and_date_is_refused_and_nothing_is_saved(
    model, owner_factory, count_factory, duplicate
):
    first = count_factory(date=DAY)
    owner = first.owner

    with pytest.raises(ValidationError) as exc:
        dated_count_record(model=model, owner=owner, date=DAY, value=9)

    assert vietnamese(exc.value) == {"date": [duplicate]}
    assert list(owned_by(model, owner).values_list(model.value_field, flat=True)) == [100]


@pytest.mark.parametrize(("model", "owner_factory", "count_factory", "duplicate"), KINDS)
def test_another_owner_may_have_a_count_on_the_same_date(
    model, owner_factory, count_factory, duplicate
):
    count_factory(date=DAY)

    dated_count_record(model=model, owner=owner_factory(), date=DAY, value=9)

    assert model.objects.filter(date=DAY).count() == 2


@pytest.mark.parametrize(("model", "owner_factory", "count_factory", "duplicate"), KINDS)
def test_a_count_in_the_future_is_refused(model, owner_factory, count_factory, duplicate):
    with pytest.raises(ValidationError) as exc:
        dated_count_record(
            model=model, owner=owner_factory(), date=datetime.date(2021, 8, 7), value=10
        )

    assert vietnamese(exc.value) == {"date": ["Ngày không được ở tương lai."]}
    assert not model.objects.exists()


@pytest.mark.parametrize(("model", "owner_factory", "count_factory", "duplicate"), KINDS)
def test_a_negative_count_in_the_future_is_told_both_at_once(
    model, owner_factory, count_factory, duplicate
):
    with pytest.raises(ValidationError) as exc:
        dated_count_record(
            model=model, owner=owner_factory(), date=datetime.date(2021, 8, 7), value=-1
        )

    assert vietnamese(exc.value) == {
        "date": ["Ngày không được ở tương lai."],
        model.value_field: ["Nhập số 0 hoặc lớn hơn."],
    }
    assert not model.objects.exists()


@pytest.mark.parametrize(("model", "owner_factory", "count_factory", "duplicate"), KINDS)
def test_a_correction_keeps_the_earlier_value_in_the_history(
    officer_a, model, owner_factory, count_factory, duplicate
):
    count = count_factory(date=DAY)

    dated_count_correct(count=count, value=55, actor=officer_a)

    count.refresh_from_db()
    assert (count.value, count.recorded_by) == (55, officer_a)
    history = count.history.order_by("history_date")
    assert [getattr(h, model.value_field) for h in history] == [100, 55]


@pytest.mark.parametrize(("model", "owner_factory", "count_factory", "duplicate"), KINDS)
def test_a_negative_correction_changes_nothing(model, owner_factory, count_factory, duplicate):
    count = count_factory(date=DAY)

    with pytest.raises(ValidationError) as exc:
        dated_count_correct(count=count, value=-3)

    assert vietnamese(exc.value) == {model.value_field: ["Nhập số 0 hoặc lớn hơn."]}
    assert count.value == 100
    count.refresh_from_db()
    assert count.value == 100
    assert count.history.count() == 1


@pytest.mark.parametrize(("model", "owner_factory", "count_factory", "duplicate"), KINDS)
def test_a_count_stored_meanwhile_is_the_same_400(
    monkeypatch, model, owner_factory, count_factory, duplicate
):
    """The check saw no count; one stored before the insert (another officer, the same minute)
    is caught by the unique constraint and answered like the check's refusal."""
    owner = owner_factory()
    real_exists = type(model.objects.all()).exists

    def stored_meanwhile(queryset):
        seen = real_exists(queryset)
        if not owned_by(model, owner).filter(date=DAY).values("pk")[:1]:
            count_factory(**{model.owner_field: owner, "date": DAY, model.value_field: 1})
        return seen

    monkeypatch.setattr(type(model.objects.all()), "exists", stored_meanwhile)
    with pytest.raises(ValidationError) as exc:
        dated_count_record(model=model, owner=owner, date=DAY, value=9)
    monkeypatch.undo()

    assert vietnamese(exc.value) == {"date": [duplicate]}
    # Here the rival count was written inside the service's transaction, so it went with it.
    assert not owned_by(model, owner).exists()
