"""API shapes of fields and field assignments (bulletins themselves come with their own views)."""

from rest_framework import serializers

from bmp_comms.api import ScopedPrimaryKeyRelatedField
from bulletins.models import Field, FieldAssignment
from communes.models import Officer


class FieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = Field
        fields = ["code", "name"]


class FieldAssignmentSerializer(serializers.ModelSerializer):
    """The responsible officer of a (commune, field); only `officer` can change, through
    `field_assignment_reassign`, the explicit reassignment of DESIGN.md."""

    officer = ScopedPrimaryKeyRelatedField(queryset=Officer.objects.all())

    class Meta:
        model = FieldAssignment
        fields = ["id", "commune", "field", "officer"]
        read_only_fields = ["commune", "field"]
