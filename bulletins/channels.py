"""Writes of a commune's channels: its Telegram bot and its Zalo Official Account, one per
platform, whose credentials are checked by the platform's transport and stored encrypted."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bmp_comms.validation import integrity_as_validation
from bulletins import transports
from bulletins.models import Channel
from communes.models import Commune


@transaction.atomic
def channel_connect(
    *, commune: Commune, platform: str, credentials, active: bool = True
) -> Channel:
    """Connect the commune's bot (Telegram) or Official Account (Zalo): one per platform."""
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
