import pytest

from communes.models import Village
from groups.imports import ImportRejected, RowError, villages_import
from tests.factories import VillageFactory
from tests.groups.import_files import VILLAGE_HEADER, csv_upload, xlsx_upload

pytestmark = pytest.mark.django_db


def rejected(commune, upload) -> list[RowError]:
    with pytest.raises(ImportRejected) as info:
        villages_import(commune=commune, upload=upload)
    return info.value.errors


def test_creates_new_villages_and_updates_one_of_the_same_name(commune_a, officer_a):
    existing = VillageFactory(
        commune=commune_a, name="Thôn Phú Lâm", kind="thon", households=100, residents=400
    )
    VillageFactory(
        commune=commune_a,
        name="Ấp 2",
        kind="ap",
        households=80,
        residents=300,
        smartphone_users=150,
    )
    upload = csv_upload(
        [
            VILLAGE_HEADER,
            ["Thôn 1", "thôn", "250", "1000", "600"],
            ["Bon Bu Dốt", "bon", "120", "480", "200"],
            ["thôn  phú lâm", "", "130", "520", "260"],  # same village: case and spaces ignored
            ["Ấp 2", "ấp", "80", "300", "150"],  # as stored: unchanged
        ]
    )

    result = villages_import(commune=commune_a, upload=upload, actor=officer_a)

    assert (result.created, result.updated, result.unchanged) == (2, 1, 1)
    assert Village.objects.filter(commune=commune_a).count() == 4
    existing.refresh_from_db()
    # The stored name is kept, the empty kind leaves the kind as it was.
    assert (existing.name, existing.kind) == ("Thôn Phú Lâm", "thon")
    assert (existing.households, existing.residents, existing.smartphone_users) == (130, 520, 260)
    new = Village.objects.get(commune=commune_a, name="Bon Bu Dốt")
    assert (new.kind, new.households, new.residents, new.smartphone_users) == ("bon", 120, 480, 200)
    # The update is kept in the village's history beside the value it replaced.
    assert [h.households for h in existing.history.order_by("history_date")] == [100, 130]


def test_kind_accepts_codes_and_words_with_or_without_diacritics(commune_a):
    upload = csv_upload(
        [
            VILLAGE_HEADER,
            ["A", "to_dan_pho", 1, 1, 1],
            ["B", "Tổ dân phố", 1, 1, 1],
            ["C", "AP", 1, 1, 1],
            ["D", "", 1, 1, 1],
        ]
    )
    villages_import(commune=commune_a, upload=upload)
    kinds = dict(Village.objects.filter(commune=commune_a).values_list("name", "kind"))
    assert kinds == {"A": "to_dan_pho", "B": "to_dan_pho", "C": "ap", "D": "thon"}


@pytest.mark.parametrize("bom", [True, False])
def test_csv_utf8_with_or_without_byte_order_mark(commune_a, bom):
    upload = csv_upload([VILLAGE_HEADER, ["Thôn Đắk Ơ", "thôn", 10, 40, 20]], bom=bom)
    assert villages_import(commune=commune_a, upload=upload).created == 1
    assert Village.objects.get(commune=commune_a).name == "Thôn Đắk Ơ"


def test_semicolon_separated_csv_is_read(commune_a):
    upload = csv_upload([VILLAGE_HEADER, ["Thôn 1", "thôn", 10, 40, 20]], delimiter=";")
    assert villages_import(commune=commune_a, upload=upload).created == 1


def test_header_is_matched_ignoring_case_order_spaces_and_extra_columns(commune_a):
    upload = csv_upload(
        [
            ["Households", "Smartphone Users", "Name", "note", "residents", "KIND"],
            [300, 120, "Thôn 9", "ghi chú", 1200, "thôn"],
        ]
    )
    villages_import(commune=commune_a, upload=upload)
    village = Village.objects.get(commune=commune_a)
    assert (village.name, village.households, village.smartphone_users) == ("Thôn 9", 300, 120)


def test_xlsx_with_number_cells_thousands_and_blank_rows(commune_a):
    upload = xlsx_upload(
        [
            VILLAGE_HEADER,
            ["Thôn 1", "thôn", 250, 1000.0, 600],
            [None, None, None, None, None],  # an empty row is skipped
            ["Thôn 2", "thôn", "1.234", "4 936", "2,000"],
        ]
    )
    assert villages_import(commune=commune_a, upload=upload).created == 2
    second = Village.objects.get(commune=commune_a, name="Thôn 2")
    assert (second.households, second.residents, second.smartphone_users) == (1234, 4936, 2000)


def test_each_bad_cell_is_named_by_row_and_column(commune_a):
    upload = csv_upload(
        [
            VILLAGE_HEADER,
            ["Thôn 1", "thôn", "250", "1000", "600"],
            ["", "thôn", "10", "10", "10"],  # row 3
            ["Thôn 3", "xóm", "10", "10", "10"],  # row 4
            ["Thôn 4", "thôn", "-5", "abc", "2.5"],  # row 5
            ["Thôn 5", "thôn", "", "99999999999", "10"],  # row 6
            ["X" * 121, "thôn", "1", "1", "1"],  # row 7
            ["THÔN 1", "thôn", "1", "1", "1"],  # row 8: repeats row 2
        ]
    )
    errors = rejected(commune_a, upload)
    assert [(e.row, e.column, e.message) for e in errors] == [
        (3, "name", "không được để trống."),
        (4, "kind", "phải là một trong: thôn, ấp, bon, tổ dân phố, khu phố, buôn, bản, làng, sóc."),
        (5, "households", "phải là số nguyên không âm."),
        (5, "residents", "phải là số nguyên không âm."),
        (5, "smartphone_users", "phải là số nguyên không âm."),
        (6, "households", "không được để trống."),
        (6, "residents", "quá lớn."),
        (7, "name", "không được dài quá 120 ký tự."),
        (8, "name", "thôn “THÔN 1” đã có ở dòng 2."),
    ]
    assert str(errors[2]) == "Dòng 5, cột households: phải là số nguyên không âm."


def test_column_is_named_as_the_file_writes_it(commune_a):
    upload = csv_upload(
        [
            ["Name", "Kind", "Households", "Residents", "Smartphone users"],
            ["Thôn 1", "thôn", "x", "1", "1"],
        ]
    )
    assert rejected(commune_a, upload) == [RowError(2, "Households", "phải là số nguyên không âm.")]


def test_one_bad_row_saves_nothing(commune_a):
    existing = VillageFactory(commune=commune_a, name="Thôn 1", households=100)
    before = Village.objects.count()
    upload = csv_upload(
        [
            VILLAGE_HEADER,
            ["Thôn 1", "thôn", "500", "1000", "600"],
            ["Thôn 2", "thôn", "250", "1000", "600"],
            ["Thôn 3", "thôn", "250", "một nghìn", "600"],
        ]
    )
    assert [(e.row, e.column) for e in rejected(commune_a, upload)] == [(4, "residents")]
    assert Village.objects.count() == before
    existing.refresh_from_db()
    assert existing.households == 100


def test_a_row_the_service_refuses_rolls_back_the_rows_before_it(commune_a, monkeypatch):
    """A rule only the service knows (here: a refusal on the second row) still undoes the
    first row, and is reported under the row and the column of its field."""
    from django.core.exceptions import ValidationError

    from groups.imports import villages as villages_module

    real_create = villages_module.village_create

    def refuse_second(**kwargs):
        if kwargs.get("name") == "Thôn 2":
            raise ValidationError({"residents": "quá ít."})
        return real_create(**kwargs)

    monkeypatch.setattr(villages_module, "village_create", refuse_second)
    upload = csv_upload([VILLAGE_HEADER, ["Thôn 1", "thôn", 1, 1, 1], ["Thôn 2", "thôn", 1, 1, 1]])
    assert rejected(commune_a, upload) == [RowError(3, "residents", "quá ít.")]
    assert not Village.objects.filter(commune=commune_a).exists()


def test_validation_costs_the_same_queries_for_3_and_30_rows(commune_a, django_assert_num_queries):
    VillageFactory.create_batch(5, commune=commune_a)

    def bad_file(rows):
        body = [[f"Thôn mới {n}", "thôn", 1, 1, 1] for n in range(rows - 1)]
        return csv_upload([VILLAGE_HEADER, *body, ["Thôn cuối", "thôn", "x", 1, 1]])

    for rows in (3, 30):
        # 1: the commune's villages, loaded once; a rejected file writes nothing.
        with django_assert_num_queries(1):
            rejected(commune_a, bad_file(rows))
