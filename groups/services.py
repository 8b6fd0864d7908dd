"""Writes of news groups; their member counts are dated counts (communes.services), one at a
time or, as an import brings them, in a batch (`member_counts_record`)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bmp_comms.dates import local_today
from bmp_comms.updates import UNCHANGED, Unchanged, apply_changes
from bmp_comms.validation import happened_on_error, validate_planned, web_url_validator
from communes.models import Village
from communes.services import DatedCountEntry, dated_counts_record
from groups.models import GroupStatus, MemberCount, MessagingGroup


def _save_group(group: MessagingGroup) -> MessagingGroup:
    # The service alone judges the link, so a page and the API give the same message for it.
    errors: dict[str, str] = {}
    if group.invite_url:
        try:
            web_url_validator(group.invite_url)
        except ValidationError as exc:
            errors["invite_url"] = exc.messages[0]
    elif group.status == GroupStatus.ACTIVE:
        errors["invite_url"] = _("An active group needs its invite link.")
    if group.status == GroupStatus.ACTIVE and group.established_on:
        if group.established_on > local_today():
            errors["established_on"] = _("An active group cannot be established in the future.")
        elif (error := happened_on_error(group.established_on)) is not None:
            errors["established_on"] = error
    elif group.established_on:
        # A planned group may name the day it is to be set up, within the planning range.
        try:
            validate_planned(group.established_on, "established_on")
        except ValidationError as exc:
            errors["established_on"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    group.full_clean()
    group.save()
    return group


@transaction.atomic
def group_register(
    *,
    village: Village,
    platform: str,
    name: str,
    invite_url: str = "",
    admin_name: str = "",
    admin_phone: str = "",
    admin_trained: bool = False,
    admins_only_post: bool = False,
    established_on: datetime.date | None = None,
    status: str = GroupStatus.ACTIVE,
    channel_id: str = "",
    actor: AbstractBaseUser | None = None,
) -> MessagingGroup:
    """Register a village's news group (D1, D2, D4): the invite link is required and must be a
    web link for an active group; a planned group may have none yet."""
    group = MessagingGroup(
        village=village,
        platform=platform,
        name=name,
        invite_url=invite_url,
        admin_name=admin_name,
        admin_phone=admin_phone,
        admin_trained=admin_trained,
        admins_only_post=admins_only_post,
        established_on=established_on,
        status=status,
        channel_id=channel_id,
        created_by=actor,
    )
    return _save_group(group)


@transaction.atomic
def group_update(
    *,
    group: MessagingGroup,
    village: Village | Unchanged = UNCHANGED,
    platform: str | Unchanged = UNCHANGED,
    name: str | Unchanged = UNCHANGED,
    invite_url: str | Unchanged = UNCHANGED,
    admin_name: str | Unchanged = UNCHANGED,
    admin_phone: str | Unchanged = UNCHANGED,
    admin_trained: bool | Unchanged = UNCHANGED,
    admins_only_post: bool | Unchanged = UNCHANGED,
    established_on: datetime.date | Unchanged | None = UNCHANGED,
    status: str | Unchanged = UNCHANGED,
    channel_id: str | Unchanged = UNCHANGED,
) -> MessagingGroup:
    """Change what is given and keep the rest, under the rules of `group_register`; the group's
    history keeps the values it replaced."""
    apply_changes(
        group,
        {
            "village": village,
            "platform": platform,
            "name": name,
            "invite_url": invite_url,
            "admin_name": admin_name,
            "admin_phone": admin_phone,
            "admin_trained": admin_trained,
            "admins_only_post": admins_only_post,
            "established_on": established_on,
            "status": status,
            "channel_id": channel_id,
        },
    )
    return _save_group(group)


def member_counts_record(
    *,
    counts: Sequence[DatedCountEntry[MessagingGroup]],
    actor: AbstractBaseUser | None = None,
) -> list[MemberCount]:
    """Many groups' member counts at once, as an import brings them (D3): all or none, each
    under the rules of one count (`dated_count_record`: members from 0 to MAX_COUNT, dated
    from 01/01/2000 to today, one count per group and date, in the database and in the
    batch), in a fixed number of queries; `CountsRejected` names every refused count. See
    `communes.services.dated_counts_record`."""
    return dated_counts_record(model=MemberCount, counts=counts, actor=actor)
