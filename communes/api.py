"""/api/v1/ communes, villages, Bluzone counts, officers and users.

Each view: scope (`for_user`) and role check → serializer → one service.
"""

from django.contrib.auth import get_user_model
from django_filters import rest_framework as filters
from rest_framework import mixins, viewsets
from rest_framework.response import Response

from bmp_comms.api import API_AUTHENTICATION, DatedCountViewSet, dated_count_schema
from bmp_comms.dates import local_today
from bmp_comms.permissions import CommuneDataWrites, DistrictStaffOnly, DistrictStaffWrites
from bmp_comms.scoping import users_for
from communes import services
from communes.models import BluzoneCount, Commune, Officer, Village
from communes.selectors import commune_rows
from communes.serializers import (
    BluzoneCountCorrectSerializer,
    BluzoneCountSerializer,
    CommuneSerializer,
    OfficerSerializer,
    UserSerializer,
    VillageSerializer,
)

User = get_user_model()


def with_figures(communes: list[Commune]) -> list[Commune]:
    """Attach each commune's figures as of today, for all of them in one query: the
    dashboard's own rows, so `communes/` and `dashboard/` can never disagree."""
    if communes:
        rows = commune_rows(
            communes=Commune.objects.filter(pk__in=[commune.pk for commune in communes]),
            as_of=local_today(),
        )
        figures = {row.id: row for row in rows}
        for commune in communes:
            commune.figures = figures[commune.pk]
    return communes


class CommuneViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Communes in the user's scope with their figures as of today; district staff add one."""

    authentication_classes = API_AUTHENTICATION
    permission_classes = [DistrictStaffWrites]
    serializer_class = CommuneSerializer

    def get_queryset(self):
        return (
            Commune.objects.for_user(self.request.user)
            .select_related("district")
            .order_by("name", "pk")
        )

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = with_figures(list(queryset if page is None else page))
        serializer = self.get_serializer(rows, many=True)
        if page is None:
            return Response(serializer.data)
        return self.get_paginated_response(serializer.data)

    def get_object(self):
        return with_figures([super().get_object()])[0]

    def perform_create(self, serializer):
        commune = services.commune_create(
            district=self.request.user.profile.district,
            code=serializer.validated_data["code"],
            name=serializer.validated_data["name"],
        )
        serializer.instance = with_figures([commune])[0]


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
