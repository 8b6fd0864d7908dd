"""Writes of news groups; their member counts are dated counts (communes.services)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bmp_comms.dates import local_today
from bmp_comms.validation import web_url_validator
from groups.models import GroupStatus, MessagingGroup

GROUP_FIELDS = (
    "village",
    "platform",
    "name",
    "invite_url",
    "admin_name",
    "admin_phone",
    "admin_trained",
    "admins_only_post",
    "established_on",
    "status",
)


def _validate_group(group: MessagingGroup) -> None:
    errors: dict[str, str] = {}
    if group.invite_url:
        try:
            web_url_validator(group.invite_url)
        except ValidationError as exc:
            errors["invite_url"] = exc.messages[0]
    elif group.status == GroupStatus.ACTIVE:
        errors["invite_url"] = _("An active group needs its invite link.")
    if (
        group.status == GroupStatus.ACTIVE
        and group.established_on
        and group.established_on > local_today()
    ):
        errors["established_on"] = _("An active group cannot be established in the future.")
    if errors:
        raise ValidationError(errors)
    group.full_clean()


@transaction.atomic
def group_register(*, actor=None, **data) -> MessagingGroup:
    """Register a village's news group (D1, D2, D4): the invite link is required and must be a
    web link for an active group; a planned group may have none yet."""
    unknown = set(data) - set(GROUP_FIELDS)
    if unknown:
        raise TypeError(f"unexpected group fields: {sorted(unknown)}")
    group = MessagingGroup(created_by=actor, **data)
    _validate_group(group)
    group.save()
    return group


@transaction.atomic
def group_update(*, group: MessagingGroup, **data) -> MessagingGroup:
    for name, value in data.items():
        if name not in GROUP_FIELDS:
            raise TypeError(f"unexpected group field: {name}")
        setattr(group, name, value)
    _validate_group(group)
    group.save()
    return group
