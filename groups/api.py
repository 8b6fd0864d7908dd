"""/api/v1/ news groups and their member counts.

Each view: scope (`for_user`) and role check → serializer → one service.
"""

from django_filters import rest_framework as filters
from rest_framework import mixins, viewsets

from bmp_comms.api import FilterSet
from bmp_comms.permissions import CommuneDataWrites
from communes.api import DatedCountViewSet, dated_count_schema
from groups import services
from groups.models import MemberCount, MessagingGroup
from groups.serializers import GroupSerializer


class GroupFilter(FilterSet):
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
        # A PATCH names only what changes; the service keeps the rest.
        serializer.instance = services.group_update(
            group=serializer.instance, **serializer.validated_data
        )


@dated_count_schema(parent_kwarg="group_pk")
class MemberCountViewSet(DatedCountViewSet):
    """A group's member counts by date (D3): `groups/<id>/member-counts/2021-08-01/`."""

    parent_lookup_kwarg = "group_pk"
    count_model = MemberCount
