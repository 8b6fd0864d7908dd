"""API shapes of news groups and their member counts; the rules live in groups/services.py."""

from rest_framework import serializers

from bmp_comms.api import ScopedPrimaryKeyRelatedField
from communes.models import Village
from groups.models import MemberCount, MessagingGroup


class GroupSerializer(serializers.ModelSerializer):
    village = ScopedPrimaryKeyRelatedField(queryset=Village.objects.all())

    class Meta:
        model = MessagingGroup
        fields = [
            "id",
            "village",
            "platform",
            "name",
            "invite_url",
            "admin_name",
            "admin_phone",
            "admin_trained",
            "admins_only_post",
            "established_on",
            "status",
            "channel_id",
        ]


class MemberCountSerializer(serializers.ModelSerializer):
    class Meta:
        model = MemberCount
        fields = ["date", "members"]


class MemberCountCorrectSerializer(serializers.ModelSerializer):
    """A correction changes the number of a dated count; its date is its identity."""

    class Meta:
        model = MemberCount
        fields = ["date", "members"]
        read_only_fields = ["date"]
