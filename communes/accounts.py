"""Writes of the district's logins and of the officers they are: officers and the fields each
answers for (one responsible officer per commune and field, docs/rules.md#field-responsibility),
and the users that district staff create and edit (docs/rules.md#users-and-officers).
communes.services names these services too, where their callers have always found them."""

from __future__ import annotations

import enum

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token
from simple_history.utils import bulk_create_with_history

from bmp_comms.validation import integrity_as_validation
from communes.models import (
    COMMUNE_ROLES,
    Commune,
    District,
    Field,
    FieldAssignment,
    Officer,
    Role,
    UserProfile,
)
from communes.wording import default_position, unit_params

User = get_user_model()


def _assign_fields(*, officer: Officer, field_codes: list[str]) -> None:
    """One responsible officer per (commune, field): a field held by someone else is refused,
    naming the holder; moving a field is an explicit edit of the assignment."""
    codes = list(dict.fromkeys(field_codes))
    known = set(Field.objects.filter(code__in=codes).values_list("code", flat=True))
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise ValidationError({"fields": _("Unknown field: %s.") % ", ".join(unknown)})
    # Unscoped: every assignment of the officer's commune, whoever is writing.
    held = (
        FieldAssignment.objects.unscoped()
        .filter(commune=officer.commune, field_id__in=codes)
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
    officer.assignments.exclude(field_id__in=codes).delete()
    existing = set(officer.assignments.values_list("field_id", flat=True))
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


def _scope_errors(
    *, district: District, role: str, commune: Commune | None, fields: list[str] | None
) -> dict[str, list[str]]:
    """A role and its scope agree: a commune role has a commune of the district, a district
    role none, and only commune users answer for fields. The rule of creating and editing."""
    errors: dict[str, list[str]] = {}
    if role not in Role.values:
        errors["role"] = [_("Unknown role.")]
    elif role in COMMUNE_ROLES and commune is None:
        errors["commune"] = [_("A commune role needs a commune.")]
    elif role not in COMMUNE_ROLES and commune is not None:
        errors["commune"] = [_("A role of the %(unit)s has no commune.") % unit_params(district)]
    if commune is not None and commune.district_id != district.pk:
        errors["commune"] = [_("The commune is not in your %(unit)s.") % unit_params(district)]
    if fields and role not in COMMUNE_ROLES:
        errors["fields"] = [_("Only commune officers are responsible for fields.")]
    return errors


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
    errors = _scope_errors(district=district, role=role, commune=commune, fields=fields)
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
            position=default_position(role, commune=commune),
            fields=fields or [],
            user=user,
        )
    return user


class Keep(enum.Enum):
    """An argument of `user_update` left out: the value stays as it is."""

    KEEP = "keep"


KEEP = Keep.KEEP


def _release_fields(officer: Officer) -> None:
    # One by one, so each assignment's history records its end (the queryset's delete would
    # too, through the signals, but says so less plainly).
    for assignment in officer.assignments.all():
        assignment.delete()


@transaction.atomic
def user_update(
    *,
    user: AbstractBaseUser,
    actor: AbstractBaseUser,
    full_name: str | Keep = KEEP,
    role: str | Keep = KEEP,
    commune: Commune | Keep | None = KEEP,
    fields: list[str] | None = None,
    is_active: bool | Keep = KEEP,
) -> AbstractBaseUser:
    """District staff edit a login of their district (docs/rules.md#users-and-officers): its
    name, role, commune, fields, and whether it is active. Nothing is ever deleted.

    - A role changed to a district role without a commune named drops the commune.
    - A commune user's Officer follows the login: its name is the user's; moved to another
      commune it gives up every field of the old one (the fields named are then taken in the
      new one); a district role leaves the Officer in its commune without the login, and with
      no field. The position the role gave (its label) follows the role.
    - Deactivated, the user can no longer log in or get a token (their tokens are deleted, and
      Django's backends refuse an inactive user's session), and answers for no field: every
      assignment is released (its history keeps who held it), and naming fields for an
      inactive user is refused. Reactivating gives back no field by itself.
    - One responsible officer per (commune, field): a field held by someone else is a 400
      naming the holder.
    - Staff do not deactivate themselves or change their own role: nobody locks themselves out.
    Atomic: a refusal leaves every row as it was."""
    profile = user.profile
    old_role = profile.role
    new_role = old_role if role is KEEP else role
    if commune is KEEP:
        commune = None if new_role not in COMMUNE_ROLES else profile.commune
    active = user.is_active if is_active is KEEP else is_active
    errors = _scope_errors(district=profile.district, role=new_role, commune=commune, fields=fields)
    if full_name is not KEEP and not full_name.strip():
        errors["full_name"] = [_("A user needs a full name.")]
    if fields and not active and "fields" not in errors:
        errors["fields"] = [_("A deactivated user is responsible for no field.")]
    if user.pk == actor.pk and not active:
        errors["is_active"] = [_("You cannot deactivate your own login.")]
    if user.pk == actor.pk and new_role != old_role:
        errors.setdefault("role", []).append(_("You cannot change your own role."))
    if errors:
        raise ValidationError(errors)

    if full_name is not KEEP:
        user.first_name = full_name.strip()
    if user.is_active and not active:
        # A token outlives a password: an inactive user's is refused, and is not revived by
        # reactivating them either.
        Token.objects.filter(user=user).delete()
    user.is_active = active
    user.save(update_fields=["first_name", "is_active"])
    profile.role, profile.commune = new_role, commune
    profile.full_clean()
    profile.save(update_fields=["role", "commune"])
    _officer_follows(user, old_role=old_role, fields=fields)
    return user


def _officer_follows(user: AbstractBaseUser, *, old_role: str, fields: list[str] | None) -> None:
    """The commune user's Officer after `user_update` changed the profile (see there)."""
    profile = user.profile
    officer = Officer.objects.unscoped().filter(user=user).first()
    if profile.role not in COMMUNE_ROLES:
        if officer is not None:
            _release_fields(officer)
            officer.user = None
            officer.save(update_fields=["user"])
        return
    old_commune = officer.commune if officer is not None else None
    if officer is None:
        officer = Officer(
            commune=profile.commune,
            user=user,
            position=default_position(profile.role, commune=profile.commune),
        )
    elif officer.commune_id != profile.commune_id:
        # Not through officer_save, which refuses a move: the fields of the old commune are
        # given up first, so none is carried into the new one.
        _release_fields(officer)
        officer.commune = profile.commune
    # A position that was its role's label follows the new role (in the new commune's words).
    if profile.role != old_role and officer.position == default_position(
        old_role, commune=old_commune
    ):
        officer.position = default_position(profile.role, commune=profile.commune)
    officer.full_name = user.first_name
    officer.full_clean()
    officer.save()
    if not user.is_active:
        _release_fields(officer)
    elif fields is not None:
        _assign_fields(officer=officer, field_codes=fields)
