"""The top unit's notification bots (docs/rules.md#notification-bot): which bot serves a person
on a platform, its transport, and its handle from getMe, kept a day in its BotState so a deep
link costs no call to the platform."""

from __future__ import annotations

import datetime
import hashlib

from django.utils import timezone
from django.utils.translation import gettext as _

from bulletins import transports
from bulletins.models import Channel
from bulletins.transports.telegram import Telegram
from messenger.models import BotState

# A bot's username changes rarely (and only by its owner): asked again once a day.
HANDLE_LIFETIME = datetime.timedelta(days=1)


class BotUnavailable(Exception):
    """The platform did not name the bot (down, or the token refused): nothing to link to
    now. The message is the transport's, redacted."""


def notification_bots():
    """Every active notification bot (a channel with no commune). Unscoped: a job's."""
    return Channel.objects.unscoped().filter(commune__isnull=True, active=True)


def notification_bot(*, district_id: int | None, platform: str) -> Channel | None:
    """The top unit's active bot on the platform, or None."""
    if district_id is None:
        return None
    return notification_bots().filter(district_id=district_id, platform=platform).first()


def bot_transport(channel: Channel) -> Telegram:
    return transports.bot_for(channel)


def token_fingerprint(channel: Channel) -> str:
    return hashlib.sha256(channel.credentials.get("bot_token", "").encode()).hexdigest()


def bot_state(channel: Channel) -> BotState:
    """The bot's state row, started afresh (no handle, no offset) under a new token."""
    fingerprint = token_fingerprint(channel)
    state, _created = BotState.objects.get_or_create(
        channel=channel, defaults={"token_fingerprint": fingerprint}
    )
    if state.token_fingerprint != fingerprint:
        BotState.objects.filter(pk=state.pk).exclude(token_fingerprint=fingerprint).update(
            token_fingerprint=fingerprint, handle="", handle_checked_at=None, update_offset=None
        )
        state.refresh_from_db()
    return state


def bot_handle(channel: Channel, *, now: datetime.datetime | None = None) -> str:
    """What a link names the bot by (Telegram's username, Zalo Bot's id): kept from the last
    getMe of this token for a day, else asked for. Raises BotUnavailable when the platform does
    not answer it, and notes why on the channel."""
    now = now or timezone.now()
    state = bot_state(channel)
    if state.handle and state.handle_checked_at and now - state.handle_checked_at < HANDLE_LIFETIME:
        return state.handle
    transport = bot_transport(channel)
    me = transport.get_me()
    if not isinstance(me, dict):
        Channel.objects.unscoped().filter(pk=channel.pk).update(
            last_error=me.error, last_error_at=now
        )
        raise BotUnavailable(
            _("The notification bot did not answer: %(error)s Try again in a few minutes.")
            % {"error": me.error}
        )
    handle = transport.handle(me)
    BotState.objects.filter(pk=state.pk, token_fingerprint=state.token_fingerprint).update(
        handle=handle, handle_checked_at=now
    )
    return handle


def cached_handle(state: BotState | None, channel: Channel) -> str | None:
    """The handle kept for the channel's current token, without asking the platform."""
    if state is None or not state.handle or state.token_fingerprint != token_fingerprint(channel):
        return None
    return state.handle
