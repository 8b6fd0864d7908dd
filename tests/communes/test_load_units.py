"""`load_units --province <code> [--kind province|city]` (docs/rules.md#load-units): a province's
communes, wards and special zones of 1 July 2025 from the official list, idempotently; a commune
of the same official code is moved, never duplicated; an unknown code changes nothing."""

import io

import pytest
from django.core.management import CommandError, call_command

from communes.models import Commune, District, UserProfile
from tests.factories import CommuneFactory, DistrictFactory, make_user

# Counted from the official list of 1 July 2025 (Đồng Nai: 72 communes, 23 wards).
DONG_NAI_UNITS = 95


def load(*args: str) -> str:
    out = io.StringIO()
    call_command("load_units", *args, stdout=out)
    return out.getvalue()


def rows() -> list[tuple]:
    return sorted(Commune.objects.values_list("code", "name", "kind", "district__code", "slug"))


@pytest.mark.django_db
def test_dong_nai_gives_its_95_units_with_their_codes_names_and_kinds():
    output = load("--province", "75")

    province = District.objects.get(code="75")
    assert (province.name, province.kind) == ("Đồng Nai", "province")
    communes = {c.code: c for c in province.communes.all()}
    assert len(communes) == DONG_NAI_UNITS
    assert {code: (communes[code].name, communes[code].kind) for code in (
        "25222", "25225", "25231", "25267"
    )} == {
        "25222": ("Bù Gia Mập", "xa"),
        "25225": ("Đăk Ơ", "xa"),
        "25231": ("Đa Kia", "xa"),
        "25267": ("Phú Nghĩa", "xa"),
    }  # fmt: skip
    kinds = [c.kind for c in communes.values()]
    assert (kinds.count("xa"), kinds.count("phuong"), kinds.count("dac_khu")) == (72, 23, 0)
    # Names carry no kind word: the kind gives it.
    assert not [c.name for c in communes.values() if c.name.split()[0] in ("Xã", "Phường")]
    assert communes["26089"].name == "Bình Lộc" and communes["26089"].kind == "phuong"
    assert "tỉnh Đồng Nai (mã 75): 95 xã, phường, đặc khu; 95 mới, 0 cập nhật" in output


@pytest.mark.django_db
def test_a_second_run_changes_nothing():
    load("--province", "75")
    before = (rows(), list(District.objects.values_list("code", "name", "kind")))

    output = load("--province", "75")

    assert (rows(), list(District.objects.values_list("code", "name", "kind"))) == before
    assert Commune.objects.count() == DONG_NAI_UNITS
    assert "0 mới, 0 cập nhật, 0 chuyển về" in output


@pytest.mark.django_db
def test_an_existing_commune_of_the_same_code_is_moved_not_duplicated(
    district, commune_b, officer_b
):
    # Đa Kia (25231) of the district of 2021, with a user; another commune of the district stays.
    stays = CommuneFactory(district=district, code="25228", name="Đức Hạnh", slug="duc-hanh")
    staff = make_user("district_staff", district=district, username="vhtt-cu")

    load("--province", "75")

    province = District.objects.get(code="75")
    moved = Commune.objects.get(code="25231")
    assert moved.pk == commune_b.pk
    assert (moved.district, moved.name, moved.kind, moved.slug) == (
        province,
        "Đa Kia",
        "xa",
        "da-kia",
    )
    assert Commune.objects.filter(code="25231").count() == 1
    assert Commune.objects.filter(district=province).count() == DONG_NAI_UNITS
    # Its users follow it; the old district keeps what is not in the province's list.
    assert UserProfile.objects.get(user=officer_b).district == province
    assert UserProfile.objects.get(user=staff).district == district
    assert list(district.communes.all()) == [stays]


@pytest.mark.django_db
def test_an_existing_top_unit_of_the_code_is_updated_and_kind_can_be_chosen():
    DistrictFactory(code="75", name="Tỉnh Đồng Nai cũ")
    CommuneFactory(district=DistrictFactory(code="691"), code="25267", name="Xã Phú Nghĩa")

    load("--province", "75", "--kind", "city")

    unit = District.objects.get(code="75")
    assert (unit.name, unit.kind, unit.province_code) == ("Đồng Nai", "city", "75")
    assert Commune.objects.get(code="25267").name == "Phú Nghĩa"
    assert District.objects.count() == 2


@pytest.mark.django_db
def test_a_centrally_run_city_is_a_city():
    load("--province", "46")

    hue = District.objects.get(code="46")
    assert (hue.name, hue.kind) == ("Huế", "city")
    assert hue.communes.count() == 40


@pytest.mark.parametrize("code", ["99", "7 5", "Đồng Nai", "0"])
@pytest.mark.django_db
def test_an_unknown_province_is_refused_and_nothing_is_saved(district, commune_a, code):
    before = (rows(), list(District.objects.values_list("code", "name", "kind")))

    with pytest.raises(CommandError) as refused:
        load("--province", code)

    assert str(refused.value) == (
        f"Không có tỉnh, thành phố nào mang mã {code} trong danh mục đơn vị hành chính từ ngày "
        "01/07/2025."
    )
    assert (rows(), list(District.objects.values_list("code", "name", "kind"))) == before


@pytest.mark.django_db
def test_a_kind_other_than_province_or_city_is_refused(district):
    with pytest.raises(CommandError):
        load("--province", "75", "--kind", "district")
    assert not District.objects.filter(code="75").exists()
