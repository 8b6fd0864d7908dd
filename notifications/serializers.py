from rest_framework import serializers

from notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    """A notice as the API gives it (DESIGN, `notifications/`): `url` is the page of the
    bulletin or deadline it tells of, a path of this site."""

    class Meta:
        model = Notification
        fields = ["id", "kind", "text", "url", "created_at", "read_at"]
        read_only_fields = fields
