"""The official list of administrative units of 1 July 2025 (34 provinces and centrally-run
cities; 3,321 communes, wards and special zones), read from the maintained `vietnam-provinces`
package rather than typed by hand. Only `load_units` reads it (communes.services.units_load).

Names come without their kind word, as the portal stores them ("Thành phố Huế" is Huế of kind
city, "Phường Bình Lộc" Bình Lộc of kind phuong); codes as the official list writes them,
provinces on two digits (`75`, `01`), communes on five (`25231`, `00004`).
"""

from __future__ import annotations

from dataclasses import dataclass

from vietnam_provinces import Province, VietNamDivisionType, Ward

from communes.models import CommuneKind, TopUnitKind

TOP_KINDS = {
    VietNamDivisionType.TINH: TopUnitKind.PROVINCE,
    VietNamDivisionType.THANH_PHO_TRUNG_UONG: TopUnitKind.CITY,
}
COMMUNE_KINDS = {
    VietNamDivisionType.XA: CommuneKind.XA,
    VietNamDivisionType.PHUONG: CommuneKind.PHUONG,
    VietNamDivisionType.DAC_KHU: CommuneKind.DAC_KHU,
}
# The word the package writes before a name, by division type.
PREFIXES = {
    VietNamDivisionType.THANH_PHO_TRUNG_UONG: "Thành phố ",
    VietNamDivisionType.TINH: "Tỉnh ",
    VietNamDivisionType.XA: "Xã ",
    VietNamDivisionType.PHUONG: "Phường ",
    VietNamDivisionType.DAC_KHU: "Đặc khu ",
}


@dataclass(frozen=True)
class OfficialUnit:
    code: str
    name: str
    kind: str


@dataclass(frozen=True)
class OfficialProvince:
    code: str
    name: str
    kind: str
    units: tuple[OfficialUnit, ...]


def bare_name(name: str, division_type: VietNamDivisionType) -> str:
    prefix = PREFIXES.get(division_type, "")
    if prefix and name.casefold().startswith(prefix.casefold()) and len(name) > len(prefix):
        return name[len(prefix) :]
    return name


def official_province(code: str) -> OfficialProvince | None:
    """The province or city of that code (`75`, `1` or `01`) with its units in the order of
    their codes; None when the list has none."""
    code = code.strip()
    if not code.isdigit():
        return None
    try:
        province = Province.from_code(int(code))
    except ValueError:
        return None
    units = sorted(
        (
            OfficialUnit(
                code=f"{int(ward.code):05d}",
                name=bare_name(ward.name, ward.division_type),
                kind=COMMUNE_KINDS[ward.division_type],
            )
            for ward in Ward.iter_by_province(province.code)
        ),
        key=lambda unit: unit.code,
    )
    return OfficialProvince(
        code=f"{int(province.code):02d}",
        name=bare_name(province.name, province.division_type),
        kind=TOP_KINDS[province.division_type],
        units=tuple(units),
    )
