"""Writes of the places: communes, and the villages of a commune."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from bmp_comms.updates import UNCHANGED, Unchanged, apply_changes
from bmp_comms.validation import count_errors, integrity_as_validation
from communes.models import VILLAGE_SIZES, Commune, District, Village, VillageKind


@transaction.atomic
def commune_create(
    *, district: District, code: str, name: str, bluzone_target_pct: int | None = None
) -> Commune:
    commune = Commune(
        district=district,
        code=code.strip(),
        name=name.strip(),
        slug=slugify_vietnamese(name),
        bluzone_target_pct=bluzone_target_pct,
    )
    commune.full_clean()
    # A concurrent request may take the code or the name between the check and the insert.
    with integrity_as_validation("code", lambda: _("A commune with this code or name exists.")):
        commune.save()
    return commune


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
