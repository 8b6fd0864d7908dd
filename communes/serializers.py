"""API shapes of communes, villages, Bluzone counts, officers and users.

Serializers translate between JSON and the services' arguments; the rules live in
communes/services.py.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bmp_comms.api import ScopedPrimaryKeyRelatedField
from communes.models import BluzoneCount, Commune, Officer, Role, Village

User = get_user_model()


@extend_schema_field({"type": "number", "format": "double", "nullable": True, "example": 66.7})
class PercentField(serializers.Field):
    """A percentage as a JSON number with one decimal (66.7), or null where the denominator is 0
    (DESIGN.md, fine print); the selectors already round half-up."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return None if value is None else float(value)


class CommuneSerializer(serializers.ModelSerializer):
    """A commune with its figures as of today (DESIGN.md, Definitions)."""

    # Declared so that uniqueness is the model's rule, answered by the service.
    code = serializers.CharField(max_length=16)
    # `figures` is attached by the view to a whole page at once, in one query.
    villages_count = serializers.IntegerField(source="figures.villages_count", read_only=True)
    villages_with_group = serializers.IntegerField(
        source="figures.villages_with_group", read_only=True
    )
    coverage_pct = PercentField(source="figures.coverage_pct")
    bluzone_pct = PercentField(source="figures.bluzone_pct")
    bluzone_target_pct = serializers.IntegerField(
        source="effective_bluzone_target_pct",
        read_only=True,
        help_text=_("The commune's own target, else its district's."),
    )

    class Meta:
        model = Commune
        fields = [
            "id",
            "code",
            "name",
            "villages_count",
            "villages_with_group",
            "coverage_pct",
            "bluzone_pct",
            "bluzone_target_pct",
        ]


class VillageSerializer(serializers.ModelSerializer):
    commune = ScopedPrimaryKeyRelatedField(queryset=Commune.objects.all())

    class Meta:
        model = Village
        fields = ["id", "commune", "name", "kind", "households", "residents", "smartphone_users"]
        # Uniqueness of a name within a commune is the service's rule (model validation).
        validators: list = []


class BluzoneCountSerializer(serializers.ModelSerializer):
    class Meta:
        model = BluzoneCount
        fields = ["date", "installs"]


class BluzoneCountCorrectSerializer(serializers.ModelSerializer):
    """A correction changes the number of a dated count; its date is its identity."""

    class Meta:
        model = BluzoneCount
        fields = ["date", "installs"]
        read_only_fields = ["date"]


@extend_schema_field({"type": "array", "items": {"type": "string"}, "example": ["y-te"]})
class FieldCodesField(serializers.ListField):
    """The codes of the fields an officer (or a user's officer) is responsible for."""

    child = serializers.SlugField(max_length=40)

    def get_attribute(self, instance):
        officer = instance if isinstance(instance, Officer) else getattr(instance, "officer", None)
        if officer is None:
            return []
        return sorted(assignment.field_id for assignment in officer.assignments.all())


class OfficerSerializer(serializers.ModelSerializer):
    commune = ScopedPrimaryKeyRelatedField(queryset=Commune.objects.all())
    fields = FieldCodesField(required=False)

    class Meta:
        model = Officer
        fields = ["id", "commune", "full_name", "position", "phone", "fields"]


class UserSerializer(serializers.Serializer):
    """A login with its role and scope; `fields` are those of the user's Officer."""

    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(max_length=150, validators=[UnicodeUsernameValidator()])
    password = serializers.CharField(
        write_only=True, trim_whitespace=False, style={"input_type": "password"}
    )
    full_name = serializers.CharField(max_length=150, source="first_name")
    role = serializers.ChoiceField(choices=Role.choices, source="profile.role")
    commune = ScopedPrimaryKeyRelatedField(
        queryset=Commune.objects.all(), source="profile.commune", allow_null=True, required=False
    )
    fields = FieldCodesField(required=False)

    def to_internal_value(self, data):
        # The sources above serve reading; the service takes flat arguments.
        values = super().to_internal_value(data)
        profile = values.pop("profile", {})
        values["full_name"] = values.pop("first_name")
        values["role"] = profile.get("role")
        values["commune"] = profile.get("commune")
        return values
