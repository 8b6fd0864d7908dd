"""Writes of the places: top units, communes, and the villages of a commune."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from bmp_comms.updates import UNCHANGED, Unchanged, apply_changes
from bmp_comms.validation import count_errors, integrity_as_validation
from communes.models import VILLAGE_SIZES, Commune, CommuneKind, District, Village, VillageKind
from communes.wording import split_kind

DISTRICT_FIELDS = ("code", "name", "kind")


@transaction.atomic
def district_create(*, code: str, name: str, kind: str = "") -> District:
    """A top unit (administrators only: docs/rules.md#unit-kinds); a district unless told."""
    district = District(code=code.strip(), name=" ".join(name.split()))
    if kind:
        district.kind = kind
    return _save_district(district)


@transaction.atomic
def district_update(
    *,
    district: District,
    code: str | Unchanged = UNCHANGED,
    name: str | Unchanged = UNCHANGED,
    kind: str | Unchanged = UNCHANGED,
) -> District:
    """Rename a top unit or change its kind (a district that became a province): every word
    that names it follows on the next page (communes.wording)."""
    apply_changes(
        district,
        {
            "code": code.strip() if isinstance(code, str) else code,
            "name": " ".join(name.split()) if isinstance(name, str) else name,
            "kind": kind,
        },
    )
    return _save_district(district)


def _save_district(district: District) -> District:
    # The code's uniqueness in our words (a top unit, not "huyện"), then the model's own rules.
    if District.objects.filter(code=district.code).exclude(pk=district.pk).exists():
        raise ValidationError({"code": _top_unit_code_taken()})
    district.full_clean(validate_unique=False)
    # A concurrent request may take the code between the check and the write.
    with integrity_as_validation("code", _top_unit_code_taken):
        district.save()
    return district


def _top_unit_code_taken() -> str:
    return _("A top unit with this code exists.")


def _name_and_kind(name: str, kind: str = "") -> tuple[str, str]:
    """A commune's name is stored without its kind word (docs/rules.md#unit-kinds): "Xã Đa Kia"
    is "Đa Kia" of kind xa. A kind given wins over the word; a name without a word is a xã
    unless a kind is given."""
    found, bare = split_kind(name)
    return bare, kind or found or CommuneKind.XA


@transaction.atomic
def commune_create(
    *,
    district: District,
    code: str,
    name: str,
    kind: str = "",
    bluzone_target_pct: int | None = None,
) -> Commune:
    name, kind = _name_and_kind(name.strip(), kind)
    commune = Commune(
        district=district,
        code=code.strip(),
        name=name,
        kind=kind,
        slug=slugify_vietnamese(name),
        bluzone_target_pct=bluzone_target_pct,
    )
    commune.full_clean()
    # A concurrent request may take the code or the name between the check and the insert.
    with integrity_as_validation("code", lambda: _("A commune with this code or name exists.")):
        commune.save()
    return commune


def communes_refresh(*, district: District, units: Sequence, stored: dict[str, Commune]) -> int:
    """Bring the stored communes of the official units (`units`, by code in `stored`) to their
    official name and kind, under `district`; how many changed. One UPDATE statement."""
    official = {unit.code: unit for unit in units}
    changed = []
    for code, commune in stored.items():
        unit = official[code]
        if (commune.name, commune.kind, commune.district_id) != (unit.name, unit.kind, district.pk):
            commune.name, commune.kind, commune.district = unit.name, unit.kind, district
            changed.append(commune)
    Commune.objects.unscoped().bulk_update(changed, ["name", "kind", "district"])
    return len(changed)


def communes_add(*, district: District, units: Sequence) -> int:
    """New communes of the official units under `district`, in one INSERT; a slug already taken
    (a commune and a ward of one name, or a namesake in another province) gets the code."""
    taken = set(Commune.objects.unscoped().values_list("slug", flat=True))
    rows = []
    for unit in units:
        slug = slugify_vietnamese(unit.name)
        slug = slug if slug not in taken else f"{slug}-{unit.code}"
        taken.add(slug)
        rows.append(
            Commune(district=district, code=unit.code, name=unit.name, kind=unit.kind, slug=slug)
        )
    Commune.objects.unscoped().bulk_create(rows)
    return len(rows)


def slugify_vietnamese(text: str) -> str:
    """ "Phú Nghĩa" → "phu-nghia"; đ has no decomposition, so it is mapped by hand."""
    return slugify(text.replace("đ", "d").replace("Đ", "D"))


def _save_village(village: Village) -> Village:
    # The service, not the form or the serializer, judges sizes and names, so a page and the
    # API give the same message for the same bad village.
    errors = count_errors({name: getattr(village, name) for name in VILLAGE_SIZES})
    # Unscoped: a name is taken by any village of the commune, whoever is writing.
    taken = Village.objects.unscoped().filter(commune_id=village.commune_id, name=village.name)
    if taken.exclude(pk=village.pk).exists():
        errors["name"] = _village_name_taken()
    if errors:
        raise ValidationError(errors)
    # The constraints were judged just above, with the messages people read.
    village.full_clean(validate_constraints=False)
    # A concurrent request may take the name between the check and the write.
    with integrity_as_validation("name", _village_name_taken):
        village.save()
    return village


def _village_name_taken() -> str:
    return _("The commune already has a village with this name.")


@transaction.atomic
def village_create(
    *,
    commune: Commune,
    name: str,
    kind: str = VillageKind.THON,
    households: int = 0,
    residents: int = 0,
    smartphone_users: int = 0,
) -> Village:
    """A village of a commune: its name is unique within the commune, its sizes are 0 or more."""
    village = Village(
        commune=commune,
        name=name,
        kind=kind,
        households=households,
        residents=residents,
        smartphone_users=smartphone_users,
    )
    return _save_village(village)


@transaction.atomic
def village_update(
    *,
    village: Village,
    commune: Commune | Unchanged = UNCHANGED,
    name: str | Unchanged = UNCHANGED,
    kind: str | Unchanged = UNCHANGED,
    households: int | Unchanged = UNCHANGED,
    residents: int | Unchanged = UNCHANGED,
    smartphone_users: int | Unchanged = UNCHANGED,
) -> Village:
    """Change what is given and keep the rest, under the rules of `village_create`; the
    village's history keeps the values it replaced."""
    apply_changes(
        village,
        {
            "commune": commune,
            "name": name,
            "kind": kind,
            "households": households,
            "residents": residents,
            "smartphone_users": smartphone_users,
        },
    )
    return _save_village(village)
