"""Writes of communes, villages, officers, users, and the dated counts of villages and groups."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from bmp_comms.updates import UNCHANGED, Unchanged, apply_changes
from bmp_comms.validation import count_errors, happened_on_error, integrity_as_validation
from communes.models import (
    COMMUNE_ROLES,
    VILLAGE_SIZES,
    Commune,
    DatedCount,
    District,
    Field,
    FieldAssignment,
    Officer,
    Role,
    UserProfile,
    Village,
    VillageKind,
)

User = get_user_model()


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
    taken = Village.objects.filter(commune_id=village.commune_id, name=village.name)
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
    overwritten (DESIGN.md: a second count for the same group or village and date is a 400; a
    correction is an edit): a second count is refused with the model's message, and a
    correction goes through `dated_count_correct`. Dated from 01/01/2000 to today, from 0
    to MAX_COUNT."""
    errors = count_errors({model.value_field: value})
    if (date_error := happened_on_error(date)) is not None:
        errors["date"] = date_error
    if errors:
        raise ValidationError(errors)
    key = {model.owner_field: owner, "date": date}
    if model.objects.filter(**key).exists():
        raise ValidationError({"date": model.duplicate_message})
    count = model(**key, **{model.value_field: value}, recorded_by=actor)
    # The one-per-day rule was checked just above; the constraint holds it against a race.
    count.full_clean(validate_unique=False, validate_constraints=False)
    with integrity_as_validation("date", model.duplicate_message):
        count.save()
    return count


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


def _assign_fields(*, officer: Officer, field_codes: list[str]) -> None:
    """One responsible officer per (commune, field): a field held by someone else is refused,
    naming the holder; moving a field is an explicit edit of the assignment."""
    codes = list(dict.fromkeys(field_codes))
    known = set(Field.objects.filter(code__in=codes).values_list("code", flat=True))
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise ValidationError({"fields": _("Unknown field: %s.") % ", ".join(unknown)})
    held = (
        FieldAssignment.objects.filter(commune=officer.commune, field_id__in=codes)
        .exclude(officer=officer)
        .select_related("officer", "field")
    )
    errors = [
        _("The field “%(field)s” already has a responsible officer: %(officer)s.")
        % {"field": assignment.field.name, "officer": assignment.officer.full_name}
        for assignment in held
    ]
    if errors:
        raise ValidationError({"fields": errors})
    FieldAssignment.objects.filter(officer=officer).exclude(field_id__in=codes).delete()
    existing = set(
        FieldAssignment.objects.filter(officer=officer).values_list("field_id", flat=True)
    )
    with integrity_as_validation(
        "fields", lambda: _("Another officer was just made responsible for this field.")
    ):
        bulk_create_with_history(
            [
                FieldAssignment(commune=officer.commune, field_id=code, officer=officer)
                for code in codes
                if code not in existing
            ],
            FieldAssignment,
        )


@transaction.atomic
def officer_save(
    *,
    officer: Officer | None = None,
    commune: Commune,
    full_name: str,
    position: str = "",
    phone: str = "",
    fields: list[str] | None = None,
    user: AbstractBaseUser | None = None,
) -> Officer:
    if officer is not None and officer.commune_id != commune.pk:
        # Moving an officer would carry its assignments into another commune's fields.
        raise ValidationError({"commune": _("An officer cannot be moved to another commune.")})
    officer = officer or Officer(commune=commune)
    officer.full_name = full_name
    officer.position = position
    officer.phone = phone
    if user is not None:
        officer.user = user
    officer.full_clean()
    officer.save()
    if fields is not None:
        _assign_fields(officer=officer, field_codes=fields)
    return officer


@transaction.atomic
def field_assignment_reassign(
    *, assignment: FieldAssignment, officer: Officer, actor: AbstractBaseUser | None = None
) -> FieldAssignment:
    """The explicit edit that moves a field to another officer of the same commune; the
    assignment's history keeps who held it before, and who moved it."""
    if officer.commune_id != assignment.commune_id:
        raise ValidationError({"officer": _("The officer must belong to the same commune.")})
    assignment.officer = officer
    if actor is not None:
        # The API authenticates after the history middleware ran: name the actor here.
        assignment._history_user = actor
    assignment.save(update_fields=["officer"])
    return assignment


def _default_position(role: str) -> str:
    # Stored text: in the portal's language, not in whichever language the creator browses.
    with translation.override(settings.LANGUAGE_CODE):
        return str(Role(role).label)


@transaction.atomic
def user_create(
    *,
    district: District,
    username: str,
    password: str,
    full_name: str,
    role: str,
    commune: Commune | None = None,
    fields: list[str] | None = None,
    email: str = "",
) -> AbstractBaseUser:
    """A login with its role and scope; a commune role also makes it that commune's Officer,
    responsible for the fields named."""
    errors: dict[str, list[str]] = {}
    if role not in Role.values:
        errors["role"] = [_("Unknown role.")]
    elif role in COMMUNE_ROLES and commune is None:
        errors["commune"] = [_("A commune role needs a commune.")]
    elif role not in COMMUNE_ROLES and commune is not None:
        errors["commune"] = [_("A district role has no commune.")]
    if commune is not None and commune.district_id != district.pk:
        errors["commune"] = [_("The commune is not in your district.")]
    if fields and role not in COMMUNE_ROLES:
        errors["fields"] = [_("Only commune officers are responsible for fields.")]
    if User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("This username is taken.")]
    user = User(username=username, first_name=full_name, email=email)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors["password"] = exc.messages
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    with integrity_as_validation("username", lambda: _("This username is taken.")):
        user.save()
    UserProfile.objects.create(user=user, role=role, district=district, commune=commune)
    if role in COMMUNE_ROLES:
        officer_save(
            commune=commune,
            full_name=full_name,
            position=_default_position(role),
            fields=fields or [],
            user=user,
        )
    return user
