"""/api/v1/messenger/: the user's links with the notification bots (docs/rules.md#messenger).

GET where the user stands on each platform; POST {platform} a one-time deep link; DELETE
(`?platform=`, or every platform) unlinks. Each for the user themselves: there is no one
else's link to ask for.
"""

from __future__ import annotations

from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from messenger.bots import BotUnavailable
from messenger.models import MessengerPlatform
from messenger.selectors import messenger_status
from messenger.serializers import (
    DeepLinkSerializer,
    LinkRequestSerializer,
    MessengerStatusSerializer,
)
from messenger.services import messenger_link_start, messenger_unlink


class BotNotAnswering(APIException):
    """The platform did not name the bot: not the user's mistake, and it may pass."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "bot_unavailable"


UNAVAILABLE = OpenApiResponse(
    inline_serializer("BotUnavailable", {"detail": serializers.CharField()}),
    description="The notification bot did not answer; try again later.",
)


class MessengerView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MessengerStatusSerializer(many=True))
    def get(self, request):
        rows = messenger_status(user=request.user)
        return Response(MessengerStatusSerializer(rows, many=True).data)

    @extend_schema(
        request=LinkRequestSerializer,
        responses={201: DeepLinkSerializer, 503: UNAVAILABLE},
    )
    def post(self, request):
        body = LinkRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        platform = body.validated_data["platform"]
        try:
            link = messenger_link_start(user=request.user, platform=platform)
        except BotUnavailable as exc:
            raise BotNotAnswering(str(exc)) from exc
        answer = DeepLinkSerializer(
            {
                "platform": platform,
                "link_url": link.link_url,
                "start_text": link.start_text,
                "expires_at": link.expires_at,
            }
        )
        return Response(answer.data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "platform",
                enum=MessengerPlatform.values,
                required=False,
                description="The platform to unlink; every platform when absent",
            )
        ],
        request=None,
        responses={204: None},
    )
    def delete(self, request):
        platform = request.query_params.get("platform")
        if platform is None and isinstance(request.data, dict):
            platform = request.data.get("platform")
        messenger_unlink(user=request.user, platform=platform or None)
        return Response(status=status.HTTP_204_NO_CONTENT)
