"""/api/v1/: each app declares its own routes; this file only gathers them."""

from django.urls import include, path

urlpatterns = [
    path("", include("bmp_comms.auth_api_urls")),
    path("", include("dashboard.api_urls")),
    path("", include("communes.api_urls")),
    path("", include("groups.api_urls")),
    path("", include("bulletins.api_urls")),
    path("", include("deadlines.api_urls")),
    path("", include("notifications.api_urls")),
    path("", include("reports.api_urls")),
    path("", include("messenger.api_urls")),
]
