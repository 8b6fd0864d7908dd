"""The messenger API's shapes: serializers translate, the services decide."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from messenger.models import MessengerPlatform

CHOOSE = _("Choose Telegram or Zalo Bot.")


class MessengerStatusSerializer(serializers.Serializer):
    platform = serializers.ChoiceField(choices=MessengerPlatform.choices)
    linked = serializers.BooleanField()
    link_url = serializers.URLField(
        allow_null=True, help_text="The deep link made last, while its code is unused and valid"
    )
    start_text = serializers.CharField(
        allow_null=True, help_text="What the link sends the bot (typed by hand on Zalo)"
    )
    expires_at = serializers.DateTimeField(allow_null=True)
    linked_at = serializers.DateTimeField(allow_null=True)
    available = serializers.BooleanField(
        help_text="The user's unit has an active notification bot on this platform"
    )


class LinkRequestSerializer(serializers.Serializer):
    platform = serializers.ChoiceField(
        choices=MessengerPlatform.choices,
        error_messages={"invalid_choice": CHOOSE, "required": CHOOSE, "null": CHOOSE},
    )


class DeepLinkSerializer(serializers.Serializer):
    platform = serializers.ChoiceField(choices=MessengerPlatform.choices)
    link_url = serializers.URLField(help_text="One-time deep link to the notification bot")
    start_text = serializers.CharField(help_text="What the link sends the bot: /start <code>")
    expires_at = serializers.DateTimeField(help_text="30 minutes after it was made")
