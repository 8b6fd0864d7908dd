"""/api/v1/notifications/: the user's own notices (every kind), their unread count, and marking
them read. Another person's notice is not found (404), whatever the role."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from bmp_comms.permissions import role_of
from notifications import selectors, services
from notifications.models import Notification
from notifications.serializers import NotificationSerializer


class HasRole(BasePermission):
    def has_permission(self, request, view) -> bool:
        return role_of(request.user) is not None


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "unread",
                OpenApiTypes.STR,
                description="`1` (or `true`) for the unread notices only.",
            )
        ]
    )
)
class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The user's notices, reminders and workflow events alike, newest first; `?unread=1` for
    the unread only."""

    serializer_class = NotificationSerializer
    permission_classes = [HasRole]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema has no request to scope by
            return Notification.objects.none()
        unread = self.request.query_params.get("unread") in ("1", "true")
        return selectors.notifications_for(self.request.user, unread=unread)

    @extend_schema(request=None, responses={200: dict})
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request):
        return Response({"count": selectors.unread_count(request.user)})

    @extend_schema(request=None, responses={200: dict})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notice = get_object_or_404(selectors.notifications_for(request.user), pk=pk)
        services.notifications_mark_read(user=request.user, ids=[notice.pk])
        return Response({"read": 1})

    @extend_schema(request=None, responses={200: dict})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"read": services.notifications_mark_read(user=request.user)})
