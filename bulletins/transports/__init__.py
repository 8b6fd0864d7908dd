"""Each platform a channel speaks is a transport, one file each (healthchecks keeps its channel
kinds the same way): telegram.py, zalo.py, manual.py for the groups, and zalo_bot.py, the
Telegram transport's Bot API at `{ZALO_BOT_API_BASE}/bot<token>/<method>`, for a notification
bot's direct messages (Telegram's bot writes to people too).

Adding a platform is adding its file and naming its class in TRANSPORTS; the channel choices
(bulletins.models.CHANNEL_PLATFORMS) must name it too, and a test holds the two together.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from bulletins.transports.base import (
    Failed,
    Outcome,
    PostByHand,
    Retry,
    Sent,
    Transport,
    Unknown,
)
from bulletins.transports.manual import Manual
from bulletins.transports.telegram import Telegram
from bulletins.transports.zalo import Zalo
from bulletins.transports.zalo_bot import ZaloBot

__all__ = [
    "TRANSPORTS",
    "Failed",
    "Outcome",
    "PostByHand",
    "Retry",
    "Sent",
    "Transport",
    "Unknown",
    "bot_for",
    "clean_credentials",
    "transport_for",
]

# The one registry: a delivery's `channel` (a channel's `platform`) → the transport posting it.
TRANSPORTS: dict[str, type[Transport]] = {
    transport.platform: transport for transport in (Telegram, Zalo, ZaloBot, Manual)
}


def transport_for(platform: str) -> type[Transport]:
    return TRANSPORTS[platform]


def bot_for(channel) -> Telegram:
    """The Bot API transport of a notification bot (Telegram or Zalo Bot)."""
    transport = TRANSPORTS[channel.platform]
    if not issubclass(transport, Telegram):
        raise ValueError(f"{channel.platform} is not a Bot API platform")
    return transport(channel)


def clean_credentials(platform: str, credentials) -> dict[str, str]:
    """The keys the platform's transport needs, each a non-empty string; extra keys are
    dropped. The messages name keys, never values."""
    transport = TRANSPORTS.get(platform)
    if transport is None or not transport.credential_keys:
        raise ValidationError({"platform": _("Choose Telegram or Zalo.")})
    if not isinstance(credentials, dict):
        raise ValidationError({"credentials": _("Give the credentials as an object.")})
    missing = [
        key
        for key in transport.credential_keys
        if not isinstance(credentials.get(key), str) or not credentials[key].strip()
    ]
    if missing:
        raise ValidationError(
            {
                "credentials": _("Missing in the credentials: %(keys)s.")
                % {"keys": ", ".join(missing)}
            }
        )
    cleaned = {key: credentials[key].strip() for key in transport.credential_keys}
    problem = transport.credentials_problem(cleaned)
    if problem:
        raise ValidationError({"credentials": problem})
    return cleaned
