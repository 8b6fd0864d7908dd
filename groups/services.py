"""Writes of news groups and their member counts."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bmp_comms.dates import local_today
from bmp_comms.validation import integrity_as_validation, validate_not_future, web_url_validator
from groups.models import GroupStatus, MemberCount, MessagingGroup

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
    "channel_id",
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


def _duplicate_count_message() -> str:
    return _("A count for this group on this date already exists; correct it instead.")


@transaction.atomic
def member_count_record(
    *, group: MessagingGroup, date: datetime.date, members: int, actor=None
) -> MemberCount:
    """Members of a group on a date (D3). History is never overwritten: a second count for the
    same group and date is refused, and a correction goes through `member_count_correct`."""
    validate_not_future(date, "date")
    if MemberCount.objects.filter(group=group, date=date).exists():
        raise ValidationError({"date": _duplicate_count_message()})
    count = MemberCount(group=group, date=date, members=members, recorded_by=actor)
    count.full_clean(validate_unique=False, validate_constraints=False)
    with integrity_as_validation("date", _duplicate_count_message):
        count.save()
    return count


@transaction.atomic
def member_count_correct(*, count: MemberCount, members: int, actor=None) -> MemberCount:
    """A correction keeps the earlier value in the change history."""
    count.members = members
    count.recorded_by = actor
    count.full_clean()
    count.save()
    return count
