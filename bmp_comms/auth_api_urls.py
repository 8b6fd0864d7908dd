from collections.abc import Mapping

from django.urls import path
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import Throttled
from rest_framework.response import Response
from rest_framework.settings import api_settings

from bmp_comms.login_throttle import LoginAttempts, LoginRateThrottle


class TokenView(ObtainAuthToken):
    """POST {username, password} → {token}; then send `Authorization: Token <token>`."""

    # The credentials are in the body: a stale session cookie must not demand a CSRF token.
    authentication_classes = ()
    # DRF's view lists its own parsers; ours turn deep JSON nesting into a 400.
    parser_classes = api_settings.DEFAULT_PARSER_CLASSES
    # Password guessing is slowed per client; the rate is settings' "login" scope.
    throttle_classes = (LoginRateThrottle,)
    throttle_scope = "login"

    def post(self, request, *args, **kwargs):
        # The same per-address and per-username budget as the web login, so a password cannot
        # be guessed faster through the API. A body that is not an object (`[]`, `null`) names
        # nobody: only the address is counted, and the serializer answers it 400.
        data = request.data if isinstance(request.data, Mapping) else {}
        attempts = LoginAttempts(request, str(data.get("username", "")))
        if attempts.over_budget():
            raise Throttled(detail=_("Too many login attempts. Please wait a few minutes."))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        token, _created = Token.objects.get_or_create(user=user)
        attempts.succeeded(user)
        return Response({"token": token.key})


urlpatterns = [path("auth/token/", TokenView.as_view(), name="api-token")]
