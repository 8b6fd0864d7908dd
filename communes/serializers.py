"""API shapes of communes, villages, officers, users, fields and field assignments.

Serializers translate between JSON and the services' arguments; the rules live in
communes/places.py and communes/services.py.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bmp_comms.api import CountFieldsSerializer, ScopedPrimaryKeyRelatedField
from communes.models import (
    VILLAGE_FIELDS,
    Commune,
    District,
    Field,
    FieldAssignment,
    Officer,
    Role,
    Village,
)

User = get_user_model()


class VillageSerializer(CountFieldsSerializer):
    commune = ScopedPrimaryKeyRelatedField(queryset=Commune.objects)

    class Meta:
        model = Village
        fields = ["id", "commune", *VILLAGE_FIELDS]
        # Uniqueness of a name within a commune is the service's rule.
        validators: list = []


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
    commune = ScopedPrimaryKeyRelatedField(queryset=Commune.objects)
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
    # Also the officer's name of a commune user: that column's 120 characters, as on the page.
    full_name = serializers.CharField(max_length=120, source="first_name")
    role = serializers.ChoiceField(choices=Role.choices, source="profile.role")
    commune = ScopedPrimaryKeyRelatedField(
        queryset=Commune.objects, source="profile.commune", allow_null=True, required=False
    )
    fields = FieldCodesField(required=False)
    # Deactivated users keep their history; they are edited through `UserUpdateSerializer`.
    is_active = serializers.BooleanField(read_only=True)

    def to_internal_value(self, data):
        # The sources above serve reading; the service takes flat arguments.
        values = super().to_internal_value(data)
        profile = values.pop("profile", {})
        values["full_name"] = values.pop("first_name")
        values["role"] = profile.get("role")
        values["commune"] = profile.get("commune")
        return values


class UserUpdateSerializer(UserSerializer):
    """PATCH of a login: only the values named change (communes.accounts.user_update). The
    username and the password are not changed here: naming one is a 400, not a silent no-op."""

    username = serializers.CharField(read_only=True)
    password = None
    full_name = serializers.CharField(max_length=120, source="first_name", required=False)
    role = serializers.ChoiceField(choices=Role.choices, source="profile.role", required=False)
    is_active = serializers.BooleanField(required=False)

    def validate(self, attrs):
        named = [name for name in ("username", "password") if name in self.initial_data]
        if named:
            raise serializers.ValidationError(
                {name: [_("The username and the password are not changed here.")] for name in named}
            )
        return attrs

    def to_internal_value(self, data):
        values = serializers.Serializer.to_internal_value(self, data)
        profile = values.pop("profile", {})
        if "first_name" in values:
            values["full_name"] = values.pop("first_name")
        values.update(profile)
        return values


class FieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = Field
        fields = ["code", "name"]


class FieldAssignmentSerializer(serializers.ModelSerializer):
    """The responsible officer of a (commune, field); only `officer` can change, through
    `field_assignment_reassign`, the explicit reassignment of docs/rules.md#field-responsibility."""

    officer = ScopedPrimaryKeyRelatedField(queryset=Officer.objects)

    class Meta:
        model = FieldAssignment
        fields = ["id", "commune", "field", "officer"]
        read_only_fields = ["commune", "field"]


class DistrictSerializer(serializers.ModelSerializer):
    """The top unit: a district, a province or a centrally-run city (docs/rules.md#unit-kinds)."""

    # Declared so that uniqueness is the model's rule, answered by the service.
    code = serializers.CharField(max_length=16)

    class Meta:
        model = District
        fields = ["id", "code", "name", "kind"]
