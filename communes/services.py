"""Writes of communes, villages, officers, users and Bluzone counts."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from bmp_comms.validation import integrity_as_validation, validate_not_future
from communes.models import (
    COMMUNE_ROLES,
    BluzoneCount,
    Commune,
    District,
    Field,
    FieldAssignment,
    Officer,
    Role,
    UserProfile,
    Village,
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


@transaction.atomic
def village_save(*, village: Village | None = None, commune: Commune, **data) -> Village:
    """Create or edit a village; names are unique within a commune and sizes non-negative."""
    village = village or Village(commune=commune)
    village.commune = commune
    for name, value in data.items():
        setattr(village, name, value)
    village.full_clean()
    with integrity_as_validation(
        "__all__", lambda: _("The commune already has a village with this name.")
    ):
        village.save()
    return village


@transaction.atomic
def bluzone_count_record(
    *, village: Village, date: datetime.date, installs: int, actor=None
) -> BluzoneCount:
    """One count per village and date; a second one is refused (a correction is an edit)."""
    validate_not_future(date, "date")
    if BluzoneCount.objects.filter(village=village, date=date).exists():
        raise ValidationError({"date": _("A count for this village on this date already exists.")})
    count = BluzoneCount(village=village, date=date, installs=installs, recorded_by=actor)
    count.full_clean(validate_unique=False, validate_constraints=False)
    with integrity_as_validation(
        "date", lambda: _("A count for this village on this date already exists.")
    ):
        count.save()
    return count


@transaction.atomic
def bluzone_count_correct(*, count: BluzoneCount, installs: int, actor=None) -> BluzoneCount:
    count.installs = installs
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
    user=None,
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
    *, assignment: FieldAssignment, officer: Officer, actor=None
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
):
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
