"""A merger of communes, as the 2025 reform made them (docs/rules.md#mergers).

The absorbed communes' villages move, with their groups and every count, into the surviving
commune; their users become its users; their fields' assignments follow them where the survivor
has none for that field, and are released (and listed) where it has one. The absorbed communes
keep their rows, marked `merged_into` and `merged_on`, so their bulletins, submissions,
reminders and reports stay readable as history.

Two mergers of one commune racing: both lock the communes' rows in id order before reading
them, so the second waits for the first to commit, then finds the commune merged and is
refused; neither can leave a commune half-moved.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from bmp_comms.dates import local_today
from communes.models import Commune, FieldAssignment, Officer, UserProfile, Village
from communes.signals import communes_merged, figures_changed


@dataclass
class ReleasedField:
    commune: int
    field: str
    officer: int


@dataclass
class Merger:
    commune: Commune
    absorbed: list[int]
    villages_moved: int = 0
    groups_moved: int = 0
    users_moved: int = 0
    fields_released: list[ReleasedField] = field(default_factory=list)


def _refusals(
    survivor: Commune, absorbed: list[Commune], wanted: list[int], effective_on: datetime.date
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    merged_into = {
        commune.merged_into_id for commune in [survivor, *absorbed] if commune.merged_into_id
    }
    names = dict(
        Commune.objects.unscoped().filter(pk__in=merged_into).values_list("pk", "name")
        if merged_into
        else []
    )
    if not wanted:
        errors.setdefault("absorbed", []).append(_("Name at least one commune to absorb."))
    if survivor.pk in wanted:
        errors.setdefault("absorbed", []).append(
            _("A commune cannot absorb itself: remove %(name)s from the list.")
            % {"name": survivor.name}
        )
    missing = sorted(set(wanted) - {commune.pk for commune in absorbed})
    if missing:
        errors.setdefault("absorbed", []).append(
            _("No commune has the id %(ids)s.") % {"ids": ", ".join(map(str, missing))}
        )
    for commune in absorbed:
        if commune.pk == survivor.pk:
            continue
        if commune.district_id != survivor.district_id:
            errors.setdefault("absorbed", []).append(
                _("%(name)s belongs to another top unit: only communes of the same unit merge.")
                % {"name": commune.name}
            )
        elif commune.merged_into_id is not None:
            errors.setdefault("absorbed", []).append(
                _("%(name)s is already merged into %(into)s (from %(date)s).")
                % {
                    "name": commune.name,
                    "into": names[commune.merged_into_id],
                    "date": commune.merged_on.strftime("%d/%m/%Y"),
                }
            )
    if survivor.merged_into_id is not None:
        errors.setdefault("non_field_errors", []).append(
            _("%(name)s is already merged into %(into)s: it cannot absorb another commune.")
            % {"name": survivor.name, "into": names[survivor.merged_into_id]}
        )
    if effective_on > local_today():
        errors.setdefault("effective_on", []).append(
            _("A merger takes effect today or on a past day, not on %(date)s.")
            % {"date": effective_on.strftime("%d/%m/%Y")}
        )
    return errors


def _unique_name(name: str, taken: set[str], origin: str) -> str:
    """A moved village keeps its name unless the survivor has a village of that name: then it
    is told apart by the commune it came from, as people there would say it."""
    if name not in taken:
        return name
    candidate = f"{name} ({origin})"
    n = 2
    while candidate in taken:
        candidate = f"{name} ({origin} {n})"
        n += 1
    return candidate


@transaction.atomic
def commune_merge(
    *, survivor: Commune, absorbed_ids: list[int], effective_on: datetime.date
) -> Merger:
    """Merge `absorbed_ids` into `survivor` from `effective_on` (docs/rules.md#mergers).
    Refused, with nothing changed, when a commune would absorb itself, one belongs to another
    top unit, is already merged, the list is empty, or `effective_on` is after today."""
    wanted = sorted({int(pk) for pk in absorbed_ids})
    # Rows the caller named by id: unscoped, since another unit's commune must be refused by
    # name, not hidden; locked in id order so racing mergers queue (see the docstring).
    locked = list(
        Commune.objects.unscoped()
        .filter(pk__in=[survivor.pk, *wanted])
        # No join: a row re-read after waiting for another merger's lock comes back with its
        # new `merged_into_id`, but PostgreSQL may give a joined row of it as NULL. The names
        # for a refusal are read afterwards, once.
        .order_by("pk")
        .select_for_update(of=("self",))
    )
    by_pk = {commune.pk: commune for commune in locked}
    survivor = by_pk.get(survivor.pk, survivor)
    absorbed = [by_pk[pk] for pk in wanted if pk in by_pk]
    errors = _refusals(survivor, absorbed, wanted, effective_on)
    if errors:
        raise ValidationError(errors)

    result = Merger(commune=survivor, absorbed=[commune.pk for commune in absorbed])
    taken = set(Village.objects.unscoped().filter(commune=survivor).values_list("name", flat=True))
    for commune in sorted(absorbed, key=lambda c: c.code):
        villages = list(
            Village.objects.unscoped()
            .filter(commune=commune)
            .annotate(groups_count=Count("groups"))
            .order_by("name", "pk")
        )
        for village in villages:
            village.name = _unique_name(village.name, taken, commune.name)
            taken.add(village.name)
            village.commune = survivor
            # One save per village, so its history records the move.
            village.save(update_fields=["commune", "name"])
            result.villages_moved += 1
            result.groups_moved += village.groups_count

    held = set(
        FieldAssignment.objects.unscoped()
        .filter(commune=survivor)
        .values_list("field_id", flat=True)
    )
    for assignment in (
        FieldAssignment.objects.unscoped()
        .filter(commune__in=absorbed)
        .order_by("commune__code", "field_id")
    ):
        if assignment.field_id in held:
            result.fields_released.append(
                ReleasedField(assignment.commune_id, assignment.field_id, assignment.officer_id)
            )
            assignment.delete()
        else:
            held.add(assignment.field_id)
            assignment.commune = survivor
            assignment.save(update_fields=["commune"])

    Officer.objects.unscoped().filter(commune__in=absorbed).update(commune=survivor)
    result.users_moved = UserProfile.objects.filter(commune__in=absorbed).update(commune=survivor)
    Commune.objects.unscoped().filter(pk__in=result.absorbed).update(
        merged_into=survivor, merged_on=effective_on
    )
    # Every day's figures of these communes read their villages as they are now.
    figures_changed.send(sender=Commune, commune_ids=[survivor.pk, *result.absorbed], since=None)
    communes_merged.send(
        sender=Commune, survivor=survivor, absorbed=absorbed, effective_on=effective_on
    )
    return result
