"""Writes of the dated counts of villages and groups, and the load of a province's official units.
The communes and their villages are written by communes.places; officers, users and their fields
by communes.accounts, whose services are named here too, where their callers have always found
them."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from bmp_comms.validation import count_errors, happened_on_error, integrity_as_validation
from communes import places

# The services of officers and users, named here too (see the docstring).
from communes.accounts import field_assignment_reassign as field_assignment_reassign
from communes.accounts import officer_save as officer_save
from communes.accounts import user_create as user_create
from communes.accounts import user_update as user_update
from communes.models import Commune, DatedCount, District, TopUnitKind, UserProfile
from communes.official_units import official_province
from communes.signals import figures_changed


def _dated_count_errors(
    model: type[DatedCount], *, date: datetime.date, value: int
) -> dict[str, Promise]:
    """What is wrong with one count on its own, by field: its number outside 0..MAX_COUNT, its
    date outside 01/01/2000..today. The rules of `dated_count_record` and
    `dated_counts_record` alike."""
    errors = count_errors({model.value_field: value})
    if (date_error := happened_on_error(date)) is not None:
        errors["date"] = date_error
    return errors


@transaction.atomic
def dated_count_record(
    *,
    model: type[DatedCount],
    owner: models.Model,
    date: datetime.date,
    value: int,
    actor: AbstractBaseUser | None = None,
) -> DatedCount:
    """A group's members or a village's Bluzone installs on a date (D3, D10). History is never
    overwritten (docs/rules.md#member-counts: a second count for the same group or village and date
    is a 400; a correction is an edit): a second count is refused with the model's message, and a
    correction goes through `dated_count_correct`. Dated from 01/01/2000 to today, from 0
    to MAX_COUNT."""
    errors = _dated_count_errors(model, date=date, value=value)
    if errors:
        raise ValidationError(errors)
    key = {model.owner_field: owner, "date": date}
    # Unscoped: the one-per-day rule holds over every count of the owner, whoever is writing.
    if model.objects.unscoped().filter(**key).exists():
        raise ValidationError({"date": model.duplicate_message})
    count = model(**key, **{model.value_field: value}, recorded_by=actor)
    # The one-per-day rule was checked just above; the constraint holds it against a race.
    count.full_clean(validate_unique=False, validate_constraints=False)
    with integrity_as_validation("date", model.duplicate_message):
        count.save()
    return count


OwnerT = TypeVar("OwnerT", bound=models.Model)


@dataclass(frozen=True)
class DatedCountEntry(Generic[OwnerT]):
    """One count of a batch for `dated_counts_record`: its owner (a group, a village), its date
    and its number (the members, the installs)."""

    owner: OwnerT
    date: datetime.date
    value: int


class CountsRejected(Exception):
    """A batch of counts of which nothing was written. `errors` maps the position in the batch
    of each refused count to a ValidationError by field, with the messages
    `dated_count_record` gives for that count alone."""

    def __init__(self, errors: dict[int, ValidationError]):
        super().__init__(f"{len(errors)} of the counts were refused")
        self.errors = errors


# Rows per INSERT: 5,000 counts are 5 statements, and 5 more for their history, each of a few
# hundred kilobytes. SQLite caps a statement at 999 parameters and Django splits it further.
COUNTS_BATCH_SIZE = 1000


@transaction.atomic
def dated_counts_record(
    *,
    model: type[DatedCount],
    counts: Sequence[DatedCountEntry],
    actor: AbstractBaseUser | None = None,
) -> list[DatedCount]:
    """Many counts at once, all or none, each under the rules of `dated_count_record`: its
    number and date (`_dated_count_errors`), then one count per owner and date, against the
    database and against the counts before it in the batch (a later one is refused as a
    stored one would be), then an owner that exists. Every refused count is named in
    `CountsRejected`; nothing is written then.

    A fixed number of queries whatever the batch's size (but one INSERT per
    COUNTS_BATCH_SIZE rows, for the counts and for their history); each count's history
    names `actor`. A bulk insert passes by the model's signals, so `figures_changed` tells the
    dashboard the communes touched and the earliest date, inside the transaction."""
    if not counts:
        return []
    owner_field = model._meta.get_field(model.owner_field)
    owner_model = model.owner_model()
    owner_ids = {entry.owner.pk for entry in counts}
    # One query says which owners exist and whose commune each is (for figures_changed).
    commune_of = dict(
        owner_model._base_manager.filter(pk__in=owner_ids).values_list(
            "pk", owner_model.commune_scope
        )
    )
    stored = _stored_keys(model, counts)
    errors: dict[int, ValidationError] = {}
    batch: set[tuple[object, datetime.date]] = set()
    for index, entry in enumerate(counts):
        key = (entry.owner.pk, entry.date)
        if field_errors := _dated_count_errors(model, date=entry.date, value=entry.value):
            errors[index] = ValidationError(field_errors)
        elif key in stored or key in batch:
            errors[index] = ValidationError({"date": model.duplicate_message})
        elif entry.owner.pk not in commune_of:
            errors[index] = ValidationError({model.owner_field: _missing(owner_field, key[0])})
        else:
            batch.add(key)
    if errors:
        raise CountsRejected(errors)

    rows = [
        model(
            **{model.owner_field: entry.owner, model.value_field: entry.value},
            date=entry.date,
            recorded_by=actor,
        )
        for entry in counts
    ]
    # In the unique index's order: two batches that overlap then wait for each other on
    # their first shared row, and never each hold a row the other needs (a deadlock).
    in_index_order = sorted(rows, key=lambda row: (getattr(row, owner_field.attname), row.date))
    try:
        # The checks above saw the database before the insert; the one-per-day constraint
        # holds against a writer that stored some of these counts in between.
        with transaction.atomic():
            bulk_create_with_history(
                in_index_order, model, batch_size=COUNTS_BATCH_SIZE, default_user=actor
            )
    except IntegrityError as exc:
        raced = _stored_keys(model, counts)
        errors = {
            index: ValidationError({"date": model.duplicate_message})
            for index, entry in enumerate(counts)
            if (entry.owner.pk, entry.date) in raced
        }
        if not errors:
            raise
        raise CountsRejected(errors) from exc
    figures_changed.send(
        sender=model,
        commune_ids={commune_of[entry.owner.pk] for entry in counts},
        since=min(entry.date for entry in counts),
    )
    return rows


def _stored_keys(
    model: type[DatedCount], counts: Sequence[DatedCountEntry]
) -> set[tuple[object, datetime.date]]:
    """(owner pk, date) of the counts stored for the batch's owners on the batch's dates: one
    query, a superset that the caller matches key by key."""
    attname = model._meta.get_field(model.owner_field).attname
    return set(
        model._base_manager.filter(
            **{f"{attname}__in": {entry.owner.pk for entry in counts}},
            date__in={entry.date for entry in counts},
        ).values_list(attname, "date")
    )


def _missing(owner_field: models.ForeignKey, pk: object) -> ValidationError:
    # The words `full_clean` uses for an owner that does not exist, as `dated_count_record`.
    return ValidationError(
        owner_field.error_messages["invalid"],
        code="invalid",
        params={
            "model": owner_field.related_model._meta.verbose_name,
            "pk": pk,
            "field": owner_field.remote_field.field_name,
            "value": pk,
        },
    )


@transaction.atomic
def dated_count_correct(
    *, count: DatedCount, value: int, actor: AbstractBaseUser | None = None
) -> DatedCount:
    """A correction is an edit of that one count: the earlier value stays in its history."""
    errors = count_errors({count.value_field: value})
    if errors:
        raise ValidationError(errors)
    setattr(count, count.value_field, value)
    count.recorded_by = actor
    count.full_clean()
    count.save()
    return count


@dataclass(frozen=True)
class UnitsLoaded:
    district: District
    created: int
    updated: int
    moved: int


@transaction.atomic
def units_load(*, province: str, kind: str = "") -> UnitsLoaded:
    """A province's top unit and every commune, ward and special zone of it in the official
    list of 1 July 2025 (docs/rules.md#load-units), created or brought up to date: run twice,
    the same rows. A commune of the same official code is the same commune, wherever it was:
    renamed, given its kind and moved under the unit, with its users, never duplicated. An
    unknown code is refused with nothing written."""
    if (official := official_province(province)) is None:
        message = _(
            "No province or city has the code %(code)s in the official list of 1 July 2025."
        )
        raise ValidationError({"province": message % {"code": province}})
    if kind and kind not in (TopUnitKind.PROVINCE, TopUnitKind.CITY):
        raise ValidationError({"kind": _("The kind is province or city.")})
    district, _new = District.objects.update_or_create(
        code=official.code,
        defaults={"name": official.name, "kind": kind or official.kind,
                  "province_name": official.name, "province_code": official.code},
    )  # fmt: skip
    codes = [unit.code for unit in official.units]
    stored = Commune.objects.unscoped().in_bulk(codes, field_name="code")
    moved = [commune.pk for commune in stored.values() if commune.district_id != district.pk]
    updated = places.communes_refresh(district=district, units=official.units, stored=stored)
    # A commune's users serve it wherever it goes (their scope is their commune's top unit).
    UserProfile.objects.filter(commune_id__in=moved).update(district=district)
    new = [unit for unit in official.units if unit.code not in stored]
    created = places.communes_add(district=district, units=new)
    return UnitsLoaded(district=district, created=created, updated=updated, moved=len(moved))
