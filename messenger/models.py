"""Notices as direct messages on Telegram or Zalo Bot (docs/rules.md#messenger).

A person links a chat by pressing Start on a one-time deep link (LinkCode) that the top unit's
notification bot reads with getUpdates (BotState keeps where it is); from then on each notice
they are told of goes to that chat once (DirectMessage, the outbox).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bulletins.models import NOTIFICATION_BOT_PLATFORMS, Channel
from notifications.models import Notification

MessengerPlatform = models.TextChoices(
    "MessengerPlatform",
    [(platform.name, (platform.value, platform.label)) for platform in NOTIFICATION_BOT_PLATFORMS],
    module=__name__,
)


class MessengerLink(models.Model):
    """A person's chat with the top unit's notification bot on one platform."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="messenger_links",
        verbose_name=_("user"),
    )
    platform = models.CharField(_("platform"), max_length=16, choices=MessengerPlatform.choices)
    # The platform's id of the person's chat with the bot (Telegram's is the person's id).
    chat_id = models.CharField(_("chat id"), max_length=64)
    linked_at = models.DateTimeField(_("linked at"), default=timezone.now)

    class Meta:
        verbose_name = _("messenger link")
        verbose_name_plural = _("messenger links")
        ordering = ["user_id", "platform"]
        constraints = [
            # One account per chat: a chat linked to another account is refused, never moved.
            models.UniqueConstraint(
                fields=["platform", "chat_id"], name="messenger_link_one_account_per_chat"
            ),
            models.UniqueConstraint(
                fields=["user", "platform"], name="messenger_link_one_per_platform"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_platform_display()}"


class LinkCode(models.Model):
    """The code of a one-time deep link: 128 random bits, valid LINK_LIFETIME, spent by the
    first chat that sends it (a conditional UPDATE on `used_at`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="messenger_link_codes",
        verbose_name=_("user"),
    )
    platform = models.CharField(_("platform"), max_length=16, choices=MessengerPlatform.choices)
    code = models.CharField(_("code"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    # The chat that spent it.
    chat_id = models.CharField(_("chat id"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("link code")
        verbose_name_plural = _("link codes")
        indexes = [models.Index(fields=["user", "platform"], name="link_code_user_platform")]

    def __str__(self) -> str:
        return f"{self.user} · {self.platform} · {self.expires_at:%Y-%m-%d %H:%M}"

    def __repr__(self) -> str:
        # Never the code: until it is spent, it links a chat to the account.
        return f"<LinkCode {self.pk} user={self.user_id} {self.platform}>"


class BotState(models.Model):
    """What the poller knows of one notification bot: its handle (from getMe, kept a day) and
    the offset of its next getUpdates. Both belong to one bot token: a new token may be another
    bot, so a changed fingerprint starts them afresh. The row is locked (skip_locked) while a
    poller reads the bot, so two pollers never read, or confirm, the same updates."""

    channel = models.OneToOneField(
        Channel, on_delete=models.CASCADE, related_name="+", verbose_name=_("channel")
    )
    # SHA-256 of the bot token: tells a new token without keeping the token twice.
    token_fingerprint = models.CharField(max_length=64)
    handle = models.CharField(_("bot"), max_length=64, blank=True)
    handle_checked_at = models.DateTimeField(null=True, blank=True)
    # Telegram's getUpdates offset: every update before it is confirmed (Zalo Bot has none).
    update_offset = models.BigIntegerField(null=True, blank=True)
    polled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification bot state")
        verbose_name_plural = _("notification bot states")

    def __str__(self) -> str:
        return f"{self.channel_id} · {self.handle or '-'}"


class DirectMessageStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class DirectMessage(models.Model):
    """One notice to one linked chat: the outbox row. Inserting it claims the notice for that
    chat (the unique constraint), so two workers never send it twice; a retry is claimed with
    a conditional UPDATE on `claimed_at`, as a bulletin's delivery is."""

    notification = models.ForeignKey(
        Notification,
        on_delete=models.CASCADE,
        related_name="direct_messages",
        verbose_name=_("notification"),
    )
    # Kept when the person unlinks: the row still holds the notice for that chat.
    link = models.ForeignKey(
        MessengerLink,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("messenger link"),
    )
    platform = models.CharField(_("platform"), max_length=16, choices=MessengerPlatform.choices)
    chat_id = models.CharField(_("chat id"), max_length=64)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DirectMessageStatus.choices,
        default=DirectMessageStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    unknown_outcomes = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(_("error"), blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("direct message")
        verbose_name_plural = _("direct messages")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "platform", "chat_id"],
                name="direct_message_once_per_chat",
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="direct_message_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.notification_id} → {self.platform} {self.chat_id}"
