"""`member_counts_record`: many member counts at once, all or none, each under the rules of
`dated_count_record`, in a fixed number of queries, with their history, announcing the
dashboard figures it changes through `figures_changed`."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from communes import services as communes_services
from communes.services import CountsRejected, DatedCountEntry, dated_count_record
from communes.signals import figures_changed
from groups.models import MemberCount, MessagingGroup
from groups.services import member_counts_record
from tests.factories import GroupFactory, MemberCountFactory, VillageFactory

pytestmark = pytest.mark.django_db

# 10:00 on 6 August 2021 in Hà Nội: today is the 6th, tomorrow the 7th.
NOW = datetime.datetime(2021, 8, 6, 3, 0, tzinfo=datetime.UTC)
DAY = datetime.date(2021, 8, 5)
DUPLICATE = "Nhóm này đã có số liệu của ngày này; hãy sửa số liệu đó thay vì nhập mới."
NEGATIVE = "Nhập số 0 hoặc lớn hơn."
TOO_LARGE = "Chỉ nhập tối đa 1.000.000; số lớn hơn chắc chắn là nhập nhầm."
FUTURE = "Ngày không được ở tương lai."
BEFORE_2000 = "Ngày không được trước 01/01/2000."


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def groups(commune_a, commune_b):
    return {
        "a1": GroupFactory(village=VillageFactory(commune=commune_a)),
        "a2": GroupFactory(village=VillageFactory(commune=commune_a)),
        "b1": GroupFactory(village=VillageFactory(commune=commune_b)),
    }


@pytest.fixture
def announced():
    """What `figures_changed` was sent, and whether the counts were in the database (and the
    transaction still open) when it was."""
    calls = []

    def receiver(sender, commune_ids, since, **kwargs):
        calls.append(
            {
                "sender": sender,
                "commune_ids": set(commune_ids),
                "since": since,
                "in_transaction": connection.in_atomic_block,
                "stored": MemberCount.objects.count(),
            }
        )

    figures_changed.connect(receiver, weak=False)
    yield calls
    figures_changed.disconnect(receiver)


def entry(group, date, members):
    return DatedCountEntry(group, date, members)


def refusals(exc: CountsRejected) -> dict[int, dict[str, list[str]]]:
    with translation.override("vi"):
        return {index: error.message_dict for index, error in exc.errors.items()}


def nothing_written():
    return not MemberCount.objects.exists() and not MemberCount.history.exists()


def test_the_counts_are_written_in_their_order_with_history_naming_the_actor(
    officer_a, groups, announced
):
    counts = [
        entry(groups["a2"], DAY, 120),
        entry(groups["a1"], DAY, 80),
        entry(groups["a1"], datetime.date(2021, 8, 1), 75),
    ]

    written = member_counts_record(counts=counts, actor=officer_a)

    assert [(c.group, c.date, c.members, c.recorded_by) for c in written] == [
        (groups["a2"], DAY, 120, officer_a),
        (groups["a1"], DAY, 80, officer_a),
        (groups["a1"], datetime.date(2021, 8, 1), 75, officer_a),
    ]
    assert all(count.pk for count in written)
    stored = MemberCount.objects.values_list("group", "date", "members", "recorded_by")
    assert sorted(stored) == sorted(
        [
            (groups["a2"].pk, DAY, 120, officer_a.pk),
            (groups["a1"].pk, DAY, 80, officer_a.pk),
            (groups["a1"].pk, datetime.date(2021, 8, 1), 75, officer_a.pk),
        ]
    )
    # One creation record per count, by the actor.
    history = MemberCount.history.values_list("id", "members", "history_type", "history_user")
    assert sorted(history) == sorted((c.pk, c.members, "+", officer_a.pk) for c in written)


def test_one_bad_count_writes_none_of_the_good_ones(officer_a, groups, announced):
    counts = [
        entry(groups["a1"], DAY, 80),
        entry(groups["a2"], DAY, -1),
        entry(groups["b1"], DAY, 60),
    ]

    with pytest.raises(CountsRejected) as exc:
        member_counts_record(counts=counts, actor=officer_a)

    assert refusals(exc.value) == {1: {"members": [NEGATIVE]}}
    assert nothing_written()
    assert announced == []


def test_every_refused_count_is_named_by_its_position_and_field(groups):
    MemberCountFactory(group=groups["a1"], date=DAY, members=50)
    missing = MessagingGroup(pk=999_999, village=groups["a1"].village, name="Đã xoá")
    counts = [
        entry(groups["a2"], DAY, 80),  # 0: fine
        entry(groups["a2"], DAY, 81),  # 1: the same group and day as 0
        entry(groups["a1"], DAY, 90),  # 2: stored already
        entry(groups["a1"], datetime.date(2021, 8, 7), -5),  # 3: tomorrow, and negative
        entry(groups["b1"], datetime.date(1999, 12, 31), 1_000_001),  # 4
        entry(groups["b1"], DAY, 1_000_000),  # 5: fine, the largest count allowed
        entry(missing, DAY, 10),  # 6: no such group
        entry(groups["b1"], datetime.date(2021, 8, 6), -1),  # 7: refused, so it claims no day
        entry(groups["b1"], datetime.date(2021, 8, 6), 0),  # 8: fine
    ]

    with pytest.raises(CountsRejected) as exc:
        member_counts_record(counts=counts)

    # Django's own words for a foreign key to nothing, which its Vietnamese catalogue lacks.
    no_such_group = "nhóm tin instance with id 999999 is not a valid choice."
    assert refusals(exc.value) == {
        1: {"date": [DUPLICATE]},
        2: {"date": [DUPLICATE]},
        3: {"date": [FUTURE], "members": [NEGATIVE]},
        4: {"date": [BEFORE_2000], "members": [TOO_LARGE]},
        6: {"group": [no_such_group]},
        7: {"members": [NEGATIVE]},
    }
    assert list(MemberCount.objects.values_list("members", flat=True)) == [50]


def test_each_refusal_is_what_dated_count_record_says_of_that_count_alone(groups):
    """The same rules in one place: written one at a time in the same order, each count is
    accepted or refused by the single-row service with the same messages."""
    MemberCountFactory(group=groups["a1"], date=DAY, members=50)
    missing = MessagingGroup(pk=999_999, village=groups["a1"].village, name="Đã xoá")
    counts = [
        entry(groups["a2"], DAY, 80),
        entry(groups["a2"], DAY, 81),
        entry(groups["a1"], DAY, 90),
        entry(groups["a1"], datetime.date(2021, 8, 7), -5),
        entry(groups["b1"], datetime.date(1999, 12, 31), 1_000_001),
        entry(missing, DAY, 10),
        entry(groups["b1"], datetime.date(2021, 8, 6), -1),
        entry(groups["b1"], datetime.date(2021, 8, 6), 0),
    ]
    with pytest.raises(CountsRejected) as exc:
        member_counts_record(counts=counts)
    one_at_a_time = {}
    with transaction.atomic():
        for index, count in enumerate(counts):
            try:
                dated_count_record(
                    model=MemberCount, owner=count.owner, date=count.date, value=count.value
                )
            except ValidationError as refusal:
                with translation.override("vi"):
                    one_at_a_time[index] = refusal.message_dict
        transaction.set_rollback(True)

    assert refusals(exc.value) == one_at_a_time
    assert set(one_at_a_time) == {1, 2, 3, 4, 5, 6}


def test_figures_changed_names_the_communes_and_the_earliest_day_inside_the_transaction(
    commune_a, commune_b, groups, announced
):
    member_counts_record(
        counts=[
            entry(groups["a1"], DAY, 80),
            entry(groups["b1"], datetime.date(2021, 7, 20), 40),
            entry(groups["a2"], datetime.date(2021, 8, 2), 60),
        ]
    )

    assert announced == [
        {
            "sender": MemberCount,
            "commune_ids": {commune_a.pk, commune_b.pk},
            "since": datetime.date(2021, 7, 20),
            "in_transaction": True,
            "stored": 3,
        }
    ]


def test_figures_changed_names_only_the_communes_written(commune_a, groups, announced):
    member_counts_record(counts=[entry(groups["a1"], DAY, 80), entry(groups["a2"], DAY, 60)])

    assert [(call["commune_ids"], call["since"]) for call in announced] == [({commune_a.pk}, DAY)]


def test_no_count_writes_nothing_and_sends_nothing(announced, django_assert_num_queries):
    # The service's savepoint and its release: nothing read, nothing written.
    with django_assert_num_queries(2):
        assert member_counts_record(counts=[]) == []
    assert announced == []


# SQLite takes at most 999 parameters a statement, so Django splits an INSERT of more than 99
# history rows (10 columns) or 199 counts (5); PostgreSQL has no such limit.
SIZES = (10, 200) if connection.vendor == "postgresql" else (10, 90)


def test_the_queries_are_the_same_for_10_and_200_counts(
    officer_a, groups, django_assert_num_queries
):
    group_list = list(groups.values())
    for size, start in zip(
        SIZES, (datetime.date(2020, 1, 1), datetime.date(2021, 1, 1)), strict=True
    ):
        counts = [
            entry(group_list[n % 3], start + datetime.timedelta(days=n // 3), n)
            for n in range(size)
        ]
        # 1 the service's savepoint; 2 the groups and their communes; 3 the counts stored on
        # the batch's groups and dates; 4 the insert's savepoint; 5 the INSERT of the counts;
        # 6 the INSERT of their history; 7, 8, 9 the snapshots' invalidation (the communes'
        # lock, the deletion of their days from the earliest date, their row of today computed
        # again); 10, 11 the two releases.
        with django_assert_num_queries(11):
            member_counts_record(counts=counts, actor=officer_a)
    assert MemberCount.objects.count() == sum(SIZES)
    assert MemberCount.history.filter(history_user=officer_a).count() == sum(SIZES)


def test_a_count_stored_between_the_check_and_the_insert_is_refused_by_the_constraint(
    groups, monkeypatch, announced
):
    """The check saw no count; one stored before the insert (another import, the same minute)
    is caught by the unique constraint and answered with the check's message, for that count
    only; nothing of the batch is written."""
    real_stored_keys = communes_services._stored_keys
    calls = []

    def rival_meanwhile(model, counts):
        seen = real_stored_keys(model, counts)
        if not calls:
            MemberCountFactory(group=groups["a2"], date=DAY, members=1)
        calls.append(seen)
        return seen

    monkeypatch.setattr(communes_services, "_stored_keys", rival_meanwhile)
    counts = [entry(groups["a1"], DAY, 80), entry(groups["a2"], DAY, 60)]

    with pytest.raises(CountsRejected) as exc:
        member_counts_record(counts=counts)

    assert calls[0] == set()  # the check saw nothing...
    assert refusals(exc.value) == {1: {"date": [DUPLICATE]}}  # ...the constraint did.
    # The rival count was written inside the service's transaction, so it went with it.
    assert nothing_written()
    assert announced == []


def test_an_integrity_error_that_is_no_duplicate_is_not_hidden(groups, monkeypatch):
    # With the number check gone, a negative count reaches the database's CHECK constraint.
    monkeypatch.setattr(communes_services, "_dated_count_errors", lambda model, **kwargs: {})

    with pytest.raises(IntegrityError):
        member_counts_record(counts=[entry(groups["a1"], DAY, -1)])
    assert nothing_written()
