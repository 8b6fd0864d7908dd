"""API shapes of the deadlines app: they translate, the services decide."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from communes.models import Commune
from deadlines import deliveries
from deadlines.models import (
    Deadline,
    Inspection,
    Reminder,
    ReminderDeliveryChannel,
    ReminderDeliveryStatus,
    Submission,
)
from deadlines.selectors import DeadlineFigures


class ScopedCommunesField(serializers.PrimaryKeyRelatedField):
    """Communes by id, among those the requesting user may see: another district's is unknown."""

    def get_queryset(self):
        return Commune.objects.for_user(self.context["request"].user)


class DeadlineSerializer(serializers.ModelSerializer):
    communes = ScopedCommunesField(many=True, required=False)
    as_of = serializers.SerializerMethodField()
    expected = serializers.SerializerMethodField()
    submitted = serializers.SerializerMethodField()
    on_time = serializers.SerializerMethodField()
    reporting_rate = serializers.SerializerMethodField()
    timeliness = serializers.SerializerMethodField()
    missing_communes = serializers.SerializerMethodField()

    class Meta:
        model = Deadline
        fields = [
            "id",
            "title",
            "directive",
            "due_date",
            "closed_on",
            "communes",
            "description",
            "inspection",
            "created_at",
            "as_of",
            "expected",
            "submitted",
            "on_time",
            "reporting_rate",
            "timeliness",
            "missing_communes",
        ]
        read_only_fields = ["inspection", "created_at"]

    def validate_closed_on(self, value):
        if self.instance is None and value is not None:
            raise serializers.ValidationError(_("A deadline is created open; close it afterwards."))
        return value

    def _figures(self, deadline: Deadline) -> DeadlineFigures | None:
        return self.context.get("figures", {}).get(deadline.pk)

    def get_as_of(self, deadline: Deadline) -> str | None:
        as_of = self.context.get("as_of")
        return as_of.isoformat() if as_of else None

    def get_expected(self, deadline: Deadline) -> int | None:
        figures = self._figures(deadline)
        return figures.expected if figures else None

    def get_submitted(self, deadline: Deadline) -> int | None:
        figures = self._figures(deadline)
        return figures.submitted if figures else None

    def get_on_time(self, deadline: Deadline) -> int | None:
        figures = self._figures(deadline)
        return figures.on_time if figures else None

    def get_reporting_rate(self, deadline: Deadline) -> float | None:
        figures = self._figures(deadline)
        rate = figures.reporting_rate if figures else None
        return float(rate) if rate is not None else None

    def get_timeliness(self, deadline: Deadline) -> float | None:
        figures = self._figures(deadline)
        rate = figures.timeliness if figures else None
        return float(rate) if rate is not None else None

    def get_missing_communes(self, deadline: Deadline) -> list[int]:
        return [commune.id for commune in self.context.get("missing", {}).get(deadline.pk, [])]


class DistrictCommuneField(serializers.PrimaryKeyRelatedField):
    """A commune of the user's district: a neighbour commune gets the service's clear refusal
    ("only your own commune"), while another district's ids stay as unknown as missing ones."""

    def get_queryset(self):
        profile = getattr(self.context["request"].user, "profile", None)
        if profile is None:
            return Commune.objects.none()
        # Wider than the user's scope on purpose, and only to choose the refusal: the district's
        # communes, so a neighbour's id is told "only your own commune" by the service.
        return self.queryset.unscoped().filter(district_id=profile.district_id)


class SubmissionSerializer(serializers.ModelSerializer):
    commune = DistrictCommuneField(queryset=Commune.objects, required=False)
    note = serializers.CharField(required=False, allow_blank=True)
    attachment = serializers.FileField(write_only=True, required=False, allow_null=True)
    attachment_url = serializers.SerializerMethodField()
    on_time = serializers.BooleanField(read_only=True)

    class Meta:
        model = Submission
        fields = [
            "id",
            "deadline",
            "commune",
            "note",
            "attachment",
            "attachment_url",
            "submitted_at",
            "on_time",
            "submitted_by",
            "updated_at",
        ]
        read_only_fields = ["deadline", "submitted_at", "submitted_by", "updated_at"]

    def get_attachment_url(self, submission: Submission) -> str | None:
        if not submission.attachment:
            return None
        url = reverse("api-submission-attachment", args=[submission.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class ChannelSerializer(serializers.Serializer):
    """One of a reminder's channels (`deliveries.ReminderChannel`): an escalation's email is the
    recipient's digest of the day, named by `digest`; null for every other channel."""

    channel = serializers.ChoiceField(choices=ReminderDeliveryChannel.choices)
    recipient = serializers.IntegerField(source="recipient.pk")
    recipient_username = serializers.CharField(source="recipient.username")
    status = serializers.ChoiceField(choices=ReminderDeliveryStatus.choices)
    attempts = serializers.IntegerField()
    error = serializers.CharField()
    sent_at = serializers.DateTimeField(allow_null=True)
    read_at = serializers.DateTimeField(allow_null=True)
    digest = serializers.IntegerField(allow_null=True)


class ReminderSerializer(serializers.ModelSerializer):
    channels = serializers.SerializerMethodField()

    class Meta:
        model = Reminder
        fields = ["id", "deadline", "commune", "kind", "day", "created_at", "channels"]

    @extend_schema_field(ChannelSerializer(many=True))
    def get_channels(self, reminder: Reminder) -> list[dict]:
        return ChannelSerializer(deliveries.reminder_channels(reminder), many=True).data


class InspectionSerializer(serializers.ModelSerializer):
    commune = ScopedCommunesField()
    follow_up_deadline = serializers.SerializerMethodField()

    class Meta:
        model = Inspection
        fields = [
            "id",
            "commune",
            "date",
            "inspector",
            "findings",
            "follow_up_due",
            "follow_up_deadline",
            "created_at",
        ]
        read_only_fields = ["created_at"]

    def get_follow_up_deadline(self, inspection: Inspection) -> int | None:
        deadline = getattr(inspection, "follow_up_deadline", None)
        return deadline.pk if deadline else None
