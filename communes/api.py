"""/api/v1/ villages, dated counts (Bluzone counts here, member counts in groups), officers,
users, fields and field assignments.

Each view: scope (`for_user`) and role check → serializer → one service.
"""

import functools

from django.contrib.auth import get_user_model
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets

from bmp_comms.api import (
    CountFieldsSerializer,
    FilterSet,
    NestedUnderParentMixin,
)
from bmp_comms.permissions import (
    CommuneDataPermission,
    CommuneDataWrites,
    DistrictStaffOnly,
    FieldAssignmentWrites,
    TopUnitPermission,
)
from bmp_comms.scoping import users_for
from communes import places, services
from communes.models import BluzoneCount, District, Field, FieldAssignment, Officer, Village
from communes.serializers import (
    DistrictSerializer,
    FieldAssignmentSerializer,
    FieldSerializer,
    OfficerSerializer,
    UserSerializer,
    UserUpdateSerializer,
    VillageSerializer,
)
from communes.services import dated_count_correct, dated_count_record

User = get_user_model()


def dated_count_schema(*, parent_kwarg: str):
    """The OpenAPI description of a DatedCountViewSet: its parent id and the count's date in the
    path (drf-spectacular cannot infer either from the nested route)."""
    date_in_path = OpenApiParameter("date", OpenApiTypes.DATE, "path")

    def decorate(viewset):
        viewset = extend_schema_view(
            retrieve=extend_schema(parameters=[date_in_path]),
            partial_update=extend_schema(
                parameters=[date_in_path],
                description="Correct the count of that date; the earlier value stays in the "
                "history.",
            ),
        )(viewset)
        return extend_schema(parameters=[OpenApiParameter(parent_kwarg, OpenApiTypes.INT, "path")])(
            viewset
        )

    return decorate


CORRECTION = "A correction changes the number of a dated count; its date is its identity."


@functools.cache
def dated_count_serializer(model, *, correct: bool = False) -> type[serializers.Serializer]:
    """{date, <value>} of a dated count (`members`, `installs`); in a correction the date is
    read-only, as it is the count's identity. One class per model and kind, named as the
    schema's components have been (MemberCount, PatchedBluzoneCountCorrect…)."""
    meta = type(
        "Meta",
        (),
        {
            "model": model,
            "fields": ["date", model.value_field],
            "read_only_fields": ["date"] if correct else [],
        },
    )
    name = f"{model.__name__}{'Correct' if correct else ''}Serializer"
    attrs = {"Meta": meta, "__module__": __name__, "__doc__": CORRECTION if correct else None}
    return type(name, (CountFieldsSerializer,), attrs)


class DatedCountViewSet(
    NestedUnderParentMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Counts kept as history under their owner, one per owner and date, addressed by the date
    (`groups/<id>/member-counts/2021-08-01/`): POST records a new date, PATCH corrects one
    through the service (the earlier value stays in the history); nothing is deleted. A
    subclass names its `count_model` (a communes.models.DatedCount) and its parent's URL
    keyword; the owner, its scope and the serializers follow from the model."""

    permission_classes = [CommuneDataWrites]
    lookup_field = "date"
    lookup_value_regex = r"\d{4}-\d{2}-\d{2}"
    http_method_names = ["get", "post", "patch", "head", "options"]

    count_model: type

    def get_serializer_class(self):
        return dated_count_serializer(self.count_model, correct=self.action == "partial_update")

    def get_parent_queryset(self):
        owner_model = self.count_model.owner_model()
        return owner_model.objects.for_user(self.request.user).select_related(
            owner_model.commune_scope
        )

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.count_model.objects.none()
        return self.count_model.objects.for_user(self.request.user).filter(
            **{self.count_model.owner_field: self.parent}
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = dated_count_record(
            model=self.count_model,
            owner=self.parent,
            date=data["date"],
            value=data[self.count_model.value_field],
            actor=self.request.user,
        )

    def perform_update(self, serializer):
        count = serializer.instance
        serializer.instance = dated_count_correct(
            count=count,
            value=serializer.validated_data.get(count.value_field, count.value),
            actor=self.request.user,
        )


class VillageFilter(FilterSet):
    commune = filters.NumberFilter(field_name="commune")

    class Meta:
        model = Village
        fields = ["commune", "kind"]


class VillageViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [CommuneDataWrites]
    serializer_class = VillageSerializer
    filterset_class = VillageFilter

    def get_queryset(self):
        return Village.objects.for_user(self.request.user).order_by("commune_id", "name", "pk")

    def perform_create(self, serializer):
        serializer.instance = places.village_create(**serializer.validated_data)

    def perform_update(self, serializer):
        # A PATCH names only what changes; the service keeps the rest.
        serializer.instance = places.village_update(
            village=serializer.instance, **serializer.validated_data
        )


@dated_count_schema(parent_kwarg="village_pk")
class BluzoneCountViewSet(DatedCountViewSet):
    """A village's Bluzone installs by date: `villages/<id>/bluzone-counts/2021-08-01/`."""

    parent_lookup_kwarg = "village_pk"
    count_model = BluzoneCount


class OfficerFilter(FilterSet):
    commune = filters.NumberFilter(field_name="commune")

    class Meta:
        model = Officer
        fields = ["commune"]


class OfficerViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """A commune's officers and the fields each is responsible for (one officer per field)."""

    permission_classes = [CommuneDataWrites]
    serializer_class = OfficerSerializer
    filterset_class = OfficerFilter

    def get_queryset(self):
        return (
            Officer.objects.for_user(self.request.user)
            .prefetch_related("assignments")
            .order_by("commune_id", "full_name", "pk")
        )

    def perform_create(self, serializer):
        officer = services.officer_save(**serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=officer.pk)

    def perform_update(self, serializer):
        officer = serializer.instance
        data = serializer.validated_data
        officer = services.officer_save(
            officer=officer,
            commune=data.get("commune", officer.commune),
            full_name=data.get("full_name", officer.full_name),
            position=data.get("position", officer.position),
            phone=data.get("phone", officer.phone),
            fields=data.get("fields"),
        )
        serializer.instance = self.get_queryset().get(pk=officer.pk)


class UserViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Logins of the district (district staff only). A commune role also makes the user that
    commune's Officer, responsible for the fields named. PATCH edits a login's name, role,
    commune, fields and `is_active`; nothing is deleted (communes.accounts.user_update)."""

    permission_classes = [DistrictStaffOnly]
    serializer_class = UserSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self):
        if self.action == "partial_update":
            return UserUpdateSerializer
        return UserSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return User.objects.none()
        return (
            users_for(self.request.user)
            .select_related("profile", "officer")
            .prefetch_related("officer__assignments")
            .order_by("username")
        )

    def perform_create(self, serializer):
        user = services.user_create(
            district=self.request.user.profile.district, **serializer.validated_data
        )
        serializer.instance = self.get_queryset().get(pk=user.pk)

    def perform_update(self, serializer):
        user = services.user_update(
            user=serializer.instance, actor=self.request.user, **serializer.validated_data
        )
        serializer.instance = self.get_queryset().get(pk=user.pk)


class FieldViewSet(viewsets.ReadOnlyModelViewSet):
    """Fields of responsibility (lĩnh vực), addressed by their code."""

    permission_classes = [CommuneDataPermission]
    serializer_class = FieldSerializer
    queryset = Field.objects.order_by("code")
    lookup_field = "code"
    lookup_value_regex = r"[-\w]+"


class FieldAssignmentFilter(FilterSet):
    commune = filters.NumberFilter(field_name="commune")
    officer = filters.NumberFilter(field_name="officer")

    class Meta:
        model = FieldAssignment
        fields = ["commune", "field", "officer"]


class FieldAssignmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """One responsible officer per (commune, field) (D8). Fields are given to an officer through
    `officers/`; moving one to another officer is a PATCH {officer} here, by the commune's
    leader or the district staff."""

    permission_classes = [FieldAssignmentWrites]
    serializer_class = FieldAssignmentSerializer
    filterset_class = FieldAssignmentFilter
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return FieldAssignment.objects.for_user(self.request.user).order_by(
            "commune_id", "field_id"
        )

    def perform_update(self, serializer):
        assignment = serializer.instance
        serializer.instance = services.field_assignment_reassign(
            assignment=assignment,
            officer=serializer.validated_data.get("officer", assignment.officer),
            actor=self.request.user,
        )


class DistrictViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The top unit {id, code, name, kind}: every role reads its own (an administrator every
    one); administrators create one or change its name or kind (`load_units` writes them too)."""

    permission_classes = [TopUnitPermission]
    serializer_class = DistrictSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        districts = District.objects.order_by("code")
        user = self.request.user
        if user.is_superuser:
            return districts
        profile = getattr(user, "profile", None)
        return districts.filter(pk=profile.district_id if profile else None)

    def perform_create(self, serializer):
        serializer.instance = places.district_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = places.district_update(
            district=serializer.instance, **serializer.validated_data
        )
