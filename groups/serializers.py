"""API shape of news groups (their member counts: bmp_comms.api.dated_count_serializer); the
rules live in groups/services.py."""

from django.utils.text import capfirst
from rest_framework import serializers

from bmp_comms.api import ScopedPrimaryKeyRelatedField
from communes.models import Village
from groups.models import GROUP_FIELDS, MessagingGroup


class GroupSerializer(serializers.ModelSerializer):
    village = ScopedPrimaryKeyRelatedField(queryset=Village.objects)
    # Plain text: the service judges the link, so the API and the pages answer a bad one alike.
    invite_url = serializers.CharField(
        label=capfirst(MessagingGroup._meta.get_field("invite_url").verbose_name),
        max_length=500,
        allow_blank=True,
        required=False,
    )

    class Meta:
        model = MessagingGroup
        fields = ["id", *GROUP_FIELDS]
