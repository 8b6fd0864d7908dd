"""Writes of the channels: a commune's Telegram bot and Zalo Official Account, and the top
unit's notification bots (Telegram, Zalo Bot), one per platform each, whose credentials are
checked by the platform's transport and stored encrypted."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bmp_comms.validation import integrity_as_validation
from bulletins import transports
from bulletins.models import CHANNEL_PLATFORMS, NOTIFICATION_BOT_PLATFORMS, Channel
from communes.models import Commune, District


@transaction.atomic
def channel_connect(
    *, commune: Commune, platform: str, credentials, active: bool = True
) -> Channel:
    """Connect the commune's bot (Telegram) or Official Account (Zalo): one per platform. Zalo
    Bot writes to people, so it is only ever the top unit's (`notification_bot_connect`)."""
    if platform not in CHANNEL_PLATFORMS and platform in NOTIFICATION_BOT_PLATFORMS:
        raise ValidationError(
            {
                "platform": _(
                    "Zalo Bot is only the notification bot of the whole unit: leave the commune "
                    "empty."
                )
            }
        )
    cleaned = transports.clean_credentials(platform, credentials)
    channel = Channel(commune=commune, platform=platform, active=active)
    channel.credentials = cleaned
    with integrity_as_validation(
        "platform", lambda: _("The commune already has a channel on this platform.")
    ):
        if commune.channels.filter(platform=platform).exists():
            raise ValidationError(
                {"platform": _("The commune already has a channel on this platform.")}
            )
        channel.save()
    return channel


@transaction.atomic
def notification_bot_connect(
    *, district: District, platform: str, credentials, active: bool = True
) -> Channel:
    """Connect the top unit's notification bot (docs/rules.md#notification-bot): Telegram or
    Zalo Bot, one per platform, writing notices to the people of the unit who link it. Who may
    (district staff) is the caller's check."""
    if platform not in NOTIFICATION_BOT_PLATFORMS:
        raise ValidationError({"platform": _("A notification bot is a Telegram or Zalo Bot bot.")})
    cleaned = transports.clean_credentials(platform, credentials)
    channel = Channel(commune=None, district=district, platform=platform, active=active)
    channel.credentials = cleaned
    taken = _("There already is a notification bot on this platform.")
    with integrity_as_validation("platform", taken):
        # Unscoped: every bot of the unit, whoever connects this one.
        if (
            Channel.objects.unscoped()
            .filter(commune__isnull=True, district=district, platform=platform)
            .exists()
        ):
            raise ValidationError({"platform": taken})
        channel.save()
    return channel


@transaction.atomic
def channel_update(*, channel: Channel, credentials=None, active: bool | None = None) -> Channel:
    """New credentials replace the old ones whole (and clear the last error); `active` turns
    automatic sending on or off."""
    channel = Channel.objects.unscoped().select_for_update().get(pk=channel.pk)
    if credentials is not None:
        channel.credentials = transports.clean_credentials(channel.platform, credentials)
        channel.last_error = ""
        channel.last_error_at = None
    if active is not None:
        channel.active = active
    channel.save()
    return channel
