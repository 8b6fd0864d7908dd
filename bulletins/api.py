"""/api/v1/ fields and field assignments.

Each view: scope (`for_user`) and role check → serializer → one service.
"""

from django_filters import rest_framework as filters
from rest_framework import mixins, viewsets

from bmp_comms.api import API_AUTHENTICATION
from bmp_comms.permissions import CommuneDataPermission, CommuneDataWrites
from bulletins.models import Field, FieldAssignment
from bulletins.serializers import FieldAssignmentSerializer, FieldSerializer
from communes import services


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
    `officers/`; moving one to another officer is a PATCH {officer} here."""

    authentication_classes = API_AUTHENTICATION
    permission_classes = [CommuneDataWrites]
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
        )
