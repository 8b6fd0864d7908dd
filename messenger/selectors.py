"""Where a person stands with each notification bot, for the page and the API: read from the
database only (the bot's handle as kept from its last getMe), so showing it never waits for a
platform."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils import timezone

from bulletins.transports import TRANSPORTS
from messenger import bots
from messenger.models import BotState, LinkCode, MessengerLink, MessengerPlatform


@dataclass(frozen=True)
class MessengerStatus:
    platform: str
    label: str
    # The person's unit has an active notification bot on this platform.
    available: bool
    linked: bool
    linked_at: datetime.datetime | None
    # The deep link made last, while its code is unused and valid; else None.
    link_url: str | None
    start_text: str | None
    expires_at: datetime.datetime | None


def messenger_status(
    *, user: AbstractBaseUser, now: datetime.datetime | None = None
) -> list[MessengerStatus]:
    """One row per platform (Telegram, Zalo Bot), in four queries whatever the number of links
    and codes: the unit's bots, their states, the user's links, the user's valid codes."""
    now = now or timezone.now()
    profile = getattr(user, "profile", None)
    channels = (
        {c.platform: c for c in bots.notification_bots().filter(district_id=profile.district_id)}
        if profile is not None
        else {}
    )
    states = {s.channel_id: s for s in BotState.objects.filter(channel__in=channels.values())}
    links = {link.platform: link for link in MessengerLink.objects.filter(user=user)}
    codes: dict[str, LinkCode] = {}
    for code in LinkCode.objects.filter(
        user=user, used_at__isnull=True, expires_at__gt=now
    ).order_by("created_at"):
        codes[code.platform] = code  # the newest wins
    rows = []
    for platform, label in MessengerPlatform.choices:
        channel = channels.get(platform)
        link = links.get(platform)
        code = codes.get(platform) if link is None and channel is not None else None
        handle = bots.cached_handle(states.get(channel.pk), channel) if code else None
        rows.append(
            MessengerStatus(
                platform=platform,
                label=str(label),
                available=channel is not None,
                linked=link is not None,
                linked_at=link.linked_at if link else None,
                link_url=TRANSPORTS[platform].deep_link(handle, code.code) if handle else None,
                start_text=f"/start {code.code}" if handle else None,
                expires_at=code.expires_at if handle else None,
            )
        )
    return rows
