"""Linking a person's chat with the top unit's notification bot, and unlinking it
(docs/rules.md#messenger)."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bulletins.models import Channel
from messenger import bots
from messenger.models import LinkCode, MessengerLink, MessengerPlatform

# docs/rules.md#messenger: a deep link works for 30 minutes, once.
LINK_LIFETIME = datetime.timedelta(minutes=30)
# 16 random bytes, 22 characters of [A-Za-z0-9_-]: 128 bits, within Telegram's 64-character
# start parameter.
CODE_BYTES = 16


@dataclass(frozen=True)
class DeepLink:
    link_url: str
    expires_at: datetime.datetime
    # What the person sends the bot: Telegram's Start sends it by itself; on Zalo it is typed.
    start_text: str


@dataclass(frozen=True)
class LinkAnswer:
    """What a `/start <code>` came to, and the bot's reply in the chat."""

    linked: bool
    reply: str


def _district_id(user) -> int | None:
    profile = getattr(user, "profile", None)
    return profile.district_id if profile is not None else None


def _platform_label(platform: str) -> str:
    return str(MessengerPlatform(platform).label)


def messenger_link_start(
    *, user: AbstractBaseUser, platform: str, now: datetime.datetime | None = None
) -> DeepLink:
    """A one-time deep link to the top unit's notification bot on the platform, valid
    LINK_LIFETIME (docs/rules.md#messenger): the bot's handle comes from its getMe (kept a day),
    the code is random. An earlier link of the user's on that platform stops working. Refused
    (400) for an unknown platform, where the unit has no active bot, and while the account is
    linked on it; BotUnavailable when the platform does not name the bot."""
    now = now or timezone.now()
    if platform not in MessengerPlatform.values:
        raise ValidationError({"platform": _("Choose Telegram or Zalo Bot.")})
    label = _platform_label(platform)
    channel = bots.notification_bot(district_id=_district_id(user), platform=platform)
    if channel is None:
        raise ValidationError(
            {
                "platform": _(
                    "There is no notification bot on %(platform)s yet: ask the district staff "
                    "to connect one."
                )
                % {"platform": label}
            }
        )
    if MessengerLink.objects.filter(user=user, platform=platform).exists():
        raise ValidationError(
            {
                "platform": _(
                    "Your account is already linked on %(platform)s. Unlink it first to link "
                    "another chat."
                )
                % {"platform": label}
            }
        )
    handle = bots.bot_handle(channel, now=now)
    code = secrets.token_urlsafe(CODE_BYTES)
    expires_at = now + LINK_LIFETIME
    with transaction.atomic():
        LinkCode.objects.filter(
            user=user, platform=platform, used_at__isnull=True, expires_at__gt=now
        ).update(expires_at=now)
        LinkCode.objects.create(
            user=user, platform=platform, code=code, created_at=now, expires_at=expires_at
        )
    return DeepLink(
        link_url=bots.bot_transport(channel).deep_link(handle, code),
        expires_at=expires_at,
        start_text=f"/start {code}",
    )


def _reply_invalid() -> str:
    return _("This link code is not valid. Create a new link on the portal.")


def _reply_used() -> str:
    return _("This link code has already been used. Create a new link on the portal.")


def _reply_expired() -> str:
    return _(
        "This link code has expired (a link works for 30 minutes). Create a new link on the portal."
    )


class _ChatTaken(Exception):
    """Raised out of the link's transaction, so the spent code is given back."""


def _who(user) -> str:
    name = user.get_full_name()
    return f"{user.get_username()} ({name})" if name else user.get_username()


def messenger_link_complete(
    *, channel: Channel, chat_id: str, code: str, now: datetime.datetime | None = None
) -> LinkAnswer:
    """Link the chat that sent `/start <code>` to the code's account (docs/rules.md#messenger).
    The code is spent with a conditional UPDATE, so only one chat ever spends it. Refused, with
    nothing saved and a reply saying why: a code unknown to this bot, already used, expired
    (LINK_LIFETIME), or a chat already linked to another account. The replies are
    Vietnamese whatever language the worker runs in."""
    now = now or timezone.now()
    platform = channel.platform
    with translation.override(settings.LANGUAGE_CODE):
        row = (
            LinkCode.objects.select_related("user__profile")
            .filter(code=code, platform=platform)
            .first()
        )
        # A code of another unit's person, or of an account deactivated since, links nothing.
        if row is None or not row.user.is_active or _district_id(row.user) != channel.district_id:
            return LinkAnswer(False, _reply_invalid())
        if row.used_at is not None:
            return LinkAnswer(False, _reply_used())
        if row.expires_at <= now:
            return LinkAnswer(False, _reply_expired())
        chat_taken = _(
            "This %(platform)s account is already linked to another account of the portal. "
            "Unlink it there first."
        ) % {"platform": _platform_label(platform)}
        user = row.user
        try:
            with transaction.atomic():
                spent = LinkCode.objects.filter(
                    pk=row.pk, used_at__isnull=True, expires_at__gt=now
                ).update(used_at=now, chat_id=chat_id)
                if not spent:
                    return LinkAnswer(False, _reply_used())
                holder = (
                    MessengerLink.objects.filter(platform=platform, chat_id=chat_id)
                    .values_list("user_id", flat=True)
                    .first()
                )
                if holder is not None and holder != user.pk:
                    raise _ChatTaken
                if holder is None:
                    # A chat of the user's on this platform before is replaced by this one.
                    MessengerLink.objects.filter(user=user, platform=platform).delete()
                    try:
                        with transaction.atomic():
                            MessengerLink.objects.create(
                                user=user, platform=platform, chat_id=chat_id, linked_at=now
                            )
                    except IntegrityError as exc:
                        raise _ChatTaken from exc
        except _ChatTaken:
            return LinkAnswer(False, chat_taken)
        return LinkAnswer(
            True,
            _(
                "Account %(account)s is linked with the notification bot. From now on the "
                "portal's notices come to you here."
            )
            % {"account": _who(user)},
        )


@transaction.atomic
def messenger_unlink(*, user: AbstractBaseUser, platform: str | None = None) -> int:
    """Unlink the user's chat on the platform (every platform when none is named), and void the
    links not used yet; the notices still waiting for that chat are not sent. Returns how many
    chats were unlinked."""
    if platform is not None and platform not in MessengerPlatform.values:
        raise ValidationError({"platform": _("Choose Telegram or Zalo Bot.")})
    links = MessengerLink.objects.filter(user=user)
    codes = LinkCode.objects.filter(user=user, used_at__isnull=True)
    if platform is not None:
        links = links.filter(platform=platform)
        codes = codes.filter(platform=platform)
    codes.update(expires_at=timezone.now())
    _total, by_model = links.delete()
    return by_model.get(MessengerLink._meta.label, 0)
