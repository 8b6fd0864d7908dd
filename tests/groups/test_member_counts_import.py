import datetime

import pytest

from groups.imports import ImportRejected, RowError, member_counts_import
from groups.models import MemberCount
from tests.factories import GroupFactory, MemberCountFactory, VillageFactory
from tests.groups.import_files import COUNT_HEADER, csv_upload, xlsx_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups(commune_a, commune_b):
    v1 = VillageFactory(commune=commune_a, name="Thôn 1")
    v2 = VillageFactory(commune=commune_a, name="Thôn Phú Lâm")
    other = VillageFactory(commune=commune_b, name="Thôn 1")
    return {
        "zalo1": GroupFactory(village=v1, name="Nhóm tin thôn 1"),
        "planned": GroupFactory(
            village=v1, name="Facebook thôn 1", status="planned", invite_url=""
        ),
        "lam": GroupFactory(village=v2, name="Zalo Phú Lâm"),
        "other": GroupFactory(village=other, name="Nhóm tin thôn 1"),
    }


def rejected(commune, upload) -> list[RowError]:
    before = MemberCount.objects.count()
    with pytest.raises(ImportRejected) as info:
        member_counts_import(commune=commune, upload=upload)
    assert MemberCount.objects.count() == before
    return info.value.errors


def test_counts_are_recorded_for_the_named_groups(commune_a, officer_a, groups):
    upload = csv_upload(
        [
            COUNT_HEADER,
            ["Thôn 1", "Nhóm tin thôn 1", "01/08/2021", "180"],
            ["Thôn 1", "Nhóm tin thôn 1", "2021-08-06", "195"],
            ["thôn phú lâm", "zalo  phú lâm", "06/08/2021", "1.020"],  # case and spaces ignored
            ["Thôn 1", "Facebook thôn 1", "06/08/2021", "0"],  # a planned group may be counted
        ]
    )

    result = member_counts_import(commune=commune_a, upload=upload, actor=officer_a)

    assert (result.created, result.updated) == (4, 0)
    stored = set(MemberCount.objects.values_list("group__name", "date", "members", "recorded_by"))
    assert stored == {
        ("Nhóm tin thôn 1", datetime.date(2021, 8, 1), 180, officer_a.pk),
        ("Nhóm tin thôn 1", datetime.date(2021, 8, 6), 195, officer_a.pk),
        ("Zalo Phú Lâm", datetime.date(2021, 8, 6), 1020, officer_a.pk),
        ("Facebook thôn 1", datetime.date(2021, 8, 6), 0, officer_a.pk),
    }
    # The commune B group of the same name is untouched.
    assert not groups["other"].member_counts.exists()


def test_xlsx_date_cells_and_text_dates(commune_a, groups):
    upload = xlsx_upload(
        [
            COUNT_HEADER,
            ["Thôn 1", "Nhóm tin thôn 1", datetime.datetime(2021, 8, 1), 180],
            ["Thôn 1", "Nhóm tin thôn 1", "06/08/2021", 195.0],
        ]
    )
    assert member_counts_import(commune=commune_a, upload=upload).created == 2
    assert sorted(groups["zalo1"].member_counts.values_list("date", "members")) == [
        (datetime.date(2021, 8, 1), 180),
        (datetime.date(2021, 8, 6), 195),
    ]


def test_each_bad_row_is_named_by_row_and_column(commune_a, groups):
    MemberCountFactory(group=groups["lam"], date=datetime.date(2021, 8, 1), members=50)
    upload = csv_upload(
        [
            COUNT_HEADER,
            ["Thôn 1", "Nhóm tin thôn 1", "01/08/2021", "180"],
            ["Thôn 9", "Nhóm tin thôn 9", "01/08/2021", "10"],  # row 3
            ["Thôn 1", "Zalo Phú Lâm", "01/08/2021", "10"],  # row 4: group of another village
            ["Thôn 1", "Nhóm tin thôn 1", "31/02/2021", "-1"],  # row 5
            ["Thôn 1", "Nhóm tin thôn 1", "01/01/2099", ""],  # row 6
            ["Thôn Phú Lâm", "Zalo Phú Lâm", "01/08/2021", "60"],  # row 7: already stored
            ["Thôn 1", "Nhóm tin thôn 1", "2021-08-01", "181"],  # row 8: repeats row 2
            ["", "", "", "5"],  # row 9
        ]
    )
    assert [(e.row, e.column, e.message) for e in rejected(commune_a, upload)] == [
        (3, "village", "xã không có thôn “Thôn 9”."),
        (4, "group", "thôn “Thôn 1” không có nhóm “Zalo Phú Lâm”."),
        (5, "date", "phải là ngày viết theo dạng dd/mm/yyyy."),
        (5, "members", "phải là số nguyên không âm."),
        (6, "date", "không được là ngày trong tương lai."),
        (6, "members", "không được để trống."),
        (7, "date", "nhóm này đã có số liệu của ngày này; hãy sửa số liệu đó thay vì nhập mới."),
        (8, "date", "cùng nhóm và ngày này đã có ở dòng 2."),
        (9, "village", "không được để trống."),
        (9, "group", "không được để trống."),
        (9, "date", "không được để trống."),
    ]


def test_two_groups_of_the_same_name_in_a_village_are_ambiguous(commune_a, groups):
    GroupFactory(village=groups["zalo1"].village, name="Nhóm tin thôn 1")
    upload = csv_upload([COUNT_HEADER, ["Thôn 1", "Nhóm tin thôn 1", "01/08/2021", "5"]])
    assert rejected(commune_a, upload) == [
        RowError(
            2,
            "group",
            "thôn “Thôn 1” có nhiều nhóm cùng tên “Nhóm tin thôn 1”; hãy đổi tên các nhóm trước.",
        )
    ]


def test_one_bad_row_saves_none_of_the_good_ones(commune_a, groups):
    upload = csv_upload(
        [
            COUNT_HEADER,
            ["Thôn 1", "Nhóm tin thôn 1", "01/08/2021", "180"],
            ["Thôn Phú Lâm", "Zalo Phú Lâm", "01/08/2021", "90"],
            ["Thôn Phú Lâm", "Zalo Phú Lâm", "08/08/2021", "nhiều"],
        ]
    )
    assert [(e.row, e.column) for e in rejected(commune_a, upload)] == [(4, "members")]
    assert MemberCount.objects.count() == 0


def test_a_count_stored_meanwhile_is_refused_by_the_service_and_undoes_the_file(
    commune_a, groups, monkeypatch
):
    """The pre-check saw no count; one arriving before the write (another officer, the same
    minute) is refused by member_counts_record, and the whole file is undone."""
    from groups.imports import member_counts as module

    real_duplicates = module._duplicates

    def race(*args, **kwargs):
        errors = real_duplicates(*args, **kwargs)
        MemberCountFactory(group=groups["lam"], date=datetime.date(2021, 8, 1), members=1)
        return errors

    monkeypatch.setattr(module, "_duplicates", race)
    upload = csv_upload(
        [
            COUNT_HEADER,
            ["Thôn 1", "Nhóm tin thôn 1", "01/08/2021", "180"],
            ["Thôn Phú Lâm", "Zalo Phú Lâm", "01/08/2021", "90"],
        ]
    )
    with pytest.raises(ImportRejected) as info:
        member_counts_import(commune=commune_a, upload=upload)
    # The service's own message, under the row and the column of its field.
    assert [(e.row, e.column) for e in info.value.errors] == [(3, "date")]
    assert not groups["zalo1"].member_counts.exists()


def test_checking_costs_the_same_queries_for_3_and_30_rows(
    commune_a, groups, django_assert_num_queries
):
    def bad_file(rows):
        body = [
            ["Thôn 1", "Nhóm tin thôn 1", (datetime.date(2021, 1, 1) + datetime.timedelta(n)), 5]
            for n in range(rows - 1)
        ]
        return csv_upload([COUNT_HEADER, *body, ["Thôn 1", "Nhóm tin thôn 1", "01/01/2021", 1]])

    for rows in (3, 30):
        upload = bad_file(rows)
        # 1 villages, 2 groups of the commune, 3 counts already stored on the file's dates.
        with django_assert_num_queries(3), pytest.raises(ImportRejected):
            member_counts_import(commune=commune_a, upload=upload)


def test_writing_costs_the_same_queries_for_3_and_30_rows(
    commune_a, groups, django_assert_num_queries
):
    def good_file(rows, start):
        return csv_upload(
            [COUNT_HEADER]
            + [["Thôn 1", "Nhóm tin thôn 1", start + datetime.timedelta(n), 5] for n in range(rows)]
        )

    # 3 to check (villages, groups, stored counts); then member_counts_record: its savepoint,
    # the groups' communes, the stored counts again, the insert's savepoint, one INSERT of
    # the counts, one of their history, the snapshots' invalidation (the communes' lock, the
    # deletion, their row of today computed again), and the two releases.
    for rows, start in ((3, datetime.date(2021, 1, 1)), (30, datetime.date(2021, 3, 1))):
        upload = good_file(rows, start)
        with django_assert_num_queries(3 + 11):
            member_counts_import(commune=commune_a, upload=upload)
    assert MemberCount.objects.count() == 33
