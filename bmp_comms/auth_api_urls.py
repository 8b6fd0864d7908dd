from django.urls import path
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.throttling import ScopedRateThrottle


class TokenView(ObtainAuthToken):
    """POST {username, password} → {token}; then send `Authorization: Token <token>`."""

    # The credentials are in the body: a stale session cookie must not demand a CSRF token.
    authentication_classes = ()
    # Password guessing is slowed per client; the rate is settings' "login" scope.
    throttle_classes = (ScopedRateThrottle,)
    throttle_scope = "login"


urlpatterns = [path("auth/token/", TokenView.as_view(), name="api-token")]
