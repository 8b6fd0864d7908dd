"""/api/v1/ news groups and their member counts.

Each view: scope (`for_user`) and role check → serializer → one service.
"""

from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from bmp_comms.api import API_AUTHENTICATION, NestedUnderParentMixin
from bmp_comms.permissions import CommuneDataWrites
from communes.api import DATE_LOOKUP_REGEX
from groups import services
from groups.models import MemberCount, MessagingGroup
from groups.serializers import (
    GroupSerializer,
    MemberCountCorrectSerializer,
    MemberCountSerializer,
)


class GroupFilter(filters.FilterSet):
    village = filters.NumberFilter(field_name="village")
    commune = filters.NumberFilter(field_name="village__commune")

    class Meta:
        model = MessagingGroup
        fields = ["village", "commune", "platform", "status"]


class GroupViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The villages' news groups (D1, D2, D4). `invite_url` is required for active groups."""

    authentication_classes = API_AUTHENTICATION
    permission_classes = [CommuneDataWrites]
    serializer_class = GroupSerializer
    filterset_class = GroupFilter

    def get_queryset(self):
        return MessagingGroup.objects.for_user(self.request.user).order_by("village_id", "pk")

    def perform_create(self, serializer):
        serializer.instance = services.group_register(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.group_update(
            group=serializer.instance, **serializer.validated_data
        )


@extend_schema_view(
    retrieve=extend_schema(parameters=[OpenApiParameter("date", OpenApiTypes.DATE, "path")]),
    partial_update=extend_schema(
        parameters=[OpenApiParameter("date", OpenApiTypes.DATE, "path")],
        description="Correct the count of that date; the earlier value stays in the history.",
    ),
)
@extend_schema(parameters=[OpenApiParameter("group_pk", OpenApiTypes.INT, "path")])
class MemberCountViewSet(
    NestedUnderParentMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """A group's member counts by date (D3). A count is addressed by its date (one per group
    and date): `groups/<id>/member-counts/2021-08-01/`."""

    authentication_classes = API_AUTHENTICATION
    permission_classes = [CommuneDataWrites]
    parent_lookup_kwarg = "group_pk"
    lookup_field = "date"
    lookup_value_regex = DATE_LOOKUP_REGEX
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self):
        if self.action == "partial_update":
            return MemberCountCorrectSerializer
        return MemberCountSerializer

    def get_parent_queryset(self):
        return MessagingGroup.objects.for_user(self.request.user).select_related("village__commune")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return MemberCount.objects.none()
        return MemberCount.objects.for_user(self.request.user).filter(group=self.parent)

    def perform_create(self, serializer):
        serializer.instance = services.member_count_record(
            group=self.parent, actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        count = serializer.instance
        serializer.instance = services.member_count_correct(
            count=count,
            members=serializer.validated_data.get("members", count.members),
            actor=self.request.user,
        )
