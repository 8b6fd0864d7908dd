"""API shape of news groups (their member counts: bmp_comms.api.dated_count_serializer); the
rules live in groups/services.py."""

from rest_framework import serializers

from bmp_comms.api import ScopedPrimaryKeyRelatedField
from communes.models import Village
from groups.models import GROUP_FIELDS, MessagingGroup


class GroupSerializer(serializers.ModelSerializer):
    village = ScopedPrimaryKeyRelatedField(queryset=Village.objects.all())

    class Meta:
        model = MessagingGroup
        fields = ["id", *GROUP_FIELDS]
