"""API shapes of bulletins, deliveries and channels (docs/rules.md#bulletin-workflow). Serializers
translate; the rules live in bulletins/services.py and bulletins/checks.py."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bmp_comms.api import ScopedPrimaryKeyRelatedField
from bulletins.checks import bulletin_checks
from bulletins.models import Bulletin, Channel, ChannelPlatform, Delivery
from communes.models import Commune, Field, Village


class ChecksSerializer(serializers.Serializer):
    words = serializers.IntegerField()
    sentences = serializers.IntegerField()
    avg_sentence_words = serializers.FloatField()
    longest_sentence_words = serializers.IntegerField()
    failed = serializers.ListField(child=serializers.CharField())
    duplicate_of = serializers.ListField(child=serializers.IntegerField())


class BulletinSerializer(serializers.ModelSerializer):
    field = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Field.objects.all(),
        error_messages={"does_not_exist": _("Unknown field “{value}”.")},
    )
    villages = ScopedPrimaryKeyRelatedField(queryset=Village.objects, many=True, required=False)
    checks = serializers.SerializerMethodField()
    # The public page proving it official (docs/rules.md#public-channel); null until published.
    verify_url = serializers.SerializerMethodField()

    class Meta:
        model = Bulletin
        fields = [
            "id",
            "commune",
            "field",
            "title",
            "body",
            "source",
            "villages",
            "status",
            "checks",
            "author",
            "publish_at",
            "urgent",
            "urgent_reason",
            "verify_url",
        ]
        read_only_fields = ["commune", "status", "author", "urgent", "urgent_reason"]
        extra_kwargs = {
            # Emptiness is the service's rule, with its own message.
            "title": {"allow_blank": True, "max_length": None},
            "body": {"allow_blank": True},
        }

    @extend_schema_field(ChecksSerializer)
    def get_checks(self, bulletin: Bulletin) -> dict:
        return bulletin_checks(bulletin).as_dict()

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_verify_url(self, bulletin: Bulletin) -> str | None:
        return bulletin.verify_url


class ApproveSerializer(serializers.Serializer):
    override_duplicate = serializers.BooleanField(default=False)
    # Only for a leader approving their own bulletin where the commune has no other active
    # leader (docs/rules.md#approval); the reason's rules are the service's.
    urgent = serializers.BooleanField(default=False)
    reason = serializers.CharField(
        allow_blank=True, required=False, default="", trim_whitespace=False
    )


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, required=False, default="")


class PublishSerializer(serializers.Serializer):
    publish_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class DeliverySerializer(serializers.ModelSerializer):
    # Empty until an officer confirms the post: a plain string, not a URI, in the schema.
    posted_url = serializers.CharField(read_only=True)
    evidence_url = serializers.SerializerMethodField()

    class Meta:
        model = Delivery
        fields = [
            "id",
            "bulletin",
            "group",
            "channel",
            "status",
            "attempts",
            "error",
            "posted_url",
            "evidence_url",
            "sent_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_evidence_url(self, delivery: Delivery) -> str | None:
        if not delivery.evidence:
            return None
        url = reverse("delivery-evidence", args=[delivery.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class ConfirmSerializer(serializers.Serializer):
    # The link is checked by the service (http or https only), with its own message; its length
    # is the column's, as on the page's form.
    posted_url = serializers.CharField(allow_blank=True, required=False, default="", max_length=500)
    # Checked by the service too (bulletins.evidence): JPEG, PNG or WebP, 5 MB, 40 megapixels.
    evidence = serializers.FileField(
        required=False,
        allow_null=True,
        default=None,
        allow_empty_file=True,
        help_text="A picture of the post (multipart): JPEG, PNG or WebP, at most 5 MB and 40 MP",
    )


@extend_schema_field(
    {
        "type": "object",
        "writeOnly": True,
        "description": "telegram and zalo_bot: {bot_token}; zalo: {app_id, secret_key, "
        "access_token, refresh_token}. Never returned.",
    }
)
class CredentialsField(serializers.Field):
    """Write-only: accepted as an object and handed to the service; never read back."""

    def __init__(self, **kwargs):
        super().__init__(write_only=True, **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError(_("Give the credentials as an object."))
        return data


class BulletinChannelSerializer(serializers.ModelSerializer):
    # Empty for the top unit's notification bot (docs/rules.md#notification-bot).
    commune = ScopedPrimaryKeyRelatedField(
        queryset=Commune.objects,
        required=False,
        allow_null=True,
        help_text="The commune whose channel this is; empty (null) for the notification bot "
        "of the whole unit (telegram or zalo_bot, district staff only).",
    )
    platform = serializers.ChoiceField(choices=ChannelPlatform.choices)
    credentials = CredentialsField(required=False)

    class Meta:
        model = Channel
        fields = ["id", "commune", "platform", "credentials", "active", "last_error"]
        read_only_fields = ["last_error"]
        validators: list = []

    def validate(self, attrs):
        if self.instance is None and "credentials" not in attrs:
            raise serializers.ValidationError({"credentials": [_("Give the credentials.")]})
        return attrs
