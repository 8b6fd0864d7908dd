"""/api/v1/ bulletins, their deliveries, and the communes' channels
(docs/rules.md#bulletin-workflow).

Each view: scope (`for_user`: another commune's row is a 404) and role check → serializer →
one service (publishing queues its own deliveries).
"""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from bmp_comms.api import FilterSet
from bmp_comms.permissions import (
    BulletinPermission,
    ChannelPermission,
    can_manage_channels,
    can_manage_notification_bots,
)
from bulletins import services
from bulletins.channels import channel_connect, channel_update, notification_bot_connect
from bulletins.models import Bulletin, Channel, Delivery
from bulletins.publishing import bulletin_publish, delivery_confirm
from bulletins.serializers import (
    ApproveSerializer,
    BulletinChannelSerializer,
    BulletinSerializer,
    ConfirmSerializer,
    DeliverySerializer,
    PublishSerializer,
    RejectSerializer,
)


class BulletinFilter(FilterSet):
    commune = filters.NumberFilter(field_name="commune")

    class Meta:
        model = Bulletin
        fields = ["commune", "status", "field"]


class BulletinViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """A commune's bulletins (D6–D8). Commune users write their commune's; district users read
    their district's. `checks` are the figures the editor shows, from the same function."""

    permission_classes = [BulletinPermission]
    serializer_class = BulletinSerializer
    filterset_class = BulletinFilter

    def get_queryset(self):
        return (
            Bulletin.objects.for_user(self.request.user)
            .select_related("field")
            .prefetch_related("villages")
            .order_by("-pk")
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.bulletin_create(
            commune=self.request.user.profile.commune,
            author=self.request.user,
            field=data.get("field"),
            title=data.get("title", ""),
            body=data.get("body", ""),
            source=data.get("source", ""),
            villages=data.get("villages", []),
            publish_at=data.get("publish_at"),
        )

    def perform_update(self, serializer):
        serializer.instance = services.bulletin_update(
            bulletin=serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    def _answer(self, bulletin: Bulletin) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=bulletin.pk)).data)

    @extend_schema(request=None, responses=BulletinSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._answer(
            services.bulletin_submit(bulletin=self.get_object(), actor=request.user)
        )

    @extend_schema(request=ApproveSerializer, responses=BulletinSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        bulletin = self.get_object()
        body = ApproveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(
            services.bulletin_approve(bulletin=bulletin, actor=request.user, **body.validated_data)
        )

    @extend_schema(request=RejectSerializer, responses=BulletinSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        bulletin = self.get_object()
        body = RejectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(
            services.bulletin_reject(bulletin=bulletin, actor=request.user, **body.validated_data)
        )

    @extend_schema(request=PublishSerializer, responses=BulletinSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        bulletin = self.get_object()
        body = PublishSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(
            bulletin_publish(bulletin=bulletin, actor=request.user, **body.validated_data)
        )

    @extend_schema(responses=DeliverySerializer(many=True))
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        bulletin = self.get_object()
        rows = bulletin.deliveries.order_by("pk")
        page = self.paginate_queryset(rows)
        if page is not None:
            return self.get_paginated_response(
                DeliverySerializer(page, many=True, context=self.get_serializer_context()).data
            )
        return Response(
            DeliverySerializer(rows, many=True, context=self.get_serializer_context()).data
        )


class DeliveryFilter(FilterSet):
    # A number, not a choice among every bulletin: an id of another commune answers like one
    # that does not exist (an empty list), so ids do not leak.
    bulletin = filters.NumberFilter(field_name="bulletin")

    class Meta:
        model = Delivery
        fields = ["bulletin", "status", "channel"]


class DeliveryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Deliveries of the bulletins in scope; one posted by hand is confirmed with its link or
    a picture of it (JSON or multipart)."""

    permission_classes = [BulletinPermission]
    serializer_class = DeliverySerializer
    filterset_class = DeliveryFilter

    def get_queryset(self):
        return Delivery.objects.for_user(self.request.user).order_by("-pk")

    @extend_schema(request=ConfirmSerializer, responses=DeliverySerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        delivery = self.get_object()
        body = ConfirmSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        delivery = delivery_confirm(delivery=delivery, actor=request.user, **body.validated_data)
        return Response(DeliverySerializer(delivery, context={"request": request}).data)

    @extend_schema(responses={(200, "image/jpeg"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_name="evidence")
    def evidence(self, request, pk=None):
        """The picture of the post, to the commune's users and the top unit's roles (the
        scope's 404 for anyone else): the only way to it, as it is never served from MEDIA_URL."""
        delivery = self.get_object()
        if not delivery.evidence:
            raise Http404
        response = FileResponse(delivery.evidence.open("rb"), content_type="image/jpeg")
        response["Cache-Control"] = "private, max-age=86400"
        return response


class ChannelViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """A commune's Telegram bot or Zalo OA (district staff, and a commune's leader for it), or
    with `commune` empty the top unit's notification bot, Telegram or Zalo Bot (district staff
    only). `credentials` is write-only: accepted, encrypted, never answered."""

    permission_classes = [ChannelPermission]
    serializer_class = BulletinChannelSerializer
    # JSON only: the browsable renderer would echo a refused body back into its form.
    renderer_classes = [JSONRenderer]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return Channel.objects.for_user(self.request.user).order_by("commune_id", "platform")

    def perform_create(self, serializer):
        data = serializer.validated_data
        user = self.request.user
        commune = data.get("commune")
        if commune is None:
            # The top unit's notification bot (docs/rules.md#notification-bot).
            if not can_manage_notification_bots(user, user.profile.district_id):
                raise PermissionDenied(
                    _("Only the district staff connect the notification bot; name a commune.")
                )
            serializer.instance = notification_bot_connect(
                district=user.profile.district,
                platform=data["platform"],
                credentials=data["credentials"],
                active=data.get("active", True),
            )
            return
        if not can_manage_channels(user, commune):
            raise PermissionDenied
        serializer.instance = channel_connect(
            commune=commune,
            platform=data["platform"],
            credentials=data["credentials"],
            active=data.get("active", True),
        )

    def perform_update(self, serializer):
        data = serializer.validated_data
        serializer.instance = channel_update(
            channel=serializer.instance,
            credentials=data.get("credentials"),
            active=data.get("active"),
        )
