"""/api/v1/ villages, Bluzone counts, officers, users, fields and field assignments.

Each view: scope (`for_user`) and role check → serializer → one service.
"""

from django.contrib.auth import get_user_model
from django_filters import rest_framework as filters
from rest_framework import mixins, viewsets

from bmp_comms.api import API_AUTHENTICATION, DatedCountViewSet, dated_count_schema
from bmp_comms.permissions import (
    CommuneDataPermission,
    CommuneDataWrites,
    DistrictStaffOnly,
    FieldAssignmentWrites,
)
from bmp_comms.scoping import users_for
from communes import services
from communes.models import BluzoneCount, Field, FieldAssignment, Officer, Village
from communes.serializers import (
    BluzoneCountCorrectSerializer,
    BluzoneCountSerializer,
    FieldAssignmentSerializer,
    FieldSerializer,
    OfficerSerializer,
    UserSerializer,
    VillageSerializer,
)

User = get_user_model()


class VillageFilter(filters.FilterSet):
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
    authentication_classes = API_AUTHENTICATION
    permission_classes = [CommuneDataWrites]
    serializer_class = VillageSerializer
    filterset_class = VillageFilter

    def get_queryset(self):
        return Village.objects.for_user(self.request.user).order_by("commune_id", "name", "pk")

    def perform_create(self, serializer):
        serializer.instance = services.village_save(**serializer.validated_data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        village = serializer.instance
        serializer.instance = services.village_save(
            village=village, commune=data.pop("commune", village.commune), **data
        )


@dated_count_schema(parent_kwarg="village_pk")
class BluzoneCountViewSet(DatedCountViewSet):
    """A village's Bluzone installs by date: `villages/<id>/bluzone-counts/2021-08-01/`."""

    parent_lookup_kwarg = "village_pk"
    count_model = BluzoneCount
    parent_model = Village
    parent_field = "village"
    parent_select = "commune"
    value_field = "installs"
    serializer_class = BluzoneCountSerializer
    correct_serializer_class = BluzoneCountCorrectSerializer
    record = staticmethod(services.bluzone_count_record)
    correct = staticmethod(services.bluzone_count_correct)


class OfficerFilter(filters.FilterSet):
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

    authentication_classes = API_AUTHENTICATION
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
    viewsets.GenericViewSet,
):
    """Logins of the district (district staff only). A commune role also makes the user that
    commune's Officer, responsible for the fields named."""

    authentication_classes = API_AUTHENTICATION
    permission_classes = [DistrictStaffOnly]
    serializer_class = UserSerializer

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


class FieldViewSet(viewsets.ReadOnlyModelViewSet):
    """Fields of responsibility (lĩnh vực), addressed by their code."""

    authentication_classes = API_AUTHENTICATION
    permission_classes = [CommuneDataPermission]
    serializer_class = FieldSerializer
    queryset = Field.objects.order_by("code")
    lookup_field = "code"
    lookup_value_regex = r"[-\w]+"


class FieldAssignmentFilter(filters.FilterSet):
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

    authentication_classes = API_AUTHENTICATION
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
