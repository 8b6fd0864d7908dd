"""The daily member count of the groups a commune's Telegram bot is in
(docs/rules.md#telegram-member-counts, D3 and the
Telegram contract: getChatMemberCount, daily, as a MemberCount)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from bulletins.models import Channel
from bulletins.transports.telegram import Telegram
from communes.services import dated_count_record
from groups.models import GroupStatus, MemberCount, MessagingGroup, Platform


def record_member_count(*, group: MessagingGroup, date: datetime.date, members: int):
    """The one place bulletins record a member count, through the dated counts' service
    (history, one per group and day)."""
    return dated_count_record(model=MemberCount, owner=group, date=date, value=members)


def channel_member_counts_record(*, day: datetime.date | None = None) -> int:
    """Each Telegram group's member count of the day, as a MemberCount; a day already counted
    (by hand, or by an earlier run) is left as it is. A refusal is the channel's last error."""
    day = day or timezone.localdate()
    channels = {
        channel.commune_id: channel
        # A commune's bots only: the top unit's notification bot is in no group.
        for channel in Channel.objects.filter(
            platform=Platform.TELEGRAM, active=True, commune__isnull=False
        )
    }
    groups = (
        MessagingGroup.objects.filter(
            platform=Platform.TELEGRAM,
            status=GroupStatus.ACTIVE,
            village__commune_id__in=list(channels),
        )
        .exclude(channel_id="")
        .exclude(member_counts__date=day)
        .select_related("village")
    )
    recorded = 0
    for group in groups:
        channel = channels[group.village.commune_id]
        members = Telegram(channel).member_count(chat_id=group.channel_id)
        if not isinstance(members, int):
            Channel.objects.filter(pk=channel.pk).update(
                last_error=members.error, last_error_at=timezone.now()
            )
            continue
        try:
            record_member_count(group=group, date=day, members=members)
        except ValidationError:
            continue  # counted meanwhile
        recorded += 1
    return recorded
